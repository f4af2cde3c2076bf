"""The command line as a package: every command wired to a handler, and writes that commit
while their notices must wait exit 0 with a warning."""

from __future__ import annotations

import argparse
import ast
import inspect
import json
from collections.abc import Iterator
from pathlib import Path

from chc_helpers import Cli

import chconsole.cli
from chconsole.cli import build_parser

# The commands `chconsole --help` lists, in its order (INTERFACES.md and the README name them).
COMMANDS = ["init", "user", "import-estate", "cpl", "party", "release", "export", "hub", "pilot", "network",
            "instruct", "instructions", "grace-period", "batch", "incident", "decision", "stop", "resume",
            "dashboard", "tick", "scheduler", "outbox", "mail", "verify-audit"]

WAITING = "chconsole: warning: The change was made, but its notices could not be written to "


def _subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:  # type: ignore[type-arg]
    found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return found[0] if found else None


def _leaves(parser: argparse.ArgumentParser, words: list[str]) -> Iterator[tuple[list[str], argparse.ArgumentParser]]:
    sub = _subcommands(parser)
    if sub is None:
        yield words, parser
        return
    assert sub.required, f"{' '.join(words)} needs one of its actions"
    for name, child in sub.choices.items():
        yield from _leaves(child, [*words, name])


def test_every_command_and_action_is_registered_with_a_handler() -> None:
    top = _subcommands(build_parser())
    assert top is not None and list(top.choices) == COMMANDS
    leaves = 0
    for name, command in top.choices.items():
        assert callable(command.get_default("opener")), f"{name} opens no database"
        for words, parser in _leaves(command, [name]):
            run = parser.get_default("run")
            assert callable(run), f"{' '.join(words)} has no handler"
            inspect.signature(run).bind("engine", argparse.Namespace(), print)  # run(engine, args, emit)
            leaves += 1
    assert leaves == 52  # every command word, and every action of the commands that have them


def test_commands_and_output_never_import_the_package_that_runs_them() -> None:
    package = Path(chconsole.cli.__file__).parent
    for module in [package / "output.py", *sorted((package / "commands").glob("*.py"))]:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert "chconsole.cli" not in imported, f"{module.name} imports chconsole.cli: an import cycle"
        assert not any(n.module == "chconsole" and any(a.name == "cli" for a in n.names)
                       for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)), module.name


def test_a_write_whose_notices_cannot_be_written_is_done_with_a_warning(released: Cli) -> None:
    released.outbox().write_text("a file where the outbox folder must go")
    r = released("release", "notify", "1", "--json")
    assert r.status == 0, r.err
    assert json.loads(r.out)["state"] == "NOTIFIED"  # stdout is still the one JSON document
    assert r.err.count(WAITING) == 1 and "they will be written on the next pass." in r.err
    shown = released.ok_json("release", "show", "1")
    assert isinstance(shown, dict) and shown["state"] == "NOTIFIED"

    still = released("tick")
    assert still.status == 0 and WAITING in still.err  # still in the way: still waiting, still done

    released.outbox().unlink()
    later = released("tick")
    assert later.status == 0 and later.err == ""
    notices = released.ok_json("outbox", "list", "--release", "1")
    assert isinstance(notices, list) and len(notices) == 5
    assert all(n["status"] == "WRITTEN" for n in notices)
    written = sorted(p.name.split("-", 1)[1] for p in released.outbox().glob("*.eml"))
    assert written == [
        "arqiva-release-notice.eml", "bgas-release-notice.eml", "edfe-release-notice.eml",
        "octo-release-notice.eml", "telefonica-release-notice.eml"]
