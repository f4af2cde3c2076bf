"""Incidents (R6) through the facade: raised with their hubs, prioritised, tied to a stop,
commented, closed only when that makes sense, and every change in their history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from chc_helpers import Cli, guid, guid_list, hubs, pilot_release

from chconsole.core.bootstrap import open_engine
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.errors import BadInput, IllegalTransition, NotAllowed


@pytest.fixture
def engine(cli: Cli) -> Engine:
    pilot_release(cli, [*hubs(1, 4, "North", "OCTO", "BGAS"), *hubs(5, 1, "North", "OCTO", status="Pending")])
    return open_engine(cli.url, "alice")


def test_an_incident_records_its_hubs_and_refuses_bad_lines_one_by_one(engine: Engine, cli: Cli) -> None:
    file = guid_list(cli.tmp / "affected.csv", [guid(1), guid(2).lower().replace("-", ""), guid(2), "not-a-guid",
                                                 guid(99), guid(5)])
    done = engine.incidents.raise_incident(1, "octo", "In-home displays lose the meter after the update", file)
    x = done.value.incident
    assert (x.release_id, x.reported_by, x.priority, x.state, x.hubs) == (1, "OCTO", "P2", "OPEN", 2)
    assert [(r.line, r.reason.value) for r in done.value.refused] == [
        (4, "DUPLICATE_IN_REQUEST"), (5, "MALFORMED_GUID"), (6, "UNKNOWN_GUID"), (7, "NOT_ELIGIBLE")]
    assert done.changes.incidents == {x.id} and [h.kind for h in x.history] == ["raised"]


def test_asking_for_a_stop_makes_it_p1_and_a_stop_ties_to_open_incidents(engine: Engine) -> None:
    asked = engine.incidents.raise_incident(1, "BGAS", "Gas meters drop off the HAN", emergency_stop=True)
    assert asked.value.incident.priority == "P1"
    plain = engine.incidents.raise_incident(1, "OCTO", "Slow display refresh").value.incident
    assert plain.priority == "P2"
    stop = engine.incidents.stop(1).value
    tied = engine.incidents.incident(plain.id)
    assert tied.stop_id == stop.id and tied.priority == "P1" and tied.history[-1].kind == "stop"
    later = engine.incidents.raise_incident(1, "OCTO", "More homes affected").value.incident
    assert later.stop_id == stop.id and later.priority == "P1"
    assert [x.priority for x in engine.incidents.incidents(open_only=True)] == ["P1", "P1", "P1"]


def test_bad_incidents_change_nothing(engine: Engine) -> None:
    with pytest.raises(BadInput, match="Describe the incident"):
        engine.incidents.raise_incident(1, "OCTO", "  ")
    with pytest.raises(BadInput, match="not a supplier"):
        engine.incidents.raise_incident(1, "NOPE", "Displays blank")
    assert engine.incidents.incidents() == []


def test_closing_needs_a_decision_when_the_release_is_halted(engine: Engine) -> None:
    x = engine.incidents.raise_incident(1, "OCTO", "Displays blank").value.incident
    engine.incidents.comment_incident(x.id, "Supplier sent logs")
    engine.incidents.stop(1)
    with pytest.raises(IllegalTransition, match="needs a triaged outcome"):
        engine.incidents.close_incident(x.id)
    other = engine.incidents.raise_incident(1, "BGAS", "Unrelated: a meter fault").value.incident
    assert [h.kind for h in engine.incidents.incident(x.id).history] == ["raised", "comment", "stop"]
    assert other.stop_id is not None  # the release is held: every incident on it waits for the Panel


def test_an_incident_nobody_needs_to_decide_on_can_be_closed(engine: Engine) -> None:
    x = engine.incidents.raise_incident(1, "OCTO", "Question about the notice").value.incident
    closed = engine.incidents.close_incident(x.id).value
    assert closed.state == "CLOSED" and closed.closed_at is not None
    with pytest.raises(IllegalTransition, match="already closed"):
        engine.incidents.close_incident(x.id)
    with pytest.raises(IllegalTransition, match="closed"):
        engine.incidents.comment_incident(x.id, "too late")


def test_roles(engine: Engine) -> None:
    engine.admin.add_user("pat", ["panel-secretary"])
    with pytest.raises(NotAllowed):
        open_engine(engine.db.url, "pat").incidents.raise_incident(1, "OCTO", "Displays blank")
    engine.admin.add_user("olly", ["operator"])
    x = open_engine(engine.db.url, "olly").incidents.raise_incident(1, "OCTO", "Displays blank").value.incident
    with pytest.raises(NotAllowed):
        open_engine(engine.db.url, "olly").incidents.close_incident(x.id)
    said = open_engine(engine.db.url, "pat").incidents.comment_incident(x.id, "The Panel meets at 3").value
    assert said.history[-1].by == "pat"  # the Panel secretary may comment


def test_hubs_of_an_open_incident_are_left_out_of_a_batch_chosen_by_rule(engine: Engine, cli: Cli) -> None:
    from chconsole.core.engine.requests import BatchRule

    engine.pilots.conclude(1, "proceed", "No pilot needed")
    at = engine.now() + timedelta(days=10)
    file = guid_list(cli.tmp / "one.csv", [guid(1)])
    x = engine.incidents.raise_incident(1, "OCTO", "Displays blank", file).value.incident
    assert engine.deployment.preview_batch(1, rule=BatchRule()).hubs == 3  # hubs 2-4, not hub 1
    engine.incidents.close_incident(x.id)
    assert engine.deployment.create_batch(1, at, rule=BatchRule()).value.hubs == 4
