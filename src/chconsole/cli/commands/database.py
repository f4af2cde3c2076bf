"""`chconsole init`: create the database, its clock and its first user."""

from __future__ import annotations

import argparse

from chconsole.cli.commands import Commands
from chconsole.cli.output import Emit
from chconsole.core.bootstrap import create_database
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import parse_time


def add_init(commands: Commands) -> None:
    """`init [--clock system|simulated] [--start TIME]`."""
    sp = commands.add("init", "create the database", init)
    sp.add_argument("--clock", choices=["system", "simulated"], default="system")
    sp.add_argument("--start", metavar="TIME", help="the simulated clock's first time")
    sp.set_defaults(opener=create)


def create(args: argparse.Namespace, actor: str) -> Engine:
    """A new database on `--db`, on the clock asked for; ACTOR holds every role in it."""
    start = None
    if args.clock == "simulated":
        if not args.start:
            raise BadInput("A simulated clock needs --start TIME.")
        start = parse_time(args.start, "start time")
    elif args.start:
        raise BadInput("--start only goes with --clock simulated.")
    return create_database(args.db, actor, start)


def init(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Say what was created (the opener, `create`, made it)."""
    emit({"database": engine.where(), "clock": args.clock, "user": engine.actor, "now": engine.now()},
         f"Created {engine.where()} ({args.clock} clock); {engine.actor} holds every role.")
    return 0
