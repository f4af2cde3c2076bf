"""The CSP network port: how the engine commands distribution and activation of firmware.

The engine records every command in `csp_command` before it is sent (one per hub, release
and step), sends it through this port, and reads results back. A network adapter keeps its
own record of what it received, so after a crash the engine asks what the network already
holds (`received`) instead of sending again blindly.

The database's settings name the adapter it runs on (a training database: "simulated");
`chconsole.core.bootstrap` finds it among the installed `chconsole.csp_networks` entry
points, so the core never imports the simulator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from sqlalchemy.orm import Session

from chconsole.core.vocabulary.errors import BadInput

NETWORK_SETTING = "csp_network"
SIMULATED = "simulated"  # the simulated CSP network of sim/, for training databases

# A hub that has not answered its activation this long after the commanded time has failed.
NO_RESPONSE_AFTER = timedelta(hours=24)


class Step(StrEnum):
    DISTRIBUTE = "distribute"
    ACTIVATE = "activate"
    CANCEL = "cancel"


class Result(StrEnum):
    """What the network reports back for a command."""

    RECEIVED = "RECEIVED"  # the hub holds the image (distribution receipt)
    DISTRIBUTION_FAILED = "DISTRIBUTION_FAILED"
    SUCCESS = "SUCCESS"  # activation confirmed
    NO_IMAGE_HELD = "NO_IMAGE_HELD"
    HASH_MISMATCH = "HASH_MISMATCH"
    ACTIVATION_FAILURE = "ACTIVATION_FAILURE"
    CALLED_BACK = "CALLED_BACK"  # a call-back (cancel) took effect: the activation will not happen
    TOO_LATE = "TOO_LATE"  # a call-back came after the hub had activated


# Failure reasons shown per hub; NO_RESPONSE is the engine's own verdict after the timeout.
FAILURE_REASONS = (
    Result.DISTRIBUTION_FAILED.value,
    Result.NO_IMAGE_HELD.value,
    Result.HASH_MISMATCH.value,
    Result.ACTIVATION_FAILURE.value,
    "NO_RESPONSE",
)


def command_key(release_id: int, hub_id: int, step: str, attempt: int = 1) -> str:
    """The unique key of one command: a hub is never commanded twice for a release step in
    one attempt (a hub commanded again, after a call-back or a failure, is a new attempt)."""
    return f"R{release_id}-H{hub_id}-{step}" + (f"-{attempt}" if attempt != 1 else "")


def key_attempt(key: str) -> int:
    """The attempt a command key names (1 when it names none)."""
    parts = key.split("-")
    return int(parts[3]) if len(parts) > 3 else 1


@dataclass(frozen=True)
class Command:
    release_id: int
    hub_id: int
    guid: str
    region: str
    step: Step
    image_hash: str
    activate_at: datetime | None = None
    attempt: int = 1

    @property
    def key(self) -> str:
        return command_key(self.release_id, self.hub_id, self.step.value, self.attempt)


@dataclass(frozen=True)
class Outcome:
    release_id: int
    hub_id: int
    step: Step
    result: Result
    at: datetime
    han_trouble: bool = False  # after a successful activation: home area network trouble
    attempt: int = 1


@dataclass(frozen=True)
class Assumption:
    """One figure the network runs on, with whether it is an assumption (no published rate)."""

    name: str
    value: str
    assumed: bool


class CspNetwork(Protocol):
    """What the engine needs of the CSPs. Every method runs inside the engine's transaction."""

    def send(self, session: Session, commands: Sequence[Command], now: datetime) -> None:
        """Hand commands to the network (distribute, future-dated activate, cancel)."""
        ...

    def received(self, session: Session, keys: Sequence[str]) -> set[str]:
        """Which of these command keys the network already holds (reconciliation)."""
        ...

    def outcomes(self, session: Session, until: datetime) -> list[Outcome]:
        """Results that became known up to UNTIL and were not read before."""
        ...

    def next_event(self, session: Session, after: datetime) -> datetime | None:
        """When the network will next have something to report (None: nothing in flight)."""
        ...

    def assumptions(self, session: Session) -> list[Assumption]:
        """The figures it runs on, each labelled as an assumption or not."""
        ...

    def configure(self, session: Session, changes: dict[str, str]) -> list[Assumption]:
        """Change its figures (a simulated network's rates and capacity)."""
        ...

    def capacity(self, session: Session) -> dict[str, int]:
        """Hubs a day each region can take distribution to (by region name, e.g. "North").

        The engine sends distribution ahead within it, so no region's queue grows past a
        couple of days' work; a region missing from the answer is not limited."""
        ...


def require(network: CspNetwork | None) -> CspNetwork:
    if network is None:
        raise BadInput(
            "This database is not connected to a CSP network, so no firmware can be sent; "
            "a training database made with 'chconsole init --clock simulated' uses the "
            "simulated network."
        )
    return network
