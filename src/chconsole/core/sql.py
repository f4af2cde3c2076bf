"""Small helpers for the set-based SQL the engine runs."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Result


def rowcount(result: Result[Any]) -> int:
    """Rows an INSERT ... SELECT, UPDATE or DELETE touched."""
    return int(cast(CursorResult[Any], result).rowcount)
