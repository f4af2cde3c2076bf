"""The pilot operations: nominate, start, conclude, comment. Each asks, then runs one
engine call on the single writer and says what changed, so the views refresh narrowly."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from chconsole.core.engine.changes import Done
from chconsole.core.engine.facade import Engine
from chconsole.core.pilots import rules as pilot_rules
from chconsole.core.pilots.nominations import NominationResult
from chconsole.core.pilots.view import PilotInfo
from chconsole.core.releases.lifecycle import ReleaseInfo
from chconsole.ui.common import dialogs
from chconsole.ui.pilots.dialogs import CommentDialog, ConcludeDialog, StartPilotDialog
from chconsole.ui.pilots.nominate import NominateDialog
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.messages import describe

Changed = tuple[PilotInfo, ReleaseInfo]


class PilotActions:
    """The pilot tracking view's operations; SHOW receives the pilot after each change."""

    def __init__(self, console: Console, parent: QWidget, show: Callable[[PilotInfo], None]) -> None:
        self.console = console
        self.parent = parent
        self.show = show

    def _changed(self, answer: Changed, message: str, notices: bool = True) -> None:
        pilot, release = answer
        self.show(pilot)
        self.console.events.release_changed.emit(release)
        if notices:
            self.console.events.notices_added.emit()
        self.console.messages.info(message)

    def _write(self, release_id: int, change: Callable[[Engine], Done[Any]], message: Callable[[PilotInfo], str],
               label: str, notices: bool = True) -> None:
        """Run CHANGE, then read the pilot and its release back for the views."""

        def job(e: Engine) -> Done[Changed]:
            done = change(e)
            return Done((e.pilots.get(release_id), e.releases.get(release_id)), done.changes)

        self.console.write(job, lambda answer: self._changed(answer, message(answer[0]), notices), label=label)

    # -- nominate ----------------------------------------------------------------------------
    def nominate(self, release: ReleaseInfo, pilot: PilotInfo, names: Mapping[str, str]) -> None:
        dialog = NominateDialog(release, pilot.cap, names, self.parent)

        def submit(supplier: str, file: Path | None, rules: list[str]) -> None:
            doing = f"taking {supplier}'s pilot nomination"

            def job(e: Engine) -> Done[tuple[NominationResult, PilotInfo, ReleaseInfo]]:
                done = e.pilots.nominate(release.id, supplier, file, pilot_rules.parse(rules) if rules else None)
                return Done((done.value, e.pilots.get(release.id), e.releases.get(release.id)), done.changes)

            def done(answer: tuple[NominationResult, PilotInfo, ReleaseInfo]) -> None:
                result, new_pilot, new_release = answer
                dialog.show_result(result)
                self._changed((new_pilot, new_release),
                              f"{result.supplier}'s nomination: {result.joined:,} joined the pilot, "
                              f"{result.awaiting:,} wait for the other supplier, {len(result.refused):,} refused.")

            self.console.write(job, done, label=doing,
                               on_error=lambda exc: dialog.failed(describe(exc, doing)[1]))

        dialog.submit = submit
        dialogs.run_dialog(dialog)

    # -- start ---------------------------------------------------------------------------------
    def start(self, pilot: PilotInfo, now: datetime) -> None:
        dialog = StartPilotDialog(pilot, now, self.parent)
        if not dialogs.run_dialog(dialog):
            return
        at = dialog.activate_at()
        self._write(pilot.release_id, lambda e: e.pilots.start(pilot.release_id, at),
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
        self._write(pilot.release_id, lambda e: e.pilots.conclude(pilot.release_id, decision, commentary),
                    lambda v: f"Pilot of release {v.release_id} concluded: {decision}. "
                              "Everyone notified is told; the notices are in the outbox.",
                    label=f"concluding release {pilot.release_id}'s pilot")

    # -- commentary ---------------------------------------------------------------------------------
    def comment(self, pilot: PilotInfo) -> None:
        dialog = CommentDialog(pilot.release_id, self.parent)
        if not dialogs.run_dialog(dialog):
            return
        words, guid = dialog.comment(), dialog.hub()
        self._write(pilot.release_id, lambda e: e.pilots.comment(pilot.release_id, words, guid),
                    lambda _v: "Commentary recorded" + (f" on hub {guid}." if guid else
                                                       "; it goes out with the next progress notices."),
                    label=f"recording commentary on release {pilot.release_id}'s pilot", notices=False)
