"""The main window's size and place: the first size from the screen's available geometry, a restored size
clamped to it, never larger than the screen or off it; and the centred page the skeleton shows while opening.

Imported for the first paint, so it touches only the Qt classes that paint needs.
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from pinviewer.gui import settings

DEFAULT_SIZE = (1280, 800)
MIN_SIZE = (960, 640)


def centred(widget: QWidget) -> QWidget:
    """A page with ``widget`` in its middle, centred by stretches (an alignment flag would need ``Qt``)."""
    page = QWidget()
    row = QHBoxLayout(page)
    column = QVBoxLayout()
    column.addStretch(1)
    column.addWidget(widget)
    column.addStretch(1)
    row.addStretch(1)
    row.addLayout(column)
    row.addStretch(1)
    return page


def fit_to_screen(geometry, available):
    """``geometry`` (a QRect) made to fit inside ``available`` (the screen's available QRect): never larger,
    never off it."""
    from PySide6.QtCore import QRect

    width, height = min(geometry.width(), available.width()), min(geometry.height(), available.height())
    x = min(max(geometry.x(), available.x()), available.x() + available.width() - width)
    y = min(max(geometry.y(), available.y()), available.y() + available.height() - height)
    return QRect(x, y, width, height)


def restore_geometry(window) -> None:
    """Last time's size and place, clamped to the screen; the first time, most of the screen."""
    geometry = settings.settings().value(settings.GEOMETRY)
    screen = window.screen()
    available = screen.availableGeometry() if screen is not None else None
    if available is not None:
        window.setMinimumSize(min(MIN_SIZE[0], available.width()), min(MIN_SIZE[1], available.height()))
    else:
        window.setMinimumSize(*MIN_SIZE)
    if isinstance(geometry, QByteArray) and not geometry.isEmpty() and window.restoreGeometry(geometry):
        if available is not None:
            window.setGeometry(fit_to_screen(window.geometry(), available))
        return
    width, height = DEFAULT_SIZE
    if available is not None:  # leave room for the window's frame and title bar
        width, height = min(width, available.width() - 16), min(height, available.height() - 48)
    window.resize(max(width, window.minimumWidth()), max(height, window.minimumHeight()))
