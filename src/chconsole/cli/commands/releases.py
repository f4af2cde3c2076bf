"""`chconsole release`: firmware releases and their notices."""

from __future__ import annotations

import argparse
from typing import Any

from chconsole.cli.commands import Actions, Commands
from chconsole.cli.output import Emit, committed, plain
from chconsole.core.engine.dto import GuardInfo, ReleaseDraft, ReleaseInfo
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import parse_time, show


def add_release(commands: Commands) -> None:
    """`release create|notify|show|revoke|note|list|guard`."""
    actions = Actions(commands.add("release", "firmware releases and their notices"))
    sp = actions.add("create", "draft a release", create)
    sp.add_argument("--model", required=True)
    sp.add_argument("--from-version", action="append", required=True)
    sp.add_argument("--to-version", required=True)
    sp.add_argument("--severity", required=True)
    sp.add_argument("--priority", required=True)
    sp.add_argument("--release-note", required=True)
    sp.add_argument("--type", required=True, help="sec, planned or unplanned")
    sp.add_argument("--deployment-date", metavar="TIME")
    sp.add_argument("--pilot-cap", type=int, default=300, metavar="N",
                    help="hubs per supplier in the pilot (default 300)")
    sp.add_argument("--lead-days", type=int, default=7, metavar="DAYS",
                    help="distribution lead time an instruction must leave (default 7)")
    sp.add_argument("--max-failure", metavar="PCT",
                    help="failure guard: pause on its own above this share of failures (default 2%%)")
    sp.add_argument("--min-finished", metavar="N",
                    help="failure guard: over at least this many finished hubs (default 200)")
    sp = actions.add("notify", "notify it: eligibility snapshot, notices, supplier reports", notify)
    sp.add_argument("id", type=int)
    sp = actions.add("show", "state, dates, counts per hub state", show_release)
    sp.add_argument("id", type=int)
    sp = actions.add("revoke", "revoke a notified release", revoke)
    sp.add_argument("id", type=int)
    sp.add_argument("--reason", required=True)
    sp = actions.add("note", "update the release note reference (history is kept)", note)
    sp.add_argument("id", type=int)
    sp.add_argument("--release-note", required=True)
    actions.add("list", "list releases", list_releases)
    sp = actions.add("guard", "show or set the failure guard that pauses the release on its own", guard)
    sp.add_argument("id", type=int)
    sp.add_argument("--max-failure", metavar="PCT",
                    help="pause above this share of failures (percent) in any batch, region or supplier")
    sp.add_argument("--min-finished", metavar="N", help="of at least this many finished hubs")


def create(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Draft a release; prints its id."""
    draft = ReleaseDraft(
        model=args.model, from_versions=args.from_version, to_version=args.to_version,
        severity=args.severity, priority=args.priority, release_note=args.release_note,
        release_type=args.type,
        deployment_date=parse_time(args.deployment_date, "deployment date") if args.deployment_date else None,
        pilot_cap=args.pilot_cap, distribution_lead_days=args.lead_days,
        **_guard_words(args.max_failure, args.min_finished))
    v = committed(engine.releases.create(draft))
    emit({"id": v.id, "state": v.state}, f"Drafted release {v.id}.")
    return 0


def notify(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Notify a release: eligibility snapshot, notices, supplier reports."""
    v = committed(engine.releases.notify(args.id))
    emit(release_json(v), release_text(v))
    return 0


def revoke(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Revoke a notified release."""
    v = committed(engine.releases.revoke(args.id, args.reason))
    emit(release_json(v), release_text(v))
    return 0


def note(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Update the release note reference."""
    v = committed(engine.releases.update_note(args.id, args.release_note))
    emit(release_json(v), release_text(v))
    return 0


def show_release(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """One release: state, dates, counts per hub state."""
    v = engine.releases.get(args.id)
    g = engine.incidents.guard(v.id)
    emit({**release_json(v), "guard": guard_json(g)},
         release_text(v) + (f"\n  {worst_words(g)}" if v.notified_at else ""))
    return 0


def guard(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """A release's failure guard: shown, or set with --max-failure and/or --min-finished."""
    words = _guard_words(args.max_failure, args.min_finished)
    if words:
        g = committed(engine.incidents.set_guard(args.id, words.get("guard_max_failure_pct"),
                                                 words.get("guard_min_finished")))
    else:
        g = engine.incidents.guard(args.id)
    emit(guard_json(g), f"Release {g.release_id}: {guard_words(g.max_failure_pct, g.min_finished)}.\n"
                        + worst_words(g))
    return 0


def list_releases(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Every release, one line each."""
    vs = engine.releases.all()
    emit([release_json(v) for v in vs], "\n".join(
        f"{v.id:>4}  {v.state:16} {v.model} {', '.join(v.from_versions)} -> {v.to_version}  "
        f"eligible {v.eligible:,}" for v in vs) or "No releases.")
    return 0


def release_json(v: ReleaseInfo) -> dict[str, Any]:
    """A release for JSON: its fields, its type's title, each supplier's total."""
    d: dict[str, Any] = plain(v)
    d["type"] = v.type_title
    d["suppliers"] = [dict(plain(s), total=s.total) for s in v.suppliers]
    return d


def release_text(v: ReleaseInfo) -> str:
    """A release for a person: what it changes, its dates, its hubs per state."""
    lines = [
        f"Release {v.id}  {v.state}",
        f"  {v.model}: {', '.join(v.from_versions)} -> {v.to_version}  ({v.type_title})",
        f"  Severity {v.severity}, priority {v.priority}; release note {v.release_note}",
        f"  DCC deployment date {show(v.deployment_date) or '(notice + 6 months)'}; cut-off {show(v.cut_off) or '-'}",
    ]
    if v.notified_at:
        lines.append(f"  Notified {show(v.notified_at)}; {v.eligible:,} eligible hubs")
        lines += [f"    {state}: {n:,}" for state, n in sorted(v.counts.items())]
    if v.revoked_at:
        lines.append(f"  Revoked {show(v.revoked_at)}: {v.revoke_reason}")
    lines.append(f"  Failure guard: {guard_words(v.guard_max_failure_pct, v.guard_min_finished)}")
    if v.halted_at:
        how = ("Suspended by the emergency stop" if v.state == "SUSPENDED" else
               "Paused by the failure guard" if v.halted_by == "system" else "Paused")
        lines.append(f"  {how} {show(v.halted_at)}" + ("" if v.halted_by == "system" else f" by {v.halted_by}")
                     + "; it goes on only after the Panel confirms a decision to proceed or delay and a DCC "
                     + ("user resumes it" if v.halted_by == "system" else f"user other than {v.halted_by} resumes it"))
    return "\n".join(lines)


def guard_json(g: GuardInfo) -> dict[str, Any]:
    """A failure guard for JSON, with the worst batch, region or supplier since the last resume."""
    return {"release": g.release_id, "max_failure_pct": g.max_failure_pct, "min_finished": g.min_finished,
            "worst_scope": g.worst_scope, "worst_failed": g.worst_failed, "worst_finished": g.worst_finished}


def guard_words(pct: float, least: int) -> str:
    """The guard as a person reads it."""
    return (f"pauses on its own when failures pass {pct:g}% of at least {least:,} finished hubs "
            "in any batch, CSP region or supplier")


def worst_words(g: GuardInfo) -> str:
    """The worst scope since the last resume, in words."""
    if g.worst_scope is None or not g.worst_finished:
        return "No hub has finished since the release started or last resumed."
    share = 100 * g.worst_failed / g.worst_finished
    return (f"Worst since the start or the last resume: {g.worst_scope}, {g.worst_failed:,} of "
            f"{g.worst_finished:,} finished hubs failed ({share:.1f}%).")


def _guard_words(pct: str | None, least: str | None) -> dict[str, Any]:
    """`--max-failure` and `--min-finished` as ReleaseDraft's words; only those given."""
    words: dict[str, Any] = {}
    if pct is not None:
        try:
            words["guard_max_failure_pct"] = float(pct.strip().removesuffix("%"))
        except ValueError:
            raise BadInput(f"The failure guard's share {pct!r} is not a percentage (for example 2 or 0.5%).") from None
    if least is not None:
        try:
            words["guard_min_finished"] = int(least.strip().replace(",", ""))
        except ValueError:
            raise BadInput(f"The failure guard's minimum {least!r} is not a whole number of hubs.") from None
    return words
