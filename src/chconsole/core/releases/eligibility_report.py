"""The eligibility report (R1): one supplier's eligible hubs, its role for each; never another's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from chconsole.core.notices import outbox
from chconsole.core.releases.lifecycle import get, view
from chconsole.core.reports.workbook import Column, write_report
from chconsole.core.storage.parties import known_supplier
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import show

ELIGIBILITY_COLUMNS = (
    Column("GUID", 26),
    Column("Your role", 21),
    Column("Split supply", 13),
    Column("Device model", 20),
    Column("Current firmware", 17),
    Column("CSP region", 12),
    Column("State in this release", 22),
)



def _role(import_supplier: str | None, gas_supplier: str | None, party: str) -> str:
    if import_supplier == party and gas_supplier == party:
        return "Import and Gas"
    return "Import" if import_supplier == party else "Gas"


def _eligibility_rows(session: Session, release_id: int, party: str) -> Iterator[tuple[object, ...]]:
    result = session.execute(
        text(
            "SELECT h.guid, rh.import_supplier, rh.gas_supplier, h.device_model, "
            "h.firmware_version, rh.csp_region, rh.state FROM release_hub rh "
            "JOIN hub h ON h.id = rh.hub_id WHERE rh.release_id = :r "
            "AND (rh.import_supplier = :p OR rh.gas_supplier = :p) ORDER BY h.guid"
        ).execution_options(yield_per=10_000),
        {"r": release_id, "p": party},
    )
    for guid, imp, gas, model, firmware, region, state in result:
        split = imp is not None and gas is not None and imp != gas
        yield (guid, _role(imp, gas, party), "Yes" if split else "No", model, firmware, region, state)


def eligibility(
    session: Session,
    release_id: int,
    party_id: str,
    out: Path,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write a supplier's eligibility report for a notified release; returns the hub count."""
    party = known_supplier(session, party_id)
    release = get(session, release_id)
    if release.notified_at is None:
        raise BadInput(f"Release {release_id} has not been notified; it has no eligible hubs yet.")
    v = view(session, release_id)
    mine = next((s for s in v.suppliers if s.party == party.id), None)
    facts = [
        ("Supplier", outbox.party_name(session, party.id)),
        ("Release", f"{v.id} ({v.type_title})"),
        ("Device model", f"{v.model} ({v.manufacturer})" if v.manufacturer else v.model),
        ("Upgrade", f"{', '.join(v.from_versions)} to {v.to_version}"),
        ("Image SHA-256", v.image_hash),
        ("Severity / priority", f"{v.severity} / {v.priority}"),
        ("Release note", v.release_note),
        ("State", v.state),
        ("Notified", show(v.notified_at)),
        ("DCC deployment date", show(v.deployment_date)),
        ("Instruction cut-off", show(v.cut_off)),
        (
            "Your eligible hubs",
            f"{mine.total:,} (Import {mine.as_import:,}, Gas {mine.as_gas:,}, both {mine.as_both:,}; "
            f"split supply {mine.split:,})" if mine else "none",
        ),
    ]
    return write_report(
        out,
        f"Eligibility report: release {v.id}, {v.model} firmware {v.to_version}",
        facts,
        ELIGIBILITY_COLUMNS,
        _eligibility_rows(session, release_id, party.id),
        progress=progress,
        cancelled=cancelled,
    )
