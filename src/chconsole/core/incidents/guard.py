"""The failure guard (R6, DOMAIN.md "Automatic pause"): when distribution or activation
failures exceed a share (default 2%) of at least a minimum of finished hubs (default 200) in
any batch, CSP region or supplier, the release pauses on its own and an incident is raised for
triage naming the scope and the figures. Failures counted before a resume do not trip it again.

Read from the maintained counts only, so a pass over a release of millions costs nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from chconsole.core.incidents import register
from chconsole.core.incidents.notices import halted
from chconsole.core.incidents.triage import SYSTEM, guard_figures
from chconsole.core.releases.lifecycle import check_guard
from chconsole.core.rollout import dispatch
from chconsole.core.storage import audit
from chconsole.core.storage.incident_models import GuardBaseline, Incident
from chconsole.core.storage.models import Release
from chconsole.core.vocabulary.states import ReleaseState

WATCHED = (ReleaseState.PILOT_RUNNING, ReleaseState.PILOT_CONCLUDED, ReleaseState.DEPLOYING)
_SCOPE_WORDS = {"batch": "batch", "region": "CSP region", "supplier": "the hubs of supplier"}


@dataclass(frozen=True)
class GuardInfo:
    """A release's failure guard and the worst scope so far (since the last resume)."""

    release_id: int
    max_failure_pct: float
    min_finished: int
    worst_scope: str | None
    worst_failed: int
    worst_finished: int


def info(session: Session, release: Release) -> GuardInfo:
    worst = max(_since_resume(session, release.id), key=lambda f: (f[1] / f[2] if f[2] else 0.0, f[2]),
                default=None)
    return GuardInfo(release.id, release.guard_max_failure / 100, release.guard_min_finished,
                     _words(worst[0]) if worst else None, worst[1] if worst else 0, worst[2] if worst else 0)


def set_guard(session: Session, release: Release, max_failure_pct: float | None, min_finished: int | None) -> None:
    pct = release.guard_max_failure / 100 if max_failure_pct is None else max_failure_pct
    least = release.guard_min_finished if min_finished is None else min_finished
    check_guard(pct, least)
    release.guard_max_failure, release.guard_min_finished = round(pct * 100), least


def check(session: Session, release: Release, now: datetime, actor: str) -> Incident | None:
    """Pause RELEASE when a scope's failures since the last resume exceed its guard; returns
    the incident raised for triage, or None."""
    if release.state not in WATCHED:
        return None
    for scope, failed, finished in _since_resume(session, release.id):
        if finished >= release.guard_min_finished and failed * 10_000 > release.guard_max_failure * finished:
            return _trip(session, release, scope, failed, finished, now, actor)
    return None


def _since_resume(session: Session, release_id: int) -> list[tuple[str, int, int]]:
    base = {b.scope: (b.failed, b.finished) for b in session.scalars(
        select(GuardBaseline).where(GuardBaseline.release_id == release_id))}
    return [(scope, failed - base.get(scope, (0, 0))[0], finished - base.get(scope, (0, 0))[1])
            for scope, failed, finished in guard_figures(session, release_id)]


def _words(scope: str) -> str:
    kind, _, name = scope.partition("|")
    return f"{_SCOPE_WORDS.get(kind, kind)} {name}"


def _trip(session: Session, release: Release, scope: str, failed: int, finished: int, now: datetime,
          actor: str) -> Incident:
    where = _words(scope)
    figures = (f"{failed:,} of {finished:,} finished hubs failed ({100 * failed / finished:.1f}%) in {where}, "
               f"above the guard's {release.guard_max_failure / 100:g}% of at least {release.guard_min_finished:,}")
    release.resume_to, release.state = release.state, ReleaseState.PAUSED
    release.halted_by, release.halted_at = SYSTEM, now
    dispatch.record_cancels(session, release.id, now, where="AND state = 'ACTIVATION_PENDING' "
                            "AND planned_activation > :now", params={"now": now})
    incident, _ = register.raise_incident(
        session, release.id, register.DCC, f"The failure guard paused release {release.id}: {figures}.", [],
        False, now, actor, automatic=True, scope=f"{where}: {figures}")
    halted(session, release, f"the failure guard paused it: {figures}. DCC is triaging it.", now, actor)
    audit.record(session, now, actor, "release-paused", f"release {release.id}",
                 {"why": "failure guard", "scope": where, "failed": failed, "finished": finished,
                  "incident": incident.id})
    return incident
