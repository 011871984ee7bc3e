"""Analysis on constructed data whose answers are known."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from conftest import load_history
from pinviewer.core import analysis
from pinviewer.core.analysis import Period
from pinviewer.core.formats.model import ImportBatch

D0 = dt.date(2025, 3, 1)


def day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


def daily_batch(rows: dict[int, dict], entity_type="account", entity_id="") -> ImportBatch:
    frame = pd.DataFrame([{"entity_type": entity_type, "entity_id": entity_id, "date": day(i), **v}
                          for i, v in rows.items()])
    return ImportBatch("test", "test", daily=frame)


def test_rates_are_ratios_of_totals_not_averages_of_daily_rates(store):
    ds = load_history(store, daily_batch({0: {"impressions": 1000, "outbound_clicks": 10, "saves": 30},
                                  1: {"impressions": 100, "outbound_clicks": 10, "saves": 0}}))
    s = analysis.summary(ds, Period(day(0), day(1)))
    assert s["totals"]["outbound_clicks"] == 20 and s["totals"]["impressions"] == 1100
    assert s["rates"]["outbound_click_rate"] == pytest.approx(20 / 1100)
    assert s["rates"]["save_rate"] == pytest.approx(30 / 1100)
    assert s["rates"]["outbound_click_rate"] != pytest.approx((0.01 + 0.1) / 2)


def test_previous_period_and_change(store):
    rows = {i: {"impressions": 100, "outbound_clicks": 1 if i < 7 else 2, "saves": 0 if i < 7 else 5}
            for i in range(14)}
    ds = load_history(store, daily_batch(rows))
    s = analysis.summary(ds, Period(day(7), day(13)))
    assert (s["previous"]["start"], s["previous"]["end"]) == (day(0).isoformat(), day(6).isoformat())
    assert s["previous"]["totals"]["outbound_clicks"] == 7
    assert s["change"]["outbound_clicks"] == pytest.approx(1.0)  # doubled
    assert s["change"]["saves"] is None  # previous was 0: no percentage
    assert s["change"]["impressions"] == pytest.approx(0.0)


def test_same_period_last_year(store):
    rows = {0: {"outbound_clicks": 4}, 366: {"outbound_clicks": 6}}  # 2025-03-01 and 2026-03-02
    ds = load_history(store, daily_batch(rows))
    s = analysis.summary(ds, Period(day(365), day(366)), compare="year")
    assert s["previous"]["start"] == "2025-03-01" and s["previous"]["totals"]["outbound_clicks"] == 4
    assert s["change"]["outbound_clicks"] == pytest.approx(0.5)


def test_unknown_totals_are_none_not_zero(store):
    ds = load_history(store, daily_batch({0: {"impressions": 100}}))
    s = analysis.summary(ds, Period(day(0), day(0)))
    assert s["totals"]["outbound_clicks"] is None and s["rates"]["outbound_click_rate"] is None
    assert s["site"] is None


def test_default_period_is_last_30_days_with_data(store):
    ds = load_history(store, daily_batch({i: {"outbound_clicks": 1} for i in range(100)}))
    period = analysis.preset_period(ds, "last_30")
    assert period == Period(day(70), day(99))
    assert analysis.preset_period(ds, "all_time") == Period(day(0), day(99))
    # calendar months of today, whatever the last day with data (the summary notes where the data stops)
    today = dt.date(2025, 6, 20)
    assert analysis.preset_period(ds, "last_month", today) == Period(dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    assert analysis.preset_period(ds, "this_month", today) == Period(dt.date(2025, 6, 1), today)
    assert analysis.preset_period(ds, "last_month", dt.date(2025, 1, 3)) == \
        Period(dt.date(2024, 12, 1), dt.date(2024, 12, 31))


def test_daily_series_has_gaps_not_zeros_and_seven_day_average(store):
    rows = {i: {"outbound_clicks": float(i), "saves": 1.0} for i in range(20) if i != 15}
    ds = load_history(store, daily_batch(rows))
    series = analysis.daily_series(ds, Period(day(10), day(19)))
    assert len(series) == 10
    assert np.isnan(series.loc[pd.Timestamp(day(15)), "outbound_clicks"])
    # the average on day 10 uses days 4..10 (before the period too)
    assert series.loc[pd.Timestamp(day(10)), "outbound_clicks_avg7"] == pytest.approx(np.mean(range(4, 11)))
    # with day 15 missing, day 18's average is over the 6 known days 12..18
    known = [12, 13, 14, 16, 17, 18]
    assert series.loc[pd.Timestamp(day(18)), "outbound_clicks_avg7"] == pytest.approx(np.mean(known))


def test_provisional_days_are_the_last_two_at_import_time(store):
    today = dt.datetime.now(dt.UTC).date()
    frame = pd.DataFrame({"entity_type": "account", "entity_id": "",
                          "date": [today - dt.timedelta(days=i) for i in range(5)], "outbound_clicks": 1.0})
    ds = load_history(store, ImportBatch("t", "t", daily=frame))
    s = analysis.summary(ds, Period(today - dt.timedelta(days=4), today))
    assert s["period"]["provisional_days"] == 2
    series = analysis.daily_series(ds, Period(today - dt.timedelta(days=4), today))
    assert list(series["provisional"]) == [False, False, False, True, True]


def test_funnel_steps_divide_only_over_the_days_both_count(store):
    """A Google Analytics month against Pinterest's daily clicks: the share is worked out over the month's days,
    not over the period's (the figures of a 7-day period and of a 30-day download are never divided)."""
    from pinviewer.core import period_summary

    month = Period(day(0), day(29))
    site = pd.DataFrame([{"entity_type": "source", "entity_id": "pinterest.com / referral", "start": day(0),
                          "end": day(29), "sessions": 600.0, "key_events": 12.0}])
    ds = load_history(store, daily_batch({i: {"impressions": 1000.0, "pin_clicks": 30.0, "outbound_clicks": 20.0}
                                          for i in range(30)}), ImportBatch("ga4", "ga4", periods=site))
    week = period_summary.summarise(ds, Period(day(23), day(29)))
    steps = {s.metric: s for s in week.funnel}
    assert [s.metric for s in week.funnel] == ["impressions", "pin_clicks", "outbound_clicks", "sessions",
                                               "key_events"]
    assert steps["outbound_clicks"].rate == pytest.approx(20 / 30)
    assert steps["sessions"].value == 600 and steps["sessions"].greyed  # a month for a week: not the week's own
    assert steps["sessions"].rate == pytest.approx(600 / (20 * 30))  # over the month's 30 days, not 285%
    assert steps["key_events"].rate == pytest.approx(12 / 600)
    assert not period_summary.summarise(ds, month).figures["sessions"].greyed
    other = store.create_profile("gaps")
    store.import_batch(other, daily_batch({i: {"outbound_clicks": 20.0} for i in range(10)}), file_name="a.csv",
                       sha256="a")
    store.import_batch(other, ImportBatch("ga4", "ga4", periods=site), file_name="b.csv", sha256="b")
    gap = store.load(other)
    step = {s.metric: s for s in period_summary.summarise(gap, month).funnel}["sessions"]
    assert step.rate is None and "not known for all those days" in step.note


def pins_batch(rows, start=day(0), end=day(29)) -> ImportBatch:
    periods = pd.DataFrame([{"entity_type": "pin", "entity_id": pid, "start": start, "end": end,
                             "impressions": imp, "outbound_clicks": oc, "saves": sv}
                            for pid, imp, oc, sv, _ in rows])
    entities = pd.DataFrame([{"entity_type": "pin", "entity_id": pid, "title": f"Pin {pid}", "link": link}
                             for pid, *_, link in rows])
    return ImportBatch("pins", "pins", periods=periods, entities=entities)


def test_top_pins_by_clicks_and_rate_floor(store):
    rows = [("a", 10000, 50, 10, "https://blog.example/a/"), ("b", 50, 20, 1, "https://blog.example/b/"),
            ("c", 2000, 60, 5, "https://blog.example/c/")]
    ds = load_history(store, pins_batch(rows))
    table, covered = analysis.pins(ds, Period(day(0), day(29)))
    assert covered == Period(day(0), day(29))
    assert list(analysis.top_pins(table, "outbound_clicks")["pin_id"]) == ["c", "a", "b"]
    # b has the best rate (40%) but only 50 impressions: below the floor it is not ranked by rate
    assert list(analysis.top_pins(table, "outbound_click_rate")["pin_id"]) == ["c", "a"]
    s = analysis.summary(ds, Period(day(0), day(29)))
    assert s["top_pins"][0] == {"pin_id": "c", "title": "Pin c", "link": "https://blog.example/c/",
                                "impressions": 2000, "saves": 5, "outbound_clicks": 60,
                                "outbound_click_rate": pytest.approx(0.03)}
    assert s["top_pins_cover"]["start"] == day(0).isoformat()


def test_pin_figures_come_from_the_export_that_overlaps_most(store):
    march = pins_batch([("a", 100, 1, 0, None)], day(0), day(30))
    april = pins_batch([("a", 200, 7, 0, None)], day(31), day(60))
    ds = load_history(store, march, april)
    table, covered = analysis.pins(ds, Period(day(35), day(64)))
    assert covered == Period(day(31), day(60)) and table["outbound_clicks"].tolist() == [7]


def test_posts_group_pins_by_normalised_destination(store):
    rows = [("a", 100, 5, 1, "https://www.blog.example/lemon/?utm_source=pinterest"),
            ("b", 100, 7, 1, "http://blog.example/lemon#top"),
            ("c", 100, 1, 1, "https://blog.example/other/")]
    ds = load_history(store, pins_batch(rows))
    table, _ = analysis.posts(ds, Period(day(0), day(29)))
    lemon = table.set_index("url").loc["https://blog.example/lemon"]
    assert lemon["pins"] == 2 and lemon["outbound_clicks"] == 12


def test_site_figures_only_count_pinterest_sources(store):
    periods = pd.DataFrame([
        {"entity_type": "source", "entity_id": s, "start": day(0), "end": day(29), "sessions": n,
         "key_events": k, "revenue": r}
        for s, n, k, r in (("pinterest.com / referral", 900, 20, 100.0), ("pin.it / referral", 100, 1, 5.0),
                           ("google / organic", 5000, 80, 900.0))])
    ds = load_history(store, daily_batch({i: {"outbound_clicks": 40} for i in range(30)}),
              ImportBatch("ga4", "ga4", periods=periods))
    s = analysis.summary(ds, Period(day(0), day(29)))
    assert s["site"]["sessions"] == 1000 and s["site"]["key_events"] == 21 and s["site"]["revenue"] == 105
    assert [step["metric"] for step in s["funnel"]][-2:] == ["sessions", "key_events"]
    assert s["figures"]["revenue"]["value"] == 105 and s["figures"]["revenue"]["source"] == "Google Analytics"


def test_posts_meet_ga4_landing_pages_on_the_path(store):
    rows = [("a", 100, 5, 1, "https://www.blog.example/lemon/?utm_source=pinterest"),
            ("b", 100, 3, 1, "https://blog.example/other/")]
    landing = pd.DataFrame([{"entity_type": "post", "entity_id": page, "start": day(0), "end": day(29),
                             "sessions": n, "key_events": k}
                            for page, n, k in (("/lemon", 40, 3), ("/only-google-knows", 7, 0))])
    ds = load_history(store, pins_batch(rows), ImportBatch("ga4", "ga4", periods=landing))
    table, covered = analysis.posts(ds, Period(day(0), day(29)))
    by_url = table.set_index("url")
    assert by_url.loc["https://blog.example/lemon", "sessions"] == 40
    assert by_url.loc["https://blog.example/lemon", "key_events"] == 3
    assert np.isnan(by_url.loc["https://blog.example/other", "sessions"])
    assert by_url.loc["/only-google-knows", "pins"] == 0  # a page with Pinterest visits but no Pin we know
    assert covered == Period(day(0), day(29))
