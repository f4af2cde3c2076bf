"""R6's automatic pause from the outside: each release's failure guard, set at `release create`
or with `release guard`, pauses the release on its own when distribution or activation
failures pass its share of at least its minimum of finished hubs in any batch, CSP region or
supplier, and raises an incident for triage naming the scope and the figures. Failures
counted before a resume do not trip it again.

Small estates stand in for big ones: the guard's minimum is set to a few hubs. The release is
notified on 4 January 2027 09:00; distribution takes two days.
"""

from __future__ import annotations

from typing import Any

import pytest
from chc_helpers import (
    Cli,
    counts,
    guid,
    guid_list,
    hubs,
    nominated,
    pilot_release,
    reliable_network,
)

ESTATE = [*hubs(1, 12, "North", "OCTO", "OCTO"), *hubs(21, 4, "South", "EDFE")]
PILOT = [guid(n) for n in (1, 2, 3)]


@pytest.fixture
def cli(tmp_path: Any) -> Cli:
    c = Cli(f"sqlite:///{tmp_path / 'c.db'}", tmp_path)
    c.ok("init", "--clock", "simulated", "--start", "2027-01-04T09:00")
    c.ok("user", "add", "pat", "--role", "panel-secretary")
    c.ok("user", "add", "olly", "--role", "operator")
    return c


def release(cli: Cli, r: int = 1) -> dict[str, Any]:
    got = cli.ok_json("release", "show", str(r))
    assert isinstance(got, dict)
    return got


def guard(cli: Cli, *words: str) -> dict[str, Any]:
    got = cli.ok_json("release", "guard", "1", *words)
    assert isinstance(got, dict)
    return got


def failing_pilot(cli: Cli, *release_words: str) -> None:
    """Release 1 with RELEASE_WORDS; its pilot of three North hubs whose images all fail,
    known on 6 January 09:00."""
    pilot_release(cli, ESTATE, "--lead-days", "3", *release_words)
    reliable_network(cli, "distribution_failure=1")
    nominated(cli, 1, "OCTO", PILOT)
    cli.ok("pilot", "start", "1")
    cli.ok("tick", "--now", "2027-01-06T10:00")


def test_the_guard_is_set_at_create_shown_and_changed(cli: Cli) -> None:
    pilot_release(cli, ESTATE)
    assert guard(cli) == {"release": 1, "max_failure_pct": 2.0, "min_finished": 200, "worst_scope": None,
                          "worst_failed": 0, "worst_finished": 0}
    shown = release(cli)
    assert (shown["guard_max_failure_pct"], shown["guard_min_finished"]) == (2.0, 200)
    assert shown["guard"]["max_failure_pct"] == 2.0
    assert ("Failure guard: pauses on its own when failures pass 2% of at least 200 finished hubs in any batch, "
            "CSP region or supplier") in cli.ok("release", "show", "1").out

    assert guard(cli, "--max-failure", "5")["max_failure_pct"] == 5.0
    both = guard(cli, "--max-failure", "0.5%", "--min-finished", "1,000")
    assert (both["max_failure_pct"], both["min_finished"]) == (0.5, 1000)
    assert (release(cli)["guard_max_failure_pct"], release(cli)["guard_min_finished"]) == (0.5, 1000)
    assert "pauses on its own when failures pass 0.5% of at least 1,000" in cli.ok("release", "guard", "1").out

    made = cli.ok_json("release", "create", "--model", "EDMI-CHF-420", "--from-version", "0002012F",
                       "--to-version", "00020204", "--severity", "Low", "--priority", "P4", "--release-note", "RN-2",
                       "--type", "planned", "--max-failure", "10", "--min-finished", "25")
    assert isinstance(made, dict)
    drafted = release(cli, int(made["id"]))
    assert (drafted["guard_max_failure_pct"], drafted["guard_min_finished"]) == (10.0, 25)


def test_failures_at_the_share_or_under_the_minimum_do_not_pause_the_release(cli: Cli) -> None:
    failing_pilot(cli, "--max-failure", "100", "--min-finished", "3")
    assert counts(cli) == {"FAILED": 3, "ELIGIBLE": 13}
    cli.ok("tick")
    assert release(cli)["state"] == "PILOT_RUNNING"  # 3 of 3 failed: 100%, at the share, not above it
    assert cli.ok_json("incident", "list") == []
    worst = guard(cli, "--max-failure", "99", "--min-finished", "4")
    assert (worst["worst_failed"], worst["worst_finished"]) == (3, 3)
    cli.ok("tick")
    assert release(cli)["state"] == "PILOT_RUNNING"  # above the share, but 3 finished is under the minimum
    assert cli.ok_json("incident", "list") == []


def test_failures_above_the_share_of_the_minimum_pause_the_release_and_raise_an_incident(cli: Cli) -> None:
    failing_pilot(cli, "--max-failure", "99", "--min-finished", "3")
    shown = release(cli)
    assert (shown["state"], shown["halted_by"], shown["halted_at"]) == ("PAUSED", "system",
                                                                        "2027-01-06T09:00:00+00:00")
    assert "Paused by the failure guard 2027-01-06 09:00 GMT" in cli.ok("release", "show", "1").out
    (x,) = cli.ok_json("incident", "list", "--open")
    assert (x["automatic"], x["reported_by"], x["priority"], x["state"], x["release"]) == (True, "DCC", "P2", "OPEN", 1)
    assert "3 of 3 finished hubs failed (100.0%)" in x["scope"] and "above the guard's 99% of at least 3" in x["scope"]
    assert "CSP region North" in x["scope"] or "OCTO" in x["scope"]
    assert "[failure guard]" in cli.ok("incident", "list").out
    assert "reported by the console's failure guard" in cli.ok("incident", "show", str(x["id"])).out
    cli.ok("tick", "--now", "2027-01-08T10:00")
    assert release(cli)["state"] == "PAUSED" and len(cli.ok_json("incident", "list")) == 1  # it trips once


def test_failures_counted_before_a_resume_do_not_trip_it_again(cli: Cli) -> None:
    failing_pilot(cli, "--max-failure", "25", "--min-finished", "3")
    assert release(cli)["state"] == "PAUSED"
    cli.ok("incident", "triage", "1", "--outcome", "proceed", "--note", "A bad batch of images; reloaded")
    cli.ok("decision", "confirm", "1", "--by", "Ann Chair", "--body", "panel", actor="pat")
    assert cli.ok_json("resume", "1", actor="olly")["state"] == "PILOT_RUNNING"  # the system halted it
    assert guard(cli)["worst_finished"] == 0  # counted afresh from the resume
    cli.ok("tick", "--now", "2027-01-06T11:00")
    assert release(cli)["state"] == "PILOT_RUNNING"
    cli.ok("pilot", "conclude", "1", "--decision", "proceed", "--commentary", "Images reloaded")

    # Five more North hubs succeed: 3 of 8 North hubs have failed in all (37.5%), none since the resume.
    reliable_network(cli)
    five = guid_list(cli.tmp / "five.csv", [guid(n) for n in range(4, 9)])
    cli.ok("batch", "create", "1", "--file", str(five), "--activate-at", "2027-01-10T10:00")
    cli.ok("tick", "--now", "2027-01-10T11:00")
    assert counts(cli).get("ACTIVATED") == 5
    assert release(cli)["state"] == "DEPLOYING" and len(cli.ok_json("incident", "list")) == 1

    # Two more fail: 2 of 7 finished since the resume (28.6%), above 25% of at least 3.
    cli.ok("network", "set", "distribution_failure=1")
    two = guid_list(cli.tmp / "two.csv", [guid(9), guid(10)])
    cli.ok("batch", "create", "1", "--file", str(two), "--activate-at", "2027-01-14T10:00")
    cli.ok("tick", "--now", "2027-01-13T11:00")
    assert release(cli)["state"] == "PAUSED"
    second = cli.ok_json("incident", "list", "--open")
    (x,) = [i for i in second if i["id"] != 1]
    assert x["automatic"] and "2 of 7 finished hubs failed (28.6%) in CSP region North" in x["scope"]
