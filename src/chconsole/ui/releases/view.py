"""Releases and notices: the list of releases, one release's details, and its actions.

The list shows every release, so it follows every change to a release, but narrowly: a
change to release 2 re-reads release 2 alone and redraws its row (and the details, if it
is the one selected); only a scheduler pass or a clock beat re-reads the whole list.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.changes import Changes
from chconsole.core.engine.dto import ReleaseInfo
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.london import show
from chconsole.core.vocabulary.states import ReleaseState
from chconsole.ui.common.empty import EmptyState
from chconsole.ui.common.widgets import NumberItem, ViewHeader, make_table
from chconsole.ui.common.words import state_title
from chconsole.ui.releases.details import ReleaseDetails
from chconsole.ui.releases.operations import ReleaseActions
from chconsole.ui.runtime.changes import releases_touched
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.reader import CoalescingReader
from chconsole.ui.runtime.settings import RELEASES_SPLITTER

COLUMNS = ("Release", "State", "Device model", "Upgrade firmware", "Eligible hubs",
           "DCC deployment date", "Notified")
LIVE = {ReleaseState.NOTIFIED, ReleaseState.PILOT_RUNNING, ReleaseState.PILOT_CONCLUDED,
        ReleaseState.DEPLOYING, ReleaseState.PAUSED, ReleaseState.SUSPENDED}
FINAL = {ReleaseState.REVOKED, ReleaseState.COMPLETED, ReleaseState.STOPPED}


class ReleasesView(QWidget):
    """The releases view: list on the left, details and actions on the right."""

    title = "Releases and notices"
    cpl_wanted = Signal()  # the empty CPL's button: the window opens the CPL's administration

    def __init__(self, console: Console, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.console = console
        self.releases: list[ReleaseInfo] = []
        # Not "actions": that would hide QWidget.actions().
        self.operations = ReleaseActions(console, self, self.show_release_info, self.cpl_wanted.emit)
        self.cpl_entries: int | None = None
        self.reader = CoalescingReader(console, self._plan, self._on_read, label="reading the releases", view=self)

        self.new_button = QPushButton("New release\u2026")
        self.new_button.setObjectName("primaryButton")
        self.notify_button = QPushButton("Notify\u2026")
        self.revoke_button = QPushButton("Revoke\u2026")
        self.revoke_button.setObjectName("dangerButton")
        self.note_button = QPushButton("Update release note\u2026")
        self.export_button = QPushButton("Export eligibility report\u2026")
        self.new_button.clicked.connect(self.operations.new_release)
        self.notify_button.clicked.connect(lambda: self._with_selected(lambda v: self.operations.notify(v.id)))
        self.revoke_button.clicked.connect(lambda: self._with_selected(self.operations.revoke))
        self.note_button.clicked.connect(lambda: self._with_selected(self.operations.update_note))
        self.export_button.clicked.connect(lambda: self._with_selected(self.operations.export))
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.new_button)
        bar.addSpacing(12)
        for button in (self.notify_button, self.revoke_button, self.note_button, self.export_button):
            bar.addWidget(button)
        bar.addStretch(1)

        self.table = make_table(COLUMNS, stretch=3, numeric=(0, 4))
        self.table.setMinimumHeight(120)
        self.table.setObjectName("releasesTable")
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.details = ReleaseDetails()
        # The list is short and the details wide: list above, details below, both full width.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([150, 620])
        self.splitter.setChildrenCollapsible(False)
        saved = console.settings.get(RELEASES_SPLITTER)
        if not saved.isEmpty():
            self.splitter.restoreState(saved)
        self.splitter.splitterMoved.connect(
            lambda *_: console.settings.set(RELEASES_SPLITTER, self.splitter.saveState()))

        box = QVBoxLayout(self)
        box.setContentsMargins(24, 18, 24, 18)
        box.setSpacing(12)
        box.addWidget(ViewHeader(self.title, "Firmware releases, their notices to suppliers and CSPs, "
                                             "and who is eligible."))
        box.addLayout(bar)
        # No release yet: say what comes first (the CPL, then a draft), with the button for it.
        self.empty = EmptyState("No releases yet", "")
        self.empty.button.clicked.connect(self._first_step)
        self.empty.hide()
        box.addWidget(self.empty)
        box.addWidget(self.splitter, 1)
        console.events.changed.connect(self.on_changes)
        self._update_buttons()

    # -- data -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read every release again (and the suppliers' names)."""
        self.reader.refresh()

    @staticmethod
    def _plan() -> Callable[[Engine], tuple[list[ReleaseInfo], dict[str, str], int]]:
        return lambda e: (e.releases.all(), dict(e.admin.suppliers()), len(e.admin.cpl()))

    def on_changes(self, changes: Changes) -> None:
        """Re-read what changed: the releases touched, or all of them after a pass."""
        if changes.everything or (changes.estate and not self.releases):  # the CPL may be filled now
            self.reader.refresh_when_shown()
            return
        touched = releases_touched(changes)
        if not touched:
            return
        if not self.isVisible():
            self.reader.refresh_when_shown()  # stale: the whole list when next shown
            return
        wanted = sorted(touched)
        self.console.read(lambda e: [e.releases.get(i) for i in wanted], self._on_changed,
                          label="reading the changed releases")

    def _on_changed(self, changed: list[ReleaseInfo]) -> None:
        for v in changed:
            self._upsert(v)

    def _on_read(self, answer: tuple[list[ReleaseInfo], dict[str, str], int]) -> None:
        found, names, self.cpl_entries = answer
        self.details.names = names
        self._show_releases(found)

    def _show_empty(self) -> None:
        """With no release, the first step: fill the CPL, or draft a release from it."""
        empty = not self.releases and self.cpl_entries is not None
        self.empty.setVisible(empty)
        self.splitter.setVisible(not empty)
        if not empty:
            return
        no_cpl = self.cpl_entries == 0
        self.empty.title.setText("No releases yet: the CPL is empty" if no_cpl else "No releases yet")
        self.empty.text.setText(
            "A release is drafted from the Central Products List. Add the approved device models and "
            "firmware versions, with their image hashes, first." if no_cpl else
            "Draft the first release from the CPL: the model, the versions it upgrades from and the one "
            "it installs. Nothing is sent until it is notified.")
        self.empty.button.setText("Add a CPL entry\u2026" if no_cpl else "New release\u2026")
        self.empty.button.show()

    def _first_step(self) -> None:
        if self.cpl_entries == 0:
            self.cpl_wanted.emit()
        else:
            self.operations.new_release()

    def _show_releases(self, found: list[ReleaseInfo], select: int | None = None) -> None:
        keep = select if select is not None else self.selected_id()
        self.releases = list(found)
        self.table.setRowCount(len(self.releases))
        for row, v in enumerate(self.releases):
            self._fill_row(row, v)
        ids = [v.id for v in self.releases]
        if keep in ids:
            self.table.selectRow(ids.index(keep))
        elif self.releases:
            self.table.selectRow(0)
        self._selection_changed()
        self._show_empty()

    def _fill_row(self, row: int, v: ReleaseInfo) -> None:
        cells = (str(v.id), state_title(v.state), v.model,
                 f"{', '.join(v.from_versions)} \u2192 {v.to_version}")
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column == 0:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)
        self.table.setItem(row, 4, NumberItem(v.eligible if v.notified_at else None))
        date = show(v.deployment_date) if v.deployment_date else "notice + 6 months"
        self.table.setItem(row, 5, QTableWidgetItem(date))
        self.table.setItem(row, 6, QTableWidgetItem(show(v.notified_at) or "not yet"))

    def show_release_info(self, v: ReleaseInfo) -> None:
        """Show V as an operation left it, and select it."""
        self._upsert(v, select=True)

    def _upsert(self, v: ReleaseInfo, select: bool = False) -> None:
        found = [r for r in self.releases if r.id != v.id]
        self._show_releases(sorted([*found, v], key=lambda r: -r.id), select=v.id if select else None)

    # -- selection and actions -----------------------------------------------------------------------
    def selected_id(self) -> int | None:
        v = self.selected()
        return v.id if v else None

    def selected(self) -> ReleaseInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or not 0 <= rows[0].row() < len(self.releases):
            return None
        return self.releases[rows[0].row()]

    def select_release(self, release_id: int) -> None:
        ids = [v.id for v in self.releases]
        if release_id in ids:
            self.table.selectRow(ids.index(release_id))

    def _with_selected(self, action: object) -> None:
        v = self.selected()
        if v is not None and callable(action):
            action(v)

    def _selection_changed(self) -> None:
        v = self.selected()
        self.details.show_release(v)
        if v is not None and v.notified_at is not None:
            release_id = v.id
            self.console.read(lambda e: e.incidents.guard(release_id), self.details.show_guard,
                              label=f"reading release {release_id}'s failure guard")
        self._update_buttons()

    def _update_buttons(self) -> None:
        v = self.selected()
        state = v.state if v else None
        self.notify_button.setEnabled(state == ReleaseState.DRAFT)
        self.revoke_button.setEnabled(state in LIVE)
        self.note_button.setEnabled(v is not None and state not in FINAL)
        self.export_button.setEnabled(v is not None and v.notified_at is not None and bool(v.suppliers))
