"""The new batch form's preview: what the batch would take, counted by the engine.

Hubs, per supplier and per CSP region, and for a GUID file the GUIDs refused with their
reasons. The tables keep room for five rows from the start, so the form does not jump
when the count arrives.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from chconsole.core.engine.dto import REASON_TEXT, BatchPlan
from chconsole.ui.common import widgets
from chconsole.ui.common.dialogs import label
from chconsole.ui.common.words import party_title


class PlanPreview(QFrame):
    """What the batch would take: hubs, per supplier, per region, and refused GUIDs."""

    def __init__(self, names: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.names = names
        self.summary = label("")
        self.suppliers = widgets.make_table(("Supplier", "Hubs"), stretch=0, numeric=(1,))
        self.suppliers.setObjectName("previewSuppliers")
        self.regions = widgets.make_table(("CSP region", "Hubs"), stretch=0, numeric=(1,))
        self.regions.setObjectName("previewRegions")
        self.refused = widgets.make_table(("Line", "GUID", "Why refused"), stretch=2, numeric=(0,))
        self.refused.setObjectName("previewRefused")
        tables = QHBoxLayout()
        tables.setSpacing(14)
        tables.addWidget(self.suppliers, 3)
        tables.addWidget(self.regions, 2)
        self.tables = QWidget()
        self.tables.setLayout(tables)
        tables.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Preview")
        title.setObjectName("cardTitle")
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 10, 14, 12)
        box.setSpacing(8)
        box.addWidget(title)
        box.addWidget(self.summary)
        box.addWidget(self.tables)
        box.addWidget(self.refused)
        for table in (self.suppliers, self.regions):
            # Room for five rows from the start, so the form does not jump when the count arrives.
            height = table.horizontalHeader().sizeHint().height() + 5 * table.verticalHeader().defaultSectionSize()
            table.setFixedHeight(height + 2 * table.frameWidth() + 2)
        self.waiting("")

    def waiting(self, text: str, error: bool = False) -> None:
        self.summary.setText(f'<span style="color:#b3261e">{text}</span>' if error else text)
        for table in (self.suppliers, self.regions, self.refused):
            table.setRowCount(0)
        self.refused.hide()

    def counting(self) -> None:
        self.waiting("Counting the hubs this batch would take\u2026")

    def show_plan(self, plan: BatchPlan) -> None:
        parties = sorted(plan.suppliers.items(), key=lambda p: (-p[1], p[0]))
        refused = f", <b>{len(plan.refused):,} GUIDs refused</b>" if plan.refused else ""
        self.summary.setText(
            f"The batch would take <b>{plan.hubs:,} hubs</b> of <b>{len(parties)} suppliers</b> in "
            f"{len(plan.regions)} CSP region{'s' if len(plan.regions) != 1 else ''}{refused}. "
            + ("Each of these suppliers is sent its own list." if plan.hubs else
               "No free hub matches: nothing to schedule."))
        widgets.fill_table(self.suppliers, ((self._party(p), n) for p, n in parties), numeric=(1,))
        regions = sorted(plan.regions.items(), key=lambda r: (-r[1], r[0]))
        widgets.fill_table(self.regions, regions, numeric=(1,))
        widgets.fill_table(self.refused, ((x.line, x.guid or "(blank)",
                                           f"{x.reason.value}: {REASON_TEXT.get(x.reason, '')}")
                                          for x in plan.refused), numeric=(0,))
        widgets.fit_height(self.refused, max_rows=6)
        self.refused.setVisible(bool(plan.refused))

    def _party(self, party: str) -> str:
        return party_title(party, self.names)
