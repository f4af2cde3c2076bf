"""Time is a port: the engine asks a Clock, never datetime.now()."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy.orm import Session

from chconsole.core.storage.models import Setting
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import show, utc

CLOCK_MODE = "clock_mode"
SIMULATED_NOW = "simulated_now"


class Clock(Protocol):
    """Where the engine's time comes from; tests pass their own to `open_engine`."""

    @property
    def is_simulated(self) -> bool:
        """True when time moves only when told to (training databases and tests)."""
        ...

    def now(self, session: Session | None = None) -> datetime:
        """The current time, aware UTC."""
        ...


class SystemClock:
    """Wall-clock time of this workstation."""

    is_simulated = False

    def now(self, session: Session | None = None) -> datetime:
        return datetime.now(UTC)


class SimulatedClock:
    """A clock kept in the database, so every workstation and the scheduler agree on it.

    It only moves when told to (`tick --now`), and only forwards.
    """

    is_simulated = True

    def __init__(self, session_factory: object) -> None:
        self._factory = session_factory

    def now(self, session: Session | None = None) -> datetime:
        if session is not None:
            return read_simulated_now(session)
        with self._factory() as s:  # type: ignore[operator]
            return read_simulated_now(s)


def read_simulated_now(session: Session) -> datetime:
    row = session.get(Setting, SIMULATED_NOW)
    if row is None:
        raise BadInput("This database has no simulated clock.")
    return utc(datetime.fromisoformat(row.value))


def set_simulated_now(session: Session, when: datetime) -> datetime:
    """Move the simulated clock forward to WHEN; returns the time it moved from."""
    row = session.get(Setting, SIMULATED_NOW)
    if row is None:
        raise BadInput("This database runs on the system clock; --now needs a simulated clock.")
    before = utc(datetime.fromisoformat(row.value))
    if when < before:
        raise BadInput(
            f"The simulated clock only moves forward: it is {show(before)}, "
            f"and {show(when)} is earlier."
        )
    row.value = utc(when).isoformat()
    return before
