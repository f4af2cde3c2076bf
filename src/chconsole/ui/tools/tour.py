"""`chconsole tour`: the real window once, every view shown in turn, then quit.

The tests run the console offscreen; this is the one check that the window opens on a real
display (CI runs it under Xvfb, where a missing xcb library stops Qt before any window).
Qt's own messages are collected from the start: any about the platform (its plugin, the
display) fails the tour, as does a view that does not show or does not finish loading.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from chconsole.ui.main_window import MainWindow
from chconsole.ui.tools.snapshot import settle

VIEW_TIMEOUT = 30.0  # seconds for one view's reads on a small demo
SERIOUS = (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)


@dataclass
class QtMessages:
    """Qt's warnings and worse, as (category, text), collected from when install() is called."""

    seen: list[tuple[str, str]] = field(default_factory=list)

    def install(self) -> QtMessages:
        qInstallMessageHandler(self._handle)
        return self

    def _handle(self, kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
        if kind in SERIOUS:
            self.seen.append((context.category or "default", text))
            print(f"qt: {context.category or 'default'}: {text}", file=sys.stderr)

    def about_the_platform(self) -> list[str]:
        """The messages saying the platform (plugin, display, window system) went wrong."""
        return [f"{c}: {t}" for c, t in self.seen
                if c.startswith("qt.qpa") or "platform plugin" in t or "xcb" in t.lower()]


def tour(window: MainWindow, say: Callable[[str], None] = print) -> list[str]:
    """Show WINDOW, visit every view, and return what went wrong (nothing: an empty list)."""
    problems: list[str] = []
    window.demo_clock.set_speed(0)  # the same pictures every time, and no writes meanwhile
    window.resize(1280, 800)
    window.show()
    window.start()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    say(f"tour: platform {app.platformName()}, window title {window.windowTitle()!r}")
    deadline = time.monotonic() + VIEW_TIMEOUT
    handle = window.windowHandle()
    while handle is not None and not handle.isExposed() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    if handle is None or not handle.isExposed():
        problems.append("the window was never shown on the screen")
    for n, view in enumerate(window.views):
        started = time.monotonic()
        window.show_view(n)
        try:
            settle(window, timeout=VIEW_TIMEOUT)
        except TimeoutError:
            problems.append(f"{view.title}: still loading after {VIEW_TIMEOUT:.0f} s")
            continue
        shown = window.stack.currentWidget() is view and view.isVisible() and window.nav.currentRow() == n
        picture = view.grab()
        if not shown or picture.isNull() or picture.width() < 200 or picture.height() < 200:
            problems.append(f"{view.title}: not shown")
            continue
        say(f"tour: {view.title} shown ({(time.monotonic() - started) * 1000:.0f} ms)")
    return problems
