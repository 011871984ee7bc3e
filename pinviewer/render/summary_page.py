"""The one-page summary, painted with QPainter: the same function fills a PDF page and a printer page.

``paint_summary(painter, page_rect, report)`` lays the page out in points (1/72 inch) and converts them to
the device's units, so a 1200-dpi PDF writer, a 600-dpi printer and a 110-dpi preview image get the same
page. Everything is a vector or real text: the chart is drawn from the data (not a widget grab), text stays
selectable and searchable, and the fonts are embedded by Qt's PDF engine.

The layout measures itself first (a dry run) and gives the chart what is left of the page; if even the
smallest chart does not fit (a narrow paper, long sentences), the whole page is drawn a little smaller, so
nothing is ever cut off at the edges.

``pin_list_pages`` and ``paint_pin_list`` draw the optional full Pin list on the pages after it.
"""
from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from pinviewer.core import wording
from pinviewer.core.metrics import COLOURS
from pinviewer.core.report import Card, Report
from pinviewer.core.wording import NO_FIGURE as DASH
from pinviewer.core.wording import (format_count, format_date, format_money, format_month, format_period,
                                    format_rate, format_short_date, plural)
from pinviewer.render.text import paintable

# --------------------------------------------------------------------------------------------- the look
INK = QColor("#1f2933")
MUTED = QColor("#4b5663")
FAINT = QColor("#66717e")  # small print; still 4.8:1 on white
RULE = QColor("#d5dbe1")
GRID = QColor("#e6eaee")
SHADE = QColor("#eef1f4")
BLUE = QColor(COLOURS["outbound_clicks"])  # the window's colours (core/metrics.py)
ORANGE = QColor(COLOURS["saves"])
GREEN = QColor(COLOURS["key_events"])  # conversions, and "up"
SKY = QColor(COLOURS["sessions"])
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

MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 44.0, 40.0, 34.0  # points
CHART_MIN, CHART_MAX = 105.0, 250.0
MAX_LIST_ROWS = 1000  # the full Pin list stops here (about 20 pages) and says how many more there are

_LEFT = int(Qt.AlignmentFlag.AlignLeft.value)
_RIGHT = int(Qt.AlignmentFlag.AlignRight.value)
_HCENTER = int(Qt.AlignmentFlag.AlignHCenter.value)
_TOP = int(Qt.AlignmentFlag.AlignTop.value)
_VCENTER = int(Qt.AlignmentFlag.AlignVCenter.value)
_BASE = int(Qt.AlignmentFlag.AlignBottom.value)
_WRAP = int(Qt.TextFlag.TextWordWrap.value)


def tr(text: str) -> str:
    return QCoreApplication.translate("SummaryPage", text)


# ------------------------------------------------------------------------------------------- the canvas
class Canvas:
    """Draws in points from an origin; converts to device units. With ``dry`` set it only measures."""

    def __init__(self, painter: QPainter, origin: QPointF, scale: float = 1.0, dry: bool = False):
        self.p = painter
        self.device = painter.device()
        self.k = scale
        self.u = self.device.logicalDpiY() / 72.0 * scale  # device units per layout point
        self.ox, self.oy = origin.x(), origin.y()
        self.dry = dry
        self._fonts: dict = {}
        self._metrics: dict = {}

    # fonts
    def font(self, size: float, bold: bool = False, spacing: float = 0.0) -> QFont:
        key = (size, bold, spacing)
        font = self._fonts.get(key)
        if font is None:
            font = QFont()
            fallback = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()
            font.setFamilies(FONT_FAMILIES + [fallback])
            font.setPointSizeF(size * self.k)
            font.setWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            # No "fi"/"fl" ligatures: a PDF reader would find "ﬁgures" but not the word typed. (Not with
            # QFont.setFeature: PySide6 6.12 drops a reference to None on each call, and Python 3.11 aborts.)
            font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
            if spacing:  # a percentage: absolute spacing is taken in different units by different devices
                font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 100.0 + spacing)
            self._fonts[key] = font
        return font

    def fm(self, font: QFont) -> QFontMetricsF:
        key = id(font)
        metrics = self._metrics.get(key)
        if metrics is None:
            metrics = self._metrics[key] = QFontMetricsF(font, self.device)
        return metrics

    def line_height(self, font: QFont) -> float:
        return self.fm(font).height() / self.u

    def ascent(self, font: QFont) -> float:
        return self.fm(font).ascent() / self.u

    def width(self, text: str, font: QFont) -> float:
        return self.fm(font).horizontalAdvance(text) / self.u

    def elide(self, text: str, font: QFont, width: float) -> str:
        return self.fm(font).elidedText(paintable(text), Qt.TextElideMode.ElideRight, max(width, 0) * self.u)

    def wrapped_height(self, text: str, font: QFont, width: float) -> float:
        box = self.fm(font).boundingRect(QRectF(0, 0, width * self.u, 1e9), _LEFT | _TOP | _WRAP, text)
        return box.height() / self.u

    # geometry
    def pt(self, x: float, y: float) -> QPointF:
        return QPointF(self.ox + x * self.u, self.oy + y * self.u)

    def rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF(self.ox + x * self.u, self.oy + y * self.u, w * self.u, h * self.u)

    # drawing
    def text(self, x, y, w, h, text, font, colour, flags=_LEFT | _TOP) -> None:
        if self.dry or not text:
            return
        self.p.setFont(font)
        self.p.setPen(QPen(colour))
        # no bidi overrides, no controls; the page's own line breaks (two-line column heads) stay: the text of a
        # title or a cell reaches here through elide() or core's wording, which make any newline in it a space
        self.p.drawText(self.rect(x, y, w, h), flags, "\n".join(paintable(line) for line in text.split("\n")))

    def fill(self, x, y, w, h, colour, radius: float = 0.0) -> None:
        if self.dry or w <= 0 or h <= 0:
            return
        self.p.setPen(Qt.PenStyle.NoPen)
        self.p.setBrush(QBrush(colour))
        if radius:
            self.p.drawRoundedRect(self.rect(x, y, w, h), radius * self.u, radius * self.u)
        else:
            self.p.drawRect(self.rect(x, y, w, h))
        self.p.setBrush(Qt.BrushStyle.NoBrush)

    def pen(self, colour: QColor, width: float, style=Qt.PenStyle.SolidLine) -> QPen:
        pen = QPen(colour, width * self.u, style)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def line(self, x1, y1, x2, y2, colour, width=0.5, style=Qt.PenStyle.SolidLine) -> None:
        if self.dry:
            return
        pen = self.pen(colour, width, style)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        self.p.setPen(pen)
        self.p.drawLine(self.pt(x1, y1), self.pt(x2, y2))

    def polyline(self, points: list[tuple[float, float]], colour: QColor, width: float) -> None:
        if self.dry or len(points) < 2:
            return
        path = QPainterPath(self.pt(*points[0]))
        for x, y in points[1:]:
            path.lineTo(self.pt(x, y))
        self.p.setPen(self.pen(colour, width))
        self.p.setBrush(Qt.BrushStyle.NoBrush)
        self.p.drawPath(path)

    def dot(self, x, y, radius, colour) -> None:
        if self.dry:
            return
        self.p.setPen(Qt.PenStyle.NoPen)
        self.p.setBrush(QBrush(colour))
        self.p.drawEllipse(self.pt(x, y), radius * self.u, radius * self.u)
        self.p.setBrush(Qt.BrushStyle.NoBrush)

    def arrow(self, x, y, size, direction: int, colour: QColor) -> None:
        """A filled triangle pointing up (1) or down (-1), or a short bar (0), in a size x size box at x, y."""
        if self.dry:
            return
        self.p.setPen(Qt.PenStyle.NoPen)
        self.p.setBrush(QBrush(colour))
        if direction > 0:
            shape = [(x, y + size), (x + size, y + size), (x + size / 2, y + size * 0.1)]
        elif direction < 0:
            shape = [(x, y), (x + size, y), (x + size / 2, y + size * 0.9)]
        else:
            self.p.drawRect(self.rect(x, y + size * 0.4, size, size * 0.2))
            self.p.setBrush(Qt.BrushStyle.NoBrush)
            return
        self.p.drawPolygon(QPolygonF([self.pt(a, b) for a, b in shape]))
        self.p.setBrush(Qt.BrushStyle.NoBrush)


# ------------------------------------------------------------------------------------------- the page
class SummaryPage:
    """Lays the summary out top to bottom; every block returns the height it took."""

    def __init__(self, canvas: Canvas, report: Report, width: float, height: float):
        self.c = canvas
        self.r = report
        self.w = width  # content width, points
        self.h = height  # content height, points
        self.boxes: dict[str, tuple[float, float, float, float]] = {}  # where each block went (x, y, w, h)
        c = canvas
        self.f_kicker = c.font(7.2, True)
        self.f_title = c.font(20, True)
        self.f_subtitle = c.font(10.5)
        self.f_heading = c.font(11.5, True)
        self.f_caption = c.font(7.5)
        self.f_label = c.font(8.5, True)
        self.f_note = c.font(7.2)
        self.f_value = c.font(21, True)
        self.f_change = c.font(8.2, True)
        self.f_body = c.font(9.3)
        self.f_table = c.font(8.3)
        self.f_table_bold = c.font(8.3, True)
        self.f_small = c.font(7)
        self.f_axis = c.font(6.8)

    # ---------------------------------------------------------------- whole page
    def paint(self, chart_height: float, extra: float = 0.0) -> float:
        """Draws the flowing blocks from the top and the footnote at the bottom; returns the flow's height.

        ``extra`` points of spare room are shared out between the sections, so a short page breathes evenly.
        """
        y = 0.0
        blocks = (("header", 0.0, lambda y: self.header(y)),
                  ("cards", 16.0, lambda y: self.cards(y)),
                  ("context", 9.0, lambda y: self.context(y)),
                  ("chart", 20.0 + extra, lambda y: self.chart(y, chart_height)),
                  ("changes", 18.0 + extra, lambda y: self.changes(y)),
                  ("columns", 18.0 + extra, lambda y: self.columns(y)),
                  ("posts", 16.0 + extra, lambda y: self.posts(y)))
        for name, gap, block in blocks:
            y += gap
            height = block(y)
            self.boxes.setdefault(name, (0.0, y, self.w, height))
            y += height
        footer = self.footer_height()
        self.footer(self.h - footer)
        self.boxes["footer"] = (0.0, self.h - footer, self.w, footer)
        return y

    def footer_height(self) -> float:
        text = self._footnote()
        return 8 + self.c.wrapped_height(text, self.f_small, self.w) if text else 0.0

    # ---------------------------------------------------------------- header
    def header(self, y: float) -> float:
        c, r = self.c, self.r
        top = y
        made = tr("Made on {day} with PinViewer").format(day=format_date(r.made_on))
        c.text(0, y, self.w, 12, tr("PINTEREST SUMMARY"), self.f_kicker, BLUE)
        c.text(0, y, self.w, 12, made, self.f_caption, FAINT, _RIGHT | _TOP)
        y += c.line_height(self.f_caption) + 5
        font = self.f_title
        for size in (18.5, 17, 15.5):  # a long profile name: a smaller title before an elided one
            if c.width(r.title, font) <= self.w:
                break
            font = c.font(size, True)
        height = c.wrapped_height(r.title, font, self.w)  # still too long: it wraps, never elided
        c.text(0, y, self.w, height + 2, r.title, font, INK, _LEFT | _TOP | _WRAP)
        y += max(height, c.line_height(self.f_title)) + 1
        compared = r.compared_text()  # '' when nothing could be compared: no comparison is claimed
        subtitle = f"{r.period_text}, {compared}" if compared else r.period_text
        height = c.wrapped_height(subtitle, self.f_subtitle, self.w)
        c.text(0, y, self.w, height + 2, subtitle, self.f_subtitle, MUTED, _LEFT | _TOP | _WRAP)
        y += height + 9
        c.fill(0, y, self.w, 1.6, BLUE)
        return y + 1.6 - top

    # ---------------------------------------------------------------- cards
    def cards(self, y: float) -> float:
        cards = self.r.cards
        gap = 14.0
        widths = self.card_widths(cards, self.w - gap * (len(cards) - 1))
        heights, x = [], 0.0
        for card, width in zip(cards, widths):
            heights.append(self.card(x, y, width, card))
            x += width + gap
        return max(heights)

    def card_widths(self, cards: list[Card], room: float) -> list[float]:
        """Each card as wide as its widest line needs (the longest word of a wrapped line, the compact value),
        the room left shared out evenly."""
        c = self.c
        natural = []
        for card in cards:
            words = [*tr(card.label).split(), *tr(card.note).split(), *card.previous_text().split()]
            natural.append(max([c.width(word, self.f_note) for word in words]
                               + [c.width(tr(card.label), self.f_label), c.width(card.value_text(), self.f_value),
                                  c.width(card.change_text(), self.f_change) + 10, 60.0]))
        spare = room - sum(natural)
        if spare >= 0:
            return [n + spare / len(cards) for n in natural]
        return [room / len(cards)] * len(cards)  # too narrow for everything: equal widths, text wraps or shrinks

    def fitting_font(self, text: str, font_size: float, bold: bool, width: float) -> QFont:
        """The font size at which ``text`` fits ``width`` (down to half the size), never elided."""
        c = self.c
        size = font_size
        font = c.font(size, bold)
        while c.width(text, font) > width and size > font_size / 2:
            size = round(size - 0.5, 2)
            font = c.font(size, bold)
        return font

    def wrapped(self, x: float, y: float, w: float, text: str, font: QFont, colour) -> float:
        """Text that wraps at words (a word wider than the card gets a smaller font); returns its height."""
        if not text:
            return 0.0
        c = self.c
        widest = max(text.split(), key=lambda word: c.width(word, font), default="")
        if c.width(widest, font) > w:
            font = self.fitting_font(widest, font.pointSizeF() / c.k, font.bold(), w)
        height = c.wrapped_height(text, font, w)
        c.text(x, y, w, height + 1, text, font, colour, _LEFT | _TOP | _WRAP)
        return height

    def card(self, x: float, y: float, w: float, card: Card) -> float:
        c = self.c
        top = y
        greyed = card.greyed or card.value is None
        colour = METRIC_COLOURS.get(card.metric, GREY)
        if card.kind == "rate":
            colour = tint(colour, 0.45)
        if card.greyed:
            colour = tint(colour, 0.3)
        c.fill(x, y, w, 3, colour, 1)
        y += 8
        y += self.wrapped(x, y, w, tr(card.label), self.f_label, INK if not card.greyed else MUTED)
        y += self.wrapped(x, y, w, tr(card.note), self.f_note, FAINT) + 2
        value = card.value_text()
        if c.width(value, self.f_value) > w:  # 103,456,789 -> 103.5M; still too wide: a smaller font
            value = card.value_text(compact=True)
        font = self.fitting_font(value, 21, True, w)
        c.text(x, y, w, 30, value, font, FAINT if greyed else INK, _LEFT | _TOP)
        y += c.line_height(self.f_value)
        change = card.change_text()
        direction = card.direction
        if change:
            size = 6.2
            lh = c.line_height(self.f_change)
            offset = 0.0
            if direction is not None:
                shade = GREEN if direction > 0 else VERMILLION if direction < 0 else FAINT
                c.arrow(x, y + (lh - size) / 2 + 0.3, size, direction, shade)
                offset = size + 3.5
            font = self.fitting_font(change, 8.2, True, w - offset)
            c.text(x + offset, y, w - offset, lh + 2, change, font, INK)
            y += lh
        y += self.wrapped(x, y, w, card.previous_text(), self.f_note, FAINT)
        if card.cover_note and card.cover_note != card.previous_text():  # the days it really counts
            y += self.wrapped(x, y, w, card.cover_note, self.f_note, FAINT)
        return y - top

    def context(self, y: float) -> float:
        text = self.r.context  # built in core (Qt-free), like the sentences and notes
        if not text:
            return 0.0
        h = self.c.wrapped_height(text, self.f_caption, self.w)
        self.c.text(0, y, self.w, h + 2, text, self.f_caption, MUTED, _LEFT | _TOP | _WRAP)
        return h

    # ---------------------------------------------------------------- chart
    def chart(self, y: float, height: float) -> float:
        c, series = self.c, self.r.series
        top = y
        heading = tr("Outbound clicks and saves per day")
        c.text(0, y, self.w, 18, heading, self.f_heading, INK)
        legend_w = self.legend(None, None, dry=True)
        heading_w = c.width(heading, self.f_heading)
        if heading_w + 16 + legend_w <= self.w:
            self.legend(self.w - legend_w, y + c.ascent(self.f_heading) - c.ascent(self.f_small))
            y += c.line_height(self.f_heading) + 8
        else:
            y += c.line_height(self.f_heading) + 2
            self.legend(0, y)
            y += c.line_height(self.f_small) + 8
        axis_h = c.line_height(self.f_axis) + 4
        plot_h = max(height - (y - top) - axis_h, 30)
        values = [row[k] for row in series for k in ("outbound_clicks", "saves", "outbound_clicks_avg7", "saves_avg7")
                  if row[k] is not None]
        ticks = nice_ticks(max(values)) if values else []
        tick_labels = [format_count(v) if ticks[-1] < 10_000 else wording.format_compact(v) for v in ticks]
        gutter = max([30.0] + [c.width(label, self.f_axis) + 6 for label in tick_labels])  # labels whole
        x0, x1 = gutter, self.w
        y0, y1 = y, y + plot_h
        self.boxes["plot"] = (x0, y0, x1 - x0, plot_h)
        n = len(series)
        if not values:
            c.fill(x0, y0, x1 - x0, plot_h, SHADE)
            c.text(x0, y0, x1 - x0, plot_h, tr("No daily figures for this period"), self.f_body, FAINT,
                   _HCENTER | _VCENTER)
            return y1 + axis_h - top
        top_value = ticks[-1] if ticks[-1] > 0 else 1

        def sx(i: float) -> float:
            return x0 + (i + 0.5) * (x1 - x0) / n

        def sy(v: float) -> float:
            return y1 - (v / top_value) * plot_h

        # provisional days, shaded behind everything
        step = (x1 - x0) / n
        runs = _runs([row["provisional"] for row in series])
        for start, stop in runs:
            c.fill(x0 + start * step, y0, (stop - start) * step, plot_h, SHADE)
        if runs:
            start = runs[-1][0]
            label = tr("still being counted")
            lw = c.width(label, self.f_axis)
            lx = min(max(x0 + start * step + 2, x0), x1 - lw - 2)
            c.text(lx, y0 + 1, lw + 2, 10, label, self.f_axis, FAINT)
        for v, label in zip(ticks, tick_labels):
            yy = sy(v)
            if v:
                c.line(x0, yy, x1, yy, GRID, 0.5)
            c.text(0, yy - 5, gutter - 6, 10, label, self.f_axis, FAINT, _RIGHT | _VCENTER)
        c.line(x0, y1, x1, y1, MUTED, 0.7)
        # day ticks and labels
        for i, label in day_labels([row["date"] for row in series]):
            xx = sx(i)
            c.line(xx, y1, xx, y1 + 2.5, MUTED, 0.5)
            lw = c.width(label, self.f_axis)
            lx = min(max(xx - lw / 2, x0 - 4), x1 - lw)
            c.text(lx, y1 + 3.5, lw + 1, 10, label, self.f_axis, FAINT)
        # the data: each day thin and light, the 7-day average thick
        for name, colour in (("saves", ORANGE), ("outbound_clicks", BLUE)):
            light = tint(colour, 0.42)
            for segment in _segments([row[name] for row in series]):
                points = [(sx(i), sy(v)) for i, v in segment]
                if len(points) == 1:
                    c.dot(points[0][0], points[0][1], 2.2 if n > 1 else 3.2, colour if n == 1 else light)
                else:
                    c.polyline(points, light, 0.8)
            for segment in _segments([row[name + "_avg7"] for row in series]):
                points = [(sx(i), sy(v)) for i, v in segment]
                if len(points) > 1:
                    c.polyline(points, colour, 2.1)
        return y1 + axis_h - top

    def legend(self, x, y, dry: bool = False) -> float:
        """Outbound clicks, saves, thin: each day, thick: 7-day average. Returns its width."""
        c, f = self.c, self.f_small
        items = [(BLUE, 2.1, tr("Outbound clicks")), (ORANGE, 2.1, tr("Saves")),
                 (MUTED, 0.8, tr("each day")), (MUTED, 2.1, tr("7-day average"))]
        swatch, gap, total = 12.0, 10.0, 0.0
        for colour, width, label in items:
            if not dry:
                mid = y + c.ascent(f) * 0.62
                line = tint(colour, 0.6) if width < 1 else colour
                c.line(x + total, mid, x + total + swatch, mid, line, width)
                c.text(x + total + swatch + 3, y, c.width(label, f) + 2, 10, label, f, MUTED)
            total += swatch + 3 + c.width(label, f) + gap
        return total - gap

    # ---------------------------------------------------------------- what changed
    def changes(self, y: float) -> float:
        c = self.c
        top = y
        c.text(0, y, self.w, 18, tr("What changed"), self.f_heading, INK)
        y += c.line_height(self.f_heading) + 5
        indent = 11.0
        lh = c.line_height(self.f_body)
        for sentence in self.r.sentences:
            h = c.wrapped_height(sentence, self.f_body, self.w - indent)
            c.dot(3, y + lh / 2, 1.7, BLUE)
            c.text(indent, y, self.w - indent, h + 2, sentence, self.f_body, INK, _LEFT | _TOP | _WRAP)
            y += h + 3.5
        return y - 3.5 - top

    # ---------------------------------------------------------------- funnel | top Pins
    def columns(self, y: float) -> float:
        left_w = round(self.w * 0.36)
        gap = 26.0
        left = self.funnel(0, y, left_w)
        right = self.top_pins(left_w + gap, y, self.w - left_w - gap)
        self.boxes["funnel"] = (0.0, y, left_w, left)
        self.boxes["pins"] = (left_w + gap, y, self.w - left_w - gap, right)
        return max(left, right)

    def funnel(self, x: float, y: float, w: float) -> float:
        c, r = self.c, self.r
        top = y
        c.text(x, y, w, 18, tr("From seen to sold"), self.f_heading, INK)
        y += c.line_height(self.f_heading)
        c.text(x, y, w, 10, tr("each step, and its share of the step before"), self.f_caption, FAINT)
        y += c.line_height(self.f_caption) + 6
        steps = r.funnel
        if not steps:
            text = tr("No figures yet for this period.")
            c.text(x, y, w, 14, text, self.f_table, FAINT)
            return y + c.line_height(self.f_table) - top
        largest = max(s["value"] for s in steps) or 1
        rate_w = 32.0
        lh = c.line_height(self.f_table)
        for step in steps:
            rate = format_rate(step["rate"]) if step["rate"] is not None else ""
            value = format_count(step["value"])
            label = tr(step["label"])
            if c.width(label, self.f_table) + c.width(value, self.f_table_bold) + 6 > w - rate_w:
                value = wording.format_compact(step["value"])  # tight: 103.5k, exact in summary --json
            value_w = c.width(value, self.f_table_bold)
            label_w = w - rate_w - value_w - 6
            font = self.fitting_font(label, 8.3, False, label_w)
            shade = MUTED if step.get("greyed") else INK
            c.text(x, y, label_w, lh + 2, label, font, shade)
            c.text(x, y, w - rate_w, lh + 2, value, self.f_table_bold, shade, _RIGHT | _TOP)
            c.text(x + w - rate_w, y, rate_w, lh + 2, rate, self.f_caption, FAINT, _RIGHT | _TOP)
            y += lh + 1.5
            # widths on a log scale: the steps span four orders of magnitude; the numbers are printed
            share = _log_share(step["value"], largest)
            c.fill(x, y, max((w - rate_w) * share, 1.5), 5.5, METRIC_COLOURS.get(step["metric"], GREY), 1.2)
            y += 5.5 + 6
        if r.revenue is not None:
            text = tr("Revenue from these visits: {amount}").format(amount=format_money(r.revenue, r.currency))
            y += self.wrapped(x, y, w, text, self.f_table, INK) + 6
        return y - 6 - top

    def top_pins(self, x: float, y: float, w: float) -> float:
        c, r = self.c, self.r
        top = y
        c.text(x, y, w, 18, tr("Pins that bring visitors"), self.f_heading, INK)
        y += c.line_height(self.f_heading)
        caption = tr("Top {n} by outbound clicks").format(n=len(r.top_pins)) if r.top_pins else ""
        if r.pins_cover is not None and r.pins_cover != r.period:
            caption += tr(" \u00b7 figures for {period}").format(period=format_period(r.pins_cover))
        c.text(x, y, w, 10, c.elide(caption, self.f_caption, w), self.f_caption, FAINT)
        y += c.line_height(self.f_caption) + 6
        if not r.top_pins:
            text = tr("No Pin figures for this period yet. Import a top-Pins export from Pinterest Analytics "
                      "to see which Pins bring visitors.")
            h = c.wrapped_height(text, self.f_table, w)
            c.text(x, y, w, h + 2, text, self.f_table, MUTED, _LEFT | _TOP | _WRAP)
            return y + h - top
        columns = [(tr("Outbound\nclicks"), 46.0), (tr("Saves"), 38.0), (tr("Outbound\nclick rate"), 48.0)]
        numbers_w = sum(cw for _, cw in columns)
        rank_w = 13.0
        title_w = w - numbers_w - rank_w - 6
        head_h = 2 * c.line_height(self.f_small)
        c.text(x + rank_w, y, title_w, head_h, tr("Pin"), self.f_small, FAINT, _LEFT | _BASE)
        cx = x + w - numbers_w
        for label, cw in columns:
            c.text(cx, y, cw, head_h, label, self.f_small, FAINT, _RIGHT | _BASE)
            cx += cw
        y += head_h + 2
        c.line(x, y, x + w, y, RULE, 0.6)
        pitch = c.line_height(self.f_table) + 3.2
        for i, pin in enumerate(r.top_pins, start=1):
            ty = y + 1.6
            c.text(x, ty, rank_w, pitch, str(i), self.f_small, FAINT, _LEFT | _TOP)
            c.text(x + rank_w, ty, title_w, pitch, c.elide(pin["title"], self.f_table, title_w), self.f_table, INK)
            cx = x + w - numbers_w
            cells = (format_count(pin["outbound_clicks"]), format_count(pin["saves"]),
                     format_rate(pin["outbound_click_rate"]))
            for (label, cw), cell in zip(columns, cells):
                font = self.f_table_bold if label == columns[0][0] else self.f_table
                c.text(cx, ty, cw, pitch, cell, font, INK, _RIGHT | _TOP)
                cx += cw
            y += pitch
            if i < len(r.top_pins):
                c.line(x + rank_w, y, x + w, y, GRID, 0.5)
        return y - top

    # ---------------------------------------------------------------- posts
    def posts(self, y: float) -> float:
        c, r = self.c, self.r
        top = y
        c.text(0, y, self.w, 18, tr("Posts Pinterest sends readers to"), self.f_heading, INK)
        y += c.line_height(self.f_heading) + 3
        if not r.top_posts:
            text = tr("No posts yet: they appear when your Pins link to your site.")
            c.text(0, y, self.w, 14, text, self.f_table, MUTED)
            return y + c.line_height(self.f_table) - top
        columns = [("pins", tr("Pins"), 40.0), ("outbound_clicks", tr("Outbound clicks"), 74.0)]
        site = [("sessions", tr("Visits"), 56.0), ("key_events", tr("Conversions"), 68.0)]
        if any(post.get(key) is not None for post in r.top_posts for key, _, _ in site):
            columns += site
        else:  # no Google Analytics figures for these posts: saves say more than a column of dashes
            columns.append(("saves", tr("Saves"), 56.0))
        numbers_w = sum(cw for _, _, cw in columns)
        url_w = self.w - numbers_w - 8
        head_h = c.line_height(self.f_small)
        c.text(0, y, url_w, head_h, tr("Post"), self.f_small, FAINT)
        cx = self.w - numbers_w
        for _, label, cw in columns:
            c.text(cx, y, cw, head_h, label, self.f_small, FAINT, _RIGHT | _TOP)
            cx += cw
        y += head_h + 2
        c.line(0, y, self.w, y, RULE, 0.6)
        pitch = c.line_height(self.f_table) + 3.2
        for i, post in enumerate(r.top_posts, start=1):
            ty = y + 1.6
            c.text(0, ty, url_w, pitch, c.elide(post["label"], self.f_table, url_w), self.f_table, INK)
            cx = self.w - numbers_w
            for key, _, cw in columns:
                cell = format_count(post.get(key))
                c.text(cx, ty, cw, pitch, cell, self.f_table, INK if cell != DASH else FAINT, _RIGHT | _TOP)
                cx += cw
            y += pitch
            if i < len(r.top_posts):
                c.line(0, y, self.w, y, GRID, 0.5)
        return y - top

    # ---------------------------------------------------------------- footnote
    def _footnote(self) -> str:
        return " ".join(self.r.notes)

    def footer(self, y: float) -> None:
        text = self._footnote()
        if not text:
            return
        c = self.c
        c.line(0, y, self.w, y, RULE, 0.6)
        h = c.wrapped_height(text, self.f_small, self.w)
        c.text(0, y + 6, self.w, h + 2, text, self.f_small, FAINT, _LEFT | _TOP | _WRAP)


# ----------------------------------------------------------------------------------------- helpers
def nice_ticks(largest: float, count: int = 4) -> list[float]:
    """0 and round steps up to at least ``largest``: 1,284 -> [0, 500, 1000, 1500]."""
    if largest <= 0 or not math.isfinite(largest):
        return [0.0, 1.0]
    raw = largest / count
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= raw:
            break
    if step < 1:
        step = 1.0
    top = math.ceil(largest / step - 1e-9) * step
    return [i * step for i in range(int(round(top / step)) + 1)]


def day_labels(days: list[dt.date]) -> list[tuple[int, str]]:
    """Which days of the x axis get a label: each day, each Monday, each month or each year."""
    n = len(days)
    if n == 0:
        return []
    if n <= 10:
        return [(i, format_short_date(d)) for i, d in enumerate(days)]
    if n <= 70:
        every = 1 if n <= 45 else 2
        mondays = [i for i, d in enumerate(days) if d.weekday() == 0]
        return [(i, format_short_date(days[i])) for i in mondays[::every]]
    if n <= 800:
        firsts = [i for i, d in enumerate(days) if d.day == 1]
        every = max(1, math.ceil(len(firsts) / 8))
        out, year = [], None
        for i in firsts[::every]:
            d = days[i]
            out.append((i, format_month(d, year=d.year != year, short=True)))  # the year where it changes
            year = d.year
        return out
    return [(i, str(d.year)) for i, d in enumerate(days) if d.month == 1 and d.day == 1]


def _segments(values: list[float | None]) -> list[list[tuple[int, float]]]:
    """Runs of known values: a day without figures breaks the line instead of drawing it to zero."""
    out: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for i, v in enumerate(values):
        if v is None:
            if current:
                out.append(current)
            current = []
        else:
            current.append((i, v))
    if current:
        out.append(current)
    return out


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    out, start = [], None
    for i, flag in enumerate(flags + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            out.append((start, i))
            start = None
    return out


def _log_share(value: float, largest: float) -> float:
    if value is None or value <= 0 or largest <= 0:
        return 0.0
    if largest <= 1:
        return 1.0
    return 0.06 + 0.94 * math.log10(max(value, 1)) / math.log10(largest)


def _content(painter: QPainter, page_rect: QRectF) -> tuple[float, QPointF, float, float]:
    u = painter.device().logicalDpiY() / 72.0
    origin = QPointF(page_rect.x() + MARGIN_X * u, page_rect.y() + MARGIN_TOP * u)
    width = page_rect.width() / u - 2 * MARGIN_X
    height = page_rect.height() / u - MARGIN_TOP - MARGIN_BOTTOM
    return u, origin, width, height


# ------------------------------------------------------------------------------------------ public
def paint_summary(painter: QPainter, page_rect: QRectF, report: Report) -> dict[str, QRectF]:
    """Draws the summary page into ``page_rect`` (the sheet, in the painter's coordinates).

    Returns where each block went, in the painter's coordinates (header, cards, context, chart, plot,
    changes, columns, funnel, pins, posts, footer): tests look for ink there, a preview could link to them.
    """
    page_rect = QRectF(page_rect)
    _, origin, width, height = _content(painter, page_rect)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    scale, chart, extra = 1.0, CHART_MAX, 0.0
    for _ in range(4):
        canvas = Canvas(painter, origin, scale, dry=True)
        page = SummaryPage(canvas, report, width / scale, height / scale)
        rest = page.paint(0.0) - page.boxes["chart"][3] + page.footer_height() + 12  # all but the chart
        room = page.h - rest
        if room >= CHART_MIN:
            chart = min(room, CHART_MAX)
            extra = min(max(room - chart, 0.0) / 5, 10.0)  # share what is left between the five gaps
            break
        scale *= max(0.6, (page.h - 2) / (rest + CHART_MIN)) * 0.995
        chart = CHART_MIN
    canvas = Canvas(painter, origin, scale)
    page = SummaryPage(canvas, report, width / scale, height / scale)
    page.paint(chart, extra)
    painter.restore()
    return {name: canvas.rect(*box) for name, box in page.boxes.items()}


class PinListPage:
    """The full Pin list, after the summary page: every Pin with figures in the period."""

    COLUMNS = (("#", 24.0, _LEFT), ("Pin", 0.0, _LEFT), ("Board", 92.0, _LEFT), ("Impressions", 60.0, _RIGHT),
               ("Outbound clicks", 66.0, _RIGHT), ("Saves", 44.0, _RIGHT), ("Click rate", 50.0, _RIGHT))

    def __init__(self, canvas: Canvas, report: Report, width: float, height: float):
        self.c, self.r, self.w, self.h = canvas, report, width, height
        self.f_head = canvas.font(7.5)
        self.f_heading = canvas.font(14, True)
        self.f_caption = canvas.font(8)
        self.f_row = canvas.font(8)
        self.f_small = canvas.font(7)
        self.pitch = canvas.line_height(self.f_row) + 3.4

    def header_height(self) -> float:
        c = self.c
        return (c.line_height(self.f_head) + 10 + c.line_height(self.f_heading) + c.line_height(self.f_caption) + 10
                + c.line_height(self.f_small) + 3)

    def rows_per_page(self) -> int:
        return max(1, int((self.h - self.header_height() - 24) // self.pitch))

    def paint(self, first: int, last: int, page: int, pages: int) -> None:
        c, r = self.c, self.r
        y = 0.0
        c.text(0, y, self.w, 12, c.elide(f"{r.title} \u00b7 {r.period_text}", self.f_head, self.w - 90),
               self.f_head, FAINT)
        c.text(0, y, self.w, 12, tr("Page {page} of {pages}").format(page=page, pages=pages), self.f_head, FAINT,
               _RIGHT | _TOP)
        y += c.line_height(self.f_head) + 10
        c.text(0, y, self.w, 20, tr("Every Pin, by outbound clicks"), self.f_heading, INK)
        y += c.line_height(self.f_heading)
        shown = min(len(r.all_pins), MAX_LIST_ROWS)
        caption = tr("{pins} with figures for {period}").format(
            pins=plural(len(r.all_pins), "Pin"), period=format_period(r.pins_cover or r.period))
        if first > 0:
            caption = tr("continued: Pins {a}\u2013{b}").format(a=f"{first + 1:,}", b=f"{last:,}")
        c.text(0, y, self.w, 12, c.elide(caption, self.f_caption, self.w), self.f_caption, MUTED)
        y += c.line_height(self.f_caption) + 10
        flex = self.w - sum(cw for _, cw, _ in self.COLUMNS)
        widths = [cw or flex for _, cw, _ in self.COLUMNS]
        x = 0.0
        for (label, _, align), cw in zip(self.COLUMNS, widths):
            pad = 6 if align == _LEFT and label != "#" else 0
            c.text(x, y, cw - pad, 10, tr(label), self.f_small, FAINT, align | _TOP)
            x += cw
        y += c.line_height(self.f_small) + 3
        c.line(0, y, self.w, y, RULE, 0.6)
        for index in range(first, last):
            pin = r.all_pins[index]
            if (index - first) % 2 == 1:
                c.fill(0, y, self.w, self.pitch, QColor("#f5f7f9"))
            cells = (str(index + 1), pin["title"], pin.get("board") or "", format_count(pin["impressions"]),
                     format_count(pin["outbound_clicks"]), format_count(pin["saves"]),
                     format_rate(pin["outbound_click_rate"]))
            x = 0.0
            for (label, _, align), cw, cell in zip(self.COLUMNS, widths, cells):
                pad = 6 if align == _LEFT and label != "#" else 0
                font = self.f_small if label == "#" else self.f_row
                colour = FAINT if label in ("#", "Board") else INK
                c.text(x, y + 1.7, cw - pad, self.pitch, c.elide(cell, font, cw - pad), font, colour, align | _TOP)
                x += cw
            y += self.pitch
        if last == shown and len(r.all_pins) > shown:
            more = len(r.all_pins) - shown
            c.text(0, y + 6, self.w, 12, tr("\u2026and {n} with fewer outbound clicks.").format(
                n=plural(more, "more Pin", "more Pins")), self.f_caption, MUTED)


def pin_list_pages(painter: QPainter, page_rect: QRectF, report: Report) -> list[tuple[int, int]]:
    """The rows (first, last) each page of the full Pin list holds; empty when there are no Pins."""
    _, origin, width, height = _content(painter, QRectF(page_rect))
    page = PinListPage(Canvas(painter, origin, dry=True), report, width, height)
    total = min(len(report.all_pins), MAX_LIST_ROWS)
    per = page.rows_per_page()
    return [(a, min(a + per, total)) for a in range(0, total, per)]


def paint_pin_list(painter: QPainter, page_rect: QRectF, report: Report, rows: tuple[int, int],
                   page: int, pages: int) -> None:
    """Draws one page of the full Pin list (``rows`` from ``pin_list_pages``)."""
    _, origin, width, height = _content(painter, QRectF(page_rect))
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    PinListPage(Canvas(painter, origin), report, width, height).paint(rows[0], rows[1], page, pages)
    painter.restore()
