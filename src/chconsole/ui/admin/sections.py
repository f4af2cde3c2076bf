"""The administration view's four tabs: the estate, the CPL, users and roles, parties.

Each tab shows what there is and the buttons to change it; the buttons' work is the
view's operations (operations.py). A button the user may not use is disabled and says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.dto import CplInfo, ImportResult, PartyInfo, UserInfo
from chconsole.core.engine.roles import ROLE_TITLES, Role
from chconsole.ui.admin.operations import refusal_rows
from chconsole.ui.common.empty import EmptyState
from chconsole.ui.common.widgets import fill_table, fit_height, make_table, number


def _why() -> QLabel:
    label = QLabel()
    label.setObjectName("whyDisabled")
    label.setWordWrap(True)
    label.hide()
    return label


def _page(*parts: QWidget | QHBoxLayout, stretch_last: bool = True) -> QWidget:
    page = QWidget()
    box = QVBoxLayout(page)
    box.setContentsMargins(4, 14, 4, 4)
    box.setSpacing(10)
    for n, part in enumerate(parts):
        last = stretch_last and n == len(parts) - 1
        if isinstance(part, QHBoxLayout):
            box.addLayout(part)
        else:
            box.addWidget(part, 1 if last else 0)
    if not stretch_last:
        box.addStretch(1)
    return page


def _bar(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(8)
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


class EstateTab(QWidget):
    """How big the estate is, the import button, and the last import's result or refusal."""

    def __init__(self) -> None:
        super().__init__()
        self.size_label = QLabel("Reading the estate\u2026")
        self.size_label.setObjectName("countLabel")
        self.import_button = QPushButton("Import SMI extract\u2026")
        self.import_button.setObjectName("primaryButton")
        self.why = _why()
        self.result = QLabel()
        self.result.setObjectName("importResult")
        self.result.setWordWrap(True)
        self.result.hide()
        self.refusal_title = QLabel()
        self.refusal_title.setObjectName("sectionTitle")
        self.refusal_text = QLabel()
        self.refusal_text.setWordWrap(True)
        self.problems = make_table(("Line", "What is wrong"), stretch=1, numeric=(0,))
        self.problems.setObjectName("refusalTable")
        self.refusals = QFrame()
        self.refusals.setObjectName("refusals")
        inner = QVBoxLayout(self.refusals)
        inner.setContentsMargins(14, 10, 14, 10)
        inner.addWidget(self.refusal_title)
        inner.addWidget(self.refusal_text)
        inner.addWidget(self.problems)
        self.refusals.hide()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(_page(
            self.size_label,
            _hint("The estate is DCC's copy of the SMI: every Communications Hub, its model, firmware, status, "
                  "CSP region and suppliers. Import the SMI extract (.csv or .xlsx) to load it, and again to "
                  "refresh it. A file with a bad row is refused whole, each bad row listed with its line."),
            _bar(self.import_button), self.why, self.result, self.refusals, stretch_last=False))

    def show_size(self, hubs: int, suppliers: int) -> None:
        self.size_label.setText("No hubs yet: import the SMI extract to begin." if hubs == 0 else
                                f"The estate holds {number(hubs)} hubs of {number(suppliers)} suppliers.")

    def show_result(self, path: Path, r: ImportResult, full: bool = False) -> None:
        text = (f"Imported {path.name}: {number(r.rows)} rows, {number(r.added)} new hubs, "
                f"{number(r.updated)} updated" + (f", {number(r.gone)} gone from the SMI" if r.gone else "")
                + (f"; {len(r.new_suppliers)} new suppliers ({', '.join(r.new_suppliers[:8])})"
                   if r.new_suppliers else "") + ".")
        self.result.setText(text)
        self.result.show()
        if r.skipped:
            self._show_problems(f"{len(r.skipped):,} rows skipped",
                                "These rows were left out; every other row was imported.", r.skipped)
        else:
            self.refusals.hide()

    def show_refusal(self, path: Path, sentence: str, problems: list[str]) -> None:
        self.result.hide()
        self._show_problems(f"{path.name} was refused: nothing was changed", sentence, problems)

    def _show_problems(self, title: str, sentence: str, problems: list[str]) -> None:
        self.refusal_title.setText(title)
        self.refusal_text.setText(sentence)
        rows = refusal_rows(problems)
        fill_table(self.problems, rows, numeric=(0,))
        fit_height(self.problems, max_rows=14)
        self.problems.setVisible(bool(rows))
        self.refusals.show()


class CplTab(QWidget):
    """The Central Products List, and the button to add to it (an empty state when empty)."""

    def __init__(self) -> None:
        super().__init__()
        self.add_button = QPushButton("Add CPL entry\u2026")
        self.add_button.setObjectName("primaryButton")
        self.why = _why()
        self.empty = EmptyState(
            "The CPL is empty",
            "Releases are drafted from the Central Products List: add each approved device model and "
            "firmware version, with its image hash, before drafting the first release.",
            "Add a CPL entry\u2026")
        self.empty.setObjectName("emptyState")
        self.empty.hide()
        self.table = make_table(("Manufacturer", "Device model", "Hardware", "Firmware", "Image hash"), stretch=4)
        self.table.setObjectName("cplTable")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(_page(_bar(self.add_button), self.why, self.empty, self.table))

    def show_entries(self, entries: Sequence[CplInfo]) -> None:
        fill_table(self.table, [(e.manufacturer, e.model, e.hardware_version, e.firmware_version, e.image_hash)
                                for e in entries])
        self.empty.setVisible(not entries)
        self.table.setVisible(bool(entries))


def roles_text(roles: Sequence[str]) -> str:
    return ", ".join(ROLE_TITLES[Role(r)] for r in roles if r in Role.__members__.values()) or "no roles"


class UsersTab(QWidget):
    """DCC users and their roles; add one, change one's roles."""

    def __init__(self) -> None:
        super().__init__()
        self.users: list[UserInfo] = []
        self.add_button = QPushButton("Add user\u2026")
        self.add_button.setObjectName("primaryButton")
        self.roles_button = QPushButton("Change roles\u2026")
        self.why = _why()
        self.table = make_table(("User", "Roles"), stretch=1)
        self.table.setObjectName("usersTable")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(_page(_bar(self.add_button, self.roles_button), self.why, self.table))

    def show_users(self, users: Sequence[UserInfo]) -> None:
        keep = self.selected()
        self.users = list(users)
        fill_table(self.table, [(u.name, roles_text(u.roles)) for u in users])
        names = [u.name for u in users]
        if keep is not None and keep.name in names:
            self.table.selectRow(names.index(keep.name))

    def selected(self) -> UserInfo | None:
        row = _selected_row(self.table, len(self.users))
        return None if row is None else self.users[row]


class PartiesTab(QWidget):
    """Suppliers and CSPs: their names and the addresses their notices are written to."""

    def __init__(self) -> None:
        super().__init__()
        self.parties: list[PartyInfo] = []
        self.edit_button = QPushButton("Edit name and address\u2026")
        self.edit_button.setObjectName("primaryButton")
        self.why = _why()
        self.empty = _hint("No suppliers yet: each supplier named in the SMI extract arrives with it.")
        self.table = make_table(("Party", "Name", "Kind", "Notice address"), stretch=3)
        self.table.setObjectName("partiesTable")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(_page(_bar(self.edit_button), self.why, self.empty, self.table))

    def show_parties(self, parties: Sequence[PartyInfo]) -> None:
        keep = self.selected()
        self.parties = list(parties)
        fill_table(self.table, [(p.id, p.name, "CSP" if p.kind == "csp" else "Supplier",
                                 p.email or "none: notices stay as files in the outbox") for p in parties])
        self.empty.setVisible(not any(p.kind == "supplier" for p in parties))
        ids = [p.id for p in parties]
        if keep is not None and keep.id in ids:
            self.table.selectRow(ids.index(keep.id))

    def selected(self) -> PartyInfo | None:
        row = _selected_row(self.table, len(self.parties))
        return None if row is None else self.parties[row]


def _selected_row(table: QTableWidget, count: int) -> int | None:
    """The selected row (these small tables are never sorted: rows are in the list's order)."""
    model = table.selectionModel()
    rows = model.selectedRows() if model is not None else []
    return rows[0].row() if rows and 0 <= rows[0].row() < count else None
