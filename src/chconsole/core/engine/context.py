"""What every desk of the engine shares: the database, the acting user, the clock, the CSP
network and the outbox folder, with the checks and records every action makes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chconsole.core.delivery import eml
from chconsole.core.engine.changes import Changes
from chconsole.core.engine.roles import ALLOWED, Action
from chconsole.core.rollout.network import CspNetwork, require
from chconsole.core.storage import audit
from chconsole.core.storage.clock import Clock
from chconsole.core.storage.db import Database
from chconsole.core.storage.models import User, UserRole
from chconsole.core.vocabulary.errors import BadInput, NotAllowed
from chconsole.core.vocabulary.london import utc

log = logging.getLogger("chconsole.engine")


@dataclass
class EngineContext:
    """One database, one acting DCC user, and the ports the engine reaches the world by.

    Built only by `chconsole.core.bootstrap.open_engine`.
    """

    db: Database
    actor: str
    clock: Clock
    network: CspNetwork | None
    outbox_dir: Path

    def now(self, session: Session | None = None) -> datetime:
        """The engine's time (aware UTC); on a simulated clock, read from SESSION if given."""
        return utc(self.clock.now(session))

    def authorize(self, session: Session, action: Action) -> None:
        """Refuse (NotAllowed) unless the acting user holds a role allowed to do ACTION."""
        roles = set(session.scalars(select(UserRole.role).where(UserRole.user_name == self.actor)))
        if not roles and session.get(User, self.actor) is None:
            raise NotAllowed(f"{self.actor!r} is not a DCC user of this database.")
        if not roles & {r.value for r in ALLOWED[action]}:
            needed = " or ".join(sorted(r.value for r in ALLOWED[action]))
            raise NotAllowed(f"{self.actor} may not {action.value}: that needs the role {needed}.")

    def audit(self, session: Session, action: Action | str, subject: str, **detail: Any) -> None:
        """Append an audit entry for ACTION on SUBJECT, in SESSION's transaction."""
        audit.record(session, self.now(session), self.actor, str(action), subject, detail)

    def network_required(self) -> CspNetwork:
        """The CSP network, or BadInput saying this database has none."""
        return require(self.network)

    def require_simulated(self, what: str) -> None:
        if not self.clock.is_simulated:
            raise BadInput(f"This database runs on the system clock; only a simulated clock takes {what}.")

    def deliver(self, changes: Changes, progress: Callable[[str], None] | None = None) -> Changes:
        """Write every pending notice's files, after the change that queued them committed.

        A change that is committed stays done: when the files cannot be written now (a full
        disk, a folder gone), CHANGES says so and the next pass writes them."""
        try:
            written = eml.deliver_pending(self.db, self.outbox_dir, progress)
        except Exception as exc:  # noqa: BLE001 - the change itself is committed
            log.info("Notices could not be written to %s: %s", self.outbox_dir, exc)  # the caller says so
            return changes.with_delivery(0, (
                f"The change was made, but its notices could not be written to {self.outbox_dir} "
                f"({type(exc).__name__}: {exc}); they will be written on the next pass."))
        return changes.with_delivery(written, None)
