"""What every view is given: the engine, the task runner, the message bridge, settings.

This is the console's composition root's product: app.py builds one Console and hands it
to the main window, which hands it to each view. Nothing else constructs these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from sqlalchemy.orm import Session

from chconsole.core.engine.changes import Done
from chconsole.core.engine.facade import Engine
from chconsole.ui.runtime.messages import MessageBridge
from chconsole.ui.runtime.settings import Settings
from chconsole.ui.runtime.tasks import PAGES, WRITE, Job, Task, TaskContext, TaskRunner

T = TypeVar("T")


class ConsoleEvents(QObject):
    """What changed, so each view refreshes only what it shows (every write says what changed).

    Signals:
        changed(Changes): what a write changed; each view refreshes only if it concerns it.
        release_changed(ReleaseInfo): a release was created or moved (notified, revoked...).
        notices_added(): new notices are in the outbox.
    """

    changed = Signal(object)
    release_changed = Signal(object)
    notices_added = Signal()


@dataclass
class Console:
    """The shared services of one console window.

    Attributes:
        engine: The campaign engine, bound to the database and the acting user.
        runner: Where every database and file job runs.
        messages: Where every message for the person goes.
        settings: Preferences and window state.
        roles: The acting user's roles; None until read, empty if not a DCC user.
    """

    engine: Engine
    runner: TaskRunner
    messages: MessageBridge
    settings: Settings
    events: ConsoleEvents = field(default_factory=ConsoleEvents)
    roles: tuple[str, ...] | None = None

    @property
    def actor(self) -> str:
        return self.engine.actor

    def reading(self, query: Callable[[Session], T]) -> Job:
        """A job that runs QUERY in a read session of its own (one session per call)."""

        def job(_ctx: TaskContext) -> T:
            with self.engine.db.reading() as session:
                return query(session)

        return job

    def write(
        self,
        change: Callable[[Engine], T],
        on_done: Callable[[T], None],
        *,
        label: str,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Task:
        """Run one engine change on the single writer; errors go to ON_ERROR or the banner.

        A change that returns `Done` has its `changes` announced (`events.changed`) and its
        value handed to ON_DONE."""

        def job(_ctx: TaskContext) -> T:
            result: Any = change(self.engine)
            if isinstance(result, Done):
                self.events.changed.emit(result.changes)
                return result.value  # type: ignore[no-any-return]
            return result  # type: ignore[no-any-return]

        return self.runner.submit(
            job, lane=WRITE, label=label, on_done=on_done,
            on_error=on_error or (lambda exc: self.messages.error(exc, label)),
        )

    def read(
        self,
        query: Callable[[Session], T],
        on_done: Callable[[T], None],
        *,
        label: str,
        lane: str = PAGES,
    ) -> Task:
        """Run QUERY off the GUI thread; ON_DONE gets its result, errors go to the banner."""
        return self.runner.submit(
            self.reading(query), lane=lane, label=label, on_done=on_done,
            on_error=lambda exc: self.messages.error(exc, label),
        )
