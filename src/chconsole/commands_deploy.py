"""The command line's deployment subcommands: instruct, instructions, batch."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chconsole.commands import Emit
from chconsole.core.deployment.batches import RULES_HELP, parse_rule
from chconsole.core.engine.dto import BatchInfo
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import parse_time, show

Cmd = Callable[[str, str], argparse.ArgumentParser]


def add_parsers(cmd: Cmd, common: Callable[[argparse.ArgumentParser, bool], None]) -> None:
    sp = cmd("instruct", "a supplier's instruction to activate hubs earlier than the DCC date")
    sp.add_argument("id", type=int, help="the release")
    sp.add_argument("--supplier", required=True)
    sp.add_argument("--file", type=Path, required=True, help="a GUID list (.csv or .xlsx with a guid column)")
    sp.add_argument("--activate-at", required=True, metavar="TIME")
    sp.add_argument("--batch", metavar="NAME", help="the supplier's own name for this batch of hubs")

    ins = cmd("instructions", "supplier instructions received")
    isub = ins.add_subparsers(dest="action", metavar="ACTION", required=True)
    il = isub.add_parser("list", help="instructions, newest last")
    common(il, False)
    il.add_argument("--release", type=int)
    il.add_argument("--supplier")

    sp = cmd("grace-period", "show or set the grace period: work due while the console was down and later "
                             "than this waits for DCC (run now or re-plan)")
    sp.add_argument("minutes", type=int, nargs="?", help="set it to this many minutes (default 60)")

    batch = cmd("batch", "DCC batches: create, list, show, replan, cancel, run-now")
    sub = batch.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        common(p, False)
        return p

    p = action("create", "a DCC batch from a GUID file or a rule, with its own activation time")
    p.add_argument("id", type=int, help="the release")
    p.add_argument("--file", type=Path, help="a GUID list (.csv or .xlsx with a guid column)")
    p.add_argument("--rule", action="append", default=[], metavar="RULE", help=RULES_HELP)
    p.add_argument("--activate-at", required=True, metavar="TIME")
    p.add_argument("--name", help="a name for the batch")
    p.add_argument("--preview", action="store_true", help="say how many hubs and whose, and change nothing")
    p = action("list", "batches with their times and progress")
    p.add_argument("--release", type=int)
    p = action("show", "one batch: its time, progress and failures")
    p.add_argument("batch", type=int)
    p = action("replan", "move a batch to another activation time (its suppliers are told)")
    p.add_argument("batch", type=int)
    p.add_argument("--activate-at", required=True, metavar="TIME")
    p = action("cancel", "cancel a batch (its suppliers are told)")
    p.add_argument("batch", type=int)
    p.add_argument("--reason", required=True)
    p = action("run-now", "run an overdue batch now")
    p.add_argument("batch", type=int)


def dispatch_deploy(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    c, a = args.command, getattr(args, "action", None)
    if c == "instruct":
        r = engine.deployment.instruct(args.id, args.supplier, args.file, parse_time(args.activate_at, "activation time"),
                            args.batch).value
        rejected = [{"guid": x.guid, "reason": x.reason.value, "line": x.line} for x in r.refused]
        emit({"accepted": r.accepted, "rejected": rejected, "scheduled": r.scheduled, "awaiting": r.awaiting,
              "instruction": r.id, "activate_at": r.activate_at},
             f"Instruction {r.id} from {r.supplier} for {show(r.activate_at)}: {r.accepted:,} accepted "
             f"({r.scheduled:,} scheduled, {r.awaiting:,} waiting for the other supplier), "
             f"{len(r.refused):,} refused."
             + "".join(f"\n  line {x.line}: {x.guid or '(blank)'} {x.reason.value}" for x in r.refused[:1000]))
    elif c == "grace-period":
        minutes = engine.deployment.grace_period() if args.minutes is None else engine.deployment.set_grace_period(args.minutes).value
        emit({"grace_period_minutes": minutes},
             f"Grace period: {minutes} minutes. Work due while the console and scheduler were down and later "
             "than this is not run on its own: it waits for DCC to run it now or re-plan it.")
    elif c == "instructions" and a == "list":
        vs = engine.deployment.instructions(args.release, args.supplier)
        emit(vs, "\n".join(
            f"{v.id:>5}  release {v.release_id}  {v.supplier:8} for {show(v.activate_at)}  received "
            f"{show(v.received_at)}  accepted {v.accepted:,}, refused {v.refused:,}"
            + (f"  [{v.name}]" if v.name else "") for v in vs) or "No instructions.")
    elif c == "batch" and a == "create":
        at = parse_time(args.activate_at, "activation time")
        words = [w for r in args.rule for w in r.split()]
        if (args.file is None) == (not words):
            raise BadInput("Give the batch as a GUID file (--file) or as a rule (--rule), one of the two.")
        rule = parse_rule(words) if words else None
        if args.preview:
            plan = engine.deployment.preview_batch(args.id, args.file, rule)
            rejected = [{"guid": x.guid, "reason": x.reason.value, "line": x.line} for x in plan.refused]
            emit({"hubs": plan.hubs, "suppliers": plan.suppliers, "regions": plan.regions, "rejected": rejected},
                 f"The batch would take {plan.hubs:,} hubs" + "".join(
                     f"\n  {p}: {n:,}" for p, n in sorted(plan.suppliers.items(), key=lambda x: -x[1]))
                 + (f"\n  {len(plan.refused):,} GUIDs refused" if plan.refused else ""))
            return 0
        r = engine.deployment.create_batch(args.id, at, args.file, rule, args.name).value
        rejected = [{"guid": x.guid, "reason": x.reason.value, "line": x.line} for x in r.refused]
        emit({"accepted": r.hubs, "rejected": rejected, "batch": r.id, "activate_at": r.activate_at,
              "suppliers": r.suppliers},
             f"Batch {r.id} ({r.name}) for {show(r.activate_at)}: {r.hubs:,} hubs, {len(r.refused):,} refused."
             + "".join(f"\n  line {x.line}: {x.guid or '(blank)'} {x.reason.value}" for x in r.refused[:1000]))
    elif c == "batch" and a == "list":
        bs = engine.deployment.batches(args.release)
        emit([_json(b) for b in bs], "\n".join(_line(b) for b in bs) or "No batches.")
    elif c == "batch" and a in ("show", "replan", "cancel", "run-now"):
        if a == "replan":
            b = engine.deployment.replan_batch(args.batch, parse_time(args.activate_at, "activation time")).value
        elif a == "cancel":
            b = engine.deployment.cancel_batch(args.batch, args.reason).value
        elif a == "run-now":
            b = engine.deployment.run_overdue_batch(args.batch).value
        else:
            b = engine.deployment.batch(args.batch)
        emit(_json(b), _text(b))
    else:  # argparse only lets known actions through
        raise AssertionError(f"unhandled command {c} {a}")
    return 0


def _json(b: BatchInfo) -> dict[str, Any]:
    from chconsole.cli import _plain

    d: dict[str, Any] = _plain(b)
    d["open"] = b.open
    return d


def _line(b: BatchInfo) -> str:
    return (f"{b.id:>5}  release {b.release_id}  {b.kind_title:22} {show(b.activate_at)}  {b.state:9} "
            f"{b.hubs:>10,} hubs, {b.open:,} open  {b.name}")


def _text(b: BatchInfo) -> str:
    lines = [f"Batch {b.id}: {b.name} ({b.kind_title}), release {b.release_id}, {b.state}",
             f"  Activation {show(b.activate_at)}; distribution from {show(b.distribute_from)}",
             f"  {b.hubs:,} hubs; source {b.source}; created {show(b.created_at)} by {b.created_by}"]
    if b.overdue_since:
        lines.append(f"  OVERDUE: due at {show(b.overdue_since)} while the scheduler was down; run it now "
                     "(batch run-now) or re-plan it (batch replan)")
    lines += [f"    {s}: {n:,}" for s, n in sorted(b.counts.items())]
    lines += [f"  failed {r}: {n:,}" for r, n in sorted(b.failures.items())]
    return "\n".join(lines)
