"""A bar chart of a release's eligible hubs per supplier, split by supply role.

Drawn with pyqtgraph (Qt Charts is deprecated and not in PySide6-Essentials). Bars are
stacked: hubs where the supplier is only the Import Supplier, only the Gas Supplier, or
both, so a glance shows who holds most of the release and in which role.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtWidgets import QSizePolicy, QWidget

from chconsole.core.engine.dto import SupplierCount
from chconsole.ui.common.charts import CategoryAxis, CountAxis, quiet_plot

ROLES = (("Import only", "as_import", "#3b6ea5"), ("Gas only", "as_gas", "#e0913a"),
         ("Both", "as_both", "#4f9a8c"))
MAX_BARS = 20  # beyond this the labels would overlap; the table lists everyone


def legend_html() -> str:
    """The colour key, as rich text for a label above the chart (it never covers a bar)."""
    keys = "&nbsp;&nbsp;&nbsp;".join(
        f'<span style="color:{colour}">&#9632;</span>&nbsp;{label}' for label, _attr, colour in ROLES)
    return f'<span style="color:#4a5260">{keys}</span>'


class SupplierChart(pg.PlotWidget):  # type: ignore[misc]
    """Horizontal stacked bars of eligible hubs per supplier, largest at the top.

    Horizontal, so twenty supplier ids never overlap however narrow the pane.
    """

    ROW = 21  # pixels per supplier: below this pyqtgraph drops labels that would touch

    def __init__(self, parent: QWidget | None = None) -> None:
        self.suppliers_axis = CategoryAxis(orientation="left")
        super().__init__(parent, background="#ffffff",
                         axisItems={"left": self.suppliers_axis, "bottom": CountAxis(orientation="bottom")})
        self.setObjectName("supplierChart")
        plot = quiet_plot(self, grid_y=False, alpha=0.15)
        plot.getAxis("left").setWidth(64)  # narrower and wide ids (UTWH) are silently dropped
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(160)

    def show_counts(self, counts: Sequence[SupplierCount]) -> None:
        plot = self.getPlotItem()
        plot.clear()
        top = sorted(counts, key=lambda c: (c.total, c.party))[-MAX_BARS:]  # largest last = top
        self.suppliers_axis.names = [c.party for c in top]
        ys = list(range(len(top)))
        base = [0.0] * len(top)
        for _label, attr, colour in ROLES:
            widths = [float(getattr(c, attr)) for c in top]
            bars = pg.BarGraphItem(x0=list(base), y=ys, width=widths, height=0.68,
                                   brush=pg.mkBrush(colour), pen=pg.mkPen(None))
            plot.addItem(bars)
            base = [b + w for b, w in zip(base, widths, strict=True)]
        widest = max(base, default=0.0)
        plot.setYRange(-0.6, max(len(top), 1) - 0.4, padding=0)
        plot.setXRange(0, widest * 1.05 if widest else 1, padding=0)
        self.setFixedHeight(70 + self.ROW * max(len(top), 3))
