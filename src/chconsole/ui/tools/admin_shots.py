"""Administration's pictures for `chconsole snapshot`: each tab, the estate tab showing how a
refused SMI extract is listed, and the dialogs to add a user and a CPL entry.

The refused extract is a small file with two bad rows, written to a throwaway folder; a
refused import changes nothing, so the pictured database is left as it was.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QWidget

from chconsole.ui.admin.dialogs import CplEntryDialog, UserDialog
from chconsole.ui.main_window import MainWindow

SMALL = (1024, 700)
Settle = Callable[..., None]
Save = Callable[[QWidget, Path, list[Path]], None]
BAD_EXTRACT = (
    "guid,device_model,firmware_version,smi_status,csp_region,import_supplier,gas_supplier\n"
    "00-DB-12-00-00-00-00-01,EDMI-CHF-420,0002012F,Commissioned,North,OCTO,BGAS\n"
    "00-DB-12-00-00-00-0G-02,EDMI-CHF-420,0002012F,Commissioned,North,OCTO,\n"
    "00-DB-12-00-00-00-00-03,EDMI-CHF-420,0002012F,Sleeping,Central,EDFE,EDFE\n"
    "00-DB-12-00-00-00-00-04,EDMI-CHF-420,2012F,Commissioned,Wales,OCTO,\n"
)


def save_admin(window: MainWindow, out: Path, written: list[Path], settle: Settle, save: Save) -> None:
    view = window.admin
    window.show_view(window.views.index(view))
    settle(window, lambda: view.facts is not None)
    with tempfile.TemporaryDirectory(prefix="chconsole-snapshot-") as tmp:
        bad = Path(tmp) / "smi-extract-2026-11-02.csv"
        bad.write_text(BAD_EXTRACT, encoding="utf-8")
        view.operations.run_import(bad)
        settle(window, lambda: view.estate.refusals.isVisible())
    save(window, out / "admin.png", written)
    # The smallest screen the console is meant for: nothing cramped, nothing cut off.
    minimum, size = window.minimumSize(), window.size()
    window.setMinimumSize(*SMALL)
    window.resize(*SMALL)
    settle(window)
    save(window, out / "admin-1024x700.png", written)
    window.setMinimumSize(minimum)
    window.resize(size)
    for index, name in ((1, "admin-cpl.png"), (2, "admin-users.png"), (3, "admin-suppliers.png")):
        view.tabs.setCurrentIndex(index)
        settle(window)
        save(window, out / name, written)
    view.tabs.setCurrentIndex(0)
    user = UserDialog(parent=window)
    user.name.setText("jsmith")
    user.roles["operator"].setChecked(True)
    for name, dialog in (("admin-add-user.png", user), ("admin-cpl-entry.png", CplEntryDialog(window))):
        _save_dialog(window, dialog, out / name, written, settle, save)


def _save_dialog(window: MainWindow, dialog: QDialog, path: Path, written: list[Path], settle: Settle,
                 save: Save) -> None:
    dialog.show()
    settle(window)
    save(dialog, path, written)
    dialog.close()
    dialog.deleteLater()
