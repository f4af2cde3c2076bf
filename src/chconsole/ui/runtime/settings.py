"""Every console setting, declared once with its type and default (QSettings behind).

User preferences (what a person chose) and window state (what the window remembers about
itself) are kept apart, so "reset the layout" can never lose a preference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")  # int, str, bool or QByteArray: what QSettings round-trips


@dataclass(frozen=True)
class Option(Generic[T]):
    """One setting: where it is stored, its type and the value it has until set."""

    key: str
    kind: type[T]
    default: T


# -- user preferences -----------------------------------------------------------------
LAST_VIEW = Option("prefs/last_view", int, 0)
EXPORT_FOLDER = Option("prefs/export_folder", str, "")
# The database the window last opened through its start dialog (used when --db is not given).
LAST_DATABASE = Option("prefs/database", str, "")
# Simulated seconds per real second of the living demo clock (0: paused); simulated clocks only.
CLOCK_SPEED = Option("prefs/clock_speed", int, 3600)

# -- window state -------------------------------------------------------------------------
WINDOW_GEOMETRY = Option("window/geometry", QByteArray, QByteArray())
WINDOW_STATE = Option("window/state", QByteArray, QByteArray())
ESTATE_SPLITTER = Option("window/estate_splitter", QByteArray, QByteArray())
RELEASES_SPLITTER = Option("window/releases_splitter", QByteArray, QByteArray())
OUTBOX_SPLITTER = Option("window/outbox_splitter", QByteArray, QByteArray())
INCIDENTS_SPLITTER = Option("window/incidents_splitter", QByteArray, QByteArray())

WINDOW_OPTIONS = (WINDOW_GEOMETRY, WINDOW_STATE, ESTATE_SPLITTER, RELEASES_SPLITTER, OUTBOX_SPLITTER,
                  INCIDENTS_SPLITTER)


class Settings:
    """Typed access to a QSettings store (the user's own, or a file in tests)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings("DCC", "chconsole")

    def get(self, option: Option[T]) -> T:
        raw = self.store.value(option.key, option.default)
        if raw is None:
            return option.default
        if option.kind is bool and isinstance(raw, str):
            # INI files keep booleans (and numbers) as text.
            return cast(T, raw.lower() in ("true", "1", "yes"))
        if isinstance(raw, option.kind):
            return raw
        try:
            return option.kind(raw)  # type: ignore[call-arg]
        except (TypeError, ValueError):
            return option.default

    def set(self, option: Option[T], value: T) -> None:
        self.store.setValue(option.key, value)

    def reset_window_state(self) -> None:
        for option in WINDOW_OPTIONS:
            self.store.remove(option.key)

    def sync(self) -> None:
        self.store.sync()
