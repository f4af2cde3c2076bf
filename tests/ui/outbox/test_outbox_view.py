"""The outbox: every notice newest first, its text, and its files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from chconsole.ui.main_window import MainWindow

Settle = Callable[..., None]


@pytest.fixture
def outbox(window: MainWindow, settle: Settle):
    window.show_view(window.views.index(window.outbox))
    settle(lambda: window.outbox.model.rowCount() > 0)
    return window.outbox


def test_notices_are_listed_newest_first_with_recipients(outbox, console) -> None:
    v = console.engine.releases.get(1)
    suppliers = {c.party for c in v.suppliers}
    notices = outbox.model.notices
    release_notices = [n for n in notices if n.kind == "RELEASE_NOTICE"]  # the demo's pilot sent more
    assert len(release_notices) == len(suppliers) + 1  # every supplier, and the one CSP of the regions
    assert [n.id for n in notices] == sorted((n.id for n in notices), reverse=True)
    recipients = {outbox.model.data(outbox.model.index(r, 1)) for r in range(outbox.model.rowCount())}
    assert {n.recipient for n in release_notices} == suppliers | {"TELEFONICA"} == recipients
    assert outbox.model.data(outbox.model.index(len(notices) - 1, 0)) == "2026-11-02 09:00 GMT"
    assert outbox.count_label.text() == f"{len(notices)} notices to {len(recipients)} recipients"


def test_the_model_passes_qt_model_checks(outbox, qtmodeltester) -> None:
    qtmodeltester.check(outbox.model)


def test_selecting_a_notice_shows_its_text_and_files(outbox, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    octo = next(r for r, n in enumerate(outbox.model.notices) if n.recipient == "OCTO")
    outbox.table.selectRow(octo)
    assert outbox.body.toPlainText().startswith("To Octave Energy (OCTO)")
    assert outbox.open_attachment.isEnabled() and outbox.open_email.isEnabled()
    outbox.open_attachment.click()
    outbox.show_folder.click()
    attachment = Path(outbox.model.notices[octo].attachment)
    assert [Path(u.toLocalFile()) for u in opened] == [attachment, attachment.parent]


def test_a_notice_without_an_attachment_disables_its_button(outbox) -> None:
    csp = next(r for r, n in enumerate(outbox.model.notices) if n.recipient == "TELEFONICA")
    outbox.table.selectRow(csp)
    assert not outbox.open_attachment.isEnabled()
    assert outbox.open_email.isEnabled()
