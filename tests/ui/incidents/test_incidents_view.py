"""The Incidents view: open incidents by priority and age with the time since the stop, the
stop's per-hub counts as the network answers, and the incident form's refusals in words."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import text
from ui_helpers import Answers, Calls, Settle, change

from chconsole.core.engine.changes import EVERYTHING
from chconsole.core.vocabulary.london import parse_time
from chconsole.ui.incidents.dialogs import RaiseIncidentDialog
from chconsole.ui.incidents.view import IncidentsView
from chconsole.ui.main_window import MainWindow

ACTIVATIONS_AT_THE_NETWORK = "2026-11-07T10:30"  # the demo's pilot hubs wait for their activation's answer


@pytest.fixture
def view(window: MainWindow, settle: Settle) -> IncidentsView:
    window.demo_clock.set_speed(0)  # no clock beats: each change below is the only one
    settle()
    window.show_view(window.views.index(window.incidents))
    settle(lambda: window.incidents.page is not None)
    return window.incidents


def _cells(view: IncidentsView, column: int) -> list[str]:
    return [view.table.item(r, column).text() for r in range(view.table.rowCount())]


def test_the_list_is_by_priority_then_age_with_the_time_since_the_stop(
    view: IncidentsView, console, settle: Settle
) -> None:
    assert view.count_label.text() == "No open incidents."
    assert "No open incident" in view.details.heading.text()
    change(console, settle, lambda e: e.incidents.raise_incident(1, "OCTO", "Some displays flicker."))
    console.engine.time.tick(parse_time("2026-11-06T11:00"))
    change(console, settle, lambda e: e.incidents.raise_incident(1, "BGAS", "Gas meters drop off the HAN.",
                                                                 emergency_stop=True))
    console.announce(EVERYTHING)
    settle(lambda: view.table.rowCount() == 2)
    assert _cells(view, 0) == ["P1 \u00b7 2", "P2 \u00b7 1"]  # priority first
    console.engine.time.tick(parse_time("2026-11-06T11:25"))
    change(console, settle, lambda e: e.incidents.stop(1))
    console.engine.time.tick(parse_time("2026-11-06T12:10"))
    console.announce(EVERYTHING)
    settle(lambda: "45 min" in view.table.item(0, 5).text())
    assert _cells(view, 0) == ["P1 \u00b7 1", "P1 \u00b7 2"]  # the stop made OCTO's P1 too: then oldest first
    assert _cells(view, 2) == ["OCTO", "BGAS"]
    assert _cells(view, 1) == ["1 \u00b7 Suspended"] * 2
    assert _cells(view, 4) == ["2 h 40 min ago", "1 h 10 min ago"]
    assert _cells(view, 5) == ["Pressed 45 min ago"] * 2
    assert view.count_label.text() == "2 open incidents, 2 P1"


def test_the_stops_counts_move_as_the_network_answers(
    view: IncidentsView, console, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    console.engine.time.tick(parse_time("2026-11-07T09:30"))  # the images land
    console.engine.time.tick(parse_time(ACTIVATIONS_AT_THE_NETWORK))
    incident = change(console, settle, lambda e: e.incidents.raise_incident(1, "BGAS", "Gas meters drop off.",
                                                                            emergency_stop=True)).incident
    stop = change(console, settle, lambda e: e.incidents.stop(1))
    assert stop.calls > 0 and stop.no_answer == stop.calls  # the call-backs have gone; no answer yet
    view.show_incident(incident.id)
    settle(lambda: view.details.stop.isVisible() and view.details.stop.tiles["no_answer"].value.text() != "\u2013")
    tiles = view.details.stop.tiles
    assert tiles["no_answer"].value.text() == f"{stop.no_answer:,}"
    assert tiles["called_back"].value.text() == "0" and tiles["held"].value.text() == f"{stop.held:,}"
    assert f"{stop.calls:,} call-backs went to the network" in view.details.stop.summary.text()

    read = Calls(monkeypatch, console.engine.incidents, "stop_info")
    change(console, settle, lambda e: e.time.tick(parse_time("2026-11-07T12:30")))  # the hubs answer
    answered = console.engine.incidents.stop_info(stop.id)
    assert answered.no_answer < stop.no_answer and answered.called_back + answered.too_late > 0
    settle(lambda: tiles["no_answer"].value.text() == f"{answered.no_answer:,}")
    assert read.reads() == [(stop.id,)]  # re-read after the pass, and only it
    assert tiles["called_back"].value.text() == f"{answered.called_back:,}"
    assert tiles["too_late"].value.text() == f"{answered.too_late:,}"


def test_a_button_that_cannot_be_used_says_why(view: IncidentsView, console, settle: Settle) -> None:
    assert not view.triage_button.isEnabled() and view.triage_button.toolTip() == "Select an incident first."
    change(console, settle, lambda e: e.incidents.raise_incident(1, "OCTO", "Displays flicker."))
    settle(lambda: view.selected() is not None)
    assert view.triage_button.isEnabled() and view.comment_button.isEnabled()
    assert not view.confirm_button.isEnabled()
    assert view.confirm_button.toolTip() == "Only a triaged outcome awaits the Panel's confirmation."
    assert view.resume_button.toolTip() == "Release 1 is not suspended or paused: there is nothing to resume."
    assert view.close_button.isEnabled()  # nothing halts the release: it needed no decision


def test_the_incident_form_names_the_refused_guids_in_words(
    view: IncidentsView, console, answers: Answers, settle: Settle, tmp_path: Path
) -> None:
    release = console.engine.releases.get(1)
    with console.engine.db.reading() as s:
        guid = s.execute(text("SELECT h.guid FROM release_hub rh JOIN hub h ON h.id = rh.hub_id "
                              "WHERE rh.release_id = 1 LIMIT 1")).scalar_one()
    path = tmp_path / "affected.csv"
    path.write_text(f"guid\n{guid}\nnot-a-guid\n{guid}\n", encoding="utf-8")

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, RaiseIncidentDialog)
        assert dialog.release.currentData() == release.id and not dialog.raise_button.isEnabled()
        dialog.supplier.setCurrentIndex(dialog.supplier.findData("OVOE"))
        dialog.description.setPlainText("In-home displays show no gas readings since the update.")
        dialog.path.setText(str(path))
        dialog.emergency.setChecked(True)
        assert dialog.priority.text().startswith("Priority P1")
        dialog.send()
        return False

    answers.reply = fill
    view.raise_button.click()
    (dialog,) = answers.seen
    settle(lambda: not dialog.receipt.isHidden())
    assert "Incident 1 raised (P1)" in dialog.receipt.text() and "1 hubs named" in dialog.receipt.text()
    why = [dialog.refusals.item(r, 2).text() for r in range(dialog.refusals.rowCount())]
    assert len(why) == 2 and all(w and w[0].isupper() and "_" not in w for w in why)  # words, not codes
    settle(lambda: view.selected() is not None and view.selected().id == 1)
    assert view.details.description.text() == "In-home displays show no gas readings since the update."


def test_a_refusal_is_said_in_the_form(view: IncidentsView, console, answers: Answers, settle: Settle) -> None:
    console.engine.releases.revoke(1, "Withdrawn for the test.")  # no rollout left to report on
    console.announce(EVERYTHING)
    settle()

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, RaiseIncidentDialog)
        assert dialog.release.currentData() == 2  # a draft: the engine refuses it with one sentence
        dialog.description.setPlainText("Something.")
        dialog.send()
        return False

    assert not view.raise_button.isEnabled() and "No release is notified" in view.raise_button.toolTip()
    answers.reply = fill
    view.operations.raise_incident([console.engine.releases.get(2)], {"OCTO": "Octave"}, None)
    (dialog,) = answers.seen
    settle(lambda: not dialog.error.isHidden())
    assert dialog.error.text() == "Release 2 has not been notified, so no rollout can cause an incident yet."
