"""The campaign's tables: pilots, commands to the network, progress samples, batches,
instructions and the scheduler lease."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from chconsole.core.storage.models import Base


class Pilot(Base):
    """A release's pilot: NOMINATING until started, RUNNING, then CONCLUDED with a decision."""

    __tablename__ = "pilot"
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    # DCC's activation time; None means "as soon as each hub holds the image".
    activate_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_by: Mapped[str | None] = mapped_column(String(64))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    concluded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    concluded_by: Mapped[str | None] = mapped_column(String(64))
    decision: Mapped[str | None] = mapped_column(String(12))
    commentary: Mapped[str | None] = mapped_column(Text)
    # London date (YYYY-MM-DD) of the last daily progress notice.
    last_progress_on: Mapped[str | None] = mapped_column(String(10))


class Nomination(Base):
    """One supplier's pilot nomination as received: a GUID file or business rules."""

    __tablename__ = "nomination"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), index=True)
    supplier: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_by: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)
    submitted: Mapped[int] = mapped_column(Integer)
    joined: Mapped[int] = mapped_column(Integer)  # now in the pilot
    awaiting: Mapped[int] = mapped_column(Integer)  # waiting for the other supplier
    refused: Mapped[int] = mapped_column(Integer)


class NominationHub(Base):
    """Each GUID of a nomination and what became of it: accepted, or refused with a reason."""

    __tablename__ = "nomination_hub"
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id"), primary_key=True)
    line: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(24))  # JOINED, AWAITING_OTHER_SUPPLIER, REFUSED
    reason: Mapped[str | None] = mapped_column(String(24))


class HubComment(Base):
    """DCC's commentary on a pilot, on one hub (hub_id set) or on the whole pilot."""

    __tablename__ = "hub_comment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), index=True)
    hub_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    by: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)


class CspCommand(Base):
    """A command to the CSP network, recorded before it is sent: one per hub, release, step
    and attempt (a hub commanded again after a call-back or a failure is a new attempt)."""

    __tablename__ = "csp_command"
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), primary_key=True)
    hub_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    step: Mapped[str] = mapped_column(String(12), primary_key=True)  # distribute|activate|cancel
    attempt: Mapped[int] = mapped_column(Integer, primary_key=True, default=1, server_default="1")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    activate_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(24))
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReleaseProgress(Base):
    """Hubs per state of a group at a moment: the points of the progress charts."""

    __tablename__ = "release_progress"
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    hub_group: Mapped[str] = mapped_column(String(12), primary_key=True)
    state: Mapped[str] = mapped_column(String(24), primary_key=True)
    hubs: Mapped[int] = mapped_column(BigInteger)


class Batch(Base):
    """A dispatch wave: hubs of one release that share an activation time.

    kind is 'dcc' (a batch DCC scheduled), 'instructed' (hubs whose suppliers instructed
    this time) or 'deployment_date' (every remaining safe-launch hub, at the DCC date).
    Its distribution is due from distribute_from; the scheduler claims it then (state
    PLANNED -> RUNNING), or marks it OVERDUE when it was claimed later than the grace period.
    """

    __tablename__ = "batch"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(Text)
    activate_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    distribute_from: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(12))
    hubs: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    overdue_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_batch_state", "state", "distribute_from"),)


class Instruction(Base):
    """A supplier's instruction to activate earlier than the DCC date, as received (R3)."""

    __tablename__ = "instruction"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), index=True)
    supplier: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str | None] = mapped_column(String(80), nullable=True)  # the supplier's batch name
    source: Mapped[str] = mapped_column(Text)
    activate_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_by: Mapped[str] = mapped_column(String(64))
    submitted: Mapped[int] = mapped_column(Integer)
    accepted: Mapped[int] = mapped_column(Integer)
    refused: Mapped[int] = mapped_column(Integer)


class InstructionLine(Base):
    """Each GUID line of an instruction: accepted (reason None) or refused with a reason."""

    __tablename__ = "instruction_line"
    instruction_id: Mapped[int] = mapped_column(ForeignKey("instruction.id"), primary_key=True)
    line: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(40))
    hub_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    reason: Mapped[str | None] = mapped_column(String(24))


class SchedulerLease(Base):
    """One row: which process runs the scheduler's passes now, and when the last pass ran.

    Several workstations and a headless scheduler share one database; only the holder of
    an unexpired lease does due work, and the last pass time tells a restart how long the
    scheduler was away (the grace period rule).
    """

    __tablename__ = "scheduler_lease"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(120))
    until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_pass_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
