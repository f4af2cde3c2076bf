"""Helpers shared by the console's tests (fixtures live in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QDialog

from chconsole.ui.common import dialogs

Settle = Callable[..., None]


class Answers:
    """Stands in for the person answering dialogs: records each and runs a reply."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: list[QDialog] = []
        self.reply: Callable[[QDialog], bool] = lambda _d: True
        monkeypatch.setattr(dialogs, "run_dialog", self._run)

    def _run(self, dialog: QDialog) -> bool:
        self.seen.append(dialog)
        return self.reply(dialog)
