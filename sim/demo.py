"""Demo databases: a simulated GB estate on a simulated clock, with a pilot under way.

Used by `chconsole demo`, the screenshots, the UI tests and the benchmarks, so that every
one of them looks at the same realistic world: release 1 notified; over the next days
several suppliers nominate pilot hubs (by business rules, and one GUID file with mistakes
in it, so its receipt lists refusals); DCC starts the pilot; a day later, when the console
opens, the pilot's hubs are being distributed. Release 2 is a draft.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import text

from chconsole.core.bootstrap import create_database
from chconsole.core.engine.facade import Engine
from chconsole.core.pilots import rules as pilot_rules
from chconsole.core.releases.lifecycle import ReleaseDraft
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import parse_time
from sim.estate import HUB_MODELS, cpl_entries, write_extract
from sim.parties import SUPPLIERS

DEMO_USER = "demo"
DEMO_START = "2026-11-02T09:00"
PILOT_START = "2026-11-05T10:00"
DEMO_NOW = "2026-11-06T09:30"  # a day into the pilot: its hubs are being distributed

# (when, supplier, rules): the suppliers' rule-based nominations, in the order received.
RULE_NOMINATIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("2026-11-03T10:30", "OCTO", ("count=120", "spread=regions", "seed=7")),
    ("2026-11-03T11:45", "EDFE", ("count=60", "from-version={newest}", "seed=3", "exclude=open-incidents")),
    ("2026-11-03T15:10", "EONX", ("count=40", "region=South", "seed=5")),
    ("2026-11-04T09:20", "OVOE", ("count=50", "spread=regions", "seed=19")),
    # BGAS's GUID file comes here (FILE_NOMINATION_AT), then its rules for the rest.
    ("2026-11-04T16:05", "BGAS", ("count=150", "spread=regions", "seed=11", "exclude=open-incidents")),
)
FILE_NOMINATION_AT = "2026-11-04T11:40"  # BGAS's GUID list: consents, a few of its own, mistakes


def build(
    url: str,
    hubs: int = 200_000,
    seed: int = 1,
    actor: str = DEMO_USER,
    progress: Callable[[str], None] | None = None,
) -> Engine:
    """Create a demo database at URL: estate, CPL, suppliers named, release 1 notified with
    its pilot nominated, started and a day under way, release 2 drafted."""
    say = progress or (lambda _msg: None)
    say("Creating the database")
    engine = create_database(url, actor, parse_time(DEMO_START))
    say(f"Generating an estate of {hubs:,} hubs")
    with tempfile.TemporaryDirectory() as tmp:
        extract = Path(tmp) / "smi-extract.csv"
        write_extract(extract, hubs, seed)
        say("Importing the SMI extract")
        engine.admin.import_estate(extract)
    for supplier in SUPPLIERS:
        engine.admin.set_party(supplier.party_id, supplier.name,
                         f"firmware.notices@{supplier.party_id.lower()}.example")
    say("Recording the CPL")
    for entry in cpl_entries():
        engine.admin.add_cpl_entry(entry.device_model, entry.firmware_version, entry.image_hash,
                             entry.manufacturer, entry.hardware_version)
    edmi = next(m for m in HUB_MODELS if m.device_model == "EDMI-CHF-420")
    olds = [v for v, _ in edmi.installed]
    say("Notifying release 1")
    first = engine.releases.create(ReleaseDraft(
        model=edmi.device_model, from_versions=olds[-2:], to_version=edmi.target,
        severity="High", priority="P2", release_type="sec",
        release_note="https://smartdcc.sharepoint.example/firmware/RN-2026-114")).value
    engine.releases.notify(first.id)
    toshiba = next(m for m in HUB_MODELS if m.device_model == "TOSHIBA-CHN-300")
    engine.releases.create(ReleaseDraft(
        model=toshiba.device_model, from_versions=[toshiba.installed[-1][0]],
        to_version=toshiba.target, severity="Medium", priority="P3", release_type="planned",
        release_note="DCC-RN-2026-121"))
    say("Taking release 1's pilot nominations")
    nominate_pilot(engine, first.id, newest=olds[-1])
    engine.time.tick(parse_time(PILOT_START))
    if engine.pilots.get(first.id).hubs:  # a tiny estate may give the suppliers nothing to nominate
        say("Starting release 1's pilot")
        engine.pilots.start(first.id)
        engine.pilots.comment(first.id, "Pilot started: distribution to every pilot hub is under way; "
                                       "each hub activates as soon as it holds the image.")
    say("Running the pilot's first day")
    engine.time.tick(parse_time(DEMO_NOW))
    say("Ready")
    return engine


def nominate_pilot(engine: Engine, release_id: int, newest: str) -> None:
    """The suppliers' nominations, a few hours apart, on the simulated clock.

    Rule samples rarely pick the same split-supply hub, so most split hubs a rule picks wait
    for their other supplier. BGAS sends a GUID file first: its consent to split hubs other
    suppliers nominated, a few of its own, and the mistakes real files have, so its receipt
    lists refusals. Split hubs still waiting at the start stay out of the pilot (both told).
    A nomination a small estate cannot satisfy is left out.
    """
    for when, supplier, rules in RULE_NOMINATIONS:
        if supplier == "BGAS":
            engine.time.tick(parse_time(FILE_NOMINATION_AT))
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "bgas-pilot-nomination.csv"
                path.write_text("guid\n" + "\n".join(_bgas_file(engine, release_id)) + "\n", encoding="utf-8")
                engine.pilots.nominate(release_id, "BGAS", file=path)
        engine.time.tick(parse_time(when))
        with contextlib.suppress(BadInput):  # "no hub of theirs matches these rules"
            engine.pilots.nominate(release_id, supplier, rule=pilot_rules.parse([r.format(newest=newest) for r in rules]))


def _bgas_file(engine: Engine, release_id: int) -> list[str]:
    """BGAS's GUID list: consents to split hubs other suppliers nominated, a few more of its
    own (some split, so they wait in turn), and mistakes."""

    def guids(where: str, n: int) -> list[str]:
        with engine.db.reading() as s:
            return list(s.scalars(text(
                "SELECT h.guid FROM release_hub rh JOIN hub h ON h.id = rh.hub_id "
                f"WHERE rh.release_id = :r AND {where} ORDER BY h.guid LIMIT :n"), {"r": release_id, "n": n}))

    bgas = "(rh.import_supplier = 'BGAS' OR rh.gas_supplier = 'BGAS')"
    waiting = guids("rh.state = 'AWAITING_OTHER_SUPPLIER' AND ((rh.gas_supplier = 'BGAS' AND rh.pilot_import) "
                    "OR (rh.import_supplier = 'BGAS' AND rh.pilot_gas))", 8)
    mine = guids(f"rh.state = 'ELIGIBLE' AND {bgas}", 10)
    others = guids("rh.state = 'ELIGIBLE' AND rh.import_supplier = 'SPWR' "
                   "AND COALESCE(rh.gas_supplier, 'SPWR') = 'SPWR'", 1)
    with engine.db.reading() as s:  # a BGAS hub of another model: not in this release
        other_model = list(s.scalars(text(
            "SELECT guid FROM hub WHERE import_supplier = 'BGAS' AND device_model <> "
            "(SELECT device_model FROM release WHERE id = :r) ORDER BY guid LIMIT 1"), {"r": release_id}))
    return [
        *waiting, *mine,
        "00-DB-12-34-56-ZZ-90-A0",  # MALFORMED_GUID
        "00-DB-FF-FF-FF-FF-FF-01",  # UNKNOWN_GUID
        *mine[:1],  # DUPLICATE_IN_REQUEST
        *others,  # NOT_RESPONSIBLE
        *other_model,  # NOT_ELIGIBLE
    ]


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
