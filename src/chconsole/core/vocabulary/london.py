"""Time as people see it: Europe/London wall clock, calendar months, ISO 8601 input.

Everything is stored in UTC; everything a person reads or types is London time.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from chconsole.core.vocabulary.errors import BadInput

LONDON = ZoneInfo("Europe/London")


def utc(dt: datetime) -> datetime:
    """Return an aware UTC datetime; naive values are taken to be UTC already (database)."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def to_london(dt: datetime) -> datetime:
    return utc(dt).astimezone(LONDON)


def localize(naive: datetime) -> datetime:
    """Attach London time to a wall-clock time, resolving the clock changes sensibly.

    A time skipped in spring (01:30 on the last Sunday of March) moves forward an hour;
    a repeated time in autumn takes its first (BST) occurrence.
    """
    aware = naive.replace(tzinfo=LONDON, fold=0)
    round_trip = aware.astimezone(UTC).astimezone(LONDON)
    if round_trip.replace(tzinfo=None) != naive:  # in the spring gap
        return (aware + timedelta(hours=1)).astimezone(UTC).astimezone(LONDON)
    return aware


def add_months(dt: datetime, months: int) -> datetime:
    """Add calendar months in London time, clamping to the month's last day.

    31 August + 6 months is 28 (or 29) February, at the same wall-clock time.
    """
    local = to_london(dt)
    index = local.year * 12 + (local.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    wall = local.replace(tzinfo=None, year=year, month=month, day=day)
    return utc(localize(wall))


def parse_time(text: str, what: str = "time") -> datetime:
    """Parse ISO 8601; without an offset it means London time. Returns aware UTC.

    A bare date means midnight at the start of that day in London.
    """
    s = text.strip()
    if not s:
        raise BadInput(f"The {what} is empty; give an ISO 8601 time such as 2027-05-01T09:00.")
    try:
        if len(s) == 10:
            d = date.fromisoformat(s)
            return utc(localize(datetime.combine(d, time(0, 0))))
        dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(
            f"The {what} {text!r} is not an ISO 8601 time (for example 2027-05-01T09:00)."
        ) from None
    if dt.tzinfo is None:
        return utc(localize(dt))
    return utc(dt)


def show(dt: datetime | None, seconds: bool = False) -> str:
    """Format for a person: London time with its zone abbreviation (GMT or BST)."""
    if dt is None:
        return ""
    local = to_london(dt)
    fmt = "%Y-%m-%d %H:%M:%S %Z" if seconds else "%Y-%m-%d %H:%M %Z"
    return local.strftime(fmt)


def iso(dt: datetime | None) -> str | None:
    """ISO 8601 with the London offset, for machine-readable output."""
    if dt is None:
        return None
    return to_london(dt).isoformat()
