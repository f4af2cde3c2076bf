"""The emergency stop (R6): from its press on, not one more command leaves for its releases;
activations at the network are called back, hubs not yet activated are HELD, and the stop
says per hub what it achieved."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from chconsole.core.bootstrap import open_engine
from chconsole.core.engine.facade import Engine
from chconsole.core.rollout.network import Command, Step
from chconsole.core.vocabulary.errors import BadInput, NotAllowed
from sim import rollout
from sim.network import SimulatedNetwork

SURE = ("distribution_failure=0", "activation_failure=0", "no_response=0")


class WatchingNetwork(SimulatedNetwork):
    """The simulated network, noting any command it is handed for a release that is suspended
    at that moment (read in the very transaction that sends it)."""

    def __init__(self, pause_after_first: bool = False) -> None:
        super().__init__()
        self.violations: list[Command] = []
        self.first_send = threading.Event()
        self.pressing = threading.Event()  # set by the test as it presses the stop
        self.pause_after_first = pause_after_first

    def send(self, session: Session, commands: Sequence[Command], now: datetime) -> None:
        suspended = {int(r) for (r,) in session.execute(text(
            "SELECT id FROM release WHERE state IN ('SUSPENDED', 'PAUSED', 'STOPPED')"))}
        self.violations += [c for c in commands if c.release_id in suspended and c.step is not Step.CANCEL]
        super().send(session, commands, now)
        if self.pause_after_first and not self.first_send.is_set():
            self.first_send.set()
            self.pressing.wait(60)  # the stop is pressed while this chunk is still being sent


def _network_record(engine: Engine) -> dict[str, int]:
    with engine.db.reading() as s:
        return {str(step): int(n) for step, n in s.execute(text(
            "SELECT step, COUNT(*) FROM sim_network_job WHERE release_id = 1 GROUP BY step"))}


def _configure(engine: Engine, *words: str) -> None:
    engine.admin.configure_network(dict(w.split("=") for w in words))


@pytest.fixture
def started(tmp_path: Path) -> Engine:
    """300 hubs in release 1's pilot, started with activation in two days, the network reliable."""
    url = f"sqlite:///{tmp_path / 's.db'}"
    engine = rollout.build(url, 300, start=False)
    _configure(engine, *SURE, "distribution_days=1")
    engine.pilots.start(1, activate_at=engine.now() + timedelta(days=2))
    return engine


def test_a_stop_suspends_at_once_calls_back_activations_and_holds_every_hub(started: Engine) -> None:
    engine = started
    engine.time.tick(engine.now() + timedelta(days=1, hours=2))  # images landed, activations at the network
    assert engine.releases.get(1).counts["ACTIVATION_PENDING"] == 300
    before = _network_record(engine)

    done = engine.incidents.stop(1, reason="HAN trouble reported by OCTO")

    assert engine.releases.get(1).state == "SUSPENDED"
    info = done.value
    assert info.releases == (1,) and info.calls == 300 and info.no_answer == 300
    assert _network_record(engine) == {**before, "cancel": 300}  # only call-backs left
    engine.time.tick(engine.now() + timedelta(hours=1))  # the hubs answer within half an hour
    info = engine.incidents.stop_info(info.id)
    assert (info.called_back, info.too_late, info.no_answer) == (300, 0, 0)
    counts = {k: n for k, n in engine.releases.get(1).counts.items() if n}
    assert counts == {"HELD": 300} and info.held == 300
    engine.time.tick(engine.now() + timedelta(days=3))  # the planned activation time passes
    assert {k: n for k, n in engine.releases.get(1).counts.items() if n} == {"HELD": 300}
    assert _network_record(engine) == {**before, "cancel": 300}


def test_activations_already_done_are_reported_too_late(started: Engine) -> None:
    engine = started
    engine.time.tick(engine.now() + timedelta(days=2, minutes=5))  # the activation time has passed
    stop = engine.incidents.stop(1).value
    engine.time.tick(engine.now() + timedelta(hours=1))
    info = engine.incidents.stop_info(stop.id)
    assert info.too_late + info.called_back == info.calls and info.too_late > 0
    activated = engine.releases.get(1).counts.get("ACTIVATED", 0)
    assert activated >= info.too_late  # a hub too late for the call-back is activated, not held


def test_without_a_release_every_live_release_stops_and_twice_is_refused(started: Engine) -> None:
    engine = started
    stop = engine.incidents.stop(None).value
    assert stop.every_release and stop.releases == (1,)
    with pytest.raises(BadInput, match="already suspended"):
        engine.incidents.stop(1)
    with pytest.raises(BadInput, match="nothing to stop"):
        engine.incidents.stop(None)


def test_any_dcc_user_may_press_it_but_only_a_dcc_user(started: Engine) -> None:
    engine = started
    engine.admin.add_user("olly", ["operator"])
    stranger = open_engine(engine.db.url, "mallory")
    with pytest.raises(NotAllowed):
        stranger.incidents.stop(1)
    assert open_engine(engine.db.url, "olly").incidents.stop(1).value.pressed_by == "olly"


@pytest.mark.slow
def test_nothing_is_sent_after_the_press_while_a_fifty_thousand_hub_batch_is_being_dispatched(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'big.db'}"
    engine, _batch = rollout.batch_ready(url, 50_000)
    _configure(engine, *SURE)
    engine.close()
    network = WatchingNetwork(pause_after_first=True)
    dispatcher = open_engine(url, "alice", network=network)
    presser = open_engine(url, "olly", network=SimulatedNetwork())
    dispatcher.admin.add_user("olly", ["operator"])
    errors: list[BaseException] = []

    def dispatch() -> None:
        try:
            dispatcher.time.tick(dispatcher.now() + timedelta(hours=1))  # the batch falls due
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=dispatch)
    thread.start()
    assert network.first_send.wait(120)  # the batch's distribution is leaving, a chunk at a time
    network.pressing.set()
    presser.incidents.stop(1)
    thread.join(300)
    assert not thread.is_alive() and errors == []

    assert network.violations == []  # not one command handed over for a suspended release
    sent = _network_record(presser).get("distribute", 0)
    assert 0 < sent < 50_000  # what left before the press; the rest never did
    for _ in range(3):
        presser.time.tick(presser.now() + timedelta(days=1))
    assert _network_record(presser).get("distribute", 0) == sent
    assert _network_record(presser).get("activate", 0) == 0


def test_everyone_notified_of_the_release_is_told_it_is_halted_and_then_resumed(started: Engine) -> None:
    engine = started
    notified = {n.recipient for n in engine.queries.notices(1) if n.kind == "RELEASE_NOTICE"}
    engine.incidents.stop(1)
    halted = [n for n in engine.queries.notices(1) if n.kind == "RELEASE_HALTED"]
    assert {n.recipient for n in halted} == notified
    assert all("emergency stop" in n.body and "No further firmware command" in n.body for n in halted)
