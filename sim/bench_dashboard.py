"""Benchmark: a dashboard's refresh time must not grow with the estate.

Builds an estate per size (200,000 and 2,000,000 hubs by default), notifies a release over
it, lets five suppliers nominate pilot hubs and starts the pilot; then times building each
actor's dashboard (DCC, the largest and the smallest supplier, each CSP, the Panel) as the
console does on every refresh: one engine call, its own read session. Prints the median of
several builds per actor and size, side by side, with the ratio of the largest estate's time
to the smallest's (about 1 when the refresh reads maintained counts only).

    python -m sim.bench_dashboard                       # 200,000 and 2,000,000 hubs
    python -m sim.bench_dashboard --sizes 50000 500000 --repeat 21
    python -m sim.bench_dashboard --db sqlite:///a.db --db sqlite:///b.db   # databases you have
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import text

from chconsole.core.bootstrap import create_database, open_engine
from chconsole.core.dashboards.dashboard import CSP, DCC, PANEL, SUPPLIER, Viewer
from chconsole.core.engine.facade import Engine
from chconsole.core.pilots import rules as pilot_rules
from chconsole.core.releases import lifecycle
from chconsole.core.releases.lifecycle import ReleaseDraft
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import parse_time
from sim.estate import HUB_MODELS, cpl_entries, write_extract
from sim.parties import SUPPLIERS

START = "2026-11-02T09:00"
PILOT_SUPPLIERS = ("BGAS", "OCTO", "EDFE", "EONX", "OVOE")


def build(url: str, hubs: int, say: Callable[[str], None] = print) -> Engine:
    """An estate of HUBS hubs with release 1 notified (every EDMI hub on an older version
    is eligible) and its pilot started. The notices are queued, not written: their Excel
    reports would take minutes on a big estate and have nothing to do with dashboards."""
    engine = create_database(url, "bench", parse_time(START))
    with tempfile.TemporaryDirectory() as tmp:
        extract = Path(tmp) / "extract.csv"
        started = time.perf_counter()
        write_extract(extract, hubs, 1)
        engine.admin.import_estate(extract)
        say(f"  {hubs:,} hubs imported in {time.perf_counter() - started:.1f} s")
    for s in SUPPLIERS:
        engine.admin.set_party(s.party_id, s.name)
    for e in cpl_entries():
        engine.admin.add_cpl_entry(e.device_model, e.firmware_version, e.image_hash)
    edmi = next(m for m in HUB_MODELS if m.device_model == "EDMI-CHF-420")
    draft = engine.releases.create(ReleaseDraft(
        edmi.device_model, [v for v, _ in edmi.installed], edmi.target, "High", "P2", "RN-BENCH", "sec")).value
    started = time.perf_counter()
    with engine.db.writing() as s:
        release = lifecycle.notify(s, draft.id, engine.ctx.now(s), engine.actor)
        eligible = release.eligible
    say(f"  release {draft.id} notified: {eligible:,} eligible hubs ({time.perf_counter() - started:.1f} s)")
    for supplier in PILOT_SUPPLIERS:
        with contextlib.suppress(BadInput):
            engine.pilots.nominate(draft.id, supplier, rule=pilot_rules.parse(["count=60", "spread=regions", "seed=3"]))
    engine.pilots.start(draft.id)
    engine.time.tick(parse_time("2026-11-03T09:00"))  # a day of pilot: progress samples for the charts
    return engine


def viewers(engine: Engine) -> list[tuple[str, Viewer]]:
    """The actors timed: DCC, the largest and smallest supplier, each CSP, the Panel."""
    order = [s.party_id for s in SUPPLIERS]  # largest market share first
    known = {v.party for v in engine.dashboards.viewers() if v.kind == SUPPLIER}
    suppliers = [p for p in order if p in known]
    chosen = [("DCC", Viewer(DCC))]
    if suppliers:
        chosen += [(f"supplier {suppliers[0]} (largest)", Viewer(SUPPLIER, suppliers[0])),
                   (f"supplier {suppliers[-1]} (smallest)", Viewer(SUPPLIER, suppliers[-1]))]
    chosen += [(f"CSP {v.party}", v) for v in engine.dashboards.viewers() if v.kind == CSP]
    chosen.append(("SEC Panel", Viewer(PANEL)))
    return chosen


def measure(engines: Sequence[Engine], repeat: int) -> list[dict[str, tuple[float, float]]]:
    """Per engine and actor, the (median, best) seconds of REPEAT dashboard builds.

    The estates take turns, build by build, so that a busy moment on a shared machine
    falls on every size alike rather than on whichever was being measured then."""
    actors = viewers(engines[0])
    times: list[dict[str, list[float]]] = [{label: [] for label, _v in actors} for _e in engines]
    for engine in engines:  # warm up: the first read of a database file costs more
        for _label, viewer in actors:
            engine.dashboards.build(viewer)
    for _ in range(repeat):
        for label, viewer in actors:
            for engine, found in zip(engines, times, strict=True):
                started = time.perf_counter()
                engine.dashboards.build(viewer)
                found[label].append(time.perf_counter() - started)
    return [{label: (statistics.median(t), min(t)) for label, t in found.items()} for found in times]


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m sim.bench_dashboard", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[200_000, 2_000_000], metavar="HUBS")
    p.add_argument("--db", action="append", default=[], metavar="URL",
                   help="measure these databases instead of building estates (repeatable)")
    p.add_argument("--repeat", type=int, default=15, help="builds per actor; the median is kept")
    p.add_argument("--keep", type=Path, metavar="DIR", help="build the estates' databases here and keep them")
    args = p.parse_args(argv)
    labels: list[str] = []
    engines: list[Engine] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        targets = [(url, None) for url in args.db] or [
            (f"sqlite:///{folder / f'dashboard-{n}.db'}", n) for n in args.sizes]
        for url, hubs in targets:
            if hubs is not None:
                print(f"Building an estate of {hubs:,} hubs", flush=True)
                engine = build(url, hubs)
            else:
                engine = open_engine(url, "bench")
            with engine.db.reading() as s:
                size = int(s.execute(text("SELECT COALESCE(SUM(hubs), 0) FROM estate_tally "
                                          "WHERE dimension = 'status'")).scalar() or 0)
            labels.append(f"{size:,} hubs")
            engines.append(engine)
        print(f"Timing {args.repeat} builds of each dashboard on each estate, in turn", flush=True)
        results = measure(engines, args.repeat)
        for engine in engines:
            engine.db.dispose()
    width = max(len(a) for a in results[0]) + 2
    print(f"\nDashboard build in milliseconds: median (best) of {args.repeat}")
    print("actor".ljust(width) + "".join(h.rjust(20) for h in labels) + "ratio".rjust(8))
    for actor in results[0]:
        values = [r[actor] for r in results]
        cells = "".join(f"{m * 1000:.2f} ({b * 1000:.2f})".rjust(20) for m, b in values)
        ratio = values[-1][0] / values[0][0]
        print(actor.ljust(width) + cells + f"{ratio:.2f}".rjust(8))
    print("ratio: the last estate's median over the first's; about 1 means the refresh does not grow "
          "with the estate.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
