"""Pilot tracking follows the changes a write announces: it re-reads the pilot it shows
only when a change concerns that release; another release's change redraws its picker
entry alone."""

from __future__ import annotations

import pytest
from ui_helpers import Calls, Settle, change, only_the_view_reads

from chconsole.ui.main_window import MainWindow
from chconsole.ui.pilots.view import PilotTrackingView


@pytest.fixture
def pilot(window: MainWindow, settle: Settle, console) -> PilotTrackingView:
    console.engine.releases.notify(2)  # a second notified release for the picker
    window.demo_clock.set_speed(0)  # no clock beats: each change below is the only one
    only_the_view_reads(window)
    settle()
    window.show_view(window.views.index(window.pilot))
    settle(lambda: window.pilot.page is not None)
    assert window.pilot.release_id == 1 and window.pilot.picker.count() == 2
    return window.pilot


def test_a_change_to_release_2_does_not_re_read_release_1s_pilot(
    pilot: PilotTrackingView, console, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    pilots = Calls(monkeypatch, console.engine.pilots, "get")
    everything = Calls(monkeypatch, console.engine.releases, "all")
    one = Calls(monkeypatch, console.engine.releases, "get")
    page = pilot.page
    change(console, settle, lambda e: e.releases.revoke(2, "Superseded by a later image"))
    assert pilots.reads() == [] and everything.reads() == []
    assert one.reads() == [(2,)]  # only its picker entry
    assert pilot.page is not None and pilot.page.pilot is page.pilot  # release 1's pilot as it was
    entry = pilot.picker.itemText(pilot.picker.findData(2))
    assert entry.endswith("Revoked")  # the other release's state, redrawn
    assert pilot.picker.currentData() == 1


def test_a_change_to_release_1s_pilot_re_reads_it(
    pilot: PilotTrackingView, console, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    pilots = Calls(monkeypatch, console.engine.pilots, "get")
    change(console, settle, lambda e: e.pilots.comment(1, "Quiet night across the pilot"))
    assert pilots.reads() == [(1,)]
    assert pilot.details.comments.table.item(0, 3).text() == "Quiet night across the pilot"
