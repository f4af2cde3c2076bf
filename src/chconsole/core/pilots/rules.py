"""Business rules the service desk applies for a supplier to choose its pilot hubs (R2).

Rules are written as words: `count=300`, `spread=regions`, `from-version=0002012F`,
`region=North`, `seed=7` (a random sample, the same for the same seed) and
`exclude=open-incidents`. The chosen GUIDs then go through the same checks as a file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.orm import Session

from chconsole.core.storage.models import Release
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.smi import canonical_firmware, canonical_region

RULES_HELP = (
    "count=N, spread=regions, from-version=V (repeatable), region=R (repeatable), "
    "seed=N (a random sample) and exclude=open-incidents"
)


@dataclass(frozen=True)
class PilotRule:
    count: int | None = None
    spread: bool = False
    from_versions: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    seed: int | None = None
    exclude_incidents: bool = False
    words: tuple[str, ...] = field(default=())  # as typed on the command line, when it was

    def __post_init__(self) -> None:
        if self.count is not None and self.count < 1:
            raise BadInput("A pilot rule's count must be a whole number of hubs, 1 or more.")
        for v in self.from_versions:
            if canonical_firmware(v) != v:
                raise BadInput(f"{v!r} is not a firmware version (8 hex characters).")
        for r in self.regions:
            if canonical_region(r) != r:
                raise BadInput(f"{r!r} is not a region (North, Central or South).")
        if not (self.count or self.spread or self.from_versions or self.regions or self.seed is not None
                or self.exclude_incidents):
            raise BadInput(f"Give at least one pilot rule; the rules are {RULES_HELP}.")

    def describe(self) -> str:
        """The rules in words, for receipts and the audit trail."""
        words = self.words or (
            ((f"count={self.count}",) if self.count is not None else ())
            + (("spread=regions",) if self.spread else ())
            + tuple(f"from-version={v}" for v in self.from_versions)
            + tuple(f"region={r}" for r in self.regions)
            + ((f"seed={self.seed}",) if self.seed is not None else ())
            + (("exclude=open-incidents",) if self.exclude_incidents else ()))
        return "rules: " + " ".join(words)


def parse(words: Sequence[str]) -> PilotRule:
    """Read rule words; an unknown or malformed rule is refused naming it."""
    count: int | None = None
    spread = exclude = False
    versions: list[str] = []
    regions: list[str] = []
    seed: int | None = None
    for word in words:
        key, sep, value = word.strip().replace(":", "=", 1).partition("=")
        key, value = key.strip().lower(), value.strip()
        if key == "count" and sep:
            if not value.isdigit() or int(value) < 1:
                raise BadInput(f"Rule {word!r}: the count must be a whole number of hubs, 1 or more.")
            count = int(value)
        elif key == "spread" and value.lower() in ("regions", "region", "evenly"):
            spread = True
        elif key in ("from-version", "version") and sep:
            v = canonical_firmware(value)
            if v is None:
                raise BadInput(f"Rule {word!r}: {value!r} is not a firmware version (8 hex characters).")
            versions.append(v)
        elif key == "region" and sep:
            r = canonical_region(value)
            if r is None:
                raise BadInput(f"Rule {word!r}: {value!r} is not a region (North, Central or South).")
            regions.append(r)
        elif key == "seed" and sep:
            try:
                seed = int(value)
            except ValueError:
                raise BadInput(f"Rule {word!r}: the seed must be a whole number.") from None
        elif key == "exclude" and value.lower() in ("open-incidents", "open-incident", "incidents"):
            exclude = True
        else:
            raise BadInput(f"{word!r} is not a pilot rule; the rules are {RULES_HELP}.")
    if not words:
        raise BadInput(f"Give at least one rule; the rules are {RULES_HELP}.")
    return PilotRule(count, spread, tuple(versions), tuple(regions), seed, exclude, tuple(words))


def choose(session: Session, release: Release, supplier: str, rule: PilotRule, room: int) -> list[tuple[int, str]]:
    """The (line, GUID) entries the rule picks from the supplier's hubs free for the pilot."""
    wanted = rule.count if rule.count is not None else room
    p: dict[str, object] = {"r": release.id, "p": supplier}
    where = [
        "rh.release_id = :r", "(rh.import_supplier = :p OR rh.gas_supplier = :p)",
        "(h.import_supplier = :p OR h.gas_supplier = :p)", "h.in_smi", "h.smi_status = 'Commissioned'",
        "rh.state IN ('ELIGIBLE', 'AWAITING_OTHER_SUPPLIER', 'HELD')",
        "NOT ((rh.pilot_import AND h.import_supplier = :p) OR (rh.pilot_gas AND h.gas_supplier = :p))",
    ]
    if rule.from_versions:
        where.append("h.firmware_version IN (" + ", ".join(f":v{i}" for i in range(len(rule.from_versions))) + ")")
        p |= {f"v{i}": v for i, v in enumerate(rule.from_versions)}
    if rule.regions:
        where.append("rh.csp_region IN (" + ", ".join(f":g{i}" for i in range(len(rule.regions))) + ")")
        p |= {f"g{i}": g for i, g in enumerate(rule.regions)}
    if rule.exclude_incidents:
        where.append("NOT EXISTS (SELECT 1 FROM incident_hub ih JOIN incident i ON i.id = ih.incident_id "
                     "WHERE ih.hub_id = rh.hub_id AND i.state <> 'CLOSED')")
    base = "FROM release_hub rh JOIN hub h ON h.id = rh.hub_id WHERE " + " AND ".join(where)
    # A seeded sample: a pseudo-random order of hub ids, the same for the same seed. The
    # seed picks the multiplier as well as the offset: with the offset alone every seed gave
    # the same cyclic order, so nearby seeds picked the same hubs.
    order = "rh.hub_id"
    if rule.seed is not None:
        p["ma"], p["mb"] = _permutation(rule.seed)
        order = f"(((rh.hub_id % {_PRIME}) * :ma + :mb) % {_PRIME}), rh.hub_id"
    if not rule.spread:
        rows = session.execute(text(f"SELECT h.guid {base} ORDER BY {order} LIMIT :n"), p | {"n": wanted})
        return [(i, g) for i, (g,) in enumerate(rows, start=1)]
    have = {str(r): int(n) for r, n in session.execute(
        text(f"SELECT rh.csp_region, COUNT(*) {base} GROUP BY rh.csp_region"), p)}
    quota = spread_evenly(wanted, have)
    picked = session.execute(text(
        f"SELECT guid, region, rn FROM (SELECT h.guid AS guid, rh.csp_region AS region, ROW_NUMBER() "
        f"OVER (PARTITION BY rh.csp_region ORDER BY {order}) AS rn {base}) AS t WHERE rn <= :most "
        "ORDER BY region, rn"), p | {"most": max(quota.values(), default=0)})
    chosen = [g for g, region, rn in picked if rn <= quota.get(str(region), 0)]
    return list(enumerate(chosen, start=1))


_PRIME = 2_147_483_647  # 2**31 - 1; products stay below 2**62, safe in 64-bit SQL integers


def _permutation(seed: int) -> tuple[int, int]:
    """The multiplier (1 .. prime - 1) and offset of the seed's order h -> (a*h + b) mod prime."""
    digest = hashlib.blake2b(str(seed).encode(), digest_size=8).digest()
    return 1 + int.from_bytes(digest[:4], "big") % (_PRIME - 1), int.from_bytes(digest[4:], "big") % _PRIME


def spread_evenly(wanted: int, have: dict[str, int]) -> dict[str, int]:
    """Share WANTED hubs over regions as evenly as their supply allows."""
    quota = dict.fromkeys(have, 0)
    left = min(wanted, sum(have.values()))
    while left > 0:
        open_regions = sorted(r for r in have if quota[r] < have[r])
        share = max(1, left // len(open_regions))
        for r in open_regions:
            take = min(share, have[r] - quota[r], left)
            quota[r] += take
            left -= take
            if left == 0:
                break
    return quota
