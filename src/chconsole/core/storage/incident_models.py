"""The tables of incidents and decisions (R6): incidents and their history, emergency stops
and what each achieved per hub, and the failure guard's baseline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from chconsole.core.storage.models import Base


class Incident(Base):
    """An incident raised about a release (R6): OPEN, TRIAGED (DCC's outcome recorded),
    CONFIRMED (the Panel's or Sub-Committee's confirmation recorded, the outcome applied),
    CLOSED. Open ones steer pilot rules and batches away from their hubs."""

    __tablename__ = "incident"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), index=True)
    supplier: Mapped[str] = mapped_column(String(16))  # the reporting party; DCC when automatic
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    raised_by: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text)
    emergency_stop: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), index=True)
    automatic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    scope: Mapped[str | None] = mapped_column(Text, nullable=True)
    stop_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(8), nullable=True)
    new_date: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    triaged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    triaged_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    triage_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    confirmed_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    confirm_body: Mapped[str | None] = mapped_column(String(16), nullable=True)
    confirm_recorded_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class IncidentHub(Base):
    """A hub named as affected by an incident."""

    __tablename__ = "incident_hub"
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), primary_key=True)
    hub_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, index=True)


class IncidentEvent(Base):
    """One line of an incident's history: raised, commented, triaged, confirmed, closed..."""

    __tablename__ = "incident_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    by: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text)


class EmergencyStop(Base):
    """One press of the emergency stop, on one release or on every live release."""

    __tablename__ = "emergency_stop"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    every_release: Mapped[bool] = mapped_column(Boolean)
    pressed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    pressed_by: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class StopRelease(Base):
    """A release an emergency stop suspended; held_done once its open hubs were all HELD."""

    __tablename__ = "stop_release"
    stop_id: Mapped[int] = mapped_column(ForeignKey("emergency_stop.id"), primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), primary_key=True)
    held_done: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class StopHub(Base):
    """What a stop achieved for one hub whose activation it called back: CALLED_BACK (the
    network confirmed), TOO_LATE (the hub had activated), or None (no answer yet)."""

    __tablename__ = "stop_hub"
    stop_id: Mapped[int] = mapped_column(ForeignKey("emergency_stop.id"), primary_key=True)
    release_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hub_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    attempt: Mapped[int] = mapped_column(Integer)  # the attempt whose activation it called back
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    __table_args__ = (
        Index("ix_stop_hub_outcome", "stop_id", "outcome"),
        Index("ix_stop_hub_hub", "release_id", "hub_id"),
    )


class GuardBaseline(Base):
    """Failures and finished hubs per scope ("batch|12", "region|North", "supplier|OCTO") when
    the release last resumed: the failure guard counts only what came after."""

    __tablename__ = "guard_baseline"
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), primary_key=True)
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    failed: Mapped[int] = mapped_column(BigInteger)
    finished: Mapped[int] = mapped_column(BigInteger)
