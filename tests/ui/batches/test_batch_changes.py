"""Batch control follows the changes a write announces: it re-reads the chosen release's
batches and instructions only when a change concerns that release; another release's
change re-reads that release and its changed batches alone."""

from __future__ import annotations

from datetime import datetime

import pytest
from ui_helpers import Calls, Settle, change, only_the_view_reads

from chconsole.core.engine.dto import BatchRule
from chconsole.core.vocabulary.london import localize
from chconsole.ui.batches.view import BatchControlView
from chconsole.ui.main_window import MainWindow


@pytest.fixture
def batches(window: MainWindow, settle: Settle, console) -> BatchControlView:
    console.engine.releases.notify(2)
    window.demo_clock.set_speed(0)  # no clock beats: each change below is the only one
    only_the_view_reads(window)
    settle()
    view = window.batch_control
    window.show_view(window.views.index(view))
    settle(lambda: view.page is not None)
    assert view.release_id == 1
    return view


def test_a_change_to_release_2_does_not_re_read_release_1s_batches(
    batches: BatchControlView, console, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = Calls(monkeypatch, console.engine.deployment, "batches")
    instructions = Calls(monkeypatch, console.engine.deployment, "instructions")
    one = Calls(monkeypatch, console.engine.releases, "get")
    rows = batches.batches.rowCount()
    change(console, settle, lambda e: e.releases.update_note(2, "DCC-RN-2026-202"))
    assert listed.reads() == [] and instructions.reads() == []
    assert one.reads() == [(2,)]
    assert batches.batches.rowCount() == rows and batches.release_id == 1


def test_a_new_batch_of_release_1_is_shown(
    batches: BatchControlView, console, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = Calls(monkeypatch, console.engine.deployment, "batches")
    at = localize(datetime(2026, 11, 20, 10, 0))
    made = change(console, settle, lambda e: e.deployment.create_batch(
        1, at, rule=BatchRule(regions=("Central",), size=5), name="Central test wave"))
    assert listed.reads() == [()]
    assert batches.batches.row_of(made.id) >= 0
