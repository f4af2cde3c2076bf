"""The domain's words as a person reads them: states, failure reasons, parties, lists of names.

Every view says a state, a reason or a supplier the same way, so they are said here once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from chconsole.core.engine.dto import ReleaseInfo
from chconsole.core.vocabulary.smi import CSP_OF_REGION

STATE_TITLES = {"DRAFT": "Draft", "NOTIFIED": "Notified", "REVOKED": "Revoked"}
# Why a hub failed, in words (the engine's reason codes).
REASONS = {"DISTRIBUTION_FAILED": "Distribution failed", "NO_IMAGE_HELD": "No image held",
           "HASH_MISMATCH": "Hash mismatch", "ACTIVATION_FAILURE": "Activation failure",
           "NO_RESPONSE": "No response in 24 hours"}


def state_title(state: str) -> str:
    """A release's or a hub's state as a title: PILOT_RUNNING -> 'Pilot running'."""
    return STATE_TITLES.get(state, state.replace("_", " ").capitalize())


def reason_title(reason: str) -> str:
    """A failure reason code in words."""
    return REASONS.get(reason, reason.replace("_", " ").capitalize())


def names(parties: Sequence[str], limit: int = 8) -> str:
    """'A, B, C and 4 more': a list of parties that stays one line long."""
    shown = ", ".join(parties[:limit])
    return shown + (f" and {len(parties) - limit} more" if len(parties) > limit else "")


def party_title(party: str, known: Mapping[str, str]) -> str:
    """'OCTO · Octave Energy', or the party id alone when its name is not known (or the same)."""
    name = known.get(party)
    return f"{party} \u00b7 {name}" if name and name != party else party


def recipients(v: ReleaseInfo) -> tuple[list[str], list[str]]:
    """The suppliers and CSPs a release's notice went to (the ones a revocation or a
    pilot decision reaches)."""
    suppliers = sorted(c.party for c in v.suppliers)
    csps = sorted({CSP_OF_REGION[r] for r in v.regions if r in CSP_OF_REGION})
    return suppliers, csps
