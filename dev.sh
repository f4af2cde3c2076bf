#!/usr/bin/env bash
# Set-up and everyday commands: ./dev.sh demo (open the console on a demo database),
# ./dev.sh test (the whole test suite and the static checks), ./dev.sh tour (the real
# window once, every view shown, then quit; under Xvfb when there is no display).
set -euo pipefail
cd "$(dirname "$0")"

# Debian's packages for the system libraries Qt loads, as "library:package". Offscreen (the
# tests) needs the first set; a real window on X11 (Qt's xcb platform plugin, which a Wayland
# desktop uses too through XWayland) needs the second as well.
QT_LIBS="libEGL.so.1:libegl1 libGL.so.1:libgl1 libxkbcommon.so.0:libxkbcommon0
  libfontconfig.so.1:libfontconfig1 libdbus-1.so.3:libdbus-1-3 libglib-2.0.so.0:libglib2.0-0"
XCB_LIBS="libxcb.so.1:libxcb1 libX11.so.6:libx11-6 libX11-xcb.so.1:libx11-xcb1
  libxcb-cursor.so.0:libxcb-cursor0 libxcb-icccm.so.4:libxcb-icccm4 libxcb-image.so.0:libxcb-image0
  libxcb-keysyms.so.1:libxcb-keysyms1 libxcb-randr.so.0:libxcb-randr0 libxcb-render.so.0:libxcb-render0
  libxcb-render-util.so.0:libxcb-render-util0 libxcb-shape.so.0:libxcb-shape0 libxcb-shm.so.0:libxcb-shm0
  libxcb-sync.so.1:libxcb-sync1 libxcb-util.so.1:libxcb-util1 libxcb-xfixes.so.0:libxcb-xfixes0
  libxcb-xkb.so.1:libxcb-xkb1 libxkbcommon-x11.so.0:libxkbcommon-x11-0"

install() {
  if [ ! -x .venv/bin/chconsole ] || [ pyproject.toml -nt .venv/.installed ]; then
    python3 -m venv .venv
    .venv/bin/pip install -q --upgrade pip
    .venv/bin/pip install -q -e '.[dev]'
    touch .venv/.installed
  fi
}

# The packages of these "library:package" pairs whose library this machine lacks.
missing_packages() {
  local ldconfig pair out=""
  ldconfig=$(command -v ldconfig || echo /sbin/ldconfig)
  [ -x "$ldconfig" ] || return 0  # not a glibc system: nothing we can check
  local have; have=$("$ldconfig" -p)
  for pair in "$@"; do
    grep -qF "${pair%%:*} (" <<<"$have" || out="$out ${pair#*:}"
  done
  echo "$out"
}

# Install Debian packages: as root, with sudo where there is one, else say exactly how.
apt_install() {
  [ "$#" -gt 0 ] || return 0
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "$@" >/dev/null
  elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then
    echo "Installing the system libraries the console's window needs: $*" >&2
    sudo apt-get update -qq
    sudo apt-get install -y -qq "$@" >/dev/null
  else
    echo "The console's window needs these system libraries, which are missing:" >&2
    echo "  $*" >&2
    echo "Install them as root, for example with:" >&2
    echo "  sudo apt-get install -y $*" >&2
    exit 1
  fi
}

# Qt's libraries for a real window (and, with "ci", Xvfb to give CI a real X server).
system() {
  [ "$(uname -s)" = Linux ] || return 0
  # shellcheck disable=SC2086 # the lists are words on purpose
  local wanted; wanted=$(missing_packages $QT_LIBS $XCB_LIBS)
  if [ "${1:-}" = ci ]; then
    command -v xvfb-run >/dev/null || wanted="$wanted xvfb"
    command -v xauth >/dev/null || wanted="$wanted xauth"
    wanted="$wanted$(ls /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf >/dev/null 2>&1 || echo ' fonts-dejavu-core')"
  fi
  # shellcheck disable=SC2086
  apt_install $wanted
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
    shift; system; install
    exec .venv/bin/chconsole demo "$@" ;;
  tour)
    shift; system; install
    if [ -n "${DISPLAY:-}" ]; then
      exec env QT_QPA_PLATFORM=xcb .venv/bin/chconsole tour "$@"
    fi
    command -v xvfb-run >/dev/null || apt_install xvfb xauth
    exec xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb .venv/bin/chconsole tour "$@" ;;
  system)
    # What .ci/run calls on a fresh machine: ./dev.sh system ci
    shift; system "$@" ;;
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
    echo "usage: ./dev.sh demo [--hubs N] | ./dev.sh test [pytest args] | ./dev.sh tour" >&2; exit 2 ;;
esac
