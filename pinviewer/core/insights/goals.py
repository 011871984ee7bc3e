"""Monthly goals for outbound clicks, saves and conversions, and the pace towards them.

Goals are kept per profile in the store's settings (key ``goals``: {metric: monthly target}).
The month is the calendar month of the period's last day. The pace is the average of the last 28 counted
days (across the month boundary, so the 2nd of a month does not project from one day); days Pinterest is
still counting, and days without figures, are projected at that pace rather than counted as they stand.
The range is the pace of the slowest and of the best of the last four counted weeks.
Conversions come from Google Analytics period reports: they are tracked when a report covers days of this
month only.
"""
from __future__ import annotations

import calendar
import datetime as dt
import math
from typing import Any

import numpy as np

from pinviewer.core import analysis
from pinviewer.core.analysis import Period
from pinviewer.core.errors import PinviewerError
from pinviewer.core import wording
from pinviewer.core.insights import _common as c
from pinviewer.core.store import Dataset, Profile, Store

SETTING = "goals"
GOAL_METRICS = ("outbound_clicks", "saves", "key_events")
ALIASES = {"outbound_clicks": "outbound_clicks", "outbound": "outbound_clicks", "clicks": "outbound_clicks",
           "saves": "saves", "conversions": "key_events", "key_events": "key_events"}
LABELS = {"outbound_clicks": "outbound clicks", "saves": "saves", "key_events": "conversions"}
PACE_DAYS = 28
MIN_PACE_DAYS = 7


def parse_goal(text: str) -> tuple[str, float | None]:
    """'outbound_clicks=1200' -> ('outbound_clicks', 1200.0); 'saves=0' or 'saves=' -> ('saves', None)."""
    name, sep, value = str(text).partition("=")
    metric = ALIASES.get(name.strip().lower().replace("-", "_").replace(" ", "_"))
    if not sep or metric is None:
        raise PinviewerError(f"'{text}' is not a goal I understand. Write it as NAME=NUMBER, e.g. "
                             "outbound_clicks=1200; NAME is outbound_clicks, saves or conversions.")
    value = value.strip().replace(",", "").replace("_", "")
    if not value:
        return metric, None
    try:
        number = float(value)
    except ValueError:
        raise PinviewerError(f"'{value}' is not a number: write the monthly goal as a whole number, "
                             "e.g. outbound_clicks=1200.") from None
    if not math.isfinite(number) or number < 0:
        raise PinviewerError("A goal is a number of 0 or more (0 removes the goal).")
    return metric, (number or None)


def load_goals(store: Store, profile: Profile) -> dict[str, float]:
    saved = store.get_setting(profile, SETTING, {}) or {}
    return {m: float(v) for m, v in saved.items() if m in GOAL_METRICS and v}


def set_goals(store: Store, profile: Profile, changes: dict[str, float | None]) -> dict[str, float]:
    """Sets (or, with None, removes) monthly goals; returns all the profile's goals."""
    goals = load_goals(store, profile)
    for metric, value in changes.items():
        if metric not in GOAL_METRICS:
            raise PinviewerError(f"There is no goal for {metric}; goals are for {', '.join(GOAL_METRICS)}.")
        if value:
            goals[metric] = float(value)
        else:
            goals.pop(metric, None)
    store.set_setting(profile, SETTING, goals)
    return goals


def _month(anchor: dt.date) -> Period:
    last = calendar.monthrange(anchor.year, anchor.month)[1]
    return Period(anchor.replace(day=1), anchor.replace(day=last))


def _pinterest_pace(ds: Dataset, metric: str, anchor: dt.date, month: Period) -> dict[str, Any] | None:
    daily = analysis.account_daily(ds)
    if metric not in daily or not daily[metric].notna().any():
        return None
    upto = daily.loc[:c.ts(anchor)]
    counted = upto[metric].notna() & ~upto["provisional"].astype(bool)
    in_month = upto.index >= c.ts(month.start)
    final = upto.loc[counted & in_month, metric]
    so_far = float(final.sum())
    tail = upto.loc[counted, metric].tail(PACE_DAYS)
    out: dict[str, Any] = {"so_far": so_far, "counted_days": int(len(final)), "month_days": month.days,
           "pace_days": int(len(tail)), "pace": float(tail.mean()) if len(tail) else None}
    weeks = tail.to_numpy(float)[len(tail) % 7:].reshape(-1, 7).mean(axis=1) if len(tail) >= 7 else np.array([])
    out["week_paces"] = weeks[-4:]
    index = final.index
    cumulative = final.cumsum().reindex(
        [c.ts(month.start + dt.timedelta(days=i)) for i in range(month.days)])
    out["chart_days"] = c.iso(cumulative.index)
    out["cumulative"] = cumulative.to_numpy(float)
    out["last_counted"] = index[-1].date() if len(index) else None
    return out


def _site_pace(ds: Dataset, month: Period, anchor: dt.date) -> dict[str, Any] | None:
    figures, cover = analysis.site(ds, Period(month.start, anchor))
    key_events = figures.get("key_events") if figures is not None else None
    if key_events is None:
        return None
    assert cover is not None  # site figures come with the days their downloads cover
    if cover.start < month.start or cover.end > month.end:
        return {"outside": cover}
    events = float(key_events)
    rate = events / cover.days
    before = (cover.start - month.start).days
    return {"so_far": events, "counted_days": cover.days, "month_days": month.days, "pace_days": cover.days,
            "pace": rate, "week_paces": np.array([]), "unseen_before": before, "covers": cover,
            "last_counted": cover.end, "chart_days": [], "cumulative": []}


def goal_pace(ds: Dataset, period: Period, goals: dict[str, float] | None) -> dict[str, Any]:
    goals = {m: v for m, v in (goals or {}).items() if m in GOAL_METRICS and v}
    whole = analysis.data_range(ds)
    anchor = min(period.end, whole.end) if whole else period.end
    month = _month(anchor)
    month_name = wording.month_name(month.start.month)
    sentences, results = [], []
    if not goals:
        sentences.append(c.Sentence("Set a monthly goal for outbound clicks, saves or conversions to see whether "
                                    "you are on track.", 5))
    for metric, goal in goals.items():
        label = LABELS[metric]
        pace = _site_pace(ds, month, anchor) if metric == "key_events" else _pinterest_pace(ds, metric, anchor, month)
        entry: dict[str, Any] = {"metric": metric, "goal": goal, "month": month.as_dict(), "status": "unknown"}
        results.append(entry)
        if pace is None:
            sentences.append(c.Sentence(f"Your goal of {wording.format_count(goal)} {label}: there are no figures for "
                                        f"{label} yet.", 20))
            continue
        if "outside" in pace:
            sentences.append(c.Sentence(
                f"Your goal of {wording.format_count(goal)} {label}: the Google Analytics figures cover "
                f"{wording.format_period(pace['outside'])}, not {month_name} alone; import a report for "
                f"{month_name} to track it.", 30))
            continue
        entry.update({k: v for k, v in pace.items() if k not in ("week_paces",)})
        so_far, done, rate = pace["so_far"], pace["counted_days"], pace["pace"]
        remaining = month.days - done
        if remaining <= 0:
            entry.update(status="complete", projected=so_far, fraction=so_far / goal)
            sentences.append(c.Sentence(f"In {month_name} you reached {wording.format_count(so_far)} {label}, "
                                        f"{wording.format_rate(so_far / goal)} of your goal of "
                                        f"{wording.format_count(goal)}.", 50))
            continue
        if rate is None or pace["pace_days"] < MIN_PACE_DAYS:
            sentences.append(c.Sentence(f"Your goal of {wording.format_count(goal)} {label} for {month_name}: "
                                        "too few counted "
                                        f"days to know your pace yet.", 20))
            continue
        projected = so_far + rate * remaining
        needed = max(goal - so_far, 0.0) / remaining
        weeks = pace["week_paces"]
        entry.update(status="on_track" if projected >= goal else "behind", projected=projected,
                     fraction=projected / goal, needed_per_day=needed, remaining_days=remaining,
                     projected_low=so_far + float(weeks.min()) * remaining if len(weeks) >= 2 else None,
                     projected_high=so_far + float(weeks.max()) * remaining if len(weeks) >= 2 else None)
        end_word = f"the {wording.ordinal(month.end.day)}"
        if so_far >= goal:
            text = (f"You have reached your {month_name} goal of {wording.format_count(goal)} {label} already "
                    f"({wording.format_count(so_far)} so far).")
            score = 70
        elif projected >= goal:
            start = pace["last_counted"] if pace["last_counted"] else month.start - dt.timedelta(days=1)
            reach = min(start + dt.timedelta(days=math.ceil((goal - so_far) / rate)), month.end)
            text = (f"{label.capitalize()}: {wording.format_count(so_far)} so far in {month_name}; at this pace "
                    "you reach your goal "
                    f"of {wording.format_count(goal)} around the {wording.ordinal(reach.day)} "
                    f"({wording.format_rate(projected / goal)} by {end_word}).")
            score = 75
        else:
            text = (f"{label.capitalize()}: {wording.format_count(so_far)} so far in {month_name}; at this pace "
                    "you reach "
                    f"{wording.format_rate(projected / goal)} of your goal of {wording.format_count(goal)} by "
                    f"{end_word}")
            if entry["projected_low"] is not None:
                text += (f" ({wording.format_rate(entry['projected_low'] / goal)} to "
                         f"{wording.format_rate(entry['projected_high'] / goal)} "
                         "at the pace of your slowest or best recent week)")
            text += (f". You need {wording.format_count(math.ceil(needed))} a day from here; you have averaged "
                     f"{wording.format_count(rate)}.")
            score = 85
        if pace.get("unseen_before"):
            text += f" The Google Analytics figures start on {wording.format_date(pace['covers'].start, year=False)}."
        sentences.append(c.Sentence(text, score))
    return {"id": "goals", "title": "Goals this month", "sentences": sentences, "goals": goals,
            "month": month.as_dict(), "results": results,
            "chart": {"kind": "goals", "results": [{k: r.get(k) for k in ("metric", "goal", "chart_days", "cumulative",
                                                                         "projected", "last_counted", "so_far")}
                                                   for r in results]}}
