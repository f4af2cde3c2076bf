"""`chconsole dashboard` and `chconsole export dashboard`: the dashboard without a window."""

from __future__ import annotations

from pathlib import Path

import pytest
from chc_helpers import Cli, audit_actions, guid, hubs, nominated, pilot_release
from openpyxl import load_workbook

ESTATE = [*hubs(1, 3, "North", "OCTO", "BGAS"), *hubs(4, 3, "South", "OCTO")]


@pytest.fixture
def release(cli: Cli) -> Cli:
    pilot_release(cli, ESTATE)
    cli.ok("party", "set", "OCTO", "--name", "Octave Energy")
    cli.ok("party", "set", "BGAS", "--name", "Britannic Gas")
    return cli


def test_dcc_dashboard_as_text_has_the_three_parts(release: Cli) -> None:
    nominated(release, 1, "OCTO", [guid(4)])
    out = release.ok("dashboard").out
    assert out.startswith("Dashboard of DCC, 2026-03-02 09:00 GMT")
    assert "Upgrades in flight\n  Release 1  EDMI-CHF-420 -> 00020204  NOTIFIED" in out
    assert "    All hubs: 6 (not yet scheduled 5, scheduled 1)" in out
    assert ("Outstanding actions\n  [due 2026-09-02 09:00 BST, 183 days 23 hours left]\n"
            "    Start the pilot of release 1: 1 hub has joined it") in out
    assert "Next dates of the others\n  CSPs " in out and "  SEC Panel        \u2013: Nothing due" in out


def test_a_supplier_dashboard_as_json(release: Cli) -> None:
    shown = release.ok_json("dashboard", "--supplier", "bgas")
    assert isinstance(shown, dict)
    assert shown["viewer"] == {"kind": "supplier", "party": "BGAS", "name": "Britannic Gas",
                               "label": "Britannic Gas (BGAS)"}
    (card,) = shown["releases"]
    assert card["hubs"] == 3 and "progress" not in card
    (act, nominate) = shown["actions"]
    assert act["kind"] == "instruct" and act["left"] == "152 days 23 hours left"
    assert act["due"] == "2026-08-02T09:00:00+01:00" and act["overdue"] is False
    assert nominate["kind"] == "nominate"
    assert [o["actor"] for o in shown["others"]] == ["DCC", "CSPs", "Other suppliers", "SEC Panel"]


def test_the_panel_and_a_csp(release: Cli) -> None:
    panel = release.ok("dashboard", "--panel").out
    assert panel.startswith("Dashboard of SEC Panel") and "No decision awaits the Panel's confirmation." in panel
    arqiva = release.ok_json("dashboard", "--csp", "arqiva")
    assert isinstance(arqiva, dict) and arqiva["releases"][0]["counts"] == {"ELIGIBLE": 3}


@pytest.mark.parametrize(("args", "message"), [
    (("--supplier", "NOPE"), "'NOPE' is not a supplier known to this database."),
    (("--csp", "North"), "'North' is not a CSP known to this database (the CSPs are ARQIVA, TELEFONICA)."),
])
def test_an_unknown_actor_is_refused_with_a_sentence(release: Cli, args: tuple[str, ...], message: str) -> None:
    r = release("dashboard", *args)
    assert r.status == 2 and r.err.strip() == f"chconsole: {message}"


def test_one_actor_at_a_time(release: Cli) -> None:
    with pytest.raises(SystemExit) as stopped:
        release("dashboard", "--supplier", "OCTO", "--panel")
    assert stopped.value.code == 2


def test_export_dashboard_writes_three_sheets_laid_out_like_every_report(release: Cli, tmp_path: Path) -> None:
    out = tmp_path / "octo-dashboard.xlsx"
    r = release.ok("export", "dashboard", "--supplier", "OCTO", "--out", str(out))
    assert r.out.strip() == (f"Wrote {out} (the dashboard of Octave Energy (OCTO): 1 upgrade in flight, "
                             "2 outstanding actions).")
    wb = load_workbook(out)
    assert wb.sheetnames == ["Releases", "Your actions", "Others' next dates"]
    for ws in wb.worksheets:
        assert ws["A1"].value.startswith("Dashboard of Octave Energy (OCTO)") and ws["A1"].font.b
        header = next(r for r in range(1, 10) if ws.cell(r, 1).value in ("Release", "What", "Who"))
        assert ws.freeze_panes == f"A{header + 1}"
        assert ws.auto_filter.ref.startswith(f"A{header}:")
    releases = wb["Releases"]
    row = [c.value for c in releases[7]]
    assert row[:4] == [1, "EDMI-CHF-420", "00020204", "NOTIFIED"] and row[7] == 6
    actions = wb["Your actions"]
    assert actions["A7"].value.startswith("Instruct an earlier activation of your 6 hubs")
    assert actions["D7"].value == "152 days 23 hours left" and actions["C7"].number_format == "yyyy-mm-dd hh:mm"
    assert [actions.cell(r, 1).value for r in (8,)] == [
        "Nominate pilot hubs for release 1 if you wish: up to 300 of your 6 eligible hubs"]
    others = [[c.value for c in row][:1] for row in wb["Others' next dates"].iter_rows(min_row=7)]
    assert others == [["DCC"], ["CSPs"], ["Other suppliers"], ["SEC Panel"]]
    assert audit_actions(release)[-1] == "report-export"


def test_export_dashboard_refuses_a_file_that_is_not_xlsx(release: Cli, tmp_path: Path) -> None:
    r = release("export", "dashboard", "--supplier", "OCTO", "--out", str(tmp_path / "d.csv"))
    assert r.status == 2 and "must end in .xlsx" in r.err
    assert not (tmp_path / "d.csv").exists()
