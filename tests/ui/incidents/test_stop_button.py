"""The emergency stop: in the toolbar on every view, one confirmation, and it takes effect even
while a long change holds the single writer (it runs on a lane of its own)."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from ui_helpers import Answers, Settle

from chconsole.ui.common.stop_dialogs import EVERY, StopDialog, StopDoneDialog
from chconsole.ui.main_window import MainWindow
from chconsole.ui.runtime.tasks import WRITE


def _stop(chosen: int | None, reason: str = ""):  # noqa: ANN202 - a dialog reply
    """Answer the stop's confirmation with CHOSEN (None: every live release); close the account."""

    def reply(dialog: QDialog) -> bool:
        if isinstance(dialog, StopDialog):
            dialog.release.setCurrentIndex(dialog.release.findData(EVERY if chosen is None else chosen))
            return True
        assert isinstance(dialog, StopDoneDialog)
        dialog.reason.setPlainText(reason)
        return bool(reason)

    return reply


def test_the_stop_is_red_in_the_toolbar_with_a_shortcut_and_says_what_it_does(window: MainWindow) -> None:
    action = window.emergency_stop.action
    assert window.toolbar.actions()[0] is action  # first: a narrow window hides a toolbar's last items
    assert window.stop_button.objectName() == "emergencyStop" and window.stop_button.isVisible()
    assert action.shortcut().toString() == "Ctrl+Shift+E"
    assert "suspend a release at once" in action.toolTip() and "Ctrl+Shift+E" in action.toolTip()


def test_the_stop_takes_effect_while_a_long_write_holds_the_writer(
    window: MainWindow, console, qtbot, answers: Answers, settle: Settle
) -> None:
    window.demo_clock.set_speed(0)
    settle()
    gate, started = threading.Event(), threading.Event()

    def long_write(_ctx: object) -> None:
        started.set()
        gate.wait(60)

    console.runner.submit(long_write, label="writing a big report")
    qtbot.waitUntil(started.is_set)
    answers.reply = _stop(1)
    try:
        qtbot.mouseClick(window.stop_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: console.engine.releases.get(1).state == "SUSPENDED", timeout=20_000)
        assert not gate.is_set() and console.runner.pending(WRITE) == 1  # the long write still holds the writer
        qtbot.waitUntil(lambda: any(isinstance(d, StopDoneDialog) for d in answers.seen))
    finally:
        gate.set()
    settle()
    said = console.messages.last
    assert said is not None and "Emergency stop 1: release 1 suspended" in said[1] and "hubs held" in said[1]
    assert window.halt_banner.isVisible()


def test_the_confirmation_defaults_to_the_release_shown_and_offers_every_release(
    window: MainWindow, console, qtbot, answers: Answers, settle: Settle
) -> None:
    console.engine.releases.notify(2)
    window.demo_clock.set_speed(0)
    window.halts.refresh()
    window.show_view(window.views.index(window.releases))
    settle(lambda: len(window.releases.releases) == 2)
    window.releases.select_release(2)
    answers.reply = lambda _d: False  # cancelled: nothing is stopped
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    (dialog,) = answers.seen
    assert isinstance(dialog, StopDialog)
    items = [dialog.release.itemData(i) for i in range(dialog.release.count())]
    assert items == [1, 2, EVERY] and dialog.chosen() == 2
    assert dialog.release.itemText(2) == "Every live release (2)"
    assert dialog.stop_button.isDefault()  # Enter confirms
    settle()
    assert {console.engine.releases.get(i).state for i in (1, 2)} == {"PILOT_RUNNING", "NOTIFIED"}

    answers.reply = _stop(None)
    window.stop_button.click()
    settle(lambda: console.engine.releases.get(2).state == "SUSPENDED")
    assert console.engine.releases.get(1).state == "SUSPENDED"
    said = console.messages.last
    assert said is not None and "releases 1, 2 suspended" in said[1]


def test_with_nothing_live_the_stop_says_so(window: MainWindow, console, answers: Answers, settle: Settle) -> None:
    console.engine.releases.revoke(1, "Withdrawn for the test.")
    window.demo_clock.set_speed(0)
    window.halts.refresh()
    settle()
    answers.reply = lambda _d: False
    window.stop_button.click()
    (dialog,) = answers.seen
    assert isinstance(dialog, StopDialog) and not dialog.stop_button.isEnabled()


def test_the_reason_comes_after_on_the_releases_incident(
    window: MainWindow, console, answers: Answers, settle: Settle
) -> None:
    window.demo_clock.set_speed(0)
    settle()
    answers.reply = _stop(1, "Suppliers report in-home displays going blank.")
    window.stop_button.click()
    settle(lambda: bool(console.engine.incidents.incidents()))
    (raised,) = console.engine.incidents.incidents()  # none was open: one is raised for DCC
    assert (raised.reported_by, raised.priority, raised.stop_id) == ("DCC", "P1", 1)
    assert raised.description == "Emergency stop 1: Suppliers report in-home displays going blank."


def test_the_reason_is_a_comment_on_an_incident_already_open(
    window: MainWindow, console, answers: Answers, settle: Settle
) -> None:
    reported = console.engine.incidents.raise_incident(1, "OCTO", "Displays lose the meters.").value.incident
    window.demo_clock.set_speed(0)
    window.halts.refresh()
    settle()
    answers.reply = _stop(1, "OCTO's report, confirmed by two more suppliers.")
    window.stop_button.click()
    settle(lambda: len(console.engine.incidents.incident(reported.id).history) == 3)
    history = console.engine.incidents.incident(reported.id).history
    assert [h.kind for h in history] == ["raised", "stop", "comment"]
    assert history[-1].text == "Why emergency stop 1: OCTO's report, confirmed by two more suppliers."
    assert len(console.engine.incidents.incidents()) == 1
