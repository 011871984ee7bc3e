"""Totals rows: a first cell ``Total``, ``Totals``, ``Grand total`` (and translations) marks a row that adds up
the others (its own test in tests/test_formats_coerce.py)."""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from pinviewer.core.formats import vocabulary
from pinviewer.core.formats.cell_text import SEP, as_text

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
        joined = SEP.join(arr)
    except TypeError:
        return None
    if joined.count(SEP) != len(arr) - 1:
        return None
    b = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    if not len(b):
        return arr, np.zeros(0, dtype=np.int64)
    starts = np.empty(len(arr), dtype=np.int64)
    starts[0] = 0
    starts[1:] = np.flatnonzero(b == ord(SEP)) + 1
    first = b[np.minimum(starts, len(b) - 1)]
    first[starts == len(b)] = ord(SEP)  # an empty last cell (an empty cell's first byte is the separator)
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
