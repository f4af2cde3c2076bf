"""What the command line prints: one JSON document or a person's text, refusal lists, warnings.

Every command prints through an `Emit`: given the data (for `--json`) and the text (for a
person), it prints the one that was asked for. Every write's `Done` goes through
`committed`, so a change that committed while its notices could not be written yet is
reported as done, with a warning, never as a failure.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from datetime import datetime
from typing import Any, TextIO, TypeVar

from chconsole.core.engine.changes import Done
from chconsole.core.engine.dto import Refusal
from chconsole.core.vocabulary.london import iso

T = TypeVar("T")

Emit = Callable[[Any, str], None]
"""Prints a command's result: `emit(data, text)`; DATA for `--json`, TEXT otherwise."""

# A refusal list longer than this is cut short in text; JSON lists every refusal.
REFUSALS_SHOWN = 1000


def plain(value: Any) -> Any:
    """VALUE as plain JSON: dataclasses as objects, times as ISO 8601 with their offset."""
    if isinstance(value, datetime):
        return iso(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {k: plain(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def json_text(data: Any) -> str:
    """DATA as the one JSON document a command prints."""
    return json.dumps(plain(data), indent=2)


def emitter(as_json: bool, out: TextIO) -> Emit:
    """The `Emit` for one run: JSON documents or text lines, on OUT.

    Args:
        as_json: `--json` was given.
        out: Where results go (stdout).
    """
    if as_json:
        return lambda data, text: print(json_text(data), file=out)
    return lambda data, text: print(text, file=out)


def committed(done: Done[T]) -> T:
    """A write's value. When its notices could not be written yet, says so on stderr.

    The change itself committed (the next pass writes the notices), so this is a warning
    and the command still exits 0.
    """
    if done.changes.notices_waiting:
        print(f"chconsole: warning: {done.changes.notices_waiting}", file=sys.stderr)
    return done.value


def refusals(refused: Sequence[Refusal]) -> list[dict[str, Any]]:
    """Refused GUIDs for JSON: `{"guid", "reason", "line"}` each, reason as its code."""
    return [{"guid": x.guid, "reason": x.reason.value, "line": x.line} for x in refused]


def refusal_lines(refused: Sequence[Refusal]) -> str:
    """Refused GUIDs for a person: one "line N: GUID CODE" line each, every line led by a newline."""
    return "".join(f"\n  line {x.line}: {x.guid or '(blank)'} {x.reason.value}"
                   for x in refused[:REFUSALS_SHOWN])
