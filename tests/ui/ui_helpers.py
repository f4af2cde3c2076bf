"""Helpers shared by the console's tests (fixtures live in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QDialog

from chconsole.ui.common import dialogs

Settle = Callable[..., None]
PAGES_THREAD = "chconsole-pages"  # the runner's lane for the reads a view is waiting for
WRITE_THREAD = "chconsole-write"  # the runner's one writer


class Answers:
    """Stands in for the person answering dialogs: records each and runs a reply."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: list[QDialog] = []
        self.reply: Callable[[QDialog], bool] = lambda _d: True
        monkeypatch.setattr(dialogs, "run_dialog", self._run)

    def _run(self, dialog: QDialog) -> bool:
        self.seen.append(dialog)
        return self.reply(dialog)


class Calls:
    """Records every call one engine desk method gets, and the thread it came on; the call
    is still made. Desks call their own reads too (a write reads back what it made), so
    reads() keeps only the calls a view made through the runner's page lane."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, desk: object, name: str) -> None:
        self.seen: list[tuple[tuple[Any, ...], dict[str, Any], str]] = []
        real = getattr(desk, name)

        def spy(*args: Any, **kwargs: Any) -> Any:
            self.seen.append((args, kwargs, QThread.currentThread().objectName()))
            return real(*args, **kwargs)

        monkeypatch.setattr(desk, name, spy)

    def reads(self) -> list[tuple[Any, ...]]:
        """The arguments of each call a view's read made."""
        return [args for args, _kw, thread in self.seen if thread == PAGES_THREAD]

    def clear(self) -> None:
        self.seen.clear()


def change(console: Any, settle: Settle, write: Callable[[Any], Any]) -> Any:
    """Make one change through Console.write, as a view's operation would, and wait until
    it and every read it set off are done; returns the change's value."""
    got: list[Any] = []
    console.write(write, got.append, label="a change in a test")
    settle(lambda: bool(got))
    return got[0]


def only_the_view_reads(window: Any) -> None:
    """Let the view under test be the only one that follows changes on the page lane: the
    window's halt watch (tests/ui/runtime/test_halts.py) re-reads changed releases too."""
    window.console.events.changed.disconnect(window.halts.on_changes)
