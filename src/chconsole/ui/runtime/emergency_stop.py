"""The emergency stop (R6): one obvious action on every view, one confirmation, no form.

It runs on a lane of its own (tasks.STOP), never behind the single writer: a stop pressed
while a big batch is being dispatched or a report written must take effect before one more
command leaves, and the engine's stop is safe beside other writers. What it did (releases
suspended, call-backs sent, hubs held) is said at once; the reason may be given afterwards,
and is recorded on the release's incident.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from chconsole.core.engine.changes import NOTHING, Changes, Done
from chconsole.core.engine.dto import StopInfo
from chconsole.core.engine.facade import Engine
from chconsole.ui.common import dialogs
from chconsole.ui.common.stop_dialogs import StopDialog, StopDoneDialog, stop_icon
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.halts import HaltWatch
from chconsole.ui.runtime.tasks import STOP, Task

SHORTCUT = "Ctrl+Shift+E"
LABEL = "pressing the emergency stop"
DCC = "DCC"  # the party of an incident the console raises itself
TOOLTIP = (f"Emergency stop ({SHORTCUT}): suspend a release at once, pending the Panel. No further command "
           "leaves for it, activations at the network are called back and its hubs are held. One "
           "confirmation, no form; any DCC user may press it.")


class EmergencyStop(QObject):
    """The toolbar's stop: SHOWN_RELEASE gives the release the current view shows (the default).

    Signals:
        stopped(StopInfo): the stop took effect (its change has reached the views already).
    """

    stopped = Signal(object)

    def __init__(self, console: Console, watch: HaltWatch, parent: QWidget,
                 shown_release: Callable[[], int | None]) -> None:
        super().__init__(parent)
        self.console = console
        self.watch = watch
        self.host = parent
        self.shown_release = shown_release
        self.task: Task | None = None
        self.action = QAction(stop_icon(), "Emergency stop", parent)
        self.action.setObjectName("emergencyStopAction")
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setToolTip(TOOLTIP)
        self.action.triggered.connect(self.press)

    def press(self) -> None:
        """Ask which release (one confirmation), then stop it on the stop's own lane."""
        if self.task is not None and not self.task.finished:
            self.console.messages.warning("The emergency stop is already being pressed; it takes effect in a moment.")
            return
        page = self.watch.page
        stoppable = page.stoppable() if page is not None else []
        ids = [r.id for r in stoppable]
        default = self.shown_release()
        if default not in ids:
            default = ids[0] if len(ids) == 1 else None
        dialog = StopDialog(stoppable, default, known=page is not None, parent=self.host)
        if not dialogs.run_dialog(dialog):
            return
        chosen = dialog.chosen()
        self.task = self.console.write_tracked(lambda e, _ctx: e.incidents.stop(chosen), self._done, label=LABEL,
                                               lane=STOP)

    def _done(self, info: StopInfo) -> None:
        which = ", ".join(str(i) for i in info.releases)
        self.console.messages.warning(
            f"Emergency stop {info.id}: release{'s' if len(info.releases) > 1 else ''} {which} suspended; "
            f"{info.calls:,} call-backs sent to the network, {info.held:,} hubs held. Resuming needs the "
            "Panel's decision and a second DCC user.")
        self.stopped.emit(info)
        releases = self.watch.page.releases if self.watch.page is not None else []
        dialog = StopDoneDialog(info, releases, self.host)
        if dialogs.run_dialog(dialog) and dialog.reason_text():
            self.record_reason(info, dialog.reason_text())

    def record_reason(self, info: StopInfo, reason: str) -> None:
        """Record REASON on each suspended release's incident (raised for DCC if none is open)."""

        def change(e: Engine) -> Done[list[int]]:
            changes: Changes = NOTHING
            incidents: list[int] = []
            open_now = e.incidents.incidents(open_only=True)
            for release_id in info.releases:
                mine = [i for i in open_now if i.release_id == release_id]
                deciding = next((i for i in mine if i.stop_id == info.id), mine[0] if mine else None)
                if deciding is not None:
                    said = e.incidents.comment_incident(deciding.id, f"Why emergency stop {info.id}: {reason}")
                    incidents.append(said.value.id)
                    changes = changes | said.changes
                else:
                    raised = e.incidents.raise_incident(release_id, DCC, f"Emergency stop {info.id}: {reason}",
                                                        emergency_stop=True)
                    incidents.append(raised.value.incident.id)
                    changes = changes | raised.changes
            return Done(incidents, changes)

        def done(ids: list[int]) -> None:
            self.console.messages.info(
                f"The reason for emergency stop {info.id} is recorded on incident{'s' if len(ids) > 1 else ''} "
                f"{', '.join(str(i) for i in ids)}.")

        self.console.write(change, done, label=f"recording the reason for emergency stop {info.id}")
