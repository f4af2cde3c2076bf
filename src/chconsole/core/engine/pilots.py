"""The pilots desk (R2): nominations, start, commentary and DCC's decision."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from chconsole.core.engine.changes import Changes, Done
from chconsole.core.engine.context import EngineContext
from chconsole.core.engine.passes import TimeDesk
from chconsole.core.engine.roles import Action
from chconsole.core.pilots import lifecycle, nominations
from chconsole.core.pilots import rules as pilot_rules
from chconsole.core.pilots.nominations import NominationResult
from chconsole.core.pilots.rules import PilotRule
from chconsole.core.pilots.view import PilotInfo, view
from chconsole.core.releases.lifecycle import get
from chconsole.core.rollout.guid_checks import NOT_OPEN
from chconsole.core.storage.parties import known_supplier
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.incoming import guid_entries
from chconsole.core.vocabulary.london import utc


class PilotsDesk:
    """One release's pilot group, from the nominations to DCC's decision."""

    def __init__(self, ctx: EngineContext, time: TimeDesk) -> None:
        self.ctx = ctx
        self.time = time

    def nominate(self, release_id: int, supplier: str, file: Path | None = None,
                 rule: PilotRule | None = None) -> Done[NominationResult]:
        """A supplier's pilot nomination, from a GUID FILE or by business RULE (one of the
        two). Each GUID is checked; good ones join (a split-supply hub waits for its other
        supplier's nomination); the supplier gets a receipt listing refusals."""
        ctx = self.ctx
        if (file is None) == (rule is None):
            raise BadInput("Give the nomination as a GUID file or as rules, one of the two.")
        entries = guid_entries(file) if file is not None else []
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.NOMINATE_PILOT)
            party = known_supplier(s, supplier).id
            release = get(s, release_id, lock=True)
            nominations.open_for_nominations(release)
            source = f"file {file.name}" if file is not None else ""
            if rule is not None:
                if release.state in NOT_OPEN:
                    raise BadInput(f"Release {release.id} is {release.state}, so it takes no pilot "
                                   "nominations (RELEASE_NOT_OPEN).")
                room = max(0, release.pilot_cap - nominations.nominated_by(s, release.id, party))
                if room == 0 and rule.count is None:
                    raise BadInput(f"{party} has already nominated {release.pilot_cap:,} hubs for release "
                                   f"{release.id}, its pilot cap.")
                entries = pilot_rules.choose(s, release, party, rule, room)
                source = rule.describe()
                if not entries:
                    raise BadInput(f"No hub of {party}'s in release {release.id} is free for the pilot "
                                   "and matches these rules.")
            result = nominations.nominate(s, release, party, entries, source, ctx.now(s), ctx.actor)
            ctx.audit(s, Action.NOMINATE_PILOT, f"release {release_id} {party}", source=source,
                      submitted=result.submitted, joined=result.joined, awaiting=result.awaiting,
                      refused=len(result.refused))
        return Done(result, ctx.deliver(self._changed(release_id)))

    def start(self, release_id: int, activate_at: datetime | None = None) -> Done[PilotInfo]:
        """Start the pilot: its distribution goes out at once, activation as each hub holds
        the image or at ACTIVATE_AT; suppliers and CSPs are told. Only this release's
        commands are sent."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.START_PILOT)
            ctx.network_required()
            release = get(s, release_id, lock=True)
            hubs = lifecycle.start(s, release, utc(activate_at) if activate_at else None, ctx.now(s), ctx.actor)
            ctx.audit(s, Action.START_PILOT, f"release {release_id}", hubs=hubs, activate_at=activate_at)
        self.time.work_for(release_id)  # distribution goes out at once
        return Done(self.get(release_id), ctx.deliver(self._changed(release_id)))

    def conclude(self, release_id: int, decision: str, commentary: str) -> Done[PilotInfo]:
        """DCC's decision on the pilot: proceed opens the gate for safe-launch hubs; stop
        stops the release (its work at the network called back)."""
        ctx = self.ctx
        with ctx.db.reading() as s:
            ctx.authorize(s, Action.CONCLUDE_PILOT)
        self.time.catch_up()  # decide on every result the network already has
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.CONCLUDE_PILOT)
            release = get(s, release_id, lock=True)
            made = lifecycle.conclude(s, release, decision, commentary, ctx.now(s), ctx.actor)
            ctx.audit(s, Action.CONCLUDE_PILOT, f"release {release_id}", decision=made, commentary=commentary)
        self.time.send_for(release_id)  # a stop's call-backs leave now
        return Done(self.get(release_id), ctx.deliver(self._changed(release_id)))

    def comment(self, release_id: int, words: str, guid: str | None = None) -> Done[None]:
        """DCC's commentary on the pilot (or on one pilot hub, GUID); it goes out with the
        daily progress."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.COMMENT_PILOT)
            release = get(s, release_id)
            lifecycle.comment(s, release, words, guid, ctx.now(s), ctx.actor)
            ctx.audit(s, Action.COMMENT_PILOT, f"release {release_id}", guid=guid, commentary=words)
        return Done(None, Changes(pilots=frozenset({release_id})))

    def get(self, release_id: int) -> PilotInfo:
        """The release's pilot per supplier and state, its failures, commentary and notices."""
        with self.ctx.db.reading() as s:
            return view(s, release_id, self.ctx.network)

    @staticmethod
    def _changed(release_id: int) -> Changes:
        ids = frozenset({release_id})
        return Changes(releases=ids, pilots=ids)
