"""What a decision tells everyone concerned (R6): each supplier what it means for each of its
pending instructions and batches, each CSP for its regions, and the SEC Panel its copy. No
notice names another supplier; the incident's own words are not passed on (they came from
a supplier), only the decision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from chconsole.core.deployment import schedule
from chconsole.core.incidents.triage import BODIES, Consequences
from chconsole.core.notices import outbox
from chconsole.core.notices.outbox import Kind
from chconsole.core.rollout import tallies
from chconsole.core.storage.campaign_models import Batch, Instruction
from chconsole.core.storage.incident_models import Incident
from chconsole.core.storage.models import Party, Release
from chconsole.core.vocabulary.london import show, utc
from chconsole.core.vocabulary.smi import CSP_OF_REGION
from chconsole.core.vocabulary.states import OPEN_HUB_STATES

PANEL_PARTY = "SECPANEL"
_OPEN = ", ".join(f"'{s.value}'" for s in OPEN_HUB_STATES)
_MEANING = {
    "proceed": "The rollout goes on as planned.",
    "pause": "The rollout is paused: nothing new is sent to hubs, activations already sent but not yet "
             "due are called back, and every hub keeps its state until the Panel decides it may resume.",
    "delay": "The DCC deployment date is delayed.",
    "stop": "The rollout is stopped: hubs not yet activated will not be updated under this release; "
            "hubs already activated keep the new firmware.",
}


def pending_of(session: Session, incident: Incident, found: Consequences) -> dict[str, list[str]]:
    """Per supplier concerned, its pending instructions and batches and what the decision does
    to each, in words; read before the decision is applied (a stop cancels them)."""
    release = session.get(Release, incident.release_id)
    assert release is not None
    return {party: _pending(session, release, party, found) for party in found.suppliers}


def decision_notices(session: Session, incident: Incident, found: Consequences, pending: dict[str, list[str]],
                     now: datetime, actor: str) -> int:
    """Queue the decision's notices (PENDING from `pending_of`, read before it was applied);
    returns how many."""
    release = session.get(Release, incident.release_id)
    assert release is not None
    head = (f"Release {release.id} ({release.device_model} to {release.to_version}): the DCC decision on "
            f"incident {incident.id}, {found.outcome}, was confirmed by {BODIES.get(incident.confirm_body or '', 'the Panel')} "
            f"on {show(utc(incident.confirmed_at or now))}.\n\n{_MEANING[found.outcome]}")
    if found.outcome == "delay" and found.new_date is not None:
        head += (f" The new DCC deployment date is {show(found.new_date)}; instructions to deploy earlier are "
                 f"taken until {show(utc(release.cut_off)) if release.cut_off else 'the new cut-off'}.")
    sent = 0
    for party in found.suppliers:
        lines = pending.get(party, [])
        body = (f"To {outbox.party_name(session, party)}\n\n{head}\n\n"
                + ("What it means for your pending instructions and batches:\n" + "\n".join(lines) if lines else
                   "You have no pending instruction or batch in this release; your hubs follow the decision."))
        outbox.add(session, release_id=release.id, recipient=party, kind=Kind.DECISION,
                   subject=f"Release {release.id}: decision confirmed ({found.outcome})", body=body, now=now, actor=actor)
        sent += 1
    regions = {key.partition("|")[0] for key, n in tallies.read(session, release.id, "region_state").items() if n}
    for csp in sorted({CSP_OF_REGION[r] for r in regions if r in CSP_OF_REGION}):
        outbox.add(session, release_id=release.id, recipient=csp, kind=Kind.DECISION,
                   subject=f"Release {release.id}: decision confirmed ({found.outcome})",
                   body=f"To {outbox.party_name(session, csp)}\n\n{head}", now=now, actor=actor)
        sent += 1
    if session.get(Party, PANEL_PARTY) is None:
        session.add(Party(id=PANEL_PARTY, name="SEC Panel", kind="panel"))
        session.flush()
    outbox.add(session, release_id=release.id, recipient=PANEL_PARTY, kind=Kind.DECISION,
               subject=f"Release {release.id}: decision recorded ({found.outcome})",
               body=f"To the SEC Panel\n\n{head}\n\n" + "\n".join(found.lines), now=now, actor=actor)
    return sent + 1


def halted(session: Session, release: Release, why: str, now: datetime, actor: str) -> int:
    """Tell everyone the release's notice went to that its rollout is halted, and why."""
    return _to_notified(session, release, Kind.RELEASE_HALTED, f"Release {release.id}: rollout halted", (
        f"The rollout of release {release.id} ({release.device_model} to {release.to_version}) is halted: "
        f"{why}\n\nNo further firmware command is sent to hubs under this release; activations already sent "
        "but not yet due are being called back. Your instructions and batches are kept and wait for the "
        "decision, which you will be told. Instructions for this release are refused until it resumes."),
        now, actor)


def resumed(session: Session, release: Release, now: datetime, actor: str) -> int:
    """Tell everyone the release's notice went to that its rollout goes on."""
    return _to_notified(session, release, Kind.RELEASE_RESUMED, f"Release {release.id}: rollout resumed", (
        f"The rollout of release {release.id} ({release.device_model} to {release.to_version}) goes on after the "
        "Panel's decision. Hubs held meanwhile go back to their place; batches whose time passed while it was "
        "halted are re-planned or run by DCC, which will tell you the new times."), now, actor)


def _to_notified(session: Session, release: Release, kind: str, subject: str, message: str, now: datetime,
                 actor: str) -> int:
    parties = outbox.recipients_of(session, release.id)
    for party in parties:
        outbox.add(session, release_id=release.id, recipient=party, kind=kind, subject=subject,
                   body=f"To {outbox.party_name(session, party)}\n\n{message}", now=now, actor=actor)
    return len(parties)


def _pending(session: Session, release: Release, party: str, found: Consequences) -> list[str]:
    lines = []
    for i in session.scalars(select(Instruction).where(
            Instruction.release_id == release.id, Instruction.supplier == party, Instruction.accepted > 0)
            .order_by(Instruction.id)):
        lines.append(f"- Your instruction {i.id} for {show(utc(i.activate_at))}: {_fate(found, utc(i.activate_at))}")
    batch_ids = [int(b) for (b,) in session.execute(text(
        f"SELECT DISTINCT batch_id FROM release_hub WHERE release_id = :r AND batch_id IS NOT NULL AND "
        f"state IN ({_OPEN}) AND (import_supplier = :p OR gas_supplier = :p)"), {"r": release.id, "p": party})]
    for b in session.scalars(select(Batch).where(Batch.id.in_(batch_ids)).order_by(Batch.activate_at, Batch.id)):
        what = schedule.KIND_TITLE.get(b.kind, b.kind)
        fate = (f"moved to {show(found.new_date)}" if found.outcome == "delay" and b.kind == schedule.DEPLOYMENT_DATE
                and found.new_date is not None else _fate(found, utc(b.activate_at)))
        lines.append(f"- {what} {b.id} ({b.name}) for {show(utc(b.activate_at))}: {fate}")
    return lines


def _fate(found: Consequences, when: datetime) -> str:
    if found.outcome == "stop":
        return "cancelled"
    if found.outcome == "pause":
        return "held until the decision to resume"
    if found.outcome == "delay":
        return "kept (it is before the new date)"
    return "kept"
