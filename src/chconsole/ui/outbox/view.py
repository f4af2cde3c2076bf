"""The Outbox: every notice the console produced, newest first, and its files.

A notice is written as an .eml draft (with its Excel report attached when it has one)
in the outbox folder; from here a person reads it and opens its files. The list is read
again when a change wrote notices (or a pass may have): at once if shown, else when next
shown; the notice being read stays selected.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.changes import Changes
from chconsole.core.engine.dto import KIND_TITLES, NoticeInfo
from chconsole.core.vocabulary.london import show
from chconsole.ui.common.widgets import ViewHeader, number, record_table, section_label
from chconsole.ui.outbox.model import STATUS_TITLES, NoticeModel
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.reader import CoalescingReader
from chconsole.ui.runtime.settings import OUTBOX_SPLITTER


class OutboxView(QWidget):
    """The outbox view: notices on top, the selected notice's text and files below."""

    title = "Outbox"

    def __init__(self, console: Console, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.console = console
        self.model = NoticeModel()
        self.table = record_table(self.model, "outboxTable", 28)
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        for column, sample in enumerate(("2026-11-02 09:00 GMT", "TELEFONICA", "Release note updated",
                                         "Release", "", "Written")):
            if sample:
                self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 40)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())

        self.count_label = QLabel("Reading the outbox\u2026")
        self.count_label.setObjectName("countLabel")
        self.subject = QLabel()
        self.subject.setObjectName("panelTitle")
        self.subject.setWordWrap(True)
        self.meta = QLabel()
        self.meta.setObjectName("viewSubtitle")
        self.meta.setWordWrap(True)
        self.body = QPlainTextEdit()
        self.body.setObjectName("noticeBody")
        self.body.setReadOnly(True)
        self.body.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.open_attachment = QPushButton("Open attachment")
        self.open_email = QPushButton("Open e-mail")
        self.show_folder = QPushButton("Show in folder")
        self.open_attachment.clicked.connect(lambda: self._open(self._path("attachment")))
        self.open_email.clicked.connect(lambda: self._open(self._path("eml_path")))
        self.show_folder.clicked.connect(self._show_in_folder)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (self.open_email, self.open_attachment, self.show_folder):
            buttons.addWidget(button)
        buttons.addStretch(1)

        reader = QWidget()
        reader.setObjectName("noticeReader")
        reading = QVBoxLayout(reader)
        reading.setContentsMargins(0, 10, 0, 0)
        reading.setSpacing(8)
        reading.addWidget(section_label("Notice"))
        reading.addWidget(self.subject)
        reading.addWidget(self.meta)
        reading.addLayout(buttons)
        reading.addWidget(self.body, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(reader)
        self.splitter.setSizes([420, 380])
        self.splitter.setChildrenCollapsible(False)
        saved = console.settings.get(OUTBOX_SPLITTER)
        if not saved.isEmpty():
            self.splitter.restoreState(saved)
        self.splitter.splitterMoved.connect(
            lambda *_: console.settings.set(OUTBOX_SPLITTER, self.splitter.saveState()))

        box = QVBoxLayout(self)
        box.setContentsMargins(24, 18, 24, 18)
        box.setSpacing(12)
        box.addWidget(ViewHeader(self.title, "Every notice to suppliers and CSPs, newest first, "
                                             "written as e-mail drafts with their reports attached."))
        box.addWidget(self.count_label)
        box.addWidget(self.splitter, 1)
        self.reader = CoalescingReader(console, lambda: lambda e: e.queries.notices(), self._show_notices,
                                       label="reading the outbox", view=self)
        console.events.changed.connect(self.on_changes)
        self._show_selected()

    def refresh(self) -> None:
        """Read the notices again (at most one read at a time)."""
        self.reader.refresh()

    def on_changes(self, changes: Changes) -> None:
        if changes.outbox:
            self.reader.refresh_when_shown()

    def _show_notices(self, notices: list[NoticeInfo]) -> None:
        keep = self.selected()
        if not self.model.set_notices(notices) and keep is not None:
            return  # nothing new: the notice being read, and its scroll, stay as they are
        ids = [n.id for n in notices]
        row = ids.index(keep.id) if keep is not None and keep.id in ids else 0
        if notices:
            self.table.selectRow(row)
        recipients = len({n.recipient for n in notices})
        self.count_label.setText(
            f"{number(len(notices))} notices to {number(recipients)} recipients"
            if notices else "No notices yet: notifying a release writes them here.")
        self._show_selected()

    def selected(self) -> NoticeInfo | None:
        return self.model.notice(self.table.currentIndex().row())

    def _show_selected(self) -> None:
        n = self.selected()
        self.subject.setText(n.subject if n else "Select a notice to read it")
        self.meta.setText(
            f"To {n.recipient} \u00b7 {KIND_TITLES.get(n.kind, n.kind)} \u00b7 {show(n.created_at)} "
            f"by {n.created_by} \u00b7 {STATUS_TITLES.get(n.status, n.status)}" if n else "")
        self.body.setPlainText(n.body if n else "")
        self.open_email.setEnabled(bool(n and n.eml_path))
        self.open_attachment.setEnabled(bool(n and n.attachment))
        self.show_folder.setEnabled(bool(n and (n.eml_path or n.attachment)))
        self.open_attachment.setToolTip(n.attachment or "This notice has no attachment." if n else "")
        self.open_email.setToolTip(n.eml_path or "The e-mail has not been written yet." if n else "")

    def _path(self, field: str) -> Path | None:
        n = self.selected()
        value = getattr(n, field) if n else None
        return Path(value) if value else None

    def _open(self, path: Path | None) -> None:
        if path is None:
            return
        if not path.exists():
            self.console.messages.warning(f"{path} is no longer there; it may have been moved or deleted.")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _show_in_folder(self) -> None:
        path = self._path("eml_path") or self._path("attachment")
        if path is not None:
            self._open(path.parent)
