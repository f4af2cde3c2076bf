"""Sending the outbox through the relay: what is due, a few notices at a time, each answer kept.

A notice's delivery state: WRITTEN (its .eml file is in the outbox folder, not sent), SENDING
(a sender has claimed it), SENT (the relay accepted it) or FAILED (with the relay's answer).
What is due at a send:

- every WRITTEN notice written since the relay was first set. Notices written before there
  was a relay stay in the folder (they were drafts for a person to send, who may have sent
  them by hand); a send asked for with `include_earlier` takes them too;
- every FAILED notice whose next try has come: after a failure that may pass (a 4xx answer,
  a relay that is down) the next try waits 5 minutes, then 30 minutes, 2 hours and 12 hours;
  after the fifth failed try, and after a 5xx answer to the notice's own recipient or
  content, it waits for a person (`retry_failed` tries every FAILED notice now);
- a notice left SENDING by a sender that died (its claim lapses after 15 minutes).

Each chunk is claimed in a short transaction, sent with no transaction open (the relay may
be slow; no write lock is held while it answers), and its answers recorded in another short
transaction. Claiming with the due rule in the UPDATE itself means two senders (a console
and the headless scheduler) never both send one notice. Time comes from the engine's clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update

from chconsole.core.delivery import relay as relays
from chconsole.core.delivery.relay import RelayInfo
from chconsole.core.delivery.smtp import Answer, RelayConnection, message_for
from chconsole.core.storage.db import Database
from chconsole.core.storage.models import Notice, Party

log = logging.getLogger("chconsole.mail")

WRITTEN, SENDING, SENT, FAILED = "WRITTEN", "SENDING", "SENT", "FAILED"
MAX_ATTEMPTS = 5
BACKOFF = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=12))
CLAIM = timedelta(minutes=15)  # a claim older than this is a sender that died
CHUNK = 20  # notices claimed, sent and recorded at a time
ANSWER_CHARS = 1000


@dataclass(frozen=True)
class Failure:
    """A notice the relay did not take: its id, recipient, the relay's answer, and when it is
    tried again on its own (None: it waits for a person)."""

    notice: int
    recipient: str
    answer: str
    retry_at: datetime | None


@dataclass(frozen=True)
class SendReport:
    """What one send did: RELAY (False: none is set, nothing was sent), how many notices the
    relay accepted (SENT), and each that failed."""

    relay: bool
    sent: int = 0
    failed: tuple[Failure, ...] = ()

    @property
    def tried(self) -> int:
        return self.sent + len(self.failed)


@dataclass(frozen=True)
class _Claimed:
    id: int
    recipient: str
    name: str
    address: str | None
    eml_path: str | None


def retry_at(attempts: int, now: datetime) -> datetime | None:
    """When a notice that failed its ATTEMPTS-th try is tried again on its own (None: never)."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + BACKOFF[min(attempts, len(BACKOFF)) - 1]


def due(now: datetime, relay: RelayInfo, retry_failed: bool = False,
        include_earlier: bool = False) -> ColumnElement[bool]:
    """The notices a send at NOW takes (see the module's account)."""
    written = Notice.status == WRITTEN
    if not include_earlier:
        written = and_(written, Notice.created_at >= relay.since)
    failed = Notice.status == FAILED
    if not retry_failed:
        failed = and_(failed, Notice.next_try_at <= now)  # NULL (waits for a person) never is
    return or_(written, failed, and_(Notice.status == SENDING, Notice.next_try_at <= now))


def send_due(db: Database, now: Callable[[], datetime], *, retry_failed: bool = False,
             include_earlier: bool = False, progress: Callable[[str], None] | None = None) -> SendReport:
    """Send every notice due now through the relay; SendReport(relay=False) when none is set."""
    with db.reading() as s:
        relay = relays.read(s)
    if relay is None:
        return SendReport(False)
    connection = RelayConnection(relay)
    sent, after = 0, 0
    failed: list[Failure] = []
    try:
        while claimed := _claim(db, now(), relay, after, retry_failed, include_earlier):
            after = claimed[-1].id
            answers = []
            for notice in claimed:
                if progress is not None:
                    progress(f"Sending notice {notice.id} to {notice.recipient}")
                answers.append((notice, _send(connection, relay, notice)))
            failed += _record(db, answers, now())
            sent += sum(1 for _n, a in answers if a.sent)
    finally:
        connection.close()
    if sent or failed:
        log.info("Mail: %d notices sent, %d failed", sent, len(failed))
    return SendReport(True, sent, tuple(failed))


def _send(connection: RelayConnection, relay: RelayInfo, notice: _Claimed) -> Answer:
    if notice.address is None:
        return Answer(False, f"no e-mail address on file for {notice.recipient}; give one with "
                             f"'chconsole party set {notice.recipient} --email ADDRESS'")
    if notice.eml_path is None:
        return Answer(False, "the notice has no .eml file to send", permanent=True)
    try:
        message = message_for(notice.eml_path, relay, notice.name, notice.address)
    except OSError as exc:
        return Answer(False, f"its file {notice.eml_path} cannot be read ({exc.strerror or exc}); "
                             "it was not sent", permanent=True)
    return connection.deliver(message, notice.address)


def _claim(db: Database, now: datetime, relay: RelayInfo, after: int, retry_failed: bool,
           include_earlier: bool) -> list[_Claimed]:
    """Claim the next chunk of due notices (ids above AFTER) for this sender. Looking is a read,
    so a pass with nothing due takes no write lock."""
    rule = due(now, relay, retry_failed, include_earlier)
    while True:
        with db.reading() as s:
            ids = list(s.scalars(select(Notice.id).where(rule, Notice.id > after).order_by(Notice.id).limit(CHUNK)))
        if not ids:
            return []
        with db.writing() as s:
            # The rule again in the UPDATE: a row another sender claimed meanwhile is not due any more.
            mine = set(s.scalars(
                update(Notice).where(Notice.id.in_(ids), rule).values(status=SENDING, next_try_at=now + CLAIM)
                .returning(Notice.id).execution_options(synchronize_session=False)))
            if mine:
                rows = s.execute(
                    select(Notice.id, Notice.recipient, Notice.eml_path, Party.name, Party.email)
                    .outerjoin(Party, Party.id == Notice.recipient).where(Notice.id.in_(mine)).order_by(Notice.id))
                return [_Claimed(i, r, name if name and name != r else "", email or None, path)
                        for i, r, path, name, email in rows]
        after = ids[-1]  # that whole chunk went to another sender: go on past it


def _record(db: Database, answers: list[tuple[_Claimed, Answer]], now: datetime) -> list[Failure]:
    """Keep each claimed notice's answer: SENT, or FAILED with when it is tried again."""
    failed: list[Failure] = []
    with db.writing() as s:
        for claimed, answer in answers:
            notice = s.get(Notice, claimed.id)
            if notice is None:
                continue
            notice.attempts += 1
            notice.last_answer = answer.answer[:ANSWER_CHARS]
            if answer.sent:
                notice.status, notice.sent_at, notice.next_try_at = SENT, now, None
                log.info("notice %s sent to %s: %s", notice.id, claimed.address, answer.answer)
                continue
            notice.status = FAILED
            notice.next_try_at = None if answer.permanent else retry_at(notice.attempts, now)
            failed.append(Failure(notice.id, notice.recipient, notice.last_answer, notice.next_try_at))
            log.info("notice %s to %s failed: %s", notice.id, claimed.recipient, answer.answer)
    return failed
