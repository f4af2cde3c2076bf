"""The SMTP relay notices are sent through: its settings, checked before they are kept.

An administrator names the relay (host, port, STARTTLS, the login and the sender). The
password is never kept in the database nor in the audit trail: the settings name the
environment variable that holds it, read at each send on the machine that sends (the
headless scheduler's, or a console's). Without a relay, notices stay as .eml files in the
outbox folder, as before.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr

from sqlalchemy.orm import Session

from chconsole.core.delivery.eml import SENDER
from chconsole.core.storage.models import MailRelay
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import utc

RELAY_ROW = 1
_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_ADDRESS = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+$")


@dataclass(frozen=True)
class RelayInfo:
    """The relay as set.

    Attributes:
        host: Its host name or address.
        port: Its port (25, 587...).
        starttls: Whether the connection is upgraded with STARTTLS before anything is sent.
        user: The login, or None when the relay takes mail without one.
        password_env: The environment variable holding the login's password (never the password).
        sender: The From of every notice ("Name <address>").
        since: When a relay was first set: notices written before stay in the folder.
        set_at: When the settings were last changed, and SET_BY by whom.
    """

    host: str
    port: int
    starttls: bool
    user: str | None
    password_env: str | None
    sender: str
    since: datetime
    set_at: datetime
    set_by: str

    @property
    def sender_address(self) -> str:
        """The sender's bare address, for the envelope (MAIL FROM)."""
        return parseaddr(self.sender)[1]

    @property
    def password_here(self) -> bool:
        """Whether the password's variable is set in this program's environment."""
        return bool(self.password_env and os.environ.get(self.password_env))


def read(session: Session) -> RelayInfo | None:
    """The relay notices go through, or None when notices stay as files."""
    row = session.get(MailRelay, RELAY_ROW)
    if row is None:
        return None
    return RelayInfo(row.host, row.port, row.starttls, row.username, row.password_env, row.sender,
                     utc(row.since), utc(row.set_at), row.set_by)


def checked_port(port: str | int) -> int:
    """PORT as a number from 1 to 65535, or BadInput saying what is wrong."""
    text = str(port).strip()
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise BadInput(f"The relay's port {text!r} is not a number from 1 to 65535.")
    return int(text)


def checked_host(host: str) -> str:
    text = host.strip()
    if not text:
        raise BadInput("The relay's host is empty: give its name or address (--host).")
    if len(text) > 253 or not _HOST.match(text):
        raise BadInput(f"{text!r} is not a host name or address.")
    return text


def checked_sender(sender: str | None) -> str:
    """SENDER ("Name <address>" or a bare address) as the From of notices; the default when None."""
    if sender is None:
        return SENDER
    text = sender.strip()
    name, address = parseaddr(text)
    if not address or not _ADDRESS.match(address) or ("<" in text and not text.endswith(">")):
        raise BadInput(f"The sender {text!r} is not an e-mail address (name@domain, or Name <name@domain>).")
    return f"{name} <{address}>" if name else address


def checked_login(user: str | None, password_env: str | None) -> tuple[str | None, str | None]:
    """The login and its password's variable: both or neither."""
    login = user.strip() if user is not None else None
    env = password_env.strip() if password_env is not None else None
    if not login and env:
        raise BadInput("--password-env is the password of a login: give the login too (--user).")
    if login and not env:
        raise BadInput(
            "A login needs its password: name the environment variable that holds it with --password-env "
            "(the password itself is never kept in the database).")
    if login and len(login) > 254:
        raise BadInput("The relay's login is longer than 254 characters.")
    if env and not _ENV_NAME.match(env):
        raise BadInput(f"{env!r} is not an environment variable's name (letters, digits and _, "
                       "not starting with a digit).")
    return login or None, env or None


def store(session: Session, host: str, port: str | int, starttls: bool, user: str | None,
          password_env: str | None, sender: str | None, now: datetime, actor: str) -> RelayInfo:
    """Check and keep the relay's settings (all of them: a setting left out takes its default)."""
    h, p, s = checked_host(host), checked_port(port), checked_sender(sender)
    login, env = checked_login(user, password_env)
    row = session.get(MailRelay, RELAY_ROW)
    if row is None:
        row = MailRelay(id=RELAY_ROW, since=now)
        session.add(row)
    row.host, row.port, row.starttls, row.username, row.password_env, row.sender = h, p, starttls, login, env, s
    row.set_at, row.set_by = now, actor
    session.flush()
    info = read(session)
    assert info is not None
    return info


def clear(session: Session) -> bool:
    """Forget the relay (notices stay as files from now on); False when there was none."""
    row = session.get(MailRelay, RELAY_ROW)
    if row is None:
        return False
    session.delete(row)
    return True


def password(relay: RelayInfo) -> str | None:
    """The login's password, from the environment variable the settings name (None without one)."""
    if relay.password_env is None:
        return None
    return os.environ.get(relay.password_env) or None


def missing_password(relay: RelayInfo) -> str | None:
    """Why the relay cannot be logged in to from here, or None when it can."""
    if relay.user and relay.password_env and not os.environ.get(relay.password_env):
        return (f"not sent: the relay's password is read from the environment variable {relay.password_env}, "
                "which is not set where the console or scheduler runs")
    return None
