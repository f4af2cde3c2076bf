"""What a DCC batch tells the suppliers whose hubs are in it: scheduled, re-planned, cancelled.

Each supplier hears of its own hubs only, with its own list of GUIDs attached."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from chconsole.core.notices import outbox
from chconsole.core.notices.outbox import Kind
from chconsole.core.storage.campaign_models import Batch
from chconsole.core.storage.models import Release
from chconsole.core.vocabulary.london import show, utc


def _title(release: Release) -> str:
    return f"release {release.id} ({release.device_model}, firmware {release.to_version})"


def scheduled(session: Session, release: Release, batch: Batch, suppliers: dict[str, int], now: datetime,
              actor: str) -> None:
    for party, n in sorted(suppliers.items()):
        outbox.add(
            session, release_id=release.id, recipient=party, kind=Kind.BATCH_SCHEDULED,
            subject=f"Release {release.id}: {n:,} of your hubs scheduled for {show(utc(batch.activate_at))}",
            body=(f"To {outbox.party_name(session, party)}\n\nDCC has scheduled {n:,} of your hubs in "
                  f"{_title(release)} in batch {batch.id} ({batch.name}) for activation at "
                  f"{show(utc(batch.activate_at))}. Distribution goes out ahead of that time.\n\n"
                  "The attached workbook lists them.\n"),
            now=now, actor=actor, attachment_kind="batch", attachment_ref=batch.id)


def replanned(session: Session, release: Release, batch: Batch, old: datetime, suppliers: dict[str, int],
              now: datetime, actor: str) -> None:
    for party, n in sorted(suppliers.items()):
        outbox.add(
            session, release_id=release.id, recipient=party, kind=Kind.BATCH_REPLANNED,
            subject=f"Release {release.id}: batch {batch.id} moved to {show(utc(batch.activate_at))}",
            body=(f"To {outbox.party_name(session, party)}\n\nDCC has re-planned batch {batch.id} ({batch.name}) "
                  f"of {_title(release)}: the activation of {n:,} of your hubs moves from {show(old)} to "
                  f"{show(utc(batch.activate_at))}.\n\nThe attached workbook lists them.\n"),
            now=now, actor=actor, attachment_kind="batch", attachment_ref=batch.id)


def cancelled(session: Session, release: Release, batch: Batch, reason: str, suppliers: dict[str, int],
              now: datetime, actor: str) -> None:
    date = show(utc(release.deployment_date)) if release.deployment_date else "not set"
    for party, n in sorted(suppliers.items()):
        outbox.add(
            session, release_id=release.id, recipient=party, kind=Kind.BATCH_CANCELLED,
            subject=f"Release {release.id}: batch {batch.id} cancelled",
            body=(f"To {outbox.party_name(session, party)}\n\nDCC has cancelled batch {batch.id} ({batch.name}) "
                  f"of {_title(release)}, which held {n:,} of your hubs.\nReason: {reason.strip()}\n\n"
                  f"These hubs go back to the DCC deployment date ({date}); those already holding the new image "
                  "keep it. Any activation already sent to the network for them has been called back, and those "
                  "hubs leave this release.\n"),
            now=now, actor=actor)
