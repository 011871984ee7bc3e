"""The summary page's figure cards: one per headline figure, side by side under the title.

Each card is as wide as its widest line needs and the room left is shared out; a figure never gets elided
(a compact value, then a smaller font), and labels and notes wrap at words.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from pinviewer.core.report import Card
from pinviewer.render.canvas import Canvas
from pinviewer.render.look import (FAINT, GREEN, GREY, INK, LEFT, METRIC_COLOURS, MUTED, TOP, VERMILLION,
                                   SummaryFonts, tint, tr)

if TYPE_CHECKING:
    from pinviewer.render.summary_page import SummaryPage

CARD_GAP = 14.0  # points between two cards


def paint_cards(page: SummaryPage, y: float) -> float:
    """The row of cards from ``y``; returns the height of the tallest."""
    cards = page.r.cards
    widths = card_widths(page.c, page.f, cards, page.w - CARD_GAP * (len(cards) - 1))
    heights, x = [], 0.0
    for card, width in zip(cards, widths):
        heights.append(paint_card(page.c, page.f, x, y, width, card))
        x += width + CARD_GAP
    return max(heights)


def card_widths(c: Canvas, f: SummaryFonts, cards: list[Card], room: float) -> list[float]:
    """Each card as wide as its widest line needs (the longest word of a wrapped line, the compact value),
    the room left shared out evenly."""
    natural = []
    for card in cards:
        words = [*tr(card.label).split(), *tr(card.note).split(), *card.previous_text().split()]
        natural.append(max([c.width(word, f.note) for word in words]
                           + [c.width(tr(card.label), f.label), c.width(card.value_text(), f.value),
                              c.width(card.change_text(), f.change) + 10, 60.0]))
    spare = room - sum(natural)
    if spare >= 0:
        return [n + spare / len(cards) for n in natural]
    return [room / len(cards)] * len(cards)  # too narrow for everything: equal widths, text wraps or shrinks


def paint_card(c: Canvas, f: SummaryFonts, x: float, y: float, w: float, card: Card) -> float:
    """One card: its colour bar, label, note, figure, change and what it is compared with; returns its height."""
    top = y
    greyed = card.greyed or card.value is None
    colour = METRIC_COLOURS.get(card.metric, GREY)
    if card.kind == "rate":
        colour = tint(colour, 0.45)
    if card.greyed:
        colour = tint(colour, 0.3)
    c.fill(x, y, w, 3, colour, 1)
    y += 8
    y += c.wrapped(x, y, w, tr(card.label), f.label, INK if not card.greyed else MUTED)
    y += c.wrapped(x, y, w, tr(card.note), f.note, FAINT) + 2
    value = card.value_text()
    if c.width(value, f.value) > w:  # 103,456,789 -> 103.5M; still too wide: a smaller font
        value = card.value_text(compact=True)
    font = c.fitting_font(value, 21, True, w)
    c.text(x, y, w, 30, value, font, FAINT if greyed else INK, LEFT | TOP)
    y += c.line_height(f.value)
    y += _change_line(c, f, x, y, w, card)
    y += c.wrapped(x, y, w, card.previous_text(), f.note, FAINT)
    if card.cover_note and card.cover_note != card.previous_text():  # the days it really counts
        y += c.wrapped(x, y, w, card.cover_note, f.note, FAINT)
    return y - top


def _change_line(c: Canvas, f: SummaryFonts, x: float, y: float, w: float, card: Card) -> float:
    """The change, after an arrow up, down or level; returns its height (0 when nothing was compared)."""
    change = card.change_text()
    if not change:
        return 0.0
    direction = card.direction
    size = 6.2
    lh = c.line_height(f.change)
    offset = 0.0
    if direction is not None:
        shade = GREEN if direction > 0 else VERMILLION if direction < 0 else FAINT
        c.arrow(x, y + (lh - size) / 2 + 0.3, size, direction, shade)
        offset = size + 3.5
    font = c.fitting_font(change, 8.2, True, w - offset)
    c.text(x + offset, y, w - offset, lh + 2, change, font, INK)
    return lh
