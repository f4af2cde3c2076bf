"""Entering a time: London wall-clock fields, and the checks a batch's time must pass.

Times are entered and shown in London time. A field holds wall-clock time; localize()
turns it into an instant, resolving the clock changes (GMT and BST).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QDateTimeEdit

from chconsole.core.vocabulary.london import localize, show, to_london

DATE_FORMAT = "yyyy-MM-dd HH:mm"


def london_edit(at: datetime) -> QDateTimeEdit:
    """A date-time field in London wall-clock time, showing AT."""
    edit = QDateTimeEdit()
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    edit.setDateTime(QDateTime(to_london(at).replace(tzinfo=None, second=0, microsecond=0)))
    return edit


def edit_time(edit: QDateTimeEdit) -> datetime:
    """The instant EDIT's London wall-clock time stands for, to the minute."""
    wall = edit.dateTime().toPython()
    assert isinstance(wall, datetime)
    return localize(wall.replace(second=0, microsecond=0))


def first_slot(now: datetime, lead_days: int, latest: datetime | None) -> datetime:
    """A sensible default time: 10:00 London on the first day after the lead time."""
    day = to_london(now + timedelta(days=lead_days + 1)).replace(tzinfo=None, hour=10, minute=0, second=0,
                                                                  microsecond=0)
    at = localize(day)
    return min(at, latest) if latest is not None else at


def time_problem(at: datetime, now: datetime, lead_days: int, latest: datetime | None,
                 needs_lead: bool = True) -> str:
    """Why AT cannot be a batch's time ('' when it can)."""
    if at <= now:
        return f"{show(at)} has passed; the simulated or real clock says {show(now)}."
    if needs_lead and at < now + timedelta(days=lead_days):
        return (f"Too soon: distribution needs the {lead_days}-day lead time, so the earliest is "
                f"{show(now + timedelta(days=lead_days))}.")
    if latest is not None and at > latest:
        return f"After the DCC deployment date ({show(latest)}); a batch may only be earlier."
    return ""
