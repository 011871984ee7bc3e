"""The summary page's trend chart: outbound clicks and saves per day, drawn from the data (never a widget grab).

Each day is a thin light line, the 7-day average a thick one; days still being counted are shaded, a day
without figures breaks the line instead of drawing it to zero. The value axis has round steps
(``nice_ticks``), the day axis labels days, Mondays, months or years by the period's length (``day_labels``).
"""
from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from pinviewer.core import wording
from pinviewer.core.wording import format_count, format_month, format_short_date
from pinviewer.render.canvas import Canvas
from pinviewer.render.look import (BLUE, FAINT, GRID, HCENTER, INK, MUTED, ORANGE, RIGHT, SHADE, VCENTER,
                                   SummaryFonts, tint, tr)

if TYPE_CHECKING:
    from pinviewer.render.summary_page import SummaryPage

SERIES_KEYS = ("outbound_clicks", "saves", "outbound_clicks_avg7", "saves_avg7")


class Plot:
    """The plot area in points (``x0``..``x1`` across, ``y0``..``y1`` down, ``n`` days) and where a day and a
    value go in it."""

    def __init__(self, x0: float, x1: float, y0: float, plot_h: float, n: int, top_value: float = 1.0):
        self.x0, self.x1, self.y0, self.h = x0, x1, y0, plot_h
        self.y1 = y0 + plot_h
        self.n = n
        self.top_value = top_value

    def sx(self, i: float) -> float:
        return self.x0 + (i + 0.5) * (self.x1 - self.x0) / self.n

    def sy(self, v: float) -> float:
        return self.y1 - (v / self.top_value) * self.h


def paint_chart(page: SummaryPage, y: float, height: float) -> float:
    """The heading, the legend and the plot with its axes, ``height`` points in all (the plot gets what the
    heading and the day axis leave); returns the height taken. Records the plot's box as ``plot``."""
    c, f, series = page.c, page.f, page.r.series
    top = y
    y = _heading(c, f, page.w, y)
    axis_h = c.line_height(f.axis) + 4
    plot_h = max(height - (y - top) - axis_h, 30)
    values = [row[k] for row in series for k in SERIES_KEYS if row[k] is not None]
    ticks = nice_ticks(max(values)) if values else []
    tick_labels = [format_count(v) if ticks[-1] < 10_000 else wording.format_compact(v) for v in ticks]
    gutter = max([30.0] + [c.width(label, f.axis) + 6 for label in tick_labels])  # labels whole
    plot = Plot(gutter, page.w, y, plot_h, len(series))
    page.boxes["plot"] = (plot.x0, plot.y0, plot.x1 - plot.x0, plot_h)
    if not values:
        c.fill(plot.x0, plot.y0, plot.x1 - plot.x0, plot_h, SHADE)
        c.text(plot.x0, plot.y0, plot.x1 - plot.x0, plot_h, tr("No daily figures for this period"), f.body, FAINT,
               HCENTER | VCENTER)
        return plot.y1 + axis_h - top
    plot.top_value = ticks[-1] if ticks[-1] > 0 else 1
    _provisional(c, f, plot, [row["provisional"] for row in series])
    _value_axis(c, f, plot, ticks, tick_labels, gutter)
    _day_axis(c, f, plot, [row["date"] for row in series])
    _lines(c, plot, series)
    return plot.y1 + axis_h - top


def _heading(c: Canvas, f: SummaryFonts, width: float, y: float) -> float:
    """The chart's heading, with the legend beside it (or under it when both do not fit); returns where the
    plot starts."""
    heading = tr("Outbound clicks and saves per day")
    c.text(0, y, width, 18, heading, f.heading, INK)
    legend_w = legend(c, f, None, None, dry=True)
    heading_w = c.width(heading, f.heading)
    if heading_w + 16 + legend_w <= width:
        legend(c, f, width - legend_w, y + c.ascent(f.heading) - c.ascent(f.small))
        return y + (c.line_height(f.heading) + 8)
    y += c.line_height(f.heading) + 2
    legend(c, f, 0, y)
    return y + (c.line_height(f.small) + 8)


def legend(c: Canvas, f: SummaryFonts, x, y, dry: bool = False) -> float:
    """Outbound clicks, saves, thin: each day, thick: 7-day average. Returns its width."""
    font = f.small
    items = [(BLUE, 2.1, tr("Outbound clicks")), (ORANGE, 2.1, tr("Saves")),
             (MUTED, 0.8, tr("each day")), (MUTED, 2.1, tr("7-day average"))]
    swatch, gap, total = 12.0, 10.0, 0.0
    for colour, width, label in items:
        if not dry:
            mid = y + c.ascent(font) * 0.62
            line = tint(colour, 0.6) if width < 1 else colour
            c.line(x + total, mid, x + total + swatch, mid, line, width)
            c.text(x + total + swatch + 3, y, c.width(label, font) + 2, 10, label, font, MUTED)
        total += swatch + 3 + c.width(label, font) + gap
    return total - gap


def _provisional(c: Canvas, f: SummaryFonts, plot: Plot, flags: list[bool]) -> None:
    """Days still being counted, shaded behind everything, the last run labelled."""
    step = (plot.x1 - plot.x0) / plot.n
    runs = _runs(flags)
    for start, stop in runs:
        c.fill(plot.x0 + start * step, plot.y0, (stop - start) * step, plot.h, SHADE)
    if runs:
        start = runs[-1][0]
        label = tr("still being counted")
        lw = c.width(label, f.axis)
        lx = min(max(plot.x0 + start * step + 2, plot.x0), plot.x1 - lw - 2)
        c.text(lx, plot.y0 + 1, lw + 2, 10, label, f.axis, FAINT)


def _value_axis(c: Canvas, f: SummaryFonts, plot: Plot, ticks: list[float], labels: list[str],
                gutter: float) -> None:
    """Grid lines at the round steps, their labels in the gutter, and the baseline."""
    for v, label in zip(ticks, labels):
        yy = plot.sy(v)
        if v:
            c.line(plot.x0, yy, plot.x1, yy, GRID, 0.5)
        c.text(0, yy - 5, gutter - 6, 10, label, f.axis, FAINT, RIGHT | VCENTER)
    c.line(plot.x0, plot.y1, plot.x1, plot.y1, MUTED, 0.7)


def _day_axis(c: Canvas, f: SummaryFonts, plot: Plot, days: list[dt.date]) -> None:
    """Ticks under the baseline and the day labels, each kept inside the plot's width."""
    for i, label in day_labels(days):
        xx = plot.sx(i)
        c.line(xx, plot.y1, xx, plot.y1 + 2.5, MUTED, 0.5)
        lw = c.width(label, f.axis)
        lx = min(max(xx - lw / 2, plot.x0 - 4), plot.x1 - lw)
        c.text(lx, plot.y1 + 3.5, lw + 1, 10, label, f.axis, FAINT)


def _lines(c: Canvas, plot: Plot, series: list[dict]) -> None:
    """The data: each day thin and light (a lone day a dot), the 7-day average thick; saves under clicks."""
    n = plot.n
    for name, colour in (("saves", ORANGE), ("outbound_clicks", BLUE)):
        light = tint(colour, 0.42)
        for segment in _segments([row[name] for row in series]):
            points = [(plot.sx(i), plot.sy(v)) for i, v in segment]
            if len(points) == 1:
                c.dot(points[0][0], points[0][1], 2.2 if n > 1 else 3.2, colour if n == 1 else light)
            else:
                c.polyline(points, light, 0.8)
        for segment in _segments([row[name + "_avg7"] for row in series]):
            points = [(plot.sx(i), plot.sy(v)) for i, v in segment]
            if len(points) > 1:
                c.polyline(points, colour, 2.1)


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
    """The runs of true flags, as (first, past the last) index pairs."""
    out, start = [], None
    for i, flag in enumerate(flags + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            out.append((start, i))
            start = None
    return out
