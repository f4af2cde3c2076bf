"""What every write returns: its value, and a record of what it changed.

Views refresh only when a change concerns what they show (a release's pilot, a batch,
the outbox), so a write on release 1 does not redraw release 2's screens.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """What one write changed.

    Attributes:
        releases: Releases whose state, dates, counts or hubs changed.
        pilots: Releases whose pilot changed (nominations, start, decision, commentary).
        batches: Batches created, moved, cancelled or run.
        incidents: Incidents raised, triaged, confirmed, commented or closed.
        notices: How many notices were written to the outbox.
        notices_waiting: Why notices could not be written now (they are written on the
            next pass); None when every notice was written.
        estate: The estate, the CPL or the parties changed.
        users: DCC users or their roles changed.
        everything: A scheduler pass or clock move: anything may have changed.
        mail: How many notices the mail relay took or refused (their delivery state changed).
    """

    releases: frozenset[int] = field(default_factory=frozenset)
    pilots: frozenset[int] = field(default_factory=frozenset)
    batches: frozenset[int] = field(default_factory=frozenset)
    incidents: frozenset[int] = field(default_factory=frozenset)
    notices: int = 0
    notices_waiting: str | None = None
    estate: bool = False
    users: bool = False
    everything: bool = False
    mail: int = 0

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.releases | other.releases, self.pilots | other.pilots, self.batches | other.batches,
            self.incidents | other.incidents, self.notices + other.notices,
            self.notices_waiting or other.notices_waiting, self.estate or other.estate,
            self.users or other.users, self.everything or other.everything, self.mail + other.mail)

    def concerns_release(self, release_id: int | None) -> bool:
        """True when the release (or its pilot or batches' counts) may look different now."""
        return self.everything or (release_id is not None and (
            release_id in self.releases or release_id in self.pilots))

    def concerns_pilot(self, release_id: int | None) -> bool:
        return self.everything or (release_id is not None and release_id in self.pilots)

    @property
    def any_release(self) -> bool:
        return self.everything or bool(self.releases or self.pilots or self.batches)

    @property
    def outbox(self) -> bool:
        """True when the outbox has new notices, or notices sent or failed, to show."""
        return self.everything or self.notices > 0 or self.mail > 0

    def with_delivery(self, written: int, waiting: str | None) -> Changes:
        return replace(self, notices=self.notices + written, notices_waiting=waiting or self.notices_waiting)


NOTHING = Changes()
EVERYTHING = Changes(everything=True)


@dataclass(frozen=True)
class Done(Generic[T]):
    """A write's result: VALUE (what the caller asked for) and CHANGES (what it changed)."""

    value: T
    changes: Changes
