"""The console's reading of the engine's `Changes`: small questions views ask of a change.

The core's `Changes` answers what a change touched (`concerns_release`, `concerns_pilot`,
`outbox`, `any_release`, `everything`); these add what a view that lists several releases
or batches needs, without adding UI questions to the core.
"""

from __future__ import annotations

from chconsole.core.engine.changes import EVERYTHING, Changes

__all__ = ["EVERYTHING", "Changes", "concerns_hubs", "releases_touched"]


def releases_touched(changes: Changes) -> frozenset[int]:
    """The releases whose facts may look different now (their own, their pilot's, their
    batches' counts: a batch change names its release too)."""
    return changes.releases | changes.pilots


def concerns_hubs(changes: Changes, release_ids: frozenset[int] | set[int]) -> bool:
    """True when hubs of these releases may have moved on (a hub's place in a release),
    or the estate itself changed."""
    return changes.everything or changes.estate or bool(releases_touched(changes) & set(release_ids))
