"""While a release is suspended or paused every view says so above it, linking to the incident."""

from __future__ import annotations

import pytest
from ui_helpers import Answers, Calls, Settle, change

from chconsole.ui.incidents.dialogs import RaiseIncidentDialog
from chconsole.ui.main_window import MainWindow


def test_the_banner_shows_on_every_view_and_opens_the_incident(
    window: MainWindow, console, qtbot, settle: Settle
) -> None:
    window.demo_clock.set_speed(0)
    settle()
    assert not window.halt_banner.isVisible()
    raised = change(console, settle, lambda e: e.incidents.raise_incident(1, "BGAS", "Gas meters drop off.", None,
                                                                          True))
    change(console, settle, lambda e: e.incidents.stop(1))
    settle(lambda: window.halt_banner.isVisible())
    words = window.halt_banner.text()
    assert "<b>Release 1</b>" in words and "is <b>suspended</b>: demo pressed the emergency stop just now" in words
    assert f'href="incident:{raised.incident.id}:1"' in words
    for n in range(len(window.views)):
        window.show_view(n)
        assert window.halt_banner.isVisible() and window.halt_banner.isVisibleTo(window)

    window.show_view(window.views.index(window.estate))
    window.halt_banner.lines[0].linkActivated.emit(f"incident:{raised.incident.id}:1")
    assert window.current_view() is window.incidents
    settle(lambda: window.incidents.selected() is not None)
    assert window.incidents.selected().id == raised.incident.id  # type: ignore[union-attr]


def test_a_paused_release_with_no_incident_links_to_raising_one(
    window: MainWindow, console, answers: Answers, settle: Settle
) -> None:
    window.demo_clock.set_speed(0)
    settle()
    raised = console.engine.incidents.raise_incident(1, "OCTO", "Displays flicker.").value.incident
    console.engine.incidents.triage(raised.id, "pause")
    change(console, settle, lambda e: e.incidents.confirm_decision(raised.id, "Alex Chair", "panel"))
    settle(lambda: window.halt_banner.isVisible())
    assert window.halt_banner.property("level") == "paused"
    assert "is <b>paused</b> by the Panel's decision, recorded by demo just now" in window.halt_banner.text()
    change(console, settle, lambda e: e.incidents.close_incident(raised.id))
    settle(lambda: "raise one" in window.halt_banner.text())
    answers.reply = lambda _d: False
    window.halt_banner.lines[0].linkActivated.emit("release:1")
    assert window.current_view() is window.incidents
    settle(lambda: bool(answers.seen))
    (form,) = answers.seen
    assert isinstance(form, RaiseIncidentDialog) and form.release.currentData() == 1


def test_the_watch_re_reads_only_the_releases_a_change_touched(
    window: MainWindow, console, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.demo_clock.set_speed(0)
    settle()
    everything = Calls(monkeypatch, console.engine.releases, "all")
    one = Calls(monkeypatch, console.engine.releases, "get")
    change(console, settle, lambda e: e.releases.update_note(2, "DCC-RN-2026-201"))
    assert everything.reads() == [] and one.reads() == [(2,)]  # the dashboard shown reads no release
    change(console, settle, lambda e: e.admin.add_user("pat", ["operator"]))
    assert one.reads() == [(2,)]
