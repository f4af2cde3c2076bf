"""The engine facade: the one door the console and the command line go through.

`Engine` holds one desk per area of the work, all sharing one `EngineContext`. Each
method of a desk is one unit of work: it opens a session, checks the acting user's role,
does the work, appends an audit entry and commits, or changes nothing at all. Desks take
ids, plain values and small typed requests, and return frozen values; every write returns
`Done(value, changes)`. Build an Engine with `chconsole.core.bootstrap.open_engine`.
"""

from __future__ import annotations

from datetime import datetime

from chconsole.core.engine.admin import AdminDesk
from chconsole.core.engine.context import EngineContext
from chconsole.core.engine.dashboards import DashboardsDesk
from chconsole.core.engine.deployment import DeploymentDesk
from chconsole.core.engine.incidents import IncidentsDesk
from chconsole.core.engine.mail import MailDesk
from chconsole.core.engine.passes import TimeDesk
from chconsole.core.engine.pilots import PilotsDesk
from chconsole.core.engine.queries import QueryDesk
from chconsole.core.engine.releases import ReleasesDesk
from chconsole.core.engine.reports import ReportsDesk
from chconsole.core.rollout.network import CspNetwork
from chconsole.core.storage.clock import Clock
from chconsole.core.storage.db import Database


class Engine:
    """The campaign engine, bound to one database and one acting DCC user.

    Attributes:
        time: the scheduler's passes, what is due, the clock.
        releases: release notices (R1).
        pilots: the pilot group and its gate (R2).
        deployment: supplier instructions, DCC batches, the grace period (R3, R4).
        dashboards: every actor's dashboard (R5).
        reports: supplier reports as Excel files.
        admin: users and roles, the estate, the CPL, parties, the network's figures, audit.
        queries: reads for the views (hubs, estate pages, notices).
        incidents: the emergency stop, incidents, triage and the Panel's decisions (R6).
        mail: the SMTP relay notices go through, and sending the outbox now.
    """

    def __init__(self, ctx: EngineContext) -> None:
        self.ctx = ctx
        self.time = TimeDesk(ctx)
        self.releases = ReleasesDesk(ctx, self.time)
        self.pilots = PilotsDesk(ctx, self.time)
        self.deployment = DeploymentDesk(ctx, self.time)
        self.dashboards = DashboardsDesk(ctx)
        self.reports = ReportsDesk(ctx)
        self.admin = AdminDesk(ctx)
        self.queries = QueryDesk(ctx)
        self.incidents = IncidentsDesk(ctx, self.time)
        self.mail = MailDesk(ctx)

    @property
    def actor(self) -> str:
        """The acting DCC user."""
        return self.ctx.actor

    @property
    def db(self) -> Database:
        """The database (for the scheduler's lease and for tests; views ask the desks)."""
        return self.ctx.db

    @property
    def clock(self) -> Clock:
        return self.ctx.clock

    @property
    def network(self) -> CspNetwork | None:
        return self.ctx.network

    def now(self) -> datetime:
        """The engine's time now (aware UTC)."""
        return self.ctx.now()

    def where(self) -> str:
        """The database's address without its password, for status lines and messages."""
        return self.ctx.db.safe_url()

    def close(self) -> None:
        """Close the database's connections (the engine may still be used; they reopen)."""
        self.ctx.db.dispose()
