"""What the insights share: the Pin table of a period (computed once), sentences, and the statistics.

Statistics are numpy only (no scipy): Spearman's rank correlation with average ranks for ties, its
interval from Fisher's z with the Fieller-Hartley-Pearson variance 1.06 / (n - 3), Wilson intervals for
rates, an effective sample size for autocorrelated daily series (Bartlett), and the exact Poisson tail (the
regularised incomplete gamma function in log space: constant memory and a bounded number of steps for any count).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from pinviewer.core import analysis, wording
from pinviewer.core.analysis import Period
from pinviewer.core.store import Dataset

T = TypeVar("T")

Z95 = 1.959963984540054


# ------------------------------------------------------------------------------------------- sentences
@dataclass
class Sentence:
    """One plain sentence, in a blogger's words (no statistics in ``text``). ``links`` name the Pins and posts
    it mentions ({kind, id, label}), so a view can make ``label`` clickable; ``score`` (0-100) is how much it
    matters for the headlines; ``how_sure`` says, with the numbers, how sure the finding is."""

    text: str
    score: float
    links: list[dict[str, Any]] = field(default_factory=list)
    how_sure: str = ""  # the figures behind the words (intervals, p-values), for the "How sure is this?" toggle

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "score": round(float(self.score), 1), "links": self.links,
                "how_sure": self.how_sure}


def pin_link(pin_id: object, title: object) -> dict[str, Any]:
    return {"kind": "pin", "id": str(pin_id), "label": wording.quote(pin_title(title, pin_id))}


def post_link(url: str, label: str | None = None) -> dict[str, Any]:
    return {"kind": "post", "id": str(url), "label": label or wording.post_label(url)}


def pin_title(title: object, pin_id: object) -> str:
    if isinstance(title, str) and title.strip():
        return title
    return f"Pin {pin_id}"


# ---------------------------------------------------------------------------------------- shared views
def cached(ds: Dataset, key: Hashable, build: Callable[[], T]) -> T:
    """A view derived from the dataset, built once and kept in ``ds.cache`` under an ``insights.`` key."""
    key = key if isinstance(key, str) and key.startswith("insights.") else ("insights", key)
    if key not in ds.cache:
        ds.cache[key] = build()
    value: T = ds.cache[key]
    return value


def rows_of(ds: Dataset, entity_type: str, table: str = "periods") -> pd.DataFrame:
    """The ``periods`` (or ``daily``) rows of one entity type."""
    frame = ds.periods if table == "periods" else ds.daily
    return cached(ds, (table, entity_type), lambda: frame[frame["entity_type"] == entity_type])


def entities(ds: Dataset, entity_type: str) -> pd.DataFrame:
    """Descriptive fields of one entity type, indexed by entity_id (links as given, not normalised)."""
    def build() -> pd.DataFrame:
        rows = ds.entities[ds.entities["entity_type"] == entity_type].drop(columns=["entity_type"])
        return rows.set_index("entity_id")
    return cached(ds, ("entities", entity_type), build)


def best_range_rows(ds: Dataset, entity_type: str, period: Period) -> tuple[pd.DataFrame, Period | None]:
    """The period rows of the date range that overlaps ``period`` most (newest on ties), and that range."""
    rows = rows_of(ds, entity_type)
    if not len(rows):
        return rows, None
    ranges = rows[["start", "end"]].drop_duplicates()
    p_start, p_end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    # numpy's stubs do not take a Series in a ufunc (pandas handles it: __array_ufunc__): the two ignores
    ends = np.minimum(ranges["end"], p_end)  # type: ignore[call-overload]
    starts = np.maximum(ranges["start"], p_start)  # type: ignore[call-overload]
    overlap = ((ends - starts).dt.days + 1).clip(lower=0)
    ranges = ranges.assign(overlap=overlap)[overlap.to_numpy() > 0]
    if not len(ranges):
        return rows.iloc[0:0], None
    best = ranges.sort_values(["overlap", "end", "start"], ascending=[False, False, False]).iloc[0]
    chosen = rows[(rows["start"] == best["start"]).to_numpy() & (rows["end"] == best["end"]).to_numpy()]
    return chosen, Period(best["start"].date(), best["end"].date())


def pin_view(ds: Dataset, period: Period) -> tuple[pd.DataFrame, Period | None]:
    """The period's Pin table and the days it covers: ``analysis.pins``, built once per period and dataset, the very
    table ``PeriodSummary.pins`` holds (what the cards, the paper and the JSON read). Taken from there rather than
    through ``summarise``, so the Insights page does not wait for the rest of a summary it does not show."""
    key = "insights.pins"
    kept = ds.cache.get(key)
    if kept is None or kept[0] != period:
        table, covered = analysis.pins(ds, period)
        kept = (period, table, covered)
        ds.cache[key] = kept
    return kept[1], kept[2]


def cover_notes(period: Period, covered: Period | None) -> list[str]:
    """A note when the Pin figures cover other days than the period (the downloads that best match it)."""
    if covered is None or covered == period:
        return []
    return [f"The Pin figures add up the Pin downloads of {wording.format_period(covered)}, the ones that best "
            "match this period."]


def parse_days(values: Any) -> np.ndarray:
    """ISO dates (text, maybe with a time) as datetime64[D], NaT where unreadable; parses each distinct value once."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    if not len(uniques):
        return np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[D]")
    text = pd.Series(uniques, dtype=object).astype(str).str.slice(0, 10)
    days = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").to_numpy().astype("datetime64[D]")
    out = days[np.maximum(codes, 0)]
    out[codes < 0] = np.datetime64("NaT")
    return out


def created_days(ds: Dataset, pin_ids: np.ndarray) -> np.ndarray:
    """Each Pin's creation day as datetime64[D] (NaT where unknown)."""
    def build() -> pd.Series:
        info = entities(ds, "pin")
        if "created" not in info:
            return pd.Series(dtype="datetime64[s]")
        return pd.Series(parse_days(info["created"].to_numpy()), index=info.index)
    created = cached(ds, "insights.created", build)
    if not len(created):
        return np.full(len(pin_ids), np.datetime64("NaT"), dtype="datetime64[D]")
    return created.reindex(pin_ids).to_numpy().astype("datetime64[D]")


def ts(value: dt.date) -> pd.Timestamp:
    return pd.Timestamp(value)


def iso(values: Any) -> list[str]:
    """A DatetimeIndex (or datetime64 array) as ISO day strings."""
    return [str(v)[:10] for v in np.asarray(values, dtype="datetime64[D]")]


# ------------------------------------------------------------------------------------------- statistics
def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n, ties sharing their average rank (as Spearman's coefficient needs)."""
    values = np.asarray(values, float)
    n = len(values)
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    # start of each run of equal values
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    ends = np.r_[starts[1:], n]
    mean_rank = (starts + ends + 1) / 2.0  # average of 1-based ranks starts+1..ends
    run = np.repeat(np.arange(len(starts)), ends - starts)
    ranks = np.empty(n)
    ranks[order] = mean_rank[run]
    return ranks


def spearman(x: np.ndarray, y: np.ndarray) -> tuple[float | None, int]:
    """Spearman's rho over the pairs where both are finite, and how many pairs that was."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = np.isfinite(x) & np.isfinite(y)
    n = int(ok.sum())
    if n < 3:
        return None, n
    rx, ry = average_ranks(x[ok]), average_ranks(y[ok])
    rx -= rx.mean()
    ry -= ry.mean()
    denominator = math.sqrt(float((rx * rx).sum() * (ry * ry).sum()))
    if denominator == 0:
        return None, n  # one of them never varies: no correlation to speak of
    return float((rx * ry).sum() / denominator), n


def fisher_interval(r: float, n_eff: float, z: float = Z95) -> tuple[float, float]:
    """95% interval of a Spearman correlation: Fisher's z with variance 1.06 / (n - 3)."""
    if n_eff <= 4:
        return -1.0, 1.0
    r = min(max(r, -0.999999), 0.999999)
    centre = math.atanh(r)
    half = z * math.sqrt(1.06 / (n_eff - 3))
    return math.tanh(centre - half), math.tanh(centre + half)


def lag1(values: np.ndarray) -> float:
    """Lag-1 autocorrelation of a series (NaNs skipped pairwise); 0 when it cannot be computed."""
    v = np.asarray(values, float)
    a, b = v[:-1], v[1:]
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() < 4:
        return 0.0
    a, b = a[ok] - a[ok].mean(), b[ok] - b[ok].mean()
    d = math.sqrt(float((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / d) if d else 0.0


def effective_n(n: int, x: np.ndarray, y: np.ndarray) -> float:
    """Bartlett's effective sample size for the correlation of two autocorrelated series."""
    product = max(min(lag1(x) * lag1(y), 0.95), -0.95)
    return n * (1 - product) / (1 + product)


def wilson(k: Any, n: Any, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion k / n (vectorised); (nan, nan) where n is 0."""
    k = np.minimum(np.asarray(k, float), np.asarray(n, float))
    n = np.asarray(n, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denominator = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
        return np.where(n > 0, centre - half, np.nan), np.where(n > 0, centre + half, np.nan)


# The Poisson tail, exactly: P(X <= k) = Q(k + 1, lam) and P(X >= k) = P(k, lam), the regularised incomplete
# gamma functions. Below a = 1000 by their power series (P) or Legendre's continued fraction (Q, modified Lentz),
# at most a few hundred steps; from a = 1000 on by Temme's uniform asymptotic expansion with two terms (relative
# error below 1e-9 there, smaller as a grows, tails included). Everything is in log space, so neither a count of
# 1e308 nor an expected count of 1e-9 overflows, and the work is a bounded number of float operations.
_TEMME_FROM = 1000.0
_EPS = 1e-16
_TINY = 1e-300
_LN_SQRT_2PI = 0.5 * math.log(2 * math.pi)


def _log1pmx(d: float) -> float:
    """log(1 + d) - d, without cancellation for small d."""
    if abs(d) >= 0.05:
        return math.log1p(d) - d
    power, total, sign = d * d, 0.0, -1.0
    for n in range(2, 40):
        piece = sign * power / n
        total += piece
        if abs(piece) <= 1e-17 * abs(total):
            break
        power *= d
        sign = -sign
    return total


def _log_front(a: float, x: float) -> float:
    """log(x^a e^-x / Gamma(a)), written so that it neither overflows nor loses digits for large a."""
    if a < 30:
        return a * math.log(x) - x - math.lgamma(a)
    stirling = 1 / (12 * a) - 1 / (360 * a ** 3) + 1 / (1260 * a ** 5)
    return a * _log1pmx((x - a) / a) + 0.5 * math.log(a) - _LN_SQRT_2PI - stirling


def _gamma_p_series(a: float, x: float) -> float:
    front = _log_front(a, x) - math.log(a)
    if front < -800:  # the sum is at most ~sqrt(a) here: the result is below the smallest float
        return 0.0
    term = total = 1.0
    r = a
    for _ in range(5000):  # a < 1000: converges in ~3 sqrt(a) steps for x < a + 1
        r += 1.0
        term *= x / r
        total += term
        if term <= _EPS * total:
            break
    return math.exp(front + math.log(total))


def _gamma_q_fraction(a: float, x: float) -> float:
    front = _log_front(a, x)
    if front < -800:  # the fraction is below 1 for x >= a + 1: the result is below the smallest float
        return 0.0
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    for i in range(1, 5000):  # a < 1000: converges in ~3 sqrt(a) steps for x >= a + 1
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) <= _EPS:
            break
    return math.exp(front + math.log(h))


def _gamma_temme(a: float, x: float) -> tuple[float, float]:
    """(P, Q) by Temme's uniform expansion: Q = erfc(eta sqrt(a / 2)) / 2 + R, P = erfc(-eta sqrt(a / 2)) / 2 - R,
    R = exp(-a eta^2 / 2) / sqrt(2 pi a) (C0(eta) + C1(eta) / a) (DLMF 8.12.3-8.12.10)."""
    lam = x / a
    if lam <= 0:
        return 0.0, 1.0
    d = lam - 1.0
    half_eta2 = -(math.log(lam) - d) if d <= -0.95 else -_log1pmx(d)
    if a * half_eta2 > 800:  # both terms are below the smallest float: all on one side
        return (1.0, 0.0) if d > 0 else (0.0, 1.0)
    eta = math.copysign(math.sqrt(max(2 * half_eta2, 0.0)), d)
    if abs(eta) < 0.02:  # the closed forms cancel near eta = 0: their Taylor series instead
        c0 = -1 / 3 + eta / 12 - 2 * eta ** 2 / 135 + eta ** 3 / 864 + eta ** 4 / 2835
        c1 = -1 / 540 - eta / 288 + eta ** 2 / 378
    else:
        c0 = 1 / d - 1 / eta
        c1 = 1 / eta ** 3 - 1 / d ** 3 - 1 / d ** 2 - 1 / (12 * d)
    r = math.exp(-a * half_eta2) / math.sqrt(2 * math.pi * a) * (c0 + c1 / a)
    s = eta * math.sqrt(a / 2)
    p, q = 0.5 * math.erfc(-s) - r, 0.5 * math.erfc(s) + r
    return min(max(p, 0.0), 1.0), min(max(q, 0.0), 1.0)


def gamma_pq(a: float, x: float) -> tuple[float, float]:
    """The regularised incomplete gamma functions (P(a, x), Q(a, x)) for a > 0, x >= 0."""
    if x <= 0:
        return 0.0, 1.0
    if math.isinf(x):
        return 1.0, 0.0
    if a >= _TEMME_FROM:
        return _gamma_temme(a, x)
    if x < a + 1:
        p = min(_gamma_p_series(a, x), 1.0)
        return p, 1.0 - p
    q = min(_gamma_q_fraction(a, x), 1.0)
    return 1.0 - q, q


def poisson_tail(observed: float, expected: float, lower: bool) -> float:
    """P(X <= observed) (lower) or P(X >= observed) for X ~ Poisson(expected), exact for any count.

    Constant memory and a bounded number of steps (well under a millisecond) however large the count;
    a count or an expectation that is not a finite number gives 1.0 (no evidence of anything).
    """
    try:
        k, lam = float(observed), float(expected)
    except (TypeError, ValueError):
        return 1.0
    if not (math.isfinite(k) and math.isfinite(lam)):
        return 1.0
    k, lam = float(round(k)), max(lam, 1e-9)
    if lower:
        return 0.0 if k < 0 else gamma_pq(k + 1.0, lam)[1]
    return 1.0 if k <= 0 else gamma_pq(k, lam)[0]


SIGN_WORDS = {"strong": "a clear sign", "clear": "a clear sign", "weak": "some sign", "none": "a clear sign",
              "negative": "a clear sign", "unclear": "no sign yet"}


def odds(p: float | None) -> str:
    """A small probability in words: 'less than once in 1,000', 'about once in 40'."""
    if p is None or not math.isfinite(p):
        return "unknown"
    if p <= 1e-6:
        return "less than once in a million"
    if p < 0.001:
        return "less than once in 1,000"
    return f"about once in {wording.format_count(1 / p)}" if p < 0.5 else "often"


def strength(r: float | None, low: float, high: float) -> str:
    """How to call a correlation, judged on its interval, not on the point estimate alone.

    strong: even the low end is 0.5 or more; clear: low end at least 0.3; weak: above 0 but the low
    end below 0.3; none: the whole interval within +/-0.2 (confidently little); negative: all below 0;
    unclear: anything else (the data cannot tell).
    """
    if r is None:
        return "unclear"
    if low >= 0.5:
        return "strong"
    if low >= 0.3:
        return "clear"
    if low > 0:
        return "weak"
    if high < 0:
        return "negative"
    if -0.2 < low and high < 0.2:
        return "none"
    return "unclear"


_PLAIN = {str, int, bool, type(None)}


def clean(value: Any) -> Any:
    """Plain JSON-ready data: NaN becomes None, numpy scalars become Python numbers, dates ISO text."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        kinds = {type(v) for v in value}
        if kinds <= _PLAIN:  # long lists of ids and titles: nothing to convert
            return list(value)
        if kinds <= _PLAIN | {float}:
            return [None if type(v) is float and not math.isfinite(v) else v for v in value]
        return [clean(v) for v in value]
    if isinstance(value, (pd.Series, pd.Index)):
        value = value.to_numpy()
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f":  # the long ones (daily charts): one pass, no per-item recursion
            return [None if v != v or v in (np.inf, -np.inf) else v for v in value.tolist()]
        return [clean(v) for v in value.tolist()]
    if isinstance(value, Sentence):
        return value.as_dict()
    if isinstance(value, Period):
        return value.as_dict()
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat() if not pd.isna(value) else None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if not math.isfinite(float(value)) else float(value)
    return value
