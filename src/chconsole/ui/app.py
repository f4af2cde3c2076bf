"""The console's entry point and composition root: options, the database, the window.

    chconsole [--db URL] [--as USER]           the console on a database (default: yours)
    chconsole demo [--hubs N] | --demo         a fresh demo database, then the console on it
    chconsole snapshot --out DIR [--hubs N] [--db URL]
                                               every view rendered offscreen to DIR/*.png
"""

from __future__ import annotations

import argparse
import getpass
import logging
import logging.handlers
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from platformdirs import user_log_dir
from PySide6.QtCore import QEventLoop, QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from chconsole.core.bootstrap import locate_database, open_engine
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.errors import ChconsoleError
from chconsole.ui.common.widgets import apply_look, icon
from chconsole.ui.main_window import MainWindow
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.messages import MessageBridge, describe
from chconsole.ui.runtime.settings import Settings
from chconsole.ui.runtime.tasks import TaskRunner
from chconsole.ui.tools.snapshot import take_snapshots

log = logging.getLogger("chconsole.ui")
DEMO_HUBS = 200_000
DEMO_USER = "demo"


def parse(args: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="chconsole", description="The chconsole operator console.")
    p.add_argument("command", nargs="?", choices=["demo", "snapshot"], help="demo or snapshot")
    p.add_argument("--db", metavar="URL", help="SQLAlchemy URL (default: your data folder's SQLite file)")
    p.add_argument("--as", dest="actor", metavar="USER", help="the acting DCC user")
    p.add_argument("--demo", action="store_true", help="open a fresh demo database")
    p.add_argument("--hubs", type=int, default=DEMO_HUBS, help="hubs in a demo estate")
    p.add_argument("--out", type=Path, metavar="DIR", help="where snapshot writes its PNGs")
    ns = p.parse_intermixed_args(list(args))
    if ns.demo:
        ns.command = "demo"
    if ns.command == "snapshot" and ns.out is None:
        p.error("snapshot needs --out DIR")
    if ns.hubs < 1:
        p.error("--hubs must be at least 1")
    return ns


def acting_user(given: str | None) -> str:
    return given or os.environ.get("CHCONSOLE_USER") or getpass.getuser()


def _log_to_file() -> None:
    root = logging.getLogger("chconsole")
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return
    folder = Path(user_log_dir("chconsole", "DCC"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(folder / "chconsole.log", maxBytes=2_000_000, backupCount=3)
    except OSError:
        return  # a read-only home must not stop the console; stderr still has everything
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def build_demo(runner: TaskRunner, hubs: int, folder: Path | None = None, quiet: bool = False) -> str:
    """Create a demo database off the GUI thread, showing its progress; returns its URL."""
    from sim.demo import build

    where = folder or Path(tempfile.mkdtemp(prefix="chconsole-demo-"))
    url = f"sqlite:///{where / 'demo.db'}"
    dialog = None if quiet else QProgressDialog("Creating a demo database\u2026", "", 0, 0)
    if dialog is not None:
        dialog.setWindowTitle("chconsole demo")
        dialog.setCancelButton(None)  # building cannot be interrupted half way
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(420)
        dialog.show()
    loop = QEventLoop()
    failure: list[BaseException] = []

    def said(text: object) -> None:
        if dialog is not None:
            dialog.setLabelText(f"{text}\u2026" if text != "Ready" else "Ready")
        else:
            print(f"demo: {text}", file=sys.stderr)

    def finished(engine: Engine) -> None:
        engine.close()
        loop.quit()

    def failed(exc: BaseException) -> None:
        failure.append(exc)
        loop.quit()

    runner.submit(lambda ctx: build(url, hubs, progress=ctx.partial), label="building a demo database",
                  on_partial=said, on_done=finished, on_error=failed)
    loop.exec()
    if dialog is not None:
        dialog.close()
    if failure:
        raise failure[0]
    return url


def _offer_demo(url: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, "No database",
                      f"There is no chconsole database at {locate_database(url).label}.")
    box.setInformativeText(
        "Create one for real work from a terminal with 'chconsole init', then import the SMI "
        "extract with 'chconsole import-estate FILE'.\n\nOr look around first in a demo database: "
        "a simulated estate of 200,000 hubs, one release notified and its pilot under way on the "
        "simulated CSP network, with a clock you can speed up or pause.")
    demo = box.addButton("Create a demo database", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is demo


def open_console(url: str, actor: str, settings: Settings, runner: TaskRunner) -> MainWindow:
    engine = open_engine(url, actor)
    console = Console(engine=engine, runner=runner, messages=MessageBridge(), settings=settings)
    return MainWindow(console)


def main(args: list[str]) -> int:
    """Run the console (or a snapshot); returns the exit status."""
    ns = parse(args)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if ns.command == "snapshot":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "chconsole"])
    assert isinstance(app, QApplication)
    app.setApplicationName("chconsole")
    app.setOrganizationName("DCC")
    app.setWindowIcon(icon("chconsole"))
    apply_look(app)
    runner = TaskRunner()
    try:
        if ns.command == "snapshot":
            return _snapshot(ns, runner)
        _log_to_file()
        url, actor = locate_database(ns.db).url, acting_user(ns.actor)
        if ns.command == "demo":
            url, actor = build_demo(runner, ns.hubs), ns.actor or DEMO_USER
        elif not locate_database(url).exists:
            if not _offer_demo(url):
                runner.shutdown()
                return 1
            url, actor = build_demo(runner, DEMO_HUBS), DEMO_USER
        window = open_console(url, actor, Settings(), runner)
    except ChconsoleError as exc:
        runner.shutdown()
        QMessageBox.critical(None, "chconsole", describe(exc)[1])
        return exc.exit_status
    window.show()
    window.start()
    status = app.exec()
    return int(status)


def _snapshot(ns: argparse.Namespace, runner: TaskRunner) -> int:
    out: Path = ns.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chconsole-snapshot-") as tmp:
        url = ns.db or build_demo(runner, ns.hubs, Path(tmp), quiet=True)
        # A throwaway settings file: screenshots must not depend on (or change) the user's.
        settings = Settings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        # Pictures are of demo databases, whose user is "demo", unless told otherwise.
        actor = ns.actor or os.environ.get("CHCONSOLE_USER") or DEMO_USER
        try:
            window = open_console(url, actor, settings, runner)
        except ChconsoleError as exc:
            runner.shutdown()
            print(f"chconsole: {exc}", file=sys.stderr)
            return exc.exit_status
        try:
            written = take_snapshots(window, out)
        finally:
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
            window.close()
            window.console.engine.close()
    for path in written:
        print(path)
    return 0
