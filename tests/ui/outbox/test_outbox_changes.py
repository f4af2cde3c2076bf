"""The outbox re-reads when a change wrote notices, and keeps the notice being read."""

from __future__ import annotations

import pytest
from ui_helpers import Calls, Settle, change

from chconsole.ui.main_window import MainWindow
from chconsole.ui.outbox.view import OutboxView


@pytest.fixture
def outbox(window: MainWindow, settle: Settle) -> OutboxView:
    window.demo_clock.set_speed(0)  # no clock beats: each change below is the only one
    settle()
    window.show_view(window.views.index(window.outbox))
    settle(lambda: window.outbox.model.rowCount() > 0)
    return window.outbox


def test_notices_written_refresh_the_outbox(
    outbox: OutboxView, console, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = Calls(monkeypatch, console.engine.queries, "notices")
    reading = outbox.model.notices[3]
    outbox.table.selectRow(3)
    before = outbox.model.rowCount()
    notified = change(console, settle, lambda e: e.releases.notify(2))
    assert len(listed.reads()) == 1
    added = outbox.model.rowCount() - before
    assert added == len(notified.suppliers) + 1  # every supplier, and the one CSP
    assert outbox.model.notices[0].release == 2
    assert outbox.selected() == reading  # the notice being read stays selected


def test_a_change_without_notices_reads_nothing(
    outbox: OutboxView, console, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = Calls(monkeypatch, console.engine.queries, "notices")
    change(console, settle, lambda e: e.releases.update_note(2, "DCC-RN-2026-204"))  # a draft: nobody told
    assert listed.reads() == []
