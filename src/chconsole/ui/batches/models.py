"""The Batch control view's two tables, batches and supplier instructions, as models.

Both lists are small (a release has a handful of batches and at most a few hundred
instructions), so each model holds ready-made rows and set_rows() replaces them only when
they changed: the living clock re-reads the view, and a reset would lose the selection.
A batch's progress is drawn as a stacked bar under its words (ProgressDelegate), and an
overdue batch's row stands out in red, because it is an outstanding DCC action.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

from chconsole.core.engine.dto import BatchInfo, InstructionInfo
from chconsole.core.vocabulary.london import show
from chconsole.ui.common.rows_model import Cell, Index, RowsModel
from chconsole.ui.common.widgets import RIGHT

BATCH_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's BatchInfo
SEGMENTS_ROLE = Qt.ItemDataRole.UserRole + 2  # the progress bar's (share, colour) pieces

BATCH_STATES = {"PLANNED": "Planned", "RUNNING": "Running", "OVERDUE": "Overdue", "DONE": "Done",
                "CANCELLED": "Cancelled"}
OPEN_BATCH = ("PLANNED", "RUNNING", "OVERDUE")
# Hub states in the order a batch's hubs pass through them, with the colour each is drawn in.
HUB_STATES: tuple[tuple[str, str, str], ...] = (
    ("SCHEDULED", "Scheduled", "#c3cad3"),
    ("HELD", "Held at the pilot gate", "#e0a43a"),
    ("DISTRIBUTING", "Distributing", "#8fb3dc"),
    ("DISTRIBUTED", "Image held", "#3b6ea5"),
    ("ACTIVATION_PENDING", "Activation pending", "#23527f"),
    ("ACTIVATED", "Activated", "#2e8b57"),
    ("FAILED", "Failed", "#c0392b"),
    ("CANCELLED", "Cancelled", "#7b8794"),
)
HUB_TITLES = {state: title for state, title, _colour in HUB_STATES}
OVERDUE_RED = QColor("#b3261e")
OVERDUE_ROW = QColor("#fdecea")
MUTED = QColor("#6b7682")
REFUSED = QColor("#9a5b00")


def segments(counts: Mapping[str, int]) -> list[tuple[float, str]]:
    """A batch's hubs per state as (share of the bar, colour), in the order hubs move on."""
    total = sum(counts.values())
    if total <= 0:
        return []
    known = [(counts.get(s, 0) / total, colour) for s, _t, colour in HUB_STATES if counts.get(s, 0)]
    rest = total - sum(counts.get(s, 0) for s, _t, _c in HUB_STATES)
    return known + ([(rest / total, "#dde2e8")] if rest > 0 else [])


def progress_words(b: BatchInfo) -> str:
    """A batch's progress in a few words: what a person wants to know at a glance."""
    if b.kind == "deployment_date" and not b.hubs:
        return "Takes every hub left"
    if not b.hubs:
        return "No hubs"
    done, failed = b.counts.get("ACTIVATED", 0), b.counts.get("FAILED", 0)
    if b.state == "CANCELLED":
        return f"Cancelled; {done:,} had activated" if done else "Cancelled"
    if b.state == "PLANNED" and not done and not failed:
        return "Not started"
    words = f"{done / b.hubs:.0%} activated ({done:,})"
    return words + (f", {failed:,} failed" if failed else "")


def _counts_tip(b: BatchInfo) -> str:
    lines = [f"{HUB_TITLES.get(s, s.replace('_', ' ').capitalize())}: {n:,}"
             for s, n in sorted(b.counts.items(), key=lambda kv: _order(kv[0])) if n]
    return "\n".join(lines) or "No hubs yet"


def _order(state: str) -> int:
    return next((i for i, (s, _t, _c) in enumerate(HUB_STATES) if s == state), len(HUB_STATES))


class BatchModel(RowsModel):
    """Batches: kind, name, activation, distribution from, state, hubs, progress."""

    COLUMNS = ("Kind", "Name", "Activation", "Distribution from", "State", "Hubs", "Progress")
    PROGRESS = 6

    def __init__(self) -> None:
        super().__init__(self.COLUMNS, numeric=(5,))

    def show_batches(self, batches: Sequence[BatchInfo], waiting: int | None = None) -> bool:
        """WAITING: the hubs the DCC deployment date's batch will take (not in it yet)."""
        return self.set_rows(batches, [_batch_row(b, waiting) for b in batches],
                             [OVERDUE_ROW if b.state == "OVERDUE" else None for b in batches])

    def batch(self, row: int) -> BatchInfo | None:
        return self.records[row] if 0 <= row < len(self.records) else None

    def row_of(self, batch_id: int) -> int:
        return next((r for r, b in enumerate(self.records) if b.id == batch_id), -1)

    def extra(self, row: int, column: int, role: int) -> Any:
        if role == BATCH_ROLE:
            return self.records[row]
        if role == SEGMENTS_ROLE and column == self.PROGRESS:
            return segments(self.records[row].counts)
        return None


def _batch_row(b: BatchInfo, waiting: int | None) -> tuple[Cell, ...]:
    overdue = b.state == "OVERDUE"
    later = b.kind == "deployment_date" and not b.hubs
    hubs = (Cell(f"{waiting:,}" if waiting else "\u2013", RIGHT, MUTED, italic=True,
                 tip="Not in the batch yet: every safe-launch hub without an earlier time joins it "
                     "when its distribution begins") if later else Cell(f"{b.hubs:,}", RIGHT))
    state_tip = (f"Due at {show(b.overdue_since)} while the scheduler was down: run it now or re-plan it"
                 if overdue and b.overdue_since else "")
    return (
        Cell(b.kind_title),
        Cell(b.name, tip=f"{b.name}\nSource: {b.source}"),
        Cell(show(b.activate_at), bold=overdue),
        Cell(show(b.distribute_from), colour=OVERDUE_RED if overdue else None),
        Cell(BATCH_STATES.get(b.state, b.state), colour=OVERDUE_RED if overdue else MUTED if b.state in
             ("DONE", "CANCELLED") else None, bold=overdue, tip=state_tip),
        hubs,
        Cell(progress_words(b), tip=_counts_tip(b) if not later else
             "Every safe-launch hub without an earlier time joins this batch when its distribution begins"),
    )


class InstructionModel(RowsModel):
    """Supplier instructions: who, their name for it, the time asked, when received, the outcome."""

    COLUMNS = ("Supplier", "Batch name", "Time asked", "Received", "Accepted", "Refused")

    def __init__(self) -> None:
        super().__init__(self.COLUMNS, numeric=(4, 5))

    def show_instructions(self, instructions: Sequence[InstructionInfo], names: Mapping[str, str]) -> bool:
        ordered = sorted(instructions, key=lambda i: (i.received_at, i.id), reverse=True)  # newest first
        return self.set_rows(ordered, [_instruction_row(i, names) for i in ordered])

    def instruction(self, row: int) -> InstructionInfo | None:
        return self.records[row] if 0 <= row < len(self.records) else None


def _instruction_row(i: InstructionInfo, names: Mapping[str, str]) -> tuple[Cell, ...]:
    name = names.get(i.supplier, "")
    return (
        Cell(i.supplier, tip=f"{i.supplier} \u00b7 {name}" if name and name != i.supplier else i.supplier),
        Cell(i.name, tip=f"{i.name}\nSource: {i.source}") if i.name else Cell("\u2013", colour=MUTED,
                                                                                 tip=f"Source: {i.source}"),
        Cell(show(i.activate_at)),
        Cell(show(i.received_at), tip=f"Received {show(i.received_at)}, entered by {i.received_by}"),
        Cell(f"{i.accepted:,}", RIGHT, tip=f"{i.accepted:,} of {i.submitted:,} GUIDs listed"),
        Cell(f"{i.refused:,}", RIGHT, colour=REFUSED if i.refused else MUTED, bold=bool(i.refused)),
    )


class ProgressDelegate(QStyledItemDelegate):
    """Draws the progress words with a thin stacked bar of the batch's hubs per state beneath.

    The words keep the cell's vertical centre; the table's rows are tall enough (34 px) for
    the bar to sit under them without touching."""

    BAR = 4
    MARGIN = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        pieces: list[tuple[float, str]] = index.data(SEGMENTS_ROLE) or []
        if not pieces:
            return
        cell: QRect = option.rect
        width = cell.width() - 2 * self.MARGIN
        top = cell.bottom() - self.BAR - 4
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#eef1f4"))
        painter.drawRoundedRect(cell.left() + self.MARGIN, top, width, self.BAR, 2, 2)
        x = float(cell.left() + self.MARGIN)
        for share, colour in pieces:
            span = share * width
            painter.setBrush(QColor(colour))
            painter.drawRect(int(round(x)), top, max(int(round(x + span)) - int(round(x)), 1 if share else 0),
                             self.BAR)
            x += span
        painter.restore()
