"""Reading the outbox: notices newest first, filtered by release or recipient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from chconsole.core.storage.models import Notice
from chconsole.core.vocabulary.london import utc


@dataclass(frozen=True)
class NoticeInfo:
    id: int
    recipient: str
    kind: str
    release: int | None
    subject: str
    body: str
    created_at: datetime
    created_by: str
    status: str
    attachment: str | None
    eml_path: str | None


def list_notices(
    session: Session, release: int | None = None, recipient: str | None = None, limit: int = 5000
) -> list[NoticeInfo]:
    q = select(Notice).order_by(Notice.id.desc()).limit(limit)
    if release is not None:
        q = q.where(Notice.release_id == release)
    if recipient:
        q = q.where(Notice.recipient == recipient.strip().upper())
    return [
        NoticeInfo(n.id, n.recipient, n.kind, n.release_id, n.subject, n.body, utc(n.created_at),
                   n.created_by, n.status, n.attachment, n.eml_path)
        for n in session.scalars(q)
    ]
