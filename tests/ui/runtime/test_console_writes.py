"""Console.write: what a change changed is announced once, on the GUI thread, before its
value is handed on; a change whose notices could not be written yet is still done, and the
person is warned in the engine's own sentence."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThread
from ui_helpers import Answers, Settle, change

from chconsole.core.engine.changes import Changes, Done
from chconsole.ui.common.dialogs import ConfirmDialog
from chconsole.ui.main_window import MainWindow
from chconsole.ui.runtime.context import Console

WAITING = "The change was made, but its notices could not be written to /nowhere; they will be written later."


def test_the_change_is_announced_on_the_gui_thread_before_its_value(console: Console, settle: Settle) -> None:
    gui = QThread.currentThread()
    events: list[tuple[str, object, bool]] = []
    console.events.changed.connect(lambda c: events.append(("changed", c, QThread.currentThread() is gui)))
    value = change(console, settle, lambda e: Done(7, Changes(releases=frozenset({2}))))
    assert value == 7
    assert events == [("changed", Changes(releases=frozenset({2})), True)]


def test_a_waiting_notice_is_said_as_a_warning(console: Console, settle: Settle) -> None:
    said: list[str] = []
    value = change(console, settle, lambda e: (said.append("done"), Done(3, Changes(notices_waiting=WAITING)))[1])
    assert value == 3 and said == ["done"]
    assert console.messages.last == ("warning", WAITING)


def test_a_write_must_return_done(console: Console, settle: Settle) -> None:
    got: list[object] = []
    console.write(lambda e: 3, got.append, label="doing it wrong")  # type: ignore[arg-type, return-value]
    settle(lambda: console.messages.last is not None)
    assert got == []
    assert console.messages.last[0] == "error" and "must return the engine's Done" in console.messages.last[1]


def test_notifying_when_the_outbox_cannot_be_written_warns_but_notifies(
    window: MainWindow, console: Console, answers: Answers, settle: Settle, tmp_path: Path
) -> None:
    window.demo_clock.set_speed(0)
    settle()
    blocked = tmp_path / "outbox-is-a-file"
    blocked.write_text("not a folder")
    console.engine.ctx.outbox_dir = blocked  # every notice file fails to be written
    releases = window.releases
    window.show_view(window.views.index(releases))
    settle(lambda: bool(releases.releases))
    releases.select_release(2)
    answers.reply = lambda d: isinstance(d, ConfirmDialog)  # "Notify release 2?" Yes.
    releases.notify_button.click()
    settle(lambda: console.messages.last is not None and console.messages.last[0] == "warning")
    level, text = console.messages.last
    assert text.startswith("The change was made, but its notices could not be written to")
    assert str(blocked) in text and text.endswith("they will be written on the next pass.")
    assert window.banner.property("level") == "warning" and window.banner.label.text() == text
    assert console.engine.releases.get(2).state == "NOTIFIED"  # the change itself succeeded
    assert next(v for v in releases.releases if v.id == 2).state == "NOTIFIED"
