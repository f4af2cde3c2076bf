"""`chconsole stop` and `chconsole resume` (R6): the emergency stop, and going on after it.

`stop` needs no form: any DCC user presses it, for one release or (without an id) for every
live release, and it takes effect before one more command leaves. It prints what it achieved
so far; the network's answers to its call-backs arrive with later passes (`incident show`,
`release show`). `resume` needs a decision the Panel confirmed (proceed or delay) and a DCC
user other than the one who halted the release.
"""

from __future__ import annotations

import argparse
from typing import Any

from chconsole.cli.commands import Commands
from chconsole.cli.commands.releases import release_json, release_text
from chconsole.cli.output import Emit, committed
from chconsole.core.engine.dto import StopInfo
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.london import show


def add_stop(commands: Commands) -> None:
    """`stop [ID] [--reason TEXT]`."""
    sp = commands.add("stop", "the emergency stop: suspend a release at once (every live release without ID), "
                              "pending the Panel", stop)
    sp.add_argument("id", type=int, nargs="?", help="the release (default: every live release)")
    sp.add_argument("--reason", metavar="TEXT", help="why (it may also be given later, in the incident)")


def add_resume(commands: Commands) -> None:
    """`resume ID`."""
    sp = commands.add("resume", "resume a suspended or paused release after the Panel confirmed a decision to "
                                "proceed or delay (a DCC user other than the one who halted it)", resume)
    sp.add_argument("id", type=int, help="the release")


def stop(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Press the emergency stop; prints what it achieved so far."""
    info = committed(engine.incidents.stop(args.id, args.reason))
    which = _releases(info.releases)
    text = (f"EMERGENCY STOP {info.id} pressed by {info.pressed_by} at {show(info.pressed_at)}: {which} "
            f"suspended pending the Panel. Nothing more is sent to the network for "
            f"{'them' if len(info.releases) > 1 else 'it'}.\n"
            f"So far: {achieved(info)}.\n"
            "The network's answers to the call-backs arrive with the next passes (chconsole incident show, "
            "chconsole release show). Resuming needs a decision the Panel confirmed and a DCC user other "
            f"than {info.pressed_by}.")
    emit(stop_json(info), text)
    return 0


def resume(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Resume a halted release; says which batches became overdue meanwhile."""
    v = committed(engine.incidents.resume(args.id))
    overdue = [b for b in engine.deployment.batches(v.id) if b.state == "OVERDUE"]
    lines = [f"Release {v.id} resumed by {engine.actor}: it is {v.state} again."]
    if overdue:
        lines.append("These batches fell due while it was halted; they do not run late on their own. "
                     "Run each now (chconsole batch run-now N) or re-plan it (chconsole batch replan N):")
        lines += [f"  batch {b.id} ({b.name}) was due {show(b.overdue_since)}: {b.open:,} hubs" for b in overdue]
    emit({**release_json(v), "resumed_by": engine.actor, "overdue_batches": [b.id for b in overdue]},
         "\n".join([*lines, release_text(v)]))
    return 0


def stop_json(info: StopInfo) -> dict[str, Any]:
    """A stop for JSON: when, by whom, which releases, and what it achieved so far."""
    return {"id": info.id, "every_release": info.every_release, "pressed_at": info.pressed_at,
            "pressed_by": info.pressed_by, "reason": info.reason, "releases": list(info.releases),
            "lifted_at": info.lifted_at, "calls": info.calls, "called_back": info.called_back,
            "too_late": info.too_late, "no_answer": info.no_answer, "held": info.held}


def achieved(info: StopInfo) -> str:
    """What a stop achieved, in words: call-backs and their answers, hubs held."""
    return (f"{info.calls:,} activations at the network called back ({info.called_back:,} confirmed, "
            f"{info.too_late:,} too late as the hub had already activated, {info.no_answer:,} not answered yet); "
            f"{info.held:,} hubs held")


def stop_words(info: StopInfo) -> str:
    """A stop as one line: who pressed it and when, and what it achieved."""
    return (f"Emergency stop {info.id} pressed {show(info.pressed_at)} by {info.pressed_by}"
            + (f" ({info.reason})" if info.reason else "") + f": {achieved(info)}"
            + (f"; lifted {show(info.lifted_at)}" if info.lifted_at else ""))


def _releases(ids: tuple[int, ...]) -> str:
    if len(ids) == 1:
        return f"release {ids[0]}"
    return "releases " + ", ".join(str(i) for i in ids[:-1]) + f" and {ids[-1]}"
