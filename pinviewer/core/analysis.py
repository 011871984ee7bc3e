"""What the figures say for a period: totals, rates, comparison, daily series, funnel, Pins and posts.

Qt-free and pandas-only. Rates are always ratios of totals (as Pinterest defines them), never averages of
daily rates. Views derived from a Dataset are computed once and kept in ``dataset.cache``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from pinviewer.core import metrics
from pinviewer.core.coverage import Cover, RangeTable, daily_cover, make_cover
from pinviewer.core.formats.model import ACCOUNT, BOARD, PIN, POST, SOURCE
from pinviewer.core.store import Dataset

T = TypeVar("T")

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
        """'1 Sep – 22 Nov 2026' (English month names whatever the system locale)."""
        from pinviewer.core import wording

        return wording.format_short_period(self)

    def as_dict(self) -> dict[str, Any]:
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
def _cached(ds: Dataset, key: Hashable, build: Callable[[], T]) -> T:
    if key not in ds.cache:
        ds.cache[key] = build()
    value: T = ds.cache[key]
    return value


def account_daily(ds: Dataset) -> pd.DataFrame:
    """The account's daily figures, one row per day (DatetimeIndex), sorted, provisional flag included."""
    def build() -> pd.DataFrame:
        rows = ds.daily[ds.daily["entity_type"] == ACCOUNT]
        frame = rows.drop(columns=["entity_type", "entity_id"]).set_index("date").sort_index()
        return frame
    return _cached(ds, "account_daily", build)


def data_range(ds: Dataset) -> Period | None:
    """First and last day with any figure: the account's daily figures, Google Analytics and Pin downloads."""
    def build() -> Period | None:
        firsts, lasts = [], []
        if len(ds.daily):
            firsts.append(ds.daily["date"].min())
            lasts.append(ds.daily["date"].max())
        if len(ds.periods):
            firsts.append(ds.periods["start"].min())
            lasts.append(ds.periods["end"].max())
        if not firsts:
            return None
        return Period(min(firsts).date(), max(lasts).date())
    return _cached(ds, "data_range", build)


PRESET_LABELS = {"last_7": "Last 7 days", "last_30": "Last 30 days", "last_90": "Last 90 days",
                 "this_month": "This month", "last_month": "Last month", "all_time": "All time",
                 "custom": "Custom…"}


def preset_period(ds: Dataset, preset: str = "last_30", today: dt.date | None = None) -> Period | None:
    """A preset period. "Last N days" end on the last day with data (so old imports still show something);
    "this month" and "last month" are calendar months of ``today`` (this month up to today)."""
    whole = data_range(ds)
    if whole is None:
        return None
    end = whole.end
    today = today or dt.date.today()
    if preset.startswith("last_") and preset[5:].isdigit():
        return Period(end - dt.timedelta(days=int(preset[5:]) - 1), end)
    if preset == "this_month":
        return Period(today.replace(day=1), today)
    if preset == "last_month":
        last = today.replace(day=1) - dt.timedelta(days=1)
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


def period_daily(ds: Dataset, period: Period) -> pd.DataFrame:
    """The account's daily rows inside the period."""
    return _slice(account_daily(ds), period)


def totals(ds: Dataset, period: Period) -> dict[str, float | None]:
    """Sums of the additive account metrics over the period (None where nothing is known)."""
    rows = _slice(account_daily(ds), period)
    return {name: _sum(rows, name) for name in metrics.PINTEREST_TOTALS}


def rates(total: dict[str, float | None]) -> dict[str, float | None]:
    out = {}
    for name in metrics.PINTEREST_RATES:
        m = metrics.BY_NAME[name]
        out[name] = metrics.rate(total.get(m.numerator or ""), total.get(m.denominator or ""))
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
def daily_series(ds: Dataset, period: Period,
                 names: tuple[str, ...] = ("outbound_clicks", "saves", "impressions")) -> pd.DataFrame:
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
        # an average only where the day has its own figure: a line drawn over days without one would invent them
        out[name + "_avg7"] = column.rolling(7, min_periods=4).mean().reindex(index).where(out[name].notna())
    out["provisional"] = full["provisional"].reindex(index).fillna(False).astype(bool)
    return out


# ----------------------------------------------------------------------------------------- period facts
SITE_METRICS = ("sessions", "key_events", "revenue")
PIN_COUNTS = ("impressions", "saves", "outbound_clicks", "pin_clicks", "engagements")


def range_table(ds: Dataset, entity_type: str) -> RangeTable:
    """The period rows of one entity type, indexed for adding up downloads (Google Analytics sources: only
    Pinterest's, see ``urls.is_pinterest_source``). Built once per dataset, from the columns it needs only."""
    def build() -> RangeTable:
        periods = ds.periods
        type_codes, types = _cached(ds, "period_types", lambda: pd.factorize(periods["entity_type"].to_numpy(object)))
        where = np.flatnonzero(type_codes == (list(types).index(entity_type) if entity_type in list(types) else -2))
        ids = periods["entity_id"].to_numpy(object)[where]
        if entity_type == SOURCE and len(where):
            from pinviewer.core.formats.urls import is_pinterest_source

            codes, uniques = pd.factorize(ids)
            keep = np.array([is_pinterest_source(u) for u in uniques] + [False], dtype=bool)[codes]
            where, ids = where[keep], ids[keep]
        columns: dict[str, np.ndarray] = {}
        for name in periods.columns:
            if name in metrics.BY_NAME:
                values = periods[name].to_numpy(float)[where]
                if len(values) and not np.isnan(values).all():
                    columns[name] = values
        return RangeTable(ids, periods["start"].to_numpy()[where], periods["end"].to_numpy()[where], columns)
    return _cached(ds, ("ranges", entity_type), build)


def site_parts(ds: Dataset, period: Period) -> dict[str, tuple[float | None, Cover | None]]:
    """Pinterest visits, conversions (key events) and revenue from Google Analytics, added up over the best
    downloads for the period: traffic-acquisition rows from Pinterest, else the landing pages from Pinterest."""
    def build() -> dict[str, tuple[float | None, Cover | None]]:
        sources, pages = range_table(ds, SOURCE), range_table(ds, POST)
        out: dict[str, tuple[float | None, Cover | None]] = {}
        for name in SITE_METRICS:
            table, codes = sources, sources.choose(name, period.start, period.end)
            if not len(codes):
                table, codes = pages, pages.choose(name, period.start, period.end)
            out[name] = (table.total(name, codes), table.cover(codes, period.start, period.end))
        return out
    return _cached(ds, ("site", period), build)


def site(ds: Dataset, period: Period) -> tuple[dict[str, float | None] | None, Period | None]:
    """Pinterest traffic on the website (Google Analytics): sessions, key events, revenue, and the first and
    last day of the downloads added up (None, None without any)."""
    parts = site_parts(ds, period)
    if all(value is None for value, _cover in parts.values()):
        return None, None
    covers = [cover for _value, cover in parts.values() if cover is not None]
    span = _span_of(covers)
    return {name: value for name, (value, _cover) in parts.items()}, span


def _span_of(covers: Sequence[Cover | None]) -> Period | None:
    spans = [span for c in covers if c is not None and (span := c.span()) is not None]  # span: None without ranges
    if not spans:
        return None
    return Period(min(s.start for s in spans), max(s.end for s in spans))


def _period_rows(ds: Dataset, entity_type: str, period: Period) -> tuple[pd.DataFrame, Period | None]:
    """One row per entity with each figure added up over the best downloads for the period (entity_id +
    metrics), and the first and last day those downloads cover."""
    def build() -> tuple[pd.DataFrame, Period | None, Cover | None]:
        table = range_table(ds, entity_type)
        frame = pd.DataFrame({"entity_id": np.asarray(table.entities, dtype=object)})
        covers: list[Cover | None] = []
        for name in table.metrics():
            codes = table.choose(name, period.start, period.end)
            frame[name] = table.per_entity(name, codes)
            covers.append(table.cover(codes, period.start, period.end))
        names = table.metrics()
        if names:
            frame = frame[frame[names].notna().any(axis=1).to_numpy()]
        else:
            frame = frame.iloc[0:0]
        return frame.reset_index(drop=True), _span_of(covers), _union(covers, period)
    built = _cached(ds, ("period_rows", entity_type, period), build)
    return built[0], built[1]


def _union(covers: list[Cover | None], period: Period) -> Cover | None:
    ranges = sorted({r for c in covers if c is not None for r in c.ranges})
    if not ranges:
        return None
    epoch = dt.date(1970, 1, 1)
    merged: list[list[int]] = []
    for first, last in ranges:
        a, b = (first - epoch).days, (last - epoch).days
        if merged and a <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    daily = all(c.daily for c in covers if c is not None)
    return make_cover(period.start, period.end, [m[0] for m in merged], [m[1] for m in merged], daily=daily)


def _entities(ds: Dataset, entity_type: str) -> pd.DataFrame:
    def build() -> pd.DataFrame:
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
    """Every Pin with its figures for the period, and the first and last day those figures cover.

    Pins with daily figures (from the API) are summed over the period's days; the Pin downloads (top-Pins
    files, the API's 90-day counters) are added up over the best set for the period, metric by metric
    (``coverage``). A Pin's rate is given only where its two counts come from the same days.
    The table is computed once per period and shared: callers must not modify it.
    """
    built = _cached(ds, ("pins", period), lambda: _pins(ds, period))
    return built[0], built[1]


def pins_cover(ds: Dataset, period: Period) -> Cover | None:
    """The days the Pin figures of the period really count (every download added up, and daily days)."""
    return _cached(ds, ("pins", period), lambda: _pins(ds, period))[2]


def _pins(ds: Dataset, period: Period) -> tuple[pd.DataFrame, Period | None, Cover | None]:
    """Built with numpy arrays and one frame at the end: on 50,000 Pins this is most of a period's summary."""
    ranges = range_table(ds, PIN)
    ids = np.asarray(ranges.entities, dtype=object)
    values: dict[str, np.ndarray] = {}
    chosen: dict[str, tuple[int, ...]] = {}
    covers: list[Cover | None] = []
    for name in PIN_COUNTS:
        codes = ranges.choose(name, period.start, period.end)
        values[name] = ranges.per_entity(name, codes)
        chosen[name] = tuple(codes.tolist())
        covers.append(ranges.cover(codes, period.start, period.end))
    text = {name: column for name, column in _pin_text(ds).items()}  # aligned with ``ids``
    if len(ids):
        keep = np.zeros(len(ids), dtype=bool)
        for name in PIN_COUNTS:
            keep |= ~np.isnan(values[name])
        if not keep.all():
            ids = ids[keep]
            values = {name: column[keep] for name, column in values.items()}
            text = {name: (column if name in ("post_urls", "post_titles") else column[keep])
                    for name, column in text.items()}
    same_days = {name: chosen[name] == chosen["impressions"] for name in PIN_COUNTS}
    daily_pins = _cached(ds, "pin_daily", lambda: ds.daily[ds.daily["entity_type"] == PIN])
    if len(daily_pins):
        in_period = daily_pins[(daily_pins["date"] >= pd.Timestamp(period.start))
                               & (daily_pins["date"] <= pd.Timestamp(period.end))]
        if len(in_period):  # daily figures (the API) win over downloads for the Pins that have them
            sums = in_period.groupby("entity_id")[[c for c in PIN_COUNTS if c in in_period]].sum(min_count=1)
            table = pd.DataFrame({name: values[name] for name in PIN_COUNTS}, index=pd.Index(ids, dtype=object))
            table = sums.combine_first(table) if len(table) else sums
            ids = table.index.to_numpy(object)
            values = {name: (table[name].to_numpy(float) if name in table else np.full(len(ids), np.nan))
                      for name in PIN_COUNTS}
            days = in_period["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
            covers.append(daily_cover(period.start, period.end, days))
            same_days = {name: True for name in PIN_COUNTS}
            text = _pin_text(ds, ids)
    with np.errstate(divide="ignore", invalid="ignore"):
        imp = values["impressions"]
        for rate, count in (("outbound_click_rate", "outbound_clicks"), ("save_rate", "saves")):
            values[rate] = np.where(imp > 0, values[count] / imp, np.nan) if same_days[count] else \
                np.full(len(ids), np.nan)  # a rate only over the same days
    columns = {"pin_id": pd.Series(ids, dtype=object)}
    for name in PIN_COLUMNS[1:]:
        columns[name] = pd.Series(text[name], dtype=object) if name in text else pd.Series(values[name])
    cover = _union(covers, period)
    ds.cache[("post_codes", period)] = (text["post_code"], text["post_urls"], text["post_titles"])  # for posts()
    return pd.DataFrame(columns), _span_of([cover] if cover else []), cover


PIN_TEXT = ("title", "board", "created", "format", "link", "post_url")


def _pin_text(ds: Dataset, ids: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The Pins' titles, boards, links... aligned with ``ids`` (default: every Pin with downloads, in the order
    of their index, looked up once per dataset)."""
    if ids is None:
        return _cached(ds, "pin_text", lambda: _pin_text(ds, np.asarray(range_table(ds, PIN).entities, dtype=object)))
    info = _entities(ds, PIN)
    at = (info.index.get_indexer(ids)  # type: ignore[arg-type]  # pandas-stubs: any array-like is a target
          if len(info) else np.full(len(ids), -1))
    missing = at < 0
    text: dict[str, np.ndarray] = {}
    for name in PIN_TEXT:
        column = np.full(len(ids), None, dtype=object)
        if name in info and len(info):
            column = info[name].to_numpy(object)[np.maximum(at, 0)]
            if missing.any():
                column = column.copy()
                column[missing] = None
        text[name] = column
    text["post_code"], uniques = pd.factorize(text["post_url"])  # -1: no post; the posts group by it
    text["post_code"] = np.asarray(text["post_code"], dtype=np.int64)
    text["post_urls"] = np.asarray(uniques, dtype=object)  # not row-aligned: the codes' URLs
    first = np.full(len(uniques), len(ids), dtype=np.int64)  # each post's title: that of its first Pin
    has = text["post_code"] >= 0
    np.minimum.at(first, text["post_code"][has], np.flatnonzero(has))
    text["post_titles"] = text["title"][np.minimum(first, max(len(ids) - 1, 0))] if len(ids) else \
        np.zeros(0, dtype=object)  # not row-aligned either
    return text


def top_pins(table: pd.DataFrame, by: str = "outbound_clicks", n: int = 10,
             min_impressions: int = MIN_IMPRESSIONS_FOR_RATES) -> pd.DataFrame:
    """The n best Pins by a count, or by a rate among Pins with at least ``min_impressions``."""
    if metrics.is_rate(by):
        table = table[table["impressions"].fillna(0) >= min_impressions]
    values = table[by].to_numpy(float)
    order = np.lexsort((-np.nan_to_num(table["impressions"].to_numpy(float)), -np.nan_to_num(values, nan=-1)))
    return table.iloc[order[:n]]


BOARD_COLUMNS = ("board_id", "name", "url", *PIN_COUNTS, "outbound_click_rate", "save_rate")


def boards(ds: Dataset, period: Period) -> tuple[pd.DataFrame, Cover | None]:
    """Every board with its figures for the period (Pinterest's Top Boards tables, added up over the downloads
    that best match it, metric by metric), best first by outbound clicks; unknown figures stay NaN."""
    return _cached(ds, ("boards", period), lambda: _boards(ds, period))


def _boards(ds: Dataset, period: Period) -> tuple[pd.DataFrame, Cover | None]:
    ranges = range_table(ds, BOARD)
    ids = np.asarray(ranges.entities, dtype=object)
    values: dict[str, np.ndarray] = {}
    covers: list[Cover | None] = []
    for name in PIN_COUNTS:
        codes = ranges.choose(name, period.start, period.end)
        values[name] = ranges.per_entity(name, codes)
        covers.append(ranges.cover(codes, period.start, period.end))
    keep = np.zeros(len(ids), dtype=bool)
    for column in values.values():
        keep |= ~np.isnan(column)
    info = _entities(ds, BOARD)
    at = (info.index.get_indexer(ids[keep])  # type: ignore[arg-type]  # pandas-stubs: any array-like is a target
          if len(info) else np.full(int(keep.sum()), -1))
    table = pd.DataFrame({"board_id": pd.Series(ids[keep], dtype=object)})
    for name in ("name", "url"):
        column = info[name].to_numpy(object)[np.maximum(at, 0)] if name in info and len(info) else \
            np.full(len(at), None, dtype=object)
        kept = np.where(at >= 0, column, None)  # type: ignore[arg-type]  # numpy stubs: None is a valid scalar here
        table[name] = pd.Series(kept, dtype=object)
    if "name" in info and len(info):  # a connected account names its boards as the blogger wrote them
        written = {_slug(str(n)): n for key, n in zip(info.index, info["name"]) if "/" not in str(key) and n}
        table["name"] = [written.get(str(b).rpartition("/")[2], n) for b, n in zip(table["board_id"], table["name"])]
    for name in PIN_COUNTS:
        table[name] = values[name][keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        imp = table["impressions"].to_numpy(float)
        table["outbound_click_rate"] = np.where(imp > 0, table["outbound_clicks"].to_numpy(float) / imp, np.nan)
        table["save_rate"] = np.where(imp > 0, table["saves"].to_numpy(float) / imp, np.nan)
    table = table.sort_values(["outbound_clicks", "impressions"], ascending=False, na_position="last")
    return table.reset_index(drop=True), _union(covers, period)


def _slug(name: str) -> str:
    """'Baking & Sourdough' -> 'baking-sourdough', as Pinterest writes a board's name in its link."""
    words = "".join(c if c.isalnum() else " " for c in name.lower()).split()
    return "-".join(words)


def posts(ds: Dataset, period: Period, pin_table: pd.DataFrame | None = None) -> tuple[pd.DataFrame, Period | None]:
    """Blog posts: Pins grouped by their normalised destination, joined to GA4 landing pages.

    GA4 gives landing pages as paths ('/lemon-chicken/'), Pins link to full URLs: they meet on the path.
    """
    if pin_table is None:
        pin_table, _ = pins(ds, period)
    return _cached(ds, ("posts", period), lambda: _posts(ds, period, pin_table))


def _path_key(ds: Dataset, url: str) -> str:
    from pinviewer.core.formats.urls import path_key

    keys: dict[str, str] = _cached(ds, "path_keys", dict)
    if url not in keys:
        keys[url] = path_key(url)
    return keys[url]


def _group_sum(codes: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """Sums per group code; NaN for a group where nothing is known (unknown is not zero)."""
    known = ~np.isnan(values)
    sums = np.bincount(codes[known], weights=values[known], minlength=k).astype(float)
    sums[np.bincount(codes[known], minlength=k) == 0] = np.nan
    return sums


def _posts(ds: Dataset, period: Period, pin_table: pd.DataFrame) -> tuple[pd.DataFrame, Period | None]:
    known = ds.cache.get(("post_codes", period))
    if known is not None and len(known[0]) == len(pin_table):
        all_codes, uniques, titles = known
        has = all_codes >= 0
        codes = all_codes[has]
        used = np.bincount(codes, minlength=len(uniques)) > 0  # posts of Pins with figures in the period
        if not used.all():
            renumber = np.cumsum(used) - 1
            codes, uniques, titles = renumber[codes], uniques[used], titles[used]
    else:
        urls = pin_table["post_url"].to_numpy(object)
        has = pd.notna(urls)
        codes, uniques = pd.factorize(urls[has])
        _unique, first = np.unique(codes, return_index=True)
        titles = pin_table["title"].to_numpy(object)[has][first]
    k = len(uniques)
    grouped = pd.DataFrame({"url": pd.Series(np.asarray(uniques, dtype=object), dtype=object),
                            "pins": np.bincount(codes, minlength=k)})
    for name in ("impressions", "saves", "outbound_clicks"):
        grouped[name] = _group_sum(codes, pin_table[name].to_numpy(float)[has], k)
    grouped["title"] = pd.Series(np.asarray(titles, dtype=object), dtype=object)
    grouped["path"] = [_path_key(ds, u) for u in grouped["url"]]
    landing, covered = _period_rows(ds, POST, period)
    columns = list(SITE_METRICS)
    for name in columns:
        grouped[name] = np.nan
    if len(landing):  # Google Analytics landing pages meet the Pins' posts on their path
        pages = landing["entity_id"].to_numpy(object)
        codes, paths = pd.factorize(np.array([_path_key(ds, u) for u in pages], dtype=object))
        k = len(paths)
        first = np.full(k, len(pages), dtype=np.int64)
        np.minimum.at(first, codes, np.arange(len(pages)))
        sums = {c: _group_sum(codes, landing[c].to_numpy(float), k) for c in columns if c in landing}
        index = {path: i for i, path in enumerate(paths)}
        at = np.array([index.get(path, -1) for path in grouped["path"]], dtype=np.int64)
        matched = at >= 0
        for name, values in sums.items():
            column = np.full(len(grouped), np.nan)
            column[matched] = values[at[matched]]
            grouped[name] = column
        alone = np.setdiff1d(np.arange(k), at[matched])  # pages no Pin links to
        if len(alone):
            extra = pd.DataFrame({"url": pd.Series(pages[first[alone]], dtype=object), "pins": 0,
                                  "impressions": np.nan, "saves": np.nan, "outbound_clicks": np.nan,
                                  "title": pd.Series([None] * len(alone), dtype=object), "path": paths[alone]})
            for name in columns:
                extra[name] = sums[name][alone] if name in sums else np.nan
            grouped = pd.concat([grouped, extra], ignore_index=True)
    grouped = grouped.drop(columns=["path"])
    return grouped.sort_values(["outbound_clicks", "sessions"], ascending=False, na_position="last"), covered


def posts_cover(ds: Dataset, period: Period) -> Cover | None:
    """The days the posts' Google Analytics figures really count."""
    _period_rows(ds, POST, period)
    built: tuple[pd.DataFrame, Period | None, Cover | None] = ds.cache[("period_rows", POST, period)]  # just built
    return built[2]


def summary(ds: Dataset, period: Period | None = None, compare: str = "previous", top: int = 10,
            currency: str | None = None) -> dict[str, Any]:
    """Everything a summary shows, as plain data (the JSON of ``pinviewer summary --json``): the period summary
    (``core.period_summary``) written out by its one JSON function."""
    from pinviewer.core import period_summary

    return period_summary.summary_json(period_summary.summarise(ds, period, compare, currency=currency), top)
