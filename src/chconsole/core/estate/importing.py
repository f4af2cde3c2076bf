"""Importing and refreshing the SMI estate extract.

The file is read once, streamed into a staging table in chunks, checked as a whole, and
applied with a few set-based statements in the same transaction: a bad file changes nothing,
and a million-row extract never passes through Python as objects.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chconsole.core.estate.extract_rows import COLUMNS, Checker, check_rest
from chconsole.core.estate.tally import recount, write_tally
from chconsole.core.storage.models import Hub
from chconsole.core.storage.sql import rowcount
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.incoming import csv_reader, read_fields
from chconsole.core.vocabulary.states import OPEN_HUB_STATES

CHUNK = 50_000
@dataclass(frozen=True)
class GoneHub:
    release_id: int
    guid: str
    import_supplier: str | None
    gas_supplier: str | None


@dataclass
class ImportResult:
    rows: int = 0
    added: int = 0
    updated: int = 0
    supplier_changes: int = 0
    gone: int = 0
    skipped: list[str] = field(default_factory=list)
    new_suppliers: list[str] = field(default_factory=list)
    left_releases: list[GoneHub] = field(default_factory=list)


def _create_stage(session: Session, postgres: bool) -> None:
    cols = (
        "line INTEGER, guid VARCHAR(23), device_model VARCHAR(40), firmware_version VARCHAR(8), "
        "smi_status VARCHAR(24), csp_region VARCHAR(16), import_supplier VARCHAR(16), "
        "gas_supplier VARCHAR(16)"
    )
    if postgres:
        session.execute(text(f"CREATE TEMP TABLE estate_stage ({cols}) ON COMMIT DROP"))
    else:
        session.execute(text("DROP TABLE IF EXISTS temp.estate_stage"))
        session.execute(text(f"CREATE TEMP TABLE estate_stage ({cols})"))


def _load(session: Session, postgres: bool, batch: list[tuple[Any, ...]]) -> None:
    if not batch:
        return
    raw = session.connection().connection.driver_connection
    if postgres:
        with raw.cursor() as cur, cur.copy(  # type: ignore[union-attr]
            "COPY estate_stage (line, guid, device_model, firmware_version, smi_status, "
            "csp_region, import_supplier, gas_supplier) FROM STDIN"
        ) as copy:
            for row in batch:
                copy.write_row(row)
    else:
        raw.executemany(  # type: ignore[union-attr]
            "INSERT INTO estate_stage VALUES (?,?,?,?,?,?,?,?)", batch
        )
    batch.clear()


class _NotClean(Exception):
    """The fast first load met a bad row or a repeated GUID: use the general path."""


def import_estate(
    session: Session,
    path: Path,
    *,
    full: bool = False,
    skip_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Load or refresh the estate from an SMI extract. The caller owns the transaction.

    Hub ids are dense (1..N in extract order) and never reused, so a screen can page the
    whole estate by id without counting it.
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    if session.execute(text("SELECT 1 FROM hub LIMIT 1")).first() is None:
        savepoint = session.begin_nested()
        try:
            result = _first_load(session, path, postgres, progress)
        except _NotClean:
            savepoint.rollback()
        else:
            savepoint.commit()
            return result
    return _staged_load(session, path, postgres, full, skip_invalid, progress)


def _first_load(
    session: Session, path: Path, postgres: bool, progress: Callable[[int], None] | None
) -> ImportResult:
    """Into an empty estate: rows straight into the hub table, indexes built once at the end.

    The tightest loop in the product (15 million rows at full GB size): rows stream from
    the file through the checks into the driver's executemany without being collected.
    """
    connection = session.connection()
    indexes = list(Hub.__table__.indexes)  # type: ignore[attr-defined]
    for index in indexes:
        index.drop(connection)
    # Each distinct combination of the six columns after the GUID is checked once; its
    # entry holds the canonical values and how many hubs have them.
    known: dict[tuple[str, ...], list[Any]] = {}

    def hub_rows() -> Iterator[tuple[Any, ...]]:
        # One flat loop, no layers: at 15 million rows every step per row shows. GUIDs
        # are checked afterwards, in SQL, all at once.
        for guid, key in _extract_rows(path, progress):
            entry = known.get(key)
            if entry is None:
                rest = check_rest(key)
                if isinstance(rest, str):
                    raise _NotClean
                entry = known[key] = [rest, 0]
            entry[1] += 1
            yield (guid, *entry[0])

    raw = connection.connection.driver_connection
    # Millions of short-lived tuples: the cyclic collector would walk them over and over.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _insert_hubs(raw, postgres, hub_rows())
    finally:
        if collecting:
            gc.enable()
    if _any_uncanonical_guid(session, postgres):
        raise _NotClean  # lower case, no hyphens or not a GUID at all: the careful path
    total = sum(entry[1] for entry in known.values())
    result = ImportResult(rows=total, added=total)
    if result.rows == 0:
        raise BadInput(f"The SMI extract {path.name!r} holds no hub rows; nothing was imported.")
    try:
        with session.begin_nested():
            for index in indexes:
                index.create(connection)
    except IntegrityError:
        raise _NotClean from None  # a GUID twice: the general path lists where
    result.new_suppliers = _add_suppliers(
        session, {p for rest, _n in known.values() for p in rest[4:] if p is not None})
    # rest is (model, firmware, status, region, import, gas); the tally wants
    # (status, region, model, import, gas, hubs).
    groups: Counter[tuple[str | None, ...]] = Counter()
    for r, n in known.values():
        groups[r[2], r[3], r[0], r[4], r[5]] += n
    write_tally(session, ((*k, n) for k, n in groups.items()))
    return result


def _insert_hubs(raw: Any, postgres: bool, rows: Iterator[tuple[Any, ...]]) -> None:
    """Rows into the empty hub table; ids 1..N in file order."""
    if postgres:
        with raw.cursor() as cur, cur.copy(
            "COPY hub (id, guid, device_model, firmware_version, smi_status, csp_region, "
            "import_supplier, gas_supplier, in_smi) FROM STDIN"
        ) as copy:
            for n, row in enumerate(rows, start=1):
                copy.write_row((n, *row, True))
    else:
        # An empty table's rowids start at 1 and follow the insertion order.
        raw.executemany(
            "INSERT INTO hub (guid, device_model, firmware_version, smi_status, csp_region, "
            "import_supplier, gas_supplier, in_smi) VALUES (?,?,?,?,?,?,?,1)",
            rows,
        )


def _any_uncanonical_guid(session: Session, postgres: bool) -> bool:
    """Whether any GUID loaded is not exactly eight upper-case hex octets with hyphens."""
    if postgres:
        test = "guid !~ '^[0-9A-F]{2}(-[0-9A-F]{2}){7}$'"
    else:
        octet = "[0-9A-F][0-9A-F]"
        test = f"length(guid) <> 23 OR guid NOT GLOB '{'-'.join([octet] * 8)}'"
    return session.execute(text(f"SELECT 1 FROM hub WHERE {test} LIMIT 1")).first() is not None


def _extract_rows(
    path: Path, progress: Callable[[int], None] | None = None
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The extract's rows as (GUID, the other six columns in the order of COLUMNS)."""
    fast = csv_reader(path, COLUMNS, "SMI extract", progress, CHUNK)
    if fast is None:
        for line, rec in read_fields(path, COLUMNS, "SMI extract"):
            if progress is not None and not line % CHUNK:
                progress(line)
            yield rec[0], rec[1:]
        return
    index, reader = fast
    guid_at = index[0]
    rest_of = itemgetter(*index[1:])
    width = max(index) + 1
    for row in reader:
        try:
            yield row[guid_at], rest_of(row)
        except IndexError:  # a blank line, or a short row whose last cells are empty
            if len(row) > 1 or (row and row[0].strip()):
                row = row + [""] * (width - len(row))
                yield row[guid_at], rest_of(row)


def _staged_load(
    session: Session,
    path: Path,
    postgres: bool,
    full: bool,
    skip_invalid: bool,
    progress: Callable[[int], None] | None,
) -> ImportResult:
    """The general path: stage the file, check it whole, apply it with set-based SQL."""
    rows = read_fields(path, COLUMNS, "SMI extract")
    _create_stage(session, postgres)
    result = ImportResult()
    problems: list[str] = []
    suppliers: set[str] = set()
    batch: list[tuple[Any, ...]] = []
    checker = Checker()
    for line, rec in rows:
        staged, problem = checker.check(line, rec)
        if staged is None:
            problems.append(problem or f"line {line}: unreadable")
            continue
        if staged[6]:
            suppliers.add(staged[6])
        if staged[7]:
            suppliers.add(staged[7])
        batch.append(staged)
        result.rows += 1
        if len(batch) >= CHUNK:
            _load(session, postgres, batch)
            if progress:
                progress(result.rows)
    _load(session, postgres, batch)
    session.execute(text("CREATE INDEX ix_estate_stage_guid ON estate_stage (guid)"))
    problems.extend(_duplicates(session))
    if problems and not skip_invalid:
        shown = len(problems)
        raise BadInput(
            f"The SMI extract {path.name!r} has {shown} bad row(s); nothing was imported "
            "(fix them, or import the good rows with --skip-invalid).",
            problems=sorted(problems, key=_line_of),
        )
    result.skipped = sorted(problems, key=_line_of)
    if skip_invalid:
        # Keep the first row of a GUID that appears twice; the later ones were reported.
        session.execute(
            text(
                "DELETE FROM estate_stage WHERE line NOT IN "
                "(SELECT MIN(line) FROM estate_stage GROUP BY guid)"
            )
        )
        result.rows -= sum(1 for p in problems if "also on line" in p)
    if result.rows == 0:
        raise BadInput(f"The SMI extract {path.name!r} holds no hub rows; nothing was imported.")
    result.new_suppliers = _add_suppliers(session, suppliers)
    _apply(session, postgres, full, result)
    recount(session)
    return result


def _line_of(problem: str) -> int:
    try:
        return int(problem.split(":", 1)[0].removeprefix("line "))
    except ValueError:
        return 0


def _duplicates(session: Session) -> list[str]:
    # The cheap question first (a scan of the guid index); the lines only when needed.
    if session.execute(
        text("SELECT guid FROM estate_stage GROUP BY guid HAVING COUNT(*) > 1 LIMIT 1")
    ).first() is None:
        return []
    found = session.execute(
        text(
            "SELECT s.line, s.guid, f.first FROM estate_stage s JOIN "
            "(SELECT guid, MIN(line) AS first FROM estate_stage GROUP BY guid "
            "HAVING COUNT(*) > 1) f ON f.guid = s.guid WHERE s.line <> f.first"
        )
    ).all()
    return [f"line {line}: GUID {guid} also on line {first}" for line, guid, first in found]


def _add_suppliers(session: Session, suppliers: set[str]) -> list[str]:
    known = {p for (p,) in session.execute(text("SELECT id FROM party"))}
    new = sorted(suppliers - known)
    if new:
        session.execute(
            text("INSERT INTO party (id, name, kind) VALUES (:id, :id, 'supplier')"),
            [{"id": p} for p in new],
        )
    return new


def _apply(session: Session, postgres: bool, full: bool, result: ImportResult) -> None:
    differs = "IS DISTINCT FROM" if postgres else "IS NOT"
    has_hubs = session.execute(text("SELECT 1 FROM hub LIMIT 1")).first() is not None
    # New hubs take the next ids in extract order, so ids stay dense.
    insert = (
        "INSERT INTO hub (id, guid, device_model, firmware_version, smi_status, csp_region, "
        "import_supplier, gas_supplier, in_smi) SELECT "
        "(SELECT COALESCE(MAX(id), 0) FROM hub) + ROW_NUMBER() OVER (ORDER BY s.line), "
        "s.guid, s.device_model, s.firmware_version, s.smi_status, s.csp_region, "
        "s.import_supplier, s.gas_supplier, TRUE FROM estate_stage s"
    )
    if not has_hubs:
        result.added = rowcount(session.execute(text(insert)))
        return
    # Hubs whose suppliers change, kept for R4: the old suppliers' instructions stop counting.
    session.execute(text(
        "CREATE TEMP TABLE IF NOT EXISTS tmp_supplier_change (hub_id BIGINT PRIMARY KEY, "
        "old_import VARCHAR(16), old_gas VARCHAR(16), new_import VARCHAR(16), new_gas VARCHAR(16))"))
    session.execute(text("DELETE FROM tmp_supplier_change"))
    result.supplier_changes = rowcount(session.execute(
        text(
            "INSERT INTO tmp_supplier_change (hub_id, old_import, old_gas, new_import, new_gas) "
            "SELECT h.id, h.import_supplier, h.gas_supplier, s.import_supplier, s.gas_supplier "
            "FROM hub h JOIN estate_stage s ON s.guid = h.guid WHERE "
            f"h.import_supplier {differs} s.import_supplier OR h.gas_supplier {differs} s.gas_supplier"
        )
    ))
    result.updated = rowcount(session.execute(
        text(
            "UPDATE hub SET device_model = s.device_model, firmware_version = s.firmware_version, "
            "smi_status = s.smi_status, csp_region = s.csp_region, "
            "import_supplier = s.import_supplier, gas_supplier = s.gas_supplier, in_smi = TRUE "
            "FROM estate_stage s WHERE hub.guid = s.guid AND ("
            "hub.device_model <> s.device_model OR hub.firmware_version <> s.firmware_version "
            "OR hub.smi_status <> s.smi_status OR hub.csp_region <> s.csp_region "
            f"OR hub.import_supplier {differs} s.import_supplier "
            f"OR hub.gas_supplier {differs} s.gas_supplier OR NOT hub.in_smi)"
        )
    ))
    result.added = rowcount(session.execute(
        text(
            insert + " WHERE NOT EXISTS (SELECT 1 FROM hub h WHERE h.guid = s.guid)"
        )
    ))
    if full:
        _mark_gone(session, result)


def _mark_gone(session: Session, result: ImportResult) -> None:
    """Hubs missing from a complete extract leave the SMI and every open release."""
    result.gone = rowcount(session.execute(
        text(
            "UPDATE hub SET in_smi = FALSE WHERE in_smi AND NOT EXISTS "
            "(SELECT 1 FROM estate_stage s WHERE s.guid = hub.guid)"
        )
    ))
    if not result.gone:
        return
    states = ", ".join(f"'{s.value}'" for s in OPEN_HUB_STATES)
    where = (
        f"rh.state IN ({states}) AND NOT h.in_smi AND rh.release_id IN "
        "(SELECT id FROM release WHERE state NOT IN ('DRAFT', 'REVOKED', 'COMPLETED', 'STOPPED'))"
    )
    rows = session.execute(
        text(
            "SELECT rh.release_id, h.guid, rh.import_supplier, rh.gas_supplier "
            f"FROM release_hub rh JOIN hub h ON h.id = rh.hub_id WHERE {where} "
            "ORDER BY rh.release_id, h.guid"
        )
    ).all()
    result.left_releases = [GoneHub(r[0], r[1], r[2], r[3]) for r in rows]
    if rows:
        session.execute(
            text(
                "UPDATE release_hub SET state = 'EXCLUDED', reason = 'NOT_IN_SMI' WHERE "
                "release_id = :r AND hub_id IN (SELECT id FROM hub WHERE guid = :g)"
            ),
            [{"r": r[0], "g": r[1]} for r in rows],
        )
