"""Batch control: a release's batches and supplier instructions, with times and progress (R3, R4).

Every safe-launch hub reaches its activation through a batch: DCC's own, the hubs its
suppliers instructed for one time, or the DCC deployment date's. This view lists them
with their times (London) and progress, the instructions received, and the selected
batch's details; DCC creates, re-plans and cancels batches here. A batch that fell due
while the console and scheduler were down is OVERDUE (Operating rules): a red banner
above the table says how many hubs were due when, with "Run now" and "Re-plan" beside it,
whatever release is chosen. Everything is read off the GUI thread in one job, again when a
change concerns the chosen release; a change to another release re-reads only that
release and its changed batches (its picker entry, and the banner if one is overdue).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.changes import Changes
from chconsole.core.engine.dto import BatchInfo, InstructionInfo, ReleaseInfo
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.states import ReleaseState
from chconsole.ui.batches.details import BatchDetails
from chconsole.ui.batches.models import OPEN_BATCH, BatchModel, InstructionModel, ProgressDelegate
from chconsole.ui.batches.operations import BatchActions
from chconsole.ui.batches.widgets import OverdueBanner
from chconsole.ui.common.pickers import ReleasePicker, preferred_release
from chconsole.ui.common.widgets import ViewHeader, record_table, section_label
from chconsole.ui.runtime.changes import releases_touched
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.reader import CoalescingReader

# Releases whose batches are most likely the ones wanted, best first, when none is chosen yet.
PREFERRED = (ReleaseState.DEPLOYING, ReleaseState.PILOT_CONCLUDED, ReleaseState.PILOT_RUNNING,
             ReleaseState.NOTIFIED)
TAKES_BATCHES = {s.value for s in PREFERRED}
TABS_STYLE = ("QTabWidget#batchTabs::pane { background: #ffffff; border: 1px solid #d9dee5; border-radius: 6px; "
              "top: -1px; }"
              "QTabWidget#batchTabs QTabBar::tab { padding: 6px 16px; margin-right: 4px; color: #4a5663; "
              "background: #eef1f5; border: 1px solid #d9dee5; border-bottom: none; "
              "border-top-left-radius: 6px; border-top-right-radius: 6px; }"
              "QTabWidget#batchTabs QTabBar::tab:selected { background: #ffffff; color: #1c2b3a; font-weight: 600; }")


@dataclass(frozen=True)
class BatchPage:
    """What one read brings back: every batch (overdue ones anywhere must show), and the
    chosen release's instructions."""

    releases: list[ReleaseInfo]
    release_id: int | None
    batches: list[BatchInfo]
    instructions: list[InstructionInfo]
    names: dict[str, str]
    now: datetime


def default_release(releases: list[ReleaseInfo], batches: list[BatchInfo]) -> int | None:
    """An overdue batch's release first (it needs DCC now), then the liveliest release."""
    overdue = [b.release_id for b in batches if b.state == "OVERDUE"]
    if overdue:
        return max(overdue)
    return preferred_release(((r.id, r.state) for r in releases if r.notified_at is not None), PREFERRED)


class BatchControlView(QWidget):
    """The Batch control view: pick a notified release, follow its batches, act on them."""

    title = "Batch control"

    def __init__(self, console: Console, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.console = console
        self.release_id: int | None = None
        self.batch_id: int | None = None
        self.page: BatchPage | None = None
        self.operations = BatchActions(console, self, self._choose)
        self.reader = CoalescingReader(console, self._plan, self._on_read, label="reading the batches", view=self)

        self.picker = ReleasePicker("batchRelease")
        self.picker.activated.connect(self._picked)
        self.new_button = QPushButton("New batch\u2026")
        self.new_button.setObjectName("primaryButton")
        self.replan_button = QPushButton("Re-plan\u2026")
        self.cancel_button = QPushButton("Cancel batch\u2026")
        self.cancel_button.setObjectName("dangerButton")
        self.run_button = QPushButton("Run now")
        self.instruct_button = QPushButton("Import instruction\u2026")
        self.new_button.clicked.connect(self._new)
        self.replan_button.clicked.connect(lambda: self.replan(self.selected()))
        self.cancel_button.clicked.connect(self._cancel)
        self.run_button.clicked.connect(self._run_now)
        self.instruct_button.clicked.connect(self._instruct)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        caption = QLabel("Release")
        caption.setObjectName("caption")
        bar.addWidget(caption)
        bar.addWidget(self.picker)
        bar.addSpacing(16)
        for button in (self.new_button, self.replan_button, self.cancel_button, self.run_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.instruct_button)

        self.banner = OverdueBanner(lambda b: self.operations.run_now(b, self.release(b.release_id)), self.replan)
        self.batches = BatchModel()
        self.table = record_table(self.batches, "batchTable", 36)
        self.table.setItemDelegateForColumn(BatchModel.PROGRESS, ProgressDelegate(self.table))
        self._widths(self.table, ("Supplier instructions", "", "2026-11-20 10:00 GMT", "2026-11-20 10:00 GMT",
                                  "Cancelled", "1,000,000", ""), stretch=1, last=250)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selected_changed())
        self.batch_count = QLabel()
        self.batch_count.setObjectName("hint")
        self.instructions = InstructionModel()
        self.instruction_table = record_table(self.instructions, "instructionTable", 28)
        self._widths(self.instruction_table, ("Supplier", "", "2026-11-20 10:00 GMT", "2026-11-20 10:00 GMT",
                                              "Accepted", "Refused"), stretch=1)
        self.instruction_count = QLabel()
        self.instruction_count.setObjectName("hint")
        self.details = BatchDetails()

        top = QWidget()
        top_box = QVBoxLayout(top)
        top_box.setContentsMargins(0, 0, 0, 0)
        top_box.setSpacing(6)
        top_box.addLayout(self._titled("Batches", self.batch_count))
        top_box.addWidget(self.table, 1)
        low = QWidget()
        low_box = QVBoxLayout(low)
        low_box.setContentsMargins(12, 10, 12, 12)
        low_box.setSpacing(6)
        low_box.addWidget(self.instruction_count)
        low_box.addWidget(self.instruction_table, 1)
        # Each table needs the whole width (seven columns of times and words, and six), so the
        # selected batch and the instructions share the lower half as tabs.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("batchTabs")
        self.tabs.setStyleSheet(TABS_STYLE)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.details, "Selected batch")
        self.tabs.addTab(low, "Supplier instructions")
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 330])

        box = QVBoxLayout(self)
        box.setContentsMargins(24, 18, 24, 18)
        box.setSpacing(12)
        box.addWidget(ViewHeader(self.title, "A release's batches with their times and progress, the suppliers' "
                                             "instructions, and DCC's own batches: create, re-plan or cancel "
                                             "one (its suppliers are told), and run what fell due while the "
                                             "console was down."))
        box.addLayout(bar)
        box.addWidget(self.banner)
        box.addWidget(self.splitter, 1)
        console.events.changed.connect(self.on_changes)
        self._update_buttons()

    @staticmethod
    def _titled(title: str, count: QLabel) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(section_label(title))
        row.addSpacing(8)
        row.addWidget(count, 0, Qt.AlignmentFlag.AlignBottom)
        row.addStretch(1)
        return row

    @staticmethod
    def _widths(table: QTableView, samples: tuple[str, ...], stretch: int, last: int = 0) -> None:
        metrics = table.fontMetrics()
        for column, sample in enumerate(samples):
            if sample:
                table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 28)
        if last:
            table.setColumnWidth(len(samples) - 1, last)
        table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

    # -- data --------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the releases, every batch and the chosen release's instructions (one read at a time)."""
        self.reader.refresh()

    def _plan(self) -> Callable[[Engine], BatchPage]:
        wanted = self.release_id

        def read(e: Engine) -> BatchPage:
            releases = e.releases.all()
            batches = e.deployment.batches()
            ids = [r.id for r in releases if r.notified_at is not None]
            chosen = wanted if wanted in ids else default_release(releases, batches)
            instructions = e.deployment.instructions(chosen) if chosen is not None else []
            return BatchPage(releases, chosen, batches, instructions, dict(e.admin.suppliers()), e.now())

        return read

    def on_changes(self, changes: Changes) -> None:
        """Re-read the page if the change concerns the chosen release; otherwise re-read only
        the releases and batches it touched."""
        touched = releases_touched(changes)
        if changes.concerns_release(self.release_id) or (self.release_id is None and touched):
            self.reader.refresh_when_shown()
        elif (touched or changes.batches) and self.page is not None:
            if not self.isVisible():
                self.reader.refresh_when_shown()
                return
            rids, bids = sorted(touched), sorted(changes.batches)
            self.console.read(lambda e: ([e.releases.get(i) for i in rids], [e.deployment.batch(b) for b in bids]),
                              self._others_changed, label="reading the changed batches")

    def _others_changed(self, answer: tuple[list[ReleaseInfo], list[BatchInfo]]) -> None:
        releases, batches = answer
        if self.page is None:
            return
        by_release = {r.id: r for r in self.page.releases} | {r.id: r for r in releases}
        by_batch = {b.id: b for b in self.page.batches} | {b.id: b for b in batches}
        self.page = replace(self.page, releases=list(by_release.values()), batches=list(by_batch.values()))
        self.picker.show_releases(self.page.releases, self.release_id)
        self.banner.show_overdue([b for b in self.page.batches if b.state == "OVERDUE"])
        self._update_buttons()

    def _on_read(self, page: BatchPage) -> None:
        self.page = page
        self.release_id = page.release_id
        self.picker.show_releases(page.releases, self.release_id)
        self.banner.show_overdue([b for b in page.batches if b.state == "OVERDUE"])
        mine = [b for b in page.batches if b.release_id == self.release_id]
        self.batches.show_batches(mine, self.waiting())
        overdue = sum(b.state == "OVERDUE" for b in mine)
        self.batch_count.setText(f"{len(mine):,} batch{'es' if len(mine) != 1 else ''}"
                                 + (f" \u00b7 {overdue} overdue" if overdue else ""))
        self.instructions.show_instructions(page.instructions, page.names)
        accepted = sum(i.accepted for i in page.instructions)
        self.instruction_count.setText(
            f"{len(page.instructions):,} received for release {self.release_id}, newest first; {accepted:,} hubs "
            "accepted in all" if page.instructions else "No instruction received for this release yet.")
        self.tabs.setTabText(1, f"Supplier instructions ({len(page.instructions):,})")
        self._reselect(mine)

    def waiting(self) -> int | None:
        """Hubs of the chosen release with no earlier time: the DCC deployment date's batch takes them."""
        r = self.release()
        return r.counts.get("ELIGIBLE", 0) + r.counts.get("AWAITING_OTHER_SUPPLIER", 0) if r else None

    def _reselect(self, mine: list[BatchInfo]) -> None:
        """Keep the chosen batch; otherwise the first overdue, then the first still open."""
        row = self.batches.row_of(self.batch_id) if self.batch_id is not None else -1
        if row < 0 and mine:
            first = next((b for b in mine if b.state == "OVERDUE"), None) or \
                next((b for b in mine if b.state in OPEN_BATCH), mine[0])
            row = self.batches.row_of(first.id)
        if row >= 0 and self.table.currentIndex().row() != row:
            self.table.setCurrentIndex(self.batches.index(row, 0))
        self._selected_changed()

    def _selected_changed(self) -> None:
        b = self.selected()
        self.tabs.setTabText(0, f"Batch {b.id} \u00b7 {b.name}" if b is not None else "Selected batch")
        if b is not None:
            self.batch_id = b.id
            if b != self.details.batch:
                self.details.show_batch(b, self.waiting())
        else:
            self.details.show_nothing("No batches for this release yet." if self.page is not None
                                      and self.release_id is not None else "No release has been notified.")
        self._update_buttons()

    def _picked(self, index: int) -> None:
        chosen = self.picker.itemData(index)
        if chosen is not None and chosen != self.release_id:
            self.release_id, self.batch_id = int(chosen), None
            self.refresh()

    def _choose(self, batch_id: int) -> None:
        self.batch_id = batch_id

    # -- selection and actions --------------------------------------------------------------------------
    def selected(self) -> BatchInfo | None:
        index: QModelIndex = self.table.currentIndex()
        return self.batches.batch(index.row()) if index.isValid() else None

    def release(self, release_id: int | None = None) -> ReleaseInfo | None:
        wanted = self.release_id if release_id is None else release_id
        if self.page is None or wanted is None:
            return None
        return next((r for r in self.page.releases if r.id == wanted), None)

    def _update_buttons(self) -> None:
        b, r = self.selected(), self.release()
        is_open = b is not None and b.state in OPEN_BATCH
        rules = {
            self.new_button: (r is not None and r.state in TAKES_BATCHES,
                              "A release takes batches once notified, and until it is paused, stopped or done."),
            self.replan_button: (is_open, "Only a planned, running or overdue batch can be re-planned."),
            self.cancel_button: (is_open and b is not None and b.kind != "deployment_date",
                                 "Only a planned, running or overdue batch can be cancelled; the DCC deployment "
                                 "date's batch moves only with the date (triage)."),
            self.run_button: (b is not None and b.state == "OVERDUE",
                              "Only an overdue batch (due while the console was down) is run on demand."),
            self.instruct_button: (self.page is not None and any(x.notified_at for x in self.page.releases),
                                   "Instructions are for notified releases."),
        }
        for button, (allowed, why) in rules.items():
            button.setEnabled(allowed)
            button.setToolTip("" if allowed else why)

    def _new(self) -> None:
        r = self.release()
        if r is not None and self.page is not None:
            self.operations.new_batch(r, self.page.names, self.page.now)

    def replan(self, b: BatchInfo | None) -> None:
        if b is not None and self.page is not None:
            self.operations.replan(b, self.release(b.release_id), self.page.now)

    def _cancel(self) -> None:
        b = self.selected()
        if b is not None:
            self.operations.cancel(b, self.release(b.release_id))

    def _run_now(self) -> None:
        b = self.selected()
        if b is not None and b.state == "OVERDUE":
            self.operations.run_now(b, self.release(b.release_id))

    def _instruct(self) -> None:
        if self.page is not None:
            notified = [r for r in self.page.releases if r.notified_at is not None]
            self.operations.import_instruction(notified, self.release_id, self.page.names, self.page.now)
