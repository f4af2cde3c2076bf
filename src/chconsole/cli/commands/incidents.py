"""`chconsole incident` and `chconsole decision` (R6): incidents, DCC's triage, the Panel's word.

A supplier reports an incident through the service desk (`incident raise`); DCC triages it to
one outcome (`incident triage`, which `--preview` tells first and changes nothing); the Panel
secretary records who confirmed it for the Panel or its Sub-Committee (`decision confirm`), and
only then does the outcome take effect and everyone concerned is told.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from chconsole.cli.commands import Actions, Commands, Handler
from chconsole.cli.commands.halting import stop_json, stop_words
from chconsole.cli.output import Emit, committed, refusal_lines, refusals
from chconsole.core.engine.dto import BODIES, OUTCOMES, Consequences, IncidentInfo
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.london import parse_time, show

OUTCOME_HELP = ", ".join(OUTCOMES)
BODY_HELP = " or ".join(BODIES)


def add_incident(commands: Commands) -> None:
    """`incident raise|list|show|comment|triage|close`."""
    actions = Actions(commands.add("incident", "incidents a supplier reports about a rollout, and DCC's triage"),
                      described=True)

    def action(name: str, help_: str, run: Handler) -> argparse.ArgumentParser:
        sp = actions.add(name, help_, run)
        sp.add_argument("id", type=int, help="the incident")
        return sp

    sp = actions.add("raise", "log an incident a supplier reported about a release", raise_incident)
    sp.add_argument("id", type=int, help="the release")
    sp.add_argument("--supplier", required=True, metavar="S", help="the supplier that reported it")
    sp.add_argument("--description", required=True, metavar="TEXT", help="what it does to homes' in-home networks")
    sp.add_argument("--emergency-stop", action="store_true", help="the supplier asks for an emergency stop (P1)")
    sp.add_argument("--file", type=Path, help="the affected hubs: a GUID list (.csv or .xlsx with a guid column)")
    sp = actions.add("list", "incidents, most urgent first", list_incidents)
    sp.add_argument("--open", action="store_true", help="only those not closed")
    sp.add_argument("--release", type=int)
    action("show", "one incident: its decision, its emergency stop, its history", show_incident)
    sp = action("comment", "add a comment to an incident's history", comment)
    sp.add_argument("--text", required=True, metavar="TEXT")
    sp = action("triage", "DCC's outcome; it takes effect once the Panel confirms it", triage)
    sp.add_argument("--outcome", required=True, metavar="OUTCOME", help=OUTCOME_HELP)
    sp.add_argument("--new-date", metavar="TIME", help="with delay: the new DCC deployment date")
    sp.add_argument("--note", default="", metavar="TEXT", help="why, in DCC's words (kept in the history)")
    sp.add_argument("--preview", action="store_true", help="say what the outcome would do, and change nothing")
    action("close", "close an incident whose decision is confirmed (or that needed none)", close)


def add_decision(commands: Commands) -> None:
    """`decision confirm N --by NAME --body panel|sub-committee`."""
    actions = Actions(commands.add("decision", "the Panel's decisions on incidents"), described=True)
    sp = actions.add("confirm", "record that the Panel or its Sub-Committee confirmed an incident's outcome; "
                                "it takes effect now and everyone concerned is told", confirm)
    sp.add_argument("id", type=int, help="the incident")
    sp.add_argument("--by", required=True, metavar="NAME", help="who confirmed it for the Panel")
    sp.add_argument("--body", required=True, metavar="BODY", help=BODY_HELP)


# -- handlers ----------------------------------------------------------------------------------

def raise_incident(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Log an incident; bad GUID lines are refused one by one."""
    r = committed(engine.incidents.raise_incident(args.id, args.supplier, args.description, args.file,
                                                  args.emergency_stop))
    x = r.incident
    text = (f"Incident {x.id} ({x.priority}) raised for {x.reported_by} about release {x.release_id}"
            + (f": {_count(x.hubs, 'hub')} named, {len(r.refused):,} refused." if args.file else "."))
    if x.stop_id is not None:
        text += f"\nEmergency stop {x.stop_id} already holds release {x.release_id}; the incident is tied to it."
    elif x.emergency_stop:
        text += (f"\nThe supplier asks for an emergency stop. If DCC thinks it critical: "
                 f"chconsole stop {x.release_id}")
    emit({**incident_json(engine, x, history=False), "rejected": refusals(r.refused)},
         text + refusal_lines(r.refused))
    return 0


def list_incidents(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Incidents, most urgent first, one line each."""
    xs = engine.incidents.incidents(args.open, args.release)
    emit([incident_json(engine, x, history=False) for x in xs],
         "\n".join(incident_line(x) for x in xs) or ("No open incidents." if args.open else "No incidents."))
    return 0


def show_incident(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """One incident with its decision, its stop and its history."""
    x = engine.incidents.incident(args.id)
    emit(incident_json(engine, x), incident_text(engine, x))
    return 0


def comment(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Add a comment to an incident."""
    x = committed(engine.incidents.comment_incident(args.id, args.text))
    emit(incident_json(engine, x), f"Comment added to incident {x.id}.")
    return 0


def close(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Close an incident."""
    x = committed(engine.incidents.close_incident(args.id))
    emit(incident_json(engine, x), f"Incident {x.id} closed.")
    return 0


def triage(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """DCC's outcome for an incident, or with --preview only what it would do."""
    new_date = parse_time(args.new_date, "new date") if args.new_date else None
    if args.preview:
        found = engine.incidents.preview_triage(args.id, args.outcome, new_date)
        emit({**consequences_json(found), "incident": args.id, "preview": True},
             f"If incident {args.id} is triaged to {outcome_words(found)} and the Panel confirms it:"
             + _bullets(found.lines) + "\nNothing was changed (a preview).")
        return 0
    found = committed(engine.incidents.triage(args.id, args.outcome, new_date, args.note))
    emit({**consequences_json(found), "incident": args.id, "preview": False, "state": "TRIAGED"},
         f"Incident {args.id}: DCC's outcome is {outcome_words(found)}. It takes effect when the Panel or its "
         f"Sub-Committee confirms it (chconsole decision confirm {args.id})." + _bullets(found.lines))
    return 0


def confirm(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Record the Panel's confirmation; the outcome takes effect and the notices go out."""
    done = engine.incidents.confirm_decision(args.id, args.by, args.body)
    told = done.changes.notices
    found = committed(done)
    x = engine.incidents.incident(args.id)
    release = engine.releases.get(found.release_id)
    body = BODIES.get(x.confirm_body or "", "the Panel")
    text = (f"{body[0].upper()}{body[1:]} confirmed {outcome_words(found)} on "
            f"incident {x.id} ({x.confirmed_by}); recorded by {engine.actor}. It takes effect now."
            + _bullets(found.lines) + f"\nRelease {release.id} is now {release.state}; {told:,} decision notices "
            "written.")
    if release.state in ("SUSPENDED", "PAUSED") and found.outcome in ("proceed", "delay"):
        who = "a DCC user" if release.halted_by in (None, "system") else f"a DCC user other than {release.halted_by}"
        text += f"\nTo go on, {who} resumes it: chconsole resume {release.id}"
    emit({**consequences_json(found), "incident": x.id, "state": x.state, "decision": decision_json(x),
          "release_state": release.state, "notices": told}, text)
    return 0


# -- what is printed ---------------------------------------------------------------------------

def decision_json(x: IncidentInfo) -> dict[str, Any] | None:
    """The Panel's confirmation of an incident's outcome, or None before it."""
    if x.confirmed_at is None:
        return None
    recorded = [h.by for h in x.history if h.kind == "confirmed"]
    return {"by": x.confirmed_by, "body": x.confirm_body, "at": x.confirmed_at,
            "recorded_by": recorded[-1] if recorded else None}


def incident_json(engine: Engine, x: IncidentInfo, history: bool = True) -> dict[str, Any]:
    """An incident for JSON: its fields, its decision, what its emergency stop achieved."""
    d: dict[str, Any] = {
        "id": x.id, "release": x.release_id, "state": x.state, "priority": x.priority,
        "reported_by": x.reported_by, "raised_at": x.raised_at, "raised_by": x.raised_by,
        "description": x.description, "emergency_stop": x.emergency_stop, "automatic": x.automatic,
        "scope": x.scope, "hubs": x.hubs, "outcome": x.outcome, "new_date": x.new_date,
        "triaged_at": x.triaged_at, "triaged_by": x.triaged_by, "decision": decision_json(x),
        "stop": stop_json(engine.incidents.stop_info(x.stop_id)) if x.stop_id is not None else None,
        "closed_at": x.closed_at}
    if history:
        d["history"] = [{"at": h.at, "by": h.by, "kind": h.kind, "text": h.text} for h in x.history]
    return d


def consequences_json(c: Consequences) -> dict[str, Any]:
    """What an outcome does, for JSON."""
    return {"release": c.release_id, "outcome": c.outcome, "new_date": c.new_date, "hubs": c.hubs,
            "suppliers": list(c.suppliers), "dates": [{"what": w, "from": a, "to": b} for w, a, b in c.dates],
            "lines": list(c.lines)}


def outcome_words(c: Consequences) -> str:
    """An outcome as a person says it: "delay to 2026-10-01 09:00 BST"."""
    return f"{c.outcome} to {show(c.new_date)}" if c.new_date is not None else c.outcome


def incident_line(x: IncidentInfo) -> str:
    """An incident as one line of a list."""
    flags = (" [stop asked]" if x.emergency_stop and x.stop_id is None else "") + (
        f" [stop {x.stop_id}]" if x.stop_id is not None else "") + (" [failure guard]" if x.automatic else "")
    return (f"{x.id:>5}  {x.priority}  {x.state:9} release {x.release_id}  {x.reported_by:8} "
            f"{show(x.raised_at)}  {_short(x.description)}{flags}")


def incident_text(engine: Engine, x: IncidentInfo) -> str:
    """An incident for a person: who reported what, its stop, its decision, its history."""
    who = "the console's failure guard" if x.automatic else f"{x.reported_by} through the service desk ({x.raised_by})"
    lines = [f"Incident {x.id}  {x.priority}  {x.state}",
             f"  Release {x.release_id}; reported by {who}, {show(x.raised_at)}"
             + ("; asks for an emergency stop" if x.emergency_stop and not x.automatic else ""),
             f"  {x.description}"]
    if x.hubs:
        lines.append(f"  {_count(x.hubs, 'hub')} named as affected")
    if x.stop_id is not None:
        lines.append("  " + stop_words(engine.incidents.stop_info(x.stop_id)))
    if x.outcome:
        when = f" to {show(x.new_date)}" if x.new_date else ""
        lines.append(f"  DCC's outcome: {x.outcome}{when} (triaged {show(x.triaged_at)} by {x.triaged_by})")
    decision = decision_json(x)
    if decision:
        lines.append(f"  Confirmed by {x.confirmed_by} for {BODIES.get(x.confirm_body or '', x.confirm_body)} "
                     f"on {show(x.confirmed_at)} (recorded by {decision['recorded_by']})")
    elif x.outcome:
        lines.append("  Awaiting the Panel's confirmation")
    if x.closed_at:
        lines.append(f"  Closed {show(x.closed_at)}")
    lines.append("  History:")
    lines += [f"    {show(h.at)}  {h.by:12} {h.kind:9} {h.text}" for h in x.history]
    return "\n".join(lines)


def _bullets(lines: tuple[str, ...]) -> str:
    return "".join(f"\n  - {line}" for line in lines)


def _short(words: str, width: int = 60) -> str:
    one = " ".join(words.split())
    return one if len(one) <= width else one[: width - 3] + "..."


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
