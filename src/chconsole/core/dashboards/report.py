"""A supplier's dashboard as a workbook (`export dashboard`): three sheets, one per list.

"Releases" (each upgrade in flight and the supplier's hubs in it by state), "Your actions"
(what it owes, by when, the time left) and "Others' next dates" (DCC, the CSPs, the other
suppliers and the Panel). It is drawn from the same Dashboard as the screen, so it never
names another supplier either. Each sheet follows the report writer's layout (title block,
frozen header, autofilter, column widths, text that never becomes a formula) and the file
appears under its name only when complete.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from chconsole.core.dashboards.dashboard import Dashboard
from chconsole.core.reports.workbook import (
    _ITALIC,
    _TITLE_FONT,
    CREATOR,
    Column,
    _clean,
    _discard,
    _fact_rows,
    _Sheet,
    _text_cell,
)
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import show

# (hub state, column title) in the order a hub goes through them.
STATE_COLUMNS = (
    ("ELIGIBLE", "Not yet scheduled"),
    ("AWAITING_OTHER_SUPPLIER", "Waiting for another supplier"),
    ("SCHEDULED", "Scheduled"),
    ("DISTRIBUTING", "Distributing"),
    ("DISTRIBUTED", "Image held"),
    ("ACTIVATION_PENDING", "Activation pending"),
    ("ACTIVATED", "Activated"),
    ("FAILED", "Failed"),
    ("HELD", "Held until the pilot decision"),
    ("CANCELLED", "Cancelled"),
    ("EXCLUDED", "Excluded"),
)
RELEASE_COLUMNS = (
    Column("Release", 9, "int"),
    Column("Device model", 18),
    Column("To firmware", 12),
    Column("Release state", 17),
    Column("DCC deployment date", 18, "datetime"),
    Column("Instruction cut-off", 18, "datetime"),
    Column("Pilot", 40),
    Column("Your hubs", 11, "int"),
    *(Column(title, max(11, len(title) * 0.8), "int") for _state, title in STATE_COLUMNS),
    Column("Your instructions", 50),
    Column("Next time you instructed", 18, "datetime"),
)
ACTION_COLUMNS = (
    Column("What", 90),
    Column("Release", 9, "int"),
    Column("Due by", 18, "datetime"),
    Column("Time left", 24),
    Column("Overdue", 9),
    Column("Hubs", 11, "int"),
)
OTHERS_COLUMNS = (
    Column("Who", 18),
    Column("Next date", 18, "datetime"),
    Column("What", 50),
    Column("Release", 9, "int"),
    Column("Time left", 24),
)


@dataclass(frozen=True)
class SheetData:
    name: str
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[object]]
    empty_text: str


def check_target(out: Path) -> None:
    if out.suffix.lower() != ".xlsx":
        raise BadInput(f"The report file {out.name!r} must end in .xlsx.")
    if not out.parent.exists():
        raise BadInput(f"The folder {str(out.parent)!r} does not exist.")


def sheets(board: Dashboard) -> list[SheetData]:
    """The three sheets of a supplier's dashboard."""
    who = board.viewer.label
    releases = [
        (c.id, c.model, c.to_version, c.state, c.deployment_date, c.cut_off, c.pilot, c.hubs,
         *(c.counts.get(state, 0) for state, _title in STATE_COLUMNS), c.instructions, c.next_activation)
        for c in board.releases]
    actions = [(a.what, a.release_id, a.due, a.left, "Yes" if a.overdue else "No", a.hubs)
               for a in board.actions]
    others = [(o.actor, o.due, o.what, o.release_id, o.left) for o in board.others]
    return [
        SheetData("Releases", f"Dashboard of {who}: upgrades in flight", RELEASE_COLUMNS, releases,
                  " ".join(board.notes[:1]) or "No upgrade is in flight for you."),
        SheetData("Your actions", f"Dashboard of {who}: your outstanding actions", ACTION_COLUMNS, actions,
                  "Nothing is waiting for you."),
        SheetData("Others' next dates", f"Dashboard of {who}: when the others next have something due",
                  OTHERS_COLUMNS, others, "Nothing is due from anyone else."),
    ]


def write(board: Dashboard, out: Path) -> int:
    """Write BOARD to OUT; returns the number of data rows over all sheets."""
    facts = [("Supplier", board.viewer.label), ("As at", show(board.now)),
             ("Upgrades in flight", f"{len(board.releases):,}"),
             ("Your outstanding actions", f"{len(board.actions):,}")]
    return write_sheets(out, facts, sheets(board))


def write_sheets(path: Path, facts: Sequence[tuple[str, str]], data: Sequence[SheetData]) -> int:
    """Several small sheets in one workbook, each laid out as core/workbook.py lays out one."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    wb = Workbook(write_only=True)
    written = 0
    try:
        for sheet in data:
            block = [[(_clean(sheet.title), _TITLE_FONT)], *_fact_rows(facts, sheet.columns)]
            widths = [c.width for c in sheet.columns]
            for line in block[1:]:  # labels must stay readable, as in write_report
                for index in range(0, len(line), 2):
                    widths[index] = max(widths[index], len(line[index][0]) * 1.1 + 2)
            ws = _Sheet(wb, sheet.name, block, widths, sheet.columns)
            for row in sheet.rows:
                ws.append(row)
            if not sheet.rows:
                ws.ws.append([_text_cell(ws.ws, sheet.empty_text, _ITALIC)])
            ws.finish()
            written += len(sheet.rows)
        wb.properties.creator = CREATOR
        wb.properties.title = data[0].title if data else ""
        wb.save(temp)
        with open(temp, "rb+") as saved:  # on disk before the rename makes it visible
            os.fsync(saved.fileno())
        os.replace(temp, path)
    except BaseException:
        _discard(wb, temp)
        raise
    return written
