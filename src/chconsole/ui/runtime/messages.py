"""The one message bridge: every error or notice a person should read goes through here.

Engine errors (ChconsoleError) already carry one clear sentence, so that sentence is
shown as it is. Anything else is a bug or a broken environment: it is logged with its
traceback and shown as one sentence saying what failed and where the details are.
The banner is not modal, so a failed background job never blocks the window (or a test).
"""

from __future__ import annotations

import logging
from enum import StrEnum

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from chconsole.core.engine.dto import ReportCancelled
from chconsole.core.vocabulary.errors import BadInput, ChconsoleError
from chconsole.ui.runtime.tasks import TaskCancelled

log = logging.getLogger("chconsole.ui")
INFO_SECONDS = 10  # an information line goes away on its own; errors stay until closed


class Level(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


def describe(exc: BaseException, doing: str = "") -> tuple[Level, str]:
    """The level and the sentence a person should see for EXC raised while DOING."""
    if isinstance(exc, TaskCancelled | ReportCancelled):
        return Level.INFO, f"Cancelled{' ' + doing if doing else ''}; nothing was changed."
    if isinstance(exc, ChconsoleError):
        text = str(exc)
        problems = exc.problems if isinstance(exc, BadInput) else []
        if problems:
            more = f" (and {len(problems) - 3:,} more)" if len(problems) > 3 else ""
            text += " " + "; ".join(problems[:3]) + more
        return Level.ERROR, text
    detail = getattr(exc, "chconsole_traceback", None)  # a worker's traceback, kept as text
    if detail:
        log.error("unexpected failure while %s:\n%s", doing or "working", detail)
    else:
        log.error("unexpected failure while %s", doing or "working", exc_info=exc)
    what = f" while {doing}" if doing else ""
    return Level.ERROR, (
        f"Something went wrong{what} ({type(exc).__name__}: {exc}); "
        "nothing further was done, and the details are in the log."
    )


class MessageBridge(QObject):
    """Collects messages from every view and operation; banners and the status bar listen."""

    posted = Signal(str, str)  # level, text

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.last: tuple[str, str] | None = None

    def info(self, text: str) -> None:
        self._post(Level.INFO, text)

    def warning(self, text: str) -> None:
        self._post(Level.WARNING, text)

    def error(self, exc: BaseException, doing: str = "") -> None:
        level, text = describe(exc, doing)
        self._post(level, text)

    def _post(self, level: Level, text: str) -> None:
        self.last = (level.value, text)
        self.posted.emit(level.value, text)


class MessageBanner(QFrame):
    """A strip above the views that shows the latest message, coloured by its level."""

    def __init__(self, bridge: MessageBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("\u2715")
        close.setObjectName("bannerClose")
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 8, 8, 8)
        row.addWidget(self.label, 1)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        bridge.posted.connect(self.show_message)
        self.hide()

    def show_message(self, level: str, text: str) -> None:
        self.setProperty("level", level)
        self.style().unpolish(self)  # re-read the style sheet for the new level
        self.style().polish(self)
        self.label.setText(text)
        self.show()
        self._timer.stop()
        if level == Level.INFO:
            self._timer.start(INFO_SECONDS * 1000)
