"""A console with no database yet: create one (or open one) from the window; an empty estate
and an empty CPL say what to do next, with the button that does it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from ui_helpers import Answers

from chconsole.core.bootstrap import locate_database, open_engine
from chconsole.ui.admin.database import (
    CREATE,
    DEMO,
    OPEN,
    DatabaseDialog,
    StartDialog,
    start_without_database,
)
from chconsole.ui.admin.dialogs import CplEntryDialog, ImportDialog
from chconsole.ui.app import prepare_database
from chconsole.ui.common.dialogs import ConfirmDialog
from chconsole.ui.common.widgets import apply_look
from chconsole.ui.main_window import MainWindow
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.messages import MessageBridge
from chconsole.ui.runtime.settings import Settings
from chconsole.ui.runtime.tasks import TaskRunner


@pytest.fixture
def runner(qapp) -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.shutdown()


def _answer(answers: Answers, *steps: Callable[[object], bool]) -> None:
    """Answer the dialogs in turn with STEPS."""
    queue = list(steps)
    answers.reply = lambda dialog: queue.pop(0)(dialog)


def _start(choice: str) -> Callable[[object], bool]:
    def pick(dialog: object) -> bool:
        assert isinstance(dialog, StartDialog)
        getattr(dialog, f"{choice}_button").click()  # the button accepts the dialog
        return dialog.choice == choice

    return pick


def test_creating_a_new_sqlite_database_from_the_start_dialog(tmp_path: Path, runner, answers: Answers) -> None:
    where = tmp_path / "work" / "rollout.db"
    seen: list[DatabaseDialog] = []

    def file_here(dialog: object) -> bool:
        assert isinstance(dialog, DatabaseDialog) and dialog.mode == CREATE
        assert dialog.file_choice.isChecked() and dialog.path.text() == str(tmp_path / "usual.db")
        seen.append(dialog)
        dialog.path.setText(str(where))
        return True

    _answer(answers, _start(CREATE), file_here)
    choice = start_without_database("sqlite:///usual.db", tmp_path / "usual.db", "alice",
                                    prepare_database(runner, "alice"))
    assert choice is not None and choice.created and not choice.demo
    assert choice.url == f"sqlite:///{where}"
    assert locate_database(choice.url).exists
    engine = open_engine(choice.url, "alice")
    try:
        # The one who created it is its first user and its administrator, as with `chconsole init`.
        assert [(u.name, "admin" in u.roles) for u in engine.admin.users()] == [("alice", True)]
        assert engine.queries.estate_size() == 0 and engine.admin.cpl() == []
        assert not engine.clock.is_simulated
    finally:
        engine.close()


def test_a_database_that_is_not_there_is_said_in_the_dialog_which_asks_again(
        tmp_path: Path, runner, answers: Answers) -> None:
    missing = tmp_path / "nowhere.db"
    errors: list[str] = []

    def open_missing(dialog: object) -> bool:
        assert isinstance(dialog, DatabaseDialog) and dialog.mode == OPEN
        dialog.path.setText(str(missing))
        return True

    def give_up(dialog: object) -> bool:
        assert isinstance(dialog, DatabaseDialog)
        errors.append(dialog.error.text())
        assert dialog.path.text() == str(missing)  # what was typed is still there
        return False

    def then_quit(dialog: object) -> bool:
        assert isinstance(dialog, StartDialog)
        return False

    _answer(answers, _start(OPEN), open_missing, give_up, then_quit)
    assert start_without_database("x", tmp_path / "usual.db", "alice", prepare_database(runner, "alice")) is None
    assert errors == [f"There is no file {missing}."]
    assert not missing.exists()  # looking for it did not leave an empty file behind


def test_an_existing_database_is_opened_and_a_second_one_is_not_created_over_it(
        tmp_path: Path, runner, answers: Answers, db_url: str) -> None:
    existing = db_url.removeprefix("sqlite:///")
    errors: list[str] = []

    def create_there(dialog: object) -> bool:
        dialog.path.setText(existing)  # type: ignore[attr-defined]
        return True

    def note(dialog: object) -> bool:
        errors.append(dialog.error.text())  # type: ignore[attr-defined]
        return False

    def open_it(dialog: object) -> bool:
        assert isinstance(dialog, DatabaseDialog) and dialog.mode == OPEN
        dialog.path.setText(existing)
        return True

    _answer(answers, _start(CREATE), create_there, note, _start(OPEN), open_it)
    choice = start_without_database("x", tmp_path / "usual.db", "alice", prepare_database(runner, "alice"))
    assert errors and errors[0].startswith("There is already a chconsole database at")
    assert choice is not None and choice.url == db_url and not choice.created


def test_the_demo_is_one_of_the_choices(tmp_path: Path, answers: Answers) -> None:
    _answer(answers, _start(DEMO))
    choice = start_without_database("x", tmp_path / "usual.db", "alice", lambda _m, _u: None)
    assert choice is not None and choice.demo and choice.url is None


@pytest.fixture
def empty_window(tmp_path: Path, qtbot, qapp) -> Iterator[MainWindow]:
    """The window on a database just created for real work: no hubs, no CPL, no release."""
    from chconsole.core.bootstrap import create_database

    apply_look(qapp)
    url = f"sqlite:///{tmp_path / 'new.db'}"
    create_database(url, "alice").close()
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    console = Console(open_engine(url, "alice"), TaskRunner(), MessageBridge(), settings)
    window = MainWindow(console)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: not console.runner.busy and console.roles is not None, timeout=20_000)
    yield window
    window.close()
    console.engine.db.dispose()


def _idle(qtbot, window: MainWindow, condition: Callable[[], bool] = lambda: True) -> None:
    qtbot.waitUntil(lambda: not window.console.runner.busy and condition(), timeout=20_000)


def test_an_empty_estate_offers_the_smi_import(empty_window: MainWindow, qtbot, answers: Answers) -> None:
    w = empty_window
    w.show_view(w.views.index(w.estate))
    _idle(qtbot, w, lambda: w.estate.empty.isVisible())
    assert w.estate.empty.title.text() == "No hubs yet: import the SMI extract"
    assert not w.estate.splitter.isVisible()
    answers.reply = lambda dialog: False  # look at the import dialog, then cancel it
    w.estate.empty.button.click()
    assert w.current_view() is w.admin and w.admin.tabs.currentWidget() is w.admin.estate
    assert [type(d) for d in answers.seen] == [ImportDialog]


def test_an_empty_cpl_offers_to_add_an_entry_before_a_release(empty_window: MainWindow, qtbot,
                                                               answers: Answers) -> None:
    w = empty_window
    w.show_view(w.views.index(w.releases))
    _idle(qtbot, w, lambda: w.releases.empty.isVisible())
    assert w.releases.empty.title.text() == "No releases yet: the CPL is empty"
    assert w.releases.empty.button.text() == "Add a CPL entry\u2026"

    def add_entry(dialog: object) -> bool:
        assert isinstance(dialog, CplEntryDialog)
        dialog.model.setText("EDMI-CHF-420")
        dialog.firmware.setText("0002012F")
        dialog.image_hash.setText("cd" * 32)
        return True

    answers.reply = add_entry
    w.releases.empty.button.click()
    assert w.current_view() is w.admin and w.admin.tabs.currentWidget() is w.admin.cpl
    _idle(qtbot, w, lambda: w.admin.cpl.table.rowCount() == 1)
    # Back on the releases: the CPL has an entry now, so the next step is a draft.
    w.show_view(w.views.index(w.releases))
    _idle(qtbot, w, lambda: w.releases.empty.button.text() == "New release\u2026")
    assert w.releases.empty.title.text() == "No releases yet"


def test_new_release_on_an_empty_cpl_leads_to_the_cpl(empty_window: MainWindow, qtbot, answers: Answers) -> None:
    w = empty_window
    answers.reply = lambda dialog: isinstance(dialog, ConfirmDialog)  # "Add a CPL entry…", then cancel that
    w.new_release_action.trigger()
    _idle(qtbot, w, lambda: len(answers.seen) == 2)
    assert answers.seen[0].windowTitle() == "New release"
    assert "The CPL is empty" in answers.seen[0].findChild(type(w.estate.empty.title), "dialogTitle").text()
    assert isinstance(answers.seen[1], CplEntryDialog)
    assert w.current_view() is w.admin
