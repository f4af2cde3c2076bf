"""DCC batches (R3) and the Operating rules from the outside: batches by rule and by file,
re-plan and cancel with their suppliers told, distribution within regional capacity, and
the grace period and the overdue action after the console was down.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from chc_helpers import (
    Cli,
    counts,
    eml_body,
    guid,
    guid_list,
    notices,
    place,
    sheet_rows,
    supplier_files,
)
from test_instructions import ESTATE, instruct, reasons, release


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    c = Cli(f"sqlite:///{tmp_path / 'c.db'}", tmp_path)
    c.ok("init", "--clock", "simulated", "--start", "2027-01-04T09:00")
    return c


def batch(cli: Cli, r: int, *words: str, at: str = "2027-02-10T10:00") -> dict[str, object]:
    got = cli.ok_json("batch", "create", str(r), "--activate-at", at, *words)
    assert isinstance(got, dict)
    return got


def shown(cli: Cli, b: object) -> dict[str, object]:
    got = cli.ok_json("batch", "show", str(b))
    assert isinstance(got, dict)
    return got


def test_a_batch_by_rule_takes_the_free_hubs_and_tells_each_supplier_of_its_own(cli: Cli) -> None:
    r = release(cli)
    instruct(cli, r, "OCTO", [guid(11)])  # waits for BGAS: still free for a DCC batch
    preview = cli.ok_json("batch", "create", str(r), "--rule", "region=Central", "--activate-at",
                          "2027-02-10T10:00", "--preview")
    assert preview == {"hubs": 10, "suppliers": {"OCTO": 10, "BGAS": 10}, "regions": {"Central": 10},
                       "rejected": []}
    assert counts(cli, r).get("SCHEDULED", 0) == 0  # a preview changes nothing
    made = batch(cli, r, "--rule", "region=Central", "--rule", "size=4", "--name", "central-1")
    assert made["accepted"] == 4 and made["rejected"] == []
    assert {place(cli, guid(n), r)["state"] for n in range(11, 15)} == {"SCHEDULED"}
    assert place(cli, guid(15), r)["state"] == "ELIGIBLE"
    assert place(cli, guid(11), r)["planned_activation"] == "2027-02-10T10:00:00+00:00"
    told = {str(n["recipient"]): n for n in notices(cli, "BATCH_SCHEDULED")}
    assert set(told) == {"OCTO", "BGAS"}
    header, rows = sheet_rows(Path(str(told["BGAS"]["attachment"])))
    assert header[:2] == ["GUID", "Your role"] and sorted(row[0] for row in rows) == [guid(n) for n in range(11, 15)]
    assert {row[1] for row in rows} == {"Gas"}
    for name, text in supplier_files(cli, "BGAS").items():
        assert "OCTO" not in text, name


def test_a_batch_from_a_file_refuses_hubs_already_in_the_pilot_or_a_batch(cli: Cli) -> None:
    r = release(cli)
    instruct(cli, r, "OCTO", [guid(3)])
    f = guid_list(cli.tmp / "dcc.csv", [guid(1), guid(3), guid(4), guid(21), guid(900), "junk"])
    got = cli.ok_json("batch", "create", str(r), "--file", str(f), "--activate-at", "2027-02-10T10:00")
    assert isinstance(got, dict) and got["accepted"] == 2
    assert reasons(got) == {guid(1): "ALREADY_ON_TARGET", guid(3): "ALREADY_SCHEDULED", guid(900): "UNKNOWN_GUID",
                            "junk": "MALFORMED_GUID"}
    # A supplier cannot instruct a hub DCC has batched.
    assert reasons(instruct(cli, r, "EDFE", [guid(21)])) == {guid(21): "ALREADY_SCHEDULED"}


def test_a_batch_time_too_soon_or_after_the_dcc_date_is_refused_and_changes_nothing(cli: Cli) -> None:
    r = release(cli)
    before = counts(cli, r)
    for at in ("2027-01-10T10:00", "2027-08-01T10:00"):
        got = cli("batch", "create", str(r), "--rule", "region=South", "--activate-at", at)
        assert got.status == 2 and ("TOO_SOON" in got.err or "NOT_BEFORE_DCC_DATE" in got.err), got.err
    bad_rule = cli("batch", "create", str(r), "--rule", "colour=blue", "--activate-at", "2027-02-10T10:00")
    assert bad_rule.status == 2 and "colour=blue" in bad_rule.err
    assert counts(cli, r) == before
    assert cli.ok_json("batch", "list", "--release", str(r)) == [] or all(
        b["kind"] != "dcc" for b in cli.ok_json("batch", "list", "--release", str(r)))  # type: ignore[union-attr]


def test_replan_and_cancel_move_the_hubs_and_tell_their_suppliers(cli: Cli) -> None:
    r = release(cli)
    b = batch(cli, r, "--rule", "region=South")["batch"]
    moved = cli.ok_json("batch", "replan", str(b), "--activate-at", "2027-03-01T10:00")
    assert isinstance(moved, dict) and moved["activate_at"] == "2027-03-01T10:00:00+00:00"
    assert place(cli, guid(21), r)["planned_activation"] == "2027-03-01T10:00:00+00:00"
    (replanned,) = notices(cli, "BATCH_REPLANNED", "EDFE")
    assert "2027-03-01 10:00" in eml_body(str(replanned["file"]))
    refused = cli("batch", "cancel", str(b), "--reason", " ")
    assert refused.status == 2
    cancelled = cli.ok_json("batch", "cancel", str(b), "--reason", "CSP maintenance in the South")
    assert isinstance(cancelled, dict) and cancelled["state"] == "CANCELLED"
    assert place(cli, guid(21), r)["state"] == "ELIGIBLE"
    assert place(cli, guid(21), r)["planned_activation"] == "2027-07-04T09:00:00+01:00"
    assert "CSP maintenance" in eml_body(str(notices(cli, "BATCH_CANCELLED", "EDFE")[0]["file"]))


def test_distribution_goes_ahead_within_each_regions_capacity(cli: Cli) -> None:
    r = release(cli)
    cli.ok("network", "set", "capacity_south=1")
    batch(cli, r, "--rule", "region=South", at="2027-02-10T10:00")  # 7 South hubs
    cli.ok("tick", "--now", "2027-02-03T10:00")  # distribution is due from now
    assert counts(cli, r).get("DISTRIBUTING") == 2  # two days of a one-hub-a-day region
    cli.ok("tick", "--now", "2027-03-01T10:00")
    assert counts(cli, r).get("DISTRIBUTING", 0) == 0


def test_work_within_the_grace_period_runs_at_once_after_a_downtime(cli: Cli) -> None:
    r = release(cli)
    b = batch(cli, r, "--rule", "region=South")["batch"]  # distribution due 3 Feb 10:00
    cli.ok("tick", "--now", "2027-02-03T09:00")
    cli.ok("tick", "--now", "2027-02-03T10:45", "--downtime")
    assert shown(cli, b)["state"] == "RUNNING"
    assert counts(cli, r).get("DISTRIBUTING") == 7


def test_work_late_beyond_the_grace_period_waits_for_dcc_to_run_it_or_replan_it(cli: Cli) -> None:
    r = release(cli)
    b = batch(cli, r, "--rule", "region=South")["batch"]
    other = batch(cli, r, "--rule", "region=Central", at="2027-02-20T10:00")["batch"]
    cli.ok("tick", "--now", "2027-02-03T09:00")
    cli.ok("tick", "--now", "2027-02-04T12:00", "--downtime")  # the console was closed for 27 hours
    late = shown(cli, b)
    assert late["state"] == "OVERDUE" and late["overdue_since"] == "2027-02-03T10:00:00+00:00"
    assert counts(cli, r).get("DISTRIBUTING", 0) == 0  # nothing was run on its own
    assert "OVERDUE" in cli.ok("batch", "show", str(b)).out
    cli.ok("tick", "--now", "2027-02-04T18:00")
    assert shown(cli, b)["state"] == "OVERDUE"  # and nothing runs later either
    assert cli("batch", "run-now", str(other)).status == 2  # only an overdue batch runs on demand
    cli.ok("batch", "run-now", str(b))
    assert shown(cli, b)["state"] == "RUNNING"
    assert counts(cli, r).get("DISTRIBUTING") == 7


def test_an_overdue_batch_can_be_replanned_instead(cli: Cli) -> None:
    r = release(cli)
    b = batch(cli, r, "--rule", "region=South")["batch"]
    cli.ok("tick", "--now", "2027-02-05T12:00", "--downtime")
    assert shown(cli, b)["state"] == "OVERDUE"
    cli.ok("batch", "replan", str(b), "--activate-at", "2027-02-20T10:00")
    assert shown(cli, b)["state"] == "PLANNED"
    cli.ok("tick", "--now", "2027-02-21T10:00")
    assert {place(cli, guid(n), r)["state"] for n in range(21, 26)} == {"ACTIVATED"}


def test_a_downtime_needs_a_simulated_clock_and_a_time(cli: Cli) -> None:
    release(cli)
    assert cli("tick", "--downtime").status == 2


def test_the_instructions_list_and_batches_list_show_what_was_received(cli: Cli) -> None:
    r = release(cli)
    instruct(cli, r, "OCTO", [guid(3), guid(4)], "2027-02-01T10:00", "--batch", "octo-wave-1")
    listed = cli.ok_json("instructions", "list", "--supplier", "OCTO")
    assert isinstance(listed, list) and len(listed) == 1
    assert listed[0]["name"] == "octo-wave-1" and listed[0]["accepted"] == 2
    kinds = {b["kind"] for b in cli.ok_json("batch", "list")}  # type: ignore[union-attr]
    assert "instructed" in kinds
    assert ESTATE  # the shared estate of test_instructions


def test_activations_that_fell_due_while_the_console_was_down_wait_for_dcc(cli: Cli) -> None:
    r = release(cli)
    b = batch(cli, r, "--rule", "region=South")["batch"]  # activation 10 Feb 10:00
    cli.ok("tick", "--now", "2027-02-04T10:00")  # distribution went out on the 3rd; it takes two days
    assert counts(cli, r).get("DISTRIBUTING") == 7
    cli.ok("tick", "--now", "2027-02-11T12:00", "--downtime")  # receipts came in while nobody listened
    late = shown(cli, b)
    assert late["state"] == "OVERDUE" and late["overdue_since"] == "2027-02-10T10:00:00+00:00"
    assert counts(cli, r).get("DISTRIBUTED") == 7  # not activated a day late on its own
    cli.ok("batch", "run-now", str(b))
    assert counts(cli, r).get("ACTIVATION_PENDING") == 7
    cli.ok("tick", "--now", "2027-02-11T13:00")
    assert {place(cli, guid(n), r)["state"] for n in range(21, 26)} == {"ACTIVATED"}


def test_the_grace_period_is_set_by_a_release_manager_and_widens_what_runs_at_once(cli: Cli) -> None:
    r = release(cli)
    cli.ok("user", "add", "olive", "--role", "operator")
    assert cli("grace-period", "240", actor="olive").status == 3
    assert cli("grace-period", "-5").status == 2
    assert cli.ok_json("grace-period") == {"grace_period_minutes": 60}
    cli.ok("grace-period", "240")
    b = batch(cli, r, "--rule", "region=South")["batch"]  # distribution due 3 Feb 10:00
    cli.ok("tick", "--now", "2027-02-03T09:00")
    cli.ok("tick", "--now", "2027-02-03T13:00", "--downtime")  # three hours late: inside four hours
    assert shown(cli, b)["state"] == "RUNNING"


def test_cancelling_a_batch_in_distribution_keeps_the_image_for_the_dcc_date(cli: Cli) -> None:
    r = release(cli)
    b = batch(cli, r, "--rule", "region=South")["batch"]
    cli.ok("tick", "--now", "2027-02-03T12:00")
    assert counts(cli, r).get("DISTRIBUTING") == 7
    cli.ok("batch", "cancel", str(b), "--reason", "CSP asked for a later slot")
    assert counts(cli, r).get("DISTRIBUTING") == 7  # the image keeps arriving; nothing is re-sent
    assert place(cli, guid(21), r)["planned_activation"] == "2027-07-04T09:00:00+01:00"
    cli.ok("tick", "--now", "2027-02-20T12:00")
    assert place(cli, guid(21), r)["state"] == "DISTRIBUTED"  # held until the DCC date, not activated
    cli.ok("tick", "--now", "2027-07-05T12:00")
    assert counts(cli, r) == {"ACTIVATED": 27}


def test_cancelling_a_batch_calls_back_activations_already_sent(cli: Cli) -> None:
    r = release(cli)
    b = batch(cli, r, "--rule", "region=South")["batch"]
    cli.ok("tick", "--now", "2027-02-06T12:00")  # images arrived on the 5th; activations sent for the 10th
    assert counts(cli, r).get("ACTIVATION_PENDING") == 7
    cli.ok("batch", "cancel", str(b), "--reason", "Incident in the South")
    cli.ok("tick", "--now", "2027-02-11T12:00")
    assert {place(cli, guid(n), r)["state"] for n in range(21, 26)} == {"CANCELLED"}
    assert {place(cli, guid(n), r)["firmware_version"] for n in range(21, 26)} != {"00020204"}
