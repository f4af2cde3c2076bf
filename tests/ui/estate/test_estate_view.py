"""The estate browser: counts, filters, GUID search, scrolling to the end, hub details."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from chconsole.core.estate.pages import PAGE_SIZE, EstateFilter
from chconsole.ui.estate.model import LOADING, EstateModel
from chconsole.ui.estate.view import EstateView
from chconsole.ui.runtime.context import Console

Settle = Callable[..., None]


def _sql(console: Console, query: str, *args: object) -> list[tuple[object, ...]]:
    path = Path(console.engine.db.url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as c:
        return c.execute(query, args).fetchall()


@pytest.fixture
def view(console: Console, qtbot, settle: Settle) -> Iterator[EstateView]:
    v = EstateView(console)
    qtbot.addWidget(v)
    v.resize(1300, 800)
    v.show()
    v.refresh()
    settle(lambda: v.choices is not None and v.model.matching is not None)
    yield v


def _cell(view: EstateView, row: int, column: int = 0) -> object:
    return view.model.data(view.model.index(row, column))


def _wait_row(view: EstateView, settle: Settle, row: int) -> None:
    view.model.hub_at(row)  # asks for the page if it is not loaded
    settle(lambda: view.model.hub_at(row) is not None)


def test_the_whole_estate_is_counted_and_shown(view: EstateView, console: Console, settle: Settle) -> None:
    assert view.model.rowCount() == 3000
    assert view.count_label.text() == "3,000 hubs"
    _wait_row(view, settle, 0)
    first_guid = _sql(console, "SELECT guid FROM hub WHERE id = 1")[0][0]
    assert _cell(view, 0) == first_guid


def test_the_model_passes_qt_model_checks(view: EstateView, qtmodeltester, settle: Settle) -> None:
    for row in range(0, 3000, PAGE_SIZE):
        _wait_row(view, settle, row)
    qtmodeltester.check(view.model)


def test_a_row_shows_loading_until_its_page_arrives(console: Console, settle: Settle) -> None:
    model = EstateModel(console)
    model.set_filter(EstateFilter(), force=True)
    settle(lambda: model.rowCount() == 3000)
    assert model.data(model.index(2999, 0)) == LOADING
    assert model.data(model.index(2999, 1)) is None
    settle(lambda: model.hub_at(2999) is not None)
    assert model.data(model.index(2999, 0)) == _sql(console, "SELECT guid FROM hub WHERE id = 3000")[0][0]


def test_a_supplier_filter_counts_either_role(view: EstateView, console: Console, settle: Settle) -> None:
    expected = _sql(console, "SELECT COUNT(*) FROM hub WHERE import_supplier = 'OCTO' OR gas_supplier = 'OCTO'")[0][0]
    view.supplier.select("OCTO")
    settle(lambda: view.model.matching is not None)
    assert view.model.rowCount() == expected
    assert view.count_label.text() == f"{expected:,} of 3,000 hubs match"
    _wait_row(view, settle, expected - 1)
    hub = view.model.hub_at(expected - 1)
    assert hub is not None and "OCTO" in (hub.import_supplier, hub.gas_supplier)


def test_filters_combine_and_clear(view: EstateView, console: Console, settle: Settle) -> None:
    expected = _sql(console, "SELECT COUNT(*) FROM hub WHERE device_model = 'EDMI-CHF-420' "
                    "AND smi_status = 'Commissioned' AND csp_region = 'South'")[0][0]
    view.device_model.select("EDMI-CHF-420")
    view.status.select("Commissioned")
    view.region.select("South")
    settle(lambda: view.model.matching is not None and view.model.filter.region == "South")
    assert view.model.rowCount() == expected
    # Choosing a model narrows the firmware choices to that model's CPL versions.
    versions = [view.firmware.itemText(i) for i in range(1, view.firmware.count())]
    assert versions and all(v.startswith("0002") for v in versions)
    view.clear_filters()
    settle(lambda: view.model.filter.is_empty and view.model.matching is not None)
    assert view.model.rowCount() == 3000


def test_guid_search_finds_the_hub_and_opens_it(view: EstateView, console: Console, qtbot, settle: Settle) -> None:
    guid = _sql(console, "SELECT guid FROM hub WHERE id = 1234")[0][0]
    qtbot.keyClicks(view.search, guid.replace("-", "").lower())  # as a supplier might write it
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    settle(lambda: view.model.matching == 1 and view.panel.hub is not None)
    assert view.count_label.text() == "1 of 3,000 hubs matches"
    assert _cell(view, 0) == guid
    assert view.panel.isVisible() and view.panel.heading.text() == guid


def test_guid_prefix_search_and_a_malformed_one(view: EstateView, console: Console, qtbot, settle: Settle) -> None:
    expected = _sql(console, "SELECT COUNT(*) FROM hub WHERE guid LIKE '00-DB-12%'")[0][0]
    view.search.setText("00db12")
    view.apply_filter()
    settle(lambda: view.model.matching is not None and view.model.filter.guid_prefix == "00-DB-12")
    assert view.model.rowCount() == expected
    view.search.setText("00-DB-1X")
    view.apply_filter()
    assert "not a GUID" in view.search_error.text()
    assert view.model.filter.guid_prefix == "00-DB-12"  # the last good search still stands


def test_scrolling_to_the_last_row_shows_the_last_hub(view: EstateView, console: Console, qtbot, settle: Settle) -> None:
    last_guid = _sql(console, "SELECT guid FROM hub ORDER BY id DESC LIMIT 1")[0][0]
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    settle(lambda: view.model.hub_at(2999) is not None)
    qtbot.waitUntil(lambda: view.table.rowAt(view.table.viewport().height() - 1) in (2999, -1))
    assert _cell(view, 2999) == last_guid
    assert view.table.currentIndex().row() == 2999


def test_enter_opens_the_hub_details(view: EstateView, console: Console, qtbot, settle: Settle) -> None:
    _wait_row(view, settle, 0)
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    settle(lambda: view.panel.hub is not None)
    hub = view.panel.hub
    assert hub is not None and hub.guid == _cell(view, 0)
    assert view.panel._values["Device model"].text() == hub.device_model


def test_an_eligible_hub_shows_its_release_and_planned_activation(
    view: EstateView, console: Console, settle: Settle
) -> None:
    guid = _sql(console, "SELECT h.guid FROM release_hub rh JOIN hub h ON h.id = rh.hub_id "
                         "WHERE rh.release_id = 1 ORDER BY h.id LIMIT 1")[0][0]
    view.show_hub(guid)
    settle(lambda: view.panel.hub is not None)
    texts = [label.text() for label in view.panel.body.findChildren(type(view.count_label))]
    assert "Release 1 \u00b7 Pilot running" in texts  # the demo's release 1 is in its pilot
    assert "2027-05-02 09:00 BST" in texts  # notice + 6 months, in London time
