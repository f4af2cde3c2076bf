"""The demo's deployment scene: what follows a successful pilot, for the Batch control pictures.

The demo database stops a day into the pilot, when no batch can have run yet. This scene
carries it on: DCC concludes the pilot (proceed); DCC schedules a first wave by rule; two
suppliers send instructions (one file with mistakes, so its receipt lists refusals); DCC
schedules a second wave and withdraws a trial batch; the first wave distributes and
activates; then the console and the scheduler are down over a night, so the second wave's
distribution falls due unseen and waits as OVERDUE for DCC to run it now or re-plan it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import text

from chconsole.core.deployment.batches import parse_rule
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.london import parse_time

CONCLUDED_AT = "2026-11-06T09:30"  # the demo's "now": the pilot's hubs hold the image
FIRST_WAVE = ("2026-11-13T12:00", ("region=Central", "size=150"), "Central wave 1")
SECOND_WAVE = ("2026-11-21T02:00", ("region=South", "size=150"), "South wave 1")
TRIAL = ("2026-12-10T10:00", ("from-version={oldest}", "size=40"), "Older firmware trial")
INSTRUCTED_AT = "2026-11-27T10:00"
RUN_UNTIL = "2026-11-13T18:00"  # the first wave has activated
BACK_AT = "2026-11-15T09:00"  # the console comes back after a night (and a day) down


def applies(engine: Engine) -> bool:
    """Only a demo database as sim.demo leaves it: a simulated clock, release 1's pilot
    running, and no DCC batch or instruction yet. Anything else is left alone."""
    if not engine.clock.is_simulated:
        return False
    try:
        pilot = engine.pilots.get(1)
    except Exception:  # noqa: BLE001 - no release 1: not the demo
        return False
    return (pilot.state == "RUNNING" and not engine.deployment.instructions()
            and not any(b.kind == "dcc" for b in engine.deployment.batches()))


def play(engine: Engine) -> None:
    """Carry the demo on from its pilot to a deployment with an overdue batch (see above)."""
    release = engine.releases.get(1)
    engine.pilots.conclude(1, "proceed", "Every pilot hub that holds the image activated cleanly; "
                                        "no incident raised. The safe launch may proceed.")
    at, rules, name = FIRST_WAVE
    engine.deployment.create_batch(1, parse_time(at), rule=parse_rule(rules), name=name)
    with tempfile.TemporaryDirectory() as tmp:
        for supplier, n, batch_name, mistakes in (("OCTO", 30, "OCTO early adopters", True),
                                                  ("BGAS", 24, "BGAS November wave", False)):
            path = Path(tmp) / f"{supplier.lower()}-instruction.csv"
            guids = _free_hubs(engine, supplier, n)
            if mistakes:
                guids += ["00-DB-12-34-56-ZZ-90-A0", "00-DB-FF-FF-FF-FF-FF-01", *guids[:1]]
            path.write_text("guid\n" + "\n".join(guids) + "\n", encoding="utf-8")
            engine.deployment.instruct(1, supplier, path, parse_time(INSTRUCTED_AT), batch_name)
    at, rules, name = SECOND_WAVE
    engine.deployment.create_batch(1, parse_time(at), rule=parse_rule(rules), name=name)
    at, rules, name = TRIAL
    oldest = min(release.from_versions)
    trial = engine.deployment.create_batch(1, parse_time(at), rule=parse_rule([r.format(oldest=oldest) for r in rules]), name=name).value
    if trial.hubs:
        engine.deployment.cancel_batch(trial.id, "Folded into the regional waves: these hubs go with their region.")
    engine.time.tick(parse_time(RUN_UNTIL))
    engine.time.tick(parse_time(BACK_AT), downtime=True)


def _free_hubs(engine: Engine, supplier: str, n: int) -> list[str]:
    with engine.db.reading() as s:
        return list(s.scalars(text(
            "SELECT h.guid FROM release_hub rh JOIN hub h ON h.id = rh.hub_id WHERE rh.release_id = 1 "
            "AND rh.state = 'ELIGIBLE' AND rh.batch_id IS NULL AND rh.hub_group = 'safe_launch' "
            "AND (rh.import_supplier = :p OR rh.gas_supplier = :p) ORDER BY h.guid DESC LIMIT :n"),
            {"p": supplier, "n": n}))
