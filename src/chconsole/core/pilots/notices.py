"""What the pilot tells suppliers and CSPs: at its start, each day, at its end, and the gate.

A supplier's notice speaks only of its own hubs; a split-supply hub's other supplier is
"the other supplier", never named.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from chconsole.core.notices import outbox
from chconsole.core.notices.outbox import Kind
from chconsole.core.storage.campaign_models import Pilot
from chconsole.core.storage.models import Release
from chconsole.core.storage.sql import with_timestamps
from chconsole.core.vocabulary.london import show, utc

LISTED = 100  # failed hubs named in a notice body; the attached report lists them all


def _title(release: Release) -> str:
    return f"release {release.id} ({release.device_model}, firmware {release.to_version})"


def pilot_parties(session: Session, release_id: int) -> dict[str, Counter[str]]:
    """Per supplier with pilot hubs: its pilot hubs per state (a split hub counts for both)."""
    out: dict[str, Counter[str]] = {}
    for imp, gas, state, n in session.execute(text(
        "SELECT import_supplier, gas_supplier, state, COUNT(*) FROM release_hub WHERE release_id = :r "
        "AND hub_group = 'pilot' GROUP BY import_supplier, gas_supplier, state"), {"r": release_id}):
        for party in {imp, gas} - {None}:
            out.setdefault(str(party), Counter())[str(state)] += int(n)
    return out


def pilot_regions(session: Session, release_id: int) -> dict[str, int]:
    return {str(r): int(n) for r, n in session.execute(text(
        "SELECT csp_region, COUNT(*) FROM release_hub WHERE release_id = :r AND hub_group = 'pilot' "
        "GROUP BY csp_region"), {"r": release_id})}


def _csps(session: Session, regions: dict[str, int]) -> dict[str, int]:
    out: Counter[str] = Counter()
    for region, n in regions.items():
        csp = session.execute(text("SELECT csp_id FROM region WHERE name = :n"), {"n": region}).scalar()
        if csp:
            out[str(csp)] += n
    return dict(out)


def _when(pilot: Pilot) -> str:
    if pilot.activate_at:
        return f"Activation is set for {show(utc(pilot.activate_at))}, once each hub holds the image."
    return "Each hub is activated as soon as it holds the image."


def started(
    session: Session, release: Release, pilot: Pilot, hubs: int, dropped: Counter[str], now: datetime, actor: str,
) -> None:
    parties = pilot_parties(session, release.id)
    for party, counts in sorted(parties.items()):
        mine = sum(counts.values())
        extra = ""
        if dropped.get(party):
            extra = (f"\n{dropped[party]:,} split-supply hubs you nominated did not join: their other "
                     "supplier had not nominated them by the start. They stay in the safe launch group.\n")
        outbox.add(
            session, release_id=release.id, recipient=party, kind=Kind.PILOT_START,
            subject=f"Pilot started: {_title(release)}, {mine:,} of your hubs",
            body=(f"To {outbox.party_name(session, party)}\n\nDCC started the pilot of {_title(release)} "
                  f"on {show(now)}. {mine:,} of your hubs are in it; distribution of the image starts now. "
                  f"{_when(pilot)}\n{extra}\nYou will receive progress every day at 17:00 and a notice at "
                  "its end. The attached report lists your pilot hubs.\n"),
            now=now, actor=actor, attachment_kind="pilot")
    for party, n in sorted(dropped.items()):
        if party not in parties:
            outbox.add(
                session, release_id=release.id, recipient=party, kind=Kind.PILOT_START,
                subject=f"Pilot started: {_title(release)}; none of your hubs joined",
                body=(f"To {outbox.party_name(session, party)}\n\nDCC started the pilot of {_title(release)} "
                      f"on {show(now)}. The {n:,} split-supply hubs you nominated did not join: their other "
                      "supplier had not nominated them by the start.\n"),
                now=now, actor=actor)
    for csp, n in sorted(_csps(session, pilot_regions(session, release.id)).items()):
        outbox.add(
            session, release_id=release.id, recipient=csp, kind=Kind.PILOT_START,
            subject=f"Pilot started: {_title(release)}, {n:,} hubs in your regions",
            body=(f"To {outbox.party_name(session, csp)}\n\nDCC started the pilot of {_title(release)} on "
                  f"{show(now)} with {hubs:,} hubs, {n:,} of them in your regions. Distribution commands "
                  f"follow now. {_when(pilot)}\n"),
            now=now, actor=actor)


def _failures(session: Session, release_id: int, party: str) -> list[tuple[str, str]]:
    return [(str(g), str(r)) for g, r in session.execute(text(
        "SELECT h.guid, rh.reason FROM release_hub rh JOIN hub h ON h.id = rh.hub_id WHERE rh.release_id = :r "
        "AND rh.hub_group = 'pilot' AND rh.state = 'FAILED' AND (rh.import_supplier = :p OR "
        "rh.gas_supplier = :p) ORDER BY h.guid"), {"r": release_id, "p": party})]


def _summary(counts: Counter[str]) -> str:
    order = ["SCHEDULED", "DISTRIBUTING", "DISTRIBUTED", "ACTIVATION_PENDING", "ACTIVATED", "FAILED",
             "CANCELLED", "EXCLUDED"]
    return "\n".join(f"  {s:<20} {counts[s]:>7,}" for s in order if counts.get(s))


def _general_comments(session: Session, release_id: int, since: datetime | None) -> list[str]:
    rows = session.execute(with_timestamps(
        "SELECT at, text FROM hub_comment WHERE release_id = :r AND hub_id IS NULL ORDER BY id", "at"),
        {"r": release_id}).all()
    return [f"  {show(utc(at))}: {t}" for at, t in rows if since is None or utc(at) > since]


def progress(session: Session, release: Release, pilot: Pilot, now: datetime, actor: str) -> None:
    """The day's progress to each supplier with pilot hubs: its counts, failures, commentary."""
    comments = _general_comments(session, release.id, None)
    for party, counts in sorted(pilot_parties(session, release.id).items()):
        failed = _failures(session, release.id, party)
        lines = [f"To {outbox.party_name(session, party)}", "",
                 f"Progress of the pilot of {_title(release)} at {show(now)}, for your "
                 f"{sum(counts.values()):,} pilot hubs:", "", _summary(counts)]
        if failed:
            lines += ["", "Failed hubs and the reason for each:"]
            lines += [f"  {g}  {r}" for g, r in failed[:LISTED]]
            if len(failed) > LISTED:
                lines.append(f"  ... and {len(failed) - LISTED:,} more in the attached report")
        if comments:
            lines += ["", "DCC's commentary:", *comments]
        lines += ["", "The attached report gives every pilot hub of yours with its state, any failure "
                  "reason and DCC's commentary on it."]
        outbox.add(
            session, release_id=release.id, recipient=party, kind=Kind.PILOT_PROGRESS,
            subject=(f"Pilot progress, {_title(release)}: {counts.get('ACTIVATED', 0):,} activated, "
                     f"{counts.get('FAILED', 0):,} failed"),
            body="\n".join(lines) + "\n", now=now, actor=actor, attachment_kind="pilot")
    _csp_progress(session, release, now, actor)


def _region_progress(session: Session, release_id: int, csp: str) -> tuple[Counter[str], list[tuple[str, str, str]]]:
    counts: Counter[str] = Counter()
    for state, n in session.execute(text(
        "SELECT rh.state, COUNT(*) FROM release_hub rh JOIN region g ON g.name = rh.csp_region WHERE "
        "rh.release_id = :r AND rh.hub_group = 'pilot' AND g.csp_id = :c GROUP BY rh.state"),
        {"r": release_id, "c": csp}):
        counts[str(state)] += int(n)
    failed = [(str(g), str(region), str(reason)) for g, region, reason in session.execute(text(
        "SELECT h.guid, rh.csp_region, rh.reason FROM release_hub rh JOIN hub h ON h.id = rh.hub_id "
        "JOIN region g ON g.name = rh.csp_region WHERE rh.release_id = :r AND rh.hub_group = 'pilot' "
        "AND rh.state = 'FAILED' AND g.csp_id = :c ORDER BY h.guid"), {"r": release_id, "c": csp})]
    return counts, failed


def _csp_progress(session: Session, release: Release, now: datetime, actor: str) -> None:
    """Each CSP hears how the pilot goes in its regions, hub by hub for the failures."""
    for csp in sorted(_csps(session, pilot_regions(session, release.id))):
        counts, failed = _region_progress(session, release.id, csp)
        lines = [f"To {outbox.party_name(session, csp)}", "",
                 f"Progress of the pilot of {_title(release)} at {show(now)}, for the "
                 f"{sum(counts.values()):,} pilot hubs in your regions:", "", _summary(counts)]
        if failed:
            lines += ["", "Failed hubs, with their region and reason:"]
            lines += [f"  {g}  {region:8} {reason}" for g, region, reason in failed[:LISTED * 5]]
            if len(failed) > LISTED * 5:
                lines.append(f"  ... and {len(failed) - LISTED * 5:,} more")
        outbox.add(
            session, release_id=release.id, recipient=csp, kind=Kind.PILOT_PROGRESS,
            subject=(f"Pilot progress, {_title(release)}, your regions: {counts.get('ACTIVATED', 0):,} "
                     f"activated, {counts.get('FAILED', 0):,} failed"),
            body="\n".join(lines) + "\n", now=now, actor=actor)


def concluded(
    session: Session, release: Release, pilot: Pilot, released: Counter[str], now: datetime, actor: str,
) -> None:
    """The end notice, with DCC's decision and commentary, to everyone the release concerns."""
    parties = pilot_parties(session, release.id)
    proceed = pilot.decision == "proceed"
    if proceed and pilot.started_at is None:
        meaning = ("DCC has decided that the rollout proceeds without a pilot. Safe-launch hubs are deployed at "
                   f"the DCC deployment date, {show(utc(release.deployment_date)) if release.deployment_date else '-'}"
                   ", or earlier where their suppliers instruct it.")
    elif proceed:
        meaning = ("The pilot succeeded and the rollout proceeds. Safe-launch hubs are deployed at the DCC "
                   f"deployment date, {show(utc(release.deployment_date)) if release.deployment_date else '-'}, "
                   "or earlier where their suppliers instruct it.")
    else:
        meaning = ("The rollout is stopped. No further hub will be updated under this release; every pending "
                   "schedule and instruction for it is cancelled.")
    recipients = sorted(set(outbox.recipients_of(session, release.id)) | set(parties))
    for party in recipients:
        counts = parties.get(party)
        lines = [f"To {outbox.party_name(session, party)}", "",
                 (f"DCC has concluded the pilot of {_title(release)} on {show(now)}." if pilot.started_at else
                  f"DCC has decided on {_title(release)} without a pilot, on {show(now)}."), "",
                 f"Decision: {pilot.decision.upper() if pilot.decision else '-'}", meaning, "",
                 "DCC's commentary:", f"  {pilot.commentary}"]
        if counts:
            lines += ["", "Your pilot hubs:", _summary(counts)]
        if released.get(party):
            lines += ["", f"{released[party]:,} of your safe-launch hubs were held waiting for this decision; "
                      "they are held no longer."]
        outbox.add(
            session, release_id=release.id, recipient=party, kind=Kind.PILOT_END,
            subject=f"Pilot concluded: {_title(release)}, decision {pilot.decision}",
            body="\n".join(lines) + "\n", now=now, actor=actor,
            attachment_kind="pilot" if counts else None)


def held(session: Session, release: Release, newly: Counter[str], date: datetime, now: datetime, actor: str) -> None:
    """Safe-launch hubs whose date came before the pilot's decision: each supplier told."""
    for party, n in sorted(newly.items()):
        outbox.add(
            session, release_id=release.id, recipient=party, kind=Kind.SAFE_LAUNCH_HELD,
            subject=f"Release {release.id}: {n:,} of your hubs are held until the pilot is concluded",
            body=(f"To {outbox.party_name(session, party)}\n\nThe date for {n:,} of your safe-launch hubs in "
                  f"{_title(release)} has come ({show(date)}), but DCC has not yet concluded the pilot with a "
                  "decision to proceed. No safe-launch hub is activated before then, so these hubs are held. "
                  "We will tell you when the decision is made.\n"),
            now=now, actor=actor)
