"""Instructions, split consent, DCC batches, the overdue rule and a refresh's change of
supplier on a shared PostgreSQL database: the same SQL as on SQLite, for real."""

from __future__ import annotations

from pathlib import Path

from chc_helpers import Cli, counts, guid, place, write_csv
from test_instructions import ESTATE, instruct, release


def test_deployment_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    cli = Cli(pg_url, tmp_path)
    cli.ok("init", "--clock", "simulated", "--start", "2027-01-04T09:00")
    r = release(cli)
    got = instruct(cli, r, "OCTO", [guid(3), guid(11), guid(12), "junk"], "2027-02-03T10:00")
    assert got["accepted"] == 3 and got["awaiting"] == 2
    instruct(cli, r, "BGAS", [guid(11)], "2027-02-01T10:00")
    assert place(cli, guid(11), r)["planned_activation"] == "2027-02-03T10:00:00+00:00"
    made = cli.ok_json("batch", "create", str(r), "--rule", "region=South", "--rule", "size=3",
                       "--activate-at", "2027-02-10T10:00")
    assert isinstance(made, dict) and made["accepted"] == 3
    # Hub 12's gas supplier changes: OCTO's instruction still waits for the new one.
    changed = [row[:] for row in ESTATE]
    for row in changed:
        if row[0] == guid(11):
            row[6] = "EDFE"
    cli.ok("import-estate", str(write_csv(tmp_path / "refresh.csv", changed)))
    assert place(cli, guid(11), r)["state"] == "AWAITING_OTHER_SUPPLIER"
    cli.ok("tick", "--now", "2027-01-27T09:00")
    cli.ok("tick", "--now", "2027-02-05T12:00", "--downtime")
    batches = {b["kind"]: b for b in cli.ok_json("batch", "list")}  # type: ignore[union-attr]
    assert batches["dcc"]["state"] == "OVERDUE"
    assert batches["instructed"]["state"] == "OVERDUE"  # both fell due while the console was down
    for b in batches.values():
        if b["state"] == "OVERDUE":
            cli.ok("batch", "run-now", str(b["id"]))
    cli.ok("tick", "--now", "2027-07-06T09:00")
    assert counts(cli, r) == {"ACTIVATED": 27}
    assert cli.ok("verify-audit").status == 0
