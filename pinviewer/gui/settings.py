"""Window state and preferences in an INI file in PinViewer's config folder (never data, never secrets)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from pinviewer import paths

if TYPE_CHECKING:
    import datetime as dt

PRESET = "period/preset"
CUSTOM_START = "period/start"
CUSTOM_END = "period/end"
COMPARE = "period/compare"
PROFILE = "profile/last"
GEOMETRY = "window/geometry"
DARK_THEME = "window/dark"  # the scheme the window had last time: its first paint uses it (style.py)
SHOW_IMPRESSIONS = "chart/impressions"
PINS_SPLITTER = "pins/splitter"


def settings() -> QSettings:
    return QSettings(str(paths.config_dir() / "pinviewer.ini"), QSettings.Format.IniFormat)


def get_str(key: str, default: str | None = None) -> str | None:
    value = settings().value(key, default)
    return None if value is None else str(value)


def get_bool(key: str, default: bool | None) -> bool | None:
    value = settings().value(key, default)
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return None if value is None else bool(value)


def get_date(key: str) -> dt.date | None:
    import datetime as dt  # not before the window's first paint, which reads settings

    text = get_str(key)
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


_told = False  # a failed save is told once per session, not on every change


def put(key: str, value) -> bool:
    """Keep a preference. QSettings writes the INI file whole (a partial file renamed over the old one), so a
    full disk leaves the earlier file as it was; that is logged and said once. Returns whether it was saved."""
    import datetime as dt

    s = settings()
    if isinstance(value, dt.date):
        value = value.isoformat()
    s.setAtomicSyncRequired(True)  # (the default: whole or not at all)
    if value is None:
        s.remove(key)
    else:
        s.setValue(key, value)
    s.sync()
    if s.status() == QSettings.Status.NoError:
        return True
    _failed(s.fileName())
    return False


def _failed(file_name: str) -> None:
    global _told
    import logging

    logging.getLogger(__name__).warning("Could not save the preferences to %s", file_name)
    if _told:
        return
    _told = True
    from pinviewer.gui import errors

    errors.show_problem(None, errors.tr("PinViewer could not save your preferences (window size, period, profile) "
                                        "to {file}: the disk may be full or the folder read-only. The earlier ones "
                                        "are kept; your data is not affected.").format(file=file_name))


def saved_view():
    """The period and comparison chosen last time (a session.View)."""
    from pinviewer.core.session import View

    start, end = get_date(CUSTOM_START), get_date(CUSTOM_END)
    custom = (start, end) if start and end and start <= end else None
    preset = get_str(PRESET, "last_30")
    if preset == "custom" and custom is None:
        preset = "last_30"
    return View(preset, custom, get_str(COMPARE, "previous"))
