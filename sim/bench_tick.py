"""How long one tick takes with a whole rollout in flight, against a bare SQL baseline.

    python -m sim.bench_tick --hubs 50000

Builds a release whose every hub is in flight on the simulated network, then ticks an hour
at a time until every hub has finished, timing each tick. The baseline is the least any
implementation must do when the same number of results arrive: read them from the
network's table and update each hub's row by its key, with bare sqlite3 on the same file.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from chconsole.core.bootstrap import open_engine
from chconsole.core.vocabulary.london import show
from sim import rollout
from sim.network import SimulatedNetwork


class TimedNetwork:
    """The simulated network, with the time spent inside it added up."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.spent = 0.0

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.spent += time.perf_counter() - start
        return timed


def baseline(path: Path, rows: int) -> float:
    con = sqlite3.connect(path)
    try:
        start = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        got = con.execute(f"SELECT release_id, hub_id, result FROM sim_network_job LIMIT {rows}").fetchall()
        con.executemany("UPDATE release_hub SET reason = reason WHERE release_id = ? AND hub_id = ?",
                        [(r, h) for r, h, _ in got])
        con.rollback()
        return time.perf_counter() - start
    finally:
        con.close()


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m sim.bench_tick", description=__doc__)
    p.add_argument("--hubs", type=int, default=50_000)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tick.db"
        t0 = time.perf_counter()
        url = f"sqlite:///{path}"
        rollout.build(url, args.hubs).close()
        print(f"built and started a rollout of {args.hubs:,} hubs in {time.perf_counter() - t0:.1f} s")
        network = TimedNetwork(SimulatedNetwork())
        engine = open_engine(url, "alice", network=network)  # type: ignore[arg-type]
        in_flight = ("DISTRIBUTING", "DISTRIBUTED", "ACTIVATION_PENDING")
        worst = (0.0, "")
        timings: list[float] = []
        every: list[tuple[float, str]] = []
        while True:
            view = engine.releases.get(1)
            flying = sum(view.counts.get(s, 0) for s in in_flight)
            if not flying:
                break
            target = engine.now() + timedelta(hours=1)
            network.spent = 0.0
            start = time.perf_counter()
            engine.time.tick(target)
            took = time.perf_counter() - start
            in_network = network.spent
            if flying >= args.hubs * 0.9:
                timings.append(took)
            every.append((took, f"{show(target)}: {flying:,} in flight before; "
                                f"{in_network:.3f} s of it inside the simulated network"))
            if took > worst[0]:
                worst = (took, f"at {show(target)} with {flying:,} hubs in flight")
        counts = engine.releases.get(1).counts
        base = baseline(path, args.hubs)
        engine.db.dispose()
    print("slowest ticks:")
    for took, label in sorted(every, reverse=True)[:5]:
        print(f"  {took:.3f} s  {label}")
    timings.sort()
    median = timings[len(timings) // 2] if timings else 0.0
    print(f"finished: {dict(sorted(counts.items()))}")
    print(f"ticks with >= 90% of hubs in flight: {len(timings)}; median {median:.3f} s; "
          f"worst tick {worst[0]:.3f} s {worst[1]}")
    print(f"bare baseline (read {args.hubs:,} results, update {args.hubs:,} rows): {base:.3f} s; "
          f"worst tick / baseline = {worst[0] / base:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
