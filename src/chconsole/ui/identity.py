"""Which database the window is on, at a glance: its title and the marker in its toolbar.

A person with a demo open beside the real console must never confuse the two: a demo says
DEMO in its title and in an amber marker; a training database on a simulated clock says
SIMULATED; a real database's title names the database (its file, or its host and name).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

DEMO_TITLE = "chconsole: DEMO (simulated estate)"


def database_name(url: str) -> str:
    """The file of an SQLite database, or host/database of a shared one (no user, no password)."""
    if url.startswith("sqlite"):
        return url.replace("\\", "/").rsplit("/", 1)[-1]
    place = url.split("://", 1)[-1].split("?", 1)[0].split("@")[-1]
    return f"localhost{place}" if place.startswith("/") else place


def window_title(url: str, demo: bool, simulated: bool) -> str:
    if demo:
        return DEMO_TITLE
    return f"chconsole: {database_name(url)}" + (" (simulated clock)" if simulated else "")


def marker(demo: bool, simulated: bool) -> QLabel | None:
    """The toolbar's marker: DEMO, SIMULATED, or none for a real database on the system clock."""
    if not demo and not simulated:
        return None
    label = QLabel("DEMO" if demo else "SIMULATED")
    label.setObjectName("demoMarker")
    label.setProperty("kind", "demo" if demo else "simulated")
    label.setToolTip(
        "A demo database: a simulated estate, CSP network and clock. Nothing here reaches a real hub "
        "or supplier." if demo else
        "A training database on a simulated clock and the simulated CSP network: nothing here reaches "
        "a real hub.")
    return label
