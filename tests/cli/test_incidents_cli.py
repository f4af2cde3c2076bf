"""R6 from the outside, part one: incidents through the service desk, the emergency stop, the
roles, and resuming with four eyes after a decision the Panel confirmed.

Release 1 is notified on 2 March 2026 09:00. OCTO's four North hubs are its pilot, started at
once with activation set for 6 March 09:00; by 5 March 09:00 their images have landed and
their activations wait at the network. bob is a release manager, olly a service desk
operator, pat the Panel secretary; alice holds every role.
"""

from __future__ import annotations

from typing import Any

import pytest
from chc_helpers import (
    MODEL,
    NEW,
    OLD,
    Cli,
    counts,
    guid,
    guid_list,
    hubs,
    image_hash,
    nominated,
    pilot_release,
    place,
    reliable_network,
)

PILOT = [guid(n) for n in (1, 2, 3, 4)]
SAFE = [guid(n) for n in (5, 6, 10, 11, 12)]
ESTATE = [
    *hubs(1, 4, "North", "OCTO", "OCTO"),
    *hubs(5, 2, "North", "OCTO", "BGAS"),
    *hubs(10, 3, "South", "EDFE"),
]


@pytest.fixture
def rollout(cli: Cli) -> Cli:
    """Release 1's pilot with its four activations at the network, due 6 March 09:00."""
    pilot_release(cli, ESTATE)
    reliable_network(cli)
    for name, role in (("bob", "release-manager"), ("olly", "operator"), ("pat", "panel-secretary")):
        cli.ok("user", "add", name, "--role", role)
    nominated(cli, 1, "OCTO", PILOT)
    cli.ok("pilot", "start", "1", "--activate-at", "2026-03-06T09:00")
    cli.ok("tick", "--now", "2026-03-05T09:00")
    assert counts(cli) == {"ACTIVATION_PENDING": 4, "ELIGIBLE": 5}
    return cli


def raised(cli: Cli, *words: str, actor: str = "olly", supplier: str = "OCTO",
           description: str = "In-home displays lose the meter") -> dict[str, Any]:
    got = cli.ok_json("incident", "raise", "1", "--supplier", supplier, "--description", description, *words,
                      actor=actor)
    assert isinstance(got, dict)
    return got


def shown(cli: Cli, n: object) -> dict[str, Any]:
    got = cli.ok_json("incident", "show", str(n))
    assert isinstance(got, dict)
    return got


def release(cli: Cli, r: int = 1) -> dict[str, Any]:
    got = cli.ok_json("release", "show", str(r))
    assert isinstance(got, dict)
    return got


def everything(cli: Cli) -> tuple[object, ...]:
    """What a refused command must leave as it was."""
    return (cli.ok_json("incident", "list"), release(cli), cli.ok_json("outbox", "list"),
            cli.ok_json("release", "guard", "1"))


# -- incidents -----------------------------------------------------------------------------------

def test_an_incident_is_raised_with_its_hubs_and_bad_lines_are_refused_one_by_one(rollout: Cli) -> None:
    file = guid_list(rollout.tmp / "affected.csv", [guid(1), guid(2).lower().replace("-", ""), "junk", guid(99),
                                                    guid(2)])
    got = raised(rollout, "--file", str(file))
    assert {k: got[k] for k in ("id", "priority", "state", "hubs")} == {
        "id": 1, "priority": "P2", "state": "OPEN", "hubs": 2}
    assert sorted((x["line"], x["guid"], x["reason"]) for x in got["rejected"]) == [
        (4, "junk", "MALFORMED_GUID"), (5, guid(99), "UNKNOWN_GUID"), (6, guid(2), "DUPLICATE_IN_REQUEST")]
    text = rollout.ok("incident", "raise", "1", "--supplier", "bgas", "--description", "Gas meters drop off the HAN",
                      "--emergency-stop", actor="olly").out
    assert text.startswith("Incident 2 (P1) raised for BGAS about release 1.")
    assert "asks for an emergency stop" in text and "chconsole stop 1" in text
    assert release(rollout)["state"] == "PILOT_RUNNING"  # asking for a stop is not pressing it


def test_incidents_are_listed_most_urgent_first_and_shown_with_their_history(rollout: Cli) -> None:
    raised(rollout, description="Slow display refresh")
    raised(rollout, "--emergency-stop", supplier="BGAS", description="Gas meters drop off the HAN")
    listed = rollout.ok_json("incident", "list")
    assert [(x["id"], x["priority"], x["reported_by"]) for x in listed] == [(2, "P1", "BGAS"), (1, "P2", "OCTO")]
    assert rollout.ok_json("incident", "list", "--release", "1") == listed
    assert rollout.ok_json("incident", "list", "--release", "2") == []
    lines = rollout.ok("incident", "list").out.splitlines()
    assert "P1" in lines[0] and "Gas meters drop off the HAN" in lines[0] and "[stop asked]" in lines[0]

    x = shown(rollout, 1)
    assert {k: x[k] for k in ("id", "release", "state", "priority", "outcome", "new_date", "decision", "stop",
                              "hubs", "reported_by", "raised_by", "description")} == {
        "id": 1, "release": 1, "state": "OPEN", "priority": "P2", "outcome": None, "new_date": None,
        "decision": None, "stop": None, "hubs": 0, "reported_by": "OCTO", "raised_by": "olly",
        "description": "Slow display refresh"}
    assert x["raised_at"] == "2026-03-05T09:00:00+00:00"
    assert [(h["kind"], h["by"]) for h in x["history"]] == [("raised", "olly")]
    text = rollout.ok("incident", "show", "1").out
    assert "Incident 1  P2  OPEN" in text and "reported by OCTO through the service desk (olly)" in text


def test_a_comment_joins_the_history_and_an_incident_nobody_must_decide_on_is_closed(rollout: Cli) -> None:
    raised(rollout, description="A question about the notice")
    rollout.ok("incident", "comment", "1", "--text", "Answered by phone", actor="bob")
    x = shown(rollout, 1)
    assert [(h["kind"], h["by"], h["text"]) for h in x["history"]][-1] == ("comment", "bob", "Answered by phone")
    closed = rollout.ok_json("incident", "close", "1", actor="bob")
    assert isinstance(closed, dict) and closed["state"] == "CLOSED" and closed["closed_at"] is not None
    assert rollout.ok_json("incident", "list", "--open") == []
    assert "No open incidents." in rollout.ok("incident", "list", "--open").out
    again = rollout("incident", "close", "1", actor="bob")
    assert again.status == 2 and "already closed" in again.err
    late = rollout("incident", "comment", "1", "--text", "one more thing")
    assert late.status == 2 and "closed" in late.err


# -- bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("words", "said"), [
    (["incident", "raise", "1", "--supplier", "OCTO", "--description", "  "], "Describe the incident"),
    (["incident", "raise", "1", "--supplier", "NOPE", "--description", "Blank displays"], "not a supplier"),
    (["incident", "raise", "9", "--supplier", "OCTO", "--description", "Blank displays"], "no release 9"),
    (["incident", "raise", "1", "--supplier", "OCTO", "--description", "x", "--file", "missing.csv"], "missing.csv"),
    (["incident", "triage", "1", "--outcome", "maybe"], "not a triage outcome"),
    (["incident", "triage", "1", "--outcome", "delay"], "new DCC deployment date"),
    (["incident", "triage", "1", "--outcome", "delay", "--new-date", "2026-04-01T09:00"], "must be later"),
    (["incident", "triage", "1", "--outcome", "proceed", "--new-date", "2026-12-01"], "Only a delay"),
    (["incident", "triage", "1", "--outcome", "delay", "--new-date", "next week"], "not an ISO 8601 time"),
    (["incident", "triage", "1", "--outcome", "stop", "--preview", "--new-date", "2026-12-01"], "Only a delay"),
    (["incident", "triage", "9", "--outcome", "stop"], "no incident 9"),
    (["incident", "comment", "1", "--text", " "], "blank"),
    (["decision", "confirm", "1", "--by", "Ann Chair", "--body", "panel"], "only a triaged outcome"),
    (["resume", "1"], "only a suspended or paused release"),
    (["stop", "9"], "no release 9"),
    (["release", "guard", "1", "--max-failure", "0"], "above 0"),
    (["release", "guard", "1", "--max-failure", "lots"], "not a percentage"),
    (["release", "guard", "1", "--min-finished", "0"], "1 or more"),
    (["release", "guard", "1", "--min-finished", "some"], "not a whole number"),
])
def test_bad_input_is_refused_with_exit_2_and_changes_nothing(rollout: Cli, words: list[str], said: str) -> None:
    raised(rollout)
    before = everything(rollout)
    words = [str(rollout.tmp / w) if w.endswith(".csv") else w for w in words]
    got = rollout(*words, actor="alice")
    assert got.status == 2 and said in got.err, got.err
    assert len(got.err.strip().splitlines()) == 1  # one sentence
    assert everything(rollout) == before


def test_a_triaged_outcome_refuses_a_bad_confirmation_and_cannot_be_closed_before_it(rollout: Cli) -> None:
    raised(rollout)
    rollout.ok("incident", "triage", "1", "--outcome", "pause", actor="bob")
    before = everything(rollout)
    for words, said in [
        (["decision", "confirm", "1", "--by", "Ann Chair", "--body", "committee"], "not a body"),
        (["decision", "confirm", "1", "--by", " ", "--body", "panel"], "Name who confirmed"),
        (["incident", "close", "1"], "awaits the Panel's confirmation"),
        (["incident", "triage", "1", "--outcome", "delay", "--new-date", "2026-01-01"], "must be later"),
    ]:
        got = rollout(*words, actor="pat" if words[0] == "decision" else "bob")
        assert got.status == 2 and said in got.err, got.err
    assert everything(rollout) == before


def test_a_release_with_a_guard_that_makes_no_sense_is_not_drafted(rollout: Cli) -> None:
    before = rollout.ok_json("release", "list")
    for pct, least in (("101", "200"), ("2", "0"), ("two", "200")):
        got = rollout("release", "create", "--model", MODEL, "--from-version", OLD, "--to-version", NEW,
                      "--severity", "High", "--priority", "P2", "--release-note", "RN-9", "--type", "sec",
                      "--max-failure", pct, "--min-finished", least)
        assert got.status == 2 and "failure guard" in got.err, got.err
    assert rollout.ok_json("release", "list") == before


# -- roles ---------------------------------------------------------------------------------------

def test_each_role_does_its_own_part_and_a_refusal_changes_nothing(rollout: Cli) -> None:
    refused = rollout("incident", "raise", "1", "--supplier", "OCTO", "--description", "Blank", actor="pat")
    assert refused.status == 3 and "pat may not" in refused.err
    assert rollout.ok_json("incident", "list") == []
    raised(rollout)  # the service desk logs it
    before = everything(rollout)
    for words, who in [
        (["incident", "triage", "1", "--outcome", "stop"], "olly"),  # an operator does not triage
        (["incident", "close", "1"], "olly"),
        (["release", "guard", "1", "--max-failure", "5"], "olly"),
        (["incident", "raise", "1", "--supplier", "OCTO", "--description", "x"], "nobody"),
    ]:
        got = rollout(*words, actor=who)
        assert got.status == 3, (words, got.err)
    assert everything(rollout) == before
    assert rollout.ok_json("release", "guard", "1", actor="olly")["max_failure_pct"] == 2.0  # reading is open

    rollout.ok("incident", "triage", "1", "--outcome", "pause", actor="bob")
    for who in ("bob", "olly"):  # only the Panel secretary records the Panel's confirmation
        got = rollout("decision", "confirm", "1", "--by", "Ann Chair", "--body", "panel", actor=who)
        assert got.status == 3 and "panel-secretary" in got.err
    assert shown(rollout, 1)["state"] == "TRIAGED" and release(rollout)["state"] == "PILOT_RUNNING"
    rollout.ok("decision", "confirm", "1", "--by", "Ann Chair", "--body", "panel", actor="pat")
    assert release(rollout)["state"] == "PAUSED"


@pytest.mark.parametrize("who", ["olly", "bob", "pat", "alice"])
def test_any_dcc_user_may_press_the_stop(rollout: Cli, who: str) -> None:
    got = rollout.ok_json("stop", "1", actor=who)
    assert isinstance(got, dict) and got["pressed_by"] == who and got["releases"] == [1]
    assert release(rollout)["state"] == "SUSPENDED" and release(rollout)["halted_by"] == who


def test_someone_who_is_not_a_dcc_user_cannot_press_it(rollout: Cli) -> None:
    got = rollout("stop", "1", actor="mallory")
    assert got.status == 3 and release(rollout)["state"] == "PILOT_RUNNING"


# -- the emergency stop --------------------------------------------------------------------------

def test_the_stop_suspends_at_once_calls_back_activations_and_holds_every_hub(rollout: Cli) -> None:
    pressed = rollout.ok_json("stop", "1", "--reason", "HAN trouble reported by OCTO", actor="olly")
    assert isinstance(pressed, dict)
    assert {k: pressed[k] for k in ("id", "releases", "every_release", "pressed_by", "reason", "calls",
                                    "no_answer", "called_back", "too_late")} == {
        "id": 1, "releases": [1], "every_release": False, "pressed_by": "olly",
        "reason": "HAN trouble reported by OCTO", "calls": 4, "no_answer": 4, "called_back": 0, "too_late": 0}
    assert pressed["pressed_at"] == "2026-03-05T09:00:00+00:00"
    shown_release = release(rollout)
    assert (shown_release["state"], shown_release["halted_by"], shown_release["halted_at"]) == (
        "SUSPENDED", "olly", "2026-03-05T09:00:00+00:00")
    text = rollout.ok("release", "show", "1").out
    assert "Suspended by the emergency stop 2026-03-05 09:00 GMT by olly" in text
    assert "other than olly" in text

    tied = raised(rollout, supplier="BGAS", description="Gas meters drop off the HAN")
    assert tied["priority"] == "P1" and tied["stop"]["id"] == 1  # the stop holds its release
    rollout.ok("tick", "--now", "2026-03-05T10:00")  # the hubs answer the call-backs
    stop = shown(rollout, tied["id"])["stop"]
    assert {k: stop[k] for k in ("called_back", "too_late", "no_answer", "held")} == {
        "called_back": 4, "too_late": 0, "no_answer": 0, "held": 9}
    assert counts(rollout) == {"HELD": 9}
    assert "4 activations at the network called back (4 confirmed" in rollout.ok("incident", "show", "1").out

    rollout.ok("tick", "--now", "2026-03-07T09:00")  # the activation time passes: nothing happens
    assert counts(rollout) == {"HELD": 9}
    assert {place(rollout, g)["firmware_version"] for g in PILOT} == {OLD}
    again = rollout("stop", "1")
    assert again.status == 2 and "already suspended" in again.err
    nothing = rollout("stop")
    assert nothing.status == 2 and "nothing to stop" in nothing.err


def test_the_stop_says_in_words_what_it_achieved_so_far(rollout: Cli) -> None:
    out = rollout.ok("stop", "1", actor="olly").out
    assert out.startswith("EMERGENCY STOP 1 pressed by olly at 2026-03-05 09:00 GMT: release 1 suspended")
    assert "4 activations at the network called back (0 confirmed, 0 too late" in out
    assert "4 not answered yet" in out


def test_without_a_release_every_live_release_stops(rollout: Cli) -> None:
    rollout.estate([*ESTATE, *hubs(40, 2, "Central", "EDFE", model="WNC-CHF-250")], name="more.csv")
    for v in (OLD, NEW):
        rollout.ok("cpl", "add", "--model", "WNC-CHF-250", "--firmware-version", v, "--image-hash", image_hash(v))
    made = rollout.ok_json("release", "create", "--model", "WNC-CHF-250", "--from-version", OLD, "--to-version",
                           NEW, "--severity", "Low", "--priority", "P3", "--release-note", "RN-8", "--type",
                           "planned")
    assert isinstance(made, dict)
    rollout.ok("release", "notify", str(made["id"]))
    pressed = rollout.ok_json("stop", actor="pat")
    assert isinstance(pressed, dict) and pressed["every_release"] is True and pressed["releases"] == [1, 2]
    assert {release(rollout, r)["state"] for r in (1, 2)} == {"SUSPENDED"}


# -- resuming ------------------------------------------------------------------------------------

def test_resume_needs_a_confirmed_decision_and_a_user_other_than_the_one_who_stopped(rollout: Cli) -> None:
    rollout.ok("stop", "1", "--reason", "HAN trouble", actor="olly")
    raised(rollout, "--emergency-stop", description="In-home displays go blank")
    rollout.ok("tick", "--now", "2026-03-05T10:00")
    early = rollout("resume", "1", actor="bob")
    assert early.status == 2 and "confirmed a decision" in early.err
    rollout.ok("incident", "triage", "1", "--outcome", "proceed", "--note", "A display fault, not the hub",
               actor="bob")
    assert rollout("resume", "1", actor="bob").status == 2  # triaged, not yet confirmed
    assert release(rollout)["state"] == "SUSPENDED"

    confirmed = rollout.ok_json("decision", "confirm", "1", "--by", "Ann Chair", "--body", "panel", actor="pat")
    assert isinstance(confirmed, dict)
    assert confirmed["decision"] == {"by": "Ann Chair", "body": "panel", "at": "2026-03-05T10:00:00+00:00",
                                     "recorded_by": "pat"}
    assert confirmed["release_state"] == "SUSPENDED"  # a decision to proceed still waits for a second user
    four_eyes = rollout("resume", "1", actor="olly")
    assert four_eyes.status == 3 and "second DCC user" in four_eyes.err
    assert release(rollout)["state"] == "SUSPENDED"

    resumed = rollout.ok_json("resume", "1", actor="bob")
    assert isinstance(resumed, dict)
    assert (resumed["state"], resumed["resumed_by"], resumed["halted_by"]) == ("PILOT_RUNNING", "bob", None)
    assert counts(rollout) == {"DISTRIBUTED": 4, "ELIGIBLE": 5}  # the held hubs go back where they were
    rollout.ok("tick", "--now", "2026-03-06T10:00")
    assert {g: place(rollout, g)["firmware_version"] for g in PILOT} == dict.fromkeys(PILOT, NEW)
    assert {place(rollout, g)["state"] for g in SAFE} == {"ELIGIBLE"}

    x = shown(rollout, 1)
    assert (x["state"], x["outcome"], x["stop"]["lifted_at"]) == ("CONFIRMED", "proceed", "2026-03-05T10:00:00+00:00")
    assert [h["kind"] for h in x["history"]] == ["raised", "stop", "triaged", "confirmed"]
    assert "A display fault, not the hub" in x["history"][2]["text"]
    assert rollout.ok_json("incident", "close", "1", actor="bob")["state"] == "CLOSED"
