"""Supplier instructions to activate earlier than the DCC date (R3), with split consent (R4).

An instruction counts per supply role: it sets the time its supplier asked for on every
accepted hub, for the role(s) that supplier holds. A hub's planned time then follows R4:
where one party holds both roles, or only one role is filled, that party's time; where two
parties share it, both must instruct and the later time wins. Until the second instructs,
the hub waits as AWAITING_OTHER_SUPPLIER and keeps the DCC date. Hubs with a time join the
batch of hubs instructed for that time, which the tick dispatches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from chconsole.core.deployment import instruction_notices, schedule
from chconsole.core.rollout import tallies
from chconsole.core.rollout.guid_checks import Candidate, Reason, Refusal, check
from chconsole.core.rollout.machine import move
from chconsole.core.storage.campaign_models import Instruction, InstructionLine
from chconsole.core.storage.models import Release
from chconsole.core.storage.sql import typed, with_timestamps
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import show, utc
from chconsole.core.vocabulary.states import HubState as H
from chconsole.core.vocabulary.states import ReleaseState

# A hub's planned time from its suppliers' instructions (R4), as SQL over release_hub.
EFFECTIVE = (
    "(CASE WHEN import_supplier IS NOT NULL AND gas_supplier IS NOT NULL AND import_supplier <> gas_supplier "
    "THEN (CASE WHEN instr_import_at IS NULL OR instr_gas_at IS NULL THEN NULL "
    "WHEN instr_import_at >= instr_gas_at THEN instr_import_at ELSE instr_gas_at END) "
    "ELSE COALESCE(instr_import_at, instr_gas_at) END)")
SPLIT = "(import_supplier IS NOT NULL AND gas_supplier IS NOT NULL AND import_supplier <> gas_supplier)"



@dataclass(frozen=True)
class InstructionInfo:
    """One instruction as received: who sent it, for when, and how many GUIDs went ahead."""

    id: int
    release_id: int
    supplier: str
    name: str | None
    source: str
    activate_at: datetime
    received_at: datetime
    received_by: str
    submitted: int
    accepted: int
    refused: int


@dataclass(frozen=True)
class InstructionResult:
    id: int
    supplier: str
    activate_at: datetime
    submitted: int
    scheduled: int  # hubs whose planned time is now this instruction's (or a later) time
    awaiting: int  # split-supply hubs waiting for the other supplier's instruction
    refused: tuple[Refusal, ...]

    @property
    def accepted(self) -> int:
        return self.scheduled + self.awaiting


def time_reason(release: Release, activate_at: datetime, now: datetime) -> Reason | None:
    """Why an instruction's time is refused for every hub in it, if it is."""
    if release.cut_off is not None and now > utc(release.cut_off):
        return Reason.PAST_CUT_OFF
    if release.deployment_date is not None and activate_at >= utc(release.deployment_date):
        return Reason.NOT_BEFORE_DCC_DATE
    if activate_at < now + schedule.lead_time(release):
        return Reason.TOO_SOON
    return None


def open_for_instructions(release: Release) -> None:
    if release.state == ReleaseState.DRAFT:
        raise BadInput(f"Release {release.id} has not been notified, so it takes no instructions.")


def instruct(
    session: Session, release: Release, supplier: str, entries: Sequence[tuple[int, str]],
    activate_at: datetime, name: str | None, source: str, now: datetime, actor: str,
) -> InstructionResult:
    """Check and apply one instruction; valid GUIDs go ahead, the rest are refused with reasons."""
    open_for_instructions(release)
    activate_at = utc(activate_at)
    reason = time_reason(release, activate_at, now)
    if release.state == ReleaseState.COMPLETED:
        reason = Reason.RELEASE_NOT_OPEN
    candidates, refused = check(session, release, supplier, entries, time_reason=reason)
    fresh: list[Candidate] = []
    for c in candidates:
        pilot_wait = c.state == H.AWAITING_OTHER_SUPPLIER.value and not (c.instr_import or c.instr_gas)
        mine_already = (c.as_import and c.instr_import) or (c.as_gas and c.instr_gas)
        if c.hub_group == "pilot" or pilot_wait or mine_already or c.batch_id is not None:
            refused.append(Refusal(c.line, c.guid, Reason.ALREADY_SCHEDULED))
        else:
            fresh.append(c)
    refused.sort(key=lambda r: r.line)
    row = Instruction(release_id=release.id, supplier=supplier, name=(name or None), source=source,
                      activate_at=activate_at, received_at=now, received_by=actor,
                      submitted=len(entries), accepted=len(fresh), refused=len(refused))
    session.add(row)
    session.flush()
    _record_lines(session, row.id, fresh, refused)
    scheduled = awaiting = 0
    if fresh:
        scheduled, awaiting = _apply(session, release, row, fresh, now, actor)
    instruction_notices.receipt(session, release, row, scheduled, awaiting, refused, now, actor)
    return InstructionResult(row.id, supplier, activate_at, len(entries), scheduled, awaiting, tuple(refused))


def _record_lines(session: Session, instruction_id: int, fresh: list[Candidate], refused: list[Refusal]) -> None:
    lines = [{"instruction_id": instruction_id, "line": c.line, "guid": c.guid, "hub_id": c.hub_id,
              "reason": None} for c in fresh]
    lines += [{"instruction_id": instruction_id, "line": r.line, "guid": r.guid, "hub_id": None,
               "reason": r.reason.value} for r in refused]
    for i in range(0, len(lines), 10_000):
        session.execute(insert(InstructionLine), lines[i:i + 10_000])


def _apply(session: Session, release: Release, row: Instruction, fresh: list[Candidate], now: datetime,
           actor: str) -> tuple[int, int]:
    """Set the supplier's time on its roles of each hub, then move the hubs per R4."""
    session.execute(text("CREATE TEMP TABLE IF NOT EXISTS tmp_instructed (hub_id BIGINT PRIMARY KEY)"))
    session.execute(text("DELETE FROM tmp_instructed"))
    ids = [{"h": c.hub_id} for c in fresh]
    for i in range(0, len(ids), 10_000):
        session.execute(text("INSERT INTO tmp_instructed (hub_id) VALUES (:h)"), ids[i:i + 10_000])
    mine = "AND hub_id IN (SELECT hub_id FROM tmp_instructed)"
    p = {"r": release.id, "s": row.supplier, "i": row.id, "at": utc(row.activate_at)}
    for role in ("import", "gas"):
        session.execute(typed(
            f"UPDATE release_hub SET instr_{role}_id = :i, instr_{role}_at = :at WHERE release_id = :r "
            f"AND {role}_supplier = :s {mine}", p), p)
    scheduled = schedule_instructed(session, release, now, actor, mine)
    move(session, release.id, H.ELIGIBLE, H.AWAITING_OTHER_SUPPLIER, now=now, actor=actor,
         where=f"AND {SPLIT} {mine}", why="instructed by one of two suppliers")
    awaiting = int(session.execute(text(
        f"SELECT COUNT(*) FROM release_hub WHERE release_id = :r AND state = 'AWAITING_OTHER_SUPPLIER' {mine}"),
        {"r": release.id}).scalar() or 0)
    tallies.recount_awaiting(session, release.id)
    instruction_notices.consent(session, release, row, mine, now, actor)
    session.execute(text("DELETE FROM tmp_instructed"))
    return scheduled, awaiting


def schedule_instructed(session: Session, release: Release, now: datetime, actor: str, where: str) -> int:
    """Hubs matching WHERE whose instructions now give them a time join that time's batch."""
    times = [utc(t) for (t,) in session.execute(with_timestamps(
        f"SELECT DISTINCT {EFFECTIVE} AS t FROM release_hub WHERE release_id = :r "
        f"AND state IN ('ELIGIBLE', 'AWAITING_OTHER_SUPPLIER') AND hub_group = 'safe_launch' "
        f"AND batch_id IS NULL {where}", "t"), {"r": release.id}) if t is not None]
    moved = 0
    for at in sorted(times):
        batch = schedule.instructed_batch(session, release, at, now, actor)
        n = 0
        for state in (H.ELIGIBLE, H.AWAITING_OTHER_SUPPLIER):
            n += move(session, release.id, state, H.SCHEDULED, now=now, actor=actor, batch=batch.id,
                      where=f"AND hub_group = 'safe_launch' AND batch_id IS NULL AND {EFFECTIVE} = :t {where}",
                      params={"t": at}, assign=", planned_activation = :t",
                      why=f"instructed for {show(at)}")
        batch.hubs += n
        moved += n
    return moved


def by_supplier(refused: Sequence[Refusal]) -> Counter[str]:
    return Counter(r.reason.value for r in refused)
