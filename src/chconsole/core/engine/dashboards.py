"""The dashboards desk (R5): every actor's dashboard, read from maintained counts only."""

from __future__ import annotations

from pathlib import Path

from chconsole.core.dashboards import dashboard, report
from chconsole.core.dashboards.dashboard import Dashboard, Viewer
from chconsole.core.engine.changes import Changes, Done
from chconsole.core.engine.context import EngineContext
from chconsole.core.engine.roles import Action


class DashboardsDesk:
    """What each actor sees: upgrades in flight, what it owes and by when, others' dates."""

    def __init__(self, ctx: EngineContext) -> None:
        self.ctx = ctx

    def build(self, viewer: Viewer) -> Dashboard:
        """VIEWER's dashboard, whatever the estate's size (no query touches the hubs)."""
        with self.ctx.db.reading() as s:
            return dashboard.build(s, viewer, self.ctx.now(s))

    def viewers(self) -> list[Viewer]:
        """Every actor with a dashboard, for the "View as" selector."""
        with self.ctx.db.reading() as s:
            return dashboard.viewers(s)

    def export(self, supplier: str, out: Path) -> Done[Dashboard]:
        """Write SUPPLIER's dashboard to OUT (.xlsx); returns the dashboard written."""
        ctx = self.ctx
        report.check_target(out)
        with ctx.db.reading() as s:
            ctx.authorize(s, Action.SEND_REPORT)
            board = dashboard.build(s, Viewer(dashboard.SUPPLIER, supplier), ctx.now(s))
        report.write(board, out)
        with ctx.db.writing() as s:
            ctx.audit(s, Action.SEND_REPORT, f"dashboard {board.viewer.party}", file=str(out),
                      releases=len(board.releases), actions=len(board.actions))
        return Done(board, Changes())
