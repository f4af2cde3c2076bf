"""Batch control's pictures for `chconsole snapshot`: the view, its instructions tab, its dialogs.

The demo database stops a day into its pilot, before any batch could exist, so on a demo
database the snapshot first plays sim.deployment_scene (pilot concluded, DCC batches,
supplier instructions, a night of downtime leaving one batch overdue). Any other database
is pictured as it is: the scene checks that it is looking at an untouched demo first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QWidget

from chconsole.core.engine.changes import EVERYTHING
from chconsole.ui.batches.dialogs import CancelBatchDialog
from chconsole.ui.batches.instruction import InstructionDialog
from chconsole.ui.batches.models import OPEN_BATCH
from chconsole.ui.batches.new_batch import NewBatchDialog
from chconsole.ui.main_window import MainWindow
from chconsole.ui.runtime.tasks import TaskContext

Settle = Callable[..., None]
Save = Callable[[QWidget, Path, list[Path]], None]


def save_batch_control(window: MainWindow, out: Path, written: list[Path], settle: Settle, save: Save) -> None:
    engine = window.console.engine

    def scene(_ctx: TaskContext) -> bool:
        from sim import deployment_scene

        if deployment_scene.applies(engine):
            deployment_scene.play(engine)
        return True

    played: list[bool] = []
    window.console.runner.submit(scene, label="playing the demo's deployment", on_done=played.append)
    settle(window, lambda: bool(played))
    window.console.announce(EVERYTHING)  # the scene moved the deployment and the clock on
    window.read_clock()
    view = window.batch_control
    window.show_view(window.views.index(view))
    view.refresh()
    settle(window, lambda: view.page is not None)
    save(window, out / "batch-control.png", written)
    view.tabs.setCurrentIndex(1)
    settle(window)
    save(window, out / "batch-instructions.png", written)
    view.tabs.setCurrentIndex(0)
    release, page = view.release(), view.page
    if release is None or page is None:
        return
    dialogs: list[tuple[str, QDialog]] = []
    if release.state in ("NOTIFIED", "PILOT_RUNNING", "PILOT_CONCLUDED", "DEPLOYING"):
        new = NewBatchDialog(release, page.names, page.now, window)
        new.previewer = lambda file, rule, ok, bad: view.operations.preview(release.id, file, rule, ok, bad)
        if release.regions:  # a first wave in the region with most hubs
            new.regions[max(release.regions, key=lambda r: release.regions[r])].setChecked(True)
        new.name.setText("Second regional wave")
        dialogs.append(("batch-new.png", new))
    mine = [b for b in page.batches if b.release_id == release.id and b.state in OPEN_BATCH
            and b.kind != "deployment_date"]
    if mine:
        cancel = CancelBatchDialog(mine[-1], release, window)
        cancel.reason.setPlainText("Moved into the regional waves agreed with the CSPs.")
        dialogs.append(("batch-cancel.png", cancel))
    instruct = InstructionDialog([r for r in page.releases if r.notified_at], release.id, page.names, page.now,
                                 window)
    if instruct.supplier.findData("OCTO") >= 0:
        instruct.supplier.setCurrentIndex(instruct.supplier.findData("OCTO"))
    instruct.path.setText(str(Path.home() / "Downloads" / "octo-instruction-december.csv"))
    instruct.name.setText("OCTO December wave")
    dialogs.append(("batch-instruct.png", instruct))
    for name, dialog in dialogs:
        dialog.show()
        # The new batch's preview is counted off the GUI thread after a short pause for typing.
        settle(window, lambda d=dialog: not isinstance(d, NewBatchDialog) or d.plan is not None)
        save(dialog, out / name, written)
        dialog.close()
        dialog.deleteLater()
