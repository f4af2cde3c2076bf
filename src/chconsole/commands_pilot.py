"""The command line's pilot and network subcommands."""

from __future__ import annotations

import argparse
from typing import Any

from chconsole.commands import Emit
from chconsole.core.engine.facade import Engine
from chconsole.core.pilots import rules as pilot_rules
from chconsole.core.pilots.view import PilotInfo
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import parse_time, show


def dispatch_pilot(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    c, a = args.command, args.action
    if c == "pilot" and a == "nominate":
        words = [w for r in args.rule for w in r.split()]
        if (args.file is None) == (not words):
            raise BadInput("Give the nomination as a GUID file (--file) or as rules (--rule), one of the two.")
        rule = pilot_rules.parse(words) if words else None
        r = engine.pilots.nominate(args.id, args.supplier, args.file, rule).value
        rejected = [{"guid": x.guid, "reason": x.reason.value, "line": x.line} for x in r.refused]
        emit({"accepted": r.accepted, "rejected": rejected, "joined": r.joined, "awaiting": r.awaiting,
              "nomination": r.id},
             f"Nomination {r.id} from {r.supplier}: {r.accepted:,} accepted ({r.joined:,} joined the pilot, "
             f"{r.awaiting:,} waiting for the other supplier), {len(r.refused):,} refused."
             + "".join(f"\n  line {x.line}: {x.guid or '(blank)'} {x.reason.value}" for x in r.refused[:1000]))
    elif c == "pilot" and a == "start":
        at = parse_time(args.activate_at, "activation time") if args.activate_at else None
        v = engine.pilots.start(args.id, at).value
        emit(_pilot_json(v), _pilot_text(v))
    elif c == "pilot" and a == "conclude":
        v = engine.pilots.conclude(args.id, args.decision, args.commentary).value
        emit(_pilot_json(v), _pilot_text(v))
    elif c == "pilot" and a == "comment":
        engine.pilots.comment(args.id, args.text, args.guid)
        emit({"release": args.id, "guid": args.guid, "text": args.text}, "Commentary recorded.")
    elif c == "pilot" and a == "show":
        v = engine.pilots.get(args.id)
        emit(_pilot_json(v), _pilot_text(v))
    elif c == "network" and a == "show":
        figures = engine.admin.network_assumptions()
        emit(figures, _figures_text(figures))
    elif c == "network" and a == "set":
        changes: dict[str, str] = {}
        for item in args.settings:
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise BadInput(f"{item!r} is not KEY=VALUE.")
            changes[key.strip()] = value.strip()
        figures = engine.admin.configure_network(changes).value
        emit(figures, _figures_text(figures))
    else:  # argparse only lets known actions through
        raise AssertionError(f"unhandled command {c} {a}")
    return 0


def _figures_text(figures: list[Any]) -> str:
    return "\n".join(f"{f.name:36} {f.value}{'  (assumption)' if f.assumed else ''}" for f in figures)


def _pilot_json(v: PilotInfo) -> dict[str, Any]:
    from chconsole.cli import _plain

    d: dict[str, Any] = _plain(v)
    d.pop("samples", None)
    d["hubs"] = v.hubs
    return d


def _pilot_text(v: PilotInfo) -> str:
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
