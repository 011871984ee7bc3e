"""From typed columns (a ``Loaded`` table) to the frames and meta of an ImportBatch: rates as fractions, metric
columns, rows with the same keys merged or refused, dates checked, text fields, what the batch says about its
file."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from pinviewer.core import metrics
from pinviewer.core.formats import date_parsing, number_parsing, plausible, preamble, quoting
from pinviewer.core.formats.column_plan import NUMBER, Col
from pinviewer.core.formats.problems import Problems
from pinviewer.core.formats.sniff import Sniffed
from pinviewer.core.formats.table import Loaded
from pinviewer.core.formats.table_stream import TableText


def rates_as_fractions(loaded: Loaded, problems: Problems, meta: dict[str, Any]) -> None:
    """Rate columns as fractions (number_parsing.percent_scale), using numerator and denominator when the file has them.
    Milliseconds columns whose header says seconds are converted."""
    scales = {}
    for f, col in loaded.cols.items():
        if col.kind != NUMBER:
            continue
        m = metrics.BY_NAME.get(f)
        if m is None:
            continue
        if m.unit == metrics.RATE:
            ratio = None
            if m.numerator in loaded.numbers and m.denominator in loaded.numbers:
                with np.errstate(divide="ignore", invalid="ignore"):
                    ratio = loaded.numbers[m.numerator] / loaded.numbers[m.denominator]
            values, in_percent = number_parsing.percent_scale(loaded.numbers[f], loaded.percent[f],
                                                      header_percent=col.percent_header, ratio=ratio)
            loaded.numbers[f] = values
            absurd, why = plausible.implausible(metrics.RATE, values)
            if absurd.any() and ratio is not None:
                # more engagements than impressions (a Pin seen once, then saved and clicked) is 200 %: a rate
                # above 100 % stands when the row's own figures give it
                with np.errstate(invalid="ignore"):
                    close = np.abs(values - ratio) <= np.maximum(0.01, ratio * 0.05)
                    agrees = (values > 1) & np.isfinite(ratio) & close
                absurd &= ~agrees
            if absurd.any():
                label = quoting.printable(col.header)
                def cannot_be(i: int, values: np.ndarray = values, label: str = label, why: str = why) -> str:
                    return f"{values[i] * 100:.6g}% in {label} {why}"
                problems.rows(loaded.table, loaded.records, absurd, cannot_be, column=col.header)
            if loaded.percent[f].any():
                scales[col.header] = "percent (with % sign)"
            elif np.isfinite(values).any():
                scales[col.header] = "percent" if in_percent else "fraction"
        elif m.unit == metrics.MILLISECONDS and col.note and col.note.strip().lower() in ("s", "sec", "seconds",
                                                                                           "secs", "sekunden"):
            loaded.numbers[f] = loaded.numbers[f] * 1000.0
    if scales:
        meta.setdefault("rate_columns", {}).update(scales)


def metric_frame(loaded: Loaded, keep: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Canonical metric columns in header order (as float64)."""
    out = {}
    for f, col in sorted(loaded.cols.items(), key=lambda kv: kv[1].index):
        if col.kind == NUMBER and f in metrics.BY_NAME:
            values = loaded.numbers[f]
            out[f] = values if keep is None else values[keep]
    return out


def dedupe(frame: pd.DataFrame, keys: list[str], records: np.ndarray, table: TableText, problems: Problems,
           describe: Callable[[tuple[Any, ...]], str]) -> tuple[pd.DataFrame, np.ndarray]:
    """Rows with the same keys: identical ones are merged silently, different ones are a fatal problem.

    Pass only the key columns that vary (a column that is the same on every row adds nothing but time)."""
    if not len(frame):
        return frame, records
    dup = (frame[keys[0]].duplicated(keep=False) if len(keys) == 1 else frame.duplicated(keys, keep=False)).to_numpy()
    if not dup.any():
        return frame, records
    identical = frame.duplicated(keep="first").to_numpy()
    frame2 = frame.loc[~identical]
    rec2 = records[~identical]
    clash = frame2.duplicated(keys, keep=False).to_numpy()
    if clash.any():
        sub = frame2.loc[clash, keys]
        groups = sub.groupby(keys, sort=False, dropna=False).indices
        for key, positions in list(groups.items())[: max(1, problems.room)]:
            key = key if isinstance(key, tuple) else (key,)
            recs = rec2[np.flatnonzero(clash)[positions]]
            lines = table.lines(recs)
            where = ", ".join(str(int(x)) for x in lines[:5])
            problems.add(f"{describe(key)} appears more than once with different figures (rows {where}). "
                         "I can't tell which one is right.", row=int(lines[0]))
        first = ~frame2.duplicated(keys, keep="first").to_numpy()
        frame2, rec2 = frame2.loc[first], rec2[first]
    return frame2.reset_index(drop=True), rec2


def date_problems(loaded: Loaded, dates: date_parsing.Dates, col: Col, problems: Problems, *,
                  required: bool) -> np.ndarray:
    """Problems for dates that cannot be read (and missing ones when ``required``); returns the rows to keep."""
    raw = loaded.text[col.field]
    if dates.bad.any():
        problems.rows(loaded.table, loaded.records, dates.bad,
                      lambda i: f"'{quoting.quote_cell(raw[i])}' is not a date I can read.", column=col.header)
    bad = dates.bad.copy()
    outside = _days_out_of_range(dates.values, ~(dates.bad | dates.blank))
    if outside.any():
        problems.rows(loaded.table, loaded.records, outside,
                      lambda i: f"The date '{quoting.quote_cell(raw[i])}' in {quoting.printable(col.header)} "
                                f"{plausible.day_out_of_range(dates.values[i])}", column=col.header)
        bad |= outside
    if required and dates.blank.any():
        problems.rows(loaded.table, loaded.records, dates.blank,
                      lambda i: f"This row has no date in {col.header}.", column=col.header)
        bad |= dates.blank
    return ~bad


def _days_out_of_range(days: np.ndarray, where: np.ndarray) -> np.ndarray:
    """True where a day is before 2010 or after tomorrow (``plausible.day_out_of_range``); distinct days once."""
    out = np.zeros(len(days), dtype=bool)
    if not where.any():
        return out
    first, last = plausible.FIRST_DAY, plausible.last_day()
    present = days[where]
    try:
        lo, hi = min(present), max(present)
    except TypeError:  # not all dates: leave them to the reader
        return out
    if lo >= first and hi <= last:  # the usual case: one min and max
        return out
    out[np.flatnonzero(where)] = [d < first or d > last for d in present]
    return out


def text_column(values: np.ndarray) -> np.ndarray:
    """Stripped text, None where empty (for entity fields)."""
    try:  # the usual case, every value a str: str.strip mapped in C (about twice as fast)
        out = np.fromiter(map(str.strip, values), dtype=object, count=len(values))
    except TypeError:  # None, NaN...: empty
        out = np.array([v.strip() if isinstance(v, str) else "" for v in values], dtype=object)
    out[out == ""] = None
    return out


def base_meta(sn: Sniffed, loaded: Loaded) -> dict[str, Any]:
    """What a batch says about its file: preamble facts, encoding, totals rows, notes below the table."""
    table = loaded.table
    facts = preamble.facts(table.preamble if table.preamble else sn.preamble)
    meta = {"title": facts["title"], "preamble": facts["lines"], "items": facts["items"],
            "encoding": sn.encoding_label, "delimiter": sn.delimiter_name, "decimal": sn.decimal,
            "header_line": table.header_line, "totals": totals_meta(loaded, sn.decimal)}
    if loaded.notes:
        meta["notes"] = loaded.notes
    return meta


def totals_meta(loaded: Loaded, decimal: str) -> list[dict[str, Any]]:
    """Totals rows as {canonical metric: float} (kept for checks, never stored as facts)."""
    out = []
    for raw in loaded.totals:
        row = {}
        for f, col in loaded.cols.items():
            if col.kind == NUMBER:
                label = col.header or ""
                parsed = number_parsing.parse_numbers([raw.get(label, "")], decimal)
                value = float(parsed.values[0])
                if not np.isnan(value):
                    row[f] = value
        out.append({"values": row, "raw": raw})
    return out
