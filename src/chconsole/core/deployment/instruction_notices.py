"""What an instruction tells suppliers: the receipt to its sender, and word to the other
supplier of each split-supply hub, who learns that a second supplier exists and whether it
has instructed, never who it is (R4, R5)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from chconsole.core.notices import outbox
from chconsole.core.notices.outbox import Kind
from chconsole.core.rollout.guid_checks import REASON_TEXT, Refusal
from chconsole.core.storage.campaign_models import Instruction
from chconsole.core.storage.models import Release
from chconsole.core.storage.sql import with_timestamps
from chconsole.core.vocabulary.london import show, utc

LISTED = 200  # refused GUIDs named in the receipt's body; the attachment lists every line
SPLIT = "(import_supplier IS NOT NULL AND gas_supplier IS NOT NULL AND import_supplier <> gas_supplier)"


def _title(release: Release) -> str:
    return f"release {release.id} ({release.device_model}, firmware {release.to_version})"


def _dates(release: Release) -> tuple[str, str]:
    date = show(utc(release.deployment_date)) if release.deployment_date else "not set"
    cut_off = show(utc(release.cut_off)) if release.cut_off else "not set"
    return date, cut_off


def receipt(session: Session, release: Release, row: Instruction, scheduled: int, awaiting: int,
            refused: Sequence[Refusal], now: datetime, actor: str) -> None:
    """Confirm an instruction to its supplier: what goes ahead, what waits, what was refused."""
    date, cut_off = _dates(release)
    label = f" ({row.name})" if row.name else ""
    lines = [
        f"To {outbox.party_name(session, row.supplier)}",
        "",
        f"DCC received your instruction {row.id}{label} for {_title(release)} on {show(utc(row.received_at))}, "
        f"asking for activation at {show(utc(row.activate_at))}.",
        "",
        f"GUIDs in the instruction: {row.submitted:,}",
        f"Accepted: {scheduled + awaiting:,}",
        f"  scheduled for activation: {scheduled:,}",
    ]
    if awaiting:
        lines.append(f"  shared with another supplier that has not instructed them yet: {awaiting:,}. These keep "
                     f"the DCC deployment date ({date}) until the other supplier instructs too; then the later "
                     "of the two times is used.")
    lines.append(f"Refused: {len(refused):,}")
    if refused:
        lines += ["", "Refused GUIDs (line, GUID, reason):"]
        lines += [f"  {r.line}  {r.guid}  {r.reason.value}: {REASON_TEXT[r.reason]}" for r in refused[:LISTED]]
        if len(refused) > LISTED:
            lines.append(f"  ... and {len(refused) - LISTED:,} more, listed in the attached workbook.")
    lines += ["", f"The cut-off for instructions is {cut_off}; the DCC deployment date is {date}.",
              "The attached workbook lists every line of your instruction and what became of it."]
    outbox.add(session, release_id=release.id, recipient=row.supplier, kind=Kind.INSTRUCTION_RECEIPT,
                subject=f"Instruction {row.id} received: {_title(release)}, {scheduled + awaiting:,} accepted, "
                        f"{len(refused):,} refused",
                body="\n".join(lines) + "\n", now=now, actor=actor,
                attachment_kind="instruction", attachment_ref=row.id)


def consent(session: Session, release: Release, row: Instruction, mine: str, now: datetime, actor: str) -> None:
    """Tell the other supplier of each split-supply hub this instruction touched what it means.

    MINE is the SQL condition naming the hubs the instruction was accepted for."""
    date, cut_off = _dates(release)
    waiting: dict[str, int] = {}
    agreed: dict[str, list[tuple[datetime, int]]] = {}
    for other, state, planned, n in session.execute(with_timestamps(
            "SELECT CASE WHEN import_supplier = :s THEN gas_supplier ELSE import_supplier END AS other, state, "
            f"planned_activation AS planned, COUNT(*) FROM release_hub WHERE release_id = :r AND {SPLIT} {mine} "
            "GROUP BY CASE WHEN import_supplier = :s THEN gas_supplier ELSE import_supplier END, state, "
            "planned_activation", "planned"), {"r": release.id, "s": row.supplier}):
        if state == "AWAITING_OTHER_SUPPLIER":
            waiting[str(other)] = waiting.get(str(other), 0) + int(n)
        elif state == "SCHEDULED" and planned is not None:
            agreed.setdefault(str(other), []).append((utc(planned), int(n)))
    for party, n in sorted(waiting.items()):
        outbox.add(
            session, release_id=release.id, recipient=party, kind=Kind.INSTRUCTION_AWAITED,
            subject=f"Release {release.id}: another supplier has instructed {n:,} hubs you share",
            body=(f"To {outbox.party_name(session, party)}\n\n{n:,} hubs for which you are one of two suppliers "
                  f"in {_title(release)} have been instructed by the other supplier for activation at "
                  f"{show(utc(row.activate_at))}.\n\nAn earlier activation of a shared hub needs both suppliers' "
                  f"instructions. Until you instruct too, these hubs keep the DCC deployment date ({date}). If you "
                  f"instruct a different time, the later of the two is used. Instructions must reach DCC by the "
                  f"cut-off, {cut_off}.\n\nFor the supplier's privacy we do not say who the other supplier is.\n"),
            now=now, actor=actor)
    for party, groups in sorted(agreed.items()):
        total = sum(n for _, n in groups)
        times = "\n".join(f"  {n:,} hubs at {show(at)}" for at, n in sorted(groups))
        outbox.add(
            session, release_id=release.id, recipient=party, kind=Kind.INSTRUCTION_AGREED,
            subject=f"Release {release.id}: both suppliers have now instructed {total:,} shared hubs",
            body=(f"To {outbox.party_name(session, party)}\n\nThe other supplier of {total:,} hubs you share in "
                  f"{_title(release)} has now instructed them too. Each takes the later of the two times asked "
                  f"for:\n{times}\n\nFor the supplier's privacy we do not say who the other supplier is.\n"),
            now=now, actor=actor)


def supplier_changed(session: Session, release: Release, lost: dict[str, int], gained: dict[str, int],
                     now: datetime, actor: str) -> None:
    """An estate refresh changed hubs' suppliers: instructions of the old ones stop counting."""
    date, cut_off = _dates(release)
    for party, n in sorted(lost.items()):
        outbox.add(
            session, release_id=release.id, recipient=party, kind=Kind.INSTRUCTION_LAPSED,
            subject=f"Release {release.id}: your instructions no longer count for {n:,} hubs",
            body=(f"To {outbox.party_name(session, party)}\n\nThe Smart Metering Inventory no longer shows you as "
                  f"a supplier of {n:,} hubs you had instructed in {_title(release)}. Your instructions no longer "
                  "count for them. Hubs whose activation had not yet begun go back to the DCC deployment date "
                  f"({date}) unless their suppliers instruct.\n"),
            now=now, actor=actor)
    for party, n in sorted(gained.items()):
        outbox.add(
            session, release_id=release.id, recipient=party, kind=Kind.INSTRUCTION_LAPSED,
            subject=f"Release {release.id}: {n:,} hubs that became yours lost an earlier instruction",
            body=(f"To {outbox.party_name(session, party)}\n\nYou are now a supplier of {n:,} hubs in "
                  f"{_title(release)} that the previous supplier had instructed for earlier activation. That "
                  f"instruction no longer counts. Unless you instruct (by the cut-off, {cut_off}), they keep the "
                  f"DCC deployment date ({date}).\n"),
            now=now, actor=actor)
