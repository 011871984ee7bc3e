"""Everything the dashboard and the tables show for one period, computed in one go off the GUI thread.

Qt-free: it only calls pinviewer.core.analysis, exactly as ``analysis.summary`` does, so the cards show the
figures ``pinviewer summary --json`` prints for the same period and comparison.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pinviewer.core import analysis
from pinviewer.core.analysis import Period
from pinviewer.core.errors import Cancelled
from pinviewer.core.store import Dataset

SERIES = ("outbound_clicks", "saves", "impressions")
TOP = 5  # Pins on the overview
SITE_METRICS = ("sessions", "key_events", "revenue")


@dataclass
class PeriodFigures:
    profile: str
    period: Period
    other: Period
    compare: str  # "previous" or "year"
    totals: dict
    previous_totals: dict
    rates: dict
    previous_rates: dict
    change: dict
    site: dict | None
    previous_site: dict | None
    site_covers: Period | None
    previous_site_covers: Period | None
    funnel: list[dict]
    series: pd.DataFrame  # one row per day of the period, NaN where no data; *_avg7 columns; provisional
    pins: pd.DataFrame
    top_pins: pd.DataFrame  # the Pins that bring the most visitors (analysis.top_pins)
    pins_covers: Period | None
    posts: pd.DataFrame
    posts_covers: Period | None
    provisional_days: int
    days_with_data: int
    data_range: Period | None

    @property
    def has_site(self) -> bool:
        return self.site is not None

    @property
    def site_comparable(self) -> bool:
        """Google Analytics figures come per export: compare them only when both cover like days.

        Each side must be a different export of about the same length, mostly inside its period.
        """
        now, before = self.site_covers, self.previous_site_covers
        if now is None or before is None or now == before:
            return False
        if abs(now.days - before.days) > max(1, 0.1 * now.days):
            return False
        return _overlap(now, self.period) >= 0.5 * now.days and _overlap(before, self.other) >= 0.5 * before.days

    def value(self, name: str):
        if name in self.totals:
            return self.totals[name]
        if name in self.rates:
            return self.rates[name]
        return (self.site or {}).get(name)

    def previous(self, name: str):
        if name in self.previous_totals:
            return self.previous_totals[name]
        if name in self.previous_rates:
            return self.previous_rates[name]
        return (self.previous_site or {}).get(name)

    def relative_change(self, name: str):
        if name in self.change:
            return self.change[name]
        if name in SITE_METRICS and not self.site_comparable:
            return None
        return analysis.change(self.value(name), self.previous(name))


def _overlap(a: Period, b: Period) -> int:
    return max(0, (min(a.end, b.end) - max(a.start, b.start)).days + 1)


def _check(cancelled) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled()


def _with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Posts with their rates, and a title for every row (the address where no Pin gives one)."""
    frame = frame.copy()
    if "title" in frame and "url" in frame:
        frame["title"] = frame["title"].where(frame["title"].notna(), frame["url"])
    with np.errstate(divide="ignore", invalid="ignore"):
        imp = frame["impressions"].to_numpy(float)
        frame["outbound_click_rate"] = np.where(imp > 0, frame["outbound_clicks"].to_numpy(float) / imp, np.nan)
        frame["save_rate"] = np.where(imp > 0, frame["saves"].to_numpy(float) / imp, np.nan)
    return frame


def compute(ds: Dataset, period: Period, compare: str = "previous", cancelled=None) -> PeriodFigures:
    other = period.year_before() if compare == "year" else period.previous()
    current, before = analysis.totals(ds, period), analysis.totals(ds, other)
    _check(cancelled)
    site_now, site_covers = analysis.site(ds, period)
    site_before, site_before_covers = analysis.site(ds, other)
    _check(cancelled)
    series = analysis.daily_series(ds, period, SERIES)
    _check(cancelled)
    pin_table, pins_covers = analysis.pins(ds, period)
    _check(cancelled)
    post_table, posts_covers = analysis.posts(ds, period, pin_table)
    _check(cancelled)
    return PeriodFigures(
        profile=ds.profile.name, period=period, other=other, compare=compare,
        totals=current, previous_totals=before, rates=analysis.rates(current), previous_rates=analysis.rates(before),
        change={name: analysis.change(current[name], before[name]) for name in current},
        site=site_now, previous_site=site_before, site_covers=site_covers, previous_site_covers=site_before_covers,
        funnel=analysis.funnel(current, site_now), series=series,
        pins=pin_table.reset_index(drop=True), top_pins=analysis.top_pins(pin_table, "outbound_clicks", TOP),
        pins_covers=pins_covers,
        posts=_with_rates(post_table).reset_index(drop=True), posts_covers=posts_covers or pins_covers,
        provisional_days=analysis.provisional_days(ds, period), days_with_data=analysis.days_with_data(ds, period),
        data_range=analysis.data_range(ds))


def resolve(ds: Dataset, preset: str, custom: Period | None = None) -> Period | None:
    """The period a preset (or a custom range) means on this data; None when there is no data."""
    if preset == "custom" and custom is not None:
        return custom
    return analysis.preset_period(ds, preset if preset in analysis.PRESETS else "last_30")


def pin_history(ds: Dataset, pin_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A Pin's own figures: (daily rows, period rows), each sorted by date. Either may be empty.

    The rows of every Pin are indexed once per dataset (kept in ``ds.cache``), so moving through the Pins
    table with the arrow keys stays instant on 50,000 Pins.
    """
    def index(frame: pd.DataFrame, key):
        if key not in ds.cache:
            rows = frame[(frame["entity_type"] == "pin").to_numpy()]
            ds.cache[key] = (rows, rows.groupby("entity_id", sort=False).indices if len(rows) else {})
        return ds.cache[key]

    daily, daily_at = index(ds.daily, ("gui", "pin_daily_rows"))
    periods, periods_at = index(ds.periods, ("gui", "pin_period_rows"))
    empty = np.zeros(0, dtype=np.int64)
    day_rows = daily.iloc[daily_at.get(pin_id, empty)].sort_values("date")
    period_rows = periods.iloc[periods_at.get(pin_id, empty)].sort_values(["start", "end"])
    return day_rows, period_rows
