"""The small forms of the release operations: a new release note, an eligibility report.

(The confirmations that say what notifying or revoking will do are common.dialogs'
ConfirmDialog; revoking needs a reason, because every notified party is sent it.)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from chconsole.ui.common import dialogs


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
        self.buttons, self.save_button = dialogs.dialog_buttons(self, "Update note")
        self.note.textChanged.connect(self._check)
        box = dialogs.dialog_column(self)
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
        self.buttons, self.export_button = dialogs.dialog_buttons(self, "Export")
        self.supplier.currentIndexChanged.connect(lambda _i: self._default_path())
        self.path.textChanged.connect(lambda t: self.export_button.setEnabled(bool(t.strip())))
        box = dialogs.dialog_column(self)
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
