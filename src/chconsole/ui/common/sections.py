"""A details pane's section: a titled small table that says so in words when it is empty.

Refilled only when its rows changed, so a view the living clock re-reads leaves the
selection and the scroll position where the person put them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtWidgets import QLabel, QTableWidget, QVBoxLayout, QWidget

from chconsole.ui.common.widgets import fill_table, fit_height, section_label


class Section(QWidget):
    """A titled table that says so in words when it has nothing to list."""

    def __init__(self, title: str, table: QTableWidget, empty: str, max_rows: int = 10) -> None:
        super().__init__()
        self.table, self.max_rows = table, max_rows
        self.rows: list[tuple[str | int | None, ...]] | None = None
        self.title = section_label(title)
        self.empty = QLabel(empty)
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        box.addWidget(self.title)
        box.addWidget(self.empty)
        box.addWidget(table)

    def fill(self, rows: Iterable[Sequence[str | int | None]], numeric: Iterable[int] = ()) -> None:
        """Show ROWS (columns in NUMERIC are counts); unchanged rows leave the table alone."""
        data = [tuple(r) for r in rows]
        if data != self.rows:  # unchanged: leave the selection and scroll alone
            self.rows = data
            fill_table(self.table, data, numeric=numeric)
            fit_height(self.table, self.max_rows)
        self.table.setVisible(bool(data))
        self.empty.setVisible(not data)
