"""The incident form, the Panel's confirmation and a comment.

The form logs what a supplier reported through the service desk (R6): the release, the
reporting supplier, what it does to homes' home area networks, the affected GUIDs from a
file (optional; bad lines are refused one by one, in words) and whether it asks for an
emergency stop, which makes it P1. The triage dialog, with its preview, is triage.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from chconsole.core.engine.dto import (
    BODIES,
    REASON_TEXT,
    Consequences,
    IncidentInfo,
    RaiseResult,
    ReleaseInfo,
)
from chconsole.ui.common import dialogs, widgets
from chconsole.ui.common.dialogs import label
from chconsole.ui.common.pickers import release_title
from chconsole.ui.common.words import party_title, sentence_case
from chconsole.ui.incidents.models import outcome_words

# (release id, supplier, description, GUID file or None, emergency stop asked for)
Submit = Callable[[int, str, str, Path | None, bool], None]


class RaiseIncidentDialog(QDialog):
    """The incident form; SUBMIT gets what was entered, and show_result() the receipt."""

    def __init__(self, releases: Sequence[ReleaseInfo], names: Mapping[str, str], default: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Raise incident")
        self.setMinimumWidth(640)
        self.submit: Submit | None = None
        self.release = QComboBox()
        self.release.setObjectName("incidentRelease")
        for r in sorted(releases, key=lambda r: -r.id):
            self.release.addItem(release_title(r), r.id)
        if default is not None and self.release.findData(default) >= 0:
            self.release.setCurrentIndex(self.release.findData(default))
        self.supplier = QComboBox()
        self.supplier.setObjectName("incidentSupplier")
        parties = sorted(set(names) | {c.party for r in releases for c in r.suppliers})
        for party in parties:
            self.supplier.addItem(party_title(party, names), party)
        self.description = QPlainTextEdit()
        self.description.setObjectName("incidentText")
        self.description.setPlaceholderText("What the supplier reports the firmware does to homes' home area "
                                            "network: in-home displays losing the meters, gas readings missing\u2026")
        self.description.setFixedHeight(96)
        self.path, file_row = dialogs.guid_file_field(self, optional=True)
        self.emergency = QCheckBox("The supplier asks for an emergency stop")
        self.priority = dialogs.hint("")
        self.error = label("", "formError", rich=False)
        self.error.hide()
        self.receipt = label("")
        self.receipt.hide()
        self.refusals = widgets.make_table(("Line", "GUID", "Why it was not taken"), stretch=2, numeric=(0,))
        self.refusals.setObjectName("incidentRefusals")
        self.refusals.hide()
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        form.addRow("Release", self.release)
        form.addRow("Reported by", self.supplier)
        form.addRow("Impact", self.description)
        form.addRow("Affected GUIDs", file_row)
        form.addRow("", self.emergency)
        form.addRow("", self.priority)
        self.buttons, self.raise_button = dialogs.dialog_buttons(self, "Raise incident", accept=False)
        self.raise_button.setObjectName("primaryButton")
        self.raise_button.clicked.connect(self.send)
        box = dialogs.dialog_column(self)
        box.addWidget(label("Raise an incident a supplier reported", "dialogTitle", rich=False))
        box.addWidget(label("Log it as the service desk heard it. An incident about a rollout is P1 when an "
                            "emergency stop is asked for, P2 otherwise; DCC then triages it.", "hint"))
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(self.receipt)
        box.addWidget(self.refusals)
        box.addWidget(self.buttons)
        self.description.textChanged.connect(self._check)
        self.emergency.toggled.connect(self._check)
        self._check()

    def file(self) -> Path | None:
        text = self.path.text().strip()
        return Path(text).expanduser() if text else None

    def _check(self) -> None:
        stop = self.emergency.isChecked()
        self.priority.setText("Priority P1: an emergency stop is asked for." if stop else
                              "Priority P2: a rollout incident with no emergency stop asked for.")
        ready = self.release.currentData() is not None and bool(self.supplier.currentData()) and bool(
            self.description.toPlainText().strip())
        self.raise_button.setEnabled(ready)

    def send(self) -> None:
        if self.submit is None or not self.raise_button.isEnabled():
            return
        self.error.hide()
        self.raise_button.setEnabled(False)
        self.raise_button.setText("Raising\u2026")
        self.submit(int(self.release.currentData()), str(self.supplier.currentData()),
                    self.description.toPlainText().strip(), self.file(), self.emergency.isChecked())

    def failed(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.raise_button.setText("Raise incident")
        self._check()
        dialogs.grow(self)

    def show_result(self, r: RaiseResult) -> None:
        """The receipt, with every GUID not taken and why, in words. Then only Close."""
        i = r.incident
        self.receipt.setText(f"<b>Incident {i.id} raised ({i.priority})</b> for release {i.release_id}: "
                            f"{i.hubs:,} hubs named, <b>{len(r.refused):,} GUIDs not taken</b>.")
        self.receipt.show()
        widgets.fill_table(self.refusals, ((x.line, x.guid or "(blank)", sentence_case(REASON_TEXT.get(x.reason, "")))
                                           for x in r.refused), numeric=(0,))
        widgets.fit_height(self.refusals, max_rows=8)
        self.refusals.show()
        for part in (self.release, self.supplier, self.description, self.path, self.emergency):
            part.setEnabled(False)
        self.raise_button.hide()
        self.submit = None
        close = self.buttons.button(self.buttons.StandardButton.Cancel)
        close.setText("Close")
        close.setDefault(True)
        dialogs.grow(self)


class ConfirmDecisionDialog(QDialog):
    """The Panel secretary records who confirmed DCC's outcome, for the Panel or its Sub-Committee."""

    def __init__(self, i: IncidentInfo, found: Consequences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record the Panel's confirmation")
        self.setMinimumWidth(620)
        self.by = QLineEdit()
        self.by.setObjectName("confirmedBy")
        self.by.setPlaceholderText("Who confirmed it for the Panel, e.g. the Panel chair's name")
        self.panel = QRadioButton(sentence_case(BODIES["panel"]))
        self.sub_committee = QRadioButton(sentence_case(BODIES["sub-committee"]))
        self.panel.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.panel)
        group.addButton(self.sub_committee)
        bodies = QHBoxLayout()
        bodies.addWidget(self.panel)
        bodies.addWidget(self.sub_committee)
        bodies.addStretch(1)
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.addRow("Confirmed by", self.by)
        form.addRow("For", bodies)
        lines = "".join(f"<li>{line}</li>" for line in found.lines)
        self.buttons, self.confirm_button = dialogs.dialog_buttons(self, "Record confirmation")
        self.confirm_button.setObjectName("primaryButton")
        self.by.textChanged.connect(lambda t: self.confirm_button.setEnabled(bool(t.strip())))
        self.confirm_button.setEnabled(False)
        box = dialogs.dialog_column(self)
        box.addWidget(label(f"Record the Panel's confirmation of incident {i.id}", "dialogTitle", rich=False))
        box.addWidget(label(f"<p>DCC's outcome: <b>{outcome_words(i)}</b> (triaged by {i.triaged_by}). Once "
                            f"recorded it takes effect at once:</p><ul>{lines}</ul>"))
        box.addLayout(form)
        box.addWidget(self.buttons)

    def body(self) -> str:
        return "sub-committee" if self.sub_committee.isChecked() else "panel"

    def confirmed_by(self) -> str:
        return self.by.text().strip()


class CommentDialog(QDialog):
    """A comment for an incident's history."""

    def __init__(self, incident_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Comment on incident")
        self.setMinimumWidth(560)
        self.words = QPlainTextEdit()
        self.words.setObjectName("incidentComment")
        self.words.setFixedHeight(110)
        self.buttons, self.add_button = dialogs.dialog_buttons(self, "Add comment")
        self.add_button.setObjectName("primaryButton")
        self.words.textChanged.connect(lambda: self.add_button.setEnabled(bool(self.comment())))
        self.add_button.setEnabled(False)
        box = dialogs.dialog_column(self)
        box.addWidget(label(f"Comment on incident {incident_id}", "dialogTitle", rich=False))
        box.addWidget(QLabel("The comment is kept in the incident's history, with your name and the time."))
        box.addWidget(self.words)
        box.addWidget(self.buttons)

    def comment(self) -> str:
        return self.words.toPlainText().strip()
