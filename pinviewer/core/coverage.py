"""Which downloads count for a period, and which days they really cover.

Exports that cover a date range (Google Analytics traffic and landing pages, Pinterest's top Pins and top
boards) are never picked one at a time and never scaled by days: for a period PinViewer takes the set of
non-overlapping downloads that best matches it -- the most days inside the period, then the fewest days outside
it, then the newest (latest-ending) downloads on a tie -- and adds them up. A download with a daily Date column
brings one-day ranges, so it is cut to the period's days exactly.

``Cover`` says which days a figure really counts. One rule, for the window and the paper alike: when the
downloads cover less than half of the period, or reach more than half of it again beyond it, the figure is not
the period's own (``Cover.greyed``): it is shown greyed, with the note, and never compared.

The choice is a weighted interval scheduling over the distinct date ranges (a few dozen downloads, or one range
a day for daily tables), solved exactly by dynamic programming in O(n log n).
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pinviewer.core import wording

_EPOCH = dt.date(1970, 1, 1)


def _ordinal(values) -> np.ndarray:
    """datetime64 values as whole days since 1970."""
    return np.asarray(values).astype("datetime64[D]").astype(np.int64)


def _day(n: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(n))


@dataclass(frozen=True)
class Cover:
    """The days one figure counts, against the period it is shown for.

    ``ranges``: the downloads' date ranges that were added up, oldest first (for daily figures: the runs of
    days with data). ``inside``: days of them inside the period; ``outside``: days beyond it."""

    start: dt.date  # the period
    end: dt.date
    ranges: tuple[tuple[dt.date, dt.date], ...]
    inside: int
    outside: int
    daily: bool = False  # cut to the period's days exactly (daily figures, or a daily Date column)

    @property
    def period_days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def days(self) -> int:
        """Every day the figure counts (inside and outside the period)."""
        return self.inside + self.outside

    @property
    def first(self) -> dt.date | None:
        return self.ranges[0][0] if self.ranges else None

    @property
    def last(self) -> dt.date | None:
        return self.ranges[-1][1] if self.ranges else None

    @property
    def exact(self) -> bool:
        """The figure counts exactly the period's days."""
        return self.outside == 0 and self.inside == self.period_days

    @property
    def greyed(self) -> bool:
        """Less than half of the period, or more than half of it again beyond it: not the period's own."""
        return 2 * self.inside < self.period_days or 2 * self.outside > self.period_days

    def span(self):
        """(first day, last day) of what was counted, as an object with ``start`` and ``end``; None if nothing."""
        if not self.ranges:
            return None
        return _Span(self.ranges[0][0], self.ranges[-1][1])

    def days_text(self) -> str:
        """'1 Sep – 30 Nov 2026', or '14 of the 30 days' where daily figures have gaps."""
        if not self.ranges:
            return ""
        span = self.span()
        covered = sum((b - a).days + 1 for a, b in self.ranges)
        if covered < (span.end - span.start).days + 1:  # gaps between the downloads
            return f"{wording.format_short_period(span)} ({wording.plural(covered, 'day')})"
        return wording.format_short_period(span)

    def note(self, source: str) -> str:
        """'Google Analytics: 1 Sep – 30 Nov 2026, for your 1 – 22 Nov 2026' ('' when it is the period's own)."""
        if self.exact or not self.ranges:
            return ""
        return f"{source}: {self.days_text()}, for your {wording.format_short_period(_Span(self.start, self.end))}"

    def as_dict(self) -> dict:
        span = self.span()
        return {"start": span.start.isoformat() if span else None, "end": span.end.isoformat() if span else None,
                "days": self.days, "days_inside": self.inside, "days_outside": self.outside,
                "downloads": [{"start": a.isoformat(), "end": b.isoformat()} for a, b in self.ranges],
                "exact": self.exact, "greyed": self.greyed}


@dataclass(frozen=True)
class _Span:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def choose(starts: np.ndarray, ends: np.ndarray, first: int, last: int) -> np.ndarray:
    """Indices of the non-overlapping ranges that best match the days first..last (whole days since 1970).

    Best: the most days inside the period less the days outside it; on a tie the most days inside, then the
    newest (latest-ending) ranges. A download is only added when it brings at least as many days inside the
    period as beyond it; when none does, the single best one is taken (its figure will be greyed).
    ``starts``/``ends`` are inclusive day numbers of distinct ranges.
    """
    starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    inside = np.minimum(ends, last) - np.maximum(starts, first) + 1
    candidates = np.flatnonzero(inside > 0)
    if len(candidates) <= 1:
        return candidates
    order = candidates[np.lexsort((starts[candidates], ends[candidates]))]
    s, e = starts[order], ends[order]
    ins = inside[order]
    outs = (e - s + 1) - ins
    if bool(np.all(s[1:] > e[:-1])):  # nothing overlaps (daily tables, monthly files): each on its own merit
        chosen = order[ins >= outs]
    else:
        chosen = _schedule(order, s, e, ins, outs)
    if not len(chosen):  # nothing matches well: the single best download, to be shown greyed
        k = max(range(len(order)), key=lambda i: (int(ins[i] - outs[i]), int(ins[i]), int(e[i])))
        chosen = order[k:k + 1]
    return np.sort(chosen, kind="stable") if len(chosen) > 1 else np.asarray(chosen)


def _schedule(order, s, e, ins, outs) -> np.ndarray:
    """Weighted interval scheduling by dynamic programming; score = (inside - outside, inside, newest)."""
    ends_list = e.tolist()
    best: list[tuple[int, int, int]] = [(0, 0, 0)]
    took: list[bool] = []
    before: list[int] = []
    for k in range(len(order)):
        j = bisect.bisect_left(ends_list, int(s[k]), 0, k)  # the ranges ending before this one starts
        before.append(j)
        prior = best[j]
        with_it = (prior[0] + int(ins[k] - outs[k]), prior[1] + int(ins[k]), prior[2] + int(e[k]))
        if with_it > best[k] and with_it[:2] > (0, 0):
            best.append(with_it)
            took.append(True)
        else:
            best.append(best[k])
            took.append(False)
    chosen, k = [], len(order)
    while k > 0:
        if took[k - 1]:
            chosen.append(int(order[k - 1]))
            k = before[k - 1]
        else:
            k -= 1
    return np.array(chosen, dtype=np.int64)


def make_cover(start: dt.date, end: dt.date, starts, ends, daily: bool = False) -> Cover:
    """The Cover of ranges (inclusive day numbers, any order) for the period start..end."""
    first, last = (start - _EPOCH).days, (end - _EPOCH).days
    starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    order = np.lexsort((ends, starts))
    starts, ends = starts[order], ends[order]
    inside = int(np.clip(np.minimum(ends, last) - np.maximum(starts, first) + 1, 0, None).sum())
    total = int((ends - starts + 1).sum())
    if daily and len(starts) > 1:  # runs of consecutive days, as ranges
        breaks = np.flatnonzero(starts[1:] > ends[:-1] + 1) + 1
        starts, ends = starts[np.r_[0, breaks]], np.maximum.reduceat(ends, np.r_[0, breaks])
    shown = tuple((_day(a), _day(b)) for a, b in zip(starts.tolist(), ends.tolist()))
    return Cover(start, end, shown, inside, total - inside, daily)


def daily_cover(start: dt.date, end: dt.date, days: np.ndarray) -> Cover:
    """Daily figures: the days that have one, as runs (always inside the period)."""
    days = np.unique(np.asarray(days, dtype=np.int64))
    return make_cover(start, end, days, days, daily=True)


class RangeTable:
    """Period rows of one entity type, indexed once per dataset for adding up any period quickly.

    The rows are kept sorted by date range, so the rows of the chosen downloads are a few contiguous slices:
    adding up a month of 50,000 Pins touches 50,000 rows, not every download ever imported.
    ``entity_ids``, ``starts``/``ends`` (datetime64) and ``columns`` (metric -> float array) are row-aligned."""

    def __init__(self, entity_ids: np.ndarray, starts: np.ndarray, ends: np.ndarray, columns: dict[str, np.ndarray]):
        n = len(entity_ids)
        if n:
            entity_codes, entities = pd.factorize(entity_ids, sort=False)
            s, e = _ordinal(starts), _ordinal(ends)
            key = s * 100_000 + (e - s)
            range_codes, uniques = pd.factorize(key, sort=True)
            uniques = np.asarray(uniques, dtype=np.int64)
        else:
            entity_codes, entities = np.zeros(0, np.int64), np.zeros(0, dtype=object)
            range_codes, uniques = np.zeros(0, np.int64), np.zeros(0, np.int64)
        self.entities = np.asarray(entities, dtype=object)
        self.starts = uniques // 100_000
        self.ends = self.starts + uniques % 100_000
        order = np.argsort(range_codes, kind="stable")
        sorted_codes = np.asarray(range_codes)[order]
        self.lo = np.searchsorted(sorted_codes, np.arange(len(self.starts)), side="left")
        self.hi = np.searchsorted(sorted_codes, np.arange(len(self.starts)), side="right")
        self.entity_codes = np.asarray(entity_codes, dtype=np.int64)[order]
        self.values: dict[str, np.ndarray] = {}
        self.known_ranges: dict[str, np.ndarray] = {}
        for name, values in columns.items():
            values = np.asarray(values, dtype=float)[order]
            known = ~np.isnan(values)
            if not known.any():
                continue
            self.values[name] = values
            self.known_ranges[name] = np.unique(sorted_codes[known])
        self.rows = n

    @classmethod
    def from_frame(cls, rows: pd.DataFrame, metrics: tuple[str, ...]) -> RangeTable:
        columns = {name: rows[name].to_numpy(float) for name in metrics if name in rows}
        return cls(rows["entity_id"].to_numpy(object), rows["start"].to_numpy(), rows["end"].to_numpy(), columns)

    def __len__(self) -> int:
        return self.rows

    def metrics(self) -> list[str]:
        return list(self.values)

    def choose(self, name: str, start: dt.date, end: dt.date) -> np.ndarray:
        """Range codes chosen for one metric and period (empty when no download overlaps it)."""
        codes = self.known_ranges.get(name)
        if codes is None or not len(codes):
            return np.zeros(0, np.int64)
        first, last = (start - _EPOCH).days, (end - _EPOCH).days
        picked = choose(self.starts[codes], self.ends[codes], first, last)
        return codes[picked]

    def cover(self, codes: np.ndarray, start: dt.date, end: dt.date) -> Cover | None:
        if not len(codes):
            return None
        daily = bool(np.all(self.starts[codes] == self.ends[codes]))
        return make_cover(start, end, self.starts[codes], self.ends[codes], daily=daily)

    def _rows(self, name: str, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(values, entity codes) of the chosen ranges' rows where the metric is known."""
        codes = np.sort(np.asarray(codes))
        if len(codes) == len(self.starts):
            values, ids = self.values[name], self.entity_codes
        else:
            # merge neighbouring ranges into as few slices as possible
            lo, hi = self.lo[codes], self.hi[codes]
            breaks = np.flatnonzero(lo[1:] != hi[:-1]) + 1
            firsts, lasts = lo[np.r_[0, breaks]], hi[np.r_[breaks - 1, len(codes) - 1]]
            if len(firsts) == 1:
                values, ids = self.values[name][firsts[0]:lasts[0]], self.entity_codes[firsts[0]:lasts[0]]
            else:
                values = np.concatenate([self.values[name][a:b] for a, b in zip(firsts, lasts)])
                ids = np.concatenate([self.entity_codes[a:b] for a, b in zip(firsts, lasts)])
        known = ~np.isnan(values)
        if known.all():
            return values, ids
        return values[known], ids[known]

    def total(self, name: str, codes: np.ndarray, rows: np.ndarray | None = None) -> float | None:
        """The sum of a metric over the chosen ranges; None where nothing is known."""
        if name not in self.values or not len(codes):
            return None
        values, _ids = self._rows(name, codes)
        if not len(values):
            return None
        return float(values.sum())

    def per_entity(self, name: str, codes: np.ndarray) -> np.ndarray:
        """One sum per entity (``self.entities`` order) over the chosen ranges; NaN where nothing is known."""
        out = np.full(len(self.entities), np.nan)
        if name not in self.values or not len(codes):
            return out
        values, ids = self._rows(name, codes)
        sums = np.bincount(ids, weights=values, minlength=len(self.entities))
        seen = np.bincount(ids, minlength=len(self.entities)) > 0
        out[seen] = sums[seen]
        return out


__all__ = ["Cover", "RangeTable", "choose", "daily_cover", "make_cover"]
