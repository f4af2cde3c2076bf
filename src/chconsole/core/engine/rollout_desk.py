"""The engine's rollout desk: pilots, the CSP network and the tick.

A mixin of Engine, kept apart so each file stays about one job. Every method is one
unit of work (or a few, where a command must be recorded before it is sent).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chconsole.core.deployment import schedule
from chconsole.core.deployment.activation_notices import daily as activation_digest
from chconsole.core.deployment.activation_notices import next_due as next_activation_digest
from chconsole.core.deployment.activation_notices import pending as activations_untold
from chconsole.core.engine.roles import Action
from chconsole.core.pilots import lifecycle, nominations, view
from chconsole.core.pilots import rules as pilot_rules
from chconsole.core.releases.lifecycle import get
from chconsole.core.rollout import dispatch, tallies
from chconsole.core.rollout.guid_checks import NOT_OPEN
from chconsole.core.rollout.network import Assumption, CspNetwork, require
from chconsole.core.storage import clock
from chconsole.core.storage.db import Database
from chconsole.core.storage.models import Batch, Pilot, Release
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.incoming import read_fields
from chconsole.core.vocabulary.london import utc
from chconsole.core.vocabulary.states import ReleaseState

if TYPE_CHECKING:
    from chconsole.core.pilots.nominations import NominationResult

# Releases the tick looks after.
LIVE = (
    ReleaseState.NOTIFIED.value, ReleaseState.PILOT_RUNNING.value, ReleaseState.PILOT_CONCLUDED.value,
    ReleaseState.DEPLOYING.value, ReleaseState.PAUSED.value, ReleaseState.SUSPENDED.value,
)
# A simulated clock moves in steps no shorter than this, so a month passes in a few hundred.
STEP = timedelta(hours=1)


class RolloutDesk:
    db: Database
    actor: str
    network: CspNetwork | None
    clock: Any

    # Provided by Engine.
    def now(self, session: Session | None = None) -> datetime:
        raise NotImplementedError

    def _authorize(self, s: Session, action: Action) -> None:
        raise NotImplementedError

    def _audit(self, s: Session, action: Action | str, subject: str, **detail: Any) -> None:
        raise NotImplementedError

    def deliver_outbox(self, progress: Callable[[str], None] | None = None) -> int:
        raise NotImplementedError

    # -- pilots -----------------------------------------------------------------------------
    def nominate_pilot(
        self, release_id: int, supplier: str, file: Path | None = None, rules: Sequence[str] = (),
    ) -> NominationResult:
        """A supplier's pilot nomination, from a GUID file or by business rules (not both)."""
        from chconsole.core.storage.parties import known_supplier

        if (file is None) == (not rules):
            raise BadInput("Give the nomination as a GUID file (--file) or as rules (--rule), one of the two.")
        entries: list[tuple[int, str]] = []
        if file is not None:
            entries = [(line, values[0]) for line, values in read_fields(file, ("guid",), "GUID list")]
            if not entries:
                raise BadInput(f"{file.name} lists no GUIDs.")
        rule = pilot_rules.parse(rules) if rules else None
        with self.db.writing() as s:
            self._authorize(s, Action.NOMINATE_PILOT)
            party = known_supplier(s, supplier).id
            release = get(s, release_id, lock=True)
            nominations.open_for_nominations(release)
            source = f"file {file.name}" if file is not None else ""
            if rule is not None:
                if release.state in NOT_OPEN:
                    raise BadInput(f"Release {release.id} is {release.state}, so it takes no pilot "
                                   "nominations (RELEASE_NOT_OPEN).")
                room = max(0, release.pilot_cap - nominations.nominated_by(s, release.id, party))
                if room == 0 and rule.count is None:
                    raise BadInput(f"{party} has already nominated {release.pilot_cap:,} hubs for release "
                                   f"{release.id}, its pilot cap.")
                entries = pilot_rules.choose(s, release, party, rule, room)
                source = rule.describe()
                if not entries:
                    raise BadInput(f"No hub of {party}'s in release {release.id} is free for the pilot "
                                   "and matches these rules.")
            result = nominations.nominate(s, release, party, entries, source, self.now(s), self.actor)
            self._audit(s, Action.NOMINATE_PILOT, f"release {release_id} {party}", source=source,
                        submitted=result.submitted, joined=result.joined, awaiting=result.awaiting,
                        refused=len(result.refused))
        self.deliver_outbox()
        return result

    def start_pilot(self, release_id: int, activate_at: datetime | None = None) -> view.PilotView:
        with self.db.writing() as s:
            self._authorize(s, Action.START_PILOT)
            require(self.network)
            release = get(s, release_id, lock=True)
            hubs = lifecycle.start(s, release, utc(activate_at) if activate_at else None, self.now(s), self.actor)
            self._audit(s, Action.START_PILOT, f"release {release_id}", hubs=hubs, activate_at=activate_at)
        self._process(self.now())  # distribution goes out at once
        self.deliver_outbox()
        return self.pilot(release_id)

    def conclude_pilot(self, release_id: int, decision: str, commentary: str) -> view.PilotView:
        self._catch_up(Action.CONCLUDE_PILOT)
        with self.db.writing() as s:
            self._authorize(s, Action.CONCLUDE_PILOT)
            release = get(s, release_id, lock=True)
            made = lifecycle.conclude(s, release, decision, commentary, self.now(s), self.actor)
            self._audit(s, Action.CONCLUDE_PILOT, f"release {release_id}", decision=made, commentary=commentary)
        self._send()  # a stop's cancellations leave now
        self.deliver_outbox()
        return self.pilot(release_id)

    def comment_pilot(self, release_id: int, words: str, guid: str | None = None) -> None:
        with self.db.writing() as s:
            self._authorize(s, Action.COMMENT_PILOT)
            release = get(s, release_id)
            lifecycle.comment(s, release, words, guid, self.now(s), self.actor)
            self._audit(s, Action.COMMENT_PILOT, f"release {release_id}", guid=guid, commentary=words)

    def pilot(self, release_id: int) -> view.PilotView:
        with self.db.reading() as s:
            return view.view(s, release_id, self.network)

    # -- the CSP network ------------------------------------------------------------------------
    def network_assumptions(self) -> list[Assumption]:
        with self.db.reading() as s:
            return require(self.network).assumptions(s)

    def configure_network(self, changes: dict[str, str]) -> list[Assumption]:
        with self.db.writing() as s:
            self._authorize(s, Action.CONFIGURE_NETWORK)
            figures = require(self.network).configure(s, changes)
            self._audit(s, Action.CONFIGURE_NETWORK, "csp network", **changes)
        return figures

    # -- time ---------------------------------------------------------------------------------
    def tick(self, now: datetime | None = None, downtime: bool = False) -> datetime:
        """Do whatever is due. With a simulated clock, first move it to NOW, step by step,
        so that everything due on the way happens at its own time.

        DOWNTIME moves the simulated clock to NOW in one jump, as if the console and the
        scheduler had been closed meanwhile, and then does one catch-up pass: work that fell
        due longer ago than the grace period is not run on its own but becomes overdue."""
        with self.db.writing() as s:
            self._authorize(s, Action.TICK)
            start = self.now(s)
            if now is not None:
                if not self.clock.is_simulated:
                    raise BadInput("This database runs on the system clock; only a simulated clock takes --now.")
                if utc(now) < start:
                    clock.set_simulated_now(s, now)  # refuses with the clock's own sentence
                self._audit(s, Action.TICK, "clock", moved_from=start, moved_to=now,
                            **({"downtime": True} if downtime else {}))
            elif downtime:
                raise BadInput("A downtime needs the time the console comes back (--now).")
            if downtime and now is not None:
                clock.set_simulated_now(s, now)
                start = utc(now)
        current = start
        self._process(current)
        while now is not None and current < utc(now):
            # A report attached to a notice shows things as they stood when it was made.
            self.deliver_outbox()
            current = self._next_instant(current, utc(now))
            with self.db.writing() as s:
                clock.set_simulated_now(s, current)
            self._process(current)
        self.deliver_outbox()
        return current

    def _process(self, now: datetime) -> None:
        """One pass at NOW: read results back, move hubs on, record what is due; then send."""
        with self.db.writing() as s:
            schedule.last_pass(s)  # locks the scheduler's row: one pass at a time, whoever runs it
            live = list(s.scalars(select(Release).where(Release.state.in_(LIVE)).order_by(Release.id)))
            if self.network is not None and live:
                outcomes = self.network.outcomes(s, now)
                dispatch.apply_outcomes(s, outcomes, {r.id: r.to_version for r in live}, now, self.actor)
            for release in live:
                lifecycle.advance(s, release, now, self.actor)
            capacity = self.network.capacity(s) if self.network is not None else None
            schedule.advance(s, live, now, self.actor, capacity)
            for release in live:
                tallies.sample_progress(s, release.id, now)
            activation_digest(s, now, self.actor)  # R5: confirmed activations, once a day
        self._send()

    def _catch_up(self, action: Action) -> None:
        """Before a decision that cancels work: read in every result the network already has."""
        with self.db.reading() as s:
            self._authorize(s, action)
        if self.network is not None:
            self._process(self.now())

    def _send(self) -> None:
        if self.network is None:
            return
        with self.db.writing() as s:
            dispatch.send_recorded(s, self.network, self.now(s))

    def next_due(self) -> datetime | None:
        """The next instant at which something falls due (None when nothing is planned).

        The scheduler sets a job for it; a heartbeat catches anything this misses."""
        now = self.now()
        with self.db.reading() as s:
            later = [d for d in self._due_instants(s, now) if d > now]
        return min(later) if later else None

    def _next_instant(self, current: datetime, until: datetime) -> datetime:
        with self.db.reading() as s:
            due = self._due_instants(s, current)
        later = [d for d in due if d > current]
        target = min(later) if later else until
        return min(until, max(target, current + STEP))

    def _due_instants(self, s: Session, current: datetime) -> list[datetime]:
        live = list(s.scalars(select(Release).where(Release.state.in_(LIVE))))
        due: list[datetime] = []
        if self.network is not None:
            event = self.network.next_event(s, current)
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
                due.append(lifecycle.next_progress(utc(pilot.started_at), current))
        for b in s.scalars(select(Batch).where(Batch.state.in_(("PLANNED", "RUNNING")),
                                               Batch.release_id.in_([r.id for r in live]))):
            due.append(utc(b.distribute_from) if b.state == "PLANNED" else utc(b.activate_at))
        if live or activations_untold(s):
            due.append(next_activation_digest(current))
        return due
