"""Deploying safe-launch hubs: the tick's work on batches (R3, and the Operating rules).

Every safe-launch hub reaches its activation through a batch: a DCC batch, the hubs whose
suppliers instructed one time, or the DCC deployment date's batch, which takes every hub
left. A batch is due from its distribution time (its activation time less the release's
lead time). The pass claims it atomically; a batch claimed later than the grace period
(the console and scheduler were down) is not run on its own but becomes OVERDUE, an
outstanding DCC action to run now or re-plan. Distribution is sent ahead within each
region's capacity, and activation is future-dated at each hub's planned time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from chconsole.core.rollout import dispatch, tallies
from chconsole.core.rollout.machine import bump_many, guard_sql, move
from chconsole.core.storage import audit, lease
from chconsole.core.storage.campaign_models import Batch, SchedulerLease
from chconsole.core.storage.models import Release, Setting
from chconsole.core.storage.sql import rowcount, typed
from chconsole.core.vocabulary.london import show, utc
from chconsole.core.vocabulary.states import HubState as H
from chconsole.core.vocabulary.states import ReleaseState, check_release_move

GRACE_SETTING = "grace_period_minutes"
GRACE_DEFAULT = timedelta(hours=1)
# The network's queue per region is kept to about this many days of its capacity: enough to
# keep it busy, little enough that batches due sooner are never stuck behind later ones.
QUEUE_DAYS = 2
# Batch kinds.
DCC, INSTRUCTED, DEPLOYMENT_DATE = "dcc", "instructed", "deployment_date"
KIND_TITLE = {DCC: "DCC batch", INSTRUCTED: "Supplier instructions", DEPLOYMENT_DATE: "DCC deployment date"}
# Releases whose batches the pass claims and dispatches (paused and suspended ones wait).
CLAIMING = (ReleaseState.NOTIFIED.value, ReleaseState.PILOT_RUNNING.value,
            ReleaseState.PILOT_CONCLUDED.value, ReleaseState.DEPLOYING.value)
# Hub states still in a batch's hands.
IN_HAND = (H.SCHEDULED.value, H.DISTRIBUTING.value, H.DISTRIBUTED.value, H.ACTIVATION_PENDING.value,
           H.HELD.value)


def grace(session: Session) -> timedelta:
    row = session.get(Setting, GRACE_SETTING)
    return timedelta(minutes=int(row.value)) if row is not None else GRACE_DEFAULT


def lead_time(release: Release) -> timedelta:
    return timedelta(days=release.distribution_lead_days)


def distribute_from(release: Release, activate_at: datetime, now: datetime) -> datetime:
    return max(now, activate_at - lead_time(release))


def new_batch(session: Session, release: Release, kind: str, name: str, source: str,
              activate_at: datetime, now: datetime, actor: str) -> Batch:
    batch = Batch(release_id=release.id, kind=kind, name=name[:80], source=source,
                  activate_at=activate_at, distribute_from=distribute_from(release, activate_at, now),
                  state="PLANNED", hubs=0, created_at=now, created_by=actor)
    session.add(batch)
    session.flush()
    return batch


def instructed_batch(session: Session, release: Release, activate_at: datetime, now: datetime,
                     actor: str) -> Batch:
    """The batch of hubs whose suppliers' instructions come to ACTIVATE_AT (one per time)."""
    found = session.scalars(select(Batch).where(
        Batch.release_id == release.id, Batch.kind == INSTRUCTED, Batch.activate_at == activate_at,
        Batch.state.in_(("PLANNED", "RUNNING")))).first()
    if found is not None:
        return found
    return new_batch(session, release, INSTRUCTED, f"Instructed for {show(activate_at)}",
                     "supplier instructions", activate_at, now, actor)


def deployment_batch(session: Session, release: Release, now: datetime, actor: str) -> Batch | None:
    """The DCC deployment date's batch, made when first needed."""
    if release.deployment_date is None:
        return None
    found = session.scalars(select(Batch).where(
        Batch.release_id == release.id, Batch.kind == DEPLOYMENT_DATE,
        Batch.state.in_(("PLANNED", "RUNNING", "OVERDUE")))).first()
    if found is not None:
        return found
    date = utc(release.deployment_date)
    if session.scalar(select(Batch.id).where(Batch.release_id == release.id, Batch.kind == DEPLOYMENT_DATE,
                                             Batch.activate_at == date)) is not None:
        return None  # this date's batch has run its course (done, or cancelled by DCC)
    return new_batch(session, release, DEPLOYMENT_DATE, "DCC deployment date",
                     "every safe-launch hub without an earlier time", date, now, actor)


def last_pass(session: Session) -> datetime | None:
    """When the previous pass ran; the scheduler's row is locked until this pass commits, so
    passes from several workstations and the headless scheduler never overlap."""
    lease.ensure_row(session)
    row = session.scalars(select(SchedulerLease).where(SchedulerLease.id == 1).with_for_update()).one()
    return utc(row.last_pass_at) if row.last_pass_at is not None else None


def mark_pass(session: Session, now: datetime) -> None:
    lease = session.get(SchedulerLease, 1)
    if lease is not None and (lease.last_pass_at is None or utc(lease.last_pass_at) < now):
        lease.last_pass_at = now


def advance(session: Session, releases: Sequence[Release], now: datetime, actor: str,
            capacity: dict[str, int] | None, whole_pass: bool = True, chunk: int | None = None) -> bool:
    """One pass over every batch of RELEASES: claim, dispatch, finish.

    A WHOLE_PASS (the scheduler's, over every live release) is recorded as the last pass,
    which the grace rule reads; a user's action on one release is not. At most CHUNK hubs
    are commanded in this transaction, so an emergency stop never waits behind a long one;
    returns True when the chunk ran out with more to command (call again, in a new one)."""
    claiming = [r for r in releases if r.state in CLAIMING]
    previous = last_pass(session)
    for release in claiming:
        deployment_batch(session, release, now, actor)
    late = grace(session)
    for release in claiming:
        _claim_due(session, release, now, late, actor)
        _overdue_activations(session, release, now, late, previous, actor)
    more = _dispatch(session, claiming, now, actor, capacity, chunk)
    for release in claiming:
        _finish(session, release, now, actor)
    if whole_pass:
        mark_pass(session, now)
    return more


def _claim_due(session: Session, release: Release, now: datetime, late: timedelta, actor: str) -> None:
    due = list(session.scalars(select(Batch).where(
        Batch.release_id == release.id, Batch.state == "PLANNED", Batch.distribute_from <= now)
        .order_by(Batch.distribute_from, Batch.id)))
    for batch in due:
        overdue = now - utc(batch.distribute_from) > late
        state = "OVERDUE" if overdue else "RUNNING"
        claimed = rowcount(session.execute(typed(
            "UPDATE batch SET state = :s, claimed_at = :now, claimed_by = :who, overdue_since = :since "
            "WHERE id = :id AND state = 'PLANNED'", p := {
                "s": state, "now": now, "who": actor, "id": batch.id,
                "since": utc(batch.distribute_from) if overdue else None}), p))
        if not claimed:
            continue  # another workstation's pass claimed it first
        session.refresh(batch)
        if batch.kind == DEPLOYMENT_DATE:
            batch.hubs = _adopt_remaining(session, release, batch, now, actor)
        if overdue:
            audit.record(session, now, actor, "batch-overdue", f"release {release.id} batch {batch.id}", {
                "due": batch.distribute_from, "hubs": _open_in(session, release.id, batch.id),
                "why": "due while the scheduler was down, beyond the grace period"})


def _adopt_remaining(session: Session, release: Release, batch: Batch, now: datetime, actor: str) -> int:
    """Every safe-launch hub without an earlier time joins the DCC deployment date's batch."""
    date = utc(batch.activate_at)
    moved = 0
    for state in (H.ELIGIBLE, H.AWAITING_OTHER_SUPPLIER):
        moved += move(session, release.id, state, H.SCHEDULED, now=now, actor=actor,
                      where="AND hub_group = 'safe_launch' AND batch_id IS NULL", batch=batch.id,
                      assign=", planned_activation = :date", params={"date": date},
                      why="scheduled for the DCC deployment date")
    # Hubs that already hold (or are receiving) the image but lost their batch wait for this date.
    moved += rebatch(session, release.id, batch.id, date, (H.DISTRIBUTING, H.DISTRIBUTED),
                     "AND hub_group = 'safe_launch' AND batch_id IS NULL", {}, now, actor,
                     "scheduled for the DCC deployment date, keeping the image they hold")
    if moved:
        tallies.recount_awaiting(session, release.id)
    return moved


def rebatch(session: Session, release_id: int, to_batch: int | None, planned: datetime | None,
            states: tuple[H, ...], where: str, params: dict[str, object], now: datetime, actor: str,
            why: str) -> int:
    """Move hubs matching WHERE to another batch (or none) without changing their state,
    keeping the per-batch counts right; returns how many moved."""
    moved = 0
    for state in states:
        p = {**params, "r": release_id, "s": state.value, "to": to_batch, "at": planned}
        groups = [(b, int(n)) for b, n in session.execute(text(
            f"SELECT batch_id, COUNT(*) FROM release_hub WHERE release_id = :r AND state = :s {where} "
            "GROUP BY batch_id"), p)]
        if not groups:
            continue
        session.execute(typed(
            "UPDATE release_hub SET batch_id = :to, planned_activation = :at WHERE release_id = :r "
            f"AND state = :s {where}", p), p)
        deltas: dict[tuple[str, str], int] = {}
        for b, n in groups:
            if b is not None:
                deltas[("batch_state", f"{b}|{state.value}")] = deltas.get(("batch_state", f"{b}|{state.value}"), 0) - n
            if to_batch is not None:
                deltas[("batch_state", f"{to_batch}|{state.value}")] = \
                    deltas.get(("batch_state", f"{to_batch}|{state.value}"), 0) + n
            moved += n
        bump_many(session, release_id, deltas)
    if moved:
        audit.record(session, now, actor, "hub-rebatch", f"release {release_id}",
                     {"to_batch": to_batch, "hubs": moved, "why": why})
    return moved


def _open_in(session: Session, release_id: int, batch_id: int) -> int:
    counts = tallies.read(session, release_id, "batch_state")
    return sum(n for k, n in counts.items() if k.split("|")[0] == str(batch_id) and k.split("|")[1] in IN_HAND)


def _overdue_activations(session: Session, release: Release, now: datetime, late: timedelta,
                         previous: datetime | None, actor: str) -> None:
    """A running batch whose activation time fell while no pass ran, longer ago than the grace
    period, stops before commanding late activations: DCC runs it now or re-plans it."""
    if previous is None:
        return
    for batch in session.scalars(select(Batch).where(
            Batch.release_id == release.id, Batch.state == "RUNNING", Batch.activate_at > previous,
            Batch.activate_at < now - late)):
        waiting = sum(n for k, n in tallies.read(session, release.id, "batch_state").items()
                      if k.split("|")[0] == str(batch.id) and k.split("|")[1] in ("SCHEDULED", "DISTRIBUTED"))
        if not waiting:
            continue
        batch.state, batch.overdue_since = "OVERDUE", utc(batch.activate_at)
        audit.record(session, now, actor, "batch-overdue", f"release {release.id} batch {batch.id}", {
            "due": batch.activate_at, "hubs": waiting,
            "why": "activation time passed while the scheduler was down, beyond the grace period"})


def _dispatch(session: Session, releases: Sequence[Release], now: datetime, actor: str,
              capacity: dict[str, int] | None, chunk: int | None) -> bool:
    running = list(session.scalars(select(Batch).where(
        Batch.release_id.in_([r.id for r in releases]), Batch.state == "RUNNING")
        .order_by(Batch.activate_at, Batch.id)))
    if not running:
        return False
    left = chunk  # hubs this transaction may still command
    budget = _budget(session, releases, capacity)
    session.execute(text("CREATE TEMP TABLE IF NOT EXISTS tmp_chosen (hub_id BIGINT PRIMARY KEY)"))
    by_id = {r.id: r for r in releases}
    for batch in running:
        release = by_id[batch.release_id]
        counts = tallies.read(session, release.id, "batch_state")  # skip the queries with nothing to find
        sent = 0
        for region in (sorted(budget) if budget is not None else [None]) \
                if counts.get(f"{batch.id}|{H.SCHEDULED.value}") else []:
            room = budget[region] if budget is not None and region is not None else None
            if left is not None:
                room = left if room is None else min(room, left)
            if room is not None and room <= 0:
                continue
            sent_here = _distribute(session, release.id, batch.id, region, room, now, actor)
            if budget is not None and region is not None:
                budget[region] -= sent_here
            if left is not None:
                left -= sent_here
            sent += sent_here
        if sent or counts.get(f"{batch.id}|{H.DISTRIBUTED.value}"):
            where, params = "AND batch_id = :b", {"b": batch.id}
            if left is not None:
                where += (" AND hub_id IN (SELECT hub_id FROM release_hub WHERE batch_id = :b AND "
                          f"state = 'DISTRIBUTED' LIMIT {max(left, 0)})")
            activated = dispatch.record_activations(session, release.id, None, now, actor,
                                                    where=where, params=params)
            if left is not None:
                left -= activated
        if sent and release.state in (ReleaseState.PILOT_CONCLUDED, ReleaseState.NOTIFIED):
            check_release_move(release.id, release.state, ReleaseState.DEPLOYING)
            release.state = ReleaseState.DEPLOYING
            audit.record(session, now, actor, "release-deploying", f"release {release.id}",
                         {"why": f"{KIND_TITLE[batch.kind]} batch {batch.id} began distribution"})
        if left is not None and left <= 0:
            return True
    return False


def _budget(session: Session, releases: Sequence[Release], capacity: dict[str, int] | None) -> dict[str, int] | None:
    """Hubs each region can still be sent now: a couple of days' capacity less what is queued."""
    if not capacity:
        return None
    in_flight: dict[str, int] = {}
    everyone = session.scalars(select(Release.id).where(Release.state.in_(CLAIMING)))
    for release_id in sorted({r.id for r in releases} | set(everyone)):  # the regions are shared
        for key, n in tallies.read(session, release_id, "region_state").items():
            region, _, state = key.partition("|")
            if state == H.DISTRIBUTING.value:
                in_flight[region] = in_flight.get(region, 0) + n
    return {region: per_day * QUEUE_DAYS - in_flight.get(region, 0) for region, per_day in capacity.items()}


def _distribute(session: Session, release_id: int, batch_id: int, region: str | None, room: int | None,
                now: datetime, actor: str) -> int:
    """Record distribution for up to ROOM hubs of a batch in REGION."""
    p: dict[str, object] = {"r": release_id, "b": batch_id}
    in_region = ""
    if region is not None:
        in_region, p["reg"] = "AND csp_region = :reg", region
    limit = f"LIMIT {int(room)}" if room is not None else ""
    session.execute(text("DELETE FROM tmp_chosen"))
    chosen = rowcount(session.execute(text(
        "INSERT INTO tmp_chosen (hub_id) SELECT hub_id FROM release_hub WHERE batch_id = :b "
        f"AND state = 'SCHEDULED' AND release_id = :r {in_region}{guard_sql(H.SCHEDULED, H.DISTRIBUTING)} "
        f"{limit}"), p))  # a batch's hubs share one time: take them in index order, unsorted
    if not chosen:
        return 0
    return dispatch.record_distributions(session, release_id, now, actor,
                                         where="AND hub_id IN (SELECT hub_id FROM tmp_chosen)")


def _finish(session: Session, release: Release, now: datetime, actor: str) -> None:
    for batch in session.scalars(select(Batch).where(Batch.release_id == release.id, Batch.state == "RUNNING")):
        if batch.kind == DEPLOYMENT_DATE:
            # Hubs that lost an earlier time (a supplier changed, a batch was cancelled) join it.
            batch.hubs += _adopt_remaining(session, release, batch, now, actor)
        if _open_in(session, release.id, batch.id) == 0 and (
                batch.kind != DEPLOYMENT_DATE or utc(batch.activate_at) <= now):
            batch.state, batch.finished_at = "DONE", now
    if release.state == ReleaseState.DEPLOYING:
        counts = tallies.read(session, release.id, "state")
        if not any(counts.get(s.value, 0) for s in (H.ELIGIBLE, H.AWAITING_OTHER_SUPPLIER, *map(H, IN_HAND))):
            release.state = ReleaseState.COMPLETED
            audit.record(session, now, actor, "release-completed", f"release {release.id}",
                         {"why": "every hub activated, failed, cancelled or excluded"})
