"""The scheduler: APScheduler hosts the engine's tick, in the console or headless.

Two timers drive one kind of pass. A steady heartbeat (every minute by default) catches
anything that was missed, and a one-off job waits for the next instant something falls
due (`engine.time.next_due`), set again after every pass. APScheduler's job store is not the
source of truth: the database is. So a late APScheduler run is never dropped (no misfire
limit) and simply calls `engine.time.tick`, which decides itself what is due and what is too
late to run on its own (the grace-period rule, DOMAIN.md "Operating rules").

Every pass first claims the lease (lease.py), so when several consoles and a
headless scheduler share a database only one of them does the work. A failing pass is
logged and reported, never fatal: the next heartbeat tries again.

The engine opens a session per call, so calling it from APScheduler's threads is safe;
this module never holds a session across calls.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from chconsole.core.engine.roles import ALLOWED, Action
from chconsole.core.storage import lease
from chconsole.core.vocabulary.errors import ChconsoleError, NotAllowed
from chconsole.core.vocabulary.london import utc

if TYPE_CHECKING:
    from chconsole.core.engine.facade import Engine

log = logging.getLogger("chconsole.scheduler")

HEARTBEAT_SECONDS = 60.0
HEARTBEAT_JOB = "heartbeat"
DUE_JOB = "due"


@dataclass(frozen=True)
class PassReport:
    """What one pass did, for a status line.

    Attributes:
        at: When the pass began (the scheduler's clock).
        ran: True when this host held the lease and the engine's tick completed.
        holder: Who holds the lease ("host:pid:role"); this host when it ran.
        error: The failure as one sentence, or None.
        next_due: The next instant something falls due, or None when nothing is planned.
        here: True when this host holds the lease (ran, or its tick failed).
    """

    at: datetime
    ran: bool
    holder: str | None
    error: str | None
    next_due: datetime | None
    here: bool = False


def wall_clock() -> datetime:
    return datetime.now(UTC)


class Scheduler:
    """Hosts the engine's pass (`engine.time.tick`) in a BackgroundScheduler, under the database's lease.

    Args:
        engine: The engine, acting as a user who may tick (operator, release manager, admin).
        role: "console" or "headless": how other hosts see who holds the lease.
        heartbeat: Seconds between steady passes; the lease lasts three heartbeats.
        clock: The time used for the lease (wall time by default; tests pass a fake one).
        holder: The name on the lease (default "host:pid:role").
        on_pass: Called after every pass with its PassReport, on a scheduler thread.
        writer: Runs the pass's write work and waits for it (the console hands it to its one
            writer, so its scheduler and its user's actions never write at once); by default
            the pass runs on the scheduler's own thread.
    """

    def __init__(
        self, engine: Engine, role: str = "headless", heartbeat: float = HEARTBEAT_SECONDS,
        clock: Callable[[], datetime] = wall_clock, holder: str | None = None,
        on_pass: Callable[[PassReport], None] | None = None,
        writer: Callable[[Callable[[], object]], object] | None = None,
    ) -> None:
        if heartbeat <= 0:
            raise ValueError("the heartbeat must be a positive number of seconds")
        self.engine = engine
        self.holder = holder or lease.holder_name(role)
        self.heartbeat = heartbeat
        self.ttl = timedelta(seconds=3 * heartbeat)
        self.clock = clock
        self.on_pass = on_pass
        self.writer = writer or (lambda work: work())
        self.last_report: PassReport | None = None
        self._pass_lock = threading.Lock()  # one pass at a time in this process
        self._stopping = False
        self._plan_lock = threading.Lock()
        # A late run must run, once: our tables say what is due, APScheduler only wakes us.
        self.aps = BackgroundScheduler(
            timezone=UTC,
            executors={"default": ThreadPoolExecutor(3)},
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )

    @property
    def last_error(self) -> str | None:
        return self.last_report.error if self.last_report else None

    def check_allowed(self) -> None:
        """Refuse (NotAllowed) when the acting user may not tick, before taking any lease."""
        user = self.engine.admin.check_user()
        needed = ALLOWED[Action.TICK]
        if not {r.value for r in needed} & set(user.roles):
            names = " or ".join(sorted(r.value for r in needed))
            raise NotAllowed(f"{user.name} may not run the scheduler: that needs the role {names}.")

    # -- running ---------------------------------------------------------------------------------
    def start(self, paused: bool = False) -> None:
        """Start the heartbeat (its first pass at once: catch up after being away).

        PAUSED starts APScheduler without running any job, so tests can inspect the jobs.
        """
        self.aps.add_job(
            self._heartbeat, IntervalTrigger(seconds=self.heartbeat, timezone=UTC), id=HEARTBEAT_JOB,
            name="scheduler heartbeat", next_run_time=wall_clock(),
            # A second instance may start while a long pass runs, only to renew the lease.
            max_instances=2, replace_existing=True)
        self.aps.start(paused=paused)

    def shutdown(self) -> None:
        """Stop the timers, wait for a running pass, and give the lease up for another host."""
        # Holding the pass lock first matters: APScheduler's shutdown holds its job-store lock
        # while it waits for running jobs, so a pass planning its next job then would deadlock.
        with self._pass_lock:
            self._stopping = True
            if self.aps.running:
                self.aps.shutdown(wait=True)
        try:
            with self.engine.db.writing() as s:
                lease.release(s, self.holder)
        except Exception as exc:  # noqa: BLE001 - the lease simply expires instead
            log.warning("Could not release the scheduler lease: %s", _sentence(exc))

    def run_pass(self) -> PassReport:
        """One pass, now, on this thread (waits for a pass already running here)."""
        with self._pass_lock:
            return self._pass()

    def release(self) -> None:
        """Give the lease up without stopping (after a one-off pass)."""
        with self.engine.db.writing() as s:
            lease.release(s, self.holder)

    # -- the jobs --------------------------------------------------------------------------------
    def _heartbeat(self) -> None:
        if not self._pass_lock.acquire(blocking=False):
            self._renew()  # a long pass is still running: keep the lease while it does
            return
        try:
            self._pass()
        finally:
            self._pass_lock.release()

    def run_due(self, planned: datetime) -> PassReport | None:
        """The one-off job at PLANNED; None when it had nothing to do.

        On a simulated clock APScheduler's wall time says nothing about the engine's time:
        the job only runs a pass once the simulated clock has reached PLANNED.
        """
        if self.engine.clock.is_simulated and self.engine.now() < planned:
            return None
        if not self._pass_lock.acquire(blocking=False):
            return None  # the pass running now sets the next one-off job when it ends
        try:
            return self._pass()
        finally:
            self._pass_lock.release()

    def _renew(self) -> None:
        try:
            with self.engine.db.writing() as s:
                lease.acquire(s, self.holder, self.clock(), self.ttl)
        except Exception as exc:  # noqa: BLE001 - the next heartbeat tries again
            log.warning("Could not renew the scheduler lease: %s", _sentence(exc))

    def _pass(self) -> PassReport:
        at = utc(self.clock())
        ran = here = False
        error: str | None = None
        holder: str | None = None
        try:
            self.check_allowed()
            with self.engine.db.writing() as s:
                here = lease.acquire(s, self.holder, at, self.ttl)
                holder = self.holder if here else lease.status(s, at).holder
            if here:
                self.writer(self.engine.time.tick)  # delivers the outbox itself
                ran = True
        except Exception as exc:  # noqa: BLE001 - a failing pass must not stop the scheduler
            error = _sentence(exc)
            log.warning("Scheduler pass failed: %s", error)
            log.debug("scheduler pass failure", exc_info=True)
        next_due: datetime | None = None
        try:
            next_due = self.engine.time.next_due()
        except Exception as exc:  # noqa: BLE001 - the heartbeat still runs
            error = error or _sentence(exc)
            log.warning("Could not read when work is next due: %s", _sentence(exc))
        self._plan(next_due)
        report = PassReport(at, ran, holder, error, next_due, here)
        self.last_report = report
        log.info("Scheduler pass at %s: %s", at.isoformat(), _summary(report))
        if self.on_pass is not None:
            try:
                self.on_pass(report)
            except Exception:  # noqa: BLE001 - a listener's fault is not the pass's
                log.exception("on_pass listener failed")
        return report

    def _plan(self, due: datetime | None) -> None:
        """Set the one-off job at DUE (or none when nothing is planned)."""
        with self._plan_lock:
            if self._stopping:
                return
            with contextlib.suppress(JobLookupError):
                self.aps.remove_job(DUE_JOB)
            if due is not None:
                self.aps.add_job(self.run_due, DateTrigger(run_date=utc(due), timezone=UTC), args=[utc(due)],
                                 id=DUE_JOB, name="next due work")

    def due_job(self) -> Any:
        """The one-off job waiting for the next due instant, or None."""
        return self.aps.get_job(DUE_JOB)


def _sentence(exc: BaseException) -> str:
    if isinstance(exc, ChconsoleError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _summary(report: PassReport) -> str:
    if report.error:
        return f"failed: {report.error}"
    if not report.ran:
        return f"another scheduler holds the lease ({report.holder})"
    return f"done; next due {report.next_due.isoformat() if report.next_due else 'nothing planned'}"


def describe_lease(holder: str) -> str:
    """Who holds the scheduler's lease, as a person reads it: "host:pid (role)"."""
    return lease.describe(holder)
