"""The engine facade: the one door the console and the command line go through.

Each method is one unit of work: it opens a session, checks the acting user's role,
does the work, appends an audit entry and commits, or changes nothing at all. Methods
take ids and plain values and return frozen dataclasses, never ORM objects.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chconsole.core.dashboards.dashboard import Dashboard, Viewer
from chconsole.core.delivery import eml
from chconsole.core.engine.deployment_desk import DeploymentDesk
from chconsole.core.engine.roles import ALLOWED, Action, Role, parse_role
from chconsole.core.estate import importing as estate_import
from chconsole.core.releases import eligibility_report, lifecycle
from chconsole.core.rollout.network import NETWORK_SETTING, SIMULATED, CspNetwork, load
from chconsole.core.storage import audit, clock
from chconsole.core.storage.db import Database, default_url, sqlite_path
from chconsole.core.storage.models import CplEntry, Party, Setting, User, UserRole
from chconsole.core.vocabulary.errors import BadInput, DatabaseError, NotAllowed
from chconsole.core.vocabulary.london import utc
from chconsole.core.vocabulary.smi import canonical_firmware, canonical_hash, canonical_model

log = logging.getLogger("chconsole.engine")

# The reports `export` writes to one supplier.
REPORTS = ("eligibility", "pilot", "instructions", "estate-status")


@dataclass(frozen=True)
class CplView:
    id: int
    manufacturer: str
    model: str
    hardware_version: str
    firmware_version: str
    image_hash: str


@dataclass(frozen=True)
class UserView:
    name: str
    roles: tuple[str, ...]


def outbox_folder(url: str) -> Path:
    """Notices go beside an SQLite database; a shared database's go to the user's data folder."""
    path = sqlite_path(url)
    if path is not None:
        return path.parent / f"{path.stem}-outbox"
    from platformdirs import user_data_dir

    return Path(user_data_dir("chconsole", "DCC")) / "outbox"


class Engine(DeploymentDesk):
    """The campaign engine, bound to one database and one acting DCC user."""

    def __init__(self, url: str | None, actor: str, outbox_dir: Path | None = None) -> None:
        self.db = Database(url or default_url())
        if not self.db.exists():
            raise DatabaseError(
                f"There is no chconsole database at {self.db.safe_url()}; create it with 'chconsole init'."
            )
        self.db.upgrade()
        self.actor = actor
        self.outbox_dir = outbox_dir or outbox_folder(self.db.url)
        with self.db.reading() as s:
            mode = s.get(Setting, clock.CLOCK_MODE)
        self.clock: Any = (
            clock.SimulatedClock(self.db.reading)
            if mode is not None and mode.value == "simulated"
            else clock.SystemClock()
        )
        with self.db.reading() as s:
            spec = s.get(Setting, NETWORK_SETTING)
        self.network: CspNetwork | None = load(spec.value) if spec is not None else None

    # -- creating a database ----------------------------------------------------
    @staticmethod
    def init(url: str | None, actor: str, simulated_start: datetime | None = None) -> Engine:
        """Create the database; the creating user holds every role."""
        db = Database(url or default_url())
        if db.exists():
            raise BadInput(f"There is already a chconsole database at {db.safe_url()}.")
        db.upgrade()
        now = simulated_start or clock.SystemClock().now()
        with db.writing() as s:
            s.add(Setting(key=clock.CLOCK_MODE, value="simulated" if simulated_start else "system"))
            if simulated_start:
                s.add(Setting(key=clock.SIMULATED_NOW, value=utc(simulated_start).isoformat()))
                # A training database runs against the simulated CSP network from sim/.
                s.add(Setting(key=NETWORK_SETTING, value=SIMULATED))
            s.add(User(name=actor, created_at=now, created_by=actor))
            s.add_all(UserRole(user_name=actor, role=r.value) for r in Role)
            s.flush()
            audit.record(s, now, actor, "init", "database", {
                "clock": "simulated" if simulated_start else "system", "roles": [r.value for r in Role]})
        db.dispose()
        return Engine(url, actor)

    # -- the unit of work ---------------------------------------------------------
    def now(self, session: Session | None = None) -> datetime:
        return utc(self.clock.now(session))

    def check_user(self) -> UserView:
        """The acting user, or NotAllowed when they are not a DCC user of this database."""
        with self.db.reading() as s:
            if s.get(User, self.actor) is None:
                raise NotAllowed(
                    f"{self.actor!r} is not a DCC user of this database; an administrator "
                    f"can add them with 'chconsole user add {self.actor} --role ...'."
                )
            roles = s.scalars(select(UserRole.role).where(UserRole.user_name == self.actor))
            return UserView(self.actor, tuple(sorted(roles)))

    def _authorize(self, s: Session, action: Action) -> None:
        roles = set(s.scalars(select(UserRole.role).where(UserRole.user_name == self.actor)))
        if not roles and s.get(User, self.actor) is None:
            raise NotAllowed(f"{self.actor!r} is not a DCC user of this database.")
        if not roles & {r.value for r in ALLOWED[action]}:
            needed = " or ".join(sorted(r.value for r in ALLOWED[action]))
            raise NotAllowed(f"{self.actor} may not {action.value}: that needs the role {needed}.")

    def _audit(self, s: Session, action: Action | str, subject: str, **detail: Any) -> None:
        audit.record(s, self.now(s), self.actor, str(action), subject, detail)

    def deliver_outbox(self, progress: Callable[[str], None] | None = None) -> int:
        return eml.deliver_pending(self.db, self.outbox_dir, progress)

    # -- users --------------------------------------------------------------------
    def add_user(self, name: str, roles: Sequence[str]) -> UserView:
        name = name.strip()
        if not name or len(name) > 64:
            raise BadInput("A user name must be 1 to 64 characters.")
        if not roles:
            raise BadInput("Give the user at least one --role.")
        parsed = sorted({parse_role(r) for r in roles})
        with self.db.writing() as s:
            self._authorize(s, Action.ADD_USER)
            if s.get(User, name) is None:
                s.add(User(name=name, created_at=self.now(s), created_by=self.actor))
                s.flush()
            have = set(s.scalars(select(UserRole.role).where(UserRole.user_name == name)))
            s.add_all(UserRole(user_name=name, role=r.value) for r in parsed if r.value not in have)
            self._audit(s, Action.ADD_USER, name, roles=[r.value for r in parsed])
            all_roles = sorted(have | {r.value for r in parsed})
        return UserView(name, tuple(all_roles))

    def users(self) -> list[UserView]:
        with self.db.reading() as s:
            out: dict[str, list[str]] = {u: [] for u in s.scalars(select(User.name).order_by(User.name))}
            for user, role in s.execute(select(UserRole.user_name, UserRole.role)):
                out[user].append(role)
        return [UserView(u, tuple(sorted(r))) for u, r in out.items()]

    # -- estate and CPL ---------------------------------------------------------------
    def import_estate(
        self, path: Path, full: bool = False, skip_invalid: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> estate_import.ImportResult:
        with self.db.writing() as s:
            self._authorize(s, Action.IMPORT_ESTATE)
            result = estate_import.import_estate(
                s, path, full=full, skip_invalid=skip_invalid, progress=progress)
            if result.left_releases:
                from chconsole.core.estate.notices import queue_left_release

                queue_left_release(s, result.left_releases, self.now(s), self.actor)
            lapsed = 0
            if result.supplier_changes:
                from chconsole.core.deployment import supplier_change

                lapsed = supplier_change.apply(s, self.now(s), self.actor)
            self._audit(
                s, Action.IMPORT_ESTATE, path.name, rows=result.rows, added=result.added,
                updated=result.updated, gone=result.gone, skipped=len(result.skipped),
                supplier_changes=result.supplier_changes, full=full, instructions_lapsed=lapsed)
        self.db.refresh_statistics()
        if result.left_releases or lapsed:
            self.deliver_outbox()
        return result

    def add_cpl_entry(
        self, model: str, firmware_version: str, image_hash: str,
        manufacturer: str = "", hardware_version: str = "",
    ) -> CplView:
        m = canonical_model(model)
        v = canonical_firmware(firmware_version)
        h = canonical_hash(image_hash)
        if m is None:
            raise BadInput("The device model is blank or longer than 40 characters.")
        if v is None:
            raise BadInput(f"Firmware version {firmware_version!r} is not 8 hex characters.")
        if h is None:
            raise BadInput(f"Image hash {image_hash!r} is not a SHA-256 (64 hex characters).")
        with self.db.writing() as s:
            self._authorize(s, Action.ADD_CPL_ENTRY)
            existing = s.scalars(
                select(CplEntry).where(CplEntry.device_model == m, CplEntry.firmware_version == v)
            ).first()
            if existing is not None:
                raise BadInput(f"The CPL already has {m} firmware {v}.")
            entry = CplEntry(
                manufacturer=manufacturer.strip() or m.split("-")[0].title(),
                device_model=m, hardware_version=hardware_version.strip() or "1.0",
                firmware_version=v, image_hash=h, added_at=self.now(s))
            s.add(entry)
            s.flush()
            self._audit(s, Action.ADD_CPL_ENTRY, f"{m} {v}", image_hash=h)
            return _cpl_view(entry)

    def cpl(self) -> list[CplView]:
        with self.db.reading() as s:
            rows = s.scalars(select(CplEntry).order_by(CplEntry.device_model, CplEntry.firmware_version))
            return [_cpl_view(e) for e in rows]

    def set_party(self, party_id: str, name: str | None = None, email: str | None = None) -> None:
        """Name a supplier (or CSP) and give the address its notices go to."""
        from chconsole.core.vocabulary.smi import canonical_party

        pid = canonical_party(party_id)
        if pid is None:
            raise BadInput(f"{party_id!r} is not a party id (2-16 letters or digits).")
        if email is not None and ("@" not in email or " " in email.strip()):
            raise BadInput(f"{email!r} is not an e-mail address.")
        with self.db.writing() as s:
            self._authorize(s, Action.SET_PARTY)
            party = s.get(Party, pid)
            if party is None:
                party = Party(id=pid, name=pid, kind="supplier")
                s.add(party)
            if name is not None and name.strip():
                party.name = name.strip()[:120]
            if email is not None:
                party.email = email.strip() or None
            self._audit(s, Action.SET_PARTY, pid, name=party.name, email=party.email)

    def suppliers(self) -> list[tuple[str, str]]:
        with self.db.reading() as s:
            rows = s.execute(select(Party.id, Party.name).where(Party.kind == "supplier").order_by(Party.id))
            return [(i, n) for i, n in rows]

    # -- releases -----------------------------------------------------------------------
    def create_release(self, draft: lifecycle.ReleaseDraft) -> lifecycle.ReleaseView:
        with self.db.writing() as s:
            self._authorize(s, Action.CREATE_RELEASE)
            release = lifecycle.create(s, draft, self.now(s), self.actor)
            self._audit(s, Action.CREATE_RELEASE, f"release {release.id}", model=release.device_model,
                        to_version=release.to_version)
            s.flush()
            return lifecycle.view(s, release.id)

    def notify_release(
        self, release_id: int, progress: Callable[[str], None] | None = None
    ) -> lifecycle.ReleaseView:
        """Notify a release; PROGRESS hears what is being done (the reports take longest)."""
        if progress:
            progress("Taking the eligibility snapshot")
        with self.db.writing() as s:
            self._authorize(s, Action.NOTIFY_RELEASE)
            release = lifecycle.notify(s, release_id, self.now(s), self.actor)
            self._audit(s, Action.NOTIFY_RELEASE, f"release {release.id}", eligible=release.eligible,
                        deployment_date=release.deployment_date)
        self.db.refresh_statistics()
        self.deliver_outbox(progress)
        return self.release(release_id)

    def revoke_release(self, release_id: int, reason: str) -> lifecycle.ReleaseView:
        if not reason.strip():
            raise BadInput("Give the reason for revoking (--reason); every notified party is told it.")
        self._catch_up(Action.REVOKE_RELEASE)  # an activation already confirmed forbids revoking
        with self.db.writing() as s:
            self._authorize(s, Action.REVOKE_RELEASE)
            cancelled = lifecycle.revoke(s, release_id, reason, self.now(s), self.actor)
            self._audit(s, Action.REVOKE_RELEASE, f"release {release_id}", reason=reason,
                        cancelled=cancelled)
        self.deliver_outbox()
        return self.release(release_id)

    def update_release_note(self, release_id: int, note: str) -> lifecycle.ReleaseView:
        with self.db.writing() as s:
            self._authorize(s, Action.UPDATE_RELEASE_NOTE)
            lifecycle.update_note(s, release_id, note, self.now(s), self.actor)
            self._audit(s, Action.UPDATE_RELEASE_NOTE, f"release {release_id}", release_note=note)
        self.deliver_outbox()
        return self.release(release_id)

    def release(self, release_id: int) -> lifecycle.ReleaseView:
        with self.db.reading() as s:
            return lifecycle.view(s, release_id)

    def releases(self) -> list[lifecycle.ReleaseView]:
        with self.db.reading() as s:
            return [lifecycle.view(s, i) for i in lifecycle.list_ids(s)]

    # -- reports ------------------------------------------------------------------------
    def export(
        self, report: str, supplier: str, out: Path, release_id: int | None = None,
        progress: Callable[[int], None] | None = None, cancelled: Callable[[], bool] | None = None,
    ) -> int:
        if report not in REPORTS:
            raise BadInput(f"There is no report {report!r}; the reports are {', '.join(REPORTS)}.")
        if out.suffix.lower() != ".xlsx":
            raise BadInput(f"The report file {out.name!r} must end in .xlsx.")
        if not out.parent.exists():
            raise BadInput(f"The folder {str(out.parent)!r} does not exist.")
        with self.db.reading() as s:
            self._authorize(s, Action.SEND_REPORT)
            if report == "estate-status":  # the whole estate; a release is optional
                from chconsole.core.estate import status_report

                rows = status_report.write(s, supplier, out, release_id=release_id, progress=progress,
                                           cancelled=cancelled, now=self.now(s))
            elif report == "instructions":  # every release unless one is named
                from chconsole.core.deployment.instruction_reports import (
                    instructions as instructions_report,
                )

                rows = instructions_report(s, supplier, release_id, out, progress, cancelled)
            elif release_id is None:
                raise BadInput(f"The {report} report needs --release ID.")
            elif report == "pilot":
                from chconsole.core.pilots.reports import pilot

                rows = pilot(s, release_id, supplier, out, progress, cancelled)
            else:
                rows = eligibility_report.eligibility(s, release_id, supplier, out, progress, cancelled)
        with self.db.writing() as s:
            self._audit(s, Action.SEND_REPORT, f"{report} {supplier.upper()}", release=release_id,
                        rows=rows, file=str(out))
        return rows

    # -- dashboards (R5) ------------------------------------------------------------------
    def dashboard(self, viewer: Viewer) -> Dashboard:
        """VIEWER's dashboard: read from maintained counts only, whatever the estate's size."""
        from chconsole.core.dashboards import dashboard

        with self.db.reading() as s:
            return dashboard.build(s, viewer, self.now(s))

    def viewers(self) -> list[Viewer]:
        """Every actor with a dashboard, for the "View as" selector."""
        from chconsole.core.dashboards import dashboard

        with self.db.reading() as s:
            return dashboard.viewers(s)

    def export_dashboard(self, supplier: str, out: Path) -> Dashboard:
        """Write SUPPLIER's dashboard to OUT (.xlsx); returns the dashboard written."""
        from chconsole.core.dashboards import dashboard, report

        report.check_target(out)
        with self.db.reading() as s:
            self._authorize(s, Action.SEND_REPORT)
            board = dashboard.build(s, dashboard.Viewer(dashboard.SUPPLIER, supplier), self.now(s))
        report.write(board, out)
        with self.db.writing() as s:
            self._audit(s, Action.SEND_REPORT, f"dashboard {board.viewer.party}", file=str(out),
                        releases=len(board.releases), actions=len(board.actions))
        return board

    # -- audit and time -------------------------------------------------------------------
    def verify_audit(self) -> audit.AuditCheck:
        with self.db.reading() as s:
            return audit.verify(s)


def _cpl_view(e: CplEntry) -> CplView:
    return CplView(e.id, e.manufacturer, e.device_model, e.hardware_version, e.firmware_version, e.image_hash)
