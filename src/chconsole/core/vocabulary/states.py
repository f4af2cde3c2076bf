"""State machines as data: states, the transitions allowed between them, and why.

A transition not in the table is refused with a sentence naming both states.
"""

from __future__ import annotations

from enum import StrEnum

from chconsole.core.vocabulary.errors import IllegalTransition


class ReleaseState(StrEnum):
    DRAFT = "DRAFT"
    NOTIFIED = "NOTIFIED"
    PILOT_RUNNING = "PILOT_RUNNING"
    PILOT_CONCLUDED = "PILOT_CONCLUDED"
    DEPLOYING = "DEPLOYING"
    PAUSED = "PAUSED"
    SUSPENDED = "SUSPENDED"
    STOPPED = "STOPPED"
    REVOKED = "REVOKED"
    COMPLETED = "COMPLETED"


class HubState(StrEnum):
    ELIGIBLE = "ELIGIBLE"
    AWAITING_OTHER_SUPPLIER = "AWAITING_OTHER_SUPPLIER"
    SCHEDULED = "SCHEDULED"
    DISTRIBUTING = "DISTRIBUTING"
    DISTRIBUTED = "DISTRIBUTED"
    ACTIVATION_PENDING = "ACTIVATION_PENDING"
    ACTIVATED = "ACTIVATED"
    FAILED = "FAILED"
    HELD = "HELD"
    CANCELLED = "CANCELLED"
    EXCLUDED = "EXCLUDED"


# Hub states in which the hub still waits for something; revocation cancels these.
OPEN_HUB_STATES = (
    HubState.ELIGIBLE,
    HubState.AWAITING_OTHER_SUPPLIER,
    HubState.SCHEDULED,
    HubState.DISTRIBUTING,
    HubState.DISTRIBUTED,
    HubState.ACTIVATION_PENDING,
    HubState.HELD,
)

_LIVE = {
    ReleaseState.NOTIFIED,
    ReleaseState.PILOT_RUNNING,
    ReleaseState.PILOT_CONCLUDED,
    ReleaseState.DEPLOYING,
    ReleaseState.PAUSED,
    ReleaseState.SUSPENDED,
}

# (from, to) -> the name of the action that makes that move.
RELEASE_TRANSITIONS: dict[tuple[ReleaseState, ReleaseState], str] = {
    (ReleaseState.DRAFT, ReleaseState.NOTIFIED): "notify",
    (ReleaseState.NOTIFIED, ReleaseState.PILOT_RUNNING): "start pilot",
    (ReleaseState.PILOT_RUNNING, ReleaseState.PILOT_CONCLUDED): "conclude pilot",
    (ReleaseState.NOTIFIED, ReleaseState.PILOT_CONCLUDED): "decide without a pilot",
    (ReleaseState.PILOT_CONCLUDED, ReleaseState.DEPLOYING): "deploy",
    (ReleaseState.NOTIFIED, ReleaseState.DEPLOYING): "deploy",
    (ReleaseState.DEPLOYING, ReleaseState.COMPLETED): "complete",
    (ReleaseState.PAUSED, ReleaseState.DEPLOYING): "resume",
    (ReleaseState.SUSPENDED, ReleaseState.DEPLOYING): "resume",
    **{(s, ReleaseState.REVOKED): "revoke" for s in _LIVE},
    **{(s, ReleaseState.PAUSED): "pause" for s in _LIVE - {ReleaseState.PAUSED}},
    **{(s, ReleaseState.SUSPENDED): "emergency stop" for s in _LIVE - {ReleaseState.SUSPENDED}},
    **{(s, ReleaseState.STOPPED): "stop" for s in _LIVE},
}


def check_release_move(release_id: int, current: str, target: ReleaseState) -> None:
    """Raise IllegalTransition unless a release may move from CURRENT to TARGET."""
    here = ReleaseState(current)
    if (here, target) not in RELEASE_TRANSITIONS:
        verb = {
            ReleaseState.NOTIFIED: "notified",
            ReleaseState.REVOKED: "revoked",
        }.get(target, f"moved to {target.value}")
        raise IllegalTransition(f"Release {release_id} is {here.value} and cannot be {verb}.")
