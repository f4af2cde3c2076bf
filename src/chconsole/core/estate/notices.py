"""Telling suppliers when hubs leave a release because they left the SMI."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from chconsole.core.estate.importing import GoneHub
from chconsole.core.notices import outbox
from chconsole.core.notices.outbox import Kind
from chconsole.core.rollout import tallies

LISTED = 200  # GUIDs named in the notice body; the rest are counted


def queue_left_release(session: Session, gone: Sequence[GoneHub], now: datetime, actor: str) -> None:
    by_party: dict[tuple[int, str], list[str]] = defaultdict(list)
    for hub in gone:
        for party in {hub.import_supplier, hub.gas_supplier} - {None}:
            by_party[(hub.release_id, str(party))].append(hub.guid)
    for release_id in sorted({h.release_id for h in gone}):
        tallies.recount_states(session, release_id)
    for (release_id, party), guids in sorted(by_party.items()):
        shown = "\n".join(f"  {g}" for g in guids[:LISTED])
        more = f"\n  ... and {len(guids) - LISTED:,} more" if len(guids) > LISTED else ""
        outbox.add(
            session, release_id=release_id, recipient=party, kind=Kind.HUBS_LEFT_RELEASE,
            subject=f"Release {release_id}: {len(guids):,} of your hubs left the release",
            body=(
                f"To {outbox.party_name(session, party)}\n\n"
                f"{len(guids):,} of your hubs in release {release_id} are no longer in the Smart "
                "Metering Inventory, so they have left the release (EXCLUDED, reason NOT_IN_SMI). "
                f"No firmware will be sent to them.\n\n{shown}{more}\n"
            ),
            now=now, actor=actor,
        )
