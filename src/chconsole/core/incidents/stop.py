"""The emergency stop (R6): one press suspends a release, or every live release, before one
more command leaves; then its activations at the network are called back and its hubs held.

The press is one short transaction that only moves the releases to SUSPENDED: every sending
transaction checks its releases' state with their rows locked (rollout/dispatch.py), so from
the press's commit on nothing more is sent for them. The rest follows in chunks of its own:
a call-back for every hub whose activation is at the network (each recorded per hub with
the network's answer: CALLED_BACK, TOO_LATE, or none yet), and every hub not yet activated
HELD, remembering where it was. While a release stays suspended, each pass holds what lands
(a distribution that was in flight, a call-back confirmed) and reads the answers in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from chconsole.core.rollout import dispatch
from chconsole.core.rollout.machine import move
from chconsole.core.storage import audit
from chconsole.core.storage.incident_models import (
    EmergencyStop,
    Incident,
    IncidentEvent,
    StopRelease,
)
from chconsole.core.storage.models import Release
from chconsole.core.storage.sql import at_params, rowcount
from chconsole.core.vocabulary.errors import BadInput, IllegalTransition, NotFound
from chconsole.core.vocabulary.london import utc
from chconsole.core.vocabulary.states import HubState as H
from chconsole.core.vocabulary.states import ReleaseState, check_release_move

# Releases a stop suspends: every live one not suspended already.
HALTABLE = (ReleaseState.NOTIFIED, ReleaseState.PILOT_RUNNING, ReleaseState.PILOT_CONCLUDED,
            ReleaseState.DEPLOYING, ReleaseState.PAUSED)
HELD_REASON = "EMERGENCY_STOP"
# Hubs a stop holds at once; those with a command in flight are held as their answers land.
HOLDABLE = (H.ELIGIBLE, H.AWAITING_OTHER_SUPPLIER, H.SCHEDULED, H.DISTRIBUTED)
HOLD_CHUNK = 20_000  # hubs held in one transaction


@dataclass(frozen=True)
class StopInfo:
    """One press of the emergency stop and what it has achieved so far.

    Attributes:
        called_back: activations the network confirmed called back.
        too_late: hubs that had already activated when the call-back reached them.
        no_answer: call-backs not answered yet (hubs can be silent for days).
        held: hubs of its releases held by it now.
    """

    id: int
    every_release: bool
    pressed_at: datetime
    pressed_by: str
    reason: str | None
    releases: tuple[int, ...]
    lifted_at: datetime | None
    called_back: int
    too_late: int
    no_answer: int
    held: int

    @property
    def calls(self) -> int:
        """Call-backs sent: one per hub whose activation was at the network."""
        return self.called_back + self.too_late + self.no_answer


def press(session: Session, release_id: int | None, now: datetime, actor: str,
          reason: str | None = None) -> EmergencyStop:
    """Suspend RELEASE_ID (None: every live release) at once; nothing else is done here."""
    q = select(Release).where(Release.state.in_([s.value for s in HALTABLE])).order_by(Release.id)
    if release_id is not None:
        release = session.get(Release, release_id, with_for_update=True)
        if release is None:
            raise NotFound(f"There is no release {release_id}.")
        if release.state == ReleaseState.SUSPENDED:
            raise BadInput(f"Release {release_id} is already suspended by an emergency stop.")
        if release.state not in HALTABLE:
            raise IllegalTransition(f"Release {release_id} is {release.state}: only a live release can be stopped.")
        releases = [release]
    else:
        releases = list(session.scalars(q.with_for_update()))
        if not releases:
            raise BadInput("No release is live, so there is nothing to stop.")
    stop = EmergencyStop(every_release=release_id is None, pressed_at=now, pressed_by=actor,
                         reason=(reason or "").strip()[:4000] or None)
    session.add(stop)
    session.flush()
    for r in releases:
        check_release_move(r.id, r.state, ReleaseState.SUSPENDED)
        if r.state != ReleaseState.PAUSED:  # a paused release goes back to where it was before
            r.resume_to = r.state
        r.state, r.halted_by, r.halted_at = ReleaseState.SUSPENDED, actor, now
        session.add(StopRelease(stop_id=stop.id, release_id=r.id))
        audit.record(session, now, actor, "release-suspended", f"release {r.id}",
                     {"stop": stop.id, "reason": stop.reason, "resume_to": r.resume_to})
    return stop


def call_back(session: Session, stop_id: int, release_id: int, now: datetime, actor: str) -> int:
    """Withdraw the release's commands recorded but never sent (their hubs step back, on a new
    attempt), then record a call-back for every hub whose activation is at the network, and
    that the stop asked for it; returns how many. The call-backs leave with the next send."""
    unsent = ("AND EXISTS (SELECT 1 FROM csp_command c WHERE c.release_id = release_hub.release_id AND "
              "c.hub_id = release_hub.hub_id AND c.step = '{step}' AND c.attempt = release_hub.attempt AND "
              "c.sent_at IS NULL AND c.outcome IS NULL)")
    move(session, release_id, H.ACTIVATION_PENDING, H.DISTRIBUTED, now=now, actor=actor,
         where=unsent.format(step="activate"), assign=", attempt = attempt + 1")
    move(session, release_id, H.DISTRIBUTING, H.SCHEDULED, now=now, actor=actor,
         where=unsent.format(step="distribute"), assign=", attempt = attempt + 1")
    session.execute(at_params(
        "UPDATE csp_command SET outcome = 'WITHDRAWN', outcome_at = :now WHERE release_id = :r AND "
        "sent_at IS NULL AND outcome IS NULL AND step <> 'cancel'", "now"), {"r": release_id, "now": now})
    added = rowcount(session.execute(text(
        "INSERT INTO stop_hub (stop_id, release_id, hub_id, attempt) SELECT :s, release_id, hub_id, attempt "
        "FROM release_hub WHERE release_id = :r AND state = 'ACTIVATION_PENDING' AND NOT EXISTS ("
        "SELECT 1 FROM stop_hub x WHERE x.stop_id = :s AND x.release_id = release_hub.release_id "
        "AND x.hub_id = release_hub.hub_id)"), {"s": stop_id, "r": release_id}))
    dispatch.record_cancels(session, release_id, now, where="AND state = 'ACTIVATION_PENDING'")
    return added


def hold(session: Session, stop_id: int, release_id: int, now: datetime, actor: str,
         limit: int = HOLD_CHUNK) -> int:
    """Hold up to LIMIT more hubs of a suspended release, each remembering where it was, and
    read in the network's answers to the stop's call-backs; returns how many were held
    (fewer than LIMIT: none is left to hold for now)."""
    _read_answers(session, stop_id, release_id)
    held = 0
    for state in HOLDABLE:
        left = limit - held
        if left <= 0:
            break
        held += move(session, release_id, state, H.HELD, now=now, actor=actor, reason=HELD_REASON,
                     assign=f", held_from = '{state.value}'", why="emergency stop",
                     where=(f"AND hub_id IN (SELECT hub_id FROM release_hub WHERE release_id = :r "
                            f"AND state = '{state.value}' LIMIT {left})"))
    if held < limit:  # activations the network confirmed called back: the image stays on the hub
        held += move(session, release_id, H.ACTIVATION_PENDING, H.HELD, now=now, actor=actor,
                     reason=HELD_REASON, assign=", held_from = 'DISTRIBUTED'", why="emergency stop",
                     where=("AND (hub_id, attempt) IN (SELECT x.hub_id, x.attempt FROM stop_hub x WHERE "
                            "x.stop_id = :s AND x.release_id = :r AND x.outcome = 'CALLED_BACK')"),
                     params={"s": stop_id})
    if held < limit:
        row = session.get(StopRelease, (stop_id, release_id))
        if row is not None and not row.held_done:
            row.held_done = True
    return held


def _read_answers(session: Session, stop_id: int, release_id: int) -> None:
    session.execute(text(
        "UPDATE stop_hub SET outcome = (SELECT c.outcome FROM csp_command c WHERE c.release_id = "
        "stop_hub.release_id AND c.hub_id = stop_hub.hub_id AND c.step = 'cancel' AND c.attempt = "
        "stop_hub.attempt), answered_at = (SELECT c.outcome_at FROM csp_command c WHERE c.release_id = "
        "stop_hub.release_id AND c.hub_id = stop_hub.hub_id AND c.step = 'cancel' AND c.attempt = "
        "stop_hub.attempt) WHERE stop_id = :s AND release_id = :r AND outcome IS NULL"),
        {"s": stop_id, "r": release_id})


def link(session: Session, incident: Incident, stop_id: int, now: datetime, actor: str) -> None:
    """Tie an incident to the stop that holds its release: it is P1 from then on."""
    if incident.stop_id == stop_id:
        return
    incident.stop_id, incident.emergency_stop, incident.priority = stop_id, True, "P1"
    session.add(IncidentEvent(incident_id=incident.id, at=now, by=actor, kind="stop",
                              text=f"Emergency stop {stop_id} holds release {incident.release_id}"))


def open_incidents_of(session: Session, stop_id: int) -> list[Incident]:
    """Incidents not closed on the releases a stop suspended, not yet tied to a stop."""
    return list(session.scalars(select(Incident).where(
        Incident.release_id.in_(select(StopRelease.release_id).where(StopRelease.stop_id == stop_id)),
        Incident.state != "CLOSED", Incident.stop_id.is_(None))))


def releases_of(session: Session, stop_id: int) -> list[Release]:
    """The releases a stop suspended."""
    return list(session.scalars(select(Release).join(StopRelease, StopRelease.release_id == Release.id)
                                .where(StopRelease.stop_id == stop_id).order_by(Release.id)))


def active_stop(session: Session, release_id: int) -> EmergencyStop | None:
    """The stop that holds RELEASE_ID suspended now, if one does."""
    return session.scalars(
        select(EmergencyStop).join(StopRelease, StopRelease.stop_id == EmergencyStop.id)
        .where(StopRelease.release_id == release_id, EmergencyStop.lifted_at.is_(None))
        .order_by(EmergencyStop.id.desc())).first()


def info(session: Session, stop_id: int) -> StopInfo:
    """StopInfo of one stop, from its per-hub record and the releases' maintained counts."""
    stop = session.get(EmergencyStop, stop_id)
    if stop is None:
        raise NotFound(f"There is no emergency stop {stop_id}.")
    releases = tuple(session.scalars(select(StopRelease.release_id).where(StopRelease.stop_id == stop_id)
                                     .order_by(StopRelease.release_id)))
    answers = {str(o): int(n) for o, n in session.execute(text(
        "SELECT COALESCE(outcome, 'NONE'), COUNT(*) FROM stop_hub WHERE stop_id = :s GROUP BY outcome"),
        {"s": stop_id})}
    held = int(session.execute(text(
        f"SELECT COUNT(*) FROM release_hub WHERE state = 'HELD' AND reason = '{HELD_REASON}' AND release_id IN "
        "(SELECT release_id FROM stop_release WHERE stop_id = :s)"), {"s": stop_id}).scalar() or 0) \
        if stop.lifted_at is None else 0
    return StopInfo(stop.id, stop.every_release, utc(stop.pressed_at), stop.pressed_by, stop.reason, releases,
                    utc(stop.lifted_at) if stop.lifted_at else None, answers.get("CALLED_BACK", 0),
                    answers.get("TOO_LATE", 0), answers.get("NONE", 0), held)
