"""The incidents desk (R6): the emergency stop, and what it achieved."""

from __future__ import annotations

from chconsole.core.engine.changes import Changes, Done
from chconsole.core.engine.context import EngineContext
from chconsole.core.engine.passes import TimeDesk
from chconsole.core.engine.roles import Action
from chconsole.core.incidents import stop as stops
from chconsole.core.incidents.stop import StopInfo


class IncidentsDesk:
    """Incidents, the emergency stop, triage and the Panel's decisions."""

    def __init__(self, ctx: EngineContext, time: TimeDesk) -> None:
        self.ctx = ctx
        self.time = time

    def stop(self, release_id: int | None = None, reason: str | None = None) -> Done[StopInfo]:
        """The emergency stop: suspend RELEASE_ID (None: every live release) pending the Panel.

        Any DCC user may press it; it needs no form (REASON may come later). Its commit is
        the instant it takes effect: from then on no command leaves for those releases. Then
        the commands recorded but never sent are withdrawn, activations at the network are
        called back, and every hub not yet activated is HELD. Returns what it achieved so far
        (the call-backs' answers arrive with later passes)."""
        ctx = self.ctx
        with ctx.db.stop_request(), ctx.db.writing() as s:
            ctx.authorize(s, Action.EMERGENCY_STOP)
            pressed = stops.press(s, release_id, ctx.now(s), ctx.actor, reason)
            ctx.audit(s, Action.EMERGENCY_STOP, "every live release" if release_id is None else
                      f"release {release_id}", stop=pressed.id, reason=reason)
            stop_id = pressed.id
        released = self.time.settle_stop(stop_id)
        ids = frozenset(released)
        return Done(self.stop_info(stop_id), ctx.deliver(Changes(releases=ids, pilots=ids)))

    def stop_info(self, stop_id: int) -> StopInfo:
        """One stop and what it achieved: call-backs confirmed, too late, unanswered; hubs held."""
        with self.ctx.db.reading() as s:
            return stops.info(s, stop_id)
