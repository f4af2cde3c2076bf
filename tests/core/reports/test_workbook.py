"""The supplier report writer, checked by reading the files back as a supplier would."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from chconsole.core.reports import workbook
from chconsole.core.reports.workbook import Column, ReportCancelled, write_report

TITLE = "Eligibility report — release 3"
FACTS = [("Release", "3"), ("Model", "EDMI"), ("From", "1.2.0"), ("To", "1.3.0")]
COLUMNS = [
    Column("Hub", 26),
    Column("Supplier", 14),
    Column("Attempts", 10, "int"),
    Column("Installed", 18, "datetime"),
    Column("Due", 12, "date"),
    Column("Note", 40),
]
HEADER = 5  # title, two rows of facts (two pairs each), a blank row, then the header


def hub_rows(count: int) -> list[list[object]]:
    return [[f"00-DB-{i:06d}", "EDMI", i, None, None, f"row {i}"] for i in range(count)]


def write(tmp_path: Path, rows: Any, **kwargs: Any) -> tuple[int, Any]:
    path = tmp_path / "report.xlsx"
    facts = kwargs.pop("facts", FACTS)
    columns = kwargs.pop("columns", COLUMNS)
    count = write_report(path, TITLE, facts, columns, rows, **kwargs)
    return count, load_workbook(path)


def values(ws: Any, row: int) -> list[object]:
    return [cell.value for cell in ws[row]]


def test_title_block_header_and_data_are_where_a_supplier_expects(tmp_path: Path) -> None:
    count, wb = write(tmp_path, hub_rows(3))
    ws = wb["Hubs"]
    assert count == 3
    assert ws["A1"].value == TITLE and ws["A1"].font.b and ws["A1"].font.sz == 14
    assert values(ws, 2)[:4] == ["Release", "3", "Model", "EDMI"]
    assert values(ws, 3)[:4] == ["From", "1.2.0", "To", "1.3.0"]
    assert ws["A2"].font.b and ws["C2"].font.b and not ws["B2"].font.b
    assert all(value is None for value in values(ws, 4))
    assert values(ws, HEADER) == [c.title for c in COLUMNS]
    for cell in ws[HEADER]:
        assert cell.font.b
        assert cell.fill.fgColor.rgb == "00D9D9D9"
        assert cell.border.bottom.style == "thin"
    assert values(ws, HEADER + 1) == ["00-DB-000000", "EDMI", 0, None, None, "row 0"]
    assert ws.max_row == HEADER + 3
    assert wb.properties.creator == "DCC chconsole"
    assert wb.properties.title == TITLE


def test_freeze_panes_autofilter_and_widths_survive_write_only_mode(tmp_path: Path) -> None:
    _, wb = write(tmp_path, hub_rows(7))
    ws = wb["Hubs"]
    assert ws.freeze_panes == f"A{HEADER + 1}"
    assert ws.auto_filter.ref == f"A{HEADER}:F{HEADER + 7}"
    widths = {letter: ws.column_dimensions[letter].width for letter in "ABCDEF"}
    assert widths == {"A": 26, "B": 14, "C": 10, "D": 18, "E": 12, "F": 40}


def test_a_long_label_widens_its_column_so_it_is_not_cut_off(tmp_path: Path) -> None:
    facts = [("Firmware version before the release", "1.2.0")]
    _, wb = write(tmp_path, [], facts=facts, columns=[Column("Hub", 10), Column("State", 12)])
    assert wb["Hubs"].column_dimensions["A"].width >= len(facts[0][0])
    assert wb["Hubs"].column_dimensions["B"].width == 12


def test_long_fact_values_have_empty_cells_to_their_right(tmp_path: Path) -> None:
    note = "https://dcc.example/releases/3/notes/communications-hub-firmware-1.3.0.pdf"
    facts = [("Release", "3"), ("Release note", note), ("Severity", "High"),
             ("Priority", "P2"), ("Recipient", "Supplier A")]
    _, wb = write(tmp_path, [], facts=facts)
    ws = wb["Hubs"]
    rows = [[v for v in values(ws, r) if v is not None] for r in range(2, 5)]
    # "Release" is short, so the long note may follow it in C:D, where nothing is to its right.
    assert rows == [["Release", "3", "Release note", note],
                    ["Severity", "High", "Priority", "P2"],
                    ["Recipient", "Supplier A"]]
    facts = [("Release note", note), ("Release", "3")]
    _, wb = write(tmp_path, [], facts=facts)
    ws = wb["Hubs"]
    assert values(ws, 2)[:2] == ["Release note", note]
    assert all(value is None for value in values(ws, 2)[2:])
    assert values(ws, 3)[:2] == ["Release", "3"]


def test_narrow_reports_put_one_fact_on_a_row(tmp_path: Path) -> None:
    _, wb = write(tmp_path, [["h1", "ok"]], columns=[Column("Hub", 26), Column("State", 12)])
    ws = wb["Hubs"]
    assert [values(ws, r) for r in range(2, 6)] == [list(pair) for pair in FACTS]
    assert values(ws, 7) == ["Hub", "State"]
    assert ws.freeze_panes == "A8" and ws.auto_filter.ref == "A7:B8"


HOSTILE = ["=SUM(1,2)", "+1", "-1", "@x", '=HYPERLINK("http://evil.example","Click")',
           "\t=1+1", "\r=1+1", "#N/A", "="]


def test_text_is_never_a_formula_wherever_it_appears(tmp_path: Path) -> None:
    columns = [Column("=HEADER()", 20), Column("Note", 20), Column("Count", 8, "int")]
    rows = [[text, f"plain {i}", i] for i, text in enumerate(HOSTILE)]
    path = tmp_path / "report.xlsx"
    write_report(path, "=TITLE()", [("-label", "@value")], columns, rows)
    ws = load_workbook(path)["Hubs"]
    assert ws["A1"].value == "=TITLE()" and ws["A1"].data_type == "s"
    assert values(ws, 2)[:2] == ["-label", "@value"]
    assert ws["A4"].value == "=HEADER()" and ws["A4"].data_type == "s"
    for offset, text in enumerate(HOSTILE, 5):
        cell = ws.cell(offset, 1)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
        assert ws.cell(offset, 3).value == offset - 5
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        for name in sheets:
            xml = archive.read(name).decode()
            assert "<f>" not in xml and "<f " not in xml


def test_characters_illegal_in_xml_are_dropped_not_fatal(tmp_path: Path) -> None:
    _, wb = write(tmp_path, [["00-DB\x00-01", "a\x0bb", 1, None, None, "tab\tand\nline"]],
                  facts=[("Note\x1f", "x\x08y")])
    ws = wb["Hubs"]
    assert values(ws, 2)[:2] == ["Note", "xy"]
    assert values(ws, 5)[:3] == ["00-DB-01", "ab", 1]
    assert ws.cell(5, 6).value == "tab\tand\nline"


def test_datetimes_are_london_wall_clock_time(tmp_path: Path) -> None:
    summer = datetime(2027, 7, 1, 12, 30, tzinfo=UTC)  # BST: 13:30 in London
    winter = datetime(2027, 1, 15, 12, 30, tzinfo=UTC)  # GMT: 12:30 in London
    late = datetime(2027, 6, 30, 23, 30, tzinfo=UTC)  # already 1 July in London
    rows = [["h1", "A", 1, summer, date(2027, 7, 2), None],
            ["h2", "A", 2, winter, late, None]]
    _, wb = write(tmp_path, rows)
    ws = wb["Hubs"]
    first, second = ws[HEADER + 1], ws[HEADER + 2]
    assert first[3].value == datetime(2027, 7, 1, 13, 30)
    assert second[3].value == datetime(2027, 1, 15, 12, 30)
    assert first[3].number_format == second[3].number_format == "yyyy-mm-dd hh:mm"
    assert first[4].value == datetime(2027, 7, 2) and first[4].number_format == "yyyy-mm-dd"
    assert second[4].value == datetime(2027, 7, 1)


def test_numbers_stay_numbers_and_none_is_an_empty_cell(tmp_path: Path) -> None:
    rows = [["h1", None, 7, None, None, 2.5], ["h2", None, 12_345_678_901_234, None, None, None],
            ["h3", None, 2**70, None, None, None]]
    _, wb = write(tmp_path, rows)
    ws = wb["Hubs"]
    assert values(ws, HEADER + 1) == ["h1", None, 7, None, None, 2.5]
    assert ws.cell(HEADER + 2, 3).value == 12_345_678_901_234
    assert ws.cell(HEADER + 2, 3).number_format == "0"  # not 1.23457E+13
    assert ws.cell(HEADER + 3, 3).value == str(2**70)  # Excel would round it


def test_rows_continue_on_further_sheets_each_with_title_and_header(tmp_path: Path) -> None:
    rows = hub_rows(25)
    count, wb = write(tmp_path, iter(rows), rows_per_sheet=10)
    assert count == 25
    assert wb.sheetnames == ["Hubs", "Hubs (2)", "Hubs (3)"]
    seen: list[list[object]] = []
    for ws, expected in zip(wb.worksheets, (10, 10, 5), strict=True):
        assert ws["A1"].value == TITLE
        assert values(ws, HEADER) == [c.title for c in COLUMNS]
        assert ws.freeze_panes == f"A{HEADER + 1}"
        assert ws.auto_filter.ref == f"A{HEADER}:F{HEADER + expected}"
        data = [values(ws, r) for r in range(HEADER + 1, ws.max_row + 1)]
        assert len(data) == expected
        seen.extend(data)
    assert seen == rows


def test_a_sheet_never_exceeds_excels_row_limit(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 12)  # leaves room for 7 data rows
    count, wb = write(tmp_path, hub_rows(15))
    assert count == 15
    assert [ws.max_row for ws in wb.worksheets] == [12, 12, HEADER + 1]


def test_an_empty_report_is_still_a_valid_workbook(tmp_path: Path) -> None:
    count, wb = write(tmp_path, iter([]))
    assert count == 0
    assert wb.sheetnames == ["Hubs"]
    ws = wb["Hubs"]
    assert values(ws, HEADER) == [c.title for c in COLUMNS]
    assert ws.cell(HEADER + 1, 1).value == "No hubs."
    assert ws.cell(HEADER + 1, 1).font.i
    assert ws.auto_filter.ref == f"A{HEADER}:F{HEADER}"
    assert ws.max_row == HEADER + 1


def many(count: int) -> Iterator[list[object]]:
    return ([f"h{i}"] for i in range(count))


def test_progress_is_reported_every_ten_thousand_rows_and_at_the_end(tmp_path: Path) -> None:
    seen: list[int] = []
    path = tmp_path / "big.xlsx"
    write_report(path, TITLE, FACTS, [Column("Hub", 10)], many(25_000), progress=seen.append)
    assert seen == [10_000, 20_000, 25_000]


def test_cancelling_removes_every_trace_and_keeps_the_old_report(
    tmp_path: Path, monkeypatch: Any
) -> None:
    scratch = tmp_path / "scratch"  # where openpyxl streams each sheet before zipping
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    out = tmp_path / "out"
    out.mkdir()
    path = out / "report.xlsx"
    path.write_bytes(b"last week's report")
    polls: list[int] = []

    def cancelled() -> bool:
        polls.append(1)
        return len(polls) > 2  # the start, 10,000 rows, then cancel at 20,000

    with pytest.raises(ReportCancelled):
        write_report(path, TITLE, FACTS, [Column("Hub", 10)], many(50_000),
                     rows_per_sheet=15_000, cancelled=cancelled)
    assert len(polls) == 3
    assert path.read_bytes() == b"last week's report"
    assert list(out.iterdir()) == [path]
    assert list(scratch.iterdir()) == []


def test_a_failing_source_leaves_no_file(tmp_path: Path) -> None:
    def broken() -> Iterator[list[object]]:
        yield ["h1"]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        write_report(tmp_path / "r.xlsx", TITLE, FACTS, [Column("Hub", 10)], broken())
    assert list(tmp_path.iterdir()) == []


def test_mistakes_in_the_call_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="kind"):
        write_report(tmp_path / "r.xlsx", TITLE, FACTS, [Column("Hub", 10, "guid")], [])
    with pytest.raises(ValueError, match="2 values for 1 columns"):
        write_report(tmp_path / "r.xlsx", TITLE, FACTS, [Column("Hub", 10)], [["a", "b"]])
    assert list(tmp_path.iterdir()) == []


def test_a_printed_report_fits_the_page_width_and_repeats_its_header(tmp_path: Path) -> None:
    from chconsole.core.reports.workbook import Column, write_report

    out = tmp_path / "print.xlsx"
    write_report(out, "Title", [("Release", "1")], [Column("GUID", 26), Column("Role", 12)],
                 [("00-DB-12-34-56-78-90-A0", "Gas")])
    sheet = load_workbook(out).worksheets[0]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    header = int(sheet.freeze_panes[1:]) - 1
    assert sheet.print_title_rows == f"${header}:${header}"
