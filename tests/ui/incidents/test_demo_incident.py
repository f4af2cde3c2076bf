"""The living demo plays an incident: HAN trouble on the demo's release, reported by a supplier."""

from __future__ import annotations

from types import SimpleNamespace

from ui_helpers import Answers, Settle

from chconsole.ui.common.dialogs import ConfirmDialog
from chconsole.ui.incidents.demo_scene import available
from chconsole.ui.main_window import MainWindow


def test_the_demo_action_raises_a_suppliers_incident_and_shows_it(
    window: MainWindow, console, answers: Answers, settle: Settle
) -> None:
    window.demo_clock.set_speed(0)
    settle()
    action = window.incident_scene.action
    assert action.isVisible() and action in window.toolbar.actions()
    before = console.engine.now()
    window.incident_scene.action.trigger()
    settle(lambda: bool(answers.seen) and bool(console.engine.incidents.incidents()))
    assert isinstance(answers.seen[0], ConfirmDialog)
    (raised,) = console.engine.incidents.incidents()
    assert raised.release_id == 1 and raised.reported_by != "DCC"
    assert raised.emergency_stop and raised.priority == "P1" and raised.hubs > 0
    assert "home area network" in raised.description
    figures = {a.name: a.value for a in console.engine.admin.network_assumptions()}
    assert figures["Faulty firmware rate (HAN trouble after success)"] == "20.0%"
    assert console.engine.now() > before  # the clock moved on until the hubs reported it
    settle(lambda: window.incidents.selected() is not None)
    assert window.current_view() is window.incidents and window.incidents.selected().id == raised.id  # type: ignore[union-attr]
    said = console.messages.last
    assert said is not None and f"reported incident {raised.id} (P1) on release 1" in said[1]


def test_the_demo_action_is_offered_on_a_simulated_clock_only(window: MainWindow) -> None:
    real = SimpleNamespace(engine=SimpleNamespace(clock=SimpleNamespace(is_simulated=False)))
    assert available(window.console) and not available(real)  # type: ignore[arg-type]
