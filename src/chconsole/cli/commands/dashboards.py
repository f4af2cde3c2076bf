"""`chconsole dashboard`: an actor's dashboard as text or JSON, and `export dashboard`.

`export` is one command (see `reports`); it hands `export dashboard` to `export_dashboard`.
"""

from __future__ import annotations

import argparse
from typing import Any

from chconsole.cli.commands import Commands
from chconsole.cli.output import Emit, committed, plain
from chconsole.core.engine.dto import CSP, DCC, PANEL, SUPPLIER, Dashboard, Viewer
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.london import show

# Hub states in the order a hub goes through them, and how a person reads them.
STATE_WORDS = {
    "ELIGIBLE": "not yet scheduled", "AWAITING_OTHER_SUPPLIER": "waiting for another supplier",
    "SCHEDULED": "scheduled", "DISTRIBUTING": "distributing", "DISTRIBUTED": "image held",
    "ACTIVATION_PENDING": "activation pending", "ACTIVATED": "activated", "FAILED": "failed",
    "HELD": "held until the pilot decision", "CANCELLED": "cancelled", "EXCLUDED": "excluded",
}


def add_dashboard(commands: Commands) -> None:
    """`dashboard [--supplier S | --csp C | --panel]`."""
    sp = commands.add("dashboard", "an actor's dashboard: upgrades in flight, outstanding actions, others' next dates",
                      show_dashboard)
    who = sp.add_mutually_exclusive_group()
    who.add_argument("--supplier", metavar="S", help="a supplier's dashboard (it names no other supplier)")
    who.add_argument("--csp", metavar="C", help="a CSP's dashboard (ARQIVA, TELEFONICA)")
    who.add_argument("--panel", action="store_true", help="the SEC Panel's dashboard")


def viewer_of(args: argparse.Namespace) -> Viewer:
    """Whose dashboard the words ask for: a supplier's, a CSP's, the Panel's or DCC's."""
    if getattr(args, "supplier", None):
        return Viewer(SUPPLIER, args.supplier)
    if getattr(args, "csp", None):
        return Viewer(CSP, args.csp)
    return Viewer(PANEL) if getattr(args, "panel", False) else Viewer(DCC)


def show_dashboard(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """An actor's dashboard."""
    board = engine.dashboards.build(viewer_of(args))
    emit(board_json(board), board_text(board))
    return 0


def export_dashboard(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """`export dashboard --supplier S --out FILE.xlsx`: a supplier's dashboard as a workbook."""
    board = committed(engine.dashboards.export(args.supplier, args.out))
    emit({"report": "dashboard", "supplier": board.viewer.party, "file": str(args.out),
          "releases": len(board.releases), "actions": len(board.actions)},
         f"Wrote {args.out} (the dashboard of {board.viewer.label}: {_count(len(board.releases), 'upgrade')} "
         f"in flight, {_count(len(board.actions), 'outstanding action')}).")
    return 0


def board_json(board: Dashboard) -> dict[str, Any]:
    """A dashboard for JSON, without the charts' points."""
    data: dict[str, Any] = plain(board)
    data["viewer"]["label"] = board.viewer.label
    for card, out in zip(board.releases, data["releases"], strict=True):
        out.pop("progress", None)  # the chart's points: the console draws them, scripts need not
        out["title"] = card.title
        out["hubs"] = card.hubs
    return data


def board_text(board: Dashboard) -> str:
    """A dashboard for a person: upgrades in flight, outstanding actions, the others' next dates."""
    lines = [f"Dashboard of {board.viewer.label}, {show(board.now)}", "", "Upgrades in flight"]
    if not board.releases:
        lines.append("  None.")
    for c in board.releases:
        lines.append(f"  Release {c.id}  {c.model} -> {c.to_version}  {c.state}")
        lines.append(f"    DCC deployment date {show(c.deployment_date) or '-'}; instruction cut-off "
                     f"{show(c.cut_off) or '-'}")
        states = ", ".join(f"{STATE_WORDS.get(s, s.lower())} {n:,}" for s, n in _in_order(c.counts))
        lines.append(f"    {c.scope[0].upper()}{c.scope[1:]}: {c.hubs:,}" + (f" ({states})" if states else ""))
        lines.append(f"    Pilot: {c.pilot}")
        if c.guard:
            lines.append(f"    Failure guard: {c.guard}")
        if c.instructions:
            lines.append(f"    {c.instructions}")
        if c.next_activation:
            what = "Next time you instructed" if board.viewer.kind == SUPPLIER else "Next activation"
            lines.append(f"    {what}: {show(c.next_activation)}")
    lines += ["", "Outstanding actions"]
    if not board.actions:
        lines.append("  None.")
    for a in board.actions:
        due = f"due {show(a.due)}, " if a.due else ""
        lines.append(f"  [{due}{a.left}]" + (" OVERDUE" if a.overdue else "") + (" URGENT" if a.urgent else ""))
        lines.append(f"    {a.what}" + (f" (release {a.release_id})" if a.release_id is not None
                                         and f"release {a.release_id}" not in a.what else ""))
    lines += ["", "Next dates of the others"]
    for o in board.others:
        when = f"{show(o.due)} ({o.left})" if o.due else o.left
        lines.append(f"  {o.actor:16} {when}: {o.what}")
    if board.notes:
        lines += ["", *board.notes]
    return "\n".join(lines)


def _in_order(counts: dict[str, int]) -> list[tuple[str, int]]:
    order = list(STATE_WORDS)
    return sorted(counts.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0]))


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
