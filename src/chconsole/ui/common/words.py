"""The domain's words as a person reads them: states, failure reasons, parties, lists of names.

Every view says a state, a reason or a supplier the same way, so they are said here once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

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


# Triage outcomes (R6) as a person chooses them.
OUTCOME_TITLES = {"proceed": "Proceed", "pause": "Pause", "delay": "Delay the end date", "stop": "Stop"}


def ago(then: datetime, now: datetime) -> str:
    """How long before NOW THEN was, in the two largest units: '25 min', '3 h 10 min', '2 days 4 h'."""
    minutes = max(int((now - then).total_seconds()) // 60, 0)
    days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        return f"{days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {mins} min" if mins else "")
    return f"{mins} min" if mins else "under a minute"


def sentence_case(text: str) -> str:
    """'the SEC Panel' -> 'The SEC Panel' (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


def since(then: datetime, now: datetime) -> str:
    """'25 min ago', or 'just now'."""
    return "just now" if now - then < timedelta(minutes=1) else f"{ago(then, now)} ago"


def outcome_title(outcome: str | None) -> str:
    """A triage outcome in words ('' when there is none yet)."""
    return OUTCOME_TITLES.get(outcome, outcome.capitalize()) if outcome else ""


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
