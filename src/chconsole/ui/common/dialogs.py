"""Dialogs' shared parts: how a dialog is run, its buttons and margins, its labels, and the
confirmation that says what will happen.

Every modal dialog is opened through run_dialog(), the one place tests replace to answer
dialogs. A person confirming "Notify", "Revoke" or "Run now" is told how many hubs it
touches and who is told; with a reason to give, the confirm button waits for one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


def run_dialog(dialog: QDialog) -> bool:
    """Show DIALOG modally; True when accepted. Tests replace this to answer dialogs."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def dialog_buttons(
    dialog: QDialog, action: str, *, accept: bool = True
) -> tuple[QDialogButtonBox, QPushButton]:
    """Cancel plus one action button; the action accepts the dialog unless ACCEPT is False."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    button = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
    if accept:
        buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, button


def dialog_column(dialog: QDialog, spacing: int = 12) -> QVBoxLayout:
    """The dialogs' one outer layout: the same margins everywhere."""
    box = QVBoxLayout(dialog)
    box.setContentsMargins(22, 18, 22, 18)
    box.setSpacing(spacing)
    return box


def label(text: str, name: str = "dialogBody", rich: bool = True) -> QLabel:
    """A wrapping label styled by NAME (dialogBody, dialogTitle, hint, fieldError...)."""
    out = QLabel(text)
    out.setObjectName(name)
    out.setWordWrap(True)
    out.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    return out


def hint(text: str) -> QLabel:
    """A short grey note beside a field, on one line."""
    out = QLabel(text)
    out.setObjectName("hint")
    return out


def grow(dialog: QDialog) -> None:
    """Make room for what appeared (a receipt, refused GUIDs): a shown dialog does not grow
    on its own, and adjustSize() stops at two thirds of the screen."""
    wanted = dialog.sizeHint().height()
    if dialog.isVisible() and wanted > dialog.height():
        dialog.resize(dialog.width(), wanted)


def browse_guid_list(parent: QWidget, path: QLineEdit) -> None:
    """Let the person pick a GUID list (.csv or .xlsx) into PATH."""
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, "GUID list", path.text(), "GUID lists (*.csv *.xlsx *.xlsm);;All files (*)")
    if chosen:
        path.setText(chosen)


def guid_file_field(parent: QWidget, optional: bool = False) -> tuple[QLineEdit, QWidget]:
    """A GUID list's path with its Browse button: the edit, and the row holding both."""
    path = QLineEdit()
    path.setPlaceholderText(("Optional: " if optional else "") + "CSV or Excel file with a 'guid' column")
    browse = QPushButton("Browse\u2026")
    browse.clicked.connect(lambda: browse_guid_list(parent, path))
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(path, 1)
    layout.addWidget(browse)
    return path, row


class ConfirmDialog(QDialog):
    """A question with a plain account of its consequences, and optionally a reason.

    With a REASON_LABEL the confirm button stays disabled until a reason is typed.
    """

    def __init__(
        self,
        title: str,
        question: str,
        consequences: str,
        confirm_text: str,
        reason_label: str | None = None,
        danger: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("confirmDialog")
        self.setMinimumWidth(580)
        heading = QLabel(question)
        heading.setObjectName("dialogTitle")
        heading.setWordWrap(True)
        body = QLabel(consequences)
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setObjectName("dialogBody")
        self.reason: QPlainTextEdit | None = None
        self.buttons, self.confirm_button = dialog_buttons(self, confirm_text)
        self.confirm_button.setObjectName("dangerButton" if danger else "primaryButton")
        box = dialog_column(self)
        box.addWidget(heading)
        box.addWidget(body)
        if reason_label is not None:
            caption = QLabel(reason_label)
            caption.setObjectName("caption")
            self.reason = QPlainTextEdit()
            self.reason.setObjectName("reason")
            self.reason.setPlaceholderText("Required: every notified party is sent this reason.")
            self.reason.setFixedHeight(90)
            self.reason.textChanged.connect(self._check)
            box.addWidget(caption)
            box.addWidget(self.reason)
        box.addWidget(self.buttons)
        self._check()

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip() if self.reason is not None else ""

    def _check(self) -> None:
        self.confirm_button.setEnabled(self.reason is None or bool(self.reason_text()))
