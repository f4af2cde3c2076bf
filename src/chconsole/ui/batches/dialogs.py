"""Re-planning and cancelling a batch.

Times are entered and shown in London time (common.time_edit). Re-planning checks the new
time as the engine will; cancelling needs a reason, because the batch's suppliers read it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QWidget,
)

from chconsole.core.engine.dto import BatchInfo, ReleaseInfo
from chconsole.core.vocabulary.london import show
from chconsole.ui.common import dialogs
from chconsole.ui.common.dialogs import hint, label
from chconsole.ui.common.time_edit import edit_time, first_slot, london_edit, time_problem


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
        self.buttons, self.replan_button = dialogs.dialog_buttons(self, "Re-plan")
        self.replan_button.setObjectName("primaryButton")
        box = dialogs.dialog_column(self)
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
        self.buttons, self.confirm_button = dialogs.dialog_buttons(self, "Cancel batch")
        self.confirm_button.setObjectName("dangerButton")
        keep = self.buttons.button(self.buttons.StandardButton.Cancel)
        keep.setText("Keep the batch")  # "Cancel" beside "Cancel batch" would be a trap
        box = dialogs.dialog_column(self)
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
