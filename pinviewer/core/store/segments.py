"""Column segments: a batch's facts (or entities) kept column by column in the ``segments`` table, one row per
batch and part, at most SEGMENT_ROWS rows each (``columnar.py`` encodes them)."""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Collection, Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from pinviewer.core import columnar, metrics
from pinviewer.core.formats.model import ENTITY_FIELDS
from pinviewer.core.store.records import ALL_SERIES, MAIN_SERIES

SEGMENT_ROWS = 200_000  # rows per stored segment: bounds one blob's size and paces progress and Cancel


def write_segment(db: sqlite3.Connection, batch_id: int, profile_id: int, part: str, frame: pd.DataFrame) -> None:
    """One segment holding ``frame``'s rows: a store fact frame (``changes.fact_frame``) or a reader's entities."""
    if not len(frame):
        return
    columns: dict[str, Any] = {}
    types: dict[str, str] = {}
    first = last = None
    if part == "facts":
        columns["entity_type"], types["entity_type"] = frame["entity_type"].to_numpy(object), "label"
        columns["entity_id"], types["entity_id"] = frame["entity_id"].to_numpy(object), "text"
        for name in ("start", "end"):
            columns[name], types[name] = frame[name].to_numpy(), "day"
        columns["provisional"], types["provisional"] = frame["provisional"].to_numpy(), "u1"
        for name in metrics.NAMES:
            if name in frame.columns:
                values = pd.to_numeric(frame[name], errors="coerce").to_numpy(float)
                if not np.isnan(values).all():  # a column with nothing in it says nothing: not kept
                    columns[name], types[name] = values, "f8"
        days = date_range(frame, frame.iloc[0:0])  # None when no row has its dates
        first, last = (days[0].isoformat(), days[1].isoformat()) if days else (None, None)
    else:
        # ids differ row by row; descriptions repeat (a blog post has several Pins, with its link and often its
        # title): each distinct one is kept once
        columns["entity_type"], types["entity_type"] = str_column(frame["entity_type"]), "label"
        columns["entity_id"], types["entity_id"] = str_column(frame["entity_id"]), "text"
        for name in ENTITY_FIELDS:
            if name in frame.columns:
                columns[name], types[name] = _text_labels(frame[name]), "label"
    layout, data = columnar.encode(columns, types)
    db.execute("INSERT INTO segments(batch_id, profile_id, part, rows, first_day, last_day, layout, data) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (batch_id, profile_id, part, len(frame), first, last, layout, data))


def read_segments(db: sqlite3.Connection, profile_id: int, part: str, *, only: set[str] | None = None,
                  first: str | None = None, last: str | None = None, formats: Collection[str] | None = None,
                  series: str | None = MAIN_SERIES) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
    """Each stored segment's columns, in the order they were written (batch order)."""
    sql = ("SELECT s.rows, s.layout, s.data FROM segments s JOIN batches b ON b.id = s.batch_id "
           "WHERE s.profile_id = ? AND s.part = ? AND b.undone_at IS NULL")
    params: list[object] = [profile_id, part]
    if series != ALL_SERIES:
        sql += " AND b.series IS ?"
        params.append(series)
    if first is not None:
        sql += " AND s.last_day >= ?"
        params.append(first)
    if last is not None:
        sql += " AND s.first_day <= ?"
        params.append(last)
    if formats is not None:
        sql += f" AND b.format IN ({', '.join('?' * len(formats))})"
        params += list(formats)
    for rows, layout, data in db.execute(sql + " ORDER BY s.rowid", params).fetchall():
        yield rows, columnar.decode(layout, data, rows, only=only)


def stack(parts: Iterable[tuple[int, dict[str, np.ndarray]]], names: list[str],
          dtypes: dict[str, Any]) -> dict[str, np.ndarray]:
    """Segments' columns one after the other, as one array per name. A column a segment lacks is missing
    there: NaN for numbers, False for flags, None for text (``dtypes`` names the non-text columns)."""
    pieces: dict[str, list[np.ndarray]] = {name: [] for name in names}
    for rows, columns in parts:
        for name in names:
            if name in columns:
                pieces[name].append(columns[name])
            elif dtypes.get(name) is float:
                pieces[name].append(np.full(rows, np.nan))
            else:
                pieces[name].append(np.zeros(rows, dtype=dtypes[name]) if name in dtypes
                                    else np.full(rows, None, dtype=object))
    return {name: np.concatenate(arrays) if arrays else np.zeros(0, dtype=dtypes.get(name, object))
            for name, arrays in pieces.items()}


def str_column(column: pd.Series) -> np.ndarray:
    values = column.to_numpy(object)
    return values if pd.api.types.infer_dtype(values, skipna=False) == "string" else column.astype(str).to_numpy(object)


def date_range(daily: pd.DataFrame, periods: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """First and last day of the store rows (None when no row has its dates)."""
    starts = np.concatenate([daily["start"].to_numpy(), periods["start"].to_numpy()])
    ends = np.concatenate([daily["end"].to_numpy(), periods["end"].to_numpy()])
    starts, ends = starts[~np.isnat(starts)], ends[~np.isnat(ends)]
    if not len(starts) or not len(ends):
        return None
    return pd.Timestamp(starts.min()).date(), pd.Timestamp(ends.max()).date()


def _text_labels(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Descriptive values as (codes, distinct texts): dates as YYYY-MM-DD, None where missing or empty."""
    codes, uniques = pd.factorize(column.to_numpy(object), use_na_sentinel=True)
    return codes, np.array([_text_or_none(v) for v in uniques], dtype=object)


def _text_or_none(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10]
    text = str(value)
    return text or None
