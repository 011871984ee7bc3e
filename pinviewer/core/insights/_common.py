"""What the insights share: the Pin table of a period (computed once), sentences, and the statistics.

Statistics are numpy only (no scipy): Spearman's rank correlation with average ranks for ties, its
interval from Fisher's z with the Fieller-Hartley-Pearson variance 1.06 / (n - 3), Wilson intervals for
rates, and an effective sample size for autocorrelated daily series (Bartlett).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pinviewer.core import analysis, wording
from pinviewer.core.analysis import Period
from pinviewer.core.store import Dataset

Z95 = 1.959963984540054


# ------------------------------------------------------------------------------------------- sentences
@dataclass
class Sentence:
    """One plain sentence. ``links`` name the Pins and posts it mentions ({kind, id, label}), so a view
    can make ``label`` clickable; ``score`` (0-100) is how much it matters for the headlines."""

    text: str
    score: float
    links: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"text": self.text, "score": round(float(self.score), 1), "links": self.links}


def pin_link(pin_id, title) -> dict:
    return {"kind": "pin", "id": str(pin_id), "label": wording.quote(pin_title(title, pin_id))}


def post_link(url: str, label: str | None = None) -> dict:
    return {"kind": "post", "id": str(url), "label": label or wording.post_label(url)}


def pin_title(title, pin_id) -> str:
    if isinstance(title, str) and title.strip():
        return title
    return f"Pin {pin_id}"


# ---------------------------------------------------------------------------------------- shared views
def pin_view(ds: Dataset, period: Period) -> tuple[pd.DataFrame, Period | None]:
    """analysis.pins for the period, kept (for the last period asked) so every insight shares it."""
    key = "insights.pins"
    kept = ds.cache.get(key)
    if kept is None or kept[0] != period:
        table, covered = analysis.pins(ds, period)
        kept = (period, table, covered)
        ds.cache[key] = kept
    return kept[1], kept[2]


def cover_notes(period: Period, covered: Period | None) -> list[str]:
    """A note when the Pin figures cover other days than the period (an export picked for overlapping most)."""
    if covered is None or covered == period:
        return []
    return [f"The Pin figures add up the Pin downloads of {wording.format_period(covered)}, the ones that best "
            "match this period."]


def parse_days(values) -> np.ndarray:
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
    def build():
        info = analysis._entities(ds, "pin")
        if "created" not in info:
            return pd.Series(dtype="datetime64[s]")
        return pd.Series(parse_days(info["created"].to_numpy()), index=info.index)
    created = analysis._cached(ds, "insights.created", build)
    if not len(created):
        return np.full(len(pin_ids), np.datetime64("NaT"), dtype="datetime64[D]")
    return created.reindex(pin_ids).to_numpy().astype("datetime64[D]")


def ts(value: dt.date) -> pd.Timestamp:
    return pd.Timestamp(value)


def iso(values) -> list[str]:
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


def wilson(k, n, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion k / n (vectorised); (nan, nan) where n is 0."""
    k = np.minimum(np.asarray(k, float), np.asarray(n, float))
    n = np.asarray(n, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denominator = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
        return np.where(n > 0, centre - half, np.nan), np.where(n > 0, centre + half, np.nan)


def poisson_tail(observed: float, expected: float, lower: bool) -> float:
    """P(X <= observed) (lower) or P(X >= observed) for X ~ Poisson(expected); normal approximation
    with continuity correction above 200, exact sums below."""
    k, lam = int(round(observed)), max(float(expected), 1e-9)
    if lam > 200:
        zscore = ((k + 0.5) - lam) / math.sqrt(lam) if lower else ((k - 0.5) - lam) / math.sqrt(lam)
        cdf = 0.5 * math.erfc(-zscore / math.sqrt(2))
        return cdf if lower else 1 - cdf
    upto = k if lower else k - 1
    if upto < 0:
        return 0.0 if lower else 1.0
    terms = [math.exp(i * math.log(lam) - lam - math.lgamma(i + 1)) for i in range(upto + 1)]
    cdf = min(1.0, sum(terms))
    return cdf if lower else max(0.0, 1 - cdf)


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


def clean(value):
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
