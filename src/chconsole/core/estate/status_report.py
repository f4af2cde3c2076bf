"""The estate status report (R5): the firmware status of one supplier's whole estate.

Every hub in the SMI where the supplier is the Import or the Gas Supplier, with its SMI
record and its place in the latest release it belongs to (or in one chosen release).
A split-supply hub says only that it is shared with another supplier, never with whom.

The estate may hold millions of the supplier's hubs, so rows come from SQL a keyset page
at a time (hub id order, the order of the SMI import) and go straight to the workbook
writer; nothing holds the estate in memory. Continuation sheets, progress, cancellation
and the all-or-nothing file are the writer's (core/workbook.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from chconsole.core.notices import outbox
from chconsole.core.releases.lifecycle import get
from chconsole.core.reports.workbook import Column, write_report
from chconsole.core.storage import clock
from chconsole.core.storage.campaign_models import Pilot
from chconsole.core.storage.models import Release, Setting
from chconsole.core.storage.parties import known_supplier
from chconsole.core.storage.sql import with_timestamps
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import show, utc
from chconsole.core.vocabulary.states import OPEN_HUB_STATES

REPORT = "estate-status"
PAGE = 10_000  # hubs per keyset page: one short query each, never OFFSET

COLUMNS = (
    Column("GUID", 26),
    Column("Your role", 16),
    Column("Shared with another supplier", 15),
    Column("Device model", 18),
    Column("Firmware version", 11),
    Column("SMI status", 15),
    Column("CSP region", 11),
    Column("Release", 9, "int"),
    Column("Target firmware", 11),
    Column("Rollout state", 16),
    Column("Reason", 14),
    Column("Group", 11),
    Column("Planned activation", 18, "datetime"),
    Column("Activated at", 18, "datetime"),
)
GROUPS = {"pilot": "Pilot", "safe_launch": "Safe launch"}
_OPEN = frozenset(OPEN_HUB_STATES)
_CLOSED_RELEASES = frozenset({"REVOKED", "STOPPED"})

_HUBS = (
    "SELECT h.id, h.guid, h.import_supplier, h.gas_supplier, h.device_model, "
    "h.firmware_version, h.smi_status, h.csp_region FROM hub h WHERE h.id > :after AND h.in_smi "
    "AND (h.import_supplier = :p OR h.gas_supplier = :p) ORDER BY h.id LIMIT :n"
)
# The hub's latest release is the one with the highest id it has a place in.
_LATEST = "(SELECT MAX(x.release_id) FROM release_hub x WHERE x.hub_id = h.id)"
_PAGE = (
    "SELECT h.id, h.guid, h.import_supplier, h.gas_supplier, h.device_model, h.firmware_version, "
    "h.smi_status, h.csp_region, rh.release_id, rh.state, rh.reason, rh.hub_group, "
    "rh.planned_activation, rh.activated_at "
    f"FROM ({_HUBS}) h LEFT JOIN release_hub rh ON rh.hub_id = h.id AND rh.release_id = {{which}} "
    "ORDER BY h.id"
)


@dataclass(frozen=True)
class EstateCounts:
    """One supplier's hubs in the SMI, by role.

    Attributes:
        hubs: Hubs where the supplier holds either role.
        as_import: Hubs where it is the Import Supplier.
        as_gas: Hubs where it is the Gas Supplier.
        both: Hubs where it holds both roles.
        shared: Hubs whose other role another supplier holds (split supply).
    """

    hubs: int
    as_import: int
    as_gas: int
    both: int
    shared: int


@dataclass(frozen=True)
class _Release:
    """What a row needs of a release, read once per report rather than joined per hub."""

    to_version: str
    state: str
    deployment_date: datetime | None
    pilot_activate_at: datetime | None


def counts(session: Session, party_id: str) -> EstateCounts:
    """Count a supplier's hubs in the SMI by role: one scan of the hub table, in SQL."""
    party = known_supplier(session, party_id).id
    row = session.execute(text(
        "SELECT COUNT(*), "
        "SUM(CASE WHEN import_supplier = :p THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN gas_supplier = :p THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN import_supplier = :p AND gas_supplier = :p THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN import_supplier <> gas_supplier THEN 1 ELSE 0 END) "
        "FROM hub WHERE in_smi AND (import_supplier = :p OR gas_supplier = :p)"), {"p": party}).one()
    return EstateCounts(*(int(v or 0) for v in row))


def role(import_supplier: str | None, gas_supplier: str | None, party: str) -> str:
    """The supplier's role for a hub: "Import", "Gas" or "Import and Gas"."""
    if import_supplier == party and gas_supplier == party:
        return "Import and Gas"
    return "Import" if import_supplier == party else "Gas"


def _planned_activation(
    planned: datetime | None, state: str, group: str, release: _Release
) -> datetime | None:
    """When the hub is due to activate: the rule of core/hubs.py `_place`.

    A recorded time wins. Otherwise an open hub of a live release activates at DCC's pilot
    activation time (pilot hubs) or at the DCC deployment date (safe-launch hubs not held).
    """
    if planned is not None or state not in _OPEN or release.state in _CLOSED_RELEASES:
        return planned
    if group == "pilot":
        return release.pilot_activate_at
    return None if state == "HELD" else release.deployment_date


def write(
    session: Session,
    supplier: str,
    path: Path,
    *,
    release_id: int | None = None,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    now: datetime | None = None,
) -> int:
    """Write a supplier's estate status report and return the number of hubs in it.

    Args:
        session: A read session. On SQLite its transaction gives every page one snapshot;
            on PostgreSQL each page sees what was committed before it (hub ids only grow,
            so the keyset pages still neither skip nor repeat a hub).
        supplier: The supplier's party id (any case).
        path: The .xlsx file to write; replaced only once the report is complete.
        release_id: Show each hub's place in this release instead of its latest one.
        progress: Called with the hubs written so far, every 10,000 hubs and at the end.
        cancelled: Polled every 10,000 hubs; True stops the report and leaves no file.
        now: The report's time (default: the database's clock).

    Raises:
        BadInput: The supplier or the release is unknown, or the release was never notified.
        ReportCancelled: `cancelled` returned True; no file was left behind.
    """
    party = known_supplier(session, supplier)
    chosen: Release | None = None
    if release_id is not None:
        chosen = get(session, release_id)
        if chosen.notified_at is None:
            raise BadInput(f"Release {release_id} has not been notified; no hub has a place in it yet.")
    tally = counts(session, party.id)
    when = now or _database_now(session)
    facts = [
        ("Supplier", outbox.party_name(session, party.id)),
        ("Generated", show(when)),
        ("Your hubs in the SMI", f"{tally.hubs:,}"),
        ("By role", f"Import {tally.as_import:,}, Gas {tally.as_gas:,}, both {tally.both:,}"),
        ("Shared with another supplier", f"{tally.shared:,}"),
        ("Release columns", (
            f"release {chosen.id}: {chosen.device_model} firmware {chosen.to_version} ({chosen.state})"
            if chosen is not None else "each hub's latest release; blank if it is in none")),
        ("Times", "London time"),
    ]
    return write_report(
        path, "Estate status report", facts, COLUMNS,
        rows(session, party.id, release_id),
        progress=progress, cancelled=cancelled,
        empty_text="You are not the Import or Gas Supplier of any hub in the SMI.")


def rows(session: Session, party: str, release_id: int | None = None) -> Iterator[tuple[object, ...]]:
    """The report's rows for the supplier PARTY (a party id), one keyset page of SQL at a time.

    A hub in no release (or not in RELEASE_ID) has only its first seven values.
    """
    releases = _releases(session)
    query = with_timestamps(_PAGE.format(which=":r" if release_id is not None else _LATEST),
                            "planned_activation", "activated_at")
    params: dict[str, Any] = {"p": party, "n": PAGE, "after": 0}
    if release_id is not None:
        params["r"] = release_id
    while True:
        page = session.execute(query, params).all()
        for (_id, guid, imp, gas, model, firmware, status, region, rel, state, reason, group,
             planned, activated) in page:
            shared = "Yes" if imp is not None and gas is not None and imp != gas else "No"
            head = (guid, role(imp, gas, party), shared, model, firmware, status, region)
            if rel is None:
                yield head
                continue
            release = releases.get(rel)
            if release is None:  # notified since the report began (PostgreSQL: read committed)
                releases = _releases(session)
                release = releases[rel]
            yield (*head, rel, release.to_version, state, reason, GROUPS.get(group, group),
                   _planned_activation(planned, state, group, release), activated)
        if len(page) < PAGE:
            return
        params["after"] = page[-1][0]


def _releases(session: Session) -> dict[int, _Release]:
    """Every release (a few hundred at most), with its pilot's activation time."""
    pilots = {p.release_id: p.activate_at for p in session.scalars(select(Pilot))}
    return {
        r.id: _Release(r.to_version, r.state, _utc(r.deployment_date), _utc(pilots.get(r.id)))
        for r in session.scalars(select(Release))
    }


def _utc(value: datetime | None) -> datetime | None:
    return utc(value) if value is not None else None


def _database_now(session: Session) -> datetime:
    mode = session.get(Setting, clock.CLOCK_MODE)
    if mode is not None and mode.value == "simulated":
        return clock.read_simulated_now(session)
    return datetime.now(UTC)
