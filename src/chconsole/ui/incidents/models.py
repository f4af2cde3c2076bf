"""What the Incidents view reads in one job, and how an incident is said in its list.

One read brings the incidents (by priority, then age: the engine's order), the releases
they concern, the emergency stops that hold them with their per-hub answers, the decision
notices of the selected incident's release and the clock, so the list, the details and the
buttons always agree. The list is short (incidents, not hubs): a small table suffices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from chconsole.core.engine.dto import IncidentInfo, NoticeInfo, ReleaseInfo, StopInfo
from chconsole.core.engine.facade import Engine
from chconsole.core.vocabulary.london import show
from chconsole.ui.common.words import outcome_title, since, state_title

COLUMNS = ("Incident", "Release", "Reported by", "State", "Raised", "Emergency stop", "Outcome")
STRETCH = (3, 5, 6)  # columns that share what width is left (elided, with the whole text as tooltip)
DECISION = "DECISION"  # the notices that tell everyone of a confirmed decision
STATE_WORDS = {"OPEN": "Open: awaiting triage", "TRIAGED": "Triaged: awaiting the Panel",
               "CONFIRMED": "Decided by the Panel", "CLOSED": "Closed"}
STATE_SHORT = {"OPEN": "Awaiting triage", "TRIAGED": "Awaiting the Panel", "CONFIRMED": "Decided",
               "CLOSED": "Closed"}
HALTED = ("SUSPENDED", "PAUSED")


@dataclass(frozen=True)
class IncidentsPage:
    """One reading of the Incidents view."""

    incidents: list[IncidentInfo]
    releases: dict[int, ReleaseInfo]
    stops: dict[int, StopInfo]
    names: dict[str, str]
    now: datetime
    notices_release: int | None = None
    notices: list[NoticeInfo] = field(default_factory=list)

    def incident(self, incident_id: int | None) -> IncidentInfo | None:
        return next((i for i in self.incidents if i.id == incident_id), None)

    def release_of(self, incident: IncidentInfo | None) -> ReleaseInfo | None:
        return self.releases.get(incident.release_id) if incident is not None else None

    def stop_of(self, incident: IncidentInfo | None) -> StopInfo | None:
        if incident is None or incident.stop_id is None:
            return None
        return self.stops.get(incident.stop_id)


def read_page(e: Engine, show_closed: bool, wanted: int | None) -> IncidentsPage:
    """Read the view's page; the decision notices are those of incident WANTED's release."""
    incidents = e.incidents.incidents(open_only=not show_closed)
    releases = {r.id: r for r in e.releases.all()}
    stops = {s: e.incidents.stop_info(s) for s in sorted({i.stop_id for i in incidents if i.stop_id is not None})}
    chosen = next((i for i in incidents if i.id == wanted), incidents[0] if incidents else None)
    notices = [n for n in e.queries.notices(chosen.release_id) if n.kind == DECISION] if chosen else []
    return IncidentsPage(incidents, releases, stops, dict(e.admin.suppliers()), e.now(),
                         chosen.release_id if chosen else None, notices)


def reporter(i: IncidentInfo) -> str:
    """Who reported it: a supplier, or DCC (its failure guard, or the console after a stop)."""
    if i.automatic:
        return "DCC (failure guard)"
    return i.reported_by


def stop_words(i: IncidentInfo, stop: StopInfo | None, now: datetime) -> str:
    """The emergency stop's part, with the time since it was pressed."""
    if stop is not None:
        if stop.lifted_at is not None:
            return f"Stop {stop.id} lifted {since(stop.lifted_at, now)}"
        return f"Pressed {since(stop.pressed_at, now)}"
    return "Asked for, not pressed" if i.emergency_stop else ""


def outcome_words(i: IncidentInfo, short: bool = False) -> str:
    """'Delay the end date to 2027-08-01 09:00 BST' (short: 'Delay to ...'); '' before triage."""
    if i.outcome is None:
        return ""
    title = "Delay" if short and i.outcome == "delay" else outcome_title(i.outcome)
    return title + (f" to {show(i.new_date)}" if i.outcome == "delay" and i.new_date else "")


def release_words(release_id: int, page: IncidentsPage) -> str:
    r = page.releases.get(release_id)
    return f"{release_id} \u00b7 {state_title(r.state)}" if r is not None else str(release_id)


def row(i: IncidentInfo, page: IncidentsPage) -> tuple[str, str, str, str, str, str, str]:
    """One incident's cells in COLUMNS order."""
    return (f"{i.priority} \u00b7 {i.id}", release_words(i.release_id, page), reporter(i),
            STATE_SHORT.get(i.state, i.state),
            f"{since(i.raised_at, page.now)}", stop_words(i, page.stop_of(i), page.now), outcome_words(i, short=True))
