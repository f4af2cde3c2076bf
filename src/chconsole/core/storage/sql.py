"""Small helpers for the set-based SQL the engine runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, DateTime, Result, TextClause, bindparam, text


def rowcount(result: Result[Any]) -> int:
    """Rows an INSERT ... SELECT, UPDATE or DELETE touched."""
    return int(cast(CursorResult[Any], result).rowcount)


def at_params(statement: str, *names: str) -> TextClause:
    """A text() statement whose named parameters are timestamps, stored as the ORM stores them.

    On SQLite a bare datetime parameter would be compared as a differently formatted string.
    """
    clause = text(statement)
    return clause.bindparams(*(bindparam(n, type_=DateTime(timezone=True)) for n in names))


def typed(statement: str, params: dict[str, Any]) -> TextClause:
    """A text() statement with every datetime among PARAMS bound as a timestamp."""
    names = [k for k, v in params.items() if isinstance(v, datetime) and f":{k}" in statement]
    return at_params(statement, *names)


def with_timestamps(statement: str, *names: str) -> TextClause:
    """A text() query whose result columns NAMES come back as datetimes (SQLite returns text)."""
    return text(statement).columns(**{n: DateTime(timezone=True) for n in names})  # type: ignore[return-value]
