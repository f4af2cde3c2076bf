"""Maintained per-release counts, so screens never count millions of rows to draw."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from chconsole.core.models import ReleaseProgress, ReleaseTally


def count_snapshot(session: Session, release_id: int) -> None:
    """Fill a release's tallies from its eligibility snapshot, once, at notice time."""
    params = {"r": release_id}
    session.execute(text("DELETE FROM release_tally WHERE release_id = :r"), params)
    queries = {
        "state": "SELECT state AS k, COUNT(*) AS n FROM release_hub WHERE release_id = :r GROUP BY state",
        "region": "SELECT csp_region AS k, COUNT(*) AS n FROM release_hub WHERE release_id = :r GROUP BY csp_region",
        "import": "SELECT import_supplier AS k, COUNT(*) AS n FROM release_hub WHERE release_id = :r "
        "AND import_supplier IS NOT NULL AND (gas_supplier IS NULL OR gas_supplier <> import_supplier) "
        "GROUP BY import_supplier",
        "gas": "SELECT gas_supplier AS k, COUNT(*) AS n FROM release_hub WHERE release_id = :r "
        "AND gas_supplier IS NOT NULL AND (import_supplier IS NULL OR gas_supplier <> import_supplier) "
        "GROUP BY gas_supplier",
        "both": "SELECT import_supplier AS k, COUNT(*) AS n FROM release_hub WHERE release_id = :r "
        "AND import_supplier = gas_supplier GROUP BY import_supplier",
        # Hubs a supplier shares with a different supplier (who is never named to it).
        "split": "SELECT p AS k, COUNT(*) AS n FROM (SELECT import_supplier AS p FROM release_hub "
        "WHERE release_id = :r AND gas_supplier <> import_supplier UNION ALL SELECT gas_supplier "
        "FROM release_hub WHERE release_id = :r AND gas_supplier <> import_supplier) AS s GROUP BY p",
    }
    for dimension, query in queries.items():
        session.execute(
            text(
                "INSERT INTO release_tally (release_id, dimension, key, hubs) "
                f"SELECT :r, '{dimension}', k, n FROM ({query}) AS t"
            ),
            params,
        )


def recount_states(session: Session, release_id: int) -> None:
    """Recount hubs per state (all hubs, and pilot hubs) after a bulk change of many hubs."""
    session.execute(
        text("DELETE FROM release_tally WHERE release_id = :r AND dimension IN ('state', 'pilot_state')"),
        {"r": release_id},
    )
    session.execute(
        text(
            "INSERT INTO release_tally (release_id, dimension, key, hubs) "
            "SELECT :r, 'state', state, COUNT(*) FROM release_hub WHERE release_id = :r "
            "GROUP BY state"
        ),
        {"r": release_id},
    )
    session.execute(
        text(
            "INSERT INTO release_tally (release_id, dimension, key, hubs) "
            "SELECT :r, 'pilot_state', state, COUNT(*) FROM release_hub WHERE release_id = :r "
            "AND hub_group = 'pilot' GROUP BY state"
        ),
        {"r": release_id},
    )


def read(session: Session, release_id: int, dimension: str) -> dict[str, int]:
    rows = session.execute(
        select(ReleaseTally.key, ReleaseTally.hubs).where(
            ReleaseTally.release_id == release_id, ReleaseTally.dimension == dimension
        )
    )
    return {key: int(hubs) for key, hubs in rows if hubs}  # a count that fell to zero is no row


def sample_progress(session: Session, release_id: int, at: datetime) -> bool:
    """Keep a point of the progress charts when the counts changed since the last one."""
    wrote = False
    for group, dimension in (("pilot", "pilot_state"), ("all", "state")):
        now = {k: n for k, n in read(session, release_id, dimension).items() if n}
        last_at = session.scalar(select(func.max(ReleaseProgress.at)).where(
            ReleaseProgress.release_id == release_id, ReleaseProgress.hub_group == group))
        before: dict[str, int] = {}
        if last_at is not None:
            before = {str(k): int(n) for k, n in session.execute(
                select(ReleaseProgress.state, ReleaseProgress.hubs).where(
                    ReleaseProgress.release_id == release_id, ReleaseProgress.hub_group == group,
                    ReleaseProgress.at == last_at))}
        if now == before or (not now and not before):
            continue
        session.execute(delete(ReleaseProgress).where(
            ReleaseProgress.release_id == release_id, ReleaseProgress.hub_group == group,
            ReleaseProgress.at == at))
        session.execute(insert(ReleaseProgress), [
            {"release_id": release_id, "at": at, "hub_group": group, "state": k, "hubs": n}
            for k, n in (now or {"NONE": 0}).items()])
        wrote = True
    return wrote
