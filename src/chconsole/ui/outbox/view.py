"""The Outbox: every notice the console produced, failures first, then newest first, and its files.

A notice is written as an .eml file (with its Excel report attached when it has one) in the
outbox folder; with a mail relay set, every scheduler pass sends it, and its Status says
whether the relay took it ("Sent") or what it answered ("Failed: 550 ..."). From here a
person filters by recipient, kind, release and state, reads a notice and opens its files,
sends now, tries the failed ones again, and (administrators) sets the relay. The list is
read again when a change wrote or sent notices (or a pass may have): at once if shown, else
when next shown; the notice being read stays selected.
"""

from __future__ import annotations

from collections.abc import Callable
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
from chconsole.core.engine.facade import Engine
from chconsole.core.engine.roles import ROLE_TITLES, Action, Role
from chconsole.core.vocabulary.london import show
from chconsole.ui.common.widgets import ViewHeader, number, record_table, section_label
from chconsole.ui.outbox.filters import OutboxFilters
from chconsole.ui.outbox.model import NoticeModel, OutboxPage, read_page
from chconsole.ui.outbox.operations import OutboxActions
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.reader import CoalescingReader
from chconsole.ui.runtime.settings import OUTBOX_SPLITTER


class OutboxView(QWidget):
    """The outbox view: its actions and filters, notices on top, the selected notice below."""

    title = "Outbox"

    def __init__(self, console: Console, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.console = console
        self.page: OutboxPage | None = None
        self.operations = OutboxActions(console, self)
        self.model = NoticeModel()
        self.table = record_table(self.model, "outboxTable", 28)
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        for column, sample in enumerate(("2026-11-02 09:00 GMT", "TELEFONICA", "Release note updated",
                                         "Release", "", "Written, waiting to send")):
            if sample:
                self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 40)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())

        self.send_button = QPushButton("Send now")
        self.send_button.setObjectName("primaryButton")
        self.retry_button = QPushButton("Retry failed")
        self.settings_button = QPushButton("Mail settings\u2026")
        self.send_button.clicked.connect(lambda: self.operations.send())
        self.retry_button.clicked.connect(lambda: self.operations.send(retry_failed=True))
        self.settings_button.clicked.connect(self.operations.mail_settings)
        self.relay_label = QLabel()
        self.relay_label.setObjectName("hint")
        bar = QHBoxLayout()
        bar.setSpacing(8)
        for button in (self.send_button, self.retry_button, self.settings_button):
            button.setMinimumWidth(button.sizeHint().width())
            bar.addWidget(button)
        bar.addSpacing(8)
        bar.addWidget(self.relay_label, 1)
        self.filters = OutboxFilters()
        self.filters.changed.connect(self.refresh)

        self.count_label = QLabel("Reading the outbox\u2026")
        self.count_label.setObjectName("countLabel")
        self.subject = QLabel()
        self.subject.setObjectName("panelTitle")
        self.subject.setWordWrap(True)
        self.meta = QLabel()
        self.meta.setObjectName("viewSubtitle")
        self.meta.setWordWrap(True)
        self.delivery = QLabel()
        self.delivery.setObjectName("noticeDelivery")
        self.delivery.setWordWrap(True)
        self.delivery.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
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
        reading.addWidget(self.delivery)
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
        box.addWidget(ViewHeader(self.title, "Every notice to suppliers and CSPs, failures first, then newest "
                                             "first: written as e-mails with their reports attached, and sent "
                                             "through the mail relay when one is set."))
        box.addLayout(bar)
        box.addWidget(self.filters)
        box.addWidget(self.count_label)
        box.addWidget(self.splitter, 1)
        self.reader = CoalescingReader(console, self._plan, self._show_page, label="reading the outbox", view=self)
        console.events.changed.connect(self.on_changes)
        self._update_buttons()
        self._show_selected()

    def refresh(self) -> None:
        """Read the notices again (at most one read at a time)."""
        self.reader.refresh()

    def _plan(self) -> Callable[[Engine], OutboxPage]:
        wanted = self.filters.current()
        return lambda e: read_page(e, wanted)

    def on_changes(self, changes: Changes) -> None:
        if changes.outbox:
            self.reader.refresh_when_shown()

    def _show_page(self, page: OutboxPage) -> None:
        self.page = page
        self.filters.set_choices(page.choices)
        self._update_buttons()
        notices = page.notices
        keep = self.selected()
        if not self.model.set_notices(notices, page.relay.since if page.relay else None) and keep is not None:
            return  # nothing new: the notice being read, and its scroll, stay as they are
        ids = [n.id for n in notices]
        row = ids.index(keep.id) if keep is not None and keep.id in ids else 0
        if notices:
            self.table.selectRow(row)
        recipients = len({n.recipient for n in notices})
        failed = sum(1 for n in notices if n.status == "FAILED")
        if notices:
            self.count_label.setText(f"{number(len(notices))} notices to {number(recipients)} recipients"
                                     + (f", {number(failed)} failed" if failed else ""))
        elif self.filters.active():
            self.count_label.setText("No notices match these filters.")
        else:
            self.count_label.setText("No notices yet: notifying a release writes them here.")
        self._show_selected()

    def roles_known(self) -> None:
        """The acting user's roles were read: enable what they may do."""
        self._update_buttons()

    def _update_buttons(self) -> None:
        relay = self.page.relay if self.page is not None else None
        may_send = self.console.may(Action.SEND_MAIL)
        admin = self.console.may(Action.SET_MAIL_RELAY)
        failed = self.page.choices.failed if self.page is not None else 0
        self.send_button.setEnabled(relay is not None and may_send)
        self.retry_button.setEnabled(relay is not None and may_send and failed > 0)
        self.settings_button.setEnabled(admin)
        no_relay = "No mail relay is set: notices stay as .eml files in the outbox folder."
        self.send_button.setToolTip(
            no_relay if relay is None else "Send what is waiting now (every scheduler pass also does)."
            if may_send else "Your roles may not send the outbox.")
        self.retry_button.setToolTip(
            no_relay if relay is None else f"Try the {failed:,} failed notices again now, whatever the relay "
            "answered." if failed else "No notice has failed.")
        self.settings_button.setToolTip("The SMTP relay notices are sent through." if admin else
                                        f"Only an {ROLE_TITLES[Role.ADMIN].lower()} sets the mail relay.")
        self.relay_label.setText(
            no_relay if relay is None else
            f"Sent through {relay.host}:{relay.port}{' with STARTTLS' if relay.starttls else ''}, "
            f"from {relay.sender_address}.")

    def selected(self) -> NoticeInfo | None:
        return self.model.notice(self.table.currentIndex().row())

    def _show_selected(self) -> None:
        n = self.selected()
        self.subject.setText(n.subject if n else "Select a notice to read it")
        self.meta.setText(
            f"To {n.recipient} \u00b7 {KIND_TITLES.get(n.kind, n.kind)} \u00b7 {show(n.created_at)} "
            f"by {n.created_by}" if n else "")
        self.delivery.setText(self._delivery(n) if n else "")
        self.body.setPlainText(n.body if n else "")
        self.open_email.setEnabled(bool(n and n.eml_path))
        self.open_attachment.setEnabled(bool(n and n.attachment))
        self.show_folder.setEnabled(bool(n and (n.eml_path or n.attachment)))
        self.open_attachment.setToolTip(n.attachment or "This notice has no attachment." if n else "")
        self.open_email.setToolTip(n.eml_path or "The e-mail has not been written yet." if n else "")

    def _delivery(self, n: NoticeInfo) -> str:
        """How far the notice got, with its tries and the relay's last answer."""
        words = self.model.status(n)
        if n.status == "SENT" and n.sent_at is not None:
            words += f" at {show(n.sent_at)}" + (f" (the relay said {n.answer})" if n.answer else "")
        tries = f"; tried {n.attempts} time{'s' if n.attempts != 1 else ''}" if n.attempts else ""
        if n.status == "FAILED":
            when = (f"next try at {show(n.next_try_at)}" if n.next_try_at is not None
                    else "not tried again until someone presses Retry failed")
            return f"{words}{tries}; {when}."
        return f"{words}{tries}."

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
