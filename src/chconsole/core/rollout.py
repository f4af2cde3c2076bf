"""The per-hub rollout state machine, as data, and the one way hubs move: in sets, in SQL.

Every move names its from- and to-state; a pair not in HUB_TRANSITIONS is refused, and a
pair with GUARDS moves only the hubs that meet them. A move
is one UPDATE over every hub that matches, keeps the maintained state counts right and
appends one audit entry (who, when, from, to, why, how many hubs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from chconsole.core import audit
from chconsole.core.errors import IllegalTransition
from chconsole.core.sql import rowcount, typed
from chconsole.core.states import HubState as H

PILOT = "pilot"
SAFE_LAUNCH = "safe_launch"

# (from, to) -> the name of what makes that move.
HUB_TRANSITIONS: dict[tuple[H, H], str] = {
    (H.ELIGIBLE, H.AWAITING_OTHER_SUPPLIER): "nominated by one of two suppliers",
    (H.ELIGIBLE, H.SCHEDULED): "nominated for the pilot",
    (H.AWAITING_OTHER_SUPPLIER, H.SCHEDULED): "nominated by the second supplier (consent)",
    (H.AWAITING_OTHER_SUPPLIER, H.ELIGIBLE): "pilot started before the second supplier consented",
    (H.SCHEDULED, H.DISTRIBUTING): "distribution sent",
    (H.DISTRIBUTING, H.DISTRIBUTED): "distribution receipt",
    (H.DISTRIBUTING, H.FAILED): "distribution failed",
    (H.DISTRIBUTED, H.ACTIVATION_PENDING): "activation sent",
    (H.ACTIVATION_PENDING, H.ACTIVATED): "activation confirmed",
    (H.ACTIVATION_PENDING, H.FAILED): "activation failed or never answered",
    (H.ELIGIBLE, H.HELD): "held at the pilot gate",
    (H.SCHEDULED, H.HELD): "held at the pilot gate",
    (H.HELD, H.ELIGIBLE): "pilot concluded with proceed",
    (H.HELD, H.SCHEDULED): "nominated for the pilot",
    (H.HELD, H.AWAITING_OTHER_SUPPLIER): "nominated by one of two suppliers",
    (H.FAILED, H.ACTIVATED): "activation confirmed after the no-response timeout",
    **{(s, H.CANCELLED): "cancelled" for s in (
        H.ELIGIBLE, H.AWAITING_OTHER_SUPPLIER, H.SCHEDULED, H.DISTRIBUTING, H.DISTRIBUTED,
        H.ACTIVATION_PENDING, H.HELD)},
    **{(s, H.EXCLUDED): "left the release" for s in (
        H.ELIGIBLE, H.AWAITING_OTHER_SUPPLIER, H.SCHEDULED, H.DISTRIBUTING, H.DISTRIBUTED,
        H.ACTIVATION_PENDING, H.HELD)},
}


@dataclass(frozen=True)
class Guard:
    """A named condition a hub must meet to make a move, as SQL over its release_hub row."""

    name: str
    sql: str


_DISPATCHING = Guard(
    "the release is dispatching (not paused, suspended, stopped or revoked)",
    "release_id IN (SELECT id FROM release WHERE state IN "
    "('PILOT_RUNNING', 'PILOT_CONCLUDED', 'DEPLOYING'))")
_GATE = Guard(
    "the pilot gate: a safe-launch hub is activated only after the pilot concluded with proceed",
    "(hub_group = 'pilot' OR release_id IN (SELECT release_id FROM pilot WHERE decision = 'proceed'))")

# Moves that command the network carry guards, so no caller can get round them.
GUARDS: dict[tuple[H, H], tuple[Guard, ...]] = {
    (H.SCHEDULED, H.DISTRIBUTING): (_DISPATCHING,),
    (H.DISTRIBUTED, H.ACTIVATION_PENDING): (_DISPATCHING, _GATE),
}


def guard_sql(frm: H, to: H) -> str:
    """The guards of a move as SQL conditions (each starting with AND), for its commands too."""
    return "".join(f" AND {g.sql}" for g in GUARDS.get((frm, to), ()))


def check_hub_move(frm: H, to: H) -> str:
    try:
        return HUB_TRANSITIONS[(frm, to)]
    except KeyError:
        raise IllegalTransition(f"A hub that is {frm.value} cannot become {to.value}.") from None


def bump(session: Session, release_id: int, dimension: str, key: str, delta: int) -> None:
    """Add DELTA to one maintained count, creating it when it is new."""
    if not delta:
        return
    p = {"r": release_id, "d": dimension, "k": key, "n": delta}
    done = rowcount(session.execute(text(
        "UPDATE release_tally SET hubs = hubs + :n WHERE release_id = :r AND dimension = :d "
        "AND key = :k"), p))
    if not done:
        session.execute(text(
            "INSERT INTO release_tally (release_id, dimension, key, hubs) VALUES (:r, :d, :k, :n)"), p)


def move(
    session: Session,
    release_id: int,
    frm: H,
    to: H,
    *,
    now: datetime,
    actor: str,
    where: str = "",
    params: dict[str, Any] | None = None,
    reason: str | None = None,
    reason_sql: str | None = None,
    assign: str = "",
    group: str | None = None,
    why: str | None = None,
) -> int:
    """Move every hub of a release in state FRM that matches WHERE to state TO.

    Args:
        where: extra SQL conditions on release_hub, starting with AND.
        reason: the reason shown with the new state (FAILED, HELD, CANCELLED, EXCLUDED).
        reason_sql: an SQL expression for the reason, when it differs per hub.
        assign: extra "column = expression" assignments, starting with a comma.
        group: move the hubs into this group (pilot or safe_launch) as well.
        why: what the audit entry says caused the move; the transition's name by default.

    Returns:
        How many hubs moved.
    """
    name = check_hub_move(frm, to)
    p: dict[str, Any] = {"r": release_id, "frm": frm.value, "to": to.value, **(params or {})}
    predicate = f"release_id = :r AND state = :frm {where}{guard_sql(frm, to)}"
    count = f"SELECT hub_group, COUNT(*) FROM release_hub WHERE {predicate} GROUP BY hub_group"
    groups = {str(g): int(n) for g, n in session.execute(typed(count, p), p)}
    moved = sum(groups.values())
    if not moved:
        return 0
    p["reason"] = reason
    sets = f"state = :to, reason = {reason_sql or ':reason'}"
    if group is not None:
        p["grp"] = group
        sets += ", hub_group = :grp"
    update = f"UPDATE release_hub SET {sets} {assign} WHERE {predicate}"
    session.execute(typed(update, p), p)
    bump(session, release_id, "state", frm.value, -moved)
    bump(session, release_id, "state", to.value, moved)
    bump(session, release_id, "pilot_state", frm.value, -groups.get(PILOT, 0))
    bump(session, release_id, "pilot_state", to.value,
         moved if group == PILOT else 0 if group is not None else groups.get(PILOT, 0))
    audit.record(session, now, actor, "hub-move", f"release {release_id}", {
        "from": frm.value, "to": to.value, "hubs": moved, "why": why or name,
        **({"reason": reason} if reason else {})})
    return moved
