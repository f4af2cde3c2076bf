"""The release operations: each asks, then runs one engine call on the single writer.

Every operation reads what it needs to explain itself off the GUI thread, asks the person
(through run_dialog) and runs the change through Console.write, which announces what it
changed, so every view refreshes only what it shows. The releases view is handed the
release as the change left it, to show and select at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QProgressDialog, QWidget

from chconsole.core.engine.dto import (
    NOTICE_MONTHS,
    CplInfo,
    EligiblePreview,
    ReleaseDraft,
    ReleaseInfo,
)
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.london import add_months, show
from chconsole.core.vocabulary.smi import CSP_OF_REGION
from chconsole.core.vocabulary.states import OPEN_HUB_STATES
from chconsole.ui.common import dialogs
from chconsole.ui.common.dialogs import ConfirmDialog
from chconsole.ui.common.words import names, recipients
from chconsole.ui.releases.dialogs import ExportDialog, NoteDialog
from chconsole.ui.releases.form import NewReleaseDialog
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.messages import describe
from chconsole.ui.runtime.progress import LongJob
from chconsole.ui.runtime.settings import EXPORT_FOLDER


class ReleaseActions:
    """New, notify, revoke, update note and export, for the releases view.

    SHOW gets each release as a change left it (the view shows and selects it)."""

    def __init__(self, console: Console, parent: QWidget, show: Callable[[ReleaseInfo], None],
                 want_cpl: Callable[[], None] = lambda: None) -> None:
        self.console = console
        self.parent = parent
        self.show = show
        self.want_cpl = want_cpl  # the empty CPL's way to the administration view
        self.progress: QProgressDialog | None = None

    def _changed(self, v: ReleaseInfo, message: str) -> None:
        self.show(v)
        self.console.messages.info(message)

    # -- new release ----------------------------------------------------------------------------
    def new_release(self) -> None:
        self.console.read(lambda e: (e.admin.cpl(), e.now()), lambda answer: self._open_form(*answer),
                          label="reading the CPL")

    def _open_form(self, cpl: list[CplInfo], now: datetime) -> None:
        if not cpl:
            empty = ConfirmDialog(
                "New release", "The CPL is empty",
                "<p>A release is drafted from the Central Products List: its device model, the firmware "
                "versions it upgrades from and the version it installs, with the image's hash.</p>"
                "<p>Add the approved models and firmware versions to the CPL first.</p>",
                "Add a CPL entry\u2026", parent=self.parent)
            if dialogs.run_dialog(empty):
                self.want_cpl()
            return
        dialog = NewReleaseDialog(cpl, now, self.parent)
        dialog.submit = lambda draft: self._create(dialog, draft)
        dialogs.run_dialog(dialog)

    def _create(self, dialog: NewReleaseDialog, draft: ReleaseDraft) -> None:
        def created(v: ReleaseInfo) -> None:
            dialog.done_ok()
            self._changed(v, f"Release {v.id} drafted: {v.model} to {v.to_version}.")

        self.console.write(lambda e: e.releases.create(draft), created, label="creating a release",
                           on_error=lambda exc: dialog.failed(describe(exc, "creating the release")[1]))

    # -- notify -----------------------------------------------------------------------------------
    def notify(self, release_id: int) -> None:
        def facts(e: Engine) -> tuple[ReleaseInfo, EligiblePreview, datetime]:
            v, reach = e.queries.notify_preview(release_id)
            return v, reach, e.now()

        self.console.read(facts, lambda answer: self._confirm_notify(*answer),
                          label=f"counting release {release_id}'s eligible hubs")

    def _confirm_notify(self, v: ReleaseInfo, preview: EligiblePreview, now: datetime) -> None:
        if preview.hubs == 0:
            self.console.messages.warning(
                f"No Commissioned {v.model} hub runs {' or '.join(v.from_versions)}: "
                f"release {v.id} has no one to notify.")
            return
        date = v.deployment_date or add_months(now, NOTICE_MONTHS)
        csps = sorted({CSP_OF_REGION[r] for r in preview.regions if r in CSP_OF_REGION})
        dialog = ConfirmDialog(
            "Notify release", f"Notify release {v.id} ({v.model} to {v.to_version})?",
            f"<p>This takes the eligibility snapshot: <b>{preview.hubs:,} hubs</b> "
            f"(Commissioned {v.model} hubs on {', '.join(v.from_versions)}).</p>"
            f"<p>The release notice goes to <b>{len(preview.suppliers)} suppliers</b> "
            f"({names(list(preview.suppliers))}), each with its own eligibility report, "
            f"and to the CSP{'s' if len(csps) > 1 else ''} <b>{', '.join(csps)}</b>.</p>"
            f"<p>DCC deployment date <b>{show(date)}</b>"
            f"{'' if v.deployment_date else ' (notice + 6 months)'}; suppliers' instructions "
            "close one month before it.</p>",
            "Notify", parent=self.parent)
        if not dialogs.run_dialog(dialog):
            return
        # Notifying writes every supplier's report: minutes on a large estate, so say so. The
        # snapshot commits first, so the reports must finish: no Cancel.
        busy = LongJob(self.console, self.parent, "Notify release", f"Notifying release {v.id}\u2026",
                       cancellable=False, delay_ms=500)

        def done(nv: ReleaseInfo) -> None:
            self._changed(nv, f"Release {nv.id} notified: {nv.eligible:,} eligible hubs; "
                              "the notices are in the outbox.")

        busy.start(lambda e, ctx: e.releases.notify(v.id, progress=lambda text: ctx.progress(0, None, text)),
                   done, label=f"notifying release {v.id}",
                   on_progress=lambda _d, _t, text: busy.dialog.setLabelText(f"Release {v.id}: {text}\u2026"))

    # -- revoke -------------------------------------------------------------------------------------
    def revoke(self, v: ReleaseInfo) -> None:
        suppliers, csps = recipients(v)
        open_hubs = sum(n for state, n in v.counts.items() if state in set(OPEN_HUB_STATES))
        dialog = ConfirmDialog(
            "Revoke release", f"Revoke release {v.id} ({v.model} to {v.to_version})?",
            f"<p>Every pending schedule is cancelled: <b>{open_hubs:,} hubs</b> will not be "
            "updated under this release.</p>"
            f"<p>The revocation and your reason go to the <b>{len(suppliers) + len(csps)} parties</b> "
            f"notified: {names(suppliers)}; "
            f"{'CSP' if len(csps) == 1 else 'CSPs'} {', '.join(csps) or 'none'}.</p>"
            "<p>A revoked release cannot be notified again.</p>",
            "Revoke release", reason_label="Reason for revoking", danger=True, parent=self.parent)
        if dialogs.run_dialog(dialog):
            reason = dialog.reason_text()
            self.console.write(
                lambda e: e.releases.revoke(v.id, reason),
                lambda nv: self._changed(nv, f"Release {nv.id} revoked; the notices are in the outbox."),
                label=f"revoking release {v.id}")

    # -- release note --------------------------------------------------------------------------------
    def update_note(self, v: ReleaseInfo) -> None:
        suppliers, csps = recipients(v)
        dialog = NoteDialog(v.id, v.release_note, len(suppliers) + len(csps), self.parent)
        if dialogs.run_dialog(dialog):
            note = dialog.note.text().strip()
            self.console.write(
                lambda e: e.releases.update_note(v.id, note),
                lambda nv: self._changed(nv, f"Release {nv.id}'s note is now {note}."),
                label=f"updating release {v.id}'s note")

    # -- export -----------------------------------------------------------------------------------------
    def export(self, v: ReleaseInfo) -> None:
        candidates = (self.console.settings.get(EXPORT_FOLDER),
                      QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
        folder = next((c for c in candidates if c and Path(c).is_dir()), str(Path.home()))
        by_size = sorted(((c.party, c.total) for c in v.suppliers), key=lambda p: (-p[1], p[0]))
        dialog = ExportDialog(v.id, by_size, Path(folder), self.parent)
        if not dialogs.run_dialog(dialog):
            return
        party, out = dialog.party(), dialog.out_path()
        total = dict(by_size).get(party, 0)
        self.console.settings.set(EXPORT_FOLDER, str(out.parent))
        job = LongJob(self.console, self.parent, "Export eligibility report",
                      f"Writing {party}'s eligibility report\u2026", maximum=max(total, 1))
        self.progress = progress = job.dialog

        def step(done: int, _total: int | None, text: str) -> None:
            progress.setValue(min(done, progress.maximum()))
            progress.setLabelText(f"Writing {party}'s eligibility report: {text}")

        def finish(rows: int) -> None:
            self.console.messages.info(f"Wrote {party}'s eligibility report ({rows:,} hubs) to {out}.")

        job.start(lambda e, ctx: e.reports.export(
            "eligibility", party, out, release_id=v.id, cancelled=ctx.cancelled,
            progress=lambda n: ctx.progress(n, total, f"{n:,} of {total:,} hubs")),
            finish, label=f"exporting {party}'s eligibility report", on_progress=step,
            cancelled="Export cancelled; no file was left behind.")
