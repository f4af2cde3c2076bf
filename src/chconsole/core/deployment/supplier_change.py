"""R4 on an estate refresh: when a hub's supplier changes, the old supplier's instruction
no longer counts for that hub, and both suppliers are told.

The refresh leaves the changed hubs in tmp_supplier_change (old and new suppliers). Each
open release then takes the hubs' new suppliers, drops the lapsed instructions and puts
the hubs whose activation had not begun back where the remaining instructions leave them.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from chconsole.core.deployment import instruction_notices, instructions
from chconsole.core.rollout import tallies
from chconsole.core.rollout.machine import move
from chconsole.core.storage.models import Release
from chconsole.core.vocabulary.states import OPEN_HUB_STATES
from chconsole.core.vocabulary.states import HubState as H

_OPEN = ", ".join(f"'{s.value}'" for s in OPEN_HUB_STATES)
_CHANGED = "AND hub_id IN (SELECT hub_id FROM tmp_supplier_change)"
_LIVE = ("NOTIFIED", "PILOT_RUNNING", "PILOT_CONCLUDED", "DEPLOYING", "PAUSED", "SUSPENDED")


def apply(session: Session, now: datetime, actor: str) -> int:
    """Returns how many hub instructions lapsed, over every open release."""
    lapsed_total = 0
    for release in session.scalars(select(Release).where(Release.state.in_(_LIVE)).order_by(Release.id)):
        lapsed_total += _release(session, release, now, actor)
    return lapsed_total


def _release(session: Session, release: Release, now: datetime, actor: str) -> int:
    p = {"r": release.id}
    touched = session.execute(text(
        f"SELECT COUNT(*) FROM release_hub WHERE release_id = :r AND state IN ({_OPEN}) {_CHANGED}"), p).scalar()
    if not touched:
        return 0
    lost: Counter[str] = Counter()
    gained: Counter[str] = Counter()
    lapsed = 0
    for role in ("import", "gas"):
        for old, new, n in session.execute(text(
                f"SELECT c.old_{role}, c.new_{role}, COUNT(*) FROM release_hub rh JOIN tmp_supplier_change c "
                f"ON c.hub_id = rh.hub_id WHERE rh.release_id = :r AND rh.state IN ({_OPEN}) "
                f"AND rh.instr_{role}_id IS NOT NULL AND rh.{role}_supplier IS NOT NULL "
                f"AND (c.new_{role} IS NULL OR c.new_{role} <> rh.{role}_supplier) "
                f"GROUP BY c.old_{role}, c.new_{role}"), p):
            lapsed += int(n)
            if old:
                lost[str(old)] += int(n)
            if new:
                gained[str(new)] += int(n)
        session.execute(text(
            f"UPDATE release_hub SET instr_{role}_id = NULL, instr_{role}_at = NULL WHERE release_id = :r "
            f"AND state IN ({_OPEN}) AND instr_{role}_id IS NOT NULL AND hub_id IN (SELECT c.hub_id FROM "
            f"tmp_supplier_change c WHERE c.hub_id = release_hub.hub_id AND (c.new_{role} IS NULL OR "
            f"c.new_{role} <> release_hub.{role}_supplier))"), p)
    # The release's open hubs now carry their new suppliers.
    session.execute(text(
        "UPDATE release_hub SET import_supplier = (SELECT c.new_import FROM tmp_supplier_change c WHERE "
        "c.hub_id = release_hub.hub_id), gas_supplier = (SELECT c.new_gas FROM tmp_supplier_change c WHERE "
        f"c.hub_id = release_hub.hub_id) WHERE release_id = :r AND state IN ({_OPEN}) {_CHANGED}"), p)
    tallies.count_snapshot(session, release.id)
    if lapsed:
        _replace(session, release, now, actor)
        instruction_notices.supplier_changed(session, release, dict(lost), dict(gained), now, actor)
    tallies.recount_awaiting(session, release.id)
    return lapsed


def _replace(session: Session, release: Release, now: datetime, actor: str) -> None:
    """Hubs whose instructed time lapsed before their distribution began wait again as R4
    says: for the DCC date, or for the other supplier's instruction."""
    instructed = ("AND hub_group = 'safe_launch' AND batch_id IN (SELECT id FROM batch WHERE kind = 'instructed') "
                  f"{_CHANGED} AND {instructions.EFFECTIVE} IS NULL")
    move(session, release.id, H.SCHEDULED, H.ELIGIBLE, now=now, actor=actor, batch=None, where=instructed,
         assign=", planned_activation = NULL", why="supplier changed: the old supplier's instruction no longer counts")
    move(session, release.id, H.AWAITING_OTHER_SUPPLIER, H.ELIGIBLE, now=now, actor=actor,
         where=f"AND instr_import_id IS NULL AND instr_gas_id IS NULL {_CHANGED}",
         why="supplier changed: the old supplier's instruction no longer counts")
    move(session, release.id, H.ELIGIBLE, H.AWAITING_OTHER_SUPPLIER, now=now, actor=actor,
         where=f"AND {instructions.SPLIT} AND (instr_import_id IS NOT NULL OR instr_gas_id IS NOT NULL) "
               f"AND batch_id IS NULL {_CHANGED}",
         why="supplier changed: waiting for the new supplier's instruction")
    instructions.schedule_instructed(session, release, now, actor, _CHANGED)
