"""How concentrated the outbound clicks are, and how Pins earn with age.

* Concentration: the share of outbound clicks from the top 5 Pins (of the Pin figures that cover the
  period), against the account's total over the same days when the daily figures cover them (a top-Pins
  export may list only the best Pins). Past 50% it is a warning: one fading Pin takes the traffic with it.
* Age: clicks by the Pin's age at the end of the Pin figures' date range, new Pins (created within that
  range) against older ones.
* How long a Pin keeps earning: every Pin row of every export (or, with API data, every Pin's calendar
  months), each turned into clicks per 30 days at the Pin's age in the middle of the row. A Pin missing from
  an export (outside that range's top list, or in a list sorted by another metric) is unknown there, never 0,
  and is left out of that range (so Pins that faded from the top list are not followed). Judged from two
  exports (or 60 days of daily Pin figures), 30 dated Pin rows and three age groups of 10 rows; from one
  export it says that it cannot follow Pins over time.
"""
from __future__ import annotations

from typing import Any, cast

import numpy as np
import pandas as pd

from pinviewer.core import analysis
from pinviewer.core.analysis import Period
from pinviewer.core.formats.model import PIN
from pinviewer.core import wording
from pinviewer.core.insights import _common as c
from pinviewer.core.store import Dataset

TOP_N = 5
WARN_SHARE = 0.5
MIN_CLICKS = 20
AGE_BUCKETS = ((0, 30, "under a month"), (30, 91, "1\u20133 months"), (91, 182, "3\u20136 months"),
               (182, 365, "6\u201312 months"), (365, 730, "1\u20132 years"), (730, 10**6, "over 2 years"))
MIN_ROWS = 30
MIN_BUCKET_ROWS = 10
MIN_DAILY_SPAN = 60


def click_concentration(ds: Dataset, period: Period) -> dict[str, Any]:
    table, covered = c.pin_view(ds, period)
    clicks = table["outbound_clicks"].fillna(0).to_numpy(float)
    pin_total = float(clicks.sum())
    account_total = None
    if covered is not None and analysis.days_with_data(ds, covered) == covered.days:
        account_total = analysis.totals(ds, covered)["outbound_clicks"]
    total = max(pin_total, account_total or 0.0)
    out: dict[str, Any] = {"id": "concentration", "title": "How concentrated your clicks are", "pins_cover": covered,
           "total": total, "pin_total": pin_total, "threshold": WARN_SHARE, "top": []}
    if not table["outbound_clicks"].notna().any():  # unknown is not 0: no download gave clicks per Pin
        out["sentences"] = [c.Sentence("Your downloads give no outbound clicks per Pin for these days, so there is no "
                                       "telling how concentrated they are yet: export the overview with the Top Pins "
                                       "table sorted by Outbound clicks.", 5)]
        out["chart"] = {"kind": "shares", "labels": [], "values": [], "keys": []}
        return out
    if total < MIN_CLICKS:
        out["sentences"] = [c.Sentence(f"Too few outbound clicks ({wording.format_count(total)}) to judge how "
                                       "concentrated they "
                                       "are.", 5)]
        out["chart"] = {"kind": "shares", "labels": [], "values": [], "keys": []}
        return out
    order = np.argsort(-clicks, kind="stable")
    top = table.iloc[order[:TOP_N]]
    share = float(clicks[order[:TOP_N]].sum() / total)
    running = np.cumsum(clicks[order]) / total
    half = int(np.searchsorted(running, 0.5) + 1) if running[-1] >= 0.5 else None
    with_clicks = int((clicks > 0).sum())
    out.update(top_share=share, pins_for_half=half, pins_with_clicks=with_clicks, warning=share > WARN_SHARE,
               top=[{"pin_id": str(r.pin_id), "title": c.pin_title(r.title, r.pin_id),
                     "outbound_clicks": r.outbound_clicks, "share": cast(float, r.outbound_clicks or 0) / total}
                    for r in top.itertuples()])
    links = [c.pin_link(r.pin_id, r.title) for r in top.head(1).itertuples()]
    if with_clicks <= TOP_N:
        text = (f"All your outbound clicks came from {wording.plural(with_clicks, 'Pin')}: if one fades, your "
                "traffic goes "
                "with it. Make fresh Pins for your posts.")
        score = 75
    elif share > WARN_SHARE:
        first = top.iloc[0]
        text = (f"Your top 5 Pins brought {wording.format_rate(share)} of your outbound clicks, "
                f"{wording.quote(c.pin_title(first['title'], first['pin_id']))} alone "
                f"{wording.format_rate((first['outbound_clicks'] or 0) / total)}: if one fades, your traffic "
                "goes with it. "
                "Make fresh Pins for their posts and for your others.")
        score = 75
    else:
        text = f"Your outbound clicks are spread out: the top 5 Pins brought {wording.format_rate(share)} of them"
        text += f", and it takes {wording.plural(half, 'Pin')} to make half." if half else "."
        score, links = 30, []
    out["sentences"] = [c.Sentence(text, score, links)]
    out["notes"] = c.cover_notes(period, covered)
    if account_total and pin_total < 0.9 * account_total:
        out["notes"] += [f"The Pin figures add up to {wording.format_rate(pin_total / account_total)} of the "
                         "account's outbound "
                        "clicks over the same days (the export may list only your top Pins); shares are of the "
                        "account's total."]
    out["chart"] = {"kind": "shares", "labels": [c.pin_title(t, p) for t, p in zip(top["title"], top["pin_id"])]
                    + ["All other Pins"], "keys": [str(p) for p in top["pin_id"]] + [""],
                    "values": [float(v) / total for v in clicks[order[:TOP_N]]] + [1 - share]}
    return out


def _each(value: float) -> str:
    """An average per Pin: 0.4, 3.5, 12."""
    return f"{value:.1f}" if value < 10 else wording.format_count(value)


def _bucket(age_days: np.ndarray) -> np.ndarray:
    edges = np.array([b[0] for b in AGE_BUCKETS[1:]])
    return np.searchsorted(edges, age_days, side="right")


def pin_age(ds: Dataset, period: Period) -> dict[str, Any]:
    table, covered = c.pin_view(ds, period)
    out: dict[str, Any] = {"id": "age", "title": "New Pins and old Pins", "pins_cover": covered}
    created = c.parse_days(table["created"].to_numpy())
    known = ~np.isnat(created)
    clicks = table["outbound_clicks"].fillna(0).to_numpy(float)
    if covered is None or not known.any() or clicks[known].sum() <= 0:
        out["sentences"] = [c.Sentence("The Pin figures have no creation dates (or no clicks), so clicks by Pin age "
                                       "can't be shown.", 5)]
        out["chart"] = {"kind": "age", "labels": [], "clicks_share": [], "pins_share": []}
        return out
    end = np.datetime64(covered.end, "D")
    age = (end - created[known]).astype(int)
    bucket = _bucket(age)
    k_clicks = clicks[known]
    total = k_clicks.sum()
    by_clicks = np.bincount(bucket, weights=k_clicks, minlength=len(AGE_BUCKETS))
    by_pins = np.bincount(bucket, minlength=len(AGE_BUCKETS))
    new = created[known] >= np.datetime64(covered.start, "D")
    new_share = float(k_clicks[new].sum() / total)
    old_share = float(k_clicks[age >= 365].sum() / total)
    out.update(new_pins=int(new.sum()), new_share=new_share, year_old_share=old_share,
               buckets=[{"label": b[2], "pins": int(p), "outbound_clicks": float(v), "share": float(v / total)}
                        for b, p, v in zip(AGE_BUCKETS, by_pins, by_clicks)])
    where = "this period" if covered == period else wording.format_period(covered)
    if new.any():
        text = (f"Pins created in {where} brought {wording.format_rate(new_share)} of outbound clicks "
                f"({wording.plural(int(new.sum()), 'new Pin')}, {_each(k_clicks[new].sum() / new.sum())} clicks each "
                f"on average); "
                f"Pins over a year old brought {wording.format_rate(old_share)}.")
    else:
        text = (f"No new Pins in {where}; Pins over a year old brought {wording.format_rate(old_share)} of outbound "
                "clicks.")
    out["sentences"] = [c.Sentence(text, 45)]
    out["chart"] = {"kind": "age", "labels": [b[2] for b in AGE_BUCKETS],
                    "clicks_share": by_clicks / total, "pins_share": by_pins / max(by_pins.sum(), 1)}
    life = earning_life(ds)
    out["earning"] = life
    out["sentences"].append(life.pop("sentence"))
    return out


def _pin_history(ds: Dataset) -> tuple[pd.DataFrame, str]:
    """pin_id, start, end, outbound_clicks for every Pin row there is, and which granularity it came from."""
    rows = c.rows_of(ds, PIN)
    frames, kinds = [], []
    if len(rows) and "outbound_clicks" in rows:
        exports = rows[["entity_id", "start", "end", "outbound_clicks"]].rename(columns={"entity_id": "pin_id"})
        kept = (exports["end"] > exports["start"]).to_numpy() & exports["outbound_clicks"].notna().to_numpy()
        exports = exports[kept]
        if len(exports):
            frames.append(exports)  # a Pin missing from an export is unknown there, not 0
            kinds.append("exports")
    daily = c.rows_of(ds, PIN, "daily")
    if len(daily) and "outbound_clicks" in daily:
        month = daily["date"].dt.to_period("M")
        monthly = daily.groupby(["entity_id", month]).agg(start=("date", "min"), end=("date", "max"),
                                                           outbound_clicks=("outbound_clicks", "sum"))
        monthly = monthly.reset_index().rename(columns={"entity_id": "pin_id"}).drop(columns=["date"])
        frames.append(monthly)
        kinds.append("daily" if (daily["date"].max() - daily["date"].min()).days >= MIN_DAILY_SPAN else "short daily")
    if not frames:
        return pd.DataFrame(columns=["pin_id", "start", "end", "outbound_clicks"]), "none"
    return pd.concat(frames, ignore_index=True), "+".join(kinds)


def earning_life(ds: Dataset) -> dict[str, Any]:
    history, granularity = _pin_history(ds)
    out: dict[str, Any] = {"granularity": granularity, "buckets": [], "ranges": 0}
    if not len(history):
        out["sentence"] = c.Sentence("How long a Pin keeps earning: import top-Pins exports of several months to "
                                     "follow your Pins over time.", 5)
        return out
    created = c.created_days(ds, history["pin_id"].to_numpy())
    start = history["start"].to_numpy().astype("datetime64[D]")
    end = history["end"].to_numpy().astype("datetime64[D]")
    ok = ~np.isnat(created) & (created <= end)
    exposure_start = np.maximum(start[ok], created[ok])
    days = (end[ok] - exposure_start).astype(int) + 1
    mid_age = (exposure_start - created[ok]).astype(int) + days / 2
    per_30 = history["outbound_clicks"].fillna(0).to_numpy(float)[ok] / days * 30
    ranges = len(history[["start", "end"]].drop_duplicates())
    out["ranges"] = ranges
    bucket = _bucket(mid_age)
    counts = np.bincount(bucket, minlength=len(AGE_BUCKETS))
    sums = np.bincount(bucket, weights=per_30, minlength=len(AGE_BUCKETS))
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / counts, np.nan)
    out["buckets"] = [{"label": b[2], "pin_rows": int(n), "clicks_per_30_days": m}
                      for b, n, m in zip(AGE_BUCKETS, counts, means)]
    can_follow = ranges >= 2 or granularity.startswith("daily") or "+daily" in granularity
    solid = counts >= MIN_BUCKET_ROWS
    if not can_follow:
        out["sentence"] = c.Sentence("How long a Pin keeps earning: one Pin export compares different Pins of "
                                     "different ages, not the same Pins over time; import the exports of earlier "
                                     "months to follow them.", 15)
        return out
    if ok.sum() < MIN_ROWS or solid.sum() < 3:
        out["sentence"] = c.Sentence("How long a Pin keeps earning: too few dated Pins across your exports to "
                                     "tell yet.", 10)
        return out
    valid = np.flatnonzero(solid)
    peak = valid[int(np.argmax(means[valid]))]
    later = [i for i in valid if i > peak and means[i] < 0.5 * means[peak]]
    out.update(peak=AGE_BUCKETS[peak][2], peak_clicks_per_30_days=float(means[peak]))
    source = "daily Pin figures" if granularity == "daily" else f"{wording.plural(ranges, 'Pin export')}"
    if later:
        half = later[0]
        out["half_at"] = AGE_BUCKETS[half][2]
        text = (f"Your Pins earn most when {AGE_BUCKETS[peak][2]} old ({_each(means[peak])} outbound clicks a "
                f"month each); at {AGE_BUCKETS[half][2]} they bring less than half that "
                f"({_each(means[half])}), from {source}.")
    else:
        last = valid[-1]
        out["half_at"] = None
        text = (f"Your Pins keep earning: at {AGE_BUCKETS[last][2]} old they still bring "
                f"{wording.format_rate(means[last] / means[peak])} of the clicks a month they bring at their best "
                f"({AGE_BUCKETS[peak][2]}), from {source}.")
    out["sentence"] = c.Sentence(text, 35)
    out["note"] = ("A Pin missing from an export (outside that month's top list) is unknown there, not 0, so it is "
                   "left out of that month: Pins that faded from your top list are not counted, and older Pins may "
                   "look a little better than they are.")
    return out
