"""The Administration view: the SMI import with its refusal list, the CPL, users and roles,
suppliers' notice addresses, and buttons that say why they are disabled."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from chc_helpers import guid, write_csv
from PySide6.QtCore import QSettings
from ui_helpers import Answers

from chconsole.core.bootstrap import create_database, open_engine
from chconsole.core.engine.roles import Role
from chconsole.ui.admin.dialogs import CplEntryDialog, ImportDialog, PartyDialog, UserDialog
from chconsole.ui.admin.view import AdminView
from chconsole.ui.common.widgets import apply_look
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.messages import MessageBridge
from chconsole.ui.runtime.settings import Settings
from chconsole.ui.runtime.tasks import TaskRunner
from sim.estate import write_extract

Settle = Callable[..., None]


@pytest.fixture
def fresh(tmp_path: Path, qapp) -> Iterator[Callable[[str], Console]]:
    """Consoles on a new, empty database that alice created (so she holds every role)."""
    apply_look(qapp)
    url = f"sqlite:///{tmp_path / 'real.db'}"
    create_database(url, "alice").close()
    made: list[Console] = []

    def make(actor: str = "alice") -> Console:
        settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        console = Console(open_engine(url, actor), TaskRunner(), MessageBridge(), settings)
        made.append(console)
        return console

    yield make
    for console in made:
        console.runner.shutdown()
        console.engine.db.dispose()


def _view(console: Console, qtbot, roles: tuple[str, ...] | None = None) -> AdminView:
    console.roles = roles if roles is not None else tuple(r.value for r in Role)
    view = AdminView(console)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: not console.runner.busy and view.facts is not None, timeout=20_000)
    return view


def _wait(qtbot, console: Console, condition: Callable[[], bool] = lambda: True) -> None:
    qtbot.waitUntil(lambda: not console.runner.busy and condition(), timeout=20_000)


def _rows(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_importing_an_extract_through_the_view_loads_the_estate(fresh, qtbot, tmp_path: Path,
                                                               answers: Answers) -> None:
    console = fresh()
    view = _view(console, qtbot)
    assert view.estate.size_label.text() == "No hubs yet: import the SMI extract to begin."
    extract = tmp_path / "smi-extract.csv"
    write_extract(extract, n=500, seed=3)
    def choose(dialog) -> bool:
        assert isinstance(dialog, ImportDialog)
        dialog.path.setText(str(extract))
        return True

    answers.reply = choose
    view.estate.import_button.click()
    _wait(qtbot, console, lambda: view.estate.result.isVisible() and view.facts is not None and view.facts[0] == 500)
    assert console.engine.queries.estate_size() == 500
    assert "smi-extract.csv: 500 rows, 500 new hubs, 0 updated" in view.estate.result.text()
    assert view.estate.size_label.text().startswith("The estate holds 500 hubs of ")
    assert not view.estate.refusals.isVisible()
    # The suppliers arrived with it, each listed with no notice address yet.
    suppliers = [row for row in _rows(view.parties.table) if row[2] == "Supplier"]
    assert suppliers and all(row[3].startswith("none") for row in suppliers)


def test_a_bad_extract_is_refused_whole_with_each_bad_line_and_nothing_changes(fresh, qtbot, tmp_path) -> None:
    console = fresh()
    view = _view(console, qtbot)
    good = ["EDMI-CHF-420", "0002012F", "Commissioned", "North", "OCTO", "BGAS"]
    bad = write_csv(tmp_path / "bad.csv", [
        [guid(1), *good],
        ["not-a-guid", *good],
        [guid(3), "EDMI-CHF-420", "0002012F", "Asleep", "North", "OCTO", ""],
        [guid(4), *good],
    ])
    view.operations.run_import(bad)
    _wait(qtbot, console, lambda: view.estate.refusals.isVisible())
    assert view.estate.refusal_title.text() == "bad.csv was refused: nothing was changed"
    assert view.estate.refusal_text.text().startswith("2 rows of bad.csv cannot be read, so nothing was imported.")
    rows = _rows(view.estate.problems)
    assert [r[0] for r in rows] == ["3", "4"]  # the header is line 1
    assert rows[0][1] == "'not-a-guid' is not a hub GUID"
    assert rows[1][1] == "SMI status 'Asleep' is not an SMI status"
    assert console.engine.queries.estate_size() == 0
    assert not view.estate.result.isVisible()


def test_adding_a_cpl_entry_fills_the_empty_cpl(fresh, qtbot, answers: Answers) -> None:
    console = fresh()
    view = _view(console, qtbot)
    view.tabs.setCurrentIndex(1)
    assert view.cpl.empty.isVisible() and not view.cpl.table.isVisible()

    def fill(dialog) -> bool:
        assert isinstance(dialog, CplEntryDialog)
        dialog.model.setText("EDMI-CHF-420")
        dialog.firmware.setText("0002012f")
        dialog.image_hash.setText("ab" * 32)
        return True

    answers.reply = fill
    view.cpl.empty.button.click()
    _wait(qtbot, console, lambda: view.cpl.table.rowCount() == 1)
    assert _rows(view.cpl.table)[0][1:4] == ["EDMI-CHF-420", "1.0", "0002012F"]
    assert not view.cpl.empty.isVisible()


def test_an_administrator_adds_a_user_and_changes_their_roles(fresh, qtbot, answers: Answers) -> None:
    console = fresh()
    view = _view(console, qtbot)
    view.tabs.setCurrentIndex(2)

    def new_user(dialog) -> bool:
        assert isinstance(dialog, UserDialog) and not dialog.name.isReadOnly()
        dialog.name.setText("olive")
        dialog.roles["operator"].setChecked(True)
        dialog.roles["release-manager"].setChecked(True)
        return True

    answers.reply = new_user
    view.users.add_button.click()
    _wait(qtbot, console, lambda: view.users.table.rowCount() == 2)
    assert _rows(view.users.table)[1] == ["olive", "Service desk operator, Release manager"]

    def only_operator(dialog) -> bool:
        assert dialog.name.isReadOnly() and dialog.roles["release-manager"].isChecked()
        dialog.roles["release-manager"].setChecked(False)
        return True

    answers.reply = only_operator
    view.users.table.selectRow(1)
    assert view.users.roles_button.isEnabled()
    view.users.roles_button.click()
    _wait(qtbot, console, lambda: _rows(view.users.table)[1][1] == "Service desk operator")
    assert {u.name: u.roles for u in console.engine.admin.users()}["olive"] == ("operator",)


def test_editing_a_suppliers_notice_address(fresh, qtbot, answers: Answers, tmp_path: Path) -> None:
    console = fresh()
    extract = tmp_path / "e.csv"
    write_extract(extract, n=200, seed=2)
    console.engine.admin.import_estate(extract)
    view = _view(console, qtbot)
    view.tabs.setCurrentIndex(3)
    first = view.parties.parties[0]

    def address(dialog) -> bool:
        assert isinstance(dialog, PartyDialog) and dialog.party == first
        dialog.name.setText("Octopus Energy")
        dialog.email.setText("firmware@octopus.example")
        return True

    answers.reply = address
    view.parties.table.selectRow(0)
    view.parties.edit_button.click()
    _wait(qtbot, console, lambda: _rows(view.parties.table)[0][3] == "firmware@octopus.example")
    assert _rows(view.parties.table)[0][:2] == [first.id, "Octopus Energy"]
    assert next(p for p in console.engine.admin.parties() if p.id == first.id).email == "firmware@octopus.example"


def test_buttons_a_user_may_not_use_are_disabled_and_say_why(fresh, qtbot) -> None:
    fresh().engine.admin.add_user("paula", ["panel-secretary"])
    console = fresh("paula")
    view = _view(console, qtbot, roles=("panel-secretary",))
    assert not view.users.add_button.isEnabled() and not view.users.roles_button.isEnabled()
    assert view.users.why.text() == ("Only administrators can add users or change their roles "
                                     "(you are a Panel secretary).")
    assert view.users.add_button.toolTip() == view.users.why.text()
    assert not view.estate.import_button.isEnabled()
    assert view.estate.why.text() == ("Only service desk operators and release managers can import the SMI "
                                      "extract (you are a Panel secretary).")
    assert not view.cpl.add_button.isEnabled() and not view.cpl.empty.button.isEnabled()
    assert not view.parties.edit_button.isEnabled()
    # Looking is open to everyone.
    assert _rows(view.users.table) == [["alice", "Administrator, Service desk operator, Panel secretary, "
                                                 "Release manager"], ["paula", "Panel secretary"]]
    # An administrator's own buttons say nothing.
    admin = _view(fresh(), qtbot)
    assert admin.users.add_button.isEnabled() and admin.users.why.text() == ""


def test_a_cancelled_import_changes_nothing(fresh, tmp_path: Path) -> None:
    """The view's Cancel makes the import's progress report raise TaskCancelled inside the
    import's one transaction: nothing of the file is kept, on a first load as on a refresh."""
    from chconsole.ui.runtime.tasks import TaskCancelled

    console = fresh()
    extract = tmp_path / "big.csv"
    write_extract(extract, n=60_000, seed=4)  # progress is reported every 50,000 rows

    def cancel(_rows: int) -> None:
        raise TaskCancelled()

    before = console.engine.admin.parties()
    with pytest.raises(TaskCancelled):
        console.engine.admin.import_estate(extract, progress=cancel)
    assert console.engine.queries.estate_size() == 0
    assert console.engine.admin.parties() == before  # no supplier of the file was kept either
    small = tmp_path / "small.csv"
    write_extract(small, n=100, seed=4)
    console.engine.admin.import_estate(small)
    with pytest.raises(TaskCancelled):
        console.engine.admin.import_estate(extract, progress=cancel)
    assert console.engine.queries.estate_size() == 100
