"""Running a pilot (R2): start, the work of every tick, commentary, and the conclusion.

The gate: no safe-launch hub is activated before DCC concludes the pilot with proceed.
Safe-launch hubs whose date comes first are HELD, and their suppliers are told.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from chconsole.core.pilots import notices
from chconsole.core.rollout import dispatch, tallies
from chconsole.core.rollout.machine import PILOT, SAFE_LAUNCH, move
from chconsole.core.storage.campaign_models import Batch, HubComment, Pilot
from chconsole.core.storage.models import Release
from chconsole.core.vocabulary.errors import BadInput, IllegalTransition, NotFound
from chconsole.core.vocabulary.guid import canonical_guid
from chconsole.core.vocabulary.london import LONDON, show, to_london, utc
from chconsole.core.vocabulary.states import OPEN_HUB_STATES, ReleaseState, check_release_move
from chconsole.core.vocabulary.states import HubState as H

PROGRESS_AT = time(17, 0)  # daily progress notices go at five in the afternoon, London time
DECISIONS = ("proceed", "stop")
_PILOT_OPEN = tuple(s.value for s in OPEN_HUB_STATES if s is not H.AWAITING_OTHER_SUPPLIER)


def pilot_of(session: Session, release: Release) -> Pilot:
    pilot = session.get(Pilot, release.id)
    if pilot is None:
        raise BadInput(f"Release {release.id} has no pilot: no supplier has nominated a hub for it yet.")
    return pilot


def start(session: Session, release: Release, activate_at: datetime | None, now: datetime, actor: str) -> int:
    """Start the pilot; returns how many hubs are in it. Distribution goes out at once."""
    if release.state != ReleaseState.NOTIFIED:
        check_release_move(release.id, release.state, ReleaseState.PILOT_RUNNING)
    pilot = pilot_of(session, release)
    hubs = tallies.read(session, release.id, "pilot_state").get(H.SCHEDULED.value, 0)
    if not hubs:
        raise BadInput(f"No hub has joined the pilot of release {release.id} yet, so it cannot start.")
    if activate_at is not None:
        deadline = utc(release.deployment_date) if release.deployment_date else None
        if activate_at <= now:
            raise BadInput(f"The pilot activation time {show(activate_at)} has passed; give a later time.")
        if deadline is not None and activate_at > deadline:
            raise BadInput(f"The pilot activation time {show(activate_at)} is after the DCC deployment "
                           f"date {show(deadline)}.")
    dropped = _awaiting_by_nominator(session, release.id)
    move(session, release.id, H.AWAITING_OTHER_SUPPLIER, H.ELIGIBLE, now=now, actor=actor)
    release.state = ReleaseState.PILOT_RUNNING
    pilot.state, pilot.started_at, pilot.started_by, pilot.activate_at = "RUNNING", now, actor, activate_at
    notices.started(session, release, pilot, hubs, dropped, now, actor)
    return hubs


def _awaiting_by_nominator(session: Session, release_id: int) -> Counter[str]:
    counts: Counter[str] = Counter()
    for imp, gas, p_imp, _p_gas, n in session.execute(text(
        "SELECT import_supplier, gas_supplier, pilot_import, pilot_gas, COUNT(*) FROM release_hub "
        "WHERE release_id = :r AND state = 'AWAITING_OTHER_SUPPLIER' "
        "GROUP BY import_supplier, gas_supplier, pilot_import, pilot_gas"), {"r": release_id}):
        counts[str(imp if p_imp else gas)] += int(n)
    return counts


def conclude(
    session: Session, release: Release, decision: str, commentary: str, now: datetime, actor: str,
) -> str:
    """DCC's decision on the pilot: proceed opens the gate; stop stops the release."""
    decision = decision.strip().lower()
    if decision not in DECISIONS:
        raise BadInput(f"{decision!r} is not a pilot decision; it is proceed or stop.")
    if not commentary.strip():
        raise BadInput("Give commentary with the decision (--commentary); every supplier concerned reads it.")
    without = release.state == ReleaseState.NOTIFIED and not tallies.read(session, release.id, "pilot_state")
    if release.state != ReleaseState.PILOT_RUNNING and not without:
        if release.state == ReleaseState.NOTIFIED:
            raise IllegalTransition(f"Release {release.id}'s pilot has hubs but has not started: start it, or "
                                    "conclude once it has run.")
        raise IllegalTransition(f"Release {release.id} is {release.state}: only a running pilot can be concluded.")
    if without:
        # DCC decides without a pilot (no supplier nominated a hub that joined): the decision
        # is recorded like a pilot's, so the gate opens (or the release stops) the same way.
        pilot = session.get(Pilot, release.id) or Pilot(release_id=release.id, state="NOMINATING")
        session.add(pilot)
        move(session, release.id, H.AWAITING_OTHER_SUPPLIER, H.ELIGIBLE, now=now, actor=actor,
             where="AND instr_import_id IS NULL AND instr_gas_id IS NULL",
             why="concluded without a pilot before the second supplier consented")
    else:
        pilot = pilot_of(session, release)
    pilot.state, pilot.concluded_at, pilot.concluded_by = "CONCLUDED", now, actor
    pilot.decision, pilot.commentary = decision, commentary.strip()
    released: Counter[str] = Counter()
    if decision == "proceed":
        release.state = ReleaseState.PILOT_CONCLUDED
        released = _held_by_supplier(session, release.id)
        # Hubs held at the gate go ahead: those in a batch at once, the rest at their date.
        move(session, release.id, H.HELD, H.SCHEDULED, now=now, actor=actor, why="pilot concluded with proceed",
             where="AND hub_group = 'safe_launch' AND batch_id IS NOT NULL")
        move(session, release.id, H.HELD, H.ELIGIBLE, now=now, actor=actor, where="AND hub_group = 'safe_launch'")
    else:
        check_release_move(release.id, release.state, ReleaseState.STOPPED)
        release.state = ReleaseState.STOPPED
        dispatch.cancel_open(session, release.id, "PILOT_STOPPED", now, actor, "pilot concluded with stop")
    notices.concluded(session, release, pilot, released, now, actor)
    return decision


def _held_by_supplier(session: Session, release_id: int) -> Counter[str]:
    counts: Counter[str] = Counter()
    for imp, gas, n in session.execute(text(
        "SELECT import_supplier, gas_supplier, COUNT(*) FROM release_hub WHERE release_id = :r "
        "AND state = 'HELD' GROUP BY import_supplier, gas_supplier"), {"r": release_id}):
        for party in {imp, gas} - {None}:
            counts[str(party)] += int(n)
    return counts


def comment(session: Session, release: Release, words: str, guid_text: str | None, now: datetime, actor: str) -> None:
    """DCC's commentary on the pilot, or on one pilot hub; it goes out with the progress notices."""
    if not words.strip():
        raise BadInput("The commentary is blank.")
    pilot_of(session, release)
    hub_id = None
    if guid_text:
        guid = canonical_guid(guid_text)
        if guid is None:
            raise BadInput(f"{guid_text!r} is not a hub GUID.")
        hub_id = session.execute(text(
            "SELECT rh.hub_id FROM release_hub rh JOIN hub h ON h.id = rh.hub_id WHERE rh.release_id = :r "
            "AND h.guid = :g AND rh.hub_group = 'pilot'"), {"r": release.id, "g": guid}).scalar()
        if hub_id is None:
            raise NotFound(f"Hub {guid} is not in the pilot of release {release.id}.")
    session.add(HubComment(release_id=release.id, hub_id=hub_id, at=now, by=actor, text=words.strip()[:4000]))


def advance(session: Session, release: Release, now: datetime, actor: str) -> None:
    """A tick's work for one release's pilot and its gate: record what is due, time out,
    send the day's progress, hold safe-launch hubs whose date comes before the decision."""
    pilot = session.get(Pilot, release.id)
    if pilot is not None and pilot.started_at is not None and release.state in dispatch.DISPATCHING:
        in_pilot = "AND hub_group = 'pilot'"
        waiting = tallies.read(session, release.id, "pilot_state")  # nothing to look for: no query
        if waiting.get(H.SCHEDULED.value):
            dispatch.record_distributions(session, release.id, now, actor, where=in_pilot)
        if waiting.get(H.DISTRIBUTED.value):
            at = max(utc(pilot.activate_at), now) if pilot.activate_at else now
            dispatch.record_activations(session, release.id, at, now, actor, where=in_pilot)
    dispatch.time_out(session, release.id, now, actor)
    if pilot is not None and pilot.state == "RUNNING":
        open_hubs = sum(n for s, n in tallies.read(session, release.id, "pilot_state").items() if s in _PILOT_OPEN)
        if not open_hubs and pilot.finished_at is None:
            pilot.finished_at = now
        _daily_progress(session, release, pilot, now, actor)
    _gate(session, release, now, actor)


def _daily_progress(session: Session, release: Release, pilot: Pilot, now: datetime, actor: str) -> None:
    local = to_london(now)
    today = local.date().isoformat()
    due = datetime.combine(local.date(), PROGRESS_AT, LONDON)
    started = utc(pilot.started_at) if pilot.started_at else now
    if local < due or pilot.last_progress_on == today or started >= due:
        return
    if pilot.finished_at is not None and pilot.last_progress_on is not None \
            and pilot.last_progress_on >= to_london(utc(pilot.finished_at)).date().isoformat():
        return  # every hub finished and that was reported: nothing more to tell until the end
    pilot.last_progress_on = today
    notices.progress(session, release, pilot, now, actor)


def next_progress(pilot_started: datetime, now: datetime) -> datetime:
    """When the next daily progress notice is due after NOW."""
    local = to_london(now)
    due = datetime.combine(local.date(), PROGRESS_AT, LONDON)
    if local >= due:
        due = datetime.combine(local.date() + timedelta(days=1), PROGRESS_AT, LONDON)
    return utc(due)


def _gate(session: Session, release: Release, now: datetime, actor: str) -> None:
    """Hold safe-launch hubs whose time has come before the pilot's proceed decision.

    Looks only where a time can have come (the DCC date, and batches due by now), from the
    maintained counts, so a pass over a release of millions of hubs costs nothing here
    until something is due."""
    if release.state not in (ReleaseState.NOTIFIED, ReleaseState.PILOT_RUNNING) or release.deployment_date is None:
        return
    date = utc(release.deployment_date)
    waiting = tallies.read(session, release.id, "batch_state")
    batches = [b for b in session.scalars(select(Batch).where(
        Batch.release_id == release.id, Batch.activate_at <= now, Batch.state.in_(("PLANNED", "RUNNING", "OVERDUE"))))
        if waiting.get(f"{b.id}|{H.SCHEDULED.value}")]
    due = [b.id for b in batches]
    at_date = date <= now and bool(tallies.read(session, release.id, "state").get(H.ELIGIBLE.value))
    if not due and not at_date:
        return
    held_before = _held_by_supplier(session, release.id)
    moved = 0
    if at_date:
        moved += move(session, release.id, H.ELIGIBLE, H.HELD, now=now, actor=actor, reason="AWAITING_PILOT_DECISION",
                      where="AND hub_group = 'safe_launch'")
    for batch_id in due:
        moved += move(session, release.id, H.SCHEDULED, H.HELD, now=now, actor=actor, reason="AWAITING_PILOT_DECISION",
                      where="AND batch_id = :b AND hub_group = 'safe_launch'", params={"b": batch_id})
    if moved:
        held_now = _held_by_supplier(session, release.id)
        newly = Counter({p: n - held_before.get(p, 0) for p, n in held_now.items() if n > held_before.get(p, 0)})
        when = date if at_date else min(utc(b.activate_at) for b in batches)
        notices.held(session, release, newly, when, now, actor)


__all__ = ["PILOT", "SAFE_LAUNCH", "advance", "comment", "conclude", "next_progress", "start"]
