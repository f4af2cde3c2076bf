"""Confirmations that say what will happen, and the small forms of the release actions.

A person confirming "Notify" or "Revoke" is told how many hubs it touches and who is
told; revoking needs a reason, because every notified party is sent it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from chconsole.ui import widgets


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
        self.buttons, self.confirm_button = widgets.dialog_buttons(self, confirm_text)
        self.confirm_button.setObjectName("dangerButton" if danger else "primaryButton")
        box = widgets.dialog_column(self)
        box.addWidget(heading)
        box.addWidget(body)
        if reason_label is not None:
            label = QLabel(reason_label)
            label.setObjectName("caption")
            self.reason = QPlainTextEdit()
            self.reason.setObjectName("reason")
            self.reason.setPlaceholderText("Required: every notified party is sent this reason.")
            self.reason.setFixedHeight(90)
            self.reason.textChanged.connect(self._check)
            box.addWidget(label)
            box.addWidget(self.reason)
        box.addWidget(self.buttons)
        self._check()

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip() if self.reason is not None else ""

    def _check(self) -> None:
        self.confirm_button.setEnabled(self.reason is None or bool(self.reason_text()))


class NoteDialog(QDialog):
    """Asks for a new release note reference; the old one stays in the history."""

    def __init__(self, release_id: int, current: str, notified: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Update release note")
        self.setMinimumWidth(520)
        self.current = current
        heading = QLabel(f"Update the release note of release {release_id}")
        heading.setObjectName("dialogTitle")
        told = (f"The {notified} parties notified of this release are sent the new reference."
                if notified else "The release has not been notified, so no one is sent a notice.")
        body = QLabel(f"The current reference is kept in the release note history. {told}")
        body.setWordWrap(True)
        self.note = QLineEdit(current)
        self.note.selectAll()
        self.buttons, self.save_button = widgets.dialog_buttons(self, "Update note")
        self.note.textChanged.connect(self._check)
        box = widgets.dialog_column(self)
        box.addWidget(heading)
        box.addWidget(body)
        box.addWidget(self.note)
        box.addWidget(self.buttons)
        self._check()

    def _check(self) -> None:
        text = self.note.text().strip()
        self.save_button.setEnabled(bool(text) and text != self.current)


class ExportDialog(QDialog):
    """Chooses the supplier and the file of an eligibility report."""

    def __init__(
        self, release_id: int, suppliers: Sequence[tuple[str, int]], folder: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export eligibility report")
        self.setMinimumWidth(600)
        self.release_id = release_id
        self.folder = folder
        heading = QLabel(f"Eligibility report for release {release_id}")
        heading.setObjectName("dialogTitle")
        body = QLabel("An Excel workbook listing exactly one supplier's eligible hubs and its "
                      "role for each. It never names another supplier.")
        body.setWordWrap(True)
        self.supplier = QComboBox()
        for party, hubs in suppliers:
            self.supplier.addItem(f"{party}  ({hubs:,} hubs)", party)
        self.path = QLineEdit()
        browse = QPushButton("Browse\u2026")
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.addRow("Supplier", self.supplier)
        form.addRow("File", file_row)
        self.buttons, self.export_button = widgets.dialog_buttons(self, "Export")
        self.supplier.currentIndexChanged.connect(lambda _i: self._default_path())
        self.path.textChanged.connect(lambda t: self.export_button.setEnabled(bool(t.strip())))
        box = widgets.dialog_column(self)
        box.addWidget(heading)
        box.addWidget(body)
        box.addLayout(form)
        box.addWidget(self.buttons)
        self._default_path()

    def party(self) -> str:
        return str(self.supplier.currentData() or "")

    def out_path(self) -> Path:
        return Path(self.path.text().strip()).expanduser()

    def _default_path(self) -> None:
        name = f"eligibility-release-{self.release_id}-{self.party().lower()}.xlsx"
        self.path.setText(str(self.folder / name))

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Save eligibility report", self.path.text(), "Excel workbook (*.xlsx)")
        if chosen:
            self.path.setText(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx")
