"""Releases and their notices (R1): draft, notify, revoke, update the release note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chconsole.core.notices import outbox
from chconsole.core.notices.outbox import Kind
from chconsole.core.rollout import eligibility, tallies
from chconsole.core.rollout.dispatch import cancel_open
from chconsole.core.storage.models import CplEntry, Release, ReleaseFromVersion, ReleaseNoteChange
from chconsole.core.vocabulary.errors import BadInput, IllegalTransition, NotFound
from chconsole.core.vocabulary.london import add_months, show, utc
from chconsole.core.vocabulary.release_terms import RELEASE_TYPES, priority, release_type, severity
from chconsole.core.vocabulary.smi import CSP_OF_REGION, canonical_firmware, canonical_model
from chconsole.core.vocabulary.states import HubState, ReleaseState, check_release_move

NOTICE_MONTHS = 6  # the DCC date normally falls six months after notice
CUT_OFF_MONTHS = 1  # instructions must arrive a month before the DCC date


@dataclass(frozen=True)
class ReleaseDraft:
    model: str
    from_versions: Sequence[str]
    to_version: str
    severity: str
    priority: str
    release_note: str
    release_type: str
    deployment_date: datetime | None = None
    pilot_cap: int = 300  # hubs per supplier in the pilot
    distribution_lead_days: int = 7
    guard_max_failure_pct: float = 2.0  # the failure guard (R6): failures above this share...
    guard_min_finished: int = 200  # ...of at least this many finished hubs pause the release


@dataclass(frozen=True)
class SupplierCount:
    party: str
    as_import: int
    as_gas: int
    as_both: int
    split: int

    @property
    def total(self) -> int:
        return self.as_import + self.as_gas + self.as_both


@dataclass(frozen=True)
class NoteChange:
    release_note: str
    changed_at: datetime
    changed_by: str


@dataclass(frozen=True)
class ReleaseInfo:
    id: int
    state: str
    model: str
    from_versions: tuple[str, ...]
    to_version: str
    image_hash: str
    manufacturer: str
    severity: str
    priority: str
    release_type: str
    release_note: str
    deployment_date: datetime | None
    deployment_date_set: bool
    cut_off: datetime | None
    created_at: datetime
    created_by: str
    notified_at: datetime | None
    revoked_at: datetime | None
    revoke_reason: str | None
    eligible: int
    counts: dict[str, int]
    regions: dict[str, int]
    suppliers: tuple[SupplierCount, ...]
    note_history: tuple[NoteChange, ...]
    pilot_cap: int = 300
    distribution_lead_days: int = 7
    guard_max_failure_pct: float = 2.0
    guard_min_finished: int = 200
    halted_by: str | None = None  # while paused or suspended: who halted it, and when
    halted_at: datetime | None = None

    @property
    def type_title(self) -> str:
        return RELEASE_TYPES.get(self.release_type, self.release_type)


def cut_off_for(deployment_date: datetime) -> datetime:
    return add_months(deployment_date, -CUT_OFF_MONTHS)


def create(session: Session, draft: ReleaseDraft, now: datetime, actor: str) -> Release:
    model = canonical_model(draft.model)
    if model is None:
        raise BadInput("The device model is blank.")
    entries = {
        e.firmware_version: e
        for e in session.scalars(select(CplEntry).where(CplEntry.device_model == model))
    }
    if not entries:
        raise BadInput(f"Device model {model!r} has no entry on the CPL; add it with 'cpl add' first.")
    target = _cpl_version(draft.to_version, entries, model, "target")
    if not draft.from_versions:
        raise BadInput("Name at least one firmware version to upgrade from (--from-version).")
    sources: list[str] = []
    for v in draft.from_versions:
        version = _cpl_version(v, entries, model, "from")
        if version == target:
            raise BadInput(f"Firmware {version} is the target version; it cannot also be upgraded from.")
        if version not in sources:
            sources.append(version)
    note = draft.release_note.strip()
    if not note:
        raise BadInput("The release note reference is blank; give a link or document id.")
    if draft.deployment_date is not None and utc(draft.deployment_date) <= now:
        raise BadInput(f"The DCC deployment date {show(draft.deployment_date)} is not in the future.")
    if not 1 <= draft.pilot_cap <= 10_000_000:
        raise BadInput(f"The pilot cap {draft.pilot_cap} must be a whole number of hubs, 1 or more.")
    if not 0 <= draft.distribution_lead_days <= 365:
        raise BadInput(f"The distribution lead time {draft.distribution_lead_days} must be 0 to 365 days.")
    check_guard(draft.guard_max_failure_pct, draft.guard_min_finished)
    release = Release(
        state=ReleaseState.DRAFT,
        device_model=model,
        target_cpl_id=entries[target].id,
        to_version=target,
        severity=severity(draft.severity),
        priority=priority(draft.priority),
        release_type=release_type(draft.release_type),
        release_note=note,
        deployment_date=draft.deployment_date,
        deployment_date_set=draft.deployment_date is not None,
        cut_off=cut_off_for(draft.deployment_date) if draft.deployment_date else None,
        created_at=now,
        created_by=actor,
        eligible=0,
        distribution_lead_days=draft.distribution_lead_days,
        pilot_cap=draft.pilot_cap,
        guard_max_failure=round(draft.guard_max_failure_pct * 100), guard_min_finished=draft.guard_min_finished,
    )
    session.add(release)
    session.flush()
    session.add_all(ReleaseFromVersion(release_id=release.id, firmware_version=v) for v in sources)
    session.add(ReleaseNoteChange(release_id=release.id, release_note=note, changed_at=now, changed_by=actor))
    return release


def _cpl_version(raw: str, entries: dict[str, CplEntry], model: str, what: str) -> str:
    version = canonical_firmware(raw)
    if version is None:
        raise BadInput(f"The {what} firmware version {raw!r} is not 8 hex characters.")
    if version not in entries:
        known = ", ".join(sorted(entries))
        raise BadInput(f"Firmware {version} of {model} is not on the CPL (the CPL has {known}).")
    return version


def get(session: Session, release_id: int, lock: bool = False) -> Release:
    query = select(Release).where(Release.id == release_id)
    if lock:
        query = query.with_for_update()
    release = session.scalars(query).first()
    if release is None:
        raise NotFound(f"There is no release {release_id}.")
    return release


def notify(session: Session, release_id: int, now: datetime, actor: str) -> Release:
    """Snapshot the eligible hubs in SQL, count them, and queue the outbox."""
    release = get(session, release_id, lock=True)
    check_release_move(release.id, release.state, ReleaseState.NOTIFIED)
    if release.deployment_date is None:
        release.deployment_date = add_months(now, NOTICE_MONTHS)
    elif utc(release.deployment_date) <= now:
        raise BadInput(
            f"Release {release.id}'s DCC deployment date {show(release.deployment_date)} has "
            "passed; set a later date before notifying."
        )
    release.cut_off = cut_off_for(release.deployment_date)
    eligible = eligibility.snapshot(
        session, release.id, release.device_model, from_versions(session, release.id))
    if not eligible:
        raise BadInput(
            f"No Commissioned {release.device_model} hub runs "
            f"{' or '.join(from_versions(session, release.id))}; there is no one to notify."
        )
    release.eligible = eligible
    release.state = ReleaseState.NOTIFIED
    release.notified_at = now
    tallies.count_snapshot(session, release.id)
    _queue_release_notices(session, release, now, actor)
    return release


def from_versions(session: Session, release_id: int) -> list[str]:
    return list(
        session.scalars(
            select(ReleaseFromVersion.firmware_version)
            .where(ReleaseFromVersion.release_id == release_id)
            .order_by(ReleaseFromVersion.firmware_version)
        )
    )


def _summary(session: Session, release: Release) -> str:
    entry = session.get(CplEntry, release.target_cpl_id)
    image_hash = entry.image_hash if entry else ""
    return (
        f"Device model: {release.device_model}\n"
        f"Upgrade from firmware: {', '.join(from_versions(session, release.id))}\n"
        f"To firmware: {release.to_version} (image SHA-256 {image_hash})\n"
        f"Release note: {release.release_note}\n"
        f"Severity: {release.severity}    Priority: {release.priority}\n"
        f"Release type: {RELEASE_TYPES[release.release_type]}\n"
        f"DCC deployment date: {show(release.deployment_date)}\n"
        f"Cut-off for supplier instructions: {show(release.cut_off)}\n"
    )


def _queue_release_notices(session: Session, release: Release, now: datetime, actor: str) -> None:
    summary = _summary(session, release)
    roles = {d: tallies.read(session, release.id, d) for d in ("import", "gas", "both", "split")}
    suppliers = sorted(set(roles["import"]) | set(roles["gas"]) | set(roles["both"]))
    title = f"Communications Hub firmware {release.to_version} for {release.device_model}"
    for party in suppliers:
        n_import = roles["import"].get(party, 0)
        n_gas = roles["gas"].get(party, 0)
        n_both = roles["both"].get(party, 0)
        split = roles["split"].get(party, 0)
        body = (
            f"To {outbox.party_name(session, party)}\n\n"
            f"DCC will deploy new Communications Hub firmware (release {release.id}).\n\n"
            f"{summary}\n"
            f"You are responsible for {n_import + n_gas + n_both:,} eligible hubs: "
            f"{n_import:,} as Import Supplier, {n_gas:,} as Gas Supplier and {n_both:,} as both.\n"
            + (
                f"{split:,} of them are in a split supply: another supplier holds the other "
                "role and must also agree to any earlier deployment.\n"
                if split
                else ""
            )
            + "\nThe attached report lists each eligible hub and your role for it. Without an "
            "instruction from you, each hub is activated at the DCC deployment date.\n"
        )
        outbox.add(
            session, release_id=release.id, recipient=party, kind=Kind.RELEASE_NOTICE,
            subject=f"Release notice {release.id}: {title}", body=body, now=now, actor=actor,
            attachment_kind="eligibility",
        )
    regions = tallies.read(session, release.id, "region")
    for csp in sorted({CSP_OF_REGION[r] for r in regions}):
        lines = "".join(
            f"  {r}: {n:,} hubs\n" for r, n in sorted(regions.items()) if CSP_OF_REGION[r] == csp
        )
        body = (
            f"To {outbox.party_name(session, csp)}\n\n"
            f"DCC will distribute and activate new Communications Hub firmware "
            f"(release {release.id}) in your regions.\n\n{summary}\nEligible hubs:\n{lines}"
        )
        outbox.add(
            session, release_id=release.id, recipient=csp, kind=Kind.RELEASE_NOTICE,
            subject=f"Release notice {release.id}: {title}", body=body, now=now, actor=actor,
        )


def revoke(session: Session, release_id: int, reason: str, now: datetime, actor: str) -> int:
    """Revoke a notice before any hub is activated; returns the hubs whose plans were cancelled."""
    if not reason.strip():
        raise BadInput("Give the reason for revoking (--reason); every notified party is told it.")
    release = get(session, release_id, lock=True)
    if release.state == ReleaseState.DRAFT:
        raise IllegalTransition(f"Release {release.id} is a draft: it was never notified, so there is nothing to revoke.")
    check_release_move(release.id, release.state, ReleaseState.REVOKED)
    activated = tallies.read(session, release.id, "state").get(HubState.ACTIVATED, 0)
    if activated:
        raise IllegalTransition(
            f"Release {release.id} cannot be revoked: {activated:,} hubs have already been activated."
        )
    cancelled = cancel_open(session, release.id, "REVOKED", now, actor, "release revoked")
    release.state = ReleaseState.REVOKED
    release.revoked_at = now
    release.revoke_reason = reason.strip()
    _tell_notified(
        session, release, Kind.REVOCATION,
        f"Release {release.id} revoked: firmware {release.to_version} for {release.device_model}",
        f"DCC has revoked its notice of release {release.id}. No hub will be updated under it, "
        "and every pending schedule and instruction for it is cancelled.\n\n"
        f"Reason: {release.revoke_reason}",
        now, actor,
    )
    return cancelled


def _tell_notified(
    session: Session, release: Release, kind: str, subject: str, message: str,
    now: datetime, actor: str,
) -> None:
    """A notice to every party that was sent the release's original notice."""
    summary = _summary(session, release)
    for party in outbox.recipients_of(session, release.id):
        outbox.add(
            session, release_id=release.id, recipient=party, kind=kind, subject=subject,
            body=f"To {outbox.party_name(session, party)}\n\n{message}\n\n{summary}",
            now=now, actor=actor,
        )


def update_note(session: Session, release_id: int, note: str, now: datetime, actor: str) -> Release:
    release = get(session, release_id, lock=True)
    note = note.strip()
    if not note:
        raise BadInput("The release note reference is blank; give a link or document id.")
    if release.state in (ReleaseState.REVOKED, ReleaseState.COMPLETED, ReleaseState.STOPPED):
        raise IllegalTransition(f"Release {release.id} is {release.state}; its note can no longer change.")
    if note == release.release_note:
        raise BadInput(f"Release {release.id}'s note is already {note!r}.")
    previous = release.release_note
    release.release_note = note
    session.add(ReleaseNoteChange(release_id=release.id, release_note=note, changed_at=now, changed_by=actor))
    _tell_notified(
        session, release, Kind.RELEASE_NOTE_UPDATED, f"Release {release.id}: release note updated",
        f"The release note of release {release.id} has been updated.\n\n"
        f"Now: {note}\nBefore: {previous}",
        now, actor,
    )
    return release


def view(session: Session, release_id: int) -> ReleaseInfo:
    r = get(session, release_id)
    entry = session.get(CplEntry, r.target_cpl_id)
    roles = {d: tallies.read(session, r.id, d) for d in ("import", "gas", "both", "split")}
    parties = sorted(set(roles["import"]) | set(roles["gas"]) | set(roles["both"]))
    history = session.scalars(
        select(ReleaseNoteChange).where(ReleaseNoteChange.release_id == r.id).order_by(ReleaseNoteChange.id)
    )
    return ReleaseInfo(
        id=r.id, state=r.state, model=r.device_model,
        from_versions=tuple(from_versions(session, r.id)), to_version=r.to_version,
        image_hash=entry.image_hash if entry else "", manufacturer=entry.manufacturer if entry else "",
        severity=r.severity, priority=r.priority, release_type=r.release_type,
        release_note=r.release_note,
        deployment_date=utc(r.deployment_date) if r.deployment_date else None,
        deployment_date_set=r.deployment_date_set,
        cut_off=utc(r.cut_off) if r.cut_off else None,
        created_at=utc(r.created_at), created_by=r.created_by,
        notified_at=utc(r.notified_at) if r.notified_at else None,
        revoked_at=utc(r.revoked_at) if r.revoked_at else None,
        revoke_reason=r.revoke_reason, eligible=int(r.eligible),
        counts=tallies.read(session, r.id, "state"),
        regions=tallies.read(session, r.id, "region"),
        suppliers=tuple(
            SupplierCount(p, roles["import"].get(p, 0), roles["gas"].get(p, 0),
                          roles["both"].get(p, 0), roles["split"].get(p, 0))
            for p in parties
        ),
        note_history=tuple(NoteChange(h.release_note, utc(h.changed_at), h.changed_by) for h in history),
        pilot_cap=r.pilot_cap, distribution_lead_days=r.distribution_lead_days,
        guard_max_failure_pct=r.guard_max_failure / 100, guard_min_finished=r.guard_min_finished,
        halted_by=r.halted_by, halted_at=utc(r.halted_at) if r.halted_at else None,
    )


def check_guard(max_failure_pct: float, min_finished: int) -> None:
    """The failure guard's figures must make sense: a share above 0 and up to 100 percent,
    with its two decimals, of at least one finished hub."""
    if not 0 < max_failure_pct <= 100 or abs(round(max_failure_pct * 100) - max_failure_pct * 100) > 1e-6:
        raise BadInput(f"The failure guard's share {max_failure_pct}% must be above 0 and at most 100, "
                       "to two decimal places.")
    if not 1 <= min_finished <= 10_000_000:
        raise BadInput(f"The failure guard's minimum of {min_finished} finished hubs must be 1 or more.")


def list_ids(session: Session) -> list[int]:
    return [int(i) for i in session.scalars(select(Release.id).order_by(Release.id.desc()))]


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Release)) or 0)
