"""R1 from the outside: notice, eligibility snapshot, recipients, reports, revocation."""

from __future__ import annotations

from email import message_from_bytes as _parse
from email import policy
from pathlib import Path

from chc_helpers import MODEL, NEW, guid
from openpyxl import load_workbook


def _parse_eml(data: bytes):
    return _parse(data, policy=policy.default)


def _report_rows(path: Path) -> tuple[list[tuple[object, ...]], list[object], str]:
    book = load_workbook(path, read_only=True)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "GUID")
    everything = " ".join(str(v) for r in rows for v in r if v is not None)
    book.close()
    return [r for r in rows[header_at + 1:] if r and r[0]], list(rows[header_at]), everything


def test_notify_snapshots_commissioned_hubs_of_the_model_on_a_from_version(released):
    v = released.ok_json("release", "notify", "1")
    assert v["state"] == "NOTIFIED"
    assert v["eligible"] == 4  # hubs 1, 2, 3 (older from-version) and 7 (gas only)
    assert v["counts"] == {"ELIGIBLE": 4}
    states = {g: released.ok_json("hub", "show", g) for g in (guid(4), guid(5), guid(6))}
    assert all(h["releases"] == [] for h in states.values())  # pending, on target, other model


def test_default_dates_are_six_calendar_months_and_cut_off_one_month_before(released):
    v = released.ok_json("release", "notify", "1")
    # Notified 2026-03-02 09:00 GMT: six months on is 09:00 BST, the wall clock kept.
    assert v["notified_at"] == "2026-03-02T09:00:00+00:00"
    assert v["deployment_date"] == "2026-09-02T09:00:00+01:00"
    assert v["cut_off"] == "2026-08-02T09:00:00+01:00"


def test_dcc_can_set_the_deployment_date(released):
    r = released.ok_json(
        "release", "create", "--model", MODEL, "--from-version", "0002012F", "--to-version", NEW,
        "--severity", "Low", "--priority", "P4", "--release-note", "RN-43", "--type", "planned",
        "--deployment-date", "2026-05-31T10:00")
    v = released.ok_json("release", "notify", str(r["id"]))
    assert v["deployment_date"] == "2026-05-31T10:00:00+01:00"
    assert v["cut_off"] == "2026-04-30T10:00:00+01:00"  # 31 May - 1 month clamps to 30 April


def test_notice_goes_to_each_supplier_with_an_eligible_hub_and_each_csp_of_their_regions(released):
    released.ok("release", "notify", "1")
    notices = released.ok_json("outbox", "list", "--release", "1")
    assert sorted(n["recipient"] for n in notices) == ["ARQIVA", "BGAS", "EDFE", "OCTO", "TELEFONICA"]
    assert {n["kind"] for n in notices} == {"RELEASE_NOTICE"}
    assert all(n["created_at"] == "2026-03-02T09:00:00+00:00" for n in notices)


def test_each_supplier_report_lists_exactly_its_own_hubs_and_its_role(released):
    released.ok("release", "notify", "1")
    out = released.tmp / "octo.xlsx"
    r = released.ok_json("export", "eligibility", "--supplier", "octo", "--release", "1", "--out", str(out))
    assert r["rows"] == 2
    rows, header, everything = _report_rows(out)
    assert header[:3] == ["GUID", "Your role", "Split supply"]
    assert {(row[0], row[1], row[2]) for row in rows} == {
        (guid(1), "Import", "Yes"), (guid(2), "Import and Gas", "No")}
    assert "BGAS" not in everything and "EDFE" not in everything  # never names another supplier

    out = released.tmp / "bgas.xlsx"
    released.ok("export", "eligibility", "--supplier", "BGAS", "--release", "1", "--out", str(out))
    rows, _, everything = _report_rows(out)
    assert {(row[0], row[1]) for row in rows} == {(guid(1), "Gas"), (guid(7), "Gas")}
    assert "OCTO" not in everything


def test_each_notice_is_an_eml_with_the_suppliers_own_report_attached(released):
    released.ok("release", "notify", "1")
    notices = released.ok_json("outbox", "list", "--release", "1", "--recipient", "EDFE")
    assert len(notices) == 1 and notices[0]["status"] == "WRITTEN"
    mail = _parse_eml(Path(notices[0]["file"]).read_bytes())
    assert "EDFE" in mail["X-Chconsole-Recipient"]
    parts = [p for p in mail.walk() if p.get_filename()]
    assert len(parts) == 1 and parts[0].get_filename().endswith(".xlsx")
    attached = released.tmp / "attached.xlsx"
    attached.write_bytes(parts[0].get_payload(decode=True))
    rows, _, everything = _report_rows(attached)
    assert [row[0] for row in rows] == [guid(3)]
    assert "OCTO" not in everything and "BGAS" not in everything
    body = mail.get_body().get_content()
    assert "2026-09-02 09:00 BST" in body and "RN-42" in body and "OCTO" not in body


def test_csp_notices_carry_no_supplier_report(released):
    released.ok("release", "notify", "1")
    (arqiva,) = released.ok_json("outbox", "list", "--recipient", "ARQIVA")
    mail = _parse_eml(Path(arqiva["file"]).read_bytes())
    assert not [p for p in mail.walk() if p.get_filename()]
    assert "North: 1 hubs" in mail.get_body().get_content()


def test_revoke_cancels_every_pending_hub_and_tells_everyone_notified(released):
    released.ok("release", "notify", "1")
    v = released.ok_json("release", "revoke", "1", "--reason", "Image withdrawn by manufacturer")
    assert v["state"] == "REVOKED"
    assert v["counts"] == {"CANCELLED": 4}
    revocations = [n for n in released.ok_json("outbox", "list") if n["kind"] == "REVOCATION"]
    assert sorted(n["recipient"] for n in revocations) == ["ARQIVA", "BGAS", "EDFE", "OCTO", "TELEFONICA"]
    hub = released.ok_json("hub", "show", guid(1))
    assert hub["releases"][0]["state"] == "CANCELLED"
    assert hub["releases"][0]["planned_activation"] is None


def test_revoke_is_refused_for_a_draft_and_a_revoked_release(released):
    r = released("release", "revoke", "1", "--reason", "x")
    assert r.status == 2 and "draft" in r.err
    released.ok("release", "notify", "1")
    released.ok("release", "revoke", "1", "--reason", "x")
    r = released("release", "revoke", "1", "--reason", "again")
    assert r.status == 2 and "REVOKED" in r.err


def test_release_note_update_keeps_history_and_tells_the_notified(released):
    released.ok("release", "notify", "1")
    v = released.ok_json("release", "note", "1", "--release-note", "RN-42 v2")
    assert v["release_note"] == "RN-42 v2"
    assert [h["release_note"] for h in v["note_history"]] == ["https://dcc.example/notes/RN-42", "RN-42 v2"]
    updates = [n for n in released.ok_json("outbox", "list") if n["kind"] == "RELEASE_NOTE_UPDATED"]
    assert len(updates) == 5


def test_a_release_needs_its_versions_on_the_cpl(released):
    before = released.ok_json("release", "list")
    r = released("release", "create", "--model", MODEL, "--from-version", "0002012F",
                 "--to-version", "0002FFFF", "--severity", "High", "--priority", "P1",
                 "--release-note", "RN", "--type", "sec")
    assert r.status == 2 and "not on the CPL" in r.err
    r = released("release", "create", "--model", "NOPE-1", "--from-version", "0002012F",
                 "--to-version", NEW, "--severity", "High", "--priority", "P1",
                 "--release-note", "RN", "--type", "sec")
    assert r.status == 2 and "CPL" in r.err
    assert released.ok_json("release", "list") == before


def test_notify_with_no_eligible_hub_is_refused_and_changes_nothing(released):
    released.ok("cpl", "add", "--model", "WNC-CHF-250", "--firmware-version", "05010007",
                "--image-hash", "a" * 64)
    released.ok("cpl", "add", "--model", "WNC-CHF-250", "--firmware-version", "05020010",
                "--image-hash", "b" * 64)
    rid = released.ok_json("release", "create", "--model", "WNC-CHF-250", "--from-version", "05010007",
                           "--to-version", "05020010", "--severity", "Low", "--priority", "P3",
                           "--release-note", "RN", "--type", "unplanned")["id"]
    r = released("release", "notify", str(rid))
    assert r.status == 2 and "no one to notify" in r.err
    assert released.ok_json("release", "show", str(rid))["state"] == "DRAFT"
    assert released.ok_json("outbox", "list") == []


def test_reports_rendered_in_worker_processes_are_the_same_reports(released, monkeypatch):
    import chconsole.core.delivery.eml as outbox

    monkeypatch.setattr(outbox, "PARALLEL_ROWS", 0)  # force the worker-process path
    released.ok("release", "notify", "1")
    notices = released.ok_json("outbox", "list", "--release", "1")
    attached = {n["recipient"]: n["attachment"] for n in notices if n["attachment"]}
    assert sorted(attached) == ["BGAS", "EDFE", "OCTO"]
    rows, _, everything = _report_rows(Path(attached["OCTO"]))
    assert {row[0] for row in rows} == {guid(1), guid(2)} and "BGAS" not in everything
    assert all(n["status"] == "WRITTEN" for n in notices)


def test_a_suppliers_notice_goes_to_its_address_on_file(released):
    released.ok("party", "set", "edfe", "--name", "EDF Energy", "--email", "firmware@edf.example")
    r = released("party", "set", "edfe", "--email", "not an address")
    assert r.status == 2
    released.ok("release", "notify", "1")
    (edfe,) = released.ok_json("outbox", "list", "--recipient", "EDFE")
    mail = _parse_eml(Path(edfe["file"]).read_bytes())
    assert mail["To"] == "EDF Energy <firmware@edf.example>"
    assert mail.get_body().get_content().startswith("To EDF Energy (EDFE)")
