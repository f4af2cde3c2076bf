"""A user's action does its own release's work only; a done change is reported as done;
every write says what it changed."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from chc_helpers import (
    MODEL,
    NEW,
    OLD,
    Cli,
    guid,
    hubs,
    image_hash,
    nominated,
    pilot_release,
    reliable_network,
)
from sqlalchemy import text

from chconsole.core.bootstrap import open_engine
from chconsole.core.deployment.batches import BatchRule
from chconsole.core.engine.facade import Engine
from chconsole.core.pilots.rules import PilotRule
from chconsole.core.storage import clock

OTHER_MODEL = "WNC-CHF-250"


def _commands(engine: Engine) -> Counter[tuple[int, str]]:
    """What the simulated network itself received: (release, step) -> commands."""
    with engine.db.reading() as s:
        rows = s.execute(text("SELECT release_id, step, COUNT(*) FROM sim_network_job GROUP BY release_id, step"))
        return Counter({(int(r), str(step)): int(n) for r, step, n in rows})


@pytest.fixture
def two_pilots(cli: Cli) -> Engine:
    """Release 1 (EDMI hubs 1-4) with its pilot nominated but not started; release 2 (hubs 5-8
    of another model) whose pilot started and whose images have arrived at the hubs, read by
    no pass yet: its activations are due at the next pass."""
    pilot_release(cli, [*hubs(1, 4, "North", "OCTO", "OCTO"), *hubs(5, 4, "South", "OCTO", "OCTO",
                                                                     model=OTHER_MODEL)])
    reliable_network(cli, "distribution_days=1")
    for v in (OLD, NEW):
        cli.ok("cpl", "add", "--model", OTHER_MODEL, "--firmware-version", v, "--image-hash", image_hash(v + "w"))
    made = cli.ok_json("release", "create", "--model", OTHER_MODEL, "--from-version", OLD, "--to-version", NEW,
                       "--severity", "High", "--priority", "P2", "--release-note", "RN-9", "--type", "sec")
    assert isinstance(made, dict) and made["id"] == 2
    cli.ok("release", "notify", "2")
    nominated(cli, 1, "OCTO", [guid(n) for n in range(1, 5)])
    nominated(cli, 2, "OCTO", [guid(n) for n in range(5, 9)])
    cli.ok("pilot", "start", "2")
    engine = open_engine(cli.url, "alice")
    assert _commands(engine) == {(2, "distribute"): 4}
    with engine.db.writing() as s:  # a day and a half on, and no pass ran meanwhile
        clock.set_simulated_now(s, engine.now() + timedelta(hours=36))
    return engine


def test_starting_one_releases_pilot_commands_that_release_only(two_pilots: Engine) -> None:
    engine = two_pilots
    engine.pilots.start(1)
    assert _commands(engine) == {(2, "distribute"): 4, (1, "distribute"): 4}  # release 2 waits
    engine.time.tick()  # the scheduler's pass does release 2's due work
    assert _commands(engine)[(2, "activate")] == 4


def test_concluding_one_releases_pilot_commands_no_other_release(two_pilots: Engine) -> None:
    engine = two_pilots
    engine.pilots.start(1)
    before = _commands(engine)
    engine.pilots.conclude(1, "proceed", "Fine so far")
    assert _commands(engine) == before
    # The results it read first were applied (release 2's hubs hold the image), not acted on.
    assert engine.releases.get(2).counts["DISTRIBUTED"] == 4


def test_notices_that_cannot_be_written_leave_the_change_done_and_follow_on_the_next_pass(
        cli: Cli, tmp_path: Path) -> None:
    cli.estate(hubs(1, 3, "North", "OCTO", "BGAS"))
    for v in (OLD, NEW):
        cli.ok("cpl", "add", "--model", MODEL, "--firmware-version", v, "--image-hash", image_hash(v))
    cli.ok("release", "create", "--model", MODEL, "--from-version", OLD, "--to-version", NEW,
           "--severity", "Low", "--priority", "P4", "--release-note", "RN-2", "--type", "planned")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the outbox folder should be")
    engine = open_engine(cli.url, "alice", outbox_dir=blocked)

    done = engine.releases.notify(1)

    assert done.value.state == "NOTIFIED" and done.value.eligible == 3
    assert done.changes.notices == 0 and done.changes.notices_waiting is not None
    assert "will be written on the next pass" in done.changes.notices_waiting
    with engine.db.reading() as s:
        waiting = s.execute(text("SELECT COUNT(*) FROM notice WHERE status = 'PENDING'")).scalar()
    assert waiting == 3  # OCTO, BGAS and the North CSP

    blocked.unlink()
    ticked = engine.time.tick()
    assert ticked.changes.notices == 3 and ticked.changes.notices_waiting is None
    assert len(list(blocked.glob("*.eml"))) == 3


def test_each_write_says_what_it_changed(cli: Cli) -> None:
    release = pilot_release(cli, hubs(1, 6, "North", "OCTO", "OCTO"))
    reliable_network(cli)
    engine = open_engine(cli.url, "alice")

    note = engine.releases.update_note(release, "RN-78")
    assert note.changes.releases == {release} and note.changes.notices == 2  # OCTO and the North CSP

    nomination = engine.pilots.nominate(release, "OCTO", rule=PilotRule(count=2))
    assert nomination.changes.pilots == {release} and nomination.changes.notices >= 1

    started = engine.pilots.start(release)
    assert started.changes.pilots == {release} and not started.changes.batches

    batch = engine.deployment.create_batch(release, engine.now() + timedelta(days=10), rule=BatchRule(size=2))
    assert batch.changes.batches == {batch.value.id} and batch.changes.releases == {release}

    cancelled = engine.deployment.cancel_batch(batch.value.id, "not needed")
    assert cancelled.changes.batches == {batch.value.id}
    assert not cancelled.changes.concerns_release(release + 1) and cancelled.changes.concerns_release(release)

    assert engine.time.tick().changes.everything



