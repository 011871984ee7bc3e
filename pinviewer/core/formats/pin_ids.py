"""Pin ids: digits, or taken from a Pin URL; ids a spreadsheet turned into ``1.01235E+18`` are refused (their
own test in tests/test_formats_coerce.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from pinviewer.core.formats.cell_text import BLANKS, SEP, join_column
from pinviewer.core.formats.urls import pin_id_from_url

@dataclass
class PinIds:
    ids: np.ndarray  # object: digit strings, '' where missing or bad
    missing: np.ndarray  # bool
    bad: np.ndarray  # bool: neither digits nor a Pin URL
    mangled: np.ndarray  # bool: a spreadsheet wrote the id as 1.01235E+18


def _all_ids(joined: str, ids: np.ndarray) -> bool:
    """Every value digits, none empty: ``joined.replace(SEP, "").isdigit() and not (ids == "").any()``, on
    bytes when the text is ASCII (str.isdigit is slow)."""
    if not joined.isascii():
        return joined.replace(SEP, "").isdigit() and not (ids == "").any()
    data, sep = joined.encode("ascii"), SEP.encode()
    return (bool(data) and not data.translate(None, b"0123456789" + sep) and sep + sep not in data
            and not data.startswith(sep) and not data.endswith(sep))


def pin_ids(values: ArrayLike) -> PinIds:
    """Pin ids from digits ('1012345678901234567') or Pin URLs ('https://www.pinterest.com/pin/1012.../')."""
    ids, joined = join_column(values)
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
