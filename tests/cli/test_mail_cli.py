"""`mail set|show|clear`, `outbox send` and `outbox list`'s status and filters, as a script uses them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

import pytest
from chc_helpers import Cli, audit_actions
from mail_relay import NO_MAILBOX, Relay, running_relay

DEFAULT_SENDER = "DCC Firmware Service Desk <firmware.servicedesk@smartdcc.co.uk>"


@pytest.fixture
def relay() -> Iterator[Relay]:
    with running_relay() as r:
        yield r


def relay_shown(cli: Cli) -> object:
    shown = cli.ok_json("mail", "show")
    assert isinstance(shown, dict)
    return shown["relay"]


def mail_audit(cli: Cli) -> list[dict[str, object]]:
    with sqlite3.connect(cli.url.removeprefix("sqlite:///")) as db:
        return [json.loads(d) for (d,) in db.execute("SELECT detail FROM audit WHERE action = 'mail-set' ORDER BY id")]


def test_without_a_relay_show_says_notices_stay_as_files(cli: Cli) -> None:
    assert relay_shown(cli) is None
    assert "notices stay as .eml files" in cli.ok("mail", "show").out


def test_set_keeps_every_setting_shows_them_and_audits_them(cli: Cli) -> None:
    cli.ok("mail", "set", "--host", "relay.dcc.internal", "--port", "587", "--starttls", "--user", "notices",
           "--password-env", "CHC_RELAY_PASSWORD", "--sender", "Firmware desk <fw@dcc.example>")
    shown = relay_shown(cli)
    assert isinstance(shown, dict)
    assert {k: shown[k] for k in ("host", "port", "starttls", "user", "password_env", "sender", "set_by")} == {
        "host": "relay.dcc.internal", "port": 587, "starttls": True, "user": "notices",
        "password_env": "CHC_RELAY_PASSWORD", "sender": "Firmware desk <fw@dcc.example>", "set_by": "alice"}
    text = cli.ok("mail", "show").out
    assert "relay.dcc.internal:587 with STARTTLS, logging in as notices" in text
    assert "CHC_RELAY_PASSWORD" in text
    assert mail_audit(cli)[-1] == {"host": "relay.dcc.internal", "port": 587, "starttls": True, "user": "notices",
                                   "password_env": "CHC_RELAY_PASSWORD", "sender": "Firmware desk <fw@dcc.example>"}


def test_set_again_replaces_every_setting_and_the_sender_defaults(cli: Cli) -> None:
    cli.ok("mail", "set", "--host", "a.example", "--port", "587", "--starttls", "--user", "u", "--password-env", "P",
           "--sender", "x@dcc.example")
    first = relay_shown(cli)
    cli.ok("mail", "set", "--host", "b.example", "--port", "25")
    shown = relay_shown(cli)
    assert isinstance(shown, dict) and isinstance(first, dict)
    assert (shown["host"], shown["port"], shown["starttls"], shown["user"], shown["password_env"], shown["sender"]) \
        == ("b.example", 25, False, None, None, DEFAULT_SENDER)
    assert shown["since"] == first["since"]  # still the first relay's start: earlier notices stay in the folder


@pytest.mark.parametrize(("words", "named"), [
    (["--host", "relay.example", "--port", "abc"], "port 'abc' is not a number"),
    (["--host", "relay.example", "--port", "0"], "port '0' is not a number"),
    (["--host", "relay.example", "--port", "65536"], "port '65536' is not a number"),
    (["--host", "", "--port", "25"], "host is empty"),
    (["--host", "relay example", "--port", "25"], "'relay example' is not a host name"),
    (["--host", "relay.example", "--port", "25", "--sender", "the desk"], "sender 'the desk' is not an e-mail address"),
    (["--host", "relay.example", "--port", "25", "--sender", "desk@"], "is not an e-mail address"),
    (["--host", "relay.example", "--port", "25", "--user", "u"], "--password-env"),
    (["--host", "relay.example", "--port", "25", "--password-env", "P"], "give the login too (--user)"),
    (["--host", "relay.example", "--port", "25", "--user", "u", "--password-env", "1BAD"], "'1BAD' is not an environment"),
])
def test_bad_settings_are_refused_whole_and_change_nothing(cli: Cli, words: list[str], named: str) -> None:
    cli.ok("mail", "set", "--host", "kept.example", "--port", "25")
    before, audited = relay_shown(cli), audit_actions(cli)
    r = cli("mail", "set", *words)
    assert r.status == 2
    assert named in r.err and r.err.count("\n") == 1  # one sentence naming what was wrong
    assert relay_shown(cli) == before and audit_actions(cli) == audited


def test_only_administrators_set_or_clear_the_relay(cli: Cli) -> None:
    cli.ok("user", "add", "olive", "--role", "operator", "--role", "release-manager")
    for words in (["set", "--host", "relay.example", "--port", "25"], ["clear"]):
        r = cli("mail", *words, actor="olive")
        assert r.status == 3 and "admin" in r.err
    assert cli.ok_json("mail", "show", actor="olive") == {"relay": None}  # reading is for every DCC user


def test_clear_stops_sending_and_is_audited(cli: Cli) -> None:
    cli.ok("mail", "set", "--host", "relay.example", "--port", "25")
    assert cli.ok_json("mail", "clear") == {"relay": None, "cleared": True}
    assert relay_shown(cli) is None
    assert mail_audit(cli)[-1] == {"cleared": True}
    assert cli.ok_json("mail", "clear") == {"relay": None, "cleared": False}


def test_who_may_send_now(released: Cli, relay: Relay) -> None:
    released.ok("mail", "set", "--host", relay.host, "--port", str(relay.port))
    released.ok("user", "add", "olive", "--role", "operator")
    released.ok("user", "add", "penny", "--role", "panel-secretary")
    assert released.ok_json("outbox", "send", actor="olive") == {"sent": 0, "failed": []}
    r = released("outbox", "send", actor="penny")
    assert r.status == 3 and "operator" in r.err


def test_list_gives_each_notice_its_status_and_answer_and_filters(released: Cli, relay: Relay) -> None:
    for party in ("BGAS", "EDFE", "OCTO", "ARQIVA", "TELEFONICA"):
        released.ok("party", "set", party, "--email", f"{party.lower()}@example.com")
    released.ok("mail", "set", "--host", relay.host, "--port", str(relay.port))
    relay.refuse["edfe@example.com"] = NO_MAILBOX
    released.ok("release", "notify", "1")
    written = released.ok_json("outbox", "list")
    assert isinstance(written, list)
    assert {(n["status"], n["status_text"]) for n in written} == {("WRITTEN", "Written, waiting to send")}

    text = released.ok("outbox", "send").out
    assert text.splitlines()[0] == "Sent 4 notices; 1 failed:"
    assert f"to EDFE: {NO_MAILBOX} (waits for 'outbox send --retry-failed')" in text

    listed = released.ok_json("outbox", "list")
    assert isinstance(listed, list)
    by = {n["recipient"]: n for n in listed}
    assert (by["EDFE"]["status"], by["EDFE"]["answer"], by["EDFE"]["attempts"]) == ("FAILED", NO_MAILBOX, 1)
    assert by["OCTO"]["status"] == "SENT" and str(by["OCTO"]["answer"]).startswith("250")
    failed = released.ok_json("outbox", "list", "--status", "failed")
    assert [n["recipient"] for n in failed] == ["EDFE"]  # type: ignore[union-attr]
    assert [n["recipient"] for n in released.ok_json("outbox", "list", "--status", "SENT", "--recipient", "octo")] \
        == ["OCTO"]  # type: ignore[union-attr]
    assert released.ok_json("outbox", "list", "--kind", "REVOCATION") == []
    assert len(released.ok_json("outbox", "list", "--kind", "release_notice", "--release", "1")) == 5  # type: ignore[arg-type]
    assert released.ok("outbox", "list", "--status", "SENDING").out.strip() == "No notices match."
    assert f"Failed: {NO_MAILBOX}" in released.ok("outbox", "list", "--recipient", "EDFE").out
    bad = released("outbox", "list", "--status", "LOST")
    assert bad.status == 2 and "'LOST' is not a notice status" in bad.err


def test_send_without_a_relay_is_refused_saying_how_to_set_one(released: Cli) -> None:
    released.ok("release", "notify", "1")
    r = released("outbox", "send", "--json")
    assert r.status == 2
    assert "chconsole mail set" in json.loads(r.out)["error"]
    listed = released.ok_json("outbox", "list")
    assert isinstance(listed, list)
    assert {n["status_text"] for n in listed} == {"Written (no relay)"}
    assert "Written (no relay)" in released.ok("outbox", "list").out
