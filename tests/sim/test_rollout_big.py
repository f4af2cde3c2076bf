"""A whole rollout of 50,000 hubs runs to completion on the simulated network."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from sim import rollout


@pytest.mark.slow
def test_fifty_thousand_hubs_run_to_completion(tmp_path: Path) -> None:
    engine = rollout.build(f"sqlite:///{tmp_path / 'big.db'}", 50_000)
    started = engine.releases.get(1).counts
    assert started.get("DISTRIBUTING") == 50_000

    for _ in range(4):  # a few days of simulated time: distribution takes two
        engine.time.tick(engine.now() + timedelta(days=1))
    counts = {k: n for k, n in engine.releases.get(1).counts.items() if n}

    assert set(counts) == {"ACTIVATED", "FAILED"}
    assert counts["ACTIVATED"] + counts["FAILED"] == 50_000
    # The assumed failure rates (1% + 0.3% + 0.2%) give about 1.5% failures.
    assert 0.005 < counts["FAILED"] / 50_000 < 0.03
    with engine.db.reading() as s:
        on_target = s.execute(text("SELECT COUNT(*) FROM hub WHERE firmware_version = :v"),
                              {"v": rollout.TO_VERSION}).scalar()
        commands = dict(s.execute(text("SELECT step, COUNT(*) FROM csp_command GROUP BY step")).all())
        unsent = s.execute(text("SELECT COUNT(*) FROM csp_command WHERE sent_at IS NULL")).scalar()
    # The SMI shows the new version exactly where activation was confirmed.
    assert on_target == counts["ACTIVATED"]
    # One distribution per hub, one activation per hub that held the image, all sent.
    assert commands["distribute"] == 50_000
    assert commands["activate"] < 50_000 and unsent == 0
    engine.db.dispose()
