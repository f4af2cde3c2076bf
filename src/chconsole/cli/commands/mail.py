"""`chconsole mail`: the SMTP relay notices go through (administrators).

Without a relay, notices stay as .eml files in the outbox folder. The relay's password is
never given on the command line nor kept in the database: `--password-env NAME` names the
environment variable that holds it where the console or the scheduler sends.
"""

from __future__ import annotations

import argparse
from typing import Any

from chconsole.cli.commands import Actions, Commands
from chconsole.cli.output import Emit, committed
from chconsole.core.engine.dto import RelayInfo
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.london import show


def add_mail(commands: Commands) -> None:
    """`mail set --host H --port P [--starttls] [--user U --password-env NAME] [--sender ADDR]`,
    `mail show` and `mail clear`."""
    actions = Actions(commands.add("mail", "the SMTP relay notices are sent through (administrators)"))
    sp = actions.add("set", "send notices through this SMTP relay (every setting, each time)", set_relay)
    sp.add_argument("--host", required=True, help="the relay's host name or address")
    sp.add_argument("--port", required=True, help="its port (587 with --starttls, 25 inside a network)")
    sp.add_argument("--starttls", action="store_true", help="upgrade the connection with STARTTLS before sending")
    sp.add_argument("--user", help="the login, when the relay needs one")
    sp.add_argument("--password-env", metavar="NAME",
                    help="the environment variable that holds the login's password where notices are sent "
                         "(the password itself is never stored)")
    sp.add_argument("--sender", metavar="ADDR", help="the From of every notice (default: the DCC service desk)")
    actions.add("show", "the relay notices go through (never its password)", show_relay)
    actions.add("clear", "stop sending: notices stay as .eml files", clear_relay)


def set_relay(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Set the relay (administrators)."""
    info = committed(engine.mail.set_relay(args.host, args.port, starttls=args.starttls, user=args.user,
                                           password_env=args.password_env, sender=args.sender))
    emit(relay_json(info), "Notices are sent through " + describe(info) + _password_note(info))
    return 0


def show_relay(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """The relay, or that there is none."""
    info = engine.mail.relay()
    if info is None:
        emit({"relay": None}, "No mail relay is set: notices stay as .eml files in the outbox folder "
                              "(an administrator sets one with 'chconsole mail set').")
        return 0
    emit(relay_json(info), "Notices are sent through " + describe(info)
         + f"\nSet by {info.set_by} at {show(info.set_at)}; notices written before {show(info.since)} "
           "stay in the folder unless sent with 'outbox send --include-earlier'." + _password_note(info))
    return 0


def clear_relay(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Forget the relay (administrators)."""
    had = committed(engine.mail.clear_relay())
    emit({"relay": None, "cleared": had},
         "The mail relay is cleared: notices stay as .eml files from now on." if had
         else "No mail relay was set; notices stay as .eml files.")
    return 0


def describe(info: RelayInfo) -> str:
    """The relay in one sentence: where, how, as whom, from whom."""
    how = " with STARTTLS" if info.starttls else " (no STARTTLS: in the clear)"
    login = f", logging in as {info.user}" if info.user else ", without a login"
    return f"{info.host}:{info.port}{how}{login}, from {info.sender}."


def relay_json(info: RelayInfo) -> dict[str, Any]:
    return {"relay": {"host": info.host, "port": info.port, "starttls": info.starttls, "user": info.user,
                      "password_env": info.password_env, "password_set_here": info.password_here,
                      "sender": info.sender, "since": info.since, "set_at": info.set_at, "set_by": info.set_by}}


def _password_note(info: RelayInfo) -> str:
    if info.password_env is None:
        return ""
    here = "is set" if info.password_here else "is NOT set"
    return (f"\nThe password is read from the environment variable {info.password_env}, which {here} here; "
            "it must be set where the console or the scheduler sends.")
