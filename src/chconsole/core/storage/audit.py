"""The audit trail: append-only, each entry carrying the hash of the one before."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from chconsole.core.storage.models import AuditEntry, AuditHead
from chconsole.core.vocabulary.london import utc

GENESIS = "0" * 64


def _digest(prev: str, at: datetime, actor: str, action: str, subject: str, detail: str) -> str:
    payload = "\x1f".join([prev, utc(at).isoformat(), actor, action, subject, detail])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    session: Session,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry. Locks the chain head so concurrent writers queue, not fork."""
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one()
    text = json.dumps(detail or {}, sort_keys=True, default=str)
    digest = _digest(head.last_hash, at, actor, action, subject, text)
    entry = AuditEntry(
        at=utc(at),
        actor=actor,
        action=action,
        subject=subject[:80],
        detail=text,
        prev_hash=head.last_hash,
        hash=digest,
    )
    session.add(entry)
    session.flush()
    session.execute(
        update(AuditHead).where(AuditHead.id == 1).values(last_id=entry.id, last_hash=digest)
    )


@dataclass(frozen=True)
class AuditCheck:
    intact: bool
    entries: int
    first_bad_id: int | None
    problem: str | None


def verify(session: Session) -> AuditCheck:
    """Recompute the chain from the first entry; report the first entry that breaks it."""
    prev = GENESIS
    count = 0
    rows = session.execute(
        select(
            AuditEntry.id,
            AuditEntry.at,
            AuditEntry.actor,
            AuditEntry.action,
            AuditEntry.subject,
            AuditEntry.detail,
            AuditEntry.prev_hash,
            AuditEntry.hash,
        ).order_by(AuditEntry.id)
    )
    last_id = 0
    for row in rows:
        count += 1
        if row.prev_hash != prev:
            return AuditCheck(False, count, row.id, "its link to the entry before it is broken")
        expected = _digest(prev, row.at, row.actor, row.action, row.subject, row.detail)
        if expected != row.hash:
            return AuditCheck(False, count, row.id, "its content no longer matches its hash")
        prev = row.hash
        last_id = row.id
    head = session.get(AuditHead, 1)
    if head is None or head.last_hash != prev or head.last_id != last_id:
        return AuditCheck(False, count, None, "entries have been removed from the end")
    return AuditCheck(True, count, None, None)
