"""Benchmark: the estate browser over a large estate, as a person would feel it.

Measures, on the real console widgets (offscreen):

- opening the view until the first page of hubs is on screen;
- jumping to the last row until the last page is on screen;
- a supplier filter: first page, count, the full id list, and jumping to its end;
- the longest the GUI thread was busy at a stretch during all of it (a "stall"):
  what decides whether scrolling feels smooth.

Run ``python -m sim.bench_estate_browser --hubs 1000000`` (builds a demo database in a
temporary folder) or pass ``--db URL`` to reuse one.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path


class Stalls:
    """Largest gap between ticks of a 5 ms GUI timer: how long the GUI thread was blocked."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.worst = 0.0
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self._last)
        self._last = now

    def reset(self) -> None:
        self.worst = 0.0
        self._last = time.perf_counter()


def wait_for(ready: Callable[[], bool], timeout: float = 600.0) -> float:
    """Run the event loop until READY() holds; returns the seconds it took."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    start = time.perf_counter()
    while not ready():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the estate browser did not answer in time")
        if app is not None:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.001)
    return time.perf_counter() - start


def _visible_shown(view: object) -> bool:
    """Every row on screen has its hub (no "loading..." left)."""
    table, model = view.table, view.model  # type: ignore[attr-defined]
    if model.rowCount() == 0:
        return False
    top = max(table.rowAt(0), 0)
    bottom = table.rowAt(table.viewport().height() - 1)
    bottom = model.rowCount() - 1 if bottom < 0 else bottom
    return all(model._pages.get(r // 200) is not None for r in (top, bottom))


def run(url: str, supplier: str) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QAbstractItemView, QApplication

    from chconsole.core.bootstrap import open_engine
    from chconsole.ui.common.widgets import apply_look
    from chconsole.ui.estate.view import EstateView
    from chconsole.ui.runtime.context import Console
    from chconsole.ui.runtime.messages import MessageBridge
    from chconsole.ui.runtime.settings import Settings
    from chconsole.ui.runtime.tasks import TaskRunner

    app = QApplication.instance() or QApplication(["bench"])
    apply_look(app)  # type: ignore[arg-type]
    engine = open_engine(url, "demo")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        console = Console(engine, TaskRunner(), MessageBridge(), settings)
        out: dict[str, float] = {}
        stalls = Stalls()
        view = EstateView(console)
        view.resize(1400, 900)
        view.show()
        start = time.perf_counter()
        view.refresh()
        wait_for(lambda: view.model.rowCount() > 0 and _visible_shown(view))
        out["open: first page shown (s)"] = time.perf_counter() - start
        out["hubs"] = float(view.model.rowCount())
        wait_for(lambda: not console.runner.busy)
        out["worst GUI stall while opening (ms)"] = stalls.worst * 1000

        stalls.reset()
        start = time.perf_counter()
        view.table.scrollToBottom()
        wait_for(lambda: _visible_shown(view))
        out["jump to end: last page shown (s)"] = time.perf_counter() - start
        out["worst GUI stall, jump to end (ms)"] = stalls.worst * 1000
        stalls.reset()

        # Drag the scroll bar through the estate: 100 positions, each painted at once.
        bar = view.table.verticalScrollBar()
        start = time.perf_counter()
        for step in range(100):
            bar.setValue(bar.maximum() * step // 99)
            app.processEvents()  # type: ignore[union-attr]
        wait_for(lambda: _visible_shown(view))
        out["drag through 100 positions, then last page shown (s)"] = time.perf_counter() - start
        out["worst GUI stall while dragging (ms)"] = stalls.worst * 1000
        wait_for(lambda: not console.runner.busy)

        stalls.reset()
        start = time.perf_counter()
        view.supplier.select(supplier)
        wait_for(lambda: view.model.rowCount() > 0 and _visible_shown(view))
        out[f"filter {supplier}: first page shown (s)"] = time.perf_counter() - start
        wait_for(lambda: view.model.matching is not None)
        out[f"filter {supplier}: count shown (s)"] = time.perf_counter() - start
        wait_for(lambda: view.model._ids_complete)
        out[f"filter {supplier}: every id listed (s)"] = time.perf_counter() - start
        out[f"filter {supplier}: matching hubs"] = float(view.model.matching or 0)
        start = time.perf_counter()
        view.table.scrollTo(view.model.index(view.model.rowCount() - 1, 0),
                            QAbstractItemView.ScrollHint.PositionAtBottom)
        wait_for(lambda: _visible_shown(view))
        out[f"filter {supplier}: jump to end, last page shown (s)"] = time.perf_counter() - start
        out["worst GUI stall, filter and jump (ms)"] = stalls.worst * 1000
        view.close()
        console.runner.shutdown()
        engine.db.dispose()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m sim.bench_estate_browser", description=__doc__.splitlines()[0])
    p.add_argument("--hubs", type=int, default=1_000_000, help="estate size when building a database")
    p.add_argument("--db", help="reuse this database instead of building one")
    p.add_argument("--supplier", default="BGAS", help="the supplier filter to time")
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
        results = run(url, args.supplier)
    width = max(len(k) for k in results)
    for name, value in results.items():
        shown = f"{value:,.0f}" if name.endswith("hubs") else f"{value:,.3f}" if "(s)" in name else f"{value:,.1f}"
        print(f"{name:<{width}}  {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
