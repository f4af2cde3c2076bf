"""Triage, the Panel's confirmation, and resuming (R6).

DCC triages an incident to one outcome: proceed, pause, delay the end date (to a new DCC
deployment date) or stop. The outcome is recorded at triage and takes effect when the Panel
(or its Sub-Committee) confirms it. A release halted by an emergency stop or a pause goes on
only through `resume`: after a confirmed decision that allows it (proceed or delay), by a DCC
user other than the one who halted it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from chconsole.core.deployment import schedule
from chconsole.core.incidents import register
from chconsole.core.incidents.stop import HELD_REASON, active_stop
from chconsole.core.releases.lifecycle import cut_off_for
from chconsole.core.rollout import dispatch, tallies
from chconsole.core.rollout.machine import move
from chconsole.core.storage import audit
from chconsole.core.storage.campaign_models import Batch
from chconsole.core.storage.incident_models import GuardBaseline, Incident
from chconsole.core.storage.models import Release
from chconsole.core.vocabulary.errors import BadInput, IllegalTransition, NotAllowed
from chconsole.core.vocabulary.london import show, utc
from chconsole.core.vocabulary.states import OPEN_HUB_STATES, ReleaseState, check_release_move
from chconsole.core.vocabulary.states import HubState as H

OUTCOMES = ("proceed", "pause", "delay", "stop")
BODIES = {"panel": "the SEC Panel", "sub-committee": "the Panel's Sub-Committee"}
HALTED = (ReleaseState.SUSPENDED, ReleaseState.PAUSED)
RESUMES = ("proceed", "delay")  # the outcomes after which a halted release may go on
SYSTEM = "system"  # who halts a release when the failure guard pauses it


@dataclass(frozen=True)
class Consequences:
    """What a triage outcome would do, told before anyone confirms it.

    Attributes:
        hubs: hubs of the release still waiting for their activation (what the outcome acts on).
        suppliers: suppliers with such hubs.
        dates: what moves, as (what, from, to) in words.
        lines: the consequences as sentences, for the dialog and `--preview`.
    """

    release_id: int
    outcome: str
    new_date: datetime | None
    hubs: int
    suppliers: tuple[str, ...]
    dates: tuple[tuple[str, str, str], ...]
    lines: tuple[str, ...]


def consequences(session: Session, incident: Incident, outcome: str, new_date: datetime | None,
                 now: datetime) -> Consequences:
    """What OUTCOME on INCIDENT's release would do; checks it could be done, changes nothing."""
    outcome = _check(session, incident, outcome, new_date, now)
    release = session.get(Release, incident.release_id)
    assert release is not None
    counts = tallies.read(session, release.id, "state")
    waiting = sum(counts.get(s.value, 0) for s in OPEN_HUB_STATES)
    suppliers = sorted({key.partition("|")[0] for key, n in tallies.read(session, release.id, "supplier_state").items()
                        if n and key.partition("|")[2] in {s.value for s in OPEN_HUB_STATES}})
    halted = release.state in HALTED
    dates: list[tuple[str, str, str]] = []
    if outcome == "proceed":
        lines = [f"Release {release.id} goes on as planned: {waiting:,} hubs keep their times."]
        if halted:
            lines.append(f"It is {release.state}: once the Panel confirms, a DCC user other than "
                         f"{release.halted_by} resumes it; batches whose time passed meanwhile become overdue.")
    elif outcome == "pause":
        pending = counts.get(H.ACTIVATION_PENDING.value, 0)
        lines = [f"Release {release.id} is paused once the Panel confirms: nothing new is sent, "
                 f"{pending:,} activations at the network are called back, hubs keep their state."]
    elif outcome == "delay":
        assert new_date is not None and release.deployment_date is not None
        old, cut = utc(release.deployment_date), cut_off_for(new_date)
        dates = [("DCC deployment date", show(old), show(new_date)),
                 ("cut-off for instructions", show(cut_off_for(old)), show(cut))]
        lines = [f"The DCC deployment date moves from {show(old)} to {show(new_date)}; the cut-off for "
                 f"instructions becomes {show(cut)}.",
                 "Hubs waiting for the DCC date move with it; supplier and DCC batch times before "
                 "the new date stay."]
        if halted:
            lines.append(f"Release {release.id} stays {release.state} until a second DCC user resumes it.")
    else:
        lines = [f"Release {release.id} ends (STOPPED): {waiting:,} hubs not yet activated are cancelled "
                 "and activations at the network called back; activated hubs stay activated."]
    lines.append(f"{len(suppliers)} suppliers are told what it means for their instructions and batches.")
    return Consequences(release.id, outcome, new_date, waiting, tuple(suppliers), tuple(dates), tuple(lines))


def _check(session: Session, incident: Incident, outcome: str, new_date: datetime | None, now: datetime) -> str:
    outcome = outcome.strip().lower()
    if outcome not in OUTCOMES:
        raise BadInput(f"{outcome!r} is not a triage outcome; it is proceed, pause, delay or stop.")
    if incident.state in (register.CONFIRMED, register.CLOSED):
        raise IllegalTransition(f"Incident {incident.id} is {incident.state}: its decision is made.")
    release = session.get(Release, incident.release_id)
    assert release is not None
    if release.state in (ReleaseState.STOPPED, ReleaseState.REVOKED, ReleaseState.COMPLETED):
        raise IllegalTransition(f"Release {release.id} is {release.state}: there is no rollout left to decide on.")
    if outcome == "delay":
        if new_date is None:
            raise BadInput("A delay needs the new DCC deployment date (--new-date).")
        if release.deployment_date is None or utc(new_date) <= utc(release.deployment_date):
            raise BadInput(f"The new date {show(new_date)} must be later than the DCC deployment date "
                           f"{show(utc(release.deployment_date)) if release.deployment_date else '(none)'}.")
    elif new_date is not None:
        raise BadInput(f"Only a delay takes a new date; {outcome} does not.")
    if outcome == "pause" and release.state == ReleaseState.PAUSED:
        raise IllegalTransition(f"Release {release.id} is already paused.")
    return outcome


def triage(session: Session, incident: Incident, outcome: str, new_date: datetime | None, note: str,
           now: datetime, actor: str) -> Consequences:
    """Record DCC's outcome (it takes effect on the Panel's confirmation); returns what it will do."""
    found = consequences(session, incident, outcome, utc(new_date) if new_date else None, now)
    incident.outcome, incident.new_date = found.outcome, found.new_date
    incident.triaged_at, incident.triaged_by, incident.triage_note = now, actor, note.strip()[:4000] or None
    incident.state = register.TRIAGED
    register.history(session, incident, now, actor, "triaged", f"Outcome: {found.outcome}" + (
        f" to {show(found.new_date)}" if found.new_date else "") + (f". {note.strip()}" if note.strip() else ""))
    return found


def confirm(session: Session, incident: Incident, by: str, body: str, now: datetime, actor: str) -> Consequences:
    """Record the Panel's (or Sub-Committee's) confirmation and apply the outcome."""
    body = body.strip().lower()
    if body not in BODIES:
        raise BadInput(f"{body!r} is not a body that confirms decisions; it is panel or sub-committee.")
    if not by.strip():
        raise BadInput("Name who confirmed the decision for the Panel (--by).")
    if incident.state != register.TRIAGED or incident.outcome is None:
        raise IllegalTransition(f"Incident {incident.id} is {incident.state}: only a triaged outcome can be confirmed.")
    found = consequences(session, incident, incident.outcome, utc(incident.new_date) if incident.new_date else None,
                         now)
    release = session.get(Release, incident.release_id, with_for_update=True)
    assert release is not None
    if found.outcome == "pause" and release.state != ReleaseState.SUSPENDED:
        check_release_move(release.id, release.state, ReleaseState.PAUSED)
        release.resume_to, release.state = release.state, ReleaseState.PAUSED
        release.halted_by, release.halted_at = actor, now
        dispatch.record_cancels(session, release.id, now, where="AND state = 'ACTIVATION_PENDING' "
                                "AND planned_activation > :now", params={"now": now})
    elif found.outcome == "delay":
        _delay(session, release, utc(found.new_date) if found.new_date else now, now, actor)
    elif found.outcome == "stop":
        check_release_move(release.id, release.state, ReleaseState.STOPPED)
        release.state = ReleaseState.STOPPED
        dispatch.cancel_open(session, release.id, "STOPPED", now, actor, f"stopped on incident {incident.id}")
        for batch in session.scalars(select(Batch).where(Batch.release_id == release.id,
                                                          Batch.state.in_(("PLANNED", "RUNNING", "OVERDUE")))):
            batch.state = "CANCELLED"
        _lift(session, release.id, now)
    incident.state, incident.confirmed_at = register.CONFIRMED, now
    incident.confirmed_by, incident.confirm_body, incident.confirm_recorded_by = by.strip()[:120], body, actor
    register.history(session, incident, now, actor, "confirmed",
                     f"{found.outcome.capitalize()} confirmed by {by.strip()} for {BODIES[body]}")
    audit.record(session, now, actor, "decision-applied", f"release {release.id}",
                 {"incident": incident.id, "outcome": found.outcome, "new_date": found.new_date})
    return found


def _delay(session: Session, release: Release, new_date: datetime, now: datetime, actor: str) -> None:
    old = utc(release.deployment_date) if release.deployment_date else None
    release.deployment_date, release.deployment_date_set = new_date, True
    release.cut_off = cut_off_for(new_date)
    session.execute(text(
        "UPDATE release_hub SET planned_activation = :new WHERE release_id = :r AND planned_activation = :old"),
        {"r": release.id, "new": new_date, "old": old})
    for batch in session.scalars(select(Batch).where(
            Batch.release_id == release.id, Batch.kind == schedule.DEPLOYMENT_DATE,
            Batch.state.in_(("PLANNED", "RUNNING", "OVERDUE")))):
        batch.activate_at = new_date
        batch.distribute_from = schedule.distribute_from(release, new_date, now)
        batch.state, batch.overdue_since = ("PLANNED" if batch.distribute_from > now else "RUNNING"), None
    audit.record(session, now, actor, "release-delayed", f"release {release.id}", {"from": old, "to": new_date})


def resume(session: Session, release: Release, now: datetime, actor: str) -> int:
    """Resume a halted release after a confirmed decision that allows it, as a second user;
    returns how many hubs the stop had held that go back where they were."""
    if release.state not in HALTED:
        raise IllegalTransition(f"Release {release.id} is {release.state}: only a suspended or paused release resumes.")
    if release.halted_by == actor:
        raise NotAllowed(f"{actor} halted release {release.id}; a second DCC user must resume it (four eyes).")
    decided = session.scalars(select(Incident).where(
        Incident.release_id == release.id, Incident.state.in_((register.CONFIRMED, register.CLOSED)),
        Incident.outcome.in_(RESUMES), Incident.confirmed_at >= release.halted_at)
        .order_by(Incident.confirmed_at.desc())).first()
    if decided is None:
        raise IllegalTransition(f"Release {release.id} resumes only after the Panel confirmed a decision to "
                                "proceed or delay; triage its incident and record the confirmation first.")
    restored = 0
    for state in (H.ELIGIBLE, H.AWAITING_OTHER_SUPPLIER, H.SCHEDULED, H.DISTRIBUTED):
        restored += move(session, release.id, H.HELD, state, now=now, actor=actor, reason=None,
                         why="resumed after an emergency stop",
                         where=f"AND reason = '{HELD_REASON}' AND held_from = '{state.value}'",
                         assign=", held_from = NULL, attempt = attempt + CASE WHEN EXISTS (SELECT 1 FROM "
                         "csp_command c WHERE c.release_id = release_hub.release_id AND c.hub_id = "
                         "release_hub.hub_id AND c.attempt = release_hub.attempt AND c.step = 'activate') "
                         "THEN 1 ELSE 0 END")
    target = ReleaseState(release.resume_to or ReleaseState.NOTIFIED.value)
    release.state, release.resume_to, release.halted_by, release.halted_at = target, None, None, None
    for batch in session.scalars(select(Batch).where(Batch.release_id == release.id, Batch.state == "RUNNING",
                                                      Batch.activate_at <= now)):
        batch.state, batch.overdue_since = "OVERDUE", utc(batch.activate_at)  # never run late on its own
    _lift(session, release.id, now)
    set_baseline(session, release.id)
    audit.record(session, now, actor, "release-resumed", f"release {release.id}",
                 {"to": target.value, "decision": decided.id, "hubs_restored": restored})
    return restored


def _lift(session: Session, release_id: int, now: datetime) -> None:
    stop = active_stop(session, release_id)
    if stop is not None:
        stop.lifted_at = now


def set_baseline(session: Session, release_id: int) -> None:
    """Failures and finished hubs per scope now: the failure guard counts only what follows."""
    session.query(GuardBaseline).filter(GuardBaseline.release_id == release_id).delete()
    for scope, failed, finished in guard_figures(session, release_id):
        session.add(GuardBaseline(release_id=release_id, scope=scope, failed=failed, finished=finished))


def guard_figures(session: Session, release_id: int) -> list[tuple[str, int, int]]:
    """(scope, failed, finished) per batch, region and supplier, from the maintained counts."""
    figures: dict[str, list[int]] = {}
    for dimension, name in (("batch_state", "batch"), ("region_state", "region"), ("supplier_state", "supplier")):
        for key, n in tallies.read(session, release_id, dimension).items():
            part, _, state = key.partition("|")
            if state in (H.FAILED.value, H.ACTIVATED.value):
                f = figures.setdefault(f"{name}|{part}", [0, 0])
                f[1] += n
                if state == H.FAILED.value:
                    f[0] += n
    return [(scope, f[0], f[1]) for scope, f in sorted(figures.items())]
