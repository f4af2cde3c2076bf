"""The new batch form hands the engine a typed BatchRule built from its fields, never words;
with nothing ticked the rule is every free hub of the release."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QDialog
from sqlalchemy import text
from ui_helpers import Answers, Calls, Settle

from chconsole.core.engine.dto import BatchRule
from chconsole.ui.batches.new_batch import NewBatchDialog
from chconsole.ui.batches.view import BatchControlView
from chconsole.ui.main_window import MainWindow


@pytest.fixture
def batches(window: MainWindow, settle: Settle) -> BatchControlView:
    window.demo_clock.set_speed(0)
    settle()
    view = window.batch_control
    window.show_view(window.views.index(view))
    settle(lambda: view.page is not None)
    return view


def test_the_new_batch_form_hands_the_engine_a_batch_rule(
    batches: BatchControlView, console, answers: Answers, settle: Settle, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = Calls(monkeypatch, console.engine.deployment, "create_batch")
    previewed = Calls(monkeypatch, console.engine.deployment, "preview_batch")

    def create(dialog: QDialog) -> bool:
        assert isinstance(dialog, NewBatchDialog)
        dialog.regions["Central"].setChecked(True)
        dialog.supplier.setCurrentIndex(dialog.supplier.findData("OCTO"))
        dialog.limit.setChecked(True)
        dialog.how_many.setValue(7)
        dialog.when.setDateTime(QDateTime(datetime.fromisoformat("2026-11-25T10:00")))
        assert dialog.rule_words.text() == "Rule: region=Central supplier=OCTO size=7"
        qtbot.waitUntil(lambda: dialog.create_button.isEnabled())
        dialog.create_batch()
        return False

    answers.reply = create
    batches.new_button.click()
    settle(lambda: bool(created.seen))
    rule = BatchRule(regions=("Central",), supplier="OCTO", size=7)
    (release_id, _at, file, sent, name), _kw, _thread = created.seen[0]
    assert (release_id, file, name) == (1, None, None)
    assert isinstance(sent, BatchRule) and sent == rule
    assert previewed.seen[-1][0][1:] == (None, rule)  # the preview counted the same rule
    made = max(console.engine.deployment.batches(1), key=lambda b: b.id)
    assert made.hubs == 7
    with console.engine.db.reading() as s:
        hubs = s.execute(text("SELECT csp_region, import_supplier, gas_supplier FROM release_hub "
                              "WHERE release_id = 1 AND batch_id = :b"), {"b": made.id}).all()
    assert len(hubs) == 7 and all(r == "Central" and "OCTO" in (i, g) for r, i, g in hubs)


def test_with_nothing_ticked_the_rule_is_every_free_hub(console, qtbot) -> None:
    release = console.engine.releases.get(1)
    dialog = NewBatchDialog(release, {}, console.engine.now())
    qtbot.addWidget(dialog)
    assert dialog.rule() == BatchRule()
    assert dialog.rule_words.text() == "Rule: every free hub of the release"
    plan = console.engine.deployment.preview_batch(1, None, dialog.rule())
    assert plan.hubs > 0  # a rule, not a refusal ("a GUID file or a rule, one of the two")
    dialog.by_file.setChecked(True)
    assert dialog.rule() is None
