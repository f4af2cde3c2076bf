"""The deployment desk (R3, R4): supplier instructions, DCC batches and the grace period."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from chconsole.core.deployment import batch_info, batches, instructions, schedule
from chconsole.core.deployment.batch_info import BatchInfo
from chconsole.core.deployment.batches import BatchPlan, BatchResult, BatchRule
from chconsole.core.deployment.instructions import InstructionInfo, InstructionResult
from chconsole.core.engine.changes import Changes, Done
from chconsole.core.engine.context import EngineContext
from chconsole.core.engine.passes import TimeDesk
from chconsole.core.engine.roles import Action
from chconsole.core.releases.lifecycle import get
from chconsole.core.storage.campaign_models import Batch, Instruction
from chconsole.core.storage.models import Setting
from chconsole.core.storage.parties import known_supplier
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.incoming import guid_entries
from chconsole.core.vocabulary.london import utc


class DeploymentDesk:
    """Earlier deployment by suppliers, DCC's own batches, and running them."""

    def __init__(self, ctx: EngineContext, time: TimeDesk) -> None:
        self.ctx = ctx
        self.time = time

    # -- instructions (R3, R4) ------------------------------------------------------------------
    def instruct(self, release_id: int, supplier: str, file: Path, activate_at: datetime,
                 name: str | None = None) -> Done[InstructionResult]:
        """A supplier's instruction to activate the GUIDs in FILE earlier, at ACTIVATE_AT.
        Valid GUIDs go ahead (a split-supply hub waits for its other supplier); the supplier
        gets a receipt listing every refused GUID with its reason."""
        ctx = self.ctx
        entries = guid_entries(file)
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.INSTRUCT)
            party = known_supplier(s, supplier).id
            release = get(s, release_id, lock=True)
            result = instructions.instruct(s, release, party, entries, utc(activate_at), name,
                                           f"file {file.name}", ctx.now(s), ctx.actor)
            ctx.audit(s, Action.INSTRUCT, f"release {release_id} {party}", instruction=result.id,
                      activate_at=activate_at, submitted=result.submitted, scheduled=result.scheduled,
                      awaiting=result.awaiting, refused=len(result.refused), file=file.name, name=name)
            touched = frozenset(_batches_of(s, release_id))
        changes = Changes(releases=frozenset({release_id}), batches=touched)
        return Done(result, ctx.deliver(changes))

    def instructions(self, release_id: int | None = None, supplier: str | None = None) -> list[InstructionInfo]:
        """Instructions received, oldest first (of one release and/or one supplier)."""
        with self.ctx.db.reading() as s:
            q = select(Instruction).order_by(Instruction.id)
            if release_id is not None:
                q = q.where(Instruction.release_id == release_id)
            if supplier is not None:
                q = q.where(Instruction.supplier == supplier.upper())
            return [InstructionInfo(i.id, i.release_id, i.supplier, i.name, i.source, utc(i.activate_at),
                                    utc(i.received_at), i.received_by, i.submitted, i.accepted, i.refused)
                    for i in s.scalars(q)]

    # -- DCC batches ----------------------------------------------------------------------------
    def preview_batch(self, release_id: int, file: Path | None = None,
                      rule: BatchRule | None = None) -> BatchPlan:
        """How many hubs a batch would take, and whose; nothing is changed."""
        entries = _batch_input(file, rule)
        with self.ctx.db.reading() as s:
            release = get(s, release_id)
            _, refused = batches.choose(s, release, entries, rule)
            plan = batches.chosen_plan(s, release.id, refused)
            s.rollback()
            return plan

    def create_batch(self, release_id: int, activate_at: datetime, file: Path | None = None,
                     rule: BatchRule | None = None, name: str | None = None) -> Done[BatchResult]:
        """A DCC batch from a GUID FILE or a RULE, activated at ACTIVATE_AT; its suppliers
        are told, each with its own list."""
        ctx = self.ctx
        entries = _batch_input(file, rule)
        source = f"file {file.name}" if file is not None else (rule.describe() if rule else "")
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.CREATE_BATCH)
            release = get(s, release_id, lock=True)
            result = batches.create(s, release, name or "", utc(activate_at), entries, rule, source,
                                    ctx.now(s), ctx.actor)
            ctx.audit(s, Action.CREATE_BATCH, f"release {release_id} batch {result.id}", source=source,
                      activate_at=activate_at, hubs=result.hubs, refused=len(result.refused))
        changes = Changes(releases=frozenset({release_id}), batches=frozenset({result.id}))
        return Done(result, ctx.deliver(changes))

    def replan_batch(self, batch_id: int, activate_at: datetime) -> Done[BatchInfo]:
        """Move a batch to ACTIVATE_AT; its suppliers are told."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.REPLAN_BATCH)
            batch = batches.get_batch(s, batch_id, lock=True)
            get(s, batch.release_id, lock=True)
            batches.replan(s, batch, utc(activate_at), ctx.now(s), ctx.actor)
            release_id = batch.release_id
        return Done(self.batch(batch_id), ctx.deliver(self._changed(release_id, batch_id)))

    def cancel_batch(self, batch_id: int, reason: str) -> Done[BatchInfo]:
        """Cancel a batch: its hubs go back to the DCC date (those holding or receiving the
        image keep it); activations already sent are called back; its suppliers are told."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.CANCEL_BATCH)
            batch = batches.get_batch(s, batch_id, lock=True)
            get(s, batch.release_id, lock=True)
            batches.cancel(s, batch, reason, ctx.now(s), ctx.actor)
            release_id = batch.release_id
        self.time.send_for(release_id)  # the call-backs leave now
        return Done(self.batch(batch_id), ctx.deliver(self._changed(release_id, batch_id)))

    def run_overdue_batch(self, batch_id: int) -> Done[BatchInfo]:
        """DCC runs an overdue batch now (the Operating rules' "run now"); its release's due
        work is done at once, other releases' waits for the scheduler."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.RUN_OVERDUE)
            batch = batches.get_batch(s, batch_id, lock=True)
            batches.run_now(s, batch, ctx.now(s), ctx.actor)
            release_id = batch.release_id
        self.time.work_for(release_id)
        return Done(self.batch(batch_id), ctx.deliver(self._changed(release_id, batch_id)))

    def batch(self, batch_id: int) -> BatchInfo:
        """One batch: its times, state, hubs per state and failures by reason."""
        with self.ctx.db.reading() as s:
            return batch_info.info(s, batches.get_batch(s, batch_id))

    def batches(self, release_id: int | None = None) -> list[BatchInfo]:
        """Every batch (of one release), in order of time."""
        with self.ctx.db.reading() as s:
            return [batch_info.info(s, b) for b in batches.batches_of(s, release_id)]

    # -- the grace period -------------------------------------------------------------------
    def grace_period(self) -> int:
        """The grace period in minutes (Operating rules)."""
        with self.ctx.db.reading() as s:
            return int(schedule.grace(s).total_seconds() // 60)

    def set_grace_period(self, minutes: int) -> Done[int]:
        """Work late by more than MINUTES after a downtime waits for DCC instead of running."""
        ctx = self.ctx
        if not 0 <= minutes <= 24 * 60:
            raise BadInput(f"The grace period must be 0 to 1,440 minutes (a day); {minutes} is not.")
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.SET_GRACE_PERIOD)
            before = int(schedule.grace(s).total_seconds() // 60)
            row = s.get(Setting, schedule.GRACE_SETTING)
            if row is None:
                s.add(Setting(key=schedule.GRACE_SETTING, value=str(minutes)))
            else:
                row.value = str(minutes)
            ctx.audit(s, Action.SET_GRACE_PERIOD, "scheduler", before=before, after=minutes)
        return Done(minutes, Changes())

    @staticmethod
    def _changed(release_id: int, batch_id: int) -> Changes:
        return Changes(releases=frozenset({release_id}), batches=frozenset({batch_id}))


def _batches_of(s: Session, release_id: int) -> list[int]:
    return list(s.scalars(select(Batch.id).where(Batch.release_id == release_id)))


def _batch_input(file: Path | None, rule: BatchRule | None) -> list[tuple[int, str]] | None:
    if (file is None) == (rule is None):
        raise BadInput("Give the batch as a GUID file or as a rule, one of the two.")
    return guid_entries(file) if file is not None else None

