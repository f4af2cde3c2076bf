"""Paging the estate: counts, keyset pages, streamed ids, pages by id, GUID prefixes, choices."""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest

from chconsole.core.estate import pages
from chconsole.core.estate.pages import EstateFilter
from chconsole.core.rollout import eligibility
from chconsole.core.storage.db import Database
from chconsole.core.vocabulary.errors import BadInput
from sim.demo import build

HUBS = 3000


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Path]]:
    path = tmp_path_factory.mktemp("estate") / "demo.db"
    build(f"sqlite:///{path}", hubs=HUBS).db.dispose()
    db = Database(f"sqlite:///{path}")
    yield db, path
    db.dispose()


def _sql(path: Path, query: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as c:
        return c.execute(query, args).fetchall()


FILTERS = [
    EstateFilter(supplier="OCTO"),
    EstateFilter(model="EDMI-CHF-420", status="Commissioned"),
    EstateFilter(firmware="0002012F"),
    EstateFilter(region="North", supplier="BGAS"),
    EstateFilter(status="Pending"),
    EstateFilter(guid_prefix="00-DB-12"),
    EstateFilter(supplier="VALE", region="South"),
]
WHERE = [
    "import_supplier = 'OCTO' OR gas_supplier = 'OCTO'",
    "device_model = 'EDMI-CHF-420' AND smi_status = 'Commissioned'",
    "firmware_version = '0002012F'",
    "csp_region = 'North' AND (import_supplier = 'BGAS' OR gas_supplier = 'BGAS')",
    "smi_status = 'Pending'",
    "guid LIKE '00-DB-12%'",
    "csp_region = 'South' AND (import_supplier = 'VALE' OR gas_supplier = 'VALE')",
]


def test_the_unfiltered_estate_is_its_highest_id(demo) -> None:
    db, _path = demo
    with db.reading() as s:
        assert pages.max_id(s) == HUBS
        assert pages.count(s, EstateFilter()) == HUBS
        last = pages.rows_in_range(s, HUBS - 199, HUBS)
    assert [h.id for h in last] == list(range(HUBS - 199, HUBS + 1))


@pytest.mark.parametrize(("f", "where"), list(zip(FILTERS, WHERE, strict=True)))
def test_count_ids_and_pages_agree_with_sql(demo, f: EstateFilter, where: str) -> None:
    db, path = demo
    expected = [i for (i,) in _sql(path, f"SELECT id FROM hub WHERE {where} ORDER BY id")]
    with db.reading() as s:
        assert pages.count(s, f) == len(expected)
        first = pages.page_after(s, f)
        assert [h.id for h in first] == expected[: pages.PAGE_SIZE]
        chunks: list[array[int]] = []
        rest = pages.ids(s, f, chunk=chunks.append, after_id=first[-1].id if first else 0)
        assert [h.id for h in first] + list(rest) == expected
        assert sum(len(c) for c in chunks) == len(rest)
        tail = expected[-pages.PAGE_SIZE:]
        assert [h.id for h in pages.rows_by_ids(s, tail)] == tail


def test_ids_stream_in_chunks_and_stop_when_cancelled(demo, monkeypatch: pytest.MonkeyPatch) -> None:
    db, _path = demo
    monkeypatch.setattr(pages, "ID_CHUNK", 500)
    chunks: list[int] = []
    with db.reading() as s:
        every = pages.ids(s, EstateFilter(supplier="BGAS"), chunk=lambda c: chunks.append(len(c)))
        assert chunks[:-1] == [500] * (len(chunks) - 1) and sum(chunks) == len(every)
        stopped = pages.ids(s, EstateFilter(supplier="BGAS"), cancelled=lambda: len(chunks) > 0)
    assert len(stopped) == 0


def test_rows_by_ids_keeps_the_order_asked_and_skips_unknown_ids(demo) -> None:
    db, path = demo
    with db.reading() as s:
        rows = pages.rows_by_ids(s, [17, 3, 99_999, 2500])
    assert [h.id for h in rows] == [17, 3, 2500]
    guid, model, imp = _sql(path, "SELECT guid, device_model, import_supplier FROM hub WHERE id = 17")[0]
    assert (rows[0].guid, rows[0].device_model, rows[0].import_supplier) == (guid, model, imp)


@pytest.mark.parametrize(("typed", "prefix"), [
    ("00db12", "00-DB-12"),
    ("00-db-1", "00-DB-1"),
    ("00:DB:12:3", "00-DB-12-3"),
    ("00DB1234567890A0", "00-DB-12-34-56-78-90-A0"),
    ("00-DB-", "00-DB"),
    ("  ", None),
])
def test_guid_prefixes_are_canonical(typed: str, prefix: str | None) -> None:
    assert pages.guid_prefix(typed) == prefix


@pytest.mark.parametrize("typed", ["00-DB-1X", "0-DB-12", "00DB12345678901234", "00--DB", "hello"])
def test_malformed_guid_searches_are_refused(typed: str) -> None:
    with pytest.raises(BadInput, match="not a GUID"):
        pages.guid_prefix(typed)


def test_a_whole_guid_finds_its_hub(demo) -> None:
    db, path = demo
    guid = str(_sql(path, "SELECT guid FROM hub WHERE id = 1234")[0][0])
    typed = guid.replace("-", "").lower()
    with db.reading() as s:
        found = pages.page_after(s, EstateFilter(guid_prefix=pages.guid_prefix(typed)))
    assert [h.id for h in found] == [1234]


def test_filter_choices(demo) -> None:
    db, path = demo
    with db.reading() as s:
        c = pages.choices(s)
    assert len(c.suppliers) == 20 and ("OCTO", "Octave Energy") in c.suppliers
    assert dict(c.regions) == {r: n for r, n in _sql(path, "SELECT csp_region, COUNT(*) FROM hub GROUP BY 1")}
    assert "Commissioned" in dict(c.statuses)
    assert [m for m, _n in c.models] == sorted(m for (m,) in _sql(path, "SELECT DISTINCT device_model FROM hub"))
    assert c.firmware_for("EDMI-CHF-420")[-1] == "00020204"  # the CPL's target, though no hub runs it
    assert set(c.firmware_for(None)) == {v for (v,) in _sql(path, "SELECT firmware_version FROM cpl_entry")}


def test_eligible_preview_matches_what_notify_snapshots(demo) -> None:
    db, path = demo
    with db.reading() as s:
        preview = eligibility.preview(s, "EDMI-CHF-420", ["00020124", "0002012F"])
    snapshot = _sql(path, "SELECT COUNT(*) FROM release_hub WHERE release_id = 1")[0][0]
    assert preview.hubs == snapshot  # release 1 was notified on just these versions
    told = {p for (p,) in _sql(path, "SELECT DISTINCT recipient FROM notice WHERE release_id = 1")}
    assert set(preview.suppliers) == told - {"TELEFONICA", "ARQIVA"}
    assert sum(preview.regions.values()) == preview.hubs
