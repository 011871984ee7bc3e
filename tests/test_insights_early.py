"""Drops and jumps from the first weeks of a history, the false-alarm rate, and the exact Poisson tail."""
from __future__ import annotations

import datetime as dt
import math
import tracemalloc

import numpy as np
import pandas as pd
import pytest

from conftest import load_history
from pinviewer.core.analysis import Period
from pinviewer.core.formats.model import ImportBatch
from pinviewer.core.insights import _common as c
from pinviewer.core.insights import anomalies

D0 = dt.date(2025, 3, 3)


def day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


def account(clicks: np.ndarray) -> ImportBatch:
    frame = pd.DataFrame({"entity_type": "account", "entity_id": "", "date": [day(i) for i in range(len(clicks))],
                          "outbound_clicks": np.asarray(clicks, float)})
    return ImportBatch("t", "t", daily=frame)


def collapse(n: int, at: int, seed: int = 5) -> np.ndarray:
    """~110 outbound clicks a day with a weekly rhythm, falling to ~4 from day ``at`` on."""
    rng = np.random.default_rng(seed)
    rhythm = np.array([1.0, 0.95, 0.95, 1.0, 1.05, 1.1, 1.3])[[day(i).weekday() for i in range(n)]]
    clicks = rng.poisson(110 * rhythm).astype(float)
    clicks[at:] = rng.poisson(4, n - at)
    return clicks


@pytest.mark.parametrize("n, at", [(120, 74), (90, 40)])
def test_a_collapse_early_in_a_short_history_is_found(store, n, at):
    ds = load_history(store, account(collapse(n, at)))
    result = anomalies.drops_and_jumps(ds, Period(day(0), day(n - 1)))
    drops = [a for a in result["alerts"] if a["direction"] == "drop"]
    assert [a["start"] for a in drops] == [day(at)], result["alerts"]
    # after two weeks at the new level it is what is usual: the episode covers the first of those days
    assert (drops[0]["end"] - drops[0]["start"]).days >= 7 and drops[0]["change"] < -0.9
    text = result["sentences"][0].text
    assert text.startswith(f"Outbound clicks dropped for {(drops[0]['end'] - drops[0]['start']).days + 1} days, "
                           f"{day(at).day}\u2013")
    if at < 56:  # judged before the 8 weeks the full yardstick needs: said in words, with a wider band
        assert drops[0]["history_days"] == at
        assert f"; judged against only {at // 7} weeks of history, so only a big change shows)." in text
    else:
        assert drops[0]["history_days"] is None and "judged against only" not in text
    assert "A clear sign" in result["sentences"][0].how_sure
    assert "No sudden drops" not in " ".join(s.text for s in result["sentences"])


def test_days_are_judged_from_three_weeks_on_with_wider_bands(store):
    ds = load_history(store, account(collapse(30, 30)))  # 30 steady days, no collapse
    result = anomalies.drops_and_jumps(ds, Period(day(0), day(29)))
    chart = result["charts"]["outbound_clicks"]
    judged = [d for d, e in zip(chart["dates"], chart["expected"]) if np.isfinite(e)]
    assert judged[0] == day(21).isoformat()  # 21 days of history before the first day judged
    frame = anomalies.daily_baseline(ds, "outbound_clicks", Period(day(0), day(29)))
    assert (frame["scale"].dropna() >= anomalies.SHORT_WIDEN * anomalies.MIN_SCALE).all()
    assert result["sentences"][0].text.startswith("No sudden drops or jumps") \
        and "judged against only a few weeks of history" in result["sentences"][0].text
    # from 8 weeks of history on, the full yardstick (as before): the short one covers days 21 to 55 only
    longer = anomalies.baseline(pd.Series(collapse(70, 70), index=pd.date_range(day(0), periods=70), dtype=float))
    short = np.flatnonzero(longer["history_days"].notna().to_numpy())
    assert (short[0], short[-1]) == (21, 55) and longer["z"].iloc[56:].notna().all()


@pytest.mark.parametrize("level", [5, 20, 100, 1000])
def test_two_years_of_steady_poisson_data_raise_at_most_one_alarm_a_year(level):
    """False alarms: 730 days of Poisson counts with a steady mean, 6 data sets per level, per metric."""
    index = pd.date_range("2024-01-01", periods=730, freq="D")
    counts = []
    for seed in range(6):
        values = np.random.default_rng(seed * 7 + level).poisson(level, 730)
        frame = anomalies.baseline(pd.Series(values, index=index, dtype=float))
        counts.append(len(anomalies._episodes(frame)))
    assert max(counts) <= 2, counts  # at most one episode a year
    assert sum(counts) <= 4, counts  # and far fewer on average


# ----------------------------------------------------------------------------------------- the Poisson tail
# Known values, computed with mpmath (50 digits) as the regularised incomplete gamma functions:
# P(X <= k) = Q(k + 1, lam), P(X >= k) = P(k, lam).
KNOWN = [
    (0, 3, True, 0.0497870683678639),
    (10, 2.5, False, 0.000277352094620836),
    (150, 200, True, 0.00013135703016944),
    (250, 200, False, 0.000362070458289693),
    (700, 1000, True, 6.93300990172641e-24),
    (1050, 1000, False, 0.059628328768477),
    (999000, 1000000.0, True, 0.158776299811726),
    (1003000, 1000000.0, False, 0.00135803527268313),
    (2995000, 3000000.0, True, 0.00194362877567333),
    (9990000, 10000000.0, True, 0.000781851092407797),
]


@pytest.mark.parametrize("k, lam, lower, expected", KNOWN)
def test_poisson_tail_matches_known_values(k, lam, lower, expected):
    assert c.poisson_tail(k, lam, lower) == pytest.approx(expected, rel=1e-8)


def test_the_normal_approximation_would_have_flipped_a_decision():
    # 3 million expected, 2,995,000 seen: the exact tail is 0.0019 (no alert at 0.001); check it is not the
    # normal approximation's value
    z = (2995000 + 0.5 - 3e6) / math.sqrt(3e6)
    normal = 0.5 * math.erfc(-z / math.sqrt(2))
    exact = c.poisson_tail(2995000, 3e6, lower=True)
    assert exact == pytest.approx(0.00194362877567333, rel=1e-8) and abs(normal - exact) / exact > 1e-3


def test_poisson_tail_in_constant_memory_for_absurd_counts():
    tracemalloc.start()
    try:
        values = [c.poisson_tail(1e308, 5, lower=False), c.poisson_tail(1e308, 1e308, lower=True),
                  c.poisson_tail(5, 1e308, lower=True), c.poisson_tail(99999999999999999999999999, 3, lower=False),
                  c.poisson_tail(float("inf"), 3, lower=True), c.poisson_tail(float("nan"), 3, lower=True),
                  c.poisson_tail(3, float("nan"), lower=False), c.poisson_tail(4, 0, lower=True)]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert values[0] == 0.0 and values[3] == 0.0  # P(X >= 1e308 | 5): nothing that large happens by chance
    assert values[2] == 0.0  # P(X <= 5 | 1e308)
    assert 0.49 < values[1] < 0.51
    assert values[4:7] == [1.0, 1.0, 1.0]  # not a number: no evidence of anything
    assert values[7] == 1.0
    assert peak < 64 * 1024  # no list as long as the count


def test_an_absurd_day_does_not_hang_drops_and_jumps(store):
    clicks = collapse(120, 120)
    clicks[100] = 1e15  # a number from a broken file: an alert, at once
    ds = load_history(store, account(clicks))
    result = anomalies.drops_and_jumps(ds, Period(day(60), day(119)))
    assert [a["start"] for a in result["alerts"]] == [day(100)]
