"""A real SMTP relay for the tests: aiosmtpd on 127.0.0.1 and a free port, in-process.

It keeps every message it accepts, and can be told to answer some recipients with a refusal
("451 4.3.0 Try again later", "550 5.1.1 Mailbox unavailable") or to want a login.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

TRY_LATER = "451 4.3.0 Try again later"
NO_MAILBOX = "550 5.1.1 Mailbox unavailable"
PASSWORD = "s3cret-relay"  # the one a relay that wants a login takes


@dataclass
class Received:
    """One message the relay accepted: its envelope and the message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Relay:
    """The handler: what it accepted, and how it answers."""

    host: str = "127.0.0.1"
    port: int = 0
    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # address -> its RCPT answer
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          rcpt_options: list[str]) -> str:
        answer = self.refuse.get(address.lower())
        if answer is not None:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return f"250 2.0.0 Ok: queued as Q{len(self.received)}"

    def to(self, address: str) -> list[EmailMessage]:
        """The messages accepted for ADDRESS, in the order they came."""
        return [r.message for r in self.received if address in r.rcpt_tos]

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if isinstance(data, LoginPassword):
            user, password = data.login.decode(), data.password.decode()
            self.logins.append((user, password))
            # handled=False: aiosmtpd answers a refusal itself (535)
            return AuthResult(success=password == PASSWORD, handled=False)
        return AuthResult(success=False, handled=False)


def free_port() -> int:
    """A port nothing listens on now (the kernel's choice, let go at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def running_relay(login: bool = False) -> Iterator[Relay]:
    """A relay listening on 127.0.0.1 until the block ends; LOGIN: it offers one (AUTH without TLS)
    and takes only PASSWORD."""
    relay = Relay(port=free_port())
    options: dict[str, Any] = {}
    if login:
        options = {"authenticator": relay.authenticate, "auth_require_tls": False}
    controller = Controller(relay, hostname=relay.host, port=relay.port, **options)
    controller.start()
    try:
        yield relay
    finally:
        controller.stop()
