"""The same engine on a shared PostgreSQL database, as several workstations use it."""

from __future__ import annotations

import io
import threading
from contextlib import redirect_stderr, redirect_stdout

from chc_helpers import MODEL, NEW, OLD, guid, image_hash, write_csv
from sqlalchemy import create_engine, text

from chconsole.cli import main as cli_main
from chconsole.core.bootstrap import create_database, open_engine


def run(url: str, *args: str, actor: str = "alice") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = cli_main([*args, "--db", url, "--as", actor])
    return status, out.getvalue(), err.getvalue()


def test_notice_cycle_on_postgresql(pg_url, tmp_path):
    assert run(pg_url, "init", "--clock", "simulated", "--start", "2026-03-02T09:00")[0] == 0
    rows = [[guid(n), MODEL, OLD, "Commissioned", ("North", "Central", "South")[n % 3],
             "OCTO", "BGAS" if n % 2 else "OCTO"] for n in range(1, 41)]
    rows.append([guid(99), MODEL, OLD, "x", "North", "OCTO", ""])
    bad = run(pg_url, "import-estate", str(write_csv(tmp_path / "bad.csv", rows)))
    assert bad[0] == 2 and "line 42" in bad[2]
    assert run(pg_url, "import-estate", str(write_csv(tmp_path / "e.csv", rows[:-1])))[0] == 0
    for v in (OLD, NEW):
        assert run(pg_url, "cpl", "add", "--model", MODEL, "--firmware-version", v,
                   "--image-hash", image_hash(v))[0] == 0
    assert run(pg_url, "release", "create", "--model", MODEL, "--from-version", OLD, "--to-version", NEW,
               "--severity", "High", "--priority", "P1", "--release-note", "RN", "--type", "sec")[0] == 0
    status, out, err = run(pg_url, "release", "notify", "1", "--json")
    assert status == 0, err
    assert '"eligible": 40' in out
    status, out, _ = run(pg_url, "verify-audit")
    assert status == 0 and "intact" in out
    engine = create_engine(pg_url)
    with engine.connect() as c:
        tally = dict(c.execute(text(
            "SELECT key, hubs FROM release_tally WHERE dimension = 'split'")).all())
        try:
            c.execute(text("DELETE FROM audit"))
        except Exception as exc:  # noqa: BLE001
            assert "append-only" in str(exc)
        else:
            raise AssertionError("the audit trail accepted a DELETE")
    engine.dispose()
    assert tally == {"OCTO": 20, "BGAS": 20}


def test_two_workstations_writing_at_once_keep_one_unbroken_audit_chain(pg_url):
    create_database(pg_url, "alice").db.dispose()
    errors: list[BaseException] = []

    def workstation(n: int) -> None:
        try:
            engine = open_engine(pg_url, "alice")
            for i in range(10):
                engine.admin.set_party(f"SUP{n}{i}", f"Supplier {n}-{i}")
            engine.db.dispose()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=workstation, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    check = open_engine(pg_url, "alice").admin.verify_audit()
    assert check.intact and check.entries == 31


def test_refresh_and_full_extract_on_postgresql(pg_url, tmp_path):
    assert run(pg_url, "init")[0] == 0
    rows = [[guid(n), MODEL, OLD, "Commissioned", "North", "OCTO", "BGAS"] for n in range(1, 6)]
    assert run(pg_url, "import-estate", str(write_csv(tmp_path / "a.csv", rows)))[0] == 0
    rows[1][6] = "EDFE"          # hub 2 changes gas supplier
    rows.append([guid(9), MODEL, OLD, "Commissioned", "South", "OCTO", ""])  # a new hub
    del rows[0]                  # hub 1 is gone from a complete extract
    status, out, err = run(pg_url, "import-estate", str(write_csv(tmp_path / "b.csv", rows)), "--full", "--json")
    assert status == 0, err
    assert '"added": 1' in out and '"updated": 1' in out and '"gone": 1' in out
    engine = create_engine(pg_url)
    with engine.connect() as c:
        hubs = c.execute(text("SELECT id, guid, gas_supplier, in_smi FROM hub ORDER BY id")).all()
    engine.dispose()
    assert [h.id for h in hubs] == [1, 2, 3, 4, 5, 6]  # dense, the new hub last
    assert hubs[0].in_smi is False and hubs[1].gas_supplier == "EDFE" and hubs[5].guid == guid(9)
    bad = run(pg_url, "import-estate", str(write_csv(tmp_path / "c.csv", rows + [rows[0]])))
    assert bad[0] == 2 and "also on line 2" in bad[2]


def test_a_guid_twice_in_a_first_extract_is_listed_on_postgresql(pg_url, tmp_path):
    assert run(pg_url, "init")[0] == 0
    rows = [[guid(n % 3), MODEL, OLD, "Commissioned", "North", "OCTO", ""] for n in range(1, 5)]
    status, _, err = run(pg_url, "import-estate", str(write_csv(tmp_path / "d.csv", rows)))
    assert status == 2 and "line 5: GUID" in err and "also on line 2" in err
    status, out, err = run(pg_url, "import-estate", str(write_csv(tmp_path / "d.csv", rows)),
                           "--skip-invalid", "--json")
    assert status == 0 and '"added": 3' in out, err
