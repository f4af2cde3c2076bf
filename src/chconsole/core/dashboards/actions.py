"""What each actor owes, with the time left to do it: the actions on the dashboards (R5).

One function per kind of actor turns the dashboard facts into DueActions. Each action
has two phrasings: `what`, for the actor who owes it (it may name the actor's own hubs
and batches), and `summary`, which names no party and no batch, for the "next date of the
other actors" on everyone else's dashboard. Scheduled work (a batch's distribution that
the scheduler will start on its own) counts as the actor's next date but is not an
outstanding action.

The Panel owes the confirmation of every decision DCC has triaged (R6), and a decision on
every release suspended by an emergency stop.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from chconsole.core.dashboards.facts import Facts, ReleaseFacts
from chconsole.core.dashboards.words import ago, hubs, plural_s, them, time_left, verb_s
from chconsole.core.vocabulary.london import show

NEAR = timedelta(days=14)  # a DCC deployment date this close is worth DCC's attention
# Releases that take instructions and nominations (the others refuse them: RELEASE_NOT_OPEN).
TAKING = ("NOTIFIED", "PILOT_RUNNING", "PILOT_CONCLUDED", "DEPLOYING")
IN_FLIGHT_HUBS = ("DISTRIBUTING", "DISTRIBUTED", "ACTIVATION_PENDING")
STILL_TO_DISTRIBUTE = ("ELIGIBLE", "AWAITING_OTHER_SUPPLIER", "SCHEDULED", "HELD")
NOT_YET_ACTIVATED = (*STILL_TO_DISTRIBUTE, *IN_FLIGHT_HUBS)
HOLDING = ("DISTRIBUTED", "ACTIVATION_PENDING")  # the image is on the hub; activation to come
IN_HAND = ("SCHEDULED", *IN_FLIGHT_HUBS, "HELD")  # a batch's hubs not finished yet


@dataclass(frozen=True)
class DueAction:
    """Something one actor must (or may) do, and by when.

    Attributes:
        kind: What sort of action (instruct, nominate, consent-nomination, consent-instruction,
            overdue-batch, conclude-pilot, start-pilot, deployment-date, triage, distribute,
            activate, upcoming-distribution, scheduled-distribution, scheduled-activation,
            panel-decision).
        what: The sentence its owner reads.
        release_id: The release it is about (None for none in particular).
        due: Due by; None when no date is set (then `left` says what it waits for).
        left: The time left, "3 days 4 hours left" or "overdue by 2 hours", or what it waits for.
        overdue: The due time has passed.
        hubs: Hubs involved (None when it is not about hubs).
        summary: The same, naming no party: what others see as this actor's next date.
        scheduled: Work that will start on its own at its time, not waiting for a person.
        urgent: Asks for attention above its place by date (an emergency stop request).
        ongoing: Under way now, with no time set (a pilot's distribution): the actor's
            next date is now.
    """

    kind: str
    what: str
    release_id: int | None
    due: datetime | None
    left: str
    overdue: bool
    hubs: int | None
    summary: str
    scheduled: bool = False
    urgent: bool = False
    ongoing: bool = False


def action(facts: Facts, kind: str, what: str, release_id: int | None, due: datetime | None,
           involved: int | None, summary: str, waits_for: str = "no deadline set", **flags: bool) -> DueAction:
    """A DueAction at the facts' time: its time left worked out, or WAITS_FOR when undated."""
    left = time_left(due, facts.now) if due is not None else waits_for
    return DueAction(kind, what, release_id, due, left, due is not None and due < facts.now, involved, summary,
                     **flags)


def of(facts: Facts, releases: Sequence[ReleaseFacts], kind: str, party: str | None) -> list[DueAction]:
    """The actions of one actor (KIND and PARTY) on RELEASES, most pressing first."""
    found = {"dcc": dcc, "panel": panel}.get(kind)
    if found is not None:
        return ordered(found(facts, releases))
    if kind == "supplier":
        return ordered(supplier(facts, releases, party or ""))
    return ordered(csp(facts, releases, party or ""))


def ordered(found: Iterable[DueAction]) -> list[DueAction]:
    """Overdue first (longest overdue first), then urgent, then under way now, then by due
    date; undated last."""
    far = datetime.max.replace(tzinfo=None)

    def key(a: DueAction) -> tuple[int, int, int, datetime]:
        due = a.due.replace(tzinfo=None) if a.due is not None else far
        return (0 if a.overdue else 1, 0 if a.urgent else 1, 0 if a.ongoing else 1, due)

    return sorted(found, key=key)


def first(found: Iterable[DueAction]) -> DueAction | None:
    """What is due soonest: an overdue action, else one under way now, else the next by date;
    an undated one only when nothing else is."""
    listed = ordered(found)
    return next((a for a in listed if a.overdue), None) or next((a for a in listed if a.ongoing), None) \
        or next((a for a in listed if a.due is not None), listed[0] if listed else None)


# -- shared facts ------------------------------------------------------------------------------
def nominations_open(r: ReleaseFacts) -> bool:
    return r.state == "NOTIFIED" and (r.pilot is None or r.pilot.state == "NOMINATING")


def next_activation(facts: Facts, r: ReleaseFacts) -> datetime | None:
    """The next planned activation of the release: a batch's, the pilot's, or the DCC date."""
    times = [b.activate_at for b in r.batches if b.activate_at > facts.now]
    if r.pilot is not None and r.pilot.state == "RUNNING" and r.pilot.activate_at and r.pilot.activate_at > facts.now:
        times.append(r.pilot.activate_at)
    if r.deployment_date is not None and r.deployment_date > facts.now:
        times.append(r.deployment_date)
    return min(times) if times else None


def in_flight_due(facts: Facts, r: ReleaseFacts) -> datetime | None:
    """When hubs being distributed now are due to activate: the running batches' time, or the
    pilot's. None when the pilot activates each hub as soon as it holds the image (or no time
    is known): the work is under way now."""
    pilot_flying = _sum(r.tally("pilot_state"), IN_FLIGHT_HUBS)
    p = r.pilot
    if pilot_flying and p is not None and p.state == "RUNNING" and p.activate_at is None:
        return None
    times = [b.activate_at for b in r.batches if b.state in ("RUNNING", "OVERDUE")]
    if pilot_flying and p is not None and p.activate_at is not None:
        times.append(p.activate_at)
    return min(times) if times else None


def first_safe_launch(r: ReleaseFacts) -> datetime | None:
    """When the first safe-launch hub is due to activate: the gate must be open by then."""
    times = [b.activate_at for b in r.batches]
    if r.deployment_date is not None:
        times.append(r.deployment_date)
    return min(times) if times else None


def pilot_words(r: ReleaseFacts) -> str:
    p = r.pilot
    counts = r.tally("pilot_state")
    total = sum(counts.values())
    if p is None:
        return "Taking nominations: none yet" if nominations_open(r) else "No pilot"
    if p.state == "NOMINATING":
        if not total:
            return "Taking nominations: no hub has joined yet"
        return f"Taking nominations: {hubs(total)} {'has' if total == 1 else 'have'} joined"
    if p.state == "RUNNING":
        done = f"{counts.get('ACTIVATED', 0):,} of {total:,} activated, {counts.get('FAILED', 0):,} failed"
        if p.finished_at is not None:
            return f"Every pilot hub has finished ({done}): awaiting DCC's decision"
        return f"Running: {done}"
    return f"Concluded: {p.decision or 'no decision'}" + (f" ({hubs(total)})" if total else "")


def _sum(counts: dict[str, int], states: Iterable[str]) -> int:
    return sum(counts.get(s, 0) for s in states)


# -- suppliers ------------------------------------------------------------------------------------
def supplier(facts: Facts, releases: Sequence[ReleaseFacts], party: str) -> list[DueAction]:
    out: list[DueAction] = []
    for r in releases:
        mine = r.per_party("supplier_state", party)
        if not mine:
            continue
        if nominations_open(r):
            free = mine.get("ELIGIBLE", 0)
            if party not in r.nominators and free:
                out.append(action(
                    facts, "nominate", f"Nominate pilot hubs for release {r.id} if you wish: up to "
                    f"{r.pilot_cap:,} of your {hubs(free, 'eligible hub')}", r.id, None, free,
                    f"pilot nominations for release {r.id}", "until DCC starts the pilot"))
            owed = r.tally("owes_nomination").get(party, 0)
            if owed:
                out.append(action(
                    facts, "consent-nomination", f"{hubs(owed, 'split-supply hub')} wait{verb_s(owed)} for your "
                    f"pilot nomination; another supplier has nominated {them(owed)}", r.id, None, owed,
                    f"pilot nominations for release {r.id}", "until DCC starts the pilot"))
        if r.state in TAKING and r.cut_off is not None and facts.now < r.cut_off:
            free = mine.get("ELIGIBLE", 0)
            if free:
                out.append(action(
                    facts, "instruct", f"Instruct an earlier activation of your {hubs(free)} not yet "
                    f"scheduled, if you want one; otherwise {them(free, 'they')} activate{verb_s(free)} at the DCC date "
                    f"{show(r.deployment_date)}", r.id, r.cut_off, free,
                    f"instruction cut-off of release {r.id}"))
            owed = r.tally("owes_instruction").get(party, 0)
            if owed:
                out.append(action(
                    facts, "consent-instruction", f"{hubs(owed, 'split-supply hub')} wait{verb_s(owed)} for your "
                    f"instruction; another supplier has instructed {them(owed)}", r.id, r.cut_off, owed,
                    f"instruction cut-off of release {r.id}"))
    return out


# -- DCC ------------------------------------------------------------------------------------------
def dcc(facts: Facts, releases: Sequence[ReleaseFacts]) -> list[DueAction]:
    out: list[DueAction] = []
    for r in releases:
        states = r.tally("state")
        for b in r.batches:
            waiting = _sum(b.counts, IN_HAND) or b.hubs
            if not waiting and b.kind == "deployment_date":  # it takes every hub left when it starts
                waiting = _sum(states, ("ELIGIBLE", "AWAITING_OTHER_SUPPLIER"))
            if b.state == "OVERDUE":
                due = b.overdue_since or b.distribute_from
                out.append(action(
                    facts, "overdue-batch", f"{hubs(waiting)} {'was' if waiting == 1 else 'were'} due at {show(due)} (batch {b.name!r}): "
                    "run it now or re-plan it", r.id, due, waiting, f"an overdue batch of release {r.id}"))
            elif b.state == "PLANNED" and b.distribute_from > facts.now:
                out.append(action(
                    facts, "scheduled-distribution", f"Batch {b.name!r} ({waiting:,} hubs) starts distribution",
                    r.id, b.distribute_from, waiting, f"a batch of release {r.id} starts distribution",
                    scheduled=True))
            elif b.state == "RUNNING" and b.activate_at > facts.now:
                out.append(action(
                    facts, "scheduled-activation", f"Batch {b.name!r} ({waiting:,} hubs) activates", r.id,
                    b.activate_at, waiting, f"a batch of release {r.id} activates", scheduled=True))
        p = r.pilot
        gate = first_safe_launch(r)
        held = states.get("HELD", 0)
        pilot_hubs = sum(r.tally("pilot_state").values())
        if p is not None and p.state == "RUNNING" and p.finished_at is not None:
            out.append(action(
                facts, "conclude-pilot", f"Conclude the pilot of release {r.id}: every pilot hub has finished"
                + (f"; {held:,} safe-launch hubs are held until you do" if held else ""),
                r.id, gate, pilot_hubs, f"the pilot decision on release {r.id}"))
        elif p is not None and p.state == "NOMINATING" and r.state == "NOTIFIED":
            joined = r.tally("pilot_state").get("SCHEDULED", 0)
            if joined:
                out.append(action(
                    facts, "start-pilot", f"Start the pilot of release {r.id}: {joined:,} hub{plural_s(joined)} "
                    f"{'has' if joined == 1 else 'have'} joined it",
                    r.id, gate, joined, f"the start of release {r.id}'s pilot"))
        if r.deployment_date is not None and facts.now <= r.deployment_date <= facts.now + NEAR:
            left = _sum(states, NOT_YET_ACTIVATED)
            if left:
                out.append(action(
                    facts, "deployment-date", f"Release {r.id} reaches its DCC deployment date: "
                    f"{left:,} hubs still to activate", r.id, r.deployment_date, left,
                    f"the DCC deployment date of release {r.id}"))
        elif r.deployment_date is not None and r.deployment_date > facts.now:
            out.append(action(
                facts, "deployment-date", f"DCC deployment date of release {r.id}", r.id, r.deployment_date,
                _sum(states, NOT_YET_ACTIVATED), f"the DCC deployment date of release {r.id}", scheduled=True))
        for x in r.incidents:
            if x.state == "OPEN":
                stop = " It asks for an emergency stop." if x.emergency_stop else ""
                who = "the failure guard" if x.automatic else facts.names.get(x.supplier, x.supplier)
                out.append(action(
                    facts, "triage", f"Triage incident {x.id} on release {r.id}, raised by "
                    f"{who} ({x.priority} priority).{stop}",
                    r.id, None, None, f"the triage of an incident on release {r.id}",
                    f"raised {ago(facts.now - x.raised_at)}", urgent=x.emergency_stop))
            elif x.state in ("CONFIRMED", "CLOSED") and x.outcome in ("proceed", "delay") \
                    and r.state in ("SUSPENDED", "PAUSED"):
                out.append(action(
                    facts, "resume", f"Resume release {r.id}: the Panel confirmed {x.outcome} on incident {x.id} "
                    "(a DCC user other than the one who halted it)", r.id, None, None,
                    f"the resumption of release {r.id}", f"confirmed {ago(facts.now - (x.confirmed_at or facts.now))}",
                    urgent=True))
    return out


# -- CSPs ------------------------------------------------------------------------------------------
def csp(facts: Facts, releases: Sequence[ReleaseFacts], party: str) -> list[DueAction]:
    regions = sorted(r for r, c in facts.regions.items() if c == party)
    out: list[DueAction] = []
    for r in releases:
        here: dict[str, int] = {}
        for region in regions:
            for state, n in r.per_party("region_state", region).items():
                here[state] = here.get(state, 0) + n
        if not here:
            continue

        def where(states: tuple[str, ...], r: ReleaseFacts = r) -> str:
            return " and ".join(x for x in regions if _sum(r.per_party("region_state", x), states))

        due = in_flight_due(facts, r)
        asap = "; each activates as soon as it holds the image" if due is None else ""
        distributing = here.get("DISTRIBUTING", 0)
        if distributing:
            out.append(action(
                facts, "distribute", f"Deliver the firmware image to {distributing:,} hubs being distributed "
                f"in {where(('DISTRIBUTING',))}{asap}", r.id, due, distributing, f"distribution for release {r.id}",
                "under way now", ongoing=due is None))
        holding = _sum(here, HOLDING)
        if holding:
            out.append(action(
                facts, "activate", f"{holding:,} hubs in {where(HOLDING)} hold the image and await activation{asap}",
                r.id, due, holding, f"activations for release {r.id}", "under way now", ongoing=due is None))
        upcoming = _sum(here, STILL_TO_DISTRIBUTE)
        planned = sorted((b for b in r.batches if b.state == "PLANNED"), key=lambda b: b.distribute_from)
        latest = (r.deployment_date - timedelta(days=r.lead_days)) if r.deployment_date else None
        start = planned[0].distribute_from if planned else latest
        by_date = not planned or planned[0].kind == "deployment_date"
        if upcoming and start is not None and start >= facts.now:
            out.append(action(
                facts, "upcoming-distribution", f"{upcoming:,} hubs in {where(STILL_TO_DISTRIBUTE)} still to receive the image"
                + ("; distribution for the DCC deployment date starts then" if by_date else
                   "; the next batch starts distribution then"),
                r.id, start, upcoming, f"distribution for release {r.id}"))
    return out


# -- the Panel --------------------------------------------------------------------------------------
def panel(facts: Facts, releases: Sequence[ReleaseFacts]) -> list[DueAction]:
    out = [action(facts, "panel-decision", f"Release {r.id} is suspended (emergency stop) pending the "
                  "Panel's decision", r.id, None, None, f"a decision on release {r.id}", "pending the Panel")
           for r in releases if r.state == "SUSPENDED" and not any(x.state == "TRIAGED" for x in r.incidents)]
    for r in releases:
        for x in r.incidents:
            if x.state == "TRIAGED" and x.outcome is not None:
                out.append(action(
                    facts, "panel-decision", f"Confirm DCC's decision on incident {x.id}, release {r.id}: "
                    f"{x.outcome}", r.id, None, None, f"the Panel's confirmation for release {r.id}",
                    f"triaged {ago(facts.now - (x.triaged_at or facts.now))}", urgent=x.emergency_stop))
    return out
