"""A long job behind a progress dialog: notifying a release, writing a report.

Such work takes minutes on a national estate, so the person sees that it runs and what it
is doing, and (where stopping is safe) can cancel it. The dialog closes however the job
ends; a cancelled job says so once it has really stopped (its partial file removed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from chconsole.core.engine.changes import Done
from chconsole.core.engine.facade import Engine
from chconsole.ui.runtime.context import Console, Progress
from chconsole.ui.runtime.tasks import WRITE, Task, TaskContext

T = TypeVar("T")


class LongJob:
    """One long change or report and its progress dialog (`dialog`).

    Args:
        console: Where the job runs and its messages go.
        parent: The window the dialog is modal to.
        title: The dialog's title.
        text: What the dialog says until the job reports progress.
        cancellable: Offer Cancel (a job whose first step commits cannot be stopped half way).
        maximum: The bar's end; 0 shows a busy bar until the job says how far it goes.
        delay_ms: Show the dialog only if the job takes longer than this.
        name: The dialog's object name (for the style sheet and tests).
    """

    def __init__(self, console: Console, parent: QWidget, title: str, text: str, *, cancellable: bool = True,
                 maximum: int = 0, delay_ms: int = 0, name: str = "") -> None:
        self.console = console
        self.cancellable = cancellable
        self.dialog = QProgressDialog(text, "Cancel" if cancellable else "", 0, maximum, parent)
        self.dialog.setWindowTitle(title)
        if name:
            self.dialog.setObjectName(name)
        if not cancellable:
            self.dialog.setCancelButton(None)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(delay_ms)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.delay_ms = delay_ms
        self.task: Task | None = None

    def start(
        self,
        change: Callable[[Engine, TaskContext], Done[T]],
        on_done: Callable[[T], None],
        *,
        label: str,
        lane: str = WRITE,
        on_progress: Progress | None = None,
        on_partial: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        cancelled: str = "",
    ) -> Task:
        """Run CHANGE (through Console.write_tracked) behind the dialog.

        ON_DONE gets its value once the dialog has closed; a failure closes the dialog and
        goes to ON_ERROR, or else the banner; CANCELLED is said once a cancelled job has stopped."""
        dialog = self.dialog

        def done(value: T) -> None:
            dialog.close()
            on_done(value)

        def failed(exc: BaseException) -> None:
            dialog.close()
            if on_error is not None:
                on_error(exc)
            else:
                self.console.messages.error(exc, label)

        self.task = task = self.console.write_tracked(
            change, done, label=label, lane=lane, on_error=failed, on_progress=on_progress, on_partial=on_partial)
        if self.cancellable:
            runner = self.console.runner

            def ended(finished: Task) -> None:
                # A cancelled job gets no callback of its own; it has ended once its file is gone.
                if finished is task:
                    runner.task_finished.disconnect(ended)
                    if task.cancelled and cancelled:
                        self.console.messages.info(cancelled)

            def cancel() -> None:
                # Closing the dialog says "canceled" too, also after the job is done: ignore it then.
                if not task.finished:
                    task.cancel()

            runner.task_finished.connect(ended)
            dialog.canceled.connect(cancel)  # the Cancel button, or closing the dialog
            dialog.rejected.connect(cancel)  # Esc
        if self.delay_ms == 0:
            dialog.show()
        return task
