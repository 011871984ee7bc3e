"""Numbers and dates as a person reads them, in their locale.

Counts are exact (1,284) unless space is tight, where they are shortened (246k) and the exact value goes in
the tooltip. Rates keep the precision that tells them apart: 0.52%, 1.3%, 12%. A change is shown with an
arrow and a sign, never by colour alone.
"""
from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from pinviewer.core import wording

UP, DOWN, FLAT = wording.UP, wording.DOWN, wording.FLAT
DASH = wording.NO_FIGURE
RANGE = wording.EN_DASH  # between two dates


def tr(text: str) -> str:
    return QCoreApplication.translate("Numbers", text)


_locale: QLocale | None = None


def locale() -> QLocale:
    """The user's locale (read once); "no preference" (LANG=C) reads like English."""
    global _locale
    if _locale is None:
        loc = QLocale()
        if loc.language() == QLocale.Language.C:
            loc = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
        _locale = loc
    return _locale


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def count(value) -> str:
    """An exact count: 1,284."""
    if missing(value):
        return DASH
    return locale().toString(int(round(float(value))))


def short(value) -> str:
    """A count shortened where space is tight: 950, 12.3k, 246k, 1.2M."""
    if missing(value):
        return DASH
    v = float(value)
    loc = locale()
    size = abs(v)
    if size < 10_000:
        return loc.toString(int(round(v)))
    for limit, unit in ((1e9, tr("B")), (1e6, tr("M")), (1e3, tr("k"))):
        if size >= limit:
            scaled = v / limit
            digits = 1 if abs(scaled) < 100 else 0
            text = loc.toString(scaled, "f", digits)
            if digits and text.endswith(loc.decimalPoint() + "0"):
                text = text[: -2]
            return text + unit
    return loc.toString(int(round(v)))


def axis_count(value, top) -> str:
    """A tick label: the unit (k, M) chosen by the axis' largest tick so that all ticks share it."""
    loc = locale()
    if value == 0:
        return "0"
    for limit, unit in ((1e6, tr("M")), (1e3, tr("k"))):
        if top >= 10 * limit:
            scaled = value / limit
            digits = 0 if float(scaled).is_integer() else 1
            return loc.toString(scaled, "f", digits) + unit
    return loc.toString(int(round(value)))


def money(value, currency: str | None = None) -> str:
    """An amount in the user's locale, with the profile's currency when it has one: '1.234,50 €'."""
    if missing(value):
        return DASH
    if currency:
        return locale().toCurrencyString(float(value), wording.CURRENCY_SYMBOLS.get(currency.upper(),
                                                                                     currency.upper()))
    return locale().toString(float(value), "f", 2)


def percent(fraction, digits: int | None = None) -> str:
    """A rate stored as a fraction: 0.0052 -> 0.52%, 0.013 -> 1.3%, 0.12 -> 12%."""
    if missing(fraction):
        return DASH
    value = 100 * float(fraction)
    if digits is None:
        size = abs(value)
        digits = 2 if size < 1 else 1 if size < 10 else 0
    return locale().toString(value, "f", digits) + "%"


def relative_change(fraction) -> str:
    """A relative change: ▲ 18%, ▼ 2.5%, ● 0%."""
    if missing(fraction):
        return ""
    value = 100 * float(fraction)
    size = abs(value)
    digits = 1 if size < 10 else 0
    if round(size, digits) == 0:
        return f"{FLAT} 0%"
    shown = locale().toString(size, "f", digits)
    return f"{UP if value > 0 else DOWN} {shown}%"


def change_text(change) -> str:
    """A compared change as the paper writes it, in the user's locale, after its arrow: '▲ +18%', '● −2%',
    '▼ −0.03 pts', '▲ new' (``core.period_summary.Change``; its one rule decides the arrow)."""
    if change is None or not change.compared:
        return ""
    arrow = wording.arrow(change.direction)
    loc = locale()
    if change.kind == "rate":
        points = change.points
        digits = wording.point_digits(change.now, change.before)
        if round(abs(points), digits) == 0:
            return f"{arrow} \u00b10 " + tr("pts")
        return f"{arrow} {_sign(points)}{loc.toString(abs(points), 'f', digits)} " + tr("pts")
    if change.before == 0:
        return f"{arrow} " + (tr("new") if change.now > 0 else "\u00b10%")
    fraction = change.fraction
    digits = wording.change_digits(fraction)
    if round(abs(fraction) * 100, digits) == 0:
        return f"{arrow} \u00b10%"
    return f"{arrow} {_sign(fraction)}{loc.toString(abs(fraction) * 100, 'f', digits)}%"


def _sign(value: float) -> str:
    return wording.MINUS if value < 0 else "+"


def point_change(current, previous) -> str:
    """A change between two rates in percentage points: ▲ 0.05 pts."""
    if missing(current) or missing(previous):
        return ""
    points = 100 * (float(current) - float(previous))
    size = abs(points)
    digits = 2 if size < 1 else 1
    if round(size, digits) == 0:
        return f"{FLAT} 0 " + tr("pts")
    shown = locale().toString(size, "f", digits)
    return f"{UP if points > 0 else DOWN} {shown} " + tr("pts")


def direction(current, previous) -> int:
    """+1 up, -1 down, 0 flat or unknown."""
    if missing(current) or missing(previous) or current == previous:
        return 0
    return 1 if current > previous else -1


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def day(day: dt.date, with_year: bool = True) -> str:
    """3 Nov 2026 (locale order and month names)."""
    loc = locale()
    # the locale's short format has numbers only; build a friendlier one with the short month name
    d_first = _day_first()
    pattern = ("d MMM" if d_first else "MMM d") + (" yyyy" if with_year else "")
    if not d_first and with_year:
        pattern = "MMM d, yyyy"
    return loc.toString(qdate(day), pattern)


def weekday_day(value: dt.date) -> str:
    return locale().toString(qdate(value), "ddd") + " " + day(value)


def _day_first() -> bool:
    fmt = locale().dateFormat(QLocale.FormatType.ShortFormat).lower()
    return fmt.find("d") < fmt.find("m")


def period(start: dt.date, end: dt.date) -> str:
    """3 – 22 Nov 2026, Oct 24 – Nov 22, 2026, 30 Dec 2025 – 5 Jan 2026 (locale order)."""
    if start == end:
        return day(start)
    if start.year == end.year and start.month == end.month:
        loc = locale()
        if _day_first():
            return f"{start.day} {RANGE} {day(end)}"
        return f"{loc.toString(qdate(start), 'MMM d')} {RANGE} {end.day}, {end.year}"
    if start.year == end.year:
        return f"{day(start, with_year=False)} {RANGE} {day(end)}"
    return f"{day(start)} {RANGE} {day(end)}"


def by_count(n: int, one: str, many: str, **values) -> str:
    """The window's count sentence: ``one``/``many`` are translated templates with {n} (shown with the locale's digit
    grouping) and any other ``values``. Core and the command line use ``core.wording.plural``."""
    return (one if n == 1 else many).format(n=locale().toString(int(n)), **values)


def bold_choices(text: str) -> str:
    """Core's sentences write what to choose in Pinterest between asterisks (*Saves*): bold in the window."""
    import re

    return re.sub(r"\*([^*]+)\*", r"<b>\1</b>", text)
