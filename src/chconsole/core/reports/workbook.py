"""The one Excel writer behind every supplier report.

Rows are streamed through openpyxl's write-only mode, so memory stays flat however large
the report. Each sheet opens with a title block (title, then label/value facts), a header
row with frozen panes and an autofilter, then the data; rows beyond one sheet's capacity
continue on "Hubs (2)", "Hubs (3)" and so on. Text never becomes a formula, whatever it
starts with, because the text in our reports comes from outside (descriptions, commentary).
The file is written under a temporary name beside the target and renamed into place only
when complete, so a failed or cancelled run never leaves a half file under the final name.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from chconsole.core.vocabulary.london import LONDON

EXCEL_MAX_ROWS = 1_048_576
CREATOR = "DCC chconsole"
KINDS = frozenset({"text", "int", "datetime", "date"})
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"

_CHUNK = 10_000  # rows between progress reports and cancellation polls
_RISKY_FIRST = frozenset("=+-@\t\r")  # what spreadsheet programs may read as a formula
_ERROR_TEXTS = frozenset(ERROR_CODES)  # "#N/A" and friends would become error cells
_BIG_INT = 10**11  # from here Excel's General format switches to 1.2E+11
_HUGE_INT = 10**15  # beyond 15 digits Excel silently rounds: keep such numbers as text
_BAD_SHEET_CHARS = str.maketrans({c: "-" for c in "[]:*?/\\"})

_TITLE_FONT = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_ITALIC = Font(italic=True)
_HEADER_FILL = PatternFill(fill_type="solid", fgColor="D9D9D9")
_HEADER_BORDER = Border(bottom=Side(style="thin"))


class ReportCancelled(Exception):
    """The operator cancelled the report; the partial file has been removed."""


@dataclass(frozen=True)
class Column:
    """One column of a report.

    Attributes:
        title: The header text.
        width: The column width in Excel character widths.
        kind: "text", "int", "datetime" (aware UTC, shown as London wall-clock time)
            or "date".
    """

    title: str
    width: float
    kind: str = "text"


def write_report(
    path: Path,
    title: str,
    facts: Sequence[tuple[str, str]],
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    *,
    sheet_name: str = "Hubs",
    rows_per_sheet: int = EXCEL_MAX_ROWS,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    empty_text: str = "No hubs.",
) -> int:
    """Write a report workbook, streaming the rows, and return how many rows were written.

    Args:
        path: Where the finished workbook goes; replaced if it exists.
        title: The report's title, shown at the top of every sheet.
        facts: Label/value pairs for the title block (release, model, versions, dates...).
        columns: The data columns, in order.
        rows: The data, one sequence of values per row, consumed once.
        sheet_name: The first sheet's name; continuation sheets add " (2)", " (3)"...
        rows_per_sheet: Most data rows on one sheet; never more than fits under the
            title block within Excel's 1,048,576-row limit.
        progress: Called with the number of rows written every 10,000 rows and at the end.
        cancelled: Polled every 10,000 rows; when it returns True the run stops.
        empty_text: The row written, in italics, when there are no data rows.

    Returns:
        The number of data rows written.

    Raises:
        ReportCancelled: `cancelled` returned True; no file was left behind.
        ValueError: A column kind is unknown, a row is longer than the columns, or
            rows_per_sheet is below 1.
    """
    if not columns:
        raise ValueError("A report needs at least one column.")
    unknown = sorted({c.kind for c in columns} - KINDS)
    if unknown:
        raise ValueError(f"Unknown column kind {unknown[0]!r}; use one of {sorted(KINDS)}.")
    if rows_per_sheet < 1:
        raise ValueError("rows_per_sheet must be at least 1.")
    block = [[(_clean(title), _TITLE_FONT)], *_fact_rows(facts, columns)]
    widths = [c.width for c in columns]
    for line in block[1:]:  # labels must stay readable: widen their columns if need be
        for index in range(0, len(line), 2):
            widths[index] = max(widths[index], len(line[index][0]) * 1.1 + 2)
    capacity = min(rows_per_sheet, EXCEL_MAX_ROWS - len(block) - 2)  # block, blank, header
    path = Path(path)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    wb = Workbook(write_only=True)
    sheets: list[_Sheet] = []

    def next_sheet() -> _Sheet:
        if sheets:
            sheets[-1].finish()
        sheets.append(_Sheet(wb, _sheet_title(sheet_name, len(sheets) + 1), block, widths,
                             columns))
        return sheets[-1]

    written = 0
    try:
        if cancelled is not None and cancelled():
            raise ReportCancelled
        for row in rows:
            if not sheets or sheets[-1].rows == capacity:
                next_sheet()
            sheets[-1].append(row)
            written += 1
            if written % _CHUNK == 0:
                if cancelled is not None and cancelled():
                    raise ReportCancelled
                if progress is not None:
                    progress(written)
        if not sheets:
            ws = next_sheet().ws
            ws.append([_text_cell(ws, empty_text, _ITALIC)])
        sheets[-1].finish()
        wb.properties.creator = CREATOR
        wb.properties.title = block[0][0][0]
        wb.save(temp)
        with open(temp, "rb+") as saved:  # on disk before the rename makes it visible
            os.fsync(saved.fileno())
        os.replace(temp, path)
    except BaseException:
        _discard(wb, temp)
        raise
    if progress is not None and written % _CHUNK != 0:
        progress(written)
    return written


def _fact_rows(
    facts: Sequence[tuple[str, str]], columns: Sequence[Column]
) -> list[list[tuple[str, Font | None]]]:
    """Lay the facts out two pairs to a row (A-B, C-D), or one if the sheet is narrow.

    Text overflows to the right only into empty cells, so a value too long for column B
    gets a row of its own (or ends a row, in D, where nothing follows it).
    """
    pairs = [[(_clean(label), _BOLD), (_clean(value), None)] for label, value in facts]
    if len(columns) < 3:
        return pairs
    room = columns[1].width - 1
    lines: list[list[tuple[str, Font | None]]] = []
    left: list[tuple[str, Font | None]] | None = None
    for pair in pairs:
        if left is not None:
            lines.append(left + pair)
            left = None
        elif len(pair[1][0]) <= room:
            left = pair
        else:
            lines.append(pair)
    if left is not None:
        lines.append(left)
    return lines


class _Sheet:
    """One worksheet being streamed: its layout fixed up front, then the data rows."""

    def __init__(
        self,
        wb: Any,
        name: str,
        block: list[list[tuple[str, Font | None]]],
        widths: list[float],
        columns: Sequence[Column],
    ) -> None:
        self.ws = ws = wb.create_sheet(name)
        self.header_row = len(block) + 2
        self.width = len(columns)
        self.rows = 0
        self._kinds = [c.kind for c in columns]
        self._cells: dict[tuple[int, str | None], Any] = {}
        # Write-only mode drops these silently unless they are set before the first append.
        for index, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = f"A{self.header_row + 1}"
        # Printed, the report keeps all its columns on one landscape page width and
        # repeats the header row on every page.
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"  # A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_title_rows = f"{self.header_row}:{self.header_row}"
        for line in block:
            ws.append([_text_cell(ws, text, font) for text, font in line])
        ws.append([])
        ws.append([_text_cell(ws, c.title, _BOLD, header=True) for c in columns])

    def append(self, values: Sequence[object]) -> None:
        """Write one data row."""
        if len(values) > self.width:
            raise ValueError(f"A row has {len(values)} values for {self.width} columns.")
        cells: list[object] = []
        for index, value in enumerate(values):
            if type(value) is str:
                cells.append(self._text(index, value))
            elif value is None or type(value) is float or (
                type(value) is int and -_BIG_INT < value < _BIG_INT
            ):
                cells.append(value)
            else:
                cells.append(self._other(index, value))
        self.ws.append(cells)
        self.rows += 1

    def finish(self) -> None:
        """Set the autofilter over the header and data; it is written when the sheet closes."""
        last = get_column_letter(self.width)
        self.ws.auto_filter.ref = f"A{self.header_row}:{last}{self.header_row + self.rows}"

    def _text(self, index: int, value: str) -> object:
        if ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value[:1] not in _RISKY_FIRST and value not in _ERROR_TEXTS:
            return value
        cell = self._cell(index, None)
        cell.value = value
        cell.data_type = "s"
        return cell

    def _other(self, index: int, value: object) -> object:
        if isinstance(value, Enum):
            value = value.value if isinstance(value.value, str | int) else value.name
        if isinstance(value, bool | float | Decimal):
            return value
        if isinstance(value, int):
            if abs(value) < _BIG_INT:
                return int(value)
            if abs(value) >= _HUGE_INT:
                return self._text(index, str(value))
            cell = self._cell(index, "0")
            cell.value = int(value)
            return cell
        if isinstance(value, datetime):
            local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(LONDON)
            if self._kinds[index] == "date":
                value = local.date()
            else:
                cell = self._cell(index, DATETIME_FORMAT)
                cell.value = local.replace(tzinfo=None)
                return cell
        if isinstance(value, date):
            cell = self._cell(index, DATE_FORMAT)
            cell.value = value
            return cell
        return self._text(index, str(value))

    def _cell(self, index: int, number_format: str | None) -> Any:
        # One styled cell per column and format is reused, which is safe because openpyxl
        # writes each row out before the next append; a fresh styled cell per value made
        # rows of dates about a fifth slower.
        cell = self._cells.get((index, number_format))
        if cell is None:
            cell = WriteOnlyCell(self.ws)
            if number_format is None:
                cell.quotePrefix = True  # typing over the cell in Excel keeps it text
            else:
                cell.number_format = number_format
            self._cells[index, number_format] = cell
        return cell


def _text_cell(ws: Any, text: str, font: Font | None, header: bool = False) -> Any:
    """A styled cell that holds text as text, never as a formula or an error value."""
    text = _clean(text)
    cell = WriteOnlyCell(ws, text)
    cell.data_type = "s"
    if text[:1] in _RISKY_FIRST or text in _ERROR_TEXTS:
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    if header:
        cell.fill = _HEADER_FILL
        cell.border = _HEADER_BORDER
    return cell


def _clean(text: str) -> str:
    cleaned: str = ILLEGAL_CHARACTERS_RE.sub("", str(text))
    return cleaned


def _sheet_title(base: str, number: int) -> str:
    base = base.translate(_BAD_SHEET_CHARS).strip("'") or "Sheet"
    if number == 1:
        return base[:31]
    suffix = f" ({number})"
    return base[: 31 - len(suffix)] + suffix


def _discard(wb: Any, temp: Path) -> None:
    """Remove the partial file and openpyxl's per-sheet scratch files (in the temp dir)."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            if not ws.closed:
                ws.close()
        with contextlib.suppress(OSError):
            os.remove(writer.out)
    with contextlib.suppress(OSError):
        temp.unlink()
