"""The dashboard's pictures: a release's progress over time, and where its hubs are now.

The progress chart draws the release's maintained samples (every hub of the release) as
step lines, like the pilot chart: hubs in flight, activated and failed. Hubs not started
are left out of it: early in a rollout they outnumber the rest a thousand to one and would
flatten every other line. The state bar is one horizontal bar split in the same colours,
not-started hubs included, for the viewer's own hubs.
Neither counts a hub: both draw numbers the engine keeps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from chconsole.ui.common.charts import HOUR, CountAxis, LondonTimeAxis, quiet_plot, steps

# (label, the hub states it adds up, colour), in the order a hub goes through them.
GROUPS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Not scheduled", ("ELIGIBLE", "AWAITING_OTHER_SUPPLIER"), "#cdd3da"),
    ("Scheduled", ("SCHEDULED", "HELD"), "#8e9aa8"),
    ("In flight", ("DISTRIBUTING", "DISTRIBUTED", "ACTIVATION_PENDING"), "#3b6ea5"),
    ("Activated", ("ACTIVATED",), "#2e8b57"),
    ("Failed", ("FAILED",), "#c0392b"),
    ("Cancelled or excluded", ("CANCELLED", "EXCLUDED"), "#d5dae1"),
)
CHARTED = GROUPS[2:5]  # in flight, activated, failed: the hubs under way or done
Samples = Sequence[tuple[datetime, Mapping[str, int]]]


def grouped(counts: Mapping[str, int]) -> list[tuple[str, int, str]]:
    """COUNTS (hubs per state) added up per group: (label, hubs, colour), empty groups too."""
    known = {s for _label, states, _colour in GROUPS for s in states}
    out = [(label, sum(counts.get(s, 0) for s in states), colour) for label, states, colour in GROUPS]
    other = sum(n for s, n in counts.items() if s not in known)
    if other:  # a state this console does not know yet still counts somewhere
        label, n, colour = out[-1]
        out[-1] = (label, n + other, colour)
    return out


def legend_html(groups: Sequence[tuple[str, int, str]] | None = None) -> str:
    """The colour key as rich text; with GROUPS, each label carries its count."""
    if groups is None:
        keys = [f'<span style="color:{c}">&#9644;</span>&nbsp;{label}' for label, _s, c in CHARTED]
    else:
        # Each key holds together (no break inside it); the line breaks between keys only.
        keys = [f'<span style="color:{c}">&#9632;</span>&nbsp;{label.replace(" ", "&nbsp;")}&nbsp;<b>{n:,}</b>'
                for label, n, c in groups if n]
    return '<span style="color:#4a5260">' + "&nbsp;&nbsp; ".join(keys) + "</span>"  # breakable between keys


class StateBar(QWidget):
    """One bar, split by group in proportion to the hubs in each: where the hubs are now."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stateBar")
        self.groups: list[tuple[str, int, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(14)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(240, 14)

    def show_counts(self, counts: Mapping[str, int]) -> None:
        self.groups = grouped(counts)
        total = sum(n for _l, n, _c in self.groups)
        self.setToolTip("\n".join(f"{label}: {n:,} ({n / total:.1%})" for label, n, _c in self.groups if n)
                        if total else "No hubs")
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#eef1f4"))
        painter.drawRoundedRect(rect, 4, 4)
        total = sum(n for _l, n, _c in self.groups)
        if total:
            x = rect.left()
            painter.setClipRect(rect)
            for _label, n, colour in self.groups:
                if not n:
                    continue
                # Any group with hubs stays visible: at least two pixels wide.
                width = max(2.0, rect.width() * n / total)
                painter.setBrush(QColor(colour))
                painter.drawRect(QRectF(x, rect.top(), width, rect.height()))
                x += width
        painter.end()


class ProgressChart(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    """A release's hubs not started, in flight, activated and failed over time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="#ffffff",
                         axisItems={"bottom": LondonTimeAxis(orientation="bottom"),
                                    "left": CountAxis(orientation="left")})
        self.setObjectName("progressChart")
        plot = quiet_plot(self)
        plot.getAxis("left").setWidth(60)
        self.curves = {label: plot.plot([], [], pen=pg.mkPen(colour, width=2)) for label, _s, colour in CHARTED}
        self.now_line = pg.InfiniteLine(angle=90, movable=False,
                                        pen=pg.mkPen("#8a94a0", width=1, style=Qt.PenStyle.DashLine))
        self.now_line.hide()
        plot.addItem(self.now_line)
        self.shown: tuple[object, ...] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(190)

    def has_progress(self, samples: Samples) -> bool:
        """Whether any hub of SAMPLES has started: else the chart would be three flat lines."""
        states = {s for _label, group, _colour in CHARTED for s in group}
        return any(counts.get(s, 0) for _at, counts in samples for s in states)

    def show_samples(self, samples: Samples, now: datetime | None) -> None:
        """Draw SAMPLES (time, hubs per state), each held to the next and the last to NOW.

        Redrawn only when they changed: the living clock refreshes the dashboard often."""
        key = (tuple((at, tuple(sorted(c.items()))) for at, c in samples), now)
        if key == self.shown:
            return
        self.shown = key
        top, first, last = 0.0, None, None
        for label, states, _colour in CHARTED:
            xs, ys = steps(samples, states, now)
            self.curves[label].setData(xs, ys)
            if xs:
                top = max(top, *ys)
                first = xs[0] if first is None else min(first, xs[0])
                last = xs[-1] if last is None else max(last, xs[-1])
        if first is None or last is None:
            self.now_line.hide()
            return
        if now is not None:
            self.now_line.setValue(now.timestamp())
            self.now_line.show()
        plot = self.getPlotItem()
        span = max(last - first, 6 * HOUR)
        plot.setXRange(first, first + span, padding=0.02)
        plot.setYRange(0, max(top, 1.0) * 1.08, padding=0)
