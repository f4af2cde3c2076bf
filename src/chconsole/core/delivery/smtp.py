"""Talking to the SMTP relay: one connection per send, each message's answer in the relay's words.

The standard library's smtplib does the talking. Every answer is kept as the relay gave it
("250 2.0.0 Ok: queued as 4F2A", "550 5.1.1 Mailbox unavailable"), or, when the relay
cannot be reached at all, as a sentence saying why ("could not connect to relay.dcc:587:
connection refused"). Only the relay's 5xx answer to a notice's own recipient or content
is permanent; anything else (4xx, a relay that is down, a login refused) is worth another
try later. Nothing here touches the database: the caller talks to the relay outside any
transaction and records the answers afterwards.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path

from chconsole.core.delivery.relay import RelayInfo, missing_password, password

TIMEOUT = 30.0  # seconds to wait for the relay's answer before giving the try up


@dataclass(frozen=True)
class Answer:
    """What became of one message: SENT, the relay's ANSWER, and whether a refusal is PERMANENT."""

    sent: bool
    answer: str
    permanent: bool = False


class RelayDown(Exception):
    """The relay could not be reached, or would not take mail from us; the sentence says why."""


def message_for(eml_path: str, relay: RelayInfo, name: str, address: str) -> bytes:
    """The notice's .eml file as it is sent: the same message and attachment, from the relay's
    sender to the party's address on file now, no longer marked as a draft."""
    message = message_from_bytes(Path(eml_path).read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    _put(message, "From", relay.sender)
    _put(message, "To", formataddr((name, address)) if name else address)
    del message["X-Unsent"]
    return message.as_bytes(policy=policy.SMTP)


def _put(message: EmailMessage, header: str, value: str) -> None:
    if header in message:
        message.replace_header(header, value)
    else:
        message[header] = value


class RelayConnection:
    """One conversation with the relay: opened when the first message needs it, closed at the end.

    When the relay cannot be reached, `down` keeps why, and every later message of this
    send gets the same answer without another try (a relay that is down is tried once a send).
    """

    def __init__(self, relay: RelayInfo) -> None:
        self.relay = relay
        self.down: str | None = None
        self._smtp: smtplib.SMTP | None = None

    def deliver(self, message: bytes, address: str) -> Answer:
        """Send MESSAGE to ADDRESS; the relay's answer."""
        try:
            smtp = self._open()
        except RelayDown as exc:
            return Answer(False, str(exc))
        try:
            return _transaction(smtp, self.relay.sender_address, address, message)
        except smtplib.SMTPResponseException as exc:
            self._drop()
            return Answer(False, _said(exc.smtp_code, exc.smtp_error))
        except (OSError, smtplib.SMTPException) as exc:  # dropped mid-way: the next message reconnects
            self._drop()
            return Answer(False, f"the connection to {self._where()} was lost while sending ({_why(exc)})")
        except UnicodeEncodeError:
            self._reset()
            return Answer(False, f"the address {address!r} is not plain ASCII, which the relay's envelope "
                                 "cannot carry", permanent=True)

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    def _open(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        if self.down is not None:
            raise RelayDown(self.down)
        relay = self.relay
        self.down = missing_password(relay)
        if self.down is not None:
            raise RelayDown(self.down)
        smtp: smtplib.SMTP | None = None
        try:
            smtp = smtplib.SMTP(relay.host, relay.port, timeout=TIMEOUT)
            smtp.ehlo_or_helo_if_needed()
            if relay.starttls:
                if not smtp.has_extn("starttls"):
                    raise RelayDown(f"{self._where()} does not offer STARTTLS, which the settings ask for; "
                                    "nothing was sent in the clear")
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if relay.user:
                smtp.login(relay.user, password(relay) or "")
        except RelayDown as exc:
            self.down = str(exc)
        except smtplib.SMTPAuthenticationError as exc:
            self.down = f"the relay refused the login {relay.user!r}: {_said(exc.smtp_code, exc.smtp_error)}"
        except smtplib.SMTPNotSupportedError:
            self.down = f"{self._where()} does not offer a login (AUTH), which the settings ask for"
        except smtplib.SMTPResponseException as exc:
            self.down = _said(exc.smtp_code, exc.smtp_error)
        except ssl.SSLError as exc:
            self.down = f"STARTTLS with {self._where()} failed: {exc.reason or exc}"
        except (OSError, smtplib.SMTPException) as exc:
            self.down = f"could not connect to {self._where()}: {_why(exc)}"
        if self.down is not None:
            if smtp is not None:
                smtp.close()
            raise RelayDown(self.down)
        assert smtp is not None
        self._smtp = smtp
        return smtp

    def _where(self) -> str:
        return f"{self.relay.host}:{self.relay.port}"

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def _reset(self) -> None:
        try:
            if self._smtp is not None:
                self._smtp.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()


def _transaction(smtp: smtplib.SMTP, sender: str, address: str, message: bytes) -> Answer:
    """One message: MAIL FROM, RCPT TO, DATA; the relay's final answer."""
    code, said = smtp.mail(sender)
    if code != 250:
        smtp.rset()
        return Answer(False, _said(code, said))  # the relay refused our sender: a setting, not the notice
    code, said = smtp.rcpt(address)
    if code not in (250, 251):
        smtp.rset()
        return Answer(False, _said(code, said), permanent=code >= 500)
    try:
        code, said = smtp.data(message)
    except smtplib.SMTPDataError as exc:  # refused before the content was taken
        smtp.rset()
        return Answer(False, _said(exc.smtp_code, exc.smtp_error), permanent=exc.smtp_code >= 500)
    if code != 250:
        smtp.rset()
        return Answer(False, _said(code, said), permanent=code >= 500)
    return Answer(True, _said(code, said))


def _said(code: int, text: bytes | str) -> str:
    """The relay's answer as one line: "550 5.1.1 Mailbox unavailable"."""
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return " ".join(f"{code} {' '.join(words.split())}".split())


def _why(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"no answer within {TIMEOUT:g} seconds"
    if isinstance(exc, socket.gaierror):
        return f"the host name is not known ({exc.strerror or exc})"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "the relay closed the connection"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__
