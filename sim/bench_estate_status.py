"""Benchmark: the estate status report against a bare openpyxl write of the same rows.

Builds a demo database of --hubs hubs (sim/estate.py's estate, release 1 notified with its
pilot under way) or takes --db, picks the supplier with the most hubs, and in one run:

- writes that supplier's estate status report as the CLI does (`Engine.export`: role
  check, counts, keyset pages from SQL, the shared workbook writer, audit entry);
- fetches the very same rows into memory first (untimed), then times a bare openpyxl
  write-only loop writing them (header row, rows, save) with no formatting at all.

The ratio is what the report's extras cost over openpyxl itself: paging SQL, the role
and planned-activation rules, formula-safe text, dates shown in London time, the title
block, and the all-or-nothing file.

Run ``python -m sim.bench_estate_status --hubs 200000`` or pass ``--db URL``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import text

from chconsole.core.bootstrap import open_engine
from chconsole.core.engine.facade import Engine
from chconsole.core.estate import status_report
from chconsole.core.vocabulary.london import LONDON


def largest_supplier(engine: Engine) -> tuple[str, int]:
    """The supplier holding a role on the most hubs in the SMI, and that count."""
    with engine.db.reading() as s:
        party, hubs = s.execute(text(
            "SELECT p, COUNT(*) FROM (SELECT import_supplier AS p FROM hub WHERE in_smi "
            "AND import_supplier IS NOT NULL UNION ALL SELECT gas_supplier FROM hub WHERE in_smi "
            "AND gas_supplier IS NOT NULL AND (import_supplier IS NULL OR gas_supplier <> import_supplier)) t "
            "GROUP BY p ORDER BY COUNT(*) DESC, p LIMIT 1")).one()
    return str(party), int(hubs)


def _plain(value: object) -> object:
    """What the bare loop may hand openpyxl: datetimes as London wall-clock time."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(LONDON).replace(tzinfo=None)
    return value


def run(url: str, folder: Path) -> dict[str, float | str]:
    engine = open_engine(url, "demo")
    party, _hubs = largest_supplier(engine)
    out: dict[str, float | str] = {"supplier": party}

    start = time.perf_counter()
    with engine.db.reading() as s:
        status_report.counts(s, party)
    out["counting the supplier's hubs (s)"] = time.perf_counter() - start

    mine = folder / "estate-status.xlsx"
    start = time.perf_counter()
    rows = engine.reports.export(status_report.REPORT, party, mine).value
    ours = time.perf_counter() - start
    out["hubs"] = float(rows)
    out["our export (s)"] = ours
    out["our export (rows/s)"] = rows / ours

    start = time.perf_counter()
    with engine.db.reading() as s:
        fetched = [[_plain(v) for v in row]
                   for row in status_report.rows(s, party)]
    out["fetching the same rows into memory, untimed below (s)"] = time.perf_counter() - start
    bare = folder / "bare.xlsx"
    start = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Hubs")
    ws.append([c.title for c in status_report.COLUMNS])
    for row in fetched:
        ws.append(row)
    wb.save(bare)
    plain = time.perf_counter() - start
    assert len(fetched) == rows
    del fetched, wb, ws
    out["bare openpyxl write-only (s)"] = plain
    out["bare openpyxl write-only (rows/s)"] = rows / plain
    out["ours / bare, time"] = ours / plain
    out["file size ours / bare"] = mine.stat().st_size / bare.stat().st_size

    # Once more under tracemalloc (slower, so untimed): the report must not grow with the estate.
    tracemalloc.start()
    engine.reports.export(status_report.REPORT, party, mine)
    out["peak Python memory during our export, traced (MiB)"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    engine.db.dispose()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m sim.bench_estate_status", description=__doc__.splitlines()[0])
    p.add_argument("--hubs", type=int, default=200_000, help="estate size when building a database")
    p.add_argument("--db", help="reuse this database instead of building one")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="chconsole-bench-") as tmp:
        url = args.db
        if url is None:
            from sim.demo import build

            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            start = time.perf_counter()
            build(url, args.hubs, progress=lambda m: print(f"  {m}", file=sys.stderr)).db.dispose()
            print(f"built a demo database of {args.hubs:,} hubs in {time.perf_counter() - start:.0f} s",
                  file=sys.stderr)
        results = run(url, Path(tmp))
    width = max(len(k) for k in results)
    for name, value in results.items():
        if isinstance(value, str):
            shown = value
        elif name.endswith("hubs") or "rows/s" in name:
            shown = f"{value:,.0f}"
        elif "(s)" in name:
            shown = f"{value:,.2f}"
        else:
            shown = f"{value:,.2f}"
        print(f"{name:<{width}}  {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
