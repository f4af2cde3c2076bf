"""A batch as the Batch control view and the command line see it: read-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from chconsole.core.deployment import schedule
from chconsole.core.rollout import tallies
from chconsole.core.storage.campaign_models import Batch
from chconsole.core.vocabulary.london import utc


@dataclass(frozen=True)
class BatchInfo:
    """One batch: its kind, times, state, hubs per state and failures by reason."""

    id: int
    release_id: int
    kind: str
    kind_title: str
    name: str
    source: str
    activate_at: datetime
    distribute_from: datetime
    state: str
    hubs: int
    counts: dict[str, int]
    created_at: datetime
    created_by: str
    overdue_since: datetime | None
    failures: dict[str, int]

    @property
    def open(self) -> int:
        """Hubs still in the batch's hands (not yet activated, failed or gone)."""
        return sum(n for s, n in self.counts.items() if s in schedule.IN_HAND)


def info(s: Session, b: Batch) -> BatchInfo:
    """BatchInfo of B, from the maintained counts (failures are counted only when there are some)."""
    counts: dict[str, int] = {}
    for key, n in tallies.read(s, b.release_id, "batch_state").items():
        bid, _, state = key.partition("|")
        if bid == str(b.id):
            counts[state] = n
    failures: dict[str, int] = {}
    if counts.get("FAILED"):
        failures = {str(r): int(n) for r, n in s.execute(text(
            "SELECT reason, COUNT(*) FROM release_hub WHERE batch_id = :b AND state = 'FAILED' GROUP BY reason"),
            {"b": b.id})}
    return BatchInfo(b.id, b.release_id, b.kind, schedule.KIND_TITLE.get(b.kind, b.kind), b.name, b.source,
                     utc(b.activate_at), utc(b.distribute_from), b.state, int(b.hubs), counts,
                     utc(b.created_at), b.created_by, utc(b.overdue_since) if b.overdue_since else None, failures)
