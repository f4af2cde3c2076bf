"""Batch control's own small widgets: its navigation icon and the overdue banner.

The banner is the Operating rules' outstanding DCC action made visible: work that fell due
while the console and the scheduler were down is not run late on its own, so each overdue
batch gets a line saying how many hubs were due when, with Run now and Re-plan beside it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from chconsole.core.engine.dto import BatchInfo
from chconsole.core.vocabulary.london import to_london
from chconsole.ui.common.widgets import icon_or_drawn

Act = Callable[[BatchInfo], None]  # run now, or re-plan, one overdue batch

# Three stacked layers, drawn like the icons in resources/icons (used if that folder has none).
BATCH_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" '
             b'stroke="#4a5868" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">'
             b'<path d="M12 3 3 7.5l9 4.5 9-4.5z"/><path d="m3 12 9 4.5 9-4.5"/><path d="m3 16.5 9 4.5 9-4.5"/></svg>')
BANNER_STYLE = ("QFrame#overdueBanner { background: #fdecea; border: 1px solid #f0c2bd; "
                "border-left: 4px solid #b3261e; border-radius: 6px; }"
                "QFrame#overdueBanner QLabel { background: transparent; color: #7d1c16; }")


def batch_icon() -> QIcon:
    """The navigation icon of this view."""
    return icon_or_drawn("batches", BATCH_SVG)


def due_words(b: BatchInfo) -> str:
    """'12,400 hubs were due at 02:00 GMT on Fri 13 Nov 2026'."""
    if b.overdue_since is None:
        return f"{b.open:,} hubs are overdue"
    at = to_london(b.overdue_since)
    return f"{b.open:,} hubs were due at {at:%H:%M %Z} on {at:%a} {at.day} {at:%b %Y}"


class OverdueBanner(QFrame):
    """One line per overdue batch, each with its own Run now and Re-plan buttons."""

    def __init__(self, run_now: Act, replan: Act) -> None:
        super().__init__()
        self.setObjectName("overdueBanner")
        self.setStyleSheet(BANNER_STYLE)
        self.run_now, self.replan = run_now, replan
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(14, 8, 10, 8)
        self.rows.setSpacing(6)
        self.shown: list[tuple[int, str]] = []
        self.lines: list[QLabel] = []
        self.hide()

    def show_overdue(self, batches: list[BatchInfo]) -> None:
        key = [(b.id, due_words(b)) for b in batches]
        if key == self.shown:
            return
        self.shown = key
        while self.rows.count():
            item = self.rows.takeAt(0)
            row = item.layout() if item is not None else None
            while row is not None and row.count():
                child = row.takeAt(0)
                widget = child.widget() if child is not None else None
                if widget is not None:
                    widget.deleteLater()
        self.lines = []
        for b in batches:
            self.rows.addLayout(self._row(b))
        self.setVisible(bool(batches))

    def _row(self, b: BatchInfo) -> QHBoxLayout:
        text = QLabel(f"<b>{due_words(b)}</b> \u2014 batch {b.id} \u201c{b.name}\u201d of release "
                      f"{b.release_id}, while the console and the scheduler were down. It does not run late "
                      "on its own.")
        text.setWordWrap(True)
        self.lines.append(text)
        run = QPushButton("Run now")
        run.setObjectName("primaryButton")
        run.clicked.connect(lambda: self.run_now(b))
        replan = QPushButton("Re-plan\u2026")
        replan.clicked.connect(lambda: self.replan(b))
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(text, 1)
        row.addWidget(run)
        row.addWidget(replan)
        return row
