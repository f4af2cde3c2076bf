"""Reading the estate a page at a time, for the estate browser (up to 15 million hubs).

Hub ids are dense (1..N in import order) and hubs are never deleted, so the unfiltered
estate needs no id list at all: row r is hub r + 1 and the row count is max(id). A filter
is answered in three parts so the screen never waits for the whole answer: the first page
by keyset (shown at once), the match count, and the matching ids streamed in id order into
a compact ``array('q')`` (8 bytes a hub) from which any later page is fetched by id.

Nothing here counts or lists in Python what SQL can do, and every query is keyset, never
OFFSET, so the last page of 15 million costs what the first one does.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from chconsole.core.storage.models import CplEntry, EstateTally, Hub, Party
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.guid import canonical_guid

PAGE_SIZE = 200
ID_CHUNK = 100_000  # ids per keyset chunk when streaming a filter's matches
_HEX = re.compile(r"[0-9A-F]{1,16}")


@dataclass(frozen=True)
class EstateFilter:
    """What the estate browser is narrowed to; None means "any".

    Attributes:
        supplier: Party id holding either supply role (Import or Gas Supplier).
        model: Device model.
        firmware: Firmware version (8 hex characters).
        status: SMI status.
        region: CSP region.
        guid_prefix: Canonical GUID or a prefix of the canonical form (see guid_prefix()).
    """

    supplier: str | None = None
    model: str | None = None
    firmware: str | None = None
    status: str | None = None
    region: str | None = None
    guid_prefix: str | None = None

    @property
    def is_empty(self) -> bool:
        """True when the filter lets every hub through."""
        return not any(
            (self.supplier, self.model, self.firmware, self.status, self.region, self.guid_prefix)
        )


@dataclass(frozen=True)
class HubRow:
    """One row of the estate browser: a hub's SMI record."""

    id: int
    guid: str
    device_model: str
    firmware_version: str
    smi_status: str
    csp_region: str
    import_supplier: str | None
    gas_supplier: str | None
    in_smi: bool


@dataclass(frozen=True)
class FilterChoices:
    """The values each filter can take, with hub counts where the tallies have them.

    Attributes:
        suppliers: (party id, name) of every supplier.
        models: (model, hubs) from the estate tallies.
        statuses: (SMI status, hubs) from the estate tallies.
        regions: (CSP region, hubs) from the estate tallies.
        firmware: Every firmware version on the CPL, per device model.
    """

    suppliers: tuple[tuple[str, str], ...]
    models: tuple[tuple[str, int], ...]
    statuses: tuple[tuple[str, int], ...]
    regions: tuple[tuple[str, int], ...]
    firmware: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def firmware_for(self, model: str | None) -> tuple[str, ...]:
        """Firmware versions of MODEL on the CPL, or of every model when MODEL is None."""
        if model is not None:
            return self.firmware.get(model, ())
        return tuple(sorted({v for versions in self.firmware.values() for v in versions}))


def guid_prefix(text: str) -> str | None:
    """The canonical GUID, or canonical GUID prefix, a person typed; None if blank.

    ``00db12`` becomes ``00-DB-12`` and ``00-db-1`` becomes ``00-DB-1``, so a search by
    prefix is a range scan over the unique GUID index.

    Raises:
        BadInput: The text is not hex digits in octets (at most eight).
    """
    raw = text.strip()
    if not raw:
        return None
    full = canonical_guid(raw)
    if full is not None:
        return full
    parts = re.split(r"[-: ]", raw.upper())
    # Separators may sit only between whole octets; the last octet may be half typed.
    whole_octets = all(len(p) == 2 for p in parts[:-1]) and len(parts[-1]) <= 2
    compact = "".join(parts)
    if (len(parts) > 1 and not whole_octets) or not _HEX.fullmatch(compact):
        raise BadInput(f"{text!r} is not a GUID or the start of one (for example 00-DB-12).")
    return "-".join(compact[i : i + 2] for i in range(0, len(compact), 2))


def _conditions(f: EstateFilter, in_id_order: bool = False) -> list[ColumnElement[bool]]:
    """The WHERE terms of F. IN_ID_ORDER hides the columns from their indexes (see _id_order)."""

    def col(c: Any) -> Any:
        # "col || ''" has the same value but no index, which leaves SQLite only the rowid.
        return c + "" if in_id_order else c

    out: list[ColumnElement[bool]] = []
    if f.supplier:
        out.append(or_(col(Hub.import_supplier) == f.supplier, col(Hub.gas_supplier) == f.supplier))
    if f.model:
        out.append(col(Hub.device_model) == f.model)
    if f.firmware:
        out.append(col(Hub.firmware_version) == f.firmware)
    if f.status:
        out.append(col(Hub.smi_status) == f.status)
    if f.region:
        out.append(col(Hub.csp_region) == f.region)
    if f.guid_prefix:
        # A range, not LIKE: it uses the unique GUID index on every backend. Every GUID
        # character sorts below "~", so prefix + "~" bounds all GUIDs that start with it.
        out.append(and_(Hub.guid >= f.guid_prefix, Hub.guid < f.guid_prefix + "~"))
    return out


def _id_order(session: Session, f: EstateFilter) -> bool:
    """Whether to walk the hubs in id order rather than through a column's index.

    Paging wants matches in id order. SQLite's planner prefers an index on the filtered
    column and then sorts every match to find the first 200: 160 ms at a million hubs for
    a large supplier, and each further chunk sorts all the remaining matches again. When
    the tallies say at least 1 hub in 100 matches, walking the primary key finds a page
    within a few thousand rows instead. PostgreSQL keeps statistics and plans this itself.
    """
    if session.get_bind().dialect.name != "sqlite" or f.guid_prefix or f.is_empty:
        return False
    tally = {
        (str(d), str(k)): int(n)
        for d, k, n in session.execute(
            select(EstateTally.dimension, EstateTally.key, EstateTally.hubs)
        )
    }
    total = tally.get(("total", "in_smi"), 0)
    if total <= 0:
        return False
    share = 1.0
    if f.supplier:
        share *= min(1.0, (tally.get(("import", f.supplier), 0) + tally.get(("gas", f.supplier), 0)) / total)
    for dim, value in (("model", f.model), ("status", f.status), ("region", f.region)):
        if value:
            share *= tally.get((dim, value), 0) / total
    if f.firmware:
        share *= 0.2  # no tally per version; a model's main versions hold a fifth or more
    return share >= 0.01


_ROW_COLUMNS = (
    Hub.id, Hub.guid, Hub.device_model, Hub.firmware_version, Hub.smi_status,
    Hub.csp_region, Hub.import_supplier, Hub.gas_supplier, Hub.in_smi,
)


def _row(r: Any) -> HubRow:
    return HubRow(
        int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]),
        None if r[6] is None else str(r[6]), None if r[7] is None else str(r[7]), bool(r[8]),
    )


def max_id(session: Session) -> int:
    """The unfiltered row count: hub ids are dense from 1 (an index lookup, not a count)."""
    return int(session.scalar(select(func.max(Hub.id))) or 0)


def count(session: Session, f: EstateFilter) -> int:
    """How many hubs match F. Scans on unindexed filters: call it off the GUI thread."""
    if f.is_empty:
        return max_id(session)
    return int(session.scalar(select(func.count()).select_from(Hub).where(*_conditions(f))) or 0)


def page_after(session: Session, f: EstateFilter, after_id: int = 0, n: int = PAGE_SIZE) -> list[HubRow]:
    """Up to N matching hubs with id above AFTER_ID, in id order (keyset paging)."""
    where = _conditions(f, _id_order(session, f))
    q = select(*_ROW_COLUMNS).where(Hub.id > after_id, *where).order_by(Hub.id).limit(n)
    return [_row(r) for r in session.execute(q)]


def ids(
    session: Session,
    f: EstateFilter,
    chunk: Callable[[array[int]], None] | None = None,
    after_id: int = 0,
    cancelled: Callable[[], bool] | None = None,
) -> array[int]:
    """Every matching hub id above AFTER_ID, in id order.

    One query, streamed: each chunk is handed to CHUNK as it arrives, so the caller can
    page through the first matches while the rest still stream. (Keyset chunks would make
    an index plan sort all the remaining matches again for every chunk.) Stops early,
    returning what it has, when CANCELLED says so.
    """
    out: array[int] = array("q")
    q = select(Hub.id).where(Hub.id > after_id, *_conditions(f)).order_by(Hub.id)
    # Core rows, not ORM: for a single integer column the ORM layer costs more than SQLite.
    result = session.connection().execute(q).scalars()
    try:
        for rows in result.partitions(ID_CHUNK):
            if cancelled is not None and cancelled():
                break
            part = array("q", rows)
            out.extend(part)
            if chunk is not None:
                chunk(part)
    finally:
        result.close()
    return out


def rows_by_ids(session: Session, hub_ids: Sequence[int]) -> list[HubRow]:
    """The hubs with these ids (one page), in the order given; unknown ids are left out."""
    if not hub_ids:
        return []
    wanted = list(hub_ids)
    lo, hi = min(wanted), max(wanted)
    if hi - lo + 1 == len(wanted):
        q = select(*_ROW_COLUMNS).where(Hub.id >= lo, Hub.id <= hi)  # a contiguous run: a range scan
    else:
        q = select(*_ROW_COLUMNS).where(Hub.id.in_(wanted))
    found = {row.id: row for row in map(_row, session.execute(q))}
    return [found[i] for i in wanted if i in found]


def rows_in_range(session: Session, first_id: int, last_id: int) -> list[HubRow]:
    """Hubs FIRST_ID..LAST_ID inclusive, in id order: an unfiltered page."""
    q = select(*_ROW_COLUMNS).where(Hub.id >= first_id, Hub.id <= last_id).order_by(Hub.id)
    return [_row(r) for r in session.execute(q)]


def choices(session: Session) -> FilterChoices:
    """The filter choices: suppliers from the parties, the rest from tallies and the CPL."""
    suppliers = tuple(
        (str(i), str(n))
        for i, n in session.execute(
            select(Party.id, Party.name).where(Party.kind == "supplier").order_by(Party.id)
        )
    )
    tally: dict[str, list[tuple[str, int]]] = {}
    for dim, key, hubs in session.execute(
        select(EstateTally.dimension, EstateTally.key, EstateTally.hubs).order_by(EstateTally.key)
    ):
        tally.setdefault(str(dim), []).append((str(key), int(hubs)))
    firmware: dict[str, list[str]] = {}
    for model, version in session.execute(
        select(CplEntry.device_model, CplEntry.firmware_version).order_by(
            CplEntry.device_model, CplEntry.firmware_version
        )
    ):
        firmware.setdefault(str(model), []).append(str(version))
    return FilterChoices(
        suppliers=suppliers,
        models=tuple(tally.get("model", [])),
        statuses=tuple(tally.get("status", [])),
        regions=tuple(tally.get("region", [])),
        firmware={m: tuple(v) for m, v in firmware.items()},
    )
