"""The pilot details pane: facts, progress chart, hubs per supplier, failures, what was said.

Drawing it never counts hubs: PilotInfo comes from maintained tallies and small lists.
Each table is refilled only when its rows changed, so the living demo clock (a refresh a
second) leaves selections and scroll positions where the person put them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.dto import KIND_TITLES, PilotInfo
from chconsole.core.vocabulary.london import show
from chconsole.ui.common.sections import Section
from chconsole.ui.common.widgets import (
    LEFT,
    RIGHT,
    details_heading,
    facts_grid,
    make_table,
    section_label,
)
from chconsole.ui.common.words import party_title, reason_title, state_title
from chconsole.ui.pilots.chart import PilotChart, legend_html

HUB_ORDER = ("SCHEDULED", "DISTRIBUTING", "DISTRIBUTED", "ACTIVATION_PENDING", "ACTIVATED", "FAILED",
             "CANCELLED", "EXCLUDED")
PILOT_STATES = {"NONE": "No nominations yet", "NOMINATING": "Taking nominations", "RUNNING": "Running",
                "CONCLUDED": "Concluded"}
BADGE = {"NONE": ("#eceff3", "#4a5663"), "NOMINATING": ("#fff1d6", "#8a5a00"), "RUNNING": ("#dde9f7", "#1f4e79"),
         "proceed": ("#dcf0e3", "#1e6b3c"), "stop": ("#fbe3e1", "#a0271f")}
FACTS = ("Pilot state", "Release state", "Pilot hubs", "Started", "Activation", "Finished", "Decision",
         "Commentary")
PANE_STYLE = ("QScrollArea#pilotDetails { background: #ffffff; border: 1px solid #d9dee5; border-radius: 6px; }"
              "QFrame#assumptions { background: #fff8e6; border: 1px solid #edd49a; border-radius: 6px; }"
              "QFrame#assumptions QLabel { background: transparent; }"
              "QLabel#assumptionsTitle { font-weight: 600; color: #7a4f00; }"
              "QLabel#assumedTag { color: #9a6400; font-style: italic; }")


def hub_columns(v: PilotInfo) -> list[str]:
    """The hub states worth a column: those with hubs, and always Activated and Failed."""
    present = set(v.counts) | {s for row in v.suppliers for s in row.states} | {"ACTIVATED", "FAILED"}
    return [s for s in HUB_ORDER if s in present] + sorted(present - set(HUB_ORDER))


class AssumptionsBox(QFrame):
    """The simulated network's figures, each marked as the assumption it is (DOMAIN: failure rates)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("assumptions")
        self.setFixedWidth(450)
        self.title = QLabel("Simulated network figures \u2014 assumptions")
        self.title.setObjectName("assumptionsTitle")
        note = QLabel("No CSP publishes these rates or capacities. The simulated network runs on them; "
                      "they are assumptions, not measurements.")
        note.setWordWrap(True)
        note.setObjectName("hint")
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(3)
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 10, 14, 12)
        box.setSpacing(6)
        box.addWidget(self.title)
        box.addWidget(note)
        box.addLayout(self.grid)
        self.shown: tuple[object, ...] = ()

    def show_figures(self, figures: Sequence[object]) -> None:
        if tuple(figures) == self.shown:
            return
        self.shown = tuple(figures)
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        for row, f in enumerate(figures):
            name, value = QLabel(str(getattr(f, "name", ""))), QLabel(str(getattr(f, "value", "")))
            name.setWordWrap(True)
            value.setAlignment(RIGHT)
            tag = QLabel("assumed" if getattr(f, "assumed", False) else "setting")
            tag.setObjectName("assumedTag")
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(value, row, 1)
            self.grid.addWidget(tag, row, 2)
        self.grid.setColumnStretch(0, 1)


class PilotDetails(QScrollArea):
    """Scrollable details of one release's pilot; show_pilot() fills it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pilotDetails")
        self.setStyleSheet(PANE_STYLE)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.names: Mapping[str, str] = {}
        body = QWidget()
        body.setObjectName("detailsBody")
        self.setWidget(body)
        head, self.heading, self.badge = details_heading("Reading the pilot\u2026")
        self.grid, self.facts, self.captions = facts_grid(FACTS)

        self.chart = PilotChart()
        self.chart_empty = QLabel("The chart starts when the pilot starts.")
        self.chart_empty.setObjectName("hint")
        chart_title = QHBoxLayout()
        chart_title.addWidget(section_label("Pilot hubs over time (London time)"))
        chart_title.addStretch(1)
        key = QLabel(legend_html())
        key.setTextFormat(Qt.TextFormat.RichText)
        chart_title.addWidget(key)
        chart_column = QVBoxLayout()
        chart_column.setSpacing(6)
        chart_column.addLayout(chart_title)
        chart_column.addWidget(self.chart)
        chart_column.addWidget(self.chart_empty)
        chart_column.addStretch(1)
        top = QHBoxLayout()
        top.setSpacing(28)
        top.addLayout(self.grid, 4)
        top.addLayout(chart_column, 5)

        self.suppliers = Section("Pilot hubs per supplier and state", make_table(("Supplier",)),
                                 "No supplier has nominated a hub yet.", max_rows=25)
        self.split_note = QLabel("A split-supply hub counts for both of its suppliers; the last row "
                                 "counts each pilot hub once.")
        self.split_note.setObjectName("hint")
        self.split_note.setWordWrap(True)
        self.assumptions = AssumptionsBox()
        # The counts beside the figures the simulated network draws them from.
        counts_row = QHBoxLayout()
        counts_row.setSpacing(28)
        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(self.suppliers)
        left.addWidget(self.split_note)
        left.addStretch(1)
        counts_row.addLayout(left, 1)
        right = QVBoxLayout()
        right.addSpacing(8)
        right.addWidget(self.assumptions)
        right.addStretch(1)
        counts_row.addLayout(right, 0)
        self.failures = Section("Failed pilot hubs", make_table(
            ("GUID", "CSP region", "Reason", "Suppliers", "Failed at"), stretch=3), "No pilot hub has failed.")
        self.comments = Section("DCC commentary", make_table(("Time", "By", "About", "Commentary"), stretch=3),
                                "No commentary yet.", max_rows=8)
        self.notices = Section("Notices sent for the pilot", make_table(
            ("Time", "Kind", "To", "Subject"), stretch=3), "No pilot notice has been sent yet.")
        self.nominations = Section("Nominations received", make_table(
            ("Received", "Supplier", "How", "Listed", "Joined", "Waited", "Refused"), stretch=2,
            numeric=(3, 4, 5, 6)), "No nomination received yet.")

        self.content = QWidget()
        box = QVBoxLayout(self.content)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(12)
        box.addLayout(top)
        box.addLayout(counts_row)
        for section in (self.failures, self.comments, self.notices, self.nominations):
            box.addWidget(section)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(22, 16, 22, 22)
        outer.setSpacing(12)
        outer.addLayout(head)
        outer.addWidget(self.content)
        outer.addStretch(1)
        self.content.hide()

    def _party(self, party: str) -> str:
        return party_title(party, self.names)

    def show_nothing(self, text: str) -> None:
        self.heading.setText(text)
        self.badge.hide()
        self.content.hide()

    def show_pilot(self, v: PilotInfo, now: datetime | None) -> None:
        self.content.show()
        self.heading.setText(f"Pilot of release {v.release_id} \u00b7 {v.model} \u2192 {v.to_version}")
        badge = v.decision if v.state == "CONCLUDED" and v.decision else v.state
        title = PILOT_STATES.get(v.state, v.state)
        self.badge.setText(f"{title}: {v.decision}" if v.state == "CONCLUDED" and v.decision else title)
        bg, fg = BADGE.get(badge or "", BADGE["NONE"])
        self.badge.setStyleSheet(f"background: {bg}; color: {fg};")
        self.badge.show()
        self._facts(v)
        self.chart.setVisible(bool(v.samples))
        self.chart_empty.setVisible(not v.samples)
        # The engine samples as the clock ticks; a change since (a conclusion) shows from now.
        samples = list(v.samples)
        if samples and now is not None and now > samples[-1][0] and samples[-1][1] != v.counts:
            samples.append((now, dict(v.counts)))
        self.chart.show_samples(samples, now, v.started_at)
        self._suppliers(v)
        self.assumptions.setVisible(bool(v.assumptions))
        self.assumptions.show_figures(v.assumptions)
        self.failures.title.setText(f"Failed pilot hubs ({len(v.failures):,}"
                                    + (", the first shown)" if len(v.failures) >= 2000 else ")"))
        self.failures.fill((f.guid, f.region, reason_title(f.reason), f.suppliers, show(f.at))
                           for f in v.failures)
        self.comments.fill((show(c.at), c.by, c.guid or "the whole pilot", c.text) for c in v.comments)
        self.notices.fill((show(n.created_at), KIND_TITLES.get(n.kind, n.kind), n.recipient, n.subject)
                          for n in v.notices)
        self.nominations.fill(((show(n.received_at), self._party(n.supplier), n.source, n.submitted, n.joined,
                                n.awaiting, n.refused) for n in v.nominations), numeric=(3, 4, 5, 6))

    def _facts(self, v: PilotInfo) -> None:
        activation = (show(v.activate_at) if v.activate_at else "as soon as each hub holds the image")
        decision = commentary = ""
        if v.concluded_at:
            decision = f"{(v.decision or '').capitalize()}, {show(v.concluded_at)} by {v.concluded_by}"
            commentary = v.commentary or ""
        hubs = f"{v.hubs:,} (at most {v.cap:,} per supplier)"
        if v.awaiting:
            hubs += f"; {v.awaiting:,} more wait for their other supplier"
        if v.held:
            hubs += f"; {v.held:,} safe-launch hubs held at the gate"
        values = {
            "Pilot state": PILOT_STATES.get(v.state, v.state),
            "Release state": state_title(v.release_state),
            "Pilot hubs": hubs,
            "Started": f"{show(v.started_at)} by {v.started_by}" if v.started_at else "not yet",
            "Activation": activation if v.started_at else "set when the pilot starts",
            "Finished": (show(v.finished_at) + (", awaiting DCC's conclusion" if not v.concluded_at else "")
                         if v.finished_at else ""),
            "Decision": decision or "not concluded yet",
            "Commentary": commentary,
        }
        for name, text in values.items():
            self.facts[name].setText(text)
            shown = bool(text) or name not in ("Finished", "Commentary")
            self.facts[name].setVisible(shown)
            self.captions[name].setVisible(shown)

    def _suppliers(self, v: PilotInfo) -> None:
        states = hub_columns(v)
        waiting = any(s.awaiting for s in v.suppliers)
        headers = ["Supplier", *(state_title(s) for s in states), *(["Waiting for other supplier"] if waiting
                                                                     else []), "Total"]
        table = self.suppliers.table
        if [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())] != headers:
            table.setColumnCount(len(headers))
            for c, text in enumerate(headers):
                item = QTableWidgetItem(text)
                item.setTextAlignment(LEFT if c == 0 else RIGHT)
                table.setHorizontalHeaderItem(c, item)
            header = table.horizontalHeader()
            header.setStretchLastSection(False)
            header.setMinimumSectionSize(76)
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            self.suppliers.rows = None
        rows: list[tuple[str | int | None, ...]] = [
            (self._party(s.party), *(s.states.get(k, 0) for k in states), *([s.awaiting] if waiting else []),
             s.total + s.awaiting)
            for s in sorted(v.suppliers, key=lambda s: (-s.total - s.awaiting, s.party))]
        if rows:
            rows.append(("All pilot hubs", *(v.counts.get(k, 0) for k in states), *([v.awaiting] if waiting
                                                                                     else []), v.hubs + v.awaiting))
        self.suppliers.fill(rows, numeric=range(1, len(headers)))
        last = table.rowCount() - 1
        if rows and table.item(last, 0) is not None:
            font = table.item(last, 0).font()
            font.setBold(True)
            for c in range(table.columnCount()):
                table.item(last, c).setFont(font)
        self.split_note.setVisible(bool(rows))
