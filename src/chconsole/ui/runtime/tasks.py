"""The task runner: every database and file job runs here, never on the GUI thread.

One runner owns a few *lanes*, each a single worker thread that runs its jobs one at a
time, in order:

- ``WRITE``, the single writer: every engine call, every change and every file. One
  writer means two of the console's own changes can never race for the database lock.
- ``PAGES``: short reads the screen is waiting for (an estate page, one hub, a list).
  They must not queue behind a 40-second report, hence a lane of their own.
- ``SCAN``: long reads, counting and listing a filter's matches over millions of hubs.
- ``STOP``: the emergency stop alone. It must take effect while a long change holds the
  writer (DOMAIN.md R6: before any further command leaves), so it never queues behind
  one; the engine's stop is safe beside other writers (it steps in between a dispatch's
  transactions).

Each job opens its own session through the engine (one per call), so no SQLAlchemy
session ever crosses a thread. Another thread (the scheduler's) hands its work to a lane
with call(), which waits there for the answer: so the console's one writer is really one. Results, errors, progress and partial results come back
to the GUI thread by queued signal, always as ``object`` so counts and ids above 2**31
survive the trip.

Qt objects must die on the GUI thread. So a worker never holds the last reference to
anything a job captured (the GUI side keeps the job until its answer has arrived), and
while a runner lives, Python's cyclic garbage collector runs on the GUI thread only.
"""

from __future__ import annotations

import gc
import itertools
import logging
import queue
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

log = logging.getLogger("chconsole.ui.runtime.tasks")

WRITE = "write"
PAGES = "pages"
SCAN = "scan"
STOP = "stop"
LANES = (WRITE, PAGES, SCAN, STOP)
_PROGRESS_EVERY = 0.1  # seconds; a report calls back per chunk, the screen needs far fewer
_GC_EVERY_MS = 5_000
Emit = Callable[[int, str, Any], None]


class TaskCancelled(Exception):
    """Raised inside a job that noticed it was cancelled and stopped."""


@dataclass(eq=False)
class Task:
    """A handle on one submitted job: its label, and a way to cancel it."""

    id: int
    label: str
    lane: str
    job: Callable[[TaskContext], Any] | None = None
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[BaseException], None] | None = None
    on_progress: Callable[[int, int | None, str], None] | None = None
    on_partial: Callable[[Any], None] | None = None
    finished: bool = False
    cancel_event: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        """Ask the job to stop; a job not yet started never runs, and no callback fires."""
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()


class TaskContext:
    """What a running job may use: report progress, hand over partial results, check cancel."""

    def __init__(self, task_id: int, cancel: threading.Event, emit: Emit) -> None:
        self._id = task_id
        self._cancel = cancel
        self._emit = emit
        self._last = 0.0

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise TaskCancelled if the job was cancelled."""
        if self._cancel.is_set():
            raise TaskCancelled()

    def progress(self, done: int, total: int | None = None, text: str = "") -> None:
        now = time.monotonic()
        if now - self._last >= _PROGRESS_EVERY or (total is not None and done >= total):
            self._last = now
            self._emit(self._id, "progress", (done, total, text))

    def partial(self, value: Any) -> None:
        self._emit(self._id, "partial", value)


Job = Callable[[TaskContext], Any]


def _detach(exc: BaseException) -> BaseException:
    """Keep the traceback as text and drop its frames (they hold the job's locals)."""
    exc.chconsole_traceback = "".join(traceback.format_exception(exc))  # type: ignore[attr-defined]
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        link.__traceback__ = None
        link = link.__cause__ or link.__context__
    return exc


class _Lane(QThread):
    """One worker thread running its queue's jobs in order."""

    def __init__(self, name: str, emit: Emit) -> None:
        super().__init__()
        self.setObjectName(f"chconsole-{name}")
        self.jobs: queue.Queue[tuple[int, threading.Event, Job, threading.Event | None] | None] = queue.Queue()
        self._emit = emit

    def run(self) -> None:
        while (item := self.jobs.get()) is not None:
            task_id, cancel, job, ended = item
            item = None
            result: Any = None
            if cancel.is_set():
                kind = "cancelled"
            else:
                ctx: TaskContext | None = TaskContext(task_id, cancel, self._emit)
                try:
                    result, kind = job(ctx), "done"  # type: ignore[arg-type]
                except TaskCancelled:
                    kind = "cancelled"
                except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI
                    result, kind = _detach(exc), "error"
                ctx = None
            # Let go of the job before answering: the GUI side must hold the last reference.
            job = None  # type: ignore[assignment]
            self._emit(task_id, kind, result)
            result = None
            if ended is not None:
                ended.set()
                ended = None


class _GuiThreadCollector:
    """Runs cyclic garbage collection on the GUI thread only, while any runner is alive.

    A cycle holding a Qt object, collected on a worker thread, would destroy that object
    on the wrong thread (a crash). Anki does the same for the same reason.
    """

    users = 0
    was_enabled = True

    @classmethod
    def acquire(cls) -> None:
        if cls.users == 0:
            cls.was_enabled = gc.isenabled()
            gc.disable()
        cls.users += 1

    @classmethod
    def release(cls) -> None:
        cls.users -= 1
        if cls.users == 0:
            gc.collect()
            if cls.was_enabled:
                gc.enable()


class TaskRunner(QObject):
    """Runs jobs on the lanes and calls their handlers back on the GUI thread.

    Signals:
        failed(task, exception): a job failed and had no on_error handler of its own.
        busy_changed(bool): whether any job is queued or running.
        task_submitted(task) / task_finished(task): a job was queued / ended, however it
            ended (the status bar's activity line; tests wait on these).
    """

    failed = Signal(object, object)
    task_submitted = Signal(object)
    busy_changed = Signal(bool)
    task_finished = Signal(object)
    _delivered = Signal(int, str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._open: dict[int, Task] = {}
        self._delivered.connect(self._deliver)
        _GuiThreadCollector.acquire()
        self._gc = QTimer(self)
        self._gc.timeout.connect(gc.collect)
        self._gc.start(_GC_EVERY_MS)
        self._running = True
        self._lanes = {name: _Lane(name, self._delivered.emit) for name in LANES}
        for lane in self._lanes.values():
            lane.start()

    @property
    def busy(self) -> bool:
        return bool(self._open)

    def pending(self, lane: str | None = None) -> int:
        """How many jobs are queued or running (on LANE, or on any lane)."""
        return len(self.open_tasks(lane))

    def open_tasks(self, lane: str | None = None) -> list[Task]:
        """Jobs queued or running (on LANE, or on any lane), oldest (the running one) first."""
        return [t for t in self._open.values() if lane is None or t.lane == lane]

    def submit(
        self,
        job: Job,
        *,
        lane: str = WRITE,
        label: str = "",
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int | None, str], None] | None = None,
        on_partial: Callable[[Any], None] | None = None,
    ) -> Task:
        """Queue JOB on LANE; the handlers run later on the GUI thread."""
        task = Task(next(self._ids), label, lane, job, on_done, on_error, on_progress, on_partial)
        if not self._running:
            task.cancel()
            return task
        was_busy = self.busy
        self._open[task.id] = task
        self._lanes[lane].jobs.put((task.id, task.cancel_event, job, None))
        self.task_submitted.emit(task)
        if not was_busy:
            self.busy_changed.emit(True)
        return task

    def call(self, job: Callable[[TaskContext], Any], *, lane: str = WRITE) -> Any:
        """Run JOB on LANE, in turn with the console's own jobs, and wait for it here.

        For threads other than the GUI thread (the scheduler's): returns JOB's result or
        raises its error on the calling thread. Nothing comes back to the GUI thread and no
        handler runs there, so a GUI thread that is itself waiting (closing the window while
        a pass runs) cannot deadlock it. Raises TaskCancelled if the runner has stopped.
        """
        if QThread.currentThread() is self.thread():
            raise RuntimeError("TaskRunner.call() would block the GUI thread; submit() the job instead")
        if not self._running:
            raise TaskCancelled()
        outcome: list[tuple[bool, Any]] = []

        def run(ctx: TaskContext) -> None:
            try:
                outcome.append((True, job(ctx)))
            except BaseException as exc:  # noqa: BLE001 - raised again on the calling thread
                outcome.append((False, exc))

        ended = threading.Event()
        # Not one of the open tasks: its answer is the caller's, and the GUI side ignores it.
        worker = self._lanes[lane]
        worker.jobs.put((next(self._ids), threading.Event(), run, ended))
        while not ended.wait(0.5):
            if worker.isFinished():  # the runner stopped before this job's turn came
                break
        if not outcome:
            raise TaskCancelled()
        ok, value = outcome[0]
        if not ok:
            raise value
        return value

    @Slot(int, str, object)
    def _deliver(self, task_id: int, kind: str, payload: Any) -> None:
        task = self._open.get(task_id)
        if task is None:
            return
        if kind in ("progress", "partial"):
            if not task.cancelled:
                if kind == "progress" and task.on_progress is not None:
                    self._call(task, task.on_progress, *payload)
                elif kind == "partial" and task.on_partial is not None:
                    self._call(task, task.on_partial, payload)
            return
        task.finished = True
        del self._open[task_id]
        if kind == "done" and not task.cancelled and task.on_done is not None:
            self._call(task, task.on_done, payload)
        elif kind == "error" and not task.cancelled:
            if task.on_error is None:
                self.failed.emit(task, payload)
            else:
                self._call(task, task.on_error, payload)
        task.job = None
        self.task_finished.emit(task)
        if not self._open:
            self.busy_changed.emit(False)

    def _call(self, task: Task, handler: Callable[..., None], *args: Any) -> None:
        try:
            handler(*args)
        except Exception as exc:  # noqa: BLE001 - a broken handler is reported, not lost
            self.failed.emit(task, exc)

    def shutdown(self) -> None:
        """Cancel what has not started, let running jobs finish, and stop the threads."""
        if not self._running:
            return
        self._running = False
        for task in self._open.values():
            task.cancel()
        for lane in self._lanes.values():
            lane.jobs.put(None)
        for lane in self._lanes.values():
            lane.wait()
        self._open.clear()
        self._gc.stop()
        _GuiThreadCollector.release()
