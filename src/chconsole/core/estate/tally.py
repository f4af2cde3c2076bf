"""Estate tallies: hubs per status, region, model and supplier, kept by each import so that
screens read a few rows instead of counting millions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session


def recount(session: Session) -> None:
    """Refresh the estate tallies from one grouped scan of the hub table."""
    write_tally(session, session.execute(
        text(
            "SELECT smi_status, csp_region, device_model, import_supplier, gas_supplier, COUNT(*) "
            "FROM hub WHERE in_smi GROUP BY smi_status, csp_region, device_model, "
            "import_supplier, gas_supplier"
        )
    ).all())


def write_tally(session: Session, groups: Iterable[tuple[Any, ...]]) -> None:
    """Store hubs per status, region, model and supplier: screens read these, not COUNT(*)."""
    tally: Counter[tuple[str, str]] = Counter()
    for status, region, model, imp, gas, n in groups:
        tally["status", status] += n
        tally["region", region] += n
        tally["model", model] += n
        tally["total", "in_smi"] += n
        if imp:
            tally["import", imp] += n
        if gas:
            tally["gas", gas] += n
    tally["total", "all"] = int(session.execute(text("SELECT COALESCE(MAX(id), 0) FROM hub")).scalar_one())
    session.execute(text("DELETE FROM estate_tally"))
    session.execute(
        text("INSERT INTO estate_tally (dimension, key, hubs) VALUES (:d, :k, :n)"),
        [{"d": d, "k": k, "n": n} for (d, k), n in tally.items()],
    )
