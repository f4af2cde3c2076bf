"""Activation notices (R5): each supplier hears once a day which of its hubs took the new firmware.

At 18:00 London time, an hour after the pilots' progress, every activation confirmed since
the previous notice goes to the hub's *current* suppliers (as the estate says now, not as
they were when the release was notified): one notice per supplier, a supplier holding both
roles of a hub hearing of it once. A notice covers whole 18:00-to-18:00 days; if the console
was closed at 18:00 for days, the first tick after makes one notice covering the whole gap.

A watermark in the `setting` table keeps each activation in exactly one notice: the end of
the last period sent. Every notice of one run carries that period's end (in minutes since
the epoch) as its attachment_ref, and the previous run's end is its start, so the attached
list can be drawn again from the database at any time. Only counts are gathered in Python;
the GUIDs are read in keyset pages along the index on release_hub.confirmed_at (when the
engine learned of each confirmation, so a result the network reports late is still told).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, func, select
from sqlalchemy.orm import Session

from chconsole.core.notices import outbox
from chconsole.core.notices.outbox import Kind
from chconsole.core.reports.workbook import Column, write_report
from chconsole.core.storage.models import Notice, Release, Setting
from chconsole.core.storage.sql import at_params, typed
from chconsole.core.vocabulary.london import LONDON, show, to_london, utc

DIGEST_AT = time(18, 0)  # after the pilots' 17:00 progress, so a pilot day is told in order
SETTING_KEY = "activation_digest"
LISTED = 200  # GUIDs named in the notice body; the attachment lists every one
PAGE = 10_000  # rows per keyset page of the attachment

COLUMNS = (
    Column("GUID", 26),
    Column("Your role", 16),
    Column("Release", 9, "int"),
    Column("Firmware now", 14),
    Column("Activated (London time)", 22, "datetime"),
    Column("Shared with another supplier", 27),
)

_WINDOW = "rh.state = 'ACTIVATED' AND rh.confirmed_at <= :b"


# -- when --------------------------------------------------------------------------------------
def next_due(now: datetime) -> datetime:
    """The next 18:00 London time after NOW."""
    local = to_london(now)
    due = datetime.combine(local.date(), DIGEST_AT, LONDON)
    if local >= due:
        due = datetime.combine(local.date() + timedelta(days=1), DIGEST_AT, LONDON)
    return utc(due)


def _last_due(now: datetime) -> datetime:
    """The latest 18:00 London time at or before NOW: the end of the period due now."""
    local = to_london(now)
    due = datetime.combine(local.date(), DIGEST_AT, LONDON)
    if local < due:
        due = datetime.combine(local.date() - timedelta(days=1), DIGEST_AT, LONDON)
    return utc(due)


def _ref(end: datetime) -> int:
    return int(utc(end).timestamp()) // 60  # minutes: an INTEGER column holds them for ever


def _end_of(ref: int) -> datetime:
    return datetime.fromtimestamp(ref * 60, UTC)


def day_label(ref: int) -> str:
    """The London date a period ends on, for file names."""
    return to_london(_end_of(ref)).date().isoformat()


# -- the watermark -------------------------------------------------------------------------------
def _load(session: Session) -> dict[str, Any]:
    row = session.get(Setting, SETTING_KEY)
    return json.loads(row.value) if row is not None else {}


def _save(session: Session, reported: datetime | None, checked: datetime) -> None:
    value = json.dumps({"reported_through": reported.isoformat() if reported else None,
                        "checked_through": checked.isoformat()})
    row = session.get(Setting, SETTING_KEY)
    if row is None:
        session.add(Setting(key=SETTING_KEY, value=value))
    else:
        row.value = value


def _instant(text: str | None) -> datetime | None:
    return utc(datetime.fromisoformat(text)) if text else None


def pending(session: Session) -> bool:
    """Whether some confirmed activation has not been told yet (one index probe), so the
    next 18:00 is due even when no release is live any more (it just completed)."""
    start = _instant(_load(session).get("reported_through"))
    where = "rh.state = 'ACTIVATED' AND rh.confirmed_at IS NOT NULL"
    params: dict[str, Any] = {}
    if start is not None:
        where += " AND rh.confirmed_at > :a"
        params["a"] = start
    return session.execute(typed(f"SELECT 1 FROM release_hub rh WHERE {where} LIMIT 1", params),
                           params).first() is not None


# -- the run -------------------------------------------------------------------------------------
def daily(session: Session, now: datetime, actor: str) -> int:
    """Send the period's activation notices if they are due; returns how many were written.

    Due once the day's 18:00 has passed and that day has not been done. The period ends at
    that 18:00 and starts where the last notices ended (the very first covers everything
    before), so nothing is told twice and nothing confirmed is left out.
    """
    end = _last_due(now)
    mark = _load(session)
    checked = _instant(mark.get("checked_through"))
    if checked is not None and checked >= end:
        return 0
    start = _instant(mark.get("reported_through"))
    counts = _counts(session, start, end)
    if not counts:
        # Nothing to tell: the start stays, so the next notice says "since the last one".
        _save(session, start, end)
        return 0
    releases = {r.id: r for r in session.scalars(
        select(Release).where(Release.id.in_({rid for per in counts.values() for rid in per})))}
    for party in sorted(counts):
        _notice(session, party, counts[party], releases, start, end, now, actor)
    _save(session, end, end)
    return len(counts)


def _params(start: datetime | None, end: datetime) -> tuple[str, dict[str, Any], tuple[str, ...]]:
    """The window (start, end] as SQL over release_hub rh, written to use its confirmed_at index."""
    if start is None:
        return _WINDOW, {"b": end}, ("b",)
    return f"{_WINDOW} AND rh.confirmed_at > :a", {"a": start, "b": end}, ("a", "b")


def _counts(
    session: Session, start: datetime | None, end: datetime, party: str | None = None,
) -> dict[str, dict[int, tuple[int, int]]]:
    """Per current supplier (or only PARTY) and release: hubs activated in the window, and how
    many of them are shared with another supplier."""
    window, params, names = _params(start, end)
    imp, gas = ("AND h.import_supplier = :p", "AND h.gas_supplier = :p") if party else ("", "")
    if party:
        params["p"] = party
    shared = "CASE WHEN h.import_supplier <> h.gas_supplier THEN 1 ELSE 0 END"
    rows = session.execute(at_params(
        f"SELECT party, release_id, COUNT(*), SUM(shared) FROM ("
        f"SELECT h.import_supplier AS party, rh.release_id AS release_id, {shared} AS shared "
        f"FROM release_hub rh JOIN hub h ON h.id = rh.hub_id WHERE {window} AND h.import_supplier IS NOT NULL {imp} "
        f"UNION ALL SELECT h.gas_supplier, rh.release_id, {shared} "
        f"FROM release_hub rh JOIN hub h ON h.id = rh.hub_id WHERE {window} AND h.gas_supplier IS NOT NULL {gas} "
        "AND (h.import_supplier IS NULL OR h.import_supplier <> h.gas_supplier)"
        ") x GROUP BY party, release_id", *names), params)
    out: dict[str, dict[int, tuple[int, int]]] = defaultdict(dict)
    for who, release_id, n, split in rows:
        out[str(who)][int(release_id)] = (int(n), int(split or 0))
    return dict(out)


def _period(start: datetime | None, end: datetime) -> str:
    if start is None:
        return f"up to {show(end)}"
    return f"from {show(start)} to {show(end)}"


def _days(start: datetime | None, end: datetime) -> str:
    last = to_london(end).date()
    first = to_london(start).date() + timedelta(days=1) if start is not None else last
    return last.isoformat() if first >= last else f"{first.isoformat()} to {last.isoformat()}"


def _release_line(release_id: int, release: Release | None, n: int) -> str:
    hubs = f"{n:,} hub{'' if n == 1 else 's'}"
    if release is None:
        return f"Release {release_id}: {hubs}"
    return f"Release {release_id} ({release.device_model}), now on firmware {release.to_version}: {hubs}"


def _notice(
    session: Session, party: str, per_release: dict[int, tuple[int, int]], releases: dict[int, Release],
    start: datetime | None, end: datetime, now: datetime, actor: str,
) -> None:
    total = sum(n for n, _ in per_release.values())
    split = sum(s for _, s in per_release.values())
    guids = [row[3] for row in _page(session, party, start, end, None, LISTED)]
    lines = [f"To {outbox.party_name(session, party)}", "",
             f"Firmware activation was confirmed on {total:,} of your hubs {_period(start, end)}. "
             "The Smart Metering Inventory now shows each of them on its new firmware.", ""]
    lines += [f"  {_release_line(r, releases.get(r), n)}" for r, (n, _) in sorted(per_release.items())]
    if split:
        lines += ["", f"{split:,} of these hubs {'is' if split == 1 else 'are'} shared with another supplier, "
                  f"which is told of {'it' if split == 1 else 'them'} too."]
    lines += ["", "The hubs, in the order they were confirmed:" if total <= LISTED
              else f"The first {LISTED} hubs, in the order they were confirmed:"]
    lines += [f"  {g}" for g in guids]
    if total > LISTED:
        lines.append(f"  ... and {total - LISTED:,} more in the attached list")
    lines += ["", "The attached workbook lists every one of these hubs with your role, its release, its "
              "firmware now and the time of its activation.",
              "You are told of hubs you supply today, whoever supplied them when the release was notified."]
    outbox.add(
        session, release_id=next(iter(per_release)) if len(per_release) == 1 else None,
        recipient=party, kind=Kind.ACTIVATIONS_CONFIRMED,
        subject=f"Activations confirmed on {total:,} of your hubs, {_days(start, end)}",
        body="\n".join(lines) + "\n", now=now, actor=actor,
        attachment_kind="activations", attachment_ref=_ref(end))


# -- the list ---------------------------------------------------------------------------------
Row = tuple[datetime, int, int, str, str | None, str | None, str, datetime]


def _page(
    session: Session, party: str, start: datetime | None, end: datetime, after: Row | None, limit: int,
) -> list[Row]:
    """One keyset page of PARTY's activations in (start, end], ordered by activation time.

    A page after AFTER starts the index range at AFTER's time, so each page reads only its rows.
    """
    if after is None:
        window, params, names = _params(start, end)
    else:
        # The page's own time is the index range's lower bound, in place of the period's start
        # (which it passed): given both, SQLite may seek from the wider one.
        window, params, names = _params(None, end)
        window += (" AND rh.confirmed_at >= :t AND (rh.confirmed_at > :t OR rh.release_id > :r "
                   "OR (rh.release_id = :r AND rh.hub_id > :h))")
        params |= {"t": after[0], "r": after[1], "h": after[2]}
        names = (*names, "t")
    params |= {"p": party, "n": limit}
    statement = at_params(
        "SELECT rh.confirmed_at, rh.release_id, rh.hub_id, h.guid, h.import_supplier, h.gas_supplier, "
        "h.firmware_version, rh.activated_at FROM release_hub rh JOIN hub h ON h.id = rh.hub_id "
        f"WHERE {window} AND (h.import_supplier = :p OR h.gas_supplier = :p) "
        "ORDER BY rh.confirmed_at, rh.release_id, rh.hub_id LIMIT :n", *names,
    ).columns(confirmed_at=DateTime(timezone=True), activated_at=DateTime(timezone=True))
    return [(utc(at), int(r), int(h), str(g), imp, gas, str(fw), utc(done) if done else utc(at))
            for at, r, h, g, imp, gas, fw, done in session.execute(statement, params)]


def _rows(session: Session, party: str, start: datetime | None, end: datetime) -> Iterator[tuple[object, ...]]:
    after: Row | None = None
    while True:
        page = _page(session, party, start, end, after, PAGE)
        for _confirmed, release_id, _hub, guid, imp, gas, firmware, at in page:
            shared = imp is not None and gas is not None and imp != gas
            role = "Import and Gas" if imp == party and gas == party else "Import" if imp == party else "Gas"
            yield guid, role, release_id, firmware, at, "Yes" if shared else "No"
        if len(page) < PAGE:
            return
        after = page[-1]


def period_of(session: Session, ref: int) -> tuple[datetime | None, datetime]:
    """The period (start, end] of the notices carrying REF: it starts where the last one before ended."""
    before = session.scalar(select(func.max(Notice.attachment_ref)).where(
        Notice.kind == Kind.ACTIVATIONS_CONFIRMED, Notice.attachment_ref < ref))
    return (_end_of(int(before)) if before is not None else None), _end_of(ref)


def workbook(
    session: Session, ref: int, party: str, out: Path,
    progress: Callable[[int], None] | None = None, cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write PARTY's list of the hubs in one activation notice; returns the rows written."""
    start, end = period_of(session, ref)
    per_release = _counts(session, start, end, party).get(party, {})
    releases = {r.id: r for r in session.scalars(select(Release).where(Release.id.in_(per_release)))}
    facts = [("Supplier", outbox.party_name(session, party)),
             ("Period", _period(start, end)),
             ("Hubs activated", f"{sum(n for n, _ in per_release.values()):,}")]
    facts += [(f"Release {r}", f"{releases[r].device_model} to firmware {releases[r].to_version}: {n:,} hubs")
              for r, (n, _) in sorted(per_release.items()) if r in releases]
    return write_report(out, f"Activations confirmed, {_days(start, end)}", facts, COLUMNS,
                        _rows(session, party, start, end), progress=progress, cancelled=cancelled,
                        empty_text="None of your hubs was activated in this period.")
