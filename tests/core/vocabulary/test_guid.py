from __future__ import annotations

import pytest

from chconsole.core.vocabulary.guid import canonical_guid


@pytest.mark.parametrize("text", [
    "00-DB-12-34-56-78-90-A0", "00-db-12-34-56-78-90-a0", "00db1234567890a0",
    " 00DB1234567890A0 ", "00:DB:12:34:56:78:90:A0",
])
def test_any_case_and_missing_hyphens_give_the_canonical_form(text):
    assert canonical_guid(text) == "00-DB-12-34-56-78-90-A0"


@pytest.mark.parametrize("text", [
    "", "00-DB-12-34-56-78-90", "00DB1234567890A0FF", "00-DB-12-34-56-78-90-AG",
    "0-0DB-12-34-56-78-90-A0", "=cmd|' /C calc'!A0", "00 DB1234567890A0",
])
def test_anything_else_is_not_a_guid(text):
    assert canonical_guid(text) is None
