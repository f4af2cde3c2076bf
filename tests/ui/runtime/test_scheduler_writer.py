"""The console's scheduler writes through the task runner's one writer: its pass runs on the
runner's write lane, not on the scheduler's own thread, and counts as a change to
everything, announced on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThread
from ui_helpers import WRITE_THREAD

from chconsole.core.bootstrap import create_database, open_engine
from chconsole.core.engine.changes import Changes
from chconsole.ui.main_window import MainWindow
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.messages import MessageBridge
from chconsole.ui.runtime.settings import Settings
from chconsole.ui.runtime.tasks import TaskRunner


@pytest.fixture
def live_console(tmp_path: Path) -> Iterator[Console]:
    """A console on a system-clock database (its window runs the scheduler); alice holds every role."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    create_database(url, "alice").db.dispose()
    settings = Settings(QSettings(str(tmp_path / "live.ini"), QSettings.Format.IniFormat))
    console = Console(open_engine(url, "alice"), TaskRunner(), MessageBridge(), settings)
    yield console
    console.engine.close()


def test_the_scheduler_pass_runs_on_the_runners_writer(live_console: Console, qtbot) -> None:
    console = live_console
    ticks: list[tuple[str, bool]] = []
    real = console.engine.time.tick

    def spy(*args: object, **kwargs: object) -> object:
        ticks.append((QThread.currentThread().objectName(), threading.current_thread().name))  # type: ignore[arg-type]
        return real(*args, **kwargs)  # type: ignore[arg-type]

    console.engine.time.tick = spy  # type: ignore[method-assign]
    heard: list[tuple[Changes, bool]] = []
    gui = QThread.currentThread()
    console.events.changed.connect(lambda c: heard.append((c, QThread.currentThread() is gui)))
    w = MainWindow(console)
    qtbot.addWidget(w)
    w.show()
    w.start()
    qtbot.waitUntil(lambda: w.scheduler_status.last is not None and bool(heard), timeout=20_000)
    assert w.scheduler_status.last.ran and w.scheduler_status.last.error is None
    (on_qt_thread, on_python_thread), *_ = ticks
    assert on_qt_thread == WRITE_THREAD
    assert not on_python_thread.startswith("APScheduler") and on_python_thread != "MainThread"
    scheduler_threads = {t.name for t in threading.enumerate() if "ThreadPoolExecutor" in t.name}
    assert on_python_thread not in scheduler_threads  # not the scheduler's own thread
    assert heard[0] == (Changes(everything=True), True)  # everything changed, said on the GUI thread
    w.close()
    assert w.scheduler is None
