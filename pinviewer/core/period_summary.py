"""One period's figures, in one typed object: what every surface reads.

``summarise(ds, period, compare)`` returns a ``PeriodSummary``: each figure with where it comes from and the days
it really counts (``coverage.Cover``), the same figures for the period it is compared with, one ``Change`` per
figure decided by one rule, the funnel with its step rates, and the notes. The window's cards, chart notes and
funnel (``core/period_figures.py``), the paper (``core/report.py``), ``summary --json`` (``summary_json``) and the
insights all read it; none of them adds figures up on its own.

The rules, in one place:

* Daily figures (the Pinterest overview, the API) are summed over the period's days. Downloads that cover a date
  range are added up over the best set of downloads (``coverage``), never picked one at a time, never scaled.
* A rate (or a funnel step) divides two figures only over the days both count; otherwise it is not given, and
  a note says why.
* "Changed": a figure is compared when both periods have it as their own (not greyed) over about as many days
  (at most 10% apart). It rose or fell when the difference is larger than counting noise -- for counts
  |now - before| / sqrt(now + before) >= 1.96 (the two counts as Poisson, the test the insights use), for rates
  the two-proportion z-test on their numerators and denominators -- and otherwise held steady.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pinviewer.core import analysis, checklist, metrics, wording
from pinviewer.core.analysis import Period
from pinviewer.core.callbacks import IsCancelled
from pinviewer.core.checklist import Checklist
from pinviewer.core.coverage import Cover, daily_cover
from pinviewer.core.formats.model import POST, SOURCE
from pinviewer.core.store import Dataset

Z_CHANGE = 1.959963984540054  # two-sided 95%: a change larger than counting noise
SAME_LENGTH = 0.10  # two periods' figures are compared when their days differ by at most this share
COUNTS = ("impressions", "engagements", "pin_clicks", "outbound_clicks", "saves")
RATES = ("outbound_click_rate", "save_rate", "pin_click_rate", "engagement_rate")
SITE = analysis.SITE_METRICS  # sessions, key_events, revenue: Google Analytics
FUNNEL = ("impressions", "pin_clicks", "outbound_clicks", "sessions", "key_events")
PINTEREST = "Pinterest"
GOOGLE = "Google Analytics"

# One name per figure (conversions = Google Analytics key events), as the cards and the paper say it
LABELS = {"outbound_clicks": "Outbound clicks", "saves": "Saves", "key_events": "Conversions",
          "sessions": "Visits", "revenue": "Revenue", "impressions": "Impressions", "pin_clicks": "Pin clicks",
          "engagements": "Engagements", "outbound_click_rate": "Outbound click rate", "save_rate": "Save rate",
          "pin_click_rate": "Pin click rate", "engagement_rate": "Engagement rate"}
IN_SENTENCE = {"outbound_clicks": "outbound clicks", "saves": "saves", "key_events": "conversions",
               "sessions": "visits", "impressions": "impressions", "pin_clicks": "Pin clicks",
               "engagements": "engagements", "revenue": "revenue"}


@dataclass(frozen=True)
class Figure:
    """One figure of a period: its value (None: unknown), where it comes from and the days it counts."""

    name: str
    value: float | None
    source: str  # "Pinterest" or "Google Analytics"
    cover: Cover | None
    numerator: float | None = None  # rates: the two counts over the days both know
    denominator: float | None = None

    @property
    def kind(self) -> str:
        unit = metrics.BY_NAME[self.name].unit
        return "rate" if unit == metrics.RATE else "money" if unit == metrics.MONEY else "count"

    @property
    def label(self) -> str:
        return LABELS.get(self.name, metrics.BY_NAME[self.name].label)

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def greyed(self) -> bool:
        """Downloads that cover < half the period, or reach > half of it again beyond it: not the period's own."""
        return bool(self.known and self.cover is not None and not self.cover.daily and self.cover.greyed)

    @property
    def note(self) -> str:
        """Which days a download-based figure really counts, when they are not the period's ('' otherwise)."""
        if not self.known or self.cover is None or self.cover.daily:
            return ""
        return self.cover.note(self.source)

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "source": self.source, "covers": self.cover.as_dict() if self.cover else None,
                "greyed": self.greyed, "note": self.note or None}


@dataclass(frozen=True)
class Change:
    """How a figure moved between the two periods, by the one rule (see the module notes)."""

    name: str
    kind: str
    now: float | None
    before: float | None  # None: not compared (``reason`` says why)
    direction: int | None  # +1 rose, -1 fell, 0 held steady, None not compared
    z: float | None = None
    reason: str = ""

    @property
    def compared(self) -> bool:
        return self.direction is not None

    @property
    def fraction(self) -> float | None:
        """The relative change (None when not compared, or nothing before)."""
        if not self.compared or self.kind == "rate":
            return None
        return analysis.change(self.now, self.before)

    @property
    def points(self) -> float | None:
        if not self.compared or self.kind != "rate":
            return None
        assert self.now is not None and self.before is not None  # compared: both known
        return (self.now - self.before) * 100

    @property
    def word(self) -> str:
        return wording.change_word(self.direction)

    @property
    def arrow(self) -> str:
        return wording.arrow(self.direction)

    def text(self) -> str:
        """'+18%', '−0.03 pts', 'new' (nothing before), '' (not compared)."""
        if not self.compared:
            return ""
        assert self.now is not None  # compared: known
        if self.kind == "rate":
            return wording.format_points(self.now, self.before)
        if self.before == 0:
            return "new" if self.now > 0 else "\u00b10%"
        return wording.format_change(self.fraction)

    def as_dict(self) -> dict[str, Any]:
        return {"compared": self.compared, "fraction": self.fraction, "points": self.points,
                "direction": self.direction, "word": self.word or None, "arrow": self.arrow or None,
                "text": self.text() or None, "z": None if self.z is None else round(self.z, 3),
                "reason": self.reason or None}


@dataclass(frozen=True)
class FunnelStep:
    metric: str
    label: str
    value: float
    rate: float | None  # of the step before, over the days both count; None: not given (``note``)
    of: str | None  # the step before
    greyed: bool = False
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "label": self.label, "value": self.value, "rate": self.rate,
                "of": self.of, "greyed": self.greyed, "note": self.note or None}


@dataclass
class PeriodSummary:
    profile: str
    period: Period
    other: Period
    compare: str  # "previous" or "year"
    figures: dict[str, Figure]
    previous: dict[str, Figure]
    changes: dict[str, Change]
    funnel: list[FunnelStep]
    revenue: Figure
    days_with_data: int
    previous_days_with_data: int
    provisional_days: int
    data_range: Period | None
    pins: pd.DataFrame = field(repr=False)  # analysis.pins for the period (shared, do not modify)
    posts: pd.DataFrame = field(repr=False)  # analysis.posts for the period
    pins_cover: Cover | None = None
    posts_cover: Cover | None = None
    currency: str | None = None
    notes: list[str] = field(default_factory=list)
    site_imported: bool = False  # the profile has Google Analytics downloads (for any days)
    boards: pd.DataFrame | None = field(default=None, repr=False)  # analysis.boards for the period
    boards_cover: Cover | None = None
    checklist: Checklist | None = None  # what the history holds of the key figures, what to download next
    series: str | None = None  # the series shown (None: the main one)
    series_label: str = "All Pins"
    audience: dict[str, dict[str, Any]] = field(default_factory=dict)  # audiences as they are: never summed

    def value(self, name: str) -> float | None:
        figure = self.figures.get(name)
        return None if figure is None else figure.value

    def previous_value(self, name: str) -> float | None:
        change = self.changes.get(name)
        return None if change is None or not change.compared else change.before

    @property
    def has_site(self) -> bool:
        return any(self.figures[n].known for n in SITE)

    def compared_text(self) -> str:
        if self.compare == "year":
            return f"compared with the same {wording.plural(self.period.days, 'day')} a year before"
        return f"compared with the {wording.plural(self.period.days, 'day')} before"

    def any_compared(self) -> bool:
        return any(c.compared for c in self.changes.values())


POSTS_NEED_LINKS = ("Pinterest's export does not say where a Pin leads, so your Pins can't be joined to your blog "
                    "posts yet: connect Pinterest once (File > Connect Pinterest) for each Pin's link. The Posts "
                    "page lists your posts from Google Analytics meanwhile.")


# ----------------------------------------------------------------------------------------------- figures
def _daily_figures(ds: Dataset, period: Period) -> dict[str, Figure]:
    """The Pinterest overview's figures: sums over the period's days; rates over the days both know."""
    rows = analysis.period_daily(ds, period)
    out: dict[str, Figure] = {}
    known: dict[str, np.ndarray] = {}
    days = rows.index.to_numpy().astype("datetime64[D]").astype(np.int64) if len(rows) else np.zeros(0, np.int64)
    for name in COUNTS:
        values = rows[name].to_numpy(float) if name in rows else np.full(len(rows), np.nan)
        mask = ~np.isnan(values)
        known[name] = mask
        if not mask.any():
            out[name] = Figure(name, None, PINTEREST, None)
            continue
        out[name] = Figure(name, float(values[mask].sum()), PINTEREST, daily_cover(period.start, period.end,
                                                                                    days[mask]))
    for name in RATES:
        m = metrics.BY_NAME[name]
        top, bottom = m.numerator, m.denominator
        assert top is not None and bottom is not None  # a rate has both
        both = known[top] & known[bottom]
        if not both.any():
            out[name] = Figure(name, None, PINTEREST, None)
            continue
        num = float(rows[top].to_numpy(float)[both].sum())
        den = float(rows[bottom].to_numpy(float)[both].sum())

        out[name] = Figure(name, metrics.rate(num, den), PINTEREST, daily_cover(period.start, period.end, days[both]),
                           numerator=num, denominator=den)
    return out


def _site_figures(ds: Dataset, period: Period) -> dict[str, Figure]:
    parts = analysis.site_parts(ds, period)
    return {name: Figure(name, value, GOOGLE, cover) for name, (value, cover) in parts.items()}


def figures(ds: Dataset, period: Period) -> dict[str, Figure]:
    """Every figure of one period (no comparison), cached per period."""
    key = ("summary.figures", period)
    if key not in ds.cache:
        ds.cache[key] = {**_daily_figures(ds, period), **_site_figures(ds, period)}
    cached: dict[str, Figure] = ds.cache[key]
    return cached


# ---------------------------------------------------------------------------------------------- changes
def same_length(a: Cover, b: Cover) -> bool:
    return abs(a.days - b.days) <= max(1, SAME_LENGTH * max(a.days, b.days))


def compare_figures(now: Figure, before: Figure) -> Change:
    """The one rule for "changed" (module notes), for window and paper alike."""
    kind = now.kind

    def no(reason: str) -> Change:
        return Change(now.name, kind, now.value, None, None, reason=reason)

    if not now.known:
        return no("no figures for this period")
    if not before.known or before.cover is None or now.cover is None:
        return no("nothing to compare with")
    if kind == "money":
        return no("money is not compared")
    if now.greyed or before.greyed:
        return no("the downloads do not match the days")
    if not same_length(now.cover, before.cover):
        return no(f"{wording.plural(now.cover.days, 'day')} against {wording.plural(before.cover.days, 'day')}")
    assert now.value is not None and before.value is not None  # both known
    if kind == "rate":
        z = _rate_z(now, before)
    else:
        total = now.value + before.value
        z = (now.value - before.value) / math.sqrt(total) if total > 0 else 0.0
    direction = 0 if abs(z) < Z_CHANGE else (1 if z > 0 else -1)
    return Change(now.name, kind, now.value, before.value, direction, z)


def _rate_z(now: Figure, before: Figure) -> float:
    """Two-proportion z-test (pooled), on the rates' numerators and denominators."""
    assert now.value is not None and before.value is not None  # compare_figures: both known
    a1, n1, a0, n0 = now.numerator, now.denominator, before.numerator, before.denominator
    if not n1 or not n0 or a1 is None or a0 is None:
        return 0.0
    pooled = (a1 + a0) / (n1 + n0)
    if pooled <= 0 or pooled >= 1:
        return 0.0 if now.value == before.value else math.copysign(math.inf, now.value - before.value)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    return (now.value - before.value) / se


# ----------------------------------------------------------------------------------------------- funnel
def _funnel(ds: Dataset, period: Period, figs: dict[str, Figure]) -> list[FunnelStep]:
    """From seen to sold; a step's rate divides it by the step before over the days both count only."""
    steps: list[FunnelStep] = []
    for name in FUNNEL:
        figure = figs[name]
        if figure.value is None:  # not known
            continue
        rate, note, of = None, "", steps[-1].metric if steps else None
        if of is not None:
            rate, note = _step_rate(ds, figs[of], figure)
        steps.append(FunnelStep(name, figure.label, figure.value, rate, of, figure.greyed, note))
    return steps


def _step_rate(ds: Dataset, before: Figure, step: Figure) -> tuple[float | None, str]:
    if before.source == PINTEREST and step.source == PINTEREST:
        daily = analysis.account_daily(ds)
        days = _days(before.cover) & _days(step.cover)
        if not days:
            return None, f"{step.label} and {IN_SENTENCE[before.name]} share no day"
        rows = daily.loc[pd.to_datetime(sorted(days), unit="D")]
        top, bottom = rows[step.name].sum(), rows[before.name].sum()
        return metrics.rate(top, bottom), ""
    if before.source == GOOGLE and step.source == GOOGLE:
        assert before.cover is not None and step.cover is not None  # known Google Analytics figures have downloads
        if before.cover.ranges != step.cover.ranges:
            return None, f"{step.label} and {IN_SENTENCE[before.name]} come from downloads of other days"
        return metrics.rate(step.value, before.value), ""
    # a Google Analytics figure over its downloads' days, against Pinterest's daily figures on the same days
    wanted = _days(step.cover)
    daily = analysis.account_daily(ds)
    if before.name not in daily:
        return None, ""
    column = daily[before.name].dropna()
    have = set(column.index.to_numpy().astype("datetime64[D]").astype(np.int64).tolist())
    if not wanted or not wanted <= have:
        assert step.cover is not None  # a known Google Analytics figure has downloads
        return None, (f"{step.label} count {step.cover.days_text()}; Pinterest's {IN_SENTENCE[before.name]} are "
                      "not known for all those days")
    clicks = float(column.loc[pd.to_datetime(sorted(wanted), unit="D")].sum())
    return metrics.rate(step.value, clicks), ""


def _days(cover: Cover | None) -> set[int]:
    if cover is None:
        return set()
    epoch = dt.date(1970, 1, 1)
    out: set[int] = set()
    for a, b in cover.ranges:
        out.update(range((a - epoch).days, (b - epoch).days + 1))
    return out


# ---------------------------------------------------------------------------------------------- summary
def other_period(period: Period, compare: str) -> Period:
    return period.year_before() if compare == "year" else period.previous()


def summarise(ds: Dataset, period: Period | None = None, compare: str = "previous",
              currency: str | None = None, today: dt.date | None = None,
              cancelled: IsCancelled | None = None) -> PeriodSummary:
    """The summary of one period and its comparison (cached per period and comparison)."""
    period = period or analysis.preset_period(ds, "last_30")
    if period is None:
        from pinviewer.core.errors import PinviewerError

        raise PinviewerError("There is nothing to summarise yet: import a Pinterest export first "
                             "(pinviewer import FILE) or connect Pinterest.")
    key = ("summary", period, compare, currency)
    if key in ds.cache:
        cached: PeriodSummary = ds.cache[key]
        return cached
    other = other_period(period, compare)
    now, before = figures(ds, period), figures(ds, other)
    _check(cancelled)
    changes = {name: compare_figures(now[name], before[name]) for name in (*COUNTS, *RATES, *SITE)}
    pin_table, _span = analysis.pins(ds, period)
    _check(cancelled)
    post_table, _posts_span = analysis.posts(ds, period, pin_table)
    whole = analysis.data_range(ds)
    notes = []
    if whole is not None and whole.end < period.end:
        notes.append(f"Your figures stop on {wording.format_date(whole.end)}; the days after it are not counted.")
    if len(pin_table) and pin_table["post_url"].isna().all():
        notes.append(POSTS_NEED_LINKS)
    board_table, boards_cover = analysis.boards(ds, period)
    summary = PeriodSummary(
        profile=ds.profile.name, period=period, other=other, compare=compare, figures=now, previous=before,
        changes=changes, funnel=_funnel(ds, period, now), revenue=now["revenue"],
        days_with_data=analysis.days_with_data(ds, period), previous_days_with_data=analysis.days_with_data(ds, other),
        provisional_days=analysis.provisional_days(ds, period), data_range=whole,
        pins=pin_table, pins_cover=analysis.pins_cover(ds, period), posts=post_table,
        posts_cover=analysis.posts_cover(ds, period) or analysis.pins_cover(ds, period), currency=currency,
        notes=notes,
        site_imported=bool(len(analysis.range_table(ds, SOURCE)) or len(analysis.range_table(ds, POST))),
        boards=board_table, boards_cover=boards_cover, checklist=_checklist(ds, period, pin_table),
        series=getattr(ds, "series", None), series_label=getattr(ds, "series_label", "All Pins"),
        audience=_audience(ds, period))
    ds.cache[key] = summary
    return summary


AUDIENCES = ("total_audience", "engaged_audience", "monthly_total_audience", "monthly_engaged_audience")


def _audience(ds: Dataset, period: Period) -> dict[str, dict[str, Any]]:
    """The audiences of the period as Pinterest counts them, day by day: people repeat from one day to the next,
    so they are never added up; the days known, the average of a day and the last day's figure."""
    rows = analysis.period_daily(ds, period)
    out: dict[str, dict[str, Any]] = {}
    for name in AUDIENCES:
        if name not in rows or not rows[name].notna().any():
            continue
        known = rows[name].dropna()
        out[name] = {"days": int(len(known)), "average_per_day": float(known.mean()),
                     "last": float(known.iloc[-1]), "last_day": pd.Timestamp(known.index[-1]).date().isoformat()}
    return out


def _checklist(ds: Dataset, period: Period, pin_table: pd.DataFrame) -> Checklist:
    """The download checklist, its Pin counts taken from the period's Pin table (the downloads that best match
    the period), so "known for your top 50 Pins" says what the tables show."""
    found = checklist.coverage(ds, period.start, period.end)
    if found.period is not None:
        found.period.pins = {m: int(pin_table[m].notna().sum()) for m in checklist.KEY_METRICS if m in pin_table}
    return found


def _check(cancelled: IsCancelled | None) -> None:
    if cancelled is not None and cancelled():
        from pinviewer.core.errors import Cancelled

        raise Cancelled()


# ------------------------------------------------------------------------------------------------- JSON
def _clean(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def records(frame: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    data = {c: frame[c].tolist() if c in frame else [None] * len(frame) for c in columns}
    return [{c: _clean(data[c][i]) for c in columns} for i in range(len(frame))]


def _span(cover: Cover | None) -> dict[str, Any] | None:
    span = cover.span() if cover is not None else None
    if span is None:
        return None
    return {"start": span.start.isoformat(), "end": span.end.isoformat(), "days": span.days}


def summary_json(s: PeriodSummary, top: int = 10) -> dict[str, Any]:
    """``pinviewer summary --json``: the one function that builds it (further keys are added here)."""
    totals = {n: s.figures[n].value for n in COUNTS}
    before = {n: s.previous[n].value for n in COUNTS}
    site = None
    if s.has_site:
        covers = s.figures["sessions"].cover or s.figures["key_events"].cover
        site = {**{n: s.figures[n].value for n in SITE}, "covers": _span(covers)}
    top_table = analysis.top_pins(s.pins, "outbound_clicks", top)
    return {
        "profile": s.profile,
        "period": {**s.period.as_dict(), "provisional_days": s.provisional_days, "days_with_data": s.days_with_data},
        "totals": totals,
        "rates": {n: s.figures[n].value for n in RATES},
        "previous": {**s.other.as_dict(), "totals": before, "rates": {n: s.previous[n].value for n in RATES},
                     "compare": s.compare, "days_with_data": s.previous_days_with_data},
        "change": {n: s.changes[n].fraction for n in COUNTS},
        "changes": {n: c.as_dict() for n, c in s.changes.items()},
        "figures": {n: f.as_dict() for n, f in s.figures.items()},
        "site": site,
        "currency": s.currency,
        "funnel": [step.as_dict() for step in s.funnel],
        "top_pins": records(top_table, ("pin_id", "title", "link", "impressions", "saves", "outbound_clicks",
                                         "outbound_click_rate")),
        "top_pins_cover": _span(s.pins_cover),
        "top_posts": records(s.posts.head(top), ("url", "pins", "outbound_clicks", "saves", "sessions",
                                                  "key_events")),
        "top_posts_cover": _span(s.posts_cover),
        "top_boards": records(s.boards.head(top), analysis.BOARD_COLUMNS) if s.boards is not None else [],
        "top_boards_cover": _span(s.boards_cover),
        "coverage": s.checklist.as_dict() if s.checklist is not None else None,
        "series": {"key": s.series, "name": s.series_label, "main": s.series is None},
        "audience": s.audience,
        "notes": list(s.notes),
    }


__all__ = ["Change", "Figure", "FunnelStep", "PeriodSummary", "compare_figures", "figures", "other_period",
           "summarise", "summary_json"]
