"""The batch dialogs' shared parts, and re-planning and cancelling a batch.

Times are entered and shown in London time (the field is wall-clock time; localize()
turns it into an instant, resolving the clock changes). Re-planning checks the new time as
the engine will; cancelling needs a reason, because the batch's suppliers read it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from chconsole.core.engine.dto import BatchInfo
from chconsole.core.releases.lifecycle import ReleaseInfo
from chconsole.core.vocabulary.london import localize, show, to_london
from chconsole.ui import widgets

DATE_FORMAT = "yyyy-MM-dd HH:mm"


def label(text: str, name: str = "dialogBody", rich: bool = True) -> QLabel:
    out = QLabel(text)
    out.setObjectName(name)
    out.setWordWrap(True)
    out.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    return out


def hint(text: str) -> QLabel:
    """A short grey note beside a field, on one line."""
    out = QLabel(text)
    out.setObjectName("hint")
    return out


def grow(dialog: QDialog) -> None:
    """Make room for what appeared (a receipt, refused GUIDs): a shown dialog does not grow
    on its own, and adjustSize() stops at two thirds of the screen."""
    wanted = dialog.sizeHint().height()
    if dialog.isVisible() and wanted > dialog.height():
        dialog.resize(dialog.width(), wanted)


def london_edit(at: datetime) -> QDateTimeEdit:
    """A date-time field in London wall-clock time, showing AT."""
    edit = QDateTimeEdit()
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    edit.setDateTime(QDateTime(to_london(at).replace(tzinfo=None, second=0, microsecond=0)))
    return edit


def edit_time(edit: QDateTimeEdit) -> datetime:
    wall = edit.dateTime().toPython()
    assert isinstance(wall, datetime)
    return localize(wall.replace(second=0, microsecond=0))


def first_slot(now: datetime, lead_days: int, latest: datetime | None) -> datetime:
    """A sensible default time: 10:00 London on the first day after the lead time."""
    day = to_london(now + timedelta(days=lead_days + 1)).replace(tzinfo=None, hour=10, minute=0, second=0,
                                                                  microsecond=0)
    at = localize(day)
    return min(at, latest) if latest is not None else at


def time_problem(at: datetime, now: datetime, lead_days: int, latest: datetime | None,
                 needs_lead: bool = True) -> str:
    """Why AT cannot be a batch's time ('' when it can)."""
    if at <= now:
        return f"{show(at)} has passed; the simulated or real clock says {show(now)}."
    if needs_lead and at < now + timedelta(days=lead_days):
        return (f"Too soon: distribution needs the {lead_days}-day lead time, so the earliest is "
                f"{show(now + timedelta(days=lead_days))}.")
    if latest is not None and at > latest:
        return f"After the DCC deployment date ({show(latest)}); a batch may only be earlier."
    return ""


class ReplanDialog(QDialog):
    """A batch's new activation time; its hubs not yet activated move to it, suppliers told."""

    def __init__(self, b: BatchInfo, release: ReleaseInfo | None, now: datetime,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Re-plan batch")
        self.setMinimumWidth(600)
        self.batch, self.now = b, now
        self.lead_days = release.distribution_lead_days if release is not None else 7
        self.latest = release.deployment_date if release is not None else None
        # Hubs without the image still need the whole lead time; the others only a later time.
        self.undistributed = b.counts.get("SCHEDULED", 0) + b.counts.get("HELD", 0)
        heading = label(f"Re-plan batch {b.id} ({b.name})", "dialogTitle", rich=False)
        if b.state == "OVERDUE" and b.overdue_since:
            now_text = (f"<p><b>{b.open:,} hubs were due at {show(b.overdue_since)}</b> while the console "
                        "and the scheduler were down. Choose the time they should now be activated.</p>")
        else:
            now_text = (f"<p>Activation is now <b>{show(b.activate_at)}</b> (distribution from "
                        f"{show(b.distribute_from)}), for {b.open:,} hubs not yet activated.</p>")
        told = ("<p>Those hubs move to the new time. Every supplier with hubs in the batch is told, with "
                "its own list; nobody else is.</p>")
        default = b.activate_at if b.activate_at > now + timedelta(days=self.lead_days) else \
            first_slot(now, self.lead_days, self.latest)
        self.when = london_edit(default)
        self.when.setMinimumWidth(170)
        self.problem = label("", "fieldError", rich=False)
        self.problem.hide()
        lead_note = (f"London time. {self.undistributed:,} hubs have no image yet, so the new time must leave the "
                f"{self.lead_days}-day lead time." if self.undistributed else
                "London time. Every hub left already holds the image, so any later time will do.")
        row = QHBoxLayout()
        caption = hint("New activation time")
        caption.setObjectName("caption")
        row.addWidget(caption)
        row.addWidget(self.when)
        row.addStretch(1)
        self.buttons, self.replan_button = widgets.dialog_buttons(self, "Re-plan")
        self.replan_button.setObjectName("primaryButton")
        box = widgets.dialog_column(self)
        box.addWidget(heading)
        box.addWidget(label(now_text + told))
        box.addLayout(row)
        box.addWidget(label(lead_note, "hint", rich=False))
        box.addWidget(self.problem)
        box.addWidget(self.buttons)
        self.when.dateTimeChanged.connect(lambda *_: self._check())
        self._check()

    def activate_at(self) -> datetime:
        return edit_time(self.when)

    def _check(self) -> None:
        problem = time_problem(self.activate_at(), self.now, self.lead_days, self.latest,
                               needs_lead=bool(self.undistributed))
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.replan_button.setEnabled(not problem)


class CancelBatchDialog(QDialog):
    """Cancelling a batch: what becomes of its hubs, and a reason its suppliers will read."""

    def __init__(self, b: BatchInfo, release: ReleaseInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cancel batch")
        self.setMinimumWidth(600)
        back = b.counts.get("SCHEDULED", 0) + b.counts.get("HELD", 0)
        imaged = b.counts.get("DISTRIBUTING", 0) + b.counts.get("DISTRIBUTED", 0)
        called = b.counts.get("ACTIVATION_PENDING", 0)
        date = show(release.deployment_date) if release is not None and release.deployment_date else \
            "the DCC deployment date"
        body = f"<p><b>{back:,} hubs</b> whose distribution has not begun go back to the DCC deployment date ({date}).</p>"
        if imaged:
            body += (f"<p><b>{imaged:,} hubs</b> holding or receiving the image keep it, and are activated at the "
                     "DCC deployment date instead.</p>")
        if called:
            body += (f"<p><b>{called:,} hubs</b> already have their activation at the CSP network: it is called "
                     "back and those hubs are cancelled in this release.</p>")
        if b.counts.get("ACTIVATED"):
            body += f"<p>The {b.counts['ACTIVATED']:,} hubs already activated keep their new firmware.</p>"
        body += ("<p><b>The suppliers with hubs in this batch are told</b> that it is cancelled, with your "
                 "reason. This cannot be undone.</p>")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("Required: the suppliers with hubs in this batch read it.")
        self.reason.setFixedHeight(90)
        self.buttons, self.confirm_button = widgets.dialog_buttons(self, "Cancel batch")
        self.confirm_button.setObjectName("dangerButton")
        keep = self.buttons.button(self.buttons.StandardButton.Cancel)
        keep.setText("Keep the batch")  # "Cancel" beside "Cancel batch" would be a trap
        box = widgets.dialog_column(self)
        box.addWidget(label(f"Cancel batch {b.id} ({b.name})?", "dialogTitle", rich=False))
        box.addWidget(label(body))
        caption = hint("Reason for cancelling")
        caption.setObjectName("caption")
        box.addWidget(caption)
        box.addWidget(self.reason)
        box.addWidget(self.buttons)
        self.reason.textChanged.connect(self._check)
        self._check()

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def _check(self) -> None:
        self.confirm_button.setEnabled(bool(self.reason_text()))
