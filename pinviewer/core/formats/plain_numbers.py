"""Plain numbers read by numpy from a joined column, to the bit as ``float()`` reads them.

Plain: ``-?D+(.D+)?`` in ASCII digits, at most 15 digits. Such a value is an integer below 10**15 over a power
of ten, both exact in float64, so one division gives the correctly rounded float. ``read_plain`` reads the
values of one joined column (``cell_text.join_column``) right-aligned, one place (byte) at a time for all of
them at once; ``read_plain_columns`` reads several columns in one pass. The number rules
(``number_parsing``) ask for them and call ``float()`` only on the values that are not plain.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from pinviewer.core.formats.cell_text import SEP

_POW10 = 10.0 ** np.arange(23)
_PLAIN_DIGITS = 15  # an integer of up to 15 digits is exact in a float64
_PLAIN_WIDTH = _PLAIN_DIGITS + 2  # and a minus sign and a decimal point


def read_plain_columns(asked: list[tuple[str, int]]) -> list[tuple[Any, ...] | None]:
    """``read_plain(text, n)`` for each (joined column, values in it), in one pass for the ASCII ones."""
    batch = [k for k, (text, n) in enumerate(asked) if n and text.isascii()]
    answers: list[tuple[Any, ...] | None] = [None] * len(asked)
    if len(batch) == 1:
        k = batch[0]
        answers[k] = read_plain(*asked[k])
    elif batch:
        found = read_plain(SEP.join(asked[k][0] for k in batch), sum(asked[k][1] for k in batch))
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


def read_plain(big: str, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """The floats of the plain numbers in a joined column: (values, plain, starts, ends), or None.

    Plain: ``-?D+(.D+)?`` in ASCII digits with at most 15 digits. Such a value is an integer below 10**15 over
    a power of ten, both exact in float64, so one division gives the correctly rounded float, the same float()
    gives. ``starts``/``ends``: where each value is in ``big`` (which must be ASCII; None otherwise).
    The values are read right-aligned, one place (byte) at a time for all of them at once."""
    if n == 0 or not big.isascii():
        return None
    b = np.frombuffer(big.encode("ascii"), dtype=np.uint8)
    size = len(b)
    ends = np.flatnonzero(b == ord(SEP))
    if len(ends) != n - 1:  # a separator inside a value (cannot happen after join_column)
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
    padded[:width] = ord(SEP)
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
