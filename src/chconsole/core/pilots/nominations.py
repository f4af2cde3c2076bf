"""Pilot nominations (R2): a supplier's GUID list, checked hub by hub, with split consent.

A split-supply hub joins the pilot only when both its suppliers have nominated it; the
second nomination is the consent. Until then it waits as AWAITING_OTHER_SUPPLIER, and
neither supplier is ever told who the other is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from chconsole.core.notices import outbox
from chconsole.core.notices.outbox import Kind
from chconsole.core.rollout.guid_checks import REASON_TEXT, Candidate, Reason, Refusal, check
from chconsole.core.rollout.machine import PILOT, move
from chconsole.core.storage.campaign_models import Nomination, NominationHub, Pilot
from chconsole.core.storage.models import Release
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import show
from chconsole.core.vocabulary.states import HubState as H
from chconsole.core.vocabulary.states import ReleaseState

LISTED = 200  # refused GUIDs named in the notice body; the attachment lists them all


@dataclass(frozen=True)
class NominationResult:
    id: int
    supplier: str
    submitted: int
    joined: int
    awaiting: int
    refused: tuple[Refusal, ...]

    @property
    def accepted(self) -> int:
        return self.joined + self.awaiting


def open_for_nominations(release: Release) -> None:
    if release.state == ReleaseState.DRAFT:
        raise BadInput(f"Release {release.id} has not been notified, so it has no eligible hubs to nominate.")
    if release.state in (ReleaseState.PILOT_RUNNING, ReleaseState.PILOT_CONCLUDED,
                         ReleaseState.DEPLOYING, ReleaseState.COMPLETED):
        raise BadInput(f"The pilot of release {release.id} has already started; nominations are closed.")


def nominated_by(session: Session, release_id: int, supplier: str) -> int:
    """Hubs SUPPLIER has nominated in this release (in the pilot or awaiting consent)."""
    return int(session.execute(text(
        "SELECT COUNT(*) FROM release_hub WHERE release_id = :r AND ((pilot_import AND "
        "import_supplier = :p) OR (pilot_gas AND gas_supplier = :p))"),
        {"r": release_id, "p": supplier}).scalar() or 0)


def nominate(
    session: Session, release: Release, supplier: str, entries: Sequence[tuple[int, str]],
    source: str, now: datetime, actor: str,
) -> NominationResult:
    """Check and apply one nomination; the receipt notice goes to the supplier."""
    open_for_nominations(release)
    # A blank GUID cell (a row of empty cells, as spreadsheets save them) is no hub: it is
    # refused as MALFORMED_GUID below but does not count towards the cap.
    distinct = len({e[1].strip().upper().replace("-", "") for e in entries} - {""})
    if distinct > release.pilot_cap:
        raise BadInput(
            f"The nomination lists {distinct:,} hubs, over release {release.id}'s pilot cap of "
            f"{release.pilot_cap:,} per supplier; it was refused whole and nothing changed.")
    candidates, refused = check(session, release, supplier, entries)
    fresh: list[Candidate] = []
    for c in candidates:
        if (c.as_import and c.pilot_import) or (c.as_gas and c.pilot_gas):
            refused.append(Refusal(c.line, c.guid, Reason.ALREADY_SCHEDULED))
        else:
            fresh.append(c)
    refused.sort(key=lambda r: r.line)
    before = nominated_by(session, release.id, supplier)
    if before + len(fresh) > release.pilot_cap:
        raise BadInput(
            f"{supplier} has already nominated {before:,} hubs for release {release.id}; "
            f"{len(fresh):,} more would pass the pilot cap of {release.pilot_cap:,}. "
            "The nomination was refused whole and nothing changed.")
    joined, awaiting, consented = _apply(session, release, supplier, fresh, now, actor)
    if session.get(Pilot, release.id) is None:
        session.add(Pilot(release_id=release.id, state="NOMINATING"))
    record = Nomination(
        release_id=release.id, supplier=supplier, received_at=now, received_by=actor,
        source=source[:500], submitted=len(entries), joined=len(joined), awaiting=len(awaiting),
        refused=len(refused))
    session.add(record)
    session.flush()
    outcome = {c.line: "JOINED" for c in joined} | {c.line: "AWAITING_OTHER_SUPPLIER" for c in awaiting}
    rows = [{"nomination_id": record.id, "line": c.line, "guid": c.guid, "outcome": outcome[c.line],
             "reason": None} for c in fresh]
    rows += [{"nomination_id": record.id, "line": r.line, "guid": r.guid, "outcome": "REFUSED",
              "reason": r.reason.value} for r in refused]
    if rows:
        session.execute(insert(NominationHub), rows)
    _receipt(session, release, record, refused, now, actor)
    for party, n in sorted(consented.items()):
        outbox.add(
            session, release_id=release.id, recipient=party, kind=Kind.PILOT_CONSENT,
            subject=f"Release {release.id} pilot: {n:,} of your nominated hubs have joined",
            body=(f"To {outbox.party_name(session, party)}\n\n{n:,} split-supply hubs you "
                  f"nominated for the pilot of release {release.id} were waiting for their second "
                  "supplier. That supplier has now nominated them too, so they have joined the pilot.\n"),
            now=now, actor=actor)
    return NominationResult(record.id, supplier, len(entries), len(joined), len(awaiting), tuple(refused))


def _apply(
    session: Session, release: Release, supplier: str, fresh: list[Candidate], now: datetime, actor: str,
) -> tuple[list[Candidate], list[Candidate], Counter[str]]:
    joined: list[Candidate] = []
    awaiting: list[Candidate] = []
    for c in fresh:
        has_import = c.pilot_import or c.as_import
        has_gas = c.pilot_gas or c.as_gas
        (joined if not c.split or (has_import and has_gas) else awaiting).append(c)
    if not fresh:
        return joined, awaiting, Counter()
    session.execute(
        text("UPDATE release_hub SET pilot_import = pilot_import OR :i, pilot_gas = pilot_gas OR :g "
             "WHERE release_id = :r AND hub_id = :h"),
        [{"i": c.as_import, "g": c.as_gas, "r": release.id, "h": c.hub_id} for c in fresh])
    joining = {c.line for c in joined}
    session.execute(text("CREATE TEMP TABLE IF NOT EXISTS tmp_pick (hub_id BIGINT PRIMARY KEY, joins BOOLEAN)"))
    session.execute(text("DELETE FROM tmp_pick"))
    session.execute(text("INSERT INTO tmp_pick (hub_id, joins) VALUES (:h, :j)"),
                    [{"h": c.hub_id, "j": c.line in joining} for c in fresh])
    # Who nominated the consenting hubs first: they hear that the hubs have joined.
    consented: Counter[str] = Counter()
    if any(c.state == H.AWAITING_OTHER_SUPPLIER for c in joined):
        for imp, gas, n in session.execute(text(
            "SELECT import_supplier, gas_supplier, COUNT(*) FROM release_hub WHERE release_id = :r "
            "AND state = 'AWAITING_OTHER_SUPPLIER' AND hub_id IN (SELECT hub_id FROM tmp_pick WHERE "
            "joins) GROUP BY import_supplier, gas_supplier"), {"r": release.id}):
            for party in {imp, gas} - {supplier, None}:
                consented[str(party)] += int(n)
    joins = "AND hub_id IN (SELECT hub_id FROM tmp_pick WHERE joins)"
    waits = "AND hub_id IN (SELECT hub_id FROM tmp_pick WHERE NOT joins)"
    why = f"nominated by {supplier}"
    for frm in (H.ELIGIBLE, H.HELD, H.AWAITING_OTHER_SUPPLIER):
        move(session, release.id, frm, H.SCHEDULED, now=now, actor=actor, where=joins, group=PILOT,
             why=why, assign=", planned_activation = NULL")
    for frm in (H.ELIGIBLE, H.HELD):
        move(session, release.id, frm, H.AWAITING_OTHER_SUPPLIER, now=now, actor=actor, where=waits, why=why)
    session.execute(text("DELETE FROM tmp_pick"))
    return joined, awaiting, consented


def _receipt(
    session: Session, release: Release, record: Nomination, refused: list[Refusal], now: datetime, actor: str,
) -> None:
    lines = [
        f"To {outbox.party_name(session, record.supplier)}",
        "",
        f"DCC received your pilot nomination for release {release.id} "
        f"({release.device_model}, firmware {release.to_version}) on {_show(now)}.",
        "",
        f"Hubs listed: {record.submitted:,}",
        f"Joined the pilot: {record.joined:,}",
        f"Waiting for the hub's second supplier to nominate it too: {record.awaiting:,}",
        f"Refused: {record.refused:,}",
    ]
    if record.awaiting:
        lines += ["", "A split-supply hub joins the pilot only when both of its suppliers have "
                  "nominated it. We will tell you when they join."]
    if refused:
        lines += ["", "Refused GUIDs, with the reason for each:"]
        lines += [f"  line {r.line}: {r.guid or '(blank)'}  {r.reason.value} ({REASON_TEXT[r.reason]})"
                  for r in refused[:LISTED]]
        if len(refused) > LISTED:
            lines.append(f"  ... and {len(refused) - LISTED:,} more in the attached receipt")
    lines += ["", "The attached workbook lists every GUID of your nomination and what became of it."]
    outbox.add(
        session, release_id=release.id, recipient=record.supplier, kind=Kind.NOMINATION_RECEIPT,
        subject=(f"Release {release.id} pilot nomination: {record.joined + record.awaiting:,} accepted, "
                 f"{record.refused:,} refused"),
        body="\n".join(lines) + "\n", now=now, actor=actor,
        attachment_kind="nomination", attachment_ref=record.id)


def _show(when: datetime) -> str:
    return show(when)
