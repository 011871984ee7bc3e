"""Numbers from text cells: counts, money, durations and rates. One small function per rule.

Every function takes a whole column (see ``cell_text``) and works on it as a whole; only values that break
the column's pattern are looked at one by one. Quickly and to the bit as float() reads them: plain numbers
(``-?D+(.D+)?``, at most 15 digits) are read by numpy from the joined text (``plain_numbers``;
``parse_number_columns`` does it for several columns in one pass); a long column with few distinct values is
read through them (``_repeated_numbers``). ``careful_numbers`` is the same rules without those quick ways: the
tests hold one against the other.

Rules (each has its own test in tests/test_formats_coerce.py):

* Empty cells, ``-``, ``--``, ``–``, ``—``, ``n/a`` -> NaN (``cell_text.BLANKS``).
* Thousands separators: ``"12,480"`` -> 12480. Spaces, no-break spaces and apostrophes between digits are
  thousands separators too (``12 480``, ``12'480``); currency signs are dropped.
* Decimal mark, per file: what the first rows show (``0,5`` / ``1.234,5`` against ``0.5`` / ``1,234.5``), else
  ``,`` in ``;``-separated files and ``.`` otherwise (``header_row.guess_decimal``; a mapping may say otherwise). A
  value holding both marks uses the last one as the decimal mark (``1.234,5`` and ``1,234.5`` are both 1234.5).
  A value holding only the other mark uses it as a thousands separator only where it has that shape
  (``1,234`` with decimal ``.``; ``1.234`` but not ``0.032`` with decimal ``,``) and as a decimal mark otherwise
  (``0,5`` -> 0.5 even in a comma file).
* Rates: a value with ``%`` is a percentage (``3.2%`` -> 0.032). A rate column whose values carry no ``%`` is in
  percent when (1) its header says ``%``; or (2) the file also has the rate's numerator and denominator and the
  values are about 100 times their ratio; or (3) without those, more than half of its values exceed 1.
  Otherwise the values are fractions (``0.032``). See ``percent_scale``.
* Counts cannot be negative; text where a number belongs is a problem (``negative_mask``, ``bad`` masks).
"""
from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from pinviewer.core.formats.cell_text import BLANK_SET, BLANKS, SEP, join_column
from pinviewer.core.formats.plain_numbers import read_plain, read_plain_columns

_JUNK = re.compile(r"[ \t\u00a0\u202f\u2009'’$€£¥]")  # thousands spaces, apostrophes, currency signs
_MINUS = re.compile(r"[\u2212\u2012\u2013]")  # minus signs that are not ASCII


@dataclass
class Numbers:
    values: np.ndarray  # float64, NaN where blank or bad; percentages already divided by 100
    percent: np.ndarray  # bool: the cell carried a % sign
    bad: np.ndarray  # bool: the cell holds text that is not a number


# ``_number_steps``: yields the joined text whose plain numbers it needs, is sent ``read_plain`` of it, returns
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


_DIGIT_LO, _DIGIT_HI = ord("0"), ord("9")
_ENDS = np.array([ord(","), ord("."), ord(SEP), ord("%")], dtype=np.uint8)


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
            arr, big = join_column(arr)
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
        answers = read_plain_columns([(text, n) for _k, n, _step, text in asked])
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
        uniques, big = join_column(np.asarray(uniques, dtype=object))
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
    arr, big = join_column(arr)
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
        answer = read_plain(asked, len(arr))



def _number_steps(arr: np.ndarray, big: str, decimal: str, clock: bool, *, vectorised: bool,
                  without_pandas: bool = False) -> Steps:
    """parse_numbers on a joined column, as a generator: it yields the joined text whose plain numbers it needs
    (``read_plain(text, len(arr))`` is sent back) and returns the Numbers.

    ``vectorised``: values that are plain numbers once cleaned get their float from numpy (``read_plain``:
    the same float, bit for bit), float() is called on the others only. ``without_pandas``: None instead of
    converting the column with pandas (see ``_repeated_numbers``)."""
    # Fast path: plain numbers, no empty cells (float() of each value). With a decimal comma, a value such as
    # 1.234 means 1234, so values with dots always take the slow path. float() refuses any ',' and '%'.
    if (decimal != "," or "." not in big) and "," not in big and "%" not in big:
        quick = yield from _float_column(arr, big, vectorised=vectorised)
        if quick is not None:
            return quick
    original = big
    percent, big, odd_values = _cleaned(arr, big, decimal)
    found = (yield big) if vectorised and not odd_values else None
    if found is not None:
        converted = _with_plain_values(big, found)
        if converted is None:
            # some value is not a number at all: the careful way converts the whole column with pandas, whose
            # floats may differ from float()'s in the last bit, so it does it for every value here too
            if without_pandas:
                return None
            return _numbers(arr, original, decimal, clock, vectorised=False)  # (asks for nothing)
    else:
        converted = _value_by_value(big, len(arr), decimal, clock, odd_values=odd_values,
                                    without_pandas=without_pandas)
        if converted is None:
            return None
    out, bad, blank = converted
    out[bad] = np.nan
    percent &= ~blank & ~bad
    if percent.any():
        out = np.where(percent, out / 100.0, out)
    return Numbers(out, percent, bad)


def _float_column(arr: np.ndarray, big: str, *, vectorised: bool) -> Steps:
    """``arr.astype(float64)``, raising as it does, with the plain numbers' floats from numpy (asked for as
    ``_number_steps`` asks); None when some value is not a float."""
    percent = np.zeros(len(arr), dtype=bool)
    try:
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
        return None


def _cleaned(arr: np.ndarray, big: str, decimal: str) -> tuple[np.ndarray, str, bool]:
    """(percent, text, odd values) of a joined column: where a value carried '%', the text without '%', thousands
    spaces, currency signs and other minus signs, the decimal mark made '.' where the whole column allows it;
    odd values: some separator must be looked at value by value (``number_text``)."""
    n = len(arr)
    percent = np.zeros(n, dtype=bool)
    if "%" in big:
        if big.count("%") == n and big.count("%" + SEP) == n - 1 and big.endswith("%"):
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
    return percent, big, odd_values


def _with_plain_values(big: str, found: tuple[Any, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(values, bad, blank) of a cleaned column from its plain numbers (``read_plain``): the values that are
    not plain (blanks, words, '1e3'...) are the only ones split out and float()ed. None when one is no float."""
    out, plain, starts, ends = found
    rest = np.flatnonzero(~plain)
    empty = starts == ends
    parts = np.array([big[a:b] for a, b in zip(starts[rest].tolist(), ends[rest].tolist())], dtype=object)
    parts[empty[rest]] = "nan"
    try:
        out[rest] = parts.astype(np.float64)
    except (ValueError, TypeError):
        return None
    bad = np.isinf(out)
    return out, bad, empty


def _value_by_value(big: str, n: int, decimal: str, clock: bool, *, odd_values: bool,
                    without_pandas: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(values, bad, blank) of a cleaned column split into its values: those carrying a separator made plain one
    by one when ``odd_values``, then float() on each, else pandas (None when ``without_pandas``)."""
    parts = np.array(big.split(SEP), dtype=object)
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
        blank[failed] = [parts[i] in BLANK_SET for i in failed]
        if clock:
            colon = failed[~blank[failed]]
            out[colon] = [_clock_seconds(parts[i]) for i in colon]
        bad = (np.isnan(out) & ~blank) | np.isinf(out)
    return out, bad, blank


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
