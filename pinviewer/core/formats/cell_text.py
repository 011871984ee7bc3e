"""A column of cells as text, the form every coercion rule starts from.

A column (anything ``numpy.asarray`` accepts, values ``str``; ``None``/NaN count as empty) is made an object
array of str and joined into one string with ``SEP`` between the cells (``join_column``): the rules clean the
joined text with ``str.replace`` and compiled regular expressions and convert it with numpy, looking at values
one by one only where they break the column's pattern. ``BLANKS`` are the cells that say "no figure".
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

BLANKS = ("", "-", "--", "–", "—", "n/a", "N/A", "NA", "nan", "NaN", "(not set)")
SEP = "\x1f"  # joins a column into one string (a control character no export writes; removed if one does)


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


def join_column(values: ArrayLike) -> tuple[np.ndarray, str]:
    """The column as an object array of str and joined into one string (None/NaN become '')."""
    arr = np.asarray(values, dtype=object)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    try:
        joined = SEP.join(arr)
    except TypeError:
        arr = as_text(arr)
        joined = SEP.join(arr)
    if joined.count(SEP) != max(0, len(arr) - 1):  # the separator inside a cell: take it out
        arr = np.array([v.replace(SEP, "") for v in arr], dtype=object)
        joined = SEP.join(arr)
    return arr, joined


BLANK_SET = frozenset(BLANKS)  # BLANKS for lookups (it holds the dashes already)
