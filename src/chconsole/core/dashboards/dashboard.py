"""Each actor's dashboard (R5): the upgrades in flight, what the actor owes, and when the
other actors next have something due.

Actors are DCC, each supplier, each CSP and the SEC Panel. A dashboard is built from
maintained counts and small tables only (dashboard_facts), so it refreshes in the same
time however large the estate. A supplier's dashboard never names another supplier:
other suppliers appear only as "Other suppliers", and split-supply hubs only as waiting
for "another supplier".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from chconsole.core.dashboards import actions
from chconsole.core.dashboards.actions import DueAction
from chconsole.core.dashboards.facts import Facts, ReleaseFacts, Samples, load
from chconsole.core.dashboards.words import time_left as time_left  # for the views
from chconsole.core.storage.models import Party
from chconsole.core.vocabulary.errors import BadInput

DCC, SUPPLIER, CSP, PANEL = "dcc", "supplier", "csp", "panel"
PANEL_NAME = "SEC Panel"


@dataclass(frozen=True)
class Viewer:
    """Whose dashboard: DCC, one supplier, one CSP, or the Panel.

    Attributes:
        kind: dcc, supplier, csp or panel.
        party: The supplier's or CSP's party id; None for DCC and the Panel.
        name: How the actor is called on screen (filled in by resolve()).
    """

    kind: str
    party: str | None = None
    name: str = ""

    @property
    def label(self) -> str:
        if self.kind == DCC:
            return "DCC"
        if self.kind == PANEL:
            return PANEL_NAME
        title = self.name or self.party or ""
        if self.kind == CSP:
            return f"{title} (CSP)"
        return f"{title} ({self.party})" if self.name and self.name != self.party else title


@dataclass(frozen=True)
class ReleaseCard:
    """One upgrade in flight, as the viewer sees it.

    Attributes:
        scope: Whose hubs the counts are ("your hubs", "hubs in North and South", "all hubs").
        counts: The viewer's hubs per state (maintained tallies, no zero counts).
        pilot: The pilot's state in words.
        next_activation: The next planned activation: of the release (DCC, CSPs, the Panel),
            or the next time the supplier instructed (None if none is to come).
        instructions: For a supplier, its own instructions in words ("" otherwise).
        guard: The failure guard in words (R6: when it pauses the release on its own).
        progress: Hubs per state over time, for every hub of the release (the chart).
    """

    id: int
    model: str
    to_version: str
    state: str
    deployment_date: datetime | None
    cut_off: datetime | None
    notified_at: datetime | None
    scope: str
    counts: dict[str, int]
    pilot: str
    next_activation: datetime | None
    instructions: str
    progress: Samples
    guard: str = ""

    @property
    def title(self) -> str:
        return f"{self.model} \u2192 {self.to_version}"

    @property
    def hubs(self) -> int:
        return sum(self.counts.values())

    @property
    def activated(self) -> int:
        return self.counts.get("ACTIVATED", 0)


@dataclass(frozen=True)
class NextDate:
    """When another actor (or kind of actor) next has something due, and what."""

    actor: str
    due: datetime | None
    what: str
    release_id: int | None
    left: str
    overdue: bool


@dataclass(frozen=True)
class Dashboard:
    viewer: Viewer
    now: datetime
    releases: tuple[ReleaseCard, ...]
    actions: tuple[DueAction, ...]
    others: tuple[NextDate, ...]
    notes: tuple[str, ...]  # sentences worth saying when a list is empty


# -- who may look --------------------------------------------------------------------------------
def viewers(session: Session) -> list[Viewer]:
    """Every actor with a dashboard: DCC, each supplier, each CSP, the Panel."""
    out = [Viewer(DCC)]
    parties = list(session.execute(select(Party.id, Party.name, Party.kind).order_by(Party.id)))
    out += [Viewer(SUPPLIER, str(p), str(n)) for p, n, k in parties if k == "supplier"]
    out += [Viewer(CSP, str(p), str(n)) for p, n, k in parties if k == "csp"]
    out.append(Viewer(PANEL))
    return out


def resolve(session: Session, viewer: Viewer) -> Viewer:
    """The viewer with its party checked and its name filled in; BadInput if unknown."""
    if viewer.kind in (DCC, PANEL):
        return Viewer(viewer.kind)
    if viewer.kind not in (SUPPLIER, CSP) or not viewer.party:
        raise BadInput(f"{viewer.kind!r} is not an actor with a dashboard (DCC, a supplier, a CSP, the Panel).")
    party = session.get(Party, viewer.party.strip().upper())
    if party is None or party.kind != viewer.kind:
        known = ", ".join(str(p) for p in session.scalars(
            select(Party.id).where(Party.kind == viewer.kind).order_by(Party.id)))
        what = "supplier" if viewer.kind == SUPPLIER else "CSP"
        raise BadInput(f"{viewer.party!r} is not a {what} known to this database"
                       + (f" (the {what}s are {known})." if known and viewer.kind == CSP else "."))
    return Viewer(viewer.kind, party.id, party.name)


# -- the dashboard ---------------------------------------------------------------------------------
def build(session: Session, viewer: Viewer, now: datetime) -> Dashboard:
    """VIEWER's dashboard at NOW."""
    viewer = resolve(session, viewer)
    facts = load(session, now)
    mine = [r for r in facts.releases if _concerns(facts, r, viewer)]
    cards = tuple(_card(facts, r, viewer) for r in mine)
    own = tuple(a for a in actions.of(facts, mine, viewer.kind, viewer.party) if not a.scheduled)
    others = tuple(next_dates(facts, mine, viewer))
    notes: list[str] = []
    if not mine:
        notes.append("No upgrade is in flight" + ("" if viewer.kind in (DCC, PANEL) else " for you") + ".")
    if viewer.kind == PANEL and not own:
        notes.append("No decision awaits the Panel's confirmation.")
    elif not own:
        notes.append("Nothing is waiting for you.")
    return Dashboard(viewer, facts.now, cards, own, others, tuple(notes))


def _regions_of(facts: Facts, csp: str | None) -> list[str]:
    return sorted(r for r, c in facts.regions.items() if c == csp)


def _concerns(facts: Facts, r: ReleaseFacts, viewer: Viewer) -> bool:
    if viewer.kind == SUPPLIER:
        return bool(r.per_party("supplier_state", viewer.party or ""))
    if viewer.kind == CSP:
        return any(r.per_party("region_state", region) for region in _regions_of(facts, viewer.party))
    return True


def _counts(facts: Facts, r: ReleaseFacts, viewer: Viewer) -> tuple[str, dict[str, int]]:
    if viewer.kind == SUPPLIER:
        return "your hubs", dict(r.per_party("supplier_state", viewer.party or ""))
    if viewer.kind == CSP:
        regions = _regions_of(facts, viewer.party)
        total: dict[str, int] = {}
        for region in regions:
            for state, n in r.per_party("region_state", region).items():
                total[state] = total.get(state, 0) + n
        return f"hubs in {' and '.join(regions)}", total
    return "all hubs", dict(r.tally("state"))


def _card(facts: Facts, r: ReleaseFacts, viewer: Viewer) -> ReleaseCard:
    scope, counts = _counts(facts, r, viewer)
    told = ""
    if viewer.kind == SUPPLIER:
        own = [i for i in r.instructions if i.supplier == viewer.party]
        # DCC's batches are not counted per supplier, so a supplier's card names only the
        # times it instructed itself; its other hubs follow DCC's dates.
        later = [i.activate_at for i in own if i.activate_at > facts.now]
        next_activation = min(later) if later else None
        if own:
            told = (f"{len(own)} instruction{'s' if len(own) != 1 else ''} received: "
                    f"{sum(i.accepted for i in own):,} hubs accepted, {sum(i.refused for i in own):,} refused")
        else:
            told = "None received from you"
    else:
        next_activation = actions.next_activation(facts, r)
    return ReleaseCard(
        id=r.id, model=r.model, to_version=r.to_version, state=r.state, deployment_date=r.deployment_date,
        cut_off=r.cut_off, notified_at=r.notified_at, scope=scope, counts=counts, pilot=actions.pilot_words(r),
        next_activation=next_activation, instructions=told, progress=r.progress,
        guard=(f"pauses it above {r.guard_max_failure / 100:g}% failures of at least {r.guard_min_finished:,} "
               "finished hubs in a batch, region or supplier"
               + ("; it paused it" if r.state == "PAUSED" and any(x.automatic for x in r.incidents) else "")))


def next_dates(facts: Facts, mine: list[ReleaseFacts], viewer: Viewer) -> list[NextDate]:
    """Per other kind of actor, the next thing due from it on the viewer's releases.

    What is said comes from each action's public summary, which names no party: so a
    supplier learns when other suppliers' cut-offs fall, never who they are.
    """
    groups: list[tuple[str, list[DueAction]]] = []
    if viewer.kind != DCC:
        groups.append(("DCC", actions.of(facts, mine, DCC, None)))
    csps = sorted({c for c in facts.regions.values()})
    if viewer.kind == CSP:
        groups.append(("Other CSPs", [a for c in csps if c != viewer.party for a in actions.of(facts, mine, CSP, c)]))
    else:
        groups.append(("CSPs", [a for c in csps for a in actions.of(facts, mine, CSP, c)]))
    suppliers = sorted({p for r in mine for p in r.parties()})
    label = "Other suppliers" if viewer.kind == SUPPLIER else "Suppliers"
    groups.append((label, [a for p in suppliers if p != viewer.party
                           for a in actions.of(facts, mine, SUPPLIER, p)]))
    if viewer.kind != PANEL:
        groups.append((PANEL_NAME, actions.of(facts, mine, PANEL, None)))
    out: list[NextDate] = []
    for actor, found in groups:
        first = actions.first(found)
        if first is None:
            out.append(NextDate(actor, None, "Nothing due", None, "\u2013", False))
        else:
            left = "under way now" if first.ongoing and not first.overdue else first.left
            out.append(NextDate(actor, first.due, first.summary, first.release_id, left, first.overdue))
    return out
