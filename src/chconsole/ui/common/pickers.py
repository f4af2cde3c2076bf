"""The release picker the pilot and batch views share: notified releases, newest first.

Rebuilt only when its entries changed: the living clock re-reads the views often, and a
list cleared under an open drop-down would close it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtWidgets import QComboBox, QWidget

from chconsole.core.engine.dto import ReleaseInfo
from chconsole.ui.common.words import state_title


def preferred_release(ids_by_state: Iterable[tuple[int, str]], preferred: Sequence[str]) -> int | None:
    """The newest release in the first of PREFERRED states that has one, else the newest."""
    pairs = list(ids_by_state)
    for state in preferred:
        found = [i for i, s in pairs if s == state]
        if found:
            return max(found)
    return max((i for i, _ in pairs), default=None)


def release_title(r: ReleaseInfo) -> str:
    """'Release 1 · EDMI-CHF-420 → 00020204 · Pilot running'."""
    return f"Release {r.id} \u00b7 {r.model} \u2192 {r.to_version} \u00b7 {state_title(r.state)}"


class ReleasePicker(QComboBox):
    """Notified releases, newest first; the item data is the release id."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setMinimumWidth(420)

    def show_releases(self, releases: Iterable[ReleaseInfo], chosen: int | None) -> None:
        """List the notified among RELEASES and show CHOSEN, without emitting a choice."""
        notified = sorted((r for r in releases if r.notified_at is not None), key=lambda r: -r.id)
        items = [(release_title(r), r.id) for r in notified]
        self.blockSignals(True)
        if items != [(self.itemText(i), self.itemData(i)) for i in range(self.count())]:
            self.clear()
            for text, release_id in items:
                self.addItem(text, release_id)
        if chosen is not None:
            self.setCurrentIndex(self.findData(chosen))
        self.blockSignals(False)
