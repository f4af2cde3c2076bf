"""R5 from the outside: `export estate-status`, a supplier's whole estate and its firmware status.

Each supplier sees every hub in the SMI where it is the Import or the Gas Supplier, with
its SMI record and its place in the latest release it belongs to. A hub it shares with
another supplier says "Yes", and nothing in the file names or identifies that supplier.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from chc_helpers import (
    MODEL,
    NEW,
    OLD,
    Cli,
    audit_actions,
    guid,
    hubs,
    nominated,
    notified_release,
    pilot_release,
    place,
    reliable_network,
    sheet_rows,
    workbook_text,
)
from openpyxl import load_workbook

from chconsole.core.estate.status_report import COLUMNS

ESTATE = [
    *hubs(1, 4, "North", "OCTO", "OCTO"),        # OCTO's pilot hubs
    *hubs(5, 2, "Central", "OCTO", "OCTO"),      # safe launch
    *hubs(10, 2, "North", "OCTO", "BGAS"),       # split supply; 10 joins the pilot
    *hubs(20, 2, "South", "EDFE"),               # another supplier's, electricity only
    *hubs(30, 1, "Central", "", "OCTO"),         # OCTO is the gas supplier only
    *hubs(40, 1, "South", "OCTO", "BGAS", status="Pending"),   # not eligible: in no release
    *hubs(50, 1, "South", "OCTO", "", firmware=NEW),           # already on the target
]
NAMES = {"OCTO": "Octopus Energy", "BGAS": "British Gas", "EDFE": "EDF Energy"}
PILOT = [guid(n) for n in (1, 2, 3, 4, 10)]
DEPLOYMENT = "2026-03-06T09:00"  # London, GMT: the safe-launch hubs' activation time


def export(cli: Cli, party: str, *extra: str) -> tuple[Path, int]:
    out = cli.tmp / f"estate-{party.lower()}{'-'.join(extra)}.xlsx"
    r = cli.ok_json("export", "estate-status", "--supplier", party, "--out", str(out), *extra)
    assert isinstance(r, dict) and r["file"] == str(out)
    return out, int(r["rows"])


def _hubs(book: Path) -> dict[str, dict[str, object]]:
    """The report's rows by GUID as {header: value}; an empty trailing cell reads as None."""
    header, rows = sheet_rows(book)
    return {str(r[0]): {str(h): (r[i] if i < len(r) else None) for i, h in enumerate(header)} for r in rows}


@pytest.fixture
def rollout(cli: Cli) -> Cli:
    """Release 1 notified, DCC date 6 March; OCTO's pilot of five (hub 10 with BGAS) started,
    activating at noon on 4 March. Nothing has been distributed yet."""
    pilot_release(cli, ESTATE, "--deployment-date", DEPLOYMENT)
    for party, name in NAMES.items():
        cli.ok("party", "set", party, "--name", name)
    nominated(cli, 1, "OCTO", PILOT)
    nominated(cli, 1, "BGAS", [guid(10)])
    reliable_network(cli)
    cli.ok("pilot", "start", "1", "--activate-at", "2026-03-04T12:00")
    return cli


def test_the_report_lists_every_hub_of_the_supplier_with_its_smi_record_and_release(rollout):
    out, rows = export(rollout, "octo")
    header, _data = sheet_rows(out)
    assert header == [c.title for c in COLUMNS]
    hubs_ = _hubs(out)
    mine = [1, 2, 3, 4, 5, 6, 10, 11, 30, 40, 50]
    assert rows == len(mine) and sorted(hubs_) == sorted(guid(n) for n in mine)
    assert {g: h["Your role"] for g, h in hubs_.items() if h["Your role"] != "Import and Gas"} == {
        guid(10): "Import", guid(11): "Import", guid(30): "Gas", guid(40): "Import", guid(50): "Import"}
    pending = hubs_[guid(40)]
    assert (pending["Device model"], pending["Firmware version"], pending["SMI status"], pending["CSP region"]) == (
        MODEL, OLD, "Pending", "South")
    for n in (40, 50):  # in no release: the release columns are blank
        assert [hubs_[guid(n)][c.title] for c in COLUMNS[7:]] == [None] * 7
    pilot_hub, safe_hub = hubs_[guid(1)], hubs_[guid(5)]
    assert (pilot_hub["Release"], pilot_hub["Target firmware"], pilot_hub["Group"]) == (1, NEW, "Pilot")
    assert pilot_hub["Planned activation"] == datetime(2026, 3, 4, 12, 0)  # DCC's pilot time
    assert (safe_hub["Group"], safe_hub["Rollout state"], safe_hub["Planned activation"]) == (
        "Safe launch", place(rollout, guid(5))["state"], datetime(2026, 3, 6, 9, 0))  # the DCC date
    book = load_workbook(out, read_only=True)
    facts = [c for row in book.worksheets[0].iter_rows(max_row=6, values_only=True) for c in row if c]
    book.close()
    assert "Octopus Energy (OCTO)" in facts and "2026-03-02 09:00 GMT" in facts  # who, and when
    assert "11" in facts and "Import 10, Gas 7, both 6" in facts and facts[facts.index(
        "Shared with another supplier") + 1] == "3"
    assert "report-export" in audit_actions(rollout)


def test_each_hub_shows_its_state_and_planned_activation_as_hub_show_does(rollout):
    """The planned activation follows the one rule (core/hubs.py `_place`): checked before the
    pilot activates and after the safe-launch hubs are held at the DCC date."""
    for now in (None, DEPLOYMENT):
        if now:
            rollout.ok("tick", "--now", now)  # pilot activated; safe launch held at the DCC date
        out, _rows = export(rollout, "OCTO")
        for g, h in _hubs(out).items():
            if h["Release"] is None:
                continue
            shown = place(rollout, g)
            planned = shown["planned_activation"]
            assert (h["Rollout state"], h["Reason"], h["Planned activation"]) == (
                shown["state"], shown["reason"],
                datetime.fromisoformat(str(planned)).replace(tzinfo=None) if planned else None), g
    held, done = _hubs(out)[guid(5)], _hubs(out)[guid(1)]
    assert (held["Rollout state"], held["Reason"]) == ("HELD", "AWAITING_PILOT_DECISION")
    assert done["Rollout state"] == "ACTIVATED" and isinstance(done["Activated at"], datetime)
    assert done["Firmware version"] == NEW  # the SMI record moved with the activation


def test_a_shared_hub_says_yes_and_nothing_names_the_other_supplier(rollout):
    octo, _ = export(rollout, "OCTO")
    assert {g: h["Shared with another supplier"] for g, h in _hubs(octo).items()
            if h["Shared with another supplier"] == "Yes"} == {guid(10): "Yes", guid(11): "Yes", guid(40): "Yes"}
    text = workbook_text(octo)  # every cell, sheet name and property
    for other in ("BGAS", "British Gas", "EDFE", "EDF Energy"):
        assert other not in text
    bgas, rows = export(rollout, "bgas")
    assert rows == 3 and {h["Your role"] for h in _hubs(bgas).values()} == {"Gas"}
    assert {h["Shared with another supplier"] for h in _hubs(bgas).values()} == {"Yes"}
    text = workbook_text(bgas)
    for other in ("OCTO", "Octopus", "EDFE", "EDF Energy"):
        assert other not in text


def test_the_latest_release_is_shown_unless_a_release_is_asked_for(rollout):
    rollout.ok("tick", "--now", "2026-03-05T09:00")  # the pilot hubs are on the new firmware
    second = notified_release(rollout)
    latest = _hubs(export(rollout, "OCTO")[0])
    assert latest[guid(5)]["Release"] == second  # eligible again: its latest release
    assert latest[guid(1)]["Release"] == 1  # activated in release 1, not eligible for the second
    first = _hubs(export(rollout, "OCTO", "--release", "1")[0])
    assert first[guid(5)]["Release"] == 1 and first[guid(1)]["Rollout state"] == "ACTIVATED"
    assert first[guid(40)]["Release"] is None
    only_second = _hubs(export(rollout, "OCTO", "--release", str(second))[0])
    assert only_second[guid(1)]["Release"] is None and len(only_second) == len(first)


def test_an_unknown_supplier_or_release_is_refused_and_writes_nothing(rollout):
    out = rollout.tmp / "nobody.xlsx"
    r = rollout("export", "estate-status", "--supplier", "NOBODY", "--out", str(out))
    assert r.status == 2 and "'NOBODY' is not a supplier known to this database" in r.err
    r = rollout("export", "estate-status", "--supplier", "OCTO", "--release", "9", "--out", str(out))
    assert r.status == 2 and "There is no release 9" in r.err
    rollout.ok("release", "create", "--model", MODEL, "--from-version", OLD, "--to-version", NEW,
               "--severity", "High", "--priority", "P2", "--release-note", "RN", "--type", "sec")
    r = rollout("export", "estate-status", "--supplier", "OCTO", "--release", "2", "--out", str(out))
    assert r.status == 2 and "Release 2 has not been notified" in r.err
    assert not out.exists()


def test_only_an_operator_or_release_manager_may_export_it(rollout):
    rollout.ok("user", "add", "pat", "--role", "panel-secretary")
    out = rollout.tmp / "estate.xlsx"
    r = rollout("export", "estate-status", "--supplier", "OCTO", "--out", str(out), actor="pat")
    assert r.status == 3 and "may not" in r.err and not out.exists()


def test_a_supplier_with_no_hubs_gets_a_report_that_says_so(rollout):
    rollout.ok("party", "set", "VALE", "--name", "Vale Energy")
    rollout.estate([[guid(90), MODEL, OLD, "Commissioned", "North", "VALE", ""]], name="more.csv")
    rollout.estate([[guid(90), MODEL, OLD, "Commissioned", "North", "OCTO", ""]], name="moved.csv")
    out, rows = export(rollout, "VALE")
    assert rows == 0 and "not the Import or Gas Supplier of any hub" in workbook_text(out)


def test_the_report_reads_the_same_on_postgresql(pg_url, tmp_path):
    pg = Cli(pg_url, tmp_path)
    pg.ok("init", "--clock", "simulated", "--start", "2026-03-02T09:00")
    pilot_release(pg, ESTATE, "--deployment-date", DEPLOYMENT)
    out, rows = export(pg, "OCTO")
    hubs_ = _hubs(out)
    assert rows == 11 and hubs_[guid(10)]["Shared with another supplier"] == "Yes"
    assert (hubs_[guid(5)]["Release"], hubs_[guid(5)]["Planned activation"]) == (1, datetime(2026, 3, 6, 9, 0))
    assert hubs_[guid(40)]["Release"] is None and "BGAS" not in workbook_text(out)
