"""The incidents desk (R6): incidents, the emergency stop, and what it achieved."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from chconsole.core.engine.changes import Changes, Done
from chconsole.core.engine.context import EngineContext
from chconsole.core.engine.passes import TimeDesk
from chconsole.core.engine.roles import Action
from chconsole.core.incidents import guard as guards
from chconsole.core.incidents import register, triage
from chconsole.core.incidents import stop as stops
from chconsole.core.incidents.guard import GuardInfo
from chconsole.core.incidents.notices import decision_notices, halted, pending_of, resumed
from chconsole.core.incidents.register import IncidentInfo, RaiseResult
from chconsole.core.incidents.stop import StopInfo
from chconsole.core.incidents.triage import Consequences
from chconsole.core.releases.lifecycle import ReleaseInfo, get, view
from chconsole.core.vocabulary.incoming import guid_entries
from chconsole.core.vocabulary.london import utc


class IncidentsDesk:
    """Incidents, the emergency stop, triage and the Panel's decisions."""

    def __init__(self, ctx: EngineContext, time: TimeDesk) -> None:
        self.ctx = ctx
        self.time = time

    def stop(self, release_id: int | None = None, reason: str | None = None) -> Done[StopInfo]:
        """The emergency stop: suspend RELEASE_ID (None: every live release) pending the Panel.

        Any DCC user may press it; it needs no form (REASON may come later). Its commit is
        the instant it takes effect: from then on no command leaves for those releases. Then
        the commands recorded but never sent are withdrawn, activations at the network are
        called back, and every hub not yet activated is HELD. Returns what it achieved so far
        (the call-backs' answers arrive with later passes)."""
        ctx = self.ctx
        with ctx.db.stop_request(), ctx.db.writing() as s:
            ctx.authorize(s, Action.EMERGENCY_STOP)
            pressed = stops.press(s, release_id, ctx.now(s), ctx.actor, reason)
            ctx.audit(s, Action.EMERGENCY_STOP, "every live release" if release_id is None else
                      f"release {release_id}", stop=pressed.id, reason=reason)
            stop_id = pressed.id
        with ctx.db.writing() as s:  # after the commit that made it take effect
            for incident in stops.open_incidents_of(s, stop_id):
                stops.link(s, incident, stop_id, ctx.now(s), ctx.actor)
            for release in stops.releases_of(s, stop_id):
                halted(s, release, "DCC pressed the emergency stop, pending the SEC Panel's decision.",
                       ctx.now(s), ctx.actor)
        released = self.time.settle_stop(stop_id)
        ids = frozenset(released)
        return Done(self.stop_info(stop_id), ctx.deliver(Changes(releases=ids, pilots=ids)))

    # -- incidents ------------------------------------------------------------------------------
    def raise_incident(self, release_id: int, party: str, description: str, file: Path | None = None,
                       emergency_stop: bool = False) -> Done[RaiseResult]:
        """Log an incident a supplier (PARTY) reported about a release: DESCRIPTION of the harm
        to homes' in-home networks, the affected GUIDs in FILE (optional; bad lines are
        refused one by one), and whether it asks for an emergency stop (P1, else P2). A stop
        already holding the release is linked to it."""
        ctx = self.ctx
        entries = guid_entries(file) if file is not None else []
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.RAISE_INCIDENT)
            incident, refused = register.raise_incident(s, release_id, party, description, entries,
                                                        emergency_stop, ctx.now(s), ctx.actor)
            pressed = stops.active_stop(s, release_id)
            if pressed is not None:
                stops.link(s, incident, pressed.id, ctx.now(s), ctx.actor)
            ctx.audit(s, Action.RAISE_INCIDENT, f"incident {incident.id}", release=release_id,
                      reported_by=incident.supplier, priority=incident.priority, hubs=len(entries) - len(refused),
                      refused=len(refused), emergency_stop=emergency_stop)
            result = RaiseResult(register.info(s, incident), tuple(refused))
        return Done(result, Changes(incidents=frozenset({result.incident.id}), releases=frozenset({release_id})))

    def comment_incident(self, incident_id: int, words: str) -> Done[IncidentInfo]:
        """Add a comment to an incident's history."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.COMMENT_INCIDENT)
            incident = register.get(s, incident_id, lock=True)
            register.comment(s, incident, words, ctx.now(s), ctx.actor)
            ctx.audit(s, Action.COMMENT_INCIDENT, f"incident {incident_id}", comment=words)
            info = register.info(s, incident)
        return Done(info, Changes(incidents=frozenset({incident_id})))

    def close_incident(self, incident_id: int) -> Done[IncidentInfo]:
        """Close an incident whose decision the Panel confirmed (or that needed none)."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.CLOSE_INCIDENT)
            incident = register.get(s, incident_id, lock=True)
            register.close(s, incident, ctx.now(s), ctx.actor)
            ctx.audit(s, Action.CLOSE_INCIDENT, f"incident {incident_id}")
            info = register.info(s, incident)
        return Done(info, Changes(incidents=frozenset({incident_id})))

    def incident(self, incident_id: int) -> IncidentInfo:
        """One incident with its history."""
        with self.ctx.db.reading() as s:
            return register.info(s, register.get(s, incident_id))

    def incidents(self, open_only: bool = False, release_id: int | None = None) -> list[IncidentInfo]:
        """Incidents by priority, then age (only those not closed, with OPEN_ONLY)."""
        with self.ctx.db.reading() as s:
            return [register.info(s, x) for x in register.listed(s, open_only, release_id)]

    # -- triage, the Panel, resume -------------------------------------------------------------
    def preview_triage(self, incident_id: int, outcome: str, new_date: datetime | None = None) -> Consequences:
        """What OUTCOME (proceed, pause, delay with NEW_DATE, stop) would do; nothing is changed."""
        with self.ctx.db.reading() as s:
            return triage.consequences(s, register.get(s, incident_id), outcome, utc(new_date) if new_date else None,
                                       self.ctx.now(s))

    def triage(self, incident_id: int, outcome: str, new_date: datetime | None = None,
               note: str = "") -> Done[Consequences]:
        """DCC's outcome for an incident; it takes effect when the Panel confirms it. Returns
        what it will do (how many hubs, which suppliers, which dates move)."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.TRIAGE)
            incident = register.get(s, incident_id, lock=True)
            found = triage.triage(s, incident, outcome, new_date, note, ctx.now(s), ctx.actor)
            ctx.audit(s, Action.TRIAGE, f"incident {incident_id}", outcome=found.outcome, new_date=found.new_date,
                      note=note or None)
        return Done(found, Changes(incidents=frozenset({incident_id}), releases=frozenset({found.release_id})))

    def confirm_decision(self, incident_id: int, by: str, body: str) -> Done[Consequences]:
        """Record that the Panel (BODY panel) or its Sub-Committee confirmed the incident's
        outcome, BY whom; the outcome takes effect now and everyone concerned is told."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.CONFIRM_DECISION)
            incident = register.get(s, incident_id, lock=True)
            pending: dict[str, list[str]] = {}
            if incident.outcome is not None:  # what it does to each supplier's work, read before it is done
                before = triage.consequences(s, incident, incident.outcome, incident.new_date, ctx.now(s))
                pending = pending_of(s, incident, before)
            found = triage.confirm(s, incident, by, body, ctx.now(s), ctx.actor)
            decision_notices(s, incident, found, pending, ctx.now(s), ctx.actor)
            ctx.audit(s, Action.CONFIRM_DECISION, f"incident {incident_id}", outcome=found.outcome, by=by, body=body)
        self.time.send_for(found.release_id)  # a pause's or stop's call-backs leave now
        ids = frozenset({found.release_id})
        return Done(found, ctx.deliver(Changes(incidents=frozenset({incident_id}), releases=ids, pilots=ids)))

    def resume(self, release_id: int) -> Done[ReleaseInfo]:
        """Resume a suspended or paused release: needs a confirmed decision to proceed or delay,
        and a DCC user other than the one who halted it. Batches whose time passed meanwhile
        become overdue (DCC runs or re-plans them); failures before now do not trip the guard."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.RESUME)
            release = get(s, release_id, lock=True)
            restored = triage.resume(s, release, ctx.now(s), ctx.actor)
            resumed(s, release, ctx.now(s), ctx.actor)
            ctx.audit(s, Action.RESUME, f"release {release_id}", hubs_restored=restored)
        ids = frozenset({release_id})
        with ctx.db.reading() as s:
            info = view(s, release_id)
        return Done(info, ctx.deliver(Changes(releases=ids, pilots=ids)))

    # -- the failure guard ----------------------------------------------------------------------
    def guard(self, release_id: int) -> GuardInfo:
        """A release's failure guard and the worst batch, region or supplier since its last resume."""
        with self.ctx.db.reading() as s:
            return guards.info(s, get(s, release_id))

    def set_guard(self, release_id: int, max_failure_pct: float | None = None,
                  min_finished: int | None = None) -> Done[GuardInfo]:
        """Set the share of failures (percent) above which, over at least MIN_FINISHED finished
        hubs in any batch, region or supplier, the release pauses on its own."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.SET_GUARD)
            release = get(s, release_id, lock=True)
            guards.set_guard(s, release, max_failure_pct, min_finished)
            ctx.audit(s, Action.SET_GUARD, f"release {release_id}", max_failure_pct=release.guard_max_failure / 100,
                      min_finished=release.guard_min_finished)
            found = guards.info(s, release)
        return Done(found, Changes(releases=frozenset({release_id})))

    def stop_info(self, stop_id: int) -> StopInfo:
        """One stop and what it achieved: call-backs confirmed, too late, unanswered; hubs held."""
        with self.ctx.db.reading() as s:
            return stops.info(s, stop_id)
