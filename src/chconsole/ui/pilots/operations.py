"""The pilot operations: nominate, start, conclude, comment. Each asks, then runs one
engine call through Console.write, which announces what it changed, so every view showing
the release (or its pilot) refreshes and the others do not."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from chconsole.core.engine.changes import Done
from chconsole.core.engine.dto import NominationResult, PilotInfo, PilotRule, ReleaseInfo
from chconsole.core.engine.facade import Engine
from chconsole.ui.common import dialogs
from chconsole.ui.pilots.dialogs import CommentDialog, ConcludeDialog, StartPilotDialog
from chconsole.ui.pilots.nominate import NominateDialog
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.messages import describe

T = TypeVar("T")


class PilotActions:
    """The pilot tracking view's operations; SHOW receives the pilot a change returns."""

    def __init__(self, console: Console, parent: QWidget, show: Callable[[PilotInfo], None]) -> None:
        self.console = console
        self.parent = parent
        self.show = show

    def _write(self, change: Callable[[Engine], Done[T]], message: Callable[[T], str], label: str) -> None:
        """Run CHANGE; show the pilot it returns (if it returns one) and say MESSAGE."""

        def done(value: T) -> None:
            if isinstance(value, PilotInfo):
                self.show(value)
            self.console.messages.info(message(value))

        self.console.write(change, done, label=label)

    # -- nominate ----------------------------------------------------------------------------
    def nominate(self, release: ReleaseInfo, pilot: PilotInfo, names: Mapping[str, str]) -> None:
        dialog = NominateDialog(release, pilot.cap, names, self.parent)

        def submit(supplier: str, file: Path | None, rule: PilotRule | None) -> None:
            doing = f"taking {supplier}'s pilot nomination"

            def done(result: NominationResult) -> None:
                dialog.show_result(result)
                self.console.messages.info(
                    f"{result.supplier}'s nomination: {result.joined:,} joined the pilot, "
                    f"{result.awaiting:,} wait for the other supplier, {len(result.refused):,} refused.")

            self.console.write(lambda e: e.pilots.nominate(release.id, supplier, file, rule), done, label=doing,
                               on_error=lambda exc: dialog.failed(describe(exc, doing)[1]))

        dialog.submit = submit
        dialogs.run_dialog(dialog)

    # -- start ---------------------------------------------------------------------------------
    def start(self, pilot: PilotInfo, now: datetime) -> None:
        dialog = StartPilotDialog(pilot, now, self.parent)
        if not dialogs.run_dialog(dialog):
            return
        at = dialog.activate_at()
        self._write(lambda e: e.pilots.start(pilot.release_id, at),
                    lambda v: f"Pilot of release {v.release_id} started: {v.hubs:,} hubs; distribution is "
                              "under way and the notices are in the outbox.",
                    label=f"starting release {pilot.release_id}'s pilot")

    # -- conclude ---------------------------------------------------------------------------------
    def conclude(self, pilot: PilotInfo, release: ReleaseInfo) -> None:
        dialog = ConcludeDialog(pilot, release, self.parent)
        if not dialogs.run_dialog(dialog):
            return
        decision, commentary = dialog.decision(), dialog.commentary_text()
        if decision is None:
            return
        self._write(lambda e: e.pilots.conclude(pilot.release_id, decision, commentary),
                    lambda v: f"Pilot of release {v.release_id} concluded: {decision}. "
                              "Everyone notified is told; the notices are in the outbox.",
                    label=f"concluding release {pilot.release_id}'s pilot")

    # -- commentary ---------------------------------------------------------------------------------
    def comment(self, pilot: PilotInfo) -> None:
        dialog = CommentDialog(pilot.release_id, self.parent)
        if not dialogs.run_dialog(dialog):
            return
        words, guid = dialog.comment(), dialog.hub()
        self._write(lambda e: e.pilots.comment(pilot.release_id, words, guid),
                    lambda _v: "Commentary recorded" + (f" on hub {guid}." if guid else
                                                       "; it goes out with the next progress notices."),
                    label=f"recording commentary on release {pilot.release_id}'s pilot")
