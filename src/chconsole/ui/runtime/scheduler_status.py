"""The status bar's word on the scheduler: is due work being done, and by whom?

A rollout step falls due at 02:00 whether or not anyone is looking, so the operator must
be able to see at a glance that a scheduler is running (here, or on another host that
holds the lease), when work is next due, and when the last pass failed and why.

Passes report from APScheduler's thread; `report()` crosses to the GUI thread through a
queued signal, so it may be called from anywhere.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from chconsole.core.scheduling.host import PassReport
from chconsole.core.scheduling.host import describe_lease as describe
from chconsole.core.vocabulary.london import show, to_london

DOT = "\u00b7"
LONGEST = 90  # characters of a failure shown in the status bar; the tooltip has it all


def when(due: datetime, at: datetime) -> str:
    """A due time as briefly as it stays clear: 14:00 today, otherwise 27 Nov 14:00."""
    local, today = to_london(due), to_london(at)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    return f"{local.day} {local.strftime('%b %H:%M')}"


class SchedulerStatus(QLabel):
    """"Scheduler: running here · next due 14:00", "held by host:pid (headless)", or a failure.

    Signals:
        passed(PassReport): a pass finished (emitted on any thread, shown on the GUI thread).
    """

    passed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Scheduler: \u2026", parent)
        self.setObjectName("statusItem")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.last: PassReport | None = None
        self.passed.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def report(self, report: PassReport) -> None:
        """Take a pass's report from any thread (the scheduler's on_pass)."""
        self.passed.emit(report)

    # -- states the window sets -------------------------------------------------------------------
    def simulated(self) -> None:
        self._say("Scheduler: the demo clock",
                  "This database runs on a simulated clock: the demo clock in the toolbar moves it "
                  "and does what falls due, so no scheduler runs here.")

    def not_allowed(self) -> None:
        self._say("Scheduler: not run here (your roles may not tick)",
                  "Doing due work needs the operator, release manager or administrator role; "
                  "another console or a headless 'chconsole scheduler' must run it.", warning=True)

    def starting(self) -> None:
        self._say("Scheduler: starting\u2026", "The first pass catches up on anything due while closed.")

    def stopped(self) -> None:
        self._say("Scheduler: stopped", "This console no longer does due work.")

    # -- a pass --------------------------------------------------------------------------------------
    def _show(self, report: PassReport) -> None:
        self.last = report
        lines = [f"Last pass {show(report.at, seconds=True)}"]
        if report.holder:
            lines.append(f"Lease held by {describe(report.holder)}")
        lines.append(f"Next due {show(report.next_due)}" if report.next_due else "Nothing is planned")
        if report.error:
            text = report.error if len(report.error) <= LONGEST else report.error[:LONGEST - 1] + "\u2026"
            lines.insert(0, f"The last pass failed: {report.error}\nThe next heartbeat tries again.")
            self._say(f"Scheduler: last pass failed: {text}", "\n".join(lines), warning=True)
        elif not report.here:
            who = describe(report.holder) if report.holder else "another scheduler"
            self._say(f"Scheduler: held by {who}", "\n".join(
                ["Another scheduler holds the lease and does the due work; this console takes "
                 "over if it stops.", *lines]))
        else:
            nxt = f"next due {when(report.next_due, report.at)}" if report.next_due else "nothing due"
            self._say(f"Scheduler: running here {DOT} {nxt}", "\n".join(lines))

    def _say(self, text: str, tip: str, warning: bool = False) -> None:
        self.setText(text)
        self.setToolTip(tip)
        if bool(self.property("warning")) != warning:
            self.setProperty("warning", warning)
            self.style().unpolish(self)
            self.style().polish(self)
