"""What the figures say for a period: totals, rates, comparison, daily series, funnel, Pins and posts.

Qt-free and pandas-only. Rates are always ratios of totals (as Pinterest defines them), never averages of
daily rates. Views derived from a Dataset are computed once and kept in ``dataset.cache``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pinviewer.core import metrics
from pinviewer.core.formats.model import ACCOUNT, PIN, POST, SOURCE
from pinviewer.core.store import Dataset

MIN_IMPRESSIONS_FOR_RATES = 100  # a Pin needs this many impressions before its rates rank it
PIN_COLUMNS = ("pin_id", "title", "board", "created", "format", "link", "post_url", "impressions", "saves",
               "outbound_clicks", "pin_clicks", "engagements", "outbound_click_rate", "save_rate")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of equal length just before this one."""
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)

    def year_before(self) -> Period:
        return Period(_minus_year(self.start), _minus_year(self.end))

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def label(self) -> str:
        if self.start == self.end:
            return f"{self.start:%d %b %Y}"
        if self.start.year == self.end.year:
            return f"{self.start:%d %b} – {self.end:%d %b %Y}"
        return f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"

    def as_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "days": self.days}


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def parse_day(text: str) -> dt.date:
    from pinviewer.core.errors import PinviewerError

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PinviewerError(f"'{text}' is not a date I can read; write it as YYYY-MM-DD, e.g. 2025-03-01.") from None


# ------------------------------------------------------------------------------------------ derived views
def _cached(ds: Dataset, key, build):
    if key not in ds.cache:
        ds.cache[key] = build()
    return ds.cache[key]


def account_daily(ds: Dataset) -> pd.DataFrame:
    """The account's daily figures, one row per day (DatetimeIndex), sorted, provisional flag included."""
    def build():
        rows = ds.daily[ds.daily["entity_type"] == ACCOUNT]
        frame = rows.drop(columns=["entity_type", "entity_id"]).set_index("date").sort_index()
        return frame
    return _cached(ds, "account_daily", build)


def data_range(ds: Dataset) -> Period | None:
    """First and last day the account's daily figures cover (or, without them, any figures)."""
    daily = account_daily(ds)
    if len(daily):
        return Period(daily.index[0].date(), daily.index[-1].date())
    if len(ds.periods):
        return Period(ds.periods["start"].min().date(), ds.periods["end"].max().date())
    if len(ds.daily):
        return Period(ds.daily["date"].min().date(), ds.daily["date"].max().date())
    return None


PRESETS = ("last_7", "last_30", "last_90", "this_month", "last_month", "all_time")
PRESET_LABELS = {"last_7": "Last 7 days", "last_30": "Last 30 days", "last_90": "Last 90 days",
                 "this_month": "This month", "last_month": "Last month", "all_time": "All time",
                 "custom": "Custom…"}


def preset_period(ds: Dataset, preset: str = "last_30") -> Period | None:
    """A preset period, anchored on the last day that has data (so old imports still show something)."""
    whole = data_range(ds)
    if whole is None:
        return None
    end = whole.end
    if preset.startswith("last_") and preset[5:].isdigit():
        return Period(end - dt.timedelta(days=int(preset[5:]) - 1), end)
    if preset == "this_month":
        return Period(end.replace(day=1), end)
    if preset == "last_month":
        last = end.replace(day=1) - dt.timedelta(days=1)
        return Period(last.replace(day=1), last)
    if preset == "all_time":
        return whole
    raise ValueError(f"unknown preset {preset!r}")


# ------------------------------------------------------------------------------------------------ totals
def _sum(frame: pd.DataFrame, name: str) -> float | None:
    if name not in frame or not frame[name].notna().any():
        return None
    return float(frame[name].sum())


def _slice(daily: pd.DataFrame, period: Period) -> pd.DataFrame:
    return daily.loc[pd.Timestamp(period.start):pd.Timestamp(period.end)]


def totals(ds: Dataset, period: Period) -> dict[str, float | None]:
    """Sums of the additive account metrics over the period (None where nothing is known)."""
    rows = _slice(account_daily(ds), period)
    return {name: _sum(rows, name) for name in metrics.PINTEREST_TOTALS}


def rates(total: dict[str, float | None]) -> dict[str, float | None]:
    out = {}
    for name in metrics.PINTEREST_RATES:
        m = metrics.BY_NAME[name]
        out[name] = metrics.rate(total.get(m.numerator), total.get(m.denominator))
    return out


def change(current: float | None, previous: float | None) -> float | None:
    """Relative change as a fraction; None where the previous value is 0 or unknown."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / previous


def provisional_days(ds: Dataset, period: Period) -> int:
    rows = _slice(account_daily(ds), period)
    return int(rows["provisional"].sum()) if "provisional" in rows else 0


def days_with_data(ds: Dataset, period: Period) -> int:
    return len(_slice(account_daily(ds), period))


# ------------------------------------------------------------------------------------------------ series
def daily_series(ds: Dataset, period: Period, names=("outbound_clicks", "saves", "impressions")) -> pd.DataFrame:
    """One row per calendar day of the period (missing days are NaN, not zero), with 7-day averages.

    The averages use the days before the period too, so the first week is not distorted.
    """
    daily = account_daily(ds)
    index = pd.date_range(pd.Timestamp(period.start), pd.Timestamp(period.end), freq="D")
    out = pd.DataFrame(index=index)
    if not len(daily):
        for name in names:
            out[name] = np.nan
            out[name + "_avg7"] = np.nan
        out["provisional"] = False
        return out
    full_index = pd.date_range(min(daily.index[0], index[0]), max(daily.index[-1], index[-1]), freq="D")
    full = daily.reindex(full_index)
    for name in names:
        column = full[name] if name in full else pd.Series(np.nan, index=full_index)
        out[name] = column.reindex(index)
        out[name + "_avg7"] = column.rolling(7, min_periods=4).mean().reindex(index)
    out["provisional"] = full["provisional"].reindex(index).fillna(False).astype(bool)
    return out


# ----------------------------------------------------------------------------------------- period facts
def _best_range(frame: pd.DataFrame, period: Period) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Of the date ranges period facts cover, the one that overlaps the period most (newest on ties)."""
    if not len(frame):
        return None
    ranges = frame[["start", "end"]].drop_duplicates()
    p_start, p_end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    overlap = (np.minimum(ranges["end"], p_end) - np.maximum(ranges["start"], p_start)).dt.days + 1
    ranges = ranges.assign(overlap=overlap.clip(lower=0))
    ranges = ranges[ranges["overlap"] > 0]
    if not len(ranges):
        return None
    best = ranges.sort_values(["overlap", "end", "start"], ascending=[False, False, False]).iloc[0]
    return best["start"], best["end"]


def _period_rows(ds: Dataset, entity_type: str, period: Period):
    rows = _cached(ds, ("periods", entity_type), lambda: ds.periods[ds.periods["entity_type"] == entity_type])
    best = _best_range(rows, period)
    if best is None:
        return rows.iloc[0:0], None
    chosen = rows[(rows["start"] == best[0]).to_numpy() & (rows["end"] == best[1]).to_numpy()]
    return chosen, Period(best[0].date(), best[1].date())


def _entities(ds: Dataset, entity_type: str) -> pd.DataFrame:
    def build():
        from pinviewer.core.formats.urls import normalise_url

        rows = ds.entities[ds.entities["entity_type"] == entity_type].drop(columns=["entity_type"])
        rows = rows.set_index("entity_id")
        if "link" in rows:
            codes, uniques = pd.factorize(rows["link"])  # many Pins share a post: normalise each link once
            normal = np.array([normalise_url(v) if isinstance(v, str) and v else None for v in uniques] + [None],
                              dtype=object)
            rows["post_url"] = normal[codes]
        return rows
    return _cached(ds, ("entities", entity_type), build)


def pins(ds: Dataset, period: Period) -> tuple[pd.DataFrame, Period | None]:
    """Every Pin with its figures for the period, and the date range those figures cover.

    Pins with daily figures (from the API) are summed over the period; the others take the period
    export (top-Pins file, or the API's 90-day counters) that overlaps the period most.
    The table is computed once per period and shared: callers must not modify it.
    """
    return _cached(ds, ("pins", period), lambda: _pins(ds, period))


def _pins(ds: Dataset, period: Period) -> tuple[pd.DataFrame, Period | None]:
    base, covered = _period_rows(ds, PIN, period)
    counts = [n for n in ("impressions", "saves", "outbound_clicks", "pin_clicks", "engagements")]
    table = pd.DataFrame({"pin_id": base["entity_id"].to_numpy()})
    for name in counts:
        table[name] = base[name].to_numpy(float) if name in base else np.nan
    daily_pins = _cached(ds, "pin_daily", lambda: ds.daily[ds.daily["entity_type"] == PIN])
    if len(daily_pins):
        in_period = daily_pins[(daily_pins["date"] >= pd.Timestamp(period.start))
                               & (daily_pins["date"] <= pd.Timestamp(period.end))]
        if len(in_period):
            sums = in_period.groupby("entity_id")[[c for c in counts if c in in_period]].sum(min_count=1)
            table = table.set_index("pin_id")
            table = sums.combine_first(table) if len(table) else sums
            table = table.rename_axis("pin_id").reset_index()
            first, last = in_period["date"].min().date(), in_period["date"].max().date()
            covered = Period(min(first, covered.start) if covered else first,
                             max(last, covered.end) if covered else last)
    info = _entities(ds, PIN)
    for name in ("title", "board", "created", "format", "link", "post_url"):
        if name in info:
            table[name] = info[name].reindex(table["pin_id"]).to_numpy()
        else:
            table[name] = None
    with np.errstate(divide="ignore", invalid="ignore"):
        imp = table["impressions"].to_numpy(float)
        table["outbound_click_rate"] = np.where(imp > 0, table["outbound_clicks"].to_numpy(float) / imp, np.nan)
        table["save_rate"] = np.where(imp > 0, table["saves"].to_numpy(float) / imp, np.nan)
    return table[list(PIN_COLUMNS)], covered


def top_pins(table: pd.DataFrame, by: str = "outbound_clicks", n: int = 10,
             min_impressions: int = MIN_IMPRESSIONS_FOR_RATES) -> pd.DataFrame:
    """The n best Pins by a count, or by a rate among Pins with at least ``min_impressions``."""
    if metrics.is_rate(by):
        table = table[table["impressions"].fillna(0) >= min_impressions]
    values = table[by].to_numpy(float)
    order = np.lexsort((-np.nan_to_num(table["impressions"].to_numpy(float)), -np.nan_to_num(values, nan=-1)))
    return table.iloc[order[:n]]


def site(ds: Dataset, period: Period) -> tuple[dict | None, Period | None]:
    """Pinterest traffic on the website (Google Analytics): sessions, key events, revenue."""
    from pinviewer.core.formats.urls import is_pinterest_source

    rows, covered = _period_rows(ds, SOURCE, period)
    if len(rows):
        rows = rows[[is_pinterest_source(s) for s in rows["entity_id"]]]
    if not len(rows):
        rows, covered = _period_rows(ds, POST, period)
    if not len(rows):
        return None, None
    return {name: _sum(rows, name) for name in ("sessions", "key_events", "revenue")}, covered


def posts(ds: Dataset, period: Period, pin_table: pd.DataFrame | None = None) -> tuple[pd.DataFrame, Period | None]:
    """Blog posts: Pins grouped by their normalised destination, joined to GA4 landing pages.

    GA4 gives landing pages as paths ('/lemon-chicken/'), Pins link to full URLs: they meet on the path.
    """
    from pinviewer.core.formats.urls import path_key

    if pin_table is None:
        pin_table, _ = pins(ds, period)
    linked = pin_table[pin_table["post_url"].notna()]
    grouped = linked.groupby("post_url").agg(
        pins=("pin_id", "size"), impressions=("impressions", "sum"), saves=("saves", "sum"),
        outbound_clicks=("outbound_clicks", "sum"), title=("title", "first"))
    grouped = grouped.rename_axis("url").reset_index()
    grouped["path"] = [path_key(u) for u in grouped["url"]]
    landing, covered = _period_rows(ds, POST, period)
    columns = ["sessions", "key_events", "revenue"]
    if len(landing):
        site_rows = landing[["entity_id", *[c for c in columns if c in landing]]].copy()
        site_rows["path"] = [path_key(u) for u in site_rows["entity_id"]]
        site_rows = site_rows.groupby("path").agg(
            landing=("entity_id", "first"), **{c: (c, lambda v: v.sum(min_count=1)) for c in columns if c in landing})
        grouped = grouped.merge(site_rows.reset_index(), on="path", how="outer")
        grouped["url"] = grouped["url"].fillna(grouped["landing"])
        grouped["pins"] = grouped["pins"].fillna(0).astype(int)
        grouped = grouped.drop(columns=["landing"])
    for name in columns:
        if name not in grouped:
            grouped[name] = np.nan
    grouped = grouped.drop(columns=["path"])
    return grouped.sort_values(["outbound_clicks", "sessions"], ascending=False, na_position="last"), covered


def funnel(total: dict, site_figures: dict | None) -> list[dict]:
    """From seen to sold: each step, its value and the rate from the step before."""
    values = dict(total)
    values.update(site_figures or {})
    steps, previous = [], None
    for name in metrics.FUNNEL:
        value = values.get(name)
        if value is None:
            continue
        step_rate = None
        if previous is not None and name != "revenue":
            step_rate = metrics.rate(value, previous)
        steps.append({"metric": name, "label": metrics.BY_NAME[name].label, "value": value, "rate": step_rate})
        if name != "revenue":
            previous = value
    return steps


# ------------------------------------------------------------------------------------------------ summary
def _clean(value):
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    return value


def _records(frame: pd.DataFrame, columns) -> list[dict]:
    return [{c: _clean(row[c]) for c in columns} for _, row in frame.iterrows()]


def summary(ds: Dataset, period: Period | None = None, compare: str = "previous", top: int = 10) -> dict:
    """Everything a summary shows, as plain data (the JSON of ``pinviewer summary --json``)."""
    period = period or preset_period(ds, "last_30")
    if period is None:
        from pinviewer.core.errors import PinviewerError

        raise PinviewerError("There is nothing to summarise yet: import a Pinterest export first "
                             "(pinviewer import FILE) or connect Pinterest.")
    other = period.year_before() if compare == "year" else period.previous()
    current, before = totals(ds, period), totals(ds, other)
    site_now, site_covered = site(ds, period)
    pin_table, pins_covered = pins(ds, period)
    post_table, posts_covered = posts(ds, period, pin_table)
    top_table = top_pins(pin_table, "outbound_clicks", top)
    return {
        "profile": ds.profile.name,
        "period": {**period.as_dict(), "provisional_days": provisional_days(ds, period),
                   "days_with_data": days_with_data(ds, period)},
        "totals": current,
        "rates": rates(current),
        "previous": {**other.as_dict(), "totals": before, "rates": rates(before), "compare": compare},
        "change": {name: change(current[name], before[name]) for name in current},
        "site": None if site_now is None else {**site_now, "covers": site_covered.as_dict()},
        "funnel": funnel(current, site_now),
        "top_pins": _records(top_table, ("pin_id", "title", "link", "impressions", "saves", "outbound_clicks",
                                         "outbound_click_rate")),
        "top_pins_cover": pins_covered.as_dict() if pins_covered else None,
        "top_posts": _records(post_table.head(top), ("url", "pins", "outbound_clicks", "saves", "sessions",
                                                     "key_events")),
        "top_posts_cover": (posts_covered or pins_covered).as_dict() if (posts_covered or pins_covered) else None,
    }
