"""``pinviewer [--demo] --screenshot OUT.png [--page overview|pins|posts|insights] [--size WxH]``.

The window is laid out at ``--size`` (the image's size in pixels: with ``QT_SCALE_FACTOR=1.5`` a 1600x1000
image is a 1067x667 window, as on a 1600x1000 screen at 150%), shows the page once its figures are there, and
is saved as PNG. Any text the window had to cut short at that size (on the cards, the period bar, the table
headers) is listed on standard error, one line each: ``clipped_texts`` is what tests check.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

from pinviewer.gui.launch import PAGES

DEFAULT_SIZE = (1280, 800)
TIMEOUT_MS = 120_000
SETTLE_MS = 60  # after the figures are shown: the layout and the charts' first paint settle
HEADER_PADDING = 30  # the header's style-sheet padding (8 + 20) and its frame


# ------------------------------------------------------------------------------------------------ clipped text
def _label_clipped(label) -> bool:
    from pinviewer.gui.labels import ElidedLabel

    text = label.text()
    if not text or not label.isVisibleTo(label.window()):
        return False
    width = label.contentsRect().width()
    if isinstance(label, ElidedLabel):
        return label.fontMetrics().horizontalAdvance(text) > width
    if label.wordWrap():
        return label.heightForWidth(width) > label.contentsRect().height() + 1
    return label.minimumSizeHint().width() > label.width() + 1


def _combo_clipped(box) -> bool:
    if not box.isVisibleTo(box.window()):
        return False
    room = box.width() - 34  # the padding (10 + 24) the style sheet gives the text and its arrow
    return box.fontMetrics().horizontalAdvance(box.currentText()) > room


def _header_clipped(header) -> list[str]:
    """Header texts wider than their sections."""
    from PySide6.QtCore import Qt

    if not header.isVisibleTo(header.window()):
        return []
    model, found = header.model(), []
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
        widest = max((header.fontMetrics().horizontalAdvance(line) for line in text.splitlines()), default=0)
        if widest + HEADER_PADDING > header.sectionSize(section):
            found.append(text.replace("\n", " "))
    return found


def clipped_texts(window) -> list[str]:
    """What the window cuts short now: labels on the dashboard's cards, the period bar and profile box, and
    the headers of the tables on the page shown."""
    from PySide6.QtWidgets import QComboBox, QHeaderView, QLabel

    found: list[str] = []
    places = [window.period_picker, window.profile_box]
    if window.dashboard is not None and window.stack.currentWidget() is window.dashboard:
        places += list(window.dashboard.cards.values())
    for place in places:
        if place is None:
            continue
        labels = [place] if isinstance(place, QLabel) else place.findChildren(QLabel)
        found += [label.text() for label in labels if _label_clipped(label)]
        boxes = [place] if isinstance(place, QComboBox) else place.findChildren(QComboBox)
        found += [box.currentText() for box in boxes if _combo_clipped(box)]
    page = window.stack.currentWidget()
    for header in page.findChildren(QHeaderView) if page is not None else ():
        if header.orientation().name == "Horizontal":
            found += _header_clipped(header)
    return found


# ------------------------------------------------------------------------------------------------ the shot
def arm(app, window, path: Path, page: str = "overview", size: tuple[int, int] | None = None) -> None:
    """Save ``window`` into ``path`` once it shows ``page`` with its figures (or the first screen), then quit."""
    from PySide6.QtCore import QTimer

    width, height = size or DEFAULT_SIZE
    ratio = window.devicePixelRatioF() or 1.0
    window.setMinimumSize(1, 1)  # the size asked for, even below the window's usual minimum
    window.resize(math.ceil(width / ratio), math.ceil(height / ratio))  # then cropped to the pixel
    state = {"done": False}

    def shoot():
        if state["done"]:
            return
        state["done"] = True
        app.processEvents()
        image = window.grab().toImage()
        if (image.width(), image.height()) != (width, height) and image.width() >= width and image.height() >= height:
            image = image.copy(0, 0, width, height)  # a fractional scale factor rounds the window up a pixel
        for text in clipped_texts(window):
            print(f"Cut short at this size: {text}", file=sys.stderr)
        path.parent.mkdir(parents=True, exist_ok=True)
        ok = image.save(str(path), "PNG")
        if ok:
            print(f"Saved {path} ({image.width()}x{image.height()}).")
        else:
            print(f"Could not write {path}.", file=sys.stderr)
        app.exit(0 if ok else 1)

    def shown():
        window.data.closing = True  # no working ahead for other periods: the process ends after the shot
        index = PAGES.index(page)
        if index and window.figures is not None:
            window.show_page(index)
        if page == "insights" and window.figures is not None:
            window.insights_shown.connect(lambda: QTimer.singleShot(SETTLE_MS, shoot))
            QTimer.singleShot(30_000, shoot)  # insights that never come: the page as it is
        else:
            QTimer.singleShot(SETTLE_MS, shoot)

    def timeout():
        if not state["done"]:
            state["done"] = True
            print("The window did not finish loading in time; no screenshot was saved.", file=sys.stderr)
            app.exit(1)

    once = {"armed": False}

    def first(*_):
        if not once["armed"]:
            once["armed"] = True
            shown()

    window.figures_shown.connect(first)
    window.ready.connect(lambda: first() if window.figures is None else None)
    QTimer.singleShot(TIMEOUT_MS, timeout)
