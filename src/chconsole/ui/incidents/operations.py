"""The incident operations: raise, triage, the Panel's confirmation, resume, close, comment.

Each asks (a dialog that says what will happen), then runs one engine call through
Console.write, which announces what it changed, so every view showing the incident or its
release refreshes. A refusal (NotAllowed, BadInput: one clear sentence) is shown in the
dialog that asked, or in the banner. CHOSEN gets the incident a change concerns, for the
view to select.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QWidget

from chconsole.core.engine.dto import Consequences, IncidentInfo, RaiseResult, ReleaseInfo
from chconsole.core.vocabulary.london import show
from chconsole.ui.common import dialogs
from chconsole.ui.common.dialogs import ConfirmDialog
from chconsole.ui.common.words import outcome_title, state_title
from chconsole.ui.incidents.dialogs import CommentDialog, ConfirmDecisionDialog, RaiseIncidentDialog
from chconsole.ui.incidents.triage import TriageDialog
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.messages import describe
from chconsole.ui.runtime.tasks import Task


class IncidentActions:
    """The Incidents view's operations."""

    def __init__(self, console: Console, parent: QWidget, chosen: Callable[[int], None]) -> None:
        self.console = console
        self.parent = parent
        self.chosen = chosen
        self._previewing: Task | None = None

    # -- raise ------------------------------------------------------------------------------------
    def raise_incident(self, releases: Sequence[ReleaseInfo], names: Mapping[str, str], default: int | None) -> None:
        dialog = RaiseIncidentDialog(releases, names, default, self.parent)

        def submit(release_id: int, party: str, description: str, file: Path | None, stop: bool) -> None:
            doing = f"raising {party}'s incident on release {release_id}"

            def done(r: RaiseResult) -> None:
                i = r.incident
                self.chosen(i.id)
                self.console.messages.info(
                    f"Incident {i.id} raised ({i.priority}) on release {i.release_id} for {i.reported_by}"
                    + (f"; {len(r.refused):,} GUIDs were not taken." if r.refused else ".")
                    + (" The supplier asks for an emergency stop: press it in the toolbar if DCC thinks it "
                       "critical." if stop and i.stop_id is None else ""))
                if r.refused:
                    dialog.show_result(r)
                else:
                    dialog.accept()

            self.console.write(lambda e: e.incidents.raise_incident(release_id, party, description, file, stop),
                               done, label=doing, on_error=lambda exc: dialog.failed(describe(exc, doing)[1]))

        dialog.submit = submit
        dialogs.run_dialog(dialog)

    # -- triage -----------------------------------------------------------------------------------
    def triage(self, i: IncidentInfo, release: ReleaseInfo, now: datetime) -> None:
        dialog = TriageDialog(i, release, now, self.parent)
        dialog.previewer = lambda outcome, at, ok, bad: self.preview(i.id, outcome, at, ok, bad)

        def submit(outcome: str, at: datetime | None, note: str) -> None:
            doing = f"triaging incident {i.id}"

            def done(found: Consequences) -> None:
                dialog.accept()
                self.chosen(i.id)
                self.console.messages.info(
                    f"Incident {i.id} triaged: {outcome_title(found.outcome).lower()}"
                    + (f" to {show(found.new_date)}" if found.new_date else "")
                    + ". It takes effect when the Panel confirms it; the Panel secretary records that.")

            self.console.write(lambda e: e.incidents.triage(i.id, outcome, at, note), done, label=doing,
                               on_error=lambda exc: dialog.failed(describe(exc, doing)[1]))

        dialog.submit = submit
        dialogs.run_dialog(dialog)

    def preview(self, incident_id: int, outcome: str, at: datetime | None,
                on_found: Callable[[Consequences], None], on_refused: Callable[[str], None]) -> None:
        """What OUTCOME would do, off the GUI thread (nothing is changed)."""
        if self._previewing is not None:
            self._previewing.cancel()  # the choice changed since: that answer is not wanted now
        doing = "working out what the outcome would do"
        self._previewing = self.console.read(lambda e: e.incidents.preview_triage(incident_id, outcome, at),
                                             on_found, label=doing,
                                             on_error=lambda exc: on_refused(describe(exc, doing)[1]))

    # -- the Panel's confirmation ----------------------------------------------------------------
    def confirm(self, i: IncidentInfo) -> None:
        """Tell what the triaged outcome does now, then record who confirmed it for which body."""
        if i.outcome is None:
            return
        outcome, at = i.outcome, i.new_date
        self.console.read(lambda e: e.incidents.preview_triage(i.id, outcome, at), lambda found: self._confirm(i, found),
                          label=f"reading what incident {i.id}'s outcome does")

    def _confirm(self, i: IncidentInfo, found: Consequences) -> None:
        dialog = ConfirmDecisionDialog(i, found, self.parent)
        if not dialogs.run_dialog(dialog):
            return
        by, body = dialog.confirmed_by(), dialog.body()

        def done(applied: Consequences) -> None:
            self.chosen(i.id)
            self.console.messages.info(
                f"The Panel's confirmation of incident {i.id} is recorded: {outcome_title(applied.outcome).lower()} "
                f"takes effect now, and {len(applied.suppliers)} suppliers, the CSPs and the Panel are told "
                "(the notices are in the outbox).")

        self.console.write(lambda e: e.incidents.confirm_decision(i.id, by, body), done,
                           label=f"recording the Panel's confirmation of incident {i.id}")

    # -- resume, close, comment --------------------------------------------------------------------
    def resume(self, release: ReleaseInfo, i: IncidentInfo) -> None:
        back = "where it was before it was halted"
        dialog = ConfirmDialog(
            "Resume release", f"Resume release {release.id} ({release.model} \u2192 {release.to_version})?",
            f"<p>It is {state_title(release.state).lower()}, halted by {release.halted_by} at "
            f"{show(release.halted_at)}; the Panel confirmed <b>{outcome_title(i.outcome).lower()}</b> on "
            f"incident {i.id}.</p><p>It goes back {back}: hubs the stop held return to their place (an "
            "activation called back is commanded again, on a new attempt), and batches whose time passed "
            "meanwhile become overdue actions for DCC, never run late on their own. Failures counted before "
            "now do not trip the failure guard again.</p>",
            "Resume release", parent=self.parent)
        if not dialogs.run_dialog(dialog):
            return
        self.console.write(lambda e: e.incidents.resume(release.id),
                           lambda v: self.console.messages.info(f"Release {v.id} resumed: it is "
                                                                f"{state_title(v.state).lower()} again."),
                           label=f"resuming release {release.id}")

    def close(self, i: IncidentInfo) -> None:
        dialog = ConfirmDialog("Close incident", f"Close incident {i.id}?",
                               "<p>Its history is kept; a closed incident takes no more comments. A new report "
                               "about the release is a new incident.</p>", "Close incident", parent=self.parent)
        if dialogs.run_dialog(dialog):
            self.console.write(lambda e: e.incidents.close_incident(i.id),
                               lambda v: self.console.messages.info(f"Incident {v.id} closed."),
                               label=f"closing incident {i.id}")

    def comment(self, i: IncidentInfo) -> None:
        dialog = CommentDialog(i.id, self.parent)
        if dialogs.run_dialog(dialog):
            words = dialog.comment()
            self.console.write(lambda e: e.incidents.comment_incident(i.id, words),
                               lambda v: self.console.messages.info(f"Comment added to incident {v.id}."),
                               label=f"commenting on incident {i.id}")
