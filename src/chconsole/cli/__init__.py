"""The scripted interface: the same engine as the console, no window, no Qt.

Exit status: 0 done, 2 bad input, 3 the acting user may not do that, 1 anything else.
Errors go to stderr as one sentence naming what was wrong.

Each command's words and its handler live side by side in `chconsole.cli.commands`;
this module builds the top parser, opens the engine and turns failures into exit statuses.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from chconsole.cli import output
from chconsole.cli.commands import (
    Commands,
    audit,
    common_options,
    cpl,
    dashboards,
    database,
    deployment,
    estate,
    halting,
    incidents,
    mail,
    outbox,
    parties,
    pilots,
    releases,
    reports,
    time,
    users,
)
from chconsole.core.vocabulary.errors import ChconsoleError

log = logging.getLogger("chconsole.cli")

# In the order `chconsole --help` lists them.
COMMANDS: tuple[Callable[[Commands], None], ...] = (
    database.add_init, users.add_user, estate.add_import_estate, cpl.add_cpl, parties.add_party,
    releases.add_release, reports.add_export, estate.add_hub, pilots.add_pilot, pilots.add_network,
    deployment.add_instruct, deployment.add_instructions, deployment.add_grace_period, deployment.add_batch,
    incidents.add_incident, incidents.add_decision, halting.add_stop, halting.add_resume,
    dashboards.add_dashboard, time.add_tick, time.add_scheduler, outbox.add_outbox, mail.add_mail, audit.add_verify_audit,
)

# Problems listed under an error: beyond these, only how many more there are.
PROBLEMS_SHOWN = 1000


def build_parser() -> argparse.ArgumentParser:
    """The `chconsole` parser: the common options and every command."""
    parser = argparse.ArgumentParser(prog="chconsole", description=(
        "Operator console for Communications Hub firmware rollouts. Without a command it "
        "opens the console window."))
    common_options(parser, top=True)
    commands = Commands(parser)
    for add in COMMANDS:
        add(commands)
    return parser


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Open the engine the command needs, as the acting user, and run the command."""
    actor = args.actor or os.environ.get("CHCONSOLE_USER") or getpass.getuser()
    engine = args.opener(args, actor)
    status: int = args.run(engine, args, output.emitter(args.json, out))
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run `chconsole` with ARGV (default: the process's arguments); returns the exit status."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return run(args, sys.stdout)
    except ChconsoleError as exc:
        problems = getattr(exc, "problems", [])
        if args.json:  # scripts get one JSON document whatever happens
            print(output.json_text({"error": str(exc), "exit_status": exc.exit_status, "problems": problems}))
        print(f"chconsole: {exc}", file=sys.stderr)
        for problem in problems[:PROBLEMS_SHOWN]:
            print(f"  {problem}", file=sys.stderr)
        extra = len(problems) - PROBLEMS_SHOWN
        if extra > 0:
            print(f"  ... and {extra:,} more", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("chconsole: interrupted; the unfinished change was rolled back.", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - one clear line, not a traceback, for a person
        log.debug("unexpected failure", exc_info=True)
        print(f"chconsole: unexpected failure: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
