"""The demo's incident scene: HAN trouble after activation, reported by the supplier with most of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from chconsole.core.vocabulary.errors import BadInput
from sim.demo import build
from sim.incident_scene import play, scene_release, why_not


def test_the_scene_reports_han_trouble_as_a_suppliers_incident(tmp_path: Path) -> None:
    engine = build(f"sqlite:///{tmp_path / 'demo.db'}", hubs=3000)
    try:
        assert why_not(engine) is None and scene_release(engine) == 1
        started = engine.now()
        done = play(engine)
        result, raised = done.value, done.value.raised.incident
        assert done.changes.everything and result.release_id == 1 and result.troubled > 0
        assert result.now > started == result.started_at  # the clock moved on to the first reports
        assert raised.emergency_stop and raised.priority == "P1" and raised.reported_by != "DCC"
        assert 0 < raised.hubs <= result.troubled and not done.value.raised.refused
        engine.incidents.stop(1)
        assert "No release is rolling out" in (why_not(engine) or "")
        with pytest.raises(BadInput, match="No release is rolling out"):
            play(engine)
    finally:
        engine.close()
