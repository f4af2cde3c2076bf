"""The estate browser's "Estate status report…": supplier and file, a progress dialog counting
the hubs written, a Cancel that leaves no file, and the finished workbook."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QDialog, QPushButton
from ui_helpers import Answers, Settle

from chconsole.core.estate import status_report
from chconsole.core.reports import workbook
from chconsole.ui.estate.dialogs import EstateStatusDialog
from chconsole.ui.estate.view import EstateView
from chconsole.ui.runtime.context import Console

PAUSE_AFTER = 100  # hubs written before the report waits for the test


@pytest.fixture
def view(console: Console, qtbot, settle: Settle) -> Iterator[EstateView]:
    v = EstateView(console)
    qtbot.addWidget(v)
    v.resize(1300, 800)
    v.show()
    v.refresh()
    settle(lambda: v.choices is not None)
    yield v


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Holds the report after PAUSE_AFTER hubs until set, so the test sees it mid-way;
    progress is reported every 50 hubs instead of every 10,000."""
    opened = threading.Event()
    rows = status_report.rows

    def held(*args: object) -> Iterator[tuple[object, ...]]:
        for n, row in enumerate(rows(*args), 1):  # type: ignore[arg-type]
            yield row
            if n == PAUSE_AFTER:
                opened.wait(30)

    monkeypatch.setattr(status_report, "rows", held)
    monkeypatch.setattr(workbook, "_CHUNK", 50)
    yield opened
    opened.set()  # never leave a worker waiting


def _choose(answers: Answers, out: Path, party: str = "OCTO", offered: str | None = None) -> list[QDialog]:
    def reply(dialog: QDialog) -> bool:
        assert isinstance(dialog, EstateStatusDialog)
        assert dialog.supplier.count() > 5 and dialog.path.text().endswith(".xlsx")
        if offered is not None:
            assert dialog.party() == offered
        dialog.supplier.setCurrentIndex(dialog.supplier.findData(party))
        dialog.path.setText(str(out))
        return True

    answers.reply = reply
    return answers.seen


def _octo_hubs(console: Console) -> int:
    with console.engine.db.reading() as s:
        return status_report.counts(s, "OCTO").hubs


def test_the_report_shows_hubs_written_and_produces_the_file(
    view: EstateView, answers: Answers, gate: threading.Event, qtbot, console: Console,
    settle: Settle, tmp_path: Path,
) -> None:
    out = tmp_path / "octo-estate.xlsx"
    seen = _choose(answers, out)
    view.status_report_button.click()
    total = _octo_hubs(console)
    qtbot.waitUntil(lambda: view.status_report.progress is not None
                    and f"50 of {total:,} hubs written" in view.status_report.progress.labelText())
    progress = view.status_report.progress
    assert progress.isVisible() and progress.maximum() == total and progress.value() == 50
    assert not out.exists()
    gate.set()
    settle(lambda: out.exists())
    assert len(seen) == 1 and not progress.isVisible()
    assert console.messages.last == ("info", f"Wrote OCTO's estate status report ({total:,} hubs) to {out}.")
    book = load_workbook(out, read_only=True)
    assert book.worksheets[0]["A1"].value == "Estate status report"
    assert sum(1 for r in book.worksheets[0].iter_rows(values_only=True) if r and r[0] and r[0].startswith("00-")) == total
    book.close()


def test_cancel_stops_the_report_and_leaves_no_file(
    view: EstateView, answers: Answers, gate: threading.Event, qtbot, console: Console,
    settle: Settle, tmp_path: Path,
) -> None:
    out = tmp_path / "octo-estate.xlsx"
    _choose(answers, out, offered="OCTO")
    view.supplier.select("OCTO")  # the supplier the browser is filtered on is offered first
    view.status_report_button.click()
    qtbot.waitUntil(lambda: view.status_report.progress is not None
                    and "50 of" in view.status_report.progress.labelText())
    progress = view.status_report.progress
    next(b for b in progress.findChildren(QPushButton) if b.text() == "Cancel").click()
    assert not progress.isVisible()
    gate.set()
    settle(lambda: console.messages.last is not None and "Cancelled" in console.messages.last[1])
    assert console.messages.last == ("info", "Cancelled OCTO's estate status report; no file was left behind.")
    assert list(tmp_path.glob("*octo-estate*")) == []
