"""The release details pane: every fact of a ReleaseInfo, its counts and its note history.

Times are London time (london.show); counts come from the engine's maintained tallies,
so drawing this pane never counts hubs.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.dto import GuardInfo, ReleaseInfo
from chconsole.core.vocabulary.london import show
from chconsole.core.vocabulary.smi import CSP_OF_REGION
from chconsole.ui.common.widgets import (
    details_heading,
    facts_grid,
    fill_table,
    fit_height,
    make_table,
    number,
    section_label,
)
from chconsole.ui.common.words import party_title, state_title
from chconsole.ui.releases.chart import SupplierChart, legend_html

GUARD = "system"  # who halted a release its failure guard paused


class ReleaseDetails(QScrollArea):
    """Scrollable details of one release; show_release() fills it."""

    FACTS = ("State", "Release type", "Severity", "Priority", "Manufacturer", "Eligible hubs",
             "Created", "Notified", "DCC deployment date", "Instruction cut-off",
             "Release note", "Target image SHA-256", "Failure guard", "Halted", "Revoked")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("releaseDetails")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        # Content wraps to the pane's width; sideways scrolling hides facts a person must see.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.release: ReleaseInfo | None = None
        self.names: dict[str, str] = {}  # supplier party id -> name
        body = QWidget()
        body.setObjectName("detailsBody")
        self.setWidget(body)

        head, self.heading, self.badge = details_heading("Select a release")
        self.subheading = QLabel()
        self.subheading.setObjectName("viewSubtitle")

        self.grid, self.facts, self.fact_labels = facts_grid(self.FACTS)
        self.facts["Target image SHA-256"].setObjectName("hashValue")

        self.not_notified = QLabel(
            "Not notified yet: the eligible hubs are counted, and the suppliers and CSPs "
            "told, when the release is notified.")
        self.not_notified.setObjectName("hint")
        self.not_notified.setWordWrap(True)
        self.chart = SupplierChart()
        self.suppliers = make_table(("Supplier", "Import only", "Gas only", "Both", "Split supply", "Total"),
                                    stretch=0, numeric=(1, 2, 3, 4, 5))
        self.regions = make_table(("CSP region", "CSP", "Hubs"), stretch=0, numeric=(2,))
        self.states = make_table(("Hub state", "Hubs"), stretch=0, numeric=(1,))
        self.history = make_table(("Changed", "By", "Release note"))

        # Facts beside the chart, then the supplier table beside the region and state tables:
        # the pane is wide and short, so it reads across rather than down.
        top = QHBoxLayout()
        top.setSpacing(28)
        top.addLayout(self.grid, 5)
        chart_column = QVBoxLayout()
        chart_column.setSpacing(6)
        self.chart_title = section_label("Eligible hubs per supplier")
        self.chart_key = QLabel(legend_html())
        self.chart_key.setTextFormat(Qt.TextFormat.RichText)
        title_row = QHBoxLayout()
        title_row.addWidget(self.chart_title)
        title_row.addStretch(1)
        title_row.addWidget(self.chart_key)
        chart_column.addLayout(title_row)
        chart_column.addWidget(self.chart)
        chart_column.addWidget(self.not_notified)
        chart_column.addStretch(1)
        top.addLayout(chart_column, 4)

        self.counts_box = QWidget()
        counts = QHBoxLayout(self.counts_box)
        counts.setContentsMargins(0, 0, 0, 0)
        counts.setSpacing(28)
        left = QVBoxLayout()
        left.setSpacing(8)
        left.addWidget(section_label("Eligible hubs per supplier and role"))
        left.addWidget(self.suppliers)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(8)
        right.addWidget(section_label("Per CSP region"))
        right.addWidget(self.regions)
        right.addSpacing(8)
        right.addWidget(section_label("Per hub state"))
        right.addWidget(self.states)
        right.addStretch(1)
        counts.addLayout(left, 3)
        counts.addLayout(right, 2)

        self.content = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(22, 16, 22, 22)
        outer.setSpacing(10)
        outer.addLayout(head)
        outer.addWidget(self.content)
        outer.addStretch(1)
        box = QVBoxLayout(self.content)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(10)
        box.addWidget(self.subheading)
        box.addSpacing(4)
        box.addLayout(top)
        box.addSpacing(10)
        box.addWidget(self.counts_box)
        box.addSpacing(6)
        box.addWidget(section_label("Release note history"))
        box.addWidget(self.history)
        self.show_release(None)

    def _party(self, party: str) -> str:
        return party_title(party, self.names)

    def show_release(self, v: ReleaseInfo | None) -> None:
        self.release = v
        self.content.setVisible(v is not None)
        self.badge.setVisible(v is not None)
        if v is None:
            self.heading.setText("Select a release to see its details")
            return
        self.heading.setText(f"Release {v.id} \u00b7 {v.model}")
        self.badge.setText(state_title(v.state))
        self.badge.setProperty("state", v.state)
        self.badge.style().unpolish(self.badge)
        self.badge.style().polish(self.badge)
        self.subheading.setText(f"Firmware {', '.join(v.from_versions)} \u2192 {v.to_version} \u00b7 {v.type_title}")
        date_note = " (set by DCC)" if v.deployment_date_set else " (notice + 6 months)"
        values = {
            "State": state_title(v.state),
            "Release type": v.type_title,
            "Severity": v.severity,
            "Priority": v.priority,
            "Manufacturer": v.manufacturer or "\u2013",
            "Eligible hubs": number(v.eligible) if v.notified_at else "counted at notice",
            "Created": f"{show(v.created_at)} by {v.created_by}",
            "Notified": show(v.notified_at) or "not yet",
            "DCC deployment date": (show(v.deployment_date) + date_note) if v.deployment_date
            else "notice + 6 months (set when notified)",
            "Instruction cut-off": show(v.cut_off) or "one month before the DCC date",
            "Release note": v.release_note,
            # A SHA-256 has no break points: two lines of 32 so it never widens the pane.
            "Target image SHA-256": f"{v.image_hash[:32]}\n{v.image_hash[32:]}",
            "Failure guard": guard_words(v),
            "Halted": halted_words(v),
            "Revoked": f"{show(v.revoked_at)}: {v.revoke_reason}" if v.revoked_at else "",
        }
        for name, text in values.items():
            self.facts[name].setText(text)
        for name in ("Halted", "Revoked"):
            self.facts[name].setVisible(bool(values[name]))
            self.fact_labels[name].setVisible(bool(values[name]))
        notified = v.notified_at is not None
        self.not_notified.setVisible(not notified)
        self.counts_box.setVisible(notified)
        self.chart.setVisible(notified)
        self.chart_key.setVisible(notified)
        if notified:
            self.chart.show_counts(v.suppliers)
            by_total = sorted(v.suppliers, key=lambda c: (-c.total, c.party))
            fill_table(self.suppliers, ((self._party(c.party), c.as_import, c.as_gas, c.as_both, c.split, c.total)
                                        for c in by_total), numeric=(1, 2, 3, 4, 5))
            fill_table(self.regions, ((r, CSP_OF_REGION.get(r, ""), n) for r, n in sorted(v.regions.items())),
                       numeric=(2,))
            fill_table(self.states, ((state_title(s), n) for s, n in sorted(v.counts.items())), numeric=(1,))
            for table in (self.suppliers, self.regions, self.states):
                fit_height(table, max_rows=30)
        fill_table(self.history, ((show(h.changed_at), h.changed_by, h.release_note)
                                  for h in reversed(v.note_history)))
        fit_height(self.history, max_rows=10)

    def show_guard(self, g: GuardInfo) -> None:
        """Add the failure guard's worst scope since the last resume (read apart: it reads the tallies)."""
        if self.release is None or self.release.id != g.release_id:
            return
        worst = ""
        if g.worst_scope and g.worst_finished:
            worst = (f"\nWorst so far: {g.worst_scope}, {g.worst_failed:,} of {g.worst_finished:,} finished hubs "
                     f"failed ({100 * g.worst_failed / g.worst_finished:.1f}%)"
                     + (", too few finished hubs for the guard to act on." if g.worst_finished < g.min_finished
                        else "."))
        self.facts["Failure guard"].setText(guard_words(self.release) + worst)


def guard_words(v: ReleaseInfo) -> str:
    """The failure guard (R6): when the release pauses on its own."""
    return (f"Pauses on its own when failures exceed {v.guard_max_failure_pct:g}% of at least "
            f"{v.guard_min_finished:,} finished hubs in any batch, CSP region or supplier.")


def halted_words(v: ReleaseInfo) -> str:
    """Who halted the release, and when ('' while it is not halted)."""
    if v.state not in ("SUSPENDED", "PAUSED") or v.halted_at is None:
        return ""
    how = "Suspended by an emergency stop" if v.state == "SUSPENDED" else "Paused"
    who = "its failure guard" if v.halted_by == GUARD else v.halted_by
    return f"{how}: {who}, {show(v.halted_at)}. It resumes after the Panel's decision, by a second DCC user."
