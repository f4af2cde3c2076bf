"""The Outbox's filters: recipient, kind, release and delivery state, applied in SQL by the engine."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from chconsole.core.engine.dto import KIND_TITLES, NoticeChoices, NoticeFilter

# The delivery states a person filters by, most wanted first.
STATE_CHOICES = (("Failed", "FAILED"), ("Sent", "SENT"), ("Written, not sent", "WRITTEN"),
                 ("Sending", "SENDING"), ("Being written", "PENDING"))


class Choice(QComboBox):
    """One filter: "all" first, then (text, value) pairs; value() is None for "all"."""

    def __init__(self, all_text: str, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.all_text = all_text
        self.setMinimumContentsLength(12)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.addItem(all_text, None)

    def set_choices(self, choices: Sequence[tuple[str, object]]) -> None:
        """Offer CHOICES, keeping the current one when it is still there (without a signal)."""
        current = self.currentData()
        self.blockSignals(True)
        self.clear()
        self.addItem(self.all_text, None)
        for text, value in choices:
            self.addItem(text, value)
        self.setCurrentIndex(max(self.findData(current), 0) if current is not None else 0)
        self.blockSignals(False)

    def value(self) -> object:
        return self.currentData()

    def select(self, value: object) -> None:
        self.setCurrentIndex(max(self.findData(value), 0) if value is not None else 0)


class OutboxFilters(QWidget):
    """Four choices in a row and Clear; `changed` when the person picks another."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recipient = Choice("All recipients", "outboxRecipient")
        self.kind = Choice("All kinds", "outboxKind")
        self.release = Choice("All releases", "outboxRelease")
        self.state = Choice("All states", "outboxState")
        self.state.set_choices(STATE_CHOICES)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.clicked.connect(self.clear)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        for caption, combo in (("Recipient", self.recipient), ("Kind", self.kind), ("Release", self.release),
                               ("State", self.state)):
            row.addWidget(_captioned(caption, combo))
            combo.currentIndexChanged.connect(lambda _i: self._changed())
        row.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignBottom)
        row.addStretch(1)
        self._changed(announce=False)

    def set_choices(self, choices: NoticeChoices) -> None:
        """Offer what the outbox holds now."""
        self.recipient.set_choices([(r, r) for r in choices.recipients])
        self.kind.set_choices(sorted((KIND_TITLES.get(k, k), k) for k in choices.kinds))
        self.release.set_choices([(f"Release {r}", r) for r in choices.releases])

    def current(self) -> NoticeFilter:
        release = self.release.value()
        return NoticeFilter(release=int(release) if isinstance(release, int) else None,
                            recipient=_text(self.recipient.value()), kind=_text(self.kind.value()),
                            status=_text(self.state.value()))

    def active(self) -> bool:
        """True when any filter leaves notices out."""
        return self.current() != NoticeFilter()

    def clear(self) -> None:
        for combo in (self.recipient, self.kind, self.release, self.state):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._changed()

    def _changed(self, announce: bool = True) -> None:
        self.clear_button.setEnabled(self.active())
        if announce:
            self.changed.emit()


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _captioned(caption: str, widget: QWidget) -> QWidget:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(3)
    label = QLabel(caption)
    label.setObjectName("caption")
    column.addWidget(label)
    column.addWidget(widget)
    return box
