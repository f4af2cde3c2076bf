"""Several senders at once (a console and the headless scheduler) send each notice once, on
SQLite and on a shared PostgreSQL database; and the scheduler's pass sends on its own."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from chc_helpers import MODEL, NEW, OLD, Cli, guid, image_hash, write_csv
from mail_relay import TRY_LATER, Relay, running_relay

from chconsole.core.bootstrap import open_engine
from chconsole.core.engine.dto import SendReport

SUPPLIERS = [f"SUP{n:02d}" for n in range(1, 31)]  # more notices than one sender's chunk


@pytest.fixture
def relay() -> Iterator[Relay]:
    with running_relay() as r:
        yield r


def notified(cli: Cli, relay: Relay) -> Cli:
    """Thirty suppliers with a hub each and an address, the relay set, release 1 notified."""
    cli.ok("init", "--clock", "simulated", "--start", "2026-03-02T09:00")
    rows = [[guid(n), MODEL, OLD, "Commissioned", "North", s, ""] for n, s in enumerate(SUPPLIERS, start=1)]
    cli.ok("import-estate", str(write_csv(cli.tmp / "estate.csv", rows)))
    for v in (OLD, NEW):
        cli.ok("cpl", "add", "--model", MODEL, "--firmware-version", v, "--image-hash", image_hash(v))
    cli.ok("release", "create", "--model", MODEL, "--from-version", OLD, "--to-version", NEW, "--severity",
           "High", "--priority", "P2", "--release-note", "RN-1", "--type", "sec")
    for party in [*SUPPLIERS, "ARQIVA"]:
        cli.ok("party", "set", party, "--email", f"{party.lower()}@example.com")
    cli.ok("mail", "set", "--host", relay.host, "--port", str(relay.port))
    cli.ok("release", "notify", "1")
    return cli


def two_senders_at_once(url: str) -> list[SendReport]:
    engines = [open_engine(url, "alice") for _ in range(2)]
    start = threading.Barrier(2)
    reports: list[SendReport] = []
    errors: list[BaseException] = []

    def sender(n: int) -> None:
        try:
            start.wait()
            reports.append(engines[n].mail.send().value)
        except BaseException as exc:  # noqa: BLE001 - the test says which
            errors.append(exc)

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for e in engines:
        e.db.dispose()
    assert errors == []
    return reports


def check_each_sent_once(cli: Cli, relay: Relay) -> None:
    reports = two_senders_at_once(cli.url)
    received = Counter(r.rcpt_tos[0] for r in relay.received)
    assert set(received.values()) == {1} and len(received) == len(SUPPLIERS) + 1
    assert sum(r.sent for r in reports) == len(SUPPLIERS) + 1
    listed = cli.ok_json("outbox", "list")
    assert isinstance(listed, list) and {n["status"] for n in listed} == {"SENT"}


def test_two_senders_at_once_send_each_notice_once(tmp_path: Path, relay: Relay) -> None:
    check_each_sent_once(notified(Cli(f"sqlite:///{tmp_path / 'c.db'}", tmp_path), relay), relay)


def test_two_senders_at_once_on_postgresql(pg_url: str, tmp_path: Path, relay: Relay) -> None:
    check_each_sent_once(notified(Cli(pg_url, tmp_path), relay), relay)


def test_a_retry_on_postgresql_waits_for_its_time(pg_url: str, tmp_path: Path, relay: Relay) -> None:
    relay.refuse["sup01@example.com"] = TRY_LATER
    cli = notified(Cli(pg_url, tmp_path), relay)
    cli.ok("outbox", "send")
    (failed,) = cli.ok_json("outbox", "list", "--status", "FAILED")  # type: ignore[misc]
    assert (failed["recipient"], failed["answer"], failed["next_try_at"]) == (
        "SUP01", TRY_LATER, "2026-03-02T09:05:00+00:00")
    del relay.refuse["sup01@example.com"]
    cli.ok("tick", "--now", "2026-03-02T09:04")
    assert cli.ok_json("outbox", "list", "--status", "FAILED") != []
    cli.ok("tick", "--now", "2026-03-02T09:05")
    assert cli.ok_json("outbox", "list", "--status", "FAILED") == []


def test_the_headless_scheduler_sends_on_its_pass(tmp_path: Path, relay: Relay) -> None:
    cli = notified(Cli(f"sqlite:///{tmp_path / 'c.db'}", tmp_path), relay)
    assert relay.received == []
    cli.ok("scheduler", "--once")
    assert len(relay.received) == len(SUPPLIERS) + 1
