"""The per-hub rollout state machine: the table refuses what it lacks, and `move` keeps the
maintained counts (release_tally 'state' and 'pilot_state') equal to a recount."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from chc_helpers import Cli, hubs, pilot_release
from sqlalchemy import text
from sqlalchemy.orm import Session

from chconsole.core.rollout import tallies
from chconsole.core.rollout.machine import HUB_TRANSITIONS, PILOT, SAFE_LAUNCH, check_hub_move, move
from chconsole.core.storage.db import Database
from chconsole.core.vocabulary.errors import IllegalTransition
from chconsole.core.vocabulary.states import HubState as H

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
ILLEGAL = [(a, b) for a in H for b in H if (a, b) not in HUB_TRANSITIONS]


@pytest.mark.parametrize(("frm", "to"), ILLEGAL, ids=[f"{a.value}->{b.value}" for a, b in ILLEGAL])
def test_a_move_not_in_the_table_is_refused_naming_both_states(frm: H, to: H) -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_hub_move(frm, to)
    assert frm.value in str(refused.value) and to.value in str(refused.value)


def test_the_table_names_every_move_and_finished_hubs_stay_finished() -> None:
    assert all(isinstance(why, str) and why for why in HUB_TRANSITIONS.values())
    assert all(check_hub_move(a, b) == why for (a, b), why in HUB_TRANSITIONS.items())
    for done in (H.ACTIVATED, H.CANCELLED, H.EXCLUDED):
        assert not [b for (a, b) in HUB_TRANSITIONS if a is done], done
    assert [b for (a, b) in HUB_TRANSITIONS if a is H.FAILED] == [H.ACTIVATED]  # a late confirmation
    assert (H.SCHEDULED, H.ACTIVATED) not in HUB_TRANSITIONS  # no activation without the image


@pytest.fixture
def db(cli: Cli) -> Iterator[Database]:
    """Release 1 notified over 12 hubs: OCTO's 4 a region."""
    pilot_release(cli, [*hubs(1, 4, "North", "OCTO", "OCTO"), *hubs(5, 4, "Central", "OCTO", "OCTO"),
                        *hubs(9, 4, "South", "OCTO", "OCTO")])
    database = Database(cli.url)
    yield database
    database.dispose()


def _recount(s: Session, dimension: str) -> dict[str, int]:
    pilot_only = "AND hub_group = 'pilot'" if dimension == "pilot_state" else ""
    return {str(k): int(n) for k, n in s.execute(text(
        f"SELECT state, COUNT(*) FROM release_hub WHERE release_id = 1 {pilot_only} GROUP BY state"))}


def _check_tallies(db: Database) -> dict[str, int]:
    with db.reading() as s:
        for dimension in ("state", "pilot_state"):
            kept = {k: n for k, n in tallies.read(s, 1, dimension).items() if n}
            assert kept == _recount(s, dimension), dimension
        return _recount(s, "pilot_state")


def _moves(db: Database) -> int:
    with db.reading() as s:
        return int(s.execute(text("SELECT COUNT(*) FROM audit WHERE action = 'hub-move'")).scalar() or 0)


def _hubs(*numbers: int) -> str:
    return f"AND hub_id IN ({', '.join(str(n) for n in numbers)})"


def test_move_keeps_the_state_and_pilot_state_counts_right(db: Database) -> None:
    steps: list[tuple[H, H, str, str | None, int, dict[str, int]]] = [
        # from, to, which hubs, into group, how many move, pilot hubs per state afterwards
        (H.ELIGIBLE, H.SCHEDULED, _hubs(1, 2, 3, 4), PILOT, 4, {"SCHEDULED": 4}),
        (H.ELIGIBLE, H.AWAITING_OTHER_SUPPLIER, _hubs(5, 6), None, 2, {"SCHEDULED": 4}),
        (H.AWAITING_OTHER_SUPPLIER, H.SCHEDULED, _hubs(5), PILOT, 1, {"SCHEDULED": 5}),
        (H.AWAITING_OTHER_SUPPLIER, H.ELIGIBLE, "", None, 1, {"SCHEDULED": 5}),
        (H.SCHEDULED, H.DISTRIBUTING, _hubs(1, 2, 3), None, 3, {"SCHEDULED": 2, "DISTRIBUTING": 3}),
        (H.DISTRIBUTING, H.FAILED, _hubs(3), None, 1, {"SCHEDULED": 2, "DISTRIBUTING": 2, "FAILED": 1}),
        (H.ELIGIBLE, H.HELD, _hubs(7, 8, 9), None, 3, {"SCHEDULED": 2, "DISTRIBUTING": 2, "FAILED": 1}),
        # A held safe-launch hub nominated into the pilot, and a pilot hub moved out of it.
        (H.HELD, H.SCHEDULED, _hubs(9), PILOT, 1, {"SCHEDULED": 3, "DISTRIBUTING": 2, "FAILED": 1}),
        (H.SCHEDULED, H.HELD, _hubs(4), None, 1, {"SCHEDULED": 2, "DISTRIBUTING": 2, "FAILED": 1, "HELD": 1}),
        (H.HELD, H.ELIGIBLE, "", SAFE_LAUNCH, 3, {"SCHEDULED": 2, "DISTRIBUTING": 2, "FAILED": 1}),
        (H.SCHEDULED, H.CANCELLED, "", None, 2, {"CANCELLED": 2, "DISTRIBUTING": 2, "FAILED": 1}),
        (H.ELIGIBLE, H.EXCLUDED, _hubs(10, 11), None, 2, {"CANCELLED": 2, "DISTRIBUTING": 2, "FAILED": 1}),
        # Nothing matches: nothing moves, nothing is counted, nothing is audited.
        (H.ACTIVATION_PENDING, H.ACTIVATED, "", None, 0, {"CANCELLED": 2, "DISTRIBUTING": 2, "FAILED": 1}),
    ]
    assert _check_tallies(db) == {}
    with db.writing() as s:  # sending distributions is guarded: only a running release may
        s.execute(text("UPDATE release SET state = 'PILOT_RUNNING' WHERE id = 1"))
    for frm, to, where, group, moved, pilot_states in steps:
        audited = _moves(db)
        with db.writing() as s:
            n = move(s, 1, frm, to, now=NOW, actor="alice", where=where, group=group,
                     reason="TEST" if to in (H.FAILED, H.EXCLUDED) else None)
        assert n == moved, (frm, to)
        assert _check_tallies(db) == pilot_states, (frm, to)
        assert _moves(db) == audited + (1 if moved else 0)
    with db.reading() as s:
        rows = {int(h): r for h, r in s.execute(text(
            "SELECT hub_id, reason FROM release_hub WHERE state IN ('FAILED', 'EXCLUDED')"))}
        detail = s.execute(text("SELECT detail FROM audit WHERE action = 'hub-move' ORDER BY id DESC")).scalar()
    assert rows == {3: "TEST", 10: "TEST", 11: "TEST"}
    assert '"from": "ELIGIBLE"' in str(detail) and '"to": "EXCLUDED"' in str(detail) and '"hubs": 2' in str(detail)


def test_an_illegal_move_changes_nothing(db: Database) -> None:
    with db.reading() as s:
        before = (_recount(s, "state"), tallies.read(s, 1, "state"))
    audited = _moves(db)
    with pytest.raises(IllegalTransition, match="ELIGIBLE.*ACTIVATED"), db.writing() as s:
        move(s, 1, H.ELIGIBLE, H.ACTIVATED, now=NOW, actor="alice")
    with db.reading() as s:
        assert (_recount(s, "state"), tallies.read(s, 1, "state")) == before == ({"ELIGIBLE": 12}, {"ELIGIBLE": 12})
    assert _moves(db) == audited


def test_the_gate_is_a_guard_no_caller_can_get_round(tmp_path: Path) -> None:
    """Safe-launch hubs are never commanded to activate before the pilot proceeds."""
    from chconsole.core.rollout import dispatch
    from chconsole.core.rollout.machine import GUARDS
    from chconsole.core.storage.models import Release
    from sim import rollout as scenario

    engine = scenario.build(f"sqlite:///{tmp_path / 'g.db'}", 30)
    assert all(g.name for guards in GUARDS.values() for g in guards)
    with engine.db.writing() as s:
        now = engine.ctx.now(s)
        # Pretend three pilot hubs were safe-launch hubs that already hold the image.
        s.execute(text("UPDATE release_hub SET hub_group = 'safe_launch', state = 'DISTRIBUTED' "
                       "WHERE release_id = 1 AND hub_id <= 3"))
        release = s.get(Release, 1)
        assert release is not None and release.state == "PILOT_RUNNING"
        moved = dispatch.record_activations(s, 1, now, now, "alice", where="AND hub_id <= 3")
        commands = s.execute(text("SELECT COUNT(*) FROM csp_command WHERE step = 'activate'")).scalar()

    assert moved == 0 and commands == 0
    engine.db.dispose()
