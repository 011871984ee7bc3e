"""Drops and jumps: each day against what is usual for that weekday, and whether a change is broad or a few Pins.

The baseline for a day (trailing, so the day itself never shapes its own yardstick):

* level: the median of the previous 28 days (every weekday equally, so weekday-neutral);
* weekday factor: the median of day / level over the previous 8 same weekdays;
* expected = level x factor; residual = log((day + 0.5) / (expected + 0.5));
* spread: 1.4826 x the median absolute deviation of the residuals over the previous 56 days, never below
  the Poisson noise of the expected count (1 / sqrt(expected)) nor below 3%.

That yardstick is ready after about 8 weeks of history. Before that, from 21 days of history on, a day is judged
against a short yardstick (``_short_history``): the level is the median of the days before it, each weekday's
factor the median of its (at least two) earlier same weekdays, the spread that of those earlier days around the
same yardstick, and the band is 1.5 times wider (``SHORT_WIDEN``) because so few days make it. Such a verdict
says so in words ("judged against only 3 weeks of history").

A day is an alert when its robust z is 3.5 or more (Iglewicz and Hoaglin's cut for modified z-scores), the
change is at least 20% (smaller ones do not matter to a blogger) and the count is unlikely under Poisson
noise alone (p < 0.001; this keeps 0 clicks on a 3-click day from being called a crash), even against a usual
count moved towards it by twice its own standard error (the yardstick is an estimate too). Days Pinterest is
still counting (provisional) are left out. Consecutive alert days in the same direction make one episode.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from pinviewer.core import analysis
from pinviewer.core.analysis import Period
from pinviewer.core.formats.model import PIN
from pinviewer.core import wording
from pinviewer.core.insights import _common as c
from pinviewer.core.store import Dataset

LEVEL_DAYS = 28
WEEKDAY_WEEKS = 8
SPREAD_DAYS = 56
MIN_SCALE = 0.03
Z_ALERT = 3.5
MIN_CHANGE = 0.20
POISSON_P = 0.001
WARM_UP_DAYS = 400  # history read before the period (a day is judged from 3 weeks of history on)
SHORT_FROM = 21  # days of history before a day can be judged at all (with the short yardstick)
SHORT_WIDEN = 1.5  # how much wider the band is while the history is shorter than the full yardstick needs
SHORT_UNTIL = 120  # days of history after which a day the full yardstick cannot judge stays unjudged (a gap)
MAX_GAP = 2  # alert days this close (same direction) make one episode, the days between included
MARKER_WINDOW = 3  # an alert this close to a metric change is flagged as possibly the change
# broad or concentrated
SHARE_OF_MOVE = 0.6  # concentrated: the fewest Pins (at most TOP_MOVERS) that make 60% of a move ...
TOP_MOVERS = 5  # ... while the other Pins together moved less than MIN_CHANGE
BROAD = 0.6  # broad: Pins that brought 60% of the clicks before moved MIN_CHANGE or more the same way
MIN_EPISODE_SHARE = 0.25  # with period exports, the episode must fill a quarter of the export's days


@dataclass(frozen=True)
class MetricChange:
    """A day Pinterest changed what a metric counts. ``scope`` 'account': the daily totals from that day
    on are not comparable with the days before; 'pin': the change applies to Pins created before the day."""

    day: dt.date
    metrics: tuple[str, ...]
    what: str
    source: str
    scope: str = "account"


# Keep to what a primary source states. No change to the definition of outbound clicks, saves or impressions
# is known here with certainty (checked against Pinterest's API v5 description, release 5.23.0), so nothing is
# marked on the drops-and-jumps charts today; add a dated entry with its source when Pinterest announces one.
METRIC_CHANGES: tuple[MetricChange, ...] = (
    MetricChange(dt.date(2023, 3, 20), ("profile_visits", "follows"),
                 "Profile visits and follows per Pin exist for every Pin format only for Pins created on or after "
                 "this day (before it, for Idea Pins only).",
                 "Pinterest API v5 OpenAPI description 5.23.0, GET /pins/{pin_id}/analytics", scope="pin"),
)


def markers(metric: str, period: Period) -> list[dict[str, Any]]:
    """Metric changes to draw on a daily chart of ``metric`` over ``period``."""
    return [{"date": m.day.isoformat(), "what": m.what, "source": m.source}
            for m in METRIC_CHANGES
            if m.scope == "account" and metric in m.metrics and period.contains(m.day)]


# ------------------------------------------------------------------------------------------------ baseline
def baseline(values: pd.Series, known_before: int = 0) -> pd.DataFrame:
    """Expected value, residual (log), spread and robust z for each day of a full daily series (NaN = unknown).
    ``known_before``: how many known days the history holds before the series' first day."""
    y = values.astype(float)
    level = y.shift(1).rolling(LEVEL_DAYS, min_periods=14).median()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (y / level).where(level > 0)
    factor = pd.Series(_same_weekday_median(ratio.to_numpy(float)), index=y.index)
    expected = level * factor
    resid = cast(pd.Series, np.log((y + 0.5) / (expected + 0.5)))  # a ufunc gives a Series back for a Series
    centre = resid.shift(1).rolling(SPREAD_DAYS, min_periods=14).median()
    mad = (resid - centre).abs().shift(1).rolling(SPREAD_DAYS, min_periods=14).median()
    scale = np.maximum(np.maximum(1.4826 * mad, 1 / np.sqrt(expected + 0.5)), MIN_SCALE)
    frame = pd.DataFrame({"value": y, "expected": expected, "resid": resid - centre, "scale": scale,
                          "z": (resid - centre) / scale, "history_days": np.nan})
    _short_history(frame, known_before)
    return frame


def _short_history(frame: pd.DataFrame, known_before: int = 0) -> None:
    """Fills the days the full yardstick cannot judge yet but that have SHORT_FROM known days before them (only
    while the history itself is short: days the full yardstick skips at the start of a slice of a long history
    are warm-up, never shown)."""
    y = frame["value"].to_numpy(float)
    known = np.isfinite(y)
    before = np.cumsum(known) - known + known_before
    todo = np.flatnonzero(np.isnan(frame["z"].to_numpy(float)) & known & (before >= SHORT_FROM)
                          & (before < SHORT_UNTIL))
    if not len(todo):
        return
    weekday = cast(pd.DatetimeIndex, frame.index).day_of_week.to_numpy()  # a daily series: indexed by day
    columns = {name: frame[name].to_numpy(float).copy() for name in ("expected", "resid", "scale", "z", "history_days")}
    for t in todo:
        lo = max(0, t - SPREAD_DAYS)
        past, days = y[lo:t], weekday[lo:t]
        ok = np.isfinite(past)
        recent = y[max(0, t - LEVEL_DAYS):t]
        recent = recent[np.isfinite(recent)]
        if len(recent) < 14:
            continue
        level = float(np.median(recent))
        factors = np.ones(7)
        if level > 0:
            for w in range(7):
                same = past[ok & (days == w)]
                if len(same) >= 2:
                    factors[w] = float(np.median(same)) / level
        errors = np.log((past[ok] + 0.5) / (level * factors[days[ok]] + 0.5))
        centre = float(np.median(errors))
        spread = 1.4826 * float(np.median(np.abs(errors - centre)))
        expected = level * factors[weekday[t]]
        resid = float(np.log((y[t] + 0.5) / (expected + 0.5))) - centre
        scale = SHORT_WIDEN * max(spread, 1 / np.sqrt(expected + 0.5), MIN_SCALE)
        columns["expected"][t], columns["resid"][t], columns["scale"][t] = expected, resid, scale
        columns["z"][t], columns["history_days"][t] = resid / scale, before[t]
    for name, values in columns.items():
        frame[name] = values


def _same_weekday_median(ratio: np.ndarray) -> np.ndarray:
    """For each day, the median over the previous WEEKDAY_WEEKS same weekdays (the series is one row per
    calendar day, so same weekdays are 7 rows apart): weeks as rows of a 7-column table, rolled down."""
    n = len(ratio)
    weeks = -(-n // 7)
    table = np.full(weeks * 7, np.nan)
    table[:n] = ratio
    rolled = pd.DataFrame(table.reshape(weeks, 7)).shift(1).rolling(WEEKDAY_WEEKS, min_periods=2).median()
    return rolled.to_numpy().reshape(-1)[:n]


def daily_baseline(ds: Dataset, metric: str, period: Period) -> pd.DataFrame | None:
    """The baseline of an account metric over the period (with the history before it), provisional days out.

    The last few are kept in ``ds.cache`` (drops and jumps and the impressions insight share them).
    """
    kept = ds.cache.setdefault("insights.baseline", {})
    if (metric, period) not in kept:
        if len(kept) >= 8:  # the last few periods asked (drops and jumps, the impressions window)
            kept.pop(next(iter(kept)))
        kept[(metric, period)] = _daily_baseline(ds, metric, period)
    found: pd.DataFrame | None = kept[(metric, period)]
    return found


def _daily_baseline(ds: Dataset, metric: str, period: Period) -> pd.DataFrame | None:
    daily = analysis.account_daily(ds)
    if metric not in daily or not daily[metric].notna().any():
        return None
    first = max(daily.index[0], c.ts(period.start) - pd.Timedelta(days=WARM_UP_DAYS))
    index = pd.date_range(first, c.ts(period.end), freq="D")
    rows = daily.loc[first:c.ts(period.end)]
    values = rows[metric].where(~rows["provisional"].astype(bool)) if "provisional" in rows else rows[metric]
    known_before = int(daily.loc[:first - pd.Timedelta(days=1), metric].notna().sum()) if first > daily.index[0] else 0
    frame = baseline(values.reindex(index), known_before)
    frame["shown"] = rows[metric].reindex(index).to_numpy(float)  # provisional days too, for the chart
    frame["provisional"] = rows["provisional"].reindex(index).fillna(False).astype(bool).to_numpy() \
        if "provisional" in rows else False
    return frame.loc[c.ts(period.start):]


# ------------------------------------------------------------------------------------------------ episodes
def _episodes(frame: pd.DataFrame) -> list[dict[str, Any]]:
    z, value, expected = frame["z"].to_numpy(), frame["value"].to_numpy(), frame["expected"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = value / expected - 1
    flag = np.isfinite(z) & (np.abs(z) >= Z_ALERT) & (np.abs(relative) >= MIN_CHANGE)
    scale = frame["scale"].to_numpy()
    for i in np.flatnonzero(flag):  # few candidates: the exact tail is cheap
        # the yardstick is itself an estimate (a median of 28 days times one of 8 same weekdays: a standard error
        # of about half the spread): the count must be unlikely even against a yardstick moved that much twice
        # towards it, or noise in the yardstick alone would raise an alert now and then on steady figures
        usual = expected[i] * np.exp(-scale[i] if z[i] < 0 else scale[i])
        if c.poisson_tail(value[i], usual, lower=z[i] < 0) >= POISSON_P:
            flag[i] = False
    days = frame.index
    out: list[dict[str, Any]] = []
    for i in np.flatnonzero(flag):  # positions, in date order (the frame has one row per calendar day)
        sign = -1 if z[i] < 0 else 1
        last = out[-1] if out else None
        if last and last["sign"] == sign and i - last["last"] <= 1 + MAX_GAP:
            last["last"] = i
            last["flagged"] += 1
        else:
            out.append({"sign": sign, "first": i, "last": i, "flagged": 1})
    for ep in out:
        span = slice(ep.pop("first"), ep.pop("last") + 1)
        known = np.isfinite(value[span]) & np.isfinite(expected[span])
        actual, usual = float(value[span][known].sum()), float(expected[span][known].sum())
        zs = z[span][np.isfinite(z[span])]
        short = frame["history_days"].to_numpy()[span.start]
        ep["history_days"] = int(short) if np.isfinite(short) else None  # judged with the short yardstick
        ep["p_value"] = c.poisson_tail(actual, usual, lower=ep["sign"] < 0) if usual > 0 else None
        ep.update({"start": days[span.start].date(), "end": days[span.stop - 1].date(), "actual": actual,
                   "expected": usual, "change": actual / usual - 1 if usual else None,
                   "z": float(zs[np.argmax(np.abs(zs))]), "direction": "drop" if ep["sign"] < 0 else "jump"})
    return out


def _episode_how_sure(ep: dict[str, Any]) -> str:
    """The figures behind an alert, for the "How sure is this?" toggle."""
    judged = (f"judged against only {wording.plural(ep['history_days'], 'day')} of history, with a usual range "
              f"{SHORT_WIDEN:g} times wider than once there are 8 weeks" if ep.get("history_days") is not None
              else "judged against the 8 weeks before it")
    return (f"A clear sign: a {'drop' if ep['sign'] < 0 else 'rise'} this size would happen by counting noise alone "
            f"{c.odds(ep.get('p_value'))} days (Poisson tail p = {ep.get('p_value') or 0:.2g}); the strongest day lies "
            f"{abs(ep['z']):.1f} spreads from the usual level (an alert needs {Z_ALERT:g} and a change of "
            f"{MIN_CHANGE:.0%}); {judged}.")


def _episode_text(metric_label: str, ep: dict[str, Any]) -> str:
    verb = "dropped" if ep["sign"] < 0 else "jumped"
    if ep["start"] == ep["end"]:
        weekday = f"{ep['start']:%A}"
        return (f"{metric_label} {verb} on {wording.format_date(ep['start'])}: "
                f"{wording.format_count(ep['actual'])} against the usual "
                f"{wording.format_count(ep['expected'])} for a {weekday} ({wording.format_change(ep['change'])}).")
    days = (ep["end"] - ep["start"]).days + 1
    return (f"{metric_label} {verb} for {days} days, {wording.format_period(Period(ep['start'], ep['end']))}: "
            f"{wording.format_count(ep['actual'])} against the usual {wording.format_count(ep['expected'])} "
            f"({wording.format_change(ep['change'])}).")


def _short_words(ep: dict[str, Any]) -> str:
    """'; judged against only 3 weeks of history, ...' while the history is short."""
    if ep.get("history_days") is None:
        return ""
    weeks = ep["history_days"] // 7
    return f"; judged against only {wording.plural(weeks, 'week')} of history, so only a big change shows"


# ------------------------------------------------------------------------------------ broad or concentrated
def _classify(changes: pd.DataFrame, sign: int) -> dict[str, Any]:
    """changes: pin_id, title, board, before, delta (both over the episode's days).

    Concentrated: the fewest Pins (at most 5) that make 60% of the move, while the other Pins together
    moved less than 20%. Broad: Pins that brought 60% of the clicks before all moved 20% or more the same
    way. Mixed: neither.
    """
    before = changes["before"].to_numpy(float)
    delta = changes["delta"].to_numpy(float)
    move = delta * sign  # > 0: moved with the account
    total = float(move.sum())
    if total <= 0 or before.sum() <= 0:
        return {"kind": "unknown",
                "reason": "The Pin figures don't show the same change, so I can't tell which Pins moved."}
    order = np.argsort(-move, kind="stable")
    running = np.cumsum(move[order]) / total
    k = int(np.searchsorted(running, SHARE_OF_MOVE) + 1)
    rest = np.ones(len(move), bool)
    rest[order[:k]] = False
    rest_before = before[rest].sum()
    rest_change = float(delta[rest].sum() / rest_before) if rest_before > 0 else 0.0
    moved = (before > 0) & (move >= MIN_CHANGE * before)
    moved_share = float(before[moved].sum() / before.sum())
    if k <= TOP_MOVERS and rest_change * sign < MIN_CHANGE:
        kind = "concentrated"
    elif moved_share >= BROAD:
        kind = "broad"
    else:
        kind = "mixed"
    shown = order[:min(k, TOP_MOVERS)]
    boards = pd.Series(move).groupby(changes["board"].to_numpy()).sum().sort_values(ascending=False)
    top_board = None
    if len(boards) >= 2 and boards.iloc[0] / total >= SHARE_OF_MOVE and str(boards.index[0]):
        top_board = (str(boards.index[0]), float(boards.iloc[0] / total))
    return {"kind": kind, "pins_needed": k, "moved_share": moved_share, "rest_change": rest_change,
            "top_share": float(running[len(shown) - 1]), "board": top_board,
            "pins": [{"pin_id": str(changes["pin_id"].iloc[i]),
                      "title": c.pin_title(changes["title"].iloc[i], changes["pin_id"].iloc[i]),
                      "change": float(delta[i])} for i in shown]}


def _where_daily(ds: Dataset, ep: dict[str, Any], metric: str) -> dict[str, Any] | None:
    pin_daily = c.rows_of(ds, PIN, "daily")
    if not len(pin_daily) or metric not in pin_daily:
        return None
    start, end = c.ts(ep["start"]), c.ts(ep["end"])
    before_start = start - pd.Timedelta(days=LEVEL_DAYS)
    rows = pin_daily[(pin_daily["date"] >= before_start) & (pin_daily["date"] <= end)]
    during = rows["date"] >= start
    days_during = (end - start).days + 1
    if rows.loc[during, "date"].nunique() < days_during or rows.loc[~during, "date"].nunique() < 14:
        return None
    span = rows.loc[~during, "date"].nunique()
    sums = rows.assign(during=during.to_numpy()).groupby(["entity_id", "during"])[metric].sum().unstack(fill_value=0)
    now = sums.get(True, pd.Series(0.0, index=sums.index)).astype(float)
    before = sums.get(False, pd.Series(0.0, index=sums.index)).astype(float) * days_during / span
    return _changes_frame(ds, now.index.to_numpy(), now.to_numpy(), before.to_numpy(), ep, "daily")


def _where_exports(ds: Dataset, ep: dict[str, Any], metric: str) -> dict[str, Any]:
    rows = c.rows_of(ds, PIN)
    if not len(rows) or metric not in rows:
        return {"kind": "unknown", "granularity": None,
                "reason": "There are no Pin figures for those days, so I can't tell which Pins moved."}
    ranges = c.cached(ds, "insights.pin_ranges", lambda: rows[["start", "end"]].drop_duplicates())
    start, end = c.ts(ep["start"]), c.ts(ep["end"])
    holding = ranges[(ranges["start"] <= start) & (ranges["end"] >= end)]
    if not len(holding):
        return {"kind": "unknown", "granularity": None,
                "reason": "No Pin export covers those days, so I can't tell which Pins moved."}
    holding = holding.assign(days=(holding["end"] - holding["start"]).dt.days + 1).sort_values("days")
    now_range = holding.iloc[0]
    earlier = ranges[ranges["end"] < now_range["start"]].sort_values("end")
    if not len(earlier):
        return {"kind": "unknown", "granularity": None,
                "reason": "There is no earlier Pin export to compare with, so I can't tell which Pins moved."}
    before_range = earlier.iloc[-1]
    ep_days = (end - start).days + 1
    if ep_days < MIN_EPISODE_SHARE * now_range["days"]:
        return {"kind": "unknown", "granularity": "exports",
                "reason": f"The Pin exports cover {wording.plural(int(now_range['days']), 'day')} at a time, so they "
                          f"can't show which Pins moved on {'that day' if ep_days == 1 else 'those days'}."}
    now_p = Period(now_range["start"].date(), now_range["end"].date())
    before_p = Period(before_range["start"].date(), before_range["end"].date())

    def counts(r: pd.Series) -> pd.Series:
        chosen = rows[(rows["start"] == r["start"]).to_numpy() & (rows["end"] == r["end"]).to_numpy()]
        summed: pd.Series = chosen.groupby("entity_id")[metric].sum()
        return summed

    now, before = counts(now_range), counts(before_range) * (now_p.days / before_p.days)  # same number of days
    ids = now.index.union(before.index)
    result = _changes_frame(ds, ids.to_numpy(), now.reindex(ids).fillna(0).to_numpy(float),
                            before.reindex(ids).fillna(0).to_numpy(float), ep, "exports")
    result["compared"] = [before_p.as_dict(), now_p.as_dict()]
    return result


def _changes_frame(ds: Dataset, pin_ids: np.ndarray, now: np.ndarray, before: np.ndarray, ep: dict[str, Any],
                   granularity: str) -> dict[str, Any]:
    info = c.entities(ds, PIN)
    frame = pd.DataFrame({"pin_id": pin_ids, "before": before, "delta": now - before})
    frame["title"] = info["title"].reindex(pin_ids).to_numpy() if "title" in info else None
    frame["board"] = info["board"].reindex(pin_ids).fillna("").to_numpy() if "board" in info else ""
    result = _classify(frame, ep["sign"])
    result["granularity"] = granularity
    return result


def where(ds: Dataset, ep: dict[str, Any], metric: str) -> dict[str, Any]:
    """Broad (most Pins moved: likely Pinterest itself), concentrated (which Pins, which board) or mixed."""
    found = _where_daily(ds, ep, metric)
    return found if found is not None else _where_exports(ds, ep, metric)


def _where_text(found: dict[str, Any], sign: int, noun: str = "clicks") -> str:
    word = "drop" if sign < 0 else "rise"
    prefix = "Comparing the Pin exports, " if found.get("granularity") == "exports" else ""
    if found["kind"] == "broad":
        verb = "fell" if sign < 0 else "rose"
        who = ("all your Pins" if found["moved_share"] >= 0.995
               else f"Pins that bring {wording.format_rate(found['moved_share'])} of your usual {noun}")
        return f"{prefix}{who} {verb} together, which points to Pinterest itself rather than to particular Pins."
    if found["kind"] == "concentrated":
        titles = [p["title"] for p in found["pins"]]
        share = "all" if found["top_share"] >= 0.995 else wording.format_rate(found["top_share"])
        text = f"{prefix}it was mostly {wording.names(titles)} ({share} of the {word})"
        if found.get("board"):
            text += f", on the board {wording.quote(found['board'][0])}"
        return text + "."
    if found["kind"] == "mixed":
        n = len(found["pins"])
        return (f"{prefix}it was spread unevenly: the {wording.plural(n, 'Pin')} that moved most made "
                f"{wording.format_rate(found['top_share'])} of the {word}.")
    reason: str = found["reason"]
    return reason


# ------------------------------------------------------------------------------------------------ insight
LABELS = {"outbound_clicks": "Outbound clicks", "saves": "Saves"}


def drops_and_jumps(ds: Dataset, period: Period,
                    metrics: tuple[str, ...] = ("outbound_clicks", "saves")) -> dict[str, Any]:
    sentences: list[c.Sentence] = []
    charts, alerts, thin = {}, [], []
    charts_frames = {}
    for metric in metrics:
        frame = daily_baseline(ds, metric, period)
        if frame is None:
            continue
        charts_frames[metric] = frame
        known = frame["z"].notna()
        charts[metric] = {
            "kind": "daily", "dates": c.iso(frame.index), "values": frame["shown"].to_numpy(),
            "expected": frame["expected"].to_numpy(),
            "low": ((frame["expected"] + 0.5) * np.exp(-Z_ALERT * frame["scale"]) - 0.5).clip(lower=0).to_numpy(),
            "high": ((frame["expected"] + 0.5) * np.exp(Z_ALERT * frame["scale"]) - 0.5).to_numpy(),
            "provisional": frame["provisional"].to_numpy(), "markers": markers(metric, period), "alerts": []}
        if not known.any():
            thin.append(metric)
            continue
        for ep in _episodes(frame):
            ep["metric"] = metric
            found = where(ds, ep, metric)
            ep["where"] = found
            near = [m for m in METRIC_CHANGES if m.scope == "account" and metric in m.metrics
                    and abs((m.day - ep["start"]).days) <= MARKER_WINDOW]
            ep["metric_change"] = near[0].what if near else None
            alerts.append(ep)
            charts[metric]["alerts"].append({"start": ep["start"].isoformat(), "end": ep["end"].isoformat(),
                                             "direction": ep["direction"]})
    recent_from = period.end - dt.timedelta(days=6)
    # newest first; on the same days, outbound clicks before saves (the business first)
    alerts.sort(key=lambda ep: (ep["end"], -list(metrics).index(ep["metric"])), reverse=True)
    for ep in alerts[:3]:
        recent = ep["end"] >= recent_from
        score = (90 if recent else 60) if ep["sign"] < 0 else (70 if recent else 45)
        text = _episode_text(LABELS.get(ep["metric"], ep["metric"]), ep)
        if ep.get("history_days") is not None:
            text = text[:-2] + _short_words(ep) + ")."  # inside the brackets of the change
        where_text = _where_text(ep["where"], ep["sign"], "saves" if ep["metric"] == "saves" else "clicks")
        text += " " + where_text[:1].upper() + where_text[1:]
        if ep["metric_change"]:
            text += f" Pinterest changed how it counts this around then: {ep['metric_change']}"
        links = [c.pin_link(p["pin_id"], p["title"]) for p in ep["where"].get("pins", [])
                 if ep["where"]["kind"] == "concentrated"]
        sentences.append(c.Sentence(text, score, links, how_sure=_episode_how_sure(ep)))
    if len(alerts) > 3:
        more = wording.plural(len(alerts) - 3, "more unusual stretch", "more unusual stretches")
        sentences.append(c.Sentence(f"{more} in this period are marked on the charts.", 20))
    if charts and not alerts:
        done = [LABELS.get(m, m).lower() for m in charts if m not in thin]
        if done:
            judged = sum(int(charts_frames[m]["z"].notna().sum()) for m in charts if m not in thin)
            short = any(charts_frames[m]["history_days"].notna().any() for m in charts if m not in thin)
            sentences.append(c.Sentence(
                f"No sudden drops or jumps: every day's {' and '.join(done)} stayed within the usual range for "
                "its weekday" + (" (some days judged against only a few weeks of history)" if short else "") + ".",
                25, how_sure=f"No sign of a real change: {wording.plural(judged, 'day')} judged; a day is "
                             "flagged when it "
                             f"lies {Z_ALERT:g} spreads or more from what is usual for its weekday, moves "
                             f"{MIN_CHANGE:.0%} or more and counting noise alone would explain it less than once "
                             "in 1,000 days."))
    if thin:
        sentences.append(c.Sentence(f"I need {SHORT_FROM} days of daily figures before a day to know what is usual "
                                    "for it; import a longer overview export.", 10))
    if not charts:
        sentences.append(c.Sentence("Import a Pinterest overview export (daily figures) to see drops and jumps.", 10))
    week = _last_week(ds, period, alerts)
    if week is not None:
        sentences.append(week)
    return {"id": "anomalies", "title": "Drops and jumps", "sentences": sentences, "charts": charts,
            "alerts": [{k: v for k, v in ep.items() if k != "sign"} for ep in alerts],
            "thresholds": {"z": Z_ALERT, "min_change": MIN_CHANGE, "poisson_p": POISSON_P}}


def _last_week(ds: Dataset, period: Period, alerts: list[dict[str, Any]]) -> c.Sentence | None:
    """The last 7 counted days against what is usual for those weekdays (a slide no single day shows)."""
    frame = daily_baseline(ds, "outbound_clicks", period)
    if frame is None:
        return None
    counted = frame[frame["value"].notna() & frame["expected"].notna()].tail(7)
    if len(counted) < 7:
        return None
    if any(ep["metric"] == "outbound_clicks" and ep["end"] >= counted.index[0].date() for ep in alerts):
        return None
    actual, usual = counted["value"].sum(), counted["expected"].sum()
    if usual <= 0:
        return None
    moved = actual / usual - 1
    if abs(moved) < MIN_CHANGE:
        return None
    word = "fewer" if moved < 0 else "more"
    return c.Sentence(f"Your last 7 counted days brought {wording.format_rate(abs(moved))} {word} outbound "
                      "clicks than usual for "
                      f"those weekdays ({wording.format_count(actual)} against {wording.format_count(usual)}).",
                      75 if moved < 0 else 50)
