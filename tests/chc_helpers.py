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


# -- pilots (R2) ---------------------------------------------------------------------------
# (Imported here, not at the top, so this section is an append only.)
import itertools  # noqa: E402
import sqlite3  # noqa: E402
from email import message_from_bytes, policy  # noqa: E402
from email.message import EmailMessage  # noqa: E402

from openpyxl import load_workbook  # noqa: E402

REGIONS = ("North", "Central", "South")


def hubs(first: int, count: int, region: str, imp: str, gas: str = "", *, firmware: str = OLD,
         status: str = "Commissioned", model: str = MODEL) -> list[list[str]]:
    """Estate rows for COUNT hubs numbered from FIRST, all alike."""
    return [[guid(n), model, firmware, status, region, imp, gas] for n in range(first, first + count)]


def guid_list(path: Path, guids: list[str], header: str = "guid") -> Path:
    """A GUID list file: one column."""
    return write_csv(path, [[g] for g in guids], header=[header])


def pilot_release(cli: Cli, rows: list[list[str]], *extra: str) -> int:
    """Load ROWS as the estate, put the EDMI firmware on the CPL, draft a release from OLD and
    OLDER to NEW (EXTRA: more `release create` words) and notify it; returns its id."""
    cli.ok("import-estate", str(write_csv(cli.tmp / "estate.csv", rows)))
    for v in (OLD, OLDER, NEW):
        cli.ok("cpl", "add", "--model", MODEL, "--firmware-version", v, "--image-hash", image_hash(v))
    return notified_release(cli, *extra)


def notified_release(cli: Cli, *extra: str) -> int:
    """Another notified release of the EDMI model (its CPL entries already recorded)."""
    made = cli.ok_json("release", "create", "--model", MODEL, "--from-version", OLD, "--from-version", OLDER,
                       "--to-version", NEW, "--severity", "High", "--priority", "P2",
                       "--release-note", "RN-77", "--type", "sec", *extra)
    assert isinstance(made, dict)
    cli.ok("release", "notify", str(made["id"]))
    return int(made["id"])


_files = itertools.count(1)


def nominate(cli: Cli, release: int, supplier: str, guids: list[str]) -> Result:
    """SUPPLIER's pilot nomination of GUIDS as a file, with --json output."""
    path = guid_list(cli.tmp / f"nomination-{next(_files)}.csv", guids)
    return cli("pilot", "nominate", str(release), "--supplier", supplier, "--file", str(path), "--json")


def nominated(cli: Cli, release: int, supplier: str, guids: list[str]) -> dict[str, object]:
    r = nominate(cli, release, supplier, guids)
    assert r.status == 0, r.err
    out = r.json()
    assert isinstance(out, dict)
    return out


def place(cli: Cli, g: str, release: int = 1) -> dict[str, object]:
    """`hub show` of one hub: its place in RELEASE, with the hub's firmware version added."""
    hub = cli.ok_json("hub", "show", g)
    assert isinstance(hub, dict)
    (entry,) = [r for r in hub["releases"] if r["release"] == release]
    return {**entry, "firmware_version": hub["firmware_version"]}


def counts(cli: Cli, release: int = 1) -> dict[str, int]:
    """`release show` counts per hub state, without the states no hub is in."""
    shown = cli.ok_json("release", "show", str(release))
    assert isinstance(shown, dict)
    return {k: n for k, n in shown["counts"].items() if n}


def reliable_network(cli: Cli, *more: str) -> None:
    cli.ok("network", "set", "distribution_failure=0", "activation_failure=0", "no_response=0", *more)


def notices(cli: Cli, kind: str | None = None, recipient: str | None = None) -> list[dict[str, object]]:
    """The outbox, oldest first, of one kind and/or to one recipient."""
    listed = cli.ok_json("outbox", "list", *(("--recipient", recipient) if recipient else ()))
    assert isinstance(listed, list)
    return [n for n in reversed(listed) if kind is None or n["kind"] == kind]


def read_eml(path: Path | str) -> EmailMessage:
    message = message_from_bytes(Path(path).read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def eml_body(path: Path | str) -> str:
    body = read_eml(path).get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def eml_attachments(path: Path | str) -> dict[str, bytes]:
    """An .eml file's attachments by file name."""
    return {str(p.get_filename()): bytes(p.get_payload(decode=True))
            for p in read_eml(path).walk() if p.get_filename()}


def sheet_rows(book: Path | bytes) -> tuple[list[object], list[tuple[object, ...]]]:
    """A report's header row (the one starting with GUID or Line) and its data rows."""
    wb = load_workbook(io.BytesIO(book) if isinstance(book, bytes) else book, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    at = next(i for i, r in enumerate(rows) if r and r[0] in ("GUID", "Line"))
    return list(rows[at]), [r for r in rows[at + 1:] if r and r[0] is not None]


def report_dicts(book: Path | bytes) -> dict[str, dict[str, object]]:
    """A pilot report's rows, by GUID, as {header: value}."""
    header, rows = sheet_rows(book)
    return {str(r[0]): dict(zip((str(h) for h in header), r, strict=False)) for r in rows}


def workbook_text(book: Path | bytes) -> str:
    """Every cell value, sheet name and document property of a workbook, as one text."""
    wb = load_workbook(io.BytesIO(book) if isinstance(book, bytes) else book)
    parts = [str(wb.properties.title or ""), str(wb.properties.creator or "")]
    for ws in wb.worksheets:
        parts.append(ws.title)
        parts += [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]
        parts += [str(h.text or "") for h in (ws.oddHeader.center, ws.oddFooter.center)]
    wb.close()
    return "\n".join(parts)


def eml_text(path: Path | str) -> str:
    """Everything a reader of an .eml file sees: headers, text parts, attachments' names and cells."""
    message = read_eml(path)
    parts = [f"{k}: {v}" for k, v in message.items()]
    for part in message.walk():
        if part.get_filename():
            parts.append(str(part.get_filename()))
            parts.append(workbook_text(bytes(part.get_payload(decode=True))))
        elif part.get_content_maintype() == "text":
            parts.append(str(part.get_content()))
    return "\n".join(parts)


def audit_actions(cli: Cli) -> list[str]:
    with sqlite3.connect(cli.url.removeprefix("sqlite:///")) as db:
        return [a for (a,) in db.execute("SELECT action FROM audit ORDER BY id")]


def supplier_files(cli: Cli, party: str) -> dict[str, str]:
    """Every file of the outbox folder addressed to PARTY (.eml and .xlsx), by name, as the
    text a reader of it sees."""
    folder = cli.outbox()
    out = {p.name: eml_text(p) for p in sorted(folder.glob(f"*-{party.lower()}-*.eml"))}
    out |= {p.name: workbook_text(p) for p in sorted(folder.glob(f"*-{party.lower()}-*.xlsx"))}
    return out
