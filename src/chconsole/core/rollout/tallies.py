"""Maintained per-release counts, so screens never count millions of rows to draw."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from chconsole.core.storage.campaign_models import ReleaseProgress
from chconsole.core.storage.models import ReleaseTally


def count_snapshot(session: Session, release_id: int) -> None:
    """Fill a release's tallies from its eligibility snapshot, once, at notice time."""
    params = {"r": release_id}
    session.execute(text("DELETE FROM release_tally WHERE release_id = :r"), params)
    recount_states(session, release_id)
    queries = {
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


_STATE_DIMENSIONS = ("state", "pilot_state", "region_state", "supplier_state", "batch_state")
_STATE_QUERIES = (
    "SELECT 'state', state, COUNT(*) FROM release_hub WHERE release_id = :r GROUP BY state",
    "SELECT 'pilot_state', state, COUNT(*) FROM release_hub WHERE release_id = :r "
    "AND hub_group = 'pilot' GROUP BY state",
    "SELECT 'region_state', csp_region || '|' || state, COUNT(*) FROM release_hub "
    "WHERE release_id = :r GROUP BY csp_region, state",
    "SELECT 'batch_state', CAST(batch_id AS VARCHAR(12)) || '|' || state, COUNT(*) FROM release_hub "
    "WHERE release_id = :r AND batch_id IS NOT NULL GROUP BY batch_id, state",
    # A supplier holding both roles of a hub counts it once.
    "SELECT 'supplier_state', p || '|' || state, COUNT(*) FROM ("
    "SELECT import_supplier AS p, state FROM release_hub WHERE release_id = :r "
    "AND import_supplier IS NOT NULL UNION ALL SELECT gas_supplier, state FROM release_hub "
    "WHERE release_id = :r AND gas_supplier IS NOT NULL "
    "AND (import_supplier IS NULL OR gas_supplier <> import_supplier)) AS s GROUP BY p, state",
)


def recount_states(session: Session, release_id: int) -> None:
    """Recount hubs per state (in all, per pilot group, region, supplier and batch) after a
    bulk change of many hubs. The tick keeps these counts by moving hubs with rollout.move."""
    dims = ", ".join(f"'{d}'" for d in _STATE_DIMENSIONS)
    session.execute(text(f"DELETE FROM release_tally WHERE release_id = :r AND dimension IN ({dims})"),
                    {"r": release_id})
    for query in _STATE_QUERIES:
        session.execute(text(
            f"INSERT INTO release_tally (release_id, dimension, key, hubs) SELECT :r, t.* FROM ({query}) AS t"),
            {"r": release_id})


def recount_awaiting(session: Session, release_id: int) -> None:
    """Count, per supplier, split-supply hubs that wait for it: the other supplier has
    nominated (owes_nomination) or instructed (owes_instruction) and it has not."""
    session.execute(text(
        "DELETE FROM release_tally WHERE release_id = :r AND dimension IN ('owes_nomination', 'owes_instruction')"),
        {"r": release_id})
    for dimension, imp_done, gas_done in (("owes_nomination", "pilot_import", "pilot_gas"),
                                          ("owes_instruction", "instr_import_id IS NOT NULL",
                                           "instr_gas_id IS NOT NULL")):
        session.execute(text(
            "INSERT INTO release_tally (release_id, dimension, key, hubs) "
            f"SELECT :r, '{dimension}', p, COUNT(*) FROM ("
            f"SELECT gas_supplier AS p FROM release_hub WHERE release_id = :r AND state = 'AWAITING_OTHER_SUPPLIER' "
            f"AND {imp_done} AND NOT ({gas_done}) UNION ALL "
            f"SELECT import_supplier FROM release_hub WHERE release_id = :r AND state = 'AWAITING_OTHER_SUPPLIER' "
            f"AND {gas_done} AND NOT ({imp_done})) AS s WHERE p IS NOT NULL GROUP BY p"),
            {"r": release_id})


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
