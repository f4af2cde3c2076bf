"""An empty state: what a view would show once something exists, and the button that makes it.

A new database has no hubs and no CPL; rather than an empty table, the view says what to do
next and offers to do it (the button's action is the view's to wire).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QFrame):
    """A framed title, a sentence and one primary button (BUTTON_TEXT; none when empty)."""

    def __init__(self, title: str, text: str, button_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.title = QLabel(title)
        self.title.setObjectName("emptyTitle")
        self.title.setWordWrap(True)
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        self.text.setObjectName("hint")
        self.button = QPushButton(button_text)
        self.button.setObjectName("primaryButton")
        self.button.setVisible(bool(button_text))
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(22, 18, 22, 18)
        box.setSpacing(8)
        box.addWidget(self.title)
        box.addWidget(self.text)
        box.addSpacing(4)
        box.addLayout(row)
        box.setAlignment(Qt.AlignmentFlag.AlignTop)
