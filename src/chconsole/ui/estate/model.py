"""The estate browser's table model: row ids only, rows fetched a page at a time as painted.

With no filter, row r is hub r + 1 and nothing at all is held per row. With a filter the
model holds the matching ids in an ``array('q')`` (8 bytes a hub), filled in the
background while the first page, fetched by keyset, is already on screen. Pages of rows
live in a small LRU cache; a row whose page has not arrived shows "loading...".

Nothing here is O(rows) on the GUI thread: painting asks for the visible pages only,
page requests are newest-first (a page scrolled past is not fetched), and every read
runs through the task runner and asks the engine's query desk.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from chconsole.core.engine.dto import PAGE_SIZE, EstateFilter, HubRow
from chconsole.core.engine.facade import Engine
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.tasks import PAGES, SCAN, Task, TaskContext

COLUMNS: tuple[tuple[str, str], ...] = (
    ("GUID", "guid"),
    ("Device model", "device_model"),
    ("Firmware", "firmware_version"),
    ("SMI status", "smi_status"),
    ("CSP region", "csp_region"),
    ("Import supplier", "import_supplier"),
    ("Gas supplier", "gas_supplier"),
)
LOADING = "loading\u2026"
CACHED_PAGES = 64  # 12,800 rows: far more than a screen, far less than an estate
_GREY = QColor("#8a9099")
Index = QModelIndex | QPersistentModelIndex
_ROLES = frozenset(int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole,
                                    Qt.ItemDataRole.ToolTipRole))


class EstateModel(QAbstractTableModel):
    """Hubs of the estate, optionally filtered, in import (id) order.

    Signals:
        counted(matching, estate): how many hubs match (None while counting) and how many
            hubs the estate holds (None until read). Both are Python ints of any size.
        page_loaded(first_row): a page of rows arrived and is now shown.
    """

    counted = Signal(object, object)
    page_loaded = Signal(object)

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console
        self.filter = EstateFilter()
        self.estate: int | None = None  # hubs in the estate (max id)
        self.matching: int | None = None
        self._rows = 0
        self._generation = 0
        self._ids: array[int] | None = None  # None: unfiltered, row r is hub r + 1
        self._ids_complete = True
        # Each page is aligned to its rows: None where an id has no hub.
        self._pages: OrderedDict[int, list[HubRow | None]] = OrderedDict()
        self._wanted: OrderedDict[int, None] = OrderedDict()
        self._pinned: set[int] = set()  # asked for by code (hub_at), not by painting: never dropped
        self._in_flight: int | None = None
        self._visible: tuple[int, int] | None = None
        self._scan: Task | None = None
        self._count: Task | None = None

    # -- Qt model interface -----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every cell and role on every paint: the cheapest test goes first.
        if int(role) not in _ROLES or not index.isValid() or not 0 <= index.row() < self._rows:
            return None
        page_no, offset = divmod(index.row(), PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            self._want(page_no)
            if role == Qt.ItemDataRole.ForegroundRole:
                return _GREY
            return LOADING if index.column() == 0 and role == Qt.ItemDataRole.DisplayRole else None
        if offset >= len(page):  # fetched when the list was shorter: fetch it again
            del self._pages[page_no]
            self._want(page_no)
            return LOADING if index.column() == 0 and role == Qt.ItemDataRole.DisplayRole else None
        self._pages.move_to_end(page_no)
        hub = page[offset]
        if hub is None:  # an id with no hub: only where ids are not dense after all
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return None if hub.in_smi else _GREY
        if role == Qt.ItemDataRole.ToolTipRole:
            return None if hub.in_smi else "No longer in the SMI"
        value = getattr(hub, COLUMNS[index.column()][1])
        return "" if value is None else value

    # -- what the view asks ----------------------------------------------------------------
    def hub_at(self, row: int) -> HubRow | None:
        """The hub on ROW if its page is loaded; otherwise ask for the page and return None.

        Unlike a page asked for by painting, this request stands even if ROW is scrolled away.
        """
        if not 0 <= row < self._rows:
            return None
        page_no, offset = divmod(row, PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            self._want(page_no, pinned=True)
            return None
        return page[offset] if offset < len(page) else None

    def set_visible(self, first_row: int, last_row: int) -> None:
        """The rows on screen: pages requested outside them are dropped, not fetched."""
        self._visible = (first_row, last_row)

    def reload(self) -> None:
        """Start again with the current filter (after F5 or an estate import)."""
        self.set_filter(self.filter, force=True)

    def set_filter(self, new: EstateFilter, force: bool = False) -> None:
        """Show the hubs matching NEW; the old answer's background work is abandoned."""
        if new == self.filter and not force and self.estate is not None:
            return
        for stale in (self._scan, self._count):
            if stale is not None:
                stale.cancel()  # an old filter's count must not hold up the new one's
        self._scan = self._count = None
        self._generation += 1
        generation = self._generation
        self.beginResetModel()
        self.filter = new
        self._rows = 0
        self._pages.clear()
        self._wanted.clear()
        self._pinned.clear()
        self._in_flight = None
        self.matching = None
        self._ids = None if new.is_empty else array("q")
        self._ids_complete = new.is_empty
        self.endResetModel()
        self.counted.emit(None, self.estate)
        if new.is_empty:
            self.console.read(lambda e: e.queries.estate_size(), lambda n: self._on_estate(generation, n),
                              label="reading the estate size")
        else:
            self.console.read(lambda e: e.queries.estate_page(new), lambda rows: self._on_first(generation, rows),
                              label="searching the estate")

    # -- answers arriving ----------------------------------------------------------------------
    def _current(self, generation: int) -> bool:
        return generation == self._generation

    def _on_estate(self, generation: int, n: int) -> None:
        if not self._current(generation):
            return
        self.estate = self.matching = n
        self._resize(n)
        self.counted.emit(n, n)

    def _on_first(self, generation: int, first: list[HubRow]) -> None:
        if not self._current(generation) or self._ids is None:
            return
        self._ids.extend(h.id for h in first)
        self._pages[0] = list(first)
        self._resize(len(first))
        if len(first) < PAGE_SIZE:  # the whole answer fitted on the first page
            self._finish_ids(generation)
            return
        f, after = self.filter, first[-1].id
        self._count = self.console.read(lambda e: e.queries.estate_count(f), lambda n: self._on_count(generation, n),
                                        label="counting matching hubs", lane=SCAN)
        if self.estate is None:
            self.console.read(lambda e: e.queries.estate_size(), lambda n: self._on_estate_size(generation, n),
                              label="reading the estate size", lane=SCAN)
        engine = self.console.engine

        def stream(ctx: TaskContext) -> None:
            engine.queries.estate_ids(f, ctx.partial, after_id=after, cancelled=ctx.cancelled)

        self._scan = self.console.runner.submit(
            stream, lane=SCAN, label="listing matching hubs",
            on_partial=lambda part: self._on_ids(generation, part),
            on_done=lambda _none: self._finish_ids(generation),
            on_error=lambda exc: self.console.messages.error(exc, "listing matching hubs"),
        )

    def _on_estate_size(self, generation: int, n: int) -> None:
        self.estate = n
        if self._current(generation):
            self.counted.emit(self.matching, n)

    def _on_count(self, generation: int, n: int) -> None:
        if not self._current(generation) or self._ids_complete:
            return
        self.matching = n
        self._resize(max(n, self._rows))
        self.counted.emit(n, self.estate)

    def _on_ids(self, generation: int, part: array[int]) -> None:
        if not self._current(generation) or self._ids is None:
            return
        self._ids.extend(part)
        if len(self._ids) > self._rows:
            self._resize(len(self._ids))
        self._pump()

    def _finish_ids(self, generation: int) -> None:
        if not self._current(generation) or self._ids is None:
            return
        self._ids_complete = True
        self._scan = None
        self.matching = len(self._ids)
        self._resize(len(self._ids))  # the count and the list can differ if the estate moved
        self.counted.emit(self.matching, self.estate)
        self._pump()

    # -- page fetching ----------------------------------------------------------------------------
    def _want(self, page_no: int, pinned: bool = False) -> None:
        self._wanted[page_no] = None
        self._wanted.move_to_end(page_no)
        if pinned:
            self._pinned.add(page_no)
        self._pump()

    def _fetchable(self, page_no: int) -> bool:
        if self._visible is not None and page_no not in self._pinned:
            first, last = self._visible
            if (page_no + 1) * PAGE_SIZE <= first or page_no * PAGE_SIZE > last:
                return False  # scrolled past before its turn came
        if self._ids is None:
            return True
        end = min((page_no + 1) * PAGE_SIZE, self._rows)
        return len(self._ids) >= end or self._ids_complete

    def _pump(self) -> None:
        """Fetch the most recently wanted page that can be fetched, one page at a time."""
        if self._in_flight is not None:
            return
        for page_no in list(reversed(self._wanted)):
            if page_no in self._pages:
                del self._wanted[page_no]
                continue
            if self._fetchable(page_no):
                break
        else:
            # Keep only what may still become fetchable (ids not yet streamed).
            for page_no in [p for p in self._wanted if self._visible_excludes(p) and p not in self._pinned]:
                del self._wanted[page_no]
            return
        del self._wanted[page_no]
        self._pinned.discard(page_no)
        self._in_flight = page_no
        generation = self._generation
        first_row = page_no * PAGE_SIZE
        last_row = min(first_row + PAGE_SIZE, self._rows)
        if self._ids is None:
            expected = list(range(first_row + 1, last_row + 1))  # row r is hub r + 1

            def query(e: Engine) -> list[HubRow]:
                return e.queries.estate_range(first_row + 1, last_row)
        else:
            expected = self._ids[first_row:last_row].tolist()

            def query(e: Engine) -> list[HubRow]:
                return e.queries.estate_rows(expected)

        self.console.runner.submit(
            self.console.reading(query), lane=PAGES, label="reading a page of hubs",
            on_done=lambda rows: self._on_page(generation, page_no, expected, rows),
            on_error=lambda exc: self._page_failed(generation, exc),
        )

    def _page_failed(self, generation: int, exc: BaseException) -> None:
        if self._current(generation):
            self._in_flight = None  # the next paint asks again
        self.console.messages.error(exc, "reading a page of hubs")

    def _visible_excludes(self, page_no: int) -> bool:
        if self._visible is None:
            return False
        first, last = self._visible
        return (page_no + 1) * PAGE_SIZE <= first or page_no * PAGE_SIZE > last

    def _on_page(self, generation: int, page_no: int, ids: list[int], rows: list[HubRow]) -> None:
        if not self._current(generation):
            return
        self._in_flight = None
        by_id = {hub.id: hub for hub in rows}
        self._pages[page_no] = [by_id.get(i) for i in ids]
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        first_row = page_no * PAGE_SIZE
        last_row = min(first_row + PAGE_SIZE, self._rows) - 1
        if last_row >= first_row:
            self.dataChanged.emit(self.index(first_row, 0), self.index(last_row, len(COLUMNS) - 1))
        self.page_loaded.emit(first_row)
        self._pump()

    def _resize(self, n: int) -> None:
        if n > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, n - 1)
            self._rows = n
            self.endInsertRows()
        elif n < self._rows:
            self.beginRemoveRows(QModelIndex(), n, self._rows - 1)
            self._rows = n
            self.endRemoveRows()
            for page_no in [p for p in self._pages if p * PAGE_SIZE >= n]:
                del self._pages[page_no]
