"""The command line's commands, one module per area of the work.

Each module puts a command's parser and its handler side by side and wires them with
`set_defaults(run=handler)`. A handler takes the engine (opened for the acting user and
checked to be a DCC user), the parsed words and an `Emit`, and returns the exit status.
Commands import `chconsole.cli.output` and the engine, never `chconsole.cli` itself.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from chconsole.cli.output import Emit
from chconsole.core.bootstrap import open_engine
from chconsole.core.engine.facade import Engine

Handler = Callable[[Engine, argparse.Namespace, Emit], int]
"""Does one command: `run(engine, args, emit)` returns the exit status."""

Opener = Callable[[argparse.Namespace, str], Engine]
"""Gives a command its engine: `opener(args, actor)`."""


def common_options(parser: argparse.ArgumentParser, top: bool = False) -> None:
    """Add `--db`, `--as` and `--json` to PARSER.

    They are accepted before or after a command's own words; a command's parser must not
    overwrite a value given before its words, hence SUPPRESS as the default there.

    Args:
        parser: The top parser, a command's or an action's.
        top: PARSER is the top parser, which holds the defaults.
    """
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--db", default=default, metavar="URL",
                        help="SQLAlchemy URL (default: your data folder's SQLite file)")
    parser.add_argument("--as", dest="actor", default=default, metavar="USER",
                        help="the acting DCC user (default: your login name)")
    parser.add_argument("--json", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="print one JSON document on stdout")


def open_database(args: argparse.Namespace, actor: str) -> Engine:
    """The engine on `--db` for ACTOR, who must be a DCC user (reading is for them too)."""
    engine = open_engine(args.db, actor)
    engine.admin.check_user()
    return engine


class Commands:
    """The top parser's commands: each area adds its own."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self._sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(self, name: str, help_: str, run: Handler | None = None) -> argparse.ArgumentParser:
        """A command NAME, opening the database as the acting user.

        Args:
            name: The command's word.
            help_: One line for `chconsole --help`, also the command's own description.
            run: Its handler; None when its actions have their own (see `Actions`).
        """
        parser = self._sub.add_parser(name, help=help_, description=help_)
        common_options(parser)
        parser.set_defaults(opener=open_database)
        if run is not None:
            parser.set_defaults(run=run)
        return parser


class Actions:
    """A command's actions (`release notify`, `batch show`, ...): one of them is required."""

    def __init__(self, parser: argparse.ArgumentParser, *, described: bool = False) -> None:
        """Args:
            parser: The command's parser.
            described: Each action's help line is also the description its own --help shows.
        """
        self._sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        self._described = described

    def add(self, name: str, help_: str, run: Handler) -> argparse.ArgumentParser:
        """An action NAME done by RUN."""
        parser = (self._sub.add_parser(name, help=help_, description=help_) if self._described
                  else self._sub.add_parser(name, help=help_))
        common_options(parser)
        parser.set_defaults(run=run)
        return parser
