"""Rendering every view offscreen to PNG files: for the README, reviews and the tests.

Each picture is taken once the view's background reads have arrived, so what is saved
is what a person would see after a moment, not a screen full of "loading...". The living
demo clock is paused first, so the same database always gives the same pictures.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from chconsole.core.engine.dto import CSP, SUPPLIER, CplInfo, EstateFilter, Viewer
from chconsole.core.engine.facade import Engine
from chconsole.ui.main_window import MainWindow
from chconsole.ui.pilots.dialogs import ConcludeDialog
from chconsole.ui.pilots.nominate import NominateDialog
from chconsole.ui.releases.form import NewReleaseDialog
from chconsole.ui.tools.admin_shots import save_admin
from chconsole.ui.tools.batch_shots import save_batch_control
from chconsole.ui.tools.incident_shots import save_incidents

SIZE = (1440, 900)
TIMEOUT = 120.0  # seconds; a 15-million-hub estate still answers its first page in far less


def settle(window: MainWindow, ready: Callable[[], bool] = lambda: True, timeout: float = TIMEOUT) -> None:
    """Process events until the task runner is idle and READY() holds (or time runs out)."""
    deadline = time.monotonic() + timeout
    app = QApplication.instance()
    while time.monotonic() < deadline:
        if app is not None:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if not window.console.runner.busy and ready():
            # One more round so the last answers are painted.
            if app is not None:
                app.processEvents()
            return
        time.sleep(0.01)
    raise TimeoutError("the console did not finish loading in time for its snapshot")


def _save(widget: QWidget, path: Path, written: list[Path]) -> None:
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    written.append(path)


def _visible_loaded(window: MainWindow) -> bool:
    view = window.estate
    model = view.model
    if model.rowCount() == 0:
        return model.matching == 0
    bottom = view.table.rowAt(view.table.viewport().height() - 1)
    last = bottom if bottom >= 0 else model.rowCount() - 1
    top = max(view.table.rowAt(0), 0)
    return all(model.hub_at(r) is not None for r in {top, last})


def take_snapshots(window: MainWindow, out: Path) -> list[Path]:
    """Render each view (and the release details and form) to OUT; returns the files."""
    written: list[Path] = []
    window.demo_clock.set_speed(0)
    window.resize(*SIZE)
    window.show()
    window.start()
    settle(window)
    _save_dashboard(window, out, written)

    window.show_view(window.views.index(window.estate))
    settle(window, lambda: window.estate.choices is not None and _visible_loaded(window))
    _save(window, out / "estate.png", written)

    # One hub of the notified release, with its details open.
    release = next((v for v in reversed(window.releases.releases) if v.notified_at), None)
    if release is None:
        window.releases.refresh()
        settle(window)
        release = next((v for v in reversed(window.releases.releases) if v.notified_at), None)
    if release is not None:
        window.estate.device_model.select(release.model)
        window.estate.status.select("Commissioned")
        window.estate.firmware.select(release.from_versions[-1])
        window.estate.apply_filter()
        settle(window, lambda: window.estate.model.matching is not None and _visible_loaded(window))
        hub = window.estate.model.hub_at(0)
        if hub is not None:
            window.estate.table.selectRow(0)
            window.estate.show_hub(hub.guid)
            settle(window, lambda: window.estate.panel.hub is not None)
        _save(window, out / "estate-hub.png", written)
        window.estate.clear_filters()
        window.estate.model.set_filter(EstateFilter())

    window.show_view(window.views.index(window.releases))
    settle(window, lambda: bool(window.releases.releases))
    if release is not None:
        window.releases.select_release(release.id)
        settle(window)
    _save(window, out / "releases.png", written)
    details = window.releases.details.widget()
    if details is not None:
        _save(details, out / "release-details.png", written)

    _save_form(window, out, written)
    _save_pilot(window, out, written)

    window.show_view(window.views.index(window.outbox))
    settle(window, lambda: window.outbox.model.rowCount() > 0 or "No notices" in window.outbox.count_label.text())
    _save(window, out / "outbox.png", written)
    save_admin(window, out, written, settle, _save)
    save_batch_control(window, out, written, settle, _save)  # last: on a demo it plays the deployment on
    # DCC's dashboard once the deployment is under way: its outstanding actions (an overdue batch).
    window.show_view(window.views.index(window.dashboard))
    window.dashboard.refresh()
    settle(window, lambda: window.dashboard.page is not None and window.dashboard.page.board.viewer.kind == "dcc")
    _save(window, out / "dashboard-deploying.png", written)
    save_incidents(window, out, written, settle, _save)  # last: on a demo it plays an incident and presses the stop
    return written


def _save_form(window: MainWindow, out: Path, written: list[Path]) -> None:
    answer: list[tuple[list[CplInfo], object]] = []
    window.console.read(lambda e: (e.admin.cpl(), e.now()), answer.append, label="reading the CPL")
    settle(window, lambda: bool(answer))
    cpl, now = answer[0]
    dialog = NewReleaseDialog(cpl, now, window)  # type: ignore[arg-type]
    drafted = {v.model for v in window.releases.releases}
    model = next((m for m in sorted({e.model for e in cpl}) if m not in drafted), None)
    if model is not None:
        dialog.model.setCurrentIndex(dialog.model.findData(model))
    versions = [e.firmware_version for e in cpl if e.model == dialog.model.currentData()]
    dialog.check_from(sorted(versions)[-3:-1])
    dialog.severity.setCurrentText("High")
    dialog.priority.setCurrentText("P2")
    dialog.note.setText("https://smartdcc.sharepoint.example/firmware/RN-2026-140")
    dialog.note.setCursorPosition(0)
    dialog.show()
    settle(window)
    _save(dialog, out / "new-release.png", written)
    dialog.close()
    dialog.deleteLater()


def _save_pilot(window: MainWindow, out: Path, written: list[Path]) -> None:
    """The pilot tracking view, its whole details pane, and its nominate and conclude dialogs."""
    view = window.pilot
    window.show_view(window.views.index(view))
    settle(window, lambda: view.page is not None)
    _save(window, out / "pilot.png", written)
    details = view.details.widget()
    if details is not None:
        _save(details, out / "pilot-details.png", written)
    v, release = view.pilot(), view.release()
    if v is None or release is None or view.page is None:
        return
    dialogs: list[tuple[str, QDialog]] = [("pilot-nominate.png", NominateDialog(release, v.cap, view.page.names,
                                                                                  window))]
    if v.state == "RUNNING":
        conclude = ConcludeDialog(v, release, window)
        conclude.proceed.setChecked(True)
        conclude.commentary.setPlainText("All pilot hubs activated or failed for known, unrelated reasons.")
        dialogs.append(("pilot-conclude.png", conclude))
    for name, dialog in dialogs:
        dialog.show()
        settle(window)
        _save(dialog, out / name, written)
        dialog.close()
        dialog.deleteLater()


def _save_dashboard(window: MainWindow, out: Path, written: list[Path]) -> None:
    """The dashboard as DCC sees it, and as the supplier and the CSP with most to do see theirs."""
    view = window.dashboard
    window.show_view(window.views.index(view))
    settle(window, lambda: view.page is not None)
    _save(window, out / "dashboard.png", written)
    def busiest(engine: Engine) -> list[Viewer]:
        """Per kind, the actor with most to do (a dashboard reads only the tallies: cheap)."""
        chosen = []
        for kind in (SUPPLIER, CSP):
            boards = [engine.dashboards.build(v) for v in engine.dashboards.viewers() if v.kind == kind]
            if boards:
                chosen.append(max(boards, key=lambda b: (len(b.actions), sum(c.hubs for c in b.releases))).viewer)
        return chosen

    found: list[list[Viewer]] = []
    window.console.read(busiest, found.append, label="reading the dashboards")
    settle(window, lambda: bool(found))
    for viewer in found[0]:
        view.view_as(viewer)
        settle(window, lambda v=viewer: view.page is not None and view.page.board.viewer.party == v.party)
        _save(window, out / f"dashboard-{viewer.kind}.png", written)
    view.view_as(Viewer("dcc"))
    settle(window, lambda: view.page is not None and view.page.board.viewer.kind == "dcc")
