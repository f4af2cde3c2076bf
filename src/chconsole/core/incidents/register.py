"""Incidents (R6): raised through the service desk about a release, with their history.

An incident names its release, the party that reported it, what it does to homes' in-home
networks, the hubs it affects (optional) and whether it asks for an emergency stop. Tied to a
rollout it is P1 when a stop was asked for or pressed, P2 otherwise. Its states: OPEN ->
TRIAGED (DCC's outcome recorded) -> CONFIRMED (the Panel's confirmation recorded, the
outcome applied) -> CLOSED. Every change is a line of its history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from chconsole.core.rollout.guid_checks import Reason, Refusal
from chconsole.core.storage.incident_models import Incident, IncidentEvent
from chconsole.core.storage.models import Party, Release
from chconsole.core.vocabulary.errors import BadInput, IllegalTransition, NotFound
from chconsole.core.vocabulary.guid import canonical_guid
from chconsole.core.vocabulary.london import utc

OPEN, TRIAGED, CONFIRMED, CLOSED = "OPEN", "TRIAGED", "CONFIRMED", "CLOSED"
DCC = "DCC"  # the reporting party of incidents the console raises itself
MAX_TEXT = 4000


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    by: str
    kind: str
    text: str


@dataclass(frozen=True)
class IncidentInfo:
    """An incident as the Incidents view and `incident show` see it."""

    id: int
    release_id: int
    reported_by: str
    raised_at: datetime
    raised_by: str
    description: str
    emergency_stop: bool
    priority: str
    state: str
    automatic: bool
    scope: str | None
    hubs: int
    stop_id: int | None
    outcome: str | None
    new_date: datetime | None
    triaged_at: datetime | None
    triaged_by: str | None
    confirmed_at: datetime | None
    confirmed_by: str | None
    confirm_body: str | None
    closed_at: datetime | None
    history: tuple[HistoryLine, ...]


@dataclass(frozen=True)
class RaiseResult:
    incident: IncidentInfo
    refused: tuple[Refusal, ...]


def priority(emergency_stop: bool) -> str:
    """DOMAIN.md R6: a rollout's incident is P1 with an emergency stop asked for or pressed."""
    return "P1" if emergency_stop else "P2"


def raise_incident(
    session: Session, release_id: int, party: str, description: str, entries: Sequence[tuple[int, str]],
    emergency_stop: bool, now: datetime, actor: str, *, automatic: bool = False, scope: str | None = None,
) -> tuple[Incident, list[Refusal]]:
    """Log an incident; GUIDs that are malformed, repeated or not in the release are refused
    one by one (the others are recorded). Returns it and the refusals."""
    release = session.get(Release, release_id)
    if release is None:
        raise NotFound(f"There is no release {release_id}.")
    if release.notified_at is None:
        raise BadInput(f"Release {release_id} has not been notified, so no rollout can cause an incident yet.")
    words = description.strip()
    if not words:
        raise BadInput("Describe the incident: what it does to homes' in-home displays and meters.")
    if party != DCC:
        known = session.get(Party, party.strip().upper())
        if known is None or known.kind != "supplier":
            raise BadInput(f"{party!r} is not a supplier known to this database.")
        party = known.id
    incident = Incident(release_id=release_id, supplier=party, raised_at=now, raised_by=actor,
                        description=words[:MAX_TEXT], emergency_stop=emergency_stop,
                        priority=priority(emergency_stop), state=OPEN, automatic=automatic, scope=scope)
    session.add(incident)
    session.flush()
    refused = _affected_hubs(session, incident, entries)
    history(session, incident, now, actor, "raised", (
        ("Raised by the failure guard" if automatic else f"Raised by the service desk for {party}")
        + (" (asks for an emergency stop)" if emergency_stop else "")
        + (f"; {len(entries) - len(refused):,} hubs named" if entries else "")))
    return incident, refused


def _affected_hubs(session: Session, incident: Incident, entries: Sequence[tuple[int, str]]) -> list[Refusal]:
    refused: list[Refusal] = []
    seen: set[str] = set()
    wanted: dict[str, int] = {}
    for line, raw in entries:
        guid = canonical_guid(raw)
        if guid is None:
            refused.append(Refusal(line, raw.strip(), Reason.MALFORMED_GUID))
        elif guid in seen:
            refused.append(Refusal(line, guid, Reason.DUPLICATE_IN_REQUEST))
        else:
            seen.add(guid)
            wanted[guid] = line
    if not wanted:
        return refused
    session.execute(text("CREATE TEMP TABLE IF NOT EXISTS tmp_incident_guid (guid VARCHAR(23) PRIMARY KEY)"))
    session.execute(text("DELETE FROM tmp_incident_guid"))
    session.execute(text("INSERT INTO tmp_incident_guid (guid) VALUES (:g)"), [{"g": g} for g in wanted])
    found: dict[str, int | None] = {str(g): h for g, h in session.execute(text(
        "SELECT t.guid, rh.hub_id FROM tmp_incident_guid t JOIN hub h ON h.guid = t.guid "
        "LEFT JOIN release_hub rh ON rh.hub_id = h.id AND rh.release_id = :r"), {"r": incident.release_id})}
    known = {g for (g,) in session.execute(text(
        "SELECT t.guid FROM tmp_incident_guid t JOIN hub h ON h.guid = t.guid"))}
    for guid, line in wanted.items():
        if guid not in known:
            refused.append(Refusal(line, guid, Reason.UNKNOWN_GUID))
        elif found.get(guid) is None:
            refused.append(Refusal(line, guid, Reason.NOT_ELIGIBLE))
    session.execute(text(
        "INSERT INTO incident_hub (incident_id, hub_id) SELECT :i, rh.hub_id FROM tmp_incident_guid t "
        "JOIN hub h ON h.guid = t.guid JOIN release_hub rh ON rh.hub_id = h.id AND rh.release_id = :r"),
        {"i": incident.id, "r": incident.release_id})
    session.execute(text("DELETE FROM tmp_incident_guid"))
    return sorted(refused, key=lambda r: r.line)


def history(session: Session, incident: Incident, now: datetime, actor: str, kind: str, words: str) -> None:
    """Add a line to the incident's history."""
    session.add(IncidentEvent(incident_id=incident.id, at=now, by=actor, kind=kind, text=words[:MAX_TEXT]))


def get(session: Session, incident_id: int, lock: bool = False) -> Incident:
    incident = session.get(Incident, incident_id, with_for_update=lock)
    if incident is None:
        raise NotFound(f"There is no incident {incident_id}.")
    return incident


def comment(session: Session, incident: Incident, words: str, now: datetime, actor: str) -> None:
    """A comment on the incident (its history keeps it)."""
    if not words.strip():
        raise BadInput("The comment is blank.")
    if incident.state == CLOSED:
        raise IllegalTransition(f"Incident {incident.id} is closed; raise a new one.")
    history(session, incident, now, actor, "comment", words.strip())


def close(session: Session, incident: Incident, now: datetime, actor: str) -> None:
    """Close an incident whose decision was confirmed, or one that never needed a decision
    (OPEN, no emergency stop pressed for it, its release not halted)."""
    if incident.state == CLOSED:
        raise IllegalTransition(f"Incident {incident.id} is already closed.")
    if incident.state == TRIAGED:
        raise IllegalTransition(f"Incident {incident.id}'s outcome ({incident.outcome}) awaits the Panel's "
                                "confirmation; record it first.")
    if incident.state == OPEN:
        release = session.get(Release, incident.release_id)
        if incident.stop_id is not None or (release is not None and release.state in ("SUSPENDED", "PAUSED")):
            raise IllegalTransition(f"Release {incident.release_id} is halted: incident {incident.id} needs a "
                                    "triaged outcome the Panel confirms before it can be closed.")
    incident.state, incident.closed_at, incident.closed_by = CLOSED, now, actor
    history(session, incident, now, actor, "closed", "Closed")


def info(session: Session, incident: Incident) -> IncidentInfo:
    hubs = int(session.execute(text("SELECT COUNT(*) FROM incident_hub WHERE incident_id = :i"),
                               {"i": incident.id}).scalar() or 0)
    lines = tuple(HistoryLine(utc(e.at), e.by, e.kind, e.text) for e in session.scalars(
        select(IncidentEvent).where(IncidentEvent.incident_id == incident.id).order_by(IncidentEvent.id)))
    return IncidentInfo(
        incident.id, incident.release_id, incident.supplier, utc(incident.raised_at), incident.raised_by,
        incident.description, incident.emergency_stop, incident.priority, incident.state, incident.automatic,
        incident.scope, hubs, incident.stop_id, incident.outcome, _t(incident.new_date), _t(incident.triaged_at),
        incident.triaged_by, _t(incident.confirmed_at), incident.confirmed_by, incident.confirm_body,
        _t(incident.closed_at), lines)


def listed(session: Session, open_only: bool = False, release_id: int | None = None) -> list[Incident]:
    """Incidents by priority (P1 first), then oldest first."""
    q = select(Incident).order_by(Incident.priority, Incident.raised_at, Incident.id)
    if open_only:
        q = q.where(Incident.state != CLOSED)
    if release_id is not None:
        q = q.where(Incident.release_id == release_id)
    return list(session.scalars(q))


def _t(value: datetime | None) -> datetime | None:
    return utc(value) if value is not None else None
