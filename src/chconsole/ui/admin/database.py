"""Starting without a database: create one here, open an existing one, or look at a demo.

`chconsole` alone opens the user's database; where there is none yet, the window asks what
to do instead of sending the person to a terminal. A new database is an SQLite file on this
computer or a shared PostgreSQL database; whoever creates it is its first user and holds
every role, administrator included (as `chconsole init` does), and adds the others in the
Administration view.

Every question goes through run_dialog (tests answer them); the database work itself is
handed to the caller's WORK function, which runs it off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from chconsole.ui.common import dialogs

CREATE, OPEN, DEMO = "create", "open", "demo"
SQLITE_FILTER = "chconsole databases (*.db);;All files (*)"
POSTGRES_HINT = "postgresql+psycopg://user@host/chconsole"


@dataclass(frozen=True)
class StartChoice:
    """What the person chose: a database to open (URL; just CREATED or not), or a demo."""

    url: str | None
    created: bool = False
    demo: bool = False


class StartDialog(QDialog):
    """No database at the usual place: create one, open another, or look at a demo."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("chconsole")
        self.setObjectName("startDialog")
        self.setMinimumWidth(620)
        self.choice: str | None = None
        box = dialogs.dialog_column(self, spacing=10)
        box.addWidget(dialogs.label("No chconsole database yet", "dialogTitle"))
        box.addWidget(dialogs.label(f"There is no chconsole database at {label}.", rich=False))
        for choice, text, hint in (
            (CREATE, "Create a new database here\u2026",
             "For real work: a file on this computer, or a shared PostgreSQL database. You become its "
             "administrator, then import the SMI extract and fill the CPL in the Administration view."),
            (OPEN, "Open an existing database\u2026", "A chconsole database made before, here or on a server."),
            (DEMO, "Look around in a demo database",
             "A simulated estate of 200,000 hubs with a pilot under way on the simulated CSP network, "
             "and a clock you can speed up or pause."),
        ):
            button = QPushButton(text)
            button.setObjectName("primaryButton" if choice == CREATE else "")
            button.setMinimumHeight(34)
            button.clicked.connect(lambda _c=False, choice=choice: self._chose(choice))
            setattr(self, f"{choice}_button", button)
            group = QVBoxLayout()
            group.setSpacing(4)
            group.addWidget(button)
            group.addWidget(dialogs.label(hint, "hint", rich=False))
            box.addLayout(group)
            box.addSpacing(6)
        quit_row = QHBoxLayout()
        quit_row.addStretch(1)
        quit_button = QPushButton("Quit")
        quit_button.clicked.connect(self.reject)
        quit_row.addWidget(quit_button)
        box.addLayout(quit_row)

    def _chose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


class DatabaseDialog(QDialog):
    """Where the database to create (MODE CREATE) or open (OPEN) is: a file, or a PostgreSQL URL."""

    def __init__(self, mode: str, default_file: Path, actor: str, error: str = "", given: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        creating = mode == CREATE
        self.setWindowTitle("New database" if creating else "Open a database")
        self.setObjectName("databaseDialog")
        self.setMinimumWidth(640)
        self.file_choice = QRadioButton("A file on this computer (SQLite), for one workstation")
        self.server_choice = QRadioButton("A shared PostgreSQL database, for several workstations")
        group = QButtonGroup(self)
        group.addButton(self.file_choice)
        group.addButton(self.server_choice)
        self.path = QLineEdit(str(default_file))
        self.path.setObjectName("databaseFile")
        browse = QPushButton("Browse\u2026")
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.setContentsMargins(24, 0, 0, 0)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        self.server = QLineEdit()
        self.server.setObjectName("databaseUrl")
        self.server.setPlaceholderText(POSTGRES_HINT)
        server_row = QHBoxLayout()
        server_row.setContentsMargins(24, 0, 0, 0)
        server_row.addWidget(self.server, 1)
        if given.startswith("postgresql"):
            self.server.setText(given)
            self.server_choice.setChecked(True)
        else:
            if given:
                self.path.setText(given.removeprefix("sqlite:///"))
            self.file_choice.setChecked(True)
        self.error = dialogs.label(error, "formError", rich=False)
        self.error.setVisible(bool(error))
        self.buttons, self.go_button = dialogs.dialog_buttons(self, "Create database" if creating else "Open")
        self.go_button.setObjectName("primaryButton")
        for edit in (self.path, self.server):
            edit.textChanged.connect(lambda _t: self._check())
        group.buttonToggled.connect(lambda *_: self._check())
        box: QVBoxLayout = dialogs.dialog_column(self, spacing=8)
        box.addWidget(dialogs.label("Create a new database" if creating else "Open an existing database",
                                    "dialogTitle"))
        if creating:
            box.addWidget(dialogs.label(
                f"<b>{actor}</b> becomes its first user, holding every role including administrator. "
                "Add the others, import the SMI extract and fill the CPL in the Administration view."))
        box.addWidget(self.file_choice)
        box.addLayout(file_row)
        box.addSpacing(4)
        box.addWidget(self.server_choice)
        box.addLayout(server_row)
        box.addWidget(self.error)
        box.addWidget(self.buttons)
        self._check()

    def url(self) -> str:
        if self.server_choice.isChecked():
            return self.server.text().strip()
        return f"sqlite:///{Path(self.path.text().strip()).expanduser().absolute()}"

    def _check(self) -> None:
        text = self.server.text() if self.server_choice.isChecked() else self.path.text()
        self.go_button.setEnabled(bool(text.strip()))

    def _browse(self) -> None:
        start = self.path.text()
        if self.mode == CREATE:
            chosen, _f = QFileDialog.getSaveFileName(self, "New chconsole database", start, SQLITE_FILTER)
        else:
            chosen, _f = QFileDialog.getOpenFileName(self, "chconsole database", start, SQLITE_FILTER)
        if chosen:
            self.path.setText(chosen)
            self.file_choice.setChecked(True)


def start_without_database(label: str, default_file: Path, actor: str,
                           work: Callable[[str, str], None]) -> StartChoice | None:
    """Ask until the person has a database (or a demo), or quits (None).

    WORK(mode, url) creates the database at URL (CREATE) or checks there is one (OPEN), off
    the GUI thread, raising ChconsoleError with one sentence when it cannot; the sentence is
    shown in the same dialog, which asks again."""
    while True:
        start = StartDialog(label)
        if not dialogs.run_dialog(start) or start.choice is None:
            return None
        if start.choice == DEMO:
            return StartChoice(None, demo=True)
        error, given = "", ""
        while True:
            dialog = DatabaseDialog(start.choice, default_file, actor, error, given)
            if not dialogs.run_dialog(dialog):
                break  # back to the first question
            given = dialog.url()
            try:
                work(start.choice, given)
            except Exception as exc:  # noqa: BLE001 - shown in the dialog, which asks again
                error = str(exc)
                continue
            return StartChoice(given, created=start.choice == CREATE)
