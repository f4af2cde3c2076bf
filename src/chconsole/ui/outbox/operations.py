"""The Outbox's operations: send now, retry the failed notices, the mail settings.

Each runs one engine call through Console.write, which announces what it changed, so the
Outbox (and anything else showing notices) reads again. What the relay answered is said in
the banner: how many went, and each failure with the relay's own words.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from chconsole.core.engine.dto import RelayInfo, SendReport
from chconsole.ui.outbox.mail_settings import edit_mail_relay
from chconsole.ui.runtime.context import Console

FAILURES_SAID = 3  # failures named in the banner; the Outbox lists them all


class OutboxActions:
    """Send now, Retry failed, Mail settings."""

    def __init__(self, console: Console, parent: QWidget) -> None:
        self.console = console
        self.parent = parent

    def send(self, retry_failed: bool = False) -> None:
        doing = "trying the failed notices again" if retry_failed else "sending the outbox"
        self.console.write(lambda e: e.mail.send(retry_failed), self._sent, label=doing)

    def _sent(self, report: SendReport) -> None:
        if not report.tried:
            self.console.messages.info("Nothing was waiting to be sent.")
            return
        sent = f"Sent {report.sent:,} notice{'s' if report.sent != 1 else ''}"
        if not report.failed:
            self.console.messages.info(sent + ".")
            return
        named = "; ".join(f"notice {f.notice} to {f.recipient}: {f.answer}" for f in report.failed[:FAILURES_SAID])
        more = f"; and {len(report.failed) - FAILURES_SAID:,} more" if len(report.failed) > FAILURES_SAID else ""
        self.console.messages.warning(f"{sent}; {len(report.failed):,} failed ({named}{more}).")

    def mail_settings(self) -> None:
        edit_mail_relay(self.console, self.parent, self._saved)

    def _saved(self, relay: RelayInfo | None) -> None:
        self.console.messages.info(
            f"Notices are sent through {relay.host}:{relay.port} from now on; every scheduler pass sends what "
            "is waiting." if relay is not None else "The mail relay is removed: notices stay as .eml files.")
