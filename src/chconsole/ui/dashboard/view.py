"""The dashboard (R5): each upgrade in flight, what is waiting for the actor with the time
left, and when the other actors next have something due, as DCC, a supplier, a CSP or the
Panel would see it ("View as").

It reads through the task runner's page lane, never on the GUI thread, every 30 seconds
while shown, and after every change to a release (a scheduler pass and the living demo
clock's beats included): at once if shown, else when next shown. A read costs the same on any estate: the engine draws dashboards from maintained
counts only. Widgets are updated in place, so a refresh never moves what is on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.changes import Changes
from chconsole.core.engine.dto import (
    CSP,
    DCC,
    PANEL,
    SUPPLIER,
    Dashboard,
    NextDate,
    Viewer,
)
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.london import show
from chconsole.ui.common.widgets import ViewHeader, section_label
from chconsole.ui.dashboard.models import ActionsModel
from chconsole.ui.dashboard.parts import FitTable, Listing, OtherTile, ReleaseCardWidget
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.reader import CoalescingReader

REFRESH_MS = 30_000
STYLE = ("QWidget#dashboardBody { background: #f5f6f8; }"
         "QFrame#dashboardCard { background: #ffffff; border: 1px solid #d9dee5; border-radius: 6px; }"
         "QFrame#dashboardCard QLabel, QFrame#otherTile QLabel { background: transparent; }"
         "QFrame#otherTile { background: #ffffff; border: 1px solid #d9dee5; border-radius: 6px; }"
         "QLabel#tileActor { font-weight: 600; color: #1f4e79; }"
         "QLabel#tileDate { font-weight: 600; color: #1c2b3a; }"
         "QLabel#tileLeft { color: #4a5663; } QLabel#tileLeft[overdue=\"true\"] { color: #b3261e; font-weight: 600; }"
         "QLabel#cardScope { font-weight: 600; color: #2c3744; }"
         "QTableView#dashboardActions::item { padding: 5px 8px; }")
KIND_ORDER = {DCC: 0, SUPPLIER: 1, CSP: 2, PANEL: 3}


@dataclass(frozen=True)
class DashboardPage:
    """What one read brings back: the actors to choose from and the chosen one's dashboard."""

    viewers: list[Viewer]
    board: Dashboard


def viewer_key(v: Viewer) -> str:
    return f"{v.kind}:{v.party or ''}"


class DashboardView(QWidget):
    """The dashboard view: choose whose dashboard to see, and read it."""

    title = "Dashboard"

    def __init__(self, console: Console, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.console = console
        self.viewer = Viewer(DCC)
        self.page: DashboardPage | None = None
        self.cards: dict[int, ReleaseCardWidget] = {}
        self.reader = CoalescingReader(console, self._plan, self._on_read, label="reading the dashboard", view=self)

        self.picker = QComboBox()
        self.picker.setObjectName("viewAs")
        self.picker.setMinimumWidth(320)
        self.picker.setMaxVisibleItems(30)
        self.picker.addItem("DCC", viewer_key(self.viewer))
        self.picker.activated.connect(self._picked)
        self.as_at = QLabel()
        self.as_at.setObjectName("hint")
        bar = QHBoxLayout()
        bar.setSpacing(8)
        caption = QLabel("View as")
        caption.setObjectName("caption")
        bar.addWidget(caption)
        bar.addWidget(self.picker)
        bar.addSpacing(16)
        bar.addWidget(self.as_at)
        bar.addStretch(1)

        self.actions_model = ActionsModel()
        self.actions = Listing("Your outstanding actions", FitTable(self.actions_model, "dashboardActions", 0))
        self.others_title = section_label("Next dates of the others")
        self.tiles: list[OtherTile] = []
        self.tiles_box = QHBoxLayout()
        self.tiles_box.setSpacing(12)
        self.releases_title = section_label("Upgrades in flight")
        self.releases_empty = QLabel()
        self.releases_empty.setObjectName("hint")
        self.cards_box = QVBoxLayout()
        self.cards_box.setSpacing(12)
        body = QWidget()
        body.setObjectName("dashboardBody")
        body_box = QVBoxLayout(body)
        body_box.setContentsMargins(0, 0, 8, 0)
        body_box.setSpacing(10)
        body_box.addWidget(self.actions)
        body_box.addSpacing(6)
        body_box.addWidget(self.others_title)
        body_box.addLayout(self.tiles_box)
        body_box.addSpacing(6)
        body_box.addWidget(self.releases_title)
        body_box.addWidget(self.releases_empty)
        body_box.addLayout(self.cards_box)
        body_box.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("dashboardScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # cards fit the width
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(body)
        self.setStyleSheet(STYLE)

        box = QVBoxLayout(self)
        box.setContentsMargins(24, 18, 24, 18)
        box.setSpacing(12)
        box.addWidget(ViewHeader(self.title, "Each upgrade in flight, what is waiting for you and the time left "
                                             "to do it, and when the others next have something due. View it as "
                                             "DCC, a supplier, a CSP or the SEC Panel would."))
        box.addLayout(bar)
        box.addWidget(self.scroll, 1)

        self.timer = QTimer(self)
        self.timer.timeout.connect(self._beat)
        self.timer.start(REFRESH_MS)
        console.events.changed.connect(self.on_changes)

    # -- reading -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the chosen actor's dashboard again (at most one read at a time)."""
        self.reader.refresh()

    def _plan(self) -> Callable[[Engine], DashboardPage]:
        viewer = self.viewer
        return lambda e: DashboardPage(e.dashboards.viewers(), e.dashboards.build(viewer))

    def _beat(self) -> None:
        if self.isVisible():
            self.refresh()

    def on_changes(self, changes: Changes) -> None:
        """A dashboard sums up every release in flight: any change to one concerns it."""
        if changes.any_release or changes.incidents:
            self.reader.refresh_when_shown()

    def _on_read(self, page: DashboardPage) -> None:
        self._fill_picker(page.viewers)
        if viewer_key(page.board.viewer) == viewer_key(self.viewer):  # not an answer for an old choice
            self.page = page
            self.show_board(page.board)

    def _fill_picker(self, viewers: list[Viewer]) -> None:
        ordered = sorted(viewers, key=lambda v: (KIND_ORDER.get(v.kind, 9), v.label.lower()))
        items = [(v.label, viewer_key(v)) for v in ordered]
        current = [(self.picker.itemText(i), self.picker.itemData(i)) for i in range(self.picker.count())
                   if self.picker.itemData(i) is not None]
        if items == current:  # rebuilt only when it changed: an open drop-down would close
            return
        self.picker.blockSignals(True)
        self.picker.clear()
        kind = None
        for v, (label, key) in zip(ordered, items, strict=True):
            if kind is not None and v.kind != kind:
                self.picker.insertSeparator(self.picker.count())
            kind = v.kind
            self.picker.addItem(label, key)
        self.picker.setCurrentIndex(max(self.picker.findData(viewer_key(self.viewer)), 0))
        self.picker.blockSignals(False)

    def _picked(self, index: int) -> None:
        key = self.picker.itemData(index)
        if key is None or key == viewer_key(self.viewer):
            return
        kind, _, party = str(key).partition(":")
        self.viewer = Viewer(kind, party or None)
        self.as_at.setText(f"Reading the dashboard of {self.picker.itemText(index)}\u2026")
        self.refresh()

    def view_as(self, viewer: Viewer) -> None:
        """Show VIEWER's dashboard (as if chosen in "View as")."""
        self.viewer = Viewer(viewer.kind, viewer.party)
        found = self.picker.findData(viewer_key(self.viewer))
        if found >= 0:
            self.picker.setCurrentIndex(found)
        self.refresh()

    # -- showing ---------------------------------------------------------------------------------------
    def show_board(self, board: Dashboard) -> None:
        self.as_at.setText(f"As at {show(board.now)}")
        own = "the Panel's" if board.viewer.kind == PANEL else "your"
        self.actions_model.show_actions(board.actions)
        empty = next((n for n in board.notes if "awaits" in n or "waiting" in n), "Nothing is waiting.")
        self.actions.show_state(f"{own[0].upper()}{own[1:]} outstanding actions ({len(board.actions):,})",
                                len(board.actions), empty)
        self._show_tiles(board.others)
        self.releases_title.setText(f"Upgrades in flight ({len(board.releases):,})")
        self.releases_empty.setText(next((n for n in board.notes if "in flight" in n), ""))
        self.releases_empty.setVisible(not board.releases)
        self._show_cards(board)

    def _show_tiles(self, dates: tuple[NextDate, ...]) -> None:
        while len(self.tiles) < len(dates):
            self.tiles.append(OtherTile())
            self.tiles_box.addWidget(self.tiles[-1], 1)
        for tile, d in zip(self.tiles, dates, strict=False):
            tile.show_date(d)
        for n, tile in enumerate(self.tiles):
            tile.setVisible(n < len(dates))

    def _show_cards(self, board: Dashboard) -> None:
        wanted = [c.id for c in board.releases]
        for gone in set(self.cards) - set(wanted):
            widget = self.cards.pop(gone)
            self.cards_box.removeWidget(widget)
            widget.deleteLater()
        for n, card in enumerate(board.releases):
            if card.id not in self.cards:
                self.cards[card.id] = ReleaseCardWidget()
            widget = self.cards[card.id]
            if self.cards_box.indexOf(widget) != n:
                self.cards_box.insertWidget(n, widget)
            widget.show_card(card, board)
