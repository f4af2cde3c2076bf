"""Errors the engine raises; each maps to one exit status and one clear sentence."""

from __future__ import annotations


class ChconsoleError(Exception):
    """Base of every error meant for a person; the message is one clear sentence."""

    exit_status = 1


class BadInput(ChconsoleError):
    """The input (a file, an argument, a value) was wrong; nothing was changed."""

    exit_status = 2

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class NotAllowed(ChconsoleError):
    """The acting user may not do that."""

    exit_status = 3


class NotFound(BadInput):
    """A release, hub, user or party named in the request does not exist."""


class IllegalTransition(BadInput):
    """A state machine refused a transition."""


class DatabaseError(ChconsoleError):
    """The database is missing, newer than this program, or unreachable."""
