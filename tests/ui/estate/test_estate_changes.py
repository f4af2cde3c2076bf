"""The estate browser re-reads when the estate (its parties, its hubs) changed, never for a
change to a release: that would lose the reader's place."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from ui_helpers import Calls, Settle, change

from chconsole.ui.estate.view import EstateView


@pytest.fixture
def view(console, qtbot, settle: Settle) -> Iterator[EstateView]:
    v = EstateView(console)
    qtbot.addWidget(v)
    v.resize(1300, 800)
    v.show()
    v.refresh()
    settle(lambda: v.choices is not None and v.model.matching is not None)
    yield v


def test_a_change_to_the_estate_re_reads_it_and_one_to_a_release_does_not(
    view: EstateView, console, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    choices = Calls(monkeypatch, console.engine.queries, "estate_choices")
    change(console, settle, lambda e: e.releases.update_note(2, "DCC-RN-2026-205"))
    assert choices.reads() == []
    change(console, settle, lambda e: e.admin.set_party("OCTO", name="Octave Energy Retail"))
    assert len(choices.reads()) == 1
    assert view.supplier.itemText(view.supplier.findData("OCTO")) == "OCTO \u00b7 Octave Energy Retail"
    assert view.model.matching == 3000
