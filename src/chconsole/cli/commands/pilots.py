"""`chconsole pilot` and `chconsole network`: the pilot group and the CSP network it runs on."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from chconsole.cli.commands import Actions, Commands, Handler
from chconsole.cli.output import Emit, committed, plain, refusal_lines, refusals
from chconsole.core.engine.dto import Assumption, PilotInfo
from chconsole.core.engine.facade import Engine
from chconsole.core.engine.requests import pilot_rule
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import parse_time, show


def add_pilot(commands: Commands) -> None:
    """`pilot nominate|start|conclude|comment|show ID ...`."""
    actions = Actions(commands.add("pilot", "pilot groups: nominate, start, conclude, comment, show"),
                      described=True)

    def action(name: str, help_: str, run: Handler) -> argparse.ArgumentParser:
        sp = actions.add(name, help_, run)
        sp.add_argument("id", type=int, help="the release")
        return sp

    sp = action("nominate", "a supplier's pilot nomination, by GUID file or by business rules", nominate)
    sp.add_argument("--supplier", required=True)
    sp.add_argument("--file", type=Path, help="a GUID list (.csv or .xlsx with a guid column)")
    sp.add_argument("--rule", action="append", default=[], metavar="RULE",
                    help="count=N, spread=regions, from-version=V, region=R, seed=N, exclude=open-incidents")
    sp = action("start", "start the pilot: distribution at once", start)
    sp.add_argument("--activate-at", metavar="TIME",
                    help="activate at this time (default: as soon as each hub holds the image)")
    sp = action("conclude", "conclude the pilot with DCC's decision", conclude)
    sp.add_argument("--decision", required=True, choices=["proceed", "stop"])
    sp.add_argument("--commentary", required=True)
    sp = action("comment", "add DCC commentary to the pilot, or to one pilot hub", comment)
    sp.add_argument("--text", required=True)
    sp.add_argument("--guid")
    action("show", "the pilot: hubs per supplier and state, failures, nominations", show_pilot)


def add_network(commands: Commands) -> None:
    """`network show` and `network set KEY=VALUE ...`."""
    actions = Actions(commands.add("network", "the CSP network this database runs against"))
    actions.add("show", "its figures (a simulated network's are assumptions)", show_network)
    sp = actions.add("set", "change a simulated network's figures: KEY=VALUE ...", set_network)
    sp.add_argument("settings", nargs="+", metavar="KEY=VALUE")


def nominate(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """A supplier's pilot nomination, from a GUID file or from rules."""
    words = [w for r in args.rule for w in r.split()]
    if (args.file is None) == (not words):
        raise BadInput("Give the nomination as a GUID file (--file) or as rules (--rule), one of the two.")
    rule = pilot_rule(words) if words else None
    r = committed(engine.pilots.nominate(args.id, args.supplier, args.file, rule))
    emit({"accepted": r.accepted, "rejected": refusals(r.refused), "joined": r.joined, "awaiting": r.awaiting,
          "nomination": r.id},
         f"Nomination {r.id} from {r.supplier}: {r.accepted:,} accepted ({r.joined:,} joined the pilot, "
         f"{r.awaiting:,} waiting for the other supplier), {len(r.refused):,} refused."
         + refusal_lines(r.refused))
    return 0


def start(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Start the pilot."""
    at = parse_time(args.activate_at, "activation time") if args.activate_at else None
    v = committed(engine.pilots.start(args.id, at))
    emit(pilot_json(v), pilot_text(v))
    return 0


def conclude(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Conclude the pilot with DCC's decision."""
    v = committed(engine.pilots.conclude(args.id, args.decision, args.commentary))
    emit(pilot_json(v), pilot_text(v))
    return 0


def comment(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Add DCC commentary to the pilot or to one pilot hub."""
    committed(engine.pilots.comment(args.id, args.text, args.guid))
    emit({"release": args.id, "guid": args.guid, "text": args.text}, "Commentary recorded.")
    return 0


def show_pilot(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """The pilot of one release."""
    v = engine.pilots.get(args.id)
    emit(pilot_json(v), pilot_text(v))
    return 0


def show_network(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """The network's figures."""
    figures = engine.admin.network_assumptions()
    emit(figures, figures_text(figures))
    return 0


def set_network(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Change a simulated network's figures."""
    changes: dict[str, str] = {}
    for item in args.settings:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise BadInput(f"{item!r} is not KEY=VALUE.")
        changes[key.strip()] = value.strip()
    figures = committed(engine.admin.configure_network(changes))
    emit(figures, figures_text(figures))
    return 0


def figures_text(figures: list[Assumption]) -> str:
    """The network's figures, one a line, assumptions marked."""
    return "\n".join(f"{f.name:36} {f.value}{'  (assumption)' if f.assumed else ''}" for f in figures)


def pilot_json(v: PilotInfo) -> dict[str, Any]:
    """A pilot for JSON: without the chart's samples, with its number of hubs."""
    d: dict[str, Any] = plain(v)
    d.pop("samples", None)
    d["hubs"] = v.hubs
    return d


def pilot_text(v: PilotInfo) -> str:
    """A pilot for a person: its state, dates, hubs per state and supplier, failures."""
    lines = [f"Pilot of release {v.release_id} ({v.model} -> {v.to_version}): {v.state}, release {v.release_state}",
             f"  {v.hubs:,} pilot hubs; {v.awaiting:,} waiting for a second supplier; cap {v.cap:,} per supplier"]
    if v.started_at:
        lines.append(f"  Started {show(v.started_at)} by {v.started_by}; activation "
                     + (show(v.activate_at) if v.activate_at else "as soon as each hub holds the image"))
    if v.finished_at and not v.concluded_at:
        lines.append(f"  Every pilot hub finished by {show(v.finished_at)}: awaiting DCC's conclusion")
    if v.concluded_at:
        lines.append(f"  Concluded {show(v.concluded_at)} by {v.concluded_by}: {v.decision}. {v.commentary}")
    lines += [f"    {state}: {n:,}" for state, n in sorted(v.counts.items())]
    if v.han_trouble:
        lines.append(f"  {v.han_trouble:,} activated pilot hubs reported home-area-network trouble")
    if v.held:
        lines.append(f"  {v.held:,} safe-launch hubs held until the pilot is concluded with proceed")
    for s in v.suppliers:
        states = ", ".join(f"{k} {n:,}" for k, n in sorted(s.states.items()))
        lines.append(f"  {s.party:8} {s.total:>6,} in pilot ({states or 'none'})"
                     + (f"; {s.awaiting:,} awaiting the other supplier" if s.awaiting else ""))
    if v.failures:
        lines.append(f"  Failures ({len(v.failures):,}):")
        lines += [f"    {f.guid}  {f.region:8} {f.reason}" for f in v.failures[:50]]
    if v.assumptions:
        lines.append("  Network figures (assumptions where marked):")
        lines += [f"    {f.name}: {f.value}{' (assumption)' if f.assumed else ''}" for f in v.assumptions]
    return "\n".join(lines)
