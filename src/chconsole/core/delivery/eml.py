"""The outbox folder: each notice as an .eml file, with its Excel report attached.

Notices are rows first; this writer renders the pending ones after the change that made
them has committed. File names are fixed by the notice id, so a run cut short is simply
finished by the next one.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from chconsole.core.deployment import activation_notices, instruction_reports
from chconsole.core.pilots import reports
from chconsole.core.releases import eligibility_report
from chconsole.core.rollout import tallies
from chconsole.core.storage.campaign_models import Batch, Instruction
from chconsole.core.storage.db import Database
from chconsole.core.storage.models import Notice, Party
from chconsole.core.vocabulary.london import utc

log = logging.getLogger("chconsole.outbox")

SENDER = "DCC Firmware Service Desk <firmware.servicedesk@smartdcc.co.uk>"
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


# Below this many report rows in all, starting worker processes costs more than it saves.
PARALLEL_ROWS = 40_000


def deliver_pending(
    db: Database, folder: Path, progress: Callable[[str], None] | None = None
) -> int:
    """Write the files of every pending notice; returns how many were written.

    Reports are the slow part (openpyxl writes some 10,000 rows a second), so when there
    is much to write they are rendered in worker processes, one report each, on every core.
    """
    with db.reading() as session:
        pending = list(session.scalars(
            select(Notice).where(Notice.status == "PENDING").order_by(Notice.id)))
        jobs = [(n.id, folder / _attachment_name(n), _report_size(session, n))
                for n in pending if n.attachment_kind is not None]
        rows = sum(size for _, _, size in jobs)
    folder.mkdir(parents=True, exist_ok=True)
    rendered: set[int] = set()
    big = [(notice_id, path) for notice_id, path, size in jobs if size > 0]
    if len(big) > 1 and rows >= PARALLEL_ROWS and db.url_for_workers() is not None:
        if progress:
            progress(f"Writing {len(big)} reports ({rows:,} rows)")
        context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt
        workers = min(len(big), os.cpu_count() or 1)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for notice_id, _done in zip((i for i, _ in big),
                                        pool.map(_render_in_worker, [(db.url, i, str(p)) for i, p in big]),
                                        strict=True):
                rendered.add(notice_id)
    for notice in pending:
        if progress:
            progress(f"Writing notice {notice.id} to {notice.recipient}")
        _deliver(db, folder, notice.id, notice.id in rendered)
    return len(pending)


def _attachment_name(notice: Notice) -> str:
    if notice.attachment_kind == "activations" and notice.attachment_ref is not None:
        return f"{_stem(notice)}-{activation_notices.day_label(notice.attachment_ref)}.xlsx"  # may span releases
    if notice.attachment_kind in ("nomination", "instruction"):
        return f"{_stem(notice)}-release-{notice.release_id}.xlsx"  # the stem names the receipt
    return f"{_stem(notice)}-{notice.attachment_kind}-release-{notice.release_id}.xlsx"


def _render(session: Session, notice: Notice, path: Path) -> None:
    """Write a notice's attachment from what the database holds now."""
    if notice.attachment_kind == "eligibility" and notice.release_id is not None:
        eligibility_report.eligibility(session, notice.release_id, notice.recipient, path)
    elif notice.attachment_kind == "pilot" and notice.release_id is not None:
        reports.pilot(session, notice.release_id, notice.recipient, path)
    elif notice.attachment_kind == "nomination" and notice.attachment_ref is not None:
        reports.nomination_receipt(session, notice.attachment_ref, path)
    elif notice.attachment_kind == "instruction" and notice.attachment_ref is not None:
        instruction_reports.receipt(session, notice.attachment_ref, path)
    elif notice.attachment_kind == "batch" and notice.attachment_ref is not None:
        instruction_reports.batch_hubs(session, notice.attachment_ref, notice.recipient, path)
    elif notice.attachment_kind == "activations" and notice.attachment_ref is not None:
        activation_notices.workbook(session, notice.attachment_ref, notice.recipient, path)
    else:
        raise ValueError(f"notice {notice.id} has an attachment of unknown kind {notice.attachment_kind!r}")


def _stem(notice: Notice) -> str:
    return f"{notice.id:06d}-{notice.recipient.lower()}-{_slug(notice.kind)}"


def _report_size(session: Session, notice: Notice) -> int:
    """About how many rows a notice's attachment holds, to decide whether workers pay."""
    ref, party = notice.attachment_ref, notice.recipient
    if notice.attachment_kind == "eligibility" and notice.release_id is not None:
        return sum(tallies.read(session, notice.release_id, d).get(party, 0) for d in ("import", "gas", "both"))
    if notice.attachment_kind == "instruction" and ref is not None:
        instruction = session.get(Instruction, ref)
        return instruction.submitted if instruction is not None else 0
    if notice.attachment_kind == "batch" and ref is not None and notice.release_id is not None:
        batch = session.get(Batch, ref)
        return min(batch.hubs, sum(tallies.read(session, notice.release_id, d).get(party, 0)
                                   for d in ("import", "gas", "both"))) if batch is not None else 0
    return 0


def _render_in_worker(job: tuple[str, int, str]) -> None:
    """In a worker process: write one notice's attachment."""
    url, notice_id, path = job
    db = Database(url)
    try:
        with db.reading() as session:
            notice = session.get(Notice, notice_id)
            if notice is not None:
                _render(session, notice, Path(path))
    finally:
        db.dispose()


def _deliver(db: Database, folder: Path, notice_id: int, rendered: bool = False) -> None:
    with db.reading() as session:
        notice = session.get(Notice, notice_id)
        if notice is None or notice.status != "PENDING":
            return
        party = session.get(Party, notice.recipient)
        stem = _stem(notice)
        attachment: Path | None = None
        if notice.attachment_kind is not None:
            attachment = folder / _attachment_name(notice)
            if not rendered:
                _render(session, notice, attachment)
        message = EmailMessage()
        message["From"] = SENDER
        if party is not None and party.email:
            message["To"] = f"{party.name} <{party.email}>"
        else:
            # No address on file: a reserved domain, so the operator fills it in before sending.
            message["To"] = f"{notice.recipient.lower()}@no-address-on-file.invalid"
        message["Subject"] = notice.subject
        message["Date"] = format_datetime(utc(notice.created_at))
        message["Message-ID"] = make_msgid(idstring=f"notice{notice.id}", domain="chconsole.dcc")
        message["X-Unsent"] = "1"  # mail clients open it as a draft, ready to send
        message["X-Chconsole-Recipient"] = notice.recipient
        message["X-Chconsole-Notice"] = str(notice.id)
        message.set_content(notice.body)
        if attachment is not None:
            message.add_attachment(
                attachment.read_bytes(), maintype=XLSX[0], subtype=XLSX[1], filename=attachment.name
            )
        eml = folder / f"{stem}.eml"
        partial = eml.with_suffix(".eml.part")
        partial.write_bytes(bytes(message))
        os.replace(partial, eml)
    with db.writing() as session:
        row = session.get(Notice, notice_id)
        if row is not None:
            row.status = "WRITTEN"
            row.eml_path = str(eml)
            row.attachment = str(attachment) if attachment else None
    log.info("notice %s written to %s", notice_id, eml)
