"""Roles decide who may do what; every action lands in a tamper-evident audit trail."""

from __future__ import annotations

import sqlite3

from chc_helpers import MODEL, NEW


def _db(cli) -> sqlite3.Connection:
    return sqlite3.connect(cli.url.removeprefix("sqlite:///"))


def test_the_user_who_ran_init_holds_every_role(cli):
    users = cli.ok_json("user", "list")
    assert users == [{"name": "alice", "roles": ["admin", "operator", "panel-secretary", "release-manager"]}]


def test_an_operator_may_not_draft_or_notify_a_release(released):
    released.ok("user", "add", "olive", "--role", "operator")
    r = released("release", "notify", "1", actor="olive")
    assert r.status == 3 and "release-manager" in r.err
    r = released("release", "create", "--model", MODEL, "--from-version", "0002012F", "--to-version", NEW,
                 "--severity", "High", "--priority", "P1", "--release-note", "x", "--type", "sec",
                 actor="olive")
    assert r.status == 3
    assert released.ok_json("release", "show", "1")["state"] == "DRAFT"


def test_a_stranger_is_refused_and_only_an_admin_adds_users(cli):
    r = cli("user", "add", "eve", "--role", "admin", actor="mallory")
    assert r.status == 3 and "not a DCC user" in r.err
    cli.ok("user", "add", "rick", "--role", "release-manager")
    r = cli("user", "add", "eve", "--role", "admin", actor="rick")
    assert r.status == 3
    r = cli("user", "add", "eve", "--role", "wizard")
    assert r.status == 2 and "not a role" in r.err
    assert [u["name"] for u in cli.ok_json("user", "list")] == ["alice", "rick"]


def test_every_action_is_audited_with_who_and_what(released):
    released.ok("release", "notify", "1")
    with _db(released) as db:
        rows = db.execute("SELECT actor, action, subject FROM audit ORDER BY id").fetchall()
    actions = [a for _, a, _ in rows]
    assert actions[0] == "init"
    assert "import-estate" in actions and actions.count("cpl-add") == 3
    assert actions[-2:] == ["release-create", "release-notify"]
    assert {actor for actor, _, _ in rows} == {"alice"}


def test_verify_audit_detects_an_edited_entry(released):
    assert released.ok_json("verify-audit")["intact"] is True
    with _db(released) as db:
        db.execute("DROP TRIGGER audit_no_update")  # an attacker with file access
        db.execute("UPDATE audit SET actor = 'mallory' WHERE id = 3")
    r = released("verify-audit", "--json")
    assert r.status == 1
    assert r.json()["intact"] is False and r.json()["first_bad_id"] == 3


def test_verify_audit_detects_a_removed_entry(released):
    with _db(released) as db:
        db.execute("DROP TRIGGER audit_no_delete")
        last = db.execute("SELECT MAX(id) FROM audit").fetchone()[0]
        db.execute("DELETE FROM audit WHERE id = ?", (last,))
    r = released("verify-audit")
    assert r.status == 1 and "removed" in r.out


def test_the_database_itself_refuses_to_edit_the_audit_trail(released):
    with _db(released) as db:
        for sql in ("UPDATE audit SET actor = 'x'", "DELETE FROM audit"):
            try:
                db.execute(sql)
            except sqlite3.IntegrityError as exc:
                assert "append-only" in str(exc)
            else:
                raise AssertionError(f"{sql} was allowed")


def test_a_stranger_may_not_even_read(released):
    for args in (["release", "list"], ["hub", "show", "00-DB-12-00-00-00-00-01"], ["outbox", "list"]):
        r = released(*args, actor="mallory")
        assert r.status == 3 and "not a DCC user" in r.err and r.out == ""


def test_user_set_takes_roles_away_but_never_the_last_administrator(cli):
    cli.ok("user", "add", "rick", "--role", "release-manager", "--role", "operator")
    assert cli.ok_json("user", "set", "rick", "--role", "operator") == {"name": "rick", "roles": ["operator"]}
    r = cli("release", "create", "--model", "X", "--from-version", "0002012F", "--to-version", "00020204",
            "--severity", "High", "--priority", "P1", "--release-note", "x", "--type", "sec", actor="rick")
    assert r.status == 3  # no longer a release manager
    r = cli("user", "set", "alice", "--role", "operator")
    assert r.status == 2 and "only administrator" in r.err
    assert "admin" in next(u for u in cli.ok_json("user", "list") if u["name"] == "alice")["roles"]
    r = cli("user", "set", "nobody", "--role", "operator")
    assert r.status == 2 and "no DCC user" in r.err
    assert cli("user", "set", "alice", "--role", "operator", actor="rick").status == 3
    cli.ok("user", "set", "rick", "--role", "admin")
    assert cli.ok_json("user", "set", "alice", "--role", "operator")["roles"] == ["operator"]
