"""The scheduler lease: which process does the due work now.

Several consoles and a headless scheduler may share one database. APScheduler cannot
share a job store between processes, so each process keeps its own timers and they agree
through one row of `scheduler_lease`: a pass first claims the lease in a single UPDATE
(free, already ours, or expired), and only the holder ticks. A holder that dies simply
stops renewing, and another takes over once its lease has expired.

`last_pass_at` belongs to the engine (the grace-period rule); nothing here writes it.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

from chconsole.core.storage.campaign_models import SchedulerLease
from chconsole.core.storage.sql import at_params, rowcount
from chconsole.core.vocabulary.london import utc

ROLES = ("console", "headless")
LEASE_ID = 1


@dataclass(frozen=True)
class LeaseStatus:
    """Who holds the lease, until when, and when the engine last did a pass.

    Attributes:
        holder: "host:pid:role" of the last holder, or None when free.
        until: When the holder's claim runs out (None when free).
        last_pass_at: When the engine last did a pass (written by the engine).
        held: True when a holder's claim has not yet run out at the time asked about.
    """

    holder: str | None
    until: datetime | None
    last_pass_at: datetime | None
    held: bool


def holder_name(role: str) -> str:
    """This process's name on the lease: host, process id and role (console or headless)."""
    if role not in ROLES:
        raise ValueError(f"a scheduler's role is one of {ROLES}, not {role!r}")
    return f"{socket.gethostname()}:{os.getpid()}:{role}"


def describe(holder: str) -> str:
    """"host:pid:role" as a person reads it: "host:pid (role)"."""
    where, sep, role = holder.rpartition(":")
    return f"{where} ({role})" if sep and where else holder


def ensure_row(session: Session) -> None:
    """Make sure the lease's one row exists, safely when another process does the same.

    Two processes may both find the table empty; ON CONFLICT lets the second one's insert
    do nothing instead of failing (SQLite 3.24+ and PostgreSQL both take it).
    """
    session.execute(text("INSERT INTO scheduler_lease (id) VALUES (:id) ON CONFLICT (id) DO NOTHING"),
                    {"id": LEASE_ID})


def acquire(session: Session, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Claim or renew the lease for HOLDER until NOW + TTL; False when another holds it.

    One UPDATE decides, so two processes claiming at once cannot both win: the lease is
    taken when it is free, already HOLDER's, or its holder's claim ran out before NOW.
    """
    ensure_row(session)
    claimed = session.execute(
        at_params(
            "UPDATE scheduler_lease SET holder = :me, until = :until "
            "WHERE id = :id AND (holder IS NULL OR holder = :me OR until IS NULL OR until < :now)",
            "until", "now"),
        {"me": holder, "until": utc(now) + ttl, "now": utc(now), "id": LEASE_ID},
    )
    return rowcount(claimed) == 1


def release(session: Session, holder: str) -> bool:
    """Give the lease up if HOLDER has it (a stopping scheduler lets another take over at once)."""
    freed = session.execute(
        at_params("UPDATE scheduler_lease SET holder = NULL, until = NULL WHERE id = :id AND holder = :me"),
        {"me": holder, "id": LEASE_ID},
    )
    return rowcount(freed) == 1


def status(session: Session, now: datetime) -> LeaseStatus:
    """The lease as it stands at NOW (free when the row is missing)."""
    row = session.get(SchedulerLease, LEASE_ID)
    if row is None:
        return LeaseStatus(None, None, None, False)
    until = utc(row.until) if row.until is not None else None
    last = utc(row.last_pass_at) if row.last_pass_at is not None else None
    held = row.holder is not None and until is not None and until >= utc(now)
    return LeaseStatus(row.holder, until, last, held)
