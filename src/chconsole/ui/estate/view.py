"""The Estate browser: every hub, filtered in SQL, paged as it is painted.

Filters narrow the estate by supplier (either role), device model, firmware, SMI status,
CSP region and GUID (whole or its start). The count line says how many hubs match; the
side panel shows one hub's details.

The list is read again only when the estate itself changed (an import), never on a clock
beat, which would lose the reader's place; the open hub's panel follows its releases.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.changes import Changes
from chconsole.core.engine.dto import EstateFilter, FilterChoices, guid_prefix
from chconsole.core.vocabulary.errors import BadInput
from chconsole.ui.common.empty import EmptyState
from chconsole.ui.common.widgets import ViewHeader, number, record_table
from chconsole.ui.estate.details import HubPanel
from chconsole.ui.estate.model import EstateModel
from chconsole.ui.estate.operations import EstateStatusExport
from chconsole.ui.runtime.changes import concerns_hubs
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.reader import WhenShown
from chconsole.ui.runtime.settings import ESTATE_SPLITTER

SEARCH_DELAY_MS = 350  # search once typing pauses, not on every key
# The widest value each column usually holds: widths are fixed from these, never measured
# over rows (which would be O(rows) or make columns jump while scrolling).
COLUMN_SAMPLES = ("00-DB-12-CD-91-59-24-F3", "TOSHIBA-CHN-300", "0002012F",
                  "InstalledNotCommissioned", "Central", "OCTO", "OCTO")
ROW_HEIGHT = 28


class FilterCombo(QComboBox):
    """A filter choice: "any" first, then values; the value is None for "any"."""

    def __init__(self, any_text: str) -> None:
        super().__init__()
        self.any_text = any_text
        self.setMinimumContentsLength(12)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.addItem(any_text, None)

    def set_choices(self, choices: list[tuple[str, str]]) -> None:
        """Replace the values (text, value), keeping the current one if it is still offered."""
        current = self.value()
        self.blockSignals(True)
        self.clear()
        self.addItem(self.any_text, None)
        for text, value in choices:
            self.addItem(text, value)
        at = self.findData(current) if current is not None else 0
        self.setCurrentIndex(max(at, 0))
        self.blockSignals(False)

    def value(self) -> str | None:
        data = self.currentData()
        return None if data is None else str(data)

    def select(self, value: str | None) -> None:
        at = self.findData(value) if value is not None else 0
        self.setCurrentIndex(max(at, 0))


def _captioned(caption: str, widget: QWidget) -> QWidget:
    box = QWidget()
    col = QVBoxLayout(box)
    col.setContentsMargins(0, 0, 0, 0)
    col.setSpacing(3)
    label = QLabel(caption)
    label.setObjectName("caption")
    col.addWidget(label)
    col.addWidget(widget)
    return box


class EstateView(QWidget):
    """The estate browser view."""

    title = "Estate browser"
    hub_shown = Signal(str)
    import_wanted = Signal()  # the empty estate's button: the window opens the SMI import

    def __init__(self, console: Console, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.console = console
        self.choices: FilterChoices | None = None
        self.model = EstateModel(console)
        self.model.counted.connect(self._on_counted)

        self.supplier = FilterCombo("All suppliers")
        self.device_model = FilterCombo("All models")
        self.firmware = FilterCombo("All versions")
        self.status = FilterCombo("All statuses")
        self.region = FilterCombo("All regions")
        self.search = QLineEdit()
        self.search.setObjectName("guidSearch")
        self.search.setPlaceholderText("e.g. 00-DB-12-34")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.clicked.connect(self.clear_filters)
        self.search_error = QLabel()
        self.search_error.setObjectName("fieldError")
        self.count_label = QLabel("Reading the estate\u2026")
        self.count_label.setObjectName("countLabel")
        self.status_report = EstateStatusExport(console, self)
        self.status_report_button = QPushButton("Estate status report\u2026")
        self.status_report_button.setToolTip("One supplier's whole estate and its firmware status, to Excel")
        self.status_report_button.clicked.connect(lambda: self.status_report.start(self.supplier.value()))

        filters = QHBoxLayout()
        filters.setSpacing(10)
        for caption, widget in (("Supplier", self.supplier), ("Device model", self.device_model),
                                ("Firmware", self.firmware), ("SMI status", self.status),
                                ("CSP region", self.region), ("GUID search", self.search)):
            filters.addWidget(_captioned(caption, widget))
        filters.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignBottom)
        filters.addStretch(1)

        self.table = record_table(self.model, "estateTable", ROW_HEIGHT)
        self.table.setSortingEnabled(False)  # the order is the estate's; sorting would be O(N)
        horizontal = self.table.horizontalHeader()
        horizontal.setStretchLastSection(True)
        horizontal.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._size_columns()
        self.table.doubleClicked.connect(self._open_hub)
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, context=Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(lambda: self._open_hub(self.table.currentIndex()))
        self.table.verticalScrollBar().valueChanged.connect(self._tell_visible)
        self.model.modelReset.connect(self._tell_visible)
        self.model.rowsInserted.connect(self._tell_visible)

        self.panel = HubPanel(console)
        self.panel.hide()  # until a hub is opened: the table has the width to itself
        self.panel.closed.connect(self.panel.hide)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([900, 380])
        self.splitter.setChildrenCollapsible(False)
        saved = console.settings.get(ESTATE_SPLITTER)
        if not saved.isEmpty():
            self.splitter.restoreState(saved)
        self.splitter.splitterMoved.connect(
            lambda *_: console.settings.set(ESTATE_SPLITTER, self.splitter.saveState()))

        count_row = QHBoxLayout()
        count_row.addWidget(self.count_label)
        count_row.addStretch(1)
        count_row.addWidget(self.search_error)
        count_row.addWidget(self.status_report_button)  # on its own line: the filters need the width

        box = QVBoxLayout(self)
        box.setContentsMargins(24, 18, 24, 18)
        box.setSpacing(12)
        box.addWidget(ViewHeader(
            self.title, "Every Communications Hub in DCC's copy of the SMI, in import order."))
        box.addLayout(filters)
        box.addLayout(count_row)
        # A new database has no hubs: say what to do next instead of showing an empty table.
        self.empty = EmptyState(
            "No hubs yet: import the SMI extract",
            "The estate browser lists every Communications Hub in DCC's copy of the SMI. Load it from "
            "the SMI extract (.csv or .xlsx); importing it again later refreshes it.",
            "Import SMI extract\u2026")
        self.empty.button.clicked.connect(self.import_wanted.emit)
        self.empty.hide()
        box.addWidget(self.empty)
        box.addWidget(self.splitter, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textEdited.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.search.textChanged.connect(lambda t: t or self._search_timer.start())  # clear button
        for combo in (self.supplier, self.status, self.region, self.firmware):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.device_model.currentIndexChanged.connect(lambda _i: self._model_changed())
        self.when_shown = WhenShown(self, self.refresh)
        console.events.changed.connect(self.on_changes)

    # -- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the filter choices and the estate (F5)."""
        self.console.read(lambda e: e.queries.estate_choices(), self._on_choices, label="reading the filter choices")
        self.model.reload()
        self.panel.refresh()

    def on_changes(self, changes: Changes) -> None:
        """A new estate is read again (now, or when next shown); an open hub follows its releases."""
        if changes.estate:
            self.when_shown.request()
        elif self.panel.hub is not None and concerns_hubs(changes, {r.release for r in self.panel.hub.releases}):
            self.panel.refresh()

    def _on_choices(self, choices: FilterChoices) -> None:
        self.choices = choices
        self.panel.suppliers = dict(choices.suppliers)
        self.supplier.set_choices([(f"{i} \u00b7 {n}" if n != i else i, i) for i, n in choices.suppliers])
        self.device_model.set_choices([(m, m) for m, _n in choices.models])
        self.status.set_choices([(s, s) for s, _n in choices.statuses])
        self.region.set_choices([(r, r) for r, _n in choices.regions])
        self._fill_firmware()

    def _fill_firmware(self) -> None:
        versions = self.choices.firmware_for(self.device_model.value()) if self.choices else ()
        self.firmware.set_choices([(v, v) for v in versions])

    def _model_changed(self) -> None:
        self.firmware.blockSignals(True)
        self._fill_firmware()
        self.firmware.blockSignals(False)
        self.apply_filter()

    # -- filtering ------------------------------------------------------------------------------
    def current_filter(self) -> EstateFilter:
        """The filter the controls describe; raises BadInput for a malformed GUID search."""
        return EstateFilter(
            supplier=self.supplier.value(), model=self.device_model.value(),
            firmware=self.firmware.value(), status=self.status.value(),
            region=self.region.value(), guid_prefix=guid_prefix(self.search.text()),
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        try:
            wanted = self.current_filter()
        except BadInput as exc:
            self.search.setProperty("invalid", True)
            self.search_error.setText(str(exc))
            self._restyle(self.search)
            return
        self.search.setProperty("invalid", False)
        self.search_error.setText("")
        self._restyle(self.search)
        self.model.set_filter(wanted)

    def clear_filters(self) -> None:
        for combo in (self.supplier, self.device_model, self.firmware, self.status, self.region):
            combo.blockSignals(True)
            combo.select(None)
            combo.blockSignals(False)
        self._fill_firmware()
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.apply_filter()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    @staticmethod
    def _restyle(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def _on_counted(self, matching: int | None, estate: int | None) -> None:
        nothing = self.model.filter.is_empty and matching == 0
        self.empty.setVisible(nothing)
        self.splitter.setVisible(not nothing)
        if self.model.filter.is_empty:
            text = "Reading the estate\u2026" if matching is None else f"{number(matching)} hubs"
        elif matching is None:
            text = f"Counting matching hubs of {number(estate)}\u2026" if estate else "Counting matching hubs\u2026"
        else:
            verb = "matches" if matching == 1 else "match"  # "1 of 3,000 hubs matches"
            text = (f"{number(matching)} of {number(estate)} hubs {verb}" if estate
                    else f"{number(matching)} {'hub' if matching == 1 else 'hubs'} {verb}")
        self.count_label.setText(text)
        if matching == 1 and self.model.filter.guid_prefix and len(self.model.filter.guid_prefix) == 23:
            # A whole GUID found its hub: show it straight away.
            self.table.selectRow(0)
            hub = self.model.hub_at(0)
            if hub is not None:
                self.show_hub(hub.guid)

    # -- rows on screen and the details panel ----------------------------------------------------
    def _tell_visible(self, *_args: object) -> None:
        top = max(self.table.rowAt(0), 0)
        bottom = self.table.rowAt(self.table.viewport().height() - 1)
        if bottom < 0:
            bottom = self.model.rowCount() - 1
        self.model.set_visible(top, max(bottom, top))

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._tell_visible()

    def _open_hub(self, index: QModelIndex) -> None:
        hub = self.model.hub_at(index.row()) if index.isValid() else None
        if hub is not None:
            self.show_hub(hub.guid)

    def show_hub(self, guid: str) -> None:
        """Open the details panel on GUID."""
        self.panel.show()
        self.panel.show_guid(guid)
        self.hub_shown.emit(guid)

    def _size_columns(self) -> None:
        cells = self.table.fontMetrics()
        bold = QFont(self.table.horizontalHeader().font())
        bold.setWeight(QFont.Weight.DemiBold)
        heads = QFontMetrics(bold)
        for column, sample in enumerate(COLUMN_SAMPLES):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            width = max(cells.horizontalAdvance(sample), heads.horizontalAdvance(title)) + 36
            self.table.setColumnWidth(column, width)

    def scroll_to_row(self, row: int) -> None:
        self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        self._tell_visible()
