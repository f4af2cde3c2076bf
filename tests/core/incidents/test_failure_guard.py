"""The failure guard (R6 automatic pause): failures above a share of at least a minimum of
finished hubs, in any batch, region or supplier, pause the release and raise an incident;
failures counted before a resume do not trip it again."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from chconsole.core.bootstrap import open_engine
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.errors import BadInput
from sim import rollout


@pytest.fixture
def running(tmp_path: Path) -> Engine:
    """A pilot of 30 hubs under way (its counts are then set by each test)."""
    engine = rollout.build(f"sqlite:///{tmp_path / 'g.db'}", 30, start=False)
    engine.admin.configure_network({"distribution_failure": "0", "activation_failure": "0", "no_response": "0"})
    engine.pilots.start(1)
    return engine


def _finished(engine: Engine, scope: str, failed: int, activated: int) -> None:
    """Say that SCOPE (e.g. "region|North") has FAILED and ACTIVATED hubs (maintained counts)."""
    dimension = {"region": "region_state", "supplier": "supplier_state", "batch": "batch_state"}[scope.split("|")[0]]
    key = scope.split("|", 1)[1]
    with engine.db.writing() as s:
        for state, n in (("FAILED", failed), ("ACTIVATED", activated)):
            s.execute(text("DELETE FROM release_tally WHERE release_id = 1 AND dimension = :d AND key = :k"),
                      {"d": dimension, "k": f"{key}|{state}"})
            s.execute(text("INSERT INTO release_tally (release_id, dimension, key, hubs) VALUES (1, :d, :k, :n)"),
                      {"d": dimension, "k": f"{key}|{state}", "n": n})


@pytest.mark.parametrize(("scope", "failed", "activated", "paused"), [
    ("region|North", 4, 196, False),   # 2.0% of 200: at the threshold, not above it
    ("region|North", 5, 195, True),    # 2.5% of 200
    ("region|North", 5, 194, False),   # 199 finished: below the minimum sample
    ("supplier|OCTO", 50, 150, True),  # a supplier's hubs
    ("batch|7", 10, 190, True),        # a batch
])
def test_the_guard_trips_above_its_share_of_at_least_its_minimum(running: Engine, scope: str, failed: int,
                                                                  activated: int, paused: bool) -> None:
    _finished(running, scope, failed, activated)
    running.time.tick()
    release = running.releases.get(1)
    assert (release.state == "PAUSED") is paused
    incidents = running.incidents.incidents(open_only=True)
    assert bool(incidents) is paused
    if paused:
        (x,) = incidents
        assert x.automatic and x.reported_by == "DCC" and release.halted_by == "system"
        assert f"{failed:,} of {failed + activated:,} finished hubs failed" in (x.scope or "")


def test_a_guard_set_for_the_release_is_the_one_used(running: Engine) -> None:
    with pytest.raises(BadInput, match="above 0 and at most 100"):
        running.incidents.set_guard(1, max_failure_pct=0)
    set_ = running.incidents.set_guard(1, max_failure_pct=10, min_finished=50).value
    assert (set_.max_failure_pct, set_.min_finished) == (10, 50)
    _finished(running, "region|South", 5, 45)  # 10% of 50: not above
    running.time.tick()
    assert running.releases.get(1).state == "PILOT_RUNNING"
    assert running.incidents.guard(1).worst_scope == "CSP region South"


def test_failures_before_a_resume_do_not_trip_it_again(running: Engine) -> None:
    running.admin.add_user("pat", ["panel-secretary"])
    _finished(running, "region|North", 10, 190)
    running.time.tick()
    (x,) = running.incidents.incidents(open_only=True)
    running.incidents.triage(x.id, "proceed")
    open_engine(running.db.url, "pat").incidents.confirm_decision(x.id, "Ann Chair", "panel")
    running.incidents.resume(1)  # the system paused it, so any DCC user may resume
    running.time.tick(running.now() + timedelta(hours=1))
    assert running.releases.get(1).state == "PILOT_RUNNING"
    _finished(running, "region|North", 20, 390)  # 10 more failures of 200 more finished: 5%
    running.time.tick(running.now() + timedelta(hours=1))
    assert running.releases.get(1).state == "PAUSED"


def test_the_guard_is_on_every_dashboard_card_and_says_when_it_paused_the_release(running: Engine) -> None:
    from chconsole.core.engine.dto import DCC, Viewer

    running.incidents.set_guard(1, max_failure_pct=2.5, min_finished=150)
    (card,) = running.dashboards.build(Viewer(DCC, None)).releases
    assert card.guard == "pauses it above 2.5% failures of at least 150 finished hubs in a batch, region or supplier"
    _finished(running, "region|North", 10, 190)
    running.time.tick()
    (card,) = running.dashboards.build(Viewer(DCC, None)).releases
    assert card.guard.endswith("; it paused it")
