"""The reports desk: one supplier's report as an Excel file (`export`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from chconsole.core.deployment.instruction_reports import instructions as instructions_report
from chconsole.core.engine.changes import Changes, Done
from chconsole.core.engine.context import EngineContext
from chconsole.core.engine.roles import Action
from chconsole.core.estate import status_report
from chconsole.core.pilots.reports import pilot as pilot_report
from chconsole.core.releases.eligibility_report import eligibility
from chconsole.core.vocabulary.errors import BadInput

# The reports `export` writes to one supplier (its dashboard is the dashboards desk's).
REPORTS = ("eligibility", "pilot", "instructions", "estate-status")


class ReportsDesk:
    """Reports to suppliers; each shows one supplier its own hubs and never names another."""

    def __init__(self, ctx: EngineContext) -> None:
        self.ctx = ctx

    def export(
        self, report: str, supplier: str, out: Path, release_id: int | None = None,
        progress: Callable[[int], None] | None = None, cancelled: Callable[[], bool] | None = None,
    ) -> Done[int]:
        """Write REPORT for SUPPLIER to OUT (.xlsx); returns how many hub rows it holds.

        PROGRESS hears rows written; CANCELLED is asked now and then, and a True stops the
        report (the partial file is removed)."""
        ctx = self.ctx
        if report not in REPORTS:
            raise BadInput(f"There is no report {report!r}; the reports are {', '.join(REPORTS)}.")
        if out.suffix.lower() != ".xlsx":
            raise BadInput(f"The report file {out.name!r} must end in .xlsx.")
        if not out.parent.exists():
            raise BadInput(f"The folder {str(out.parent)!r} does not exist.")
        with ctx.db.reading() as s:
            ctx.authorize(s, Action.SEND_REPORT)
            if report == "estate-status":  # the whole estate; a release is optional
                rows = status_report.write(s, supplier, out, release_id=release_id, progress=progress,
                                           cancelled=cancelled, now=ctx.now(s))
            elif report == "instructions":  # every release unless one is named
                rows = instructions_report(s, supplier, release_id, out, progress, cancelled)
            elif release_id is None:
                raise BadInput(f"The {report} report needs a release.")
            elif report == "pilot":
                rows = pilot_report(s, release_id, supplier, out, progress, cancelled)
            else:
                rows = eligibility(s, release_id, supplier, out, progress, cancelled)
        with ctx.db.writing() as s:
            ctx.audit(s, Action.SEND_REPORT, f"{report} {supplier.upper()}", release=release_id,
                      rows=rows, file=str(out))
        return Done(rows, Changes())
