"""The Dashboard view: first in the window, "View as" any actor, actions with the time left
(overdue in red), the others' next dates, a card and progress chart per release in flight.

The demo database: release 1 notified on 2 November 2026, its pilot a day under way;
release 2 a draft.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel
from ui_helpers import Settle

from chconsole.core.dashboards.dashboard import DueAction, Viewer
from chconsole.ui.dashboard.models import OVERDUE, ActionsModel
from chconsole.ui.dashboard.view import REFRESH_MS, DashboardView
from chconsole.ui.main_window import MainWindow
from sim.parties import SUPPLIERS


@pytest.fixture
def dashboard(window: MainWindow, settle: Settle) -> DashboardView:
    view = window.dashboard
    window.show_view(window.views.index(view))
    settle(lambda: view.page is not None)
    return view


def _as(view: DashboardView, settle: Settle, viewer: Viewer) -> None:
    index = view.picker.findData(f"{viewer.kind}:{viewer.party or ''}")
    assert index >= 0
    view.picker.setCurrentIndex(index)
    view.picker.activated.emit(index)
    settle(lambda: view.page is not None and view.page.board.viewer.kind == viewer.kind
           and view.page.board.viewer.party == viewer.party)


def _everything_shown(view: DashboardView) -> str:
    """Every text the view shows: labels, the picker's current choice, and every table cell."""
    texts = [label.text() for label in view.findChildren(QLabel) if label.isVisibleTo(view)]
    texts.append(view.picker.currentText())
    model = view.actions_model
    texts += [str(model.data(model.index(r, c))) for r in range(model.rowCount()) for c in range(model.columnCount())]
    return "\n".join(texts)


def test_the_dashboard_is_the_first_view(window: MainWindow) -> None:
    assert window.views[0] is window.dashboard
    assert window.nav.item(0).text() == "Dashboard"
    assert window.current_view() is window.dashboard  # a new console opens on it


def test_dcc_sees_the_release_in_flight_with_its_progress(dashboard: DashboardView) -> None:
    assert dashboard.picker.currentText() == "DCC"
    assert dashboard.as_at.text().startswith("As at 2026-11-06")
    assert dashboard.releases_title.text() == "Upgrades in flight (1)"  # release 2 is only a draft
    card = dashboard.cards[1]
    assert card.heading.text() == "Release 1 \u00b7 EDMI-CHF-420 \u2192 00020204"
    assert card.badge.text() == "Pilot running"
    assert card.scope.text().startswith("All hubs: ")
    assert card.values["Pilot"].text().startswith("Running: ")
    assert card.chart.isVisibleTo(card) and card.chart.shown is not None
    assert sum(len(c.xData) for c in card.chart.curves.values() if c.xData is not None) > 0
    tiles = {t.actor.text(): t for t in dashboard.tiles if t.isVisibleTo(dashboard)}
    assert list(tiles) == ["CSPs", "Suppliers", "SEC Panel"]
    assert tiles["CSPs"].date.text() == "Under way now"  # the pilot's hubs are being distributed


def test_view_as_lists_every_actor_in_order(dashboard: DashboardView) -> None:
    items = [dashboard.picker.itemText(i) for i in range(dashboard.picker.count())
             if dashboard.picker.itemData(i) is not None]
    assert items[0] == "DCC" and items[-1] == "SEC Panel"
    assert items[-3:-1] == ["Arqiva (CSP)", "Telefonica (CSP)"]
    assert len(items) == 1 + len(SUPPLIERS) + 2 + 1
    assert "Octave Energy (OCTO)" in items


def test_a_suppliers_dashboard_names_no_other_supplier(dashboard: DashboardView, settle: Settle) -> None:
    _as(dashboard, settle, Viewer("supplier", "BGAS"))
    assert dashboard.actions.title.text() == "Your outstanding actions (1)"
    assert dashboard.actions_model.text(0, 0).startswith("Instruct an earlier activation of your ")
    assert dashboard.actions_model.text(0, 3).endswith("left")
    assert dashboard.cards[1].scope.text().startswith("Your hubs: ")
    assert [t.actor.text() for t in dashboard.tiles if t.isVisibleTo(dashboard)] == [
        "DCC", "CSPs", "Other suppliers", "SEC Panel"]
    shown = _everything_shown(dashboard)
    assert "Britannic Gas & Power (BGAS)" in shown
    for s in SUPPLIERS:
        if s.party_id != "BGAS":
            assert s.party_id not in shown and s.name not in shown, s.party_id


def test_the_panel_is_told_no_decision_awaits_it(dashboard: DashboardView, settle: Settle) -> None:
    _as(dashboard, settle, Viewer("panel"))
    assert dashboard.actions.title.text() == "The Panel's outstanding actions (0)"
    assert dashboard.actions.empty.text() == "No decision awaits the Panel's confirmation."
    assert dashboard.actions.empty.isVisibleTo(dashboard) and not dashboard.actions.table.isVisibleTo(dashboard)


def test_it_reads_off_the_gui_thread_every_30_seconds_and_after_a_change(
        dashboard: DashboardView, console, settle: Settle) -> None:
    assert dashboard.timer.interval() == REFRESH_MS == 30_000 and dashboard.timer.isActive()
    threads: list[bool] = []
    real = console.engine.dashboards.build

    def spy(viewer: Viewer):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        return real(viewer)

    console.engine.dashboards.build = spy  # type: ignore[method-assign]
    dashboard.timer.timeout.emit()  # as the timer would, 30 seconds on
    settle(lambda: bool(threads))
    assert threads == [False]
    console.write(lambda e: e.releases.notify(2), lambda _v: None, label="notifying release 2")
    settle(lambda: len(dashboard.cards) == 2, timeout=60_000)
    assert all(t is False for t in threads) and len(threads) >= 2
    assert dashboard.releases_title.text() == "Upgrades in flight (2)"
    assert dashboard.cards[2].badge.text() == "Notified"


def test_overdue_is_red_and_the_model_passes_qt_model_checks(qtmodeltester) -> None:
    now = datetime(2026, 11, 6, 9, 30, tzinfo=UTC)
    model = ActionsModel()
    late = DueAction("overdue-batch", "12,400 hubs were due at 2026-11-06 02:00 GMT (batch 'B'): run it now or "
                     "re-plan it", 1, now - timedelta(hours=7, minutes=30), "overdue by 7 hours 30 minutes", True,
                     12_400, "an overdue batch of release 1")
    soon = DueAction("start-pilot", "Start the pilot", 1, now + timedelta(days=3), "3 days left", False, 40, "s")
    model.show_actions([late, soon])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 3)) == "overdue by 7 hours 30 minutes"
    assert model.data(model.index(0, 3), Qt.ItemDataRole.ForegroundRole).color() == QColor(OVERDUE)
    assert model.data(model.index(0, 3), Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(1, 3), Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(model.index(0, 4)) == "12,400"
    assert model.show_actions([late, soon]) is False  # unchanged: no reset, the selection stays
