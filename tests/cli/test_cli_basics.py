"""The command line's contract: options anywhere, exit statuses, one clear sentence."""

from __future__ import annotations

from chc_helpers import guid
from sqlalchemy import create_engine, text

from chconsole.cli import main as cli_main


def test_global_options_go_before_or_after_the_command(released, capsys):
    status = cli_main(["--db", released.url, "--json", "--as", "alice", "release", "show", "1"])
    assert status == 0 and '"state": "DRAFT"' in capsys.readouterr().out


def test_an_unknown_release_or_hub_is_bad_input(released):
    r = released("release", "show", "99")
    assert r.status == 2 and r.err.strip() == "chconsole: There is no release 99."
    r = released("hub", "show", "00-00-00-00-00-00-00-01")
    assert r.status == 2 and "not in the estate" in r.err
    r = released("hub", "show", "xyz")
    assert r.status == 2 and "not a hub GUID" in r.err


def test_hub_show_gives_suppliers_and_per_release_state_and_planned_time(released):
    released.ok("release", "notify", "1")
    h = released.ok_json("hub", "show", guid(1).lower().replace("-", ""))
    assert (h["guid"], h["import_supplier"], h["gas_supplier"], h["firmware_version"]) == (
        guid(1), "OCTO", "BGAS", "0002012F")
    (rel,) = h["releases"]
    assert rel == {**rel, "release": 1, "state": "ELIGIBLE", "group": "safe_launch",
                   "planned_activation": "2026-09-02T09:00:00+01:00"}


def test_the_simulated_clock_only_moves_forward(cli):
    assert cli.ok_json("tick", "--now", "2026-04-01T12:00")["now"] == "2026-04-01T12:00:00+01:00"
    r = cli("tick", "--now", "2026-03-01T12:00")
    assert r.status == 2 and "only moves forward" in r.err


def test_a_system_clock_database_refuses_a_simulated_time(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert cli_main(["init", "--db", url, "--as", "al"]) == 0
    assert cli_main(["tick", "--now", "2030-01-01T00:00", "--db", url, "--as", "al"]) == 2
    assert "system clock" in capsys.readouterr().err


def test_a_missing_database_and_a_second_init_are_clear_errors(cli, tmp_path, capsys):
    assert cli_main(["release", "list", "--db", f"sqlite:///{tmp_path / 'none.db'}"]) == 1
    assert "chconsole init" in capsys.readouterr().err
    r = cli("init")
    assert r.status == 2 and "already" in r.err


def test_a_database_from_a_newer_chconsole_is_refused(cli):
    engine = create_engine(cli.url)
    with engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    r = cli("release", "list")
    assert r.status == 1 and "newer chconsole" in r.err


def test_export_refuses_what_it_cannot_write(released):
    r = released("export", "eligibility", "--supplier", "OCTO", "--release", "1",
                 "--out", str(released.tmp / "x.xlsx"))
    assert r.status == 2 and "not been notified" in r.err
    released.ok("release", "notify", "1")
    for args, words in [
        (["--supplier", "NOPE"], "not a supplier"),
        (["--supplier", "ARQIVA"], "not a supplier"),
        (["--supplier", "OCTO", "--out", str(released.tmp / "x.csv")], "must end in .xlsx"),
        (["--supplier", "OCTO", "--out", str(released.tmp / "no" / "x.xlsx")], "does not exist"),
    ]:
        out = [] if "--out" in args else ["--out", str(released.tmp / "x.xlsx")]
        r = released("export", "eligibility", "--release", "1", *args, *out)
        assert r.status == 2 and words in r.err, r.err
    assert not (released.tmp / "x.xlsx").exists()


def test_what_is_not_a_database_is_said_in_one_sentence(tmp_path, capsys):
    junk = tmp_path / "junk.db"
    junk.write_text("not a database at all, just text " * 100)
    for url, words in [(f"sqlite:///{junk}", "not a database chconsole can open"),
                       ("nonsense://x", "not a database URL"),
                       ("postgresql+psycopg://postgres@127.0.0.1:1/x", "Cannot reach the database")]:
        assert cli_main(["release", "list", "--db", url, "--as", "al"]) == 1
        err = capsys.readouterr().err
        assert words in err and "unexpected" not in err and len(err.strip().splitlines()) == 1
