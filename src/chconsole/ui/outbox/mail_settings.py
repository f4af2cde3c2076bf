"""Mail settings: the SMTP relay notices are sent through (administrators).

A small dialog with the relay's host and port, STARTTLS, the login and the environment
variable holding its password (the password itself is never typed here nor kept), and the
sender. `edit_mail_relay(console, parent)` reads the relay, opens the dialog and saves what
was entered through Console.write; the Outbox opens it, and an administration view can too.
A refusal (a port that is not a number, a sender that is not an address) is shown in the
dialog, which stays open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLineEdit, QPushButton, QWidget

from chconsole.core.engine.dto import RelayInfo
from chconsole.ui.common import dialogs
from chconsole.ui.common.dialogs import label
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.messages import describe


@dataclass(frozen=True)
class RelaySettings:
    """What the dialog's fields hold, as entered (the engine checks them)."""

    host: str
    port: str
    starttls: bool
    user: str | None
    password_env: str | None
    sender: str | None


class MailSettingsDialog(QDialog):
    """The relay's settings. SUBMIT gets them on Save; CLEAR is called on Remove relay."""

    def __init__(self, relay: RelayInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mail settings")
        self.setObjectName("mailSettings")
        self.setMinimumWidth(620)
        self.submit: Callable[[RelaySettings], None] | None = None
        self.clear: Callable[[], None] | None = None
        self.host = QLineEdit(relay.host if relay else "")
        self.host.setPlaceholderText("relay.example.net")
        self.port = QLineEdit(str(relay.port) if relay else "587")
        self.port.setMaximumWidth(90)
        self.starttls = QCheckBox("STARTTLS: encrypt the connection before sending")
        self.starttls.setChecked(relay.starttls if relay else True)
        self.user = QLineEdit((relay.user or "") if relay else "")
        self.user.setPlaceholderText("Optional: the relay's login")
        self.password_env = QLineEdit((relay.password_env or "") if relay else "")
        self.password_env.setPlaceholderText("e.g. CHCONSOLE_SMTP_PASSWORD")
        self.sender = QLineEdit(relay.sender if relay else "")
        self.sender.setPlaceholderText("DCC Firmware Service Desk <firmware.servicedesk@smartdcc.co.uk>")
        self.sender.setCursorPosition(0)
        self.error = label("", "formError", rich=False)
        self.error.hide()
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        form.addRow("Host", self.host)
        form.addRow("Port", self.port)
        form.addRow("", self.starttls)
        form.addRow("Login", self.user)
        form.addRow("Password variable", self.password_env)
        form.addRow("Sender", self.sender)
        self.buttons, self.save_button = dialogs.dialog_buttons(self, "Save", accept=False)
        self.save_button.setObjectName("primaryButton")
        self.save_button.clicked.connect(self.send)
        self.remove_button = QPushButton("Remove relay")
        self.remove_button.setVisible(relay is not None)
        self.remove_button.clicked.connect(self._remove)
        self.buttons.addButton(self.remove_button, self.buttons.ButtonRole.DestructiveRole)
        box = dialogs.dialog_column(self)
        box.addWidget(label("The SMTP relay that sends notices", "dialogTitle", rich=False))
        box.addWidget(label(
            "Every scheduler pass sends the notices waiting, and tries failed ones again later. Without a "
            "relay, notices stay as .eml files in the outbox folder. The password is never kept: name the "
            "environment variable that holds it where the console or the scheduler runs."
            + (" Notices written before the first relay was set stay in the folder." if relay is None else ""),
            "hint", rich=False))
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(self.buttons)
        self.host.textChanged.connect(self._check)
        self.port.textChanged.connect(self._check)
        self._check()

    def settings(self) -> RelaySettings:
        def optional(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        return RelaySettings(self.host.text(), self.port.text(), self.starttls.isChecked(), optional(self.user),
                             optional(self.password_env), optional(self.sender))

    def _check(self) -> None:
        self.save_button.setEnabled(bool(self.host.text().strip() and self.port.text().strip()))

    def send(self) -> None:
        if self.submit is None or not self.save_button.isEnabled():
            return
        self.error.hide()
        self.save_button.setEnabled(False)
        self.submit(self.settings())

    def _remove(self) -> None:
        if self.clear is not None:
            self.error.hide()
            self.clear()

    def failed(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self._check()
        dialogs.grow(self)


def edit_mail_relay(console: Console, parent: QWidget, on_saved: Callable[[RelayInfo | None], None]) -> None:
    """Read the relay, let an administrator change it, save through Console.write; ON_SAVED
    gets the relay as saved (None when removed)."""
    console.read(lambda e: e.mail.relay(), lambda relay: _edit(console, parent, relay, on_saved),
                 label="reading the mail settings")


def _edit(console: Console, parent: QWidget, relay: RelayInfo | None,
          on_saved: Callable[[RelayInfo | None], None]) -> None:
    dialog = MailSettingsDialog(relay, parent)

    def submit(s: RelaySettings) -> None:
        doing = "saving the mail settings"

        def done(info: RelayInfo) -> None:
            dialog.accept()
            on_saved(info)

        console.write(lambda e: e.mail.set_relay(s.host, s.port, starttls=s.starttls, user=s.user,
                                                 password_env=s.password_env, sender=s.sender),
                      done, label=doing, on_error=lambda exc: dialog.failed(describe(exc, doing)[1]))

    def clear() -> None:
        doing = "removing the mail relay"

        def done(_had: bool) -> None:
            dialog.accept()
            on_saved(None)

        console.write(lambda e: e.mail.clear_relay(), done, label=doing,
                      on_error=lambda exc: dialog.failed(describe(exc, doing)[1]))

    dialog.submit = submit
    dialog.clear = clear
    dialogs.run_dialog(dialog)
