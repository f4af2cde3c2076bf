"""The estate status report from the console: one supplier's whole estate to an Excel file.

The report reads every hub the supplier holds a role on, minutes of work on a national
estate, so it runs on the runner's long-read lane (never the writer, which must stay free
for changes) behind a progress dialog (runtime.progress) that counts the hubs written and
can cancel.
A cancelled report leaves no file behind; the person is told so once the file is gone.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QProgressDialog,
    QWidget,
)

from chconsole.core.engine.changes import Done
from chconsole.core.engine.dto import ESTATE_STATUS_REPORT
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.london import to_london
from chconsole.ui.common import dialogs
from chconsole.ui.estate.dialogs import TITLE, EstateStatusDialog
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.progress import LongJob
from chconsole.ui.runtime.settings import EXPORT_FOLDER
from chconsole.ui.runtime.tasks import SCAN, Task, TaskContext


class EstateStatusExport:
    """The "Estate status report…" operation of the estate browser."""

    def __init__(self, console: Console, parent: QWidget) -> None:
        self.console = console
        self.parent = parent
        self.progress: QProgressDialog | None = None
        self.task: Task | None = None

    def start(self, chosen: str | None = None) -> None:
        """Ask for the supplier (CHOSEN preselected) and the file, then write the report."""
        self.console.read(lambda e: (e.admin.suppliers(), e.now()), lambda answer: self._ask(*answer, chosen),
                          label="reading the suppliers")

    def _ask(self, suppliers: list[tuple[str, str]], now: datetime, chosen: str | None) -> None:
        if not suppliers:
            self.console.messages.warning("There are no suppliers yet: import an SMI extract first.")
            return
        candidates = (self.console.settings.get(EXPORT_FOLDER),
                      QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
        folder = next((c for c in candidates if c and Path(c).is_dir()), str(Path.home()))
        dialog = EstateStatusDialog(suppliers, chosen, Path(folder), to_london(now).date().isoformat(),
                                    self.parent)
        if dialogs.run_dialog(dialog):
            self.console.settings.set(EXPORT_FOLDER, str(dialog.out_path().parent))
            self._run(dialog.party(), dialog.out_path())

    def _run(self, party: str, out: Path) -> None:
        job = LongJob(self.console, self.parent, TITLE, f"Counting {party}'s hubs\u2026",  # busy until counted
                      name="estateStatusProgress")
        self.progress = progress = job.dialog

        def write(e: Engine, ctx: TaskContext) -> Done[int]:
            total = e.queries.estate_counts(party).hubs  # one quick aggregate, so the bar has an end
            ctx.partial(total)
            return e.reports.export(ESTATE_STATUS_REPORT, party, out, cancelled=ctx.cancelled,
                                    progress=lambda n: ctx.progress(n, total, ""))

        def counted(total: int) -> None:
            progress.setMaximum(max(total, 1))
            progress.setLabelText(f"Writing {party}'s estate status report: 0 of {total:,} hubs written")

        def step(done: int, total: int | None, _text: str) -> None:
            progress.setValue(min(done, progress.maximum()))
            progress.setLabelText(f"Writing {party}'s estate status report: "
                                  f"{done:,} of {total or done:,} hubs written")

        def finish(rows: int) -> None:
            self.console.messages.info(f"Wrote {party}'s estate status report ({rows:,} hubs) to {out}.")

        self.task = job.start(write, finish, label=f"writing {party}'s estate status report", lane=SCAN,
                              on_progress=step, on_partial=counted,
                              cancelled=f"Cancelled {party}'s estate status report; no file was left behind.")
