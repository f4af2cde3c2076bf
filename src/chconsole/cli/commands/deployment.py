"""The deployment commands: `instruct`, `instructions`, `grace-period` and `batch`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from chconsole.cli.commands import Actions, Commands
from chconsole.cli.output import Emit, committed, plain, refusal_lines, refusals
from chconsole.core.engine.dto import BatchInfo
from chconsole.core.engine.facade import Engine
from chconsole.core.engine.requests import BATCH_RULES_HELP, batch_rule
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import parse_time, show


def add_instruct(commands: Commands) -> None:
    """`instruct ID --supplier S --file F --activate-at TIME [--batch NAME]`."""
    sp = commands.add("instruct", "a supplier's instruction to activate hubs earlier than the DCC date", instruct)
    sp.add_argument("id", type=int, help="the release")
    sp.add_argument("--supplier", required=True)
    sp.add_argument("--file", type=Path, required=True, help="a GUID list (.csv or .xlsx with a guid column)")
    sp.add_argument("--activate-at", required=True, metavar="TIME")
    sp.add_argument("--batch", metavar="NAME", help="the supplier's own name for this batch of hubs")


def add_instructions(commands: Commands) -> None:
    """`instructions list [--release ID] [--supplier S]`."""
    actions = Actions(commands.add("instructions", "supplier instructions received"))
    sp = actions.add("list", "instructions, newest last", list_instructions)
    sp.add_argument("--release", type=int)
    sp.add_argument("--supplier")


def add_grace_period(commands: Commands) -> None:
    """`grace-period [MINUTES]`."""
    sp = commands.add("grace-period", "show or set the grace period: work due while the console was down and later "
                                      "than this waits for DCC (run now or re-plan)", grace_period)
    sp.add_argument("minutes", type=int, nargs="?", help="set it to this many minutes (default 60)")


def add_batch(commands: Commands) -> None:
    """`batch create|list|show|replan|cancel|run-now`."""
    actions = Actions(commands.add("batch", "DCC batches: create, list, show, replan, cancel, run-now"),
                      described=True)
    p = actions.add("create", "a DCC batch from a GUID file or a rule, with its own activation time", create_batch)
    p.add_argument("id", type=int, help="the release")
    p.add_argument("--file", type=Path, help="a GUID list (.csv or .xlsx with a guid column)")
    p.add_argument("--rule", action="append", default=[], metavar="RULE", help=BATCH_RULES_HELP)
    p.add_argument("--activate-at", required=True, metavar="TIME")
    p.add_argument("--name", help="a name for the batch")
    p.add_argument("--preview", action="store_true", help="say how many hubs and whose, and change nothing")
    p = actions.add("list", "batches with their times and progress", list_batches)
    p.add_argument("--release", type=int)
    p = actions.add("show", "one batch: its time, progress and failures", show_batch)
    p.add_argument("batch", type=int)
    p = actions.add("replan", "move a batch to another activation time (its suppliers are told)", replan_batch)
    p.add_argument("batch", type=int)
    p.add_argument("--activate-at", required=True, metavar="TIME")
    p = actions.add("cancel", "cancel a batch (its suppliers are told)", cancel_batch)
    p.add_argument("batch", type=int)
    p.add_argument("--reason", required=True)
    p = actions.add("run-now", "run an overdue batch now", run_batch_now)
    p.add_argument("batch", type=int)


def instruct(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """A supplier's instruction to activate hubs at its own time."""
    r = committed(engine.deployment.instruct(args.id, args.supplier, args.file,
                                             parse_time(args.activate_at, "activation time"), args.batch))
    emit({"accepted": r.accepted, "rejected": refusals(r.refused), "scheduled": r.scheduled, "awaiting": r.awaiting,
          "instruction": r.id, "activate_at": r.activate_at},
         f"Instruction {r.id} from {r.supplier} for {show(r.activate_at)}: {r.accepted:,} accepted "
         f"({r.scheduled:,} scheduled, {r.awaiting:,} waiting for the other supplier), "
         f"{len(r.refused):,} refused." + refusal_lines(r.refused))
    return 0


def list_instructions(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Instructions received, newest last."""
    vs = engine.deployment.instructions(args.release, args.supplier)
    emit(vs, "\n".join(
        f"{v.id:>5}  release {v.release_id}  {v.supplier:8} for {show(v.activate_at)}  received "
        f"{show(v.received_at)}  accepted {v.accepted:,}, refused {v.refused:,}"
        + (f"  [{v.name}]" if v.name else "") for v in vs) or "No instructions.")
    return 0


def grace_period(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Show the grace period, or set it."""
    minutes = (engine.deployment.grace_period() if args.minutes is None
               else committed(engine.deployment.set_grace_period(args.minutes)))
    emit({"grace_period_minutes": minutes},
         f"Grace period: {minutes} minutes. Work due while the console and scheduler were down and later "
         "than this is not run on its own: it waits for DCC to run it now or re-plan it.")
    return 0


def create_batch(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """A DCC batch from a GUID file or a rule; with --preview, only what it would take."""
    at = parse_time(args.activate_at, "activation time")
    words = [w for r in args.rule for w in r.split()]
    if (args.file is None) == (not words):
        raise BadInput("Give the batch as a GUID file (--file) or as a rule (--rule), one of the two.")
    rule = batch_rule(words) if words else None
    if args.preview:
        plan = engine.deployment.preview_batch(args.id, args.file, rule)
        emit({"hubs": plan.hubs, "suppliers": plan.suppliers, "regions": plan.regions,
              "rejected": refusals(plan.refused)},
             f"The batch would take {plan.hubs:,} hubs" + "".join(
                 f"\n  {p}: {n:,}" for p, n in sorted(plan.suppliers.items(), key=lambda x: -x[1]))
             + (f"\n  {len(plan.refused):,} GUIDs refused" if plan.refused else ""))
        return 0
    r = committed(engine.deployment.create_batch(args.id, at, args.file, rule, args.name))
    emit({"accepted": r.hubs, "rejected": refusals(r.refused), "batch": r.id, "activate_at": r.activate_at,
          "suppliers": r.suppliers},
         f"Batch {r.id} ({r.name}) for {show(r.activate_at)}: {r.hubs:,} hubs, {len(r.refused):,} refused."
         + refusal_lines(r.refused))
    return 0


def list_batches(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Batches with their times and progress, one line each."""
    bs = engine.deployment.batches(args.release)
    emit([batch_json(b) for b in bs], "\n".join(batch_line(b) for b in bs) or "No batches.")
    return 0


def show_batch(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """One batch."""
    b = engine.deployment.batch(args.batch)
    emit(batch_json(b), batch_text(b))
    return 0


def replan_batch(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Move a batch to another activation time."""
    b = committed(engine.deployment.replan_batch(args.batch, parse_time(args.activate_at, "activation time")))
    emit(batch_json(b), batch_text(b))
    return 0


def cancel_batch(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Cancel a batch."""
    b = committed(engine.deployment.cancel_batch(args.batch, args.reason))
    emit(batch_json(b), batch_text(b))
    return 0


def run_batch_now(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Run an overdue batch now."""
    b = committed(engine.deployment.run_overdue_batch(args.batch))
    emit(batch_json(b), batch_text(b))
    return 0


def batch_json(b: BatchInfo) -> dict[str, Any]:
    """A batch for JSON, with how many of its hubs are still open."""
    d: dict[str, Any] = plain(b)
    d["open"] = b.open
    return d


def batch_line(b: BatchInfo) -> str:
    """A batch as one line of a list."""
    return (f"{b.id:>5}  release {b.release_id}  {b.kind_title:22} {show(b.activate_at)}  {b.state:9} "
            f"{b.hubs:>10,} hubs, {b.open:,} open  {b.name}")


def batch_text(b: BatchInfo) -> str:
    """A batch for a person: its time, source, progress and failures."""
    lines = [f"Batch {b.id}: {b.name} ({b.kind_title}), release {b.release_id}, {b.state}",
             f"  Activation {show(b.activate_at)}; distribution from {show(b.distribute_from)}",
             f"  {b.hubs:,} hubs; source {b.source}; created {show(b.created_at)} by {b.created_by}"]
    if b.overdue_since:
        lines.append(f"  OVERDUE: due at {show(b.overdue_since)} while the scheduler was down; run it now "
                     "(batch run-now) or re-plan it (batch replan)")
    lines += [f"    {s}: {n:,}" for s, n in sorted(b.counts.items())]
    lines += [f"  failed {r}: {n:,}" for r, n in sorted(b.failures.items())]
    return "\n".join(lines)
