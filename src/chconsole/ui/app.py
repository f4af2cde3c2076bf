"""The console's entry point and composition root: options, the database, the window.

    chconsole [--db URL] [--as USER]           the console on a database (default: yours)
    chconsole demo [--hubs N] | --demo         a fresh demo database, then the console on it
    chconsole snapshot --out DIR [--hubs N] [--db URL]
                                               every view rendered offscreen to DIR/*.png
    chconsole tour [--hubs N]                  the real window on a small demo, every view
                                               shown once, then quit (exit 1 if one fails)

Without --db the console opens the database it last opened (or your data folder's); where
there is none, it offers to create one, open another, or build a demo.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import logging.handlers
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from platformdirs import user_log_dir
from PySide6.QtCore import QEventLoop, QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from chconsole.core.bootstrap import create_database, locate_database, open_engine
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.errors import ChconsoleError, DatabaseError
from chconsole.ui.admin.database import CREATE, StartChoice, start_without_database
from chconsole.ui.common.widgets import apply_look, icon
from chconsole.ui.main_window import MainWindow
from chconsole.ui.runtime.context import Console
from chconsole.ui.runtime.demo_folders import DemoFolder, is_demo_database, new_demo_folder
from chconsole.ui.runtime.messages import MessageBridge, describe
from chconsole.ui.runtime.settings import LAST_DATABASE, Settings
from chconsole.ui.runtime.tasks import TaskRunner
from chconsole.ui.tools.snapshot import take_snapshots
from chconsole.ui.tools.tour import QtMessages, tour

log = logging.getLogger("chconsole.ui")
DEMO_HUBS = 200_000
DEMO_USER = "demo"
TOUR_HUBS = 2_000


def parse(args: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="chconsole", description="The chconsole operator console.")
    p.add_argument("command", nargs="?", choices=["demo", "snapshot", "tour"], help="demo, snapshot or tour")
    p.add_argument("--db", metavar="URL", help="SQLAlchemy URL (default: your data folder's SQLite file)")
    p.add_argument("--as", dest="actor", metavar="USER", help="the acting DCC user")
    p.add_argument("--demo", action="store_true", help="open a fresh demo database")
    p.add_argument("--hubs", type=int, help=f"hubs in a demo estate (default {DEMO_HUBS:,}; a tour {TOUR_HUBS:,})")
    p.add_argument("--out", type=Path, metavar="DIR", help="where snapshot writes its PNGs")
    ns = p.parse_intermixed_args(list(args))
    if ns.demo:
        ns.command = "demo"
    if ns.command == "snapshot" and ns.out is None:
        p.error("snapshot needs --out DIR")
    if ns.hubs is None:
        ns.hubs = TOUR_HUBS if ns.command == "tour" else DEMO_HUBS
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


def build_demo(runner: TaskRunner, hubs: int, folder: Path, quiet: bool = False) -> str:
    """Create a demo database in FOLDER off the GUI thread, showing its progress; returns its URL."""
    from sim.demo import build

    url = f"sqlite:///{folder / 'demo.db'}"
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


def run_here(runner: TaskRunner, job: Callable[[], object]) -> object:
    """Run JOB on the runner's writer and wait here (before any window), raising its error."""
    loop = QEventLoop()
    outcome: list[tuple[bool, object]] = []

    def ended(ok: bool, value: object) -> None:
        outcome.append((ok, value))
        loop.quit()

    runner.submit(lambda _ctx: job(), label="preparing the database", on_done=lambda v: ended(True, v),
                  on_error=lambda exc: ended(False, exc))
    loop.exec()
    ok, value = outcome[0]
    if not ok:
        raise value  # type: ignore[misc]
    return value


def prepare_database(runner: TaskRunner, actor: str) -> Callable[[str, str], None]:
    """The start dialog's work: create the database at URL (ACTOR its administrator), or check
    that there is one to open; off the GUI thread."""
    def create(url: str) -> None:
        create_database(url, actor).close()

    def check(url: str) -> None:
        path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else None
        if path is not None and not Path(path).is_file():
            raise DatabaseError(f"There is no file {path}.")
        where = locate_database(url)
        if not where.exists:
            raise DatabaseError(f"There is no chconsole database at {where.label}.")

    def work(mode: str, url: str) -> None:
        run_here(runner, lambda: create(url) if mode == CREATE else check(url))

    return work


def open_console(url: str, actor: str, settings: Settings, runner: TaskRunner, demo: bool = False) -> MainWindow:
    engine = open_engine(url, actor)
    console = Console(engine=engine, runner=runner, messages=MessageBridge(), settings=settings)
    return MainWindow(console, demo=demo or is_demo_database(url))


def _start_demo(runner: TaskRunner, hubs: int) -> tuple[str, DemoFolder]:
    """A new demo in its own folder (the old demos removed); the folder stays locked while open."""
    folder = new_demo_folder()
    try:
        return build_demo(runner, hubs, folder.path), folder
    except BaseException:
        folder.release()
        raise


def main(args: list[str]) -> int:
    """Run the console (or a snapshot); returns the exit status."""
    ns = parse(args)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if ns.command == "snapshot":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qt_messages = QtMessages().install() if ns.command == "tour" else None  # before Qt says anything
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
        if ns.command == "tour":
            return _tour(ns, runner, qt_messages or QtMessages())
        _log_to_file()
        settings = Settings()
        actor, demo, created = acting_user(ns.actor), None, False
        url = ns.db or _remembered(settings) or locate_database(None).url
        if ns.command == "demo":
            (url, demo), actor = _start_demo(runner, ns.hubs), ns.actor or DEMO_USER
        elif not locate_database(url).exists:
            where, usual = locate_database(url), locate_database(None).url
            new_file = Path((where.url if where.url.startswith("sqlite:///") else usual).removeprefix("sqlite:///"))
            choice: StartChoice | None = start_without_database(
                where.label, new_file, actor, prepare_database(runner, actor))
            if choice is None:
                runner.shutdown()
                return 1
            if choice.demo:
                (url, demo), actor = _start_demo(runner, DEMO_HUBS), DEMO_USER
            else:
                url, created = str(choice.url), choice.created
                settings.set(LAST_DATABASE, url)
        window = open_console(url, actor, settings, runner, demo=demo is not None)
    except ChconsoleError as exc:
        runner.shutdown()
        QMessageBox.critical(None, "chconsole", describe(exc)[1])
        return exc.exit_status
    window.show()
    window.start()
    if created:  # a new, empty database: what comes first is in Administration
        window.show_view(window.views.index(window.admin))
    status = app.exec()
    if demo is not None:
        demo.release()
    return int(status)


def _remembered(settings: Settings) -> str | None:
    """The database the window last opened through its start dialog, while it is still there."""
    url = settings.get(LAST_DATABASE)
    if not url or (url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file()):
        return None  # (looking inside a missing SQLite file would leave an empty one behind)
    try:
        return url if locate_database(url).exists else None
    except ChconsoleError:
        return None  # a server that is down now: the usual database, or the start dialog


def _tour(ns: argparse.Namespace, runner: TaskRunner, messages: QtMessages) -> int:
    """A small demo in a throwaway folder, the real window on it, every view once; 0 if all went well."""
    with tempfile.TemporaryDirectory(prefix="chconsole-tour-") as tmp:
        started = time.monotonic()
        url = build_demo(runner, ns.hubs, Path(tmp), quiet=True)
        settings = Settings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        window = open_console(url, DEMO_USER, settings, runner, demo=True)
        try:
            problems = tour(window)
        finally:
            window.close()
            window.console.engine.close()
    problems += messages.about_the_platform()
    for problem in problems:
        print(f"tour: FAILED: {problem}", file=sys.stderr)
    print(f"tour: {len(window.views)} views, {len(problems)} problems, {time.monotonic() - started:.1f} s")
    return 1 if problems else 0


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
            window = open_console(url, actor, settings, runner, demo=ns.db is None)
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
