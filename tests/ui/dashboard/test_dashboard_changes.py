"""The dashboard sums up every release in flight, so a change to any release concerns it;
a change to no release (a user added) does not; hidden, it reads when next shown."""

from __future__ import annotations

import pytest
from ui_helpers import Calls, Settle, change

from chconsole.ui.dashboard.view import DashboardView
from chconsole.ui.main_window import MainWindow


@pytest.fixture
def dashboard(window: MainWindow, settle: Settle) -> DashboardView:
    window.demo_clock.set_speed(0)  # no clock beats: each change below is the only one
    settle()
    window.show_view(window.views.index(window.dashboard))
    settle(lambda: window.dashboard.page is not None)
    return window.dashboard


def test_a_change_to_a_release_re_reads_it_and_one_to_no_release_does_not(
    dashboard: DashboardView, console, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = Calls(monkeypatch, console.engine.dashboards, "build")
    change(console, settle, lambda e: e.admin.add_user("pat", ["operator"]))
    assert built.reads() == []
    change(console, settle, lambda e: e.releases.notify(2))
    assert len(built.reads()) == 1
    assert dashboard.releases_title.text() == "Upgrades in flight (2)"


def test_hidden_it_reads_once_when_next_shown(
    dashboard: DashboardView, window: MainWindow, console, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show_view(window.views.index(window.outbox))
    settle()
    built = Calls(monkeypatch, console.engine.dashboards, "build")
    change(console, settle, lambda e: e.releases.notify(2))
    change(console, settle, lambda e: e.releases.update_note(2, "DCC-RN-2026-203"))
    assert built.reads() == []  # nobody is looking
    window.show_view(window.views.index(dashboard))
    settle(lambda: len(dashboard.cards) == 2)
    assert len(built.reads()) == 1
