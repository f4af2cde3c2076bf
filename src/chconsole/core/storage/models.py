"""The database schema, designed for 15 million hubs.

Hubs carry their party ids as short text rather than foreign keys: the estate import
writes millions of rows and creates the parties first, so the check would only cost time.
Per-release counts live in tally tables kept up to date by the engine, so that screens and
dashboards never count millions of rows to draw themselves.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only makes INTEGER PRIMARY KEY the rowid alias; BIGINT elsewhere.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    pass


class Setting(Base):
    """Key-value settings that belong to the database, not a workstation (the clock)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Party(Base):
    """A Supplier User or a CSP, named by its party id (OCTO, ARQIVA)."""

    __tablename__ = "party"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))  # supplier | csp
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)


class Region(Base):
    __tablename__ = "region"
    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    csp_id: Mapped[str] = mapped_column(ForeignKey("party.id"))


class Hub(Base):
    """DCC's copy of the SMI record of one Communications Hub."""

    __tablename__ = "hub"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    guid: Mapped[str] = mapped_column(String(23))
    device_model: Mapped[str] = mapped_column(String(40))
    firmware_version: Mapped[str] = mapped_column(String(8))
    smi_status: Mapped[str] = mapped_column(String(24))
    csp_region: Mapped[str] = mapped_column(String(16))
    import_supplier: Mapped[str | None] = mapped_column(String(16), nullable=True)
    gas_supplier: Mapped[str | None] = mapped_column(String(16), nullable=True)
    in_smi: Mapped[bool] = mapped_column(Boolean, default=True)

    # One index only, on the GUID (a plain index, not a table constraint, so the first
    # import builds it once after loading). Work over the estate by model or supplier is
    # rare (notice, estate reports) and scans; per-release work goes through release_hub.
    __table_args__ = (Index("ux_hub_guid", "guid", unique=True),)


class EstateTally(Base):
    """Hubs per (dimension, key): kept by the import so totals never need COUNT(*)."""

    __tablename__ = "estate_tally"
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    hubs: Mapped[int] = mapped_column(BigInteger, default=0)


class CplEntry(Base):
    """An approved device model and firmware version on the Central Products List."""

    __tablename__ = "cpl_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    manufacturer: Mapped[str] = mapped_column(String(80))
    device_model: Mapped[str] = mapped_column(String(40))
    hardware_version: Mapped[str] = mapped_column(String(16))
    firmware_version: Mapped[str] = mapped_column(String(8))
    image_hash: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (UniqueConstraint("device_model", "firmware_version"),)


class Release(Base):
    __tablename__ = "release"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(20))
    device_model: Mapped[str] = mapped_column(String(40))
    target_cpl_id: Mapped[int] = mapped_column(ForeignKey("cpl_entry.id"))
    to_version: Mapped[str] = mapped_column(String(8))
    severity: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(16))
    release_type: Mapped[str] = mapped_column(String(16))
    release_note: Mapped[str] = mapped_column(Text)
    deployment_date: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deployment_date_set: Mapped[bool] = mapped_column(Boolean, default=False)
    cut_off: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(64))
    notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    distribution_lead_days: Mapped[int] = mapped_column(Integer, default=7)
    pilot_cap: Mapped[int] = mapped_column(Integer, default=300)
    # While paused or suspended (R6): the state to go back to, who halted it and when.
    resume_to: Mapped[str | None] = mapped_column(String(20), nullable=True)
    halted_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    halted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The failure guard: failures above guard_max_failure hundredths of a percent of at
    # least guard_min_finished finished hubs, in any batch, region or supplier, pause it.
    guard_max_failure: Mapped[int] = mapped_column(Integer, default=200, server_default="200")
    guard_min_finished: Mapped[int] = mapped_column(Integer, default=200, server_default="200")
    eligible: Mapped[int] = mapped_column(BigInteger, default=0)


class ReleaseFromVersion(Base):
    __tablename__ = "release_from_version"
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), primary_key=True)
    firmware_version: Mapped[str] = mapped_column(String(8), primary_key=True)


class ReleaseNoteChange(Base):
    """Every version of a release's note reference, oldest first."""

    __tablename__ = "release_note_change"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), index=True)
    release_note: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    changed_by: Mapped[str] = mapped_column(String(64))


class ReleaseHub(Base):
    """One eligible hub of one release: its suppliers at notice time and its rollout state."""

    __tablename__ = "release_hub"
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), primary_key=True)
    hub_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    import_supplier: Mapped[str | None] = mapped_column(String(16), nullable=True)
    gas_supplier: Mapped[str | None] = mapped_column(String(16), nullable=True)
    csp_region: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(24))
    hub_group: Mapped[str] = mapped_column(String(12), default="safe_launch")
    reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    planned_activation: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Pilot consent per supply role: a split-supply hub joins the pilot once both are set.
    pilot_import: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    pilot_gas: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    distributed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    activated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The hub reported home-area-network trouble after activation (faulty firmware).
    han_trouble: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Supplier instructions that count for this hub, per supply role (R3, R4): the
    # instruction and the time it asked for. Cleared when that role's supplier changes.
    instr_import_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    instr_gas_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    instr_import_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    instr_gas_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The batch (dispatch wave) that carries the hub to its activation; None until one does.
    batch_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    held_from: Mapped[str | None] = mapped_column(String(24), nullable=True)  # a stop's HELD: the state before
    attempt: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # its commands' attempt
    # When the engine learned of the confirmed activation (activated_at is the network's time
    # of it): the daily notices go by this, so a result that arrives late is still told.
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_release_hub_state", "release_id", "state", "hub_group"),
        Index("ix_release_hub_import", "release_id", "import_supplier"),
        Index("ix_release_hub_gas", "release_id", "gas_supplier"),
        Index("ix_release_hub_hub", "hub_id"),
        Index("ix_release_hub_batch", "batch_id", "state", "csp_region"),
        Index("ix_release_hub_confirmed", "confirmed_at"),
    )


class ReleaseTally(Base):
    """Maintained counts per release: eligible hubs per supplier role, region and state.

    dimension is one of 'state', 'region', 'import', 'gas', 'both' (a supplier holding
    both roles of a hub) or 'split' (hubs whose two roles are held by different parties).
    """

    __tablename__ = "release_tally"
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    hubs: Mapped[int] = mapped_column(BigInteger, default=0)


class Notice(Base):
    """A notice in the outbox: to one party, about one release (or the estate)."""

    __tablename__ = "notice"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int | None] = mapped_column(ForeignKey("release.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(16), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    # What the attachment holds (eligibility, ...): the outbox writer renders it after commit.
    attachment_kind: Mapped[str | None] = mapped_column(String(24))
    attachment: Mapped[str | None] = mapped_column(Text)
    # What the attachment is about when the release and recipient do not say (a nomination).
    attachment_ref: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # PENDING until its files are written to the outbox folder, then WRITTEN; with a mail
    # relay set, SENDING while one sender has it, then SENT or FAILED (core/delivery/smtp.py).
    status: Mapped[str] = mapped_column(String(12), default="PENDING", index=True)
    eml_path: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(64))
    # Delivery through the relay: tries made, the relay's last answer ("250 ...", "550 ..."
    # or why it could not be reached), when it was accepted, and when to try again (None: not
    # automatically; while SENDING, when a sender that died is taken to have let it go).
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    next_try_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (Index("ix_notice_due", "status", "next_try_at"),)


class MailRelay(Base):
    """The SMTP relay notices are sent through (one row, or none: notices stay as files).

    The password is never stored: PASSWORD_ENV names the environment variable that holds
    it wherever notices are sent from. SINCE is when a relay was first set: notices written
    before it stay in the folder unless sent on purpose (someone may have sent them by hand).
    """

    __tablename__ = "mail_relay"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    host: Mapped[str] = mapped_column(String(253))
    port: Mapped[int] = mapped_column(Integer)
    starttls: Mapped[bool] = mapped_column(Boolean, default=False)
    username: Mapped[str | None] = mapped_column(String(254), nullable=True)
    password_env: Mapped[str | None] = mapped_column(String(64), nullable=True)
    sender: Mapped[str] = mapped_column(String(320))
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    set_by: Mapped[str] = mapped_column(String(64))


class User(Base):
    __tablename__ = "app_user"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(64))


class UserRole(Base):
    __tablename__ = "user_role"
    user_name: Mapped[str] = mapped_column(ForeignKey("app_user.name"), primary_key=True)
    role: Mapped[str] = mapped_column(String(24), primary_key=True)


class AuditEntry(Base):
    """Append-only: database triggers refuse UPDATE and DELETE; each row hashes the last."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    subject: Mapped[str] = mapped_column(String(80))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """One row: the chain's last hash. Updating it serialises writers of the chain."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
