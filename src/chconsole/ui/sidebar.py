"""The window's left side: the console's name, then one entry per view (Ctrl+1, Ctrl+2, ...)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

WIDTH = 230


def build_sidebar(entries: Sequence[tuple[QIcon, str]]) -> tuple[QFrame, QListWidget]:
    """The sidebar and its navigation list, one item per (icon, view title)."""
    nav = QListWidget()
    nav.setObjectName("navigation")
    nav.setIconSize(QSize(20, 20))
    nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    nav.setSpacing(1)
    for n, (picture, title) in enumerate(entries, start=1):
        item = QListWidgetItem(picture, title)
        item.setToolTip(f"{title} (Ctrl+{n})")
        item.setSizeHint(QSize(0, 40))  # style-sheet padding does not grow list items
        nav.addItem(item)
    brand = QLabel("chconsole")
    brand.setObjectName("brand")
    tagline = QLabel("CH firmware rollouts")
    tagline.setObjectName("tagline")
    side = QFrame()
    side.setObjectName("sidebar")
    side.setFixedWidth(WIDTH)
    box = QVBoxLayout(side)
    box.setContentsMargins(0, 18, 0, 12)
    box.setSpacing(2)
    for label in (brand, tagline):
        label.setContentsMargins(20, 0, 20, 0)
        box.addWidget(label)
    box.addSpacing(18)
    box.addWidget(nav, 1)
    return side, nav
