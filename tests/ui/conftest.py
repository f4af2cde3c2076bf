"""Console fixtures: one small demo database per session, copied for each test that uses it.

Tests wait for the task runner with qtbot.waitUntil / waitSignal, never on the wall clock.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from ui_helpers import Answers

from chconsole.core.bootstrap import open_engine
from chconsole.ui.common.widgets import apply_look
from chconsole.ui.main_window import MainWindow
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.messages import MessageBridge
from chconsole.ui.runtime.settings import Settings
from chconsole.ui.runtime.tasks import TaskRunner
from sim.demo import DEMO_USER, build

HUBS = 3000

# The offscreen platform cannot size native windows and says so once per top-level window
# with a layout; that is the platform's limit, not a console defect.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database of 3,000 hubs: release 1 notified, release 2 drafted."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = build(f"sqlite:///{path}", hubs=HUBS)
    engine.db.dispose()
    return path


@pytest.fixture
def db_url(demo_db: Path, tmp_path: Path) -> str:
    """A private copy of the demo database, free to be written."""
    copy = tmp_path / "console.db"
    for part in demo_db.parent.glob(demo_db.name + "*"):
        shutil.copy(part, tmp_path / part.name.replace(demo_db.name, copy.name))
    return f"sqlite:///{copy}"


@pytest.fixture
def make_console(db_url: str, tmp_path: Path, qapp: object) -> Iterator[Callable[..., Console]]:
    """Builds consoles on the test's database; shuts their runners down afterwards."""
    apply_look(qapp)  # type: ignore[arg-type]
    made: list[Console] = []

    def make(actor: str = DEMO_USER) -> Console:
        settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        console = Console(open_engine(db_url, actor), TaskRunner(), MessageBridge(), settings)
        made.append(console)
        return console

    yield make
    for console in made:
        console.runner.shutdown()
        console.engine.db.dispose()


@pytest.fixture
def console(make_console: Callable[..., Console]) -> Console:
    return make_console()


@pytest.fixture
def window(console: Console, qtbot: object) -> Iterator[MainWindow]:
    """The main window, shown and started, with its first reads done."""
    w = MainWindow(console)
    qtbot.addWidget(w)  # type: ignore[attr-defined]
    w.show()
    w.start()
    _settle(qtbot, console)
    yield w
    w.close()


def _settle(qtbot: object, console: Console, condition: Callable[[], bool] = lambda: True,
            timeout: int = 20_000) -> None:
    qtbot.waitUntil(lambda: not console.runner.busy and condition(), timeout=timeout)  # type: ignore[attr-defined]


@pytest.fixture
def settle(qtbot: object, console: Console) -> Callable[..., None]:
    """settle(condition=..., timeout=...): wait until the runner is idle and CONDITION holds."""

    def wait(condition: Callable[[], bool] = lambda: True, timeout: int = 20_000) -> None:
        _settle(qtbot, console, condition, timeout)

    return wait


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    """Dialogs answered by the test instead of a person."""
    return Answers(monkeypatch)
