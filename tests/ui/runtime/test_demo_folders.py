"""Demo databases live in one known folder, and starting a demo removes the old ones, but
never one whose console is still open."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QLockFile

from chconsole.ui.runtime.demo_folders import (
    LOCK,
    is_demo_database,
    new_demo_folder,
    remove_old_demos,
)


def test_a_new_demo_removes_the_closed_ones_and_keeps_the_open_ones(tmp_path: Path, qapp) -> None:
    root = tmp_path / "demo"
    first = new_demo_folder(root)
    (first.path / "demo.db").write_bytes(b"x" * 1000)
    first.release()  # its console closed
    still_open = new_demo_folder(root)  # removes the first; this one stays locked (open)
    assert not first.path.exists()
    third = new_demo_folder(root)
    assert still_open.path.exists() and third.path.exists()
    assert sorted(p.name for p in root.iterdir()) == sorted([still_open.path.name, third.path.name])
    still_open.release()
    third.release()
    assert remove_old_demos(root) == sorted([still_open.path, third.path])
    assert list(root.iterdir()) == []


def test_a_demo_whose_console_died_is_removed(tmp_path: Path, qapp) -> None:
    root = tmp_path / "demo"
    crashed = root / "demo-crashed"
    crashed.mkdir(parents=True)
    # Another process takes the lock and dies without unlocking it (a crash, a kill).
    code = (f"from PySide6.QtCore import QLockFile; import os; l = QLockFile({str(crashed / LOCK)!r}); "
            "assert l.tryLock(0); os._exit(0)")
    subprocess.run([sys.executable, "-c", code], check=True)
    assert (crashed / LOCK).exists()
    assert remove_old_demos(root) == [crashed]


def test_a_demo_held_by_another_console_stays(tmp_path: Path, qapp) -> None:
    root = tmp_path / "demo"
    other = root / "demo-other"
    other.mkdir(parents=True)
    lock = QLockFile(str(other / LOCK))
    assert lock.tryLock(0)
    try:
        assert remove_old_demos(root) == []
        assert other.exists()
    finally:
        lock.unlock()


def test_only_databases_in_the_demo_folders_are_demos(tmp_path: Path, qapp) -> None:
    root = tmp_path / "demo"
    demo = new_demo_folder(root)
    try:
        assert is_demo_database(demo.url, root)
        assert not is_demo_database(f"sqlite:///{tmp_path / 'rollout.db'}", root)
        assert not is_demo_database("postgresql+psycopg://dcc@db/chconsole", root)
    finally:
        demo.release()
