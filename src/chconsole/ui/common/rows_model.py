"""A small read-only table of ready-made cells: the model behind the console's short lists.

set_rows() replaces the rows only when they changed, so a view the living clock re-reads
keeps its selection. A row can carry its record (what the row is about) and a background.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from chconsole.ui.common.widgets import LEFT, RIGHT

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Cell:
    text: str
    align: Qt.AlignmentFlag = LEFT
    colour: QColor | None = None
    bold: bool = False
    italic: bool = False
    tip: str = ""


class RowsModel(QAbstractTableModel):
    """A read-only table of ready-made cells, with one record object per row."""

    def __init__(self, headers: Sequence[str], numeric: Sequence[int] = ()) -> None:
        super().__init__()
        self.headers = list(headers)
        self.numeric = set(numeric)
        self.rows: list[tuple[Cell, ...]] = []
        self.records: list[Any] = []
        self.backgrounds: list[QColor | None] = []
        self._fonts = {(b, i): self._font(b, i) for b in (False, True) for i in (False, True)}

    @staticmethod
    def _font(bold: bool, italic: bool) -> QFont:
        font = QFont()
        font.setBold(bold)
        font.setItalic(italic)
        return font

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
        if role == Qt.ItemDataRole.FontRole and (cell.bold or cell.italic):
            return self._fonts[(cell.bold, cell.italic)]
        if role == Qt.ItemDataRole.BackgroundRole and self.backgrounds[index.row()] is not None:
            return QBrush(self.backgrounds[index.row()])
        return self.extra(index.row(), index.column(), role)

    def extra(self, row: int, column: int, role: int) -> Any:
        """Further roles a subclass answers."""
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

    def set_rows(self, records: Sequence[Any], rows: Sequence[tuple[Cell, ...]],
                 backgrounds: Sequence[QColor | None] | None = None) -> bool:
        """Replace the rows; False (and no reset) when nothing changed."""
        shades: list[QColor | None] = list(backgrounds) if backgrounds is not None else [None] * len(rows)
        if list(rows) == self.rows and list(records) == self.records and shades == self.backgrounds:
            return False
        self.beginResetModel()
        self.rows, self.records, self.backgrounds = list(rows), list(records), shades
        self.endResetModel()
        return True

    def text(self, row: int, column: int) -> str:
        return self.rows[row][column].text
