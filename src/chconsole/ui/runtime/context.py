"""What every view is given: the engine, the task runner, the message bridge, settings.

This is the console's composition root's product: app.py builds one Console and hands it
to the main window, which hands it to each view. Nothing else constructs these.

Views never hold a session: a read is a function of the engine (its query desk and the
other desks' reads), run off the GUI thread; a write is a function of the engine that
returns the engine's `Done`, run on the single writer. What a write changed is announced
once, on the GUI thread (`events.changed`), and each view refreshes only when it concerns
what the view shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from chconsole.core.engine.changes import Changes, Done
from chconsole.core.engine.facade import Engine
from chconsole.core.engine.roles import ALLOWED, Action
from chconsole.ui.runtime.messages import Level, MessageBridge
from chconsole.ui.runtime.settings import Settings
from chconsole.ui.runtime.tasks import PAGES, WRITE, Job, Task, TaskContext, TaskRunner

T = TypeVar("T")
Progress = Callable[[int, int | None, str], None]


class ConsoleEvents(QObject):
    """What changed, so each view refreshes only what it shows.

    Signals:
        changed(Changes): what a write (or a scheduler pass) changed, always emitted on the
            GUI thread; each view refreshes only if it concerns what it shows.
    """

    changed = Signal(object)


@dataclass
class Console:
    """The shared services of one console window.

    Attributes:
        engine: The campaign engine, bound to the database and the acting user.
        runner: Where every database and file job runs.
        messages: Where every message for the person goes.
        settings: Preferences and window state.
        events: What changed (one `changed` signal).
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

    def may(self, action: Action) -> bool:
        """Whether the acting user's roles allow ACTION (True while the roles are not read yet:
        the engine decides, and says so in one sentence if not)."""
        if self.roles is None:
            return True
        return bool({r.value for r in ALLOWED[action]} & set(self.roles))

    # -- reading ------------------------------------------------------------------------------
    def reading(self, query: Callable[[Engine], T]) -> Job:
        """A job that asks the engine QUERY (each desk's read opens a session of its own)."""
        engine = self.engine

        def job(_ctx: TaskContext) -> T:
            return query(engine)

        return job

    def read(
        self,
        query: Callable[[Engine], T],
        on_done: Callable[[T], None],
        *,
        label: str,
        lane: str = PAGES,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Task:
        """Run QUERY off the GUI thread; ON_DONE gets its result, errors go to ON_ERROR or the banner."""
        return self.runner.submit(
            self.reading(query), lane=lane, label=label, on_done=on_done,
            on_error=on_error or (lambda exc: self.messages.error(exc, label)),
        )

    # -- writing ------------------------------------------------------------------------------
    def write(
        self,
        change: Callable[[Engine], Done[T]],
        on_done: Callable[[T], None],
        *,
        label: str,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Task:
        """Run one engine change on the single writer; errors go to ON_ERROR or the banner.

        On the GUI thread, what it changed is announced (`events.changed`), then ON_DONE gets
        its value; if its notices could not be written yet, the person is warned."""
        return self.write_tracked(lambda engine, _ctx: change(engine), on_done, label=label, on_error=on_error)

    def write_tracked(
        self,
        change: Callable[[Engine, TaskContext], Done[T]],
        on_done: Callable[[T], None],
        *,
        label: str,
        lane: str = WRITE,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Progress | None = None,
        on_partial: Callable[[Any], None] | None = None,
    ) -> Task:
        """As write(), for a long change that reports progress or partial results and may be
        cancelled through its TaskContext. A report that mostly reads may run on the SCAN
        lane, so the writer stays free for changes."""
        engine = self.engine

        def job(ctx: TaskContext) -> Done[T]:
            done = change(engine, ctx)
            if not isinstance(done, Done):
                raise TypeError(f"a change must return the engine's Done, not {type(done).__name__}")
            return done

        def landed(done: Done[T]) -> None:
            self.announce(done.changes)
            try:
                on_done(done.value)
            finally:
                self._warn_waiting(done.changes)

        return self.runner.submit(
            job, lane=lane, label=label, on_done=landed, on_progress=on_progress, on_partial=on_partial,
            on_error=on_error or (lambda exc: self.messages.error(exc, label)),
        )

    def announce(self, changes: Changes) -> None:
        """Tell every view what changed (on the GUI thread)."""
        self.events.changed.emit(changes)

    def _warn_waiting(self, changes: Changes) -> None:
        """The change succeeded, but its notices are not written yet: say so (once while it
        is the latest message, so the living clock does not repeat it every second)."""
        sentence = changes.notices_waiting
        if sentence and self.messages.last != (Level.WARNING.value, sentence):
            self.messages.warning(sentence)
