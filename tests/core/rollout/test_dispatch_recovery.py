"""Every command is recorded before it is sent; after a crash nothing is sent twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from chconsole.core.bootstrap import open_engine
from chconsole.core.rollout.network import Command
from sim import rollout
from sim.network import SimulatedNetwork


class CrashingNetwork(SimulatedNetwork):
    """The simulated network, but the workstation dies around the first send."""

    def __init__(self, after_send: bool) -> None:
        super().__init__()
        self.after_send = after_send
        self.crashes = 1
        self.sent: Counter[str] = Counter()

    def send(self, session: Session, commands: Sequence[Command], now: datetime) -> None:
        if self.crashes and not self.after_send:
            self.crashes -= 1
            raise ConnectionError("link to the CSP dropped")
        super().send(session, commands, now)
        self.sent.update(c.key for c in commands)
        if self.crashes:
            self.crashes -= 1
            session.commit()  # the network took them; then the workstation died
            raise ConnectionError("workstation lost power")


def _unsent(engine: object) -> int:
    with engine.db.reading() as s:  # type: ignore[attr-defined]
        return int(s.execute(text("SELECT COUNT(*) FROM csp_command WHERE sent_at IS NULL")).scalar() or 0)


@pytest.mark.parametrize("after_send", [False, True], ids=["crash-before-send", "crash-after-send"])
def test_commands_survive_a_crash_and_are_never_sent_twice(tmp_path: Path, after_send: bool) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    rollout.build(url, 300).close()
    network = CrashingNetwork(after_send)
    engine = open_engine(url, "alice", network=network)  # the same database, a network that crashes
    with engine.db.reading() as s:
        before = s.execute(text("SELECT COUNT(*) FROM csp_command")).scalar()
    assert before == 300 and _unsent(engine) == 0  # the build's own start sent everything

    # Move on to the activations: recorded, then the crash around their send.
    with pytest.raises(ConnectionError):
        engine.time.tick(engine.now() + timedelta(days=2, hours=1))
    with engine.db.reading() as s:
        activations = s.execute(text("SELECT COUNT(*) FROM csp_command WHERE step = 'activate'")).scalar()
        pending = s.execute(text(
            "SELECT COUNT(*) FROM release_hub WHERE state = 'ACTIVATION_PENDING'")).scalar()
    assert activations and activations == pending  # recorded, and the hubs moved with them
    assert _unsent(engine) == activations  # none marked sent

    engine.time.tick(engine.now() + timedelta(days=2))  # the next run reconciles and carries on
    assert _unsent(engine) == 0
    assert max(network.sent.values()) == 1  # no command reached the network twice
    counts = {k: n for k, n in engine.releases.get(1).counts.items() if n}
    assert set(counts) <= {"ACTIVATED", "FAILED"} and sum(counts.values()) == 300
    engine.db.dispose()


def test_a_rollout_runs_on_postgresql(pg_url: str) -> None:
    engine = rollout.build(pg_url, 600)
    for _ in range(4):
        engine.time.tick(engine.now() + timedelta(days=1))
    counts = {k: n for k, n in engine.releases.get(1).counts.items() if n}
    assert set(counts) <= {"ACTIVATED", "FAILED"} and sum(counts.values()) == 600
    assert engine.pilots.get(1).hubs == 600
    twice = engine.releases.get(1).counts
    engine.time.tick(engine.now())
    assert engine.releases.get(1).counts == twice
    engine.db.dispose()
