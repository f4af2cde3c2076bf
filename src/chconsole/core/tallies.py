"""Maintained per-release counts, so screens never count millions of rows to draw."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from chconsole.core.models import ReleaseTally


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
    """Recount hubs per state after a set-based move of many hubs."""
    session.execute(
        text("DELETE FROM release_tally WHERE release_id = :r AND dimension = 'state'"),
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


def read(session: Session, release_id: int, dimension: str) -> dict[str, int]:
    rows = session.execute(
        select(ReleaseTally.key, ReleaseTally.hubs).where(
            ReleaseTally.release_id == release_id, ReleaseTally.dimension == dimension
        )
    )
    return {key: int(hubs) for key, hubs in rows}
