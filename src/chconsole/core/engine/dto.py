"""What the engine hands the console and the command line: frozen values, never ORM rows.

Each is defined beside the code that builds it; this module names them in one place, so
a view imports what it shows from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from chconsole.core.dashboards.actions import DueAction
from chconsole.core.dashboards.dashboard import (
    CSP,
    DCC,
    PANEL,
    SUPPLIER,
    Dashboard,
    NextDate,
    ReleaseCard,
    Viewer,
)
from chconsole.core.delivery.relay import RelayInfo
from chconsole.core.delivery.sending import Failure, SendReport
from chconsole.core.deployment.batch_info import BatchInfo
from chconsole.core.deployment.batches import BatchPlan, BatchResult, BatchRule
from chconsole.core.deployment.instructions import InstructionInfo, InstructionResult
from chconsole.core.estate.hubs import HubInfo, HubRelease
from chconsole.core.estate.importing import ImportResult
from chconsole.core.estate.pages import PAGE_SIZE, EstateFilter, FilterChoices, HubRow, guid_prefix
from chconsole.core.estate.status_report import REPORT as ESTATE_STATUS_REPORT
from chconsole.core.incidents.guard import GuardInfo
from chconsole.core.incidents.register import HistoryLine, IncidentInfo, RaiseResult
from chconsole.core.incidents.stop import StopInfo
from chconsole.core.incidents.triage import BODIES, OUTCOMES, Consequences
from chconsole.core.notices.listing import (
    STATUSES,
    NoticeChoices,
    NoticeFilter,
    NoticeInfo,
    status_words,
)
from chconsole.core.notices.outbox import KIND_TITLES
from chconsole.core.pilots.nominations import NominationResult
from chconsole.core.pilots.rules import PilotRule
from chconsole.core.pilots.view import PilotInfo
from chconsole.core.releases.lifecycle import (
    NOTICE_MONTHS,
    ReleaseDraft,
    ReleaseInfo,
    SupplierCount,
)
from chconsole.core.reports.workbook import ReportCancelled
from chconsole.core.rollout.eligibility import EligiblePreview
from chconsole.core.rollout.guid_checks import REASON_TEXT, Reason, Refusal
from chconsole.core.rollout.network import Assumption


@dataclass(frozen=True)
class CplInfo:
    """One CPL entry: an approved model and firmware version, with its image hash."""

    id: int
    manufacturer: str
    model: str
    hardware_version: str
    firmware_version: str
    image_hash: str


@dataclass(frozen=True)
class PartyInfo:
    """A supplier or CSP: its id, name, kind ("supplier" or "csp") and notice address."""

    id: str
    name: str
    kind: str
    email: str | None


@dataclass(frozen=True)
class UserInfo:
    """A DCC user of this database and the roles they hold."""

    name: str
    roles: tuple[str, ...]


__all__ = [
    "CSP", "DCC", "ESTATE_STATUS_REPORT", "KIND_TITLES", "NOTICE_MONTHS", "PAGE_SIZE", "PANEL", "REASON_TEXT",
    "SUPPLIER", "Reason", "Refusal", "ReportCancelled", "guid_prefix",
    "BODIES", "OUTCOMES", "Consequences", "GuardInfo", "HistoryLine", "IncidentInfo", "RaiseResult", "StopInfo",
    "Assumption", "BatchInfo", "BatchPlan", "BatchResult", "BatchRule", "CplInfo", "Dashboard", "DueAction",
    "EligiblePreview", "EstateFilter", "FilterChoices", "HubInfo", "HubRelease", "HubRow", "ImportResult",
    "InstructionInfo", "InstructionResult", "NextDate", "NominationResult", "NoticeInfo", "PartyInfo", "PilotInfo",
    "PilotRule", "ReleaseCard", "ReleaseDraft", "ReleaseInfo", "SupplierCount", "UserInfo", "Viewer",
    "STATUSES", "Failure", "NoticeChoices", "NoticeFilter", "RelayInfo", "SendReport", "status_words",
]
