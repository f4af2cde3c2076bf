"""`chconsole release`: firmware releases and their notices."""

from __future__ import annotations

import argparse
from typing import Any

from chconsole.cli.commands import Actions, Commands
from chconsole.cli.output import Emit, committed, plain
from chconsole.core.engine.dto import ReleaseDraft, ReleaseInfo
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.london import parse_time, show


def add_release(commands: Commands) -> None:
    """`release create|notify|show|revoke|note|list`."""
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


def create(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Draft a release; prints its id."""
    draft = ReleaseDraft(
        model=args.model, from_versions=args.from_version, to_version=args.to_version,
        severity=args.severity, priority=args.priority, release_note=args.release_note,
        release_type=args.type,
        deployment_date=parse_time(args.deployment_date, "deployment date") if args.deployment_date else None,
        pilot_cap=args.pilot_cap, distribution_lead_days=args.lead_days)
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
    emit(release_json(v), release_text(v))
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
    return "\n".join(lines)
