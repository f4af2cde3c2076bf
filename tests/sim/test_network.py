"""Tests for the simulated CSP network (sim.network), on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chconsole.core.bootstrap import create_database
from chconsole.core.engine.facade import Engine
from chconsole.core.rollout.network import Command, Outcome, Result, Step
from chconsole.core.vocabulary.errors import BadInput
from sim.network import SimulatedNetwork, held

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
FAR = T0 + timedelta(days=365)
BIG = 10**12  # hub ids beyond 32 bits
SURE = {"distribution_failure": "0", "activation_failure": "0", "no_response": "0"}


def commands(
    hubs: range | list[int], step: Step, region: str = "North", release: int = 1,
    activate_at: datetime | None = None,
) -> list[Command]:  # fmt: skip
    return [
        Command(release, BIG + h, f"GUID-{h}", region, step, "ab" * 32, activate_at)
        for h in hubs
    ]


def new_engine(url: str) -> Engine:
    return create_database(url, "alice", T0)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return new_engine(f"sqlite:///{tmp_path / 't.db'}")


@pytest.fixture
def net() -> SimulatedNetwork:
    return SimulatedNetwork()


def send(engine: Engine, net: SimulatedNetwork, cmds: list[Command], now: datetime) -> None:
    with engine.db.writing() as s:
        net.send(s, cmds, now)


def read(engine: Engine, net: SimulatedNetwork, until: datetime = FAR) -> list[Outcome]:
    with engine.db.writing() as s:
        return net.outcomes(s, until)


def configure(engine: Engine, net: SimulatedNetwork, **changes: str) -> None:
    with engine.db.writing() as s:
        net.configure(s, changes)


def next_event(engine: Engine, net: SimulatedNetwork) -> datetime | None:
    with engine.db.reading() as s:
        return net.next_event(s, T0)


def distributed(engine: Engine, net: SimulatedNetwork, hubs: range, release: int = 1) -> None:
    """Distribute to HUBS at T0 without failures and read the receipts."""
    configure(engine, net, **SURE)
    send(engine, net, commands(hubs, Step.DISTRIBUTE, release=release), T0)
    assert {o.result for o in read(engine, net, T0 + timedelta(days=3))} == {Result.RECEIVED}


def test_distribution_takes_at_least_distribution_days(engine: Engine, net: SimulatedNetwork):
    configure(engine, net, distribution_days="1.5")
    send(engine, net, commands(range(10), Step.DISTRIBUTE), T0)
    earliest = T0 + timedelta(days=1.5)
    assert next_event(engine, net) == earliest
    assert read(engine, net, earliest - timedelta(seconds=1)) == []
    got = read(engine, net, earliest + timedelta(hours=1))
    assert len(got) == 10
    assert all(o.at >= earliest and o.at.tzinfo is not None for o in got)
    assert all(o.step is Step.DISTRIBUTE for o in got)
    assert [o.at for o in got] == sorted(o.at for o in got)
    assert next_event(engine, net) is None


def test_capacity_spreads_a_queue_over_days_per_region(engine: Engine, net: SimulatedNetwork):
    configure(engine, net, capacity_north="1000", capacity_south="1,000")
    send(engine, net, commands(range(2500), Step.DISTRIBUTE, "North"), T0)
    send(engine, net, commands(range(3000, 3500), Step.DISTRIBUTE, "South"), T0)
    # A later batch joins the back of North's queue, which is 2.5 days long.
    later = T0 + timedelta(hours=1)
    send(engine, net, commands(range(5000, 5010), Step.DISTRIBUTE, "North"), later)
    at = {o.hub_id - BIG: o.at for o in read(engine, net)}
    north = [at[h] for h in range(2500)]
    assert max(north) == T0 + timedelta(days=2.5)
    assert min(north) == T0 + timedelta(days=2)  # the minimum time, not the queue, rules early
    assert north == sorted(north)  # first in, first out
    assert max(at[h] for h in range(3000, 3500)) == T0 + timedelta(days=2)  # South's own queue
    assert min(at[h] for h in range(5000, 5010)) == T0 + timedelta(days=2.5, seconds=86.4)


def failures(engine: Engine, net: SimulatedNetwork, seed: str) -> list[Outcome]:
    configure(engine, net, seed=seed)
    send(engine, net, commands(range(20_000), Step.DISTRIBUTE), T0)
    return read(engine, net)


def test_failure_share_is_near_the_rate_and_reproducible(tmp_path: Path, net: SimulatedNetwork):
    first = failures(new_engine(f"sqlite:///{tmp_path / 'a.db'}"), net, "1")
    again = failures(new_engine(f"sqlite:///{tmp_path / 'b.db'}"), net, "1")
    other = failures(new_engine(f"sqlite:///{tmp_path / 'c.db'}"), net, "2")
    failed = sum(o.result is Result.DISTRIBUTION_FAILED for o in first)
    assert 140 <= failed <= 260  # 1% of 20,000 is 200, give or take 14
    assert again == first
    assert other != first
    assert abs(sum(o.result is Result.DISTRIBUTION_FAILED for o in other) - 200) <= 60


def test_activation_before_the_image_arrives_finds_no_image(engine: Engine, net: SimulatedNetwork):
    configure(engine, net, **SURE)
    send(engine, net, commands(range(2), Step.DISTRIBUTE), T0)
    early, late = T0 + timedelta(days=1), T0 + timedelta(days=3)
    send(engine, net, commands([0], Step.ACTIVATE, activate_at=early), T0)
    send(engine, net, commands([1], Step.ACTIVATE, activate_at=late), T0)
    send(engine, net, commands([7], Step.ACTIVATE, activate_at=late), T0)  # never distributed
    got = {(o.hub_id - BIG, o.step): o for o in read(engine, net)}
    assert got[0, Step.ACTIVATE].result is Result.NO_IMAGE_HELD
    assert got[1, Step.ACTIVATE].result is Result.SUCCESS
    assert got[7, Step.ACTIVATE].result is Result.NO_IMAGE_HELD
    assert timedelta(minutes=1) <= got[1, Step.ACTIVATE].at - late <= timedelta(minutes=30)
    assert timedelta(minutes=1) <= got[0, Step.ACTIVATE].at - early <= timedelta(minutes=30)


def test_a_hub_that_never_answers_reports_nothing(engine: Engine, net: SimulatedNetwork):
    distributed(engine, net, range(100))
    configure(engine, net, no_response="100%")
    send(engine, net, commands(range(100), Step.ACTIVATE, activate_at=T0 + timedelta(days=4)), T0)
    assert next_event(engine, net) is None
    assert read(engine, net) == []
    with engine.db.reading() as s:
        assert held(s, 1) == {"distribute:RECEIVED": 100, "activate:NONE": 100}


def test_faulty_firmware_marks_every_success(engine: Engine, net: SimulatedNetwork):
    distributed(engine, net, range(50))
    configure(engine, net, faulty_firmware="1.0")
    send(engine, net, commands(range(50), Step.ACTIVATE, activate_at=T0 + timedelta(days=4)), T0)
    got = read(engine, net)
    assert len(got) == 50
    assert all(o.result is Result.SUCCESS and o.han_trouble for o in got)


def test_activation_failures_follow_their_rates(engine: Engine, net: SimulatedNetwork):
    distributed(engine, net, range(2000))
    configure(engine, net, activation_failure="0.5", hash_mismatch="0.5")
    send(engine, net, commands(range(2000), Step.ACTIVATE, activate_at=T0 + timedelta(days=4)), T0)
    got = read(engine, net)
    counts = Counter(o.result for o in got)
    assert set(counts) == {Result.ACTIVATION_FAILURE, Result.HASH_MISMATCH}
    assert 800 <= counts[Result.HASH_MISMATCH] <= 1200
    assert not any(o.han_trouble for o in got)


def test_cancel_stops_what_is_still_to_come_and_each_hub_answers_it(engine: Engine, net: SimulatedNetwork):
    distributed(engine, net, range(2))
    send(engine, net, commands([0], Step.ACTIVATE, activate_at=T0 + timedelta(days=5)), T0)
    send(engine, net, commands([1], Step.ACTIVATE, activate_at=T0 + timedelta(days=3)), T0)
    send(engine, net, commands([2], Step.DISTRIBUTE), T0 + timedelta(days=2))  # in flight
    now = T0 + timedelta(days=3, hours=1)  # hub 1 has activated, unread; hub 0 has not
    send(engine, net, commands(range(3), Step.CANCEL), now)
    got = read(engine, net)
    assert sorted((o.hub_id - BIG, o.step, o.result) for o in got) == [
        (0, Step.CANCEL, Result.CALLED_BACK),  # its activation will not happen
        (1, Step.ACTIVATE, Result.SUCCESS),
        (1, Step.CANCEL, Result.TOO_LATE),  # it had activated
        (2, Step.CANCEL, Result.CALLED_BACK),
    ]
    assert all(now + timedelta(minutes=1) <= o.at <= now + timedelta(minutes=30) for o in got
               if o.step is Step.CANCEL)
    assert next_event(engine, net) is None
    with engine.db.reading() as s:
        assert held(s, 1) == {
            "distribute:RECEIVED": 2, "distribute:CANCELLED": 1, "activate:SUCCESS": 1,
            "activate:CANCELLED": 1, "cancel:CALLED_BACK": 2, "cancel:TOO_LATE": 1,
        }  # fmt: skip


def test_a_hub_that_never_answers_says_nothing_of_a_call_back(engine: Engine, net: SimulatedNetwork):
    configure(engine, net, no_response="1")
    send(engine, net, commands(range(3), Step.CANCEL), T0)
    assert read(engine, net) == [] and next_event(engine, net) is None


def test_one_batch_is_taken_in_step_order(engine: Engine, net: SimulatedNetwork):
    configure(engine, net, **SURE)
    later = T0 + timedelta(days=3)
    batch = (commands(range(2), Step.CANCEL) + commands(range(3), Step.ACTIVATE, activate_at=later)
             + commands(range(3), Step.DISTRIBUTE))  # fmt: skip
    send(engine, net, batch, T0)
    got = [o for o in read(engine, net) if o.step is not Step.CANCEL]
    assert [(o.hub_id - BIG, o.step.value, o.result.value) for o in got] == [
        (2, "distribute", "RECEIVED"), (2, "activate", "SUCCESS"),
    ]  # fmt: skip


def test_a_rolled_back_first_send_leaves_a_usable_network(engine: Engine, net: SimulatedNetwork):
    with pytest.raises(RuntimeError), engine.db.writing() as s:  # creates the tables, then fails
        net.send(s, commands(range(3), Step.DISTRIBUTE), T0)
        raise RuntimeError("the engine's transaction failed")
    with engine.db.reading() as s:
        assert net.received(s, [c.key for c in commands(range(3), Step.DISTRIBUTE)]) == set()
        assert net.next_event(s, T0) is None and held(s, 1) == {}
    send(engine, net, commands(range(3), Step.DISTRIBUTE), T0)
    assert len(read(engine, net)) == 3


def test_outcomes_are_read_once_in_time_order(engine: Engine, net: SimulatedNetwork):
    distributed(engine, net, range(20))
    send(engine, net, commands(range(20), Step.ACTIVATE, activate_at=T0 + timedelta(days=4)), T0)
    until = T0 + timedelta(days=4, hours=1)
    first = read(engine, net, until)
    assert len(first) == 20
    assert [(o.at, o.hub_id) for o in first] == sorted((o.at, o.hub_id) for o in first)
    assert read(engine, net, until) == []


def test_received_and_a_resent_key_is_not_booked_twice(engine: Engine, net: SimulatedNetwork):
    configure(engine, net, **SURE, capacity_north="500")
    cmds = commands(range(1500), Step.DISTRIBUTE)
    with engine.db.reading() as s:  # before the first send: no tables yet, nothing held
        assert net.received(s, [c.key for c in cmds]) == set()
    send(engine, net, cmds, T0)
    send(engine, net, cmds + cmds[:5], T0 + timedelta(hours=1))  # a crash-and-resend
    send(engine, net, commands([9999], Step.DISTRIBUTE), T0)
    extra = commands([5000], Step.DISTRIBUTE)[0].key
    with engine.db.reading() as s:
        assert net.received(s, [c.key for c in cmds] + [extra]) == {c.key for c in cmds}
        assert held(s, 1) == {"distribute:RECEIVED": 1501}
    got = read(engine, net)
    assert len(got) == 1501
    # The resend took no queue slots: hub 9999 is the 1501st in North's queue.
    assert max(o.at for o in got) == T0 + timedelta(seconds=172.8 * 1501)


def test_configure_validates_and_is_shared(engine: Engine, net: SimulatedNetwork):
    bad = {
        "distribution_failure": "5", "no_response": "-1%", "capacity_north": "0",
        "capacity_south": "lots", "distribution_days": "0", "seed": "1.5",
    }  # fmt: skip
    for key, value in bad.items():
        with pytest.raises(BadInput, match=key), engine.db.writing() as s:
            net.configure(s, {key: value})
    with pytest.raises(BadInput, match="capacity_central") as info, engine.db.writing() as s:
        net.configure(s, {"speed": "3"})
    assert "'speed'" in str(info.value)
    with pytest.raises(BadInput), engine.db.writing() as s:  # all or nothing
        net.configure(s, {"seed": "7", "hash_mismatch": "2"})
    with engine.db.writing() as s:
        shown = net.configure(s, {"distribution_failure": "1%", "capacity_north": "45000"})
    by_name = {a.name: a for a in shown}
    assert by_name["Distribution failure rate"].value == "1.0%"
    assert by_name["North region distribution capacity"].value == "45,000 hubs a day"
    assert by_name["Activation failure rate"].value == "0.3%"
    assert by_name["Minimum distribution time"].value == "2 days"
    assert by_name["Random seed"].value == "1" and not by_name["Random seed"].assumed
    assert all(a.assumed for a in shown if a.name != "Random seed")
    with engine.db.reading() as s:  # saved in the database: every workstation agrees
        assert SimulatedNetwork().assumptions(s) == shown
        assert SimulatedNetwork().config(s)["distribution_failure"] == pytest.approx(0.01)


def test_fifty_thousand_hubs_round_trip(engine: Engine, net: SimulatedNetwork):
    regions = ("North", "Central", "South")
    cmds = [c for i, r in enumerate(regions)
            for c in commands(range(i, 50_000, 3), Step.DISTRIBUTE, r)]  # fmt: skip
    send(engine, net, cmds, T0)  # its speed is measured by sim.bench_tick, not here
    got = read(engine, net)
    assert len(got) == 50_000
    assert len({o.hub_id for o in got}) == 50_000
    assert read(engine, net) == []


def test_on_postgresql(pg_url: str, net: SimulatedNetwork):
    engine = new_engine(pg_url)
    try:
        configure(engine, net, **SURE, capacity_central="500")
        hubs = range(2000)  # more than one IN list's worth
        send(engine, net, commands(hubs, Step.DISTRIBUTE, "Central"), T0)
        send(engine, net, commands(hubs, Step.DISTRIBUTE, "Central"), T0)  # resent: ignored
        assert next_event(engine, net) == T0 + timedelta(days=2)
        got = read(engine, net, T0 + timedelta(days=2))
        assert len(got) == 1000 and got[0].at == T0 + timedelta(days=2)
        # Hub i holds the image 172.8 s x (i + 1) after T0, at the earliest 2 days after.
        activate_at = T0 + timedelta(days=2, hours=6, minutes=1)  # hubs 0-1124 have it by then
        send(engine, net, commands(hubs, Step.ACTIVATE, activate_at=activate_at), T0)
        send(engine, net, commands(range(1500, 2000), Step.CANCEL), T0 + timedelta(days=2))
        rest = read(engine, net)
        assert read(engine, net) == []
        counts = Counter((o.step, o.result) for o in rest)
        assert counts == {
            (Step.DISTRIBUTE, Result.RECEIVED): 500,  # 1000-1499; 1500-1999 were cancelled
            (Step.ACTIVATE, Result.SUCCESS): 1125,
            (Step.ACTIVATE, Result.NO_IMAGE_HELD): 375,  # 1125-1499: their image came later
            (Step.CANCEL, Result.CALLED_BACK): 500,  # 1500-1999 answer their call-backs
        }
        assert all(o.at.tzinfo is not None for o in rest)
        with engine.db.reading() as s:
            assert len(net.received(s, [c.key for c in commands(hubs, Step.CANCEL)])) == 500
            assert held(s, 1)["activate:CANCELLED"] == 500
    finally:
        engine.db.dispose()
