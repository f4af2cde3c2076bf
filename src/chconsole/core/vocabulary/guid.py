"""Communications Hub GUIDs: EUI-64 as eight upper-case hex octets joined by hyphens."""

from __future__ import annotations

import re

_HEX16 = re.compile(r"[0-9A-F]{16}")


def canonical_guid(text: str) -> str | None:
    """Return the canonical form of a GUID, or None when it is not one.

    Accepts any case, with or without hyphens (or with colons or spaces between octets),
    since suppliers' systems write GUIDs every which way.
    """
    raw = text.strip().upper()
    compact = raw.replace("-", "").replace(":", "").replace(" ", "")
    if len(compact) != 16 or not _HEX16.fullmatch(compact):
        return None
    if raw != compact:
        # Separators must sit between octets, not anywhere.
        parts = re.split(r"[-: ]", raw)
        if len(parts) != 8 or any(len(p) != 2 for p in parts):
            return None
    return "-".join(compact[i : i + 2] for i in range(0, 16, 2))
