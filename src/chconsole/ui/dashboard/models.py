"""The dashboard's table of the viewer's outstanding actions, as a model.

Small lists (a few dozen rows at most), so a plain list model: set_rows() replaces the
rows only when they changed, which keeps a selection where the person put it while the
living clock refreshes the view. Overdue times are red, urgent ones amber.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor

from chconsole.core.engine.dto import DueAction
from chconsole.core.vocabulary.london import show
from chconsole.ui.common.rows_model import Cell, RowsModel
from chconsole.ui.common.widgets import RIGHT

OVERDUE = QColor("#b3261e")
URGENT = QColor("#9a5b00")
MUTED = QColor("#6b7682")


class ActionsModel(RowsModel):
    """The viewer's outstanding actions: what, release, due by, time left, hubs."""

    def __init__(self) -> None:
        super().__init__(("What", "Release", "Due by", "Time left", "Hubs"), numeric=(1, 4))

    def show_actions(self, actions: Sequence[DueAction]) -> bool:
        return self.set_rows(list(actions), [_action_row(a) for a in actions])


def _action_row(a: DueAction) -> tuple[Cell, ...]:
    colour = OVERDUE if a.overdue else URGENT if a.urgent else None if a.due is not None else MUTED
    return (
        Cell(a.what, colour=OVERDUE if a.overdue else None),
        Cell(str(a.release_id) if a.release_id is not None else "", RIGHT),
        Cell(show(a.due) if a.due else "\u2013"),
        Cell(a.left, colour=colour, bold=a.overdue or a.urgent),
        Cell(f"{a.hubs:,}" if a.hubs is not None else "", RIGHT),
    )
