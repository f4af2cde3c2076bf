"""The engine's deployment desk: supplier instructions and DCC batches (R3, R4).

A mixin of Engine. Each method is one unit of work, then the outbox is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from chconsole.core.deployment import batches, instructions, schedule
from chconsole.core.engine.roles import Action
from chconsole.core.engine.rollout_desk import RolloutDesk
from chconsole.core.releases.lifecycle import get
from chconsole.core.rollout import tallies
from chconsole.core.storage.models import Batch, Instruction, Release, Setting
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.incoming import read_fields
from chconsole.core.vocabulary.london import utc


@dataclass(frozen=True)
class BatchView:
    """A batch as the Batch control view and the command line show it."""

    id: int
    release_id: int
    kind: str
    kind_title: str
    name: str
    source: str
    activate_at: datetime
    distribute_from: datetime
    state: str
    hubs: int
    counts: dict[str, int]
    created_at: datetime
    created_by: str
    overdue_since: datetime | None
    failures: dict[str, int]

    @property
    def open(self) -> int:
        return sum(n for s, n in self.counts.items() if s in schedule.IN_HAND)


@dataclass(frozen=True)
class InstructionView:
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


class DeploymentDesk(RolloutDesk):
    """Instructions and batches, on top of the rollout desk's tick and network."""

    # -- instructions (R3, R4) ------------------------------------------------------------------
    def instruct(self, release_id: int, supplier: str, file: Path, activate_at: datetime,
                 name: str | None = None) -> instructions.InstructionResult:
        """A supplier's instruction to activate the GUIDs in FILE earlier, at ACTIVATE_AT."""
        from chconsole.core.storage.parties import known_supplier

        entries = _guid_entries(file)
        with self.db.writing() as s:
            self._authorize(s, Action.INSTRUCT)
            party = known_supplier(s, supplier).id
            release = get(s, release_id, lock=True)
            result = instructions.instruct(s, release, party, entries, utc(activate_at), name,
                                           f"file {file.name}", self.now(s), self.actor)
            self._audit(s, Action.INSTRUCT, f"release {release_id} {party}", instruction=result.id,
                        activate_at=activate_at, submitted=result.submitted, scheduled=result.scheduled,
                        awaiting=result.awaiting, refused=len(result.refused), file=file.name, name=name)
        self.deliver_outbox()
        return result

    def instructions(self, release_id: int | None = None, supplier: str | None = None) -> list[InstructionView]:
        with self.db.reading() as s:
            q = select(Instruction).order_by(Instruction.id)
            if release_id is not None:
                q = q.where(Instruction.release_id == release_id)
            if supplier is not None:
                q = q.where(Instruction.supplier == supplier.upper())
            return [InstructionView(i.id, i.release_id, i.supplier, i.name, i.source, utc(i.activate_at),
                                    utc(i.received_at), i.received_by, i.submitted, i.accepted, i.refused)
                    for i in s.scalars(q)]

    # -- DCC batches ----------------------------------------------------------------------------
    def preview_batch(self, release_id: int, file: Path | None = None, rules: Sequence[str] = ()) -> batches.BatchPlan:
        """How many hubs a batch would take, and whose: nothing is changed."""
        entries, rule = _batch_input(file, rules)
        with self.db.reading() as s:
            release = get(s, release_id)
            _, refused = batches.choose(s, release, entries, rule)
            plan = batches.chosen_plan(s, release.id, refused)
            s.rollback()
            return plan

    def create_batch(self, release_id: int, activate_at: datetime, file: Path | None = None,
                     rules: Sequence[str] = (), name: str | None = None) -> batches.BatchResult:
        """A DCC batch from a GUID file or a rule, activated at ACTIVATE_AT."""
        entries, rule = _batch_input(file, rules)
        source = f"file {file.name}" if file is not None else (rule.describe() if rule else "")
        with self.db.writing() as s:
            self._authorize(s, Action.CREATE_BATCH)
            release = get(s, release_id, lock=True)
            result = batches.create(s, release, name or "", utc(activate_at), entries, rule, source,
                                    self.now(s), self.actor)
            self._audit(s, Action.CREATE_BATCH, f"release {release_id} batch {result.id}", source=source,
                        activate_at=activate_at, hubs=result.hubs, refused=len(result.refused))
        self.deliver_outbox()
        return result

    def replan_batch(self, batch_id: int, activate_at: datetime) -> BatchView:
        with self.db.writing() as s:
            self._authorize(s, Action.REPLAN_BATCH)
            batch = batches.get_batch(s, batch_id, lock=True)
            get(s, batch.release_id, lock=True)
            batches.replan(s, batch, utc(activate_at), self.now(s), self.actor)
        self.deliver_outbox()
        return self.batch(batch_id)

    def cancel_batch(self, batch_id: int, reason: str) -> BatchView:
        with self.db.writing() as s:
            self._authorize(s, Action.CANCEL_BATCH)
            batch = batches.get_batch(s, batch_id, lock=True)
            get(s, batch.release_id, lock=True)
            batches.cancel(s, batch, reason, self.now(s), self.actor)
        self._send()  # the call-backs leave now
        self.deliver_outbox()
        return self.batch(batch_id)

    def run_overdue_batch(self, batch_id: int) -> BatchView:
        """DCC runs an overdue batch now (the Operating rules' "run now")."""
        with self.db.writing() as s:
            self._authorize(s, Action.RUN_OVERDUE)
            batch = batches.get_batch(s, batch_id, lock=True)
            batches.run_now(s, batch, self.now(s), self.actor)
        self._run_pass()
        return self.batch(batch_id)

    def batch(self, batch_id: int) -> BatchView:
        with self.db.reading() as s:
            return _view(s, batches.get_batch(s, batch_id))

    def batches(self, release_id: int | None = None) -> list[BatchView]:
        with self.db.reading() as s:
            return [_view(s, b) for b in batches.batches_of(s, release_id)]

    def grace_period(self) -> int:
        """The grace period in minutes (Operating rules)."""
        with self.db.reading() as s:
            return int(schedule.grace(s).total_seconds() // 60)

    def set_grace_period(self, minutes: int) -> int:
        """Work late by more than this after a downtime waits for DCC instead of running."""
        if not 0 <= minutes <= 24 * 60:
            raise BadInput(f"The grace period must be 0 to 1,440 minutes (a day); {minutes} is not.")
        with self.db.writing() as s:
            self._authorize(s, Action.SET_GRACE_PERIOD)
            before = int(schedule.grace(s).total_seconds() // 60)
            row = s.get(Setting, schedule.GRACE_SETTING)
            if row is None:
                s.add(Setting(key=schedule.GRACE_SETTING, value=str(minutes)))
            else:
                row.value = str(minutes)
            self._audit(s, Action.SET_GRACE_PERIOD, "scheduler", before=before, after=minutes)
        return minutes

    def _run_pass(self) -> None:
        self._process(self.now())
        self.deliver_outbox()


def _guid_entries(file: Path) -> list[tuple[int, str]]:
    entries = [(line, values[0]) for line, values in read_fields(file, ("guid",), "GUID list")]
    if not entries:
        raise BadInput(f"{file.name} lists no GUIDs.")
    return entries


def _batch_input(file: Path | None, rules: Sequence[str]) -> tuple[list[tuple[int, str]] | None,
                                                                   batches.BatchRule | None]:
    if (file is None) == (not rules):
        raise BadInput("Give the batch as a GUID file (--file) or as a rule (--rule), one of the two.")
    if file is not None:
        return _guid_entries(file), None
    return None, batches.parse_rule(rules)


def _view(s: Session, b: Batch) -> BatchView:
    counts: dict[str, int] = {}
    for key, n in tallies.read(s, b.release_id, "batch_state").items():
        bid, _, state = key.partition("|")
        if bid == str(b.id):
            counts[state] = n
    failures: dict[str, int] = {}
    if counts.get("FAILED"):
        from sqlalchemy import text

        failures = {str(r): int(n) for r, n in s.execute(text(
            "SELECT reason, COUNT(*) FROM release_hub WHERE batch_id = :b AND state = 'FAILED' GROUP BY reason"),
            {"b": b.id})}
    release = s.get(Release, b.release_id)
    assert release is not None
    return BatchView(b.id, b.release_id, b.kind, schedule.KIND_TITLE.get(b.kind, b.kind), b.name, b.source,
                     utc(b.activate_at), utc(b.distribute_from), b.state, int(b.hubs), counts,
                     utc(b.created_at), b.created_by, utc(b.overdue_since) if b.overdue_since else None, failures)
