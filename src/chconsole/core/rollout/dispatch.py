"""Sending work to the CSP network: record every command first, then send, then read back.

Recording and the hubs' move to their in-flight state happen in one transaction, under a
key unique per hub, release and step, so no hub is ever commanded twice. Sending is a
second step that asks the network what it already holds before sending anything, so a
crash between the two is reconciled rather than repeated.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from chconsole.core.rollout.machine import guard_sql, move
from chconsole.core.rollout.network import NO_RESPONSE_AFTER, Command, CspNetwork, Outcome, Step
from chconsole.core.storage.models import Release, ReleaseHub
from chconsole.core.storage.sql import at_params, rowcount, typed, with_timestamps
from chconsole.core.vocabulary.london import utc
from chconsole.core.vocabulary.states import OPEN_HUB_STATES, ReleaseState
from chconsole.core.vocabulary.states import HubState as H

# Releases whose hubs may be commanded; a paused, suspended or stopped release sends nothing
# but cancellations. Checked in the transaction that sends.
DISPATCHING = (
    ReleaseState.PILOT_RUNNING.value, ReleaseState.PILOT_CONCLUDED.value,
    ReleaseState.DEPLOYING.value,
)
SEND_CHUNK = 2_000  # commands sent in one short transaction
_NOT_YET = (
    "AND NOT EXISTS (SELECT 1 FROM csp_command c WHERE c.release_id = release_hub.release_id "
    "AND c.hub_id = release_hub.hub_id AND c.step = '{step}' AND c.attempt = release_hub.attempt)"
)
_RECORDED = (
    "AND EXISTS (SELECT 1 FROM csp_command c WHERE c.release_id = release_hub.release_id "
    "AND c.hub_id = release_hub.hub_id AND c.step = '{step}' AND c.attempt = release_hub.attempt)"
)


def record_distributions(
    session: Session, release_id: int, now: datetime, actor: str,
    where: str = "", params: dict[str, Any] | None = None,
) -> int:
    """Record a distribution command for every SCHEDULED hub matching WHERE; they move on."""
    p = {"r": release_id, "now": now, **(params or {})}
    scope = (f"release_id = :r AND state = 'SCHEDULED' {where} {_NOT_YET.format(step='distribute')}"
             f"{guard_sql(H.SCHEDULED, H.DISTRIBUTING)}")
    session.execute(at_params(
        "INSERT INTO csp_command (release_id, hub_id, step, attempt, recorded_at) "
        f"SELECT release_id, hub_id, 'distribute', attempt, :now FROM release_hub WHERE {scope}", "now"), p)
    return move(session, release_id, H.SCHEDULED, H.DISTRIBUTING, now=now, actor=actor,
                where=f"{where} {_RECORDED.format(step='distribute')}", params=params)


def record_activations(
    session: Session, release_id: int, activate_at: datetime | None, now: datetime, actor: str,
    where: str = "", params: dict[str, Any] | None = None,
) -> int:
    """Record a future-dated activation for every DISTRIBUTED hub matching WHERE.

    ACTIVATE_AT None means each hub's own planned time, or now when that has passed (the
    image arrived late)."""
    p = {"r": release_id, "now": now, "at": activate_at, **(params or {})}
    at_sql = ":at" if activate_at is not None else \
        "CASE WHEN planned_activation > :now THEN planned_activation ELSE :now END"
    scope = (f"release_id = :r AND state = 'DISTRIBUTED' {where} {_NOT_YET.format(step='activate')}"
             f"{guard_sql(H.DISTRIBUTED, H.ACTIVATION_PENDING)}")
    session.execute(typed(
        "INSERT INTO csp_command (release_id, hub_id, step, attempt, recorded_at, activate_at) "
        f"SELECT release_id, hub_id, 'activate', attempt, :now, {at_sql} FROM release_hub WHERE {scope}", p), p)
    return move(session, release_id, H.DISTRIBUTED, H.ACTIVATION_PENDING, now=now, actor=actor,
                where=f"{where} {_RECORDED.format(step='activate')}",
                params={**(params or {}), "now": now},
                assign=", planned_activation = (SELECT c.activate_at FROM csp_command c WHERE "
                "c.release_id = release_hub.release_id AND c.hub_id = release_hub.hub_id AND c.step = 'activate' "
                "AND c.attempt = release_hub.attempt)")


def record_cancels(session: Session, release_id: int, now: datetime, where: str = "",
                   params: dict[str, Any] | None = None) -> int:
    """Record a cancel for every hub of the release (matching WHERE) with work at the network
    not yet done."""
    return rowcount(session.execute(at_params(
        "INSERT INTO csp_command (release_id, hub_id, step, attempt, recorded_at) "
        "SELECT release_id, hub_id, 'cancel', attempt, :now FROM release_hub WHERE release_id = :r "
        f"AND state IN ('DISTRIBUTING', 'DISTRIBUTED', 'ACTIVATION_PENDING') {where} "
        f"{_NOT_YET.format(step='cancel')}", "now"), {"r": release_id, "now": now, **(params or {})}))


def cancel_open(session: Session, release_id: int, reason: str, now: datetime, actor: str, why: str) -> int:
    """Cancel every hub of the release still in play (revoke, stop); work at the CSPs is called back.

    Returns how many hubs were cancelled. The cancellations leave with the next send.
    """
    record_cancels(session, release_id, now)
    return sum(
        move(session, release_id, state, H.CANCELLED, now=now, actor=actor, reason=reason, why=why,
             assign=", planned_activation = NULL")
        for state in OPEN_HUB_STATES)


def send_chunk(session: Session, network: CspNetwork, now: datetime, release_id: int | None = None,
               limit: int = SEND_CHUNK) -> int:
    """Send up to LIMIT recorded, unsent commands the network does not already hold (of
    RELEASE_ID only, when given: a user's action sends its own release's commands); returns
    how many were taken from the record (0: nothing is left to send).

    Only cancellations leave for a release that is not dispatching (paused, suspended,
    stopped). That is checked here, in the transaction that sends, with the releases' rows
    locked against an emergency stop until it commits: call this in a short transaction of
    its own, again and again, so a stop waits for one chunk at most and nothing is sent after.
    """
    states = ", ".join(f"'{s}'" for s in DISPATCHING)
    only = f" AND c.release_id = {int(release_id)}" if release_id is not None else ""
    dispatching = select(Release.id).where(Release.state.in_(DISPATCHING))
    if release_id is not None:
        dispatching = dispatching.where(Release.id == release_id)
    list(session.scalars(dispatching.with_for_update(read=True)))  # a stop waits for this chunk
    due = (f"c.sent_at IS NULL AND c.outcome IS NULL AND (c.step = 'cancel' OR c.release_id IN "
           f"(SELECT id FROM release WHERE state IN ({states}))){only}")
    rows = session.execute(with_timestamps(
        "SELECT c.release_id, c.hub_id, c.step, c.activate_at, h.guid, h.csp_region, e.image_hash, c.attempt "
        "FROM csp_command c JOIN release r ON r.id = c.release_id "
        "JOIN cpl_entry e ON e.id = r.target_cpl_id JOIN hub h ON h.id = c.hub_id "
        f"WHERE {due} LIMIT {int(limit)}", "activate_at")).all()  # unsorted: in the order recorded
    if not rows:
        return 0
    commands = [
        Command(int(r), int(h), guid, region, Step(step), image_hash, utc(at) if at is not None else None, int(n))
        for r, h, step, at, guid, region, image_hash, n in rows
    ]
    held = network.received(session, [c.key for c in commands])
    network.send(session, [c for c in commands if c.key not in held], now)
    if len(rows) < limit:
        # Everything due was in this chunk, and the write lock keeps it so: mark it in one go.
        session.execute(at_params(f"UPDATE csp_command SET sent_at = :now WHERE "
                                  f"{due.replace('c.', '')}", "now"), {"now": now})
    else:
        session.execute(
            at_params("UPDATE csp_command SET sent_at = :now WHERE release_id = :r AND hub_id = :h "
                      "AND step = :s AND attempt = :n", "now"),
            [{"now": now, "r": c.release_id, "h": c.hub_id, "s": c.step.value, "n": c.attempt} for c in commands],
        )
    return len(rows)


def apply_outcomes(
    session: Session, outcomes: list[Outcome], to_versions: dict[int, str], now: datetime, actor: str,
) -> set[int]:
    """Apply results read back from the network; returns the releases whose hubs moved."""
    if not outcomes:
        return set()
    _outcome_table(session)
    session.execute(
        at_params("INSERT INTO tmp_outcome (release_id, hub_id, step, attempt, result, at, han) "
                  "VALUES (:r, :h, :s, :n, :res, :at, :han)", "at"),
        [{"r": o.release_id, "h": o.hub_id, "s": o.step.value, "n": o.attempt, "res": o.result.value,
          "at": utc(o.at), "han": o.han_trouble} for o in outcomes],
    )
    same = ("t.release_id = csp_command.release_id AND t.hub_id = csp_command.hub_id AND "
            "t.step = csp_command.step AND t.attempt = csp_command.attempt")
    session.execute(text(
        f"UPDATE csp_command SET outcome = (SELECT t.result FROM tmp_outcome t WHERE {same}), "
        f"outcome_at = (SELECT t.at FROM tmp_outcome t WHERE {same}) "
        f"WHERE EXISTS (SELECT 1 FROM tmp_outcome t WHERE {same})"))
    by_release: dict[int, set[str]] = defaultdict(set)
    for o in outcomes:
        by_release[o.release_id].add(f"{o.step.value}:{o.result.value}")
    for release_id in sorted(by_release):
        _apply_release(session, release_id, to_versions.get(release_id), now, actor)
    session.execute(text("DELETE FROM tmp_outcome"))
    return set(by_release)


def _outcome_table(session: Session) -> None:
    session.execute(text(
        "CREATE TEMP TABLE IF NOT EXISTS tmp_outcome (release_id INTEGER, hub_id BIGINT, "
        "step VARCHAR(12), attempt INTEGER, result VARCHAR(24), at TIMESTAMP WITH TIME ZONE, han BOOLEAN, "
        "PRIMARY KEY (release_id, hub_id, step, attempt))"))
    session.execute(text("DELETE FROM tmp_outcome"))


def _mine(step: str, result_test: str) -> str:
    # Uncorrelated (a row value), so the set is built once, not looked for again per hub.
    return (f"AND (hub_id, attempt) IN (SELECT t.hub_id, t.attempt FROM tmp_outcome t WHERE t.release_id = :r "
            f"AND t.step = '{step}' AND {result_test})")


def _from_tmp(column: str, step: str) -> str:
    return (f"(SELECT t.{column} FROM tmp_outcome t WHERE t.release_id = release_hub.release_id "
            f"AND t.hub_id = release_hub.hub_id AND t.step = '{step}' AND t.attempt = release_hub.attempt)")


def _apply_release(session: Session, r: int, to_version: str | None, now: datetime, actor: str) -> None:
    move(session, r, H.DISTRIBUTING, H.DISTRIBUTED, now=now, actor=actor,
         where=_mine("distribute", "t.result = 'RECEIVED'"),
         assign=f", distributed_at = {_from_tmp('at', 'distribute')}")
    move(session, r, H.DISTRIBUTING, H.FAILED, now=now, actor=actor,
         where=_mine("distribute", "t.result <> 'RECEIVED'"), reason_sql=_from_tmp("result", "distribute"))
    success = _mine("activate", "t.result = 'SUCCESS'")
    if to_version is not None:
        # The SMI's firmware version changes only on a confirmed activation.
        session.execute(text(
            "UPDATE hub SET firmware_version = :v WHERE id IN (SELECT hub_id FROM release_hub "
            "WHERE release_id = :r AND (state = 'ACTIVATION_PENDING' OR (state = 'FAILED' AND "
            f"reason = 'NO_RESPONSE')) {success})"), {"r": r, "v": to_version})
    done = (f", activated_at = {_from_tmp('at', 'activate')}, "
            f"han_trouble = {_from_tmp('han', 'activate')}, confirmed_at = :confirmed")
    move(session, r, H.ACTIVATION_PENDING, H.ACTIVATED, now=now, actor=actor, where=success, assign=done,
         params={"confirmed": now})
    move(session, r, H.FAILED, H.ACTIVATED, now=now, actor=actor, why="late confirmation",
         where=f"AND reason = 'NO_RESPONSE' {success}", assign=done, params={"confirmed": now})
    move(session, r, H.ACTIVATION_PENDING, H.FAILED, now=now, actor=actor,
         where=_mine("activate", "t.result <> 'SUCCESS'"), reason_sql=_from_tmp("result", "activate"))
    # A call-back the network confirmed: the activation will not happen, the image stays on the
    # hub; it waits to be activated again, on a new attempt (a new command key).
    move(session, r, H.ACTIVATION_PENDING, H.DISTRIBUTED, now=now, actor=actor,
         where=_mine("cancel", "t.result = 'CALLED_BACK'"), assign=", attempt = attempt + 1",
         why="its activation was called back: the hub holds the image")


def time_out(session: Session, release_id: int, now: datetime, actor: str) -> int:
    """Hubs that never answered their activation fail with NO_RESPONSE after the timeout."""
    return move(session, release_id, H.ACTIVATION_PENDING, H.FAILED, now=now, actor=actor,
                where="AND planned_activation <= :limit", params={"limit": now - NO_RESPONSE_AFTER},
                reason="NO_RESPONSE", why="no answer within 24 hours of the activation time")


def next_timeout(session: Session, live: list[int]) -> datetime | None:
    first = session.scalar(select(func.min(ReleaseHub.planned_activation)).where(
        ReleaseHub.release_id.in_(live), ReleaseHub.state == H.ACTIVATION_PENDING.value))
    return utc(first) + NO_RESPONSE_AFTER if first is not None else None
