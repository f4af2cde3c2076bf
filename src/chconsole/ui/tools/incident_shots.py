"""The incident pictures for `chconsole snapshot`: the toolbar's stop, the flow of an incident (R6).

On a demo database it plays sim.incident_scene (HAN trouble, a supplier's incident asking
for a stop), presses the emergency stop on the stop's own lane, and pictures the stop's
confirmation and its account, the Incidents view and its details, the banner on another
view, the incident form, the triage dialog with its preview and the Panel's confirmation,
and the Incidents view at 1024x700. Any other database is pictured as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from PySide6.QtWidgets import QDialog, QWidget

from chconsole.core.engine.changes import EVERYTHING
from chconsole.core.engine.dto import Consequences, StopInfo
from chconsole.ui.common.stop_dialogs import StopDialog, StopDoneDialog
from chconsole.ui.incidents.demo_scene import available
from chconsole.ui.incidents.dialogs import ConfirmDecisionDialog, RaiseIncidentDialog
from chconsole.ui.incidents.triage import TriageDialog
from chconsole.ui.main_window import MainWindow
from chconsole.ui.runtime.tasks import STOP, TaskContext

Settle = Callable[..., None]
Save = Callable[[QWidget, Path, list[Path]], None]
SMALL = (1024, 700)


def save_incidents(window: MainWindow, out: Path, written: list[Path], settle: Settle, save: Save) -> None:
    console = window.console
    save(window.toolbar, out / "toolbar.png", written)
    settle(window, lambda: window.halts.page is not None)
    page = window.halts.page
    assert page is not None
    _dialog(StopDialog(page.stoppable(), window.shown_release(), parent=window), out / "stop-confirm.png",
            written, window, settle, save)
    view = window.incidents
    if not available(console):  # not a demo database: pictured as it is, nothing is pressed
        window.show_view(window.views.index(view))
        settle(window, lambda: view.page is not None)
        save(window, out / "incidents.png", written)
        return
    played: list[object] = []

    def scene(_ctx: TaskContext) -> object:
        from sim import incident_scene

        return incident_scene.play(console.engine) if incident_scene.why_not(console.engine) is None else None

    console.runner.submit(scene, label="playing the demo's incident", on_done=played.append)
    settle(window, lambda: bool(played))
    incidents = console.engine.incidents.incidents(open_only=True)
    if not incidents:
        return
    incident = incidents[0]
    stopped: list[StopInfo] = []
    if console.engine.releases.get(incident.release_id).state != "SUSPENDED":
        console.write_tracked(lambda e, _ctx: e.incidents.stop(incident.release_id), stopped.append,
                              label="pressing the emergency stop", lane=STOP)
        settle(window, lambda: bool(stopped))
    console.announce(EVERYTHING)  # the scene moved the clock on
    window.read_clock()
    window.open_incident(incident.id)
    settle(window, lambda: view.page is not None and view.selected() is not None and window.halt_banner.isVisible())
    save(window, out / "incidents.png", written)
    details = view.details.widget()
    if details is not None:
        save(details, out / "incident-details.png", written)
    assert view.page is not None
    if stopped:
        _dialog(StopDoneDialog(stopped[0], list(view.page.releases.values()), window), out / "stop-done.png",
                written, window, settle, save)
    window.show_view(window.views.index(window.releases))
    window.releases.select_release(incident.release_id)
    settle(window, lambda: window.releases.selected_id() == incident.release_id)
    save(window, out / "releases-suspended.png", written)
    release_details = window.releases.details.widget()
    if release_details is not None:  # the failure guard, and who halted it, when
        save(release_details, out / "release-details-suspended.png", written)
    window.show_view(window.views.index(view))
    _save_forms(window, out, written, settle, save)
    window.setMinimumSize(*SMALL)
    window.resize(*SMALL)
    settle(window)
    save(window, out / "incidents-1024x700.png", written)


def _save_forms(window: MainWindow, out: Path, written: list[Path], settle: Settle, save: Save) -> None:
    """The incident form, the triage dialog with its preview, and the Panel's confirmation."""
    view = window.incidents
    page, i = view.page, view.selected()
    if page is None or i is None:
        return
    release = page.release_of(i)
    if release is None:
        return
    raising = RaiseIncidentDialog([r for r in page.releases.values() if r.notified_at], page.names, release.id,
                                  window)
    raising.supplier.setCurrentIndex(max(raising.supplier.findData("OVOE"), 0))
    raising.description.setPlainText("Since this morning's activations our customers' in-home displays show no gas "
                                     "readings; the hubs answer but the gas meters drop off the home area network.")
    raising.path.setText(str(Path.home() / "Downloads" / "ovoe-affected-hubs.csv"))
    _dialog(raising, out / "raise-incident.png", written, window, settle, save)
    triage = TriageDialog(i, release, page.now, window)
    triage.previewer = lambda outcome, at, ok, bad: view.operations.preview(i.id, outcome, at, ok, bad)
    triage.submit = lambda *_: None  # a picture: nothing is recorded
    triage.choices["delay"].setChecked(True)
    triage.note.setPlainText("The manufacturer needs eight weeks for a fixed image; the Panel is asked to confirm.")
    _dialog(triage, out / "triage.png", written, window, settle, save, lambda: triage.found is not None)
    if release.deployment_date is None:
        return
    at = release.deployment_date + timedelta(days=91)
    found: list[Consequences] = []
    window.console.write(lambda e: e.incidents.triage(i.id, "delay", at, "Eight weeks for a fixed image."),
                         found.append, label="triaging the demo's incident")
    settle(window, lambda: bool(found) and getattr(view.selected(), "state", None) == "TRIAGED")
    triaged = view.selected()
    assert triaged is not None
    confirm = ConfirmDecisionDialog(triaged, found[0], window)
    confirm.by.setText("A. Chair (SEC Panel chair)")
    _dialog(confirm, out / "confirm-decision.png", written, window, settle, save)
    decided: list[Consequences] = []
    window.console.write(lambda e: e.incidents.confirm_decision(i.id, "A. Chair", "panel"), decided.append,
                         label="recording the Panel's confirmation")
    settle(window, lambda: bool(decided) and getattr(view.selected(), "state", None) == "CONFIRMED"
           and view.details.notices.table.rowCount() > 0)
    body = view.details.widget()
    if body is not None:
        save(body, out / "incident-decided.png", written)

def _dialog(dialog: QDialog, path: Path, written: list[Path], window: MainWindow, settle: Settle, save: Save,
            ready: Callable[[], bool] = lambda: True) -> None:
    dialog.show()
    settle(window, ready)
    save(dialog, path, written)
    dialog.close()
    dialog.deleteLater()
