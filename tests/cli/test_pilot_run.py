"""R2 from the outside, part two: running the pilot, its notices, the gate and the report.

The simulated network answers on the simulated clock: distribution takes two days unless
a test says otherwise, and `tick --now` moves the clock and lets everything due happen.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from chc_helpers import (
    NEW,
    OLD,
    Cli,
    audit_actions,
    counts,
    eml_attachments,
    eml_body,
    guid,
    hubs,
    nominated,
    notices,
    pilot_release,
    place,
    reliable_network,
    report_dicts,
    supplier_files,
    workbook_text,
)
from openpyxl import load_workbook

from chconsole.core.pilots.reports import PILOT_COLUMNS
from chconsole.core.rollout.network import FAILURE_REASONS

# The pilot: OCTO's four North hubs and one North hub it shares with BGAS (gas), both
# nominating it. Everything else is the safe launch group.
ESTATE = [
    *hubs(1, 4, "North", "OCTO", "OCTO"),
    *hubs(5, 4, "Central", "OCTO", "OCTO"),
    *hubs(10, 2, "North", "OCTO", "BGAS"),
    *hubs(20, 4, "South", "EDFE"),
    *hubs(30, 4, "South", "OCTO", "OCTO"),
]
PILOT = [guid(n) for n in (1, 2, 3, 4, 10)]
SAFE = [guid(n) for n in (5, 6, 7, 8, 11, 20, 21, 22, 23, 30, 31, 32, 33)]
NAMES = {"OCTO": "Octopus Energy", "BGAS": "British Gas", "EDFE": "EDF Energy"}
START = "2026-03-02T09:00:00+00:00"  # the fixture's clock; distribution takes two days


def _nominate_pilot(cli: Cli, *release_words: str) -> Cli:
    pilot_release(cli, ESTATE, *release_words)
    nominated(cli, 1, "OCTO", PILOT)
    nominated(cli, 1, "BGAS", [guid(10)])
    return cli


@pytest.fixture
def pilot(cli: Cli) -> Cli:
    """Release 1 notified (deployment date six months on), its pilot of five nominated."""
    return _nominate_pilot(cli)


def _states(cli: Cli, guids: list[str]) -> dict[str, str]:
    return {g: str(place(cli, g)["state"]) for g in guids}


def _all(cli: Cli, guids: list[str], **expected: object) -> None:
    for g in guids:
        shown = place(cli, g)
        assert {k: shown[k] for k in expected} == expected, g


# -- starting ----------------------------------------------------------------------------------

def test_only_a_release_manager_may_start_the_pilot(pilot):
    pilot.ok("user", "add", "olive", "--role", "operator")
    r = pilot("pilot", "start", "1", actor="olive")
    assert r.status == 3 and "release-manager" in r.err
    assert pilot.ok_json("release", "show", "1")["state"] == "NOTIFIED"
    assert notices(pilot, "PILOT_START") == []
    _all(pilot, PILOT, state="SCHEDULED", group="pilot")
    r = pilot("pilot", "conclude", "1", "--decision", "stop", "--commentary", "x", actor="olive")
    assert r.status == 3


def test_the_start_sends_distribution_at_once_and_the_firmware_changes_only_on_activation(pilot):
    reliable_network(pilot)
    shown = pilot.ok_json("pilot", "start", "1")
    assert (shown["state"], shown["release_state"], shown["started_at"]) == ("RUNNING", "PILOT_RUNNING", START)
    assert shown["counts"] == {"DISTRIBUTING": 5}
    _all(pilot, PILOT, state="DISTRIBUTING", group="pilot", firmware_version=OLD)
    _all(pilot, SAFE, state="ELIGIBLE", group="safe_launch")

    pilot.ok("tick", "--now", "2026-03-04T09:00")  # the images arrive; activation goes out at once
    _all(pilot, PILOT, state="ACTIVATION_PENDING", planned_activation="2026-03-04T09:00:00+00:00",
         firmware_version=OLD)
    pilot.ok("tick", "--now", "2026-03-04T10:00")  # every hub has confirmed
    _all(pilot, PILOT, state="ACTIVATED", firmware_version=NEW)
    _all(pilot, SAFE, state="ELIGIBLE", firmware_version=OLD)
    assert counts(pilot) == {"ACTIVATED": 5, "ELIGIBLE": 13}
    shown = pilot.ok_json("pilot", "show", "1")
    assert shown["counts"] == {"ACTIVATED": 5} and shown["finished_at"] is not None
    assert shown["state"] == "RUNNING"  # finished, but only DCC concludes it


def test_an_activation_time_set_by_dcc_is_kept_and_may_not_pass_the_deployment_date(pilot):
    reliable_network(pilot)
    r = pilot("pilot", "start", "1", "--activate-at", "2026-12-01T09:00")
    assert r.status == 2 and "deployment" in r.err
    r = pilot("pilot", "start", "1", "--activate-at", "2026-03-01T09:00")
    assert r.status == 2 and "passed" in r.err
    assert pilot.ok_json("release", "show", "1")["state"] == "NOTIFIED"
    pilot.ok("pilot", "start", "1", "--activate-at", "2026-03-06T12:00")
    pilot.ok("tick", "--now", "2026-03-06T11:00")  # images held since the 4th; not yet the time
    _all(pilot, PILOT, state="ACTIVATION_PENDING", planned_activation="2026-03-06T12:00:00+00:00",
         firmware_version=OLD)
    pilot.ok("tick", "--now", "2026-03-06T13:00")
    _all(pilot, PILOT, state="ACTIVATED", firmware_version=NEW)


@pytest.mark.parametrize(("setting", "reason"), [
    ("distribution_failure=1", "DISTRIBUTION_FAILED"),
    ("activation_failure=1", "ACTIVATION_FAILURE"),
    ("hash_mismatch=1", "HASH_MISMATCH"),
])
def test_a_hub_that_fails_is_failed_with_its_reason(pilot, setting, reason):
    reliable_network(pilot, setting)
    pilot.ok("pilot", "start", "1")
    pilot.ok("tick", "--now", "2026-03-05T09:00")
    _all(pilot, PILOT, state="FAILED", reason=reason, firmware_version=OLD)
    shown = pilot.ok_json("pilot", "show", "1")
    assert shown["counts"] == {"FAILED": 5}
    assert sorted((f["guid"], f["reason"]) for f in shown["failures"]) == [(g, reason) for g in PILOT]


def test_home_area_network_trouble_after_activation_is_reported(pilot):
    reliable_network(pilot, "faulty_firmware=1.0")
    pilot.ok("pilot", "start", "1")
    pilot.ok("tick", "--now", "2026-03-04T10:00")
    _all(pilot, PILOT, state="ACTIVATED", firmware_version=NEW)
    assert pilot.ok_json("pilot", "show", "1")["han_trouble"] == 5
    out = pilot.tmp / "octo.xlsx"
    pilot.ok("export", "pilot", "--supplier", "OCTO", "--release", "1", "--out", str(out))
    assert {g: r["HAN trouble reported"] for g, r in report_dicts(out).items()} == dict.fromkeys(PILOT, "Yes")


def test_a_hub_that_never_answers_fails_with_no_response_after_24_hours(pilot):
    pilot.ok("network", "set", "distribution_failure=0", "activation_failure=0", "no_response=1")
    pilot.ok("pilot", "start", "1")
    pilot.ok("tick", "--now", "2026-03-05T08:59")  # activation sent 2026-03-04 09:00
    _all(pilot, PILOT, state="ACTIVATION_PENDING", firmware_version=OLD)
    pilot.ok("tick", "--now", "2026-03-05T09:00")
    _all(pilot, PILOT, state="FAILED", reason="NO_RESPONSE", firmware_version=OLD)


def test_a_second_tick_at_the_same_time_changes_nothing(pilot):
    reliable_network(pilot)
    pilot.ok("pilot", "start", "1")
    pilot.ok("tick", "--now", "2026-03-04T09:00")
    before = (notices(pilot), pilot.ok_json("release", "show", "1"), audit_actions(pilot),
              _states(pilot, PILOT + SAFE))
    assert before[1]["counts"]["ACTIVATION_PENDING"] == 5  # the first tick did move hubs on
    pilot.ok("tick", "--now", "2026-03-04T09:00")
    after = (notices(pilot), pilot.ok_json("release", "show", "1"), audit_actions(pilot),
             _states(pilot, PILOT + SAFE))
    assert after[0] == before[0]
    assert after[1] == before[1]
    assert after[2] == [*before[2], "tick"]  # only the tick's own entry
    assert after[3] == before[3]
    pilot.ok("tick")  # and a tick without --now, at the same time, records nothing at all
    assert audit_actions(pilot) == after[2] and notices(pilot) == after[0]


# -- notices -----------------------------------------------------------------------------------

def test_the_start_is_told_to_the_pilot_suppliers_and_the_csps_of_their_regions(pilot):
    pilot.ok("pilot", "start", "1")
    starts = {n["recipient"]: n for n in notices(pilot, "PILOT_START")}
    # EDFE has no pilot hub; TELEFONICA runs no region with one (the pilot is all North).
    assert sorted(starts) == ["ARQIVA", "BGAS", "OCTO"]
    assert "5 of your hubs" in str(starts["OCTO"]["subject"])
    assert "1 of your hubs" in str(starts["BGAS"]["subject"])
    assert "5 hubs in your regions" in str(starts["ARQIVA"]["subject"])
    assert all(n["created_at"] == START for n in starts.values())
    mine = report_dicts(next(iter(eml_attachments(starts["BGAS"]["file"]).values())))
    assert list(mine) == [guid(10)]


def test_progress_goes_out_each_day_at_17_london_while_the_pilot_has_hubs_in_flight(pilot):
    reliable_network(pilot)
    pilot.ok("pilot", "start", "1")
    pilot.ok("tick", "--now", "2026-03-02T16:59")
    assert notices(pilot, "PILOT_PROGRESS") == []
    pilot.ok("tick", "--now", "2026-03-02T17:00")
    progress = notices(pilot, "PILOT_PROGRESS")
    # The suppliers with pilot hubs, and the CSP of the pilot's region (North: Arqiva).
    assert sorted(n["recipient"] for n in progress) == ["ARQIVA", "BGAS", "OCTO"]
    csp = next(n for n in progress if n["recipient"] == "ARQIVA")
    body = Path(csp["file"]).read_text()
    assert "DISTRIBUTING" in body and "OCTO" not in body and "BGAS" not in body
    assert {n["created_at"] for n in progress} == {"2026-03-02T17:00:00+00:00"}
    octo = next(n for n in progress if n["recipient"] == "OCTO")
    rows = report_dicts(next(iter(eml_attachments(octo["file"]).values())))
    assert {g: r["State"] for g, r in rows.items()} == dict.fromkeys(PILOT, "DISTRIBUTING")

    pilot.ok("tick", "--now", "2026-03-04T17:00")  # every hub activated at 10:00 on the 4th
    octo = notices(pilot, "PILOT_PROGRESS", "OCTO")
    assert [n["created_at"] for n in octo] == [
        "2026-03-02T17:00:00+00:00", "2026-03-03T17:00:00+00:00", "2026-03-04T17:00:00+00:00"]
    assert "5 activated, 0 failed" in str(octo[-1]["subject"])
    rows = report_dicts(next(iter(eml_attachments(octo[-1]["file"]).values())))
    assert {g: r["State"] for g, r in rows.items()} == dict.fromkeys(PILOT, "ACTIVATED")
    pilot.ok("tick", "--now", "2026-03-07T18:00")  # finished and reported: quiet until the end
    assert len(notices(pilot, "PILOT_PROGRESS", "OCTO")) == 3


def test_progress_attaches_each_hubs_result_reason_and_commentary(pilot):
    # Quick images and a coin-toss distribution: some hubs fail, the rest activate by 17:00.
    pilot.ok("network", "set", "distribution_failure=0.5", "activation_failure=0", "no_response=0",
             "distribution_days=0.25")
    pilot.ok("pilot", "start", "1")
    pilot.ok("pilot", "comment", "1", "--text", "Pilot under way in the North.")
    pilot.ok("pilot", "comment", "1", "--guid", guid(10).lower(), "--text", "Engineer visit booked.")
    pilot.ok("tick", "--now", "2026-03-02T17:00")
    octo = notices(pilot, "PILOT_PROGRESS", "OCTO")[-1]
    assert octo["created_at"] == "2026-03-02T17:00:00+00:00"
    rows = report_dicts(next(iter(eml_attachments(octo["file"]).values())))
    assert sorted(rows) == sorted(PILOT)
    shown = {g: place(pilot, g) for g in PILOT}
    assert {g: (r["State"], r["Failure reason"] or None) for g, r in rows.items()} == {
        g: (p["state"], p["reason"]) for g, p in shown.items()}
    assert {p["state"] for p in shown.values()} == {"ACTIVATED", "FAILED"}  # both kinds of result
    assert rows[guid(10)]["DCC commentary"] == "Engineer visit booked."
    body = eml_body(octo["file"])
    failed = [g for g, p in shown.items() if p["state"] == "FAILED"]
    assert all(f"{g}  DISTRIBUTION_FAILED" in body for g in failed)
    assert "Pilot under way in the North." in body
    assert f"{len(PILOT) - len(failed)} activated, {len(failed)} failed" in str(octo["subject"])


def test_a_progress_report_shows_the_pilot_as_it_stood_that_day_even_after_a_long_tick(pilot):
    reliable_network(pilot)
    pilot.ok("pilot", "start", "1")
    pilot.ok("tick", "--now", "2026-03-04T18:00")
    first = notices(pilot, "PILOT_PROGRESS", "OCTO")[0]
    assert first["created_at"] == "2026-03-02T17:00:00+00:00" and "0 activated" in str(first["subject"])
    rows = report_dicts(next(iter(eml_attachments(first["file"]).values())))
    assert {r["State"] for r in rows.values()} == {"DISTRIBUTING"}


def test_progress_time_follows_british_summer_time(cli):
    cli.ok("tick", "--now", "2026-04-01T09:00")  # BST since 29 March
    _nominate_pilot(cli)
    cli.ok("pilot", "start", "1")
    cli.ok("tick", "--now", "2026-04-01T18:00")
    assert {n["created_at"] for n in notices(cli, "PILOT_PROGRESS")} == {"2026-04-01T17:00:00+01:00"}


def test_the_end_notice_carries_the_decision_and_commentary_to_everyone_concerned(pilot):
    reliable_network(pilot)
    pilot.ok("pilot", "start", "1")
    pilot.ok("tick", "--now", "2026-03-04T10:00")
    words = "All five pilot hubs activated; no HAN trouble reported."
    shown = pilot.ok_json("pilot", "conclude", "1", "--decision", "proceed", "--commentary", words)
    assert (shown["state"], shown["decision"], shown["commentary"]) == ("CONCLUDED", "proceed", words)
    assert pilot.ok_json("release", "show", "1")["state"] == "PILOT_CONCLUDED"
    ends = {n["recipient"]: n for n in notices(pilot, "PILOT_END")}
    assert sorted(ends) == ["ARQIVA", "BGAS", "EDFE", "OCTO", "TELEFONICA"]
    for n in ends.values():
        body = eml_body(n["file"])
        assert "Decision: PROCEED" in body and words in body
    assert "ACTIVATED" in eml_body(ends["OCTO"]["file"])
    r = pilot("pilot", "conclude", "1", "--decision", "stop", "--commentary", "again")
    assert r.status == 2 and "PILOT_CONCLUDED" in r.err
    r = pilot("pilot", "start", "1")
    assert r.status == 2


def test_a_conclusion_needs_commentary(pilot):
    pilot.ok("pilot", "start", "1")
    r = pilot("pilot", "conclude", "1", "--decision", "proceed", "--commentary", "  ")
    assert r.status == 2 and "commentary" in r.err
    assert pilot.ok_json("pilot", "show", "1")["state"] == "RUNNING"
    assert notices(pilot, "PILOT_END") == []


# -- the gate ----------------------------------------------------------------------------------

def test_the_gate_holds_safe_launch_hubs_until_the_pilot_proceeds(cli):
    _nominate_pilot(cli, "--deployment-date", "2026-03-06T09:00")
    reliable_network(cli)
    cli.ok("pilot", "start", "1")
    cli.ok("tick", "--now", "2026-03-06T08:59")
    # In the DCC deployment date's batch since a lead time before it, but not distributed:
    # no safe-launch hub gets the image before the pilot's proceed decision.
    _all(cli, SAFE, state="SCHEDULED", planned_activation="2026-03-06T09:00:00+00:00")
    assert notices(cli, "SAFE_LAUNCH_HELD") == []

    cli.ok("tick", "--now", "2026-03-06T09:00")  # the DCC deployment date, pilot not concluded
    _all(cli, SAFE, state="HELD", reason="AWAITING_PILOT_DECISION", group="safe_launch", firmware_version=OLD)
    held = {n["recipient"]: n for n in notices(cli, "SAFE_LAUNCH_HELD")}
    assert sorted(held) == ["BGAS", "EDFE", "OCTO"]  # BGAS: its split hub 11; OCTO: 5-8, 11, 30-33
    assert "4 of your hubs are held" in str(held["EDFE"]["subject"])
    assert "9 of your hubs are held" in str(held["OCTO"]["subject"])
    assert cli.ok_json("pilot", "show", "1")["held"] == 13

    cli.ok("tick", "--now", "2026-03-12T09:00")  # long past the date: still nothing activated
    assert counts(cli) == {"ACTIVATED": 5, "HELD": 13}
    _all(cli, SAFE, state="HELD", firmware_version=OLD)
    assert len(notices(cli, "SAFE_LAUNCH_HELD")) == 3  # told once

    cli.ok("pilot", "conclude", "1", "--decision", "proceed", "--commentary", "Pilot clean.")
    # Their date has passed, so they go ahead at once: distribution, then activation.
    _all(cli, SAFE, firmware_version=OLD)
    assert "HELD" not in counts(cli)
    end = next(n for n in notices(cli, "PILOT_END") if n["recipient"] == "EDFE")
    assert "4 of your safe-launch hubs were held" in eml_body(end["file"])
    cli.ok("tick", "--now", "2026-03-16T09:00")  # the gate is open: nothing is held again
    assert counts(cli) == {"ACTIVATED": 18}
    _all(cli, SAFE, state="ACTIVATED", firmware_version=NEW)


def test_no_safe_launch_hub_is_held_before_the_deployment_date(pilot):
    reliable_network(pilot)
    pilot.ok("pilot", "start", "1")
    pilot.ok("tick", "--now", "2026-03-20T09:00")
    assert counts(pilot) == {"ACTIVATED": 5, "ELIGIBLE": 13}
    assert notices(pilot, "SAFE_LAUNCH_HELD") == []


def test_a_stop_decision_stops_the_release_and_cancels_every_open_hub(pilot):
    reliable_network(pilot)
    pilot.ok("pilot", "start", "1")
    pilot.ok("tick", "--now", "2026-03-04T09:00")  # activation commands are out, not yet answered
    _all(pilot, PILOT, state="ACTIVATION_PENDING")
    pilot.ok("pilot", "conclude", "1", "--decision", "stop", "--commentary", "HAN trouble on two hubs.")
    assert pilot.ok_json("release", "show", "1")["state"] == "STOPPED"
    assert counts(pilot) == {"CANCELLED": 18}
    pilot.ok("tick", "--now", "2026-03-08T09:00")  # the cancellations reached the network in time
    assert counts(pilot) == {"CANCELLED": 18}
    _all(pilot, PILOT + SAFE, state="CANCELLED", firmware_version=OLD, planned_activation=None)
    ends = {n["recipient"]: n for n in notices(pilot, "PILOT_END")}
    assert "Decision: STOP" in eml_body(ends["EDFE"]["file"])
    assert "HAN trouble on two hubs." in eml_body(ends["OCTO"]["file"])


# -- the pilot report --------------------------------------------------------------------------

def test_the_pilot_report_shows_only_the_suppliers_own_hubs_and_never_names_the_other(cli):
    pilot_release(cli, ESTATE)
    for party, name in NAMES.items():
        cli.ok("party", "set", party, "--name", name)
    nominated(cli, 1, "OCTO", [guid(1), guid(2), guid(10), guid(11)])
    nominated(cli, 1, "BGAS", [guid(10)])  # hub 11 waits for BGAS
    reports = {}
    for party in ("OCTO", "BGAS", "EDFE"):
        out = cli.tmp / f"{party}.xlsx"
        r = cli.ok_json("export", "pilot", "--supplier", party.lower(), "--release", "1", "--out", str(out))
        reports[party] = (out, r["rows"])

    out, rows = reports["OCTO"]
    book = load_workbook(out)
    sheet = book.worksheets[0]
    header_row = next(r for r in range(1, 30) if sheet.cell(r, 1).value == "GUID")
    assert [c.value for c in sheet[header_row]] == [c.title for c in PILOT_COLUMNS]
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert str(sheet.auto_filter.ref).startswith(f"A{header_row}:")
    octo = report_dicts(out)
    assert rows == 4 and sorted(octo) == [guid(1), guid(2), guid(10), guid(11)]
    assert {g: (h["Split supply"], h["Other supplier nominated"], h["State"]) for g, h in octo.items()} == {
        guid(1): ("No", "-", "SCHEDULED"), guid(2): ("No", "-", "SCHEDULED"),
        guid(10): ("Yes", "Yes", "SCHEDULED"), guid(11): ("Yes", "Not yet", "AWAITING_OTHER_SUPPLIER")}
    assert "BGAS" not in workbook_text(out) and "British Gas" not in workbook_text(out)

    out, rows = reports["BGAS"]
    bgas = report_dicts(out)
    assert rows == 2 and {g: (h["Your role"], h["Other supplier nominated"]) for g, h in bgas.items()} == {
        guid(10): ("Gas", "Yes"), guid(11): ("Gas", "Yes")}  # hub 11: OCTO asked, BGAS may consent
    assert "OCTO" not in workbook_text(out) and "Octopus" not in workbook_text(out)
    assert reports["EDFE"][1] == 0


def test_nothing_any_supplier_receives_names_another_supplier(cli):
    for party, name in NAMES.items():
        cli.ok("party", "set", party, "--name", name)
    _nominate_pilot(cli, "--deployment-date", "2026-03-05T09:00")
    nominated(cli, 1, "OCTO", [guid(20), guid(11)])  # EDFE's hub: NOT_RESPONSIBLE; 11 waits for BGAS
    nominated(cli, 1, "EDFE", [guid(10)])  # OCTO and BGAS's hub
    cli.ok("network", "set", "distribution_failure=0.3")
    cli.ok("pilot", "start", "1")  # hub 11 is dropped: OCTO told
    cli.ok("pilot", "comment", "1", "--text", "Going well.")
    cli.ok("tick", "--now", "2026-03-06T18:00")  # progress, the gate holds
    cli.ok("pilot", "conclude", "1", "--decision", "proceed", "--commentary", "Proceed as planned.")
    kinds = {str(n["kind"]) for n in notices(cli)}
    assert kinds >= {"RELEASE_NOTICE", "NOMINATION_RECEIPT", "PILOT_CONSENT", "PILOT_START",
                     "PILOT_PROGRESS", "SAFE_LAUNCH_HELD", "PILOT_END"}
    for party in NAMES:
        files = supplier_files(cli, party)
        assert len(files) >= 5 and any(f.endswith(".xlsx") for f in files)
        for file, text in files.items():
            assert party in text, file
            for other, other_name in NAMES.items():
                if other != party:
                    assert other not in text and other_name not in text, (party, file, other)


# -- size --------------------------------------------------------------------------------------

def test_a_pilot_of_300_hubs_runs_to_completion_with_the_default_rates(cli):
    rows = [*hubs(1, 100, "North", "OCTO", "OCTO"), *hubs(101, 100, "Central", "OCTO", "OCTO"),
            *hubs(201, 100, "South", "OCTO", "OCTO"), *hubs(301, 50, "South", "OCTO", "OCTO")]
    pilot_release(cli, rows)
    r = cli.ok_json("pilot", "nominate", "1", "--supplier", "OCTO", "--rule", "spread=regions")
    assert r["accepted"] == 300  # no count: as many as the cap allows
    defaults = {f["name"]: f["value"] for f in cli.ok_json("network", "show")}
    assert defaults["Distribution failure rate"] == "1.0%"
    cli.ok("pilot", "start", "1")
    cli.ok("tick", "--now", "2026-03-07T09:00")
    shown = cli.ok_json("pilot", "show", "1")
    assert set(shown["counts"]) <= {"ACTIVATED", "FAILED"}
    assert sum(shown["counts"].values()) == 300 and shown["counts"]["ACTIVATED"] > 270
    assert shown["finished_at"] is not None
    assert {f["reason"] for f in shown["failures"]} <= set(FAILURE_REASONS)
    assert len(shown["failures"]) == shown["counts"].get("FAILED", 0)
    assert Counter(counts(cli)) == Counter({**shown["counts"], "ELIGIBLE": 50})
