"""One hub as a person asks about it: its SMI record and its place in each release."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from chconsole.core.storage.campaign_models import Pilot
from chconsole.core.storage.models import Hub, Release, ReleaseHub
from chconsole.core.vocabulary.errors import BadInput, NotFound
from chconsole.core.vocabulary.guid import canonical_guid
from chconsole.core.vocabulary.london import utc
from chconsole.core.vocabulary.states import OPEN_HUB_STATES


@dataclass(frozen=True)
class HubRelease:
    release: int
    release_state: str
    state: str
    group: str
    reason: str | None
    planned_activation: datetime | None
    import_supplier_at_notice: str | None
    gas_supplier_at_notice: str | None


@dataclass(frozen=True)
class HubInfo:
    guid: str
    device_model: str
    firmware_version: str
    smi_status: str
    csp_region: str
    import_supplier: str | None
    gas_supplier: str | None
    in_smi: bool
    releases: tuple[HubRelease, ...]


def show_hub(session: Session, text: str) -> HubInfo:
    guid = canonical_guid(text)
    if guid is None:
        raise BadInput(f"{text!r} is not a hub GUID (eight hex octets, e.g. 00-DB-12-34-56-78-90-A0).")
    hub = session.scalars(select(Hub).where(Hub.guid == guid)).first()
    if hub is None:
        raise NotFound(f"Hub {guid} is not in the estate.")
    rows = session.execute(
        select(ReleaseHub, Release).join(Release, Release.id == ReleaseHub.release_id)
        .where(ReleaseHub.hub_id == hub.id).order_by(Release.id)
    ).all()
    return HubInfo(
        guid=hub.guid, device_model=hub.device_model, firmware_version=hub.firmware_version,
        smi_status=hub.smi_status, csp_region=hub.csp_region,
        import_supplier=hub.import_supplier, gas_supplier=hub.gas_supplier, in_smi=hub.in_smi,
        releases=tuple(_place(rh, r, session.get(Pilot, r.id)) for rh, r in rows),
    )


def _place(rh: ReleaseHub, r: Release, pilot: Pilot | None) -> HubRelease:
    planned = rh.planned_activation
    if planned is None and rh.state in OPEN_HUB_STATES and r.state not in ("REVOKED", "STOPPED"):
        if rh.hub_group == "pilot":
            # A pilot hub is activated at DCC's set time, or as soon as it holds the image.
            planned = pilot.activate_at if pilot is not None else None
        elif rh.state != "HELD":
            # With no instruction, a safe-launch hub is activated at the DCC deployment date.
            planned = r.deployment_date
    return HubRelease(
        release=r.id, release_state=r.state, state=rh.state, group=rh.hub_group,
        reason=rh.reason, planned_activation=utc(planned) if planned else None,
        import_supplier_at_notice=rh.import_supplier, gas_supplier_at_notice=rh.gas_supplier,
    )
