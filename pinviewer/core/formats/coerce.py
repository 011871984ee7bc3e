"""Coercion rules: text cells to numbers, fractions, dates and ids. One small function per rule.

All functions take a whole column (anything ``numpy.asarray`` accepts, values ``str``; ``None``/NaN count as
empty) and work on it as a whole: a column is joined into one string and cleaned with ``str.replace`` and
compiled regular expressions, then converted with numpy; only values that break the column's pattern are
looked at one by one. Dates are parsed once per distinct value.

Numbers, quickly and to the bit as float() reads them: plain numbers (``-?D+(.D+)?``, at most 15 digits) are
read by numpy from the joined text (``_plain_values``; ``parse_number_columns`` does it for several columns
in one pass); a long column with few distinct values is read through them (``_repeated_numbers``).
``careful_numbers`` is the same rules without those quick ways: the tests hold one against the other.

Rules (each has its own test in tests/test_formats_coerce.py):

* Empty cells, ``-``, ``--``, ``–``, ``—``, ``n/a`` -> NaN (``BLANKS``).
* Thousands separators: ``"12,480"`` -> 12480. Spaces, no-break spaces and apostrophes between digits are
  thousands separators too (``12 480``, ``12'480``); currency signs are dropped.
* Decimal mark, per file: what the first rows show (``0,5`` / ``1.234,5`` against ``0.5`` / ``1,234.5``), else
  ``,`` in ``;``-separated files and ``.`` otherwise (``sniff.guess_decimal``; a mapping may say otherwise). A value
  holding both marks uses the last one as the decimal mark (``1.234,5`` and ``1,234.5`` are both 1234.5).
  A value holding only the other mark uses it as a thousands separator only where it has that shape
  (``1,234`` with decimal ``.``; ``1.234`` but not ``0.032`` with decimal ``,``) and as a decimal mark otherwise
  (``0,5`` -> 0.5 even in a comma file).
* Rates: a value with ``%`` is a percentage (``3.2%`` -> 0.032). A rate column whose values carry no ``%`` is in
  percent when (1) its header says ``%``; or (2) the file also has the rate's numerator and denominator and the
  values are about 100 times their ratio; or (3) without those, more than half of its values exceed 1.
  Otherwise the values are fractions (``0.032``). See ``percent_scale``.
* Counts cannot be negative; text where a number belongs is a problem (``negative_mask``, ``bad`` masks).
* Dates: ``2025-03-01``, ``2025/03/01``, ``20250301``, ``01.03.2025`` (day first, German style),
  ``03/01/2025`` and ``03-01-2025`` (order decided per column, see ``parse_dates``), English month names
  (``Mar 1, 2025``, ``1 March 2025``), an optional time after the date, two-digit years (``25`` -> 2025).
* Totals rows: first cell ``Total``, ``Totals``, ``Grand total`` (and translations) (``total_mask``).
* Pin ids: digits, or taken from a Pin URL; ids a spreadsheet turned into ``1.01235E+18`` are refused.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from pinviewer.core import wording
from pinviewer.core.formats import vocabulary
from pinviewer.core.formats.urls import pin_id_from_url

BLANKS = ("", "-", "--", "–", "—", "n/a", "N/A", "NA", "nan", "NaN", "(not set)")
_SEP = "\x1f"  # joins a column into one string (a control character no export writes; removed if one does)
_JUNK = re.compile(r"[ \t\u00a0\u202f\u2009'’$€£¥]")  # thousands spaces, apostrophes, currency signs
_MINUS = re.compile(r"[\u2212\u2012\u2013]")  # minus signs that are not ASCII


def as_text(values: ArrayLike) -> np.ndarray:
    """An object array of strings, '' for None/NaN."""
    arr = np.asarray(values, dtype=object)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    out = arr.copy()
    missing = pd.isna(out)
    if missing.any():
        out[missing] = ""
    return out


@dataclass
class Numbers:
    values: np.ndarray  # float64, NaN where blank or bad; percentages already divided by 100
    percent: np.ndarray  # bool: the cell carried a % sign
    bad: np.ndarray  # bool: the cell holds text that is not a number


# ``_number_steps``: yields the joined text whose plain numbers it needs, is sent ``_plain_values`` of it, returns
# the Numbers (None: only where it would need pandas and was told not to use it)
Steps = Generator[str, "tuple[Any, ...] | None", "Numbers | None"]


def number_text(text: str, decimal: str = ".") -> str | None:
    """One value's text made plain for float(): '1.234,5' -> '1234.5' (decimal ','), or None if blank.

    The per-value rule for cells that break their column's pattern (see the module notes).
    """
    t = _MINUS.sub("-", _JUNK.sub("", str(text)))
    if t.endswith("%"):
        t = t[:-1]
    if t in BLANKS:
        return None
    has_c, has_d = "," in t, "." in t
    if has_c and has_d:
        if t.rfind(",") > t.rfind("."):
            return t.replace(".", "").replace(",", ".")
        return t.replace(",", "")
    if has_c:
        if decimal == "." and re.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+", t):
            return t.replace(",", "")
        return t.replace(",", ".") if t.count(",") == 1 else t
    if has_d and decimal == "," and re.fullmatch(r"[-+]?[1-9]\d{0,2}(?:\.\d{3})+", t):
        return t.replace(".", "")
    return t


# A comma that is not a thousands separator: not after a digit, or not followed by exactly three digits.
_ODD_COMMA = re.compile(r",(?:(?<![0-9],)|(?!\d{3}(?:[,.\x1f%]|$)))")
# A dot that is not a thousands separator (decimal ','): not followed by exactly three digits and an end.
_ODD_DOT = re.compile(r"\.(?:(?<![0-9]\.)|(?!\d{3}(?:[,.\x1f%]|$)))|(?:^|\x1f)[-+]?0\.")


def _joined(values: ArrayLike) -> tuple[np.ndarray, str]:
    """The column as an object array of str and joined into one string (None/NaN become '')."""
    arr = np.asarray(values, dtype=object)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    try:
        joined = _SEP.join(arr)
    except TypeError:
        arr = as_text(arr)
        joined = _SEP.join(arr)
    if joined.count(_SEP) != max(0, len(arr) - 1):  # the separator inside a cell: take it out
        arr = np.array([v.replace(_SEP, "") for v in arr], dtype=object)
        joined = _SEP.join(arr)
    return arr, joined


_BLANK_SET = frozenset(BLANKS)  # BLANKS for lookups (it holds the dashes already)


_DIGIT_LO, _DIGIT_HI = ord("0"), ord("9")
_ENDS = np.array([ord(","), ord("."), ord(_SEP), ord("%")], dtype=np.uint8)


def _thousands_only(big: str, mark: str) -> bool:
    """True when every ``mark`` in a joined column sits between a digit and exactly three digits (12,480)."""
    if not big.isascii():
        return not _ODD_COMMA.search(big) if mark == "," else not _ODD_DOT.search(big)
    arr = np.frombuffer(big.encode("ascii"), dtype=np.uint8)
    pos = np.flatnonzero(arr == ord(mark))
    n = len(arr)
    if pos[0] == 0 or pos[-1] + 3 >= n:
        return False

    def digit(i: np.ndarray) -> np.ndarray:
        found: np.ndarray = (arr[i] >= _DIGIT_LO) & (arr[i] <= _DIGIT_HI)
        return found

    after = pos + 4
    ended = np.ones(len(pos), dtype=bool)
    inside = after < n
    ended[inside] = np.isin(arr[after[inside]], _ENDS)
    return bool((digit(pos - 1) & digit(pos + 1) & digit(pos + 2) & digit(pos + 3) & ended).all())


def parse_numbers(values: ArrayLike, decimal: str = ".", *, clock: bool = False) -> Numbers:
    """A column of number text to floats (see the module notes for the rules).

    ``clock``: also read 'h:mm:ss' / 'm:ss' as seconds (durations).
    """
    return parse_number_columns([values], decimal, [clock])[0]


def parse_number_columns(columns: list[ArrayLike], decimal: str = ".",
                         clocks: list[bool] | None = None) -> list[Numbers]:
    """``parse_numbers`` for several columns (one ``clock`` each), the plain numbers of all read by numpy at
    once (per call, numpy costs more than per value in a short column)."""
    clocks = clocks or [False] * len(columns)
    results: list[Numbers | None] = [None] * len(columns)
    steps: list[tuple[int, int, Steps]] = []
    for k, (values, clock) in enumerate(zip(columns, clocks)):
        arr = np.asarray(values, dtype=object)
        if arr.ndim == 0:
            arr = arr.reshape(1)
        results[k] = _repeated_numbers(arr, decimal, clock)
        if results[k] is None:
            arr, big = _joined(arr)
            steps.append((k, len(arr), _number_steps(arr, big, decimal, clock, vectorised=True)))
    answers: list[tuple[Any, ...] | None] = [None] * len(steps)
    while steps:  # each round: every column's next question about plain numbers, answered at once
        asked = []
        for (k, n, step), answer in zip(steps, answers):
            try:
                asked.append((k, n, step, step.send(answer)))
            except StopIteration as done:
                results[k] = done.value
        steps = [(k, n, step) for k, n, step, _text in asked]
        answers = _plain_values_of([(text, n) for _k, n, _step, text in asked])
    return cast("list[Numbers]", results)  # every column answered (pandas allowed: never None)


_FEW_MIN = 4096  # columns this long may be read through their distinct values


def _repeated_numbers(arr: np.ndarray, decimal: str, clock: bool) -> Numbers | None:
    """A long column with few distinct values (a top-Pins file's 0, 1, 2... and 0.0%...), read through them:
    every rule here decides from which values a column holds, not how often or where (a value with a newline
    aside, which the end of a column can read differently), so each value gets the figure it gets in the
    whole column. None when the column is not such a column of str, or when the careful way would convert it
    with pandas (whose figures may depend on the other values)."""
    n = len(arr)
    if n < _FEW_MIN:
        return None
    sample = arr[:: n // 1000]
    try:
        if len(set(sample.tolist())) * 2 > len(sample):
            return None
    except TypeError:
        return None
    codes, uniques = pd.factorize(arr)
    if len(codes) and codes.min() < 0:  # None or NaN: the usual way ('' for them)
        return None
    try:
        uniques, big = _joined(np.asarray(uniques, dtype=object))
    except TypeError:  # not text: the usual way says so
        return None
    if "\n" in big:
        return None
    found = _numbers(uniques, big, decimal, clock, vectorised=True, without_pandas=True)
    if found is None:
        return None
    return Numbers(found.values[codes], found.percent[codes], found.bad[codes])


def careful_numbers(values: ArrayLike, decimal: str = ".", *, clock: bool = False) -> Numbers:
    """``parse_numbers`` with float() called on every value: the reference the numpy way is tested against."""
    arr = np.asarray(values, dtype=object)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    arr, big = _joined(arr)
    found = _numbers(arr, big, decimal, clock, vectorised=False)
    assert found is not None  # pandas allowed: always an answer
    return found


def _numbers(arr: np.ndarray, big: str, decimal: str, clock: bool, *, vectorised: bool,
             without_pandas: bool = False) -> Numbers | None:
    """parse_numbers on a joined column (see ``_number_steps``)."""
    steps = _number_steps(arr, big, decimal, clock, vectorised=vectorised, without_pandas=without_pandas)
    answer: tuple[Any, ...] | None = None
    while True:
        try:
            asked = steps.send(answer)
        except StopIteration as done:
            numbers: Numbers | None = done.value
            return numbers
        answer = _plain_values(asked, len(arr))


def _number_steps(arr: np.ndarray, big: str, decimal: str, clock: bool, *, vectorised: bool,
                  without_pandas: bool = False) -> Steps:
    """parse_numbers on a joined column, as a generator: it yields the joined text whose plain numbers it needs
    (``_plain_values(text, len(arr))`` is sent back) and returns the Numbers.

    ``vectorised``: values that are plain numbers once cleaned get their float from numpy (``_plain_values``:
    the same float, bit for bit), float() is called on the others only. ``without_pandas``: None instead of
    converting the column with pandas (see ``_repeated_numbers``)."""
    n = len(arr)
    percent = np.zeros(n, dtype=bool)
    # Fast path: plain numbers, no empty cells (float() of each value). With a decimal comma, a value such as
    # 1.234 means 1234, so values with dots always take the slow path. float() refuses any ',' and '%'.
    if (decimal != "," or "." not in big) and "," not in big and "%" not in big:
        try:
            # arr.astype(float64), raising as it does, with the plain numbers' floats from numpy
            found = (yield big) if vectorised else None
            if found is None:
                out = arr.astype(np.float64)
            else:
                out, plain = found[0], found[1]
                rest = np.flatnonzero(~plain)
                if len(rest):
                    out[rest] = arr[rest].astype(np.float64)
            bad = np.isinf(out)
            out[bad] = np.nan
            return Numbers(out, percent, bad)
        except (ValueError, TypeError):
            pass
    original = big
    if "%" in big:
        if big.count("%") == n and big.count("%" + _SEP) == n - 1 and big.endswith("%"):
            percent = np.ones(n, dtype=bool)  # the usual case: every value ends with its % sign
        else:
            percent = np.fromiter((v.rstrip().endswith("%") for v in arr), dtype=bool, count=n)
        big = big.replace("%", "")
    if any(c in big for c in " \t'$") or (not big.isascii() and any(c in big for c in "\u00a0\u202f\u2009’€£¥")):
        big = _JUNK.sub("", big)
    if not big.isascii() and any(c in big for c in "\u2212\u2012\u2013"):
        big = _MINUS.sub("-", big)
    odd_values = False
    if decimal == ".":
        if "," in big:
            if _thousands_only(big, ","):
                big = big.replace(",", "")
            else:
                odd_values = True
    else:
        if "." in big and _ODD_DOT.search(big):
            odd_values = True
        else:
            big = big.replace(".", "").replace(",", ".")
    found = (yield big) if vectorised and not odd_values else None
    if found is not None:
        # values that are not plain numbers (blanks, words, '1e3'...) are the only ones split out and float()ed
        out, plain, starts, ends = found
        rest = np.flatnonzero(~plain)
        empty = starts == ends
        parts = np.array([big[a:b] for a, b in zip(starts[rest].tolist(), ends[rest].tolist())], dtype=object)
        parts[empty[rest]] = "nan"
        try:
            out[rest] = parts.astype(np.float64)
        except (ValueError, TypeError):
            # some value is not a number at all: the careful way converts the whole column with pandas, whose
            # floats may differ from float()'s in the last bit, so it does it for every value here too
            if without_pandas:
                return None
            return _numbers(arr, original, decimal, clock, vectorised=False)  # (asks for nothing)
        bad = np.isinf(out)
        blank = empty
    else:
        parts = np.array(big.split(_SEP), dtype=object)
        empty = parts == ""
        if empty.any():
            parts[empty] = "nan"
        if odd_values:
            # Only values carrying a separator are looked at one by one.
            odd = np.fromiter(("," in v or "." in v for v in parts), dtype=bool, count=n)
            parts[odd] = [number_text(v, decimal) or "nan" for v in parts[odd]]
        blank = empty
        try:
            out = parts.astype(np.float64)
            bad = np.isinf(out)
        except (ValueError, TypeError):
            if without_pandas:
                return None
            out = pd.to_numeric(pd.Series(parts, dtype=object), errors="coerce").to_numpy(dtype=np.float64, copy=True)
            failed = np.flatnonzero(np.isnan(out) & ~empty)
            blank = empty.copy()
            blank[failed] = [parts[i] in _BLANK_SET for i in failed]
            if clock:
                colon = failed[~blank[failed]]
                out[colon] = [_clock_seconds(parts[i]) for i in colon]
            bad = (np.isnan(out) & ~blank) | np.isinf(out)
    out[bad] = np.nan
    percent &= ~blank & ~bad
    if percent.any():
        out = np.where(percent, out / 100.0, out)
    return Numbers(out, percent, bad)


_POW10 = 10.0 ** np.arange(23)
_PLAIN_DIGITS = 15  # an integer of up to 15 digits is exact in a float64
_PLAIN_WIDTH = _PLAIN_DIGITS + 2  # and a minus sign and a decimal point


def _plain_values_of(asked: list[tuple[str, int]]) -> list[tuple[Any, ...] | None]:
    """``_plain_values(text, n)`` for each (joined column, values in it), in one pass for the ASCII ones."""
    batch = [k for k, (text, n) in enumerate(asked) if n and text.isascii()]
    answers: list[tuple[Any, ...] | None] = [None] * len(asked)
    if len(batch) == 1:
        k = batch[0]
        answers[k] = _plain_values(*asked[k])
    elif batch:
        found = _plain_values(_SEP.join(asked[k][0] for k in batch), sum(asked[k][1] for k in batch))
        if found is not None:
            out, plain, starts, ends = found
            at = offset = 0
            for k in batch:
                text, n = asked[k]
                if (ends[at:at + n] > starts[at:at + n]).any():  # (every value empty: None, as on its own)
                    answers[k] = (out[at:at + n].copy(), plain[at:at + n].copy(), starts[at:at + n] - offset,
                                  ends[at:at + n] - offset)
                at += n
                offset += len(text) + 1
    return answers


def _plain_values(big: str, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """The floats of the plain numbers in a joined column: (values, plain, starts, ends), or None.

    Plain: ``-?D+(.D+)?`` in ASCII digits with at most 15 digits. Such a value is an integer below 10**15 over
    a power of ten, both exact in float64, so one division gives the correctly rounded float, the same float()
    gives. ``starts``/``ends``: where each value is in ``big`` (which must be ASCII; None otherwise).
    The values are read right-aligned, one place (byte) at a time for all of them at once."""
    if n == 0 or not big.isascii():
        return None
    b = np.frombuffer(big.encode("ascii"), dtype=np.uint8)
    size = len(b)
    ends = np.flatnonzero(b == ord(_SEP))
    if len(ends) != n - 1:  # a separator inside a value (cannot happen after _joined)
        return None
    ends = np.append(ends, size)
    starts = np.empty_like(ends)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    length = ends - starts
    width = int(min(length.max(), _PLAIN_WIDTH))
    if width == 0:
        return None
    padded = np.empty(size + width, dtype=np.uint8)
    padded[:width] = ord(_SEP)
    padded[width:] = b
    first = (width - length).astype(np.int16)  # the place where each value starts (below 0: too long)
    plain = first >= 0
    whole = np.zeros(n, dtype=np.int64)
    has_point, has_minus = "." in big, "-" in big  # (most columns have neither: fewer steps)
    points = np.zeros(n, dtype=np.int8)
    decimals = np.zeros(n, dtype=np.int8)
    minus = np.zeros(n, dtype=bool)
    before = np.zeros(n, dtype=bool)  # the place before was a digit of the value
    index = ends.copy()
    for place in range(width):
        byte = padded[index]
        index += 1
        inside = first <= place
        digit = byte - ord("0")
        is_digit = (digit < 10) & inside
        # inside a value: digits, a point after a digit, a minus sign first
        ok = is_digit | ~inside
        if has_point:
            is_point = (byte == ord(".")) & inside
            ok |= is_point & before
            points += is_point
            decimals += (points > 0) & is_digit
        if has_minus:
            is_minus = (byte == ord("-")) & inside
            ok |= is_minus & (first == place)
            minus |= is_minus
        plain &= ok
        np.multiply(whole, 10, out=whole, where=is_digit)
        whole += np.where(is_digit, digit, 0)
        before = is_digit
    plain &= (points <= 1) & before  # one point at most, and the value ends with a digit
    plain &= length - minus - points <= _PLAIN_DIGITS
    out = whole.astype(np.float64)
    if has_point:
        out /= _POW10[decimals]
    if has_minus:
        np.negative(out, out=out, where=minus)
    out[~plain] = np.nan
    return out, plain, starts, ends


def _clock_seconds(text: str) -> float:
    m = re.fullmatch(r"(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)", str(text).strip())
    if not m:
        return np.nan
    h, mi, s = m.groups()
    return int(h or 0) * 3600 + int(mi) * 60 + float(s)


def negative_mask(values: np.ndarray) -> np.ndarray:
    """True where a count is below zero."""
    with np.errstate(invalid="ignore"):
        return np.asarray(values, dtype=np.float64) < 0


def percent_scale(values: np.ndarray, percent: np.ndarray, *, header_percent: bool = False,
                  ratio: np.ndarray | None = None) -> tuple[np.ndarray, bool]:
    """A rate column as fractions. Values that carried '%' are already fractions.

    The others are percentages (divided by 100 here) when the header says %, or when they are about 100 times
    ``ratio`` (numerator / denominator from the same rows), or - with no usable ratio - when more than half
    of them exceed 1. Returns the fractions and whether the plain values were taken as percentages.
    """
    values = np.asarray(values, dtype=np.float64)
    plain = ~percent & ~np.isnan(values)
    if not plain.any():
        return values, False
    in_percent = header_percent
    if not in_percent:
        decided = False
        if ratio is not None:
            ratio = np.asarray(ratio, dtype=np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = values / ratio
            usable = plain & np.isfinite(factor) & (factor > 0)
            if usable.sum() >= 1:
                median = float(np.median(factor[usable]))
                if 30 <= median <= 300:
                    in_percent, decided = True, True
                elif 0.3 <= median <= 3:
                    in_percent, decided = False, True
        if not decided:
            in_percent = bool((values[plain] > 1).sum() * 2 > plain.sum())
    if in_percent:
        values = np.where(plain, values / 100.0, values)
    return values, in_percent


# ---- dates ------------------------------------------------------------------------------------------------

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
    # each distinct value once: made text as _joined makes a column (None/NaN get code -1: blank, as '' is)
    codes, uniques = pd.factorize(text, sort=False)
    try:
        uniques, _joined_text = _joined(np.asarray(uniques, dtype=object))
    except TypeError:  # not text: the whole column the usual way (which says so)
        text, _joined_text = _joined(values)
        codes, uniques = pd.factorize(text, sort=False)
    uniq = list(map(str.strip, uniques.tolist()))  # (every value is a str after _joined)
    order, reason = None, ""
    # a slashed date starts with one or two digits and a slash or dash: most columns have none to look at
    slashed = bool(_SLASHED_START.search(_SEP + _SEP.join(uniq))) and any(_SLASHED.fullmatch(u) for u in uniq)
    if date_format is None and dayfirst is None:
        if slashed:
            dayfirst, reason = decide_order(uniq, sequential=sequential, default_dayfirst=default_dayfirst)
        else:
            dayfirst = default_dayfirst
    if slashed and date_format is None:
        order = DMY if dayfirst else MDY
    parsed = np.empty(len(uniq) + 1, dtype=object)
    is_blank = np.array([u in _BLANK_SET for u in uniq] + [True], dtype=bool)  # the last one: code -1 (missing)
    todo = np.flatnonzero(~is_blank[:-1])
    fmt = date_format or _column_format([uniq[i] for i in todo[:1]], bool(dayfirst))
    iso = fmt == "%Y-%m-%d" and date_format is None and len(todo) > 20 and _SEP.join([uniq[i] for i in todo])
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


# ---- rows and ids -----------------------------------------------------------------------------------------

_TOTALS = vocabulary.total_labels()
_TOTAL_SPELLINGS = frozenset(
    form for value in vocabulary.TOTAL_LABELS.values() for label in value.split("|")
    for form in (label, label.lower(), label.upper(), label.title(), label.capitalize()))


def _maybe_words(values: ArrayLike) -> tuple[np.ndarray, np.ndarray] | None:
    """(text, where): the cells of a column of str whose first byte in UTF-8 is a letter, a space or not ASCII
    (the only ones that can start with a letter); None when the column is not all str."""
    arr = np.asarray(values, dtype=object)
    if arr.ndim != 1 or not len(arr):
        return None
    try:
        joined = _SEP.join(arr)
    except TypeError:
        return None
    if joined.count(_SEP) != len(arr) - 1:
        return None
    b = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    if not len(b):
        return arr, np.zeros(0, dtype=np.int64)
    starts = np.empty(len(arr), dtype=np.int64)
    starts[0] = 0
    starts[1:] = np.flatnonzero(b == ord(_SEP)) + 1
    first = b[np.minimum(starts, len(b) - 1)]
    first[starts == len(b)] = ord(_SEP)  # an empty last cell (an empty cell's first byte is the separator)
    letter = first | 0x20  # ASCII letters in lower case
    return arr, np.flatnonzero(((letter >= ord("a")) & (letter <= ord("z"))) | (first == ord(" ")) | (first >= 0x80))


def total_mask(values: ArrayLike) -> np.ndarray:
    """True where a first cell marks a totals row: 'Total', 'Totals', 'Grand total', 'Gesamt'..."""
    found = _maybe_words(values)  # the first bytes rule out most cells at once (all of a column of dates)
    if found is None:
        text = as_text(values)
        where = np.arange(len(text))
    else:
        text, where = found
    out = np.zeros(len(text), dtype=bool)
    if not len(where):
        return out
    # only cells starting with a letter (or a space) can be a label; dates and ids are skipped at once
    initial = np.array(text[where], dtype="U1")
    maybe = where[np.char.isalpha(initial) | (initial == " ")]
    if len(maybe):
        out[maybe] = [v in _TOTAL_SPELLINGS or (len(v) <= 30 and vocabulary.fold(v) in _TOTALS)
                      for v in text[maybe]]
    return out


@dataclass
class PinIds:
    ids: np.ndarray  # object: digit strings, '' where missing or bad
    missing: np.ndarray  # bool
    bad: np.ndarray  # bool: neither digits nor a Pin URL
    mangled: np.ndarray  # bool: a spreadsheet wrote the id as 1.01235E+18


def _all_ids(joined: str, ids: np.ndarray) -> bool:
    """Every value digits, none empty: ``joined.replace(_SEP, "").isdigit() and not (ids == "").any()``, on
    bytes when the text is ASCII (str.isdigit is slow)."""
    if not joined.isascii():
        return joined.replace(_SEP, "").isdigit() and not (ids == "").any()
    data, sep = joined.encode("ascii"), _SEP.encode()
    return (bool(data) and not data.translate(None, b"0123456789" + sep) and sep + sep not in data
            and not data.startswith(sep) and not data.endswith(sep))


def pin_ids(values: ArrayLike) -> PinIds:
    """Pin ids from digits ('1012345678901234567') or Pin URLs ('https://www.pinterest.com/pin/1012.../')."""
    ids, joined = _joined(values)
    ids = ids.copy()
    n = len(ids)
    missing = np.zeros(n, dtype=bool)
    bad = np.zeros(n, dtype=bool)
    mangled = np.zeros(n, dtype=bool)
    if n and _all_ids(joined, ids):  # the usual case: all Pin ids
        return PinIds(ids, missing, bad, mangled)
    digits = np.fromiter((v.isdigit() for v in ids), dtype=bool, count=n)
    for i in np.flatnonzero(~digits):  # only cells that are not plain digits are looked at one by one
        v = ids[i].strip()
        if v.isdigit():
            ids[i] = v
        elif v in BLANKS:
            missing[i] = True
        elif (found := pin_id_from_url(v)) is not None:
            ids[i] = found
        elif re.fullmatch(r"\d+(?:[.,]\d+)?[eE]\+?\d+", v):
            mangled[i] = True
        else:
            bad[i] = True
    ids[missing | bad | mangled] = ""
    return PinIds(ids, missing, bad, mangled)


# ---- what a message may quote -----------------------------------------------------------------------------

QUOTE_LIMIT = 80  # characters of a cell a message quotes at most

# C0 and C1 control characters (tab and newline too: a quoted cell is one line), DEL, and the characters that
# reorder text (bidirectional embeddings, overrides, isolates and marks) or hide it (zero-width, BOM)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]")
_UNSAFE_KEEP_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069"
                                "\ufeff\ufff9-\ufffb]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: object, *, keep_lines: bool = False) -> str:
    """``text`` with every control or reordering character written as ``\\uXXXX``: safe to print in a terminal
    (no escape sequence reaches it) and to show anywhere (nothing reverses what follows). ``keep_lines`` keeps
    newlines and tabs (a message of several lines)."""
    text = str(text)
    pattern = _UNSAFE_KEEP_LINES if keep_lines else _UNSAFE
    return pattern.sub(_escape, text) if pattern.search(text) else text


def quote_cell(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A cell as a message quotes it: stripped, at most ``limit`` characters (then '…'), made printable."""
    text = value.strip() if isinstance(value, str) else ("" if value is None else str(value).strip())
    if len(text) > limit:
        text = text[:limit].rstrip() + "…"
    return printable(text)


MESSAGE_LIMIT = 600  # characters of one message at most
_LONG = QUOTE_LIMIT + 2  # a quoted cell longer than a message may quote
_QUOTED = re.compile(rf"'([^'\n]{{{_LONG},}})'|“([^”\n]{{{_LONG},}})”")


def _shorten_quoted(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return "'" + match.group(1)[:QUOTE_LIMIT].rstrip() + "…'"
    return "“" + match.group(2)[:QUOTE_LIMIT].rstrip() + "…”"


def tidy_message(text: object) -> str:
    """A message as a person may see it: quoted values ('…' and “…”) cut to about 80 characters, the whole at
    most MESSAGE_LIMIT characters, and no control or reordering character (see ``printable``)."""
    text = str(text)
    if len(text) > QUOTE_LIMIT:
        text = _QUOTED.sub(_shorten_quoted, text)
        if len(text) > MESSAGE_LIMIT:
            text = text[:MESSAGE_LIMIT].rstrip() + "…"
    return printable(text, keep_lines=True)


# ---- plausible figures ------------------------------------------------------------------------------------

# The most one day can hold, per unit (a figure over a period may hold that many days' worth). Pinterest has
# about half a billion people a month: no account sees 10 billion impressions in a day.
COUNT_CEILING = 1e10
CEILINGS: dict[str, float] = {
    "count": COUNT_CEILING,
    "money": 1e12,  # revenue in any currency, either sign (refunds)
    "seconds": 86_400.0,  # an average time per visit: at most a day
    "milliseconds": 1e13,  # average watch time, or the total of 10^10 views of ~15 minutes
    "number": 1e6,  # events per session
}
CEILING_WORDS: dict[str, str] = {
    "count": "10,000,000,000 a day",
    "money": "1,000,000,000,000 a day",
    "seconds": "86,400 seconds (a whole day)",
    "milliseconds": "10,000,000,000,000 a day",
    "number": "1,000,000",
}


def implausible(unit: str, values: ArrayLike, days: float | np.ndarray = 1) -> tuple[np.ndarray, str]:
    """(mask, why): where a column's figures cannot be true for ``unit`` over ``days`` days (a number or an
    array, one per row): counts below zero or above their ceiling, rates outside 0-100 %, anything infinite.
    NaN (unknown) is never implausible. ``why`` ends a sentence that starts with the figure and the column."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(values)
    mask = np.isinf(values)
    with np.errstate(invalid="ignore"):
        if unit == "rate":
            mask |= finite & ((values < 0) | (values > 1 + 1e-9))
            return mask, "is not a rate: a rate lies between 0 and 100%."
        if unit in ("count", "seconds", "milliseconds", "number"):
            mask |= finite & (values < 0)
        ceiling = CEILINGS.get(unit)
        if ceiling is None:
            return mask, "is not a figure I can use."
        scale = np.maximum(np.asarray(days, dtype=np.float64), 1) if unit in ("count", "money", "milliseconds") \
            else 1.0
        mask |= finite & (np.abs(values) > ceiling * scale)
    return mask, (f"is not a believable figure: the most I accept is {CEILING_WORDS[unit]}. "
                  "Check the file; a spreadsheet may have mangled the number.")


# ---- plausible days ---------------------------------------------------------------------------------------

FIRST_DAY = dt.date(2010, 1, 1)  # Pinterest started in 2010: no figures come from before


def last_day(today: dt.date | None = None) -> dt.date:
    """The latest day a file may hold figures for: tomorrow (a day ahead of UTC somewhere in the world)."""
    return (today or dt.date.today()) + dt.timedelta(days=1)


def day_out_of_range(day: Any, today: dt.date | None = None) -> str | None:
    """Why ``day`` cannot have figures (before 2010, or after tomorrow), or None: the end of a sentence that
    starts with the day ("… is in the future: …"). ``day``: whatever a cell holds (a date, datetime, Timestamp,
    ISO text; None or NaN: no day)."""
    if day is None or (isinstance(day, float) and np.isnan(day)):
        return None
    if isinstance(day, dt.datetime):
        day = day.date()
    elif not isinstance(day, dt.date):
        try:
            day = pd.Timestamp(day).date()
        except (ValueError, TypeError):
            return None
    if day < FIRST_DAY:
        return "is before 2010, when Pinterest started: no figures can come from that day."
    if day > last_day(today):
        return "is in the future: figures exist only for days that have begun."
    return None


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_words(day: dt.date) -> str:
    """'1 Jun 2025' (a table of our own, not the C library's month names)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
