"""How a view reads: one read at a time, and only while a person can see it.

A view that re-reads on every change (and on every beat of the living demo clock) must not
pile reads up behind one another: the CoalescingReader runs at most one at a time and,
asked again meanwhile, exactly one more when it ends, with whatever the view wants then.
A view that is not shown does not read at all: WhenShown remembers that it is stale and
reads the next time it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from chconsole.core.engine.facade import Engine
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.tasks import PAGES

T = TypeVar("T")


class WhenShown(QObject):
    """Runs REFRESH now if VIEW is shown, or else the next time it is shown."""

    def __init__(self, view: QWidget, refresh: Callable[[], None]) -> None:
        super().__init__(view)
        self.view = view
        self._refresh = refresh
        self.stale = False
        view.installEventFilter(self)

    def request(self) -> None:
        """The view's data changed: read it again now if shown, else when next shown."""
        if self.view.isVisible():
            self.stale = False
            self._refresh()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.view and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self._refresh()
        return False


class CoalescingReader(Generic[T]):
    """One view's reads: at most one at a time, and one more if asked for meanwhile.

    Args:
        console: Where the reads run (the runner's page lane by default).
        plan: Called at each read, on the GUI thread: the query as the view wants it now
            (so a read asked for during another takes the view's latest choice).
        show: Gets each answer on the GUI thread.
        label: What the read is doing, for the banner if it fails.
        view: The view whose visibility decides refresh_when_shown().
    """

    def __init__(self, console: Console, plan: Callable[[], Callable[[Engine], T]], show: Callable[[T], None],
                 *, label: str, view: QWidget, lane: str = PAGES) -> None:
        self.console = console
        self.plan = plan
        self.show = show
        self.label = label
        self.lane = lane
        self.reading = False
        self._again = False
        self.when_shown = WhenShown(view, self.refresh)

    def refresh(self) -> None:
        """Read now (or, while a read runs, once more when it ends)."""
        if self.reading:
            self._again = True
            return
        self.reading = True
        self.console.read(self.plan(), self._answered, label=self.label, lane=self.lane, on_error=self._failed)

    def refresh_when_shown(self) -> None:
        """Read now if the view is shown, else the next time it is shown."""
        self.when_shown.request()

    def _answered(self, answer: T) -> None:
        try:
            self.show(answer)
        finally:
            self._finished()

    def _failed(self, exc: BaseException) -> None:
        self._finished()
        self.console.messages.error(exc, self.label)

    def _finished(self) -> None:
        self.reading = False
        if self._again:
            self._again = False
            self.refresh()
