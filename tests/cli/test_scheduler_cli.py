"""`chconsole scheduler`: the scheduler without a window.

`--once` runs one pass and exits; without it the command runs until SIGINT/SIGTERM (here
a stop event already set, so nothing waits). Another holder's live lease means nothing
is done here, and that is said, not treated as a failure.
"""

from __future__ import annotations

import argparse
import io
import json
import threading
from contextlib import redirect_stderr
from datetime import UTC, datetime, timedelta

from chc_helpers import Cli, guid, hubs, nominated, pilot_release, place, reliable_network

from chconsole.cli.commands.time import run_scheduler
from chconsole.core.bootstrap import open_engine
from chconsole.core.storage import clock, lease
from chconsole.core.vocabulary.london import parse_time

OTHER = "ops-server:4242:headless"


def _lease(cli: Cli) -> lease.LeaseStatus:
    engine = open_engine(cli.url, "alice")
    with engine.db.reading() as s:
        status = lease.status(s, datetime.now(UTC))
    engine.db.dispose()
    return status


def _held_elsewhere(cli: Cli, minutes: int = 3) -> None:
    engine = open_engine(cli.url, "alice")
    with engine.db.writing() as s:
        assert lease.acquire(s, OTHER, datetime.now(UTC), timedelta(minutes=minutes))
    engine.db.dispose()


def test_once_runs_one_pass_and_leaves_the_lease_free(cli):
    r = cli.ok("scheduler", "--once")
    assert "pass done; next due nothing planned" in r.out
    out = cli.ok_json("scheduler", "--once")
    assert out["ran"] is True and out["next_due"] is None and out["error"] is None
    assert out["holder"].endswith(":headless")
    assert _lease(cli).holder is None  # a one-off pass does not keep others out


def test_once_does_the_work_that_fell_due_while_nothing_ran(cli):
    pilot_release(cli, hubs(1, 4, "North", "OCTO", "OCTO"))
    nominated(cli, 1, "OCTO", [guid(n) for n in range(1, 5)])
    reliable_network(cli)
    cli.ok("pilot", "start", "1")
    engine = open_engine(cli.url, "alice")
    with engine.db.writing() as s:  # two days pass; nobody ticks
        clock.set_simulated_now(s, parse_time("2026-03-04T09:00"))
    engine.db.dispose()
    assert place(cli, guid(1))["state"] == "DISTRIBUTING"
    out = cli.ok_json("scheduler", "--once")
    assert out["ran"] is True
    assert place(cli, guid(1))["state"] == "ACTIVATION_PENDING"
    assert parse_time(out["next_due"]) > parse_time("2026-03-04T09:00")


def test_another_holder_means_nothing_is_done_here_and_it_says_who(cli):
    _held_elsewhere(cli)
    r = cli.ok("scheduler", "--once")
    assert "nothing done here: the lease is held by ops-server:4242 (headless)" in r.out
    out = cli.ok_json("scheduler", "--once")
    assert (out["ran"], out["holder"], out["error"]) == (False, OTHER, None)
    assert _lease(cli).holder == OTHER  # not taken, not freed


def test_an_expired_lease_is_taken(cli):
    _held_elsewhere(cli, minutes=-1)
    out = cli.ok_json("scheduler", "--once")
    assert out["ran"] is True and out["holder"] != OTHER


def test_only_a_user_who_may_tick_runs_the_scheduler(cli):
    cli.ok("user", "add", "pat", "--role", "panel-secretary")
    r = cli("scheduler", "--once", actor="pat")
    assert r.status == 3 and "pat may not run the scheduler" in r.err
    assert "release-manager" in r.err
    r = cli("scheduler", "--once", actor="nobody")
    assert r.status == 3 and "not a DCC user" in r.err
    r = cli("scheduler", actor="pat")  # the loop too, before it starts
    assert r.status == 3
    assert _lease(cli).holder is None
    cli.ok("user", "add", "olive", "--role", "operator")
    assert cli.ok_json("scheduler", "--once", actor="olive")["ran"] is True


def test_a_heartbeat_under_a_second_is_refused(cli):
    r = cli("scheduler", "--heartbeat", "0.5")
    assert r.status == 2 and "--heartbeat" in r.err


def test_the_loop_stops_on_its_signal_and_frees_the_lease(cli):
    engine = open_engine(cli.url, "alice")
    stop = threading.Event()
    stop.set()  # SIGTERM already arrived: start, stop, clean up
    args = argparse.Namespace(once=False, heartbeat=60.0)
    err = io.StringIO()
    with redirect_stderr(err):
        status = run_scheduler(engine, args, lambda data, text: None, stop)
    engine.db.dispose()
    assert status == 0
    assert "a pass every 60 s" in err.getvalue() and "the lease is free" in err.getvalue()
    assert _lease(cli).holder is None


def test_once_with_json_prints_one_document(cli):
    r = cli("scheduler", "--once", "--json")
    assert r.status == 0
    assert set(json.loads(r.out)) == {"ran", "holder", "next_due", "error"}
