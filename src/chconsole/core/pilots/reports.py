"""The pilot report (`export pilot`) and the nomination receipt, to one supplier each.

A supplier sees only its own hubs. For a split-supply hub it learns whether the other
supplier has nominated the hub, never who that supplier is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from chconsole.core.notices import outbox
from chconsole.core.releases.lifecycle import get
from chconsole.core.reports.workbook import Column, write_report
from chconsole.core.rollout.guid_checks import REASON_TEXT, Reason
from chconsole.core.storage.campaign_models import Nomination, Pilot
from chconsole.core.storage.parties import known_supplier
from chconsole.core.storage.sql import with_timestamps
from chconsole.core.vocabulary.errors import BadInput, NotFound
from chconsole.core.vocabulary.london import show, utc

PILOT_COLUMNS = (
    Column("GUID", 26),
    Column("Your role", 16),
    Column("Split supply", 13),
    Column("Other supplier nominated", 24),
    Column("CSP region", 12),
    Column("State", 24),
    Column("Failure reason", 22),
    Column("Image held since", 18, "datetime"),
    Column("Activation time", 18, "datetime"),
    Column("Activated", 18, "datetime"),
    Column("HAN trouble reported", 21),
    Column("DCC commentary", 60),
)

RECEIPT_COLUMNS = (
    Column("Line", 8, "int"),
    Column("GUID as sent", 26),
    Column("Outcome", 26),
    Column("Reason code", 22),
    Column("Reason", 55),
)


def _role(imp: str | None, gas: str | None, party: str) -> str:
    if imp == party and gas == party:
        return "Import and Gas"
    return "Import" if imp == party else "Gas"


def _pilot_rows(session: Session, release_id: int, party: str) -> Iterator[tuple[object, ...]]:
    comments = {int(h): str(t) for h, t in session.execute(text(
        "SELECT hub_id, text FROM hub_comment WHERE release_id = :r AND hub_id IS NOT NULL ORDER BY id"),
        {"r": release_id})}
    rows = session.execute(with_timestamps(
        "SELECT h.guid, rh.import_supplier, rh.gas_supplier, rh.pilot_import, rh.pilot_gas, rh.csp_region, "
        "rh.state, rh.reason, rh.distributed_at, rh.planned_activation, rh.activated_at, rh.han_trouble, "
        "rh.hub_id FROM release_hub rh JOIN hub h ON h.id = rh.hub_id WHERE rh.release_id = :r AND "
        "(rh.hub_group = 'pilot' OR rh.state = 'AWAITING_OTHER_SUPPLIER') AND (rh.import_supplier = :p "
        "OR rh.gas_supplier = :p) ORDER BY h.guid",
        "distributed_at", "planned_activation", "activated_at"), {"r": release_id, "p": party})
    for guid, imp, gas, p_imp, p_gas, region, state, reason, dist, planned, done, han, hub_id in rows:
        split = imp is not None and gas is not None and imp != gas
        other = ("Yes" if (p_gas if imp == party else p_imp) else "Not yet") if split else "-"
        yield (guid, _role(imp, gas, party), "Yes" if split else "No", other, region, state, reason or "",
               _t(dist), _t(planned), _t(done), "Yes" if han else "", comments.get(int(hub_id), ""))


def _t(value: datetime | None) -> datetime | None:
    return utc(value) if value is not None else None


def pilot(
    session: Session, release_id: int, party_id: str, out: Path,
    progress: Callable[[int], None] | None = None, cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write a supplier's pilot report: every pilot hub of its own, with its progress."""
    party = known_supplier(session, party_id)
    release = get(session, release_id)
    state = session.get(Pilot, release.id)
    if state is None:
        raise BadInput(f"Release {release_id} has no pilot: no supplier has nominated a hub for it yet.")
    general = session.execute(text(
        "SELECT text FROM hub_comment WHERE release_id = :r AND hub_id IS NULL ORDER BY id DESC LIMIT 1"),
        {"r": release.id}).scalar()
    facts = [
        ("Supplier", outbox.party_name(session, party.id)),
        ("Release", f"{release.id}: {release.device_model} firmware {release.to_version}"),
        ("Pilot", state.state.title() + (f", decision {state.decision}" if state.decision else "")),
        ("Started", show(utc(state.started_at)) if state.started_at else "not yet"),
        ("Activation", show(utc(state.activate_at)) if state.activate_at else "as soon as each hub holds the image"),
        ("DCC deployment date", show(utc(release.deployment_date)) if release.deployment_date else "-"),
        ("DCC's commentary", state.commentary or general or "-"),
    ]
    return write_report(out, f"Pilot report: release {release.id}", facts, PILOT_COLUMNS,
                        _pilot_rows(session, release.id, party.id), progress=progress, cancelled=cancelled,
                        empty_text="None of your hubs is in this pilot.")


def nomination_receipt(session: Session, nomination_id: int, out: Path) -> int:
    """Every GUID of one nomination and what became of it."""
    record = session.get(Nomination, nomination_id)
    if record is None:
        raise NotFound(f"There is no nomination {nomination_id}.")
    facts = [
        ("Supplier", outbox.party_name(session, record.supplier)),
        ("Release", str(record.release_id)),
        ("Received", show(utc(record.received_at))),
        ("Nominated by", record.source),
        ("Joined the pilot", f"{record.joined:,}"),
        ("Waiting for the other supplier", f"{record.awaiting:,}"),
        ("Refused", f"{record.refused:,}"),
    ]
    outcome = {"JOINED": "Joined the pilot", "AWAITING_OTHER_SUPPLIER": "Waiting for the other supplier",
               "REFUSED": "Refused"}
    rows = (
        (line, guid, outcome.get(o, o), reason or "", REASON_TEXT[Reason(reason)] if reason else "")
        for line, guid, o, reason in session.execute(text(
            "SELECT line, guid, outcome, reason FROM nomination_hub WHERE nomination_id = :n ORDER BY line"),
            {"n": nomination_id})
    )
    return write_report(out, f"Pilot nomination receipt: release {record.release_id}", facts,
                        RECEIPT_COLUMNS, rows, sheet_name="GUIDs", empty_text="No GUIDs.")
