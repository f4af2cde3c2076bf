"""How the dashboards say times and counts: "3 days 4 hours left", "1 hub waits"."""

from __future__ import annotations

from datetime import datetime, timedelta

from chconsole.core.vocabulary.london import utc


def time_left(due: datetime, now: datetime) -> str:
    """'3 days 4 hours left', '45 minutes left', 'overdue by 2 hours', 'due now'."""
    delta = utc(due) - utc(now)
    late = delta < timedelta(0)
    words = span(-delta if late else delta)
    if words is None:
        return "due now"
    return f"overdue by {words}" if late else f"{words} left"


def span(delta: timedelta) -> str | None:
    """The two largest units of DELTA: '3 days 4 hours', '2 hours 5 minutes', '45 minutes'."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        parts = [_n(days, "day")] + ([_n(hours, "hour")] if hours else [])
    elif hours:
        parts = [_n(hours, "hour")] + ([_n(mins, "minute")] if mins else [])
    elif mins:
        parts = [_n(mins, "minute")]
    else:
        return None
    return " ".join(parts)


def _n(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def plural_s(n: int) -> str:  # one hub, two hubs
    return "" if n == 1 else "s"


def verb_s(n: int) -> str:  # one hub waits, two hubs wait
    return "s" if n == 1 else ""


def hubs(n: int, noun: str = "hub") -> str:
    return f"{n:,} {noun}{plural_s(n)}"


def them(n: int, plural: str = "them") -> str:
    return plural if n != 1 else {"them": "it", "they": "it"}[plural]


def ago(delta: timedelta) -> str:
    words = span(delta)
    return f"{words} ago" if words else "just now"
