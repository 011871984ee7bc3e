"""The one-page summary, painted with QPainter: the same function fills a PDF page and a printer page.

``paint_summary(painter, page_rect, report)`` lays the page out in points (1/72 inch) and converts them to
the device's units, so a 1200-dpi PDF writer, a 600-dpi printer and a 110-dpi preview image get the same
page. Everything is a vector or real text: the chart is drawn from the data (not a widget grab), text stays
selectable and searchable, and the fonts are embedded by Qt's PDF engine.

The layout measures itself first (a dry run) and gives the chart what is left of the page; if even the
smallest chart does not fit (a narrow paper, long sentences), the whole page is drawn a little smaller, so
nothing is ever cut off at the edges.

This module keeps the page's order and the header, context, "what changed" and footnote; the blocks are drawn
by ``summary_cards``, ``summary_chart`` and ``summary_tables``, on a ``canvas.Canvas`` with ``look``'s colours
and fonts. The optional full Pin list on the pages after it is ``pin_list``'s.
"""
from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from pinviewer.core.report import Report
from pinviewer.core.wording import format_date
from pinviewer.render.canvas import Canvas
from pinviewer.render.look import (BLUE, FAINT, INK, LEFT, MUTED, RIGHT, RULE, TOP, WRAP, SummaryFonts,
                                   content_box, tr)
from pinviewer.render.summary_cards import paint_cards
from pinviewer.render.summary_chart import paint_chart
from pinviewer.render.summary_tables import paint_funnel, paint_posts, paint_top_pins

CHART_MIN, CHART_MAX = 105.0, 250.0


class SummaryPage:
    """Lays the summary out top to bottom; every block returns the height it took."""

    def __init__(self, canvas: Canvas, report: Report, width: float, height: float):
        self.c = canvas
        self.r = report
        self.w = width  # content width, points
        self.h = height  # content height, points
        self.boxes: dict[str, tuple[float, float, float, float]] = {}  # where each block went (x, y, w, h)
        self.f = SummaryFonts(canvas)

    # ---------------------------------------------------------------- whole page
    def paint(self, chart_height: float, extra: float = 0.0) -> float:
        """Draws the flowing blocks from the top and the footnote at the bottom; returns the flow's height.

        ``extra`` points of spare room are shared out between the sections, so a short page breathes evenly.
        """
        y = 0.0
        blocks = (("header", 0.0, lambda y: self.header(y)),
                  ("cards", 16.0, lambda y: paint_cards(self, y)),
                  ("context", 9.0, lambda y: self.context(y)),
                  ("chart", 20.0 + extra, lambda y: paint_chart(self, y, chart_height)),
                  ("changes", 18.0 + extra, lambda y: self.changes(y)),
                  ("columns", 18.0 + extra, lambda y: self.columns(y)),
                  ("posts", 16.0 + extra, lambda y: paint_posts(self, y)))
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
        return 8 + self.c.wrapped_height(text, self.f.small, self.w) if text else 0.0

    # ---------------------------------------------------------------- header
    def header(self, y: float) -> float:
        c, r = self.c, self.r
        top = y
        made = tr("Made on {day} with PinViewer").format(day=format_date(r.made_on))
        c.text(0, y, self.w, 12, tr("PINTEREST SUMMARY"), self.f.kicker, BLUE)
        c.text(0, y, self.w, 12, made, self.f.caption, FAINT, RIGHT | TOP)
        y += c.line_height(self.f.caption) + 5
        font = self.f.title
        for size in (18.5, 17, 15.5):  # a long profile name: a smaller title before an elided one
            if c.width(r.title, font) <= self.w:
                break
            font = c.font(size, True)
        height = c.wrapped_height(r.title, font, self.w)  # still too long: it wraps, never elided
        c.text(0, y, self.w, height + 2, r.title, font, INK, LEFT | TOP | WRAP)
        y += max(height, c.line_height(self.f.title)) + 1
        compared = r.compared_text()  # '' when nothing could be compared: no comparison is claimed
        subtitle = f"{r.period_text}, {compared}" if compared else r.period_text
        height = c.wrapped_height(subtitle, self.f.subtitle, self.w)
        c.text(0, y, self.w, height + 2, subtitle, self.f.subtitle, MUTED, LEFT | TOP | WRAP)
        y += height + 9
        c.fill(0, y, self.w, 1.6, BLUE)
        return y + 1.6 - top

    # ---------------------------------------------------------------- context (the cards: summary_cards)
    def context(self, y: float) -> float:
        text = self.r.context  # built in core (Qt-free), like the sentences and notes
        if not text:
            return 0.0
        h = self.c.wrapped_height(text, self.f.caption, self.w)
        self.c.text(0, y, self.w, h + 2, text, self.f.caption, MUTED, LEFT | TOP | WRAP)
        return h

    # ---------------------------------------------------------------- what changed
    def changes(self, y: float) -> float:
        c = self.c
        top = y
        c.text(0, y, self.w, 18, tr("What changed"), self.f.heading, INK)
        y += c.line_height(self.f.heading) + 5
        indent = 11.0
        lh = c.line_height(self.f.body)
        for sentence in self.r.sentences:
            h = c.wrapped_height(sentence, self.f.body, self.w - indent)
            c.dot(3, y + lh / 2, 1.7, BLUE)
            c.text(indent, y, self.w - indent, h + 2, sentence, self.f.body, INK, LEFT | TOP | WRAP)
            y += h + 3.5
        return y - 3.5 - top

    # ---------------------------------------------------------------- funnel | top Pins
    def columns(self, y: float) -> float:
        left_w = round(self.w * 0.36)
        gap = 26.0
        left = paint_funnel(self, 0, y, left_w)
        right = paint_top_pins(self, left_w + gap, y, self.w - left_w - gap)
        self.boxes["funnel"] = (0.0, y, left_w, left)
        self.boxes["pins"] = (left_w + gap, y, self.w - left_w - gap, right)
        return max(left, right)

    # ---------------------------------------------------------------- footnote
    def _footnote(self) -> str:
        return " ".join(self.r.notes)

    def footer(self, y: float) -> None:
        text = self._footnote()
        if not text:
            return
        c = self.c
        c.line(0, y, self.w, y, RULE, 0.6)
        h = c.wrapped_height(text, self.f.small, self.w)
        c.text(0, y + 6, self.w, h + 2, text, self.f.small, FAINT, LEFT | TOP | WRAP)


# ------------------------------------------------------------------------------------------ public
def paint_summary(painter: QPainter, page_rect: QRectF, report: Report) -> dict[str, QRectF]:
    """Draws the summary page into ``page_rect`` (the sheet, in the painter's coordinates).

    Returns where each block went, in the painter's coordinates (header, cards, context, chart, plot,
    changes, columns, funnel, pins, posts, footer): tests look for ink there, a preview could link to them.
    """
    page_rect = QRectF(page_rect)
    _, origin, width, height = content_box(painter, page_rect)
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


__all__ = ["CHART_MAX", "CHART_MIN", "SummaryPage", "paint_summary"]
