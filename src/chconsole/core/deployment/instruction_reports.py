"""The instructions report (`export instructions`), the instruction receipt, and a
supplier's list of its hubs in a DCC batch.

For a split-supply hub the supplier learns that another supplier shares it and whether
that supplier has instructed, never who it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from chconsole.core.notices import outbox
from chconsole.core.reports.workbook import Column, write_report
from chconsole.core.rollout.guid_checks import REASON_TEXT, Reason
from chconsole.core.storage.campaign_models import Batch, Instruction
from chconsole.core.storage.models import Release
from chconsole.core.storage.parties import known_supplier
from chconsole.core.storage.sql import with_timestamps
from chconsole.core.vocabulary.errors import NotFound
from chconsole.core.vocabulary.london import show, utc

COLUMNS = (
    Column("Instruction", 12, "int"),
    Column("Your batch name", 20),
    Column("Received", 18, "datetime"),
    Column("Time asked for", 18, "datetime"),
    Column("Line", 8, "int"),
    Column("GUID", 26),
    Column("Outcome", 12),
    Column("Reason code", 22),
    Column("Reason", 50),
    Column("Your role", 16),
    Column("Shared with another supplier", 16),
    Column("Other supplier instructed", 16),
    Column("Still counts", 40),
    Column("Planned activation", 18, "datetime"),
    Column("State now", 24),
)
# The receipt: what became of each line, without the columns that repeat the instruction.
RECEIPT_PICK = (4, 5, 6, 7, 8, 10, 11, 13)
RECEIPT_COLUMNS = tuple(COLUMNS[i] for i in RECEIPT_PICK)
BATCH_COLUMNS = (
    Column("GUID", 26),
    Column("Your role", 16),
    Column("CSP region", 12),
    Column("State", 24),
    Column("Planned activation", 18, "datetime"),
)
_QUERY = (
    "SELECT i.id, i.name, i.received_at, i.activate_at AS asked, l.line, l.guid, l.reason, i.supplier, "
    "rh.import_supplier, rh.gas_supplier, rh.instr_import_id, rh.instr_gas_id, rh.planned_activation AS planned, "
    "rh.state, r.deployment_date AS dcc_date "
    "FROM instruction i JOIN instruction_line l ON l.instruction_id = i.id JOIN release r ON r.id = i.release_id "
    "LEFT JOIN release_hub rh ON rh.release_id = i.release_id AND rh.hub_id = l.hub_id "
)


def _role(imp: str | None, gas: str | None, party: str) -> str:
    if imp == party and gas == party:
        return "Import and Gas"
    if imp == party:
        return "Import"
    return "Gas" if gas == party else "No longer yours"


def _rows(session: Session, where: str, params: dict[str, object]) -> Iterator[tuple[object, ...]]:
    rows = session.execute(with_timestamps(
        f"{_QUERY} {where} ORDER BY i.id, l.line", "received_at", "asked", "planned", "dcc_date"), params)
    for (ins, name, received, asked, line, guid, reason, party, imp, gas, i_imp, i_gas, planned, state,
         dcc_date) in rows:
        base = (ins, name or "", utc(received), utc(asked), line, guid)
        if reason is not None:
            yield (*base, "Refused", reason, REASON_TEXT[Reason(reason)], "", "", "", "", None, "")
            continue
        split = imp is not None and gas is not None and imp != gas
        mine_import, mine_gas = i_imp == ins, i_gas == ins
        counts = mine_import or mine_gas
        other = "-"
        if split:
            other = "Yes" if ((i_gas is not None) if imp == party else (i_imp is not None)) else "Not yet"
        if counts and split and other == "Not yet":
            still = ("Yes, waiting for the other supplier" if state in ("ELIGIBLE", "AWAITING_OTHER_SUPPLIER")
                     else "No: the other supplier did not instruct, so DCC's time applied")
        elif counts:
            still = "Yes"
        elif party not in (imp, gas):
            still = "No: you are no longer its supplier"
        else:
            still = "No: replaced or cancelled"
        when = planned if planned is not None else (dcc_date if state in ("ELIGIBLE", "AWAITING_OTHER_SUPPLIER")
                                                    else None)
        yield (*base, "Accepted", "", "", _role(imp, gas, party), "Yes" if split else "No", other, still,
               utc(when) if when is not None else None, state or "")


def instructions(
    session: Session, party_id: str, release_id: int | None, out: Path,
    progress: Callable[[int], None] | None = None, cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write a supplier's instructions report: every line of every instruction it sent."""
    party = known_supplier(session, party_id)
    where, params = "WHERE i.supplier = :p", dict[str, object](p=party.id)
    if release_id is not None:
        if session.get(Release, release_id) is None:
            raise NotFound(f"There is no release {release_id}.")
        where += " AND i.release_id = :r"
        params["r"] = release_id
    query = select(Instruction).where(Instruction.supplier == party.id)
    if release_id is not None:
        query = query.where(Instruction.release_id == release_id)
    sent = list(session.scalars(query))
    facts = [
        ("Supplier", outbox.party_name(session, party.id)),
        ("Release", str(release_id) if release_id is not None else "all releases"),
        ("Instructions", f"{len(sent):,}"),
        ("GUIDs accepted", f"{sum(i.accepted for i in sent):,}"),
        ("GUIDs refused", f"{sum(i.refused for i in sent):,}"),
        ("Split supply", "Where another supplier shares a hub, both must instruct; the later time is used. "
                         "We never say who the other supplier is."),
    ]
    return write_report(out, "Instructions report", facts, COLUMNS, _rows(session, where, params),
                        sheet_name="Instructions", progress=progress, cancelled=cancelled,
                        empty_text="You have sent no instructions.")


def receipt(session: Session, instruction_id: int, out: Path) -> int:
    """Every line of one instruction and what became of it."""
    row = session.get(Instruction, instruction_id)
    if row is None:
        raise NotFound(f"There is no instruction {instruction_id}.")
    facts = [
        ("Supplier", outbox.party_name(session, row.supplier)),
        ("Release", str(row.release_id)),
        ("Received", show(utc(row.received_at))),
        ("Time asked for", show(utc(row.activate_at))),
        ("Source", row.source),
        ("Accepted", f"{row.accepted:,}"),
        ("Refused", f"{row.refused:,}"),
    ]
    lines = (tuple(values[i] for i in RECEIPT_PICK)
             for values in _rows(session, "WHERE i.id = :i", {"i": instruction_id}))
    return write_report(out, f"Instruction receipt: release {row.release_id}", facts, RECEIPT_COLUMNS,
                        lines, sheet_name="GUIDs", empty_text="No GUIDs.")


def batch_hubs(session: Session, batch_id: int, party: str, out: Path) -> int:
    """One supplier's hubs in a DCC batch."""
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound(f"There is no batch {batch_id}.")
    facts = [
        ("Supplier", outbox.party_name(session, party)),
        ("Release", str(batch.release_id)),
        ("Batch", f"{batch.id}: {batch.name}"),
        ("Activation", show(utc(batch.activate_at))),
    ]
    rows = session.execute(with_timestamps(
        "SELECT h.guid, rh.import_supplier, rh.gas_supplier, rh.csp_region, rh.state, "
        "rh.planned_activation AS planned FROM release_hub rh JOIN hub h ON h.id = rh.hub_id "
        "WHERE rh.batch_id = :b AND (rh.import_supplier = :p OR rh.gas_supplier = :p) ORDER BY h.guid",
        "planned"), {"b": batch_id, "p": party})

    def values() -> Iterator[tuple[object, ...]]:
        for guid, imp, gas, region, state, planned in rows:
            yield (guid, _role(imp, gas, party), region, state, utc(planned) if planned else None)

    return write_report(out, f"Hubs in DCC batch {batch.id}: release {batch.release_id}", facts,
                        BATCH_COLUMNS, values(), empty_text="None of your hubs is in this batch.")


