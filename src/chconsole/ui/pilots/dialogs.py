"""Starting, concluding and commenting on a pilot: each says what happens and who is told.

Concluding is the gate of the whole rollout (R2), so its dialog makes the decision an
explicit choice, needs commentary (every party notified reads it) and names who is told.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.dto import PilotInfo, ReleaseInfo
from chconsole.core.vocabulary.guid import canonical_guid
from chconsole.core.vocabulary.london import show, to_london
from chconsole.ui.common import dialogs
from chconsole.ui.common.dialogs import label
from chconsole.ui.common.time_edit import edit_time, london_edit
from chconsole.ui.common.words import names, recipients
from chconsole.ui.pilots.chart import OPEN


class StartPilotDialog(QDialog):
    """Confirms the start, with activation as soon as each hub holds the image or at a time."""

    def __init__(self, v: PilotInfo, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Start pilot")
        self.setMinimumWidth(600)
        parties = [s.party for s in v.suppliers if s.total]
        body = (f"<p><b>{v.hubs:,} hubs</b> of {len(parties)} suppliers ({names(parties)}) are in the "
                "pilot. Distribution of the image to every one of them is commanded at once.</p>")
        if v.awaiting:
            body += (f"<p><b>{v.awaiting:,} split-supply hubs</b> still wait for their other supplier: "
                     "they do not join, stay in the safe launch group, and the suppliers who nominated "
                     "them are told.</p>")
        body += ("<p>Told now: each supplier with pilot hubs (then progress every day at 17:00) and the "
                 "CSPs whose regions hold pilot hubs.</p>")
        heading = label(f"Start the pilot of release {v.release_id} ({v.model} to {v.to_version})?",
                         "dialogTitle", rich=False)
        self.asap = QRadioButton("Activate each hub as soon as it holds the image")
        self.at_time = QRadioButton("Activate every pilot hub at a set time (London time):")
        self.asap.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.asap)
        group.addButton(self.at_time)
        default = to_london(now + timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
        self.when = london_edit(default)
        self.when.setEnabled(False)
        self.at_time.toggled.connect(self.when.setEnabled)
        latest = f"no later than the DCC deployment date, {show(v.deployment_date)}; " if v.deployment_date else ""
        hint = label(f"A set time must be {latest}a hub that does not hold the image by then fails "
                      "with No Image Held.", "hint", rich=False)
        when_row = QHBoxLayout()
        when_row.addWidget(self.at_time)
        when_row.addWidget(self.when)
        when_row.addStretch(1)
        self.buttons, self.start_button = dialogs.dialog_buttons(self, "Start pilot")
        self.start_button.setObjectName("primaryButton")
        box = dialogs.dialog_column(self)
        box.addWidget(heading)
        box.addWidget(label(body))
        box.addWidget(self.asap)
        box.addLayout(when_row)
        box.addWidget(hint)
        box.addWidget(self.buttons)

    def activate_at(self) -> datetime | None:
        if not self.at_time.isChecked():
            return None
        return edit_time(self.when)


class ConcludeDialog(QDialog):
    """DCC's decision on the pilot: proceed or stop, with commentary for everyone told."""

    def __init__(self, v: PilotInfo, release: ReleaseInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Conclude pilot")
        self.setMinimumWidth(620)
        self.pilot = v
        in_flight = sum(v.counts.get(s, 0) for s in OPEN)
        heading = label(f"Conclude the pilot of release {v.release_id} ({v.model} to {v.to_version})",
                         "dialogTitle", rich=False)
        state = (f"<p>{v.hubs:,} pilot hubs: <b>{v.counts.get('ACTIVATED', 0):,} activated</b>, "
                 f"<b>{v.counts.get('FAILED', 0):,} failed</b>, {in_flight:,} still in flight.</p>")
        if not v.hubs:
            self.setWindowTitle("Decide without a pilot")
            heading.setText(f"Decide on release {v.release_id} ({v.model} to {v.to_version}) without a pilot")
            state = ("<p>No hub has joined a pilot of this release. DCC can decide without one: proceed opens "
                     "the gate to the safe launch, stop stops the release.</p>")
        if in_flight:
            state += ("<p>Some pilot hubs have not finished: concluding now decides without their "
                      "results.</p>")
        suppliers, csps = recipients(release)
        told = (f"The decision and your commentary go to every party notified of release {release.id}: "
                f"<b>{len(suppliers)} suppliers</b> ({names(suppliers)}) and "
                f"{'the CSP' if len(csps) == 1 else 'the CSPs'} <b>{', '.join(csps) or 'none'}</b>.")
        self.proceed = QRadioButton("Proceed: the pilot succeeded; open the gate to the safe launch")
        self.stop = QRadioButton("Stop: the pilot failed; stop the release")
        group = QButtonGroup(self)
        group.addButton(self.proceed)
        group.addButton(self.stop)
        date = show(release.deployment_date) if release.deployment_date else "the DCC deployment date"
        self.meanings = {
            "proceed": (f"Safe-launch hubs are then deployed at the DCC deployment date ({date}) or earlier "
                        "where their suppliers instruct it"
                        + (f"; the <b>{v.held:,} safe-launch hubs held</b> at the gate are released." if v.held
                           else ".")),
            "stop": (f"<b>Release {release.id} stops.</b> Every hub not yet activated is cancelled: the "
                     f"{in_flight:,} pilot hubs in flight and every safe-launch hub. Commands still due are "
                     "withdrawn from the network. This cannot be undone."),
        }
        self.meaning = label("Choose proceed or stop; the consequences of each are shown here.")
        caption = label("Commentary (required; every party told reads it)", "caption", rich=False)
        self.commentary = QPlainTextEdit()
        self.commentary.setObjectName("reason")
        self.commentary.setPlaceholderText("What the pilot showed, and why this decision.")
        self.commentary.setFixedHeight(96)
        self.buttons, self.confirm_button = dialogs.dialog_buttons(self, "Conclude")
        box = dialogs.dialog_column(self)
        box.addWidget(heading)
        box.addWidget(label(state))
        radios = QVBoxLayout()
        radios.setSpacing(6)
        radios.addWidget(self.proceed)
        radios.addWidget(self.stop)
        box.addLayout(radios)
        box.addWidget(self.meaning)
        field = QVBoxLayout()
        field.setSpacing(4)
        field.addWidget(caption)
        field.addWidget(self.commentary)
        box.addLayout(field)
        box.addWidget(label(told))
        box.addWidget(self.buttons)
        for widget in (self.proceed, self.stop):
            widget.toggled.connect(lambda *_: self._check())
        self.commentary.textChanged.connect(self._check)
        self._check()

    def decision(self) -> str | None:
        return "proceed" if self.proceed.isChecked() else "stop" if self.stop.isChecked() else None

    def commentary_text(self) -> str:
        return self.commentary.toPlainText().strip()

    def _check(self) -> None:
        decision = self.decision()
        if decision is not None:
            self.meaning.setText(self.meanings[decision])
        stop = decision == "stop"
        self.confirm_button.setText("Stop the release" if stop else "Conclude: proceed" if decision else "Conclude")
        self.confirm_button.setObjectName("dangerButton" if stop else "primaryButton")
        self.confirm_button.style().unpolish(self.confirm_button)
        self.confirm_button.style().polish(self.confirm_button)
        self.confirm_button.setEnabled(decision is not None and bool(self.commentary_text()))


class CommentDialog(QDialog):
    """DCC's commentary on the pilot, or on one pilot hub."""

    def __init__(self, release_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add commentary")
        self.setMinimumWidth(560)
        heading = label(f"Commentary on the pilot of release {release_id}", "dialogTitle", rich=False)
        body = label("Commentary on the whole pilot goes out with every supplier's next daily progress "
                      "notice. Commentary on one hub goes into the pilot reports of that hub's suppliers.")
        self.text = QPlainTextEdit()
        self.text.setObjectName("reason")
        self.text.setPlaceholderText("Required.")
        self.text.setFixedHeight(96)
        self.guid = QLineEdit()
        self.guid.setPlaceholderText("Optional: the GUID of one pilot hub, e.g. 00-DB-12-34-56-78-90-A0")
        self.guid_error = label("", "fieldError", rich=False)
        self.guid_error.hide()
        self.buttons, self.add_button = dialogs.dialog_buttons(self, "Add commentary")
        self.add_button.setObjectName("primaryButton")
        box = dialogs.dialog_column(self)
        box.addWidget(heading)
        box.addWidget(body)
        box.addWidget(self.text)
        field = QVBoxLayout()
        field.setSpacing(4)
        field.addWidget(label("About one hub", "caption", rich=False))
        field.addWidget(self.guid)
        field.addWidget(self.guid_error)
        box.addLayout(field)
        box.addWidget(self.buttons)
        self.text.textChanged.connect(self._check)
        self.guid.textChanged.connect(lambda *_: self._check())
        self._check()

    def comment(self) -> str:
        return self.text.toPlainText().strip()

    def hub(self) -> str | None:
        text = self.guid.text().strip()
        return (canonical_guid(text) or text) if text else None

    def _check(self) -> None:
        text = self.guid.text().strip()
        bad = bool(text) and canonical_guid(text) is None
        self.guid_error.setText(f"{text!r} is not a hub GUID (eight hex octets)." if bad else "")
        self.guid_error.setVisible(bad)
        self.guid.setProperty("invalid", bad)
        self.guid.style().unpolish(self.guid)
        self.guid.style().polish(self.guid)
        self.add_button.setEnabled(bool(self.comment()) and not bad)
