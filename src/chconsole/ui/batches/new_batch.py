"""The "New batch" form: DCC's own batch, by rule or from a GUID file, with a live preview.

A new batch is chosen by a rule (regions, a supplier, from-versions, a size), handed to
the engine as a typed `BatchRule`, or listed in a GUID file. While the person fills the form the engine counts what the batch would take,
off the GUI thread: hubs, per supplier and per region, and for a file the GUIDs refused
with their reasons. Nothing is written until "Create batch". Times are London time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.dto import BatchPlan, BatchRule, ReleaseInfo
from chconsole.core.vocabulary.london import show
from chconsole.ui.batches.preview import PlanPreview
from chconsole.ui.common import dialogs
from chconsole.ui.common.dialogs import grow, hint, label
from chconsole.ui.common.time_edit import edit_time, first_slot, london_edit, time_problem

PREVIEW_DELAY_MS = 350  # wait for the person to stop typing before counting again
# (file, rule, on_plan, on_error): runs the preview off the GUI thread.
Previewer = Callable[[Path | None, BatchRule | None, Callable[[BatchPlan], None], Callable[[str], None]], None]
Submit = Callable[[datetime, Path | None, BatchRule | None, str | None], None]


class NewBatchDialog(QDialog):
    """A DCC batch by rule or from a GUID file; SUBMIT(activate_at, file, rule, name) creates
    it (a file or a rule, the other None)."""

    def __init__(self, release: ReleaseInfo, names: Mapping[str, str], now: datetime,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New batch")
        self.setObjectName("newBatchDialog")
        self.setMinimumWidth(700)
        self.release, self.now = release, now
        self.previewer: Previewer | None = None
        self.submit: Submit | None = None
        self.plan: BatchPlan | None = None
        self._asked = 0  # each preview asked for gets a number; only the latest one's answer counts
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(PREVIEW_DELAY_MS)
        self._debounce.timeout.connect(self._ask_preview)
        latest = release.deployment_date
        heading = label(f"New DCC batch for release {release.id} ({release.model} \u2192 {release.to_version})",
                        "dialogTitle", rich=False)
        intro = label("DCC's own batch of safe-launch hubs, activated at its own time, earlier than the DCC "
                      "deployment date. Hubs already in the pilot, another batch or a supplier's instruction "
                      "stay where they are. Each supplier with hubs in the batch is sent its own list.", "hint",
                      rich=False)

        self.by_rule = QRadioButton("By rule")
        self.by_file = QRadioButton("From a GUID file")
        self.by_rule.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_rule)
        group.addButton(self.by_file)
        how = QHBoxLayout()
        how.addWidget(self.by_rule)
        how.addSpacing(18)
        how.addWidget(self.by_file)
        how.addStretch(1)

        self.regions = {r: QCheckBox(r) for r in sorted(release.regions)}
        region_row = QHBoxLayout()
        for tick in self.regions.values():
            region_row.addWidget(tick)
        region_row.addWidget(hint("none ticked: every region"))
        region_row.addStretch(1)
        self.supplier = QComboBox()
        self.supplier.addItem("Any supplier", "")
        for c in sorted(release.suppliers, key=lambda c: (-c.total, c.party)):
            name = names.get(c.party, c.party)
            title = c.party if name == c.party else f"{c.party} \u00b7 {name}"
            self.supplier.addItem(f"{title}  ({c.total:,} eligible hubs)", c.party)
        self.versions = {v: QCheckBox(v) for v in release.from_versions}
        version_row = QHBoxLayout()
        for tick in self.versions.values():
            version_row.addWidget(tick)
        version_row.addWidget(hint("none ticked: every from-version"))
        version_row.addStretch(1)
        self.limit = QCheckBox("At most")
        self.how_many = QSpinBox()
        self.how_many.setRange(1, 99_999_999)
        self.how_many.setGroupSeparatorShown(True)
        self.how_many.setValue(min(1000, max(release.eligible, 1)))
        self.how_many.setSuffix(" hubs")
        self.how_many.setFixedWidth(140)
        self.how_many.setEnabled(False)
        self.limit.toggled.connect(self.how_many.setEnabled)
        size_row = QHBoxLayout()
        size_row.addWidget(self.limit)
        size_row.addWidget(self.how_many)
        size_row.addSpacing(6)
        size_row.addWidget(hint("otherwise every free hub that matches"))
        size_row.addStretch(1)
        self.rule_words = label("", "hint", rich=False)
        self.rule_box = QWidget()
        rules = QFormLayout(self.rule_box)
        rules.setContentsMargins(0, 0, 0, 0)
        rules.setHorizontalSpacing(16)
        rules.addRow("Regions", region_row)
        rules.addRow("Supplier", self.supplier)
        rules.addRow("From version", version_row)
        rules.addRow("Size", size_row)
        rules.addRow("", self.rule_words)

        self.path, self.file_box = dialogs.guid_file_field(self)

        self.name = QLineEdit()
        self.name.setMaxLength(80)
        self.name.setPlaceholderText("Optional; otherwise \u201cDCC batch for\u201d its time")
        self.when = london_edit(first_slot(now, release.distribution_lead_days, latest))
        self.when.setMinimumWidth(170)
        limits = (f"London time; at least {release.distribution_lead_days} days ahead (the distribution lead "
                  "time)" + (f", no later than the DCC deployment date {show(latest)}" if latest else ""))
        when_row = QHBoxLayout()
        when_row.addWidget(self.when)
        when_row.addStretch(1)
        self.time_error = label("", "fieldError", rich=False)
        self.time_error.hide()
        when_box = QVBoxLayout()
        when_box.setSpacing(4)
        when_box.addLayout(when_row)
        when_box.addWidget(label(limits, "hint", rich=False))
        when_box.addWidget(self.time_error)

        self.preview = PlanPreview(names)
        self.error = label("", "formError", rich=False)
        self.error.hide()
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        form.addRow("Hubs chosen", how)
        self.buttons, self.create_button = dialogs.dialog_buttons(self, "Create batch", accept=False)
        self.create_button.setObjectName("primaryButton")
        self.create_button.clicked.connect(self.create_batch)
        timing = QFormLayout()
        timing.setHorizontalSpacing(16)
        timing.setVerticalSpacing(10)
        timing.addRow("Activation", when_box)
        timing.addRow("Batch name", self.name)
        box = dialogs.dialog_column(self, spacing=12)
        for part in (heading, intro):
            box.addWidget(part)
        box.addLayout(form)
        box.addWidget(self.rule_box)
        box.addWidget(self.file_box)
        box.addLayout(timing)
        box.addWidget(self.preview)
        box.addWidget(self.error)
        box.addWidget(self.buttons)
        for check in (*self.regions.values(), *self.versions.values(), self.limit, self.by_rule, self.by_file):
            check.toggled.connect(lambda *_: self._changed())
        self.how_many.valueChanged.connect(lambda *_: self._changed())
        self.supplier.currentIndexChanged.connect(lambda *_: self._changed())
        self.path.textChanged.connect(lambda *_: self._changed())
        self.when.dateTimeChanged.connect(lambda *_: self._check())
        self._changed()

    # -- what is asked ------------------------------------------------------------------------
    def rule(self) -> BatchRule | None:
        """The rule chosen, as the engine takes it; None for a batch from a GUID file.

        Nothing ticked is a rule too: every free hub of the release."""
        if not self.by_rule.isChecked():
            return None
        supplier = self.supplier.currentData()
        return BatchRule(
            regions=tuple(r for r, tick in self.regions.items() if tick.isChecked()),
            supplier=str(supplier) if supplier else None,
            from_versions=tuple(v for v, tick in self.versions.items() if tick.isChecked()),
            size=self.how_many.value() if self.limit.isChecked() else None)

    def file(self) -> Path | None:
        text = self.path.text().strip()
        return Path(text).expanduser() if self.by_file.isChecked() and text else None

    def activate_at(self) -> datetime:
        return edit_time(self.when)

    def batch_name(self) -> str | None:
        return self.name.text().strip() or None

    # -- the live preview -----------------------------------------------------------------------------
    def _changed(self) -> None:
        by_rule = self.by_rule.isChecked()
        self.rule_box.setVisible(by_rule)
        self.file_box.setVisible(not by_rule)
        rule = self.rule()
        words = rule.describe().removeprefix("rule: ") if rule is not None and rule != BatchRule() else ""
        self.rule_words.setText("Rule: " + (words or "every free hub of the release"))
        self.plan = None
        self._asked += 1
        if by_rule or self.file() is not None:
            self.preview.counting()
            self._debounce.start()
        else:
            self.preview.waiting("Choose the GUID file to see what the batch would take.")
        self._check()

    def _ask_preview(self) -> None:
        if self.previewer is None:
            return
        asked = self._asked

        def answered(plan: BatchPlan) -> None:
            if asked == self._asked:
                self.plan = plan
                self.preview.show_plan(plan)
                self._check()
                self._grow()

        def failed(message: str) -> None:
            if asked == self._asked:
                self.preview.waiting(message, error=True)

        self.previewer(self.file(), self.rule(), answered, failed)

    def _grow(self) -> None:
        grow(self)

    def _check(self) -> None:
        problem = time_problem(self.activate_at(), self.now, self.release.distribution_lead_days,
                               self.release.deployment_date)
        self.time_error.setText(problem)
        self.time_error.setVisible(bool(problem))
        ready = not problem and self.plan is not None and self.plan.hubs > 0
        self.create_button.setEnabled(ready)


    # -- creating --------------------------------------------------------------------------------------
    def create_batch(self) -> None:
        if self.submit is None or not self.create_button.isEnabled():
            return
        self.error.hide()
        self.create_button.setEnabled(False)
        self.create_button.setText("Creating\u2026")
        self.submit(self.activate_at(), self.file(), self.rule(), self.batch_name())

    def failed(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.create_button.setText("Create batch")
        self._check()
