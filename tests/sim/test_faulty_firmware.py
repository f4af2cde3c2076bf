"""The faulty-firmware scenario end to end, through the command line only (R6).

The simulated network's `faulty_firmware` rate (an assumption, like all its figures) makes
hubs report home-area-network trouble after a successful activation. OCTO's pilot of three
North hubs is activated on 4 November 2026 and concluded with proceed; DCC then batches the
safe launch group for 16 November 10:00 and the activations wait at the network. On 14
November OCTO reports HAN trouble on its pilot hubs and asks for an emergency stop; olly (service
desk) presses it. Then either the trouble turns out to be the in-home displays' (proceed:
the Panel confirms, a second DCC user resumes, the overdue batch is run) or the Panel
confirms a stop (the release ends; activated hubs keep the new firmware).
"""

from __future__ import annotations

from pathlib import Path
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
    report_dicts,
)

ESTATE = [
    *hubs(1, 6, "North", "OCTO", "OCTO"),
    *hubs(11, 4, "Central", "OCTO", "BGAS"),
    *hubs(21, 4, "South", "EDFE"),
]
PILOT = [guid(n) for n in (1, 2, 3)]
SAFE = [guid(n) for n in (4, 5, 6, 11, 12, 13, 14, 21, 22, 23, 24)]


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    c = Cli(f"sqlite:///{tmp_path / 'c.db'}", tmp_path)
    c.ok("init", "--clock", "simulated", "--start", "2026-11-02T09:00")
    for name, role in (("olly", "operator"), ("bob", "release-manager"), ("pat", "panel-secretary")):
        c.ok("user", "add", name, "--role", role)
    return c


def shown(cli: Cli, *words: str, actor: str = "alice") -> dict[str, Any]:
    got = cli.ok_json(*words, actor=actor)
    assert isinstance(got, dict)
    return got


@pytest.fixture
def stopped(cli: Cli) -> Cli:
    """Up to the emergency stop olly pressed on OCTO's report, its call-backs answered."""
    pilot_release(cli, ESTATE)
    reliable_network(cli, "faulty_firmware=1")
    figures = {f["name"]: f for f in cli.ok_json("network", "show")}  # type: ignore[union-attr]
    assert any("Faulty firmware" in name and f["assumed"] for name, f in figures.items())
    nominated(cli, 1, "OCTO", PILOT)
    cli.ok("pilot", "start", "1", actor="bob")
    cli.ok("tick", "--now", "2026-11-04T10:00")
    pilot = shown(cli, "pilot", "show", "1")
    assert pilot["counts"] == {"ACTIVATED": 3} and pilot["han_trouble"] == 3
    cli.ok("pilot", "conclude", "1", "--decision", "proceed", "--commentary", "All three activated", actor="bob")
    batch = shown(cli, "batch", "create", "1", "--file", str(guid_list(cli.tmp / "safe.csv", SAFE)),
                  "--activate-at", "2026-11-16T10:00", actor="bob")
    assert batch["accepted"] == len(SAFE)
    cli.ok("tick", "--now", "2026-11-14T10:00")  # the images landed; activations wait at the network
    assert counts(cli) == {"ACTIVATED": 3, "ACTIVATION_PENDING": len(SAFE)}

    # OCTO's report names the hubs its pilot report shows with HAN trouble.
    cli.ok("export", "pilot", "--supplier", "OCTO", "--release", "1", "--out", str(cli.tmp / "octo.xlsx"))
    troubled = [g for g, row in report_dicts(cli.tmp / "octo.xlsx").items() if row["HAN trouble reported"] == "Yes"]
    assert sorted(troubled) == PILOT
    raised = shown(cli, "incident", "raise", "1", "--supplier", "OCTO", "--description",
                   "Meters drop off the home area network after the update", "--emergency-stop",
                   "--file", str(guid_list(cli.tmp / "troubled.csv", troubled)), actor="olly")
    assert (raised["id"], raised["priority"], raised["hubs"], raised["rejected"]) == (1, "P1", 3, [])

    pressed = shown(cli, "stop", "1", "--reason", "HAN trouble on OCTO's pilot hubs", actor="olly")
    assert pressed["calls"] == len(SAFE) and shown(cli, "release", "show", "1")["state"] == "SUSPENDED"
    cli.ok("tick", "--now", "2026-11-14T11:00")
    stop = shown(cli, "incident", "show", "1")["stop"]
    assert (stop["called_back"], stop["too_late"], stop["no_answer"], stop["held"]) == (len(SAFE), 0, 0, len(SAFE))
    assert counts(cli) == {"ACTIVATED": 3, "HELD": len(SAFE)}
    return cli


def test_proceed_confirmed_by_the_panel_then_a_second_user_resumes_and_the_rollout_completes(stopped: Cli) -> None:
    cli = stopped
    cli.ok("tick", "--now", "2026-11-17T09:00")  # the batch's time passes while the release is held
    assert counts(cli) == {"ACTIVATED": 3, "HELD": len(SAFE)}
    assert {place(cli, g)["firmware_version"] for g in SAFE} == {OLD}

    preview = shown(cli, "incident", "triage", "1", "--outcome", "proceed", "--preview", actor="bob")
    assert preview["hubs"] == len(SAFE) and shown(cli, "incident", "show", "1")["state"] == "OPEN"
    cli.ok("incident", "triage", "1", "--outcome", "proceed", "--note", "The in-home displays' firmware, not the hub's",
           actor="bob")
    assert cli("resume", "1", actor="bob").status == 2  # not confirmed yet
    decision = shown(cli, "decision", "confirm", "1", "--by", "Ann Chair", "--body", "sub-committee", actor="pat")
    assert decision["decision"]["body"] == "sub-committee" and decision["release_state"] == "SUSPENDED"
    octo = next(n for n in notices(cli, "DECISION") if n["recipient"] == "OCTO")
    assert "proceed, was confirmed by the Panel's Sub-Committee" in eml_body(str(octo["file"]))

    assert cli("resume", "1", actor="olly").status == 3  # olly pressed the stop
    reliable_network(cli)  # OCTO updated its displays: no more HAN trouble
    resumed = cli.ok("resume", "1", actor="bob")
    assert "fell due while it was halted" in resumed.out
    batch = next(b for b in cli.ok_json("batch", "list", "--release", "1")  # type: ignore[union-attr]
                 if b["kind"] == "dcc")
    assert batch["state"] == "OVERDUE"  # never run late on its own
    cli.ok("tick", "--now", "2026-11-17T10:00")
    assert {place(cli, g)["firmware_version"] for g in SAFE} == {OLD}

    cli.ok("batch", "run-now", str(batch["id"]), actor="bob")
    cli.ok("tick", "--now", "2026-11-20T10:00")
    assert counts(cli) == {"ACTIVATED": 3 + len(SAFE)}
    assert {place(cli, g)["firmware_version"] for g in SAFE} == {NEW}
    assert shown(cli, "incident", "show", "1")["stop"]["lifted_at"] is not None
    assert shown(cli, "incident", "close", "1", actor="bob")["state"] == "CLOSED"


def test_a_stop_confirmed_by_the_panel_ends_the_release_and_activated_hubs_stay(stopped: Cli) -> None:
    cli = stopped
    cli.ok("incident", "triage", "1", "--outcome", "stop", "--note", "Firmware fault confirmed by the maker",
           actor="bob")
    decision = shown(cli, "decision", "confirm", "1", "--by", "Ann Chair", "--body", "panel", actor="pat")
    assert decision["release_state"] == "STOPPED"
    assert counts(cli) == {"ACTIVATED": 3, "CANCELLED": len(SAFE)}
    assert {place(cli, g)["firmware_version"] for g in PILOT} == {NEW}  # going back is a new release
    cli.ok("tick", "--now", "2026-11-20T10:00")
    assert {place(cli, g)["firmware_version"] for g in SAFE} == {OLD}
    assert {place(cli, g)["state"] for g in SAFE} == {"CANCELLED"}
    refused = cli("resume", "1", actor="bob")
    assert refused.status == 2 and shown(cli, "release", "show", "1")["state"] == "STOPPED"
    told = {str(n["recipient"]) for n in notices(cli, "DECISION")}
    assert {"OCTO", "BGAS", "EDFE", "SECPANEL"} <= told
    assert shown(cli, "incident", "close", "1", actor="bob")["state"] == "CLOSED"
