"""The console's entry point: options, settings, and `chconsole snapshot`."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QImage

from chconsole.launch import main as launch
from chconsole.ui.app import acting_user, parse
from chconsole.ui.runtime.settings import EXPORT_FOLDER, LAST_VIEW, WINDOW_STATE, Settings

VIEWS = ("estate", "releases", "outbox", "release-details", "new-release", "admin", "admin-users")


def test_options_match_the_command_line() -> None:
    ns = parse(["--db", "sqlite:///x.db", "--as", "alice"])
    assert (ns.command, ns.db, ns.actor) == (None, "sqlite:///x.db", "alice")
    assert parse(["--demo"]).command == "demo"
    assert parse(["demo", "--hubs", "5000"]).hubs == 5000
    assert parse(["snapshot", "--out", "pics"]).out == Path("pics")
    with pytest.raises(SystemExit):
        parse(["snapshot"])  # where to?


def test_the_acting_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHCONSOLE_USER", "bob")
    assert acting_user("alice") == "alice"
    assert acting_user(None) == "bob"


def test_settings_are_typed_and_remembered(tmp_path: Path) -> None:
    path = str(tmp_path / "s.ini")
    s = Settings(QSettings(path, QSettings.Format.IniFormat))
    assert s.get(LAST_VIEW) == 0 and s.get(EXPORT_FOLDER) == ""
    s.set(LAST_VIEW, 2)
    s.set(WINDOW_STATE, QByteArray(b"\x00\x01"))
    s.sync()
    again = Settings(QSettings(path, QSettings.Format.IniFormat))
    assert again.get(LAST_VIEW) == 2  # an int again, not the text an INI file holds
    assert again.get(WINDOW_STATE) == QByteArray(b"\x00\x01")
    again.reset_window_state()
    assert again.get(WINDOW_STATE).isEmpty() and again.get(LAST_VIEW) == 2


def test_snapshot_writes_one_picture_per_view(db_url: str, tmp_path: Path, qapp) -> None:
    out = tmp_path / "shots"
    assert launch(["snapshot", "--out", str(out), "--db", db_url]) == 0
    for name in VIEWS:
        image = QImage(str(out / f"{name}.png"))
        assert not image.isNull(), name
        assert image.width() >= 500 and image.height() >= 400, name
    main = QImage(str(out / "estate.png"))
    assert (main.width(), main.height()) == (1440, 900)


def test_a_demo_database_is_built_off_the_gui_thread(tmp_path: Path, qapp) -> None:
    from chconsole.core.storage.db import Database
    from chconsole.ui.app import build_demo
    from chconsole.ui.runtime.tasks import TaskRunner

    runner = TaskRunner()
    try:
        url = build_demo(runner, hubs=300, folder=tmp_path)
    finally:
        runner.shutdown()
    db = Database(url)
    assert db.exists()
    db.dispose()


def test_no_database_and_nothing_chosen_quits(tmp_path: Path, qapp, monkeypatch: pytest.MonkeyPatch) -> None:
    from chconsole.ui import app

    asked: list[str] = []
    monkeypatch.setattr(app, "start_without_database", lambda label, *_a: asked.append(label) or None)
    monkeypatch.setattr(app, "_log_to_file", lambda: None)  # not into the home folder
    monkeypatch.setattr(app, "Settings", lambda: Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    url = f"sqlite:///{tmp_path / 'missing.db'}"
    assert app.main(["--db", url]) == 1
    assert asked == [url]


def test_a_new_demo_goes_to_the_demo_folder_and_removes_the_last_one(tmp_path: Path, qapp,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from chconsole.ui import app
    from chconsole.ui.runtime.tasks import TaskRunner

    monkeypatch.setenv("CHCONSOLE_DEMO_DIR", str(tmp_path / "demos"))
    old = tmp_path / "demos" / "demo-yesterday"
    old.mkdir(parents=True)
    (old / "demo.db").write_bytes(b"an old demo")
    runner = TaskRunner()
    try:
        url, folder = app._start_demo(runner, 300)
    finally:
        runner.shutdown()
    try:
        assert not old.exists()
        assert url == f"sqlite:///{folder.path / 'demo.db'}" and folder.path.parent == tmp_path / "demos"
        assert Path(url.removeprefix("sqlite:///")).is_file()
    finally:
        folder.release()


def test_tour_visits_every_view(window, qtbot) -> None:
    from chconsole.ui.tools.tour import tour

    said: list[str] = []
    assert tour(window, said.append) == []
    assert [s for s in said if s.endswith("ms)")] and len([s for s in said if " shown (" in s]) == len(window.views)
    assert any("Administration shown" in s for s in said)


def test_the_window_remembers_the_database_it_opened_while_it_is_there(tmp_path: Path, db_url: str, qapp) -> None:
    from chconsole.ui import app
    from chconsole.ui.runtime.settings import LAST_DATABASE

    s = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert app._remembered(s) is None
    s.set(LAST_DATABASE, db_url)
    assert app._remembered(s) == db_url
    s.set(LAST_DATABASE, f"sqlite:///{tmp_path / 'deleted.db'}")
    assert app._remembered(s) is None  # gone: the usual database, or the start dialog
    assert not (tmp_path / "deleted.db").exists()
