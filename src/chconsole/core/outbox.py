"""The outbox folder: each notice as an .eml file, with its Excel report attached.

Notices are rows first; this writer renders the pending ones after the change that made
them has committed. File names are fixed by the notice id, so a run cut short is simply
finished by the next one.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from sqlalchemy import select

from chconsole.core import reports
from chconsole.core.db import Database
from chconsole.core.london import utc
from chconsole.core.models import Notice, Party

log = logging.getLogger("chconsole.outbox")

SENDER = "DCC Firmware Service Desk <firmware.servicedesk@smartdcc.co.uk>"
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


def deliver_pending(
    db: Database, folder: Path, progress: Callable[[str], None] | None = None
) -> int:
    """Write the files of every pending notice; returns how many were written."""
    with db.reading() as session:
        pending = list(
            session.scalars(select(Notice.id).where(Notice.status == "PENDING").order_by(Notice.id))
        )
    for notice_id in pending:
        if progress:
            progress(f"Writing notice {notice_id}")
        _deliver(db, folder, notice_id)
    return len(pending)


def _deliver(db: Database, folder: Path, notice_id: int) -> None:
    with db.reading() as session:
        notice = session.get(Notice, notice_id)
        if notice is None or notice.status != "PENDING":
            return
        party = session.get(Party, notice.recipient)
        stem = f"{notice.id:06d}-{notice.recipient.lower()}-{_slug(notice.kind)}"
        folder.mkdir(parents=True, exist_ok=True)
        attachment: Path | None = None
        if notice.attachment_kind == "eligibility" and notice.release_id is not None:
            attachment = folder / f"{stem}-eligibility-release-{notice.release_id}.xlsx"
            reports.eligibility(session, notice.release_id, notice.recipient, attachment)
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
