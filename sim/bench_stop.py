"""How soon the emergency stop takes effect while a big batch is being dispatched.

    python -m sim.bench_stop --hubs 50000
    python -m sim.bench_stop --hubs 1000000

Builds a release with one DCC batch of every hub, makes its distribution fall due, and
starts the pass that dispatches it on one thread. As soon as the first commands have
reached the simulated network, a second engine (another "workstation") presses the
emergency stop. Reported:

- press to commit: from the press until the stop's own transaction committed (from then on
  no command may leave), against a bare baseline: the same one-row UPDATE with bare sqlite3
  on the same file while nothing else runs;
- press to the last dispatch: until the dispatcher handed its last command to the network,
  and press to the first dispatch refused: until its next sending transaction found the
  release suspended and sent nothing;
- how many commands left before the press and after its commit (must be 0).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from chconsole.core.bootstrap import open_engine
from chconsole.core.incidents import stop as stops
from chconsole.core.rollout import dispatch
from chconsole.core.rollout.network import Command, Step
from sim import rollout
from sim.network import SimulatedNetwork


class ClockedNetwork(SimulatedNetwork):
    """The simulated network, noting when each command was handed to it."""

    def __init__(self) -> None:
        super().__init__()
        self.first = threading.Event()
        self.sends: list[tuple[float, int]] = []  # (when it returned, non-cancel commands)

    def send(self, session: Session, commands: Sequence[Command], now: datetime) -> None:
        super().send(session, commands, now)
        self.sends.append((time.perf_counter(), sum(c.step is not Step.CANCEL for c in commands)))
        self.first.set()


def bare_write(path: Path) -> float:
    con = sqlite3.connect(path, isolation_level=None)
    try:
        start = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        con.execute("UPDATE release SET state = state WHERE id = 1")
        con.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        con.close()


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m sim.bench_stop", description=__doc__)
    p.add_argument("--hubs", type=int, default=50_000)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stop.db"
        url = f"sqlite:///{path}"
        t0 = time.perf_counter()
        engine, batch = rollout.batch_ready(url, args.hubs)
        engine.admin.configure_network({"distribution_failure": "0", "activation_failure": "0",
                                        "no_response": "0", "capacity_north": "1000000",
                                        "capacity_central": "1000000", "capacity_south": "1000000"})
        engine.close()
        print(f"built: {args.hubs:,} hubs in DCC batch {batch}, due at the next pass "
              f"({time.perf_counter() - t0:.0f} s)")
        network = ClockedNetwork()
        dispatcher = open_engine(url, "alice", network=network)
        presser = open_engine(url, "alice", network=SimulatedNetwork())
        calls: list[tuple[float, float, int]] = []  # the dispatcher's sending transactions
        real_send_chunk = dispatch.send_chunk

        def watched(session: Session, *a: Any, **k: Any) -> int:
            start = time.perf_counter()
            n = real_send_chunk(session, *a, **k)
            calls.append((start, time.perf_counter(), n))
            return n

        dispatch.send_chunk = watched  # type: ignore[assignment]
        thread = threading.Thread(target=lambda: dispatcher.time.tick(dispatcher.now() + timedelta(hours=1)))
        thread.start()
        network.first.wait(600)
        pressed = time.perf_counter()
        with presser.db.stop_request(), presser.db.writing() as s:  # what engine.incidents.stop commits first
            stop = stops.press(s, 1, presser.now(), "alice", "benchmark")
        committed = time.perf_counter()
        thread.join()
        dispatch.send_chunk = real_send_chunk  # type: ignore[assignment]
        stop_id = stop.id
        presser.time.settle_stop(stop_id)
        before = sum(n for at, n in network.sends if at <= committed)
        after = sum(n for at, n in network.sends if at > committed)
        last = max((at for at, n in network.sends if n), default=pressed)
        # The first sending transaction to begin after the commit: it found the release
        # suspended (n counts commands taken from the record: none was).
        first_refused = min((end for start, end, n in calls if start > committed), default=float("nan"))
        base = bare_write(path)
        presser.close()
        dispatcher.close()
    print(f"commands sent before the press committed: {before:,}; after: {after:,}")
    print(f"press to commit: {1000 * (committed - pressed):.1f} ms (bare one-row write: {1000 * base:.1f} ms; "
          f"ratio {(committed - pressed) / base:.0f})")
    print(f"press to the last dispatch: {1000 * max(0.0, last - pressed):.1f} ms; "
          f"press to the first dispatch refused: {1000 * (first_refused - pressed):.1f} ms")
    return 0 if after == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
