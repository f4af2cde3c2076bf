"""R5 dashboards: each actor's upgrades in flight, outstanding actions with the time left,
and the next dates of the others, on a simulated clock, built through the command line.

The release is notified on 2 March 2026 at 09:00 GMT; its DCC date is 2 September 2026
09:00 BST and its instruction cut-off 2 August 2026 09:00 BST. OCTO and BGAS share hubs
1-4 (North), OCTO alone has 5-8 (Central), EDFE alone 9-12 (South), EDFE and OCTO share
13-14 (South).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from chc_helpers import (
    Cli,
    guid,
    guid_list,
    hubs,
    nominated,
    pilot_release,
    reliable_network,
    workbook_text,
)
from sqlalchemy import event

from chconsole.core.bootstrap import open_engine
from chconsole.core.dashboards import actions
from chconsole.core.dashboards.dashboard import DCC, PANEL, SUPPLIER, Viewer, time_left
from chconsole.core.dashboards.facts import Facts, IncidentFacts, ReleaseFacts
from chconsole.core.storage import clock
from chconsole.core.vocabulary.london import parse_time

ESTATE = [
    *hubs(1, 4, "North", "OCTO", "BGAS"),
    *hubs(5, 4, "Central", "OCTO"),
    *hubs(9, 4, "South", "EDFE"),
    *hubs(13, 2, "South", "EDFE", "OCTO"),
]
NAMES = {"OCTO": "Octave Energy", "BGAS": "Britannic Gas", "EDFE": "EDF Energy"}
CUT_OFF = "2026-08-02T09:00:00+01:00"
DCC_DATE = "2026-09-02T09:00:00+01:00"


@pytest.fixture
def release(cli: Cli) -> Cli:
    pilot_release(cli, ESTATE)
    for party, name in NAMES.items():
        cli.ok("party", "set", party, "--name", name)
    reliable_network(cli)
    return cli


def board(cli: Cli, *who: str) -> dict:
    shown = cli.ok_json("dashboard", *who)
    assert isinstance(shown, dict)
    return shown


def kinds(shown: dict) -> dict[str, dict]:
    return {a["kind"]: a for a in shown["actions"]}


def others(shown: dict) -> dict[str, dict]:
    return {o["actor"]: o for o in shown["others"]}


def instruct(cli: Cli, supplier: str, guids: list[str], at: str) -> None:
    path = guid_list(cli.tmp / f"instruction-{supplier}-{len(guids)}.csv", guids)
    cli.ok("instruct", "1", "--supplier", supplier, "--file", str(path), "--activate-at", at)


def move_clock(cli: Cli, when: str) -> None:
    """The console and its scheduler were closed while time passed: nobody ticked."""
    engine = open_engine(cli.url, "alice")
    with engine.db.writing() as s:
        clock.set_simulated_now(s, parse_time(when))
    engine.db.dispose()


def test_time_left_reads_as_a_person_would() -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert time_left(now + timedelta(days=3, hours=4, minutes=10), now) == "3 days 4 hours left"
    assert time_left(now + timedelta(days=1), now) == "1 day left"
    assert time_left(now + timedelta(hours=2, minutes=5), now) == "2 hours 5 minutes left"
    assert time_left(now + timedelta(minutes=45), now) == "45 minutes left"
    assert time_left(now - timedelta(hours=2), now) == "overdue by 2 hours"
    assert time_left(now - timedelta(days=1, minutes=1), now) == "overdue by 1 day"
    assert time_left(now + timedelta(seconds=20), now) == "due now"


def test_a_supplier_may_nominate_and_has_until_the_cut_off_to_instruct(release: Cli) -> None:
    shown = board(release, "--supplier", "octo")
    assert shown["viewer"]["label"] == "Octave Energy (OCTO)"
    (card,) = shown["releases"]
    assert (card["id"], card["title"], card["state"]) == (1, "EDMI-CHF-420 \u2192 00020204", "NOTIFIED")
    assert (card["deployment_date"], card["cut_off"], card["hubs"]) == (DCC_DATE, CUT_OFF, 10)
    assert card["counts"] == {"ELIGIBLE": 10} and card["scope"] == "your hubs"
    mine = kinds(shown)
    assert mine["instruct"]["due"] == CUT_OFF
    assert mine["instruct"]["left"] == "152 days 23 hours left"  # the clocks go forward on 29 March
    assert mine["instruct"]["hubs"] == 10
    assert mine["nominate"]["due"] is None and mine["nominate"]["left"] == "until DCC starts the pilot"
    assert "up to 300 of your 10 eligible hubs" in mine["nominate"]["what"]
    assert others(shown)["Other suppliers"]["what"] == "instruction cut-off of release 1"
    assert others(shown)["DCC"]["due"] == DCC_DATE


def test_split_supply_consents_are_owed_without_naming_the_other_supplier(release: Cli) -> None:
    nominated(release, 1, "OCTO", [guid(1), guid(2)])
    instruct(release, "OCTO", [guid(3), guid(4)], "2026-06-01T09:00")
    shown = board(release, "--supplier", "BGAS")
    owed = kinds(shown)
    assert owed["consent-nomination"]["what"] == ("2 split-supply hubs wait for your pilot nomination; "
                                                  "another supplier has nominated them")
    assert owed["consent-nomination"]["left"] == "until DCC starts the pilot"
    assert owed["consent-instruction"]["what"] == ("2 split-supply hubs wait for your instruction; "
                                                   "another supplier has instructed them")
    assert (owed["consent-instruction"]["due"], owed["consent-instruction"]["hubs"]) == (CUT_OFF, 2)
    assert "instruct" not in owed  # every BGAS hub is shared, and each waits for BGAS now
    octo = board(release, "--supplier", "OCTO")
    assert octo["releases"][0]["instructions"] == "1 instruction received: 2 hubs accepted, 0 refused"
    assert octo["releases"][0]["next_activation"] == "2026-06-01T09:00:00+01:00"
    assert kinds(octo)["instruct"]["hubs"] == 6  # hubs 5-8, 13 and 14 are not yet scheduled
    assert "consent-nomination" not in kinds(octo)  # OCTO owes nothing: it is BGAS's turn


def test_dcc_starts_the_pilot_then_concludes_it_and_nominations_close(release: Cli) -> None:
    nominated(release, 1, "OCTO", [guid(5), guid(6), guid(7), guid(8)])
    dcc = kinds(board(release))
    assert dcc["start-pilot"]["what"] == "Start the pilot of release 1: 4 hubs have joined it"
    assert dcc["start-pilot"]["due"] == DCC_DATE and dcc["start-pilot"]["left"] == "183 days 23 hours left"
    release.ok("pilot", "start", "1")
    telefonica = board(release, "--csp", "telefonica")
    flying = kinds(telefonica)["distribute"]
    assert flying["what"] == ("Deliver the firmware image to 4 hubs being distributed in Central; each "
                              "activates as soon as it holds the image")
    assert flying["left"] == "under way now"
    assert others(board(release))["CSPs"]["left"] == "under way now"
    assert "distribute" not in kinds(board(release, "--csp", "arqiva"))  # North has no pilot hub
    assert "nominate" not in kinds(board(release, "--supplier", "EDFE"))  # the pilot has started
    release.ok("tick", "--now", "2026-03-06T09:00")
    shown = board(release)
    conclude = kinds(shown)["conclude-pilot"]
    assert conclude["what"] == "Conclude the pilot of release 1: every pilot hub has finished"
    assert conclude["hubs"] == 4 and conclude["due"] == DCC_DATE
    assert shown["releases"][0]["pilot"] == ("Every pilot hub has finished (4 of 4 activated, 0 failed): "
                                             "awaiting DCC's decision")
    dcc_next = others(board(release, "--supplier", "EDFE"))["DCC"]  # the DCC date's batch comes first
    assert (dcc_next["what"], dcc_next["due"]) == ("a batch of release 1 starts distribution",
                                                   "2026-08-26T09:00:00+01:00")
    release.ok("pilot", "conclude", "1", "--decision", "proceed", "--commentary", "All well.")
    assert "conclude-pilot" not in kinds(board(release))


def test_an_overdue_batch_is_an_outstanding_dcc_action_with_the_time_it_is_late(release: Cli) -> None:
    release.ok("batch", "create", "1", "--rule", "region=South", "--activate-at", "2026-04-01T09:00",
               "--name", "South wave")
    assert "overdue-batch" not in kinds(board(release))
    move_clock(release, "2026-03-25T12:00")  # due from 08:00; nothing ran until noon
    release.ok("scheduler", "--once")
    shown = board(release)
    late = shown["actions"][0]
    assert late["kind"] == "overdue-batch" and late["overdue"] is True
    assert late["what"] == ("6 hubs were due at 2026-03-25 08:00 GMT (batch 'South wave'): "
                            "run it now or re-plan it")
    assert late["left"] == "overdue by 4 hours" and late["hubs"] == 6
    edfe = others(board(release, "--supplier", "EDFE"))["DCC"]
    assert (edfe["what"], edfe["left"], edfe["overdue"]) == ("an overdue batch of release 1",
                                                            "overdue by 4 hours", True)


def test_the_panel_has_no_decision_to_confirm_until_r6(release: Cli) -> None:
    shown = board(release, "--panel")
    assert shown["actions"] == []
    assert "No decision awaits the Panel's confirmation." in shown["notes"]
    assert [o["actor"] for o in shown["others"]] == ["DCC", "CSPs", "Suppliers"]
    assert shown["releases"][0]["counts"] == {"ELIGIBLE": 14}


def test_a_csp_sees_only_its_own_regions(release: Cli) -> None:
    arqiva = board(release, "--csp", "ARQIVA")
    assert arqiva["viewer"]["label"] == "Arqiva (CSP)"
    assert arqiva["releases"][0]["scope"] == "hubs in North"
    assert arqiva["releases"][0]["counts"] == {"ELIGIBLE": 4}
    upcoming = kinds(arqiva)["upcoming-distribution"]
    assert upcoming["hubs"] == 4 and upcoming["due"] == "2026-08-26T09:00:00+01:00"  # DCC date less 7 days
    telefonica = board(release, "--csp", "TELEFONICA")
    assert telefonica["releases"][0]["scope"] == "hubs in Central and South"
    assert telefonica["releases"][0]["hubs"] == 10
    assert "Other CSPs" in others(telefonica)


def test_no_supplier_ever_sees_another_suppliers_id_or_name(release: Cli, tmp_path: Path) -> None:
    """Screen (text and JSON) and exported workbook, with consents owed both ways, a pilot,
    an instruction and a DCC batch in play: a supplier only ever reads of "another supplier"."""
    nominated(release, 1, "OCTO", [guid(1), guid(5)])
    nominated(release, 1, "EDFE", [guid(13), guid(9)])
    instruct(release, "OCTO", [guid(3)], "2026-06-01T09:00")
    release.ok("batch", "create", "1", "--rule", "region=Central", "--activate-at", "2026-05-01T09:00",
               "--name", "DCC wave for OCTO")  # a batch name DCC chose may name a supplier
    for party in NAMES:
        texts = [release.ok("dashboard", "--supplier", party).out,
                 json.dumps(board(release, "--supplier", party))]
        out = tmp_path / f"{party}.xlsx"
        release.ok("export", "dashboard", "--supplier", party, "--out", str(out))
        texts.append(workbook_text(out))
        for other, name in NAMES.items():
            if other == party:
                continue
            for text in texts:
                assert other not in text and name not in text, (party, other)
    bgas = release.ok("dashboard", "--supplier", "BGAS").out
    assert "1 split-supply hub waits for your pilot nomination; another supplier has nominated it" in bgas


def test_a_dashboard_reads_no_hub_rows(release: Cli) -> None:
    """Its refresh costs the same for 15 million hubs as for 14: no query touches hub or release_hub."""
    nominated(release, 1, "OCTO", [guid(5)])
    engine = open_engine(release.url, "alice")
    seen: list[str] = []
    event.listen(engine.db.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_rest: seen.append(statement.lower()))
    for viewer in engine.dashboards.viewers():
        engine.dashboards.build(viewer)
    engine.db.dispose()
    assert seen
    touched = [s for s in seen if "release_hub" in s or " hub " in s or "from hub" in s or "join hub" in s]
    assert touched == []


# -- incidents and suspensions: no command creates them yet (R6), so the facts are given -----------
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _facts(state: str = "NOTIFIED", incidents: tuple[IncidentFacts, ...] = ()) -> Facts:
    r = ReleaseFacts(
        id=7, state=state, model="EDMI-CHF-420", to_version="00020204",
        deployment_date=NOW + timedelta(days=180), cut_off=NOW + timedelta(days=150), notified_at=NOW,
        lead_days=7, pilot_cap=300, pilot=None, batches=(), instructions=(), nominators=frozenset(),
        tallies={"state": {"ELIGIBLE": 5}, "supplier_state": {"OCTO|ELIGIBLE": 3, "BGAS|ELIGIBLE": 2}},
        incidents=incidents, progress=())
    return Facts(NOW, (r,), dict(NAMES), {p: "supplier" for p in NAMES}, {"North": "ARQIVA"})


def test_dcc_triages_open_incidents_and_an_emergency_stop_request_comes_first() -> None:
    facts = _facts(incidents=(
        IncidentFacts(3, "OCTO", NOW - timedelta(hours=3), False, "High", "OPEN"),
        IncidentFacts(4, "BGAS", NOW - timedelta(minutes=20), True, "High", "OPEN"),
        IncidentFacts(5, "BGAS", NOW - timedelta(days=1), False, "High", "TRIAGED"),
    ))
    found = actions.of(facts, facts.releases, DCC, None)
    triage = [a for a in found if a.kind == "triage"]
    assert [a.what for a in triage] == [
        "Triage incident 4 on release 7, raised by Britannic Gas (High priority). It asks for an emergency stop.",
        "Triage incident 3 on release 7, raised by Octave Energy (High priority).",
    ]
    assert [a.left for a in triage] == ["raised 20 minutes ago", "raised 3 hours ago"]
    assert triage[0].urgent and not triage[1].urgent
    assert {a.summary for a in triage} == {"the triage of an incident on release 7"}


def test_a_suspended_release_awaits_the_panel() -> None:
    from chconsole.core.dashboards.dashboard import next_dates  # a rule of what each viewer learns

    facts = _facts(state="SUSPENDED")
    (pending,) = actions.of(facts, facts.releases, PANEL, None)
    assert pending.what == "Release 7 is suspended (emergency stop) pending the Panel's decision"
    assert pending.left == "pending the Panel"
    dates = {d.actor: d for d in next_dates(facts, list(facts.releases), Viewer(SUPPLIER, "OCTO"))}
    assert dates["SEC Panel"].what == "a decision on release 7"
