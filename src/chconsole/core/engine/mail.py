"""The mail desk: the SMTP relay notices go through (administrators), and sending the outbox now.

Without a relay, notices stay as .eml files in the outbox folder. With one, every scheduler
pass sends what is due (`send_due`, called by the time desk's tick), and a person may send
now, or try the failed notices again at once.
"""

from __future__ import annotations

from collections.abc import Callable

from chconsole.core.delivery import relay as relays
from chconsole.core.delivery import sending
from chconsole.core.delivery.relay import RelayInfo
from chconsole.core.delivery.sending import SendReport
from chconsole.core.engine.changes import Changes, Done
from chconsole.core.engine.context import EngineContext
from chconsole.core.engine.roles import Action
from chconsole.core.vocabulary.errors import BadInput


class MailDesk:
    """The relay's settings and sending the outbox."""

    def __init__(self, ctx: EngineContext) -> None:
        self.ctx = ctx

    def relay(self) -> RelayInfo | None:
        """The relay notices go through, or None when they stay as files (the password is never shown)."""
        with self.ctx.db.reading() as s:
            return relays.read(s)

    def set_relay(self, host: str, port: str | int, *, starttls: bool = False, user: str | None = None,
                  password_env: str | None = None, sender: str | None = None) -> Done[RelayInfo]:
        """Send notices through the SMTP relay at HOST:PORT (administrators). Every setting is
        given each time; SENDER defaults to the DCC service desk's address. The login's password
        is read from the environment variable PASSWORD_ENV wherever notices are sent."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.SET_MAIL_RELAY)
            info = relays.store(s, host, port, starttls, user, password_env, sender, ctx.now(s), ctx.actor)
            ctx.audit(s, Action.SET_MAIL_RELAY, "mail relay", host=info.host, port=info.port,
                      starttls=info.starttls, user=info.user, password_env=info.password_env, sender=info.sender)
        return Done(info, Changes(mail=1))

    def clear_relay(self) -> Done[bool]:
        """Stop sending (administrators): notices stay as .eml files from now on. False when no
        relay was set."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.SET_MAIL_RELAY)
            had = relays.clear(s)
            if had:
                ctx.audit(s, Action.SET_MAIL_RELAY, "mail relay", cleared=True)
        return Done(had, Changes(mail=1 if had else 0))

    def send(self, retry_failed: bool = False, include_earlier: bool = False,
             progress: Callable[[str], None] | None = None) -> Done[SendReport]:
        """Send now what is due (the scheduler also does it on every pass). RETRY_FAILED tries
        every failed notice again now, however it failed; INCLUDE_EARLIER also sends notices
        written before the relay was set. Refused when no relay is set."""
        ctx = self.ctx
        with ctx.db.reading() as s:
            ctx.authorize(s, Action.SEND_MAIL)
            if relays.read(s) is None:
                raise BadInput(
                    f"No mail relay is set, so notices stay as .eml files in {ctx.outbox_dir}; an administrator "
                    "sets one with 'chconsole mail set' (or Mail settings in the Outbox).")
        changes = ctx.deliver(Changes(), progress)  # a notice is sent as the file the folder holds
        report = send_due(ctx, retry_failed=retry_failed, include_earlier=include_earlier, progress=progress,
                          asked=True)
        return Done(report, changes | Changes(mail=report.tried))


def send_due(ctx: EngineContext, *, retry_failed: bool = False, include_earlier: bool = False,
             progress: Callable[[str], None] | None = None, asked: bool = False) -> SendReport:
    """Send what is due through the relay (nothing when none is set) and audit what was tried.

    A pass that found nothing due leaves no audit entry; one a person ASKED for always does."""
    report = sending.send_due(ctx.db, ctx.now, retry_failed=retry_failed, include_earlier=include_earlier,
                              progress=progress)
    if report.relay and (report.tried or asked):
        with ctx.db.writing() as s:
            ctx.audit(s, Action.SEND_MAIL, "outbox", sent=report.sent, failed=len(report.failed),
                      retry_failed=retry_failed, include_earlier=include_earlier,
                      failures={str(f.notice): f.answer for f in report.failed[:50]})
    return report
