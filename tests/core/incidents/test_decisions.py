"""Triage, the Panel's confirmation and resume (R6), through the facade."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from chconsole.core.bootstrap import open_engine
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.errors import BadInput, IllegalTransition, NotAllowed
from chconsole.core.vocabulary.london import show
from sim import rollout
from sim.parties import SUPPLIERS


def _counts(engine: Engine) -> dict[str, int]:
    return {k: n for k, n in engine.releases.get(1).counts.items() if n}


@pytest.fixture
def stopped(tmp_path: Path) -> Engine:
    """300 pilot hubs with their activations at the network, then alice pressed the stop and
    an incident was raised; bob (release manager) and pat (Panel secretary) work here too."""
    engine = rollout.build(f"sqlite:///{tmp_path / 'd.db'}", 300, start=False)
    engine.admin.configure_network({"distribution_failure": "0", "activation_failure": "0", "no_response": "0",
                                    "distribution_days": "1"})
    engine.admin.add_user("bob", ["release-manager"])
    engine.admin.add_user("pat", ["panel-secretary"])
    engine.pilots.start(1, activate_at=engine.now() + timedelta(days=2))
    engine.time.tick(engine.now() + timedelta(days=1, hours=2))
    engine.incidents.stop(1, reason="displays blank")
    engine.incidents.raise_incident(1, SUPPLIERS[0].party_id, "In-home displays go blank", emergency_stop=True)
    engine.time.tick(engine.now() + timedelta(hours=1))  # the call-backs are answered
    assert _counts(engine) == {"HELD": 300}
    return engine


def as_user(engine: Engine, name: str) -> Engine:
    return open_engine(engine.db.url, name)


def test_proceed_confirmed_then_a_second_user_resumes_and_the_hubs_are_activated_again(stopped: Engine) -> None:
    alice, bob, pat = stopped, as_user(stopped, "bob"), as_user(stopped, "pat")
    preview = alice.incidents.preview_triage(1, "proceed")
    assert preview.hubs == 300 and any("resumes it" in line for line in preview.lines)
    alice.incidents.triage(1, "proceed", note="Firmware fine; a display fault")
    with pytest.raises(NotAllowed):
        bob.incidents.confirm_decision(1, "Ann Chair", "panel")  # the Panel secretary records it
    with pytest.raises(IllegalTransition, match="confirmed a decision"):
        bob.incidents.resume(1)  # not confirmed yet
    done = pat.incidents.confirm_decision(1, "Ann Chair", "panel")
    assert done.changes.notices > 0 and alice.incidents.incident(1).state == "CONFIRMED"
    with pytest.raises(NotAllowed, match="second DCC user"):
        alice.incidents.resume(1)  # alice pressed the stop
    resumed = bob.incidents.resume(1).value
    assert resumed.state == "PILOT_RUNNING" and _counts(bob) == {"DISTRIBUTED": 300}
    bob.time.tick(bob.now() + timedelta(days=2))
    assert _counts(bob) == {"ACTIVATED": 300}
    with bob.db.reading() as s:
        attempts = dict(s.execute(text("SELECT attempt, COUNT(*) FROM csp_command WHERE step = 'activate' "
                                       "GROUP BY attempt")).all())
    assert attempts == {1: 300, 2: 300}  # the called-back activations, then the new ones


def test_a_delay_moves_the_dcc_date_and_its_cut_off(stopped: Engine) -> None:
    alice, pat = stopped, as_user(stopped, "pat")
    before = alice.releases.get(1)
    assert before.deployment_date is not None
    new = before.deployment_date + timedelta(days=40)
    with pytest.raises(BadInput, match="must be later"):
        alice.incidents.triage(1, "delay", new_date=before.deployment_date - timedelta(days=1))
    found = alice.incidents.triage(1, "delay", new_date=new).value
    assert ("DCC deployment date", show(before.deployment_date), show(new)) in found.dates
    pat.incidents.confirm_decision(1, "Sub-Committee chair", "sub-committee")
    after = alice.releases.get(1)
    assert after.deployment_date == new and after.cut_off is not None and after.cut_off < new
    assert after.state == "SUSPENDED"  # still halted until a second user resumes it


def test_a_stop_decision_ends_the_release_and_tells_each_supplier_without_naming_another(stopped: Engine) -> None:
    alice, pat = stopped, as_user(stopped, "pat")
    alice.incidents.triage(1, "stop")
    pat.incidents.confirm_decision(1, "Ann Chair", "panel")
    assert alice.releases.get(1).state == "STOPPED" and _counts(alice) == {"CANCELLED": 300}
    notices = [n for n in alice.queries.notices(1) if n.kind == "DECISION"]
    suppliers = {s.party_id for s in SUPPLIERS}
    told = {n.recipient for n in notices}
    assert "SECPANEL" in told and told & suppliers
    for n in notices:
        if n.recipient in suppliers:
            assert "cancelled" in n.body or "no pending instruction" in n.body
            assert not any(other in n.body for other in suppliers - {n.recipient})
    with pytest.raises(IllegalTransition):
        as_user(alice, "bob").incidents.resume(1)


def test_a_pause_on_a_live_release_calls_back_future_activations(tmp_path: Path) -> None:
    engine = rollout.build(f"sqlite:///{tmp_path / 'p.db'}", 60, start=False)
    engine.admin.configure_network({"distribution_failure": "0", "activation_failure": "0", "no_response": "0",
                                    "distribution_days": "1"})
    engine.admin.add_user("pat", ["panel-secretary"])
    engine.pilots.start(1, activate_at=engine.now() + timedelta(days=3))
    engine.time.tick(engine.now() + timedelta(days=1, hours=2))
    incident = engine.incidents.raise_incident(1, SUPPLIERS[0].party_id, "Odd readings").value.incident
    engine.incidents.triage(incident.id, "pause")
    assert engine.releases.get(1).state == "PILOT_RUNNING"  # nothing happens before the Panel
    as_user(engine, "pat").incidents.confirm_decision(incident.id, "Ann Chair", "panel")
    assert engine.releases.get(1).state == "PAUSED"
    with engine.db.reading() as s:
        cancels = s.execute(text("SELECT COUNT(*) FROM sim_network_job WHERE step = 'cancel'")).scalar()
    assert cancels == 60


def test_the_panels_dashboard_lists_decisions_awaiting_it_and_dcc_then_owes_the_resume(stopped: Engine) -> None:
    from chconsole.core.engine.dto import DCC, PANEL, Viewer

    alice, pat = stopped, as_user(stopped, "pat")

    def actions(kind: str) -> list[str]:
        return [a.what for a in alice.dashboards.build(Viewer(kind, None)).actions]

    assert any("Triage incident 1" in a for a in actions(DCC))
    assert any("suspended (emergency stop) pending the Panel" in a for a in actions(PANEL))
    alice.incidents.triage(1, "proceed")
    assert any("Confirm DCC's decision on incident 1, release 1: proceed" in a for a in actions(PANEL))
    pat.incidents.confirm_decision(1, "Ann Chair", "panel")
    assert not any("incident 1" in a for a in actions(PANEL))
    assert any(a.startswith("Resume release 1") for a in actions(DCC))
    as_user(alice, "bob").incidents.resume(1)
    assert not any(a.startswith("Resume release 1") for a in actions(DCC))
