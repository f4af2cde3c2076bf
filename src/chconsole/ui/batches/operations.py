"""The batch operations: new batch, re-plan, cancel, run now, import an instruction.

Each asks (through run_dialog), then runs one engine call through Console.write, which
announces what it changed (the batch and its release), so every view showing the release
refreshes. The new batch form hands over a typed `BatchRule`, never words. A new batch's
preview is a read on the long-read lane, so counting a rule over millions of hubs never
queues behind (or in front of) a change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QWidget

from chconsole.core.engine.changes import Done
from chconsole.core.engine.dto import (
    BatchInfo,
    BatchPlan,
    BatchResult,
    BatchRule,
    InstructionResult,
    ReleaseInfo,
)
from chconsole.core.engine.facade import Engine
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

    def _write(self, batch_id: int, change: Callable[[Engine], Done[BatchInfo]],
               message: Callable[[BatchInfo], str], label: str) -> None:
        """Run CHANGE on one batch; the view keeps that batch chosen."""
        self.chosen(batch_id)
        self.console.write(change, lambda b: self.console.messages.info(message(b)), label=label)

    # -- new batch ----------------------------------------------------------------------------------
    def new_batch(self, release: ReleaseInfo, names: Mapping[str, str], now: datetime) -> None:
        dialog = NewBatchDialog(release, names, now, self.parent)
        dialog.previewer = lambda file, rule, ok, bad: self.preview(release.id, file, rule, ok, bad)
        dialog.submit = lambda at, file, rule, name: self._create(dialog, release.id, at, file, rule, name)
        dialogs.run_dialog(dialog)

    def preview(self, release_id: int, file: Path | None, rule: BatchRule | None,
                on_plan: Callable[[BatchPlan], None], on_error: Callable[[str], None]) -> None:
        """Count what a batch of FILE or RULE would take, off the GUI thread (nothing is kept)."""
        if self._previewing is not None:
            self._previewing.cancel()  # the form changed since: that count is not wanted now
        doing = "counting the batch's hubs"
        self._previewing = self.console.read(
            lambda e: e.deployment.preview_batch(release_id, file, rule), on_plan, label=doing, lane=SCAN,
            on_error=lambda exc: on_error(describe(exc, doing)[1]))

    def _create(self, dialog: NewBatchDialog, release_id: int, at: datetime, file: Path | None,
                rule: BatchRule | None, name: str | None) -> None:
        doing = f"creating a batch of release {release_id}"

        def done(r: BatchResult) -> None:
            dialog.accept()
            self.chosen(r.id)
            self.console.messages.info(
                f"Batch {r.id} ({r.name}) created: {r.hubs:,} hubs for {show(r.activate_at)}; "
                f"{len(r.suppliers)} suppliers are told (the notices are in the outbox).")

        self.console.write(lambda e: e.deployment.create_batch(release_id, at, file, rule, name), done,
                           label=doing, on_error=lambda exc: dialog.failed(describe(exc, doing)[1]))

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
                        label=f"running batch {b.id} now")

    # -- supplier instructions ------------------------------------------------------------------------
    def import_instruction(self, releases: Sequence[ReleaseInfo], release_id: int | None,
                           names: Mapping[str, str], now: datetime) -> None:
        dialog = InstructionDialog(releases, release_id, names, now, self.parent)

        def submit(rid: int, supplier: str, file: Path, at: datetime, name: str | None) -> None:
            doing = f"importing {supplier}'s instruction"

            def done(r: InstructionResult) -> None:
                dialog.show_result(r)
                self.console.messages.info(f"{r.supplier}'s instruction {r.id}: {r.accepted:,} accepted, "
                                           f"{len(r.refused):,} refused; the receipt is in the outbox.")

            self.console.write(lambda e: e.deployment.instruct(rid, supplier, file, at, name), done, label=doing,
                               on_error=lambda exc: dialog.failed(describe(exc, doing)[1]))

        dialog.submit = submit
        dialogs.run_dialog(dialog)
