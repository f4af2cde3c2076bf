"""The time desk: the scheduler's pass over everything due, and each user action's own work.

A scheduler pass (`tick`) reads results back from the CSP network, moves hubs on, records
what is due and sends it, for every live release, then sends the outbox's due notices
through the mail relay (when one is set). A user's action on one release does only
that release's work (`work_for`, `send_for`): pressing a button on release 1 never
dispatches release 2's commands; the scheduler does that when they are due.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from chconsole.core.deployment import schedule
from chconsole.core.deployment.activation_notices import daily as activation_digest
from chconsole.core.deployment.activation_notices import next_due as next_activation_digest
from chconsole.core.deployment.activation_notices import pending as activations_untold
from chconsole.core.engine.changes import EVERYTHING, Done
from chconsole.core.engine.context import EngineContext
from chconsole.core.engine.mail import send_due as send_mail
from chconsole.core.engine.roles import Action
from chconsole.core.incidents import guard, stop
from chconsole.core.pilots import lifecycle as pilots
from chconsole.core.rollout import dispatch, tallies
from chconsole.core.storage import clock
from chconsole.core.storage.campaign_models import Batch, Pilot
from chconsole.core.storage.incident_models import StopRelease
from chconsole.core.storage.models import Release
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import utc
from chconsole.core.vocabulary.states import ReleaseState

# Releases the pass looks after.
LIVE = (
    ReleaseState.NOTIFIED.value, ReleaseState.PILOT_RUNNING.value, ReleaseState.PILOT_CONCLUDED.value,
    ReleaseState.DEPLOYING.value, ReleaseState.PAUSED.value, ReleaseState.SUSPENDED.value,
)
# A simulated clock moves in steps no shorter than this, so a month passes in a few hundred.
STEP = timedelta(hours=1)
# Hubs commanded in one transaction: short enough that an emergency stop's own write never
# waits long behind one (DOMAIN.md "Operating rules": the stop is checked before every dispatch).
RECORD_CHUNK = 5_000
STOP_WAIT = 10.0  # seconds a dispatcher steps aside, at most, for a waiting emergency stop


class TimeDesk:
    """What is due, and doing it: the scheduler's passes and the clock."""

    def __init__(self, ctx: EngineContext) -> None:
        self.ctx = ctx

    def now(self) -> datetime:
        """The engine's time now (aware UTC)."""
        return self.ctx.now()

    def tick(self, now: datetime | None = None, downtime: bool = False) -> Done[datetime]:
        """Do whatever is due; returns the time the engine stands at afterwards.

        With a simulated clock, NOW first moves it there step by step, so that everything
        due on the way happens at its own time. DOWNTIME moves it in one jump, as if the
        console and the scheduler had been closed meanwhile, then makes one catch-up pass:
        work that fell due longer ago than the grace period becomes overdue, not run."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.TICK)
            start = ctx.now(s)
            if now is not None:
                ctx.require_simulated("--now")
                if utc(now) < start:
                    clock.set_simulated_now(s, now)  # refuses with the clock's own sentence
                ctx.audit(s, Action.TICK, "clock", moved_from=start, moved_to=now,
                          **({"downtime": True} if downtime else {}))
            elif downtime:
                raise BadInput("A downtime needs the time the console comes back (--now).")
            if downtime and now is not None:
                clock.set_simulated_now(s, now)
                start = utc(now)
        current = start
        changes = EVERYTHING
        self.run_pass(current)
        while now is not None and current < utc(now):
            # A report attached to a notice shows things as they stood when it was made.
            changes = ctx.deliver(changes)
            current = self._next_instant(current, utc(now))
            with ctx.db.writing() as s:
                clock.set_simulated_now(s, current)
            self.run_pass(current)
        changes = ctx.deliver(changes)
        send_mail(ctx)  # the relay takes what is due, with no transaction open while it answers
        return Done(current, changes)

    def run_pass(self, now: datetime) -> None:
        """One whole pass at NOW: read results back, move hubs on, record what is due; send."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            schedule.last_pass(s)  # locks the scheduler's row: one pass at a time, whoever runs it
            live = list(s.scalars(select(Release).where(Release.state.in_(LIVE)).order_by(Release.id)))
            self._read_back(s, now)
            for release in live:  # a release whose failures trip its guard pauses before more is sent
                guard.check(s, release, now, ctx.actor)
            for release in live:
                pilots.advance(s, release, now, ctx.actor)
            capacity = ctx.network.capacity(s) if ctx.network is not None else None
            more = schedule.advance(s, live, now, ctx.actor, capacity, chunk=RECORD_CHUNK)
            for release in live:
                tallies.sample_progress(s, release.id, now)
            activation_digest(s, now, ctx.actor)  # R5: confirmed activations, once a day
        while more:  # the rest of what is due, a chunk a transaction, each checking the stop
            self.send_for(None)
            self._step_aside()
            more = self._advance_chunk(None, now, whole_pass=True)
        self.send_for(None)
        self._suspended()

    def work_for(self, release_id: int) -> None:
        """A user action's own work on one release: what its pilot and batches have due now,
        recorded and sent. Other releases wait for the scheduler."""
        ctx = self.ctx
        now = ctx.now()
        with ctx.db.writing() as s:
            schedule.last_pass(s)  # never beside a scheduler pass
            release = s.get(Release, release_id)
            if release is None or release.state not in LIVE:
                return
            pilots.advance(s, release, now, ctx.actor)
            capacity = ctx.network.capacity(s) if ctx.network is not None else None
            more = schedule.advance(s, [release], now, ctx.actor, capacity, whole_pass=False, chunk=RECORD_CHUNK)
            tallies.sample_progress(s, release.id, now)
        while more:
            self.send_for(release_id)
            self._step_aside()
            more = self._advance_chunk(release_id, now, whole_pass=False)
        self.send_for(release_id)

    def _advance_chunk(self, release_id: int | None, now: datetime, whole_pass: bool) -> bool:
        """The next chunk of a pass's deployment work, in a transaction of its own."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            schedule.last_pass(s)
            q = select(Release).where(Release.state.in_(LIVE)).order_by(Release.id)
            if release_id is not None:
                q = q.where(Release.id == release_id)
            live = list(s.scalars(q))
            capacity = ctx.network.capacity(s) if ctx.network is not None else None
            return schedule.advance(s, live, now, ctx.actor, capacity, whole_pass=whole_pass, chunk=RECORD_CHUNK)

    def settle_stop(self, stop_id: int) -> list[int]:
        """An emergency stop's follow-up, a chunk a transaction: withdraw what was never sent,
        call back activations at the network, hold every hub not yet activated; then send the
        call-backs. Returns the releases it suspended."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            releases = list(s.scalars(select(StopRelease.release_id).where(StopRelease.stop_id == stop_id)))
            for release_id in releases:
                stop.call_back(s, stop_id, release_id, ctx.now(s), ctx.actor)
        for release_id in releases:
            self._hold(stop_id, release_id)
            self.send_for(release_id)  # only call-backs leave for a suspended release
        return releases

    def _hold(self, stop_id: int, release_id: int) -> None:
        while True:
            with self.ctx.db.writing() as s:
                if stop.hold(s, stop_id, release_id, self.ctx.now(s), self.ctx.actor) < stop.HOLD_CHUNK:
                    return

    def _suspended(self) -> None:
        """A pass's work for suspended releases: hold what landed, read the call-backs' answers."""
        with self.ctx.db.reading() as s:
            pairs = [(x.id, r.id) for r in s.scalars(select(Release).where(
                Release.state == ReleaseState.SUSPENDED.value)) if (x := stop.active_stop(s, r.id)) is not None]
        for stop_id, release_id in pairs:
            self._hold(stop_id, release_id)

    def catch_up(self) -> None:
        """Before a decision that cancels work: read in every result the network already has,
        so the decision is made on them (an activation confirmed forbids a revoke)."""
        if self.ctx.network is None:
            return
        with self.ctx.db.writing() as s:
            schedule.last_pass(s)
            self._read_back(s, self.ctx.now(s))

    def send_for(self, release_id: int | None) -> int:
        """Send the recorded commands of one release (None: of every release), a chunk a
        transaction, each checking that its release may still be commanded; returns how
        many were sent."""
        network = self.ctx.network
        if network is None:
            return 0
        sent = 0
        while True:
            self._step_aside()
            with self.ctx.db.writing() as s:
                n = dispatch.send_chunk(s, network, self.ctx.now(s), release_id)
            sent += n
            if n < dispatch.SEND_CHUNK:
                return sent

    def _step_aside(self) -> None:
        """Between dispatch transactions: let an emergency stop that is waiting write first."""
        waited = 0.0
        while self.ctx.db.stop_requested() and waited < STOP_WAIT:
            time.sleep(0.002)
            waited += 0.002

    def _read_back(self, s: Session, now: datetime) -> None:
        if self.ctx.network is None:
            return
        live = list(s.scalars(select(Release).where(Release.state.in_(LIVE))))
        if live:
            outcomes = self.ctx.network.outcomes(s, now)
            dispatch.apply_outcomes(s, outcomes, {r.id: r.to_version for r in live}, now, self.ctx.actor)

    def next_due(self) -> datetime | None:
        """The next instant at which something falls due (None when nothing is planned).

        The scheduler sets a job for it; a heartbeat catches anything this misses."""
        now = self.ctx.now()
        with self.ctx.db.reading() as s:
            later = [d for d in self._due_instants(s, now) if d > now]
        return min(later) if later else None

    def _next_instant(self, current: datetime, until: datetime) -> datetime:
        with self.ctx.db.reading() as s:
            due = self._due_instants(s, current)
        later = [d for d in due if d > current]
        target = min(later) if later else until
        return min(until, max(target, current + STEP))

    def _due_instants(self, s: Session, current: datetime) -> list[datetime]:
        live = list(s.scalars(select(Release).where(Release.state.in_(LIVE))))
        due: list[datetime] = []
        if self.ctx.network is not None:
            event = self.ctx.network.next_event(s, current)
            if event is not None:
                due.append(utc(event))
        timeout = dispatch.next_timeout(s, [r.id for r in live])
        if timeout is not None:
            due.append(timeout)
        for r in live:
            if r.deployment_date is not None and r.state in (ReleaseState.NOTIFIED, ReleaseState.PILOT_RUNNING):
                due.append(utc(r.deployment_date))
            if r.deployment_date is not None and r.state in schedule.CLAIMING:
                due.append(utc(r.deployment_date) - schedule.lead_time(r))
            pilot = s.get(Pilot, r.id)
            if pilot is not None and pilot.state == "RUNNING" and pilot.started_at is not None:
                due.append(pilots.next_progress(utc(pilot.started_at), current))
        for b in s.scalars(select(Batch).where(Batch.state.in_(("PLANNED", "RUNNING")),
                                               Batch.release_id.in_([r.id for r in live]))):
            due.append(utc(b.distribute_from) if b.state == "PLANNED" else utc(b.activate_at))
        if live or activations_untold(s):
            due.append(next_activation_digest(current))
        return due
