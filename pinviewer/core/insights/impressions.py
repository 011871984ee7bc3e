"""Do impressions predict clicks for this account, or are they noise?

* Across Pins: Spearman's rank correlation of impressions and outbound clicks (ranks, so a few huge Pins
  do not decide it), with a 95% interval (Fisher's z, variance 1.06 / (n - 3)). Judged from 20 Pins on.
* Day by day: each day's surprise in impressions against its surprise in outbound clicks, both measured
  against the weekday-aware baseline of ``anomalies`` (so growth and the weekly rhythm, which move both,
  do not count as a link), at lags of 0 to 3 days. Neighbouring days are alike, so the interval uses
  Bartlett's effective sample size. Judged from 28 days on.
* The verdict reads the interval, not the point estimate (``_common.strength``): 'can't tell yet' is an answer.
* Two lists, against the account's own click rate over the same Pins, with Wilson intervals so that a Pin
  with few impressions is not called good or bad on luck: seen a lot (top 10% by impressions), clicked
  little (even the high end of its rate below half the account's); seen little (bottom half), clicked a lot
  (even the low end of its rate 1.5 times the account's, and at least 3 clicks).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, cast

import numpy as np
import pandas as pd

from pinviewer.core.analysis import MIN_IMPRESSIONS_FOR_RATES, Period
from pinviewer.core import wording
from pinviewer.core.insights import _common as c
from pinviewer.core.insights.anomalies import daily_baseline
from pinviewer.core.store import Dataset

MIN_PINS = 20
MIN_DAYS = 28
LAGS = (0, 1, 2, 3)
DAILY_WINDOW = 365  # days up to the period's end used for the day-by-day relation (at least)
BONFERRONI_Z = 2.4977  # two-sided 95% over the 4 lags: 1 - 0.05 / 8 quantile of the normal
SEEN_A_LOT = 0.9
SEEN_LITTLE = 0.5
GEM_FACTOR = 1.5
DUD_FACTOR = 0.5
MIN_GEM_CLICKS = 3
LIST_SIZE = 5
MAX_POINTS = 3000  # points drawn in the scatter (every listed Pin is among them)


STRENGTH_RULE = ("A clear sign: even the low end of the interval is 0.3 or more (or the whole interval is near 0, "
                 "or below it); some sign: the low end is above 0; no sign yet: the interval is too wide to tell.")


def _interval_text(r: float, low: float, high: float) -> str:
    return f"{r:.2f}, likely between {low:.2f} and {high:.2f}".replace("-", "\u2212")


def across_pins(table: pd.DataFrame) -> dict[str, Any]:
    imp, clicks = table["impressions"].to_numpy(float), table["outbound_clicks"].to_numpy(float)
    ok = np.isfinite(imp) & np.isfinite(clicks) & (imp > 0)
    r, n = c.spearman(imp[ok], clicks[ok])
    out: dict[str, Any] = {"n": n, "r": r, "low": None, "high": None, "strength": "unclear", "min_pins": MIN_PINS}
    if n == 0:
        out["sentence"] = c.Sentence("Across Pins: import a top-Pins export to compare your Pins' impressions and "
                                     "outbound clicks.", 5)
        return out
    if r is None or n < MIN_PINS:
        out["sentence"] = c.Sentence(
            f"Across Pins: too few to tell whether being seen more means being clicked more "
            f"({wording.plural(n, 'Pin')} with impressions; I need {MIN_PINS}).", 10)
        return out
    low, high = c.fisher_interval(r, n)
    verdict = c.strength(r, low, high)
    out.update(low=low, high=high, strength=verdict)
    pins = f"your {wording.format_count(n)} Pins"
    text = {
        "strong": f"Across {pins}, a clear sign: the Pins seen more were clicked more.",
        "clear": f"Across {pins}, a clear sign: the Pins seen more usually got more clicks.",
        "weak": f"Across {pins}, some sign that the Pins seen more get more clicks, but only loosely: the image, "
                "title and link matter more than how often a Pin is shown.",
        "none": f"Across {pins}, a clear sign that how often a Pin is seen says almost nothing about its clicks.",
        "negative": f"Across {pins}, a clear sign: the Pins seen most were clicked least.",
        "unclear": f"Across {pins}, no sign yet either way: the figures can't tell whether being seen more means "
                   "being clicked more.",
    }[verdict]
    how = (f"Rank correlation of impressions and outbound clicks across {wording.plural(n, 'Pin')}: "
           f"{_interval_text(r, low, high)} (95% interval). {STRENGTH_RULE}")
    out["sentence"] = c.Sentence(text, 40 if verdict != "unclear" else 20, how_sure=how)
    return out


def day_by_day(ds: Dataset, period: Period) -> dict[str, Any]:
    """The account's day-by-day relation over the period, or over the year up to its end when that is longer
    (it is a trait of the account, not of one month: 30 days rarely tell)."""
    window = period if period.days >= DAILY_WINDOW else Period(period.end - dt.timedelta(days=DAILY_WINDOW - 1),
                                                                 period.end)
    imp = daily_baseline(ds, "impressions", window)
    clk = daily_baseline(ds, "outbound_clicks", window)
    out: dict[str, Any] = {"lags": [], "strength": "unclear", "min_days": MIN_DAYS, "n": 0, "window": window}
    if imp is None or clk is None:
        out["sentence"] = c.Sentence("Day by day: import a Pinterest overview export with impressions and outbound "
                                     "clicks to see whether one follows the other.", 5)
        return out
    x, y = imp["resid"].to_numpy(float), clk["resid"].to_numpy(float)
    for lag in LAGS:
        a, b = (x[:-lag], y[lag:]) if lag else (x, y)
        r, n = c.spearman(a, b)
        entry: dict[str, Any] = {"lag": lag, "r": r, "n": n, "n_eff": None, "low": None, "high": None}
        if r is not None:
            ok = np.isfinite(a) & np.isfinite(b)
            n_eff = c.effective_n(n, a[ok], b[ok])
            entry.update(n_eff=n_eff, low=c.fisher_interval(r, n_eff)[0], high=c.fisher_interval(r, n_eff)[1])
        out["lags"].append(entry)
    first = out["lags"][0]
    out["n"] = first["n"]
    if first["r"] is None or first["n"] < MIN_DAYS:
        out["sentence"] = c.Sentence(
            f"Day by day: too few days to tell whether impressions bring clicks ({wording.plural(first['n'], 'day')} "
            f"with a usual level to compare against; I need {MIN_DAYS}).", 10)
        return out
    chosen = _pick_lag(out["lags"])
    r, low, high, n = chosen["r"], chosen["low"], chosen["high"], chosen["n"]
    verdict = c.strength(r, low, high)
    out.update(strength=verdict, r=r, low=low, high=high, best_lag=chosen["lag"])
    text = {
        "strong": "Day by day, a clear sign: when your impressions rose above their usual level, outbound clicks "
                  "rose with them. For you, impressions matter.",
        "clear": "Day by day, a clear sign: more impressions than usual usually came with more clicks than usual.",
        "weak": "Day by day, some sign that more impressions bring more clicks, but only a few more.",
        "none": "Day by day, a clear sign that your impressions say little about your outbound clicks: don't read "
                "much into impression swings.",
        "negative": "Day by day, a clear sign: more impressions went with fewer outbound clicks (the extra "
                    "impressions come from people who don't click).",
        "unclear": "Day by day, no sign yet either way: the figures can't tell whether more impressions bring more "
                   "clicks for you.",
    }[verdict]
    later = f", clicks {wording.plural(chosen['lag'], 'day')} later" if chosen["lag"] else ""
    how = (f"Correlation of each day's impressions and outbound clicks, both measured against what is usual for "
           f"the weekday: {_interval_text(r, low, high)} (95% interval), over {wording.plural(n, 'day')}"
           f"{later}. {STRENGTH_RULE}")
    if chosen["lag"]:
        text += f" Clicks follow impressions by about {wording.plural(chosen['lag'], 'day')}."
    out["sentence"] = c.Sentence(text, 55 if verdict != "unclear" else 30, how_sure=how)
    return out


def _pick_lag(lags: list[dict[str, Any]]) -> dict[str, Any]:
    """Lag 0, unless a later lag is clearly stronger: its interval, widened for having looked at
    len(LAGS) lags (Bonferroni, z = 2.50), lies wholly above lag 0's estimate. The chosen later lag
    reports that wider interval."""
    first = lags[0]
    best = max((e for e in lags[1:] if e["r"] is not None and e["n"] >= MIN_DAYS), key=lambda e: e["r"], default=None)
    if best is None:
        return first
    low, high = c.fisher_interval(best["r"], best["n_eff"], z=BONFERRONI_Z)
    if low <= first["r"]:
        return first
    return {**best, "low": low, "high": high}


def pin_lists(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, float | None]:
    """(seen a lot but clicked little, seen little but clicked a lot, the account's rate over these Pins)."""
    imp = table["impressions"].to_numpy(float)
    clicks = table["outbound_clicks"].to_numpy(float)
    same_days = np.isfinite(table["outbound_click_rate"].to_numpy(float))  # both counts over the same days
    eligible = np.isfinite(imp) & np.isfinite(clicks) & same_days & (imp >= MIN_IMPRESSIONS_FOR_RATES)
    empty = table.iloc[0:0].assign(low=[], high=[])
    if eligible.sum() < MIN_PINS or clicks[eligible].sum() <= 0:
        return empty, empty, None
    base = clicks[eligible].sum() / imp[eligible].sum()
    low, high = c.wilson(clicks, np.where(eligible, imp, 0))
    lots = np.quantile(imp[eligible], SEEN_A_LOT)
    little = np.quantile(imp[eligible], SEEN_LITTLE)
    with np.errstate(invalid="ignore"):
        duds = eligible & (imp >= lots) & (high < DUD_FACTOR * base)
        gems = eligible & (imp <= little) & (low > GEM_FACTOR * base) & (clicks >= MIN_GEM_CLICKS)
    dud_rows = np.flatnonzero(duds)
    gem_rows = np.flatnonzero(gems)
    dud_table = table.iloc[dud_rows].assign(low=low[dud_rows], high=high[dud_rows])
    gem_table = table.iloc[gem_rows].assign(low=low[gem_rows], high=high[gem_rows])
    dud_table = dud_table.sort_values("impressions", ascending=False, kind="stable")
    gem_table = gem_table.sort_values(["low", "outbound_clicks"], ascending=False, kind="stable")
    return dud_table, gem_table, float(base)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    keep = ["pin_id", "title", "board", "link", "impressions", "outbound_clicks", "outbound_click_rate", "low", "high"]
    return cast("list[dict[str, Any]]", frame[keep].head(20).to_dict("records"))  # the column names are text


def _scatter(table: pd.DataFrame, duds: pd.DataFrame, gems: pd.DataFrame, base: float | None) -> dict[str, Any]:
    imp = table["impressions"].to_numpy(float)
    clicks = table["outbound_clicks"].to_numpy(float)
    seen = np.flatnonzero(np.nan_to_num(imp) > 0)
    ids = table["pin_id"].to_numpy()
    listed = pd.Series(ids).isin(set(duds["pin_id"]) | set(gems["pin_id"])).to_numpy()
    rows = seen
    if len(seen) > MAX_POINTS:  # every listed Pin, the 500 most clicked and most seen, then a fixed sample
        keep = np.zeros(len(imp), bool)
        keep[seen[listed[seen]]] = True
        for values in (np.nan_to_num(clicks[seen], nan=-1.0), imp[seen]):
            keep[seen[np.argsort(-values, kind="stable")[:500]]] = True
        rest = seen[~keep[seen]]
        room = max(MAX_POINTS - int(keep.sum()), 0)
        keep[np.random.default_rng(0).choice(rest, size=min(room, len(rest)), replace=False)] = True
        rows = np.flatnonzero(keep)
    gem_ids, dud_ids = set(gems["pin_id"]), set(duds["pin_id"])
    group = ["gem" if p in gem_ids else "seen_not_clicked" if p in dud_ids else "" for p in ids[rows]]
    return {"kind": "scatter", "x": "impressions", "y": "outbound_clicks", "log": True,
            "pin_ids": [str(p) for p in ids[rows]], "titles": table["title"].to_numpy()[rows].tolist(),
            "impressions": imp[rows], "outbound_clicks": clicks[rows], "group": group,
            "typical_rate": base, "points_total": int(len(seen))}


def impressions_vs_clicks(ds: Dataset, period: Period) -> dict[str, Any]:
    table, covered = c.pin_view(ds, period)
    pins = across_pins(table)
    days = day_by_day(ds, period)
    duds, gems, base = pin_lists(table)
    sentences = [days.pop("sentence"), pins.pop("sentence")]
    if len(gems):
        g = gems.iloc[0]
        more = f" ({wording.plural(len(gems) - 1, 'more Pin')} like it in the list)" if len(gems) > 1 else ""
        sentences.append(c.Sentence(
            f"{wording.quote(c.pin_title(g['title'], g['pin_id']))} is seen little but clicked a lot "
            f"({wording.format_rate(g['outbound_click_rate'])} of {wording.format_count(g['impressions'])} "
            "impressions, against "
            f"{wording.format_rate(base)} for your Pins): pin it again, to more boards{more}.", 65,
            [c.pin_link(g["pin_id"], g["title"])],
            how_sure=f"A clear sign: its click rate is likely between {wording.format_rate(g['low'])} and "
                     f"{wording.format_rate(g['high'])} "
                     f"(95% Wilson interval from {wording.format_count(g['impressions'])} impressions); even "
                     "the low end is "
                     f"{GEM_FACTOR:g} times your Pins' {wording.format_rate(base)} or more."))
    if len(duds):
        d = duds.iloc[0]
        more = f" ({wording.plural(len(duds) - 1, 'more Pin')} like it in the list)" if len(duds) > 1 else ""
        sentences.append(c.Sentence(
            f"{wording.quote(c.pin_title(d['title'], d['pin_id']))} is seen a lot but rarely clicked "
            f"({wording.format_rate(d['outbound_click_rate'])} of {wording.format_count(d['impressions'])} "
            "impressions, against "
            f"{wording.format_rate(base)}): try a new image or title{more}.", 60, [c.pin_link(d["pin_id"], d["title"])],
            how_sure=f"A clear sign: its click rate is likely between {wording.format_rate(d['low'])} and "
                     f"{wording.format_rate(d['high'])} "
                     f"(95% Wilson interval from {wording.format_count(d['impressions'])} impressions); even "
                     "the high end is "
                     f"below half your Pins' {wording.format_rate(base)}."))
    lag_chart = {"kind": "lags", "lags": [e["lag"] for e in days["lags"]], "r": [e["r"] for e in days["lags"]],
                 "low": [e["low"] for e in days["lags"]], "high": [e["high"] for e in days["lags"]]}
    return {"id": "impressions", "title": "Do impressions bring clicks for you?", "sentences": sentences,
            "chart": _scatter(table, duds, gems, base), "lag_chart": lag_chart,
            "notes": c.cover_notes(period, covered), "across_pins": pins, "day_by_day": days, "typical_rate": base,
            "pins_cover": covered,
            "seen_not_clicked": _records(duds), "hidden_gems": _records(gems)}
