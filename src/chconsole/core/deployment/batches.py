"""DCC's own batches (R3): from a GUID file or a rule, of any size, with their own time.

A batch is chosen in SQL (a rule) or checked like a supplier's file, then its hubs move
to SCHEDULED in one statement per state. A batch of 1,000,000 hubs is an ordinary batch.
DCC can re-plan a batch to another time or cancel it; its suppliers are told either way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from chconsole.core.deployment import batch_notices, schedule
from chconsole.core.rollout import dispatch, tallies
from chconsole.core.rollout.guid_checks import NOT_OPEN, Reason, Refusal, check
from chconsole.core.rollout.machine import move
from chconsole.core.storage import audit
from chconsole.core.storage.campaign_models import Batch
from chconsole.core.storage.models import Release
from chconsole.core.storage.sql import at_params, rowcount
from chconsole.core.vocabulary.errors import BadInput, IllegalTransition, NotFound
from chconsole.core.vocabulary.london import show, utc
from chconsole.core.vocabulary.smi import canonical_firmware, canonical_region
from chconsole.core.vocabulary.states import HubState as H
from chconsole.core.vocabulary.states import ReleaseState

RULES_HELP = "region=R, supplier=S, from-version=V and size=N (each optional, region and from-version repeatable)"
# Hubs an open incident names are left out of batches chosen by rule (R6).
NOT_IN_OPEN_INCIDENT = ("AND NOT EXISTS (SELECT 1 FROM incident_hub ih JOIN incident i ON i.id = ih.incident_id "
                        "WHERE ih.hub_id = rh.hub_id AND i.state <> 'CLOSED')")
# Hubs a batch may take: waiting for their date, with no time of their own yet.
_FREE = ("AND rh.hub_group = 'safe_launch' AND rh.batch_id IS NULL AND (rh.state = 'ELIGIBLE' OR "
         "(rh.state = 'AWAITING_OTHER_SUPPLIER' AND (rh.instr_import_id IS NOT NULL OR rh.instr_gas_id IS NOT NULL)))")


@dataclass(frozen=True)
class BatchRule:
    regions: tuple[str, ...] = ()
    supplier: str | None = None
    from_versions: tuple[str, ...] = ()
    size: int | None = None
    words: tuple[str, ...] = field(default=())  # as typed on the command line, when it was

    def __post_init__(self) -> None:
        if self.size is not None and self.size < 1:
            raise BadInput("A batch's size must be a whole number of hubs, 1 or more.")
        for v in self.from_versions:
            if canonical_firmware(v) != v:
                raise BadInput(f"{v!r} is not a firmware version (8 hex characters).")
        for r in self.regions:
            if canonical_region(r) != r:
                raise BadInput(f"{r!r} is not a CSP region (North, Central or South).")

    def describe(self) -> str:
        """The rule in words, for notices and the audit trail."""
        words = self.words or (
            tuple(f"region={r}" for r in self.regions)
            + ((f"supplier={self.supplier}",) if self.supplier else ())
            + tuple(f"from-version={v}" for v in self.from_versions)
            + ((f"size={self.size}",) if self.size is not None else ()))
        return "rule: " + " ".join(words) if words else "rule: every free hub"


@dataclass(frozen=True)
class BatchPlan:
    """What a batch would take (the preview) or took: hubs, per supplier and region."""

    hubs: int
    suppliers: dict[str, int]
    regions: dict[str, int]
    refused: tuple[Refusal, ...] = ()


@dataclass(frozen=True)
class BatchResult:
    id: int
    release_id: int
    name: str
    activate_at: datetime
    hubs: int
    suppliers: dict[str, int]
    refused: tuple[Refusal, ...]

    @property
    def accepted(self) -> int:
        return self.hubs


def parse_rule(words: Sequence[str]) -> BatchRule:
    regions: list[str] = []
    versions: list[str] = []
    supplier: str | None = None
    size: int | None = None
    for word in words:
        key, sep, value = word.strip().replace(":", "=", 1).partition("=")
        key, value = key.strip().lower(), value.strip()
        if key == "region" and sep:
            region = canonical_region(value)
            if region is None:
                raise BadInput(f"Rule {word!r}: {value!r} is not a CSP region (North, Central or South).")
            regions.append(region)
        elif key == "supplier" and sep and value:
            supplier = value.upper()
        elif key in ("from-version", "version") and sep:
            v = canonical_firmware(value)
            if v is None:
                raise BadInput(f"Rule {word!r}: {value!r} is not a firmware version (8 hex characters).")
            versions.append(v)
        elif key in ("size", "count") and sep:
            if not value.replace(",", "").replace("_", "").isdigit() or int(value.replace(",", "").replace("_", "")) < 1:
                raise BadInput(f"Rule {word!r}: the size must be a whole number of hubs, 1 or more.")
            size = int(value.replace(",", "").replace("_", ""))
        else:
            raise BadInput(f"{word!r} is not a batch rule; the rules are {RULES_HELP}.")
    return BatchRule(tuple(regions), supplier, tuple(versions), size, tuple(words))


def _rule_sql(rule: BatchRule) -> tuple[str, dict[str, object]]:
    where, p = "", dict[str, object]()
    if rule.regions:
        where += " AND rh.csp_region IN (" + ", ".join(f":reg{i}" for i in range(len(rule.regions))) + ")"
        p |= {f"reg{i}": r for i, r in enumerate(rule.regions)}
    if rule.supplier:
        where += " AND (rh.import_supplier = :sup OR rh.gas_supplier = :sup)"
        p["sup"] = rule.supplier
    if rule.from_versions:
        where += " AND h.firmware_version IN (" + ", ".join(f":fv{i}" for i in range(len(rule.from_versions))) + ")"
        p |= {f"fv{i}": v for i, v in enumerate(rule.from_versions)}
    return where, p


def check_time(release: Release, activate_at: datetime, now: datetime) -> None:
    """A batch's time, checked whole: it leaves the lead time and is not after the DCC date."""
    if release.state == ReleaseState.DRAFT:
        raise BadInput(f"Release {release.id} has not been notified, so it has no hubs to batch.")
    if release.state in NOT_OPEN or release.state == ReleaseState.COMPLETED:
        raise BadInput(f"Release {release.id} is {release.state}, so it takes no batches (RELEASE_NOT_OPEN).")
    if activate_at < now + schedule.lead_time(release):
        raise BadInput(f"The batch time {show(activate_at)} leaves less than release {release.id}'s "
                       f"{release.distribution_lead_days}-day distribution lead time (TOO_SOON); "
                       f"the earliest is {show(now + schedule.lead_time(release))}.")
    if release.deployment_date is not None and activate_at > utc(release.deployment_date):
        raise BadInput(f"The batch time {show(activate_at)} is after release {release.id}'s DCC deployment "
                       f"date {show(utc(release.deployment_date))} (NOT_BEFORE_DCC_DATE).")


def choose(session: Session, release: Release, entries: Sequence[tuple[int, str]] | None,
           rule: BatchRule | None) -> tuple[int, list[Refusal]]:
    """Fill tmp_chosen with the batch's hubs; returns how many and the refused GUIDs."""
    session.execute(text("CREATE TEMP TABLE IF NOT EXISTS tmp_chosen (hub_id BIGINT PRIMARY KEY)"))
    session.execute(text("DELETE FROM tmp_chosen"))
    if rule is not None:
        where, p = _rule_sql(rule)
        limit = f"LIMIT {rule.size}" if rule.size else ""
        n = rowcount(session.execute(text(
            "INSERT INTO tmp_chosen (hub_id) SELECT rh.hub_id FROM release_hub rh JOIN hub h ON h.id = rh.hub_id "
            f"WHERE rh.release_id = :r {_FREE} AND h.in_smi AND h.smi_status = 'Commissioned' {where} "
            f"{NOT_IN_OPEN_INCIDENT} ORDER BY rh.hub_id {limit}"), {"r": release.id, **p}))
        return n, []
    candidates, refused = check(session, release, None, entries or ())
    ok = []
    for c in candidates:
        pilot_wait = c.state == H.AWAITING_OTHER_SUPPLIER.value and not (c.instr_import or c.instr_gas)
        if c.hub_group == "pilot" or c.batch_id is not None or pilot_wait:
            refused.append(Refusal(c.line, c.guid, Reason.ALREADY_SCHEDULED))
        else:
            ok.append({"h": c.hub_id})
    for i in range(0, len(ok), 10_000):
        session.execute(text("INSERT INTO tmp_chosen (hub_id) VALUES (:h)"), ok[i:i + 10_000])
    return len(ok), sorted(refused, key=lambda r: r.line)


def chosen_plan(session: Session, release_id: int, refused: Sequence[Refusal] = ()) -> BatchPlan:
    """The chosen hubs per supplier (either role, once) and per region."""
    suppliers: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    for imp, gas, region, n in session.execute(text(
            "SELECT rh.import_supplier, rh.gas_supplier, rh.csp_region, COUNT(*) FROM release_hub rh "
            "WHERE rh.release_id = :r AND rh.hub_id IN (SELECT hub_id FROM tmp_chosen) "
            "GROUP BY rh.import_supplier, rh.gas_supplier, rh.csp_region"), {"r": release_id}):
        for party in {imp, gas} - {None}:
            suppliers[str(party)] += int(n)
        regions[str(region)] += int(n)
    return BatchPlan(sum(regions.values()), dict(suppliers), dict(regions), tuple(refused))


def create(session: Session, release: Release, name: str, activate_at: datetime,
           entries: Sequence[tuple[int, str]] | None, rule: BatchRule | None, source: str,
           now: datetime, actor: str) -> BatchResult:
    activate_at = utc(activate_at)
    check_time(release, activate_at, now)
    chosen, refused = choose(session, release, entries, rule)
    plan = chosen_plan(session, release.id, refused)
    batch = schedule.new_batch(session, release, schedule.DCC, name or f"DCC batch for {show(activate_at)}",
                                 source, activate_at, now, actor)
    if chosen:
        mine = "AND hub_id IN (SELECT hub_id FROM tmp_chosen)"
        for state in (H.ELIGIBLE, H.AWAITING_OTHER_SUPPLIER):
            batch.hubs += move(session, release.id, state, H.SCHEDULED, now=now, actor=actor, batch=batch.id,
                               where=mine, assign=", planned_activation = :at", params={"at": activate_at},
                               why=f"DCC batch {batch.id} for {show(activate_at)}")
        tallies.recount_awaiting(session, release.id)
        batch_notices.scheduled(session, release, batch, plan.suppliers, now, actor)
    session.execute(text("DELETE FROM tmp_chosen"))
    return BatchResult(batch.id, release.id, batch.name, activate_at, batch.hubs, plan.suppliers, tuple(refused))


def get_batch(session: Session, batch_id: int, lock: bool = False) -> Batch:
    q = select(Batch).where(Batch.id == batch_id)
    batch = session.scalars(q.with_for_update() if lock else q).first()
    if batch is None:
        raise NotFound(f"There is no batch {batch_id}.")
    return batch


def replan(session: Session, batch: Batch, activate_at: datetime, now: datetime, actor: str) -> int:
    """Move a batch's hubs not yet commanded to activate to a new time; returns how many."""
    release = session.get(Release, batch.release_id)
    assert release is not None
    if batch.state not in ("PLANNED", "RUNNING", "OVERDUE"):
        raise IllegalTransition(f"Batch {batch.id} is {batch.state}; only a planned, running or overdue batch "
                                "can be re-planned.")
    activate_at = utc(activate_at)
    counts = _counts(session, batch)
    undistributed = counts.get("SCHEDULED", 0) + counts.get("HELD", 0)
    if activate_at <= now:
        raise BadInput(f"The new time {show(activate_at)} has passed; give a later time.")
    if undistributed and activate_at < now + schedule.lead_time(release):
        raise BadInput(f"{undistributed:,} hubs of batch {batch.id} have no image yet, and {show(activate_at)} "
                       f"leaves less than the {release.distribution_lead_days}-day lead time (TOO_SOON).")
    if release.deployment_date is not None and activate_at > utc(release.deployment_date):
        raise BadInput(f"The new time {show(activate_at)} is after the DCC deployment date "
                       f"{show(utc(release.deployment_date))}.")
    old = utc(batch.activate_at)
    moving = sum(counts.get(s, 0) for s in ("SCHEDULED", "DISTRIBUTING", "DISTRIBUTED", "HELD"))
    _set_planned(session, batch.id, activate_at)
    batch.activate_at = activate_at
    batch.distribute_from = schedule.distribute_from(release, activate_at, now)
    batch.state = "PLANNED" if batch.distribute_from > now else "RUNNING"
    batch.overdue_since = None
    if batch.state == "RUNNING":
        batch.claimed_at, batch.claimed_by = now, actor
    audit.record(session, now, actor, "batch-replan", f"release {release.id} batch {batch.id}",
                 {"from": old, "to": activate_at, "hubs": moving})
    batch_notices.replanned(session, release, batch, old, _suppliers(session, batch.id), now, actor)
    return moving


def _set_planned(session: Session, batch_id: int, at: datetime) -> None:
    session.execute(at_params(
        "UPDATE release_hub SET planned_activation = :at WHERE batch_id = :b "
        "AND state IN ('SCHEDULED', 'DISTRIBUTING', 'DISTRIBUTED', 'HELD')", "at"), {"at": at, "b": batch_id})


def run_now(session: Session, batch: Batch, now: datetime, actor: str) -> int:
    """DCC runs an overdue batch now: distribution and activation go as soon as they can."""
    if batch.state != "OVERDUE":
        raise IllegalTransition(f"Batch {batch.id} is {batch.state}; only an overdue batch is run on demand.")
    batch.state, batch.claimed_at, batch.claimed_by = "RUNNING", now, actor
    hubs = sum(n for s, n in _counts(session, batch).items() if s in schedule.IN_HAND)
    audit.record(session, now, actor, "batch-run-now", f"release {batch.release_id} batch {batch.id}",
                 {"due": batch.overdue_since, "hubs": hubs})
    return hubs


def cancel(session: Session, batch: Batch, reason: str, now: datetime, actor: str) -> int:
    """Cancel a batch: its hubs go back to wait for the DCC date (those with the image keep
    it); activations already sent are called back. Returns how many hubs left the batch."""
    release = session.get(Release, batch.release_id)
    assert release is not None
    if batch.state not in ("PLANNED", "RUNNING", "OVERDUE"):
        raise IllegalTransition(f"Batch {batch.id} is {batch.state} and cannot be cancelled.")
    if batch.kind == schedule.DEPLOYMENT_DATE:
        raise BadInput("The DCC deployment date's batch is not cancelled on its own; delay or stop the release "
                       "through triage instead.")
    if not reason.strip():
        raise BadInput("Give the reason for cancelling the batch (--reason); its suppliers read it.")
    suppliers = _suppliers(session, batch.id)
    back = sum(move(session, release.id, state, H.ELIGIBLE, now=now, actor=actor, batch=None,
                    where="AND batch_id = :b", params={"b": batch.id}, assign=", planned_activation = NULL",
                    why=f"batch {batch.id} cancelled: back to the DCC deployment date")
               for state in (H.SCHEDULED, H.HELD))
    # Hubs holding or receiving the image keep it and wait for the DCC date as well.
    back += schedule.rebatch(session, release.id, None, None, (H.DISTRIBUTING, H.DISTRIBUTED),
                               "AND batch_id = :b", {"b": batch.id}, now, actor,
                               f"batch {batch.id} cancelled: the image stays, activation at the DCC deployment date")
    # An activation already at the network is called back: a hub is never commanded twice, so
    # those hubs leave the release.
    dispatch.record_cancels(session, release.id, now, where="AND batch_id = :b AND state = 'ACTIVATION_PENDING'",
                            params={"b": batch.id})
    called_back = move(session, release.id, H.ACTIVATION_PENDING, H.CANCELLED, now=now, actor=actor,
                       reason="BATCH_CANCELLED", where="AND batch_id = :b", params={"b": batch.id},
                       why=f"batch {batch.id} cancelled: its future-dated activation called back")
    batch.state, batch.finished_at = "CANCELLED", now
    audit.record(session, now, actor, "batch-cancel", f"release {release.id} batch {batch.id}",
                 {"why": reason, "back_to_dcc_date": back, "called_back": called_back})
    batch_notices.cancelled(session, release, batch, reason, suppliers, now, actor)
    return back + called_back


def _counts(session: Session, batch: Batch) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, n in tallies.read(session, batch.release_id, "batch_state").items():
        b, _, state = key.partition("|")
        if b == str(batch.id):
            out[state] = n
    return out


def _suppliers(session: Session, batch_id: int) -> dict[str, int]:
    suppliers: Counter[str] = Counter()
    for imp, gas, n in session.execute(text(
            "SELECT import_supplier, gas_supplier, COUNT(*) FROM release_hub WHERE batch_id = :b "
            "AND state IN ('SCHEDULED', 'DISTRIBUTING', 'DISTRIBUTED', 'ACTIVATION_PENDING', 'HELD') "
            "GROUP BY import_supplier, gas_supplier"), {"b": batch_id}):
        for party in {imp, gas} - {None}:
            suppliers[str(party)] += int(n)
    return dict(suppliers)


def batches_of(session: Session, release_id: int | None = None) -> list[Batch]:
    q = select(Batch).order_by(Batch.activate_at, Batch.id)
    if release_id is not None:
        q = q.where(Batch.release_id == release_id)
    return list(session.scalars(q))
