"""The main window: navigation, shortcuts, the status bar, remembered state."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt

from chconsole.ui.main_window import MainWindow
from chconsole.ui.runtime.settings import LAST_VIEW, WINDOW_GEOMETRY

Settle = Callable[..., None]


def test_the_status_bar_says_database_user_and_simulated_clock(window: MainWindow, console) -> None:
    assert window.database_label.text() == "Database: console.db"  # the file; the tooltip has the URL
    assert window.database_label.toolTip().startswith("sqlite:///")
    assert window.user_label.text() == "User: demo"
    assert "release-manager" in window.user_label.toolTip()
    # The demo opens a day into its pilot; the living clock may have moved it an hour since.
    assert window.clock_label.text() in ("Clock: 2026-11-06 09:30 GMT (simulated)",
                                         "Clock: 2026-11-06 10:30 GMT (simulated)")


def test_navigation_lists_only_the_working_views(window: MainWindow) -> None:
    names = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert names == ["Dashboard", "Estate browser", "Releases and notices", "Pilot tracking", "Batch control",
                     "Incidents and triage", "Outbox", "Administration"]


def test_keyboard_shortcuts(window: MainWindow, qtbot, settle: Settle) -> None:
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() is window.releases
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() is window.pilot
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() is window.batch_control
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() is window.incidents
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() is window.outbox
    qtbot.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() is window.admin
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() is window.dashboard
    settle(lambda: window.outbox.model.rowCount() > 0)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() is window.estate
    assert window.estate.search.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    settle(lambda: window.estate.model.matching == 3000)


def test_the_window_remembers_its_view_and_geometry(window: MainWindow, console, qtbot) -> None:
    window.show_view(2)
    window.close()
    assert console.settings.get(LAST_VIEW) == 2
    assert not console.settings.get(WINDOW_GEOMETRY).isEmpty()


def test_a_user_who_is_not_a_dcc_user_is_told(make_console, qtbot) -> None:
    outsider = make_console("mallory")
    w = MainWindow(outsider)
    qtbot.addWidget(w)
    w.start()
    qtbot.waitUntil(lambda: not outsider.runner.busy and outsider.roles is not None)
    assert outsider.roles == ()
    assert "not a DCC user" in w.user_label.text()
    assert outsider.messages.last is not None and "mallory is not a DCC user" in outsider.messages.last[1]
    w.close()


def test_closing_during_a_change_says_so_first(window: MainWindow, console, qtbot) -> None:
    import threading

    gate = threading.Event()
    console.runner.submit(lambda _ctx: gate.wait(10), label="notifying release 2")
    assert window.activity_label.text() == "Notifying release 2\u2026"
    window.close()
    assert window.isVisible()
    assert console.messages.last is not None and "Still notifying release 2" in console.messages.last[1]
    gate.set()
    qtbot.waitUntil(lambda: not console.runner.busy)
    assert window.activity_label.text() == ""
    window.close()
    assert not window.isVisible()


def test_a_demo_says_so_in_its_title_and_toolbar(console, qtbot) -> None:
    w = MainWindow(console, demo=True)
    qtbot.addWidget(w)
    assert w.windowTitle() == "chconsole: DEMO (simulated estate)"
    assert w.marker is not None and w.marker.text() == "DEMO" and w.toolbar.isAncestorOf(w.marker)


def test_a_training_database_on_a_simulated_clock_is_marked_simulated(window: MainWindow) -> None:
    assert window.windowTitle() == "chconsole: console.db (simulated clock)"
    assert window.marker is not None and window.marker.text() == "SIMULATED"


def test_a_real_database_is_named_in_the_title_and_unmarked(tmp_path, qtbot, qapp) -> None:
    from PySide6.QtCore import QSettings

    from chconsole.core.bootstrap import create_database
    from chconsole.ui.identity import database_name
    from chconsole.ui.runtime.context import Console
    from chconsole.ui.runtime.messages import MessageBridge
    from chconsole.ui.runtime.settings import Settings
    from chconsole.ui.runtime.tasks import TaskRunner

    url = f"sqlite:///{tmp_path / 'rollout.db'}"
    engine = create_database(url, "alice")
    console = Console(engine, TaskRunner(), MessageBridge(),
                      Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    w = MainWindow(console)
    qtbot.addWidget(w)
    try:
        assert w.windowTitle() == "chconsole: rollout.db"
        assert w.marker is None
    finally:
        console.runner.shutdown()
        engine.close()
    assert database_name("postgresql+psycopg://dcc:secret@db.dcc.local:5432/chconsole") == "db.dcc.local:5432/chconsole"
    assert database_name("postgresql+psycopg:///chconsole") == "localhost/chconsole"
