"""Batch control: batches and instructions made through the CLI, the new batch's live preview,
creating, re-planning and cancelling a batch, an overdue batch run now, an instruction's
receipt, the models, and the snapshot's pictures."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from chc_helpers import Cli, guid_list, notices
from PySide6.QtCore import QDateTime
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QDialog, QLabel
from sqlalchemy import text
from ui_helpers import Answers, Settle

from chconsole.core.bootstrap import open_engine
from chconsole.core.engine.dto import BatchRule
from chconsole.core.engine.facade import Engine
from chconsole.core.storage import clock
from chconsole.core.vocabulary.london import parse_time
from chconsole.ui.batches.dialogs import CancelBatchDialog, ReplanDialog
from chconsole.ui.batches.instruction import InstructionDialog
from chconsole.ui.batches.models import BatchModel, InstructionModel
from chconsole.ui.batches.new_batch import NewBatchDialog
from chconsole.ui.batches.view import BatchControlView
from chconsole.ui.common.dialogs import ConfirmDialog
from chconsole.ui.main_window import MainWindow
from chconsole.ui.runtime.context import Console

# The demo's clock stands at 2026-11-06 09:30 GMT, a day into release 1's pilot; the
# release's distribution lead time is 7 days and its DCC deployment date 2027-05-02.
WAVE_AT = "2026-11-20T10:00"  # distribution from 2026-11-13 10:00 GMT


@pytest.fixture
def cli(db_url: str, tmp_path: Path) -> Cli:
    """The command line on the console's demo database; alice (the helpers' user) reads the outbox."""
    c = Cli(db_url, tmp_path)
    c.ok("user", "add", "alice", "--role", "operator", actor="demo")
    return c


def run(cli: Cli, *args: str) -> object:
    return cli.ok_json(*args, actor="demo")


def wave(cli: Cli, *rules: str, at: str = WAVE_AT, name: str = "Central wave 1") -> dict[str, object]:
    made = run(cli, "batch", "create", "1", *(w for r in rules for w in ("--rule", r)), "--activate-at", at,
               "--name", name)
    assert isinstance(made, dict)
    return made


def free_hubs(engine: Engine, supplier: str, n: int) -> list[str]:
    """GUIDs of SUPPLIER's safe-launch hubs of release 1 that nothing has claimed yet."""
    with engine.db.reading() as s:
        return list(s.scalars(text(
            "SELECT h.guid FROM release_hub rh JOIN hub h ON h.id = rh.hub_id WHERE rh.release_id = 1 "
            "AND rh.state = 'ELIGIBLE' AND rh.batch_id IS NULL AND rh.hub_group = 'safe_launch' "
            "AND rh.import_supplier = :p AND COALESCE(rh.gas_supplier, :p) = :p ORDER BY h.guid LIMIT :n"),
            {"p": supplier, "n": n}))


def open_view(window: MainWindow, settle: Settle) -> BatchControlView:
    window.demo_clock.set_speed(0)  # the test, not the living clock, decides when time moves
    settle()
    view = window.batch_control
    window.show_view(window.views.index(view))
    view.refresh()
    settle(lambda: view.page is not None)
    return view


def rows(model: BatchModel | InstructionModel) -> list[list[str]]:
    return [[model.text(r, c) for c in range(model.columnCount())] for r in range(model.rowCount())]


def by_name(view: BatchControlView) -> dict[str, list[str]]:
    return {row[1]: row for row in rows(view.batches)}


def select(view: BatchControlView, name: str) -> None:
    row = next(r for r in range(view.batches.rowCount()) if view.batches.text(r, 1) == name)
    view.table.selectRow(row)


def at(wall: str) -> QDateTime:
    """A London wall-clock time for a QDateTimeEdit."""
    return QDateTime(datetime.fromisoformat(wall))


def words(dialog: QDialog) -> str:
    """Everything a dialog's labels say, as plain text."""
    return " ".join(QTextDocumentFragment.fromHtml(w.text()).toPlainText() for w in dialog.findChildren(QLabel))


def test_the_view_lists_batches_and_instructions_made_through_the_cli(
    window: MainWindow, cli: Cli, console: Console, settle: Settle, tmp_path: Path, qtmodeltester
) -> None:
    wave(cli, "region=Central", "size=40")
    mine = free_hubs(console.engine, "OCTO", 6)
    path = guid_list(tmp_path / "octo.csv", [*mine, "00-DB-FF-FF-FF-FF-FF-01"])
    cli.ok("instruct", "1", "--supplier", "OCTO", "--file", str(path), "--activate-at", "2026-11-27T10:00",
           "--batch", "OCTO early adopters", actor="demo")
    view = open_view(window, settle)
    shown = by_name(view)
    assert shown["Central wave 1"] == ["DCC batch", "Central wave 1", "2026-11-20 10:00 GMT", "2026-11-13 10:00 GMT",
                                       "Planned", "40", "Not started"]
    assert shown["Instructed for 2026-11-27 10:00 GMT"][0] == "Supplier instructions"
    assert shown["Instructed for 2026-11-27 10:00 GMT"][5] == "6"
    deployment = shown["DCC deployment date"]
    assert deployment[2] == "2027-05-02 09:00 BST" and deployment[6] == "Takes every hub left"
    assert rows(view.instructions) == [["OCTO", "OCTO early adopters", "2026-11-27 10:00 GMT",
                                        "2026-11-06 09:30 GMT", "6", "1"]]
    assert view.tabs.tabText(1) == "Supplier instructions (1)"
    assert view.banner.isHidden()
    qtmodeltester.check(view.batches)
    qtmodeltester.check(view.instructions)


def test_the_new_batch_preview_counts_the_hubs_and_names_their_suppliers(
    window: MainWindow, cli: Cli, answers: Answers, settle: Settle, qtbot
) -> None:
    expected = run(cli, "batch", "create", "1", "--rule", "region=South", "--rule", "size=25",
                   "--activate-at", WAVE_AT, "--preview")
    assert isinstance(expected, dict) and expected["hubs"] == 25
    view = open_view(window, settle)

    def look(dialog: QDialog) -> bool:
        assert isinstance(dialog, NewBatchDialog)
        assert not dialog.create_button.isEnabled()  # nothing counted yet
        dialog.regions["South"].setChecked(True)
        dialog.limit.setChecked(True)
        dialog.how_many.setValue(25)
        assert dialog.rule() == BatchRule(regions=("South",), size=25)
        assert dialog.rule().describe() == "rule: region=South size=25"
        qtbot.waitUntil(lambda: dialog.plan is not None and dialog.plan.hubs == 25)
        assert "25 hubs" in dialog.preview.summary.text()
        assert f"{len(expected['suppliers'])} suppliers" in dialog.preview.summary.text()
        table = dialog.preview.suppliers
        listed = {table.item(r, 0).text().split(" ")[0]: table.item(r, 1).text() for r in range(table.rowCount())}
        assert listed == {p: f"{n:,}" for p, n in expected["suppliers"].items()}
        assert dialog.preview.regions.item(0, 0).text() == "South"
        assert dialog.create_button.isEnabled()
        dialog.when.setDateTime(at("2026-11-10T10:00"))  # inside the 7-day lead time
        assert "Too soon" in dialog.time_error.text() and not dialog.create_button.isEnabled()
        return False

    answers.reply = look
    view.new_button.click()
    assert len(answers.seen) == 1
    assert len(view.console.engine.deployment.batches(1)) == 1  # a preview changes nothing


def test_creating_a_batch_by_rule_adds_a_row_and_tells_its_suppliers(
    window: MainWindow, cli: Cli, answers: Answers, settle: Settle, qtbot
) -> None:
    view = open_view(window, settle)
    planned: list[dict[str, int]] = []

    def create(dialog: QDialog) -> bool:
        assert isinstance(dialog, NewBatchDialog)
        dialog.regions["Central"].setChecked(True)
        dialog.limit.setChecked(True)
        dialog.how_many.setValue(30)
        dialog.name.setText("Central first wave")
        dialog.when.setDateTime(at("2026-11-25T10:00"))
        qtbot.waitUntil(lambda: dialog.create_button.isEnabled())
        assert dialog.plan is not None
        planned.append(dialog.plan.suppliers)
        dialog.create_batch()
        return False

    answers.reply = create
    view.new_button.click()
    settle(lambda: "Central first wave" in by_name(view))
    row = by_name(view)["Central first wave"]
    assert row[0] == "DCC batch" and row[2] == "2026-11-25 10:00 GMT" and row[5] == "30"
    assert view.selected() is not None and view.selected().name == "Central first wave"
    told = notices(cli, "BATCH_SCHEDULED")
    assert sorted(str(n["recipient"]) for n in told) == sorted(planned[0])  # one each, as previewed
    assert all("scheduled for 2026-11-25 10:00 GMT" in str(n["subject"]) for n in told)


def test_replanning_a_batch_changes_the_time_shown(
    window: MainWindow, cli: Cli, answers: Answers, settle: Settle
) -> None:
    wave(cli, "region=Central", "size=20")
    view = open_view(window, settle)
    select(view, "Central wave 1")
    assert view.replan_button.isEnabled()

    def replan(dialog: QDialog) -> bool:
        assert isinstance(dialog, ReplanDialog)
        dialog.when.setDateTime(at("2026-11-08T10:00"))
        assert not dialog.replan_button.isEnabled()  # 20 hubs have no image: the lead time holds
        dialog.when.setDateTime(at("2026-12-02T14:30"))
        assert dialog.replan_button.isEnabled()
        return True

    answers.reply = replan
    view.replan_button.click()
    settle(lambda: by_name(view)["Central wave 1"][2] == "2026-12-02 14:30 GMT")
    assert by_name(view)["Central wave 1"][3] == "2026-11-25 14:30 GMT"
    assert view.details.facts["Activation"].text() == "2026-12-02 14:30 GMT"
    assert notices(cli, "BATCH_REPLANNED")


def test_cancelling_a_batch_needs_a_reason_its_suppliers_read(
    window: MainWindow, cli: Cli, answers: Answers, settle: Settle
) -> None:
    wave(cli, "region=South", "size=15")
    view = open_view(window, settle)
    select(view, "DCC deployment date")
    assert not view.cancel_button.isEnabled()  # it moves only with the date, through triage
    select(view, "Central wave 1")
    assert view.cancel_button.isEnabled()

    def cancel(dialog: QDialog) -> bool:
        assert isinstance(dialog, CancelBatchDialog)
        assert not dialog.confirm_button.isEnabled()
        dialog.reason.setPlainText("   ")
        assert not dialog.confirm_button.isEnabled()
        dialog.reason.setPlainText("Merged into the regional waves.")
        assert dialog.confirm_button.isEnabled()
        return True

    answers.reply = cancel
    view.cancel_button.click()
    settle(lambda: by_name(view)["Central wave 1"][4] == "Cancelled")
    assert not view.cancel_button.isEnabled() and not view.replan_button.isEnabled()
    told = notices(cli, "BATCH_CANCELLED")
    assert told and all("cancelled" in str(n["subject"]) for n in told)


def test_the_cancel_dialog_says_what_becomes_of_the_hubs_and_who_is_told(console: Console, cli: Cli) -> None:
    made = wave(cli, "region=South", "size=15")
    assert isinstance(made, dict)
    dialog = CancelBatchDialog(console.engine.deployment.batch(int(str(made["batch"]))), console.engine.releases.get(1))
    said = words(dialog)
    assert "15 hubs whose distribution has not begun go back to the DCC deployment date" in said
    assert "The suppliers with hubs in this batch are told" in said
    assert dialog.buttons.button(dialog.buttons.StandardButton.Cancel).text() == "Keep the batch"
    assert dialog.reason_text() == "" and not dialog.confirm_button.isEnabled()
    dialog.deleteLater()


def test_run_now_is_only_for_an_overdue_batch(
    window: MainWindow, cli: Cli, answers: Answers, settle: Settle, console: Console
) -> None:
    wave(cli, "region=Central", "size=40")
    view = open_view(window, settle)
    select(view, "Central wave 1")
    assert not view.run_button.isEnabled()
    # The console and the scheduler were down past the batch's distribution time (13 Nov 10:00):
    # the clock moves on without a tick, then one catch-up tick finds the work late.
    with console.engine.db.writing() as s:
        clock.set_simulated_now(s, parse_time("2026-11-14T03:00"))
    cli.ok("tick", actor="demo")
    view.refresh()
    settle(lambda: by_name(view)["Central wave 1"][4] == "Overdue")
    assert view.banner.isVisible()
    assert view.banner.lines[0].text().startswith("<b>40 hubs were due at 10:00 GMT on Fri 13 Nov 2026</b>")
    select(view, "Central wave 1")
    assert view.run_button.isEnabled() and view.replan_button.isEnabled()
    assert view.details.overdue_note.isVisible()
    select(view, "DCC deployment date")
    assert not view.run_button.isEnabled()
    select(view, "Central wave 1")

    def confirm(dialog: QDialog) -> bool:
        assert isinstance(dialog, ConfirmDialog)
        assert "40 hubs were due at 2026-11-13 10:00 GMT" in words(dialog)
        assert "wait at the gate" in words(dialog)  # the demo's pilot is still running
        return True

    answers.reply = confirm
    view.run_button.click()
    settle(lambda: by_name(view)["Central wave 1"][4] == "Running")
    assert view.banner.isHidden() and not view.run_button.isEnabled()
    assert console.engine.deployment.batch(view.selected().id).overdue_since is not None  # the record stays


def test_importing_an_instruction_shows_its_receipt(
    window: MainWindow, answers: Answers, settle: Settle, console: Console, tmp_path: Path, qtbot
) -> None:
    mine = free_hubs(console.engine, "EDFE", 5)
    path = guid_list(tmp_path / "edfe.csv", [*mine, "nonsense", mine[0]])
    view = open_view(window, settle)

    def instruct(dialog: QDialog) -> bool:
        assert isinstance(dialog, InstructionDialog)
        dialog.supplier.setCurrentIndex(dialog.supplier.findData("EDFE"))
        dialog.path.setText(str(path))
        dialog.when.setDateTime(at("2026-11-09T10:00"))
        assert "TOO_SOON" in dialog.warning.text()  # said at once, but the supplier is owed a receipt
        dialog.when.setDateTime(at("2026-12-01T09:00"))
        assert dialog.warning.isHidden()
        dialog.name.setText("EDFE December")
        dialog.send()
        qtbot.waitUntil(lambda: not dialog.receipt.isHidden())
        assert "5 accepted" in dialog.receipt.text() and "2 refused" in dialog.receipt.text()
        table = dialog.refusals
        assert [table.item(r, 1).text() for r in range(table.rowCount())] == ["nonsense", mine[0]]
        assert table.item(0, 2).text().startswith("MALFORMED_GUID")
        assert table.item(1, 2).text().startswith("DUPLICATE_IN_REQUEST")
        return False

    answers.reply = instruct
    view.instruct_button.click()
    settle(lambda: view.instructions.rowCount() == 1)
    assert rows(view.instructions)[0] == ["EDFE", "EDFE December", "2026-12-01 09:00 GMT", "2026-11-06 09:30 GMT",
                                          "5", "2"]


def test_the_snapshot_pictures_batch_control_with_an_overdue_batch(db_url: str, tmp_path: Path, qapp) -> None:
    from PySide6.QtGui import QImage

    from chconsole.launch import main as launch

    out = tmp_path / "shots"
    assert launch(["snapshot", "--out", str(out), "--db", db_url]) == 0
    for name in ("batch-control", "batch-instructions", "batch-new", "batch-cancel", "batch-instruct"):
        image = QImage(str(out / f"{name}.png"))
        assert not image.isNull() and image.width() >= 500 and image.height() >= 300, name
    assert (QImage(str(out / "batch-control.png")).width(), QImage(str(out / "batch-control.png")).height()) == \
        (1440, 900)
    engine = open_engine(db_url, "demo")
    states = {b.name: b.state for b in engine.deployment.batches(1)}
    engine.db.dispose()
    assert states["South wave 1"] == "OVERDUE" and states["Central wave 1"] == "DONE"
