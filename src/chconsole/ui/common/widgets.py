"""Shared look and small widgets: the style sheet, icons, view headers, facts, tidy tables.

Numbers are always shown with thousands separators and right-aligned. Dialogs live in
dialogs.py (every modal dialog is opened through its run_dialog()).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def resources_dir() -> Path:
    """The resources folder: $CHCONSOLE_RESOURCES, else the one beside the source tree."""
    env = os.environ.get("CHCONSOLE_RESOURCES")
    if env:
        return Path(env)
    beside_source = Path(__file__).resolve().parents[4] / "resources"
    if beside_source.is_dir():
        return beside_source
    # An installed wheel puts them under the environment's share/ (pyproject data-files).
    return Path(sys.prefix) / "share" / "chconsole" / "resources"


def icon(name: str) -> QIcon:
    """An icon from resources/icons (an empty icon if the file is missing)."""
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def icon_or_drawn(name: str, svg: bytes) -> QIcon:
    """The icon NAME from resources/icons, or SVG drawn at navigation sizes if it is missing."""
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QPainter, QPixmap
    from PySide6.QtSvg import QSvgRenderer

    found = icon(name)
    if not found.isNull():
        return found
    renderer = QSvgRenderer(QByteArray(svg))
    out = QIcon()
    for size in (20, 40):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        out.addPixmap(pixmap)
    return out


def apply_look(app: QApplication) -> None:
    """The console's font and style sheet; the Fusion style makes it look the same everywhere."""
    app.setStyle("Fusion")
    font = QFont(app.font())
    font.setPointSizeF(10.5)
    app.setFont(font)
    sheet = resources_dir() / "style.qss"
    if sheet.exists():
        # Style sheet urls resolve against the working directory, not the sheet: make them absolute.
        icons = (resources_dir() / "icons").as_posix()
        app.setStyleSheet(sheet.read_text(encoding="utf-8").replace("@ICONS@", icons))


def number(n: int | None) -> str:
    """12345 -> '12,345'; None -> an en dash (not known yet)."""
    return "\u2013" if n is None else f"{n:,}"


class ViewHeader(QWidget):
    """The title strip at the top of a view: a title and a line saying what it shows."""

    def __init__(self, title: str, subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("viewHeader")
        self.title = QLabel(title)
        self.title.setObjectName("viewTitle")
        self.subtitle = QLabel(subtitle)
        self.subtitle.setObjectName("viewSubtitle")
        self.subtitle.setWordWrap(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 4)
        box.setSpacing(2)
        box.addWidget(self.title)
        box.addWidget(self.subtitle)


def fact_value(text: str = "") -> QLabel:
    """The value half of a fact: wraps, and a person can select it to copy."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setObjectName("factValue")
    return label


def details_heading(text: str) -> tuple[QHBoxLayout, QLabel, QLabel]:
    """A details pane's title with its state badge beside it: (row, title, badge)."""
    heading = QLabel(text)
    heading.setObjectName("panelTitle")
    badge = QLabel()
    badge.setObjectName("stateBadge")
    row = QHBoxLayout()
    row.addWidget(heading)
    row.addWidget(badge)
    row.addStretch(1)
    return row, heading, badge


def facts_grid(names: Sequence[str]) -> tuple[QGridLayout, dict[str, QLabel], dict[str, QLabel]]:
    """Captions and values in two columns: (grid, values by name, captions by name)."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(18)
    grid.setVerticalSpacing(7)
    values: dict[str, QLabel] = {}
    captions: dict[str, QLabel] = {}
    for row, name in enumerate(names):
        captions[name] = caption = QLabel(name)
        caption.setObjectName("factName")
        values[name] = fact_value()
        grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(values[name], row, 1)
    grid.setColumnStretch(1, 1)
    grid.setRowStretch(len(names), 1)
    return grid, values, captions


def section_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


class NumberItem(QTableWidgetItem):
    """A right-aligned cell showing a count with separators and sorting by value."""

    def __init__(self, value: int | None) -> None:
        super().__init__(number(value))
        self.value = value if value is not None else -1
        self.setTextAlignment(RIGHT)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, NumberItem):
            return self.value < other.value
        return super().__lt__(other)


def make_table(
    headers: Sequence[str], stretch: int | None = None, numeric: Iterable[int] = ()
) -> QTableWidget:
    """A read-only, row-selecting small table with the console's conventions.

    Headers sit over their values: left, or right over the NUMERIC columns.
    """
    table = QTableWidget(0, len(headers))
    numeric_cols = set(numeric)
    for c, title in enumerate(headers):
        item = QTableWidgetItem(title)
        item.setTextAlignment(RIGHT if c in numeric_cols else LEFT)
        table.setHorizontalHeaderItem(c, item)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(28)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    return table


def fill_table(
    table: QTableWidget, rows: Iterable[Sequence[str | int | None]], numeric: Iterable[int] = ()
) -> None:
    """Replace TABLE's rows; columns in NUMERIC are counts, shown right-aligned."""
    numeric_cols = set(numeric)
    data = list(rows)
    sorting = table.isSortingEnabled()
    table.setSortingEnabled(False)
    table.setRowCount(len(data))
    for r, row in enumerate(data):
        for c, value in enumerate(row):
            if c in numeric_cols and (value is None or isinstance(value, int)):
                item: QTableWidgetItem = NumberItem(value)
            else:
                item = QTableWidgetItem("" if value is None else str(value))
                item.setToolTip(item.text())  # the whole text, where the column elides it
            table.setItem(r, c, item)
    table.setSortingEnabled(sorting)


def fit_height(table: QTableWidget, max_rows: int = 12) -> None:
    """Size a small table to its rows (up to MAX_ROWS) so a details pane has no nested scrolling."""
    rows = min(table.rowCount(), max_rows)
    height = table.horizontalHeader().height() + rows * table.verticalHeader().defaultSectionSize()
    table.setFixedHeight(height + 2 * table.frameWidth() + 2)


def record_table(model: QAbstractItemModel, name: str, row_height: int) -> QTableView:
    """A read-only table of records: whole-row single selection, uniform rows, no grid.

    Uniform (fixed) row heights keep the view's geometry O(1) however many rows it has.
    """
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    vertical = table.verticalHeader()
    vertical.hide()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(row_height)
    table.horizontalHeader().setHighlightSections(False)
    return table


