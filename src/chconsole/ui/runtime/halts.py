"""Which releases are halted, watched for every view: the banner, and the emergency stop's choices.

While any release is SUSPENDED (an emergency stop) or PAUSED (a confirmed pause, or its
failure guard), every view says so in a banner above it, in words, with a link to the
incident that decides it: a person on the Estate browser must not miss that a rollout is
held. The same read gives the emergency stop its list of live releases, so its one
confirmation opens at once, without a read of its own that could queue behind others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from chconsole.core.engine.changes import Changes
from chconsole.core.engine.dto import IncidentInfo, ReleaseInfo
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.london import show
from chconsole.core.vocabulary.states import ReleaseState
from chconsole.ui.common.words import since
from chconsole.ui.runtime.changes import releases_touched
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.reader import CoalescingReader

HALTED = (ReleaseState.SUSPENDED, ReleaseState.PAUSED)
# Releases an emergency stop can suspend (live, and not suspended already).
STOPPABLE = (ReleaseState.NOTIFIED, ReleaseState.PILOT_RUNNING, ReleaseState.PILOT_CONCLUDED,
             ReleaseState.DEPLOYING, ReleaseState.PAUSED)
GUARD = "system"  # who halted a release its failure guard paused
AGES_EVERY_MS = 60_000  # "halted 25 min ago" moves on by itself on the system clock


@dataclass(frozen=True)
class HaltPage:
    """Every release, the incidents not closed (by priority, then age), and the clock."""

    releases: list[ReleaseInfo]
    incidents: list[IncidentInfo]
    now: datetime

    def halted(self) -> list[ReleaseInfo]:
        return sorted((r for r in self.releases if r.state in HALTED), key=lambda r: r.id)

    def stoppable(self) -> list[ReleaseInfo]:
        return sorted((r for r in self.releases if r.state in STOPPABLE), key=lambda r: r.id)

    def deciding(self, release_id: int) -> IncidentInfo | None:
        """The incident that decides a halted release: one tied to its stop first, else the
        most urgent one open on it."""
        mine = [i for i in self.incidents if i.release_id == release_id]
        return next((i for i in mine if i.stop_id is not None), mine[0] if mine else None)


class HaltWatch(QObject):
    """Reads the releases and open incidents whenever a change may have halted or resumed one.

    Signals:
        read(HaltPage): a new reading, on the GUI thread.
    """

    read = Signal(object)

    def __init__(self, console: Console, view: QWidget) -> None:
        super().__init__(view)
        self.console = console
        self.page: HaltPage | None = None
        self.reader = CoalescingReader(console, self._plan, self._on_read, label="reading which releases are halted",
                                       view=view)
        console.events.changed.connect(self.on_changes)
        self._ages = QTimer(self)
        self._ages.timeout.connect(self._ages_moved)
        self._ages.start(AGES_EVERY_MS)

    def refresh(self) -> None:
        self.reader.refresh()

    @staticmethod
    def _plan() -> Callable[[Engine], HaltPage]:
        return lambda e: HaltPage(e.releases.all(), e.incidents.incidents(open_only=True), e.now())

    def on_changes(self, changes: Changes) -> None:
        """Re-read narrowly: the releases a change touched (and the open incidents); everything
        only after a scheduler pass or a clock beat, or before the first reading."""
        touched = releases_touched(changes)
        if changes.everything or (self.page is None and (touched or changes.incidents)):
            self.reader.refresh_when_shown()
        elif touched or changes.incidents:
            wanted = sorted(touched)
            self.console.read(lambda e: ([e.releases.get(i) for i in wanted], e.incidents.incidents(open_only=True),
                                         e.now()), self._merge, label="reading which releases are halted")

    def _merge(self, answer: tuple[list[ReleaseInfo], list[IncidentInfo], datetime]) -> None:
        changed, incidents, now = answer
        if self.page is None:
            return
        by_id = {r.id: r for r in self.page.releases} | {r.id: r for r in changed}
        self._on_read(HaltPage(list(by_id.values()), incidents, now))

    def _ages_moved(self) -> None:
        if self.page is not None and self.page.halted():
            self.reader.refresh_when_shown()

    def _on_read(self, page: HaltPage) -> None:
        self.page = page
        self.read.emit(page)


def halt_sentence(r: ReleaseInfo, now: datetime) -> str:
    """What holds a release, in words: who halted it, when, and what it waits for."""
    when = f"{since(r.halted_at, now)} ({show(r.halted_at)})" if r.halted_at else "earlier"
    name = f"<b>Release {r.id}</b> ({escape(r.model)} \u2192 {escape(r.to_version)})"
    if r.state == ReleaseState.SUSPENDED:
        return (f"{name} is <b>suspended</b>: {escape(r.halted_by or 'a DCC user')} pressed the emergency stop "
                f"{when}. Nothing is sent for it until the Panel decides and a second DCC user resumes it.")
    who = "its failure guard" if r.halted_by == GUARD else f"the Panel's decision, recorded by {escape(r.halted_by or '')}"
    return (f"{name} is <b>paused</b> by {who} {when}. Nothing new is sent for it until the Panel decides "
            "and a DCC user resumes it.")


class HaltBanner(QFrame):
    """A strip above every view while any release is suspended or paused.

    Signals:
        incident_wanted(incident_id, release_id): the person followed a link (the incident
            is None when the release has none open yet).
    """

    incident_wanted = Signal(object, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("haltBanner")
        self.lines: list[QLabel] = []
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(14, 8, 14, 8)
        self.box.setSpacing(4)
        self.hide()

    def show_page(self, page: HaltPage) -> None:
        halted = page.halted()
        texts = []
        for r in halted:
            deciding = page.deciding(r.id)
            link = (f'<a href="incident:{deciding.id}:{r.id}">Open incident {deciding.id} '
                    f'({deciding.priority}) \u2192</a>' if deciding is not None
                    else f'<a href="release:{r.id}">No incident is open on it: raise one \u2192</a>')
            texts.append(f"{halt_sentence(r, page.now)}&nbsp;&nbsp;{link}")
        while len(self.lines) < len(texts):
            line = QLabel()
            line.setObjectName("haltLine")
            line.setWordWrap(True)
            line.setTextFormat(Qt.TextFormat.RichText)
            line.linkActivated.connect(self._followed)
            self.box.addWidget(line)
            self.lines.append(line)
        for line, text in zip(self.lines, texts + [""] * (len(self.lines) - len(texts)), strict=True):
            line.setText(text)
            line.setVisible(bool(text))
        suspended = any(r.state == ReleaseState.SUSPENDED for r in halted)
        self.setProperty("level", "suspended" if suspended else "paused")
        self.style().unpolish(self)
        self.style().polish(self)
        self.setVisible(bool(texts))

    def text(self) -> str:
        """The banner's words (for tests and the log)."""
        return "\n".join(line.text() for line in self.lines if line.isVisibleTo(self))

    def _followed(self, href: str) -> None:
        kind, _, rest = href.partition(":")
        if kind == "incident":
            incident, _, release = rest.partition(":")
            self.incident_wanted.emit(int(incident), int(release))
        elif kind == "release":
            self.incident_wanted.emit(None, int(rest))
