"""Demo databases: a simulated GB estate on a simulated clock, a release already notified.

Used by `chconsole demo`, the screenshots, the UI tests and the benchmarks, so that every
one of them looks at the same realistic world.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from chconsole.core.engine import Engine
from chconsole.core.london import parse_time
from chconsole.core.releases import ReleaseDraft
from sim.estate import HUB_MODELS, cpl_entries, write_extract
from sim.parties import SUPPLIERS

DEMO_USER = "demo"
DEMO_START = "2026-11-02T09:00"


def build(
    url: str,
    hubs: int = 200_000,
    seed: int = 1,
    actor: str = DEMO_USER,
    progress: Callable[[str], None] | None = None,
) -> Engine:
    """Create a demo database at URL: estate, CPL, suppliers named, release 1 notified,
    release 2 drafted."""
    say = progress or (lambda _msg: None)
    say("Creating the database")
    engine = Engine.init(url, actor, parse_time(DEMO_START))
    say(f"Generating an estate of {hubs:,} hubs")
    with tempfile.TemporaryDirectory() as tmp:
        extract = Path(tmp) / "smi-extract.csv"
        write_extract(extract, hubs, seed)
        say("Importing the SMI extract")
        engine.import_estate(extract)
    for supplier in SUPPLIERS:
        engine.set_party(supplier.party_id, supplier.name,
                         f"firmware.notices@{supplier.party_id.lower()}.example")
    say("Recording the CPL")
    for entry in cpl_entries():
        engine.add_cpl_entry(entry.device_model, entry.firmware_version, entry.image_hash,
                             entry.manufacturer, entry.hardware_version)
    edmi = next(m for m in HUB_MODELS if m.device_model == "EDMI-CHF-420")
    olds = [v for v, _ in edmi.installed]
    say("Notifying release 1")
    first = engine.create_release(ReleaseDraft(
        model=edmi.device_model, from_versions=olds[-2:], to_version=edmi.target,
        severity="High", priority="P2", release_type="sec",
        release_note="https://smartdcc.sharepoint.example/firmware/RN-2026-114"))
    engine.notify_release(first.id)
    toshiba = next(m for m in HUB_MODELS if m.device_model == "TOSHIBA-CHN-300")
    engine.create_release(ReleaseDraft(
        model=toshiba.device_model, from_versions=[toshiba.installed[-1][0]],
        to_version=toshiba.target, severity="Medium", priority="P3", release_type="planned",
        release_note="DCC-RN-2026-121"))
    say("Ready")
    return engine


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m sim.demo", description="Create a demo database.")
    p.add_argument("--db", required=True, help="SQLAlchemy URL of a database that does not exist yet")
    p.add_argument("--hubs", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    build(args.db, args.hubs, args.seed, progress=lambda m: print(m, file=sys.stderr))
    return 0


if __name__ == "__main__":
    sys.exit(main())
