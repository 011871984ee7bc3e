"""The season planner: which posts, Pins and boards rise at the same time every year, and when to pin for them.

People save seasonal ideas weeks before the season, so what a blogger pins 6-8 weeks ahead decides the season.
From at least one past year of history this finds, for outbound clicks and for saves, the Pins, boards and posts
whose figures rose last year in the weeks that are coming now, and says when the rise started, when it peaked,
and by when to pin fresh Pins (``LEAD_DAYS`` before the rise).

**Series.** Each Pin and board becomes a series of date ranges ("buckets"), each with a figure per day:

* from downloads (``periods`` rows): one bucket per export range of 7 to 62 days (overlapping ranges: the
  shortest win), the figure spread evenly over the range;
* from sync (daily Pin or board rows): one bucket per calendar week with at least 5 known days.

Posts are the sums of their Pins (joined on the Pin's normalised link).

**Unknown is not zero.** Pinterest's Top Pins list holds the best 50 Pins of the range for its sort metric: a Pin
missing from it is *unknown*, never 0. But it is not anything at all either: it is at most the smallest figure
the list shows. So every bucket carries two figures, ``low`` (what is known for certain: the figure when listed,
nothing when not) and ``high`` (at most: the figure when listed, the list's smallest figure when not, nothing when
no list covers the range). A rise needs the *known* figure (``low``) to be well above the usual level, and the
usual level is judged from the *at most* figures (``high``): a Pin seen only at its peak is still found, and a
missing month never counts as 0 clicks. A post is known in a bucket as far as its Pins are (``low`` sums the
listed Pins; ``high`` needs a bound for every Pin).

**Beyond the account.** Each bucket's figures are first divided by the account's own level then against its usual
level (from the daily account figures, where they cover the bucket): a Pin that only follows the whole account's
busy December is not seasonal by itself.

**A season.** The usual level is the median of the ``high`` figures. A bucket has *risen* when its known figure is
at least ``RISE`` times the usual level, and *peaks* when it is ``PEAK`` times, its count is beyond counting
noise (Poisson, p < 0.001) and it stands ``SWING_SPREADS`` times the entity's usual month-to-month swing above the
usual level (1.4826 x the median absolute log deviation of its ``high`` figures: real figures swing more than
counting noise). It must have existed before the rise (created, or listed, before it) and fall back after the peak
(a Pin that took off and stayed up is not a season). Last year's season is the highest peak whose rise (the run
of risen buckets before it) started between tomorrow and ``AHEAD_DAYS`` from now, one year earlier; the bucket
before the rise must be known and not risen (otherwise when it started is unknown). In each earlier year the
figures cover (and the thing existed), the same season must peak within ``SAME_TIME_DAYS`` days of the same date,
or it is not seasonal (a one-off is not planned around).
Seasons whose rise has already begun this year are not proposed. "Now" is the last day of the history.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from pinviewer.core import analysis, wording
from pinviewer.core.analysis import Period
from pinviewer.core.formats.model import BOARD, PIN
from pinviewer.core.insights import _common as c
from pinviewer.core.store import Dataset

# One line per entity over date buckets: (ids, bucket starts, bucket ends, low, high per day, the bucket's name
# ("week", "month"), extra facts of the export rows)
Lines = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, str, dict[str, Any]]


METRICS = ("outbound_clicks", "saves")
YEAR_DAYS = 365
LEAD_DAYS = 42  # pin fresh Pins about 6 weeks before the rise
AHEAD_DAYS = 70  # seasons whose rise starts within the next ~10 weeks
RISE = 1.5
PEAK = 2.0
POISSON_P = 0.001
SWING_SPREADS = 3.0  # a peak stands this many of the entity's usual month-to-month swings above its usual level
MIN_PEAK_COUNT = 20  # a peak needs at least this many clicks (or saves) in its bucket
MIN_BUCKETS = 6  # buckets with a figure (known or bounded) needed to know an entity's usual level
SAME_TIME_DAYS = 45  # an earlier year's peak this close to last year's (by date) is the same season
MIN_RANGE_DAYS, MAX_RANGE_DAYS = 7, 62
MIN_WEEK_DAYS = 5
MAX_FINDINGS = 10  # in the JSON; the sentences name the first three
WORDS = {"outbound_clicks": "clicks", "saves": "saves"}


# ------------------------------------------------------------------------------------------------ buckets
def _day_key(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """One integer per (start, end) day pair: days since 1970 x 2^20 + the range's length."""
    first = start.astype("datetime64[D]").astype("int64")
    keys: np.ndarray = first * (1 << 20) + (end.astype("datetime64[D]").astype("int64") - first)
    return keys


def _choose_ranges(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of distinct range keys, those usable as buckets: 7-62 days, shortest first, none overlapping another chosen
    one; returns their keys, first and last days (datetime64[D]), in date order."""
    keys = np.unique(keys)
    first = keys >> 20
    length = (keys & ((1 << 20) - 1)) + 1
    ok = (length >= MIN_RANGE_DAYS) & (length <= MAX_RANGE_DAYS)
    keys, first, length = keys[ok], first[ok], length[ok]
    taken = np.zeros(0, "int64"), np.zeros(0, "int64")
    chosen = []
    for i in np.lexsort((first, length)):  # a few dozen ranges
        lo, hi = first[i], first[i] + length[i] - 1
        if not ((taken[0] <= hi) & (taken[1] >= lo)).any():
            taken = np.r_[taken[0], lo], np.r_[taken[1], hi]
            chosen.append(i)
    picked = np.array(sorted(chosen, key=lambda i: first[i]), dtype=int)
    starts = first[picked].astype("datetime64[D]")
    return keys[picked], starts, starts + (length[picked] - 1).astype("timedelta64[D]")


def _from_periods(ds: Dataset, kind: str, metric: str) -> Lines | None:
    """(ids, starts, ends, low, high) per-day matrices from the export rows of one entity type, or None.

    Every entity with an export row of any kind has a line: one never listed for ``metric`` in a range that has a
    list is bounded by that list's smallest figure there, like any entity missing from it.
    """
    rows = c.rows_of(ds, kind)
    if not len(rows) or metric not in rows:
        return None
    values = rows[metric].to_numpy(float)
    listed = np.isfinite(values)
    if not listed.any():
        return None

    # shared by both metrics: each row's entity code and range key, without copying the rows
    def prepare() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        codes, ids = pd.factorize(rows["entity_id"])
        return codes, np.asarray(ids, dtype=object), _day_key(rows["start"].to_numpy(), rows["end"].to_numpy())
    codes, ids, row_keys = c.cached(ds, ("season_rows", kind), prepare)
    keys, starts, ends = _choose_ranges(row_keys[listed])
    if not len(keys):
        return None
    at = pd.Index(keys).get_indexer(row_keys)
    use = listed & (at >= 0)
    # lines only for entities listed at least once (the others can show no rise; posts count them as bounds)
    present = np.bincount(codes[use], minlength=len(ids)) > 0
    line = np.cumsum(present) - 1
    days = ((ends - starts).astype(int) + 1).astype(float)
    low = np.full((int(present.sum()), len(keys)), np.nan)
    low[line[codes[use]], at[use]] = values[use] / days[at[use]]
    # a range with a list bounds every entity missing from it by the list's smallest figure (every chosen range
    # has rows, so no column is empty)
    smallest = np.nanmin(low, axis=0)
    high = np.where(np.isnan(low), smallest[None, :], low)
    return ids[present], starts, ends, low, high, "month", {"smallest": smallest, "present": present, "kind": kind}


def _from_daily(rows: pd.DataFrame, metric: str) -> Lines | None:
    """The same from daily rows (sync): calendar weeks, Monday to Sunday, with at least 5 known days."""
    if not len(rows) or metric not in rows:
        return None
    rows = rows[rows[metric].notna().to_numpy()]
    if not len(rows):
        return None
    days = rows["date"].to_numpy("datetime64[D]")
    monday = days - ((days.astype("int64") + 3) % 7)  # 1970-01-01 was a Thursday
    frame = pd.DataFrame({"id": rows["entity_id"].to_numpy(), "week": monday, "v": rows[metric].to_numpy(float)})
    weekly = frame.groupby(["id", "week"])["v"].agg(["sum", "size"]).reset_index()
    weekly = weekly[weekly["size"] >= MIN_WEEK_DAYS]
    if not len(weekly):
        return None
    weeks = np.arange(weekly["week"].min().to_datetime64().astype("datetime64[D]"),
                      weekly["week"].max().to_datetime64().astype("datetime64[D]") + 1, 7)
    codes, ids = pd.factorize(weekly["id"])
    at = ((weekly["week"].to_numpy("datetime64[D]") - weeks[0]).astype(int) // 7)
    low = np.full((len(ids), len(weeks)), np.nan)
    low[codes, at] = weekly["sum"].to_numpy(float) / weekly["size"].to_numpy(float)
    return np.asarray(ids, dtype=object), weeks, weeks + 6, low, low.copy(), "week", {}


def _account_factor(ds: Dataset, metric: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per bucket, the account's level against its usual level (1 where the account's days are not known well
    enough): dividing by it leaves what a thing did beyond the whole account's own ups and downs (a Pin that only
    follows the account's busy December is not seasonal by itself)."""
    daily = analysis.account_daily(ds)
    out = np.ones(len(starts))
    if metric not in daily or not daily[metric].notna().any():
        return out
    values = daily[metric]
    days = values.index.to_numpy().astype("datetime64[D]")
    known = values.notna().to_numpy()
    total = np.r_[0.0, np.cumsum(np.nan_to_num(values.to_numpy(float)))]
    count = np.r_[0, np.cumsum(known)]
    lo = np.searchsorted(days, starts)
    hi = np.searchsorted(days, ends, side="right")
    length = (ends - starts).astype(int) + 1
    enough = (count[hi] - count[lo]) >= 0.8 * length
    with np.errstate(invalid="ignore", divide="ignore"):
        level = np.where(enough, (total[hi] - total[lo]) / (count[hi] - count[lo]), np.nan)
    usual = np.nanmedian(level) if np.isfinite(level).any() else np.nan
    if not np.isfinite(usual) or usual <= 0:
        return out
    return np.where(np.isfinite(level) & (level > 0), level / usual, 1.0)


def _posts_from_pins(ds: Dataset, series: Lines) -> Lines | None:
    """Pins' matrices summed by the post they link to (low: listed Pins; high: only when every Pin is bounded,
    Pins never listed in a range counting as at most the list's smallest figure)."""
    ids, starts, ends, low, high, grain, extra = series
    if "link" not in c.entities(ds, PIN):  # where a Pin leads (its post); ``url`` is the Pin's own page on Pinterest
        return None
    unlisted = None
    if "present" in extra:  # export rows: every Pin's post is worked out once, by the Pin's code
        every, posts = c.cached(ds, "insights.season_post_codes", lambda: _post_codes(ds))
        codes = every[extra["present"]]
        unlisted = np.bincount(every[~extra["present"] & (every >= 0)], minlength=len(posts)).astype(float)
    else:
        codes, posts = pd.factorize(_pin_posts(ds).reindex(ids).to_numpy(object))
    has = codes >= 0
    if not has.any():
        return None
    used = np.bincount(codes[has], minlength=len(posts)) > 0  # posts with a line: those with a listed Pin
    line = np.cumsum(used) - 1
    codes, n = line[codes[has]], int(used.sum())
    sub_low, sub_high = low[has], high[has]
    pins_per_post = np.bincount(codes, minlength=n)
    post_low, post_high = np.empty((n, low.shape[1])), np.empty((n, low.shape[1]))
    for b in range(low.shape[1]):  # one bucket at a time: bincount is far faster than ufunc.at
        known, bounded = np.isfinite(sub_low[:, b]), np.isfinite(sub_high[:, b])
        post_low[:, b] = np.where(np.bincount(codes, weights=known, minlength=n) > 0,
                                  np.bincount(codes, weights=np.where(known, sub_low[:, b], 0), minlength=n), np.nan)
        post_high[:, b] = np.where(np.bincount(codes, weights=bounded, minlength=n) == pins_per_post,
                                   np.bincount(codes, weights=np.where(bounded, sub_high[:, b], 0), minlength=n),
                                   np.nan)
    if unlisted is not None:
        post_high = post_high + unlisted[used][:, None] * extra["smallest"][None, :]
    return np.asarray(posts, dtype=object)[used], starts, ends, post_low, post_high, grain, {}


def _post_codes(ds: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """For every Pin with export rows (in the order of its code), its post's code (-1: none), and the posts."""
    _, ids, _ = ds.cache[("insights", ("season_rows", PIN))]
    codes, posts = pd.factorize(_pin_posts(ds).reindex(ids).to_numpy(object))
    return codes, np.asarray(posts, dtype=object)


def _pin_posts(ds: Dataset) -> pd.Series:
    """Each Pin's post (its normalised link; None where it has none), computed once."""
    def build() -> pd.Series:
        info = c.entities(ds, PIN)
        if "link" not in info:
            return pd.Series(dtype=object)
        return pd.Series(_post_keys(info["link"].to_numpy(object)), index=info.index)
    return c.cached(ds, "insights.pin_posts", build)


def _post_keys(urls: np.ndarray) -> np.ndarray:
    from pinviewer.core.formats.urls import normalise_url

    codes, uniques = pd.factorize(pd.Series(urls, dtype=object))
    normal = np.array([normalise_url(u) if isinstance(u, str) and u.startswith("http") and "pinterest." not in u
                       else None for u in uniques] + [None], dtype=object)
    return normal[codes]


# ------------------------------------------------------------------------------------------------ detection
def _find(series: Lines, anchor: np.datetime64,
          created: Callable[[np.ndarray], np.ndarray] | None = None) -> list[dict[str, Any]]:
    """Seasons whose rise starts in (anchor, anchor + AHEAD_DAYS], one year on from last year's rise.
    ``created(ids)``: the entities' creation days (NaT where unknown), asked only for the few candidates."""
    ids, starts, ends, low, high = series[:5]
    if not len(ids) or len(starts) < 2:
        return []
    days = (ends - starts).astype(int) + 1
    mids = starts + (days // 2).astype("timedelta64[D]")
    year = np.timedelta64(YEAR_DAYS, "D")
    # last year's window: rises starting a year before (anchor, anchor + AHEAD], peaks up to ~5 months later
    window = (starts > anchor - year - np.timedelta64(MAX_RANGE_DAYS, "D")) & \
             (starts <= anchor - year + np.timedelta64(AHEAD_DAYS + 150, "D")) & (ends <= anchor)
    if not window.any():
        return []
    bounded = np.isfinite(high)
    enough = bounded.sum(axis=1) >= MIN_BUCKETS
    if not enough.any():
        return []
    usual = np.full(len(ids), np.nan)
    usual[enough] = np.nanmedian(high[enough], axis=1)
    with np.errstate(invalid="ignore"):
        peaks = (low >= PEAK * usual[:, None]) & (low * days[None, :] >= MIN_PEAK_COUNT) & window[None, :]
    candidates = np.flatnonzero(enough & peaks.any(axis=1) & (usual > 0))
    found = []
    made = np.full(len(ids), np.datetime64("NaT"), dtype="datetime64[D]")
    if created is not None and len(candidates):
        made[candidates] = created(ids[candidates])
    for e in candidates:
        # figures swing from month to month more than counting noise alone says: a peak must also stand
        # SWING_SPREADS of the entity's own usual swing above its usual level
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.log(high[e][np.isfinite(high[e]) & (high[e] > 0)] / usual[e])
        swing = 1.4826 * float(np.median(np.abs(logs))) if len(logs) else 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            peaks[e] &= np.log(low[e] / usual[e]) >= SWING_SPREADS * swing
        if not peaks[e].any():
            continue
        hit = _season(low[e], high[e], usual[e], peaks[e], starts, ends, days, mids, anchor, made[e])
        if hit is not None:
            hit["row"] = int(e)
            found.append(hit)
    return found


def _season(low: np.ndarray, high: np.ndarray, usual: np.ndarray, peaks: np.ndarray, starts: np.ndarray,
            ends: np.ndarray, days: np.ndarray, mids: np.ndarray, anchor: np.datetime64,
            created: np.datetime64) -> dict[str, Any] | None:
    year = np.timedelta64(YEAR_DAYS, "D")
    order = np.flatnonzero(peaks)
    order = order[np.argsort(-low[order], kind="stable")]
    for p in order:
        if c.poisson_tail(low[p] * days[p], usual * days[p], lower=False) >= POISSON_P:
            continue
        first = p
        while first > 0 and _next_to(ends[first - 1], starts[first]) and low[first - 1] >= RISE * usual:
            first -= 1
        if first == 0 or not _next_to(ends[first - 1], starts[first]):
            continue  # nothing known just before the rise: when it started is unknown
        before = high[first - 1]
        if not np.isfinite(before) or before >= RISE * usual:
            continue
        # it existed before the rise (made before, or listed before): a new Pin taking off is not a season
        listed = np.flatnonzero(np.isfinite(low))
        if not ((not np.isnat(created) and created <= starts[first - 1]) or listed[0] < first):
            continue
        # and it fell back after the peak (a Pin that took off and stayed up is not a season either)
        after = (starts > ends[p]) & (starts <= ends[p] + np.timedelta64(150, "D")) & np.isfinite(high)
        if after.any() and not (high[after] < RISE * usual).any():
            continue
        start_next = starts[first] + year
        if not (anchor < start_next <= anchor + np.timedelta64(AHEAD_DAYS, "D")):
            continue
        years_seen, covered = 1, True
        for back in range(1, 10):  # every earlier year the figures cover must show the same season
            target = mids[p] - back * year
            near = np.abs((mids - target).astype(int)) <= SAME_TIME_DAYS
            existed = (not np.isnat(created) and created <= target - np.timedelta64(SAME_TIME_DAYS, "D")) or \
                (np.isfinite(low) & (starts <= target + np.timedelta64(SAME_TIME_DAYS, "D"))).any()
            if not existed or not (near & np.isfinite(high)).any():
                if target < mids[0]:
                    break
                continue
            if (near & (low >= PEAK * usual)).any():
                years_seen += 1
            else:
                covered = False
                break
        if not covered:
            return None
        return {"index": int(p), "start": starts[first], "peak_start": starts[p], "peak_end": ends[p], "peak": mids[p],
                "usual": float(usual), "peak_per_day": float(low[p]), "peak_count": float(low[p] * days[p]),
                "rise": float(low[p] / usual), "years_seen": years_seen, "next_start": start_next,
                "p_value": c.poisson_tail(low[p] * days[p], usual * days[p], lower=False)}
    return None


def _next_to(end_before: np.datetime64, start: np.datetime64) -> bool:
    near: bool = (start - end_before).astype(int) <= 8  # consecutive buckets (a week's gap at most)
    return near


# ------------------------------------------------------------------------------------------------ insight
def _history_start(ds: Dataset) -> dt.date | None:
    firsts = []
    if len(ds.daily):
        firsts.append(ds.daily["date"].min())
    if len(ds.periods):
        firsts.append(ds.periods["start"].min())
    return min(firsts).date() if firsts else None


def _day(value: np.datetime64) -> dt.date:
    return pd.Timestamp(value).date()


def _labels(ds: Dataset, kind: str, ids: Any) -> list[str]:
    if kind == "post":
        return [wording.post_label(i) for i in ids]
    info = c.entities(ds, kind)
    if kind == BOARD:
        names = info["name"].reindex(ids) if "name" in info else pd.Series(index=ids, dtype=object)
        return [n if isinstance(n, str) and n.strip() else f"board {i}" for i, n in zip(ids, names)]
    titles = info["title"].reindex(ids) if "title" in info else pd.Series(index=ids, dtype=object)
    return [c.pin_title(t, i) for i, t in zip(ids, titles)]


def _link(ds: Dataset, kind: str, key: str, label: str) -> dict[str, Any]:
    if kind == PIN:
        return c.pin_link(key, label)
    if kind == "post":
        return c.post_link(key, wording.post_label(key))
    info = c.entities(ds, BOARD)
    url = None
    for name in ("url", "link"):  # the board's page on Pinterest
        if name in info and key in info.index and isinstance(info.at[key, name], str):
            url = info.at[key, name]
            break
    return {"kind": "board", "id": str(key), "label": wording.quote(label), "url": url}


def _when(value: dt.date, grain: str, year: bool = False) -> str:
    if grain == "month":
        return f"in {wording.month_name(value.month)}" + (f" {value.year}" if year else "")
    return f"around {wording.format_date(value, year=year)}"


def _sentence(f: dict[str, Any], anchor: dt.date) -> c.Sentence:
    what = {"pin": "the Pin ", "board": "the board ", "post": ""}[f["kind"]]
    name = wording.quote(f["label"]) if f["kind"] != "post" else f["label"]
    start, peak, pin_by = (dt.date.fromisoformat(f[k]) for k in ("last_start", "last_peak", "pin_by"))
    grain = f["granularity"]
    if start.year < anchor.year:  # "Last year ... in October"
        lead, first, top = "Last year ", _when(start, grain), _when(peak, grain)
    else:  # a season early in the year, seen earlier this year: name the year
        lead, first, top = "", _when(start, grain, year=True), _when(peak, grain, year=True)
    subject = f"{WORDS[f['metric']]} on {what}{name}"
    subject = subject if lead else subject[0].upper() + subject[1:]
    if f["last_peak_range"][0] == f["last_start"]:  # the rise and the peak in the same month (or week)
        text = f"{lead}{subject} rose sharply {first}."
    else:
        text = f"{lead}{subject} started rising {first} and peaked {top}."
    if pin_by > anchor:
        text += f" Pin fresh Pins for it by {wording.format_date(pin_by, year=False)}."
    else:
        text += (" Pin fresh Pins for it now: the best time, about 6 weeks before the rise, was "
                 f"{wording.format_date(pin_by, False)}.")
    if f["years_seen"] >= 2:
        seen = f"A clear sign: it rose at this time in each of the {f['years_seen']} years your figures cover."
    else:
        seen = "Some sign: your figures cover this time of year once, and it rose then."
    how = (f"{seen} At its peak it brought {wording.format_count(f['peak_per_day'] * 30)} {WORDS[f['metric']]} "
           "a month, "
           f"{f['rise']:.1f} times its usual level (at most {wording.format_count(f['usual_per_day'] * 30)} a "
           "month), beyond the "
           f"ups and downs of your whole account; the odds "
           f"of counting noise alone doing that: {c.odds(f['p_value'])}. A month it was missing from Pinterest's top "
           "list counts as at most the list's smallest figure, never as 0.")
    score = 85 if pin_by > anchor else 80
    return c.Sentence(text, score, [f["link"]], how_sure=how)


def season_planner(ds: Dataset, period: Period | None = None) -> dict[str, Any]:
    """Seasons starting in the next ~10 weeks (from the history's last day), with the dates to pin by."""
    out: dict[str, Any] = {"id": "seasons", "title": "Season planner", "findings": [], "headline": None, "chart": None,
           "lead_days": LEAD_DAYS, "ahead_days": AHEAD_DAYS}
    whole = analysis.data_range(ds)
    first = _history_start(ds)
    if whole is None or first is None:
        out["sentences"] = [c.Sentence("Import a year of Pinterest exports to see which posts rise at the same time "
                                       "every year, and when to pin for them.", 5)]
        return out
    anchor = whole.end
    if len(ds.periods):
        anchor = max(anchor, ds.periods["end"].max().date())
    out["today"] = anchor
    history = (anchor - first).days + 1
    out["history_days"] = history
    if history < YEAR_DAYS:
        out.update(_needs_more_history(history))
        return out
    at = np.datetime64(anchor, "D")
    findings, usable, covered = _all_findings(ds, at)
    unique = _one_per_thing(ds, findings)
    if unique:
        out["chart"] = _chart(unique[0], at)
    for f in unique:
        f.pop("row"), f.pop("series")
    out["findings"] = unique
    sentences = _planner_sentences(unique, anchor, usable, covered)
    out["headline"] = sentences[0].text if unique else None
    out["sentences"] = sentences
    return out


def _needs_more_history(history: int) -> dict[str, Any]:
    """What the planner says with less than a year of history (``history`` days): how much more it needs."""
    have = round(history / 30.44)
    more = max(round((YEAR_DAYS - history) / 30.44), 1)
    covers = wording.plural(have, "month") if have else wording.plural(history, "day")
    return {"needs_days": YEAR_DAYS - history, "sentences": [c.Sentence(
        f"The season planner needs a year of history to see what rises at the same time every year; yours "
        f"covers {covers}, so it needs about {wording.plural(more, 'more month')} "
        "(monthly Top Pins exports from a year ago help most).", 15)]}


def _sources(ds: Dataset, metric: str) -> list[tuple[str, Lines]]:
    """Every series of ``metric`` to look for seasons in: Pins and boards (daily, then from downloads), and
    posts as the sums of their Pins."""
    pins = _from_daily(c.rows_of(ds, PIN, "daily"), metric)
    pins_months = _from_periods(ds, PIN, metric)
    sources = [("pin", s) for s in (pins, pins_months) if s is not None]
    sources += [("board", s) for s in (_from_daily(c.rows_of(ds, BOARD, "daily"), metric),
                                       _from_periods(ds, BOARD, metric)) if s is not None]
    for pin_series in (pins, pins_months):
        if pin_series is not None:
            posts = _posts_from_pins(ds, pin_series)
            if posts is not None:
                sources.append(("post", posts))
    return sources


def _all_findings(ds: Dataset, at: np.datetime64) -> tuple[list[dict[str, Any]], bool, bool]:
    """Every season found, for both metrics and all series; and whether there were monthly (or weekly) series
    at all (usable), and whether any covered the coming weeks a year ago (covered)."""
    findings = []
    usable = covered = False
    for metric in METRICS:
        for kind, series in _sources(ds, metric):
            usable = True
            factor = _account_factor(ds, metric, series[1], series[2])
            raw, series = series, (series[0], series[1], series[2], series[3] / factor, series[4] / factor,
                                   *series[5:])
            window = (series[1] <= at - np.timedelta64(YEAR_DAYS - AHEAD_DAYS, "D")) & \
                (series[2] >= at - np.timedelta64(YEAR_DAYS, "D"))
            covered = covered or bool(window.any())
            findings += _findings_in(ds, kind, metric, series, raw, factor, at)
    return findings, usable, covered


def _findings_in(ds: Dataset, kind: str, metric: str, series: Lines, raw: Lines, factor: np.ndarray,
                 at: np.datetime64) -> list[dict[str, Any]]:
    """The seasons of one series (its figures already divided by the account's ``factor``), as findings."""
    hits = _find(series, at, (lambda ids: c.created_days(ds, ids)) if kind == PIN else None)
    if not hits:
        return []
    ids = series[0]
    labels = _labels(ds, kind, [ids[h["row"]] for h in hits])
    findings = []
    for hit, label in zip(hits, labels):
        key = str(ids[hit["row"]])
        next_start = _day(hit["next_start"])
        findings.append({
            "kind": kind, "id": key, "label": label, "metric": metric, "granularity": series[5],
            "last_start": _day(hit["start"]).isoformat(), "last_peak": _day(hit["peak"]).isoformat(),
            "last_peak_range": [_day(hit["peak_start"]).isoformat(), _day(hit["peak_end"]).isoformat()],
            "next_start": next_start.isoformat(),
            "pin_by": (next_start - dt.timedelta(days=LEAD_DAYS)).isoformat(),
            "usual_per_day": hit["usual"], "peak_per_day": hit["peak_per_day"] * factor[hit["index"]],
            "rise": hit["rise"],
            "years_seen": hit["years_seen"], "p_value": hit["p_value"],
            "link": _link(ds, kind, key, label), "row": hit["row"], "series": raw})
    return findings


def _one_per_thing(ds: Dataset, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One finding per thing (clicks before saves, daily figures before downloads), soonest first, at most
    ``MAX_FINDINGS``; a post whose Pin is already named is not named again."""
    pin_posts = set()
    pin_found = [f for f in findings if f["kind"] == PIN]
    if pin_found:
        pin_posts = set(_pin_posts(ds).reindex([f["id"] for f in pin_found]).dropna())
    findings = [f for f in findings if not (f["kind"] == "post" and f["id"] in pin_posts)]
    seen, unique = set(), []
    for f in sorted(findings, key=lambda f: (f["metric"] != "outbound_clicks", f["granularity"] != "week")):
        if (f["kind"], f["id"]) not in seen:
            seen.add((f["kind"], f["id"]))
            unique.append(f)
    unique.sort(key=lambda f: (f["next_start"], -f["rise"]))
    return unique[:MAX_FINDINGS]


def _planner_sentences(unique: list[dict[str, Any]], anchor: dt.date, usable: bool,
                       covered: bool) -> list[c.Sentence]:
    """The first three findings in words and how many more; with none, why none (see ``_all_findings``)."""
    sentences = [_sentence(f, anchor) for f in unique[:3]]
    if len(unique) > 3:
        sentences.append(c.Sentence(f"{wording.plural(len(unique) - 3, 'more thing', 'more things')} rose at this time "
                                    "last year: see the list.", 20))
    a_year_ago = anchor - dt.timedelta(days=YEAR_DAYS)
    if not unique and not usable:
        sentences.append(c.Sentence(
            "The season planner needs your Pin or board figures month by month (one Pinterest download a month, "
            "or sync); your Pin and board figures cover longer ranges, or none.", 10))
    elif not unique and not covered:
        sentences.append(c.Sentence(
            "Your Pin and board figures don't cover the weeks after "
            f"{wording.format_date(a_year_ago, year=False)} last year, so "
            "I can't tell what rises at this time of year; downloads of those months would.", 10))
    elif not unique:
        sentences.append(c.Sentence(
            f"Nothing in your figures rose in the ten weeks after {wording.format_date(a_year_ago, year=False)} "
            "last year, so "
            "there is no season to pin ahead for right now.", 10,
            how_sure="No sign of a season starting soon: a rise means a post, Pin or board brought at least twice "
                     "its usual clicks or saves, beyond counting noise and its usual swings, with the figures known "
                     "just before it started."))
    return sentences


def _chart(f: dict[str, Any], anchor: np.datetime64) -> dict[str, Any]:
    """The first finding's figure per day over the last ~15 months, with last year's rise and the pin-by day."""
    ids, starts, ends, low, high = f["series"][:5]
    keep = starts >= anchor - np.timedelta64(YEAR_DAYS + 90, "D")
    return {"kind": "season", "label": f["label"], "metric": f["metric"], "starts": c.iso(starts[keep]),
            "ends": c.iso(ends[keep]), "known": low[f["row"]][keep], "at_most": high[f["row"]][keep],
            "usual": f["usual_per_day"], "last_start": f["last_start"], "last_peak": f["last_peak"],
            "pin_by": f["pin_by"], "next_start": f["next_start"]}
