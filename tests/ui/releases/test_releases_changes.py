"""The releases view follows the changes a write announces, narrowly: a change to release 2
re-reads release 2 alone, and the selected release 1's details only when release 1 changed."""

from __future__ import annotations

import pytest
from ui_helpers import Calls, Settle, change, only_the_view_reads

from chconsole.ui.main_window import MainWindow
from chconsole.ui.releases.view import ReleasesView


@pytest.fixture
def releases(window: MainWindow, settle: Settle) -> ReleasesView:
    window.demo_clock.set_speed(0)  # no clock beats: each change below is the only one
    only_the_view_reads(window)
    settle()
    window.show_view(window.views.index(window.releases))
    settle(lambda: bool(window.releases.releases))
    window.releases.select_release(1)
    return window.releases


def test_a_change_to_release_2_does_not_re_read_release_1(
    releases: ReleasesView, console, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = Calls(monkeypatch, console.engine.releases, "all")
    one = Calls(monkeypatch, console.engine.releases, "get")
    shown = releases.details.release
    change(console, settle, lambda e: e.releases.update_note(2, "DCC-RN-2026-201"))
    assert one.reads() == [(2,)] and everything.reads() == []
    assert releases.details.release is shown  # release 1's details were not redrawn
    assert next(v for v in releases.releases if v.id == 2).release_note == "DCC-RN-2026-201"


def test_a_change_to_release_1_re_reads_its_details(
    releases: ReleasesView, console, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = Calls(monkeypatch, console.engine.releases, "get")
    change(console, settle, lambda e: e.releases.update_note(1, "DCC-RN-2026-114-v3"))
    assert one.reads() == [(1,)]
    assert releases.selected_id() == 1
    assert releases.details.facts["Release note"].text() == "DCC-RN-2026-114-v3"
    assert releases.details.history.item(0, 2).text() == "DCC-RN-2026-114-v3"  # newest first


def test_a_change_that_touches_no_release_reads_nothing(
    releases: ReleasesView, console, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = Calls(monkeypatch, console.engine.releases, "all")
    one = Calls(monkeypatch, console.engine.releases, "get")
    change(console, settle, lambda e: e.admin.add_user("pat", ["operator"]))
    assert one.reads() == [] and everything.reads() == []
