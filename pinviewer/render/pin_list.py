"""The full Pin list, on the pages after the summary: every Pin with figures in the period, by outbound clicks.

``pin_list_pages`` says which rows each page holds (at most ``MAX_LIST_ROWS`` in all), ``paint_pin_list`` draws
one page of them.
"""
from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter

from pinviewer.core.report import Report
from pinviewer.core.wording import format_count, format_period, format_rate, plural
from pinviewer.render.canvas import Canvas
from pinviewer.render.look import FAINT, INK, LEFT, MUTED, RIGHT, RULE, TOP, content_box, tr

MAX_LIST_ROWS = 1000  # the full Pin list stops here (about 20 pages) and says how many more there are


class PinListPage:
    """The full Pin list, after the summary page: every Pin with figures in the period."""

    COLUMNS = (("#", 24.0, LEFT), ("Pin", 0.0, LEFT), ("Board", 92.0, LEFT), ("Impressions", 60.0, RIGHT),
               ("Outbound clicks", 66.0, RIGHT), ("Saves", 44.0, RIGHT), ("Click rate", 50.0, RIGHT))

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
        """Rows ``first`` to ``last`` (exclusive) as page ``page`` of ``pages``."""
        r = self.r
        y = self.heading(first, last, page, pages)
        flex = self.w - sum(cw for _, cw, _ in self.COLUMNS)
        widths = [cw or flex for _, cw, _ in self.COLUMNS]
        y = self.column_heads(y, widths)
        for index in range(first, last):
            y = self.row(y, index, index - first, widths)
        shown = min(len(r.all_pins), MAX_LIST_ROWS)
        if last == shown and len(r.all_pins) > shown:
            more = len(r.all_pins) - shown
            self.c.text(0, y + 6, self.w, 12, tr("\u2026and {n} with fewer outbound clicks.").format(
                n=plural(more, "more Pin", "more Pins")), self.f_caption, MUTED)

    def heading(self, first: int, last: int, page: int, pages: int) -> float:
        """The running head (title, period, page number), the heading and its caption; returns where the table
        starts."""
        c, r = self.c, self.r
        y = 0.0
        c.text(0, y, self.w, 12, c.elide(f"{r.title} \u00b7 {r.period_text}", self.f_head, self.w - 90),
               self.f_head, FAINT)
        c.text(0, y, self.w, 12, tr("Page {page} of {pages}").format(page=page, pages=pages), self.f_head, FAINT,
               RIGHT | TOP)
        y += c.line_height(self.f_head) + 10
        c.text(0, y, self.w, 20, tr("Every Pin, by outbound clicks"), self.f_heading, INK)
        y += c.line_height(self.f_heading)
        caption = tr("{pins} with figures for {period}").format(
            pins=plural(len(r.all_pins), "Pin"), period=format_period(r.pins_cover or r.period))
        if first > 0:
            caption = tr("continued: Pins {a}\u2013{b}").format(a=f"{first + 1:,}", b=f"{last:,}")
        c.text(0, y, self.w, 12, c.elide(caption, self.f_caption, self.w), self.f_caption, MUTED)
        y += c.line_height(self.f_caption) + 10
        return y

    def column_heads(self, y: float, widths: list[float]) -> float:
        """The column heads and the rule under them; returns where the first row starts."""
        c = self.c
        x = 0.0
        for (label, _, align), cw in zip(self.COLUMNS, widths):
            pad = 6 if align == LEFT and label != "#" else 0
            c.text(x, y, cw - pad, 10, tr(label), self.f_small, FAINT, align | TOP)
            x += cw
        y += c.line_height(self.f_small) + 3
        c.line(0, y, self.w, y, RULE, 0.6)
        return y

    def row(self, y: float, index: int, nth: int, widths: list[float]) -> float:
        """Pin ``index`` (the ``nth`` row of this page: every second one shaded); returns where the next starts."""
        c = self.c
        pin = self.r.all_pins[index]
        if nth % 2 == 1:
            c.fill(0, y, self.w, self.pitch, QColor("#f5f7f9"))
        cells = (str(index + 1), pin["title"], pin.get("board") or "", format_count(pin["impressions"]),
                 format_count(pin["outbound_clicks"]), format_count(pin["saves"]),
                 format_rate(pin["outbound_click_rate"]))
        x = 0.0
        for (label, _, align), cw, cell in zip(self.COLUMNS, widths, cells):
            pad = 6 if align == LEFT and label != "#" else 0
            font = self.f_small if label == "#" else self.f_row
            colour = FAINT if label in ("#", "Board") else INK
            c.text(x, y + 1.7, cw - pad, self.pitch, c.elide(cell, font, cw - pad), font, colour, align | TOP)
            x += cw
        return y + self.pitch


def pin_list_pages(painter: QPainter, page_rect: QRectF, report: Report) -> list[tuple[int, int]]:
    """The rows (first, last) each page of the full Pin list holds; empty when there are no Pins."""
    _, origin, width, height = content_box(painter, QRectF(page_rect))
    page = PinListPage(Canvas(painter, origin, dry=True), report, width, height)
    total = min(len(report.all_pins), MAX_LIST_ROWS)
    per = page.rows_per_page()
    return [(a, min(a + per, total)) for a in range(0, total, per)]


def paint_pin_list(painter: QPainter, page_rect: QRectF, report: Report, rows: tuple[int, int],
                   page: int, pages: int) -> None:
    """Draws one page of the full Pin list (``rows`` from ``pin_list_pages``)."""
    _, origin, width, height = content_box(painter, QRectF(page_rect))
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    PinListPage(Canvas(painter, origin), report, width, height).paint(rows[0], rows[1], page, pages)
    painter.restore()


__all__ = ["MAX_LIST_ROWS", "paint_pin_list", "pin_list_pages"]
