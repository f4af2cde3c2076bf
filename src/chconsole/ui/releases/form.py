"""The "New release" form: a release draft built from the CPL, checked by the engine.

The form only offers what the CPL holds (a model, its versions), but the engine is the
judge: its refusal is shown in the form, which stays open so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from chconsole.core.engine.dto import NOTICE_MONTHS, CplInfo, ReleaseDraft
from chconsole.core.vocabulary.london import add_months, localize, to_london
from chconsole.core.vocabulary.release_terms import PRIORITIES, RELEASE_TYPES, SEVERITIES
from chconsole.ui.common import dialogs

DATE_FORMAT = "yyyy-MM-dd HH:mm"


class NewReleaseDialog(QDialog):
    """Drafts a release. SUBMIT is called with the draft; it answers via done() or failed()."""

    def __init__(self, cpl: Sequence[CplInfo], now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New release")
        self.setObjectName("releaseForm")
        self.setMinimumWidth(560)
        self.cpl = list(cpl)
        self.now = now
        self.submit: Callable[[ReleaseDraft], None] | None = None

        heading = QLabel("New release")
        heading.setObjectName("dialogTitle")
        intro = QLabel("Draft a firmware release from the Central Products List. Nothing is sent "
                       "until the release is notified.")
        intro.setObjectName("hint")
        intro.setWordWrap(True)

        self.model = QComboBox()
        models: dict[str, str] = {}
        for e in self.cpl:
            models.setdefault(e.model, e.manufacturer)
        for model, maker in sorted(models.items()):
            self.model.addItem(f"{model}  ({maker})" if maker else model, model)
        self.from_versions = QListWidget()
        self.from_versions.setObjectName("fromVersions")
        self.from_versions.setMaximumHeight(130)
        self.target = QComboBox()
        self.severity = QComboBox()
        self.severity.addItems(SEVERITIES)
        self.severity.setCurrentText("Medium")
        self.priority = QComboBox()
        self.priority.addItems(PRIORITIES)
        self.priority.setCurrentText("P3")
        self.release_type = QComboBox()
        for key, title in RELEASE_TYPES.items():
            self.release_type.addItem(title, key)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Link or document id, e.g. DCC-RN-2026-121")
        self.own_date = QCheckBox("Set a date other than notice + 6 months")
        self.date = QDateTimeEdit()
        self.date.setDisplayFormat(DATE_FORMAT)
        self.date.setCalendarPopup(True)
        default = to_london(add_months(now, NOTICE_MONTHS)).replace(tzinfo=None)
        self.date.setDateTime(QDateTime(default))
        self.date.setEnabled(False)
        self.date_hint = QLabel("London time")
        self.date_hint.setObjectName("hint")
        self.own_date.toggled.connect(self.date.setEnabled)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        form.addRow("Device model", self.model)
        form.addRow("Upgrade from", self.from_versions)
        form.addRow("Target firmware", self.target)
        form.addRow("Severity", self.severity)
        form.addRow("Priority", self.priority)
        form.addRow("Release type", self.release_type)
        form.addRow("Release note", self.note)
        form.addRow("DCC deployment date", self.own_date)
        form.addRow("", self.date)
        form.addRow("", self.date_hint)

        # Creating validates in the engine first, so the button does not simply accept.
        self.buttons, self.create_button = dialogs.dialog_buttons(self, "Create release", accept=False)
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_release)

        box = dialogs.dialog_column(self, spacing=14)
        box.addWidget(heading)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(self.buttons)

        self.model.currentIndexChanged.connect(lambda _i: self._fill_versions())
        self.target.currentIndexChanged.connect(lambda _i: self._mark_target())
        self._fill_versions()

    def _versions(self) -> list[str]:
        model = self.model.currentData()
        return sorted(e.firmware_version for e in self.cpl if e.model == model)

    def _fill_versions(self) -> None:
        versions = self._versions()
        self.target.blockSignals(True)
        self.target.clear()
        self.target.addItems(versions)
        if versions:
            self.target.setCurrentIndex(len(versions) - 1)  # the newest is the usual target
        self.target.blockSignals(False)
        self.from_versions.clear()
        for v in versions:
            item = QListWidgetItem(v)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.from_versions.addItem(item)
        self._mark_target()

    def _mark_target(self) -> None:
        """The target version cannot also be a from-version: show it so, not just refuse it."""
        target = self.target.currentText()
        for i in range(self.from_versions.count()):
            item = self.from_versions.item(i)
            is_target = item.text() == target
            item.setText(item.text().split(" ")[0] + ("  (target)" if is_target else ""))
            flags = item.flags()
            enabled = flags | Qt.ItemFlag.ItemIsEnabled
            item.setFlags(enabled & ~Qt.ItemFlag.ItemIsEnabled if is_target else enabled)
            if is_target:
                item.setCheckState(Qt.CheckState.Unchecked)

    def check_from(self, versions: Sequence[str]) -> None:
        """Tick these from-versions (and untick the rest)."""
        for i in range(self.from_versions.count()):
            item = self.from_versions.item(i)
            state = item.text().split(" ")[0] in versions
            item.setCheckState(Qt.CheckState.Checked if state else Qt.CheckState.Unchecked)

    def draft(self) -> ReleaseDraft:
        checked = [
            self.from_versions.item(i).text().split(" ")[0]
            for i in range(self.from_versions.count())
            if self.from_versions.item(i).checkState() == Qt.CheckState.Checked
        ]
        when = None
        if self.own_date.isChecked():
            wall = self.date.dateTime().toPython()
            assert isinstance(wall, datetime)
            when = localize(wall.replace(second=0, microsecond=0))  # typed in London time
        return ReleaseDraft(
            model=str(self.model.currentData() or ""), from_versions=checked,
            to_version=self.target.currentText(), severity=self.severity.currentText(),
            priority=self.priority.currentText(), release_note=self.note.text(),
            release_type=str(self.release_type.currentData()), deployment_date=when,
        )

    def create_release(self) -> None:
        """Hand the draft to the engine (through SUBMIT); the answer comes to done()/failed()."""
        if self.submit is None:
            return
        self.error.hide()
        self.create_button.setEnabled(False)
        self.create_button.setText("Creating\u2026")
        self.submit(self.draft())

    def failed(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.create_button.setEnabled(True)
        self.create_button.setText("Create release")

    def done_ok(self) -> None:
        self.accept()
