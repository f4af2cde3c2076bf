"""Checking the GUIDs of a supplier's request against a release, one reason per refusal.

Used by pilot nominations (and, later, instructions). The request is loaded into a
temporary table and joined with the estate and the release's eligibility in one query;
each GUID then gets the first reason that applies, in the order of REASON_ORDER.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from chconsole.core.storage.models import Release, ReleaseFromVersion
from chconsole.core.vocabulary.guid import canonical_guid
from chconsole.core.vocabulary.smi import SmiStatus
from chconsole.core.vocabulary.states import HubState


class Reason(StrEnum):
    MALFORMED_GUID = "MALFORMED_GUID"
    DUPLICATE_IN_REQUEST = "DUPLICATE_IN_REQUEST"
    RELEASE_NOT_OPEN = "RELEASE_NOT_OPEN"
    UNKNOWN_GUID = "UNKNOWN_GUID"
    NOT_RESPONSIBLE = "NOT_RESPONSIBLE"
    ALREADY_ON_TARGET = "ALREADY_ON_TARGET"
    NOT_ELIGIBLE = "NOT_ELIGIBLE"
    NOT_COMMISSIONED = "NOT_COMMISSIONED"
    ALREADY_SCHEDULED = "ALREADY_SCHEDULED"
    PAST_CUT_OFF = "PAST_CUT_OFF"
    NOT_BEFORE_DCC_DATE = "NOT_BEFORE_DCC_DATE"
    TOO_SOON = "TOO_SOON"


REASON_TEXT = {
    Reason.MALFORMED_GUID: "not a GUID (eight hex octets)",
    Reason.DUPLICATE_IN_REQUEST: "listed more than once in this request",
    Reason.RELEASE_NOT_OPEN: "the release is revoked, paused, suspended or stopped",
    Reason.UNKNOWN_GUID: "not a hub in the Smart Metering Inventory",
    Reason.NOT_RESPONSIBLE: "you are neither its Import nor its Gas Supplier",
    Reason.ALREADY_ON_TARGET: "already runs the release's target firmware",
    Reason.NOT_ELIGIBLE: "its model or firmware is not in this release",
    Reason.NOT_COMMISSIONED: "not Commissioned in the SMI",
    Reason.ALREADY_SCHEDULED: "already in the pilot or a batch",
    Reason.PAST_CUT_OFF: "received after the cut-off",
    Reason.NOT_BEFORE_DCC_DATE: "the time asked for is not before the DCC deployment date",
    Reason.TOO_SOON: "the time asked for leaves less than the distribution lead time",
}

# Release states in which suppliers' requests are refused per GUID with RELEASE_NOT_OPEN.
NOT_OPEN = ("REVOKED", "PAUSED", "SUSPENDED", "STOPPED")
# States in which a hub can still be put in a pilot or a batch.
FREE = (HubState.ELIGIBLE.value, HubState.AWAITING_OTHER_SUPPLIER.value, HubState.HELD.value)


@dataclass(frozen=True)
class Refusal:
    line: int
    guid: str
    reason: Reason


@dataclass(frozen=True)
class Candidate:
    """A GUID that passed: the hub, the supplier's roles in it, and its place in the release."""

    line: int
    guid: str
    hub_id: int
    as_import: bool
    as_gas: bool
    split: bool  # the other role is held by a different supplier
    state: str
    pilot_import: bool
    pilot_gas: bool
    hub_group: str = "safe_launch"
    batch_id: int | None = None
    instr_import: bool = False  # an instruction counts for the hub's import role
    instr_gas: bool = False


def check(
    session: Session, release: Release, supplier: str | None, entries: Iterable[tuple[int, str]],
    time_reason: Reason | None = None,
) -> tuple[list[Candidate], list[Refusal]]:
    """Check each (line, GUID as written) of SUPPLIER's request against RELEASE.

    SUPPLIER None is DCC itself (a DCC batch), which is responsible for every hub.
    TIME_REASON refuses every well-formed GUID with that reason (the request's time is wrong:
    PAST_CUT_OFF, NOT_BEFORE_DCC_DATE, TOO_SOON), after the release's own state."""
    refused: list[Refusal] = []
    seen: set[str] = set()
    wanted: list[tuple[int, str]] = []
    for line, raw in entries:
        guid = canonical_guid(raw)
        shown = raw.strip()[:40]
        if guid is None:
            refused.append(Refusal(line, shown, Reason.MALFORMED_GUID))
        elif guid in seen:
            refused.append(Refusal(line, guid, Reason.DUPLICATE_IN_REQUEST))
        else:
            seen.add(guid)
            wanted.append((line, guid))
    if release.state in NOT_OPEN:
        refused += [Refusal(line, g, Reason.RELEASE_NOT_OPEN) for line, g in wanted]
        return [], sorted(refused, key=lambda r: r.line)
    if time_reason is not None:
        refused += [Refusal(line, g, time_reason) for line, g in wanted]
        return [], sorted(refused, key=lambda r: r.line)
    session.execute(text(
        "CREATE TEMP TABLE IF NOT EXISTS tmp_request (line INTEGER PRIMARY KEY, guid VARCHAR(23))"))
    session.execute(text("DELETE FROM tmp_request"))
    for i in range(0, len(wanted), 10_000):
        session.execute(text("INSERT INTO tmp_request (line, guid) VALUES (:l, :g)"),
                        [{"l": line, "g": g} for line, g in wanted[i:i + 10_000]])
    rows = session.execute(text(
        "SELECT t.line, t.guid, h.id, h.in_smi, h.device_model, h.firmware_version, h.smi_status, "
        "h.import_supplier, h.gas_supplier, rh.state, rh.pilot_import, rh.pilot_gas, rh.hub_group, "
        "rh.batch_id, rh.instr_import_id, rh.instr_gas_id "
        "FROM tmp_request t LEFT JOIN hub h ON h.guid = t.guid "
        "LEFT JOIN release_hub rh ON rh.release_id = :r AND rh.hub_id = h.id ORDER BY t.line"),
        {"r": release.id}).all()
    session.execute(text("DELETE FROM tmp_request"))
    from_versions = set(session.scalars(
        select(ReleaseFromVersion.firmware_version).where(ReleaseFromVersion.release_id == release.id)))
    accepted: list[Candidate] = []
    for (line, guid, hub_id, in_smi, model, firmware, status, imp, gas, state, p_imp, p_gas, group, batch,
         i_imp, i_gas) in rows:
        reason: Reason | None = None
        if hub_id is None or not in_smi:
            reason = Reason.UNKNOWN_GUID
        elif supplier is not None and supplier not in (imp, gas):
            reason = Reason.NOT_RESPONSIBLE
        elif model == release.device_model and firmware == release.to_version:
            reason = Reason.ALREADY_ON_TARGET
        elif model != release.device_model or firmware not in from_versions:
            reason = Reason.NOT_ELIGIBLE
        elif status != SmiStatus.COMMISSIONED.value:
            # Before the snapshot test: a hub that was not Commissioned at notice is not in
            # the release either, and its true reason is its SMI status.
            reason = Reason.NOT_COMMISSIONED
        elif state is None:
            reason = Reason.NOT_ELIGIBLE
        elif state not in FREE:
            reason = Reason.NOT_ELIGIBLE if state in ("EXCLUDED", "CANCELLED") else Reason.ALREADY_SCHEDULED
        if reason is not None:
            refused.append(Refusal(line, guid, reason))
            continue
        split = imp is not None and gas is not None and imp != gas
        accepted.append(Candidate(
            line, guid, int(hub_id), imp == supplier, gas == supplier, split, str(state),
            bool(p_imp), bool(p_gas), str(group), int(batch) if batch is not None else None,
            i_imp is not None, i_gas is not None))
    return accepted, sorted(refused, key=lambda r: r.line)
