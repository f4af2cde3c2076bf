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

from chconsole.core.storage import audit
from chconsole.core.storage.sql import rowcount, typed
from chconsole.core.vocabulary.errors import IllegalTransition
from chconsole.core.vocabulary.states import HubState as H

PILOT = "pilot"
SAFE_LAUNCH = "safe_launch"


class Unset:
    """No value given (so None can mean "no batch")."""


UNSET = Unset()

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
    (H.SCHEDULED, H.ELIGIBLE): "batch cancelled or instruction no longer counts",
    (H.HELD, H.SCHEDULED): "nominated for the pilot",
    (H.HELD, H.AWAITING_OTHER_SUPPLIER): "nominated by one of two suppliers",
    (H.FAILED, H.ACTIVATED): "activation confirmed after the no-response timeout",
    # An emergency stop holds every hub not yet activated; a resume puts each back.
    (H.AWAITING_OTHER_SUPPLIER, H.HELD): "held by an emergency stop",
    (H.DISTRIBUTED, H.HELD): "held by an emergency stop",
    (H.ACTIVATION_PENDING, H.HELD): "held by an emergency stop: its activation was called back",
    (H.HELD, H.DISTRIBUTED): "resumed after an emergency stop: the hub holds the image",
    (H.DISTRIBUTING, H.SCHEDULED): "its distribution was withdrawn before it was sent",
    (H.ACTIVATION_PENDING, H.DISTRIBUTED): "its activation was withdrawn or called back",
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

_BATCH_RUNNING = Guard(
    "the batch is running: a safe-launch hub is commanded only while its batch runs "
    "(not planned, overdue, done or cancelled)",
    "(hub_group = 'pilot' OR batch_id IN (SELECT id FROM batch WHERE state = 'RUNNING'))")

# Moves that command the network carry guards, so no caller can get round them. Safe-launch
# hubs are not even distributed before the pilot's proceed decision: their image would sit
# on hubs the decision may yet stop.
GUARDS: dict[tuple[H, H], tuple[Guard, ...]] = {
    (H.SCHEDULED, H.DISTRIBUTING): (_DISPATCHING, _GATE, _BATCH_RUNNING),
    (H.DISTRIBUTED, H.ACTIVATION_PENDING): (_DISPATCHING, _GATE, _BATCH_RUNNING),
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
    bump_many(session, release_id, {(dimension, key): delta})


def bump_many(session: Session, release_id: int, deltas: dict[tuple[str, str], int]) -> None:
    """Add each delta to its maintained count (dimension, key), creating counts that are new."""
    rows = [{"r": release_id, "d": d, "k": k, "n": n} for (d, k), n in deltas.items() if n]
    for p in rows:
        done = rowcount(session.execute(text(
            "UPDATE release_tally SET hubs = hubs + :n WHERE release_id = :r AND dimension = :d "
            "AND key = :k"), p))
        if not done:
            session.execute(text(
                "INSERT INTO release_tally (release_id, dimension, key, hubs) VALUES (:r, :d, :k, :n)"), p)


def tally_keys(state: str, group: str, imp: str | None, gas: str | None, region: str,
               batch: int | None) -> list[tuple[str, str]]:
    """The maintained counts one hub in STATE adds to: by state, and by state per pilot group,
    supplier (either role, once), CSP region and batch. Dashboards read only these."""
    keys = [("state", state), ("region_state", f"{region}|{state}")]
    if group == PILOT:
        keys.append(("pilot_state", state))
    keys += [("supplier_state", f"{party}|{state}") for party in sorted({imp, gas} - {None})]  # type: ignore[type-var]
    if batch is not None:
        keys.append(("batch_state", f"{batch}|{state}"))
    return keys


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
    batch: int | None | Unset = UNSET,
    why: str | None = None,
) -> int:
    """Move every hub of a release in state FRM that matches WHERE to state TO.

    Args:
        where: extra SQL conditions on release_hub, starting with AND.
        reason: the reason shown with the new state (FAILED, HELD, CANCELLED, EXCLUDED).
        reason_sql: an SQL expression for the reason, when it differs per hub.
        assign: extra "column = expression" assignments, starting with a comma.
        group: move the hubs into this group (pilot or safe_launch) as well.
        batch: put the hubs in this batch as well (None takes them out of any batch).
        why: what the audit entry says caused the move; the transition's name by default.

    Returns:
        How many hubs moved.
    """
    name = check_hub_move(frm, to)
    p: dict[str, Any] = {"r": release_id, "frm": frm.value, "to": to.value, **(params or {})}
    predicate = f"release_id = :r AND state = :frm {where}{guard_sql(frm, to)}"
    count = (f"SELECT hub_group, import_supplier, gas_supplier, csp_region, batch_id, COUNT(*) "
             f"FROM release_hub WHERE {predicate} "
             "GROUP BY hub_group, import_supplier, gas_supplier, csp_region, batch_id")
    groups = [(str(g), i, gs, str(rg), b, int(n)) for g, i, gs, rg, b, n in session.execute(typed(count, p), p)]
    moved = sum(g[-1] for g in groups)
    if not moved:
        return 0
    p["reason"] = reason
    sets = f"state = :to, reason = {reason_sql or ':reason'}"
    if group is not None:
        p["grp"] = group
        sets += ", hub_group = :grp"
    if not isinstance(batch, Unset):
        p["new_batch"] = batch
        sets += ", batch_id = :new_batch"
    update = f"UPDATE release_hub SET {sets} {assign} WHERE {predicate}"
    session.execute(typed(update, p), p)
    deltas: dict[tuple[str, str], int] = {}
    for grp, imp, gas, region, b, n in groups:
        for key in tally_keys(frm.value, grp, imp, gas, region, b):
            deltas[key] = deltas.get(key, 0) - n
        new_batch = b if isinstance(batch, Unset) else batch
        for key in tally_keys(to.value, group or grp, imp, gas, region, new_batch):
            deltas[key] = deltas.get(key, 0) + n
    bump_many(session, release_id, deltas)
    audit.record(session, now, actor, "hub-move", f"release {release_id}", {
        "from": frm.value, "to": to.value, "hubs": moved, "why": why or name,
        **({"reason": reason} if reason else {})})
    return moved
