"""A whole-release rollout on the simulated network, for the big tests and the tick benchmark.

Builds an estate in which every hub is eligible for one release, has every supplier
nominate all of its hubs (so split-supply hubs get both consents) and starts the rollout.
"""

from __future__ import annotations

import csv
import random
import tempfile
from datetime import timedelta
from pathlib import Path

from chconsole.core.bootstrap import create_database
from chconsole.core.deployment.batches import BatchRule
from chconsole.core.engine.facade import Engine
from chconsole.core.pilots import rules as pilot_rules
from chconsole.core.releases.lifecycle import ReleaseDraft
from chconsole.core.vocabulary.london import parse_time
from sim.parties import SUPPLIERS

MODEL = "EDMI-CHF-420"
FROM_VERSION = "0002012F"
TO_VERSION = "00020204"
START = "2026-03-02T09:00"
REGIONS = ("North", "Central", "South")


def write_estate(path: Path, hubs: int, seed: int = 1) -> None:
    """HUBS Commissioned hubs of one model on one version; a quarter of homes split-supply."""
    rng = random.Random(seed)
    ids = [s.party_id for s in SUPPLIERS]
    weights = [s.market_share for s in SUPPLIERS]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["guid", "device_model", "firmware_version", "smi_status", "csp_region",
                    "import_supplier", "gas_supplier"])
        for n in range(hubs):
            imp = rng.choices(ids, weights)[0]
            gas = rng.choices(ids, weights)[0] if rng.random() < 0.25 else imp
            guid = f"{0x00DB200000000000 + n:016X}"
            w.writerow(["-".join(guid[i:i + 2] for i in range(0, 16, 2)), MODEL, FROM_VERSION,
                        "Commissioned", REGIONS[n % 3], imp, gas])


def batch_ready(url: str, hubs: int, seed: int = 1, actor: str = "alice") -> tuple[Engine, int]:
    """A database at URL with HUBS hubs in release 1, decided without a pilot, and one DCC batch
    of them all whose distribution falls due at the engine's next pass; returns the batch's id."""
    engine = create_database(url, actor, parse_time(START))
    with tempfile.TemporaryDirectory() as tmp:
        extract = Path(tmp) / "estate.csv"
        write_estate(extract, hubs, seed)
        engine.admin.import_estate(extract)
    for version in (FROM_VERSION, TO_VERSION):
        engine.admin.add_cpl_entry(MODEL, version, f"{seed:02x}{version}".ljust(64, "0"))
    release = engine.releases.create(ReleaseDraft(
        model=MODEL, from_versions=[FROM_VERSION], to_version=TO_VERSION, severity="High",
        priority="P2", release_note="RN-ROLLOUT", release_type="sec")).value
    engine.releases.notify(release.id)
    engine.pilots.conclude(release.id, "proceed", "No pilot for a benchmark")
    batch = engine.deployment.create_batch(release.id, engine.now() + timedelta(days=7, hours=1),
                                           rule=BatchRule()).value
    engine.time.tick(engine.now() + timedelta(minutes=59))  # the last hour before it falls due
    return engine, batch.id


def build(url: str, hubs: int, seed: int = 1, actor: str = "alice", start: bool = True) -> Engine:
    """A database at URL with HUBS hubs, all in release 1's pilot group, the rollout started
    (or, without START, ready to start)."""
    engine = create_database(url, actor, parse_time(START))
    with tempfile.TemporaryDirectory() as tmp:
        extract = Path(tmp) / "estate.csv"
        write_estate(extract, hubs, seed)
        engine.admin.import_estate(extract)
    for version in (FROM_VERSION, TO_VERSION):
        engine.admin.add_cpl_entry(MODEL, version, f"{seed:02x}{version}".ljust(64, "0"))
    release = engine.releases.create(ReleaseDraft(
        model=MODEL, from_versions=[FROM_VERSION], to_version=TO_VERSION, severity="High",
        priority="P2", release_note="RN-ROLLOUT", release_type="sec", pilot_cap=hubs)).value
    engine.releases.notify(release.id)
    for supplier in SUPPLIERS:
        try:
            engine.pilots.nominate(release.id, supplier.party_id, rule=pilot_rules.parse([f"count={hubs}"]))
        except Exception as exc:  # a tiny estate may give a supplier no hub at all
            if "No hub of" not in str(exc) and "not a supplier" not in str(exc):
                raise
    if start:
        engine.pilots.start(release.id)
    return engine
