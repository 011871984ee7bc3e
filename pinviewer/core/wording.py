"""How PinViewer writes numbers, dates and changes in words: the one public home of these helpers in core.

The paper (``render/summary_page.py``), ``summary``, the report's sentences and the insights all write with
these, so a figure reads the same everywhere. Everything here is English and locale-proof: month names come
from PinViewer's own table, never from the C library (``%b``/``%B`` follow a German or French desktop once Qt
has started), and digits are grouped with a comma whatever the system locale says. The window writes numbers
in the user's locale through Qt (``gui/formatting.py``) but takes its precision and its words from here.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from typing_extensions import TypeIs  # typing.TypeIs from Python 3.13; only the type checker reads it

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
MONTHS_SHORT = tuple(m[:3] for m in MONTHS)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

NO_FIGURE = "\u2014"  # the one mark for "no figure" (an em dash)
MINUS = "\u2212"  # a real minus sign: the same width as "+" and unambiguous in print
EN_DASH = "\u2013"
UP, DOWN, FLAT = "\u25b2", "\u25bc", "\u25cf"  # ▲ ▼ ●: the arrows of a change, on screen and on paper
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}

# Currencies as a sentence writes them: a symbol before the amount, else the ISO code and a space.
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "\u20ac", "GBP": "\u00a3", "JPY": "\u00a5", "INR": "\u20b9",
                    "AUD": "A$", "CAD": "CA$", "NZD": "NZ$", "BRL": "R$", "KRW": "\u20a9", "MXN": "MX$"}
CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "JPY", "INR",
              "BRL", "MXN", "ZAR", "KRW")


def missing(value: object) -> TypeIs[None]:
    """None or NaN: a figure nobody gave (unknown is not zero). For the type checker: a figure that is not
    missing is a number (NaN is a float, so the True side does not narrow to None: only the False side is used)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


# ------------------------------------------------------------------------------------------------ numbers
def format_count(value: float | None) -> str:
    """1284.0 -> '1,284'; None -> the no-figure mark."""
    if missing(value):
        return NO_FIGURE
    return f"{int(round(value)):,}"


def format_compact(value: float | None) -> str:
    """A count where room is tight: 950, 9,999, 12.3k, 103.5k, 246k, 1.2M, 123M, 1.5B (exact below 10,000)."""
    if missing(value):
        return NO_FIGURE
    v = float(value)
    size = abs(v)
    if size < 10_000:
        return format_count(v)
    for limit, unit in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if size >= limit * 0.9995 or limit == 1e3:
            scaled = v / limit
            text = f"{scaled:.1f}" if abs(scaled) < 999.95 else f"{scaled:.0f}"
            if text.endswith(".0"):
                text = text[:-2]
            return text + unit
    return format_count(v)  # pragma: no cover


def format_money(value: float | None, currency: str | None = None) -> str:
    """1234.5 -> '1,234.50'; with a currency: '€1,234.50', 'CHF 1,234.50'."""
    if missing(value):
        return NO_FIGURE
    text = f"{abs(value):,.2f}"
    sign = MINUS if value < 0 else ""
    if not currency:
        return sign + text
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{currency.upper()} {text}"


def rate_decimals(percent: float) -> int:
    """Two significant digits, at most two decimals: 0.52%, 2.1%, 79%."""
    percent = abs(percent)
    if percent >= 10:
        return 0
    if percent >= 1:
        return 1
    return 2


def format_rate(value: float | None) -> str:
    """0.0052 -> '0.52%'; 0.021 -> '2.1%'; 0.794 -> '79%'."""
    if missing(value):
        return NO_FIGURE
    percent = value * 100
    if 0 < percent < 0.005:
        return "<0.01%"
    return f"{percent:.{rate_decimals(percent)}f}%"


def change_digits(fraction: float) -> int:
    """Decimals of a relative change: none from 1% up, one below (−0.4%)."""
    percent = abs(fraction * 100)
    return 0 if percent >= 1 or percent == 0 else 1


def _signed(text: str, negative: bool) -> str:
    return (MINUS if negative else "+") + text


def format_change(change: float | None) -> str:
    """A relative change: 0.18 -> '+18%', -0.004 -> '−0.4%'; None -> ''."""
    if missing(change):
        return ""
    percent = change * 100
    text = f"{abs(percent):,.{change_digits(change)}f}%"
    if text in ("0%", "0.0%"):
        return "\u00b10%"
    return _signed(text, percent < 0)


def point_digits(now: float, before: float) -> int:
    """The rate's own precision, or more when that would write a real change as '±0' (up to 3 decimals)."""
    digits = max(rate_decimals(now * 100), rate_decimals(before * 100))
    delta = abs(now - before) * 100
    while digits < 3 and delta and round(delta, digits) == 0:
        digits += 1
    return digits


def format_points(now: float | None, before: float | None) -> str:
    """The change of a rate in percentage points, with the precision of the rate: '+0.05 pts'."""
    if missing(now) or missing(before):
        return ""
    delta = (now - before) * 100
    text = f"{abs(delta):.{point_digits(now, before)}f}"
    if float(text) == 0:
        return "\u00b10 pts"
    return _signed(text, delta < 0) + " pts"


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 day', '1,284 days'; ``many`` defaults to ``one`` + 's'."""
    count = int(count)
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def number_word(n: int) -> str:
    return NUMBER_WORDS.get(n, f"{n:,}")


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# ------------------------------------------------------------------------------------------------- dates
def month_name(month: int, short: bool = False) -> str:
    return (MONTHS_SHORT if short else MONTHS)[month - 1]


def format_date(day: dt.date, year: bool = True) -> str:
    """'3 November 2026' (English month names from PinViewer's own table, whatever the system locale)."""
    return f"{day.day} {MONTHS[day.month - 1]}" + (f" {day.year}" if year else "")


def format_short_date(day: dt.date, year: bool = False) -> str:
    """'3 Nov' ('3 Nov 2026' with the year)."""
    return f"{day.day} {MONTHS_SHORT[day.month - 1]}" + (f" {day.year}" if year else "")


def format_month(day: dt.date, year: bool = True, short: bool = False) -> str:
    """'November 2026', 'Nov' ..."""
    return month_name(day.month, short) + (f" {day.year}" if year else "")


class Dated(Protocol):
    """Anything with ``start`` and ``end`` dates (``analysis.Period``)."""

    @property
    def start(self) -> dt.date: ...

    @property
    def end(self) -> dt.date: ...


def format_period(period: Dated) -> str:
    """'24 October – 22 November 2026'; within a month '3–22 November 2026'; one day: '22 November 2026'.

    ``period`` is anything with ``start`` and ``end`` dates (``analysis.Period``)."""
    start, end = period.start, period.end
    if start == end:
        return format_date(start)
    same_year = start.year == end.year
    if same_year and start.month == end.month:
        return f"{start.day}{EN_DASH}{format_date(end)}"
    return f"{format_date(start, year=not same_year)} {EN_DASH} {format_date(end)}"


def format_short_period(period: Dated) -> str:
    """'1 Sep – 30 Nov 2026', '3–22 Nov 2026', '30 Dec 2025 – 5 Jan 2026'."""
    start, end = period.start, period.end
    if start == end:
        return format_short_date(start, year=True)
    if start.year == end.year and start.month == end.month:
        return f"{start.day}{EN_DASH}{format_short_date(end, year=True)}"
    return f"{format_short_date(start, year=start.year != end.year)} {EN_DASH} {format_short_date(end, year=True)}"


_MONTH_NUMBER: dict[str, int] = {}
for _i, _name in enumerate(MONTHS, start=1):
    _MONTH_NUMBER[_name.lower()] = _i
    _MONTH_NUMBER[_name[:3].lower()] = _i
_MONTH_NUMBER["sept"] = 9
_WEEKDAY = "|".join([w.lower() for w in WEEKDAYS] + [w[:3].lower() for w in WEEKDAYS])
_MONTH = "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True))
_MONTH_FIRST = re.compile(rf"(?:(?:{_WEEKDAY}),?\s+)?({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})")
_DAY_FIRST = re.compile(rf"(?:(?:{_WEEKDAY}),?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?[\s-]+({_MONTH})\.?,?[\s-]+"
                        rf"(\d{{4}}|\d{{2}})")


def parse_english_date(text: str) -> dt.date | None:
    """'Mar 1, 2025', 'March 1 2025', 'Sat, Mar 1, 2025', '1 Mar 2025', '01-Mar-25' -> a date (None if not one).

    English month names from PinViewer's own table: the same answer under any system locale."""
    t = " ".join(str(text).strip().lower().split())
    m = _MONTH_FIRST.fullmatch(t)
    if m:
        month, day, year = _MONTH_NUMBER[m[1]], int(m[2]), int(m[3])
    else:
        m = _DAY_FIRST.fullmatch(t)
        if not m:
            return None
        day, month, digits = int(m[1]), _MONTH_NUMBER[m[2]], m[3]
        year = int(digits) + (2000 if int(digits) < 70 else 1900) if len(digits) == 2 else int(digits)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# ------------------------------------------------------------------------------------------------- words
def shorten(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,.;:-\u2013|") + "\u2026"


TITLE_IN_SENTENCE = 42  # characters of a Pin title quoted in a sentence


def quote(title: str, limit: int = TITLE_IN_SENTENCE) -> str:
    return f"\u201c{shorten(title, limit)}\u201d"


def names(titles: list[str]) -> str:
    """'“A”', '“A” and “B”', '“A”, “B” and “C”'."""
    quoted = [quote(t) for t in titles]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def join_words(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def post_label(url: object) -> str:
    """An address without its scheme: 'example-blog.com/lemon-chicken'."""
    text = str(url)
    for prefix in ("https://", "http://"):
        if text.startswith(prefix):
            text = text[len(prefix):]
    return text or "/"


CHANGE_WORDS = {1: "rose", -1: "fell", 0: "held steady"}
ARROWS = {1: UP, -1: DOWN, 0: FLAT}


def change_word(direction: int | None, rise: str = "rose", fall: str = "fell") -> str:
    """The verb of a change decided by the counting-noise test: rose, fell, held steady ('' when not compared)."""
    if direction is None:
        return ""
    return rise if direction > 0 else fall if direction < 0 else "held steady"


def arrow(direction: int | None) -> str:
    return "" if direction is None else ARROWS[direction]


__all__ = ["ARROWS", "CURRENCIES", "CURRENCY_SYMBOLS", "DOWN", "FLAT", "MINUS", "MONTHS", "MONTHS_SHORT",
           "NO_FIGURE", "UP", "arrow", "change_digits", "change_word", "format_change", "format_compact",
           "format_count", "format_date", "format_money", "format_month", "format_period", "format_points",
           "format_rate", "format_short_date", "format_short_period", "join_words", "missing", "month_name",
           "names", "number_word", "ordinal", "parse_english_date", "plural", "point_digits", "post_label", "quote",
           "rate_decimals", "shorten"]
