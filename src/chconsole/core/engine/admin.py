"""The administration desk: DCC users and roles, the estate, the CPL, parties, the CSP
network's figures, and the audit trail's check."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import delete, select

from chconsole.core.deployment import supplier_change
from chconsole.core.engine.changes import Changes, Done
from chconsole.core.engine.context import EngineContext
from chconsole.core.engine.dto import CplInfo, PartyInfo, UserInfo
from chconsole.core.engine.roles import Action, Role, parse_role
from chconsole.core.estate import importing
from chconsole.core.estate.importing import ImportResult
from chconsole.core.estate.notices import queue_left_release
from chconsole.core.rollout.network import Assumption
from chconsole.core.storage import audit
from chconsole.core.storage.models import CplEntry, Party, User, UserRole
from chconsole.core.vocabulary.errors import BadInput, NotAllowed, NotFound
from chconsole.core.vocabulary.smi import (
    canonical_firmware,
    canonical_hash,
    canonical_model,
    canonical_party,
)


class AdminDesk:
    """Who may do what, and what the engine works from."""

    def __init__(self, ctx: EngineContext) -> None:
        self.ctx = ctx

    # -- users ------------------------------------------------------------------------------
    def check_user(self) -> UserInfo:
        """The acting user and their roles, or NotAllowed when they are not a DCC user here."""
        ctx = self.ctx
        with ctx.db.reading() as s:
            if s.get(User, ctx.actor) is None:
                raise NotAllowed(
                    f"{ctx.actor!r} is not a DCC user of this database; an administrator "
                    f"can add them with 'chconsole user add {ctx.actor} --role ...'.")
            roles = s.scalars(select(UserRole.role).where(UserRole.user_name == ctx.actor))
            return UserInfo(ctx.actor, tuple(sorted(roles)))

    def add_user(self, name: str, roles: Sequence[str]) -> Done[UserInfo]:
        """Give user NAME the ROLES (adding the user when new); returns all their roles."""
        ctx = self.ctx
        name = name.strip()
        if not name or len(name) > 64:
            raise BadInput("A user name must be 1 to 64 characters.")
        if not roles:
            raise BadInput("Give the user at least one role.")
        parsed = sorted({parse_role(r) for r in roles})
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.ADD_USER)
            if s.get(User, name) is None:
                s.add(User(name=name, created_at=ctx.now(s), created_by=ctx.actor))
                s.flush()
            have = set(s.scalars(select(UserRole.role).where(UserRole.user_name == name)))
            s.add_all(UserRole(user_name=name, role=r.value) for r in parsed if r.value not in have)
            ctx.audit(s, Action.ADD_USER, name, roles=[r.value for r in parsed])
            all_roles = sorted(have | {r.value for r in parsed})
        return Done(UserInfo(name, tuple(all_roles)), Changes(users=True))

    def set_roles(self, name: str, roles: Sequence[str]) -> Done[UserInfo]:
        """Make ROLES the whole of user NAME's roles (taking away those not named). The
        database always keeps an administrator: the last one cannot lose the role."""
        ctx = self.ctx
        if not roles:
            raise BadInput("Give the user at least one role.")
        parsed = sorted({parse_role(r) for r in roles})
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.SET_ROLES)
            if s.get(User, name) is None:
                raise NotFound(f"There is no DCC user {name!r}.")
            have = set(s.scalars(select(UserRole.role).where(UserRole.user_name == name)))
            wanted = {r.value for r in parsed}
            if Role.ADMIN.value in have - wanted:
                admins = set(s.scalars(select(UserRole.user_name).where(UserRole.role == Role.ADMIN.value)))
                if admins <= {name}:
                    raise BadInput(f"{name} is the only administrator: give another user the admin role "
                                   "first, or no one could manage users any more.")
            for gone in have - wanted:
                s.execute(delete(UserRole).where(UserRole.user_name == name, UserRole.role == gone))
            s.add_all(UserRole(user_name=name, role=r) for r in sorted(wanted - have))
            ctx.audit(s, Action.SET_ROLES, name, roles=sorted(wanted), removed=sorted(have - wanted))
        return Done(UserInfo(name, tuple(sorted(wanted))), Changes(users=True))

    def users(self) -> list[UserInfo]:
        """Every DCC user of this database with their roles, by name."""
        with self.ctx.db.reading() as s:
            out: dict[str, list[str]] = {u: [] for u in s.scalars(select(User.name).order_by(User.name))}
            for user, role in s.execute(select(UserRole.user_name, UserRole.role)):
                out[user].append(role)
        return [UserInfo(u, tuple(sorted(r))) for u, r in out.items()]

    # -- the estate and the CPL -------------------------------------------------------------
    def import_estate(
        self, path: Path, full: bool = False, skip_invalid: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> Done[ImportResult]:
        """Load or refresh the SMI extract at PATH. A bad row refuses the whole file unless
        SKIP_INVALID; FULL marks hubs missing from it as gone from the SMI (they leave open
        releases, their suppliers told). A supplier change lapses the old one's instructions."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.IMPORT_ESTATE)
            result = importing.import_estate(s, path, full=full, skip_invalid=skip_invalid, progress=progress)
            if result.left_releases:
                queue_left_release(s, result.left_releases, ctx.now(s), ctx.actor)
            lapsed = supplier_change.apply(s, ctx.now(s), ctx.actor) if result.supplier_changes else 0
            ctx.audit(s, Action.IMPORT_ESTATE, path.name, rows=result.rows, added=result.added,
                      updated=result.updated, gone=result.gone, skipped=len(result.skipped),
                      supplier_changes=result.supplier_changes, full=full, instructions_lapsed=lapsed)
        ctx.db.refresh_statistics()
        changes = Changes(estate=True, everything=bool(result.left_releases or lapsed))
        if result.left_releases or lapsed:
            changes = ctx.deliver(changes)
        return Done(result, changes)

    def add_cpl_entry(self, model: str, firmware_version: str, image_hash: str,
                      manufacturer: str = "", hardware_version: str = "") -> Done[CplInfo]:
        """Record a CPL entry (model, firmware version, SHA-256 image hash)."""
        ctx = self.ctx
        m, v, h = canonical_model(model), canonical_firmware(firmware_version), canonical_hash(image_hash)
        if m is None:
            raise BadInput("The device model is blank or longer than 40 characters.")
        if v is None:
            raise BadInput(f"Firmware version {firmware_version!r} is not 8 hex characters.")
        if h is None:
            raise BadInput(f"Image hash {image_hash!r} is not a SHA-256 (64 hex characters).")
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.ADD_CPL_ENTRY)
            existing = s.scalars(
                select(CplEntry).where(CplEntry.device_model == m, CplEntry.firmware_version == v)).first()
            if existing is not None:
                raise BadInput(f"The CPL already has {m} firmware {v}.")
            entry = CplEntry(
                manufacturer=manufacturer.strip() or m.split("-")[0].title(),
                device_model=m, hardware_version=hardware_version.strip() or "1.0",
                firmware_version=v, image_hash=h, added_at=ctx.now(s))
            s.add(entry)
            s.flush()
            ctx.audit(s, Action.ADD_CPL_ENTRY, f"{m} {v}", image_hash=h)
            return Done(_cpl_info(entry), Changes(estate=True))

    def cpl(self) -> list[CplInfo]:
        """The CPL, by model and firmware version."""
        with self.ctx.db.reading() as s:
            rows = s.scalars(select(CplEntry).order_by(CplEntry.device_model, CplEntry.firmware_version))
            return [_cpl_info(e) for e in rows]

    # -- parties ----------------------------------------------------------------------------
    def set_party(self, party_id: str, name: str | None = None, email: str | None = None) -> Done[None]:
        """Name a supplier (or CSP) and give the address its notices go to (an empty
        address takes it away)."""
        ctx = self.ctx
        pid = canonical_party(party_id)
        if pid is None:
            raise BadInput(f"{party_id!r} is not a party id (2-16 letters or digits).")
        if email is not None and email.strip() and ("@" not in email or " " in email.strip()):
            raise BadInput(f"{email!r} is not an e-mail address.")
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.SET_PARTY)
            party = s.get(Party, pid)
            if party is None:
                party = Party(id=pid, name=pid, kind="supplier")
                s.add(party)
            if name is not None and name.strip():
                party.name = name.strip()[:120]
            if email is not None:
                party.email = email.strip() or None
            ctx.audit(s, Action.SET_PARTY, pid, name=party.name, email=party.email)
        return Done(None, Changes(estate=True))

    def suppliers(self) -> list[tuple[str, str]]:
        """Every supplier as (id, name), by id."""
        with self.ctx.db.reading() as s:
            rows = s.execute(select(Party.id, Party.name).where(Party.kind == "supplier").order_by(Party.id))
            return [(i, n) for i, n in rows]

    def parties(self) -> list[PartyInfo]:
        """Every supplier, then every CSP, by id, with the address its notices go to."""
        with self.ctx.db.reading() as s:
            rows = s.scalars(select(Party).order_by(Party.kind.desc(), Party.id))
            return [PartyInfo(p.id, p.name, p.kind, p.email) for p in rows]

    # -- the CSP network --------------------------------------------------------------------
    def network_assumptions(self) -> list[Assumption]:
        """The figures the CSP network runs on, each labelled as an assumption or not."""
        with self.ctx.db.reading() as s:
            return self.ctx.network_required().assumptions(s)

    def configure_network(self, changes: dict[str, str]) -> Done[list[Assumption]]:
        """Change the simulated network's figures (rates, capacity); returns them all."""
        ctx = self.ctx
        with ctx.db.writing() as s:
            ctx.authorize(s, Action.CONFIGURE_NETWORK)
            figures = ctx.network_required().configure(s, changes)
            ctx.audit(s, Action.CONFIGURE_NETWORK, "csp network", **changes)
        return Done(figures, Changes())

    # -- the audit trail --------------------------------------------------------------------
    def verify_audit(self) -> audit.AuditCheck:
        """Check the audit trail's hash chain from its first entry to its last."""
        with self.ctx.db.reading() as s:
            return audit.verify(s)


def _cpl_info(e: CplEntry) -> CplInfo:
    return CplInfo(e.id, e.manufacturer, e.device_model, e.hardware_version, e.firmware_version, e.image_hash)
