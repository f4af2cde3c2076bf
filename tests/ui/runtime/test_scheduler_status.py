"""The status bar's scheduler: running here, held elsewhere, failing, or the demo clock's job.

Passes come from APScheduler's thread; the tests wait for the queued signal with qtbot,
never on the wall clock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from chconsole.core.bootstrap import create_database, open_engine
from chconsole.core.scheduling.host import PassReport
from chconsole.core.storage import lease
from chconsole.ui.main_window import MainWindow
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.messages import MessageBridge
from chconsole.ui.runtime.scheduler_status import SchedulerStatus
from chconsole.ui.runtime.settings import Settings
from chconsole.ui.runtime.tasks import TaskRunner

AT = datetime(2026, 11, 26, 13, 2, tzinfo=UTC)
OTHER = "ops-server:4242:headless"


def _report(**kw: object) -> PassReport:
    fields: dict[str, object] = {"at": AT, "ran": True, "holder": "desk-7:99:console", "error": None,
                                 "next_due": AT + timedelta(minutes=58), "here": True}
    fields.update(kw)
    return PassReport(**fields)  # type: ignore[arg-type]


def _shown(qtbot, status: SchedulerStatus, report: PassReport) -> str:
    """REPORT sent from another thread, as the scheduler sends it; the text once shown."""
    sender = threading.Thread(target=status.report, args=(report,))
    with qtbot.waitSignal(status.passed, timeout=5000):
        sender.start()
    sender.join()
    qtbot.waitUntil(lambda: status.last is report, timeout=5000)
    return status.text()


def test_a_pass_here_says_when_work_is_next_due(qtbot):
    status = SchedulerStatus()
    qtbot.addWidget(status)
    assert _shown(qtbot, status, _report()) == "Scheduler: running here \u00b7 next due 14:00"
    assert "Next due 2026-11-26 14:00 GMT" in status.toolTip()
    tomorrow = _report(next_due=AT + timedelta(days=1, hours=-11))
    assert _shown(qtbot, status, tomorrow) == "Scheduler: running here \u00b7 next due 27 Nov 02:02"
    assert _shown(qtbot, status, _report(next_due=None)) == "Scheduler: running here \u00b7 nothing due"
    assert not status.property("warning")


def test_another_holder_and_a_failure_are_said_plainly(qtbot):
    status = SchedulerStatus()
    qtbot.addWidget(status)
    held = _report(ran=False, here=False, holder=OTHER)
    assert _shown(qtbot, status, held) == "Scheduler: held by ops-server:4242 (headless)"
    failed = _report(ran=False, error="Cannot reach the database postgresql://db/chc: timeout.")
    assert _shown(qtbot, status, failed) == (
        "Scheduler: last pass failed: Cannot reach the database postgresql://db/chc: timeout.")
    assert status.property("warning") is True
    assert "The next heartbeat tries again" in status.toolTip()
    long = _report(ran=False, error="x" * 300)
    assert len(_shown(qtbot, status, long)) < 130 and "x" * 300 in status.toolTip()
    assert _shown(qtbot, status, _report()).startswith("Scheduler: running here")
    assert not status.property("warning")  # back to normal once a pass succeeds


def test_on_a_simulated_clock_the_demo_clock_does_the_work(window: MainWindow):
    assert window.scheduler is None
    assert window.scheduler_status.text() == "Scheduler: the demo clock"


@pytest.fixture
def live_url(tmp_path: Path) -> str:
    """A database on the system clock; alice holds every role."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    create_database(url, "alice").db.dispose()
    return url


@pytest.fixture
def live(live_url: str, tmp_path: Path, qtbot) -> Iterator[Callable[..., MainWindow]]:
    """Console windows on the system-clock database."""
    url = live_url
    made: list[MainWindow] = []

    def open_window(actor: str = "alice") -> MainWindow:
        settings = Settings(QSettings(str(tmp_path / "live.ini"), QSettings.Format.IniFormat))
        w = MainWindow(Console(open_engine(url, actor), TaskRunner(), MessageBridge(), settings))
        qtbot.addWidget(w)
        w.show()
        w.start()
        made.append(w)
        return w

    yield open_window
    for w in made:
        w.close()
        w.console.engine.db.dispose()


def _lease(w: MainWindow) -> lease.LeaseStatus:
    with w.console.engine.db.reading() as s:
        return lease.status(s, datetime.now(UTC))


def test_on_the_system_clock_the_console_runs_the_scheduler_until_closed(live, qtbot, tmp_path):
    w = live()
    qtbot.waitUntil(lambda: w.scheduler_status.text().startswith("Scheduler: running here"), timeout=20_000)
    assert w.scheduler_status.text() == "Scheduler: running here \u00b7 nothing due"
    assert w.scheduler is not None and _lease(w).holder == w.scheduler.holder
    assert w.scheduler.holder.endswith(":console")
    w.statusBar().grab().save(str(tmp_path / "status.png"))
    w.close()
    assert w.scheduler is None and w.scheduler_status.text() == "Scheduler: stopped"
    assert _lease(w).holder is None  # another console or a headless scheduler may take over


def test_a_console_sees_who_else_holds_the_lease(live_url, live, qtbot):
    engine = open_engine(live_url, "alice")  # a headless scheduler got there first
    with engine.db.writing() as s:
        assert lease.acquire(s, OTHER, datetime.now(UTC), timedelta(minutes=3))
    engine.db.dispose()
    w = live()
    qtbot.waitUntil(lambda: w.scheduler_status.last is not None, timeout=20_000)
    assert w.scheduler_status.text() == "Scheduler: held by ops-server:4242 (headless)"
    assert _lease(w).holder == OTHER


def test_a_user_who_may_not_tick_runs_no_scheduler(live_url, live, qtbot):
    engine = open_engine(live_url, "alice")
    engine.admin.add_user("pat", ["panel-secretary"])
    engine.db.dispose()
    w = live("pat")
    qtbot.waitUntil(lambda: w.console.roles is not None, timeout=20_000)
    assert w.scheduler is None
    assert w.scheduler_status.text() == "Scheduler: not run here (your roles may not tick)"
    assert _lease(w).holder is None
