"""The main window: navigation, toolbar, the views, and a status bar that says where you are.

The status bar always shows the database, the acting user and the clock (a simulated
clock says so), because acting on the wrong database or as the wrong user is the
mistake an operator console must make hard. On a simulated clock the toolbar also shows
the living demo clock (runtime/demo_clock.py): time moves while the console is open. On
the system clock the console hosts the scheduler, whose passes write through the task
runner's one writer and count as a change to everything, like a beat of the demo clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.changes import EVERYTHING
from chconsole.core.engine.dto import UserInfo
from chconsole.core.scheduling.host import PassReport, Scheduler
from chconsole.core.vocabulary.london import show
from chconsole.ui.admin.view import AdminView
from chconsole.ui.batches.view import BatchControlView
from chconsole.ui.batches.widgets import batch_icon
from chconsole.ui.common.widgets import icon
from chconsole.ui.dashboard.view import DashboardView
from chconsole.ui.estate.view import EstateView
from chconsole.ui.identity import database_name, marker, window_title
from chconsole.ui.incidents.demo_scene import IncidentScene
from chconsole.ui.incidents.view import IncidentsView
from chconsole.ui.outbox.view import OutboxView
from chconsole.ui.pilots.view import PilotTrackingView, pilot_icon
from chconsole.ui.releases.view import ReleasesView
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.demo_clock import TICK_LABEL, DemoClock, may_tick
from chconsole.ui.runtime.emergency_stop import EmergencyStop
from chconsole.ui.runtime.halts import HaltBanner, HaltWatch
from chconsole.ui.runtime.messages import MessageBanner
from chconsole.ui.runtime.scheduler_status import SchedulerStatus
from chconsole.ui.runtime.settings import LAST_VIEW, WINDOW_GEOMETRY, WINDOW_STATE
from chconsole.ui.runtime.tasks import STOP, WRITE, Task
from chconsole.ui.sidebar import build_sidebar

log = logging.getLogger("chconsole.ui")
CLOCK_EVERY_MS = 30_000
VIEW_ICONS = ("dashboard", "estate", "releases", "pilot", "batches", "incidents", "outbox", "admin")
View = (DashboardView | EstateView | ReleasesView | PilotTrackingView | BatchControlView | IncidentsView | OutboxView
        | AdminView)


class MainWindow(QMainWindow):
    """The console window: one view per job, chosen on the left. DEMO: the database is a demo
    the console built (its title and a marker say so)."""

    def __init__(self, console: Console, demo: bool = False) -> None:
        super().__init__()
        self.console = console
        self.demo = demo
        self.setWindowTitle(window_title(console.engine.where(), demo, console.engine.clock.is_simulated))
        self.setWindowIcon(icon("chconsole"))
        self.setMinimumSize(1100, 680)

        self.dashboard = DashboardView(console)
        self.estate = EstateView(console)
        self.releases = ReleasesView(console)
        self.pilot = PilotTrackingView(console)
        self.batch_control = BatchControlView(console)
        self.incidents = IncidentsView(console)
        self.outbox = OutboxView(console)
        self.admin = AdminView(console)
        # Each view follows the console's changes itself (console.events.changed), re-reading
        # only what concerns it, at once if shown and otherwise when next shown.
        self.views: list[View] = [self.dashboard, self.estate, self.releases, self.pilot, self.batch_control,
                                  self.incidents, self.outbox, self.admin]
        self._loaded: set[int] = set()
        self._closing_anyway = False
        self.scheduler: Scheduler | None = None  # only on a system clock, once the roles are known

        drawn = {"pilot": pilot_icon(), "batches": batch_icon()}
        side, self.nav = build_sidebar([(drawn.get(name) or icon(name), view.title)
                                        for view, name in zip(self.views, VIEW_ICONS, strict=True)])

        self.stack = QStackedWidget()
        for view in self.views:
            self.stack.addWidget(view)
        self.banner = MessageBanner(console.messages)
        # Every view says so while a release is suspended or paused, linking to its incident.
        self.halt_banner = HaltBanner()
        self.halt_banner.incident_wanted.connect(self.open_incident)
        self.halts = HaltWatch(console, self)
        self.halts.read.connect(self.halt_banner.show_page)
        main = QWidget()
        main.setObjectName("mainArea")
        main_box = QVBoxLayout(main)
        main_box.setContentsMargins(0, 0, 0, 0)
        main_box.setSpacing(0)
        main_box.addWidget(self.halt_banner)
        main_box.addWidget(self.banner)
        main_box.addWidget(self.stack, 1)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(side)
        row.addWidget(main, 1)
        self.setCentralWidget(central)

        self._build_toolbar()
        self._build_status_bar()
        for n in range(len(self.views)):
            QShortcut(QKeySequence(f"Ctrl+{n + 1}"), self, lambda n=n: self.show_view(n))
        self.nav.currentRowChanged.connect(self._view_chosen)
        # Empty states elsewhere lead here: no hubs yet, or an empty CPL.
        self.estate.import_wanted.connect(lambda: self._administer(self.admin.import_extract))
        self.releases.cpl_wanted.connect(lambda: self._administer(self.admin.add_cpl_entry))
        console.runner.failed.connect(lambda task, exc: console.messages.error(exc, task.label))
        console.runner.task_submitted.connect(self._activity)
        console.runner.task_finished.connect(self._activity)

        self._clock_timer = QTimer(self)
        self._clock_timer.timeout.connect(self.read_clock)
        self._clock_timer.start(CLOCK_EVERY_MS)
        self._restore()

    # -- chrome ---------------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        bar = QToolBar("Main")
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setIconSize(QSize(18, 18))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.refresh_action = QAction(icon("refresh"), "Refresh", self)
        self.refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_action.setToolTip("Read the current view again (F5)")
        self.refresh_action.triggered.connect(self.refresh_current)
        self.find_action = QAction(icon("search"), "Find hub", self)
        self.find_action.setShortcut(QKeySequence("Ctrl+F"))
        self.find_action.setToolTip("Search the estate by GUID (Ctrl+F)")
        self.find_action.triggered.connect(self.find_hub)
        self.new_release_action = QAction(icon("add"), "New release\u2026", self)
        self.new_release_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_release_action.setToolTip("Draft a firmware release (Ctrl+N)")
        self.new_release_action.triggered.connect(self.releases.operations.new_release)
        # The emergency stop: on every view, red, first (a narrow window hides a toolbar's last items).
        self.emergency_stop = EmergencyStop(self.console, self.halts, self, self.shown_release)
        bar.addAction(self.emergency_stop.action)
        self.stop_button = bar.widgetForAction(self.emergency_stop.action)
        self.stop_button.setObjectName("emergencyStop")
        bar.addSeparator()
        for action in (self.refresh_action, self.find_action, self.new_release_action):
            bar.addAction(action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.marker = marker(self.demo, self.console.engine.clock.is_simulated)
        if self.marker is not None:
            bar.addWidget(self.marker)
        # The living demo: play an incident, and the clock (a simulated-clock database only).
        self.incident_scene = IncidentScene(self.console, self, self.open_incident)
        bar.addAction(self.incident_scene.action)
        self.demo_clock = DemoClock(self.console)
        self.demo_clock.moved.connect(self._clock_moved)
        self.demo_clock_action = bar.addWidget(self.demo_clock)
        self.demo_clock_action.setVisible(self.demo_clock.available)  # a toolbar hides actions, not widgets
        self.toolbar = bar
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        status.setSizeGripEnabled(False)
        self.activity_label = QLabel()
        self.activity_label.setObjectName("activity")
        url = self.console.engine.where()
        # The file (or host/database) is enough to tell databases apart; the tooltip has it all.
        self.database_label = QLabel(f"Database: {database_name(url)}")
        self.database_label.setToolTip(url)
        self.user_label = QLabel(f"User: {self.console.actor}")
        self.clock_label = QLabel("Clock: \u2026")
        for label in (self.database_label, self.user_label, self.clock_label):
            label.setObjectName("statusItem")
        self.scheduler_status = SchedulerStatus()
        if self.demo_clock.available:
            self.scheduler_status.simulated()
        status.addWidget(self.activity_label, 1)
        status.addPermanentWidget(self.database_label)
        status.addPermanentWidget(self.user_label)
        status.addPermanentWidget(self.clock_label)
        status.addPermanentWidget(self.scheduler_status)

    def _activity(self, _task: Task) -> None:
        """Say what the writer is doing: a change or a report may take minutes on a big estate."""
        writing = self._writing()
        if not writing:
            self.activity_label.setText("")
            return
        label = writing[0].label or "working"
        more = f" (and {len(writing) - 1} more)" if len(writing) > 1 else ""
        self.activity_label.setText(f"{label[0].upper()}{label[1:]}\u2026{more}")

    def _writing(self) -> list[Task]:
        """The open changes (the emergency stop's first); the living clock's ticks are not news to anyone."""
        runner = self.console.runner
        return [t for t in runner.open_tasks(STOP) + runner.open_tasks(WRITE) if t.label != TICK_LABEL]

    # -- views --------------------------------------------------------------------------------------
    def show_view(self, n: int) -> None:
        self.nav.setCurrentRow(n)

    def current_view(self) -> View:
        return self.views[self.stack.currentIndex()]

    def _view_chosen(self, n: int) -> None:
        if not 0 <= n < len(self.views):
            return
        self.stack.setCurrentIndex(n)
        self.console.settings.set(LAST_VIEW, n)
        if n not in self._loaded:  # each view reads its data the first time it is shown
            self._loaded.add(n)
            self.views[n].refresh()

    def _administer(self, ask: Callable[[], None]) -> None:
        """Show the administration view and ASK there (import an extract, add a CPL entry)."""
        self.show_view(self.views.index(self.admin))
        ask()

    def refresh_current(self) -> None:
        self.current_view().refresh()
        self.read_clock()

    def find_hub(self) -> None:
        self.show_view(self.views.index(self.estate))
        self.estate.focus_search()

    def open_incident(self, incident_id: int | None, release_id: int | None = None) -> None:
        """Show the Incidents view on an incident (or on its release's, or to raise one)."""
        self.show_view(self.views.index(self.incidents))
        if incident_id is not None:
            self.incidents.show_incident(incident_id)
        elif release_id is not None:
            self.incidents.show_release(release_id)

    def shown_release(self) -> int | None:
        """The release the current view shows, if it shows one (the emergency stop's default)."""
        view = self.current_view()
        if view is self.releases:
            return self.releases.selected_id()
        if view is self.incidents:
            return self.incidents.shown_release()
        if view is self.pilot or view is self.batch_control:
            shown = view.release()
            return shown.id if shown is not None else None
        return None

    # -- who, where, when ------------------------------------------------------------------------------
    def start(self) -> None:
        """Read who the user is and what time it is; show the last view used."""
        self.console.read(lambda e: e.admin.users(), self._on_users, label="reading the users")
        self.read_clock()
        self.halts.refresh()
        self.show_view(min(max(self.console.settings.get(LAST_VIEW), 0), len(self.views) - 1))

    def _on_users(self, users: list[UserInfo]) -> None:
        me = next((u for u in users if u.name == self.console.actor), None)
        self.console.roles = me.roles if me else ()
        self.demo_clock.start(self.console.roles)
        self.incidents.roles_known()
        self.admin.roles_known()
        self.outbox.roles_known()
        self._start_scheduler()
        if me is None:
            self.user_label.setText(f"User: {self.console.actor} (not a DCC user here)")
            self.user_label.setProperty("warning", True)
            self.user_label.style().unpolish(self.user_label)
            self.user_label.style().polish(self.user_label)
            self.console.messages.warning(
                f"{self.console.actor} is not a DCC user of this database: you can look around, but "
                f"every change will be refused. An administrator can add you with "
                f"'chconsole user add {self.console.actor} --role release-manager'.")
        else:
            self.user_label.setText(f"User: {me.name}")
            self.user_label.setToolTip(f"{me.name}: {', '.join(me.roles)}")

    def _start_scheduler(self) -> None:
        """On the system clock, this console does due work (under the lease) while it is open.

        A simulated clock is moved, and its due work done, by the demo clock instead."""
        if self.demo_clock.available or self.scheduler is not None:
            return
        if not may_tick(self.console.roles):
            self.scheduler_status.not_allowed()
            return
        self.scheduler = Scheduler(self.console.engine, role="console", on_pass=self.scheduler_status.report,
                                   writer=self._write_due)
        self.scheduler_status.passed.connect(self._scheduler_passed)  # queued: from the scheduler's thread
        self.scheduler_status.starting()
        self.scheduler.start()

    def _write_due(self, work: Callable[[], object]) -> object:
        """The scheduler's pass, on the console's one writer: this (scheduler) thread waits
        for it there and hears its error, so a pass and a user's change never write at once."""
        return self.console.runner.call(lambda _ctx: work(), lane=WRITE)

    def _scheduler_passed(self, report: PassReport) -> None:
        """Due work was done here: anything the views show may have moved on."""
        if report.ran:
            self._on_clock(report.at)
            self.console.announce(EVERYTHING)

    def read_clock(self) -> None:
        self.console.read(lambda e: e.now(), self._on_clock, label="reading the clock",
                          on_error=lambda exc: log.warning("clock: %s", exc))

    def _on_clock(self, now: datetime) -> None:
        simulated = self.console.engine.clock.is_simulated
        self.clock_label.setText(f"Clock: {show(now)}" + (" (simulated)" if simulated else ""))
        if simulated:
            self.demo_clock.show_time(now)

    def _clock_moved(self, now: datetime) -> None:
        """The living clock ticked (its change, EVERYTHING, has reached the views already)."""
        self._on_clock(now)

    # -- window state ------------------------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.console.settings.get(WINDOW_GEOMETRY)
        if geometry.isEmpty():
            self.resize(1440, 900)
        else:
            self.restoreGeometry(geometry)
        state = self.console.settings.get(WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        writing = self._writing()
        if writing and not self._closing_anyway:
            # Closing would wait for it anyway; saying so beats a window that seems hung.
            event.ignore()
            self._closing_anyway = True  # a second attempt closes (after the change finishes)
            self.console.messages.warning(
                f"Still {writing[0].label}: the window closes once it has finished. "
                "Close again to wait for it.")
            return
        self.console.settings.set(WINDOW_GEOMETRY, self.saveGeometry())
        self.console.settings.set(WINDOW_STATE, self.saveState())
        self.console.settings.sync()
        self._clock_timer.stop()
        self.demo_clock.stop()
        if self.scheduler is not None:  # waits for a pass under way, then frees the lease
            self.scheduler.shutdown()
            self.scheduler = None
            self.scheduler_status.stopped()
        self.console.runner.shutdown()
        super().closeEvent(event)
