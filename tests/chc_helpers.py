"""Test helpers: small estates, GUIDs, CSV files, and the CLI run in-process."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

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
