"""Releases and notices: the list, the details, and notify / revoke / note / new / export."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from ui_helpers import Answers, Settle, change

from chconsole.core.vocabulary.london import show
from chconsole.ui.common.dialogs import ConfirmDialog
from chconsole.ui.main_window import MainWindow
from chconsole.ui.releases.dialogs import ExportDialog, NoteDialog
from chconsole.ui.releases.form import NewReleaseDialog


@pytest.fixture
def releases(window: MainWindow, settle: Settle):
    window.show_view(window.views.index(window.releases))
    settle(lambda: bool(window.releases.releases))
    return window.releases


def _row(view, release_id: int) -> list[str]:
    table = view.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == str(release_id))
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_the_list_shows_release_1_notified_with_its_eligible_count(releases, console) -> None:
    eligible = console.engine.releases.get(1).eligible
    row = _row(releases, 1)
    assert row[1] == "Pilot running"  # the demo runs release 1's pilot
    assert row[4] == f"{eligible:,}"
    assert releases.table.item(0, 4).textAlignment() & Qt.AlignmentFlag.AlignRight
    assert _row(releases, 2)[1] == "Draft"


def test_the_details_show_every_fact_in_london_time(releases, console) -> None:
    releases.select_release(1)
    v = console.engine.releases.get(1)
    details = releases.details
    assert details.heading.text() == "Release 1 \u00b7 EDMI-CHF-420"
    assert details.facts["DCC deployment date"].text() == "2027-05-02 09:00 BST (notice + 6 months)"
    assert details.facts["Eligible hubs"].text() == f"{v.eligible:,}"
    assert details.suppliers.rowCount() == len(v.suppliers)
    top = max(v.suppliers, key=lambda c: c.total)
    assert details.suppliers.item(0, 0).text().startswith(top.party)
    assert details.suppliers.item(0, 5).text() == f"{top.total:,}"
    assert details.history.rowCount() == 1
    assert not releases.notify_button.isEnabled() and releases.revoke_button.isEnabled()


def test_notifying_release_2_changes_its_state_and_fills_the_outbox(
    window: MainWindow, releases, answers: Answers, settle: Settle, console
) -> None:
    with console.engine.db.engine.connect() as c:
        before = c.exec_driver_sql("SELECT COUNT(*) FROM notice").scalar_one()
    releases.select_release(2)
    assert releases.notify_button.isEnabled()
    releases.notify_button.click()
    settle(lambda: _row(releases, 2)[1] == "Notified")
    (dialog,) = answers.seen
    assert isinstance(dialog, ConfirmDialog)
    text = dialog.findChildren(type(releases.details.heading))[1].text()
    v = console.engine.releases.get(2)
    assert f"{v.eligible:,} hubs" in text and "ARQIVA" in text  # how many, and who is told
    assert _row(releases, 2)[4] == f"{v.eligible:,}"
    window.show_view(window.views.index(window.outbox))
    settle(lambda: window.outbox.model.rowCount() > before)
    newest = window.outbox.model.notices[0]
    assert newest.release == 2 and newest.kind == "RELEASE_NOTICE"
    assert "notified" in window.banner.label.text()


def test_revoking_needs_a_reason(releases, answers: Answers, settle: Settle, console, qtbot) -> None:
    releases.select_release(1)

    def refuse_without_reason(dialog: QDialog) -> bool:
        assert isinstance(dialog, ConfirmDialog)
        assert not dialog.confirm_button.isEnabled()  # nothing typed yet
        qtbot.keyClicks(dialog.reason, "   ")
        assert not dialog.confirm_button.isEnabled()  # blanks are not a reason
        qtbot.keyClicks(dialog.reason, "Hash mismatch found in lab testing")
        assert dialog.confirm_button.isEnabled()
        return True

    answers.reply = refuse_without_reason
    releases.revoke_button.click()
    settle(lambda: _row(releases, 1)[1] == "Revoked")
    v = console.engine.releases.get(1)
    assert v.revoke_reason == "Hash mismatch found in lab testing"
    assert "Hash mismatch" in releases.details.facts["Revoked"].text()
    assert not releases.revoke_button.isEnabled()


def test_a_refused_change_is_explained(releases, make_console, answers: Answers, qtbot, settle: Settle) -> None:
    """A user with no role may look, but the engine's refusal is shown in one sentence."""
    from chconsole.ui.main_window import MainWindow as Window

    outsider = make_console("mallory")
    w = Window(outsider)
    qtbot.addWidget(w)
    w.show()
    w.start()
    w.show_view(w.views.index(w.releases))
    qtbot.waitUntil(lambda: not outsider.runner.busy and bool(w.releases.releases))
    assert "mallory is not a DCC user" in w.banner.label.text()
    w.releases.select_release(2)
    w.releases.notify_button.click()
    qtbot.waitUntil(lambda: not outsider.runner.busy and "not a DCC user of this database" in w.banner.label.text()
                    and w.banner.property("level") == "error")
    assert _row(w.releases, 2)[1] == "Draft"
    w.close()


def test_a_new_release_form_shows_engine_errors_then_creates(
    releases, answers: Answers, settle: Settle, qtbot, console
) -> None:
    forms: list[NewReleaseDialog] = []

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, NewReleaseDialog)
        forms.append(dialog)
        dialog.model.setCurrentIndex(dialog.model.findData("WNC-CHF-250"))
        dialog.note.setText("DCC-RN-2026-130")
        dialog.create_button.click()  # no from-version ticked: the engine refuses
        return True

    answers.reply = fill
    releases.new_button.click()
    settle(lambda: bool(forms) and forms[0].error.isVisibleTo(forms[0]))
    form = forms[0]
    assert "at least one firmware version to upgrade from" in form.error.text()
    assert form.create_button.isEnabled()
    form.check_from(["05020001"])
    form.own_date.setChecked(True)
    form.create_button.click()
    settle(lambda: any(v.model == "WNC-CHF-250" for v in releases.releases))
    created = next(v for v in releases.releases if v.model == "WNC-CHF-250")
    assert created.from_versions == ("05020001",) and created.to_version == "05020010"
    assert created.deployment_date_set and releases.selected_id() == created.id
    assert form.result() == QDialog.DialogCode.Accepted


def test_updating_the_release_note_keeps_its_history(releases, answers: Answers, settle: Settle) -> None:
    releases.select_release(1)

    def retype(dialog: QDialog) -> bool:
        assert isinstance(dialog, NoteDialog)
        assert not dialog.save_button.isEnabled()  # unchanged
        dialog.note.setText("https://smartdcc.sharepoint.example/firmware/RN-2026-114-v2")
        return dialog.save_button.isEnabled()

    answers.reply = retype
    releases.note_button.click()
    settle(lambda: releases.details.history.rowCount() == 2)
    assert releases.details.history.item(0, 2).text().endswith("RN-2026-114-v2")  # newest first


def test_exporting_an_eligibility_report_writes_the_file(
    releases, answers: Answers, settle: Settle, tmp_path: Path, console
) -> None:
    releases.select_release(1)
    out = tmp_path / "octo.xlsx"

    def choose(dialog: QDialog) -> bool:
        assert isinstance(dialog, ExportDialog)
        dialog.supplier.setCurrentIndex(dialog.supplier.findData("OCTO"))
        dialog.path.setText(str(out))
        return True

    answers.reply = choose
    releases.export_button.click()
    settle(lambda: out.exists() and "eligibility report" in console.messages.last[1])
    octo = next(c for c in console.engine.releases.get(1).suppliers if c.party == "OCTO")
    assert f"({octo.total:,} hubs)" in console.messages.last[1]
    assert not releases.operations.progress.isVisible()


def test_the_details_show_the_failure_guard_and_who_halted_the_release(
    releases, console, settle: Settle
) -> None:
    releases.select_release(1)
    details = releases.details
    settle()
    assert details.facts["Failure guard"].text().startswith(
        "Pauses on its own when failures exceed 2% of at least 200 finished hubs in any batch, CSP region or "
        "supplier.")
    assert details.facts["Halted"].isHidden()
    change(console, settle, lambda e: e.incidents.set_guard(1, 5.0, 50))
    change(console, settle, lambda e: e.incidents.stop(1))
    halted = console.engine.releases.get(1).halted_at
    settle(lambda: not details.facts["Halted"].isHidden())
    assert details.facts["Failure guard"].text().startswith("Pauses on its own when failures exceed 5% of at least 50")
    assert details.facts["Halted"].text() == (f"Suspended by an emergency stop: demo, {show(halted)}. It resumes "
                                              "after the Panel's decision, by a second DCC user.")
