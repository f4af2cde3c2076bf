"""Pilot tracking: the demo pilot's counts, the labelled assumptions, the chart, the actions,
and the living demo clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog
from ui_helpers import Answers, Settle

from chconsole.core.bootstrap import create_database, open_engine
from chconsole.core.engine.dto import PilotRule
from chconsole.core.vocabulary.london import show
from chconsole.ui.common.words import state_title
from chconsole.ui.main_window import MainWindow
from chconsole.ui.pilots.details import hub_columns
from chconsole.ui.pilots.dialogs import CommentDialog, ConcludeDialog, StartPilotDialog
from chconsole.ui.pilots.nominate import NominateDialog
from chconsole.ui.pilots.view import PilotTrackingView
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.messages import MessageBridge
from chconsole.ui.runtime.settings import CLOCK_SPEED, Settings
from chconsole.ui.runtime.tasks import TaskRunner


def _open(window: MainWindow, settle: Settle) -> PilotTrackingView:
    window.demo_clock.set_speed(0)  # the test, not the living clock, decides when time moves
    settle()
    window.show_view(window.views.index(window.pilot))
    settle(lambda: window.pilot.page is not None)
    return window.pilot


@pytest.fixture
def pilot(window: MainWindow, settle: Settle) -> PilotTrackingView:
    return _open(window, settle)


def _rows(view: PilotTrackingView) -> dict[str, list[str]]:
    table = view.details.suppliers.table
    return {table.item(r, 0).text().split(" ")[0]: [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())}


def test_the_demo_pilot_shows_each_suppliers_hubs_per_state(pilot: PilotTrackingView, console: Console) -> None:
    v = console.engine.pilots.get(1)
    assert v.state == "RUNNING" and v.hubs > 0 and len(v.suppliers) >= 4
    table = pilot.details.suppliers.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    states = hub_columns(v)
    assert headers == ["Supplier", *(state_title(s) for s in states), "Total"]
    rows = _rows(pilot)
    for s in v.suppliers:
        assert rows[s.party][1:] == [f"{s.states.get(k, 0):,}" for k in states] + [f"{s.total:,}"]
    assert rows["All"][-1] == f"{v.hubs:,}"  # each hub once, where split hubs count twice above
    facts = pilot.details.facts
    assert facts["Pilot state"].text() == "Running"
    assert facts["Release state"].text() == "Pilot running"
    assert facts["Started"].text() == "2026-11-05 10:00 GMT by demo"
    assert facts["Activation"].text() == "as soon as each hub holds the image"
    assert pilot.details.badge.text() == "Running"
    assert pilot.picker.currentData() == 1 and pilot.picker.count() == 1  # release 2 is a draft
    assert pilot.conclude_button.isEnabled() and pilot.comment_button.isEnabled()
    assert not pilot.nominate_button.isEnabled() and not pilot.start_button.isEnabled()
    assert pilot.details.nominations.table.rowCount() == len(v.nominations) == 6
    refused = [pilot.details.nominations.table.item(r, 6).text() for r in range(6)]
    assert "5" in refused  # BGAS's GUID file had mistakes; its receipt lists them
    assert pilot.details.notices.table.rowCount() == len(v.notices) > 0


def test_the_network_figures_are_labelled_as_assumptions(pilot: PilotTrackingView, console: Console) -> None:
    box = pilot.details.assumptions
    figures = console.engine.admin.network_assumptions()
    assert box.isVisible() and "assumptions" in box.title.text()
    tags = [box.grid.itemAtPosition(r, 2).widget().text() for r in range(len(figures))]
    assert tags == ["assumed" if f.assumed else "setting" for f in figures]
    rates = {box.grid.itemAtPosition(r, 0).widget().text(): box.grid.itemAtPosition(r, 1).widget().text()
             for r in range(len(figures))}
    assert rates["Distribution failure rate"] == "1.0%"


def test_the_progress_chart_has_the_pilots_samples(pilot: PilotTrackingView, console: Console) -> None:
    v = console.engine.pilots.get(1)
    chart = pilot.details.chart
    assert chart.isVisible() and chart.points == len(v.samples) > 0
    xs, ys = chart.curves["In flight"].getData()
    assert len(xs) > 0 and ys[-1] == v.hubs  # every pilot hub is being distributed
    assert xs[-1] == pytest.approx(console.engine.now().timestamp())  # carried on to now
    assert chart.start_line.isVisible() and chart.start_line.value() == v.started_at.timestamp()


def test_nominating_by_rules_then_starting_a_pilot(
    window: MainWindow, answers: Answers, settle: Settle, console: Console
) -> None:
    console.engine.releases.notify(2)
    view = _open(window, settle)
    assert view.picker.count() == 2
    view.picker.setCurrentIndex(view.picker.findData(2))
    view.picker.activated.emit(view.picker.currentIndex())
    settle(lambda: view.pilot() is not None and view.pilot().release_id == 2)
    assert view.details.facts["Pilot state"].text() == "No nominations yet"
    assert view.nominate_button.isEnabled() and not view.start_button.isEnabled()

    def nominate(dialog: QDialog) -> bool:
        assert isinstance(dialog, NominateDialog)
        dialog.count.setValue(12)
        dialog.seed.setValue(7)
        assert dialog.rule() == PilotRule(count=12, spread=True, seed=7, exclude_incidents=True)
        assert dialog.rule().describe() == "rules: count=12 spread=regions seed=7 exclude=open-incidents"
        dialog.nominate()
        return False  # the person closes it once the receipt is shown

    answers.reply = nominate
    view.nominate_button.click()
    (dialog,) = answers.seen
    settle(lambda: not dialog.result.isHidden())
    v = console.engine.pilots.get(2)
    assert v.hubs + v.awaiting == 12
    assert f"{v.hubs:,}</b> joined" in dialog.result.text() and dialog.nominate_button.isHidden()
    settle(lambda: view.pilot().hubs == v.hubs)
    assert view.details.facts["Pilot state"].text() == "Taking nominations"
    assert view.start_button.isEnabled()

    answers.reply = lambda d: isinstance(d, StartPilotDialog) and d.activate_at() is None
    view.start_button.click()
    settle(lambda: view.pilot().state == "RUNNING")
    assert view.details.badge.text() == "Running"
    assert view.picker.currentText().endswith("Pilot running")
    assert console.messages.last is not None and "started" in console.messages.last[1]


def test_concluding_with_proceed_changes_the_header(
    pilot: PilotTrackingView, answers: Answers, settle: Settle, console: Console, qtbot
) -> None:
    def conclude(dialog: QDialog) -> bool:
        assert isinstance(dialog, ConcludeDialog)
        assert not dialog.confirm_button.isEnabled()  # no decision, no commentary
        dialog.proceed.setChecked(True)
        assert not dialog.confirm_button.isEnabled()
        qtbot.keyClicks(dialog.commentary, "Distribution healthy in every region")
        assert dialog.confirm_button.isEnabled() and dialog.confirm_button.text() == "Conclude: proceed"
        assert "20 suppliers" in dialog.findChildren(type(dialog.meaning))[-1].text()  # who is told
        return True

    answers.reply = conclude
    pilot.conclude_button.click()
    settle(lambda: pilot.details.badge.text() == "Concluded: proceed")
    concluded = console.engine.pilots.get(1).concluded_at
    assert pilot.details.facts["Decision"].text() == f"Proceed, {show(concluded)} by demo"
    assert pilot.details.facts["Commentary"].text() == "Distribution healthy in every region"
    assert pilot.details.facts["Release state"].text() == "Pilot concluded"
    assert not pilot.conclude_button.isEnabled()
    assert console.engine.pilots.get(1).decision == "proceed"


def test_commentary_on_a_hub_outside_the_pilot_is_refused_through_the_banner(
    pilot: PilotTrackingView, answers: Answers, settle: Settle, console: Console, window: MainWindow
) -> None:
    def comment(dialog: QDialog) -> bool:
        assert isinstance(dialog, CommentDialog)
        dialog.text.setPlainText("Hub rebooted twice overnight")
        dialog.guid.setText("not a guid")
        assert not dialog.add_button.isEnabled() and dialog.guid_error.isVisibleTo(dialog)
        dialog.guid.setText("00db12ffffffff01")
        assert dialog.add_button.isEnabled() and dialog.hub() == "00-DB-12-FF-FF-FF-FF-01"
        return True

    answers.reply = comment
    pilot.comment_button.click()
    settle(lambda: console.messages.last is not None and console.messages.last[0] == "error")
    assert "00-DB-12-FF-FF-FF-FF-01 is not in the pilot of release 1" in window.banner.label.text()

    answers.reply = lambda d: (d.text.setPlainText("Day one: all quiet"), True)[1]  # type: ignore[attr-defined]
    pilot.comment_button.click()
    settle(lambda: pilot.details.comments.table.rowCount() == 2)
    assert pilot.details.comments.table.item(0, 3).text() == "Day one: all quiet"


def test_the_living_clock_moves_time_and_the_view_follows(
    pilot: PilotTrackingView, window: MainWindow, settle: Settle, console: Console
) -> None:
    clock = window.demo_clock
    assert window.demo_clock_action.isVisible() and clock.isEnabled()
    start = console.engine.now()  # 2026-11-06 09:30, or an hour on if the clock beat once already
    assert clock.time_label.text() == show(start)
    clock.speed.setCurrentIndex(clock.speed.findData(24 * 3600))
    clock.speed.activated.emit(clock.speed.currentIndex())
    assert console.settings.get(CLOCK_SPEED) == 24 * 3600  # remembered
    clock.stop()  # the beats below are the test's: a timer's beat between them would move a day more
    clock.beat()
    clock.beat()  # the first tick is still running: this beat is skipped, not queued
    assert clock.skipped == 1
    settle(lambda: clock.time_label.text() == show(start + timedelta(days=1)))
    assert window.clock_label.text() == f"Clock: {show(start + timedelta(days=1))} (simulated)"
    clock.beat()  # the images arrive two days after the start (an assumption), then hubs activate
    settle(lambda: clock.time_label.text() == show(start + timedelta(days=2)))
    settle(lambda: pilot.page is not None and pilot.page.now == console.engine.now())
    v = console.engine.pilots.get(1)
    assert v.counts.get("ACTIVATED", 0) > 0
    assert _rows(pilot)["All"][-1] == f"{v.hubs:,}"
    assert pilot.details.chart.points == len(v.samples)
    clock.set_speed(0)
    clock.beat()
    assert clock.task is not None and clock.task.finished  # paused: no new tick


def test_a_user_who_may_not_move_the_clock_cannot(make_console, qtbot) -> None:
    outsider = make_console("mallory")
    w = MainWindow(outsider)
    qtbot.addWidget(w)
    w.start()
    qtbot.waitUntil(lambda: not outsider.runner.busy and outsider.roles is not None)
    assert not w.demo_clock.isEnabled() and not w.demo_clock.timer.isActive()
    w.close()


@pytest.fixture
def system_clock_window(tmp_path: Path, qtbot) -> Iterator[MainWindow]:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    create_database(url, "alice").db.dispose()
    settings = Settings(QSettings(str(tmp_path / "live.ini"), QSettings.Format.IniFormat))
    console = Console(open_engine(url, "alice"), TaskRunner(), MessageBridge(), settings)
    w = MainWindow(console)
    qtbot.addWidget(w)
    w.show()
    w.start()
    yield w
    w.close()
    console.engine.db.dispose()


def test_a_system_clock_database_has_no_demo_clock(system_clock_window: MainWindow, qtbot) -> None:
    w = system_clock_window
    runner = w.console.runner
    qtbot.waitUntil(lambda: not runner.busy and w.console.roles is not None)
    assert not w.demo_clock.available
    assert not w.demo_clock_action.isVisible() and not w.demo_clock.timer.isActive()
    w.show_view(w.views.index(w.pilot))
    qtbot.waitUntil(lambda: not runner.busy and w.pilot.page is not None)
    assert w.pilot.details.heading.text().startswith("No release has been notified")
    assert not any(b.isEnabled() for b in (w.pilot.nominate_button, w.pilot.start_button,
                                           w.pilot.conclude_button, w.pilot.comment_button))


def test_the_snapshot_includes_pilot_tracking(db_url: str, tmp_path: Path, qapp) -> None:
    from PySide6.QtGui import QImage

    from chconsole.launch import main as launch

    out = tmp_path / "shots"
    assert launch(["snapshot", "--out", str(out), "--db", db_url]) == 0
    for name in ("pilot", "pilot-details", "pilot-nominate", "pilot-conclude"):
        image = QImage(str(out / f"{name}.png"))
        assert not image.isNull() and image.width() >= 500 and image.height() >= 400, name


def test_a_release_with_no_pilot_hub_can_be_decided_without_a_pilot(
    window: MainWindow, answers: Answers, settle: Settle, console: Console, qtbot
) -> None:
    console.engine.releases.notify(2)
    view = _open(window, settle)
    view.picker.setCurrentIndex(view.picker.findData(2))
    view.picker.activated.emit(view.picker.currentIndex())
    settle(lambda: view.pilot() is not None and view.pilot().release_id == 2)
    assert view.conclude_button.isEnabled() and not view.start_button.isEnabled()

    def decide(dialog: QDialog) -> bool:
        assert isinstance(dialog, ConcludeDialog)
        assert dialog.windowTitle() == "Decide without a pilot"
        dialog.proceed.setChecked(True)
        qtbot.keyClicks(dialog.commentary, "Maintenance release: no pilot needed")
        return True

    answers.reply = decide
    view.conclude_button.click()
    settle(lambda: view.pilot().decision == "proceed")
    assert console.engine.releases.get(2).state == "PILOT_CONCLUDED"
