"""The living demo clock: on a simulated-clock database, time moves while the console is open.

Every second the clock asks the engine to tick forward by the chosen speed, on the single
writer, so the simulated network's results arrive, hubs move on and notices go out as a
person watches. Each tick goes through Console.write, so the views hear that everything
may have changed, as after a scheduler pass. A beat is skipped while the previous tick is still running (a day's tick
on a big estate can take longer than a second), and the first failure pauses the clock
and says why, rather than repeating the error every second.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from chconsole.core.engine.roles import ALLOWED, Action
from chconsole.core.vocabulary.london import show
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.settings import CLOCK_SPEED
from chconsole.ui.runtime.tasks import Task

BEAT_MS = 1000
TICK_LABEL = "moving the simulated clock"
HOUR = 3600
SPEEDS = ((0, "Paused"), (HOUR, "1 hour per second"), (6 * HOUR, "6 hours per second"),
          (24 * HOUR, "1 day per second"))
STYLE = ("QLabel#simulatedTime { font-weight: 600; color: #7a4f00; background: #fff5df; "
         "border: 1px solid #edd49a; border-radius: 5px; padding: 3px 8px; }"
         "QLabel#clockCaption { color: #5b6673; }")


def may_tick(roles: tuple[str, ...] | None) -> bool:
    return bool(roles) and bool({r.value for r in ALLOWED[Action.TICK]} & set(roles or ()))


class DemoClock(QWidget):
    """The toolbar's simulated time and speed selector; hidden on a system-clock database.

    Signals:
        moved(datetime): the simulated clock moved to this time (views may re-read).
    """

    moved = Signal(object)

    def __init__(self, console: Console, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.console = console
        self.setObjectName("demoClock")
        self.setStyleSheet(STYLE)
        self.available = bool(console.engine.clock.is_simulated)
        self.task: Task | None = None
        self.skipped = 0  # beats skipped because the previous tick was still running
        caption = QLabel("Simulated time")
        caption.setObjectName("clockCaption")
        self.time_label = QLabel("\u2026")
        self.time_label.setObjectName("simulatedTime")
        self.time_label.setToolTip("This database runs on a simulated clock; nothing here is live.")
        self.speed = QComboBox()
        self.speed.setObjectName("clockSpeed")
        for seconds, title in SPEEDS:
            self.speed.addItem(title, seconds)
        saved = console.settings.get(CLOCK_SPEED)
        index = self.speed.findData(saved)
        self.speed.setCurrentIndex(index if index >= 0 else 1)
        self.speed.setToolTip("How fast simulated time passes while the console is open")
        self.speed.activated.connect(lambda _i: console.settings.set(CLOCK_SPEED, self.seconds()))
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 0, 4, 0)
        row.setSpacing(8)
        row.addWidget(caption)
        row.addWidget(self.time_label)
        row.addWidget(self.speed)
        self.timer = QTimer(self)
        self.timer.setInterval(BEAT_MS)
        self.timer.timeout.connect(self.beat)
        self.setVisible(self.available)
        self.setEnabled(False)  # until the user's roles are known

    def seconds(self) -> int:
        return int(self.speed.currentData() or 0)

    def set_speed(self, seconds: int) -> None:
        index = self.speed.findData(seconds)
        if index >= 0:
            self.speed.setCurrentIndex(index)
            self.console.settings.set(CLOCK_SPEED, seconds)

    def start(self, roles: tuple[str, ...] | None) -> None:
        """Run the clock if the database has a simulated one and the user may move it."""
        if not self.available:
            return
        allowed = may_tick(roles)
        self.setEnabled(allowed)
        self.speed.setToolTip("How fast simulated time passes while the console is open" if allowed else
                              "Moving the simulated clock needs the operator, release manager or "
                              "administrator role.")
        if allowed:
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def show_time(self, now: datetime) -> None:
        self.time_label.setText(show(now))

    def beat(self) -> None:
        step = self.seconds()
        if step <= 0:
            return
        if self.task is not None and not self.task.finished:
            self.skipped += 1
            return
        self.task = self.console.write(lambda e: e.time.tick(e.now() + timedelta(seconds=step)), self._moved,
                                       label=TICK_LABEL, on_error=self._failed)

    def _moved(self, now: datetime) -> None:
        self.show_time(now)
        self.moved.emit(now)

    def _failed(self, exc: BaseException) -> None:
        self.speed.setCurrentIndex(self.speed.findData(0))  # for now: the saved speed stays
        self.console.messages.error(exc, "moving the simulated clock (now paused)")
