"""The query desk: what the console's views and the command line read, each in a read
session of its own. Views never hold a session; they ask here."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence

from chconsole.core.engine.context import EngineContext
from chconsole.core.estate import pages, status_report
from chconsole.core.estate.hubs import HubInfo, show_hub
from chconsole.core.estate.pages import EstateFilter, FilterChoices, HubRow
from chconsole.core.estate.status_report import EstateCounts
from chconsole.core.notices import listing
from chconsole.core.notices.listing import NoticeChoices, NoticeFilter, NoticeInfo, list_notices
from chconsole.core.releases.lifecycle import ReleaseInfo, view
from chconsole.core.rollout.eligibility import EligiblePreview, preview


class QueryDesk:
    """Reads that change nothing."""

    def __init__(self, ctx: EngineContext) -> None:
        self.ctx = ctx

    # -- one hub ------------------------------------------------------------------------------
    def hub(self, guid: str) -> HubInfo:
        """The hub GUID (any form): its SMI record, suppliers and place in each release."""
        with self.ctx.db.reading() as s:
            return show_hub(s, guid)

    # -- the estate browser --------------------------------------------------------------------
    def estate_size(self) -> int:
        """How many hubs the estate holds (an index lookup, not a count)."""
        with self.ctx.db.reading() as s:
            return pages.max_id(s)

    def estate_count(self, f: EstateFilter) -> int:
        """How many hubs match F (may scan: call it off the GUI thread)."""
        with self.ctx.db.reading() as s:
            return pages.count(s, f)

    def estate_page(self, f: EstateFilter, after_id: int = 0, n: int = pages.PAGE_SIZE) -> list[HubRow]:
        """Up to N hubs matching F with ids above AFTER_ID, in id order (keyset paging)."""
        with self.ctx.db.reading() as s:
            return pages.page_after(s, f, after_id, n)

    def estate_ids(self, f: EstateFilter, chunk: Callable[[array[int]], None], after_id: int = 0,
                   cancelled: Callable[[], bool] | None = None) -> None:
        """Every hub id matching F above AFTER_ID, handed to CHUNK a batch at a time."""
        with self.ctx.db.reading() as s:
            pages.ids(s, f, chunk=chunk, after_id=after_id, cancelled=cancelled)

    def estate_rows(self, hub_ids: Sequence[int]) -> list[HubRow]:
        """The hubs with these ids, in the order given."""
        with self.ctx.db.reading() as s:
            return pages.rows_by_ids(s, hub_ids)

    def estate_range(self, first_id: int, last_id: int) -> list[HubRow]:
        """Hubs FIRST_ID..LAST_ID, in id order: an unfiltered page."""
        with self.ctx.db.reading() as s:
            return pages.rows_in_range(s, first_id, last_id)

    def estate_choices(self) -> FilterChoices:
        """What the estate browser's filters offer."""
        with self.ctx.db.reading() as s:
            return pages.choices(s)

    def estate_counts(self, supplier: str) -> EstateCounts:
        """One supplier's hubs in the estate, counted from the maintained tallies."""
        with self.ctx.db.reading() as s:
            return status_report.counts(s, supplier)

    # -- releases and notices --------------------------------------------------------------
    def notify_preview(self, release_id: int) -> tuple[ReleaseInfo, EligiblePreview]:
        """The release and who notifying it now would reach (nothing is kept)."""
        with self.ctx.db.reading() as s:
            info = view(s, release_id)
            return info, preview(s, info.model, info.from_versions)

    def notices(self, release_id: int | None = None, recipient: str | None = None,
                limit: int = 5000, *, kind: str | None = None, status: str | None = None,
                failures_first: bool = False) -> list[NoticeInfo]:
        """Notices produced, newest first (FAILURES_FIRST: the failed ones first, then newest
        first), of one release, recipient, kind and/or delivery status."""
        with self.ctx.db.reading() as s:
            return list_notices(s, release_id, recipient, limit, kind=kind, status=status,
                                failures_first=failures_first)

    def outbox(self, f: NoticeFilter, limit: int = 5000) -> list[NoticeInfo]:
        """The Outbox view's list: notices matching F, failures first, then newest first."""
        return self.notices(f.release, f.recipient, limit, kind=f.kind, status=f.status, failures_first=True)

    def notice_choices(self) -> NoticeChoices:
        """The recipients, kinds and releases the outbox holds, for its filters."""
        with self.ctx.db.reading() as s:
            return listing.choices(s)
