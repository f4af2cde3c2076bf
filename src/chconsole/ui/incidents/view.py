"""Incidents and triage (R6): open incidents by priority and age, one incident's details, its actions.

The list shows what the engine lists (P1 first, then oldest first) with the time since each
emergency stop; the details show the stop's per-hub answers, the decision and the notices
that told everyone. The view re-reads when a change concerns an incident or a release (an
incident's release state shows), and after every scheduler pass or clock beat, since the
stop's counts move as the network answers. A button that cannot be used says why.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.changes import Changes
from chconsole.core.engine.dto import IncidentInfo, ReleaseInfo
from chconsole.core.engine.facade import Engine
from chconsole.ui.common.widgets import ViewHeader, fill_table, make_table
from chconsole.ui.incidents.details import IncidentDetails
from chconsole.ui.incidents.models import COLUMNS, STRETCH, IncidentsPage, read_page, row
from chconsole.ui.incidents.operations import IncidentActions
from chconsole.ui.incidents.rules import FINAL, button_rules
from chconsole.ui.runtime.changes import releases_touched
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.reader import CoalescingReader
from chconsole.ui.runtime.settings import INCIDENTS_SPLITTER

AGES_EVERY_MS = 30_000  # on the system clock, "25 min ago" moves on by itself
P1_COLOUR = QColor("#a0271f")


class IncidentsView(QWidget):
    """The Incidents and triage view."""

    title = "Incidents and triage"

    def __init__(self, console: Console, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.console = console
        self.page: IncidentsPage | None = None
        self.incident_id: int | None = None
        self._wanted_release: int | None = None  # asked for before the first reading
        self.operations = IncidentActions(console, self, self.show_incident)
        self.reader = CoalescingReader(console, self._plan, self._on_read, label="reading the incidents", view=self)

        self.raise_button = QPushButton("Raise incident\u2026")
        self.raise_button.setObjectName("primaryButton")
        self.triage_button = QPushButton("Triage\u2026")
        self.confirm_button = QPushButton("Panel confirmation\u2026")
        self.resume_button = QPushButton("Resume\u2026")
        self.comment_button = QPushButton("Comment\u2026")
        self.close_button = QPushButton("Close\u2026")
        self.show_closed = QCheckBox("Show closed")
        self.show_closed.toggled.connect(lambda _on: self.refresh())
        self.raise_button.clicked.connect(lambda: self._raise())
        self.triage_button.clicked.connect(lambda: self._with(lambda i, r: self.operations.triage(i, r, self._now())))
        self.confirm_button.clicked.connect(lambda: self._with(lambda i, _r: self.operations.confirm(i)))
        self.resume_button.clicked.connect(lambda: self._with(lambda i, r: self.operations.resume(r, i)))
        self.comment_button.clicked.connect(lambda: self._with(lambda i, _r: self.operations.comment(i)))
        self.close_button.clicked.connect(lambda: self._with(lambda i, _r: self.operations.close(i)))
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.raise_button)
        bar.addSpacing(8)
        for button in (self.triage_button, self.confirm_button, self.resume_button, self.comment_button,
                       self.close_button):
            bar.addWidget(button)
        for button in (self.raise_button, self.triage_button, self.confirm_button, self.resume_button,
                       self.comment_button, self.close_button):
            button.setMinimumWidth(button.sizeHint().width())  # never clipped on a 1024-pixel screen
        bar.addStretch(1)

        self.count_label = QLabel("Reading the incidents\u2026")
        self.count_label.setObjectName("countLabel")
        self.table = make_table(COLUMNS)
        self.table.setObjectName("incidentsTable")
        self.table.setMinimumHeight(110)
        for stretched in STRETCH:
            self.table.horizontalHeader().setSectionResizeMode(stretched, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        list_box = QWidget()
        column = QVBoxLayout(list_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        counts = QHBoxLayout()
        counts.addWidget(self.count_label)
        counts.addStretch(1)
        counts.addWidget(self.show_closed)
        column.addLayout(counts)
        column.addWidget(self.table, 1)
        self.details = IncidentDetails()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(list_box)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([170, 600])
        self.splitter.setChildrenCollapsible(False)
        saved = console.settings.get(INCIDENTS_SPLITTER)
        if not saved.isEmpty():
            self.splitter.restoreState(saved)
        self.splitter.splitterMoved.connect(
            lambda *_: console.settings.set(INCIDENTS_SPLITTER, self.splitter.saveState()))

        box = QVBoxLayout(self)
        box.setContentsMargins(24, 18, 24, 18)
        box.setSpacing(12)
        box.addWidget(ViewHeader(self.title, "Incidents suppliers report about a rollout, the emergency stop and "
                                             "what it achieved, DCC's triage and the Panel's decision."))
        box.addLayout(bar)
        box.addWidget(self.splitter, 1)
        console.events.changed.connect(self.on_changes)
        self._ages = QTimer(self)
        self._ages.timeout.connect(self._ages_moved)
        if not console.engine.clock.is_simulated:  # a simulated clock's beats re-read the view anyway
            self._ages.start(AGES_EVERY_MS)
        self._update_buttons()

    # -- data -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the incidents again (at most one read at a time)."""
        self.reader.refresh()

    def _plan(self) -> Callable[[Engine], IncidentsPage]:
        show_closed, wanted = self.show_closed.isChecked(), self.incident_id
        return lambda e: read_page(e, show_closed, wanted)

    def on_changes(self, changes: Changes) -> None:
        if changes.everything or changes.incidents or releases_touched(changes):
            self.reader.refresh_when_shown()

    def _ages_moved(self) -> None:
        if self.isVisible() and self.page is not None and self.page.incidents:
            self.refresh()

    def _on_read(self, page: IncidentsPage) -> None:
        self.page = page
        self.details.names = page.names
        if page.incident(self.incident_id) is None:
            self.incident_id = page.incidents[0].id if page.incidents else None
        p1 = sum(1 for i in page.incidents if i.priority == "P1")
        which = "incidents" if self.show_closed.isChecked() else "open incidents"
        n = len(page.incidents)
        which = which if n != 1 else which.removesuffix("s")
        self.count_label.setText(f"{n:,} {which}" + (f", {p1} P1" if p1 else "") if n else f"No {which}.")
        fill_table(self.table, (row(i, page) for i in page.incidents))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for n, i in enumerate(page.incidents):
            cell = self.table.item(n, 0)
            if cell is not None and i.priority == "P1":
                cell.setForeground(P1_COLOUR)
                cell.setFont(bold)
        self._select_row()
        self._show_selected()
        wanted, self._wanted_release = self._wanted_release, None
        if wanted is not None:
            self.show_release(wanted)

    # -- selection ------------------------------------------------------------------------------------
    def show_incident(self, incident_id: int) -> None:
        """Select INCIDENT_ID (read again if the list does not have it yet)."""
        self.incident_id = incident_id
        if self.page is not None and self.page.incident(incident_id) is not None:
            self._select_row()
        else:
            self.refresh()

    def show_release(self, release_id: int) -> None:
        """Select the most urgent incident of RELEASE_ID; with none, offer the form to raise one."""
        if self.page is None:  # not read yet: once it is
            self._wanted_release = release_id
            return
        found = next((i for i in self.page.incidents if i.release_id == release_id), None)
        if found is not None:
            self.show_incident(found.id)
        elif self.raise_button.isEnabled():
            self._raise(release_id)

    def selected(self) -> IncidentInfo | None:
        return self.page.incident(self.incident_id) if self.page is not None else None

    def shown_release(self) -> int | None:
        """The release of the selected incident (the emergency stop's default)."""
        i = self.selected()
        return i.release_id if i is not None else None

    def _select_row(self) -> None:
        if self.page is None:
            return
        ids = [i.id for i in self.page.incidents]
        if self.incident_id in ids:
            self.table.blockSignals(True)
            self.table.selectRow(ids.index(self.incident_id))
            self.table.blockSignals(False)
            self._show_selected()

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if self.page is None or not rows or not 0 <= rows[0].row() < len(self.page.incidents):
            return
        chosen = self.page.incidents[rows[0].row()]
        if chosen.id != self.incident_id:
            self.incident_id = chosen.id
            self._show_selected()
            if chosen.release_id != self.page.notices_release:
                self.refresh()  # its release's decision notices

    def _show_selected(self) -> None:
        page, i = self.page, self.selected()
        if page is None or i is None:
            which = "incident" if self.show_closed.isChecked() else "open incident"
            self.details.show_nothing(f"No {which}",
                                      "Suppliers report incidents through the DCC service desk: Raise incident\u2026 "
                                      "logs one. The red Emergency stop needs none first.")
        else:
            notices = page.notices if page.notices_release == i.release_id else []
            self.details.show_incident(i, page.release_of(i), page.stop_of(i), notices, page.now)
        self._update_buttons()

    def _now(self) -> datetime:
        assert self.page is not None
        return self.page.now

    def _with(self, action: Callable[[IncidentInfo, ReleaseInfo], None]) -> None:
        i = self.selected()
        release = self.page.release_of(i) if self.page is not None else None
        if i is not None and release is not None:
            action(i, release)

    def _raise(self, release_id: int | None = None) -> None:
        if self.page is None:
            return
        open_releases = [r for r in self.page.releases.values() if r.notified_at is not None and r.state not in FINAL]
        self.operations.raise_incident(open_releases, self.page.names, release_id or self.shown_release())

    # -- buttons ----------------------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        rules = button_rules(self.console, self.page, self.selected())
        for name, (allowed, why) in rules.items():
            button = getattr(self, f"{name}_button")
            button.setEnabled(allowed)
            button.setToolTip("" if allowed else why)

    def roles_known(self) -> None:
        """The acting user's roles were read: the buttons follow them."""
        self._update_buttons()

