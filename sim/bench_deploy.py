"""Benchmark: accepting a 50,000-GUID supplier instruction (CSV and XLSX), and a DCC batch of
any size, against a bare baseline on the same data in the same run.

    python -m sim.bench_deploy --hubs 400000 [--batch 1000000]

The baseline reads the same file (csv module, or openpyxl read-only) and sets the same
hubs' planned time with one sqlite3 executemany by GUID: what the least a program could do
to take the instruction in. Ours also checks every GUID against the estate and the release,
records every line, moves the hubs with their maintained counts and audit, forms the batch,
writes the receipt notice, and commits.
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from openpyxl import Workbook, load_workbook

from chconsole.core.bootstrap import create_database
from chconsole.core.deployment.batches import parse_rule
from chconsole.core.engine.changes import Changes
from chconsole.core.engine.facade import Engine
from chconsole.core.pilots import rules as pilot_rules
from chconsole.core.releases.lifecycle import ReleaseDraft
from chconsole.core.vocabulary.london import parse_time
from sim import rollout

N = 50_000
T = TypeVar("T")


def _setup(path: Path, hubs: int) -> tuple[Engine, int, str, list[str]]:
    url = f"sqlite:///{path}"
    engine = create_database(url, "alice", parse_time(rollout.START))
    with tempfile.TemporaryDirectory() as tmp:
        extract = Path(tmp) / "estate.csv"
        rollout.write_estate(extract, hubs)
        engine.admin.import_estate(extract)
    for version in (rollout.FROM_VERSION, rollout.TO_VERSION):
        engine.admin.add_cpl_entry(rollout.MODEL, version, f"01{version}".ljust(64, "0"))
    release = engine.releases.create(ReleaseDraft(
        model=rollout.MODEL, from_versions=[rollout.FROM_VERSION], to_version=rollout.TO_VERSION,
        severity="High", priority="P2", release_note="RN-BENCH", release_type="sec")).value
    engine.releases.notify(release.id)
    # A small pilot, concluded with proceed, so safe-launch hubs may go.
    con = sqlite3.connect(path)
    first, = con.execute("SELECT import_supplier FROM hub WHERE import_supplier = gas_supplier LIMIT 1").fetchone()
    con.close()
    engine.pilots.nominate(release.id, first, rule=pilot_rules.parse(["count=5"]))
    engine.pilots.start(release.id)
    engine.time.tick(engine.now() + timedelta(days=4))
    engine.pilots.conclude(release.id, "proceed", "benchmark")
    con = sqlite3.connect(path)
    supplier, = con.execute("SELECT import_supplier FROM hub GROUP BY import_supplier ORDER BY COUNT(*) DESC "
                            "LIMIT 1").fetchone()
    guids = [g for (g,) in con.execute(
        "SELECT guid FROM hub WHERE import_supplier = ? OR gas_supplier = ? ORDER BY id", (supplier, supplier))]
    con.close()
    return engine, release.id, supplier, guids


def _write(path: Path, guids: Sequence[str]) -> None:
    if path.suffix == ".csv":
        with path.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["guid"])
            w.writerows([g] for g in guids)
        return
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("GUIDs")
    ws.append(["guid"])
    for g in guids:
        ws.append([g])
    wb.save(path)


def _baseline(db: Path, file: Path, release_id: int) -> float:
    start = time.perf_counter()
    if file.suffix == ".csv":
        with file.open(newline="") as f:
            rows = [r[0] for r in csv.reader(f)][1:]
    else:
        wb = load_workbook(file, read_only=True)
        rows = [str(r[0]) for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)]
        wb.close()
    con = sqlite3.connect(db)
    con.execute("BEGIN IMMEDIATE")
    con.executemany(
        "UPDATE release_hub SET planned_activation = '2026-05-01 10:00:00.000000' WHERE release_id = ? "
        "AND hub_id = (SELECT id FROM hub WHERE guid = ?)", [(release_id, g) for g in rows])
    con.rollback()
    con.close()
    return time.perf_counter() - start


def _deferred(engine: Engine, work: Callable[[], T]) -> tuple[float, T, float]:
    """Time WORK with the outbox left for later, then the outbox on its own."""
    deliver = engine.ctx.deliver
    engine.ctx.deliver = lambda changes, progress=None: changes  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        result = work()
        took = time.perf_counter() - start
    finally:
        engine.ctx.deliver = deliver  # type: ignore[method-assign]
    start = time.perf_counter()
    engine.ctx.deliver(Changes())
    return took, result, time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m sim.bench_deploy", description=__doc__)
    p.add_argument("--hubs", type=int, default=400_000, help="estate size (default 400,000)")
    p.add_argument("--batch", type=int, default=0, help="also time a DCC batch of this many hubs by rule")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "deploy.db"
        t0 = time.perf_counter()
        engine, release_id, supplier, guids = _setup(db, args.hubs)
        print(f"estate of {args.hubs:,} hubs, release notified, in {time.perf_counter() - t0:.1f} s; "
              f"{supplier} supplies {len(guids):,} hubs")
        if len(guids) < 2 * N:
            print(f"need {2 * N:,} hubs of one supplier: give a larger --hubs", file=sys.stderr)
            return 2
        at = engine.now() + timedelta(days=30)
        for kind, chunk in (("csv", guids[:N]), ("xlsx", guids[N:2 * N])):
            file = folder / f"instruction.{kind}"
            _write(file, chunk)
            base = _baseline(db, file, release_id)
            ours, result, receipt = _deferred(engine, lambda f=file: engine.deployment.instruct(release_id, supplier, f, at).value)
            print(f"instruction of {N:,} GUIDs ({kind}): accepted and committed in {ours:.2f} s "
                  f"({result.accepted:,} accepted); bare read + executemany {base:.2f} s; ratio {ours / base:.1f}; "
                  f"then the receipt notice with every line in a workbook: {receipt:.2f} s")
        if args.batch:
            when = engine.now() + timedelta(days=40)
            took, made, notices = _deferred(
                engine, lambda: engine.deployment.create_batch(release_id, when, rule=parse_rule([f"size={args.batch}"])).value)
            print(f"DCC batch by rule: {made.hubs:,} hubs committed in {took:.2f} s ({made.hubs / took:,.0f} hubs/s); "
                  f"then {len(made.suppliers)} suppliers' notices with their hub lists: {notices:.2f} s")
            start = time.perf_counter()
            engine.deployment.batches(release_id)
            print(f"batch list read in {time.perf_counter() - start:.3f} s")
            # Its distribution falls due: the first pass sends what the regions can take in two days.
            view = engine.deployment.batch(made.id)
            start = time.perf_counter()
            engine.time.tick(view.distribute_from)
            took = time.perf_counter() - start
            counts = engine.deployment.batch(made.id).counts
            print(f"the pass that starts its distribution: {took:.2f} s; batch now {dict(sorted(counts.items()))}")
            start = time.perf_counter()
            engine.time.tick(view.distribute_from + timedelta(hours=1))
            print(f"the next pass, with {counts.get('DISTRIBUTING', 0):,} in flight: {time.perf_counter() - start:.2f} s")
        engine.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
