"""The "Import instruction" form: a supplier's file asking for earlier activation (R3, R4).

The service desk enters what a supplier sent: the release, the supplier, its GUID list,
the time it asks for and, if it gave one, its own name for the batch. The engine checks
every GUID; its receipt (accepted, waiting for the other supplier of a shared hub,
refused with a reason each) is shown in the form, which then only closes. A time the
engine will refuse (past the cut-off, inside the lead time, not before the DCC date) is
said at once, but not blocked: the supplier is owed a receipt saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.dto import REASON_TEXT, InstructionResult, ReleaseInfo
from chconsole.core.vocabulary.london import show
from chconsole.ui.common import dialogs, widgets
from chconsole.ui.common.dialogs import grow, label
from chconsole.ui.common.time_edit import edit_time, first_slot, london_edit

# (release id, supplier, file, activate_at, name)
Submit = Callable[[int, str, Path, datetime, str | None], None]


def refusal_ahead(release: ReleaseInfo, at: datetime, now: datetime) -> str:
    """What the engine will say of the whole instruction, if it refuses it whole."""
    if release.cut_off is not None and now > release.cut_off:
        return (f"Past the cut-off ({show(release.cut_off)}): every GUID will be refused "
                "PAST_CUT_OFF; the supplier still gets the receipt.")
    if release.deployment_date is not None and at >= release.deployment_date:
        return (f"Not before the DCC deployment date ({show(release.deployment_date)}): every GUID will "
                "be refused NOT_BEFORE_DCC_DATE.")
    if at < now + timedelta(days=release.distribution_lead_days):
        return (f"Inside the {release.distribution_lead_days}-day distribution lead time: every GUID will "
                f"be refused TOO_SOON (the earliest is {show(now + timedelta(days=release.distribution_lead_days))}).")
    return ""


class InstructionDialog(QDialog):
    """SUBMIT(release, supplier, file, activate_at, name) is called on "Import"; the answer comes
    to show_result() or failed()."""

    def __init__(self, releases: Sequence[ReleaseInfo], release_id: int | None, names: Mapping[str, str],
                 now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import instruction")
        self.setObjectName("instructionDialog")
        self.setMinimumWidth(720)
        self.releases = {r.id: r for r in releases}
        self.names, self.now = names, now
        self.submit: Submit | None = None
        heading = label("Import a supplier's instruction", "dialogTitle", rich=False)
        intro = label("A supplier asks for the hubs in its file to be activated at a time earlier than the DCC "
                      "deployment date. Every GUID is checked: valid ones go ahead, each refused one is listed "
                      "with its reason, and the receipt goes to the supplier. A hub shared with another "
                      "supplier waits until that supplier instructs too; the later time then counts.", "hint",
                      rich=False)
        self.release = QComboBox()
        for r in sorted(releases, key=lambda r: -r.id):
            self.release.addItem(f"Release {r.id} \u00b7 {r.model} \u2192 {r.to_version}", r.id)
        if release_id is not None and self.release.findData(release_id) >= 0:
            self.release.setCurrentIndex(self.release.findData(release_id))
        self.supplier = QComboBox()
        self.path, file_row = dialogs.guid_file_field(self)
        current = self.chosen()
        self.when = london_edit(first_slot(now, current.distribution_lead_days if current else 7,
                                           current.deployment_date if current else None))
        self.when.setMinimumWidth(170)
        self.limits = label("", "hint", rich=False)
        when_row = QHBoxLayout()
        when_row.addWidget(self.when)
        when_row.addStretch(1)
        self.warning = label("", "fieldError", rich=False)
        self.warning.hide()
        when_box = QVBoxLayout()
        when_box.setSpacing(4)
        when_box.addLayout(when_row)
        when_box.addWidget(self.limits)
        when_box.addWidget(self.warning)
        self.name = QLineEdit()
        self.name.setMaxLength(80)
        self.name.setPlaceholderText("Optional: the supplier's own name for this batch of hubs")
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        form.addRow("Release", self.release)
        form.addRow("Supplier", self.supplier)
        form.addRow("GUID file", file_row)
        form.addRow("Activate at", when_box)
        form.addRow("Their batch name", self.name)
        self.error = label("", "formError", rich=False)
        self.error.hide()
        self.receipt = label("")
        self.receipt.hide()
        self.refusals = widgets.make_table(("Line", "GUID", "Why refused"), stretch=2, numeric=(0,))
        self.refusals.setObjectName("refusals")
        self.refusals.hide()
        self.buttons, self.import_button = dialogs.dialog_buttons(self, "Import", accept=False)
        self.import_button.setObjectName("primaryButton")
        self.import_button.clicked.connect(self.send)
        box = dialogs.dialog_column(self)
        for part in (heading, intro):
            box.addWidget(part)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(self.receipt)
        box.addWidget(self.refusals)
        box.addWidget(self.buttons)
        self.release.currentIndexChanged.connect(lambda *_: self._release_changed())
        self.supplier.currentIndexChanged.connect(lambda *_: self._check())
        self.path.textChanged.connect(lambda *_: self._check())
        self.when.dateTimeChanged.connect(lambda *_: self._check())
        self._release_changed()

    # -- what is asked ---------------------------------------------------------------------------
    def chosen(self) -> ReleaseInfo | None:
        data = self.release.currentData()
        return self.releases.get(int(data)) if data is not None else None

    def party(self) -> str:
        return str(self.supplier.currentData() or "")

    def file(self) -> Path | None:
        text = self.path.text().strip()
        return Path(text).expanduser() if text else None

    def activate_at(self) -> datetime:
        return edit_time(self.when)

    def _release_changed(self) -> None:
        r, before = self.chosen(), self.party()
        self.supplier.blockSignals(True)
        self.supplier.clear()
        for c in sorted(r.suppliers if r else (), key=lambda c: (-c.total, c.party)):
            name = self.names.get(c.party, c.party)
            title = c.party if name == c.party else f"{c.party} \u00b7 {name}"
            self.supplier.addItem(f"{title}  ({c.total:,} eligible hubs)", c.party)
        if self.supplier.findData(before) >= 0:
            self.supplier.setCurrentIndex(self.supplier.findData(before))
        self.supplier.blockSignals(False)
        if r is not None:
            self.limits.setText(
                "London time, before the DCC deployment date " + (show(r.deployment_date) if r.deployment_date
                                                                  else "") +
                (f"; instructions close at the cut-off, {show(r.cut_off)}" if r.cut_off else ""))
        self._check()

    def _check(self) -> None:
        r = self.chosen()
        ahead = refusal_ahead(r, self.activate_at(), self.now) if r is not None else ""
        self.warning.setText(ahead)
        self.warning.setVisible(bool(ahead))
        self.import_button.setEnabled(r is not None and bool(self.party()) and self.file() is not None)


    # -- asking the engine -----------------------------------------------------------------------------
    def send(self) -> None:
        r, file = self.chosen(), self.file()
        if self.submit is None or not self.import_button.isEnabled() or r is None or file is None:
            return
        self.error.hide()
        self.import_button.setEnabled(False)
        self.import_button.setText("Importing\u2026")
        name = self.name.text().strip() or None
        self.submit(r.id, self.party(), file, self.activate_at(), name)

    def failed(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.import_button.setText("Import")
        self._check()

    def show_result(self, r: InstructionResult) -> None:
        """The receipt: accepted (scheduled or waiting), refused with reasons. Then only Close."""
        self.receipt.setText(
            f"<b>Instruction {r.id} from {r.supplier}</b> for {show(r.activate_at)}: {r.submitted:,} GUIDs "
            f"listed; <b>{r.accepted:,} accepted</b> ({r.scheduled:,} scheduled, {r.awaiting:,} waiting for "
            f"the other supplier of a shared hub), <b>{len(r.refused):,} refused</b>. "
            "The receipt is in the outbox.")
        self.receipt.show()
        widgets.fill_table(self.refusals, ((x.line, x.guid or "(blank)",
                                            f"{x.reason.value}: {REASON_TEXT.get(x.reason, '')}")
                                           for x in r.refused), numeric=(0,))
        widgets.fit_height(self.refusals, max_rows=6)
        self.refusals.setVisible(bool(r.refused))
        for part in (self.release, self.supplier, self.path, self.when, self.name):
            part.setEnabled(False)
        self.import_button.hide()
        self.warning.hide()
        self.submit = None
        close = self.buttons.button(self.buttons.StandardButton.Cancel)
        close.setText("Close")
        close.setDefault(True)
        grow(self)
