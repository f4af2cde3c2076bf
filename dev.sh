#!/usr/bin/env bash
# Set-up and everyday commands: ./dev.sh demo (open the console on a demo database),
# ./dev.sh test (the whole test suite and the static checks).
set -euo pipefail
cd "$(dirname "$0")"

install() {
  if [ ! -x .venv/bin/chconsole ] || [ pyproject.toml -nt .venv/.installed ]; then
    python3 -m venv .venv
    .venv/bin/pip install -q --upgrade pip
    .venv/bin/pip install -q -e '.[dev]'
    touch .venv/.installed
  fi
}

postgres() {
  # The multi-workstation tests run against a real PostgreSQL on 127.0.0.1:5432.
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }
}

case "${1:-}" in
  demo)
    shift; install
    exec .venv/bin/chconsole demo "$@" ;;
  test)
    shift; install; postgres
    export PATH="$PWD/.venv/bin:$PATH" QT_QPA_PLATFORM=offscreen
    ruff check src sim tests
    mypy
    lint-imports
    set +e; pytest -q "$@"; rc=$?; set -e
    [ "$rc" -eq 5 ] && { echo "pytest collected no tests" >&2; exit 1; }
    exit "$rc" ;;
  *)
    echo "usage: ./dev.sh demo [--hubs N] | ./dev.sh test [pytest args]" >&2; exit 2 ;;
esac
