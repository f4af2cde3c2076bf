"""What every dashboard is drawn from, read in one go from small tables only.

A dashboard must refresh in the same time for 200,000 hubs as for 15 million, so nothing
here counts hubs: the counts come from the maintained tallies (release_tally), and the
rest from tables with a row per release, pilot, batch, instruction, nomination, incident
or progress sample. Every dashboard (each actor's, and the other actors' next dates on
it) is worked out from one Facts, so they all agree with each other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from chconsole.core.storage.campaign_models import (
    Batch,
    Instruction,
    Nomination,
    Pilot,
    ReleaseProgress,
)
from chconsole.core.storage.incident_models import Incident
from chconsole.core.storage.models import Party, Region, Release, ReleaseTally
from chconsole.core.vocabulary.london import utc
from chconsole.core.vocabulary.states import ReleaseState

# Releases in flight: notified and not yet finished one way or another.
IN_FLIGHT = (
    ReleaseState.NOTIFIED.value, ReleaseState.PILOT_RUNNING.value, ReleaseState.PILOT_CONCLUDED.value,
    ReleaseState.DEPLOYING.value, ReleaseState.PAUSED.value, ReleaseState.SUSPENDED.value,
)
OPEN_BATCH_STATES = ("PLANNED", "RUNNING", "OVERDUE")
# A progress chart needs no more points than a screen has pixels across.
MAX_PROGRESS_POINTS = 400

Samples = tuple[tuple[datetime, dict[str, int]], ...]


@dataclass(frozen=True)
class PilotFacts:
    state: str  # NOMINATING, RUNNING, CONCLUDED
    activate_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None  # every pilot hub has finished
    concluded_at: datetime | None
    decision: str | None


@dataclass(frozen=True)
class BatchFacts:
    id: int
    kind: str  # dcc, instructed, deployment_date
    name: str
    activate_at: datetime
    distribute_from: datetime
    state: str  # PLANNED, RUNNING, OVERDUE
    hubs: int
    overdue_since: datetime | None
    counts: dict[str, int]  # its hubs per state, from the batch_state tally


@dataclass(frozen=True)
class InstructionFacts:
    supplier: str
    activate_at: datetime
    received_at: datetime
    accepted: int
    refused: int


@dataclass(frozen=True)
class IncidentFacts:
    id: int
    supplier: str
    raised_at: datetime
    emergency_stop: bool
    priority: str
    state: str
    outcome: str | None = None
    triaged_at: datetime | None = None
    confirmed_at: datetime | None = None
    automatic: bool = False


@dataclass(frozen=True)
class ReleaseFacts:
    id: int
    state: str
    model: str
    to_version: str
    deployment_date: datetime | None
    cut_off: datetime | None
    notified_at: datetime | None
    lead_days: int
    pilot_cap: int
    tallies: dict[str, dict[str, int]]  # dimension -> key -> hubs (no zero counts)
    pilot: PilotFacts | None
    batches: tuple[BatchFacts, ...]  # open ones: planned, running or overdue
    instructions: tuple[InstructionFacts, ...]
    nominators: frozenset[str]  # suppliers that have sent a pilot nomination
    incidents: tuple[IncidentFacts, ...]  # not closed
    progress: Samples  # hubs per state over time, every hub of the release
    guard_max_failure: int = 200  # the failure guard: hundredths of a percent...
    guard_min_finished: int = 200  # ...of at least this many finished hubs
    _by_party: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict, compare=False, repr=False)

    def tally(self, dimension: str) -> dict[str, int]:
        return self.tallies.get(dimension, {})

    def per_party(self, dimension: str, party: str) -> dict[str, int]:
        """A "PARTY|STATE" (or "Region|STATE") tally narrowed to one party, by state."""
        return self._split(dimension).get(party, {})

    def parties(self, dimension: str = "supplier_state") -> set[str]:
        return set(self._split(dimension))

    def _split(self, dimension: str) -> dict[str, dict[str, int]]:
        """The tally by party, then state; worked out once per dimension (every actor's
        actions on every dashboard ask for it)."""
        found = self._by_party.get(dimension)
        if found is None:
            found = {}
            for key, n in self.tally(dimension).items():
                party, _, state = key.partition("|")
                found.setdefault(party, {})[state] = n
            self._by_party[dimension] = found
        return found


@dataclass(frozen=True)
class Facts:
    now: datetime
    releases: tuple[ReleaseFacts, ...]  # in flight, newest first
    names: dict[str, str]  # party id -> name
    kinds: dict[str, str]  # party id -> supplier | csp
    regions: dict[str, str]  # region -> its CSP's party id


def _t(value: datetime | None) -> datetime | None:
    return utc(value) if value is not None else None


def load(session: Session, now: datetime) -> Facts:
    """Read everything the dashboards show, for every release in flight."""
    rows = list(session.scalars(select(Release).where(Release.state.in_(IN_FLIGHT)).order_by(Release.id.desc())))
    ids = [r.id for r in rows]
    tallies: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    pilots: dict[int, PilotFacts] = {}
    batches: dict[int, list[Batch]] = defaultdict(list)
    instructions: dict[int, list[InstructionFacts]] = defaultdict(list)
    nominators: dict[int, set[str]] = defaultdict(set)
    incidents: dict[int, list[IncidentFacts]] = defaultdict(list)
    if ids:
        for rid, dim, key, n in session.execute(select(
                ReleaseTally.release_id, ReleaseTally.dimension, ReleaseTally.key, ReleaseTally.hubs)
                .where(ReleaseTally.release_id.in_(ids), ReleaseTally.hubs > 0)):
            tallies[rid][dim][key] = int(n)
        for p in session.scalars(select(Pilot).where(Pilot.release_id.in_(ids))):
            pilots[p.release_id] = PilotFacts(p.state, _t(p.activate_at), _t(p.started_at), _t(p.finished_at),
                                              _t(p.concluded_at), p.decision)
        for b in session.scalars(select(Batch).where(Batch.release_id.in_(ids),
                                                     Batch.state.in_(OPEN_BATCH_STATES)).order_by(Batch.id)):
            batches[b.release_id].append(b)
        for i in session.scalars(select(Instruction).where(Instruction.release_id.in_(ids))
                                 .order_by(Instruction.id)):
            instructions[i.release_id].append(InstructionFacts(
                i.supplier, utc(i.activate_at), utc(i.received_at), int(i.accepted), int(i.refused)))
        for rid, supplier in session.execute(select(Nomination.release_id, Nomination.supplier)
                                             .where(Nomination.release_id.in_(ids)).distinct()):
            nominators[rid].add(str(supplier))
        for x in session.scalars(select(Incident).where(Incident.release_id.in_(ids), Incident.state != "CLOSED")
                                 .order_by(Incident.id)):
            incidents[x.release_id].append(IncidentFacts(
                x.id, x.supplier, utc(x.raised_at), bool(x.emergency_stop), x.priority, x.state, x.outcome,
                _t(x.triaged_at), _t(x.confirmed_at), bool(x.automatic)))
    progress = _progress(session, ids)
    releases = tuple(
        ReleaseFacts(
            id=r.id, state=r.state, model=r.device_model, to_version=r.to_version,
            deployment_date=_t(r.deployment_date), cut_off=_t(r.cut_off), notified_at=_t(r.notified_at),
            lead_days=int(r.distribution_lead_days), pilot_cap=int(r.pilot_cap),
            guard_max_failure=int(r.guard_max_failure), guard_min_finished=int(r.guard_min_finished),
            tallies={d: dict(v) for d, v in tallies[r.id].items()}, pilot=pilots.get(r.id),
            batches=tuple(_batch(b, tallies[r.id].get("batch_state", {})) for b in batches[r.id]),
            instructions=tuple(instructions[r.id]), nominators=frozenset(nominators[r.id]),
            incidents=tuple(incidents[r.id]), progress=progress.get(r.id, ()),
        )
        for r in rows)
    names: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for pid, name, kind in session.execute(select(Party.id, Party.name, Party.kind)):
        names[str(pid)] = str(name)
        kinds[str(pid)] = str(kind)
    regions = {str(n): str(c) for n, c in session.execute(select(Region.name, Region.csp_id))}
    return Facts(utc(now), releases, names, kinds, regions)


def _batch(b: Batch, batch_state: dict[str, int]) -> BatchFacts:
    prefix = f"{b.id}|"
    counts = {k[len(prefix):]: n for k, n in batch_state.items() if k.startswith(prefix)}
    return BatchFacts(b.id, b.kind, b.name, utc(b.activate_at), utc(b.distribute_from), b.state,
                      int(b.hubs or 0), _t(b.overdue_since), counts)


def _progress(session: Session, ids: Iterable[int]) -> dict[int, Samples]:
    """Each release's progress samples (every hub), thinned to what a chart can show."""
    points: dict[int, dict[datetime, dict[str, int]]] = defaultdict(dict)
    ids = list(ids)
    if not ids:
        return {}
    for rid, at, state, n in session.execute(
            select(ReleaseProgress.release_id, ReleaseProgress.at, ReleaseProgress.state, ReleaseProgress.hubs)
            .where(ReleaseProgress.release_id.in_(ids), ReleaseProgress.hub_group == "all")
            .order_by(ReleaseProgress.release_id, ReleaseProgress.at)):
        points[rid].setdefault(utc(at), {})[str(state)] = int(n)
    return {rid: thin(tuple(sorted(p.items()))) for rid, p in points.items()}


def thin(samples: Samples, most: int = MAX_PROGRESS_POINTS) -> Samples:
    """At most MOST samples, evenly spread, always keeping the first and the last."""
    if len(samples) <= most:
        return samples
    step = (len(samples) - 1) / (most - 1)
    keep = sorted({round(i * step) for i in range(most)})
    return tuple(samples[i] for i in keep)
