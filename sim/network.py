"""A simulated CSP network: firmware distribution and activation, run against the database.

`SimulatedNetwork` implements the `CspNetwork` port. It keeps its own record of every command
it received in `sim_network_job`, so its state survives restarts and every workstation on a
shared database sees the same network. Distribution goes through one FIFO queue per CSP
region, limited by that region's capacity; activation results are drawn from configured rates.
Every draw is a pure function of (seed, command key, label): the same seed and the same
commands give the same outcomes at the same times. The rates and capacities are assumptions
(no CSP publishes them) and live in the `setting` table under `sim_network` as JSON.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_, false, func, insert, inspect, select, update
from sqlalchemy.orm import Session

from chconsole.core.rollout.network import (
    Assumption,
    Command,
    Outcome,
    Result,
    Step,
    command_key,
    key_attempt,
)
from chconsole.core.storage.models import Setting
from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import utc

SETTING_KEY = "sim_network"
CHUNK = 900  # items in one IN list (SQLite allows 999 bound parameters in old builds)
INSERT_CHUNK = 5000

metadata = sa.MetaData()
job = sa.Table(
    "sim_network_job", metadata,
    sa.Column("key", sa.String(48), primary_key=True),
    sa.Column("release_id", sa.Integer, nullable=False),
    sa.Column("hub_id", sa.BigInteger, nullable=False),
    sa.Column("step", sa.String(12), nullable=False),
    sa.Column("region", sa.String(16), nullable=False),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True),  # when its result is known
    sa.Column("result", sa.String(24), nullable=True),  # None: the hub never answers
    sa.Column("han_trouble", sa.Boolean, nullable=False, default=False),
    sa.Column("reported", sa.Boolean, nullable=False, default=False),
    sa.Column("cancelled", sa.Boolean, nullable=False, default=False),
    sa.Index("ix_sim_network_job_due", "reported", "ready_at"),
)  # fmt: skip
region_queue = sa.Table(
    "sim_network_region", metadata,
    sa.Column("region", sa.String(16), primary_key=True),
    sa.Column("free_at", sa.DateTime(timezone=True), nullable=False),
)  # fmt: skip

Keyed = tuple[str, Command]  # a command with its key, worked out once
_READY: set[str] = set()  # database URLs whose tables are known to exist

# key: (what a person reads, kind, default). Every figure but the seed is an assumption.
SETTINGS: dict[str, tuple[str, str, float | int]] = {
    "seed": ("Random seed", "seed", 1),
    "distribution_failure": ("Distribution failure rate", "rate", 0.01),
    "activation_failure": ("Activation failure rate", "rate", 0.003),
    "no_response": ("No response rate", "rate", 0.002),
    "hash_mismatch": ("Hash mismatch rate", "rate", 0.0),
    "faulty_firmware": ("Faulty firmware rate (HAN trouble after success)", "rate", 0.0),
    "distribution_days": ("Minimum distribution time", "days", 2.0),
    "capacity_north": ("North region distribution capacity", "capacity", 40_000),
    "capacity_central": ("Central region distribution capacity", "capacity", 60_000),
    "capacity_south": ("South region distribution capacity", "capacity", 60_000),
}


WANTED = {
    "rate": "a fraction from 0 to 1 or a percentage such as 1%",
    "capacity": "a whole number of hubs a day above 0",
    "days": "a number of days above 0",
    "seed": "a whole number",
}


def draw(seed: int, key: str, label: str) -> float:
    """A uniform number in [0, 1) that depends only on the seed, the command key and a label."""
    digest = hashlib.blake2b(f"{seed}|{key}|{label}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _answer_delay(seed: int, key: str) -> float:
    """Seconds a hub takes to answer a command at its time: a minute to half an hour."""
    return 60 + draw(seed, key, "delay") * 29 * 60


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _ensure(session: Session, create: bool = True) -> bool:
    """Make sure the simulator's tables exist (once per database URL and process)."""
    url = session.get_bind().engine.url.render_as_string(hide_password=False)
    if url in _READY or session.info.get(SETTING_KEY):
        return True
    conn = session.connection()
    if all(inspect(conn).has_table(t.name) for t in metadata.sorted_tables):
        _READY.add(url)
        return True
    if create:  # not cached: the transaction that creates them may yet roll back
        metadata.create_all(conn, checkfirst=True)
        session.info[SETTING_KEY] = True
    return create


def _parse(key: str, kind: str, text: str) -> float | int:
    """One figure's value from what a person typed, or BadInput naming the key."""
    s = str(text).strip().replace(",", "").replace("_", "")
    try:
        if kind == "rate":
            value: float | int = float(s[:-1]) / 100 if s.endswith("%") else float(s)
        else:
            value = float(s) if kind == "days" else int(s)
        if {"rate": 0 <= value <= 1, "capacity": value > 0, "days": 0 < value < math.inf}.get(
            kind, True
        ):
            return value
    except ValueError:
        pass
    raise BadInput(f"The simulated network's {key} cannot be {text!r}: give {WANTED[kind]}.")


def _show(kind: str, value: float | int) -> str:
    if kind == "rate":
        pct = value * 100
        short = f"{pct:.1f}"
        return f"{short if abs(float(short) - pct) < 1e-9 else f'{pct:.4g}'}%"
    if kind == "capacity":
        return f"{int(value):,} hubs a day"
    if kind == "days":
        return f"{value:g} day{'' if value == 1 else 's'}"
    return str(value)


class SimulatedNetwork:
    """The CSPs' networks, simulated in the database the engine uses (`CspNetwork`)."""

    # -- configuration -------------------------------------------------------------
    def config(self, session: Session) -> dict[str, Any]:
        """The figures in force: the saved ones over the defaults."""
        values: dict[str, Any] = {key: spec[2] for key, spec in SETTINGS.items()}
        row = session.get(Setting, SETTING_KEY)
        if row is not None:
            values.update({k: v for k, v in json.loads(row.value).items() if k in SETTINGS})
        return values

    def capacity(self, session: Session) -> dict[str, int]:
        """Hubs a day per region, from the configured (assumed) capacities."""
        cfg = self.config(session)
        return {k.removeprefix("capacity_").title(): int(v) for k, v in cfg.items() if k.startswith("capacity_")}

    def assumptions(self, session: Session) -> list[Assumption]:
        """The figures it runs on; every rate, capacity and time is an assumption."""
        values = self.config(session)
        return [
            Assumption(name, _show(kind, values[key]), kind != "seed")
            for key, (name, kind, _default) in SETTINGS.items()
        ]

    def configure(self, session: Session, changes: dict[str, str]) -> list[Assumption]:
        """Validate and save changed figures (all or none); returns the figures in force.

        Raises:
            BadInput: an unknown key or a value out of range, named in one sentence.
        """
        values = self.config(session)
        for key, text in changes.items():
            if key not in SETTINGS:
                raise BadInput(
                    f"{key!r} is not a figure of the simulated network; "
                    f"the figures are {', '.join(SETTINGS)}."
                )
            values[key] = _parse(key, SETTINGS[key][1], text)
        row = session.get(Setting, SETTING_KEY)
        if row is None:
            session.add(Setting(key=SETTING_KEY, value=json.dumps(values)))
        else:
            row.value = json.dumps(values)
        session.flush()
        return self.assumptions(session)

    # -- the port ----------------------------------------------------------------------
    def send(self, session: Session, commands: Sequence[Command], now: datetime) -> None:
        """Take commands; a key already held (or repeated) is ignored, never booked twice.

        Args:
            session: The engine's open session; the engine commits.
            commands: Distributions (queued per region), activations (at `activate_at`, or
                now) and cancellations (of whatever of the hub's release is still to come).
            now: The time the network receives them.
        """
        _ensure(session)
        now = utc(now)
        keys = [c.key for c in commands]
        held = self.received(session, keys)
        fresh: dict[str, Command] = {}
        for k, c in zip(keys, commands, strict=True):
            if k not in held and k not in fresh:
                fresh[k] = c
        by_step: dict[Step, list[Keyed]] = {s: [] for s in Step}
        for k, c in fresh.items():
            by_step[c.step].append((k, c))
        cfg = self.config(session)
        # Step by step, so an activation sees a distribution and a cancel both in one batch.
        handlers = {Step.DISTRIBUTE: self._distribute, Step.ACTIVATE: self._activate,
                    Step.CANCEL: self._cancel}  # fmt: skip
        for step in Step:
            rows = handlers[step](session, by_step[step], now, cfg)
            for part in _chunks(rows, INSERT_CHUNK):
                session.execute(insert(job), list(part))

    def received(self, session: Session, keys: Sequence[str]) -> set[str]:
        """Which of these command keys the network holds."""
        if not keys or not _ensure(session, create=False):
            return set()
        found: set[str] = set()
        for part in _chunks(list(keys)):
            found.update(session.scalars(select(job.c.key).where(job.c.key.in_(part))))
        return found

    def outcomes(self, session: Session, until: datetime) -> list[Outcome]:
        """Results known by UNTIL and not read before, in time order; each is read once.

        Returns:
            The outcomes by time and then command key, with aware UTC times. They are marked
            read in the same transaction (one UPDATE ... RETURNING where the database has it).
        """
        _ensure(session)
        due = self._due(utc(until))
        cols = (job.c.release_id, job.c.hub_id, job.c.step, job.c.result, job.c.ready_at,
                job.c.han_trouble, job.c.key)  # fmt: skip
        mark = update(job).where(due).values(reported=True)
        if session.get_bind().dialect.update_returning:  # atomic: no result read twice
            rows = sorted(session.execute(mark.returning(*cols)), key=lambda r: (utc(r[4]), r[6]))
        else:
            rows = list(session.execute(select(*cols).where(due).order_by(job.c.ready_at, job.c.key)))
            session.execute(mark)
        return [
            Outcome(r[0], r[1], Step(r[2]), Result(r[3]), utc(r[4]), bool(r[5]), key_attempt(r[6]))
            for r in rows
        ]

    def next_event(self, session: Session, after: datetime) -> datetime | None:
        """When the next unread result becomes known; None when nothing is in flight.

        AFTER is not used: an unread result already due is returned even if it is earlier.
        """
        if not _ensure(session, create=False):
            return None
        at = session.scalar(select(func.min(job.c.ready_at)).where(self._due(None)))
        return None if at is None else utc(at)

    # -- the simulation ----------------------------------------------------------------
    @staticmethod
    def _due(until: datetime | None) -> Any:
        due = and_(job.c.reported == false(), job.c.cancelled == false(), job.c.result.is_not(None))
        return due if until is None else and_(due, job.c.ready_at <= until)

    @staticmethod
    def _row(k: str, c: Command, now: datetime, ready: datetime | None, result: str | None,
             han: bool = False, reported: bool = False) -> dict[str, Any]:  # fmt: skip
        return {
            "key": k, "release_id": c.release_id, "hub_id": c.hub_id, "step": c.step.value,
            "region": c.region, "received_at": now, "ready_at": ready, "result": result,
            "han_trouble": han, "reported": reported, "cancelled": False,
        }  # fmt: skip

    def _distribute(
        self, session: Session, commands: list[Keyed], now: datetime, cfg: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Queue distributions per region; the image arrives after both the queue and the minimum."""
        if not commands:
            return []
        regions = sorted({c.region for _k, c in commands})
        cursors = {
            r: utc(at) for r, at in session.execute(
                select(region_queue.c.region, region_queue.c.free_at)
                .where(region_queue.c.region.in_(regions)).with_for_update())
        }  # fmt: skip
        known = set(cursors)
        start = {r: max(cursors.get(r, now), now) for r in regions}
        taken = dict.fromkeys(regions, 0)
        fallback = min(cfg[k] for k in SETTINGS if k.startswith("capacity_"))
        slot = {r: 86400 / cfg.get(f"capacity_{r.lower()}", fallback) for r in regions}
        earliest = now + timedelta(days=cfg["distribution_days"])
        seed, rate = cfg["seed"], cfg["distribution_failure"]
        rows = []
        for k, c in commands:
            taken[c.region] += 1
            slot_end = start[c.region] + timedelta(seconds=slot[c.region] * taken[c.region])
            cursors[c.region] = slot_end
            failed = draw(seed, k, "distribute") < rate
            result = Result.DISTRIBUTION_FAILED if failed else Result.RECEIVED
            rows.append(self._row(k, c, now, max(earliest, slot_end), result.value))
        for r in regions:
            if r in known:
                session.execute(update(region_queue).where(region_queue.c.region == r)
                                .values(free_at=cursors[r]))  # fmt: skip
            else:
                session.execute(insert(region_queue).values(region=r, free_at=cursors[r]))
        return rows

    def _activate(
        self, session: Session, commands: list[Keyed], now: datetime, cfg: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Activate at the commanded time; a hub without the image by then says NO_IMAGE_HELD.

        The image is whichever distribution of the release reached the hub (any attempt)."""
        wanted = [command_key(c.release_id, c.hub_id, Step.DISTRIBUTE.value) for _k, c in commands]
        attempts = [command_key(c.release_id, c.hub_id, Step.DISTRIBUTE.value, n)
                    for _k, c in commands for n in range(1, c.attempt + 1)]
        image_at: dict[str, datetime] = {}
        for part in _chunks(attempts):
            for k, at in session.execute(select(job.c.key, job.c.ready_at).where(
                    job.c.key.in_(part), job.c.result == Result.RECEIVED.value, job.c.cancelled == false())):
                first = k.rsplit("-", 1)[0] if key_attempt(k) != 1 else k  # any attempt's image will do
                image_at[first] = min(utc(at), image_at.get(first, utc(at)))
        seed = cfg["seed"]
        bands = [(cfg["no_response"], None), (cfg["activation_failure"], Result.ACTIVATION_FAILURE),
                 (cfg["hash_mismatch"], Result.HASH_MISMATCH)]  # fmt: skip
        rows = []
        for (k, c), dist_key in zip(commands, wanted, strict=True):
            at = utc(c.activate_at) if c.activate_at is not None else now
            ready = at + timedelta(seconds=_answer_delay(seed, k))
            han = False
            arrived = image_at.get(dist_key)
            if arrived is None or arrived > at:
                result: Result | None = Result.NO_IMAGE_HELD
            else:
                x, edge, result = draw(seed, k, "activate"), 0.0, Result.SUCCESS
                for share, outcome in bands:
                    edge += share
                    if x < edge:
                        result = outcome
                        break
                han = result is Result.SUCCESS and draw(seed, k, "han") < cfg["faulty_firmware"]
            value = None if result is None else result.value
            rows.append(self._row(k, c, now, None if result is None else ready, value, han))
        return rows

    def _cancel(
        self, session: Session, commands: list[Keyed], now: datetime, cfg: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Cancel whatever of the hub's release is still to happen; the past stays as it was.

        Each hub answers the call-back a minute to half an hour later: CALLED_BACK, or
        TOO_LATE when its activation had already happened; a hub that never answers (the
        no-response rate) stays silent."""
        distributions = [command_key(c.release_id, c.hub_id, Step.DISTRIBUTE.value, c.attempt) for _k, c in commands]
        activations = [command_key(c.release_id, c.hub_id, Step.ACTIVATE.value, c.attempt) for _k, c in commands]
        past: set[str] = set()  # activations whose time has come: they happened, whatever was read
        for part in _chunks(activations):
            for k, ready in session.execute(select(job.c.key, job.c.ready_at).where(
                    job.c.key.in_(part), job.c.ready_at.is_not(None), job.c.cancelled == false())):
                if utc(ready) - timedelta(seconds=_answer_delay(cfg["seed"], k)) <= now:
                    past.add(k)
        for part in _chunks(distributions + [k for k in activations if k not in past]):
            session.execute(
                update(job).where(job.c.key.in_(part), job.c.ready_at > now,
                                  job.c.reported == false()).values(cancelled=True)
            )  # fmt: skip
        rows = []
        for (k, c), activation in zip(commands, activations, strict=True):
            if draw(cfg["seed"], k, "silent") < cfg["no_response"]:
                rows.append(self._row(k, c, now, None, None))
                continue
            ready = now + timedelta(seconds=_answer_delay(cfg["seed"], k))
            answer = Result.TOO_LATE if activation in past else Result.CALLED_BACK
            rows.append(self._row(k, c, now, ready, answer.value))
        return rows


def held(session: Session, release_id: int) -> dict[str, int]:
    """What the network holds for a release, read or not.

    Returns:
        Jobs counted by "step:RESULT", such as "distribute:RECEIVED"; "step:CANCELLED" for a
        cancelled one and "step:NONE" for one that never answers (and for cancel commands).
    """
    if not _ensure(session, create=False):
        return {}
    outcome = (job.c.step, job.c.result, job.c.cancelled)
    rows = session.execute(
        select(*outcome, func.count()).where(job.c.release_id == release_id).group_by(*outcome)
    )
    counts: dict[str, int] = {}
    for step, result, cancelled, n in rows:
        name = f"{step}:{'CANCELLED' if cancelled else result or 'NONE'}"
        counts[name] = counts.get(name, 0) + n
    return counts
