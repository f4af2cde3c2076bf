"""The administration view's dialogs: an SMI extract to import, a CPL entry, a user's roles,
a party's name and notice address.

Each only gathers what the engine needs; the engine checks it and its refusal is shown in
one sentence (nothing typed is judged here beyond "is anything there at all").
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.dto import PartyInfo
from chconsole.core.engine.roles import ROLE_TITLES, Role
from chconsole.ui.common import dialogs

EXTRACT_FILTER = "SMI extracts (*.csv *.xlsx *.xlsm);;All files (*)"


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setHorizontalSpacing(16)
    form.setVerticalSpacing(10)
    return form


class ImportDialog(QDialog):
    """Which SMI extract to import, and how (complete extract; keep the good rows)."""

    def __init__(self, folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import SMI extract")
        self.setObjectName("importExtractDialog")
        self.setMinimumWidth(620)
        self.folder = folder
        self.path = QLineEdit()
        self.path.setObjectName("extractPath")
        self.path.setPlaceholderText("CSV or Excel file: guid, device_model, firmware_version, smi_status, ...")
        browse = QPushButton("Browse\u2026")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.full = QCheckBox("The extract is complete: hubs missing from it have left the SMI")
        self.full.setToolTip("They leave any release they were in, and their suppliers are told.")
        self.skip_invalid = QCheckBox("Import the good rows and list the bad ones")
        self.skip_invalid.setToolTip("Without this, one bad row refuses the whole file and nothing changes.")
        self.buttons, self.import_button = dialogs.dialog_buttons(self, "Import")
        self.import_button.setObjectName("primaryButton")
        self.path.textChanged.connect(lambda _t: self.import_button.setEnabled(bool(self.path.text().strip())))
        self.import_button.setEnabled(False)
        box = dialogs.dialog_column(self)
        box.addWidget(dialogs.label("Import the SMI extract", "dialogTitle"))
        box.addWidget(dialogs.label(
            "Loads a new estate or refreshes this one: new hubs are added, changed hubs updated. "
            "A row that cannot be read refuses the whole file, every bad row listed with its line; "
            "nothing is changed until the whole file is good."))
        box.addLayout(row)
        box.addWidget(self.full)
        box.addWidget(self.skip_invalid)
        box.addWidget(self.buttons)

    def chosen(self) -> Path:
        return Path(self.path.text().strip()).expanduser()

    def _browse(self) -> None:
        start = self.path.text() or self.folder
        chosen, _filter = QFileDialog.getOpenFileName(self, "SMI extract", start, EXTRACT_FILTER)
        if chosen:
            self.path.setText(chosen)


class CplEntryDialog(QDialog):
    """A CPL entry: model, firmware version, image hash; manufacturer and hardware optional."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add CPL entry")
        self.setObjectName("cplEntryDialog")
        self.setMinimumWidth(640)
        self.model = QLineEdit()
        self.model.setPlaceholderText("e.g. EDMI-CHF-420")
        self.firmware = QLineEdit()
        self.firmware.setPlaceholderText("8 hex characters, e.g. 0002012F")
        self.image_hash = QLineEdit()
        self.image_hash.setPlaceholderText("SHA-256 of the firmware image: 64 hex characters")
        self.manufacturer = QLineEdit()
        self.manufacturer.setPlaceholderText("Optional: taken from the model's first word")
        self.hardware = QLineEdit()
        self.hardware.setPlaceholderText("Optional: 1.0")
        form = _form()
        for caption, field in (("Device model", self.model), ("Firmware version", self.firmware),
                               ("Image hash", self.image_hash), ("Manufacturer", self.manufacturer),
                               ("Hardware version", self.hardware)):
            form.addRow(caption, field)
            field.textChanged.connect(lambda _t: self._check())
        self.buttons, self.add_button = dialogs.dialog_buttons(self, "Add to the CPL")
        self.add_button.setObjectName("primaryButton")
        box = dialogs.dialog_column(self)
        box.addWidget(dialogs.label("Add a CPL entry", "dialogTitle"))
        box.addWidget(dialogs.label("An approved device model and firmware version from the Central "
                                    "Products List, with the image's hash. Releases are drafted from these."))
        box.addLayout(form)
        box.addWidget(self.buttons)
        self._check()

    def values(self) -> tuple[str, str, str, str, str]:
        """(model, firmware version, image hash, manufacturer, hardware version)."""
        return (self.model.text().strip(), self.firmware.text().strip(), self.image_hash.text().strip(),
                self.manufacturer.text().strip(), self.hardware.text().strip())

    def _check(self) -> None:
        self.add_button.setEnabled(all(self.values()[:3]))


class UserDialog(QDialog):
    """A new user's name and roles, or (NAME given) the roles an existing user should hold."""

    def __init__(self, name: str = "", roles: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        new = not name
        self.setWindowTitle("Add user" if new else f"Roles of {name}")
        self.setObjectName("userDialog")
        self.setMinimumWidth(480)
        self.name = QLineEdit(name)
        self.name.setPlaceholderText("Their login name, e.g. jsmith")
        self.name.setReadOnly(not new)
        self.roles: dict[str, QCheckBox] = {}
        role_box = QVBoxLayout()
        role_box.setSpacing(4)
        for role in Role:
            check = QCheckBox(ROLE_TITLES[role])
            check.setChecked(role.value in roles)
            check.toggled.connect(lambda _on: self._check())
            self.roles[role.value] = check
            role_box.addWidget(check)
        self.name.textChanged.connect(lambda _t: self._check())
        form = _form()
        form.addRow("User", self.name)
        form.addRow("Roles", role_box)
        self.buttons, self.save_button = dialogs.dialog_buttons(self, "Add user" if new else "Save roles")
        self.save_button.setObjectName("primaryButton")
        box = dialogs.dialog_column(self)
        box.addWidget(dialogs.label("Add a DCC user" if new else f"Roles of {name}", "dialogTitle"))
        box.addWidget(dialogs.label(
            "A DCC user acts under their login name. Operators log incidents and import supplier files; "
            "release managers run releases, pilots and batches; Panel secretaries record the Panel's "
            "decisions; administrators manage users."))
        box.addLayout(form)
        box.addWidget(self.buttons)
        self._check()

    def chosen_roles(self) -> list[str]:
        return [role for role, check in self.roles.items() if check.isChecked()]

    def _check(self) -> None:
        self.save_button.setEnabled(bool(self.name.text().strip()) and bool(self.chosen_roles()))


class PartyDialog(QDialog):
    """A supplier's (or CSP's) name and the address its notices are written to."""

    def __init__(self, party: PartyInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{party.id}: name and notice address")
        self.setObjectName("partyDialog")
        self.setMinimumWidth(520)
        self.party = party
        self.name = QLineEdit(party.name)
        self.email = QLineEdit(party.email or "")
        self.email.setPlaceholderText("e.g. firmware-notices@supplier.co.uk")
        form = _form()
        form.addRow("Party", dialogs.label(f"<b>{party.id}</b> ({'CSP' if party.kind == 'csp' else 'supplier'})"))
        form.addRow("Name", self.name)
        form.addRow("Notice address", self.email)
        self.buttons, self.save_button = dialogs.dialog_buttons(self, "Save")
        self.save_button.setObjectName("primaryButton")
        box = dialogs.dialog_column(self)
        box.addWidget(dialogs.label(f"{party.id}: name and notice address", "dialogTitle"))
        box.addWidget(dialogs.label(
            "Notices to this party are addressed to it: release notices, receipts, reports. "
            "Leave the address empty to keep its notices as files in the outbox only."))
        box.addLayout(form)
        box.addWidget(self.buttons)
