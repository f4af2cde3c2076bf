"""Who may use an administration button, and the sentence a disabled one says instead.

The engine's role table (core.engine.roles.ALLOWED) is the one home of the rule; the view
only reads it, so a button is disabled exactly when the engine would refuse.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QPushButton

from chconsole.core.engine.roles import ALLOWED, Action, Role
from chconsole.ui.runtime.context import Console

PLURAL = {
    Role.OPERATOR: "service desk operators",
    Role.RELEASE_MANAGER: "release managers",
    Role.PANEL_SECRETARY: "Panel secretaries",
    Role.ADMIN: "administrators",
}
SINGULAR = {
    Role.OPERATOR: "a service desk operator",
    Role.RELEASE_MANAGER: "a release manager",
    Role.PANEL_SECRETARY: "a Panel secretary",
    Role.ADMIN: "an administrator",
}


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def you_are(roles: Sequence[str]) -> str:
    """'you are a release manager and a Panel secretary' (roles as the engine names them)."""
    known = [SINGULAR[Role(r)] for r in roles if r in Role.__members__.values()]
    return f"you are {_and(known)}" if known else "you are not a DCC user of this database"


def why_not(console: Console, action: Action, doing: str) -> str:
    """'' when the acting user may take ACTION; else 'Only administrators can DOING (you are ...).'"""
    if console.may(action):
        return ""
    who = [PLURAL[r] for r in Role if r in ALLOWED[action]]
    return f"Only {_and(who)} can {doing} ({you_are(console.roles or ())})."


def guard(console: Console, button: QPushButton, action: Action, doing: str, why: QLabel) -> bool:
    """Enable BUTTON when the user may take ACTION; else disable it and say why in WHY and its
    tooltip. True when enabled."""
    reason = why_not(console, action, doing)
    button.setEnabled(not reason)
    button.setToolTip(reason)
    why.setText(reason)
    why.setVisible(bool(reason))
    return not reason
