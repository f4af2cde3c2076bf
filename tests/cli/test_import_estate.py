"""Estate import and refresh from the outside: bad files change nothing, refresh rules."""

from __future__ import annotations

import pytest
from chc_helpers import HEADER, MODEL, OLD, guid, write_csv
from openpyxl import Workbook
from sqlalchemy import create_engine, text


def _hubs(cli) -> list[tuple]:
    engine = create_engine(cli.url)
    with engine.connect() as c:
        rows = c.execute(text(
            "SELECT guid, device_model, firmware_version, smi_status, csp_region, "
            "import_supplier, gas_supplier, in_smi FROM hub ORDER BY guid")).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def row(n: int, **kw: str) -> list[str]:
    base = {"guid": guid(n), "device_model": MODEL, "firmware_version": OLD,
            "smi_status": "Commissioned", "csp_region": "North", "import_supplier": "OCTO",
            "gas_supplier": "BGAS"}
    base.update(kw)
    return [base[h] for h in HEADER]


def test_guids_are_stored_canonical_whatever_the_case_and_hyphens(cli):
    r = cli.estate([row(1, guid="00db12000000000a"), row(2, guid="00-db-12-00-00-00-00-0b")])
    assert r.status == 0, r.err
    assert [h[0] for h in _hubs(cli)] == ["00-DB-12-00-00-00-00-0A", "00-DB-12-00-00-00-00-0B"]


def test_a_bad_row_refuses_the_whole_file_listing_every_bad_row(cli):
    cli.estate([row(1)])
    before = _hubs(cli)
    r = cli.estate([
        row(2), row(3, guid="not-a-guid"), row(4, smi_status="Installed"),
        row(5, csp_region="Wales"), row(6, firmware_version="12G"), row(2, csp_region="South"),
        row(7, import_supplier="ARQIVA"),
    ], name="bad.csv")
    assert r.status == 2
    assert "6 bad row(s)" in r.err and "nothing was imported" in r.err
    for line, words in [(3, "not a hub GUID"), (4, "not an SMI status"), (5, "Wales"),
                        (6, "firmware_version"), (7, "also on line 2"), (8, "is a CSP")]:
        assert f"line {line}: " in r.err and words in r.err
    assert _hubs(cli) == before


def test_skip_invalid_imports_the_good_rows_and_reports_the_rest(cli):
    r = cli("import-estate", str(write_csv(cli.tmp / "e.csv", [row(1), row(2, guid="zz"), row(3)])),
            "--skip-invalid", "--json")
    assert r.status == 0
    data = r.json()
    assert data["added"] == 2 and len(data["skipped"]) == 1 and "line 3" in data["skipped"][0]


def test_missing_column_unreadable_and_empty_files_are_refused_whole(cli):
    r = cli("import-estate", str(write_csv(cli.tmp / "e.csv", [[guid(1), MODEL]], ["guid", "device_model"])))
    assert r.status == 2 and "lacks the column(s) firmware_version" in r.err
    (cli.tmp / "junk.xlsx").write_bytes(b"not a zip")
    r = cli("import-estate", str(cli.tmp / "junk.xlsx"))
    assert r.status == 2 and "not a readable .xlsx" in r.err
    r = cli("import-estate", str(write_csv(cli.tmp / "empty.csv", [])))
    assert r.status == 2 and "no hub rows" in r.err
    r = cli("import-estate", str(cli.tmp / "missing.csv"))
    assert r.status == 2 and "does not exist" in r.err
    assert _hubs(cli) == []


def test_xlsx_extract_with_bom_free_headers_in_any_case_and_extra_columns(cli):
    book = Workbook()
    sheet = book.active
    sheet.append(["GUID", "Device_Model", "Firmware_Version", "SMI_Status", "CSP_Region",
                  "Import_Supplier", "Gas_Supplier", "Notes"])
    sheet.append([guid(1), MODEL, OLD, "commissioned", "north", "octo", None, "x"])
    sheet.append([guid(2), MODEL, 20130, "Commissioned", "South", "OCTO"])  # Excel ate the zeros
    book.save(cli.tmp / "e.xlsx")
    cli.ok("import-estate", str(cli.tmp / "e.xlsx"))
    assert _hubs(cli) == [
        (guid(1), MODEL, OLD, "Commissioned", "North", "OCTO", None, 1),
        (guid(2), MODEL, "00020130", "Commissioned", "South", "OCTO", None, 1),
    ]


def test_csv_with_a_byte_order_mark(cli):
    path = cli.tmp / "bom.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join(row(1)) + "\n", encoding="utf-8-sig")
    cli.ok("import-estate", str(path))
    assert len(_hubs(cli)) == 1


def test_importing_again_refreshes_adds_and_updates_but_leaves_missing_hubs(cli):
    cli.estate([row(1), row(2), row(3)])
    r = cli.ok_json("import-estate", str(write_csv(cli.tmp / "e2.csv", [
        row(1), row(2, firmware_version="00020204", gas_supplier="EDFE"), row(4)])))
    assert (r["added"], r["updated"], r["gone"], r["supplier_changes"]) == (1, 1, 0, 1)
    hubs = {h[0]: h for h in _hubs(cli)}
    assert hubs[guid(2)][2] == "00020204" and hubs[guid(2)][6] == "EDFE"
    assert hubs[guid(3)][7] == 1  # not in this file, but the file is not complete


def test_full_extract_marks_missing_hubs_gone_and_takes_them_out_of_releases(released):
    released.ok("release", "notify", "1")
    keep = [[guid(n), MODEL, "0002012F", "Commissioned", "North", "OCTO", "OCTO"] for n in (2, 3, 7)]
    r = released.ok_json("import-estate", str(write_csv(released.tmp / "full.csv", keep)), "--full")
    assert r["gone"] == 4 and r["left_releases"] == 1  # hub 1 was eligible for release 1
    hub = released.ok_json("hub", "show", guid(1))
    assert hub["in_smi"] is False
    assert hub["releases"][0]["state"] == "EXCLUDED" and hub["releases"][0]["reason"] == "NOT_IN_SMI"
    told = [n for n in released.ok_json("outbox", "list") if n["kind"] == "HUBS_LEFT_RELEASE"]
    assert sorted(n["recipient"] for n in told) == ["BGAS", "OCTO"]
    counts = released.ok_json("release", "show", "1")["counts"]
    assert counts == {"ELIGIBLE": 3, "EXCLUDED": 1}


@pytest.mark.parametrize("who,status", [("bob", 3), ("nobody", 3)])
def test_only_operators_and_release_managers_import(cli, who, status):
    cli.ok("user", "add", "bob", "--role", "panel-secretary")
    r = cli("import-estate", str(write_csv(cli.tmp / "e.csv", [row(1)])), actor=who)
    assert r.status == status
    assert _hubs(cli) == []


def test_a_cell_holding_two_guids_on_two_lines_is_refused(cli):
    r = cli.estate([row(1), row(2, guid=f"{guid(3)}\n{guid(4)}")])
    assert r.status == 2 and "line 3: " in r.err and "not a hub GUID" in r.err
    assert _hubs(cli) == []


def test_blank_lines_are_skipped_and_short_rows_read_as_blank_suppliers(cli):
    path = cli.tmp / "gaps.csv"
    path.write_text(
        ",".join(HEADER) + "\n" + ",".join(row(1)) + "\n\n"
        + ",".join(row(2)[:5]) + "\n" + ",".join(row(3)) + "\n", encoding="utf-8")
    cli.ok("import-estate", str(path))
    hubs = _hubs(cli)
    assert [h[0] for h in hubs] == [guid(1), guid(2), guid(3)]
    assert hubs[1][5:7] == (None, None)


def test_hub_ids_follow_the_extract_order_without_gaps(cli):
    cli.estate([row(n) for n in (5, 3, 9)])
    cli.estate([row(n) for n in (7, 3, 1)], name="e2.csv")
    engine = create_engine(cli.url)
    with engine.connect() as c:
        ids = c.execute(text("SELECT id, guid FROM hub ORDER BY id")).all()
    engine.dispose()
    assert [(i, g) for i, g in ids] == [(1, guid(5)), (2, guid(3)), (3, guid(9)), (4, guid(7)), (5, guid(1))]


def test_with_json_a_refused_file_is_also_one_json_document(cli):
    r = cli("import-estate", str(write_csv(cli.tmp / "bad.csv", [row(1), row(2, guid="nope")])), "--json")
    assert r.status == 2
    doc = r.json()
    assert doc["exit_status"] == 2 and "nothing was imported" in doc["error"]
    assert doc["problems"] == ["line 3: 'nope' is not a hub GUID"]


def test_a_guid_twice_in_a_clean_first_extract_is_listed_and_nothing_imported(cli):
    r = cli.estate([row(1), row(2), row(1, csp_region="South")])
    assert r.status == 2 and f"line 4: GUID {guid(1)} also on line 2" in r.err
    assert _hubs(cli) == []
    r = cli("import-estate", str(cli.tmp / "estate.csv"), "--skip-invalid", "--json")
    assert r.status == 0 and r.json()["added"] == 2
    assert [h[4] for h in _hubs(cli)] == ["North", "North"]  # the first row of a GUID wins
