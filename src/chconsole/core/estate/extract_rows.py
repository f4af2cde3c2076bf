"""The rows of an SMI estate extract: its columns, and the check each row must pass."""

from __future__ import annotations

import re
from typing import Any

from chconsole.core.vocabulary.guid import canonical_guid
from chconsole.core.vocabulary.smi import (
    CSP_OF_REGION,
    canonical_firmware,
    canonical_model,
    canonical_party,
    canonical_region,
    canonical_status,
)

COLUMNS = (
    "guid",
    "device_model",
    "firmware_version",
    "smi_status",
    "csp_region",
    "import_supplier",
    "gas_supplier",
)
CSP_IDS = frozenset(CSP_OF_REGION.values())

CANONICAL_GUID = re.compile(r"[0-9A-F]{2}(?:-[0-9A-F]{2}){7}")


class Checker:
    """Validates rows. An extract repeats the same few thousand combinations of model,
    firmware, status, region and suppliers, so each combination is checked once."""

    def __init__(self) -> None:
        self.combos: dict[tuple[str, ...], tuple[str | None, ...] | str] = {}

    def check(self, line: int, rec: tuple[str, ...]) -> tuple[tuple[Any, ...] | None, str | None]:
        """Return the staged tuple, or None and the reason the row is refused.

        REC holds the extract's columns in the order of COLUMNS.
        """
        raw_guid = rec[0]
        guid = raw_guid if CANONICAL_GUID.fullmatch(raw_guid) else canonical_guid(raw_guid)
        if guid is None:
            return None, f"line {line}: {raw_guid!r} is not a hub GUID"
        key = rec[1:]
        rest = self.combos.get(key)
        if rest is None:
            rest = self.combos[key] = check_rest(key)
        if isinstance(rest, str):
            return None, f"line {line}: {rest}"
        return (line, guid, *rest), None


def check_rest(rec: tuple[str, ...]) -> tuple[str | None, ...] | str:
    """Model, firmware, status, region and the two suppliers: canonical, or what is wrong."""
    model = canonical_model(rec[0])
    if model is None:
        return "device_model is blank or longer than 40 characters"
    firmware = canonical_firmware(rec[1])
    if firmware is None:
        return f"firmware_version {rec[1]!r} is not 8 hex characters"
    status = canonical_status(rec[2])
    if status is None:
        return f"smi_status {rec[2]!r} is not an SMI status"
    region = canonical_region(rec[3])
    if region is None:
        return f"csp_region {rec[3]!r} is not North, Central or South"
    parties: list[str | None] = []
    for column, raw in (("import_supplier", rec[4]), ("gas_supplier", rec[5])):
        if not raw.strip():
            parties.append(None)
            continue
        party = canonical_party(raw)
        if party is None:
            return f"{column} {raw.strip()!r} is not a party id (2-16 letters or digits)"
        if party in CSP_IDS:
            return f"{column} {party} is a CSP, not a supplier"
        parties.append(party)
    return (model, firmware, status, region, parties[0], parties[1])
