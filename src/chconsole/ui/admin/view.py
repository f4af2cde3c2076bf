"""Administration: what the engine works from, kept up from the window instead of a terminal.

Four tabs: the estate (import the SMI extract, with progress, Cancel and the refusal list),
the CPL (list, add), users and roles (list, add, change roles), and the suppliers and CSPs
(names and notice addresses). Everyone may look; each button is enabled by the engine's
role table and, when disabled, says who may use it and what the user is.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from chconsole.core.engine.changes import Changes
from chconsole.core.engine.dto import CplInfo, ImportResult, PartyInfo, UserInfo
from chconsole.core.engine.facade import Engine
from chconsole.core.engine.roles import Action
from chconsole.ui.admin.operations import AdminActions
from chconsole.ui.admin.permissions import guard
from chconsole.ui.admin.sections import CplTab, EstateTab, PartiesTab, UsersTab
from chconsole.ui.common.widgets import ViewHeader
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.reader import CoalescingReader

ESTATE, CPL, USERS, PARTIES = range(4)
Facts = tuple[int, list[CplInfo], list[UserInfo], list[PartyInfo]]


class AdminView(QWidget):
    """The administration view."""

    title = "Administration"

    def __init__(self, console: Console, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.console = console
        self.operations = AdminActions(console, self, self._imported, self._refused)
        self.reader: CoalescingReader[Facts] = CoalescingReader(
            console, self._plan, self._on_read, label="reading the administration facts", view=self)
        self.facts: Facts | None = None

        self.estate = EstateTab()
        self.cpl = CplTab()
        self.users = UsersTab()
        self.parties = PartiesTab()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("adminTabs")
        self.tabs.setDocumentMode(True)
        for tab, name in ((self.estate, "Estate"), (self.cpl, "CPL"), (self.users, "Users and roles"),
                          (self.parties, "Suppliers and CSPs")):
            self.tabs.addTab(tab, name)

        self.estate.import_button.clicked.connect(self.operations.import_extract)
        self.cpl.add_button.clicked.connect(self.operations.add_cpl_entry)
        self.cpl.empty.button.clicked.connect(self.operations.add_cpl_entry)
        self.users.add_button.clicked.connect(self.operations.add_user)
        self.users.roles_button.clicked.connect(self._change_roles)
        self.users.table.doubleClicked.connect(lambda _i: self._change_roles())
        self.users.table.itemSelectionChanged.connect(self.roles_known)
        self.parties.edit_button.clicked.connect(self._edit_party)
        self.parties.table.doubleClicked.connect(lambda _i: self._edit_party())
        self.parties.table.itemSelectionChanged.connect(self.roles_known)

        box = QVBoxLayout(self)
        box.setContentsMargins(24, 18, 24, 18)
        box.setSpacing(8)
        box.addWidget(ViewHeader(self.title, "What the console works from: the estate, the CPL, its users "
                                             "and roles, and where each party's notices go."))
        box.addWidget(self.tabs, 1)
        console.events.changed.connect(self.on_changes)
        self.roles_known()

    # -- data ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.reader.refresh()

    @staticmethod
    def _plan() -> Callable[[Engine], Facts]:
        return _facts

    def _on_read(self, facts: Facts) -> None:
        self.facts = facts
        hubs, cpl, users, parties = facts
        self.estate.show_size(hubs, sum(1 for p in parties if p.kind == "supplier"))
        self.cpl.show_entries(cpl)
        self.users.show_users(users)
        self.parties.show_parties(parties)
        self.roles_known()

    def on_changes(self, changes: Changes) -> None:
        """The estate, the CPL, the parties or the users changed: read them again."""
        if changes.estate or changes.users:
            self.reader.refresh_when_shown()

    # -- who may do what -----------------------------------------------------------------------------
    def roles_known(self) -> None:
        """Enable each button the acting user may use; a disabled one says why."""
        c = self.console
        guard(c, self.estate.import_button, Action.IMPORT_ESTATE, "import the SMI extract", self.estate.why)
        guard(c, self.cpl.add_button, Action.ADD_CPL_ENTRY, "add CPL entries", self.cpl.why)
        self.cpl.empty.button.setEnabled(self.cpl.add_button.isEnabled())
        self.cpl.empty.button.setToolTip(self.cpl.add_button.toolTip())
        if guard(c, self.users.add_button, Action.ADD_USER, "add users or change their roles", self.users.why):
            chosen = self.users.selected() is not None
            self.users.roles_button.setEnabled(chosen)
            self.users.roles_button.setToolTip("" if chosen else "Choose a user first (or double-click one).")
        else:
            self.users.roles_button.setEnabled(False)
            self.users.roles_button.setToolTip(self.users.why.text())
        if guard(c, self.parties.edit_button, Action.SET_PARTY, "change names and notice addresses",
                 self.parties.why):
            chosen = self.parties.selected() is not None
            self.parties.edit_button.setEnabled(chosen)
            self.parties.edit_button.setToolTip("" if chosen else "Choose a party first (or double-click one).")

    # -- actions the rest of the window asks for -----------------------------------------------------------
    def import_extract(self) -> None:
        """Open the estate tab and ask for an SMI extract (the estate browser's empty state)."""
        self.tabs.setCurrentIndex(ESTATE)
        if self.estate.import_button.isEnabled():
            self.operations.import_extract()

    def add_cpl_entry(self) -> None:
        """Open the CPL tab and ask for an entry (the releases view's empty state)."""
        self.tabs.setCurrentIndex(CPL)
        if self.cpl.add_button.isEnabled():
            self.operations.add_cpl_entry()

    def _change_roles(self) -> None:
        user = self.users.selected()
        if user is not None and self.users.roles_button.isEnabled():
            self.operations.change_roles(user)

    def _edit_party(self) -> None:
        party = self.parties.selected()
        if party is not None and self.parties.edit_button.isEnabled():
            self.operations.edit_party(party)

    def _imported(self, path: Path, result: ImportResult) -> None:
        self.estate.show_result(path, result)
        self.console.messages.info(f"Imported {path.name}: {result.added:,} new hubs, {result.updated:,} updated.")

    def _refused(self, path: Path, sentence: str, problems: list[str]) -> None:
        self.tabs.setCurrentIndex(ESTATE)
        self.estate.show_refusal(path, sentence, problems)


def _facts(e: Engine) -> Facts:
    return e.queries.estate_size(), e.admin.cpl(), e.admin.users(), e.admin.parties()
