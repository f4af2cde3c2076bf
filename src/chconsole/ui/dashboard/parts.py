"""The dashboard's parts: a release's card, another actor's next-date tile, and a small
table as tall as its rows (the dashboard scrolls as a whole, never inside its parts)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.dto import SUPPLIER, Dashboard, NextDate, ReleaseCard
from chconsole.core.vocabulary.london import show
from chconsole.ui.common.rows_model import RowsModel
from chconsole.ui.common.widgets import details_heading, facts_grid, section_label
from chconsole.ui.common.words import state_title
from chconsole.ui.dashboard.charts import ProgressChart, StateBar, grouped, legend_html

BADGE = {"NOTIFIED": ("#dde9f7", "#1f4e79"), "PILOT_RUNNING": ("#dde9f7", "#1f4e79"),
         "PILOT_CONCLUDED": ("#dcf0e3", "#1e6b3c"), "DEPLOYING": ("#dcf0e3", "#1e6b3c"),
         "PAUSED": ("#fff1d6", "#8a5a00"), "SUSPENDED": ("#fbe3e1", "#a0271f")}


class FitTable(QTableView):
    """A small table as tall as its rows (wrapped text included): no scrolling inside a scroll."""

    def __init__(self, model: RowsModel, name: str, stretch: int) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setModel(model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        model.modelReset.connect(self.fit)

    def fit(self) -> None:
        self.resizeRowsToContents()
        rows = sum(self.rowHeight(r) for r in range(self.model().rowCount()))
        self.setFixedHeight(self.horizontalHeader().height() + rows + 2 * self.frameWidth() + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():  # wrapping changed with the width
            self.fit()


class Listing(QWidget):
    """A titled table that says so in words when it is empty."""

    def __init__(self, title: str, table: FitTable) -> None:
        super().__init__()
        self.table = table
        self.title = section_label(title)
        self.empty = QLabel()
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        box.addWidget(self.title)
        box.addWidget(self.empty)
        box.addWidget(table)
        box.addStretch(1)

    def show_state(self, title: str, rows: int, empty: str) -> None:
        self.title.setText(title)
        self.empty.setText(empty)
        self.empty.setVisible(rows == 0)
        self.table.setVisible(rows > 0)
        self.table.fit()


class OtherTile(QFrame):
    """When one other actor (or kind of actor) next has something due."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("otherTile")
        self.actor = QLabel()
        self.actor.setObjectName("tileActor")
        self.date = QLabel()
        self.date.setObjectName("tileDate")
        self.left = QLabel()
        self.left.setObjectName("tileLeft")
        self.what = QLabel()
        self.what.setObjectName("hint")
        self.what.setWordWrap(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 10, 14, 12)
        box.setSpacing(3)
        for label in (self.actor, self.date, self.left, self.what):
            box.addWidget(label)
        box.addStretch(1)

    def show_date(self, d: NextDate) -> None:
        self.actor.setText(d.actor)
        now = d.due is None and d.left == "under way now"
        self.date.setText(show(d.due) if d.due else "Under way now" if now else "Nothing due")
        self.left.setText(d.left if d.due is not None else "")
        self.left.setVisible(bool(self.left.text()))
        if bool(self.left.property("overdue")) != d.overdue:
            self.left.setProperty("overdue", d.overdue)
            self.left.style().unpolish(self.left)
            self.left.style().polish(self.left)
        nothing = d.due is None and d.release_id is None
        self.what.setText("" if nothing else f"{d.what[0].upper()}{d.what[1:]}")
        self.what.setVisible(not nothing)


class ReleaseCardWidget(QFrame):
    """One upgrade in flight: its dates and pilot, the viewer's hubs by state, its progress."""

    FACTS = ("DCC deployment date", "Instruction cut-off", "Pilot", "Next activation", "Failure guard",
             "Your instructions")

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("dashboardCard")
        row, self.heading, self.badge = details_heading("")
        grid, self.values, self.captions = facts_grid(self.FACTS)
        grid.setRowStretch(len(self.FACTS), 0)
        self.scope = QLabel()
        self.scope.setObjectName("cardScope")
        self.bar = StateBar()
        self.key = QLabel()
        self.key.setWordWrap(True)
        left = QVBoxLayout()
        left.setSpacing(8)
        left.addLayout(grid)
        left.addSpacing(4)
        left.addWidget(self.scope)
        left.addWidget(self.bar)
        left.addWidget(self.key)
        left.addStretch(1)
        self.chart_title = QLabel("The whole release over time")
        self.chart_title.setToolTip("Every hub of the release, whoever's it is: in flight, activated and failed. "
                                    "Hubs not started yet are in the bar on the left.")
        self.chart_title.setObjectName("caption")
        self.chart_key = QLabel(legend_html())
        self.chart = ProgressChart()
        self.chart_empty = QLabel("No hub of this release has started yet: the chart begins with the first.")
        self.chart_empty.setObjectName("hint")
        right = QVBoxLayout()
        right.setSpacing(4)
        heading_row = QHBoxLayout()
        heading_row.addWidget(self.chart_title)
        heading_row.addStretch(1)
        heading_row.addWidget(self.chart_key)
        right.addLayout(heading_row)
        right.addWidget(self.chart)
        right.addWidget(self.chart_empty)
        right.addStretch(1)
        body = QHBoxLayout()
        body.setSpacing(24)
        holder = QWidget()
        holder.setLayout(left)
        holder.setFixedWidth(460)
        body.addWidget(holder)
        body.addLayout(right, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 14)
        box.setSpacing(10)
        box.addLayout(row)
        box.addLayout(body)

    def show_card(self, c: ReleaseCard, board: Dashboard) -> None:
        self.heading.setText(f"Release {c.id} \u00b7 {c.title}")
        self.badge.setText(state_title(c.state))
        bg, fg = BADGE.get(c.state, ("#e6e9ee", "#3d4a57"))
        self.badge.setStyleSheet(f"background: {bg}; color: {fg};")
        supplier = board.viewer.kind == SUPPLIER
        facts = {
            "DCC deployment date": show(c.deployment_date) or "\u2013",
            "Instruction cut-off": show(c.cut_off) or "\u2013",
            "Pilot": c.pilot,
            "Next activation": show(c.next_activation) or ("none instructed: DCC's dates apply" if supplier
                                                            else "none planned"),
            "Failure guard": c.guard[:1].upper() + c.guard[1:],
            "Your instructions": c.instructions,
        }
        for name, value in facts.items():
            shown = name != "Your instructions" or supplier
            self.values[name].setText(value)
            self.values[name].setVisible(shown)
            self.captions[name].setVisible(shown)
        self.captions["Next activation"].setText("Next time you instructed" if supplier else "Next activation")
        self.scope.setText(f"{c.scope[0].upper()}{c.scope[1:]}: {c.hubs:,}")
        self.bar.show_counts(c.counts)
        self.key.setText(legend_html(grouped(c.counts)))
        started = self.chart.has_progress(c.progress)
        self.chart.setVisible(started)
        self.chart_key.setVisible(started)
        self.chart_empty.setVisible(not started)
        if started:
            self.chart.show_samples(c.progress, board.now)
