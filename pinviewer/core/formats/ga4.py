"""Google Analytics 4 report exports (docs/FORMATS.md §2): traffic acquisition, landing pages, daily tables.

* Traffic acquisition by ``Session source / medium``: ``periods`` rows, entity ``source`` / the source-medium
  text, for every row (the analysis picks Pinterest's with ``is_pinterest_source``). By channel group:
  entity ``channel`` and a warning that Pinterest is mixed with the other social networks there.
* Landing page (``Landing page`` or ``Landing page + query string``), ids normalised by ``urls.normalise_url``.
  With a session source column, Pinterest rows summed per page become entity ``post``; every row summed per
  page becomes entity ``page`` (all traffic: the same meaning ``page`` has when the report has no source
  column, so later imports of either kind replace like with like). Without a source column: only ``page``
  rows, and a warning.
* A table with a ``Date`` column: ``daily`` rows instead of periods; GA4's chart table after the main table
  (``Date,Sessions``) gives ``daily`` rows for entity ``site`` / ``all``.

The period comes from ``# Start date: YYYYMMDD`` / ``# End date:`` (or their translations).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from pinviewer.core import metrics
from pinviewer.core.formats import date_parsing, preamble, vocabulary
from pinviewer.core.formats.model import CHANNEL, DAILY_KEYS, PAGE, PERIOD_KEYS, POST, SITE, SOURCE, ImportBatch
from pinviewer.core.formats.sniff import Sniffed
from pinviewer.core.formats.table_stream import CsvFile, TableText
from pinviewer.core.formats.batch_frames import base_meta, date_problems, dedupe, metric_frame, rates_as_fractions
from pinviewer.core.formats.column_plan import Col, plan_columns, plan_table
from pinviewer.core.formats.problems import Problems
from pinviewer.core.formats.table import Loaded, ReadContext, load_table
from pinviewer.core.formats.urls import is_pinterest_source, normalise_url

TRAFFIC = "ga4_traffic"
TRAFFIC_LABEL = "Google Analytics traffic acquisition"
LANDING = "ga4_landing"
LANDING_LABEL = "Google Analytics landing pages"
DAILY = "ga4_daily"
DAILY_LABEL = "Google Analytics daily visits"

DIMENSIONS = ("source_medium", "source", "medium", "channel", "landing_page")
# per-session averages and rates: combined across rows weighted by sessions
_PER_SESSION = ("site_engagement_rate", "session_key_event_rate", "avg_engagement_time", "events_per_session")


def _ga4_metrics(cols: dict[str, Col]) -> list[str]:
    return [f for f in cols if f in metrics.BY_NAME and metrics.BY_NAME[f].source == "site"]


def _confidence(sn: Sniffed, cols: dict[str, Col], unused: list[int], key: str) -> float:
    named_unused = [i for i in unused if sn.header[i].strip()]
    base = 1.0 if "sessions" in cols else 0.8
    if cols[key].index != 0:
        base = min(base, 0.9)
    if named_unused:
        base = min(base, 0.95) - 0.5 * len(named_unused) / max(1, len(sn.header))
    return round(max(0.1, base), 2)


def score_traffic(sn: Sniffed) -> tuple[float, str] | None:
    cols, unused, _ = plan_columns(sn.header, vocabulary.GA4)
    found = _ga4_metrics(cols)
    key = next((k for k in ("source_medium", "source", "channel") if k in cols), None)
    if key is None or not found or "landing_page" in cols:
        return None
    what = "session source / medium" if key != "channel" else "channel group"
    return _confidence(sn, cols, unused, key), f"one row per {what} with {len(found)} website figures"


def score_landing(sn: Sniffed) -> tuple[float, str] | None:
    cols, unused, _ = plan_columns(sn.header, vocabulary.GA4)
    found = _ga4_metrics(cols)
    if "landing_page" not in cols or not found:
        return None
    return _confidence(sn, cols, unused, "landing_page"), f"one row per landing page with {len(found)} website figures"


def score_daily(sn: Sniffed) -> tuple[float, str] | None:
    cols, unused, _ = plan_columns(sn.header, vocabulary.GA4)
    found = _ga4_metrics(cols)
    if "date" not in cols or not found or any(d in cols for d in DIMENSIONS):
        return None
    if plan_columns(sn.header, vocabulary.PINTEREST)[0].keys() - {"date"}:
        return None  # Pinterest figures: not a GA4 table
    return _confidence(sn, cols, unused, "date"), f"one row per day with {len(found)} website figures"


# ---- combining rows ---------------------------------------------------------------------------------------

def combine(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows with the same keys summed: counts and money add up; per-session rates and averages are weighted by
    sessions; users (people may repeat) become NaN where rows were combined."""
    value_cols = [c for c in frame.columns if c not in keys]
    if not len(frame) or not frame.duplicated(keys).any():
        return frame.reset_index(drop=True)
    grouped = frame.groupby(keys, sort=False, dropna=False)
    out = grouped[value_cols].sum(min_count=1)
    size = grouped.size()
    if "sessions" in frame.columns:
        sessions = frame["sessions"]
        for c in _PER_SESSION:
            if c in frame.columns:
                weighted = (frame[c] * sessions).groupby([frame[k] for k in keys], sort=False, dropna=False)
                denominator = sessions.where(frame[c].notna()).groupby([frame[k] for k in keys], sort=False,
                                                                       dropna=False).sum(min_count=1)
                out[c] = weighted.sum(min_count=1) / denominator
    for c in value_cols:
        if c in _PER_SESSION and "sessions" not in frame.columns:
            out.loc[size > 1, c] = np.nan
        elif c in metrics.BY_NAME and metrics.BY_NAME[c].unit == metrics.COUNT and c not in metrics.ADDITIVE:
            out.loc[size > 1, c] = np.nan
    return out.reset_index()


# ---- reading ----------------------------------------------------------------------------------------------

def _dimension_text(values: np.ndarray) -> np.ndarray:
    out = np.array([v.strip() for v in values], dtype=object)
    out[out == ""] = "(not set)"
    return out


def _period(sn: Sniffed, table: TableText, ctx: ReadContext, problems: Problems,
            needed: bool) -> tuple[dt.date, dt.date] | None:
    period = preamble.find_period(table.preamble or sn.preamble)
    if period is None:
        period = ctx.period
    elif ctx.period is not None and tuple(ctx.period) != tuple(period):
        problems.warn(f"The file says it covers {period[0]} to {period[1]}; I used those dates, not "
                      f"{ctx.period[0]} to {ctx.period[1]}.")
    if period is None and needed:
        problems.add("I can't tell which dates this Google Analytics file covers: the “# Start date” and “# End "
                     "date” lines above the table are missing. Choose the dates of the report and import it again.")
    return period


def _rows(loaded: Loaded, problems: Problems, meta: dict[str, Any], entity_type: str | np.ndarray,
          entity_id: np.ndarray,
          period: tuple[dt.date, dt.date] | None) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """(daily, periods, records) for one table: daily when it has a Date column, else over ``period``."""
    rates_as_fractions(loaded, problems, meta)
    if "date" in loaded.cols:
        dates = date_parsing.parse_dates(loaded.text["date"], sequential=True)
        keep = date_problems(loaded, dates, loaded.cols["date"], problems, required=True)
        types = entity_type[keep] if isinstance(entity_type, np.ndarray) else entity_type
        daily = pd.DataFrame({"entity_type": types, "entity_id": entity_id[keep], "date": dates.values[keep],
                              **metric_frame(loaded, keep)})
        return daily, pd.DataFrame(columns=list(PERIOD_KEYS)), loaded.records[keep]
    start, end = period if period else (None, None)
    periods = pd.DataFrame({"entity_type": entity_type, "entity_id": entity_id, "start": start, "end": end,
                            **metric_frame(loaded)})
    return pd.DataFrame(columns=list(DAILY_KEYS)), periods, loaded.records


def _site_daily(cf: CsvFile, sn: Sniffed, ctx: ReadContext, problems: Problems,
                meta: dict[str, Any]) -> list[pd.DataFrame]:
    """GA4's chart table(s) after the main table: 'Date,Sessions' -> daily rows for the whole site."""
    frames: list[pd.DataFrame] = []
    while True:
        table = cf.next_table()
        if table is None:
            return frames
        cols, unused, _notes = plan_columns(table.header, vocabulary.GA4)
        if "date" not in cols or not _ga4_metrics(cols) or any(d in cols for d in DIMENSIONS):
            problems.warn(f"Line {table.header_line} starts another table ({', '.join(table.header[:5])}) that I "
                          "did not read.")
            meta.setdefault("other_tables", []).append({"header_line": table.header_line, "header": table.header})
            while table.read_raw(1 << 20):
                pass
            continue
        loaded = load_table(cf, table, cols, unused, ctx, problems, blank_first_is_total=True, what="days")
        meta["source_rows_daily"] = meta.get("source_rows_daily", 0) + loaded.rows
        for name in loaded.unrecognised():
            meta.setdefault("unrecognised_daily", []).append(name)
        rates_as_fractions(loaded, problems, meta)
        dates = date_parsing.parse_dates(loaded.text["date"], sequential=True)
        keep = date_problems(loaded, dates, cols["date"], problems, required=True)
        daily = pd.DataFrame({"entity_type": SITE, "entity_id": "all", "date": dates.values[keep],
                              **metric_frame(loaded, keep)})
        daily, _rec = dedupe(daily, ["date"], loaded.records[keep], table, problems, lambda k: f"The day {k[0]}")
        frames.append(daily)


def _concat(frames: list[pd.DataFrame], keys: Iterable[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=list(keys))
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def read(sn: Sniffed, ctx: ReadContext) -> ImportBatch:
    """Any GA4 table: traffic acquisition, landing pages or a daily table (see the module notes)."""
    problems = Problems()
    with CsvFile(sn, ctx.cancelled) as cf:
        table = cf.first_table()
        cols, unused = plan_table(table.header, vocabulary.GA4, problems)
        loaded = load_table(cf, table, cols, unused, ctx, problems, blank_first_is_total=True)
        meta = base_meta(sn, loaded)
        extra_daily = _site_daily(cf, sn, ctx, problems, meta)
    unrecognised = loaded.unrecognised() + meta.pop("unrecognised_daily", [])
    source_rows = loaded.rows + meta.pop("source_rows_daily", 0)
    if loaded.rows == 0:
        problems.add("There are no figures in this file, only column names. Export the report again for a date "
                     "range with visits.")
    has_date = "date" in cols
    period = _period(sn, table, ctx, problems, needed=not has_date)
    daily_frames: list[pd.DataFrame] = []
    period_frames: list[pd.DataFrame] = []
    used: set[str | None]
    if "landing_page" in cols:
        fmt, label = LANDING, LANDING_LABEL
        used, frames = _landing_frames(loaded, problems, meta, period)
        (daily_frames if has_date else period_frames).extend(frames)
    elif any(k in cols for k in ("source_medium", "source", "channel")):
        fmt, label = TRAFFIC, TRAFFIC_LABEL
        used, frame = _traffic_frames(loaded, problems, meta, period)
        (daily_frames if has_date else period_frames).append(frame)
    else:
        fmt, label, used = DAILY, DAILY_LABEL, set()
        daily, _periods, records = _rows(loaded, problems, meta, SITE, np.full(loaded.rows, "all", dtype=object),
                                         period)
        daily, _rec = dedupe(daily, ["date"], records, table, problems, lambda k: f"The day {k[0]}")
        daily_frames.append(daily)

    # a second dimension the report's kind does not use (a channel column beside the source...) is reported
    unrecognised += [c.header for f, c in cols.items() if f in DIMENSIONS and f not in used]
    daily_frames.extend(extra_daily)
    batch_daily = _concat(daily_frames, DAILY_KEYS)
    if period is None and len(batch_daily):
        period = (min(batch_daily["date"]), max(batch_daily["date"]))
    return ImportBatch(format=fmt, format_label=label, daily=batch_daily, periods=_concat(period_frames, PERIOD_KEYS),
                       confidence=ctx.confidence, source_rows=source_rows, unrecognised=unrecognised,
                       problems=problems.finish(), period=period, path=sn.path, meta=meta)


def _landing_frames(loaded: Loaded, problems: Problems, meta: dict[str, Any],
                    period: tuple[dt.date, dt.date] | None) -> tuple[set[str | None], list[pd.DataFrame]]:
    """A landing-page report's rows (see the module notes): the dimensions used, and the frames (daily rows when
    the table has a Date column, else rows over the period), combined per page."""
    cols, has_date = loaded.cols, "date" in loaded.cols
    pages = loaded.text["landing_page"]
    codes, uniques = pd.factorize(pd.Series(pages, dtype=object), sort=False)
    ids = np.array([normalise_url(u) or "(not set)" for u in uniques], dtype=object)[codes]
    source_col = next((k for k in ("source_medium", "source") if k in cols), None)
    used = {"landing_page", source_col}
    daily, periods, records = _rows(loaded, problems, meta, PAGE, ids, period)
    if source_col is None:
        problems.warn("This landing-page report has no session source column, so I can't tell which visits "
                      "came from Pinterest. In Google Analytics, add the secondary dimension “Session source / "
                      "medium” and export the report again.")
        frames = [daily if has_date else periods]
    else:
        sources = _dimension_text(loaded.text[source_col])
        s_codes, s_uniques = pd.factorize(pd.Series(sources, dtype=object), sort=False)
        pin_mask = np.array([is_pinterest_source(u) for u in s_uniques], dtype=bool)[s_codes] \
            if len(s_uniques) else np.zeros(0, dtype=bool)
        frame = daily if has_date else periods
        if has_date:  # rows with unreadable dates were dropped: align the mask
            pin_mask = pin_mask[np.isin(loaded.records, records)]
        posts = frame.loc[pin_mask].assign(entity_type=POST)
        frames = [posts, frame]
        meta["pinterest_rows"] = int(pin_mask.sum())
    keys = ["entity_type", "entity_id", "date"] if has_date else list(PERIOD_KEYS)
    return used, [combine(f, keys) for f in frames]


def _traffic_frames(loaded: Loaded, problems: Problems, meta: dict[str, Any],
                    period: tuple[dt.date, dt.date] | None) -> tuple[set[str | None], pd.DataFrame]:
    """A traffic-acquisition report's rows, one per source (or channel): the dimensions used, and the frame."""
    cols, has_date = loaded.cols, "date" in loaded.cols
    used: set[str | None]
    if "source_medium" in cols:
        ids, etype, used = _dimension_text(loaded.text["source_medium"]), SOURCE, {"source_medium"}
    elif "source" in cols:
        ids, etype, used = _dimension_text(loaded.text["source"]), SOURCE, {"source", "medium"}
        if "medium" in cols:
            mediums = _dimension_text(loaded.text["medium"])
            ids = np.array([f"{s} / {m}" for s, m in zip(ids, mediums)], dtype=object)
    else:
        ids, etype, used = _dimension_text(loaded.text["channel"]), CHANNEL, {"channel"}
        problems.warn("This report groups visits by channel, so Pinterest is counted together with the other "
                      "social networks (in “Organic Social”). In Google Analytics, change the primary dimension "
                      "to “Session source / medium” and export the report again to see Pinterest on its own.")
    daily, periods, records = _rows(loaded, problems, meta, etype, ids, period)
    frame = daily if has_date else periods
    keys = ["entity_id", "date"] if has_date else ["entity_id"]
    frame, _rec = dedupe(frame, keys, records, loaded.table, problems,
                         lambda k: f"“{k[0]}”" + (f" on {k[1]}" if len(k) > 1 else ""))
    return used, frame
