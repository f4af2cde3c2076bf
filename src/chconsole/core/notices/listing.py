"""Reading the outbox: notices newest first (or failures first), filtered, and their delivery in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from chconsole.core.storage.models import Notice
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import utc

# A notice's delivery states, in the order a person follows them.
STATUSES = ("PENDING", "WRITTEN", "SENDING", "SENT", "FAILED")


@dataclass(frozen=True)
class NoticeInfo:
    """One notice and how far it got: STATUS is PENDING (its files not written yet), WRITTEN (in
    the outbox folder, not sent), SENDING, SENT or FAILED; ANSWER is the relay's last answer."""

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
    attempts: int = 0
    answer: str | None = None
    sent_at: datetime | None = None
    next_try_at: datetime | None = None


@dataclass(frozen=True)
class NoticeFilter:
    """Which notices to list: each field None for all."""

    release: int | None = None
    recipient: str | None = None
    kind: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class NoticeChoices:
    """What the outbox's filters offer: the recipients, kinds and releases it holds; and how
    many notices have FAILED (what "Retry failed" would try)."""

    recipients: tuple[str, ...]
    kinds: tuple[str, ...]
    releases: tuple[int, ...]
    failed: int = 0


def list_notices(
    session: Session, release: int | None = None, recipient: str | None = None, limit: int = 5000,
    *, kind: str | None = None, status: str | None = None, failures_first: bool = False,
) -> list[NoticeInfo]:
    """Notices newest first (FAILURES_FIRST: FAILED ones first, each part newest first)."""
    q = select(Notice)
    if failures_first:
        q = q.order_by(case((Notice.status == "FAILED", 0), else_=1), Notice.id.desc())
    else:
        q = q.order_by(Notice.id.desc())
    if release is not None:
        q = q.where(Notice.release_id == release)
    if recipient:
        q = q.where(Notice.recipient == recipient.strip().upper())
    if kind:
        q = q.where(Notice.kind == kind.strip().upper())
    if status:
        q = q.where(Notice.status == checked_status(status))
    return [
        NoticeInfo(n.id, n.recipient, n.kind, n.release_id, n.subject, n.body, utc(n.created_at),
                   n.created_by, n.status, n.attachment, n.eml_path, n.attempts, n.last_answer,
                   utc(n.sent_at) if n.sent_at else None, utc(n.next_try_at) if n.next_try_at else None)
        for n in session.scalars(q.limit(limit))
    ]


def checked_status(status: str) -> str:
    """STATUS as one of STATUSES, or BadInput naming them."""
    word = status.strip().upper()
    if word not in STATUSES:
        raise BadInput(f"{status!r} is not a notice status; the statuses are {', '.join(STATUSES)}.")
    return word


def choices(session: Session) -> NoticeChoices:
    """The recipients, kinds and releases the outbox's notices have, and how many failed."""
    recipients = session.scalars(select(Notice.recipient).distinct().order_by(Notice.recipient))
    kinds = session.scalars(select(Notice.kind).distinct().order_by(Notice.kind))
    releases = session.scalars(select(Notice.release_id).where(Notice.release_id.is_not(None))
                               .distinct().order_by(Notice.release_id.desc()))
    failed = session.scalar(select(func.count()).select_from(Notice).where(Notice.status == "FAILED"))
    return NoticeChoices(tuple(recipients), tuple(kinds), tuple(r for r in releases if r is not None), failed or 0)


def status_words(n: NoticeInfo, relay_since: datetime | None) -> str:
    """How far notice N got, as a person reads it ("Sent", "Failed: 550 mailbox unavailable",
    "Written (no relay)"); RELAY_SINCE is when a mail relay was first set (None: there is none)."""
    if n.status == "PENDING":
        return "Being written"
    if n.status == "SENT":
        return "Sent"
    if n.status == "SENDING":
        return "Sending"
    if n.status == "FAILED":
        return f"Failed: {n.answer}" if n.answer else "Failed"
    if relay_since is None:
        return "Written (no relay)"
    if n.created_at < relay_since:
        return "Written (before the relay)"
    return "Written, waiting to send"
