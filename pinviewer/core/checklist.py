"""The download checklist: what the history holds of the three figures that matter, and what to download next.

Pinterest's Export writes ONE metric per download (the one the chart shows, and the one the Top Pins list is
sorted by), so a blogger who wants outbound clicks, saves and impressions for the same days downloads the
overview three times. ``coverage(dataset, start, end)`` says, for the period and for each calendar month of the
history, which of the three PinViewer has day by day and for how many Pins, and what is missing, as steps a
blogger can follow. The window (Overview, after every import), ``summary --json`` (``coverage``) and the
command line read this one result.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pinviewer.core import wording

if TYPE_CHECKING:
    from pinviewer.core.formats.model import ImportBatch
    from pinviewer.core.store import Dataset, Profile, Store

KEY_METRICS: tuple[str, ...] = ("outbound_clicks", "saves", "impressions")
_WORDS = {"outbound_clicks": "outbound clicks", "saves": "saves", "impressions": "impressions"}
_MENU = {"outbound_clicks": "Outbound clicks", "saves": "Saves", "impressions": "Impressions"}
HOW_DAILY = "Analytics > Overview, choose the metric above the chart, then Export"
HOW_PINS = "in the same Export, sort the Top Pins table by that metric first"
# Where conversions (email sign-ups, sales) come from: the two Google Analytics 4 reports PinViewer reads, as the
# window's "Add Google Analytics — how?" and the README tell them.
HOW_GOOGLE_ANALYTICS: tuple[str, ...] = (
    "In Google Analytics, open Reports > Acquisition > Traffic acquisition. Change the table's first column to "
    "Session source / medium, choose the same dates as your Pinterest export, then Share this report > "
    "Download File > Download CSV.",
    "For sign-ups and sales per blog post, also download Reports > Engagement > Landing page, with Session "
    "source added as a secondary dimension.",
    "Drop both files on PinViewer's window (or use Import…): the Conversions card and the Posts page fill in.",
)


@dataclass
class Span:
    """What is known for one stretch of days (the period shown, or a calendar month)."""

    start: dt.date
    end: dt.date
    label: str
    days: int
    daily: dict[str, int] = field(default_factory=dict)  # metric -> days with a figure
    pins: dict[str, int] = field(default_factory=dict)  # metric -> Pins with a figure over these days

    @property
    def missing_daily(self) -> list[str]:
        return [m for m in KEY_METRICS if self.daily.get(m, 0) < self.days]

    @property
    def missing_pins(self) -> list[str]:
        return [m for m in KEY_METRICS if not self.pins.get(m)]

    @property
    def complete(self) -> bool:
        return not self.missing_daily and not self.missing_pins

    def sentence(self) -> str:
        """'For November 2026 you have impressions. To see what people did, also download …'."""
        have = [m for m in KEY_METRICS if self.daily.get(m, 0) >= self.days]
        partly = [m for m in KEY_METRICS if 0 < self.daily.get(m, 0) < self.days]
        lacking = [m for m in KEY_METRICS if not self.daily.get(m, 0)]
        parts = [_and([_WORDS[m] for m in have])] if have else []
        parts += [f"{_WORDS[m]} for {self.daily[m]} of {self.days} days" for m in partly]
        if not parts:
            text = f"For {self.label} you have no daily Pinterest figures yet."
        else:
            text = f"For {self.label} you have " + ", and ".join(parts) + "."
        download = lacking
        if download:
            if not have and not partly:
                why = "To see them,"
            elif set(have + partly) == {"impressions"}:
                why = "To see what people did, also"
            else:
                why = "Also"
            text += (f" {why} download {_and(['*' + _MENU[m] + '*' for m in download])}: {HOW_DAILY}"
                     + (", once per metric." if len(download) > 1 else "."))
        pins_missing = [m for m in self.missing_pins if m not in download]
        known = [m for m in KEY_METRICS if self.pins.get(m)]
        if known and pins_missing:
            text += (f" Your top Pins are known by {_and([_WORDS[m] for m in known])} only; for "
                     f"{_and([_WORDS[m] for m in pins_missing])} too, {HOW_PINS}.")
        return text

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label,
                "days": self.days, "daily_days": {m: int(self.daily.get(m, 0)) for m in KEY_METRICS},
                "pins_known": {m: int(self.pins.get(m, 0)) for m in KEY_METRICS},
                "missing_daily": self.missing_daily, "missing_pins": self.missing_pins,
                "complete": self.complete, "sentence": self.sentence()}


@dataclass
class Checklist:
    period: Span | None
    months: list[Span]

    @property
    def incomplete_months(self) -> list[Span]:
        return [m for m in self.months if m.missing_daily]

    def steps(self) -> list[str]:
        """The sentences to show: the period's first, then each month of the history that lacks something."""
        out = []
        if self.period is not None and not self.period.complete:
            out.append(self.period.sentence())
        for month in self.incomplete_months:
            sentence = month.sentence()
            if sentence not in out:
                out.append(sentence)
        return out

    def pins_sentence(self, metric: str) -> str:
        """'outbound clicks known for your top 50 Pins' for the period shown."""
        count = self.period.pins.get(metric, 0) if self.period is not None else 0
        if not count:
            return f"{_WORDS.get(metric, metric)} not known for any Pin"
        return f"{_WORDS.get(metric, metric)} known for your top {count:,} Pin{'s' if count != 1 else ''}"

    def as_dict(self) -> dict[str, Any]:
        return {"metrics": list(KEY_METRICS), "period": self.period.as_dict() if self.period else None,
                "months": [m.as_dict() for m in self.months], "steps": self.steps()}


def _and(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def month_label(day: dt.date) -> str:
    return wording.format_month(day)


def _span(dataset: Dataset, start: dt.date, end: dt.date, label: str) -> Span:
    """What is known over ``start``–``end``. Pins: the most Pins one download covering these days knows a figure
    for (whether Pins are known at all is what the steps need; the period's own count comes from its Pin table).
    Both from tables indexed once per dataset, so a summary does not scan millions of Pin rows per month."""
    from pinviewer.core import analysis

    span = Span(start, end, label, (end - start).days + 1)
    account = analysis.account_daily(dataset)
    if len(account):
        rows = account.loc[pd.Timestamp(start):pd.Timestamp(end)]
        for metric in KEY_METRICS:
            if metric in rows.columns:
                span.daily[metric] = int(rows[metric].notna().sum())
    ranges = analysis.range_table(dataset, "pin")
    if len(ranges.starts):
        epoch = dt.date(1970, 1, 1)
        overlap = (ranges.starts <= (end - epoch).days) & (ranges.ends >= (start - epoch).days)
        counts = _range_counts(dataset, ranges)
        for metric in KEY_METRICS:
            found = counts[metric][overlap] if metric in counts else np.zeros(0)
            span.pins[metric] = int(found.max()) if len(found) else 0
    return span


def _range_counts(dataset: Dataset, ranges: Any) -> dict[str, np.ndarray]:
    """For each download (date range) of Pins and each key metric, how many Pins it gives that figure for."""
    def build() -> dict[str, np.ndarray]:
        out = {}
        for metric in KEY_METRICS:
            if metric in ranges.values:
                known = np.concatenate([[0], np.cumsum(~np.isnan(ranges.values[metric]))])
                out[metric] = known[ranges.hi] - known[ranges.lo]
        return out
    key = "checklist.range_counts"
    if key not in dataset.cache:
        dataset.cache[key] = build()
    found: dict[str, np.ndarray] = dataset.cache[key]
    return found


def history_bounds(dataset: Dataset) -> tuple[dt.date, dt.date] | None:
    """First and last day with a Pinterest figure (the account's days, or a Pin or board list's range), from the
    tables indexed once per dataset."""
    from pinviewer.core import analysis

    epoch = dt.date(1970, 1, 1)
    days: list[dt.date] = []
    account = analysis.account_daily(dataset)
    if len(account):
        days += [pd.Timestamp(account.index[0]).date(), pd.Timestamp(account.index[-1]).date()]
    for kind in ("pin", "board"):
        ranges = analysis.range_table(dataset, kind)
        if len(ranges.starts):
            days += [epoch + dt.timedelta(days=int(ranges.starts.min())),
                     epoch + dt.timedelta(days=int(ranges.ends.max()))]
    return (min(days), max(days)) if days else None


def coverage(dataset: Dataset, start: dt.date | None = None, end: dt.date | None = None) -> Checklist:
    """What the history holds for the period ``start``–``end`` and for each calendar month of the history."""
    period = _span(dataset, start, end, _period_label(start, end)) if start and end else None
    return Checklist(period, _months(dataset))


def _months(dataset: Dataset) -> list[Span]:
    """Each calendar month of the history (the same for every period: worked out once per dataset)."""
    key = "checklist.months"
    if key in dataset.cache:
        cached: list[Span] = dataset.cache[key]
        return cached
    months = []
    bounds = history_bounds(dataset)
    if bounds is not None:
        month = bounds[0].replace(day=1)
        while month <= bounds[1]:
            following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            stop = min(following - dt.timedelta(days=1), bounds[1])
            months.append(_span(dataset, max(month, bounds[0]), stop, month_label(month)))
            month = following
    dataset.cache[key] = months
    return months


def _period_label(start: dt.date, end: dt.date) -> str:
    if start.day == 1 and (end + dt.timedelta(days=1)).day == 1 and (start.year, start.month) == (end.year, end.month):
        return month_label(start)
    return f"{wording.format_short_date(start, year=True)} – {wording.format_short_date(end, year=True)}"




def after_import(store: Store, profile: Profile, batches: Iterable[ImportBatch | None]) -> list[str]:
    """What to download next for the months the imported Pinterest exports cover (one sentence per month that
    still lacks a figure), per series. Empty when nothing is missing or no Pinterest export was imported."""
    wanted: dict[str | None, set[tuple[int, int]]] = {}
    for batch in batches:
        if batch is None or batch.format != "pinterest_export" or not batch.period:
            continue
        start, end = batch.period
        months = wanted.setdefault(batch.meta.get("series"), set())
        month = start.replace(day=1)
        while month <= end:
            months.add((month.year, month.month))
            month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    out: list[str] = []
    labels = dict(store.series(profile))
    for series, months in wanted.items():
        dataset = store.load(profile, series)
        for span in coverage(dataset).months:
            if (span.start.year, span.start.month) in months and not span.complete:
                out.append(span.sentence() if series is None else f"{labels.get(series, series)}: {span.sentence()}")
    return out
