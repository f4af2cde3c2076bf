"""Pilot tracking: one release's pilot group (R2), from the nominations to DCC's decision.

A release picker (notified releases only: a pilot is chosen from a notice's eligible
hubs), the pilot's actions, and the details pane. Everything is read off the GUI thread
in one job (the releases, the supplier names, the pilot and the clock) so the picker,
the buttons and the details always agree. The view re-reads when a change concerns the
release it shows; a change to another release only redraws that release's picker entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from chconsole.core.engine.changes import Changes
from chconsole.core.engine.dto import PilotInfo, ReleaseInfo
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.states import ReleaseState
from chconsole.ui.common.pickers import ReleasePicker, preferred_release
from chconsole.ui.common.widgets import ViewHeader, icon_or_drawn
from chconsole.ui.pilots.details import PilotDetails
from chconsole.ui.pilots.operations import PilotActions
from chconsole.ui.runtime.changes import releases_touched
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.reader import CoalescingReader

# A flag on its pole, drawn like the icons in resources/icons (used if that folder has none).
PILOT_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" '
             b'stroke="#4a5868" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">'
             b'<path d="M5 21V3.5"/><path d="M5 4h12.5l-2.5 4.5 2.5 4.5H5"/></svg>')
# Releases whose pilot is most likely the one wanted, best first, when none is chosen yet.
PREFERRED = (ReleaseState.PILOT_RUNNING, ReleaseState.NOTIFIED, ReleaseState.PILOT_CONCLUDED)


@dataclass(frozen=True)
class PilotPage:
    """What one read brings back."""

    releases: list[ReleaseInfo]
    names: dict[str, str]
    pilot: PilotInfo | None
    now: datetime


def pilot_icon() -> QIcon:
    """The navigation icon of this view."""
    return icon_or_drawn("pilot", PILOT_SVG)


def default_release(releases: list[ReleaseInfo]) -> int | None:
    return preferred_release(((r.id, r.state) for r in releases if r.notified_at is not None), PREFERRED)


class PilotTrackingView(QWidget):
    """The pilot tracking view: pick a notified release, follow its pilot, act on it."""

    title = "Pilot tracking"

    def __init__(self, console: Console, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.console = console
        self.release_id: int | None = None
        self.page: PilotPage | None = None
        self.operations = PilotActions(console, self, self._pilot_changed)
        self.reader = CoalescingReader(console, self._plan, self._on_read, label="reading the pilot", view=self)

        self.picker = ReleasePicker("pilotRelease")
        self.picker.activated.connect(self._picked)
        self.nominate_button = QPushButton("Nominate\u2026")
        self.nominate_button.setObjectName("primaryButton")
        self.start_button = QPushButton("Start pilot\u2026")
        self.conclude_button = QPushButton("Conclude\u2026")
        self.comment_button = QPushButton("Add commentary\u2026")
        self.nominate_button.clicked.connect(self._nominate)
        self.start_button.clicked.connect(self._start)
        self.conclude_button.clicked.connect(self._conclude)
        self.comment_button.clicked.connect(self._comment)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        caption = QLabel("Release")
        caption.setObjectName("caption")
        bar.addWidget(caption)
        bar.addWidget(self.picker)
        bar.addSpacing(16)
        for button in (self.nominate_button, self.start_button, self.conclude_button, self.comment_button):
            bar.addWidget(button)
        bar.addStretch(1)

        self.details = PilotDetails()
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 18, 24, 18)
        box.setSpacing(12)
        box.addWidget(ViewHeader(self.title, "A release's pilot group: the suppliers' nominations, each pilot "
                                             "hub's progress and failures, what everyone was told, and DCC's "
                                             "decision that opens (or shuts) the safe launch."))
        box.addLayout(bar)
        box.addWidget(self.details, 1)
        console.events.changed.connect(self.on_changes)
        self._update_buttons()

    # -- data --------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the releases and the chosen release's pilot again (at most one read at a time)."""
        self.reader.refresh()

    def _plan(self) -> Callable[[Engine], PilotPage]:
        wanted = self.release_id

        def read(e: Engine) -> PilotPage:
            releases = e.releases.all()
            ids = [r.id for r in releases if r.notified_at is not None]
            chosen = wanted if wanted in ids else default_release(releases)
            pilot = e.pilots.get(chosen) if chosen is not None else None
            return PilotPage(releases, dict(e.admin.suppliers()), pilot, e.now())

        return read

    def on_changes(self, changes: Changes) -> None:
        """Re-read the pilot if the change concerns its release; otherwise redraw only the
        picker entries of the releases it touched."""
        touched = releases_touched(changes)
        if changes.concerns_release(self.release_id) or (self.release_id is None and touched):
            self.reader.refresh_when_shown()
        elif touched and self.page is not None:
            if not self.isVisible():
                self.reader.refresh_when_shown()
                return
            wanted = sorted(touched)
            self.console.read(lambda e: [e.releases.get(i) for i in wanted], self._releases_changed,
                              label="reading the changed releases")

    def _releases_changed(self, changed: list[ReleaseInfo]) -> None:
        if self.page is None:
            return
        by_id = {r.id: r for r in self.page.releases} | {r.id: r for r in changed}
        self.page = replace(self.page, releases=list(by_id.values()))
        self.picker.show_releases(self.page.releases, self.release_id)

    def _on_read(self, page: PilotPage) -> None:
        self.page = page
        self.details.names = page.names
        self.release_id = page.pilot.release_id if page.pilot is not None else None
        self.picker.show_releases(page.releases, self.release_id)
        if page.pilot is None:
            self.details.show_nothing("No release has been notified: a pilot is nominated from the "
                                      "eligible hubs of a notified release.")
        else:
            self.details.show_pilot(page.pilot, page.now)
        self._update_buttons()

    def _picked(self, index: int) -> None:
        chosen = self.picker.itemData(index)
        if chosen is not None and chosen != self.release_id:
            self.release_id = int(chosen)
            self.details.show_nothing(f"Reading the pilot of release {chosen}\u2026")
            self.refresh()

    def _pilot_changed(self, v: PilotInfo) -> None:
        if self.page is not None and v.release_id == self.release_id:
            self.page = PilotPage(self.page.releases, self.page.names, v, self.page.now)
            self.details.show_pilot(v, self.page.now)
            self._update_buttons()
        # The release's state (in the picker) and the clock follow: the change concerns this
        # release, so the view re-reads the page.

    # -- selection and actions ---------------------------------------------------------------------------
    def pilot(self) -> PilotInfo | None:
        return self.page.pilot if self.page is not None else None

    def release(self) -> ReleaseInfo | None:
        if self.page is None or self.release_id is None:
            return None
        return next((r for r in self.page.releases if r.id == self.release_id), None)

    def _update_buttons(self) -> None:
        v = self.pilot()
        release_state = v.release_state if v else None
        state = v.state if v else None
        rules = {
            self.nominate_button: (release_state == ReleaseState.NOTIFIED,
                                   "Nominations are taken while the release is notified and its pilot "
                                   "has not started."),
            self.start_button: (release_state == ReleaseState.NOTIFIED and state == "NOMINATING"
                                and bool(v and v.counts.get("SCHEDULED")),
                                "A pilot starts once at least one hub has joined it, and only once."),
            self.conclude_button: ((release_state == ReleaseState.PILOT_RUNNING and state == "RUNNING")
                                   or (release_state == ReleaseState.NOTIFIED and v is not None and not v.hubs),
                                   "Only a running pilot can be concluded (or a release with no pilot hub "
                                   "decided without one)."),
            self.comment_button: (state not in (None, "NONE"),
                                  "Commentary is on a pilot: nominate its first hubs first."),
        }
        for button, (allowed, why) in rules.items():
            button.setEnabled(allowed)
            button.setToolTip("" if allowed else why)

    def _nominate(self) -> None:
        v, release = self.pilot(), self.release()
        if v is not None and release is not None and self.page is not None:
            self.operations.nominate(release, v, self.page.names)

    def _start(self) -> None:
        v = self.pilot()
        if v is not None and self.page is not None:
            self.operations.start(v, self.page.now)

    def _conclude(self) -> None:
        v, release = self.pilot(), self.release()
        if v is not None and release is not None:
            self.operations.conclude(v, release)

    def _comment(self) -> None:
        v = self.pilot()
        if v is not None:
            self.operations.comment(v)
