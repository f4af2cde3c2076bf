"""R5's last rule from the outside: confirmed activations go to each hub's current suppliers,
grouped, one notice per supplier per day at 18:00 London time, with the GUID list attached.

Two pilots run on the simulated clock. The North region takes one distribution a day, so
its pilot hubs activate one a day from 4 March; everything else activates on 4 March.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from chc_helpers import (
    MODEL,
    NEW,
    OLD,
    OLDER,
    Cli,
    eml_body,
    eml_text,
    guid,
    hubs,
    image_hash,
    nominated,
    notices,
    reliable_network,
    report_dicts,
    sheet_rows,
    write_csv,
)
from sqlalchemy import text

from chconsole.core.deployment import activation_notices
from chconsole.core.deployment.activation_notices import COLUMNS
from chconsole.core.storage.db import Database
from chconsole.core.vocabulary.london import LONDON

BOTH_NORTH = [guid(n) for n in (1, 2, 3, 4)]  # OCTO holds both roles
SPLIT = [guid(10), guid(11)]  # OCTO imports, BGAS supplies the gas
EDFE_HUBS = [guid(20), guid(21)]  # South, EDFE electricity only
OLDER_HUBS = [guid(40), guid(41)]  # Central, OCTO, on the older firmware: release 2
ESTATE = [
    *hubs(1, 4, "North", "OCTO", "OCTO"),
    *hubs(10, 2, "North", "OCTO", "BGAS"),
    *hubs(20, 2, "South", "EDFE"),
    *hubs(40, 2, "Central", "OCTO", "OCTO", firmware=OLDER),
]
KIND = "ACTIVATIONS_CONFIRMED"


def _release(cli: Cli, from_version: str) -> int:
    made = cli.ok_json("release", "create", "--model", MODEL, "--from-version", from_version, "--to-version",
                       NEW, "--severity", "High", "--priority", "P2", "--release-note", "RN-5", "--type", "sec")
    assert isinstance(made, dict)
    cli.ok("release", "notify", str(made["id"]))
    return int(made["id"])


def _pilots(cli: Cli, *start_words: str, network: tuple[str, ...] = ("capacity_north=1",)) -> Cli:
    """Release 1 (from OLD) and release 2 (from OLDER), every hub in its pilot, both started
    on 2 March at 09:00; START_WORDS go to release 1's `pilot start`."""
    cli.ok("import-estate", str(write_csv(cli.tmp / "estate.csv", ESTATE)))
    for v in (OLD, OLDER, NEW):
        cli.ok("cpl", "add", "--model", MODEL, "--firmware-version", v, "--image-hash", image_hash(v))
    assert (_release(cli, OLD), _release(cli, OLDER)) == (1, 2)
    reliable_network(cli, *network)
    nominated(cli, 1, "OCTO", BOTH_NORTH + SPLIT)
    nominated(cli, 1, "BGAS", SPLIT)
    nominated(cli, 1, "EDFE", EDFE_HUBS)
    nominated(cli, 2, "OCTO", OLDER_HUBS)
    cli.ok("pilot", "start", "1", *start_words)
    cli.ok("pilot", "start", "2")
    return cli


def _told(cli: Cli) -> list[dict[str, object]]:
    """Every activation notice, with what its reader sees: body GUIDs and the attached rows."""
    out = []
    for n in notices(cli, KIND):
        body = eml_body(str(n["file"]))
        header, rows = sheet_rows(Path(str(n["attachment"])))
        assert header == [c.title for c in COLUMNS]
        listed = [line.strip() for line in body.splitlines() if line.startswith("  00-")]
        out.append({**n, "body": body, "listed": listed, "rows": {str(r[0]): r for r in rows}})
    return out


def _activated(cli: Cli, party: str) -> dict[str, datetime]:
    """When each of PARTY's pilot hubs was activated, as its pilot reports say (London time)."""
    out: dict[str, datetime] = {}
    for release in (1, 2):
        path = cli.tmp / f"pilot-{party}-{release}.xlsx"
        r = cli("export", "pilot", "--supplier", party, "--release", str(release), "--out", str(path))
        if r.status != 0:
            continue  # not a supplier of this release's pilot
        for g, row in report_dicts(path).items():
            at = row.get("Activated")
            if isinstance(at, datetime):
                out[g] = at
    return out


def _confirmed(cli: Cli) -> dict[str, tuple[datetime, int, int]]:
    """When DCC learned of each hub's confirmed activation (London wall clock), with its release
    and hub id: the order a notice lists them in."""
    out: dict[str, tuple[datetime, int, int]] = {}
    db = Database(cli.url)
    try:
        with db.reading() as s:
            for g, at, r, h in s.execute(text(
                    "SELECT h.guid, rh.confirmed_at, rh.release_id, rh.hub_id FROM release_hub rh "
                    "JOIN hub h ON h.id = rh.hub_id WHERE rh.confirmed_at IS NOT NULL")):
                when = datetime.fromisoformat(str(at)).replace(tzinfo=UTC).astimezone(LONDON).replace(tzinfo=None)
                out[str(g)] = (when, int(r), int(h))
    finally:
        db.dispose()
    return out


def _day(created_at: object) -> str:
    return datetime.fromisoformat(str(created_at)).astimezone(LONDON).date().isoformat()


def _in_day(at: datetime, day: str) -> bool:
    """Whether a London wall-clock time falls in the activation day ending at 18:00 on DAY."""
    end = datetime.fromisoformat(f"{day}T18:00")
    return end - timedelta(days=1) < at <= end


@pytest.fixture
def pilots(cli: Cli) -> Cli:
    return _pilots(cli)


def test_each_supplier_hears_once_a_day_at_six_of_exactly_the_hubs_confirmed_that_day(pilots, monkeypatch):
    monkeypatch.setattr(activation_notices, "PAGE", 1)  # the attached lists are read a row a page
    pilots.ok("tick", "--now", "2026-03-10T09:00")
    told = _told(pilots)
    days = Counter((n["recipient"], _day(n["created_at"])) for n in told)
    assert days == Counter({("OCTO", f"2026-03-0{d}"): 1 for d in range(4, 9)}
                           | {("EDFE", "2026-03-04"): 1, ("BGAS", "2026-03-07"): 1, ("BGAS", "2026-03-08"): 1})
    confirmed = _confirmed(pilots)
    for n in told:
        assert datetime.fromisoformat(str(n["created_at"])).astimezone(LONDON).strftime("%H:%M") == "18:00"
        activated = _activated(pilots, str(n["recipient"]))
        # A notice lists the hubs whose confirmation DCC learned that day, in that order, each
        # with the time the network says it activated.
        expected = sorted((confirmed[g], g) for g in activated if _in_day(confirmed[g][0], _day(n["created_at"])))
        assert n["listed"] == [g for _, g in expected], n["subject"]
        assert list(n["rows"]) == n["listed"]
        assert {g: r[4] for g, r in n["rows"].items()} == {g: activated[g] for _, g in expected}
        assert all(r[3] == NEW for r in n["rows"].values())
        assert f"on {len(expected)} of your hubs" in str(n["subject"])
    # Every activated hub reached each of its suppliers exactly once.
    for party, mine in (("OCTO", BOTH_NORTH + SPLIT + OLDER_HUBS), ("BGAS", SPLIT), ("EDFE", EDFE_HUBS)):
        seen = Counter(g for n in told if n["recipient"] == party for g in n["listed"])
        assert seen == Counter(mine), party


def test_a_notice_counts_the_hubs_of_each_release_and_says_its_period(pilots):
    pilots.ok("tick", "--now", "2026-03-05T19:00")
    first, second = [n for n in _told(pilots) if n["recipient"] == "OCTO"]
    assert "Release 1 (EDMI-CHF-420), now on firmware 00020204: 2 hubs" in first["body"]
    assert "Release 2 (EDMI-CHF-420), now on firmware 00020204: 2 hubs" in first["body"]
    assert first["release"] is None  # it spans two releases
    assert {r[2] for r in first["rows"].values()} == {1, 2}
    assert "up to 2026-03-04 18:00 GMT" in first["body"]  # the very first takes in everything before
    assert "Release 1 (EDMI-CHF-420), now on firmware 00020204: 1 hub\n" in second["body"]
    assert "Release 2" not in second["body"] and second["release"] == 1
    assert "from 2026-03-04 18:00 GMT to 2026-03-05 18:00 GMT" in second["body"]
    assert str(second["attachment"]).endswith("-octo-activations-confirmed-2026-03-05.xlsx")


def test_a_split_supply_hub_reaches_both_its_suppliers_and_neither_learns_who_the_other_is(pilots):
    pilots.ok("tick", "--now", "2026-03-09T09:00")
    told = _told(pilots)
    for party, other, role in (("OCTO", "BGAS", "Import"), ("BGAS", "OCTO", "Gas")):
        mine = [n for n in told if n["recipient"] == party]
        rows = {g: r for n in mine for g, r in n["rows"].items()}
        assert {g: (rows[g][1], rows[g][5]) for g in SPLIT} == dict.fromkeys(SPLIT, (role, "Yes"))
        if party == "OCTO":
            assert {rows[g][1:6:4] for g in BOTH_NORTH + OLDER_HUBS} == {("Import and Gas", "No")}
        for n in mine:
            text = eml_text(str(n["file"]))
            assert other not in text, n["subject"]
            if set(n["listed"]) & set(SPLIT):
                assert "shared with another supplier" in str(n["body"])


def test_the_hubs_current_supplier_is_told_not_the_one_at_notice_time(pilots):
    pilots.ok("tick", "--now", "2026-03-03T09:00")
    changed = [[*row[:5], "SPWR", row[6]] if row[0] == EDFE_HUBS[0] else row for row in ESTATE]
    pilots.ok("import-estate", str(write_csv(pilots.tmp / "refresh.csv", changed)))
    pilots.ok("tick", "--now", "2026-03-05T09:00")
    told = {n["recipient"]: n for n in _told(pilots)}
    assert told["EDFE"]["listed"] == [EDFE_HUBS[1]]
    assert told["SPWR"]["listed"] == [EDFE_HUBS[0]]
    assert told["SPWR"]["rows"][EDFE_HUBS[0]][1] == "Import"
    assert "EDFE" not in eml_text(str(told["SPWR"]["file"]))


def _close_console_until(cli: Cli, when: str) -> None:
    """The console is shut: the clock moves on and nothing runs, as if no one ticked."""
    at = datetime.fromisoformat(when).replace(tzinfo=LONDON).astimezone(UTC).isoformat()
    with sqlite3.connect(cli.url.removeprefix("sqlite:///")) as db:
        db.execute("UPDATE setting SET value = ? WHERE key = 'simulated_now'", (at,))


def test_a_console_closed_for_days_sends_one_notice_per_supplier_for_the_whole_gap(cli):
    # Release 1's hubs hold the image by 4 March and activate at DCC's time, 6 March 12:00.
    _pilots(cli, "--activate-at", "2026-03-06T12:00", network=())
    cli.ok("tick", "--now", "2026-03-04T19:00")
    assert [(n["recipient"], set(n["listed"])) for n in _told(cli)] == [("OCTO", set(OLDER_HUBS))]
    _close_console_until(cli, "2026-03-09T10:00")
    cli.ok("tick")  # DCC learns of the week's confirmations only now: they are told at six today
    assert len(_told(cli)) == 1
    cli.ok("tick", "--now", "2026-03-09T19:00")
    late = _told(cli)[1:]
    assert sorted(n["recipient"] for n in late) == ["BGAS", "EDFE", "OCTO"]
    for n in late:
        assert _day(n["created_at"]) == "2026-03-09"
        assert "from 2026-03-04 18:00 GMT to 2026-03-09 18:00 GMT" in str(n["body"])
        assert str(n["subject"]).endswith("2026-03-05 to 2026-03-09")
    assert {n["recipient"]: set(n["listed"]) for n in late} == {
        "OCTO": set(BOTH_NORTH + SPLIT), "BGAS": set(SPLIT), "EDFE": set(EDFE_HUBS)}
    cli.ok("tick", "--now", "2026-03-14T09:00")
    assert len(_told(cli)) == 4  # nothing told twice


def test_a_long_tick_sends_each_days_notices_once_on_their_day(cli):
    _pilots(cli, "--activate-at", "2026-03-06T12:00", network=())
    cli.ok("tick", "--now", "2026-03-14T09:00")
    told = _told(cli)
    assert [(n["recipient"], _day(n["created_at"])) for n in told] == [
        ("OCTO", "2026-03-04"), ("BGAS", "2026-03-06"), ("EDFE", "2026-03-06"), ("OCTO", "2026-03-06")]
    cli.ok("tick", "--now", "2026-03-16T09:00")
    assert len(_told(cli)) == 4


def test_no_activation_means_no_notice(cli):
    # Every distribution fails, so no hub is ever activated.
    _pilots(cli, network=("distribution_failure=1",))
    cli.ok("tick", "--now", "2026-03-10T09:00")
    assert cli.ok_json("pilot", "show", "1")["counts"] == {"FAILED": 8}
    assert notices(cli, KIND) == []


def test_hubs_confirmed_at_the_same_instant_are_each_listed_once(pilots, monkeypatch):
    pilots.ok("tick", "--now", "2026-03-04T19:00")
    (octo,) = [n for n in _told(pilots) if n["recipient"] == "OCTO"]
    with sqlite3.connect(pilots.url.removeprefix("sqlite:///")) as db:
        db.execute("UPDATE release_hub SET activated_at = (SELECT MIN(activated_at) FROM release_hub) "
                   "WHERE activated_at IS NOT NULL")
    monkeypatch.setattr(activation_notices, "PAGE", 2)
    again = pilots.tmp / "again.xlsx"
    db = Database(pilots.url)
    try:
        with db.reading() as s:
            ref = s.scalar(text("SELECT attachment_ref FROM notice WHERE id = :n"), {"n": octo["id"]})
            assert activation_notices.workbook(s, int(ref), "OCTO", again) == 4
    finally:
        db.dispose()
    _, rows = sheet_rows(again)
    assert sorted(str(r[0]) for r in rows) == sorted(octo["listed"])


def test_the_daily_notices_on_postgresql(pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # a shared database's outbox
    monkeypatch.setattr(activation_notices, "PAGE", 1)
    pg = Cli(pg_url, tmp_path)
    pg.ok("init", "--clock", "simulated", "--start", "2026-03-02T09:00")
    _pilots(pg)
    pg.ok("tick", "--now", "2026-03-05T19:00")
    told = [(n["recipient"], _day(n["created_at"]), sorted(n["rows"])) for n in _told(pg)]
    assert told == [("EDFE", "2026-03-04", sorted(EDFE_HUBS)),
                    ("OCTO", "2026-03-04", sorted([*BOTH_NORTH[:2], *OLDER_HUBS])),
                    ("OCTO", "2026-03-05", [BOTH_NORTH[2]])]
