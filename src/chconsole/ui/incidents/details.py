"""One incident's details: what was reported, the stop and its per-hub answers, the decision,
the notices that told everyone, and its history.

The stop's counts (called back, too late, no answer yet, held) come from the engine's
per-hub record; they move as the network's answers arrive with each pass, and the view
re-reads them then. Tables are refilled only when their rows changed (common.sections).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.dto import BODIES, IncidentInfo, NoticeInfo, ReleaseInfo, StopInfo
from chconsole.core.vocabulary.london import show
from chconsole.ui.common.sections import Section
from chconsole.ui.common.widgets import (
    details_heading,
    fact_value,
    facts_grid,
    make_table,
    number,
    section_label,
)
from chconsole.ui.common.words import party_title, since, state_title
from chconsole.ui.incidents.models import STATE_WORDS, outcome_words, reporter

FACTS = ("Reported by", "Raised", "Emergency stop", "Affected hubs", "Scope", "Outcome", "Triaged",
         "Panel confirmation", "Closed")
NARROW = 980  # below this width the stop's card goes under the facts
TILES = (("called_back", "Called back", "the network confirmed the activation is withdrawn"),
         ("too_late", "Too late", "the hub had already activated"),
         ("no_answer", "No answer yet", "hubs can be silent for days"),
         ("held", "Held", "hubs not yet activated, kept where they were"))


class CountTile(QFrame):
    """A count with its caption and what it means."""

    def __init__(self, caption: str, meaning: str) -> None:
        super().__init__()
        self.setObjectName("countTile")
        self.value = QLabel("\u2013")
        self.value.setObjectName("tileValue")
        title = QLabel(caption)
        title.setObjectName("tileCaption")
        self.setToolTip(meaning[0].upper() + meaning[1:])
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 8, 12, 8)
        box.setSpacing(0)
        box.addWidget(self.value)
        box.addWidget(title)


class StopCard(QFrame):
    """The emergency stop that holds the incident's release, and what it achieved so far."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("card")
        self.title = QLabel()
        self.title.setObjectName("cardTitle")
        self.summary = fact_value()
        self.tiles = {key: CountTile(caption, meaning) for key, caption, meaning in TILES}
        tiles = QHBoxLayout()
        tiles.setSpacing(8)
        for tile in self.tiles.values():
            tiles.addWidget(tile)
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 10, 14, 12)
        box.setSpacing(8)
        box.addWidget(self.title)
        box.addWidget(self.summary)
        box.addLayout(tiles)

    def show_stop(self, stop: StopInfo, now: datetime) -> None:
        state = f"lifted {show(stop.lifted_at)}" if stop.lifted_at else "holding"
        self.title.setText(f"Emergency stop {stop.id} \u00b7 {state}")
        which = "every live release" if stop.every_release else ", ".join(f"release {r}" for r in stop.releases)
        reason = f" Reason: {stop.reason}" if stop.reason else ""
        calls = (f"{stop.calls:,} call-backs went to the network; the counts move as the hubs answer." if stop.calls
                 else "No activation was at the network, so nothing needed calling back.")
        self.summary.setText(f"Pressed by {stop.pressed_by} {since(stop.pressed_at, now)} ({show(stop.pressed_at)}) "
                             f"for {which}. {calls}{reason}")
        for key, tile in self.tiles.items():
            tile.value.setText(number(getattr(stop, key)))


class IncidentDetails(QScrollArea):
    """Scrollable details of one incident; show_incident() fills it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentDetails")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.names: dict[str, str] = {}
        body = QWidget()
        body.setObjectName("detailsBody")
        self.setWidget(body)
        head, self.heading, self.badge = details_heading("Select an incident")
        self.subheading = QLabel()
        self.subheading.setObjectName("viewSubtitle")
        self.description = fact_value()
        self.description.setObjectName("incidentDescription")
        self.grid, self.facts, self.captions = facts_grid(FACTS)
        for value in (self.description, *self.facts.values()):
            value.setTextFormat(Qt.TextFormat.PlainText)  # a supplier's words are shown as typed
        self.stop = StopCard()
        self.no_stop = QLabel()
        self.no_stop.setObjectName("hint")
        self.no_stop.setWordWrap(True)
        self.notices = Section("Decision notices sent", make_table(("Sent", "To", "Subject"), stretch=2),
                               "No decision notice yet: everyone concerned is told once the Panel confirms "
                               "a decision.", max_rows=8)
        self.history = Section("History", make_table(("When", "By", "What"), stretch=2), "No history.",
                               max_rows=12)
        self.top = top = QHBoxLayout()
        top.setSpacing(24)
        top.addLayout(self.grid, 5)
        side = QVBoxLayout()
        side.addWidget(self.stop)
        side.addWidget(self.no_stop)
        side.addStretch(1)
        top.addLayout(side, 6)
        self.content = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(22, 16, 22, 22)
        outer.setSpacing(10)
        outer.addLayout(head)
        self.empty = QLabel()
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        outer.addWidget(self.empty)
        outer.addWidget(self.content)
        outer.addStretch(1)
        box = QVBoxLayout(self.content)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(10)
        box.addWidget(self.subheading)
        box.addWidget(section_label("What was reported"))
        box.addWidget(self.description)
        box.addSpacing(4)
        box.addLayout(top)
        box.addWidget(self.notices)
        box.addWidget(self.history)
        self.show_incident(None, None, None, [], None)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Facts beside the stop where there is room, above it where there is not (1024 px screens)."""
        wide = event.size().width() >= NARROW
        self.top.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        super().resizeEvent(event)

    def show_nothing(self, title: str, text: str = "") -> None:
        """No incident to show: TITLE, and a line saying what to do (TEXT)."""
        self.show_incident(None, None, None, [], None, empty=title)
        self.empty.setText(text)
        self.empty.setVisible(bool(text))

    def show_incident(self, i: IncidentInfo | None, release: ReleaseInfo | None, stop: StopInfo | None,
                      notices: list[NoticeInfo], now: datetime | None, empty: str = "") -> None:
        self.content.setVisible(i is not None)
        self.badge.setVisible(i is not None)
        self.empty.setVisible(False)
        if i is None or now is None:
            self.heading.setText(empty or "Select an incident to see its details")
            return
        self.heading.setText(f"Incident {i.id} \u00b7 {i.priority}")
        self.badge.setText(STATE_WORDS.get(i.state, i.state))
        self.badge.setProperty("state", f"incident-{i.state}")
        self.badge.style().unpolish(self.badge)
        self.badge.style().polish(self.badge)
        self.subheading.setText(
            f"Release {i.release_id}" + (f" \u00b7 {release.model} \u2192 {release.to_version} \u00b7 "
                                         f"{state_title(release.state)}" if release is not None else ""))
        self.description.setText(i.description)
        self._facts(i, stop, now)
        self.stop.setVisible(stop is not None)
        self.no_stop.setVisible(stop is None)
        if stop is not None:
            self.stop.show_stop(stop, now)
        else:
            self.no_stop.setText("No emergency stop holds this release." + (
                " The supplier asked for one: press the red Emergency stop in the toolbar if DCC thinks it "
                "critical." if i.emergency_stop else ""))
        self.notices.fill((show(n.created_at), party_title(n.recipient, self.names), n.subject) for n in notices)
        self.history.fill((show(h.at), h.by, h.text) for h in reversed(i.history))

    def _facts(self, i: IncidentInfo, stop: StopInfo | None, now: datetime) -> None:
        confirmed = (f"{i.confirmed_by} for {BODIES.get(i.confirm_body or '', i.confirm_body)}, "
                     f"{show(i.confirmed_at)}" if i.confirmed_at else "")
        asked = "asked for by the supplier; " if i.emergency_stop and not i.automatic else ""
        values = {
            "Reported by": party_title(reporter(i), self.names),
            "Raised": f"{show(i.raised_at)} by {i.raised_by} ({since(i.raised_at, now)})",
            "Emergency stop": (f"{asked}stop {stop.id} pressed {since(stop.pressed_at, now)}" if stop is not None
                               else "asked for by the supplier, not pressed" if i.emergency_stop else "not asked for"),
            "Affected hubs": f"{i.hubs:,} named" if i.hubs else "none named",
            "Scope": i.scope or "",
            "Outcome": outcome_words(i) or "not triaged yet",
            "Triaged": f"{show(i.triaged_at)} by {i.triaged_by}" if i.triaged_at else "",
            "Panel confirmation": confirmed or ("awaited" if i.state == "TRIAGED" else ""),
            "Closed": show(i.closed_at) if i.closed_at else "",
        }
        for name, text in values.items():
            self.facts[name].setText(text)
            shown = bool(text)
            self.facts[name].setVisible(shown)
            self.captions[name].setVisible(shown)
