"""A release's pilot as the Pilot tracking view and `pilot show` see it: read-only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from chconsole.core.releases.lifecycle import get
from chconsole.core.rollout import tallies
from chconsole.core.rollout.network import Assumption, CspNetwork
from chconsole.core.storage.campaign_models import Nomination, Pilot, ReleaseProgress
from chconsole.core.storage.models import Notice
from chconsole.core.storage.sql import with_timestamps
from chconsole.core.vocabulary.london import utc

FAILURES_SHOWN = 2000
PILOT_KINDS = ("NOMINATION_RECEIPT", "PILOT_CONSENT", "PILOT_START", "PILOT_PROGRESS", "PILOT_END",
               "SAFE_LAUNCH_HELD", "SAFE_LAUNCH_RELEASED")


@dataclass(frozen=True)
class SupplierRow:
    party: str
    states: dict[str, int]
    awaiting: int  # nominated, waiting for the other supplier

    @property
    def total(self) -> int:
        return sum(self.states.values())


@dataclass(frozen=True)
class Failure:
    guid: str
    region: str
    reason: str
    suppliers: str
    at: datetime | None


@dataclass(frozen=True)
class NominationRow:
    id: int
    supplier: str
    received_at: datetime
    received_by: str
    source: str
    submitted: int
    joined: int
    awaiting: int
    refused: int


@dataclass(frozen=True)
class CommentRow:
    at: datetime
    by: str
    guid: str | None
    text: str


@dataclass(frozen=True)
class NoticeRow:
    id: int
    created_at: datetime
    recipient: str
    kind: str
    subject: str


@dataclass(frozen=True)
class PilotInfo:
    release_id: int
    release_state: str
    model: str
    to_version: str
    deployment_date: datetime | None
    cap: int
    state: str  # NONE, NOMINATING, RUNNING, CONCLUDED
    activate_at: datetime | None
    started_at: datetime | None
    started_by: str | None
    finished_at: datetime | None
    concluded_at: datetime | None
    concluded_by: str | None
    decision: str | None
    commentary: str | None
    counts: dict[str, int]  # pilot hubs per state
    awaiting: int
    held: int  # safe-launch hubs held at the gate
    suppliers: tuple[SupplierRow, ...]
    failures: tuple[Failure, ...]
    nominations: tuple[NominationRow, ...]
    comments: tuple[CommentRow, ...]
    notices: tuple[NoticeRow, ...]
    samples: tuple[tuple[datetime, dict[str, int]], ...]
    assumptions: tuple[Assumption, ...]
    han_trouble: int = 0  # activated pilot hubs that reported home-area-network trouble

    @property
    def hubs(self) -> int:
        return sum(self.counts.values())


def view(session: Session, release_id: int, network: CspNetwork | None) -> PilotInfo:
    r = get(session, release_id)
    pilot = session.get(Pilot, r.id)
    counts = {k: n for k, n in tallies.read(session, r.id, "pilot_state").items() if n}
    states = tallies.read(session, r.id, "state")
    return PilotInfo(
        release_id=r.id, release_state=r.state, model=r.device_model, to_version=r.to_version,
        deployment_date=utc(r.deployment_date) if r.deployment_date else None, cap=r.pilot_cap,
        state=pilot.state if pilot else "NONE",
        activate_at=_t(pilot.activate_at) if pilot else None,
        started_at=_t(pilot.started_at) if pilot else None, started_by=pilot.started_by if pilot else None,
        finished_at=_t(pilot.finished_at) if pilot else None,
        concluded_at=_t(pilot.concluded_at) if pilot else None,
        concluded_by=pilot.concluded_by if pilot else None,
        decision=pilot.decision if pilot else None, commentary=pilot.commentary if pilot else None,
        counts=counts, awaiting=states.get("AWAITING_OTHER_SUPPLIER", 0), held=states.get("HELD", 0),
        suppliers=_suppliers(session, r.id), failures=_failures(session, r.id),
        nominations=tuple(
            NominationRow(n.id, n.supplier, utc(n.received_at), n.received_by, n.source, n.submitted,
                          n.joined, n.awaiting, n.refused)
            for n in session.scalars(select(Nomination).where(Nomination.release_id == r.id)
                                     .order_by(Nomination.id.desc()))),
        comments=_comments(session, r.id), notices=_notices(session, r.id),
        samples=_samples(session, r.id),
        assumptions=tuple(network.assumptions(session)) if network is not None else (),
        han_trouble=int(session.execute(text(
            "SELECT COUNT(*) FROM release_hub WHERE release_id = :r AND state = 'ACTIVATED' "
            "AND hub_group = 'pilot' AND han_trouble"), {"r": r.id}).scalar() or 0),
    )


def _t(value: datetime | None) -> datetime | None:
    return utc(value) if value is not None else None


def _suppliers(session: Session, release_id: int) -> tuple[SupplierRow, ...]:
    states: dict[str, Counter[str]] = {}
    awaiting: Counter[str] = Counter()
    for imp, gas, state, group, p_imp, _p_gas, n in session.execute(text(
        "SELECT import_supplier, gas_supplier, state, hub_group, pilot_import, pilot_gas, COUNT(*) "
        "FROM release_hub WHERE release_id = :r AND (hub_group = 'pilot' OR state = "
        "'AWAITING_OTHER_SUPPLIER') GROUP BY import_supplier, gas_supplier, state, hub_group, "
        "pilot_import, pilot_gas"), {"r": release_id}):
        if group == "pilot":
            for party in {imp, gas} - {None}:
                states.setdefault(str(party), Counter())[str(state)] += int(n)
        else:
            awaiting[str(imp if p_imp else gas)] += int(n)
    parties = sorted(set(states) | set(awaiting))
    return tuple(SupplierRow(p, dict(states.get(p, {})), awaiting.get(p, 0)) for p in parties)


def _failures(session: Session, release_id: int) -> tuple[Failure, ...]:
    rows = session.execute(with_timestamps(
        "SELECT h.guid, rh.csp_region, rh.reason, rh.import_supplier, rh.gas_supplier, c.outcome_at "
        "FROM release_hub rh JOIN hub h ON h.id = rh.hub_id LEFT JOIN csp_command c ON "
        "c.release_id = rh.release_id AND c.hub_id = rh.hub_id AND c.step = CASE WHEN rh.reason = "
        "'DISTRIBUTION_FAILED' THEN 'distribute' ELSE 'activate' END WHERE rh.release_id = :r AND "
        f"rh.hub_group = 'pilot' AND rh.state = 'FAILED' ORDER BY h.guid LIMIT {FAILURES_SHOWN}",
        "outcome_at"), {"r": release_id})
    return tuple(
        Failure(g, reg, reason or "", " / ".join(sorted({p for p in (imp, gas) if p})), _t(at))
        for g, reg, reason, imp, gas, at in rows)


def _comments(session: Session, release_id: int) -> tuple[CommentRow, ...]:
    rows = session.execute(with_timestamps(
        "SELECT c.at, c.by, h.guid, c.text FROM hub_comment c LEFT JOIN hub h ON h.id = c.hub_id "
        "WHERE c.release_id = :r ORDER BY c.id DESC", "at"), {"r": release_id})
    return tuple(CommentRow(utc(at), by, guid, words) for at, by, guid, words in rows)


def _notices(session: Session, release_id: int) -> tuple[NoticeRow, ...]:
    rows = session.scalars(select(Notice).where(Notice.release_id == release_id, Notice.kind.in_(PILOT_KINDS))
                           .order_by(Notice.id.desc()).limit(500))
    return tuple(NoticeRow(n.id, utc(n.created_at), n.recipient, n.kind, n.subject) for n in rows)


def _samples(session: Session, release_id: int) -> tuple[tuple[datetime, dict[str, int]], ...]:
    points: dict[datetime, dict[str, int]] = {}
    for at, state, n in session.execute(
        select(ReleaseProgress.at, ReleaseProgress.state, ReleaseProgress.hubs)
        .where(ReleaseProgress.release_id == release_id, ReleaseProgress.hub_group == "pilot")
        .order_by(ReleaseProgress.at)
    ):
        points.setdefault(utc(at), {})[str(state)] = int(n)
    return tuple(sorted(points.items()))
