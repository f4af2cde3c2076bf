"""The administration operations: each asks (through run_dialog), then runs one engine call
on the single writer; what it changed is announced, so every view refreshes what it shows.

The SMI import reads a file of up to 15 million rows: it runs behind a progress dialog that
counts the rows read and can cancel (the import is one transaction, so a cancelled import,
like a refused one, changes nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QWidget

from chconsole.core.engine.changes import Done
from chconsole.core.engine.dto import ImportResult, PartyInfo, UserInfo
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.errors import BadInput
from chconsole.ui.admin.dialogs import CplEntryDialog, ImportDialog, PartyDialog, UserDialog
from chconsole.ui.common import dialogs
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.progress import LongJob
from chconsole.ui.runtime.settings import EXPORT_FOLDER
from chconsole.ui.runtime.tasks import TaskContext


class AdminActions:
    """Import the SMI extract, add a CPL entry, add a user or change their roles, edit a party.

    IMPORTED gets each import's result; REFUSED gets a refused file's name, sentence and bad
    rows (the view lists them)."""

    def __init__(self, console: Console, parent: QWidget, imported: Callable[[Path, ImportResult], None],
                 refused: Callable[[Path, str, list[str]], None]) -> None:
        self.console = console
        self.parent = parent
        self.imported = imported
        self.refused = refused
        self.job: LongJob | None = None

    # -- the SMI extract ----------------------------------------------------------------------------
    def import_extract(self) -> None:
        """Ask for the extract and how to read it, then import it."""
        candidates = (self.console.settings.get(EXPORT_FOLDER),
                      QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation))
        folder = next((c for c in candidates if c and Path(c).is_dir()), str(Path.home()))
        dialog = ImportDialog(folder, self.parent)
        if dialogs.run_dialog(dialog):
            self.run_import(dialog.chosen(), full=dialog.full.isChecked(), skip_invalid=dialog.skip_invalid.isChecked())

    def run_import(self, path: Path, *, full: bool = False, skip_invalid: bool = False) -> None:
        """Import PATH behind a progress dialog with Cancel."""
        if not path.is_file():
            self.refused(path, f"There is no file {path}; nothing was imported.", [])
            return
        job = self.job = LongJob(self.console, self.parent, "Import SMI extract",
                                 f"Reading {path.name}\u2026", name="importProgress")

        def work(e: Engine, ctx: TaskContext) -> Done[ImportResult]:
            def read(rows: int) -> None:
                ctx.check()  # cancelled: raised inside the import's transaction, which rolls back
                ctx.progress(rows, None, f"{rows:,} rows read")

            return e.admin.import_estate(path, full=full, skip_invalid=skip_invalid, progress=read)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, BadInput):
                self.refused(path, refusal_sentence(path, str(exc), exc.problems), list(exc.problems))
            else:
                self.console.messages.error(exc, f"importing {path.name}")

        job.start(work, lambda result: self.imported(path, result), label=f"importing {path.name}",
                  on_progress=lambda _d, _t, text: job.dialog.setLabelText(f"Importing {path.name}: {text}"),
                  on_error=failed, cancelled=f"Import of {path.name} cancelled; nothing was changed.")

    # -- the CPL ----------------------------------------------------------------------------------------
    def add_cpl_entry(self) -> None:
        dialog = CplEntryDialog(self.parent)
        if not dialogs.run_dialog(dialog):
            return
        model, firmware, image_hash, maker, hardware = dialog.values()
        self.console.write(
            lambda e: e.admin.add_cpl_entry(model, firmware, image_hash, maker, hardware),
            lambda c: self.console.messages.info(f"Added {c.model} firmware {c.firmware_version} to the CPL."),
            label="adding a CPL entry")

    # -- users --------------------------------------------------------------------------------------------
    def add_user(self) -> None:
        dialog = UserDialog(parent=self.parent)
        if dialogs.run_dialog(dialog):
            name, roles = dialog.name.text().strip(), dialog.chosen_roles()
            self.console.write(lambda e: e.admin.add_user(name, roles), self._user_saved, label=f"adding {name}")

    def change_roles(self, user: UserInfo) -> None:
        dialog = UserDialog(user.name, user.roles, self.parent)
        if dialogs.run_dialog(dialog):
            roles = dialog.chosen_roles()
            self.console.write(lambda e: e.admin.set_roles(user.name, roles), self._user_saved,
                               label=f"changing {user.name}'s roles")

    def _user_saved(self, user: UserInfo) -> None:
        self.console.messages.info(f"{user.name} now holds: {', '.join(user.roles)}.")

    # -- parties ---------------------------------------------------------------------------------------------
    def edit_party(self, party: PartyInfo) -> None:
        dialog = PartyDialog(party, self.parent)
        if dialogs.run_dialog(dialog):
            name, email = dialog.name.text().strip(), dialog.email.text().strip()
            self.console.write(lambda e: e.admin.set_party(party.id, name or None, email),
                               lambda _none: self.console.messages.info(f"Saved {party.id}'s name and address."),
                               label=f"saving {party.id}")


# The extract's columns as a person says them (the engine's problems name the columns).
COLUMN_WORDS = {"device_model": "Device model", "firmware_version": "Firmware version",
                "smi_status": "SMI status", "csp_region": "CSP region", "import_supplier": "Import supplier",
                "gas_supplier": "Gas supplier", "guid": "GUID"}


def refusal_rows(problems: list[str]) -> list[tuple[int | None, str]]:
    """The engine's "line 12: why" problems as (line, why) rows, columns named in words; a
    problem of the whole file has no line."""
    rows: list[tuple[int | None, str]] = []
    for problem in problems:
        head, sep, why = problem.partition(": ")
        if sep and head.startswith("line ") and head[5:].isdigit():
            first, space, rest = why.partition(" ")
            why = f"{COLUMN_WORDS[first]}{space}{rest}" if first in COLUMN_WORDS else why[:1].upper() + why[1:]
            rows.append((int(head[5:]), why))
        else:
            rows.append((None, problem))
    return rows


def refusal_sentence(path: Path, engine_sentence: str, problems: list[str]) -> str:
    """Why PATH was refused, in the window's words (the engine's sentence names CLI options)."""
    if not problems:
        return engine_sentence
    n = len(problems)
    return (f"{n:,} {'row' if n == 1 else 'rows'} of {path.name} cannot be read, so nothing was imported. "
            "Fix them and import the file again, or import it with \u201cImport the good rows and list the "
            "bad ones\u201d ticked.")
