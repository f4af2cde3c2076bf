"""Notices really sent: through a real SMTP relay (aiosmtpd on 127.0.0.1), each with its state.

The relay is a real server in this process, so smtplib talks SMTP to it as it would to a
site's relay; it can be told to refuse some recipients for a while (451) or for good (550).
Time is the database's simulated clock, moved by `tick --now`, which also sends what is due,
as every scheduler pass does. Nothing sleeps.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from chc_helpers import Cli, audit_actions, eml_attachments, read_eml
from mail_relay import NO_MAILBOX, PASSWORD, TRY_LATER, Relay, free_port, running_relay

from chconsole.core.vocabulary.london import iso, parse_time

PARTIES = ("BGAS", "EDFE", "OCTO", "ARQIVA", "TELEFONICA")  # whom release 1's notice goes to
START = parse_time("2026-03-02T09:00")
SENDER = "firmware.servicedesk@smartdcc.co.uk"
# The documented backoff after the 1st, 2nd, 3rd and 4th failed try; the 5th is the last.
BACKOFF_MINUTES = (5, 30, 120, 720)


def address(party: str) -> str:
    return f"notices@{party.lower()}.example"


@pytest.fixture
def relay() -> Iterator[Relay]:
    with running_relay() as r:
        yield r


@pytest.fixture
def mailing(released: Cli, relay: Relay) -> Cli:
    """Release 1 drafted, every party with an address, and notices sent through RELAY."""
    for party in PARTIES:
        released.ok("party", "set", party, "--email", address(party))
    released.ok("mail", "set", "--host", relay.host, "--port", str(relay.port))
    return released


def outbox(cli: Cli) -> dict[str, dict[str, object]]:
    """Release 1's notices by recipient (one each)."""
    listed = cli.ok_json("outbox", "list", "--release", "1")
    assert isinstance(listed, list)
    return {str(n["recipient"]): n for n in listed}


def at(minutes: float) -> str:
    return iso(START + timedelta(minutes=minutes))


def test_each_notice_goes_to_its_party_as_the_eml_the_folder_holds(mailing: Cli, relay: Relay) -> None:
    mailing.ok("release", "notify", "1")
    sent = mailing.ok_json("outbox", "send")
    assert sent == {"sent": len(PARTIES), "failed": []}
    notices = outbox(mailing)
    assert set(notices) == set(PARTIES)
    for party, n in notices.items():
        (message,) = relay.to(address(party))
        folder = read_eml(str(n["file"]))
        assert message["From"] == f"DCC Firmware Service Desk <{SENDER}>"
        assert address(party) in message["To"]
        assert str(message["Subject"]).strip() == n["subject"]
        assert message["Message-ID"] == folder["Message-ID"]  # the same notice: a retry is a duplicate
        assert "X-Unsent" not in message  # a draft in the folder, a sent message here
        assert _text(message) == _text(folder)
        assert _attachments(message) == eml_attachments(str(n["file"]))
        if n["attachment"]:  # suppliers get their workbook; the CSPs' notices have none
            assert _attachments(message) == {Path(str(n["attachment"])).name: Path(str(n["attachment"])).read_bytes()}
        assert (n["status"], n["status_text"], n["attempts"], n["sent_at"]) == ("SENT", "Sent", 1, iso(START))
        assert str(n["answer"]).startswith("250 ")
    assert {r.mail_from for r in relay.received} == {SENDER}
    assert audit_actions(mailing)[-1] == "outbox-send"


def _text(message: object) -> str:
    """The notice's words (SMTP carries lines ending CRLF)."""
    return str(message.get_body(("plain",)).get_content()).replace("\r\n", "\n")  # type: ignore[attr-defined]


def _attachments(message: object) -> dict[str, bytes]:
    return {str(p.get_filename()): bytes(p.get_payload(decode=True))
            for p in message.walk() if p.get_filename()}  # type: ignore[attr-defined]


def test_the_scheduler_pass_sends_what_is_written_without_anyone_asking(mailing: Cli, relay: Relay) -> None:
    mailing.ok("release", "notify", "1")
    assert {n["status"] for n in outbox(mailing).values()} == {"WRITTEN"}
    mailing.ok("tick")
    assert {n["status"] for n in outbox(mailing).values()} == {"SENT"}
    assert len(relay.received) == len(PARTIES)


def test_a_451_fails_and_is_sent_at_its_next_try_when_the_clock_gets_there(mailing: Cli, relay: Relay) -> None:
    relay.refuse[address("OCTO")] = TRY_LATER
    mailing.ok("release", "notify", "1")
    report = mailing.ok_json("outbox", "send")
    assert report == {"sent": len(PARTIES) - 1, "failed": [
        {"id": outbox(mailing)["OCTO"]["id"], "recipient": "OCTO", "answer": TRY_LATER, "retry_at": at(5)}]}
    octo = outbox(mailing)["OCTO"]
    assert (octo["status"], octo["answer"], octo["status_text"]) == ("FAILED", TRY_LATER, f"Failed: {TRY_LATER}")
    del relay.refuse[address("OCTO")]  # the relay would take it now, but its time has not come
    assert mailing.ok("outbox", "send").out.strip() == "Nothing was waiting to be sent."
    mailing.ok("tick", "--now", at(4))
    assert outbox(mailing)["OCTO"]["status"] == "FAILED"
    mailing.ok("tick", "--now", at(5))
    octo = outbox(mailing)["OCTO"]
    assert (octo["status"], octo["attempts"], octo["sent_at"]) == ("SENT", 2, at(5))
    assert len(relay.to(address("OCTO"))) == 1


def test_tries_wait_longer_each_time_and_stop_after_the_fifth(mailing: Cli, relay: Relay) -> None:
    relay.refuse[address("EDFE")] = TRY_LATER
    mailing.ok("release", "notify", "1")
    mailing.ok("outbox", "send")
    tried = 0.0
    for attempt, wait in enumerate(BACKOFF_MINUTES, start=1):
        edfe = outbox(mailing)["EDFE"]
        assert (edfe["attempts"], edfe["next_try_at"]) == (attempt, at(tried + wait))
        mailing.ok("tick", "--now", at(tried + wait - 1))
        assert outbox(mailing)["EDFE"]["attempts"] == attempt  # not before its time
        tried += wait
        mailing.ok("tick", "--now", at(tried))
    edfe = outbox(mailing)["EDFE"]
    assert (edfe["status"], edfe["attempts"], edfe["next_try_at"]) == ("FAILED", 5, None)
    mailing.ok("tick", "--now", at(tried + 7 * 24 * 60))
    assert outbox(mailing)["EDFE"]["attempts"] == 5  # after the fifth, it waits for a person
    assert "waits for 'outbox send --retry-failed'" in mailing.ok("outbox", "list", "--recipient", "EDFE").out


def test_a_550_stays_failed_until_a_person_retries_it(mailing: Cli, relay: Relay) -> None:
    relay.refuse[address("EDFE")] = NO_MAILBOX
    mailing.ok("release", "notify", "1")
    out = mailing.ok("outbox", "send").out
    edfe = outbox(mailing)["EDFE"]
    assert f"notice {edfe['id']} to EDFE: {NO_MAILBOX}" in out
    assert (edfe["status"], edfe["answer"], edfe["next_try_at"]) == ("FAILED", NO_MAILBOX, None)
    mailing.ok("tick", "--now", at(3 * 24 * 60))
    assert outbox(mailing)["EDFE"]["attempts"] == 1  # never tried again on its own
    del relay.refuse[address("EDFE")]  # the supplier fixed its mailbox
    assert mailing.ok_json("outbox", "send") == {"sent": 0, "failed": []}
    assert mailing.ok_json("outbox", "send", "--retry-failed") == {"sent": 1, "failed": []}
    edfe = outbox(mailing)["EDFE"]
    assert (edfe["status"], edfe["attempts"]) == ("SENT", 2)
    assert len(relay.to(address("EDFE"))) == 1
    assert len(relay.received) == len(PARTIES)  # nobody got a notice twice


def test_a_relay_that_is_down_fails_every_notice_with_why_and_tries_again_later(released: Cli) -> None:
    port = free_port()  # nothing listens there
    for party in PARTIES:
        released.ok("party", "set", party, "--email", address(party))
    released.ok("mail", "set", "--host", "127.0.0.1", "--port", str(port))
    released.ok("release", "notify", "1")
    report = released.ok_json("outbox", "send")
    assert isinstance(report, dict) and report["sent"] == 0
    why = f"could not connect to 127.0.0.1:{port}: connection refused"
    assert [(f["answer"], f["retry_at"]) for f in report["failed"]] == [(why, at(5))] * len(PARTIES)
    assert {(n["status"], n["status_text"]) for n in outbox(released).values()} == {("FAILED", f"Failed: {why}")}
    with running_relay() as relay:  # the relay comes back (on its own port: say so)
        released.ok("mail", "set", "--host", relay.host, "--port", str(relay.port))
        released.ok("tick", "--now", at(5))
        assert {n["status"] for n in outbox(released).values()} == {"SENT"}
        assert len(relay.received) == len(PARTIES)


def test_without_a_relay_notices_stay_written_as_files(released: Cli) -> None:
    released.ok("release", "notify", "1")
    released.ok("tick", "--now", at(60))
    notices = outbox(released)
    assert {(n["status"], n["status_text"]) for n in notices.values()} == {("WRITTEN", "Written (no relay)")}
    assert all(Path(str(n["file"])).is_file() for n in notices.values())
    before = audit_actions(released)
    refused = released("outbox", "send")
    assert refused.status == 2 and "chconsole mail set" in refused.err
    assert audit_actions(released) == before and outbox(released) == notices


def test_notices_written_before_the_relay_stay_in_the_folder_unless_asked_for(
    released: Cli, relay: Relay
) -> None:
    for party in PARTIES:
        released.ok("party", "set", party, "--email", address(party))
    released.ok("release", "notify", "1")  # written while there was no relay: perhaps sent by hand
    released.ok("tick", "--now", at(10))
    released.ok("mail", "set", "--host", relay.host, "--port", str(relay.port))
    released.ok("tick", "--now", at(20))
    assert {n["status_text"] for n in outbox(released).values()} == {"Written (before the relay)"}
    assert relay.received == []
    assert released.ok_json("outbox", "send", "--include-earlier") == {"sent": len(PARTIES), "failed": []}
    assert {n["status"] for n in outbox(released).values()} == {"SENT"}


def test_a_party_without_an_address_fails_until_it_has_one(released: Cli, relay: Relay) -> None:
    mailing = released
    for party in PARTIES[1:]:  # BGAS has none
        mailing.ok("party", "set", party, "--email", address(party))
    mailing.ok("mail", "set", "--host", relay.host, "--port", str(relay.port))
    mailing.ok("release", "notify", "1")
    mailing.ok("outbox", "send")
    bgas = outbox(mailing)["BGAS"]
    assert bgas["status"] == "FAILED" and "no e-mail address on file for BGAS" in str(bgas["answer"])
    mailing.ok("party", "set", "BGAS", "--email", address("BGAS"))
    mailing.ok("tick", "--now", at(5))
    assert outbox(mailing)["BGAS"]["status"] == "SENT"
    assert len(relay.to(address("BGAS"))) == 1


def test_the_login_password_comes_from_the_environment_and_is_kept_nowhere(
    released: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    for party in PARTIES:
        released.ok("party", "set", party, "--email", address(party))
    with running_relay(login=True) as relay:
        released.ok("mail", "set", "--host", relay.host, "--port", str(relay.port), "--user", "dcc-notices",
                    "--password-env", "CHC_TEST_RELAY_PASSWORD")
        released.ok("release", "notify", "1")
        monkeypatch.delenv("CHC_TEST_RELAY_PASSWORD", raising=False)
        released.ok("outbox", "send")
        answers = {str(n["answer"]) for n in outbox(released).values()}
        assert len(answers) == 1 and "CHC_TEST_RELAY_PASSWORD" in answers.pop()
        assert relay.logins == []  # not even tried without it

        monkeypatch.setenv("CHC_TEST_RELAY_PASSWORD", "wrong")
        released.ok("outbox", "send", "--retry-failed")
        answers = {str(n["answer"]) for n in outbox(released).values()}
        assert len(answers) == 1 and answers.pop().startswith("the relay refused the login 'dcc-notices': 535")

        monkeypatch.setenv("CHC_TEST_RELAY_PASSWORD", PASSWORD)
        assert released.ok_json("outbox", "send", "--retry-failed") == {"sent": len(PARTIES), "failed": []}
        assert relay.logins[-1] == ("dcc-notices", PASSWORD)
    shown = released.ok("mail", "show").out + released.ok("mail", "show", "--json").out
    assert PASSWORD not in shown and "CHC_TEST_RELAY_PASSWORD" in shown
    database = Path(released.url.removeprefix("sqlite:///"))
    for part in database.parent.glob(database.name + "*"):  # the file and its write-ahead log
        assert PASSWORD.encode() not in part.read_bytes()


def test_starttls_asked_for_and_not_offered_sends_nothing_in_the_clear(mailing: Cli, relay: Relay) -> None:
    mailing.ok("mail", "set", "--host", relay.host, "--port", str(relay.port), "--starttls")
    mailing.ok("release", "notify", "1")
    mailing.ok("outbox", "send")
    answers = {str(n["answer"]) for n in outbox(mailing).values()}
    assert answers == {f"{relay.host}:{relay.port} does not offer STARTTLS, which the settings ask for; "
                       "nothing was sent in the clear"}
    assert relay.received == []


def test_a_notice_another_sender_holds_is_left_to_it_until_its_claim_lapses(mailing: Cli, relay: Relay) -> None:
    mailing.ok("release", "notify", "1")
    octo = outbox(mailing)["OCTO"]
    with sqlite3.connect(mailing.url.removeprefix("sqlite:///")) as db:  # as a sender mid-way would
        db.execute("UPDATE notice SET status = 'SENDING', next_try_at = ? WHERE id = ?",
                   (_stored(START + timedelta(minutes=15)), octo["id"]))
    mailing.ok("outbox", "send")
    assert outbox(mailing)["OCTO"]["status"] == "SENDING" and relay.to(address("OCTO")) == []
    mailing.ok("tick", "--now", at(15))  # that sender died: its claim lapsed
    assert outbox(mailing)["OCTO"]["status"] == "SENT"
    assert len(relay.to(address("OCTO"))) == 1


def _stored(when: datetime) -> str:
    """A time as SQLAlchemy stores it in SQLite (UTC, no offset)."""
    return when.astimezone(START.tzinfo).strftime("%Y-%m-%d %H:%M:%S.%f")
