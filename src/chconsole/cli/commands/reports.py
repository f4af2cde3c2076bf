"""`chconsole export`: a report to a supplier, as an Excel workbook.

One command for every report: the dashboard is the dashboards desk's work (see
`dashboards.export_dashboard`), every other report the reports desk's.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from chconsole.cli.commands import Commands
from chconsole.cli.commands.dashboards import export_dashboard
from chconsole.cli.output import Emit, committed
from chconsole.core.engine.facade import Engine

REPORTS = ["eligibility", "pilot", "instructions", "estate-status", "dashboard"]


def add_export(commands: Commands) -> None:
    """`export REPORT --supplier S [--release ID] --out FILE.xlsx`."""
    sp = commands.add("export", "a report to a supplier", export)
    sp.add_argument("report", choices=REPORTS)
    sp.add_argument("--supplier", required=True)
    sp.add_argument("--release", type=int)
    sp.add_argument("--out", type=Path, required=True)


def export(engine: Engine, args: argparse.Namespace, emit: Emit) -> int:
    """Write the report asked for to `--out`."""
    if args.report == "dashboard":
        return export_dashboard(engine, args, emit)
    n = committed(engine.reports.export(args.report, args.supplier, args.out, args.release))
    emit({"report": args.report, "supplier": args.supplier.upper(), "rows": n, "file": str(args.out)},
         f"Wrote {args.out} ({n:,} hubs).")
    return 0
