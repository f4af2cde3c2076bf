"""`chconsole outbox`: the notices produced, to whom and about what, and sending them now."""

from __future__ import annotations

import argparse
from datetime import datetime

from chconsole.cli.commands import Actions, Commands
from chconsole.cli.output import Emit, committed
from chconsole.core.engine.dto import status_words
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.london import show


def add_outbox(commands: Commands) -> None:
    """`outbox list [--release ID] [--recipient PARTY] [--kind KIND] [--status STATUS]` and
    `outbox send [--retry-failed] [--include-earlier]`."""
    actions = Actions(commands.add("outbox", "notices produced, and sending them"))
    sp = actions.add("list", "notices: to whom, about what, and whether they were sent", list_notices)
    sp.add_argument("--release", type=int)
    sp.add_argument("--recipient")
    sp.add_argument("--kind", help="a notice kind, as the JSON gives it (RELEASE_NOTICE, PILOT_START...)")
    sp.add_argument("--status", help="PENDING, WRITTEN, SENDING, SENT or FAILED")
    sp = actions.add("send", "send what is waiting now through the mail relay (the scheduler also does it "
                             "on every pass)", send)
    sp.add_argument("--retry-failed", action="store_true",
                    help="try every failed notice again now, whatever the relay answered")
    sp.add_argument("--include-earlier", action="store_true",
                    help="also send the notices written before the relay was set")


def list_notices(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """The notices, newest first, two lines each: what and to whom, then how far it got."""
    ns = engine.queries.notices(args.release, args.recipient, kind=args.kind, status=args.status)
    relay = engine.mail.relay()
    since = relay.since if relay is not None else None
    empty = "No notices match." if _filtered(args) else "The outbox is empty."
    emit([{"id": n.id, "recipient": n.recipient, "kind": n.kind, "release": n.release,
           "subject": n.subject, "created_at": n.created_at, "status": n.status,
           "status_text": status_words(n, since), "answer": n.answer, "attempts": n.attempts,
           "sent_at": n.sent_at, "next_try_at": n.next_try_at,
           "attachment": n.attachment, "file": n.eml_path} for n in ns],
         "\n".join(f"{n.id:>6}  {show(n.created_at)}  {n.recipient:10} {n.kind:22} {n.subject}\n"
                   f"{'':8}{status_words(n, since)}{_when(n.status, n.sent_at, n.next_try_at)}"
                   for n in ns) or empty)
    return 0


def send(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Send what is due now; prints how many were sent and each failure with the relay's answer."""
    report = committed(engine.mail.send(args.retry_failed, args.include_earlier))
    lines = [f"Sent {report.sent} notice{'s' if report.sent != 1 else ''}; "
             f"{len(report.failed)} failed{':' if report.failed else '.'}"]
    lines += [f"  notice {f.notice} to {f.recipient}: {f.answer}{_when('FAILED', None, f.retry_at)}"
              for f in report.failed]
    emit({"sent": report.sent,
          "failed": [{"id": f.notice, "recipient": f.recipient, "answer": f.answer, "retry_at": f.retry_at}
                     for f in report.failed]},
         "\n".join(lines) if report.tried else "Nothing was waiting to be sent.")
    return 0


def _when(status: str, sent_at: datetime | None, retry_at: datetime | None) -> str:
    if status == "SENT" and sent_at is not None:
        return f" at {show(sent_at)}"
    if status != "FAILED":
        return ""
    if retry_at is None:
        return " (waits for 'outbox send --retry-failed')"
    return f" (next try at {show(retry_at)})"


def _filtered(args: argparse.Namespace) -> bool:
    return any(v is not None for v in (args.release, args.recipient, args.kind, args.status))
