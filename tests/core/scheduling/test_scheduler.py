"""The scheduler hosting the engine's tick: due work done when it falls due, by one host only.

Nothing here sleeps. APScheduler is started paused (its jobs are planned but never fire on
their own) and the test runs the planned job itself, after moving the simulated clock on
without ticking. Lease times come from a fake clock the test moves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from chc_helpers import Cli, guid, hubs, nominated, pilot_release, place, reliable_network
from sqlalchemy import text

from chconsole.core.bootstrap import create_database, open_engine
from chconsole.core.engine.facade import Engine
from chconsole.core.scheduling.host import DUE_JOB, HEARTBEAT_JOB, PassReport, Scheduler
from chconsole.core.storage import clock, lease
from chconsole.core.vocabulary.london import parse_time

PILOT = [guid(n) for n in (1, 2, 3, 4)]


class FakeClock:
    """Wall time for the lease, moved only by the test."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def wall() -> FakeClock:
    return FakeClock()


@pytest.fixture
def hosts(cli: Cli, wall: FakeClock) -> Iterator[list[Scheduler]]:
    """Schedulers made by the test (each on an engine of its own), shut down afterwards."""
    made: list[Scheduler] = []
    yield made
    for s in made:
        s.shutdown()
        s.engine.db.dispose()


def host(cli: Cli, hosts: list[Scheduler], wall: FakeClock, name: str, actor: str = "alice",
         **kw: object) -> Scheduler:
    s = Scheduler(open_engine(cli.url, actor), holder=f"{name}:1:headless", clock=wall, **kw)  # type: ignore[arg-type]
    hosts.append(s)
    return s


def move_clock(cli: Cli, when: str | datetime) -> None:
    """Move the simulated clock WITHOUT ticking: as if time passed while nothing ran."""
    engine = open_engine(cli.url, "alice")
    with engine.db.writing() as s:
        clock.set_simulated_now(s, parse_time(when) if isinstance(when, str) else when)
    engine.db.dispose()


def lease_of(cli: Cli, at: datetime) -> lease.LeaseStatus:
    engine = open_engine(cli.url, "alice")
    with engine.db.reading() as s:
        status = lease.status(s, at)
    engine.db.dispose()
    return status


@pytest.fixture
def running_pilot(cli: Cli) -> Cli:
    """OCTO's pilot of four hubs started at 09:00 on 2 March: the images go out, and arrive
    two days later (a reliable network)."""
    pilot_release(cli, [*hubs(1, 4, "North", "OCTO", "OCTO"), *hubs(5, 4, "Central", "OCTO", "OCTO")])
    nominated(cli, 1, "OCTO", PILOT)
    reliable_network(cli)
    cli.ok("pilot", "start", "1")
    return cli


def states(cli: Cli) -> set[str]:
    return {str(place(cli, g)["state"]) for g in PILOT}


# -- the scheduler firing ------------------------------------------------------------------------

def test_the_job_at_the_next_due_instant_does_the_due_work_when_it_fires(running_pilot, hosts, wall):
    cli = running_pilot
    s = host(cli, hosts, wall, "a")
    s.start(paused=True)
    first = s.run_pass()
    assert first.ran and first.error is None and first.holder == "a:1:headless"
    planned = s.engine.time.next_due()
    assert planned is not None and first.next_due == planned
    job = s.aps.get_job(DUE_JOB)
    assert job.trigger.run_date == planned and job.next_run_time == planned
    assert states(cli) == {"DISTRIBUTING"}

    # The images arrive on the 4th; the clock gets there with nothing running.
    move_clock(cli, "2026-03-04T09:00")
    assert states(cli) == {"DISTRIBUTING"}
    job = s.aps.get_job(DUE_JOB)
    report = job.func(*job.args)  # what APScheduler runs when the job fires
    assert isinstance(report, PassReport) and report.ran
    assert states(cli) == {"ACTIVATION_PENDING"}  # activation went out as soon as they held it
    later = s.engine.time.next_due()
    assert later is not None and later > planned
    assert s.aps.get_job(DUE_JOB).trigger.run_date == later == report.next_due

    # Each firing plans the next; within a few the hubs confirm activation.
    for _ in range(10):
        job = s.aps.get_job(DUE_JOB)
        move_clock(cli, job.trigger.run_date)
        assert job.func(*job.args).ran
        assert s.aps.get_job(DUE_JOB).trigger.run_date == s.engine.time.next_due()
        if states(cli) == {"ACTIVATED"}:
            break
    assert states(cli) == {"ACTIVATED"}


def test_on_a_simulated_clock_the_job_waits_for_the_simulated_time(running_pilot, hosts, wall):
    cli = running_pilot
    s = host(cli, hosts, wall, "a")
    s.start(paused=True)
    s.run_pass()
    job = s.aps.get_job(DUE_JOB)
    # APScheduler's wall time is long past March; the simulated clock is not.
    assert job.func(*job.args) is None
    assert states(cli) == {"DISTRIBUTING"}
    move_clock(cli, job.trigger.run_date)  # now it is due
    assert job.func(*job.args).ran


def test_a_late_run_is_never_dropped_by_apscheduler(running_pilot, hosts, wall):
    s = host(running_pilot, hosts, wall, "a", heartbeat=30)
    s.start(paused=True)
    s.run_pass()
    for job in (s.aps.get_job(HEARTBEAT_JOB), s.aps.get_job(DUE_JOB)):
        assert job.misfire_grace_time is None and job.coalesce  # late: run once, at once
    assert s.aps.get_job(HEARTBEAT_JOB).trigger.interval == timedelta(seconds=30)
    assert s.ttl == timedelta(seconds=90)


def test_nothing_planned_leaves_only_the_heartbeat(cli, hosts, wall):
    s = host(cli, hosts, wall, "a")
    s.start(paused=True)
    report = s.run_pass()
    assert report.ran and report.next_due is None
    assert s.aps.get_job(DUE_JOB) is None and s.aps.get_job(HEARTBEAT_JOB) is not None


# -- the lease -----------------------------------------------------------------------------------

def test_two_hosts_on_one_database_only_one_does_the_work(running_pilot, hosts, wall, monkeypatch):
    cli = running_pilot
    a, b = host(cli, hosts, wall, "a"), host(cli, hosts, wall, "b")
    ticks = {"a": 0, "b": 0}

    def counted(name: str, real: Callable[[], datetime]) -> Callable[[], datetime]:
        def tick() -> datetime:
            ticks[name] += 1
            return real()
        return tick

    for name, s in (("a", a), ("b", b)):
        monkeypatch.setattr(s.engine.time, "tick", counted(name, s.engine.time.tick))
    assert a.run_pass().ran
    move_clock(cli, "2026-03-04T09:00")
    wall.advance(60)
    seen = b.run_pass()
    assert (seen.ran, seen.here, seen.holder, seen.error) == (False, False, "a:1:headless", None)
    assert states(cli) == {"DISTRIBUTING"} and ticks == {"a": 1, "b": 0}
    assert a.run_pass().ran  # the holder renews and works
    assert states(cli) == {"ACTIVATION_PENDING"} and ticks == {"a": 2, "b": 0}
    status = lease_of(cli, wall())
    assert status.held and status.holder == "a:1:headless" and status.until == wall() + a.ttl
    # The engine's own record of the pass (for its grace rule) shares the row, and the lease survives it.
    assert status.last_pass_at == parse_time("2026-03-04T09:00")


def test_an_expired_lease_is_taken_over(cli, hosts, wall):
    a, b = host(cli, hosts, wall, "a", heartbeat=60), host(cli, hosts, wall, "b", heartbeat=60)
    assert a.run_pass().ran
    wall.advance(179)  # a's lease lasts three heartbeats
    assert not b.run_pass().ran
    wall.advance(2)  # a has missed three heartbeats: it is gone
    taken = b.run_pass()
    assert taken.ran and taken.holder == "b:1:headless"
    back = a.run_pass()
    assert not back.ran and back.holder == "b:1:headless"


def test_a_stopping_host_frees_the_lease_for_another_at_once(cli, hosts, wall):
    a, b = host(cli, hosts, wall, "a"), host(cli, hosts, wall, "b")
    a.start(paused=True)
    assert a.run_pass().ran
    a.shutdown()
    assert not a.aps.running
    assert lease_of(cli, wall()).holder is None
    assert b.run_pass().ran


def test_a_failing_pass_is_reported_and_the_next_heartbeat_runs(running_pilot, hosts, wall, monkeypatch):
    cli = running_pilot
    heard: list[PassReport] = []
    s = host(cli, hosts, wall, "a", on_pass=heard.append)
    s.start(paused=True)
    real = s.engine.time.tick
    monkeypatch.setattr(s.engine.time, "tick", lambda: (_ for _ in ()).throw(OSError("disk full")))
    move_clock(cli, "2026-03-04T09:00")
    failed = s.run_pass()
    assert not failed.ran and failed.here and failed.error == "OSError: disk full"
    assert s.last_error == "OSError: disk full" and heard == [failed]
    assert s.aps.running and s.aps.get_job(DUE_JOB) is not None  # still planned
    assert states(cli) == {"DISTRIBUTING"}

    monkeypatch.setattr(s.engine.time, "tick", real)
    s.aps.get_job(HEARTBEAT_JOB).func()  # the next heartbeat
    assert heard[-1].ran and heard[-1].error is None and s.last_error is None
    assert states(cli) == {"ACTIVATION_PENDING"}


def test_a_user_who_may_not_tick_takes_no_lease(cli, hosts, wall):
    cli.ok("user", "add", "pat", "--role", "panel-secretary")
    s = host(cli, hosts, wall, "a", actor="pat")
    report = s.run_pass()
    assert not report.ran and "pat may not run the scheduler" in str(report.error)
    assert lease_of(cli, wall()).holder is None
    assert host(cli, hosts, wall, "b").run_pass().ran


def test_a_heartbeat_during_a_long_pass_renews_the_lease(cli, hosts, wall, monkeypatch):
    s = host(cli, hosts, wall, "a", heartbeat=60)
    s.start(paused=True)
    assert s.run_pass().ran
    inside, go_on = threading.Event(), threading.Event()
    real = s.engine.time.tick

    def slow_tick() -> datetime:
        inside.set()
        assert go_on.wait(10)
        return real()

    monkeypatch.setattr(s.engine.time, "tick", slow_tick)
    long_pass = threading.Thread(target=s.run_pass)
    long_pass.start()
    assert inside.wait(10)
    wall.advance(150)
    s.aps.get_job(HEARTBEAT_JOB).func()  # returns at once: the pass is still running
    go_on.set()
    long_pass.join(10)
    assert lease_of(cli, wall()).until == wall() + s.ttl
    assert host(cli, hosts, wall, "b").run_pass().holder == "a:1:headless"


# -- PostgreSQL: the claim is one atomic statement ----------------------------------------------

def _race(engines: list[Engine], now: datetime) -> dict[str, bool]:
    """Both hosts claim the lease at the same moment, each from its own thread and engine."""
    start = threading.Barrier(len(engines))
    won: dict[str, bool] = {}
    errors: list[BaseException] = []

    def claim(n: int) -> None:
        try:
            start.wait(10)
            with engines[n].db.writing() as s:
                won[f"host{n}"] = lease.acquire(s, f"host{n}:{n}:headless", now, timedelta(minutes=3))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(len(engines))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    return won


def test_on_postgresql_two_hosts_racing_for_the_lease_exactly_one_wins(pg_url: str):
    create_database(pg_url, "alice").db.dispose()
    engines = [open_engine(pg_url, "alice") for _ in range(2)]
    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    try:
        for round_ in range(12):
            with engines[0].db.writing() as s:
                if round_ % 2 == 0:  # half the rounds race for a row that does not exist yet
                    s.execute(text("DELETE FROM scheduler_lease"))
                else:  # the other half for a free lease
                    s.execute(text("UPDATE scheduler_lease SET holder = NULL, until = NULL"))
            won = _race(engines, now)
            assert sorted(won.values()) == [False, True], won
            with engines[0].db.reading() as s:
                status = lease.status(s, now)
            assert status.held and status.holder is not None and won[status.holder.split(":")[0]]
    finally:
        for e in engines:
            e.db.dispose()
