"""DCC users' roles and what each may do (DOMAIN.md "Roles")."""

from __future__ import annotations

from enum import StrEnum

from chconsole.core.vocabulary.errors import BadInput


class Role(StrEnum):
    OPERATOR = "operator"
    RELEASE_MANAGER = "release-manager"
    PANEL_SECRETARY = "panel-secretary"
    ADMIN = "admin"


ROLE_TITLES = {
    Role.OPERATOR: "Service desk operator",
    Role.RELEASE_MANAGER: "Release manager",
    Role.PANEL_SECRETARY: "Panel secretary",
    Role.ADMIN: "Administrator",
}


class Action(StrEnum):
    """Every guarded engine action, named as the audit trail names it."""

    IMPORT_ESTATE = "import-estate"
    ADD_CPL_ENTRY = "cpl-add"
    CREATE_RELEASE = "release-create"
    NOTIFY_RELEASE = "release-notify"
    REVOKE_RELEASE = "release-revoke"
    UPDATE_RELEASE_NOTE = "release-note-update"
    SEND_REPORT = "report-export"
    ADD_USER = "user-add"
    SET_ROLES = "user-roles-set"
    SET_PARTY = "party-set"
    TICK = "tick"
    NOMINATE_PILOT = "pilot-nominate"
    START_PILOT = "pilot-start"
    CONCLUDE_PILOT = "pilot-conclude"
    COMMENT_PILOT = "pilot-comment"
    CONFIGURE_NETWORK = "network-configure"
    INSTRUCT = "instruct"
    CREATE_BATCH = "batch-create"
    REPLAN_BATCH = "batch-replan"
    CANCEL_BATCH = "batch-cancel"
    RUN_OVERDUE = "batch-run-overdue"
    SET_GRACE_PERIOD = "grace-period-set"
    EMERGENCY_STOP = "emergency-stop"
    RAISE_INCIDENT = "incident-raise"
    COMMENT_INCIDENT = "incident-comment"
    CLOSE_INCIDENT = "incident-close"
    TRIAGE = "incident-triage"
    CONFIRM_DECISION = "decision-confirm"
    RESUME = "resume"
    SET_GUARD = "release-guard"
    SET_MAIL_RELAY = "mail-set"
    SEND_MAIL = "outbox-send"


# Which roles may take each action. Reading is open to every DCC user.
ALLOWED: dict[Action, frozenset[Role]] = {
    Action.IMPORT_ESTATE: frozenset({Role.OPERATOR, Role.RELEASE_MANAGER}),
    Action.ADD_CPL_ENTRY: frozenset({Role.RELEASE_MANAGER}),
    Action.CREATE_RELEASE: frozenset({Role.RELEASE_MANAGER}),
    Action.NOTIFY_RELEASE: frozenset({Role.RELEASE_MANAGER}),
    Action.REVOKE_RELEASE: frozenset({Role.RELEASE_MANAGER}),
    Action.UPDATE_RELEASE_NOTE: frozenset({Role.RELEASE_MANAGER}),
    Action.SEND_REPORT: frozenset({Role.OPERATOR, Role.RELEASE_MANAGER}),
    Action.ADD_USER: frozenset({Role.ADMIN}),
    Action.SET_ROLES: frozenset({Role.ADMIN}),
    Action.SET_PARTY: frozenset({Role.ADMIN, Role.OPERATOR}),
    Action.TICK: frozenset({Role.OPERATOR, Role.RELEASE_MANAGER, Role.ADMIN}),
    # Nominations arrive as supplier files, which the service desk imports.
    Action.NOMINATE_PILOT: frozenset({Role.OPERATOR, Role.RELEASE_MANAGER}),
    Action.START_PILOT: frozenset({Role.RELEASE_MANAGER}),
    Action.CONCLUDE_PILOT: frozenset({Role.RELEASE_MANAGER}),
    Action.COMMENT_PILOT: frozenset({Role.OPERATOR, Role.RELEASE_MANAGER}),
    Action.CONFIGURE_NETWORK: frozenset({Role.RELEASE_MANAGER, Role.ADMIN}),
    # Instructions arrive as supplier files, which the service desk imports.
    Action.INSTRUCT: frozenset({Role.OPERATOR, Role.RELEASE_MANAGER}),
    Action.CREATE_BATCH: frozenset({Role.RELEASE_MANAGER}),
    Action.REPLAN_BATCH: frozenset({Role.RELEASE_MANAGER}),
    Action.CANCEL_BATCH: frozenset({Role.RELEASE_MANAGER}),
    Action.RUN_OVERDUE: frozenset({Role.RELEASE_MANAGER}),
    Action.SET_GRACE_PERIOD: frozenset({Role.RELEASE_MANAGER, Role.ADMIN}),
    # Any DCC user may press the emergency stop (DOMAIN.md "Roles").
    Action.EMERGENCY_STOP: frozenset(Role),
    # Suppliers report incidents through the service desk.
    Action.RAISE_INCIDENT: frozenset({Role.OPERATOR, Role.RELEASE_MANAGER}),
    Action.COMMENT_INCIDENT: frozenset({Role.OPERATOR, Role.RELEASE_MANAGER, Role.PANEL_SECRETARY}),
    Action.CLOSE_INCIDENT: frozenset({Role.RELEASE_MANAGER}),
    Action.TRIAGE: frozenset({Role.RELEASE_MANAGER}),
    Action.CONFIRM_DECISION: frozenset({Role.PANEL_SECRETARY}),
    Action.RESUME: frozenset({Role.OPERATOR, Role.RELEASE_MANAGER}),
    Action.SET_GUARD: frozenset({Role.RELEASE_MANAGER}),
    Action.SET_MAIL_RELAY: frozenset({Role.ADMIN}),
    # Whoever may run a scheduler pass (which sends what is due) may send now.
    Action.SEND_MAIL: frozenset({Role.OPERATOR, Role.RELEASE_MANAGER, Role.ADMIN}),
}


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise BadInput(f"{text!r} is not a role; the roles are {names}.") from None
