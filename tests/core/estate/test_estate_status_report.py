"""The estate status report over a simulated estate: every row checked against the database,
keyset pages, continuation sheets, progress and cancellation."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from chconsole.core.estate import status_report
from chconsole.core.estate.hubs import show_hub
from chconsole.core.reports import workbook
from chconsole.core.reports.workbook import ReportCancelled
from chconsole.core.storage.db import Database
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import to_london
from sim.demo import build

HUBS = 3000
TITLES = [c.title for c in status_report.COLUMNS]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Path]]:
    """The demo world: release 1 notified with its pilot a day under way, release 2 a draft."""
    path = tmp_path_factory.mktemp("estate") / "demo.db"
    build(f"sqlite:///{path}", hubs=HUBS).db.dispose()
    db = Database(f"sqlite:///{path}")
    yield db, path
    db.dispose()


def _write(db: Database, out: Path, party: str = "OCTO", **options: Any) -> int:
    with db.reading() as s:
        return status_report.write(s, party, out, **options)


def _sheets(out: Path) -> list[list[tuple[object, ...]]]:
    """Each sheet's data rows, padded to the header's width."""
    wb = load_workbook(out, read_only=True)
    sheets = []
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        at = next(i for i, r in enumerate(rows) if r and r[0] == "GUID")
        assert list(rows[at]) == TITLES and rows[0][0] == "Estate status report"
        sheets.append([tuple(r) + (None,) * (len(TITLES) - len(r)) for r in rows[at + 1:]])
    wb.close()
    return sheets


def test_every_hub_of_the_supplier_is_there_as_the_database_and_hub_show_have_it(demo, tmp_path):
    db, path = demo
    out = tmp_path / "octo.xlsx"
    count = _write(db, out)
    (rows,) = _sheets(out)
    with sqlite3.connect(path) as c:
        expected = c.execute(
            "SELECT h.guid, h.import_supplier, h.gas_supplier, h.device_model, h.firmware_version, "
            "h.smi_status, h.csp_region, (SELECT MAX(release_id) FROM release_hub x WHERE x.hub_id = h.id) "
            "FROM hub h WHERE h.in_smi AND 'OCTO' IN (h.import_supplier, h.gas_supplier) ORDER BY h.id"
        ).fetchall()
    assert count == len(rows) == len(expected) > 300
    assert [r[0] for r in rows] == [e[0] for e in expected]  # the SMI import's order
    roles = {("OCTO", "OCTO"): "Import and Gas"}
    in_release = 0
    with db.reading() as s:
        for row, (guid, imp, gas, *smi, latest) in zip(rows, expected, strict=True):
            role = roles.get((imp, gas), "Import" if imp == "OCTO" else "Gas")
            shared = "Yes" if imp and gas and imp != gas else "No"
            assert row[1:7] == (role, shared, *smi)
            assert row[7] == latest
            if latest is None:
                assert row[8:] == (None,) * 6
                continue
            in_release += 1
            (place,) = [p for p in show_hub(s, guid).releases if p.release == latest]
            planned = to_london(place.planned_activation).replace(tzinfo=None) if place.planned_activation else None
            group = {"pilot": "Pilot", "safe_launch": "Safe launch"}[place.group]
            assert (row[9], row[10], row[11], row[12]) == (place.state, place.reason, group, planned)
    assert in_release > 100
    assert {r[11] for r in rows} >= {"Pilot", "Safe launch"}


RELEASE = status_report._Release("00020204", "DEPLOYING", datetime(2026, 9, 2, 8, 0),
                                  datetime(2026, 3, 4, 12, 0))
RECORDED = datetime(2026, 5, 1, 8, 0)


@pytest.mark.parametrize(("planned", "state", "group", "release_state", "expected"), [
    (RECORDED, "SCHEDULED", "safe_launch", "DEPLOYING", RECORDED),  # a recorded time wins
    (None, "DISTRIBUTING", "pilot", "PILOT_RUNNING", RELEASE.pilot_activate_at),  # DCC's pilot time
    (None, "ELIGIBLE", "safe_launch", "NOTIFIED", RELEASE.deployment_date),  # the DCC date
    (None, "HELD", "safe_launch", "PILOT_RUNNING", None),  # held: no time until the pilot decides
    (None, "ELIGIBLE", "safe_launch", "REVOKED", None),  # a revoked release activates nothing
    (None, "ACTIVATED", "safe_launch", "DEPLOYING", None),  # done: see "Activated at"
])
def test_the_planned_activation_rule(planned, state, group, release_state, expected):
    release = status_report._Release(RELEASE.to_version, release_state, RELEASE.deployment_date,
                                     RELEASE.pilot_activate_at)
    assert status_report._planned_activation(planned, state, group, release) == expected


def test_nothing_in_a_suppliers_file_names_another_supplier(demo, tmp_path):
    db, path = demo
    with sqlite3.connect(path) as c:
        parties = c.execute("SELECT id, name FROM party WHERE kind = 'supplier'").fetchall()
    out = tmp_path / "bgas.xlsx"
    _write(db, out, "bgas")
    wb = load_workbook(out)
    cells = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    text = "\n".join([*cells, *wb.sheetnames, str(wb.properties.title), str(wb.properties.creator)])
    assert "Yes" in cells  # BGAS does share hubs
    for party, name in parties:
        if party != "BGAS":
            assert party not in text and name not in text, party


def test_keyset_pages_and_continuation_sheets_lose_and_repeat_nothing(demo, tmp_path, monkeypatch):
    db, _path = demo
    whole = tmp_path / "whole.xlsx"
    count = _write(db, whole)
    monkeypatch.setattr(status_report, "PAGE", 37)  # many keyset pages
    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 250)  # sheets of 250 rows, title block included
    split = tmp_path / "split.xlsx"
    seen: list[int] = []
    monkeypatch.setattr(workbook, "_CHUNK", 100)
    assert _write(db, split, progress=seen.append) == count
    sheets = _sheets(split)
    assert len(sheets) == -(-count // len(sheets[0])) > 2
    assert all(len(s) == len(sheets[0]) for s in sheets[:-1])
    assert load_workbook(split, read_only=True).sheetnames[:3] == ["Hubs", "Hubs (2)", "Hubs (3)"]
    assert [r for s in sheets for r in s] == _sheets(whole)[0]
    assert seen == [*range(100, count + 1, 100), *([count] if count % 100 else [])]


def test_a_cancelled_report_leaves_no_file_behind(demo, tmp_path, monkeypatch):
    db, _path = demo
    scratch = tmp_path / "scratch"  # where openpyxl streams each sheet before zipping
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(workbook, "_CHUNK", 100)
    out = tmp_path / "out"
    out.mkdir()
    polls: list[int] = []

    def cancelled() -> bool:
        polls.append(1)
        return len(polls) > 2  # a couple of hundred hubs in

    with pytest.raises(ReportCancelled):
        _write(db, out / "octo.xlsx", cancelled=cancelled)
    assert list(out.iterdir()) == [] and list(scratch.iterdir()) == []


def test_one_release_may_be_asked_for_and_unknown_suppliers_are_refused(demo, tmp_path):
    db, _path = demo
    out = tmp_path / "r1.xlsx"
    _write(db, out, release_id=1, now=datetime(2026, 11, 6, 9, 30))
    (rows,) = _sheets(out)
    assert {r[7] for r in rows} == {1, None}
    with pytest.raises(BadInput, match="'ACME' is not a supplier"):
        _write(db, tmp_path / "acme.xlsx", "ACME")
    with pytest.raises(BadInput, match="Release 2 has not been notified"):
        _write(db, tmp_path / "r2.xlsx", release_id=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r1.xlsx"]
