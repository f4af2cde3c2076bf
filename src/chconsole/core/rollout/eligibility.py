"""Who is eligible for a release (R1): one rule, used by the notice and by its preview.

Eligible: Commissioned hubs still in the SMI, of the release's model, on one of the
versions it upgrades from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, insert, literal, select
from sqlalchemy.orm import Session

from chconsole.core.storage.models import Hub, ReleaseHub
from chconsole.core.storage.sql import rowcount
from chconsole.core.vocabulary.smi import SmiStatus
from chconsole.core.vocabulary.states import HubState


def rule(model: str, from_versions: Sequence[str]) -> ColumnElement[bool]:
    return (
        (Hub.device_model == model)
        & Hub.firmware_version.in_(list(from_versions))
        & (Hub.smi_status == SmiStatus.COMMISSIONED.value)
        & Hub.in_smi.is_(True)
    )


def snapshot(session: Session, release_id: int, model: str, from_versions: Sequence[str]) -> int:
    """Copy the eligible hubs, with their suppliers of today, into the release: in SQL."""
    chosen = select(
        literal(release_id), Hub.id, Hub.import_supplier, Hub.gas_supplier, Hub.csp_region,
        literal(HubState.ELIGIBLE.value), literal("safe_launch"),
    ).where(rule(model, from_versions))
    copied = rowcount(session.execute(
        insert(ReleaseHub).from_select(
            ["release_id", "hub_id", "import_supplier", "gas_supplier", "csp_region", "state",
             "hub_group"], chosen)
    ))
    if copied < 0:  # psycopg does not report rows for INSERT ... SELECT through Core
        copied = int(session.scalar(
            select(func.count()).select_from(ReleaseHub).where(ReleaseHub.release_id == release_id)
        ) or 0)
    return copied


@dataclass(frozen=True)
class EligiblePreview:
    """Who a release notice would reach if it were notified now (a read, nothing kept).

    Attributes:
        hubs: Commissioned hubs in the SMI of the model on one of the from-versions.
        suppliers: Party ids holding a supply role for at least one of them.
        regions: Eligible hubs per CSP region.
    """

    hubs: int
    suppliers: tuple[str, ...]
    regions: dict[str, int]


def preview(session: Session, model: str, from_versions: Sequence[str]) -> EligiblePreview:
    """Count what notifying a release would snapshot, in one grouped pass over the index.

    What the confirmation dialog tells the person before they press the button; the
    snapshot notify takes is the truth.
    """
    if not from_versions:
        return EligiblePreview(0, (), {})
    q = (
        select(Hub.csp_region, Hub.import_supplier, Hub.gas_supplier, func.count())
        .where(rule(model, from_versions))
        .group_by(Hub.csp_region, Hub.import_supplier, Hub.gas_supplier)
    )
    hubs = 0
    suppliers: set[str] = set()
    regions: dict[str, int] = {}
    for region, imp, gas, n in session.execute(q):
        hubs += int(n)
        regions[str(region)] = regions.get(str(region), 0) + int(n)
        suppliers.update(p for p in (imp, gas) if p)
    return EligiblePreview(hubs, tuple(sorted(suppliers)), regions)
