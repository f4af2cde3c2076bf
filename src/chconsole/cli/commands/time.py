"""`chconsole tick` and `chconsole scheduler`: doing what is due, once or as a service.

`tick` does whatever is due up to now (with a simulated clock, up to `--now`).

`scheduler` is the scheduler without a window, for a server or a cron job. It runs passes
until SIGINT or SIGTERM, one line per pass on stderr; `--once` runs a single pass and
exits. When another process holds the lease (a console, another headless scheduler) a
pass does nothing and says who has it.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from types import FrameType
from typing import Any

from chconsole.cli.commands import Commands
from chconsole.cli.output import Emit, committed
from chconsole.core.engine.facade import Engine
from chconsole.core.scheduling.host import PassReport, Scheduler, describe_lease
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import parse_time, show


def add_tick(commands: Commands) -> None:
    """`tick [--now TIME] [--downtime]`."""
    sp = commands.add("tick", "do whatever is due", tick)
    sp.add_argument("--now", metavar="TIME")
    sp.add_argument("--downtime", action="store_true",
                    help="with a simulated clock: jump to --now as if the console had been closed, then catch up")


def add_scheduler(commands: Commands) -> None:
    """`scheduler [--once] [--heartbeat SECONDS]`."""
    sp = commands.add("scheduler", "run the scheduler headless: each pass does what is due", run_scheduler)
    sp.add_argument("--once", action="store_true", help="run one pass, then exit")
    sp.add_argument("--heartbeat", type=float, default=60.0, metavar="SECONDS",
                    help="seconds between steady passes (default 60); the lease lasts three")


def tick(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Do whatever is due (with a simulated clock, move it to `--now` first)."""
    at = committed(engine.time.tick(parse_time(args.now, "--now time") if args.now else None,
                                    downtime=args.downtime))
    emit({"now": at}, f"Done everything due up to {show(at)}.")
    return 0


def line(report: PassReport) -> str:
    """One pass as one line of a log."""
    when = show(report.at, seconds=True)
    if report.error:
        return f"{when}  pass failed: {report.error}"
    if not report.ran:
        who = describe_lease(report.holder) if report.holder else "another scheduler"
        return f"{when}  nothing done here: the lease is held by {who}"
    nxt = show(report.next_due) if report.next_due else "nothing planned"
    return f"{when}  pass done; next due {nxt}"


def run_scheduler(engine: Engine, args: argparse.Namespace, emit: Emit,
                  stop: threading.Event | None = None) -> int:
    """Run the scheduler headless; STOP (set by SIGINT/SIGTERM) ends the loop."""
    if args.heartbeat < 1:
        raise BadInput("--heartbeat must be at least 1 second.")
    scheduler = Scheduler(engine, role="headless", heartbeat=args.heartbeat)
    scheduler.check_allowed()  # refused before any lease is taken
    if args.once:
        report = scheduler.run_pass()
        scheduler.release()  # a one-off pass leaves the lease free for the next host
        emit({"ran": report.ran, "holder": report.holder, "next_due": report.next_due,
              "error": report.error}, line(report))
        return 1 if report.error else 0

    # The pass lines say what happened; the module's own warnings would say it twice.
    quiet = logging.getLogger("chconsole.scheduler")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    stop = stop or _stop_on_signals()
    scheduler.on_pass = lambda report: print(line(report), file=sys.stderr, flush=True)
    print(f"Scheduler {scheduler.holder} on {engine.where()}: a pass every "
          f"{args.heartbeat:g} s and when work falls due; Ctrl+C stops it.", file=sys.stderr, flush=True)
    scheduler.start()
    try:
        while not stop.wait(1.0):  # wakes now and then, so a signal is seen at once everywhere
            pass
    finally:
        scheduler.shutdown()
        quiet.setLevel(level)
        print("Scheduler stopped; the lease is free.", file=sys.stderr, flush=True)
    return 0


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def handler(_signum: int, _frame: FrameType | None) -> Any:
        stop.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    return stop
