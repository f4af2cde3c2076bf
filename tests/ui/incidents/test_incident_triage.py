"""Triage with its preview, the Panel's confirmation (the Panel secretary's), and resume (a
second DCC user's): each refusal said in words, on a disabled button or from the engine."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtWidgets import QDialog
from ui_helpers import Answers, Settle, change

from chconsole.core.vocabulary.london import show
from chconsole.ui.common.dialogs import ConfirmDialog
from chconsole.ui.common.time_edit import london_edit
from chconsole.ui.incidents.dialogs import ConfirmDecisionDialog
from chconsole.ui.incidents.triage import TriageDialog
from chconsole.ui.incidents.view import IncidentsView
from chconsole.ui.main_window import MainWindow


def _incidents(window: MainWindow, settle: Settle) -> IncidentsView:
    window.demo_clock.set_speed(0)
    settle()
    window.show_view(window.views.index(window.incidents))
    settle(lambda: window.incidents.selected() is not None)
    return window.incidents


@pytest.fixture
def stopped(console, settle: Settle) -> int:
    """Release 1 stopped by demo, with BGAS's incident asking for it; returns the incident."""
    incident = console.engine.incidents.raise_incident(1, "BGAS", "Gas meters drop off the HAN.", None, True)
    console.engine.incidents.stop(1)
    return incident.value.incident.id


def test_the_triage_dialog_shows_the_consequences_before_the_outcome_is_recorded(
    window: MainWindow, console, qtbot, answers: Answers, settle: Settle, stopped: int
) -> None:
    view = _incidents(window, settle)
    release = console.engine.releases.get(1)
    assert release.deployment_date is not None
    later = release.deployment_date + timedelta(days=91)

    def triage(dialog: QDialog) -> bool:
        assert isinstance(dialog, TriageDialog)
        assert not dialog.record_button.isEnabled()  # nothing chosen, nothing previewed
        dialog.choices["delay"].setChecked(True)
        qtbot.waitUntil(lambda: dialog.found is not None)
        found = dialog.found
        assert found is not None and found.hubs > 0
        summary = dialog.preview.summary.text()
        assert f"{found.hubs:,} hubs" in summary and f"{len(found.suppliers)} suppliers" in summary
        assert "BGAS" in summary
        dates = dialog.preview.dates.text()
        assert (f"<b>DCC deployment date</b> moves from {show(release.deployment_date)} to <b>{show(later)}</b>"
                in dates)
        assert "<b>Cut-off for instructions</b> moves from" in dates
        assert dialog.record_button.isEnabled()
        dialog.choices["pause"].setChecked(True)  # another choice: its own preview first
        assert not dialog.record_button.isEnabled()
        qtbot.waitUntil(lambda: dialog.found is not None and dialog.found.outcome == "pause")
        dialog.choices["delay"].setChecked(True)
        qtbot.waitUntil(lambda: dialog.found is not None and dialog.found.outcome == "delay")
        dialog.note.setPlainText("Eight weeks for a fixed image.")
        dialog.record()
        return False

    answers.reply = triage
    view.triage_button.click()
    settle(lambda: console.engine.incidents.incident(stopped).state == "TRIAGED")
    decided = console.engine.incidents.incident(stopped)
    assert (decided.outcome, decided.new_date, decided.triaged_by) == ("delay", later, "demo")
    settle(lambda: view.selected() is not None and view.selected().state == "TRIAGED")
    assert view.details.facts["Outcome"].text() == f"Delay the end date to {show(later)}"
    assert view.confirm_button.isEnabled()


def test_a_refused_outcome_is_said_in_the_preview(
    window: MainWindow, console, qtbot, answers: Answers, settle: Settle, stopped: int
) -> None:
    view = _incidents(window, settle)
    release = console.engine.releases.get(1)
    assert release.deployment_date is not None

    def triage(dialog: QDialog) -> bool:
        assert isinstance(dialog, TriageDialog)
        dialog.choices["delay"].setChecked(True)
        qtbot.waitUntil(lambda: dialog.found is not None)
        dialog.new_date.setDateTime(london_edit(release.deployment_date - timedelta(days=1)).dateTime())
        qtbot.waitUntil(lambda: "must be later than the DCC deployment date" in dialog.preview.summary.text())
        assert not dialog.record_button.isEnabled()
        return False

    answers.reply = triage
    view.triage_button.click()
    assert len(answers.seen) == 1


def test_only_the_panel_secretary_records_the_confirmation(
    window: MainWindow, make_console: Callable[..., object], console, qtbot, answers: Answers, settle: Settle,
    stopped: int
) -> None:
    console.engine.incidents.triage(stopped, "proceed", note="A bad batch of meters, not the firmware.")
    console.engine.admin.add_user("rita", ["release-manager"])
    rita = make_console("rita")
    theirs = MainWindow(rita)  # type: ignore[arg-type]
    qtbot.addWidget(theirs)
    theirs.show()
    theirs.start()
    qtbot.waitUntil(lambda: not rita.runner.busy and rita.roles is not None)  # type: ignore[attr-defined]
    theirs.demo_clock.set_speed(0)
    theirs.show_view(theirs.views.index(theirs.incidents))
    qtbot.waitUntil(lambda: theirs.incidents.selected() is not None)
    assert not theirs.incidents.confirm_button.isEnabled()
    assert theirs.incidents.confirm_button.toolTip() == ("Recording the Panel's confirmation needs the Panel "
                                                         "secretary role; rita does not have it.")
    theirs.close()

    view = _incidents(window, settle)  # demo holds every role, the Panel secretary's too

    def confirm(dialog: QDialog) -> bool:
        assert isinstance(dialog, ConfirmDecisionDialog)
        assert not dialog.confirm_button.isEnabled()  # who confirmed it, first
        dialog.by.setText("Alex Chair")
        dialog.sub_committee.setChecked(True)
        return True

    answers.reply = confirm
    view.confirm_button.click()
    settle(lambda: console.engine.incidents.incident(stopped).state == "CONFIRMED")
    decided = console.engine.incidents.incident(stopped)
    assert (decided.confirmed_by, decided.confirm_body) == ("Alex Chair", "sub-committee")
    settle(lambda: view.details.notices.table.rowCount() > 0)
    assert "Alex Chair for the Panel's Sub-Committee" in view.details.facts["Panel confirmation"].text()
    told = {view.details.notices.table.item(r, 1).text() for r in range(view.details.notices.table.rowCount())}
    assert any(t.startswith("BGAS") for t in told)


def test_resume_is_refused_to_the_user_who_stopped_and_done_by_a_second(
    window: MainWindow, make_console: Callable[..., object], console, qtbot, answers: Answers, settle: Settle,
    stopped: int
) -> None:
    console.engine.incidents.triage(stopped, "proceed")
    console.engine.incidents.confirm_decision(stopped, "Alex Chair", "panel")
    view = _incidents(window, settle)
    assert not view.resume_button.isEnabled()
    assert view.resume_button.toolTip() == ("You (demo) halted release 1: a second DCC user must resume it "
                                            "(four eyes).")
    answers.reply = lambda _d: True
    view.operations.resume(console.engine.releases.get(1), console.engine.incidents.incident(stopped))
    settle()
    said = console.messages.last  # the engine's own refusal, if the button is got round
    assert said is not None and said[1] == "demo halted release 1; a second DCC user must resume it (four eyes)."

    console.engine.admin.add_user("olive", ["operator"])
    olive = make_console("olive")
    theirs = MainWindow(olive)  # type: ignore[arg-type]
    qtbot.addWidget(theirs)
    theirs.show()
    theirs.start()
    qtbot.waitUntil(lambda: not olive.runner.busy and olive.roles is not None)  # type: ignore[attr-defined]
    theirs.demo_clock.set_speed(0)
    theirs.show_view(theirs.views.index(theirs.incidents))
    qtbot.waitUntil(lambda: theirs.incidents.selected() is not None)
    assert theirs.incidents.resume_button.isEnabled()
    answers.seen.clear()
    theirs.incidents.resume_button.click()
    assert isinstance(answers.seen[0], ConfirmDialog)
    qtbot.waitUntil(lambda: console.engine.releases.get(1).state == "PILOT_RUNNING")
    qtbot.waitUntil(lambda: not olive.runner.busy and not theirs.halt_banner.isVisible())  # type: ignore[attr-defined]
    theirs.close()


def test_a_comment_and_closing(window: MainWindow, console, answers: Answers, settle: Settle) -> None:
    change(console, settle, lambda e: e.incidents.raise_incident(1, "OCTO", "Displays flicker now and then."))
    view = _incidents(window, settle)

    def comment(dialog: QDialog) -> bool:
        dialog.words.setPlainText("OCTO traced it to one batch of displays.")  # type: ignore[attr-defined]
        return True

    answers.reply = comment
    view.comment_button.click()
    settle(lambda: view.details.history.table.rowCount() == 2)
    assert view.details.history.table.item(0, 2).text() == "OCTO traced it to one batch of displays."
    answers.reply = lambda _d: True
    view.close_button.click()
    settle(lambda: view.count_label.text() == "No open incidents.")
    view.show_closed.setChecked(True)
    settle(lambda: view.table.rowCount() == 1)
    assert view.table.item(0, 3).text() == "Closed" and not view.comment_button.isEnabled()
