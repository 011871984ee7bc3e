"""The paper's look: colours, the type scale, the margins, alignment flags and the translation context.

Shared by every block of the summary page (``summary_page``, ``summary_cards``, ``summary_chart``,
``summary_tables``) and by the full Pin list (``pin_list``). Everything here is a plain value; the drawing is
``canvas.Canvas``'s.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from pinviewer.core import palette

if TYPE_CHECKING:
    from pinviewer.render.canvas import Canvas

# --------------------------------------------------------------------------------------------- colours
INK = QColor("#1f2933")
MUTED = QColor("#4b5663")
FAINT = QColor("#66717e")  # small print; still 4.8:1 on white
RULE = QColor("#d5dbe1")
GRID = QColor("#e6eaee")
SHADE = QColor("#eef1f4")
BLUE = QColor(palette.METRIC_COLOURS["outbound_clicks"])  # the window's colours (core/palette.py)
ORANGE = QColor(palette.METRIC_COLOURS["saves"])
GREEN = QColor(palette.METRIC_COLOURS["key_events"])  # conversions, and "up"
SKY = QColor(palette.METRIC_COLOURS["sessions"])
GREY = QColor("#aab4be")  # impressions
VERMILLION = QColor("#D55E00")  # "down"
LIGHT_BLUE = QColor("#9ccbe8")  # Pin clicks: on Pinterest, short of the site


def tint(colour: QColor, strength: float) -> QColor:
    """The colour mixed with white: opaque, so paper and printers need no transparency."""
    return QColor(round(255 - (255 - colour.red()) * strength), round(255 - (255 - colour.green()) * strength),
                  round(255 - (255 - colour.blue()) * strength))


METRIC_COLOURS = {"outbound_clicks": BLUE, "saves": ORANGE, "key_events": GREEN, "sessions": SKY,
                  "impressions": GREY, "pin_clicks": LIGHT_BLUE,
                  "outbound_click_rate": BLUE, "save_rate": ORANGE}

FONT_FAMILIES = ["DejaVu Sans", "Noto Sans", "Segoe UI", "Helvetica Neue", "Arial"]

# ------------------------------------------------------------------------------------------ the sheet
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 44.0, 40.0, 34.0  # points

LEFT = int(Qt.AlignmentFlag.AlignLeft.value)
RIGHT = int(Qt.AlignmentFlag.AlignRight.value)
HCENTER = int(Qt.AlignmentFlag.AlignHCenter.value)
TOP = int(Qt.AlignmentFlag.AlignTop.value)
VCENTER = int(Qt.AlignmentFlag.AlignVCenter.value)
BASE = int(Qt.AlignmentFlag.AlignBottom.value)
WRAP = int(Qt.TextFlag.TextWordWrap.value)


def tr(text: str) -> str:
    """The paper's words in the user's language (one translation context for every page and block)."""
    return QCoreApplication.translate("SummaryPage", text)


def content_box(painter: QPainter, page_rect: QRectF) -> tuple[float, QPointF, float, float]:
    """Device units per point, and the origin, width and height (points) of the sheet inside the margins."""
    u = painter.device().logicalDpiY() / 72.0
    origin = QPointF(page_rect.x() + MARGIN_X * u, page_rect.y() + MARGIN_TOP * u)
    width = page_rect.width() / u - 2 * MARGIN_X
    height = page_rect.height() / u - MARGIN_TOP - MARGIN_BOTTOM
    return u, origin, width, height


class SummaryFonts:
    """The summary page's type scale, in points, from one canvas (its fonts are cached there)."""

    def __init__(self, c: Canvas):
        self.kicker = c.font(7.2, True)
        self.title = c.font(20, True)
        self.subtitle = c.font(10.5)
        self.heading = c.font(11.5, True)
        self.caption = c.font(7.5)
        self.label = c.font(8.5, True)
        self.note = c.font(7.2)
        self.value = c.font(21, True)
        self.change = c.font(8.2, True)
        self.body = c.font(9.3)
        self.table = c.font(8.3)
        self.table_bold = c.font(8.3, True)
        self.small = c.font(7)
        self.axis = c.font(6.8)
