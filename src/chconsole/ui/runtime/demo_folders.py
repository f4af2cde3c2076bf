"""Where demo databases live: one folder per demo under the user's cache folder.

A demo database of 200,000 hubs takes a few hundred megabytes, and a person may start the
demo every day: so each demo gets a folder of its own under one known place
(`<cache>/chconsole/demo/`, or $CHCONSOLE_DEMO_DIR), and starting a new demo removes the
old ones. The folder of a demo still open (in this or another console) is locked, so it is
left alone; a lock whose console has died holds nothing back. The newest demo stays after
the window closes, so it can be opened again with --db until the next demo starts.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir
from PySide6.QtCore import QLockFile

PREFIX = "demo-"
LOCK = "open.lock"
DATABASE = "demo.db"


def demo_root() -> Path:
    """The one folder every demo database lives under."""
    env = os.environ.get("CHCONSOLE_DEMO_DIR")
    return Path(env) if env else Path(user_cache_dir("chconsole", "DCC")) / "demo"


def _lock(folder: Path) -> QLockFile:
    lock = QLockFile(str(folder / LOCK))
    lock.setStaleLockTime(0)  # stale only when the console holding it has gone, however long it ran
    return lock


@dataclass
class DemoFolder:
    """A demo's own folder (PATH), locked while its console is open."""

    path: Path
    lock: QLockFile

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path / DATABASE}"

    def release(self) -> None:
        """The console closed: the next demo may remove this folder."""
        self.lock.unlock()


def is_demo_database(url: str, root: Path | None = None) -> bool:
    """Whether URL is a database in one of the demo folders (someone reopened a demo)."""
    if not url.startswith("sqlite:///"):
        return False
    path = Path(url.removeprefix("sqlite:///")).resolve()
    return path.parent.parent == (root or demo_root()).resolve() and path.parent.name.startswith(PREFIX)


def remove_old_demos(root: Path | None = None) -> list[Path]:
    """Remove every demo folder under ROOT whose console is closed; returns those removed."""
    root = root or demo_root()
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or not folder.name.startswith(PREFIX):
            continue
        lock = _lock(folder)
        if not lock.tryLock(0):
            continue  # a console has this demo open
        lock.unlock()
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def new_demo_folder(root: Path | None = None) -> DemoFolder:
    """A fresh, locked folder for a new demo, after removing the old ones."""
    root = root or demo_root()
    root.mkdir(parents=True, exist_ok=True)
    remove_old_demos(root)
    path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=root))
    lock = _lock(path)
    if not lock.tryLock(0):
        raise OSError(f"could not lock the demo folder {path}")
    return DemoFolder(path, lock)
