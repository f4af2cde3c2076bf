"""The console's layout holds: each view is a package of its own; what views share lives in
common/ or runtime/, never inside another view; views never hold a session."""

from __future__ import annotations

import ast
from pathlib import Path

import chconsole.ui

UI = Path(chconsole.ui.__file__).parent
VIEWS = ("dashboard", "estate", "releases", "pilots", "batches", "incidents", "outbox", "admin")
SHARED = ("common", "runtime")
LONGEST = 400  # lines in one module


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def _package(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["chconsole", "ui"] else None


def test_no_view_imports_another_view_and_shared_pieces_import_no_view() -> None:
    wrong = []
    for path in UI.rglob("*.py"):
        home = path.relative_to(UI).parts[0]
        if home not in VIEWS + SHARED:
            continue
        for module in _imports(path):
            other = _package(module)
            if other in VIEWS and other != home:
                wrong.append(f"{path.relative_to(UI)} imports {module}")
    assert wrong == []


def test_views_never_hold_a_session() -> None:
    wrong = [str(p.relative_to(UI)) for p in UI.rglob("*.py")
             if ".db." in p.read_text(encoding="utf-8") or "sqlalchemy" in p.read_text(encoding="utf-8")]
    assert wrong == []


def test_modules_stay_readable() -> None:
    long = {str(p.relative_to(UI)): n for p in UI.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > LONGEST}
    assert long == {}
