"""Release vocabulary: severity, priority and release type, with the spellings people use."""

from __future__ import annotations

from chconsole.core.vocabulary.errors import BadInput

SEVERITIES = ("Critical", "High", "Medium", "Low")
PRIORITIES = ("P1", "P2", "P3", "P4")
RELEASE_TYPES = {
    "sec": "SEC Release",
    "planned": "Planned Maintenance Release",
    "unplanned": "Unplanned Maintenance Release",
}
_SEVERITY_ALIASES = {"major": "High", "minor": "Low", "moderate": "Medium"}
_PRIORITY_ALIASES = {
    "critical": "P1", "urgent": "P1", "high": "P2", "medium": "P3", "normal": "P3", "low": "P4",
}


def severity(text: str) -> str:
    value = text.strip().lower()
    for s in SEVERITIES:
        if s.lower() == value:
            return s
    if value in _SEVERITY_ALIASES:
        return _SEVERITY_ALIASES[value]
    raise BadInput(f"Severity {text!r} is not one of {', '.join(SEVERITIES)}.")


def priority(text: str) -> str:
    value = text.strip().upper()
    if value in PRIORITIES:
        return value
    if value in ("1", "2", "3", "4"):
        return "P" + value
    alias = _PRIORITY_ALIASES.get(value.lower())
    if alias:
        return alias
    raise BadInput(f"Priority {text!r} is not one of {', '.join(PRIORITIES)} (P1 is the most urgent).")


def release_type(text: str) -> str:
    value = text.strip().lower()
    if value in RELEASE_TYPES:
        return value
    for key, title in RELEASE_TYPES.items():
        if title.lower() == value:
            return key
    raise BadInput(f"Release type {text!r} is not one of sec, planned or unplanned.")
