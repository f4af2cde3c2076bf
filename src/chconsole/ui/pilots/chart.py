"""The pilot's progress over time: hubs activated, failed and in flight, as step lines.

Drawn with pyqtgraph (renders offscreen too). The engine keeps a sample whenever the
pilot's counts change, so each count holds until the next sample: the lines are steps,
and the last value is carried on to the clock's "now" so a quiet day still reads as a day.
The time axis is London time (GMT or BST), like every time a person reads in the console.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy, QWidget

from chconsole.ui.common.charts import HOUR, CountAxis, LondonTimeAxis, quiet_plot, steps

IN_FLIGHT = ("DISTRIBUTING", "DISTRIBUTED", "ACTIVATION_PENDING")
OPEN = ("SCHEDULED", *IN_FLIGHT)  # pilot hubs not finished, started or not
# (label, the states it adds up, colour): what the lines show.
SERIES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Joined, not started", ("SCHEDULED",), "#9aa5b1"),
    ("In flight", IN_FLIGHT, "#3b6ea5"),
    ("Activated", ("ACTIVATED",), "#2e8b57"),
    ("Failed", ("FAILED",), "#c0392b"),
)


def legend_html() -> str:
    """The colour key, as rich text for a label above the chart."""
    keys = "&nbsp;&nbsp;&nbsp;".join(
        f'<span style="color:{colour}">&#9644;</span>&nbsp;{label}' for label, _states, colour in SERIES)
    return f'<span style="color:#4a5260">{keys}</span>'


class PilotChart(pg.PlotWidget):  # type: ignore[misc]
    """Pilot hubs activated, in flight and failed over time; show_samples() draws it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.time_axis = LondonTimeAxis(orientation="bottom")
        super().__init__(parent, background="#ffffff",
                         axisItems={"bottom": self.time_axis, "left": CountAxis(orientation="left")})
        self.setObjectName("pilotChart")
        plot = quiet_plot(self)
        plot.getAxis("left").setWidth(52)
        self.curves = {label: plot.plot([], [], pen=pg.mkPen(colour, width=2))
                       for label, _states, colour in SERIES}
        self.now_line = pg.InfiniteLine(angle=90, movable=False,
                                        pen=pg.mkPen("#8a94a0", width=1, style=Qt.PenStyle.DashLine))
        self.now_line.hide()
        plot.addItem(self.now_line)
        self.start_line = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen("#3b6ea5", width=1, style=Qt.PenStyle.DotLine),
            label="pilot started", labelOpts={"position": 0.93, "color": "#3b6ea5", "anchors": [(1, 0), (1, 0)]})
        self.start_line.hide()
        plot.addItem(self.start_line)
        self.points = 0  # how many samples the chart shows
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(230)

    def show_samples(self, samples: Sequence[tuple[datetime, Mapping[str, int]]], now: datetime | None,
                     started: datetime | None = None) -> None:
        """Draw SAMPLES (time, hubs per state), each value held to the next, the last to NOW;
        a marker where the pilot STARTED."""
        self.points = len(samples)
        top = 0.0
        first = last = None
        for label, states, _colour in SERIES:
            xs, ys = steps(samples, states, now)
            self.curves[label].setData(xs, ys)
            if xs:
                top = max(top, *ys)
                first = xs[0] if first is None else min(first, xs[0])
                last = xs[-1] if last is None else max(last, xs[-1])
        plot = self.getPlotItem()
        if first is None or last is None:
            self.now_line.hide()
            return
        if now is not None:
            self.now_line.setValue(now.timestamp())
            self.now_line.show()
        self.start_line.setVisible(started is not None)
        if started is not None:
            self.start_line.setValue(started.timestamp())
        span = max(last - first, 6 * HOUR)
        plot.setXRange(first, first + span, padding=0.02)
        plot.setYRange(0, max(top, 1.0) * 1.08, padding=0)
        if started is not None:  # the label on the side of the line with room for it
            side = (0, 0) if started.timestamp() < first + span / 2 else (1, 0)
            self.start_line.label.anchors = [side, side]
            self.start_line.label.updatePosition()
