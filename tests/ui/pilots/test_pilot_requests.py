"""The nominate form hands the engine a typed PilotRule built from its fields, never words."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import text
from ui_helpers import Answers, Calls, Settle

from chconsole.core.engine.dto import PilotRule
from chconsole.ui.main_window import MainWindow
from chconsole.ui.pilots.nominate import NominateDialog


def test_the_nominate_form_hands_the_engine_a_pilot_rule(
    window: MainWindow, console, answers: Answers, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = console.engine.releases.notify(2).value
    window.demo_clock.set_speed(0)
    settle()
    view = window.pilot
    window.show_view(window.views.index(view))
    settle(lambda: view.page is not None)
    view.picker.setCurrentIndex(view.picker.findData(2))
    view.picker.activated.emit(view.picker.currentIndex())
    settle(lambda: view.pilot() is not None and view.pilot().release_id == 2)
    nominated = Calls(monkeypatch, console.engine.pilots, "nominate")
    region, version = max(release.regions, key=lambda r: release.regions[r]), release.from_versions[0]
    supplier = max(release.suppliers, key=lambda c: c.total).party

    def nominate(dialog: QDialog) -> bool:
        assert isinstance(dialog, NominateDialog)
        dialog.supplier.setCurrentIndex(dialog.supplier.findData(supplier))
        dialog.count.setValue(8)
        dialog.spread.setChecked(False)
        dialog.region.setCurrentIndex(dialog.region.findData(region))
        dialog.version.setCurrentIndex(dialog.version.findData(version))
        dialog.seed.setValue(3)
        assert dialog.preview.text() == (f"Rules sent: count=8 from-version={version} region={region} seed=3 "
                                         "exclude=open-incidents")
        dialog.nominate()
        return False

    answers.reply = nominate
    view.nominate_button.click()
    (dialog,) = answers.seen
    settle(lambda: not dialog.result.isHidden())
    ((release_id, party, file, rule), _kw, _thread), = nominated.seen
    assert (release_id, party, file) == (2, supplier, None)
    assert isinstance(rule, PilotRule)
    assert rule == PilotRule(count=8, from_versions=(version,), regions=(region,), seed=3, exclude_incidents=True)
    with console.engine.db.reading() as s:
        chosen = s.execute(text(
            "SELECT rh.csp_region, h.firmware_version FROM release_hub rh JOIN hub h ON h.id = rh.hub_id "
            "WHERE rh.release_id = 2 AND (rh.pilot_import OR rh.pilot_gas)")).all()
    assert len(chosen) == 8 and {tuple(r) for r in chosen} == {(region, version)}  # as the rule said


def test_a_guid_file_goes_as_a_file_with_no_rule(console, qtbot, tmp_path) -> None:
    release = console.engine.releases.notify(2).value
    path = tmp_path / "pilot.csv"
    path.write_text("guid\n00-DB-FF-FF-FF-FF-FF-02\n")
    dialog = NominateDialog(release, 50, {})
    qtbot.addWidget(dialog)
    sent: list[tuple[object, ...]] = []
    dialog.submit = lambda *args: sent.append(args)
    dialog.by_file.setChecked(True)
    dialog.path.setText(str(path))
    dialog.nominate()
    assert sent == [(dialog.party(), path, None)]
