"""The releases desk (R1): draft, notify, revoke, and the release note."""

from __future__ import annotations

from collections.abc import Callable

from chconsole.core.engine.changes import Changes, Done
from chconsole.core.engine.context import EngineContext
from chconsole.core.engine.passes import TimeDesk
from chconsole.core.engine.roles import Action
from chconsole.core.releases import lifecycle
from chconsole.core.releases.lifecycle import ReleaseDraft, ReleaseInfo
from chconsole.core.vocabulary.errors import BadInput


class ReleasesDesk:
    """Releases and their notices."""

    def __init__(self, ctx: EngineContext, time: TimeDesk) -> None:
        self.ctx = ctx
        self.time = time

    def create(self, draft: ReleaseDraft) -> Done[ReleaseInfo]:
        """Draft a release from DRAFT (checked against the CPL); returns it as drafted."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.CREATE_RELEASE)
            release = lifecycle.create(s, draft, ctx.now(s), ctx.actor)
            ctx.audit(s, Action.CREATE_RELEASE, f"release {release.id}", model=release.device_model,
                      to_version=release.to_version)
            s.flush()
            info = lifecycle.view(s, release.id)
        return Done(info, Changes(releases=frozenset({info.id})))

    def notify(self, release_id: int, progress: Callable[[str], None] | None = None) -> Done[ReleaseInfo]:
        """Notify a release: snapshot its eligible hubs, queue every party's notice and write
        them. PROGRESS hears what is being done (the reports take longest)."""
        ctx = self.ctx
        if progress:
            progress("Taking the eligibility snapshot")
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.NOTIFY_RELEASE)
            release = lifecycle.notify(s, release_id, ctx.now(s), ctx.actor)
            ctx.audit(s, Action.NOTIFY_RELEASE, f"release {release.id}", eligible=release.eligible,
                      deployment_date=release.deployment_date)
        ctx.db.refresh_statistics()
        changes = ctx.deliver(Changes(releases=frozenset({release_id})), progress)
        return Done(self.get(release_id), changes)

    def revoke(self, release_id: int, reason: str) -> Done[ReleaseInfo]:
        """Revoke a release before any of its hubs is activated: pending hubs are cancelled,
        work at the network is called back, and everyone notified is told REASON."""
        ctx = self.ctx
        if not reason.strip():
            raise BadInput("Give the reason for revoking (--reason); every notified party is told it.")
        with ctx.db.reading() as s:
            ctx.authorize(s, Action.REVOKE_RELEASE)
        self.time.catch_up()  # an activation already confirmed forbids revoking
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.REVOKE_RELEASE)
            cancelled = lifecycle.revoke(s, release_id, reason, ctx.now(s), ctx.actor)
            ctx.audit(s, Action.REVOKE_RELEASE, f"release {release_id}", reason=reason, cancelled=cancelled)
        self.time.send_for(release_id)  # the call-backs leave now
        changes = ctx.deliver(Changes(releases=frozenset({release_id}), pilots=frozenset({release_id})))
        return Done(self.get(release_id), changes)

    def update_note(self, release_id: int, note: str) -> Done[ReleaseInfo]:
        """Change the release note reference (its history is kept); notified parties are told."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.UPDATE_RELEASE_NOTE)
            lifecycle.update_note(s, release_id, note, ctx.now(s), ctx.actor)
            ctx.audit(s, Action.UPDATE_RELEASE_NOTE, f"release {release_id}", release_note=note)
        changes = ctx.deliver(Changes(releases=frozenset({release_id})))
        return Done(self.get(release_id), changes)

    def get(self, release_id: int) -> ReleaseInfo:
        """One release: state, dates, eligible hubs per state, supplier and region."""
        with self.ctx.db.reading() as s:
            return lifecycle.view(s, release_id)

    def all(self) -> list[ReleaseInfo]:
        """Every release, oldest first."""
        with self.ctx.db.reading() as s:
            return [lifecycle.view(s, i) for i in lifecycle.list_ids(s)]
