"""The living demo's "Play an incident": HAN trouble on the demo's release, reported by a supplier.

Shown beside the demo clock on a simulated-clock database only. It says what it is about
to do, then plays sim.incident_scene on the single writer (it moves the simulated clock,
like a beat of the demo clock) and opens the Incidents view on the incident raised, so a
newcomer can follow the flow from there: the stop, triage, the Panel, resume.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from chconsole.core.engine.changes import Done
from chconsole.core.engine.facade import Engine
from chconsole.ui.common import dialogs
from chconsole.ui.common.dialogs import ConfirmDialog
from chconsole.ui.common.words import ago
from chconsole.ui.runtime.context import Console

LABEL = "playing HAN trouble on the demo's release"


def available(console: Console) -> bool:
    """On a simulated clock, with the simulator at hand (a source checkout, not a bare install)."""
    return bool(console.engine.clock.is_simulated) and importlib.util.find_spec("sim") is not None


class IncidentScene:
    """The toolbar's "Play an incident" action; CHOSEN gets the incident raised."""

    def __init__(self, console: Console, parent: QWidget, chosen: Callable[[int], None]) -> None:
        self.console = console
        self.parent = parent
        self.chosen = chosen
        self.action = QAction("Play an incident\u2026", parent)
        self.action.setObjectName("playIncidentAction")
        self.action.setToolTip("Demo: the simulated network gives some activations home-area-network trouble, and "
                               "a supplier reports it as an incident asking for an emergency stop")
        self.action.triggered.connect(self.play)
        self.action.setVisible(available(console))

    def play(self) -> None:
        """Say what the scene will do, then play it."""

        def where(e: Engine) -> tuple[str | None, int | None]:
            from sim import incident_scene

            return incident_scene.why_not(e), incident_scene.scene_release(e)

        self.console.read(where, lambda answer: self._ask(*answer), label="looking for the demo's release")

    def _ask(self, problem: str | None, release_id: int | None) -> None:
        if problem is not None or release_id is None:
            self.console.messages.warning(problem or "No release is rolling out.")
            return
        dialog = ConfirmDialog(
            "Play an incident", f"Play home-area-network trouble on release {release_id}?",
            "<p>A demo scene, on this simulated database only:</p><ul>"
            "<li>the simulated CSP network gives 20% of successful activations home-area-network trouble "
            "(an assumption, like every simulated rate);</li>"
            "<li>the simulated clock moves on until hubs of the release report it (up to two weeks);</li>"
            "<li>the supplier with most troubled homes reports an incident through the service desk, naming "
            "those hubs and asking for an emergency stop.</li></ul>"
            "<p>Then it is your turn: press the emergency stop, triage the incident, record the Panel's "
            "confirmation and resume (as a second user).</p>",
            "Play the scene", parent=self.parent)
        if not dialogs.run_dialog(dialog):
            return
        self.console.write(self._scene, self._played, label=LABEL)

    @staticmethod
    def _scene(e: Engine) -> Done[object]:
        from sim import incident_scene

        return incident_scene.play(e)  # type: ignore[return-value]

    def _played(self, result: object) -> None:
        from sim.incident_scene import SceneResult

        assert isinstance(result, SceneResult)
        i = result.raised.incident
        moved = (f" The simulated clock moved on {ago(result.started_at, result.now)} to the first reports."
                 if result.now > result.started_at else "")
        self.chosen(i.id)
        self.console.messages.info(
            f"{i.reported_by} reported incident {i.id} ({i.priority}) on release {result.release_id}: "
            f"{result.troubled:,} hubs report home-area-network trouble.{moved} It asks for an emergency stop.")
