"""A table's columns as one blob: how the store keeps an import's rows (numpy in, numpy out, no Python loop
per value, so 50,000 Pins are written and read back in milliseconds).

``encode(columns)`` takes ``{name: array}`` (all the same length) and returns ``(layout, data)``: ``layout``
is a small JSON text naming each column, its type and where it lies in ``data``. ``decode(layout, data)``
gives the columns back. Types:

* ``f8``   float64 (NaN = unknown); kept as float32 where that loses nothing (counts), read back as float64
* ``u1``   small flags (0/1)
* ``day``  calendar days, stored as int32 days since 1970-01-01, read back as ``datetime64[us]``
* ``text`` strings or None, nearly all different (ids, titles, links)
* ``label`` strings or None, few different ones (entity types, boards, formats): each distinct value once,
  then an int32 code per row; given as values, or as ``(codes, distinct values)`` (code -1: missing)
"""
from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

import numpy as np
import pandas as pd

_NO_DAY = np.iinfo(np.int32).min
_SEPARATOR = "\x00"


def encode(columns: dict[str, Any], types: dict[str, str]) -> tuple[str, bytes]:
    """``columns``: arrays or Series, or for a ``label`` column a (codes, distinct values) tuple."""
    layout: list[list[Any]] = []
    parts: list[bytes] = []
    for name, values in columns.items():
        kind = types[name]
        blob: bytes | list[bytes]
        extra: int | list[int]
        if kind == "f8":
            values = np.asarray(values, dtype=float)
            narrow = values.astype("<f4")
            if np.array_equal(narrow, values, equal_nan=True):
                kind, blob = "f4", narrow.tobytes()
            else:
                blob = values.astype("<f8").tobytes()
            extra = 0
        elif kind == "u1":
            blob = np.ascontiguousarray(values, dtype="u1").tobytes()
            extra = 0
        elif kind == "day":
            blob = _days(values).astype("<i4").tobytes()
            extra = 0
        elif kind == "text":
            blob, extra = _encode_text(values)
        elif kind == "label":  # values, or (codes, distinct values) when the caller factorized them already
            codes, uniques = values if isinstance(values, tuple) else \
                pd.factorize(pd.Series(values, copy=False, dtype=object), use_na_sentinel=True)
            text_parts, text_size = _encode_text(np.asarray(uniques, dtype=object))
            text_parts.append(np.asarray(codes, dtype="<i4").tobytes())
            blob, extra = text_parts, [text_size, len(uniques)]
        else:
            raise ValueError(f"unknown column type {kind!r}")
        pieces = blob if isinstance(blob, list) else [blob]
        layout.append([name, kind, sum(len(piece) for piece in pieces), extra])
        parts += pieces
    return json.dumps(layout, allow_nan=False), b"".join(parts)


def decode(layout: str, data: bytes, rows: int, only: Collection[str] | None = None) -> dict[str, np.ndarray]:
    """The columns back (``only``: just these names, the others are not even looked at)."""
    out: dict[str, np.ndarray] = {}
    view = memoryview(data)
    offset = 0
    for name, kind, size, extra in json.loads(layout):
        part = view[offset:offset + size]
        offset += size
        if only is not None and name not in only:
            continue
        if kind in ("f8", "f4"):
            out[name] = np.frombuffer(part, dtype="<" + kind).astype(float)
        elif kind == "u1":
            out[name] = np.frombuffer(part, dtype="u1").astype(bool)
        elif kind == "day":
            out[name] = _datetimes(np.frombuffer(part, dtype="<i4").astype("int64"))
        elif kind == "text":
            out[name] = _decode_text(part, extra, rows)
        elif kind == "label":
            head_size, count = extra
            head_end = head_size + count
            table = np.empty(count + 1, dtype=object)
            table[:count] = _decode_text(part[:head_end], head_size, count)
            table[count] = None  # code -1: missing
            out[name] = table[np.frombuffer(part[head_end:], dtype="<i4")]
        else:
            raise ValueError(f"unknown column type {kind!r}")
    return out


def datetimes(values: Any) -> np.ndarray:
    """Dates, datetimes or ISO text as ``datetime64[us]`` days (NaT where missing), each distinct value
    converted once."""
    return _datetimes(_days(values))


def _datetimes(days: np.ndarray) -> np.ndarray:
    values = days.astype("datetime64[D]").astype("datetime64[us]")
    values[days == _NO_DAY] = np.datetime64("NaT")
    return values


def _days(values: Any) -> np.ndarray:
    """Days since 1970 as int64 for dates, datetimes or ISO text; _NO_DAY where missing."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        days = values.astype("datetime64[D]").astype("int64")
        days[np.isnat(values)] = _NO_DAY
        return days
    codes, uniques = pd.factorize(pd.Series(values, copy=False), use_na_sentinel=True)
    if len(uniques):
        stamps = pd.to_datetime(pd.Index(uniques), format="ISO8601") if uniques.dtype == object and \
            isinstance(uniques[0], str) else pd.DatetimeIndex(pd.Index(uniques).astype("datetime64[us]"))
        table = stamps.to_numpy().astype("datetime64[D]").astype("int64")
    else:
        table = np.zeros(0, dtype="int64")
    return np.append(table, _NO_DAY)[codes]  # code -1 (missing) picks the trailing _NO_DAY


def _encode_text(values: Any) -> tuple[list[bytes], int]:
    """The values joined by NUL (a JSON list where a value holds a NUL itself), then one flag per row that
    is 1 where the value is missing: (the parts, the size of the text part). Joining is one C call; a
    dictionary of distinct values cost 10x more to build for the columns that matter (ids, titles, links:
    nearly all distinct)."""
    values = np.asarray(values, dtype=object)
    missing = values == None  # noqa: E711 (elementwise, and 2x quicker than pd.isna on text)
    texts = values
    if missing.any():
        texts = values.copy()
        texts[missing] = ""
    try:
        joined = _SEPARATOR.join(texts)
    except TypeError:  # not all text (NaN, numbers): missing ones as missing, the others spelt out
        missing = pd.isna(values)
        texts = np.array(["" if gone else str(v) for v, gone in zip(values, missing)], dtype=object)
        joined = _SEPARATOR.join(texts)
    body = joined.encode("utf-8")
    # U+0000 is the only character whose UTF-8 holds a zero byte: counting bytes finds a NUL inside a value
    if body.count(0) != max(len(texts) - 1, 0):
        marker, body = b"J", json.dumps(texts.tolist(), allow_nan=False).encode("utf-8")
    else:
        marker = b"S"
    return [marker, body, missing.astype("u1").tobytes()], 1 + len(body)


def _decode_text(part: memoryview, head_size: int, rows: int) -> np.ndarray:
    head = str(part[1:head_size], "utf-8")
    out = np.empty(rows, dtype=object)
    if rows:
        out[:] = json.loads(head) if part[0] == ord("J") else head.split(_SEPARATOR)
    missing = np.frombuffer(part[head_size:], dtype="u1").astype(bool)
    if missing.any():
        out[missing] = None
    return out
