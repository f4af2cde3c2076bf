"""The outbox's table: notices as rows, newest first.

The outbox holds thousands of notices, not millions, so the model holds them as a list.
set_notices() resets it only when the notices changed, so a re-read after every change
(and every beat of the living clock) keeps the notice being read and the scroll.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from chconsole.core.engine.dto import KIND_TITLES, NoticeInfo
from chconsole.core.vocabulary.london import show
from chconsole.ui.common.widgets import LEFT, RIGHT

COLUMNS = ("Time", "Recipient", "Kind", "Release", "Subject", "Status")
STATUS_TITLES = {"WRITTEN": "Written", "PENDING": "Pending"}
Index = QModelIndex | QPersistentModelIndex


class NoticeModel(QAbstractTableModel):
    """Notices as rows (the outbox holds thousands, not millions: a list is fine)."""

    def __init__(self) -> None:
        super().__init__()
        self.notices: list[NoticeInfo] = []

    def set_notices(self, notices: list[NoticeInfo]) -> bool:
        """Show NOTICES; False (and no reset) when they are the ones shown already."""
        if list(notices) == self.notices:
            return False
        self.beginResetModel()
        self.notices = list(notices)
        self.endResetModel()
        return True

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.notices)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT if section == 3 else LEFT)  # over its values
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.notices):
            return None
        n = self.notices[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT if column == 3 else LEFT)
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return n.subject
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (show(n.created_at), n.recipient, KIND_TITLES.get(n.kind, n.kind),
                  "" if n.release is None else str(n.release), n.subject,
                  STATUS_TITLES.get(n.status, n.status))
        return values[column]

    def notice(self, row: int) -> NoticeInfo | None:
        return self.notices[row] if 0 <= row < len(self.notices) else None
