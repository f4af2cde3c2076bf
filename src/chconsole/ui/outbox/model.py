"""The outbox's table: notices as rows, failures first, then newest first.

The outbox holds thousands of notices, not millions, so the model holds them as a list
(the order and the filters are the engine's, in SQL). set_notices() resets it only when the
notices changed, so a re-read after every change (and every beat of the living clock) keeps
the notice being read and the scroll. The Status column says in words how far each notice
got: "Sent", "Failed: 550 5.1.1 Mailbox unavailable", "Written (no relay)".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from chconsole.core.engine.dto import (
    KIND_TITLES,
    NoticeChoices,
    NoticeFilter,
    NoticeInfo,
    RelayInfo,
    status_words,
)
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.london import show
from chconsole.ui.common.widgets import LEFT, RIGHT

COLUMNS = ("Time", "Recipient", "Kind", "Release", "Subject", "Status")
STATUS = 5
FAILED_COLOUR = QColor("#a0271f")
SENT_COLOUR = QColor("#2e6b30")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class OutboxPage:
    """One reading of the Outbox: the notices matching its filters (failures first, then newest
    first), what the filters offer, and the mail relay (None: notices stay as files)."""

    notices: list[NoticeInfo]
    choices: NoticeChoices
    relay: RelayInfo | None


def read_page(e: Engine, f: NoticeFilter) -> OutboxPage:
    return OutboxPage(e.queries.outbox(f), e.queries.notice_choices(), e.mail.relay())


class NoticeModel(QAbstractTableModel):
    """Notices as rows (the outbox holds thousands, not millions: a list is fine)."""

    def __init__(self) -> None:
        super().__init__()
        self.notices: list[NoticeInfo] = []
        self.relay_since: datetime | None = None  # when a mail relay was first set; None: there is none

    def set_notices(self, notices: list[NoticeInfo], relay_since: datetime | None = None) -> bool:
        """Show NOTICES; False (and no reset) when they are the ones shown already, the same way."""
        if list(notices) == self.notices and relay_since == self.relay_since:
            return False
        self.beginResetModel()
        self.notices = list(notices)
        self.relay_since = relay_since
        self.endResetModel()
        return True

    def status(self, n: NoticeInfo) -> str:
        """How far notice N got, in words."""
        return status_words(n, self.relay_since)

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
        if role == Qt.ItemDataRole.ToolTipRole and column == STATUS:
            return self.status(n)  # a relay's answer can be longer than the column
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            return FAILED_COLOUR if n.status == "FAILED" else SENT_COLOUR if n.status == "SENT" else None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (show(n.created_at), n.recipient, KIND_TITLES.get(n.kind, n.kind),
                  "" if n.release is None else str(n.release), n.subject, self.status(n))
        return values[column]

    def notice(self, row: int) -> NoticeInfo | None:
        return self.notices[row] if 0 <= row < len(self.notices) else None
