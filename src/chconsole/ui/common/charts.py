"""The charts' shared parts: quiet plots, count axes, category axes and London time axes.

Charts are drawn with pyqtgraph (Qt Charts is deprecated and not in PySide6-Essentials);
it renders offscreen too. Counts carry thousands separators; times are London time (GMT or
BST), like every time a person reads in the console.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pyqtgraph as pg

from chconsole.core.vocabulary.london import LONDON, localize, to_london

HOUR = 3600.0
# Tick spacings to choose from, in seconds: the smallest that leaves labels room wins.
SPACINGS = (HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR, 48 * HOUR, 7 * 24 * HOUR, 14 * 24 * HOUR)
LABEL_PIXELS = 92  # room one time label needs


class CountAxis(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """A value axis with thousands separators (12,000 rather than 12000 or 1.2e4)."""

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        return [f"{int(round(v)):,}" for v in values]


class CategoryAxis(pg.AxisItem):  # type: ignore[misc]
    """A category axis: one name (a supplier, a hub state) beside each bar."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names: list[str] = []

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:  # noqa: N802, N803
        return [(1.0, [float(i) for i in range(len(self.names))])]

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        return [self.names[int(v)] if 0 <= int(v) < len(self.names) else "" for v in values]


def quiet_plot(widget: pg.PlotWidget, grid_y: bool = True, alpha: float = 0.12) -> Any:
    """A chart to read, not to play with: no mouse zoom, menu or buttons; soft axes."""
    plot = widget.getPlotItem()
    plot.setMouseEnabled(x=False, y=False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.showGrid(x=True, y=grid_y, alpha=alpha)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTextPen(pg.mkPen("#4a5260"))
        axis.setPen(pg.mkPen("#c9ced6"))
        axis.setStyle(tickLength=0)
    return plot


def steps(samples: Sequence[tuple[datetime, Mapping[str, int]]], states: Sequence[str],
          until: datetime | None) -> tuple[list[float], list[float]]:
    """Step-line points (epoch seconds, hubs) of the STATES' total, carried on to UNTIL."""
    xs: list[float] = []
    ys: list[float] = []
    for at, counts in samples:
        y = float(sum(counts.get(s, 0) for s in states))
        x = at.timestamp()
        if ys:  # hold the previous value until this sample
            xs.append(x)
            ys.append(ys[-1])
        xs.append(x)
        ys.append(y)
    if ys and until is not None and until.timestamp() > xs[-1]:
        xs.append(until.timestamp())
        ys.append(ys[-1])
    return xs, ys


class LondonTimeAxis(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """A time axis in London wall-clock time, ticks on whole London hours and midnights."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:  # noqa: N802, N803
        if maxVal <= minVal or size <= 0:
            return []
        most = max(int(size / LABEL_PIXELS), 2)
        spacing = next((s for s in SPACINGS if (maxVal - minVal) / s <= most), SPACINGS[-1])
        start = to_london(datetime.fromtimestamp(minVal, UTC))
        if spacing >= 24 * HOUR:
            wall = start.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
        else:
            step_hours = int(spacing // HOUR)
            wall = start.replace(hour=start.hour - start.hour % step_hours, minute=0, second=0,
                                 microsecond=0, tzinfo=None)
        ticks: list[float] = []
        while len(ticks) < 200:
            at = localize(wall).timestamp()
            if at > maxVal:
                break
            if at >= minVal:
                ticks.append(at)
            wall += timedelta(seconds=spacing)  # wall-clock steps: midnights stay midnights
        return [(spacing, ticks)]

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        out = []
        for v in values:
            local = datetime.fromtimestamp(v, UTC).astimezone(LONDON)
            if spacing >= 24 * HOUR:
                out.append(f"{local:%a} {local.day} {local:%b}")
            elif local.hour == 0:
                out.append(f"{local.day} {local:%b}")
            else:
                out.append(f"{local:%H:%M}")
        return out
