"""The task runner: results, errors, progress and partial results arrive on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread

from chconsole.core.vocabulary.errors import BadInput
from chconsole.ui.runtime.messages import Level, describe
from chconsole.ui.runtime.tasks import PAGES, SCAN, WRITE, TaskContext, TaskRunner


@pytest.fixture
def runner(qapp: object) -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.shutdown()


def test_a_result_comes_back_on_the_gui_thread(qtbot, runner: TaskRunner) -> None:
    seen: list[tuple[int, bool, bool]] = []
    gui = QThread.currentThread()

    def job(_ctx: TaskContext) -> tuple[int, bool]:
        return 2**40, QThread.currentThread() is not gui  # counts beyond 32 bits survive

    runner.submit(job, on_done=lambda r: seen.append((r[0], r[1], QThread.currentThread() is gui)))
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(2**40, True, True)]
    assert not runner.busy


def test_an_error_goes_to_its_handler_or_to_failed(qtbot, runner: TaskRunner) -> None:
    errors: list[BaseException] = []

    def boom(_ctx: TaskContext) -> None:
        raise BadInput("That release does not exist.")

    runner.submit(boom, on_error=errors.append)
    with qtbot.waitSignal(runner.failed) as failed:
        runner.submit(boom)
    assert str(errors[0]) == "That release does not exist."
    assert isinstance(failed.args[1], BadInput)


def test_progress_and_partial_results_arrive_before_the_end(qtbot, runner: TaskRunner) -> None:
    events: list[tuple[str, object]] = []

    def job(ctx: TaskContext) -> str:
        ctx.progress(10, 10, "all")  # the last step always gets through the throttle
        ctx.partial([1, 2])
        return "done"

    runner.submit(job, lane=SCAN, on_progress=lambda d, t, txt: events.append(("progress", (d, t, txt))),
                  on_partial=lambda p: events.append(("partial", p)),
                  on_done=lambda r: events.append(("done", r)))
    qtbot.waitUntil(lambda: ("done", "done") in events)
    assert events == [("progress", (10, 10, "all")), ("partial", [1, 2]), ("done", "done")]


def test_a_cancelled_job_that_has_not_started_never_runs(qtbot, runner: TaskRunner) -> None:
    gate = threading.Event()
    ran: list[str] = []
    runner.submit(lambda _ctx: gate.wait(5), lane=WRITE)
    queued = runner.submit(lambda _ctx: ran.append("ran"), lane=WRITE, on_done=lambda _r: ran.append("done"))
    queued.cancel()
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy)
    assert ran == []


def test_lanes_are_independent(qtbot, runner: TaskRunner) -> None:
    """A long write does not hold up a page read: they run on different threads."""
    gate = threading.Event()
    done: list[str] = []
    runner.submit(lambda _ctx: gate.wait(5), lane=WRITE, on_done=lambda _r: done.append("write"))
    runner.submit(lambda _ctx: "page", lane=PAGES, on_done=done.append)
    qtbot.waitUntil(lambda: done == ["page"])
    gate.set()
    qtbot.waitUntil(lambda: done == ["page", "write"])


def test_a_broken_handler_is_reported_not_lost(qtbot, runner: TaskRunner) -> None:
    with qtbot.waitSignal(runner.failed) as failed:
        runner.submit(lambda _ctx: 1, on_done=lambda _r: [][0])
    assert isinstance(failed.args[1], IndexError)


def test_messages_say_one_clear_sentence(caplog: pytest.LogCaptureFixture) -> None:
    assert describe(BadInput("Release 9 does not exist.")) == (Level.ERROR, "Release 9 does not exist.")
    level, text = describe(KeyError("x"), "notifying release 2")
    assert level == Level.ERROR
    assert text.startswith("Something went wrong while notifying release 2 (KeyError")
    assert "unexpected failure" in caplog.text  # the traceback went to the log


def test_another_thread_waits_for_its_job_on_the_writer(qtbot, runner: TaskRunner) -> None:
    """call(): the scheduler's way onto the one writer; the answer (or the error) comes back
    to the calling thread, and the job takes its turn behind the console's own writes."""
    order: list[str] = []
    gate = threading.Event()
    runner.submit(lambda _ctx: (gate.wait(5), order.append("console's write")), lane=WRITE)
    answers: list[object] = []

    def scheduler() -> None:
        answers.append(runner.call(lambda _ctx: (order.append("pass"), QThread.currentThread().objectName())[1]))
        try:
            runner.call(lambda _ctx: (_ for _ in ()).throw(BadInput("The lease was lost.")))
        except BadInput as exc:
            answers.append(str(exc))

    thread = threading.Thread(target=scheduler)
    thread.start()
    gate.set()  # the console's write ends; the pass, queued behind it, runs next
    thread.join(10)  # no GUI event is needed for the scheduler's answer
    assert not thread.is_alive()
    qtbot.waitUntil(lambda: not runner.busy)
    assert order == ["console's write", "pass"]
    assert answers == ["chconsole-write", "The lease was lost."]


def test_the_gui_thread_may_not_wait_on_a_lane(runner: TaskRunner) -> None:
    with pytest.raises(RuntimeError, match="would block the GUI thread"):
        runner.call(lambda _ctx: 1)


def test_a_stopped_runner_refuses_to_wait(qapp: object) -> None:
    from chconsole.ui.runtime.tasks import TaskCancelled

    stopped = TaskRunner()
    stopped.shutdown()
    failures: list[BaseException] = []

    def scheduler() -> None:
        try:
            stopped.call(lambda _ctx: 1)
        except TaskCancelled as exc:
            failures.append(exc)

    thread = threading.Thread(target=scheduler)
    thread.start()
    thread.join(10)
    assert len(failures) == 1
