"""R6 from the outside, part two: DCC's triage and what each outcome does once the Panel
confirms it, and the decision notices each supplier receives.

Release 1 is notified on 4 January 2027 09:00 (DCC date 4 July 2027 09:00 BST, cut-off 4 June).
OCTO's pilot hub 1 is activated and the pilot concluded with proceed. OCTO instructed hubs 2
and 3 for 1 February 10:00 (distribution from 25 January); DCC batched EDFE's hubs 21 and 22
for 20 January 10:00. On 19 January 10:00, when EDFE reports an incident, those two
activations wait at the network. pat is the Panel secretary, bob a release manager.
"""

from __future__ import annotations

from typing import Any

import pytest
from chc_helpers import (
    NEW,
    OLD,
    Cli,
    counts,
    eml_body,
    guid,
    guid_list,
    hubs,
    nominated,
    notices,
    pilot_release,
    place,
    reliable_network,
    supplier_files,
)

ESTATE = [
    *hubs(1, 4, "North", "OCTO", "OCTO"),
    *hubs(11, 4, "Central", "OCTO", "BGAS"),
    *hubs(21, 4, "South", "EDFE"),
]
NAMES = {"OCTO": "Octopus Energy", "BGAS": "British Gas", "EDFE": "EDF Energy"}
DCC_DATE, CUT_OFF = "2027-07-04T09:00:00+01:00", "2027-06-04T09:00:00+01:00"
NEW_DATE = "2027-09-01T09:00"
DESCRIPTION = "EDFE customers' in-home displays show no gas readings"


@pytest.fixture
def cli(tmp_path: Any) -> Cli:
    c = Cli(f"sqlite:///{tmp_path / 'c.db'}", tmp_path)
    c.ok("init", "--clock", "simulated", "--start", "2027-01-04T09:00")
    return c


@pytest.fixture
def deploying(cli: Cli) -> Cli:
    pilot_release(cli, ESTATE)
    reliable_network(cli)
    for party, name in NAMES.items():
        cli.ok("party", "set", party, "--name", name)
    for name, role in (("bob", "release-manager"), ("pat", "panel-secretary")):
        cli.ok("user", "add", name, "--role", role)
    nominated(cli, 1, "OCTO", [guid(1)])
    cli.ok("pilot", "start", "1")
    cli.ok("tick", "--now", "2027-01-08T09:00")
    cli.ok("pilot", "conclude", "1", "--decision", "proceed", "--commentary", "Pilot went well.")
    cli.ok("instruct", "1", "--supplier", "OCTO", "--file", str(guid_list(cli.tmp / "i.csv", [guid(2), guid(3)])),
           "--activate-at", "2027-02-01T10:00")
    cli.ok("batch", "create", "1", "--file", str(guid_list(cli.tmp / "b.csv", [guid(21), guid(22)])),
           "--activate-at", "2027-01-20T10:00")
    cli.ok("tick", "--now", "2027-01-19T10:00")
    assert counts(cli) == {"ACTIVATED": 1, "ACTIVATION_PENDING": 2, "SCHEDULED": 2, "ELIGIBLE": 7}
    cli.ok("incident", "raise", "1", "--supplier", "EDFE", "--description", DESCRIPTION)
    return cli


def decided(cli: Cli, outcome: str, *words: str, incident: int = 1, body: str = "panel") -> dict[str, Any]:
    """Triage INCIDENT to OUTCOME (bob) and record the Panel's confirmation (pat)."""
    cli.ok("incident", "triage", str(incident), "--outcome", outcome, *words, actor="bob")
    got = cli.ok_json("decision", "confirm", str(incident), "--by", "Ann Chair", "--body", body, actor="pat")
    assert isinstance(got, dict)
    return got


def release(cli: Cli) -> dict[str, Any]:
    got = cli.ok_json("release", "show", "1")
    assert isinstance(got, dict)
    return got


def batches(cli: Cli) -> dict[str, dict[str, Any]]:
    """Release 1's batches by kind and id: "dcc 3", "instructed 2", "deployment_date 1"."""
    got = cli.ok_json("batch", "list", "--release", "1")
    assert isinstance(got, list)
    return {f"{b['kind']} {b['id']}": b for b in got}


def decision_bodies(cli: Cli) -> dict[str, str]:
    return {str(n["recipient"]): eml_body(str(n["file"])) for n in notices(cli, "DECISION")}


# -- triage --------------------------------------------------------------------------------------

def test_triage_says_what_each_outcome_would_do_and_a_preview_changes_nothing(deploying: Cli) -> None:
    before = (release(deploying), deploying.ok_json("outbox", "list"), deploying.ok_json("incident", "show", "1"))
    for outcome in ("proceed", "pause", "stop"):
        got = deploying.ok_json("incident", "triage", "1", "--outcome", outcome, "--preview", actor="bob")
        assert isinstance(got, dict)
        assert (got["outcome"], got["preview"], got["hubs"], got["suppliers"], got["dates"]) == (
            outcome, True, 11, ["BGAS", "EDFE", "OCTO"], [])
    delay = deploying.ok_json("incident", "triage", "1", "--outcome", "delay", "--new-date", NEW_DATE, "--preview")
    assert isinstance(delay, dict) and delay["new_date"] == "2027-09-01T09:00:00+01:00"
    assert delay["dates"] == [
        {"what": "DCC deployment date", "from": "2027-07-04 09:00 BST", "to": "2027-09-01 09:00 BST"},
        {"what": "cut-off for instructions", "from": "2027-06-04 09:00 BST", "to": "2027-08-01 09:00 BST"}]
    text = deploying.ok("incident", "triage", "1", "--outcome", "stop", "--preview").out
    assert "11 hubs not yet activated are cancelled" in text and "Nothing was changed" in text
    assert (release(deploying), deploying.ok_json("outbox", "list"),
            deploying.ok_json("incident", "show", "1")) == before

    triaged = deploying.ok_json("incident", "triage", "1", "--outcome", "delay", "--new-date", NEW_DATE,
                                "--note", "Give EDFE time to update its displays", actor="bob")
    assert isinstance(triaged, dict) and (triaged["state"], triaged["preview"]) == ("TRIAGED", False)
    x = deploying.ok_json("incident", "show", "1")
    assert isinstance(x, dict)
    assert (x["state"], x["outcome"], x["new_date"], x["triaged_by"], x["decision"]) == (
        "TRIAGED", "delay", "2027-09-01T09:00:00+01:00", "bob", None)
    assert release(deploying)["deployment_date"] == DCC_DATE  # nothing moves before the Panel confirms
    assert "Awaiting the Panel's confirmation" in deploying.ok("incident", "show", "1").out


# -- outcomes ------------------------------------------------------------------------------------

def test_proceed_lets_the_rollout_go_on_as_planned(deploying: Cli) -> None:
    got = decided(deploying, "proceed")
    assert got["release_state"] == "DEPLOYING"
    deploying.ok("tick", "--now", "2027-01-20T11:00")
    assert {place(deploying, guid(n))["firmware_version"] for n in (21, 22)} == {NEW}


def test_a_delay_moves_the_dcc_date_its_cut_off_and_batch_and_keeps_earlier_times(deploying: Cli) -> None:
    late = guid_list(deploying.tmp / "late.csv", [guid(4)])
    words = ("instruct", "1", "--supplier", "OCTO", "--file", str(late), "--activate-at", "2027-08-20T10:00", "--json")
    refused = deploying.ok_json(*words)
    assert isinstance(refused, dict) and refused["rejected"][0]["reason"] == "NOT_BEFORE_DCC_DATE"

    got = decided(deploying, "delay", "--new-date", NEW_DATE, body="sub-committee")
    assert got["decision"]["body"] == "sub-committee" and got["release_state"] == "DEPLOYING"
    shown = release(deploying)
    assert (shown["deployment_date"], shown["cut_off"]) == ("2027-09-01T09:00:00+01:00", "2027-08-01T09:00:00+01:00")
    assert batches(deploying)["deployment_date 1"]["activate_at"] == "2027-09-01T09:00:00+01:00"
    assert place(deploying, guid(4))["planned_activation"] == "2027-09-01T09:00:00+01:00"  # waits for the DCC date
    assert place(deploying, guid(2))["planned_activation"] == "2027-02-01T10:00:00+00:00"  # before it: kept
    assert place(deploying, guid(21))["planned_activation"] == "2027-01-20T10:00:00+00:00"
    assert "DCC deployment date 2027-09-01 09:00 BST; cut-off 2027-08-01 09:00 BST" in deploying.ok(
        "release", "show", "1").out

    accepted = deploying.ok_json(*words)  # suppliers may instruct again until the new cut-off
    assert isinstance(accepted, dict) and accepted["accepted"] == 1 and accepted["rejected"] == []


def test_a_pause_calls_back_future_activations_and_sends_nothing_new(deploying: Cli) -> None:
    got = decided(deploying, "pause")
    assert got["release_state"] == "PAUSED"
    shown = release(deploying)
    assert (shown["state"], shown["halted_by"]) == ("PAUSED", "pat")
    deploying.ok("tick", "--now", "2027-01-20T11:00")  # the DCC batch's time passes: called back, not activated
    assert {place(deploying, guid(n))["firmware_version"] for n in (21, 22)} == {OLD}
    assert counts(deploying).get("ACTIVATED") == 1
    deploying.ok("tick", "--now", "2027-01-26T11:00")  # OCTO's distribution was due on the 25th
    assert {place(deploying, guid(n))["state"] for n in (2, 3)} == {"SCHEDULED"}

    refused = deploying("resume", "1", actor="bob")  # a pause is not a decision to go on
    assert refused.status == 2 and "proceed or delay" in refused.err
    deploying.ok("incident", "raise", "1", "--supplier", "EDFE", "--description", "Displays fixed by EDFE")
    decided(deploying, "proceed", incident=2)
    assert deploying("resume", "1", actor="pat").status == 3  # the Panel secretary does not resume
    resumed = deploying.ok_json("resume", "1", actor="bob")
    assert isinstance(resumed, dict) and resumed["state"] == "DEPLOYING"
    deploying.ok("tick", "--now", "2027-02-02T12:00")
    # OCTO's batch fell due while paused: an overdue action for DCC, never run late on its own.
    assert batches(deploying)["instructed 2"]["state"] == "OVERDUE"
    assert {place(deploying, guid(n))["state"] for n in (2, 3)} == {"SCHEDULED"}


def test_a_hub_whose_activation_a_pause_called_back_does_not_fail_for_want_of_an_answer(deploying: Cli) -> None:
    decided(deploying, "pause")
    deploying.ok("tick", "--now", "2027-01-22T11:00")
    assert {place(deploying, guid(n))["state"] for n in (21, 22)} != {"FAILED"}


def test_a_stop_ends_the_release_cancels_what_is_left_and_activated_hubs_stay(deploying: Cli) -> None:
    got = decided(deploying, "stop")
    assert got["release_state"] == "STOPPED"
    assert counts(deploying) == {"ACTIVATED": 1, "CANCELLED": 11}
    assert (place(deploying, guid(1))["state"], place(deploying, guid(1))["firmware_version"]) == ("ACTIVATED", NEW)
    assert {b["state"] for b in batches(deploying).values()} == {"CANCELLED"}
    deploying.ok("tick", "--now", "2027-01-21T11:00")  # the called-back activations never happen
    assert {place(deploying, guid(n))["firmware_version"] for n in (21, 22)} == {OLD}
    assert counts(deploying) == {"ACTIVATED": 1, "CANCELLED": 11}
    assert deploying("resume", "1", actor="bob").status == 2
    deploying.ok("incident", "raise", "1", "--supplier", "OCTO", "--description", "More homes affected")
    late = deploying("incident", "triage", "2", "--outcome", "proceed", actor="bob")
    assert late.status == 2 and "no rollout left" in late.err


# -- the decision notices ------------------------------------------------------------------------

def _names_no_other_supplier(cli: Cli) -> None:
    for party in NAMES:
        for name, text in supplier_files(cli, party).items():
            for other in set(NAMES) - {party}:
                assert other not in text and NAMES[other] not in text, (party, name, other)


def test_a_pause_is_told_to_each_supplier_with_its_own_instructions_and_batches(deploying: Cli) -> None:
    got = decided(deploying, "pause")
    assert got["notices"] == 6
    told = notices(deploying, "DECISION")
    assert sorted(str(n["recipient"]) for n in told) == ["ARQIVA", "BGAS", "EDFE", "OCTO", "SECPANEL", "TELEFONICA"]
    assert {n["release"] for n in told} == {1} and {n["created_at"] for n in told} == {"2027-01-19T10:00:00+00:00"}
    bodies = decision_bodies(deploying)
    assert "pause, was confirmed by the SEC Panel" in bodies["OCTO"]
    assert "Your instruction 1 for 2027-02-01 10:00 GMT: held until the decision to resume" in bodies["OCTO"]
    assert "DCC batch 3" in bodies["EDFE"] and "for 2027-01-20 10:00 GMT: held until the decision to resume" in (
        bodies["EDFE"])
    assert "no pending instruction or batch" in bodies["BGAS"]
    assert all(DESCRIPTION not in b for b in bodies.values())  # a supplier's own words are not passed on
    _names_no_other_supplier(deploying)


def test_a_delay_tells_each_supplier_the_new_dates_and_that_its_earlier_times_stay(deploying: Cli) -> None:
    decided(deploying, "delay", "--new-date", NEW_DATE)
    bodies = decision_bodies(deploying)
    for party in ("OCTO", "EDFE", "BGAS"):
        assert "The new DCC deployment date is 2027-09-01 09:00 BST" in bodies[party]
        assert "taken until 2027-08-01 09:00 BST" in bodies[party]
    assert "Your instruction 1 for 2027-02-01 10:00 GMT: kept" in bodies["OCTO"]
    assert "DCC batch 3" in bodies["EDFE"] and "kept" in bodies["EDFE"]
    assert "2027-09-01 09:00 BST" in bodies["SECPANEL"]
    _names_no_other_supplier(deploying)


def test_a_stop_tells_each_supplier_its_instructions_are_cancelled(deploying: Cli) -> None:
    decided(deploying, "stop")
    bodies = decision_bodies(deploying)
    assert "Your instruction 1 for 2027-02-01 10:00 GMT: cancelled" in bodies["OCTO"]
    assert "hubs already activated keep the new firmware" in bodies["EDFE"]
    _names_no_other_supplier(deploying)


def test_a_stop_tells_each_supplier_what_happens_to_each_of_its_batches(deploying: Cli) -> None:
    decided(deploying, "stop")
    bodies = decision_bodies(deploying)
    assert "DCC batch 3" in bodies["EDFE"] and "cancelled" in bodies["EDFE"]
    assert "Supplier instructions 2" in bodies["OCTO"]
