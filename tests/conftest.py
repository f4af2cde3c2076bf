"""Shared fixtures: a fresh database on a simulated clock, small estates, the CLI in-process."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from chconsole.cli import main as cli_main

HEADER = ["guid", "device_model", "firmware_version", "smi_status", "csp_region",
          "import_supplier", "gas_supplier"]
MODEL = "EDMI-CHF-420"
OLD, OLDER, NEW = "0002012F", "00020124", "00020204"


def image_hash(version: str) -> str:
    return hashlib.sha256(version.encode()).hexdigest()


def guid(n: int) -> str:
    raw = f"00DB12{n:010X}"
    return "-".join(raw[i:i + 2] for i in range(0, 16, 2))


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


@dataclass
class Result:
    status: int
    out: str
    err: str

    def json(self) -> object:
        return json.loads(self.out)


class Cli:
    """Runs `chconsole` in-process against one database, as one acting user."""

    def __init__(self, url: str, tmp: Path) -> None:
        self.url = url
        self.tmp = tmp

    def __call__(self, *args: str, actor: str = "alice") -> Result:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            status = cli_main([*args, "--db", self.url, "--as", actor])
        return Result(status, out.getvalue(), err.getvalue())

    def ok(self, *args: str, actor: str = "alice") -> Result:
        r = self(*args, actor=actor)
        assert r.status == 0, r.err
        return r

    def ok_json(self, *args: str, actor: str = "alice") -> object:
        return self.ok(*args, "--json", actor=actor).json()

    def estate(self, rows: list[list[str]], *extra: str, name: str = "estate.csv") -> Result:
        return self("import-estate", str(write_csv(self.tmp / name, rows)), *extra)

    def outbox(self) -> Path:
        return Path(self.url.removeprefix("sqlite:///")).with_name("c-outbox")


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """A new database on a simulated clock starting 2026-03-02 09:00 London, alice holds every role."""
    c = Cli(f"sqlite:///{tmp_path / 'c.db'}", tmp_path)
    c.ok("init", "--clock", "simulated", "--start", "2026-03-02T09:00")
    return c


@pytest.fixture
def released(cli: Cli) -> Cli:
    """An estate of the EDMI model with a notified-ready CPL and a drafted release 1."""
    rows = [
        [guid(1), MODEL, OLD, "Commissioned", "North", "OCTO", "BGAS"],    # split supply
        [guid(2), MODEL, OLD, "Commissioned", "Central", "OCTO", "OCTO"],  # both roles
        [guid(3), MODEL, OLDER, "Commissioned", "South", "EDFE", ""],      # electricity only
        [guid(4), MODEL, OLD, "Pending", "South", "EDFE", ""],             # not commissioned
        [guid(5), MODEL, NEW, "Commissioned", "South", "EDFE", "BGAS"],    # already on target
        [guid(6), "WNC-CHF-250", OLD, "Commissioned", "South", "SPWR", ""],  # other model
        [guid(7), MODEL, OLD, "Commissioned", "Central", "", "BGAS"],      # gas only
    ]
    cli.ok("import-estate", str(write_csv(cli.tmp / "estate.csv", rows)))
    for v in (OLD, OLDER, NEW):
        cli.ok("cpl", "add", "--model", MODEL, "--firmware-version", v, "--image-hash", image_hash(v))
    cli.ok("release", "create", "--model", MODEL, "--from-version", OLD, "--from-version", OLDER,
           "--to-version", NEW, "--severity", "High", "--priority", "P2",
           "--release-note", "https://dcc.example/notes/RN-42", "--type", "sec")
    return cli


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database of its own; fails (never skips) when PostgreSQL is down."""
    base = os.environ.get("CHCONSOLE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    name = f"chc_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        from sqlalchemy import create_engine as ce

        ce(url).dispose()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
