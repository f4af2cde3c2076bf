"""The demo's incident scene: HAN trouble after activation, reported by a supplier (R6).

So a newcomer can see the incident flow on the living demo: the simulated CSP network is
set to give a share of successful activations home-area-network trouble (faulty_firmware);
the simulated clock moves on until hubs of the demo's release report it; then the supplier
with most troubled homes reports an incident through the service desk, naming those hubs
in a file and asking for an emergency stop. Pressing the stop, triage, the Panel's
confirmation and resuming are left to the person watching.

Only on a simulated clock with a simulated network, and only on a release rolling out.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from chconsole.core.engine.changes import EVERYTHING, Done
from chconsole.core.engine.dto import RaiseResult
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.errors import BadInput

FAULTY = "20%"  # of successful activations: an assumption, like every simulated rate
STEP = timedelta(hours=3)
LONGEST = timedelta(days=14)  # the clock moves on at most this far looking for trouble
ROLLING = ("PILOT_RUNNING", "PILOT_CONCLUDED", "DEPLOYING")
NAMED = 200  # at most this many troubled hubs named in the supplier's file


@dataclass(frozen=True)
class SceneResult:
    """What the scene did: the incident raised, the hubs with trouble, where the clock is now."""

    release_id: int
    raised: RaiseResult
    troubled: int
    started_at: datetime
    now: datetime


def scene_release(engine: Engine) -> int | None:
    """The release the scene plays on: the oldest one rolling out (the demo's release 1)."""
    rolling = sorted(r.id for r in engine.releases.all() if r.state in ROLLING)
    return rolling[0] if rolling else None


def why_not(engine: Engine) -> str | None:
    """Why the scene cannot play here (None when it can)."""
    if not engine.clock.is_simulated or engine.network is None:
        return "The incident scene plays only on a demo database, with its simulated clock and network."
    if scene_release(engine) is None:
        return "No release is rolling out (pilot running or deploying), so no hub can report trouble yet."
    return None


def play(engine: Engine) -> Done[SceneResult]:
    """Play the scene (see above) on scene_release(); returns the incident raised."""
    problem = why_not(engine)
    if problem is not None:
        raise BadInput(problem)
    release_id = scene_release(engine)
    assert release_id is not None
    engine.admin.configure_network({"faulty_firmware": FAULTY})
    started = engine.now()
    while (not _troubled(engine, release_id) and engine.now() - started < LONGEST
           and engine.releases.get(release_id).state in ROLLING):
        engine.time.tick(engine.now() + STEP)
    troubled = _troubled(engine, release_id)
    supplier, guids = _worst_supplier(engine, release_id, troubled)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{supplier.lower()}-han-trouble.csv"
        path.write_text("guid\n" + "\n".join(guids[:NAMED]) + "\n", encoding="utf-8")
        raised = engine.incidents.raise_incident(
            release_id, supplier, _report(supplier, len(guids)), path if guids else None, emergency_stop=True).value
    return Done(SceneResult(release_id, raised, len(troubled), started, engine.now()), EVERYTHING)


def _report(supplier: str, hubs: int) -> str:
    seen = f"{hubs:,} of our customers' homes" if hubs else "Customers' homes"
    return (f"{seen} lost their home area network within hours of the firmware update: in-home "
            "displays show no electricity or gas readings and the gas meters stopped sending reads. "
            f"{supplier}'s service desk asks DCC for an emergency stop until the firmware is understood.")


def _troubled(engine: Engine, release_id: int) -> list[tuple[str, str | None]]:
    """(GUID, Import Supplier or else Gas Supplier) of the release's hubs that report HAN trouble."""
    with engine.db.reading() as s:
        return [(str(g), p) for g, p in s.execute(text(
            "SELECT h.guid, COALESCE(rh.import_supplier, rh.gas_supplier) FROM release_hub rh "
            "JOIN hub h ON h.id = rh.hub_id WHERE rh.release_id = :r AND rh.han_trouble ORDER BY h.guid"),
            {"r": release_id})]


def _worst_supplier(engine: Engine, release_id: int, troubled: list[tuple[str, str | None]]) -> tuple[str, list[str]]:
    """The supplier with most troubled homes and their GUIDs; with none, the release's largest supplier."""
    per: dict[str, list[str]] = {}
    for guid, party in troubled:
        if party:
            per.setdefault(party, []).append(guid)
    if per:
        party = max(per, key=lambda p: (len(per[p]), p))
        return party, per[party]
    release = engine.releases.get(release_id)
    return max(release.suppliers, key=lambda c: (c.total, c.party)).party, []
