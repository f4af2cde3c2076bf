"""The batch operations: new batch, re-plan, cancel, run now, import an instruction.

Each asks (through run_dialog), then runs one engine call on the single writer, reads the
release back in the same job and announces it on the console's events, so every view
showing the release refreshes. A new batch's preview is a read on the long-read lane, so
counting a rule over millions of hubs never queues behind (or in front of) a change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QWidget

from chconsole.core.deployment.batches import BatchPlan, BatchResult, parse_rule
from chconsole.core.deployment.instructions import InstructionResult
from chconsole.core.engine.changes import Done
from chconsole.core.engine.dto import BatchInfo
from chconsole.core.engine.facade import Engine
from chconsole.core.releases.lifecycle import ReleaseInfo
from chconsole.core.vocabulary.london import show
from chconsole.core.vocabulary.states import ReleaseState
from chconsole.ui.batches.dialogs import CancelBatchDialog, ReplanDialog
from chconsole.ui.batches.instruction import InstructionDialog
from chconsole.ui.batches.new_batch import NewBatchDialog
from chconsole.ui.common import dialogs
from chconsole.ui.common.dialogs import ConfirmDialog
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.messages import describe
from chconsole.ui.runtime.tasks import SCAN, Task


class BatchActions:
    """The Batch control view's operations; CHOSEN(batch id) is told which batch a change was about."""

    def __init__(self, console: Console, parent: QWidget, chosen: Callable[[int], None]) -> None:
        self.console = console
        self.parent = parent
        self.chosen = chosen
        self._previewing: Task | None = None

    def _changed(self, release: ReleaseInfo, message: str, notices: bool = True) -> None:
        self.console.events.release_changed.emit(release)
        if notices:
            self.console.events.notices_added.emit()
        self.console.messages.info(message)

    def _write(self, batch_id: int, change: Callable[[Engine], Done[BatchInfo]],
               message: Callable[[BatchInfo], str], label: str, notices: bool = True) -> None:
        """Run CHANGE on one batch, then read its release back for the views."""

        def job(e: Engine) -> Done[tuple[BatchInfo, ReleaseInfo]]:
            done = change(e)
            return Done((done.value, e.releases.get(done.value.release_id)), done.changes)

        self.chosen(batch_id)
        self.console.write(job, lambda a: self._changed(a[1], message(a[0]), notices), label=label)

    # -- new batch ----------------------------------------------------------------------------------
    def new_batch(self, release: ReleaseInfo, names: Mapping[str, str], now: datetime) -> None:
        dialog = NewBatchDialog(release, names, now, self.parent)
        dialog.previewer = lambda file, rules, ok, bad: self.preview(release.id, file, rules, ok, bad)
        dialog.submit = lambda at, file, rules, name: self._create(dialog, release.id, at, file, rules, name)
        dialogs.run_dialog(dialog)

    def preview(self, release_id: int, file: Path | None, rules: list[str],
                 on_plan: Callable[[BatchPlan], None], on_error: Callable[[str], None]) -> None:
        if self._previewing is not None:
            self._previewing.cancel()  # the form changed since: that count is not wanted now
        engine, doing = self.console.engine, "counting the batch's hubs"
        self._previewing = self.console.runner.submit(
            lambda _ctx: engine.deployment.preview_batch(release_id, file, parse_rule(rules) if rules else None), lane=SCAN, label=doing,
            on_done=on_plan, on_error=lambda exc: on_error(describe(exc, doing)[1]))

    def _create(self, dialog: NewBatchDialog, release_id: int, at: datetime, file: Path | None,
                rules: list[str], name: str | None) -> None:
        doing = f"creating a batch of release {release_id}"

        def job(e: Engine) -> tuple[BatchResult, ReleaseInfo]:
            return e.deployment.create_batch(release_id, at, file, parse_rule(rules) if rules else None, name).value, e.releases.get(release_id)

        def done(answer: tuple[BatchResult, ReleaseInfo]) -> None:
            r, release = answer
            dialog.accept()
            self.chosen(r.id)
            self._changed(release, f"Batch {r.id} ({r.name}) created: {r.hubs:,} hubs for {show(r.activate_at)}; "
                                   f"{len(r.suppliers)} suppliers are told (the notices are in the outbox).")

        self.console.write(job, done, label=doing, on_error=lambda exc: dialog.failed(describe(exc, doing)[1]))

    # -- re-plan, cancel, run now ---------------------------------------------------------------------
    def replan(self, b: BatchInfo, release: ReleaseInfo | None, now: datetime) -> None:
        dialog = ReplanDialog(b, release, now, self.parent)
        if not dialogs.run_dialog(dialog):
            return
        at = dialog.activate_at()
        self._write(b.id, lambda e: e.deployment.replan_batch(b.id, at),
                    lambda v: f"Batch {v.id} re-planned to {show(v.activate_at)}; its suppliers are told "
                              "(the notices are in the outbox).", label=f"re-planning batch {b.id}")

    def cancel(self, b: BatchInfo, release: ReleaseInfo | None) -> None:
        dialog = CancelBatchDialog(b, release, self.parent)
        if not dialogs.run_dialog(dialog):
            return
        reason = dialog.reason_text()
        self._write(b.id, lambda e: e.deployment.cancel_batch(b.id, reason),
                    lambda v: f"Batch {v.id} cancelled; its suppliers are told, with your reason "
                              "(the notices are in the outbox).", label=f"cancelling batch {b.id}")

    def run_now(self, b: BatchInfo, release: ReleaseInfo | None) -> None:
        due = show(b.overdue_since) if b.overdue_since else "its time"
        gate = release is not None and release.state in (ReleaseState.NOTIFIED, ReleaseState.PILOT_RUNNING)
        dialog = ConfirmDialog(
            "Run batch now", f"Run batch {b.id} ({b.name}) now?",
            f"<p><b>{b.open:,} hubs were due at {due}</b> while the console and the scheduler were down.</p>"
            "<p>Running it now sends their distribution to the CSP network at once, within each region's "
            f"capacity; each hub is activated at the batch's time ({show(b.activate_at)}), or as soon as it "
            "holds the image where that time has passed.</p>"
            + ("<p>The pilot has not been concluded yet: these safe-launch hubs wait at the gate until DCC "
               "concludes it with a decision to proceed.</p>" if gate else "")
            + "<p>To choose another time instead, re-plan it.</p>",
            "Run now", parent=self.parent)
        if dialogs.run_dialog(dialog):
            self._write(b.id, lambda e: e.deployment.run_overdue_batch(b.id),
                        lambda v: f"Batch {v.id} is running: {v.open:,} hubs on their way.",
                        label=f"running batch {b.id} now", notices=False)

    # -- supplier instructions ------------------------------------------------------------------------
    def import_instruction(self, releases: Sequence[ReleaseInfo], release_id: int | None,
                           names: Mapping[str, str], now: datetime) -> None:
        dialog = InstructionDialog(releases, release_id, names, now, self.parent)

        def submit(rid: int, supplier: str, file: Path, at: datetime, name: str | None) -> None:
            doing = f"importing {supplier}'s instruction"

            def job(e: Engine) -> tuple[InstructionResult, ReleaseInfo]:
                return e.deployment.instruct(rid, supplier, file, at, name).value, e.releases.get(rid)

            def done(answer: tuple[InstructionResult, ReleaseInfo]) -> None:
                r, release = answer
                dialog.show_result(r)
                self._changed(release, f"{r.supplier}'s instruction {r.id}: {r.accepted:,} accepted, "
                                       f"{len(r.refused):,} refused; the receipt is in the outbox.")

            self.console.write(job, done, label=doing, on_error=lambda exc: dialog.failed(describe(exc, doing)[1]))

        dialog.submit = submit
        dialogs.run_dialog(dialog)
