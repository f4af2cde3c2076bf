"""The dashboard's table of the viewer's outstanding actions, as a model.

Small lists (a few dozen rows at most), so a plain list model: set_rows() replaces the
rows only when they changed, which keeps a selection where the person put it while the
living clock refreshes the view. Overdue times are red, urgent ones amber.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from chconsole.core.dashboard import DueAction
from chconsole.core.london import show
from chconsole.ui.widgets import LEFT, RIGHT

OVERDUE = QColor("#b3261e")
URGENT = QColor("#9a5b00")
MUTED = QColor("#6b7682")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Cell:
    text: str
    align: Qt.AlignmentFlag = LEFT
    colour: QColor | None = None
    bold: bool = False
    tip: str = ""


class RowsModel(QAbstractTableModel):
    """A read-only table of ready-made cells."""

    def __init__(self, headers: Sequence[str], numeric: Sequence[int] = ()) -> None:
        super().__init__()
        self.headers = list(headers)
        self.numeric = set(numeric)
        self.rows: list[tuple[Cell, ...]] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's names
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        cell = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.tip or cell.text or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(cell.align.value)
        if role == Qt.ItemDataRole.ForegroundRole and cell.colour is not None:
            return QBrush(cell.colour)
        if role == Qt.ItemDataRole.FontRole and cell.bold:
            return self._bold
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int((RIGHT if section in self.numeric else LEFT).value)
        return None

    def set_rows(self, rows: Sequence[tuple[Cell, ...]]) -> bool:
        """Replace the rows; False (and no reset) when nothing changed."""
        new = list(rows)
        if new == self.rows:
            return False
        self.beginResetModel()
        self.rows = new
        self.endResetModel()
        return True

    def text(self, row: int, column: int) -> str:
        return self.rows[row][column].text


class ActionsModel(RowsModel):
    """The viewer's outstanding actions: what, release, due by, time left, hubs."""

    def __init__(self) -> None:
        super().__init__(("What", "Release", "Due by", "Time left", "Hubs"), numeric=(1, 4))

    def show_actions(self, actions: Sequence[DueAction]) -> bool:
        return self.set_rows([_action_row(a) for a in actions])


def _action_row(a: DueAction) -> tuple[Cell, ...]:
    colour = OVERDUE if a.overdue else URGENT if a.urgent else None if a.due is not None else MUTED
    return (
        Cell(a.what, colour=OVERDUE if a.overdue else None),
        Cell(str(a.release_id) if a.release_id is not None else "", RIGHT),
        Cell(show(a.due) if a.due else "\u2013"),
        Cell(a.left, colour=colour, bold=a.overdue or a.urgent),
        Cell(f"{a.hubs:,}" if a.hubs is not None else "", RIGHT),
    )
