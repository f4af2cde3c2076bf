"""The selected batch's details: its facts, its hubs per state as bars, its failures by reason.

Drawing it never counts hubs: BatchInfo comes from the engine's maintained tallies.
An overdue batch says so in its own words, with the time its work fell due.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from chconsole.core.engine.dto import BatchInfo
from chconsole.core.vocabulary.london import show
from chconsole.ui.batches.models import BATCH_STATES, HUB_STATES
from chconsole.ui.common.charts import CategoryAxis, CountAxis, quiet_plot
from chconsole.ui.common.sections import Section
from chconsole.ui.common.widgets import details_heading, facts_grid, make_table, section_label
from chconsole.ui.common.words import reason_title

FACTS = ("Kind", "Activation", "Distribution from", "Hubs", "Source", "Created", "Overdue")
BADGE = {"PLANNED": ("#eceff3", "#4a5663"), "RUNNING": ("#dde9f7", "#1f4e79"), "OVERDUE": ("#fbe3e1", "#a0271f"),
         "DONE": ("#dcf0e3", "#1e6b3c"), "CANCELLED": ("#eceff3", "#6b7682")}
PANE_STYLE = "QScrollArea#batchDetails { background: #ffffff; border: none; }"


def shown_states(counts: Mapping[str, int]) -> list[tuple[str, str, str]]:
    """The hub states worth a bar: those with hubs, and always Activated and Failed."""
    return [(s, t, c) for s, t, c in HUB_STATES if counts.get(s) or s in ("ACTIVATED", "FAILED")]


class BatchStateChart(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    """Horizontal bars: the batch's hubs in each state, the count written beside each bar."""

    ROW = 24

    def __init__(self, parent: QWidget | None = None) -> None:
        self.states_axis = CategoryAxis(orientation="left")
        super().__init__(parent, background="#ffffff",
                         axisItems={"left": self.states_axis, "bottom": CountAxis(orientation="bottom")})
        self.setObjectName("batchStateChart")
        plot = quiet_plot(self, grid_y=False, alpha=0.15)
        plot.getAxis("left").setWidth(140)  # "Held at the pilot gate" must fit, or it is dropped
        plot.invertY(True)  # the first state at the top, as hubs move on downwards
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.values: dict[str, int] = {}

    def show_counts(self, counts: Mapping[str, int]) -> None:
        plot = self.getPlotItem()
        plot.clear()
        states = shown_states(counts)
        self.values = {title: counts.get(s, 0) for s, title, _c in states}
        self.states_axis.names = [title for _s, title, _c in states]
        ys = list(range(len(states)))
        widths = [float(counts.get(s, 0)) for s, _t, _c in states]
        plot.addItem(pg.BarGraphItem(x0=[0.0] * len(states), y=ys, width=widths, height=0.62,
                                     brushes=[pg.mkBrush(c) for _s, _t, c in states], pen=pg.mkPen(None)))
        widest = max(widths, default=0.0) or 1.0
        for y, width in zip(ys, widths, strict=True):
            label = pg.TextItem(f"{int(width):,}", color="#2c3744", anchor=(0, 0.5))
            label.setPos(width + widest * 0.01, y)
            plot.addItem(label)
        plot.setYRange(-0.6, len(states) - 0.4, padding=0)
        plot.setXRange(0, widest * 1.18, padding=0)  # room for the last count's label
        self.setFixedHeight(44 + self.ROW * len(states))


class BatchDetails(QScrollArea):
    """Scrollable details of one batch; show_batch() fills it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchDetails")
        self.setStyleSheet(PANE_STYLE)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.batch: BatchInfo | None = None
        body = QWidget()
        body.setObjectName("detailsBody")
        self.setWidget(body)
        head, self.heading, self.badge = details_heading("No batch chosen")
        self.grid, self.facts, self.captions = facts_grid(FACTS)
        self.overdue_note = QLabel()
        self.overdue_note.setObjectName("formError")
        self.overdue_note.setWordWrap(True)
        self.chart = BatchStateChart()
        self.later_note = QLabel()
        self.later_note.setObjectName("hint")
        self.later_note.setWordWrap(True)
        self.failures = Section("Failures by reason", make_table(("Reason", "Hubs"), stretch=0, numeric=(1,)),
                                "No hub of this batch has failed.", max_rows=8)
        facts = QVBoxLayout()
        facts.addLayout(self.grid)
        facts.addStretch(1)
        progress = QVBoxLayout()
        progress.setSpacing(6)
        progress.addWidget(section_label("Hubs by state"))
        progress.addWidget(self.chart)
        progress.addWidget(self.later_note)
        progress.addStretch(1)
        failures = QVBoxLayout()
        failures.addWidget(self.failures)
        failures.addStretch(1)
        columns = QHBoxLayout()
        columns.setSpacing(28)
        columns.addLayout(facts, 5)
        columns.addLayout(progress, 4)
        columns.addLayout(failures, 3)
        self.content = QWidget()
        box = QVBoxLayout(self.content)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(10)
        box.addWidget(self.overdue_note)
        box.addLayout(columns)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(20, 14, 20, 18)
        outer.setSpacing(10)
        outer.addLayout(head)
        outer.addWidget(self.content)
        outer.addStretch(1)
        self.show_nothing("Choose a batch to see its progress.")

    def show_nothing(self, text: str) -> None:
        self.batch = None
        self.heading.setText(text)
        self.badge.hide()
        self.content.hide()

    def show_batch(self, b: BatchInfo, waiting: int | None = None) -> None:
        """WAITING: hubs the DCC deployment date's batch will take when its distribution begins."""
        self.batch = b
        self.content.show()
        self.heading.setText(f"Batch {b.id} \u00b7 {b.name}")
        self.badge.setText(BATCH_STATES.get(b.state, b.state))
        bg, fg = BADGE.get(b.state, BADGE["PLANNED"])
        self.badge.setStyleSheet(f"background: {bg}; color: {fg};")
        self.badge.show()
        later = b.kind == "deployment_date" and not b.hubs
        values = {
            "Kind": f"{b.kind_title}, release {b.release_id}",
            "Activation": show(b.activate_at),
            "Distribution from": show(b.distribute_from),
            "Hubs": (f"none yet ({waiting:,} safe-launch hubs wait for this date)" if later and waiting
                     else "none yet" if later else f"{b.hubs:,} ({b.open:,} not finished)"),
            "Source": b.source,
            "Created": f"{show(b.created_at)} by {b.created_by}",
            # An overdue batch says so above; one run late on DCC's say-so keeps the record here.
            "Overdue": (f"was due at {show(b.overdue_since)}; run late on DCC's say-so"
                        if b.overdue_since and b.state != "OVERDUE" else ""),
        }
        for name, text in values.items():
            self.facts[name].setText(text)
            shown = bool(text)
            self.facts[name].setVisible(shown)
            self.captions[name].setVisible(shown)
        self.overdue_note.setVisible(b.state == "OVERDUE")
        if b.state == "OVERDUE":
            due = show(b.overdue_since) if b.overdue_since else "its time"
            self.overdue_note.setText(
                f"<b>Overdue:</b> {b.open:,} hubs were due at {due} while the console and the scheduler were "
                "down. They are not run late on their own: run the batch now, or re-plan it.")
        self.chart.show_counts(b.counts)
        self.later_note.setVisible(later)
        self.later_note.setText("Every safe-launch hub without an earlier time (no DCC batch, no supplier "
                                f"instruction) joins this batch on {show(b.distribute_from)}, when its "
                                "distribution begins.")
        self.failures.fill(((reason_title(r), n)
                            for r, n in sorted(b.failures.items(), key=lambda kv: -kv[1])), numeric=(1,))
