"""When each of the Incidents view's buttons can be used, and if not, why (in words).

The engine has the last word (it refuses with one clear sentence); these rules only keep a
person from pressing what cannot work, and say what is missing: a role, a triaged outcome,
the Panel's confirmation, or a second DCC user.
"""

from __future__ import annotations

from chconsole.core.engine.dto import IncidentInfo
from chconsole.core.engine.roles import Action
from chconsole.ui.incidents.models import HALTED, IncidentsPage
from chconsole.ui.runtime.context import Console

FINAL = ("STOPPED", "REVOKED", "COMPLETED")
RESUMES = ("proceed", "delay")  # outcomes after which a halted release may go on
ROLE_WORDS = {
    Action.RAISE_INCIDENT: "the service desk operator or release manager role",
    Action.TRIAGE: "the release manager role",
    Action.CONFIRM_DECISION: "the Panel secretary role",
    Action.RESUME: "the service desk operator or release manager role",
    Action.COMMENT_INCIDENT: "the operator, release manager or Panel secretary role",
    Action.CLOSE_INCIDENT: "the release manager role",
}
Rule = tuple[bool, str]


def _role(console: Console, action: Action, doing: str) -> Rule:
    if console.may(action):
        return True, ""
    return False, f"{doing[0].upper()}{doing[1:]} needs {ROLE_WORDS[action]}; {console.actor} does not have it."


def _first(*rules: Rule) -> Rule:
    """The first rule that refuses, or allowed."""
    return next((r for r in rules if not r[0]), (True, ""))


def button_rules(console: Console, page: IncidentsPage | None, i: IncidentInfo | None) -> dict[str, Rule]:
    """For each button (raise, triage, confirm, resume, comment, close): (allowed, why not)."""
    if page is None:
        waiting = (False, "Reading the incidents\u2026")
        return {name: waiting for name in ("raise", "triage", "confirm", "resume", "comment", "close")}
    notified = any(r.notified_at is not None and r.state not in FINAL for r in page.releases.values())
    rules = {"raise": _first(
        (notified, "No release is notified and live, so no rollout can cause an incident yet."),
        _role(console, Action.RAISE_INCIDENT, "raising an incident"))}
    if i is None:
        none = (False, "Select an incident first.")
        return rules | {name: none for name in ("triage", "confirm", "resume", "comment", "close")}
    r = page.release_of(i)
    state = r.state if r is not None else ""
    decided = i.state in ("CONFIRMED", "CLOSED")
    rules["triage"] = _first(
        (not decided, f"Incident {i.id} is decided: its outcome was confirmed by the Panel."),
        (state not in FINAL, f"Release {i.release_id} is {state.lower()}: there is no rollout left to decide on."),
        _role(console, Action.TRIAGE, "triage"))
    rules["confirm"] = _first(
        (i.state == "TRIAGED", "Only a triaged outcome awaits the Panel's confirmation." if not decided else
         f"The Panel's confirmation of incident {i.id} is recorded already."),
        _role(console, Action.CONFIRM_DECISION, "recording the Panel's confirmation"))
    rules["resume"] = _first(_resume(page, i, state, console.actor), _role(console, Action.RESUME, "resuming a release"))
    rules["comment"] = _first((i.state != "CLOSED", f"Incident {i.id} is closed; raise a new one."),
                              _role(console, Action.COMMENT_INCIDENT, "commenting"))
    rules["close"] = _first(_close(i, state), _role(console, Action.CLOSE_INCIDENT, "closing an incident"))
    return rules


def _resume(page: IncidentsPage, i: IncidentInfo, state: str, actor: str) -> Rule:
    r = page.release_of(i)
    if r is None or state not in HALTED:
        return False, f"Release {i.release_id} is not suspended or paused: there is nothing to resume."
    decided = [x for x in page.incidents if x.release_id == r.id and x.state in ("CONFIRMED", "CLOSED")
               and x.outcome in RESUMES and x.confirmed_at is not None
               and (r.halted_at is None or x.confirmed_at >= r.halted_at)]
    if not decided:
        return False, (f"Release {r.id} resumes only after the Panel confirmed a decision to proceed or delay: "
                       "triage the incident, then record the Panel's confirmation.")
    if r.halted_by == actor:
        return False, (f"You ({actor}) halted release {r.id}: a second DCC user must resume it (four eyes).")
    return True, ""


def _close(i: IncidentInfo, state: str) -> Rule:
    if i.state == "CLOSED":
        return False, f"Incident {i.id} is closed already."
    if i.state == "TRIAGED":
        return False, f"Incident {i.id}'s outcome awaits the Panel's confirmation; record it first."
    if i.state == "OPEN" and (i.stop_id is not None or state in HALTED):
        return False, (f"Release {i.release_id} is halted: incident {i.id} needs a triaged outcome the Panel "
                       "confirms before it can be closed.")
    return True, ""
