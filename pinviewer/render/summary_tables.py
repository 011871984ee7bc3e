"""The summary page's lower blocks: the funnel "from seen to sold", the Pins that bring visitors and the posts
Pinterest sends readers to.

Figures are written whole (a funnel step's value compact only when its line is tight); Pin titles and post
addresses are elided to their column (the full Pin list, ``pin_list``, has room for them).
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from pinviewer.core import wording
from pinviewer.core.wording import NO_FIGURE as DASH
from pinviewer.core.wording import format_count, format_money, format_period, format_rate
from pinviewer.render.canvas import Canvas
from pinviewer.render.look import (BASE, FAINT, GREY, GRID, INK, LEFT, METRIC_COLOURS, MUTED, RIGHT, RULE, TOP, WRAP,
                                   SummaryFonts, tr)

if TYPE_CHECKING:
    from pinviewer.render.summary_page import SummaryPage

RATE_W = 32.0  # the funnel's column of step rates, points
ROW_PAD = 3.2  # points between two table rows, on top of the line height


# ---------------------------------------------------------------------------------------- the funnel
def paint_funnel(page: SummaryPage, x: float, y: float, w: float) -> float:
    """Each step of the funnel with its figure, its share of the step before and a bar (log scale)."""
    c, f, r = page.c, page.f, page.r
    top = y
    c.text(x, y, w, 18, tr("From seen to sold"), f.heading, INK)
    y += c.line_height(f.heading)
    c.text(x, y, w, 10, tr("each step, and its share of the step before"), f.caption, FAINT)
    y += c.line_height(f.caption) + 6
    steps = r.funnel
    if not steps:
        text = tr("No figures yet for this period.")
        c.text(x, y, w, 14, text, f.table, FAINT)
        return y + c.line_height(f.table) - top
    largest = max(s["value"] for s in steps) or 1
    for step in steps:
        y = _funnel_step(c, f, x, y, w, step, largest)
    if r.revenue is not None:
        text = tr("Revenue from these visits: {amount}").format(amount=format_money(r.revenue, r.currency))
        y += c.wrapped(x, y, w, text, f.table, INK) + 6
    return y - 6 - top


def _funnel_step(c: Canvas, f: SummaryFonts, x: float, y: float, w: float, step: dict[str, Any],
                 largest: float) -> float:
    """One step: label, figure and rate on a line, its bar under it; returns where the next step starts."""
    lh = c.line_height(f.table)
    rate = format_rate(step["rate"]) if step["rate"] is not None else ""
    value = format_count(step["value"])
    label = tr(step["label"])
    if c.width(label, f.table) + c.width(value, f.table_bold) + 6 > w - RATE_W:
        value = wording.format_compact(step["value"])  # tight: 103.5k, exact in summary --json
    value_w = c.width(value, f.table_bold)
    label_w = w - RATE_W - value_w - 6
    font = c.fitting_font(label, 8.3, False, label_w)
    shade = MUTED if step.get("greyed") else INK
    c.text(x, y, label_w, lh + 2, label, font, shade)
    c.text(x, y, w - RATE_W, lh + 2, value, f.table_bold, shade, RIGHT | TOP)
    c.text(x + w - RATE_W, y, RATE_W, lh + 2, rate, f.caption, FAINT, RIGHT | TOP)
    y += lh + 1.5
    # widths on a log scale: the steps span four orders of magnitude; the numbers are printed
    share = _log_share(step["value"], largest)
    c.fill(x, y, max((w - RATE_W) * share, 1.5), 5.5, METRIC_COLOURS.get(step["metric"], GREY), 1.2)
    y += 5.5 + 6
    return y


def _log_share(value: float, largest: float) -> float:
    if value is None or value <= 0 or largest <= 0:
        return 0.0
    if largest <= 1:
        return 1.0
    return 0.06 + 0.94 * math.log10(max(value, 1)) / math.log10(largest)


# -------------------------------------------------------------------------------------- the top Pins
def paint_top_pins(page: SummaryPage, x: float, y: float, w: float) -> float:
    """The heading, what the figures cover, and the top Pins by outbound clicks (or what to import)."""
    c, f, r = page.c, page.f, page.r
    top = y
    c.text(x, y, w, 18, tr("Pins that bring visitors"), f.heading, INK)
    y += c.line_height(f.heading)
    caption = tr("Top {n} by outbound clicks").format(n=len(r.top_pins)) if r.top_pins else ""
    if r.pins_cover is not None and r.pins_cover != r.period:
        caption += tr(" \u00b7 figures for {period}").format(period=format_period(r.pins_cover))
    c.text(x, y, w, 10, c.elide(caption, f.caption, w), f.caption, FAINT)
    y += c.line_height(f.caption) + 6
    if not r.top_pins:
        text = tr("No Pin figures for this period yet. Import a top-Pins export from Pinterest Analytics "
                  "to see which Pins bring visitors.")
        h = c.wrapped_height(text, f.table, w)
        c.text(x, y, w, h + 2, text, f.table, MUTED, LEFT | TOP | WRAP)
        return y + h - top
    return _pins_table(c, f, x, y, w, r.top_pins) - top


def _pins_table(c: Canvas, f: SummaryFonts, x: float, y: float, w: float, pins: list[dict[str, Any]]) -> float:
    """Rank, title (elided), outbound clicks, saves and click rate, under two-line column heads; returns where
    the table ends."""
    columns = [(tr("Outbound\nclicks"), 46.0), (tr("Saves"), 38.0), (tr("Outbound\nclick rate"), 48.0)]
    numbers_w = sum(cw for _, cw in columns)
    rank_w = 13.0
    title_w = w - numbers_w - rank_w - 6
    head_h = 2 * c.line_height(f.small)
    c.text(x + rank_w, y, title_w, head_h, tr("Pin"), f.small, FAINT, LEFT | BASE)
    cx = x + w - numbers_w
    for label, cw in columns:
        c.text(cx, y, cw, head_h, label, f.small, FAINT, RIGHT | BASE)
        cx += cw
    y += head_h + 2
    c.line(x, y, x + w, y, RULE, 0.6)
    pitch = c.line_height(f.table) + ROW_PAD
    for i, pin in enumerate(pins, start=1):
        ty = y + 1.6
        c.text(x, ty, rank_w, pitch, str(i), f.small, FAINT, LEFT | TOP)
        c.text(x + rank_w, ty, title_w, pitch, c.elide(pin["title"], f.table, title_w), f.table, INK)
        cx = x + w - numbers_w
        cells = (format_count(pin["outbound_clicks"]), format_count(pin["saves"]),
                 format_rate(pin["outbound_click_rate"]))
        for (label, cw), cell in zip(columns, cells):
            font = f.table_bold if label == columns[0][0] else f.table
            c.text(cx, ty, cw, pitch, cell, font, INK, RIGHT | TOP)
            cx += cw
        y += pitch
        if i < len(pins):
            c.line(x + rank_w, y, x + w, y, GRID, 0.5)
    return y


# ------------------------------------------------------------------------------------------ the posts
def paint_posts(page: SummaryPage, y: float) -> float:
    """The posts Pinterest sends readers to, with their Pins, outbound clicks, and visits and conversions
    (saves when Google Analytics has no figures for them)."""
    c, f, r, width = page.c, page.f, page.r, page.w
    top = y
    c.text(0, y, width, 18, tr("Posts Pinterest sends readers to"), f.heading, INK)
    y += c.line_height(f.heading) + 3
    if not r.top_posts:
        text = tr("No posts yet: they appear when your Pins link to your site.")
        c.text(0, y, width, 14, text, f.table, MUTED)
        return y + c.line_height(f.table) - top
    columns = _post_columns(r.top_posts)
    numbers_w = sum(cw for _, _, cw in columns)
    url_w = width - numbers_w - 8
    head_h = c.line_height(f.small)
    c.text(0, y, url_w, head_h, tr("Post"), f.small, FAINT)
    cx = width - numbers_w
    for _, label, cw in columns:
        c.text(cx, y, cw, head_h, label, f.small, FAINT, RIGHT | TOP)
        cx += cw
    y += head_h + 2
    c.line(0, y, width, y, RULE, 0.6)
    pitch = c.line_height(f.table) + ROW_PAD
    for i, post in enumerate(r.top_posts, start=1):
        ty = y + 1.6
        c.text(0, ty, url_w, pitch, c.elide(post["label"], f.table, url_w), f.table, INK)
        cx = width - numbers_w
        for key, _, cw in columns:
            cell = format_count(post.get(key))
            c.text(cx, ty, cw, pitch, cell, f.table, INK if cell != DASH else FAINT, RIGHT | TOP)
            cx += cw
        y += pitch
        if i < len(r.top_posts):
            c.line(0, y, width, y, GRID, 0.5)
    return y - top


def _post_columns(posts: list[dict[str, Any]]) -> list[tuple[str, str, float]]:
    """The posts table's figure columns: (key, heading, width in points)."""
    columns = [("pins", tr("Pins"), 40.0), ("outbound_clicks", tr("Outbound clicks"), 74.0)]
    site = [("sessions", tr("Visits"), 56.0), ("key_events", tr("Conversions"), 68.0)]
    if any(post.get(key) is not None for post in posts for key, _, _ in site):
        columns += site
    else:  # no Google Analytics figures for these posts: saves say more than a column of dashes
        columns.append(("saves", tr("Saves"), 56.0))
    return columns
