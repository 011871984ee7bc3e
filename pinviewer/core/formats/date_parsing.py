"""Dates from text cells, each distinct text parsed once. One small function per rule.

Rules (each has its own test in tests/test_formats_coerce.py): ``2025-03-01``, ``2025/03/01``, ``20250301``,
``01.03.2025`` (day first, German style), ``03/01/2025`` and ``03-01-2025`` (order decided per column, see
``parse_dates`` and ``decide_order``), English month names (``Mar 1, 2025``, ``1 March 2025``: PinViewer's own
table, never the C library's), an optional time after the date, two-digit years (``25`` -> 2025).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from pinviewer.core import wording
from pinviewer.core.formats.cell_text import BLANK_SET, SEP, join_column

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DOTTED = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})\.?(?:[ ,].*)?")
_SLASHED = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T,].*)?")
_SLASHED_START = re.compile(r"\x1f\d{1,2}[/-]")  # where a _SLASHED match can start, in values each after \x1f
_NAMED_FORMATS = ("%Y-%m-%dT%H:%M:%S%z",)  # month names: wording.parse_english_date, never the C library's
MDY = "month/day/year"
DMY = "day/month/year"


@dataclass
class Dates:
    values: np.ndarray  # object: datetime.date, or None where blank or bad
    blank: np.ndarray  # bool
    bad: np.ndarray  # bool: text that is not a date
    order: str | None  # MDY or DMY when the column had slashed dates, else None
    reason: str = ""  # how the order was decided


def _year(text: str) -> int:
    y = int(text)
    return y + (2000 if y < 70 else 1900) if len(text) == 2 else y


def _make(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def parse_date(text: str, dayfirst: bool = False, date_format: str | None = None) -> dt.date | None:
    """One date; ``dayfirst`` decides 03/01/2025 (False: March 1). None when it is not a date."""
    t = str(text).strip()
    if not t:
        return None
    if date_format:
        try:
            return dt.datetime.strptime(t, date_format).date()
        except ValueError:
            return None
    m = _ISO.fullmatch(t)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]))
    m = _COMPACT.fullmatch(t)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]))
    m = _DOTTED.fullmatch(t)
    if m:
        return _make(_year(m[3]), int(m[2]), int(m[1]))
    m = _SLASHED.fullmatch(t)
    if m:
        a, b = int(m[1]), int(m[3])
        return _make(_year(m[4]), a, b) if not dayfirst else _make(_year(m[4]), b, a)
    named = wording.parse_english_date(t)  # 'Mar 1, 2025' under a German or French locale too
    if named is not None:
        return named
    for fmt in _NAMED_FORMATS:
        try:
            return dt.datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    return None


def _daily_steps(dates: list[dt.date | None]) -> int:
    """How many neighbours are one day apart (a daily table read in the right order has nearly all)."""
    days = [d for d in dates if d is not None]
    return sum(1 for x, y in zip(days, days[1:]) if abs((y - x).days) == 1)


def decide_order(texts: list[str], *, sequential: bool = False, default_dayfirst: bool = False) -> tuple[bool, str]:
    """Day first or month first for a column of slashed dates, using all its values.

    1. A first number above 12 anywhere means day first; a second number above 12 means month first (when
       both happen, the majority decides and the others become problems).
    2. Otherwise, for the row dates of a daily table (``sequential``), the order under which more neighbouring
       rows are one day apart wins (03/01, 03/02, 03/03 is March 1-3, not three months).
    3. Otherwise the default: month first (US) for Pinterest's English exports, day first when the column
       names are in another language (the caller passes ``default_dayfirst``).
    """
    pairs = []
    for t in texts:
        m = _SLASHED.fullmatch(t.strip())
        if m:
            pairs.append((int(m[1]), int(m[3])))
    if not pairs:
        return default_dayfirst, ""
    first_big = sum(1 for a, b in pairs if a > 12)
    second_big = sum(1 for a, b in pairs if b > 12)
    if first_big or second_big:
        if first_big >= second_big:
            return True, f"some dates start with a day above 12, so they are {DMY}"
        return False, f"some dates have a day above 12 in second place, so they are {MDY}"
    if sequential and len(pairs) > 1:
        mdy = _daily_steps([parse_date(t, False) for t in texts])
        dmy = _daily_steps([parse_date(t, True) for t in texts])
        if mdy != dmy:
            chosen = dmy > mdy
            return chosen, f"read as {DMY if chosen else MDY} the rows are consecutive days"
    return default_dayfirst, f"every date fits both orders; read as {DMY if default_dayfirst else MDY}"


def _column_format(first: list[str], dayfirst: bool) -> str | None:
    """A strptime format for a column whose first value is plain ('2025-03-01', '20250301', '01.03.2025'...)."""
    if not first:
        return None
    t = first[0]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
        return "%Y-%m-%d"
    if _COMPACT.fullmatch(t):
        return "%Y%m%d"
    if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", t):
        return "%d.%m.%Y"
    m = _SLASHED.fullmatch(t)
    if m and len(m[4]) == 4 and m.end(4) == len(t):
        sep = m[2]
        return f"%d{sep}%m{sep}%Y" if dayfirst else f"%m{sep}%d{sep}%Y"
    return None


_ISO_DAYS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:\x1f[0-9]{4}-[0-9]{2}-[0-9]{2})*")  # joined YYYY-MM-DD


def _iso_day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_dates(values: ArrayLike, *, dayfirst: bool | None = None, default_dayfirst: bool = False,
                sequential: bool = False,
                date_format: str | None = None) -> Dates:
    """A column of date text to ``datetime.date`` objects; each distinct text is parsed once.

    ``dayfirst``: force the order of slashed dates; None decides from the values (``decide_order``).
    ``sequential``: the column holds the row dates of a daily table (helps to decide the order).
    ``date_format``: a strptime format from a user mapping, used for every value.
    """
    text = np.asarray(values, dtype=object)
    if text.ndim == 0:
        text = text.reshape(1)
    # each distinct value once: made text as join_column makes a column (None/NaN get code -1: blank, as '' is)
    codes, uniques = pd.factorize(text, sort=False)
    try:
        uniques, _joined_text = join_column(np.asarray(uniques, dtype=object))
    except TypeError:  # not text: the whole column the usual way (which says so)
        text, _joined_text = join_column(values)
        codes, uniques = pd.factorize(text, sort=False)
    uniq = list(map(str.strip, uniques.tolist()))  # (every value is a str after join_column)
    order, reason = None, ""
    # a slashed date starts with one or two digits and a slash or dash: most columns have none to look at
    slashed = bool(_SLASHED_START.search(SEP + SEP.join(uniq))) and any(_SLASHED.fullmatch(u) for u in uniq)
    if date_format is None and dayfirst is None:
        if slashed:
            dayfirst, reason = decide_order(uniq, sequential=sequential, default_dayfirst=default_dayfirst)
        else:
            dayfirst = default_dayfirst
    if slashed and date_format is None:
        order = DMY if dayfirst else MDY
    parsed = np.empty(len(uniq) + 1, dtype=object)
    is_blank = np.array([u in BLANK_SET for u in uniq] + [True], dtype=bool)  # the last one: code -1 (missing)
    todo = np.flatnonzero(~is_blank[:-1])
    fmt = date_format or _column_format([uniq[i] for i in todo[:1]], bool(dayfirst))
    iso = fmt == "%Y-%m-%d" and date_format is None and len(todo) > 20 and SEP.join([uniq[i] for i in todo])
    if iso and _ISO_DAYS.fullmatch(iso) and not iso.startswith("0000") and "\x1f0000" not in iso:
        # every value YYYY-MM-DD: the day it names, or None (what the format, then parse_date, say; a year 0000
        # goes the pandas way, which fails on it)
        texts = [uniq[i] for i in todo]
        days: list[dt.date | None]
        try:
            days = list(map(dt.date.fromisoformat, texts))
        except ValueError:
            days = [_iso_day(t) for t in texts]
        parsed[todo] = np.array(days, dtype=object)
        todo = todo[:0]
    elif fmt and len(todo) > 20:
        # the column's format for every distinct value at once; values that do not fit are parsed one by one
        stamps = pd.to_datetime(pd.Series([uniq[i] for i in todo], dtype=object), format=fmt, errors="coerce")
        # pandas reads years a date cannot hold (0000, 10000...): those go one by one, and are said to be bad
        fits = (stamps.notna() & stamps.dt.year.between(dt.MINYEAR, dt.MAXYEAR)).to_numpy()
        parsed[todo[fits]] = pd.DatetimeIndex(stamps[fits]).date
        todo = todo[~fits] if date_format is None else todo[:0]
    for i in todo:
        parsed[i] = parse_date(uniq[i], bool(dayfirst), date_format)
    out = parsed[codes]
    blank = is_blank[codes]
    bad = np.asarray(pd.isna(parsed), dtype=bool)[codes] & ~blank  # per distinct value, then per row
    return Dates(out, blank, bad, order, reason)
