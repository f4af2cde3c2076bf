"""Notices: what the console tells suppliers and CSPs, recorded in the outbox table.

A notice is a row first, written in the same transaction as the change it reports; its
files (.eml and any Excel attachment) are rendered afterwards by the outbox writer, so a
large report never holds a write lock and a crash mid-way is finished on the next run.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from chconsole.core.storage.models import Notice, Party


class Kind:
    RELEASE_NOTICE = "RELEASE_NOTICE"
    REVOCATION = "REVOCATION"
    RELEASE_NOTE_UPDATED = "RELEASE_NOTE_UPDATED"
    HUBS_LEFT_RELEASE = "HUBS_LEFT_RELEASE"
    NOMINATION_RECEIPT = "NOMINATION_RECEIPT"
    PILOT_CONSENT = "PILOT_CONSENT"
    PILOT_START = "PILOT_START"
    PILOT_PROGRESS = "PILOT_PROGRESS"
    PILOT_END = "PILOT_END"
    SAFE_LAUNCH_HELD = "SAFE_LAUNCH_HELD"
    SAFE_LAUNCH_RELEASED = "SAFE_LAUNCH_RELEASED"
    RELEASE_STOPPED = "RELEASE_STOPPED"
    INSTRUCTION_RECEIPT = "INSTRUCTION_RECEIPT"
    INSTRUCTION_AWAITED = "INSTRUCTION_AWAITED"
    INSTRUCTION_AGREED = "INSTRUCTION_AGREED"
    INSTRUCTION_LAPSED = "INSTRUCTION_LAPSED"
    BATCH_SCHEDULED = "BATCH_SCHEDULED"
    BATCH_REPLANNED = "BATCH_REPLANNED"
    BATCH_CANCELLED = "BATCH_CANCELLED"
    ACTIVATIONS_CONFIRMED = "ACTIVATIONS_CONFIRMED"
    DECISION = "DECISION"
    RELEASE_HALTED = "RELEASE_HALTED"
    RELEASE_RESUMED = "RELEASE_RESUMED"


KIND_TITLES = {
    Kind.RELEASE_NOTICE: "Release notice",
    Kind.REVOCATION: "Revocation",
    Kind.RELEASE_NOTE_UPDATED: "Release note updated",
    Kind.HUBS_LEFT_RELEASE: "Hubs left the release",
    Kind.NOMINATION_RECEIPT: "Pilot nomination receipt",
    Kind.PILOT_CONSENT: "Pilot hubs joined on consent",
    Kind.PILOT_START: "Pilot started",
    Kind.PILOT_PROGRESS: "Pilot progress",
    Kind.PILOT_END: "Pilot concluded",
    Kind.SAFE_LAUNCH_HELD: "Safe launch held",
    Kind.SAFE_LAUNCH_RELEASED: "Safe launch released",
    Kind.RELEASE_STOPPED: "Release stopped",
    Kind.INSTRUCTION_RECEIPT: "Instruction receipt",
    Kind.INSTRUCTION_AWAITED: "Shared hubs instructed by the other supplier",
    Kind.INSTRUCTION_AGREED: "Shared hubs instructed by both suppliers",
    Kind.INSTRUCTION_LAPSED: "Instruction no longer counts",
    Kind.BATCH_SCHEDULED: "Hubs scheduled in a DCC batch",
    Kind.BATCH_REPLANNED: "DCC batch re-planned",
    Kind.BATCH_CANCELLED: "DCC batch cancelled",
    Kind.ACTIVATIONS_CONFIRMED: "Activations confirmed",
    Kind.DECISION: "Decision on an incident",
    Kind.RELEASE_HALTED: "Rollout halted",
    Kind.RELEASE_RESUMED: "Rollout resumed",
}


def add(
    session: Session,
    *,
    release_id: int | None,
    recipient: str,
    kind: str,
    subject: str,
    body: str,
    now: datetime,
    actor: str,
    attachment_kind: str | None = None,
    attachment_ref: int | None = None,
) -> Notice:
    notice = Notice(
        release_id=release_id,
        recipient=recipient,
        kind=kind,
        subject=subject,
        body=body,
        attachment_kind=attachment_kind,
        attachment_ref=attachment_ref,
        status="PENDING",
        created_at=now,
        created_by=actor,
    )
    session.add(notice)
    return notice


def recipients_of(session: Session, release_id: int) -> list[str]:
    """Everyone who was sent a release's original notice."""
    rows = session.execute(
        select(Notice.recipient)
        .where(Notice.release_id == release_id, Notice.kind == Kind.RELEASE_NOTICE)
        .distinct()
        .order_by(Notice.recipient)
    )
    return [r for (r,) in rows]


def party_name(session: Session, party_id: str) -> str:
    party = session.get(Party, party_id)
    if party is None or party.name == party.id:
        return party_id
    return f"{party.name} ({party.id})"
