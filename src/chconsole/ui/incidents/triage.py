"""The triage dialog: DCC's outcome for an incident, with its consequences told before it is kept.

One outcome of four (proceed, pause, delay the end date, stop), the new DCC deployment
date for a delay, and a note. Whenever the choice changes the engine works out what it
would do (preview_triage: how many hubs, which suppliers, which dates move) off the GUI
thread, and the outcome can be recorded only once that preview is on screen for exactly
what is chosen. The outcome takes effect when the Panel confirms it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.dto import OUTCOMES, Consequences, IncidentInfo, ReleaseInfo
from chconsole.ui.common import dialogs
from chconsole.ui.common.dialogs import label
from chconsole.ui.common.time_edit import edit_time, london_edit
from chconsole.ui.common.words import OUTCOME_TITLES, names

MEANINGS = {
    "proceed": "The rollout goes on as planned; a halted release goes on once resumed by a second DCC user.",
    "pause": "Nothing new is sent; activations at the network are called back; hubs keep their state.",
    "delay": "A later DCC deployment date; the cut-off becomes one month before it.",
    "stop": "The release ends: hubs not yet activated are cancelled; activated hubs stay activated.",
}
INDENT = 26  # a radio button's text starts this far in
# (outcome, new date, on consequences, on refusal): asks the engine off the GUI thread.
Previewer = Callable[[str, datetime | None, Callable[[Consequences], None], Callable[[str], None]], None]
# (outcome, new date, note)
Submit = Callable[[str, datetime | None, str], None]


class ConsequencesPreview(QFrame):
    """What the chosen outcome would do: hubs, suppliers, the dates that move, in sentences."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.names: Mapping[str, str] = {}
        title = QLabel("What it would do")
        title.setObjectName("cardTitle")
        self.summary = label("")
        self.summary.setObjectName("consequences")
        self.dates = label("")
        self.dates.setObjectName("consequenceDates")
        self.lines = label("")
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 10, 14, 12)
        box.setSpacing(8)
        box.addWidget(title)
        box.addWidget(self.summary)
        box.addWidget(self.dates)
        box.addWidget(self.lines)
        self.waiting("Choose an outcome to see what it would do.")

    def waiting(self, text: str, error: bool = False) -> None:
        self.summary.setText(f'<span style="color:#b3261e">{escape(text)}</span>' if error else escape(text))
        self.dates.hide()
        self.lines.hide()

    def show_consequences(self, found: Consequences) -> None:
        parties = list(found.suppliers)
        self.summary.setText(
            f"<b>{found.hubs:,} hubs</b> not yet activated, of <b>{len(parties)} supplier"
            f"{'s' if len(parties) != 1 else ''}</b>{': ' + escape(names(parties, 10)) if parties else ''}.")
        self.dates.setText("".join(f"<p><b>{escape(what[:1].upper() + what[1:])}</b> moves from {escape(old)} to "
                                   f"<b>{escape(new)}</b>.</p>" for what, old, new in found.dates)
                           or "<p>No date moves.</p>")
        self.dates.show()
        # The sentences, less the one that says again what the dates above say.
        moved = [new for _what, _old, new in found.dates]
        lines = [line for line in found.lines if not (moved and all(m in line for m in moved))]
        self.lines.setText("".join(f"<p>{escape(line)}</p>" for line in lines))
        self.lines.show()


class TriageDialog(QDialog):
    """DCC's outcome for one incident, previewed before it is recorded."""

    def __init__(self, i: IncidentInfo, release: ReleaseInfo, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Triage incident")
        self.setObjectName("triageDialog")
        self.setMinimumWidth(960)
        self.incident = i
        self.previewer: Previewer | None = None
        self.submit: Submit | None = None
        self.found: Consequences | None = None
        self._asked = 0
        self.group = QButtonGroup(self)
        self.choices: dict[str, QRadioButton] = {}
        # Each outcome over what it means, the new date under the delay.
        choices = QVBoxLayout()
        choices.setSpacing(2)
        base = release.deployment_date or now
        self.new_date = london_edit(base + timedelta(days=91))
        self.new_date.setObjectName("newDate")
        self.new_date.setToolTip("London time (GMT or BST, as the date falls)")
        date_row = QHBoxLayout()
        date_row.setContentsMargins(INDENT, 4, 0, 0)
        date_row.addWidget(QLabel("New DCC deployment date"))
        date_row.addWidget(self.new_date)
        date_row.addStretch(1)
        for outcome in OUTCOMES:
            button = QRadioButton(OUTCOME_TITLES[outcome])
            button.setObjectName(f"outcome-{outcome}")
            self.group.addButton(button)
            self.choices[outcome] = button
            meaning = label(MEANINGS[outcome], "hint", rich=False)
            meaning.setContentsMargins(INDENT, 0, 0, 6)
            choices.addWidget(button)
            choices.addWidget(meaning)
            if outcome == "delay":
                choices.addLayout(date_row)
        self.note = QPlainTextEdit()
        self.note.setObjectName("triageNote")
        self.note.setPlaceholderText("Why, for the incident's history")
        self.note.setFixedHeight(64)
        self.preview = ConsequencesPreview()
        self.error = label("", "formError", rich=False)
        self.error.hide()
        self.buttons, self.record_button = dialogs.dialog_buttons(self, "Record outcome", accept=False)
        self.record_button.setObjectName("primaryButton")
        self.record_button.clicked.connect(self.record)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self._ask)
        # The choice on the left, what it would do on the right: short enough for a 700-pixel screen.
        left = QVBoxLayout()
        left.setSpacing(10)
        left.addWidget(label("<b>Outcome</b>"))
        left.addLayout(choices)
        left.addWidget(label("<b>Note</b> (optional)"))
        left.addWidget(self.note)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.setSpacing(20)
        columns.addLayout(left, 1)
        columns.addWidget(self.preview, 1, Qt.AlignmentFlag.AlignTop)
        box = dialogs.dialog_column(self, spacing=10)
        box.addWidget(label(f"Triage incident {i.id} ({i.priority}) on release {release.id}", "dialogTitle",
                            rich=False))
        box.addWidget(label(f"{i.reported_by}: \u201c{_short(i.description)}\u201d", "hint", rich=False))
        box.addLayout(columns)
        box.addWidget(label("The outcome takes effect when the Panel (or its Sub-Committee) confirms it; "
                            "the Panel secretary records that.", "hint", rich=False))
        box.addWidget(self.error)
        box.addWidget(self.buttons)
        self.group.buttonToggled.connect(lambda *_: self._changed())
        self.new_date.dateTimeChanged.connect(lambda *_: self._changed())
        if i.outcome in self.choices:
            self.choices[i.outcome].setChecked(True)
        self._changed()

    def outcome(self) -> str | None:
        return next((o for o, b in self.choices.items() if b.isChecked()), None)

    def chosen_date(self) -> datetime | None:
        return edit_time(self.new_date) if self.outcome() == "delay" else None

    def _changed(self) -> None:
        self.new_date.setEnabled(self.outcome() == "delay")
        self.found = None
        self._asked += 1
        if self.outcome() is None:
            self.preview.waiting("Choose an outcome to see what it would do.")
        else:
            self.preview.waiting("Working out what it would do\u2026")
            self._debounce.start()
        self._check()

    def _ask(self) -> None:
        outcome, asked = self.outcome(), self._asked
        if self.previewer is None or outcome is None:
            return

        def answered(found: Consequences) -> None:
            if asked == self._asked:
                self.found = found
                self.preview.show_consequences(found)
                self._check()
                dialogs.grow(self)

        def refused(message: str) -> None:
            if asked == self._asked:
                self.preview.waiting(message, error=True)

        self.previewer(outcome, self.chosen_date(), answered, refused)

    def _check(self) -> None:
        self.record_button.setEnabled(self.found is not None and self.submit is not None)

    def record(self) -> None:
        outcome = self.outcome()
        if self.submit is None or outcome is None or not self.record_button.isEnabled():
            return
        self.error.hide()
        self.record_button.setEnabled(False)
        self.record_button.setText("Recording\u2026")
        self.submit(outcome, self.chosen_date(), self.note.toPlainText().strip())

    def failed(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.record_button.setText("Record outcome")
        self._check()


def _short(text: str, limit: int = 220) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[:limit - 1] + "\u2026"
