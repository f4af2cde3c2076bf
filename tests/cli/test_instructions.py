"""R3, R4 and R5 from the outside: supplier instructions, split-supply consent, the
receipt, the instructions report, and a change of supplier on an estate refresh.

The release is notified on 4 January 2027 at 09:00; its DCC date is 4 July 2027 09:00 and
its cut-off 4 June 2027 09:00 (London). OCTO's pilot (hubs 1 and 2) runs and is concluded
with proceed before the instructions come in, unless a test says otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from chc_helpers import (
    NEW,
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
    write_csv,
)

T1 = "2027-02-01T10:00"  # an instruction time well inside the rules
T2 = "2027-02-03T10:00"
DCC_DATE = "2027-07-04T09:00:00+01:00"

ESTATE = [
    *hubs(1, 10, "North", "OCTO", "OCTO"),  # one party holds both roles
    *hubs(11, 10, "Central", "OCTO", "BGAS"),  # split supply
    *hubs(21, 5, "South", "EDFE", ""),  # electricity only
    *hubs(26, 2, "South", "", "BGAS"),  # gas only
    *hubs(30, 1, "North", "OCTO", "OCTO", status="InstalledNotCommissioned"),
    *hubs(31, 1, "North", "OCTO", "OCTO", firmware=NEW),
    *hubs(32, 1, "North", "OCTO", "OCTO", model="OTHER-MODEL"),
]
_n = iter(range(1, 10_000))


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    c = Cli(f"sqlite:///{tmp_path / 'c.db'}", tmp_path)
    c.ok("init", "--clock", "simulated", "--start", "2027-01-04T09:00")
    return c


def release(cli: Cli, *extra: str, proceed: bool = True) -> int:
    r = pilot_release(cli, ESTATE, *extra)
    reliable_network(cli)
    nominated(cli, r, "OCTO", [guid(1), guid(2)])
    if proceed:
        cli.ok("pilot", "start", str(r))
        cli.ok("tick", "--now", "2027-01-08T09:00")
        cli.ok("pilot", "conclude", str(r), "--decision", "proceed", "--commentary", "Pilot went well.")
    return r


def instruct(cli: Cli, r: int, supplier: str, guids: list[str], at: str = T1, *extra: str) -> dict[str, object]:
    path = guid_list(cli.tmp / f"instruction-{next(_n)}.csv", guids)
    got = cli("instruct", str(r), "--supplier", supplier, "--file", str(path), "--activate-at", at, "--json", *extra)
    assert got.status == 0, got.err
    out = got.json()
    assert isinstance(out, dict)
    return out


def reasons(result: dict[str, object]) -> dict[str, str]:
    rejected = result["rejected"]
    assert isinstance(rejected, list)
    return {str(x["guid"]): str(x["reason"]) for x in rejected}


def test_each_guid_is_checked_and_the_valid_ones_go_ahead(cli: Cli) -> None:
    r = release(cli)
    got = instruct(cli, r, "OCTO", [guid(3), "not-a-guid", guid(3), guid(900), guid(21), guid(30), guid(31),
                                    guid(32), guid(1), guid(4)])
    assert got["accepted"] == 2
    assert reasons(got) == {
        "not-a-guid": "MALFORMED_GUID", guid(3): "DUPLICATE_IN_REQUEST", guid(900): "UNKNOWN_GUID",
        guid(21): "NOT_RESPONSIBLE", guid(30): "NOT_COMMISSIONED", guid(31): "ALREADY_ON_TARGET",
        guid(32): "NOT_ELIGIBLE", guid(1): "ALREADY_ON_TARGET"}  # the pilot activated hub 1
    assert place(cli, guid(3), r)["state"] == "SCHEDULED"
    assert place(cli, guid(3), r)["planned_activation"] == "2027-02-01T10:00:00+00:00"
    # The same hub again, even at another time, is already scheduled.
    again = instruct(cli, r, "OCTO", [guid(3)], T2)
    assert reasons(again) == {guid(3): "ALREADY_SCHEDULED"}
    assert place(cli, guid(3), r)["planned_activation"] == "2027-02-01T10:00:00+00:00"


def test_the_time_must_be_before_the_dcc_date_leave_the_lead_time_and_come_before_the_cut_off(cli: Cli) -> None:
    r = release(cli)
    assert set(reasons(instruct(cli, r, "OCTO", [guid(3)], "2027-07-04T09:00")).values()) == {"NOT_BEFORE_DCC_DATE"}
    # Now is 8 January 09:00 (the pilot's conclusion): seven days of lead time end on the 15th.
    assert set(reasons(instruct(cli, r, "OCTO", [guid(3), guid(4)], "2027-01-15T08:59")).values()) == {"TOO_SOON"}
    assert instruct(cli, r, "OCTO", [guid(3)], "2027-01-15T09:00")["accepted"] == 1
    cli.ok("tick", "--now", "2027-06-04T09:01")
    late = instruct(cli, r, "OCTO", [guid(4), "bad"], "2027-06-20T10:00")
    assert reasons(late) == {guid(4): "PAST_CUT_OFF", "bad": "MALFORMED_GUID"}
    assert place(cli, guid(4), r)["state"] != "SCHEDULED" or place(cli, guid(4), r)["planned_activation"] == DCC_DATE


def test_the_lead_time_is_set_per_release(cli: Cli) -> None:
    r = release(cli, "--lead-days", "3")
    assert instruct(cli, r, "OCTO", [guid(3)], "2027-01-11T09:00")["accepted"] == 1
    assert set(reasons(instruct(cli, r, "OCTO", [guid(4)], "2027-01-11T08:00")).values()) == {"TOO_SOON"}


def test_a_revoked_release_takes_no_instruction(cli: Cli) -> None:
    r = release(cli, proceed=False)
    cli.ok("release", "revoke", str(r), "--reason", "withdrawn")
    assert set(reasons(instruct(cli, r, "OCTO", [guid(3), guid(4)])).values()) == {"RELEASE_NOT_OPEN"}


def test_an_unreadable_file_is_refused_whole_and_changes_nothing(cli: Cli) -> None:
    r = release(cli)
    before = (counts(cli, r), len(notices(cli)))
    bad = write_csv(cli.tmp / "wrong.csv", [[guid(3)]], header=["serial"])
    got = cli("instruct", str(r), "--supplier", "OCTO", "--file", str(bad), "--activate-at", T1)
    assert got.status == 2 and "guid" in got.err.lower()
    missing = cli("instruct", str(r), "--supplier", "OCTO", "--file", str(cli.tmp / "none.csv"), "--activate-at", T1)
    assert missing.status == 2
    nobody = cli("instruct", str(r), "--supplier", "NOBODY", "--file", str(guid_list(cli.tmp / "g.csv", [guid(3)])),
                 "--activate-at", T1)
    assert nobody.status == 2
    assert (counts(cli, r), len(notices(cli))) == before
    assert cli.ok_json("instructions", "list") == []


def test_the_supplier_gets_a_receipt_listing_refused_guids_with_reasons(cli: Cli) -> None:
    r = release(cli)
    instruct(cli, r, "OCTO", [guid(3), guid(900), "xyz"], T1, "--batch", "wave-1")
    (receipt,) = notices(cli, "INSTRUCTION_RECEIPT", "OCTO")
    body = eml_body(str(receipt["file"]))
    assert "Accepted: 1" in body and "Refused: 2" in body
    assert f"{guid(900)}  UNKNOWN_GUID" in body and "xyz  MALFORMED_GUID" in body
    header, rows = _rows_after_title(Path(str(receipt["attachment"])))
    assert header == ["Line", "GUID", "Outcome", "Reason code", "Reason", "Shared with another supplier",
                      "Other supplier instructed", "Planned activation"]
    assert [(row[1], row[2], row[3]) for row in rows] == [
        (guid(3), "Accepted", None), (guid(900), "Refused", "UNKNOWN_GUID"), ("xyz", "Refused", "MALFORMED_GUID")]
    assert rows[0][7] is not None and (len(rows[1]) < 8 or rows[1][7] is None)


def test_split_supply_needs_both_instructions_and_takes_the_later_time(cli: Cli) -> None:
    r = release(cli)
    first = instruct(cli, r, "OCTO", [guid(11), guid(12), guid(3), guid(21)], T2)
    assert first["accepted"] == 3 and first["awaiting"] == 2 and first["scheduled"] == 1  # guid 21 is EDFE's
    assert place(cli, guid(11), r)["state"] == "AWAITING_OTHER_SUPPLIER"
    assert place(cli, guid(11), r)["planned_activation"] == DCC_DATE  # one of two instructions: the DCC date stays
    # BGAS is told a second supplier exists and has instructed, never who.
    (awaited,) = notices(cli, "INSTRUCTION_AWAITED", "BGAS")
    assert "2 hubs" in str(awaited["subject"]) and "OCTO" not in eml_body(str(awaited["file"]))
    # BGAS asks for an earlier time for 11 and a later one for 12: each hub takes the later.
    instruct(cli, r, "BGAS", [guid(11)], T1)
    instruct(cli, r, "BGAS", [guid(12)], "2027-02-05T10:00")
    assert place(cli, guid(11), r)["planned_activation"] == "2027-02-03T10:00:00+00:00"
    assert place(cli, guid(12), r)["planned_activation"] == "2027-02-05T10:00:00+00:00"
    assert {place(cli, guid(n), r)["state"] for n in (11, 12)} == {"SCHEDULED"}
    assert len(notices(cli, "INSTRUCTION_AGREED", "OCTO")) == 2
    # One instruction suffices where one party holds both roles, or there is only one supplier.
    assert place(cli, guid(3), r)["planned_activation"] == "2027-02-03T10:00:00+00:00"
    instruct(cli, r, "EDFE", [guid(21)], T1)
    instruct(cli, r, "BGAS", [guid(26)], T1)
    assert {place(cli, guid(n), r)["state"] for n in (21, 26)} == {"SCHEDULED"}


def test_no_supplier_ever_learns_who_shares_its_hubs(cli: Cli) -> None:
    r = release(cli)
    cli.ok("party", "set", "OCTO", "--name", "Octopus Energy")
    cli.ok("party", "set", "BGAS", "--name", "British Gas")
    instruct(cli, r, "OCTO", [guid(11), guid(12), guid(13)], T2)
    instruct(cli, r, "BGAS", [guid(11), guid(14), guid(999)], T1)
    cli.ok("export", "instructions", "--supplier", "BGAS", "--out", str(cli.tmp / "bgas-instructions.xlsx"))
    cli.ok("export", "instructions", "--supplier", "OCTO", "--out", str(cli.tmp / "octo-instructions.xlsx"))
    bgas = supplier_files(cli, "BGAS")
    assert any("INSTRUCTION" in n.upper() or "instruction" in n for n in bgas)
    for name, text in bgas.items():
        assert "OCTO" not in text and "Octopus" not in text, name
    for name, text in supplier_files(cli, "OCTO").items():
        assert "BGAS" not in text and "British Gas" not in text, name
    rows = report_dicts_by_line(cli.tmp / "bgas-instructions.xlsx")
    assert rows[guid(11)]["Shared with another supplier"] == "Yes"
    assert rows[guid(11)]["Other supplier instructed"] == "Yes"
    assert rows[guid(14)]["Other supplier instructed"] == "Not yet"
    assert rows[guid(14)]["Still counts"] == "Yes, waiting for the other supplier"
    assert rows[guid(999)]["Outcome"] == "Refused" and rows[guid(999)]["Reason code"] == "UNKNOWN_GUID"


def report_dicts_by_line(path: Path) -> dict[str, dict[str, object]]:
    wb_header, rows = _rows_after_title(path)
    return {str(row[wb_header.index("GUID")]): dict(zip(map(str, wb_header), row, strict=False)) for row in rows}


def _rows_after_title(path: Path) -> tuple[list[object], list[tuple[object, ...]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    at = next(i for i, row in enumerate(rows) if row and row[0] in ("Instruction", "Line"))
    return list(rows[at]), [row for row in rows[at + 1:] if row and row[0] is not None]


def test_a_change_of_supplier_on_refresh_drops_the_old_suppliers_instruction(cli: Cli) -> None:
    r = release(cli)
    instruct(cli, r, "OCTO", [guid(11), guid(3)], T2)
    instruct(cli, r, "BGAS", [guid(11)], T1)
    assert place(cli, guid(11), r)["state"] == "SCHEDULED"
    # Hub 11's gas moves from BGAS to EDFE; hub 3's electricity from OCTO to EDFE.
    changed = [row[:] for row in ESTATE]
    for row in changed:
        if row[0] == guid(11):
            row[6] = "EDFE"
        if row[0] == guid(3):
            row[5] = "EDFE"
    cli.ok("import-estate", str(write_csv(cli.tmp / "refresh.csv", changed)))
    # OCTO's instruction still counts for 11; BGAS's no longer does: it waits for EDFE.
    assert place(cli, guid(11), r)["state"] == "AWAITING_OTHER_SUPPLIER"
    assert place(cli, guid(11), r)["planned_activation"] == DCC_DATE
    # Hub 3 is now shared: OCTO (gas) instructed, EDFE (electricity) has not.
    assert place(cli, guid(3), r)["state"] == "AWAITING_OTHER_SUPPLIER"
    told = {str(n["recipient"]) for n in notices(cli, "INSTRUCTION_LAPSED")}
    assert told == {"BGAS", "EDFE", "OCTO"}
    for name, text in supplier_files(cli, "EDFE").items():
        assert "BGAS" not in text and "OCTO" not in text, name
    # EDFE's instruction now completes the pair.
    instruct(cli, r, "EDFE", [guid(11), guid(3)], T1)
    assert place(cli, guid(11), r)["planned_activation"] == "2027-02-03T10:00:00+00:00"
    assert place(cli, guid(3), r)["state"] == "SCHEDULED"


def test_instructed_hubs_activate_at_their_time_and_the_rest_at_the_dcc_date_untouched(cli: Cli) -> None:
    r = release(cli)
    instruct(cli, r, "OCTO", [guid(3), guid(4)], T1)
    cli.ok("tick", "--now", "2027-02-01T09:59")
    assert place(cli, guid(3), r)["state"] == "ACTIVATION_PENDING"
    cli.ok("tick", "--now", "2027-02-02T09:00")
    hub3 = place(cli, guid(3), r)
    assert hub3["state"] == "ACTIVATED" and hub3["firmware_version"] == NEW
    assert place(cli, guid(5), r)["state"] == "ELIGIBLE"
    cli.ok("tick", "--now", "2027-07-04T08:59")
    assert place(cli, guid(5), r)["state"] == "ACTIVATION_PENDING"
    assert place(cli, guid(5), r)["planned_activation"] == DCC_DATE
    cli.ok("tick", "--now", "2027-07-05T12:00")
    final = counts(cli, r)
    assert final == {"ACTIVATED": 27}  # every eligible hub: 2 pilot + 25 safe launch
    shown = cli.ok_json("release", "show", str(r))
    assert isinstance(shown, dict) and shown["state"] == "COMPLETED"


def test_the_gate_holds_instructed_hubs_until_the_pilot_decision(cli: Cli) -> None:
    r = release(cli, proceed=False)
    cli.ok("pilot", "start", str(r))
    instruct(cli, r, "OCTO", [guid(3)], "2027-01-20T10:00")
    cli.ok("tick", "--now", "2027-01-21T10:00")
    assert place(cli, guid(3), r)["state"] == "HELD"
    assert notices(cli, "SAFE_LAUNCH_HELD", "OCTO")
    cli.ok("pilot", "conclude", str(r), "--decision", "proceed", "--commentary", "ok")
    cli.ok("tick", "--now", "2027-01-26T10:00")
    assert place(cli, guid(3), r)["state"] == "ACTIVATED"


def test_dcc_can_decide_without_a_pilot_and_the_rollout_then_goes_ahead(cli: Cli) -> None:
    r = pilot_release(cli, ESTATE)
    reliable_network(cli)
    instruct(cli, r, "OCTO", [guid(3)], "2027-01-20T10:00")
    refused = cli("pilot", "conclude", str(r), "--decision", "proceed", "--commentary", " ")
    assert refused.status == 2
    cli.ok("pilot", "conclude", str(r), "--decision", "proceed", "--commentary", "Low-risk fix: no pilot needed.")
    shown = cli.ok_json("release", "show", str(r))
    assert isinstance(shown, dict) and shown["state"] == "PILOT_CONCLUDED"
    end = notices(cli, "PILOT_END", "OCTO")
    assert end and "without a pilot" in eml_body(str(end[0]["file"]))
    cli.ok("tick", "--now", "2027-01-21T10:00")
    assert place(cli, guid(3), r)["state"] == "ACTIVATED"
    cli.ok("tick", "--now", "2027-07-05T12:00")
    assert counts(cli, r) == {"ACTIVATED": 27}


def test_a_pilot_with_hubs_must_run_before_it_is_concluded(cli: Cli) -> None:
    r = release(cli, proceed=False)
    got = cli("pilot", "conclude", str(r), "--decision", "proceed", "--commentary", "skip it")
    assert got.status == 2 and "start it" in got.err
