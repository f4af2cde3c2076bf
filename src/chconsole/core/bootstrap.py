"""The one place the engine is wired: database, acting user, clock, CSP network, outbox.

The console, the command line, the scheduler, the simulator and the tests all get their
engine here. Tests pass a clock or a network of their own; otherwise the database says
which it runs on: a training database made with a simulated clock runs against the
simulated CSP network, found by name among the installed `chconsole.csp_networks` entry
points (so the core never imports the simulator).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import entry_points
from pathlib import Path

from chconsole.core.engine.context import EngineContext
from chconsole.core.engine.facade import Engine
from chconsole.core.engine.roles import Role
from chconsole.core.rollout.network import NETWORK_SETTING, SIMULATED, CspNetwork
from chconsole.core.storage import audit
from chconsole.core.storage.clock import (
    CLOCK_MODE,
    SIMULATED_NOW,
    Clock,
    SimulatedClock,
    SystemClock,
)
from chconsole.core.storage.db import Database, data_folder, default_url, sqlite_path
from chconsole.core.storage.models import Setting, User, UserRole
from chconsole.core.vocabulary.errors import BadInput, DatabaseError
from chconsole.core.vocabulary.london import utc

NETWORKS = "chconsole.csp_networks"


def open_engine(
    url: str | None, actor: str, *, clock: Clock | None = None, network: CspNetwork | None = None,
    outbox_dir: Path | None = None,
) -> Engine:
    """The engine on the database at URL (default: the data folder's SQLite file), acting as
    ACTOR. The database is upgraded to this version's schema first; a missing database, or
    one newer than this program, is refused with DatabaseError."""
    db = Database(url or default_url())
    if not db.exists():
        raise DatabaseError(
            f"There is no chconsole database at {db.safe_url()}; create it with 'chconsole init'.")
    db.upgrade()
    with db.reading() as s:
        mode = s.get(Setting, CLOCK_MODE)
        spec = s.get(Setting, NETWORK_SETTING)
        simulated = mode is not None and mode.value == "simulated"
        adapter = spec.value if spec is not None else None
    if clock is None:
        clock = SimulatedClock(db.reading) if simulated else SystemClock()
    if network is None and adapter is not None:
        network = load_network(adapter)
    return Engine(EngineContext(db, actor, clock, network, outbox_dir or outbox_folder(db.url)))


def create_database(url: str | None, actor: str, simulated_start: datetime | None = None,
                    **wiring: object) -> Engine:
    """Create the database at URL; ACTOR holds every role. With SIMULATED_START the clock is
    simulated from then, and the CSP network is the simulated one (a training database)."""
    db = Database(url or default_url())
    if db.exists():
        raise BadInput(f"There is already a chconsole database at {db.safe_url()}.")
    db.upgrade()
    now = simulated_start or SystemClock().now()
    with db.writing() as s:
        s.add(Setting(key=CLOCK_MODE, value="simulated" if simulated_start else "system"))
        if simulated_start:
            s.add(Setting(key=SIMULATED_NOW, value=utc(simulated_start).isoformat()))
            s.add(Setting(key=NETWORK_SETTING, value=SIMULATED))
        s.add(User(name=actor, created_at=now, created_by=actor))
        s.add_all(UserRole(user_name=actor, role=r.value) for r in Role)
        s.flush()
        audit.record(s, now, actor, "init", "database", {
            "clock": "simulated" if simulated_start else "system", "roles": [r.value for r in Role]})
    db.dispose()
    return open_engine(url, actor, **wiring)  # type: ignore[arg-type]


@dataclass(frozen=True)
class DatabaseAddress:
    """Where a database is (URL), how to name it to a person (LABEL: no password), and
    whether a chconsole database is there yet."""

    url: str
    label: str
    exists: bool


def locate_database(url: str | None) -> DatabaseAddress:
    """The database at URL, or this user's own when URL is None, without opening it."""
    db = Database(url or default_url())
    try:
        return DatabaseAddress(db.url, db.safe_url(), db.exists())
    finally:
        db.dispose()


def load_network(name: str) -> CspNetwork:
    """The CSP network adapter installed under NAME."""
    found = [ep for ep in entry_points(group=NETWORKS) if ep.name == name]
    if not found:
        raise DatabaseError(
            f"This database uses the CSP network {name!r}, which this installation lacks "
            f"(no {NETWORKS} entry point of that name).")
    network: CspNetwork = found[0].load()()
    return network


def outbox_folder(url: str) -> Path:
    """Notices go beside an SQLite database; a shared database's go to the user's data folder."""
    path = sqlite_path(url)
    if path is not None:
        return path.parent / f"{path.stem}-outbox"
    return data_folder() / "outbox"
