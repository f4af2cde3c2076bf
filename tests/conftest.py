"""Shared fixtures: a fresh database on a simulated clock, small estates, PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from chc_helpers import MODEL, NEW, OLD, OLDER, Cli, guid, image_hash, write_csv
from sqlalchemy import create_engine, text


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
