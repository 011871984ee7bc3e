"""Insights on constructed data whose answers are known."""
from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest

from conftest import load_history
from pinviewer.core import insights
from pinviewer.core.analysis import Period
from pinviewer.core.errors import PinviewerError
from pinviewer.core.formats.model import ImportBatch
from pinviewer.core.insights import _common as c
from pinviewer.core.insights import anomalies, concentration, conversions, goals, impressions
from pinviewer.core.store import Store

D0 = dt.date(2025, 3, 3)  # a Monday


def day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


def account(values: dict[str, np.ndarray], first: int = 0, provisional: list[int] = ()) -> ImportBatch:
    n = len(next(iter(values.values())))
    frame = pd.DataFrame({"entity_type": "account", "entity_id": "", "date": [day(first + i) for i in range(n)],
                          **{k: np.asarray(v, float) for k, v in values.items()}})
    marks = pd.DataFrame({"entity_type": "account", "entity_id": "", "date": [day(first + i) for i in provisional]})
    return ImportBatch("t", "t", daily=frame, provisional=marks)


def pin_export(rows, start: dt.date, end: dt.date, entities: bool = True) -> ImportBatch:
    """rows: (pin_id, impressions, outbound_clicks, extra dict of entity fields)."""
    periods = pd.DataFrame([{"entity_type": "pin", "entity_id": pid, "start": start, "end": end,
                             "impressions": float(imp), "outbound_clicks": float(oc), "saves": 0.0}
                            for pid, imp, oc, _ in rows])
    info = pd.DataFrame([{"entity_type": "pin", "entity_id": pid, "title": f"Pin {pid}", **extra}
                         for pid, _, _, extra in rows])
    if not entities:
        info = pd.DataFrame(columns=["entity_type", "entity_id"])
    return ImportBatch("pins", "pins", periods=periods, entities=info)


def landing(rows, start: dt.date, end: dt.date) -> ImportBatch:
    periods = pd.DataFrame([{"entity_type": "post", "entity_id": path, "start": start, "end": end,
                             "sessions": float(s), "key_events": float(k), "revenue": float(r)}
                            for path, s, k, r in rows])
    return ImportBatch("ga4_landing", "ga4", periods=periods)


def weekly(n: int, level: float, seed: int = 1, noise: float = 0.05) -> np.ndarray:
    """A daily count with a weekly rhythm (Sundays high) and a little noise, deterministic."""
    rng = np.random.default_rng(seed)
    rhythm = np.array([1.0, 0.95, 0.95, 1.0, 1.05, 1.1, 1.4])[[(D0 + dt.timedelta(days=i)).weekday() for i in range(n)]]
    return np.round(level * rhythm * rng.lognormal(0, noise, n))


# ----------------------------------------------------------------------------------------------- statistics
def test_average_ranks_share_ties():
    assert c.average_ranks(np.array([10, 20, 20, 5])).tolist() == [2.0, 3.5, 3.5, 1.0]


def test_spearman_matches_pearson_of_ranks_and_its_interval():
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], float)
    y = np.array([2, 1, 4, 3, 6, 5, 8, 7, 10, 9], float)
    r, n = c.spearman(x, y)
    # 1 - 6 sum d^2 / (n (n^2 - 1)) with every d = 1: 1 - 60 / 990
    assert n == 10 and r == pytest.approx(1 - 60 / 990)
    assert c.spearman(x, -x)[0] == pytest.approx(-1)
    assert c.spearman(x, np.ones(10))[0] is None  # no variation: no correlation to speak of
    low, high = c.fisher_interval(0.5, 103)
    half = 1.959964 * math.sqrt(1.06 / 100)
    assert (low, high) == pytest.approx((math.tanh(math.atanh(0.5) - half), math.tanh(math.atanh(0.5) + half)))


def test_wilson_interval_and_strength_words():
    low, high = c.wilson(np.array([0, 10]), np.array([100, 100]))
    assert low[0] == pytest.approx(0, abs=1e-12) and high[0] == pytest.approx(0.0370, abs=1e-4)
    assert (low[1], high[1]) == pytest.approx((0.0552, 0.1744), abs=1e-4)
    assert c.strength(0.8, 0.6, 0.9) == "strong"
    assert c.strength(0.1, -0.1, 0.15) == "none"
    assert c.strength(0.3, -0.05, 0.6) == "unclear"
    assert c.strength(-0.5, -0.7, -0.2) == "negative"


def test_poisson_tail_exact_and_approximate():
    assert c.poisson_tail(0, 3, lower=True) == pytest.approx(math.exp(-3))
    assert c.poisson_tail(0, 3, lower=True) > anomalies.POISSON_P  # 0 on a 3-click day is not a crash
    assert c.poisson_tail(700, 1000, lower=True) < 1e-12


# ----------------------------------------------------------------------------------------------- conversions
def test_posts_join_pins_to_landing_pages_by_normalised_url(store):
    pins = pin_export([
        ("a1", 5000, 60, {"link": "https://www.blog.example/lemon-chicken/?utm_source=pinterest"}),
        ("a2", 3000, 40, {"link": "https://blog.example/lemon-chicken"}),
        ("b1", 4000, 50, {"link": "https://blog.example/meal-plan/"}),
        ("x1", 2000, 30, {"link": "https://shop.other.example/lemon-chicken-kit"}),
    ], day(0), day(29))
    site = landing([("/lemon-chicken/", 80, 8, 40.0), ("/meal-plan", 45, 0, 0.0), ("/about", 5, 1, 0.0)],
                   day(0), day(29))
    ds = load_history(store, pins, site)
    table, facts = conversions.post_table(ds, Period(day(0), day(29)))
    assert facts["comparable"]
    lemon = table.set_index("url").loc["https://blog.example/lemon-chicken"]
    assert lemon["pins"] == 2 and lemon["outbound_clicks"] == 100 and lemon["sessions"] == 80
    assert lemon["key_events"] == 8 and lemon["visit_rate"] == pytest.approx(0.8)
    assert lemon["conversion_rate"] == pytest.approx(0.1) and lemon["conversions_per_click"] == pytest.approx(0.08)
    other = table.set_index("url").loc["https://shop.other.example/lemon-chicken-kit"]
    assert other["other_site"] and np.isnan(other["sessions"])
    about = table.set_index("url").loc["/about"]  # a page with visits but none of your Pins
    assert about["pins"] == 0 and about["sessions"] == 5
    estimated = conversions.pin_conversions(ds, Period(day(0), day(29))).set_index("pin_id")
    assert estimated.loc["a1", "estimated_key_events"] == pytest.approx(4.8)
    assert estimated.loc["a2", "estimated_revenue"] == pytest.approx(16.0)
    result = conversions.post_conversions(ds, Period(day(0), day(29)))
    texts = [s.text for s in result["sentences"]]
    assert texts[0].startswith("blog.example/lemon-chicken brought the most sign-ups and sales: 8 from 80 "
                               "Pinterest visits (10%) and 40.00 in revenue, from 2 Pins")
    assert "(estimated from their posts): “Pin a1” and “Pin a2”." in texts[1]
    lemon_record = next(r for r in result["posts"] if r["url"] == "https://blog.example/lemon-chicken")
    assert lemon_record["top_pins"] == [{"pin_id": "a1", "title": "Pin a1", "outbound_clicks": 60.0},
                                        {"pin_id": "a2", "title": "Pin a2", "outbound_clicks": 40.0}]
    assert result["sentences"][0].links == [{"kind": "post", "id": "https://blog.example/lemon-chicken",
                                            "label": "blog.example/lemon-chicken"}]


def test_conversion_rates_need_the_same_days_on_both_sides(store):
    pins = pin_export([("a1", 5000, 100, {"link": "https://blog.example/a/"})], day(0), day(29))
    site = landing([("/a", 80, 8, 0.0)], day(20), day(49))  # overlaps a third: clicks and visits don't compare
    ds = load_history(store, pins, site)
    table, facts = conversions.post_table(ds, Period(day(0), day(29)))
    assert not facts["comparable"] and np.isnan(table["visit_rate"].iloc[0])
    assert table["conversion_rate"].iloc[0] == pytest.approx(0.1)  # within the site's figures it still holds
    result = conversions.post_conversions(ds, Period(day(0), day(29)))
    assert "rates between clicks and visits are left out" in result["notes"][0]


def test_a_post_that_converts_clearly_better_and_one_that_leaks(store):
    rows = [(f"p{i}", 10000, 200, {"link": f"https://blog.example/post-{i}"}) for i in range(6)]
    site = [(f"/post-{i}", 180, 4, 0.0) for i in range(5)] + [("/post-5", 60, 12, 0.0)]
    ds = load_history(store, pin_export(rows, day(0), day(29)), landing(site, day(0), day(29)))
    texts = [s.text for s in conversions.post_conversions(ds, Period(day(0), day(29)))["sentences"]]
    assert texts[0].startswith("blog.example/post-5 brought the most sign-ups and sales: 12 from 60")
    assert not any("converts best" in t for t in texts)  # the best is already named first
    # post-5 gets only 60 visits from 200 clicks: it leaks
    assert any(t.startswith("Only 30% of the 200 outbound clicks to blog.example/post-5 became visits") for t in texts)


def _sources(rows, start, end) -> ImportBatch:
    periods = pd.DataFrame([{"entity_type": "source", "entity_id": src, "start": start, "end": end,
                             "sessions": float(n), "key_events": 0.0} for src, n in rows])
    return ImportBatch("ga4_traffic", "ga4", periods=periods)


@pytest.mark.parametrize("pinterest_visits, low", [(1000, False), (500, True)])
def test_click_leakage_against_the_accounts_clicks_over_the_same_days(store, pinterest_visits, low):
    sources = _sources([("pinterest.com / referral", pinterest_visits - 100), ("pin.it / referral", 100),
                        ("google / organic", 5000)], day(0), day(29))
    ds = load_history(store, account({"outbound_clicks": np.full(30, 40.0)}), sources)
    result = conversions.post_conversions(ds, Period(day(0), day(29)))
    leak = result["leakage"]
    assert leak["sessions"] == pinterest_visits and leak["outbound_clicks"] == 1200
    assert leak["visit_rate"] == pytest.approx(pinterest_visits / 1200) and leak["clicks_from"] == "account"
    text = next(s.text for s in result["sentences"] if "Pinterest visits reached your site" in s.text)
    assert text.startswith(f"{pinterest_visits:,} Pinterest visits reached your site for 1,200 outbound clicks "
                           f"({pinterest_visits / 12:.0f}%).")
    assert text.endswith(conversions.WHY_THEY_DIFFER)
    assert ("That is low: check that your links work" in text) is low


def test_without_google_analytics_it_says_what_to_import(store):
    ds = load_history(store, pin_export([("a", 100, 5, {"link": "https://blog.example/a"})], day(0), day(29)))
    result = conversions.post_conversions(ds, Period(day(0), day(29)))
    assert "Import a Google Analytics landing-page report" in result["sentences"][0].text
    assert result["leakage"] is None


# ----------------------------------------------------------------------------------------------- impressions
def _pins_with(clicks_for, n=60, seed=3):
    rng = np.random.default_rng(seed)
    imp = np.round(rng.lognormal(8, 1, n))
    return [(f"p{i}", imp[i], clicks_for(imp[i], i), {}) for i in range(n)]


def test_across_pins_verdicts(store):
    ds = load_history(store, pin_export(_pins_with(lambda imp, i: round(imp * 0.01)), day(0), day(29)))
    table, _ = c.pin_view(ds, Period(day(0), day(29)))
    strong = impressions.across_pins(table)
    assert strong["strength"] == "strong" and strong["r"] > 0.99 and strong["n"] == 60
    assert strong["sentence"].text == "Across your 60 Pins, a clear sign: the Pins seen more were clicked more."
    # the statistics are behind "How sure is this?", not in the sentence
    assert "correlation" not in strong["sentence"].text and "likely between" in strong["sentence"].how_sure


def test_across_pins_no_link_and_too_few(tmp_path):
    shuffled = np.random.default_rng(9).permutation(60) * 3
    with Store.open(tmp_path / "a.sqlite") as s:
        ds = load_history(s, pin_export(_pins_with(lambda imp, i: shuffled[i], n=60), day(0), day(29)))
        result = impressions.across_pins(c.pin_view(ds, Period(day(0), day(29)))[0])
        assert result["strength"] in ("none", "unclear") and abs(result["r"]) < 0.3
        assert "those seen more" not in result["sentence"].text
    with Store.open(tmp_path / "b.sqlite") as s:
        ds = load_history(s, pin_export(_pins_with(lambda imp, i: 5, n=8), day(0), day(29)))
        result = impressions.across_pins(c.pin_view(ds, Period(day(0), day(29)))[0])
        assert result["strength"] == "unclear" and "too few to tell" in result["sentence"].text
        assert "8 Pins with impressions; I need 20" in result["sentence"].text


def _daily_pair(n, clicks_from, seed=5):
    imp = weekly(n, 20000, seed=seed, noise=0.15)
    return account({"impressions": imp, "outbound_clicks": clicks_from(imp), "saves": weekly(n, 300, seed=seed + 1)})


def test_day_by_day_impressions_that_bring_clicks(store):
    ds = load_history(store, _daily_pair(200, lambda imp: np.round(imp * 0.01)))
    result = impressions.day_by_day(ds, Period(day(60), day(199)))
    assert result["strength"] == "strong" and result["best_lag"] == 0
    # a 140-day period is shorter than a year: the year up to its end is used, every day with a usual level
    # to compare against (from day 21: three weeks of history give a usual level, with wider bands)
    assert result["n"] == 179 and result["window"] == Period(day(199 - 364), day(199))
    assert result["sentence"].text.startswith("Day by day, a clear sign: when your impressions rose above their usual "
                                              "level, outbound clicks rose with them.")
    assert "over 179 days" in result["sentence"].how_sure and "0." not in result["sentence"].text


def test_day_by_day_clicks_that_follow_two_days_later(store):
    def later(imp):
        shifted = np.r_[imp[:2], imp[:-2]]
        return np.round(shifted * 0.01)
    ds = load_history(store, _daily_pair(200, later))
    result = impressions.day_by_day(ds, Period(day(60), day(199)))
    assert result["best_lag"] == 2 and "Clicks follow impressions by about 2 days" in result["sentence"].text
    assert result["lags"][2]["r"] > 0.9


def test_day_by_day_noise_is_called_noise_and_thin_data_says_so(store):
    rng = np.random.default_rng(11)
    ds = load_history(store, _daily_pair(460, lambda imp: np.round(100 * rng.lognormal(0, 0.15, len(imp)))))
    result = impressions.day_by_day(ds, Period(day(60), day(459)))
    assert result["strength"] == "none", result
    assert "say little about your outbound clicks" in result["sentence"].text
    short = impressions.day_by_day(ds, Period(day(0), day(40)))  # no usual level before day ~56
    assert short["strength"] == "unclear" and "too few days to tell" in short["sentence"].text


def test_seen_a_lot_clicked_little_and_hidden_gems(store):
    rows = [(f"p{i}", 1000 + 10 * i, 10, {}) for i in range(40)]  # about 1%
    rows.append(("dud", 30000, 15, {}))  # top by impressions, 0.05%
    rows.append(("gem", 400, 14, {}))  # bottom half, 3.5%
    rows.append(("lucky", 120, 2, {}))  # 1.7% but from 2 clicks: not called a gem
    ds = load_history(store, pin_export(rows, day(0), day(29)))
    duds, gems, base = impressions.pin_lists(c.pin_view(ds, Period(day(0), day(29)))[0])
    assert duds["pin_id"].tolist() == ["dud"] and gems["pin_id"].tolist() == ["gem"]
    assert base == pytest.approx((400 + 15 + 14 + 2) / (sum(1000 + 10 * i for i in range(40)) + 30520))
    result = impressions.impressions_vs_clicks(ds, Period(day(0), day(29)))
    texts = [s.text for s in result["sentences"]]
    assert any(t.startswith("“Pin gem” is seen little but clicked a lot (3.5% of 400 impressions") for t in texts)
    assert any(t.startswith("“Pin dud” is seen a lot but rarely clicked (0.05% of 30,000 impressions") for t in texts)
    assert set(result["chart"]["group"]) == {"", "gem", "seen_not_clicked"}


# ----------------------------------------------------------------------------------------------- anomalies
def test_a_drop_against_the_weekday_pattern(store):
    clicks = weekly(140, 200, seed=2)
    saves = weekly(140, 400, seed=3)
    sunday = 125 if day(125).weekday() == 6 else None
    assert sunday  # Sundays run 40% above the week: never an alert by themselves
    clicks[100] = round(clicks[100] * 0.4)  # a Wednesday
    ds = load_history(store, account({"outbound_clicks": clicks, "saves": saves}))
    result = anomalies.drops_and_jumps(ds, Period(day(70), day(139)))
    assert [(a["metric"], a["start"], a["direction"]) for a in result["alerts"]] == \
        [("outbound_clicks", day(100), "drop")]
    alert = result["alerts"][0]
    assert alert["expected"] == pytest.approx(200 * 0.95, rel=0.08) and alert["change"] < -0.5
    text = result["sentences"][0].text
    assert text.startswith(f"Outbound clicks dropped on {day(100).day} {day(100):%B %Y}: {int(clicks[100])} against "
                           "the usual") and "for a Wednesday" in text
    assert "There are no Pin figures for those days" in text
    chart = result["charts"]["outbound_clicks"]
    assert chart["alerts"] == [{"start": day(100).isoformat(), "end": day(100).isoformat(), "direction": "drop"}]
    assert len(chart["dates"]) == 70 and chart["markers"] == []


def test_quiet_days_and_provisional_days_raise_no_alert(store):
    clicks = weekly(120, 200, seed=4)
    clicks[-1] = 20  # still being counted: not a crash
    ds = load_history(store, account({"outbound_clicks": clicks}, provisional=[118, 119]))
    result = anomalies.drops_and_jumps(ds, Period(day(70), day(119)))
    assert result["alerts"] == []
    assert result["sentences"][0].text.startswith("No sudden drops or jumps: every day's outbound clicks stayed")


def test_small_counts_need_more_than_a_zero_day(store):
    clicks = np.tile([3.0, 2.0, 4.0, 3.0, 3.0, 2.0, 4.0], 20)
    clicks[110] = 0
    ds = load_history(store, account({"outbound_clicks": clicks}))
    assert anomalies.drops_and_jumps(ds, Period(day(70), day(139)))["alerts"] == []


def _pin_daily(weights: dict[str, float], n: int, factor) -> ImportBatch:
    """Daily Pin rows: each Pin's clicks = weight x 1000 x weekly rhythm x factor(pin, day)."""
    base = weekly(n, 1000, seed=6, noise=0.03)
    rows = []
    for pid, w in weights.items():
        for i in range(n):
            rows.append({"entity_type": "pin", "entity_id": pid, "date": day(i),
                         "outbound_clicks": float(round(base[i] * w * factor(pid, i)))})
    daily = pd.DataFrame(rows)
    totals = daily.groupby("date")["outbound_clicks"].sum()
    acc = pd.DataFrame({"entity_type": "account", "entity_id": "", "date": totals.index,
                        "outbound_clicks": totals.to_numpy()})
    info = pd.DataFrame([{"entity_type": "pin", "entity_id": p, "title": f"Pin {p}",
                          "board": "Dinners" if p in ("big1", "big2") else "Other"} for p in weights])
    return ImportBatch("api", "api", daily=pd.concat([acc, daily], ignore_index=True), entities=info)


WEIGHTS = {"big1": 0.35, "big2": 0.35, **{f"s{i}": 0.3 / 18 for i in range(18)}}


def test_a_drop_from_two_pins_is_concentrated(store):
    ds = load_history(store, _pin_daily(WEIGHTS, 120, lambda p, i: 0.0 if p in ("big1", "big2") and 100 <= i <= 104 else 1.0))
    result = anomalies.drops_and_jumps(ds, Period(day(70), day(119)))
    alert = result["alerts"][0]
    assert (alert["start"], alert["end"]) == (day(100), day(104))
    where = alert["where"]
    assert where["kind"] == "concentrated" and where["granularity"] == "daily"
    assert {p["pin_id"] for p in where["pins"]} == {"big1", "big2"} and where["board"][0] == "Dinners"
    assert result["sentences"][0].text == (
        "Outbound clicks dropped for 5 days, 11–15 June 2025: 1,638 against the usual 5,410 (−70%). "
        "It was mostly “Pin big1” and “Pin big2” (all of the drop), on the board “Dinners”.")
    assert {link["id"] for link in result["sentences"][0].links} == {"big1", "big2"}


def test_a_drop_of_every_pin_is_broad(store):
    ds = load_history(store, _pin_daily(WEIGHTS, 120, lambda p, i: 0.5 if 100 <= i <= 104 else 1.0))
    result = anomalies.drops_and_jumps(ds, Period(day(70), day(119)))
    where = result["alerts"][0]["where"]
    assert where["kind"] == "broad" and where["moved_share"] == pytest.approx(1.0)
    assert result["sentences"][0].text.endswith(
        "All your Pins fell together, which points to Pinterest itself rather than to particular Pins.")


def test_broad_or_concentrated_from_consecutive_exports(store):
    # daily account figures; Pin figures only as two monthly exports (March and April)
    clicks = weekly(61, 300, seed=7)
    clicks[40:61] = np.round(clicks[40:61] * 0.45)  # from 12 April to the end: a long drop
    march = pin_export([("star", 0, 4000, {}), *[(f"o{i}", 0, 50, {}) for i in range(10)]], day(0), day(30))
    april = pin_export([("star", 0, 600, {}), *[(f"o{i}", 0, 50, {}) for i in range(10)]], day(31), day(60))
    history = weekly(120, 300, seed=8)
    ds = load_history(store, account({"outbound_clicks": np.r_[history, clicks]}, first=-120), march, april)
    result = anomalies.drops_and_jumps(ds, Period(day(0), day(60)))
    alert = result["alerts"][0]
    assert alert["direction"] == "drop" and alert["start"] >= day(40)
    where = alert["where"]
    assert where["granularity"] == "exports" and where["kind"] == "concentrated"
    assert where["pins"][0]["pin_id"] == "star"
    assert result["sentences"][0].text.count("Comparing the Pin exports, it was mostly “Pin star”") == 1


def test_a_one_day_drop_cannot_be_placed_with_monthly_exports(store):
    clicks = weekly(150, 300, seed=9)
    clicks[130] = round(clicks[130] * 0.3)
    april = pin_export([("a", 0, 100, {})], day(90), day(119))
    may = pin_export([("a", 0, 100, {})], day(120), day(149))
    ds = load_history(store, account({"outbound_clicks": clicks}), april, may)
    where = anomalies.drops_and_jumps(ds, Period(day(100), day(149)))["alerts"][0]["where"]
    assert where["kind"] == "unknown"
    assert where["reason"] == ("The Pin exports cover 30 days at a time, so they can't show which Pins moved on "
                               "that day.")


def test_metric_changes_are_marked_and_named(store, monkeypatch):
    clicks = weekly(140, 200, seed=2)
    clicks[100] = round(clicks[100] * 0.4)
    ds = load_history(store, account({"outbound_clicks": clicks}))
    change = anomalies.MetricChange(day(99), ("outbound_clicks",), "Outbound clicks stopped counting repeat clicks.",
                                    "a test")
    monkeypatch.setattr(anomalies, "METRIC_CHANGES", (change,))
    result = anomalies.drops_and_jumps(ds, Period(day(70), day(139)))
    assert result["charts"]["outbound_clicks"]["markers"] == [
        {"date": day(99).isoformat(), "what": change.what, "source": "a test"}]
    assert "Pinterest changed how it counts this around then" in result["sentences"][0].text


def test_the_shipped_metric_change_table_is_sourced():
    fresh = anomalies  # every entry has a source; none claims an account-wide change that isn't backed
    assert all(entry.source and entry.what for entry in fresh.METRIC_CHANGES)
    assert fresh.markers("outbound_clicks", Period(dt.date(2015, 1, 1), dt.date(2030, 1, 1))) == []


def test_not_enough_history_says_so(store):
    ds = load_history(store, account({"outbound_clicks": weekly(20, 100)}))
    result = anomalies.drops_and_jumps(ds, Period(day(0), day(19)))
    assert result["alerts"] == [] and "I need 21 days of daily figures" in result["sentences"][0].text


# ----------------------------------------------------------------------------------------------- goals
def test_pace_to_goal(store):
    first = dt.date(2025, 10, 1)
    n = (dt.date(2025, 11, 20) - first).days + 1
    frame = pd.DataFrame({"entity_type": "account", "entity_id": "", "outbound_clicks": 30.0, "saves": 100.0,
                          "date": [first + dt.timedelta(days=i) for i in range(n)]})
    ds = load_history(store, ImportBatch("t", "t", daily=frame))
    result = goals.goal_pace(ds, Period(dt.date(2025, 10, 22), dt.date(2025, 11, 20)),
                             {"outbound_clicks": 1200, "saves": 2500})
    clicks, saves = result["results"]
    assert clicks["so_far"] == 600 and clicks["projected"] == pytest.approx(900) and clicks["fraction"] == 0.75
    assert clicks["needed_per_day"] == pytest.approx(60) and clicks["status"] == "behind"
    assert result["sentences"][0].text.startswith(
        "Outbound clicks: 600 so far in November; at this pace you reach 75% of your goal of 1,200 by the 30th")
    assert "You need 60 a day from here; you have averaged 30." in result["sentences"][0].text
    assert saves["status"] == "on_track" and saves["projected"] == pytest.approx(3000)
    # 2,000 by the 20th, 100 a day: 2,500 on the 25th
    assert result["sentences"][1].text == ("Saves: 2,000 so far in November; at this pace you reach your goal of "
                                           "2,500 around the 25th (120% by the 30th).")


def test_provisional_days_are_projected_not_counted(store):
    frame = pd.DataFrame({"entity_type": "account", "entity_id": "", "outbound_clicks": 30.0,
                          "date": [dt.date(2025, 10, 1) + dt.timedelta(days=i) for i in range(51)]})
    marks = frame[["entity_type", "entity_id", "date"]].tail(2)
    frame.loc[frame.index[-2:], "outbound_clicks"] = 3.0  # Pinterest still counting
    ds = load_history(store, ImportBatch("t", "t", daily=frame, provisional=marks))
    result = goals.goal_pace(ds, Period(dt.date(2025, 11, 1), dt.date(2025, 11, 20)), {"outbound_clicks": 900})
    clicks = result["results"][0]
    assert clicks["so_far"] == 540 and clicks["counted_days"] == 18 and clicks["projected"] == pytest.approx(900)


def test_a_finished_month_and_conversions_from_site_reports(store):
    frame = pd.DataFrame({"entity_type": "account", "entity_id": "", "outbound_clicks": 40.0,
                          "date": [dt.date(2025, 10, 1) + dt.timedelta(days=i) for i in range(31)]})
    posts = landing([("/a", 300, 30, 0.0)], dt.date(2025, 10, 1), dt.date(2025, 10, 15))
    ds = load_history(store, ImportBatch("t", "t", daily=frame), posts)
    result = goals.goal_pace(ds, Period(dt.date(2025, 10, 1), dt.date(2025, 10, 31)),
                             {"outbound_clicks": 1000, "key_events": 50})
    texts = [s.text for s in result["sentences"]]
    assert texts[0] == "In October you reached 1,240 outbound clicks, 124% of your goal of 1,000."
    conv = result["results"][1]
    assert conv["so_far"] == 30 and conv["projected"] == pytest.approx(62)  # 2 a day over 31 days
    assert texts[1].startswith("Conversions: 30 so far in October; at this pace you reach your goal of 50")


def test_goals_are_kept_per_profile(store):
    profile = store.profile()
    other = store.create_profile("Other blog")
    assert goals.parse_goal("conversions=40") == ("key_events", 40.0)
    assert goals.parse_goal("Outbound-Clicks=1,200") == ("outbound_clicks", 1200.0)
    assert goals.parse_goal("saves=0") == ("saves", None)
    for bad in ("followers=3", "saves", "saves=many", "saves=-4"):
        with pytest.raises(PinviewerError):
            goals.parse_goal(bad)
    insights.set_goals(store, profile, {"outbound_clicks": 1200, "saves": 500})
    assert insights.set_goals(store, profile, {"saves": None}) == {"outbound_clicks": 1200}
    assert insights.load_goals(store, profile) == {"outbound_clicks": 1200}
    assert insights.load_goals(store, other) == {}


# ----------------------------------------------------------------------------------------------- concentration
def test_top_five_share_warns_past_half(store):
    rows = [(f"top{i}", 1000, 100, {}) for i in range(5)] + [(f"small{i}", 1000, 10, {}) for i in range(5)]
    ds = load_history(store, pin_export(rows, day(0), day(29)))
    result = concentration.click_concentration(ds, Period(day(0), day(29)))
    assert result["top_share"] == pytest.approx(500 / 550) and result["warning"]
    assert result["sentences"][0].text.startswith("Your top 5 Pins brought 91% of your outbound clicks, “Pin top0” "
                                                  "alone 18%")


def test_top_five_share_against_the_account_total(store):
    rows = [(f"p{i}", 1000, 20, {}) for i in range(30)]  # 600 clicks listed ...
    acc = account({"outbound_clicks": np.full(30, 100.0)})  # ... of 3,000 over the same days
    ds = load_history(store, pin_export(rows, day(0), day(29)), acc)
    result = concentration.click_concentration(ds, Period(day(0), day(29)))
    assert result["top_share"] == pytest.approx(100 / 3000) and not result["warning"]
    assert "the export may list only your top Pins" in result["notes"][0]
    assert result["sentences"][0].text.startswith("Your outbound clicks are spread out: the top 5 Pins brought 3.3%")


def test_clicks_by_pin_age(store):
    end = day(29)
    rows = [("new1", 100, 30, {"created": day(10).isoformat()}), ("new2", 100, 10, {"created": day(3).isoformat()}),
            ("mid", 100, 60, {"created": (end - dt.timedelta(days=200)).isoformat()}),
            ("old", 100, 100, {"created": (end - dt.timedelta(days=500)).isoformat()})]
    ds = load_history(store, pin_export(rows, day(0), end))
    result = concentration.pin_age(ds, Period(day(0), end))
    assert result["new_pins"] == 2 and result["new_share"] == pytest.approx(0.2)
    assert result["year_old_share"] == pytest.approx(0.5)
    assert result["sentences"][0].text == ("Pins created in this period brought 20% of outbound clicks (2 new Pins, "
                                           "20 clicks each on average); Pins over a year old brought 50%.")
    shares = dict(zip(result["chart"]["labels"], result["chart"]["clicks_share"]))
    assert shares["under a month"] == pytest.approx(0.2) and shares["6–12 months"] == pytest.approx(0.3)


def _monthly_exports(months: int, clicks_at_age, n_pins=60) -> list[ImportBatch]:
    """Pins created every ~10 days over two years; each month's clicks from their age."""
    first = dt.date(2024, 1, 1)
    created = {f"p{i}": first + dt.timedelta(days=12 * i) for i in range(n_pins)}
    batches = []
    start = dt.date(2025, 1, 1)
    for m in range(months):
        month_start = (start.replace(day=1) + dt.timedelta(days=32 * m)).replace(day=1)
        month_end = (month_start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        rows = []
        for pid, born in created.items():
            if born > month_start:
                continue
            age = (month_start - born).days + 15
            clicks = clicks_at_age(age)
            if clicks > 0:
                rows.append((pid, 1000, clicks, {"created": born.isoformat()}))
        batches.append(pin_export(rows, month_start, month_end))
    return batches


def test_how_long_a_pin_keeps_earning_from_consecutive_exports(store):
    # 40 clicks a month in the first 3 months, 10 after: and a Pin that drops out counts as 0
    ds = load_history(store, *_monthly_exports(6, lambda age: 40 if age < 91 else (10 if age < 365 else 0)))
    life = concentration.earning_life(ds)
    assert life["ranges"] == 6 and life["granularity"] == "exports"
    buckets = {b["label"]: b for b in life["buckets"]}
    assert buckets["1–3 months"]["clicks_per_30_days"] == pytest.approx(40 * 30 / 31, rel=0.1)
    assert buckets["over 2 years"]["pin_rows"] == 0 or buckets["over 2 years"]["clicks_per_30_days"] == 0
    assert life["half_at"] in ("3–6 months", "6–12 months")
    assert life["sentence"].text.startswith("Your Pins earn most when")
    assert "from 6 Pin exports" in life["sentence"].text


def test_one_export_cannot_follow_pins_over_time(store):
    ds = load_history(store, *_monthly_exports(1, lambda age: 10))
    life = concentration.earning_life(ds)
    assert life["ranges"] == 1 and "one Pin export compares different Pins" in life["sentence"].text


# ----------------------------------------------------------------------------------------------- everything
def test_all_insights_is_plain_json_with_headlines(store):
    clicks = weekly(150, 200, seed=2)
    clicks[146] = round(clicks[146] * 0.3)  # within the last 7 days of the period
    rows = [(f"p{i}", 1000 + i, 10 + i, {"link": f"https://blog.example/post-{i % 3}",
                                         "created": day(i).isoformat()}) for i in range(30)]
    ds = load_history(store, account({"outbound_clicks": clicks, "saves": weekly(150, 300, seed=3),
                              "impressions": weekly(150, 20000, seed=4)}),
              pin_export(rows, day(120), day(149)), landing([("/post-0", 100, 5, 20.0)], day(120), day(149)))
    data = insights.all_insights(ds, Period(day(120), day(149)), {"outbound_clicks": 6000})
    text = json.dumps(data, allow_nan=False)
    assert list(data["insights"]) == list(insights.ORDER)
    assert 3 <= len(data["headlines"]) <= 4
    assert data["headlines"][0].startswith("Outbound clicks dropped on")  # a recent drop comes first
    assert insights.headlines(ds, Period(day(120), day(149)), {"outbound_clicks": 6000}) == data["headlines"]
    assert "NaN" not in text


def test_progress_and_cancel(store):
    from pinviewer.core.errors import Cancelled

    ds = load_history(store, account({"outbound_clicks": weekly(60, 100)}))
    seen = []
    insights.all_insights(ds, Period(day(30), day(59)), progress=lambda d, t, m: seen.append((d, t)))
    assert seen[0] == (0, 8) and seen[-1] == (8, 8)
    with pytest.raises(Cancelled):
        insights.all_insights(ds, Period(day(30), day(59)), cancelled=lambda: True)


def test_an_empty_profile_still_answers(store):
    ds = load_history(store, account({"impressions": np.full(3, 10.0)}))
    data = insights.all_insights(ds, Period(day(0), day(2)))
    json.dumps(data, allow_nan=False)
    assert data["headlines"] == []
