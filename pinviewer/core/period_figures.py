"""Everything the dashboard and the tables show for one period, computed in one go off the GUI thread.

Qt-free: the figures are the period summary's (``core.period_summary.summarise``), the one object the paper and
``pinviewer summary --json`` read too, so the cards say what the PDF and the JSON say for the same period and
comparison. This module only adds what the window alone needs: the daily series, the top Pins, the posts' rates.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pinviewer.core import analysis, period_summary
from pinviewer.core.analysis import Period
from pinviewer.core.callbacks import IsCancelled
from pinviewer.core.coverage import Cover
from pinviewer.core.errors import Cancelled
from pinviewer.core.period_summary import Change, Figure, FunnelStep, PeriodSummary
from pinviewer.core.store import Dataset

SERIES = ("outbound_clicks", "saves", "impressions")
TOP = 5  # Pins on the overview
SITE_METRICS = analysis.SITE_METRICS


@dataclass
class PeriodFigures:
    summary: PeriodSummary
    series: pd.DataFrame  # one row per day of the period, NaN where no data; *_avg7 columns; provisional
    top_pins: pd.DataFrame  # the Pins that bring the most visitors (analysis.top_pins)
    posts: pd.DataFrame  # with rates and a title for each

    # the summary's figures, by the names the window uses
    @property
    def profile(self) -> str:
        return self.summary.profile

    @property
    def period(self) -> Period:
        return self.summary.period

    @property
    def other(self) -> Period:
        return self.summary.other

    @property
    def compare(self) -> str:
        return self.summary.compare

    @property
    def pins(self) -> pd.DataFrame:
        return self.summary.pins

    @property
    def pins_covers(self) -> Period | None:
        return _period(self.summary.pins_cover)

    @property
    def posts_covers(self) -> Period | None:
        return _period(self.summary.posts_cover)

    @property
    def site_covers(self) -> Period | None:
        figure = self.summary.figures["sessions"]
        if not figure.known:
            figure = self.summary.figures["key_events"]
        return _period(figure.cover)

    @property
    def funnel(self) -> list[FunnelStep]:
        return self.summary.funnel

    @property
    def provisional_days(self) -> int:
        return self.summary.provisional_days

    @property
    def days_with_data(self) -> int:
        return self.summary.days_with_data

    @property
    def data_range(self) -> Period | None:
        return self.summary.data_range

    @property
    def has_site(self) -> bool:
        return self.summary.has_site

    @property
    def notes(self) -> list[str]:
        return self.summary.notes

    def figure(self, name: str) -> Figure:
        return self.summary.figures[name]

    def change(self, name: str) -> Change | None:
        return self.summary.changes.get(name)

    def value(self, name: str) -> float | None:
        return self.summary.value(name)

    def previous(self, name: str) -> float | None:
        """The compared value (None when the summary's rule does not compare this figure)."""
        return self.summary.previous_value(name)

    def relative_change(self, name: str) -> float | None:
        change = self.change(name)
        return None if change is None else change.fraction


def _period(cover: Cover | None) -> Period | None:
    span = cover.span() if cover is not None else None
    return None if span is None else Period(span.start, span.end)


def _check(cancelled: IsCancelled | None) -> None:
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


def compute(ds: Dataset, period: Period, compare: str = "previous", cancelled: IsCancelled | None = None,
            currency: str | None = None) -> PeriodFigures:
    summary = period_summary.summarise(ds, period, compare, currency=currency, cancelled=cancelled)
    _check(cancelled)
    series = analysis.daily_series(ds, period, SERIES)
    _check(cancelled)
    return PeriodFigures(summary=summary, series=series,
                         top_pins=analysis.top_pins(summary.pins, "outbound_clicks", TOP),
                         posts=_with_rates(summary.posts).reset_index(drop=True))


def resolve(ds: Dataset, preset: str, custom: Period | None = None, today: dt.date | None = None) -> Period | None:
    """The period a preset (or a custom range) means on this data; None when there is no data."""
    if preset == "custom" and custom is not None:
        return custom
    from pinviewer.core.session import PRESETS

    return analysis.preset_period(ds, preset if preset in PRESETS else "last_30", today)


def pin_history(ds: Dataset, pin_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A Pin's own figures: (daily rows, period rows), each sorted by date. Either may be empty.

    The rows of every Pin are indexed once per dataset (kept in ``ds.cache``), so moving through the Pins
    table with the arrow keys stays instant on 50,000 Pins.
    """
    def index(frame: pd.DataFrame, key: tuple[str, str]) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
        if key not in ds.cache:
            rows = frame[(frame["entity_type"] == "pin").to_numpy()]
            ds.cache[key] = (rows, rows.groupby("entity_id", sort=False).indices if len(rows) else {})
        indexed: tuple[pd.DataFrame, dict[str, np.ndarray]] = ds.cache[key]
        return indexed

    daily, daily_at = index(ds.daily, ("gui", "pin_daily_rows"))
    periods, periods_at = index(ds.periods, ("gui", "pin_period_rows"))
    empty = np.zeros(0, dtype=np.int64)
    day_rows = daily.iloc[daily_at.get(pin_id, empty)].sort_values("date")
    period_rows = periods.iloc[periods_at.get(pin_id, empty)].sort_values(["start", "end"])
    return day_rows, period_rows
