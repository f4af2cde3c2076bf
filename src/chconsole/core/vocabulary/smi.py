"""SMI vocabulary: statuses, regions, party ids, firmware versions; validated and canonical."""

from __future__ import annotations

import re
from enum import StrEnum


class SmiStatus(StrEnum):
    PENDING = "Pending"
    WHITELISTED = "Whitelisted"
    INSTALLED_NOT_COMMISSIONED = "InstalledNotCommissioned"
    COMMISSIONED = "Commissioned"
    DECOMMISSIONED = "Decommissioned"
    WITHDRAWN = "Withdrawn"
    SUSPENDED = "Suspended"
    RECOVERY = "Recovery"
    RECOVERED = "Recovered"


REGIONS = ("North", "Central", "South")
CSP_OF_REGION = {"North": "ARQIVA", "Central": "TELEFONICA", "South": "TELEFONICA"}

_STATUS = {s.value.lower(): s.value for s in SmiStatus}
_REGION = {r.lower(): r for r in REGIONS}
_PARTY = re.compile(r"[A-Z0-9_]{2,16}")
_FIRMWARE = re.compile(r"[0-9A-F]{8}")
_HASH = re.compile(r"[0-9a-f]{64}")


def canonical_status(text: str) -> str | None:
    return _STATUS.get(text.strip().replace(" ", "").lower())


def canonical_region(text: str) -> str | None:
    return _REGION.get(text.strip().lower())


def canonical_party(text: str) -> str | None:
    """A party id, upper case: OCTO, BGAS. Blank is not a party (None)."""
    value = text.strip().upper()
    return value if _PARTY.fullmatch(value) else None


def canonical_firmware(text: str) -> str | None:
    """Eight hex characters, upper case.

    Spreadsheets drop leading zeros from all-digit versions (00020130 becomes 20130), so
    short all-digit values are padded back.
    """
    value = text.strip().upper()
    if value.isdigit() and len(value) < 8:
        value = value.zfill(8)
    return value if _FIRMWARE.fullmatch(value) else None


def canonical_hash(text: str) -> str | None:
    value = text.strip().lower()
    return value if _HASH.fullmatch(value) else None


def canonical_model(text: str) -> str | None:
    value = text.strip()
    return value if 0 < len(value) <= 40 else None
