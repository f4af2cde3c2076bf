"""Parties: the suppliers and CSPs the console knows, looked up by their ids."""

from __future__ import annotations

from sqlalchemy.orm import Session

from chconsole.core.storage.models import Party
from chconsole.core.vocabulary.errors import BadInput


def known_supplier(session: Session, party_id: str) -> Party:
    """The supplier PARTY_ID (any case), or BadInput naming the id when there is none."""
    party = session.get(Party, party_id.strip().upper())
    if party is None or party.kind != "supplier":
        raise BadInput(f"{party_id!r} is not a supplier known to this database.")
    return party
