"""The estate browser's dialog: which supplier's estate status report, and to which file."""

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

TITLE = "Estate status report"


class EstateStatusDialog(QDialog):
    """Chooses the supplier and the file of an estate status report."""

    def __init__(
        self, suppliers: Sequence[tuple[str, str]], chosen: str | None, folder: Path, day: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setObjectName("estateStatusDialog")
        self.setMinimumWidth(600)
        self.folder = folder
        self.day = day
        heading = QLabel("Estate status report")
        heading.setObjectName("dialogTitle")
        body = QLabel("An Excel workbook of every hub in the SMI where one supplier is the Import or "
                      "Gas Supplier: its firmware, SMI status and place in its latest release. A hub "
                      "shared with another supplier says so, without naming that supplier.")
        body.setWordWrap(True)
        self.supplier = QComboBox()
        for party, name in suppliers:
            self.supplier.addItem(f"{party} \u00b7 {name}" if name != party else party, party)
        self.supplier.setCurrentIndex(max(self.supplier.findData(chosen), 0) if chosen else 0)
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
        self.export_button.setObjectName("primaryButton")
        self.supplier.currentIndexChanged.connect(lambda _i: self._default_path())
        self.path.textChanged.connect(lambda _t: self._check())
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

    def _check(self) -> None:
        self.export_button.setEnabled(bool(self.party()) and bool(self.path.text().strip()))

    def _default_path(self) -> None:
        self.path.setText(str(self.folder / f"estate-status-{self.party().lower()}-{self.day}.xlsx"))
        self._check()

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Save estate status report", self.path.text(), "Excel workbook (*.xlsx)")
        if chosen:
            self.path.setText(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx")
