"""The "Nominate pilot hubs" form: one supplier's pilot group, by business rules or a GUID file.

The service desk enters what a supplier asked for; the form hands the engine a typed
`PilotRule` built from its fields (or the file), never words. The engine checks every GUID; its
receipt (joined, waiting for the other supplier, refused with a reason each) is shown in
the form, which then only closes, so a second click cannot nominate a second sample.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from chconsole.core.engine.dto import REASON_TEXT, NominationResult, PilotRule, ReleaseInfo
from chconsole.core.vocabulary.errors import BadInput
from chconsole.ui.common import dialogs, widgets

Submit = Callable[[str, Path | None, PilotRule | None], None]


class NominateDialog(QDialog):
    """SUBMIT(supplier, file, rule) is called on "Nominate" (a file or a rule, the other
    None); the answer comes to show_result() or failed()."""

    def __init__(self, release: ReleaseInfo, cap: int, names: Mapping[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Nominate pilot hubs")
        self.setObjectName("nominateDialog")
        self.setMinimumWidth(620)
        self.submit: Submit | None = None
        heading = QLabel(f"Pilot nomination for release {release.id} ({release.model})")
        heading.setObjectName("dialogTitle")
        intro = QLabel(
            f"One supplier's pilot hubs, chosen by business rules or listed in a file; at most "
            f"{cap:,} hubs per supplier. A split-supply hub joins the pilot only once both of its "
            "suppliers have nominated it; until then it waits for the other supplier.")
        intro.setObjectName("hint")
        intro.setWordWrap(True)

        self.supplier = QComboBox()
        for c in sorted(release.suppliers, key=lambda c: (-c.total, c.party)):
            name = names.get(c.party, c.party)
            title = c.party if name == c.party else f"{c.party} \u00b7 {name}"
            self.supplier.addItem(f"{title}  ({c.total:,} eligible hubs)", c.party)
        self.by_rules = QRadioButton("By business rules")
        self.by_file = QRadioButton("From a GUID file")
        self.by_rules.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_rules)
        group.addButton(self.by_file)
        how = QHBoxLayout()
        how.addWidget(self.by_rules)
        how.addSpacing(18)
        how.addWidget(self.by_file)
        how.addStretch(1)

        self.count = QSpinBox()
        self.count.setRange(1, max(cap, 1))
        self.count.setValue(min(50, max(cap, 1)))
        self.count.setSuffix(" hubs")
        self.spread = QCheckBox("Spread evenly over the CSP regions")
        self.spread.setChecked(True)
        self.version = QComboBox()
        self.version.addItem("Any version of the release", "")
        for v in release.from_versions:
            self.version.addItem(f"Only hubs on {v}", v)
        self.region = QComboBox()
        self.region.addItem("Any region", "")
        for r in sorted(release.regions):
            self.region.addItem(r, r)
        self.sample = QCheckBox("A random sample, seed")
        self.sample.setChecked(True)
        self.seed = QSpinBox()
        self.seed.setRange(0, 999_999)
        self.seed.setValue(1)
        self.sample.toggled.connect(self.seed.setEnabled)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.sample)
        seed_row.addWidget(self.seed)
        seed_row.addStretch(1)
        self.exclude = QCheckBox("Leave out hubs with an open incident")
        self.exclude.setChecked(True)
        self.preview = QLabel()
        self.preview.setObjectName("hint")
        self.preview.setWordWrap(True)
        self.rules_box = QWidget()
        rules = QFormLayout(self.rules_box)
        rules.setContentsMargins(0, 0, 0, 0)
        rules.setHorizontalSpacing(16)
        rules.addRow("How many", self.count)
        rules.addRow("", self.spread)
        rules.addRow("Firmware", self.version)
        rules.addRow("Region", self.region)
        rules.addRow("Order", seed_row)
        rules.addRow("", self.exclude)
        rules.addRow("", self.preview)

        self.path, self.file_box = dialogs.guid_file_field(self)

        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.result = QLabel()
        self.result.setObjectName("dialogBody")
        self.result.setWordWrap(True)
        self.result.hide()
        self.refusals = widgets.make_table(("Line", "GUID", "Why refused"), stretch=2, numeric=(0,))
        self.refusals.setObjectName("refusals")
        self.refusals.hide()

        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        form.addRow("Supplier", self.supplier)
        form.addRow("Chosen", how)
        self.buttons, self.nominate_button = dialogs.dialog_buttons(self, "Nominate", accept=False)
        self.nominate_button.setObjectName("primaryButton")
        self.nominate_button.clicked.connect(self.nominate)
        box = dialogs.dialog_column(self, spacing=12)
        box.addWidget(heading)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.rules_box)
        box.addWidget(self.file_box)
        box.addWidget(self.error)
        box.addWidget(self.result)
        box.addWidget(self.refusals)
        box.addWidget(self.buttons)
        for signal in (self.count.valueChanged, self.seed.valueChanged, self.version.currentIndexChanged,
                       self.region.currentIndexChanged):
            signal.connect(lambda *_: self._check())
        for check in (self.spread, self.sample, self.exclude, self.by_rules, self.by_file):
            check.toggled.connect(lambda *_: self._check())
        self.path.textChanged.connect(lambda *_: self._check())
        self._check()

    # -- what is asked ---------------------------------------------------------------------
    def party(self) -> str:
        return str(self.supplier.currentData() or "")

    def rule(self) -> PilotRule:
        """The business rules chosen, as the engine takes them."""
        version, region = self.version.currentData(), self.region.currentData()
        return PilotRule(
            count=self.count.value(), spread=self.spread.isChecked(),
            from_versions=(str(version),) if version else (), regions=(str(region),) if region else (),
            seed=self.seed.value() if self.sample.isChecked() else None,
            exclude_incidents=self.exclude.isChecked())

    def file(self) -> Path | None:
        text = self.path.text().strip()
        return Path(text).expanduser() if self.by_file.isChecked() and text else None

    def _check(self) -> None:
        rules = self.by_rules.isChecked()
        self.rules_box.setVisible(rules)
        self.file_box.setVisible(not rules)
        try:
            self.preview.setText("Rules sent: " + self.rule().describe().removeprefix("rules: "))
            valid = True
        except BadInput as exc:  # the fields only offer valid choices; say so if one is not
            self.preview.setText(str(exc))
            valid = not rules
        ready = bool(self.party()) and valid and (rules or self.file() is not None)
        self.nominate_button.setEnabled(ready)


    # -- asking the engine ---------------------------------------------------------------------
    def nominate(self) -> None:
        if self.submit is None or not self.nominate_button.isEnabled():
            return
        self.error.hide()
        self.nominate_button.setEnabled(False)
        self.nominate_button.setText("Nominating\u2026")
        by_file = self.by_file.isChecked()
        self.submit(self.party(), self.file() if by_file else None, None if by_file else self.rule())

    def failed(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.nominate_button.setText("Nominate")
        self._check()

    def show_result(self, r: NominationResult) -> None:
        """The receipt: what joined, what waits, what was refused and why. Then only Close."""
        self.result.setText(
            f"<b>Nomination {r.id} from {r.supplier}</b>: {r.submitted:,} hubs listed; "
            f"<b>{r.joined:,}</b> joined the pilot, <b>{r.awaiting:,}</b> wait for their other "
            f"supplier, <b>{len(r.refused):,}</b> refused. The receipt is in the outbox.")
        self.result.show()
        widgets.fill_table(self.refusals, ((x.line, x.guid or "(blank)",
                                            f"{x.reason.value}: {REASON_TEXT.get(x.reason, '')}")
                                           for x in r.refused), numeric=(0,))
        widgets.fit_height(self.refusals, max_rows=8)
        self.refusals.setVisible(bool(r.refused))
        for part in (self.supplier, self.by_rules, self.by_file, self.rules_box, self.file_box):
            part.setEnabled(False)
        self.nominate_button.hide()
        self.submit = None
        close = self.buttons.button(self.buttons.StandardButton.Cancel)
        close.setText("Close")
        close.setDefault(True)
        self.adjustSize()  # room for the receipt, below the form
