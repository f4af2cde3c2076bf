"""The hub details panel beside the estate browser: what `chconsole hub show` tells.

Its SMI record, and its place in each release it was eligible for: the hub's state and
group there and when it is planned to be activated, in London time.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from chconsole.core.engine.dto import HubInfo, HubRelease
from chconsole.core.vocabulary.london import show
from chconsole.ui.common.widgets import section_label
from chconsole.ui.common.words import state_title
from chconsole.ui.runtime.context import Console

GROUPS = {"pilot": "Pilot", "safe_launch": "Safe launch"}


def _value(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
    form.setHorizontalSpacing(16)
    form.setVerticalSpacing(6)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    return form


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("factName")
    return label


class HubPanel(QFrame):
    """Shows one hub, fetched off the GUI thread when asked for by GUID.

    Signals:
        closed(): the person closed the panel.
    """

    closed = Signal()

    def __init__(self, console: Console, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidePanel")
        self.setMinimumWidth(340)
        self.console = console
        self.suppliers: dict[str, str] = {}
        self.hub: HubInfo | None = None
        self._asked: str | None = None

        self.heading = QLabel("Hub details")
        self.heading.setObjectName("panelTitle")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setObjectName("bannerClose")
        close.setText("\u2715")
        close.setToolTip("Close the hub details")
        close.clicked.connect(self.closed.emit)
        head = QHBoxLayout()
        head.addWidget(self.heading, 1)
        head.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)

        self.facts = _form()
        self._values: dict[str, QLabel] = {}
        for name in ("Device model", "Firmware", "SMI status", "CSP region",
                     "Import supplier", "Gas supplier", "In the SMI"):
            self._values[name] = _value()
            self.facts.addRow(_caption(name), self._values[name])

        self.releases_box = QVBoxLayout()
        self.releases_box.setSpacing(10)
        body = QWidget()
        body.setObjectName("panelBody")
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        column.addLayout(self.facts)
        column.addSpacing(4)
        column.addWidget(section_label("Releases"))
        column.addLayout(self.releases_box)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("panelScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        self.body = body

        box = QVBoxLayout(self)
        box.setContentsMargins(18, 14, 12, 14)
        box.setSpacing(10)
        box.addLayout(head)
        box.addWidget(scroll, 1)

    def show_guid(self, guid: str) -> None:
        """Fetch and show the hub GUID (the answer arrives later)."""
        self._asked = guid
        self.heading.setText(guid)
        self.console.read(lambda e: e.queries.hub(guid), self._on_hub, label=f"reading hub {guid}")

    def refresh(self) -> None:
        if self.hub is not None and self.isVisible():
            self.show_guid(self.hub.guid)

    def _party(self, party: str | None) -> str:
        if not party:
            return "\u2013 (none)"
        name = self.suppliers.get(party)
        return f"{party} \u00b7 {name}" if name and name != party else party

    def _on_hub(self, hub: HubInfo) -> None:
        if hub.guid != self._asked:
            return  # a later request superseded this one
        self.hub = hub
        self.heading.setText(hub.guid)
        values = {
            "Device model": hub.device_model,
            "Firmware": hub.firmware_version,
            "SMI status": hub.smi_status,
            "CSP region": hub.csp_region,
            "Import supplier": self._party(hub.import_supplier),
            "Gas supplier": self._party(hub.gas_supplier),
            "In the SMI": "Yes" if hub.in_smi else "No: it left the SMI in a later extract",
        }
        for name, text in values.items():
            self._values[name].setText(text)
        while self.releases_box.count():
            item = self.releases_box.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.deleteLater()
        if not hub.releases:
            none = QLabel("This hub has not been eligible for any release.")
            none.setObjectName("hint")
            none.setWordWrap(True)
            self.releases_box.addWidget(none)
        for place in hub.releases:
            self.releases_box.addWidget(self._release_card(place))

    def _release_card(self, r: HubRelease) -> QFrame:
        card = QFrame()
        card.setObjectName("card")
        form = _form()
        form.setContentsMargins(12, 10, 12, 10)
        title = QLabel(f"Release {r.release} \u00b7 {state_title(r.release_state)}")
        title.setObjectName("cardTitle")
        form.addRow(title)
        rows = [
            ("Hub state", state_title(r.state) + (f" ({r.reason})" if r.reason else "")),
            ("Group", GROUPS.get(r.group, r.group)),
            ("Planned activation", show(r.planned_activation) or "\u2013 (none)"),
            ("Import supplier then", r.import_supplier_at_notice or "\u2013"),
            ("Gas supplier then", r.gas_supplier_at_notice or "\u2013"),
        ]
        for name, text in rows:
            form.addRow(_caption(name), _value(text))
        card.setLayout(form)
        return card
