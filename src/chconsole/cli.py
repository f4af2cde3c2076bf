"""The scripted interface: the same engine as the console, no window, no Qt.

Exit status: 0 done, 2 bad input, 3 the acting user may not do that, 1 anything else.
Errors go to stderr as one sentence naming what was wrong.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from chconsole.core.bootstrap import create_database, open_engine
from chconsole.core.engine.facade import Engine
from chconsole.core.releases.lifecycle import ReleaseInfo
from chconsole.core.vocabulary.errors import BadInput, ChconsoleError
from chconsole.core.vocabulary.london import iso, parse_time, show

log = logging.getLogger("chconsole.cli")


def _common(parser: argparse.ArgumentParser, top: bool) -> None:
    # Accepted before or after the subcommand's own words; the subparser must not
    # overwrite a value given before it, hence SUPPRESS there.
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--db", default=default, metavar="URL",
                        help="SQLAlchemy URL (default: your data folder's SQLite file)")
    parser.add_argument("--as", dest="actor", default=default, metavar="USER",
                        help="the acting DCC user (default: your login name)")
    parser.add_argument("--json", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="print one JSON document on stdout")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="chconsole", description=(
        "Operator console for Communications Hub firmware rollouts. Without a command it "
        "opens the console window."))
    _common(p, top=True)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def cmd(name: str, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        _common(sp, top=False)
        return sp

    sp = cmd("init", "create the database")
    sp.add_argument("--clock", choices=["system", "simulated"], default="system")
    sp.add_argument("--start", metavar="TIME", help="the simulated clock's first time")

    user = cmd("user", "DCC users and their roles")
    usub = user.add_subparsers(dest="action", metavar="ACTION", required=True)
    ua = usub.add_parser("add", help="give a DCC user roles")
    _common(ua, top=False)
    ua.add_argument("name")
    ua.add_argument("--role", action="append", required=True,
                    help="operator, release-manager, panel-secretary or admin (repeatable)")
    ul = usub.add_parser("list", help="list users and roles")
    _common(ul, top=False)

    sp = cmd("import-estate", "load or refresh the SMI extract (.csv or .xlsx)")
    sp.add_argument("file", type=Path)
    sp.add_argument("--full", action="store_true", help="the extract is complete: hubs missing from it left the SMI")
    sp.add_argument("--skip-invalid", action="store_true", help="import the good rows, report the bad ones")

    cpl = cmd("cpl", "the Central Products List")
    csub = cpl.add_subparsers(dest="action", metavar="ACTION", required=True)
    ca = csub.add_parser("add", help="record a CPL entry")
    _common(ca, top=False)
    ca.add_argument("--model", required=True)
    ca.add_argument("--firmware-version", required=True)
    ca.add_argument("--image-hash", required=True)
    ca.add_argument("--manufacturer", default="")
    ca.add_argument("--hardware-version", default="")
    cl = csub.add_parser("list", help="list CPL entries")
    _common(cl, top=False)

    party = cmd("party", "suppliers and CSPs: names and notice addresses")
    psub = party.add_subparsers(dest="action", metavar="ACTION", required=True)
    ps = psub.add_parser("set", help="name a party and give the address its notices go to")
    _common(ps, top=False)
    ps.add_argument("id")
    ps.add_argument("--name")
    ps.add_argument("--email")
    pl = psub.add_parser("list", help="list suppliers")
    _common(pl, top=False)

    rel = cmd("release", "firmware releases and their notices")
    rsub = rel.add_subparsers(dest="action", metavar="ACTION", required=True)
    rc = rsub.add_parser("create", help="draft a release")
    _common(rc, top=False)
    rc.add_argument("--model", required=True)
    rc.add_argument("--from-version", action="append", required=True)
    rc.add_argument("--to-version", required=True)
    rc.add_argument("--severity", required=True)
    rc.add_argument("--priority", required=True)
    rc.add_argument("--release-note", required=True)
    rc.add_argument("--type", required=True, help="sec, planned or unplanned")
    rc.add_argument("--deployment-date", metavar="TIME")
    rc.add_argument("--pilot-cap", type=int, default=300, metavar="N",
                    help="hubs per supplier in the pilot (default 300)")
    rc.add_argument("--lead-days", type=int, default=7, metavar="DAYS",
                    help="distribution lead time an instruction must leave (default 7)")
    for name, help_ in (("notify", "notify it: eligibility snapshot, notices, supplier reports"),
                        ("show", "state, dates, counts per hub state")):
        r = rsub.add_parser(name, help=help_)
        _common(r, top=False)
        r.add_argument("id", type=int)
    rr = rsub.add_parser("revoke", help="revoke a notified release")
    _common(rr, top=False)
    rr.add_argument("id", type=int)
    rr.add_argument("--reason", required=True)
    rn = rsub.add_parser("note", help="update the release note reference (history is kept)")
    _common(rn, top=False)
    rn.add_argument("id", type=int)
    rn.add_argument("--release-note", required=True)
    rl = rsub.add_parser("list", help="list releases")
    _common(rl, top=False)

    sp = cmd("export", "a report to a supplier")
    sp.add_argument("report", choices=["eligibility", "pilot", "instructions", "estate-status", "dashboard"])
    sp.add_argument("--supplier", required=True)
    sp.add_argument("--release", type=int)
    sp.add_argument("--out", type=Path, required=True)

    hub = cmd("hub", "one hub")
    hsub = hub.add_subparsers(dest="action", metavar="ACTION", required=True)
    hs = hsub.add_parser("show", help="the hub, its suppliers, and its state per release")
    _common(hs, top=False)
    hs.add_argument("guid")

    _pilot_parsers(cmd)
    _network_parsers(cmd)
    from chconsole.commands_deploy import add_parsers as deploy_parsers

    deploy_parsers(cmd, _common)
    from chconsole.commands_dashboard import add_parser as dashboard_parser

    dashboard_parser(cmd)

    sp = cmd("tick", "do whatever is due")
    sp.add_argument("--now", metavar="TIME")
    sp.add_argument("--downtime", action="store_true",
                    help="with a simulated clock: jump to --now as if the console had been closed, then catch up")
    from chconsole.commands_scheduler import add_parser as scheduler_parser

    scheduler_parser(cmd("scheduler", "run the scheduler headless: each pass does what is due"))
    ob = cmd("outbox", "notices produced")
    osub = ob.add_subparsers(dest="action", metavar="ACTION", required=True)
    ol = osub.add_parser("list", help="notices: to whom, about what")
    _common(ol, top=False)
    ol.add_argument("--release", type=int)
    ol.add_argument("--recipient")
    cmd("verify-audit", "check the audit trail's hash chain")
    return p


def _pilot_parsers(cmd: Callable[[str, str], argparse.ArgumentParser]) -> None:
    pilot = cmd("pilot", "pilot groups: nominate, start, conclude, comment, show")
    sub = pilot.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        _common(sp, top=False)
        sp.add_argument("id", type=int, help="the release")
        return sp

    sp = action("nominate", "a supplier's pilot nomination, by GUID file or by business rules")
    sp.add_argument("--supplier", required=True)
    sp.add_argument("--file", type=Path, help="a GUID list (.csv or .xlsx with a guid column)")
    sp.add_argument("--rule", action="append", default=[], metavar="RULE",
                    help="count=N, spread=regions, from-version=V, region=R, seed=N, exclude=open-incidents")
    sp = action("start", "start the pilot: distribution at once")
    sp.add_argument("--activate-at", metavar="TIME",
                    help="activate at this time (default: as soon as each hub holds the image)")
    sp = action("conclude", "conclude the pilot with DCC's decision")
    sp.add_argument("--decision", required=True, choices=["proceed", "stop"])
    sp.add_argument("--commentary", required=True)
    sp = action("comment", "add DCC commentary to the pilot, or to one pilot hub")
    sp.add_argument("--text", required=True)
    sp.add_argument("--guid")
    action("show", "the pilot: hubs per supplier and state, failures, nominations")


def _network_parsers(cmd: Callable[[str, str], argparse.ArgumentParser]) -> None:
    net = cmd("network", "the CSP network this database runs against")
    sub = net.add_subparsers(dest="action", metavar="ACTION", required=True)
    sp = sub.add_parser("show", help="its figures (a simulated network's are assumptions)")
    _common(sp, top=False)
    sp = sub.add_parser("set", help="change a simulated network's figures: KEY=VALUE ...")
    _common(sp, top=False)
    sp.add_argument("settings", nargs="+", metavar="KEY=VALUE")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _release_json(v: ReleaseInfo) -> dict[str, Any]:
    d = _plain(v)
    d["type"] = v.type_title
    d["suppliers"] = [dict(_plain(s), total=s.total) for s in v.suppliers]
    return d


def _release_text(v: ReleaseInfo) -> str:
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


def run(args: argparse.Namespace, out: Any) -> int:
    actor = args.actor or os.environ.get("CHCONSOLE_USER") or getpass.getuser()
    emit = (lambda data, text: print(json.dumps(_plain(data), indent=2), file=out)) if args.json \
        else (lambda data, text: print(text, file=out))
    if args.command == "init":
        start = None
        if args.clock == "simulated":
            if not args.start:
                raise BadInput("A simulated clock needs --start TIME.")
            start = parse_time(args.start, "start time")
        elif args.start:
            raise BadInput("--start only goes with --clock simulated.")
        engine = create_database(args.db, actor, start)
        emit({"database": engine.where(), "clock": args.clock, "user": actor,
              "now": engine.now()},
             f"Created {engine.where()} ({args.clock} clock); {actor} holds every role.")
        return 0
    engine = open_engine(args.db, actor)
    engine.admin.check_user()  # reading is for DCC users too, not only changing
    return _dispatch(engine, args, emit)


def _dispatch(engine: Engine, args: argparse.Namespace, emit: Any) -> int:
    from chconsole import commands

    if args.command == "dashboard" or (args.command == "export" and args.report == "dashboard"):
        from chconsole.commands_dashboard import dispatch_dashboard

        return dispatch_dashboard(engine, args, emit)
    if args.command == "scheduler":
        from chconsole.commands_scheduler import run_scheduler

        return run_scheduler(engine, args, emit)
    return commands.dispatch(engine, args, emit)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return run(args, sys.stdout)
    except ChconsoleError as exc:
        if args.json:  # scripts get one JSON document whatever happens
            print(json.dumps({"error": str(exc), "exit_status": exc.exit_status,
                              "problems": getattr(exc, "problems", [])}, indent=2))
        print(f"chconsole: {exc}", file=sys.stderr)
        for problem in getattr(exc, "problems", [])[:1000]:
            print(f"  {problem}", file=sys.stderr)
        extra = len(getattr(exc, "problems", [])) - 1000
        if extra > 0:
            print(f"  ... and {extra:,} more", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("chconsole: interrupted; the unfinished change was rolled back.", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - one clear line, not a traceback, for a person
        log.debug("unexpected failure", exc_info=True)
        print(f"chconsole: unexpected failure: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
