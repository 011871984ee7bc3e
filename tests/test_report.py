"""What the one-page summary says (pinviewer.core.report), on constructed data whose answers are known.

Qt-free. The builders here are also used by test_report_pdf.py.
"""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from conftest import load_history
from pinviewer.core import report as rep
from pinviewer.core import wording
from pinviewer.core.analysis import Period
from pinviewer.core.errors import PinviewerError
from pinviewer.core.formats.model import ImportBatch
from pinviewer.core.store import Store

D0 = dt.date(2025, 3, 3)  # a Monday
SITE = "https://sweetcrumbs.example"
LONG_TITLE = ("The ultimate guide to a cozy autumn reading nook with fairy lights, thrifted armchairs, "
              "layered blankets, a tiny bookshelf and a tea station that everyone will love all winter long "
              "TAILWORDS")

# Pin id -> title, outbound clicks in the previous 14 days and in the period
PINS = {
    "101": ("Easy one-pan lemon chicken", 20, 80),
    "102": ("10 cozy reading nooks", 30, 35),
    "103": ("Sourdough starter in 7 days", 40, 40),
    "104": ("Printable meal planner", 0, 10),
    "105": (LONG_TITLE, 0, 0),
}


def day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


PERIOD = Period(day(14), day(27))
PREVIOUS = Period(day(0), day(13))


def account_batch(days, clicks_before=10.0, clicks_now=15.0, split=14) -> ImportBatch:
    rows = []
    for i in days:
        now = i >= split
        rows.append({"entity_type": "account", "entity_id": "", "date": day(i), "impressions": 1000.0 + 10 * i,
                     "engagements": 80.0, "pin_clicks": 30.0, "outbound_clicks": clicks_now if now else clicks_before,
                     "saves": 22.0 if now else 20.0})
    return ImportBatch("pinterest_overview", "Pinterest account overview", daily=pd.DataFrame(rows))


def pins_batch(period: Period, which: int, pins=PINS) -> ImportBatch:
    """A top-Pins export over ``period``; which=1 uses the previous figures, 2 the period's."""
    rows, info = [], []
    for pin_id, (title, before, now) in pins.items():
        clicks = float(before if which == 1 else now)
        rows.append({"entity_type": "pin", "entity_id": pin_id, "start": period.start, "end": period.end,
                     "impressions": 2000.0 if pin_id != "104" else 300.0, "outbound_clicks": clicks,
                     "saves": 10.0 + int(pin_id) % 7, "pin_clicks": 40.0})
        slug = "lemon-chicken" if pin_id in ("101", "104") else f"post-{pin_id}"
        info.append({"entity_type": "pin", "entity_id": pin_id, "title": title, "board": "Dinners",
                     "link": f"{SITE}/{slug}/?utm_source=pinterest"})
    return ImportBatch("pinterest_top_pins", "Pinterest top Pins", periods=pd.DataFrame(rows),
                       entities=pd.DataFrame(info))


def site_batch(period: Period, sessions: float, key_events: float) -> ImportBatch:
    rows = [{"entity_type": "source", "entity_id": "pinterest.com / referral", "start": period.start,
             "end": period.end, "sessions": sessions, "key_events": key_events, "revenue": 12.5},
            {"entity_type": "source", "entity_id": "google / organic", "start": period.start, "end": period.end,
             "sessions": 999.0, "key_events": 99.0, "revenue": 0.0}]
    return ImportBatch("ga4_traffic", "Google Analytics traffic acquisition", periods=pd.DataFrame(rows))


def posts_batch(period: Period) -> ImportBatch:
    rows = [{"entity_type": "post", "entity_id": f"{SITE}/lemon-chicken", "start": period.start, "end": period.end,
             "sessions": 61.0, "key_events": 4.0}]
    return ImportBatch("ga4_landing", "Google Analytics landing pages", periods=pd.DataFrame(rows))


def small_dataset(store: Store):
    """28 days: outbound clicks 10 a day, then 15 (+50%); one Pin made most of the rise; GA4 for both halves."""
    return load_history(store, account_batch(range(28)), pins_batch(PREVIOUS, 1), pins_batch(PERIOD, 2),
                      site_batch(PREVIOUS, 100.0, 6.0), site_batch(PERIOD, 150.0, 9.0), posts_batch(PERIOD))


# ------------------------------------------------------------------------------------------- formatting
def test_numbers_are_written_one_way():
    from pinviewer.core import wording as w

    assert w.format_count(1284.0) == "1,284" and w.format_count(246000) == "246,000"
    assert w.format_count(None) == w.NO_FIGURE and w.format_count(float("nan")) == w.NO_FIGURE
    assert [w.format_rate(v) for v in (0.0052, 0.021, 0.794, 0.0)] == ["0.52%", "2.1%", "79%", "0.00%"]
    assert w.format_rate(0.00001) == "<0.01%"
    assert w.format_change(0.18) == "+18%" and w.format_change(-0.004) == "\u22120.4%"
    assert w.format_change(0.0) == "\u00b10%" and w.format_change(None) == ""
    assert w.format_points(0.0052, 0.0055) == "\u22120.03 pts"
    assert w.format_points(0.0082, 0.0077) == "+0.05 pts"
    assert w.format_period(Period(dt.date(2025, 10, 26), dt.date(2025, 11, 24))) == \
        "26 October \u2013 24 November 2025"
    assert w.format_period(Period(dt.date(2025, 11, 1), dt.date(2025, 11, 22))) == "1\u201322 November 2025"
    assert w.format_period(Period(dt.date(2024, 12, 20), dt.date(2025, 1, 5))) == \
        "20 December 2024 \u2013 5 January 2025"
    assert w.format_period(Period(dt.date(2025, 11, 1), dt.date(2025, 11, 1))) == "1 November 2025"
    assert [w.format_compact(v) for v in (950, 9999, 12_345, 103_456, 246_000, 1_234_567, 123_456_789)] == \
        ["950", "9,999", "12.3k", "103.5k", "246k", "1.2M", "123.5M"]
    assert w.format_money(1234.5, "EUR") == "\u20ac1,234.50" and w.format_money(10, "CHF") == "CHF 10.00"
    assert w.parse_english_date("Mar 1, 2025") == dt.date(2025, 3, 1)
    assert w.parse_english_date("Sat, March 1, 2025") == dt.date(2025, 3, 1)
    assert w.parse_english_date("01-Mar-25") == dt.date(2025, 3, 1) and w.parse_english_date("1 März 2025") is None


# ---------------------------------------------------------------------------------------------- cards
def test_cards_carry_the_summary_figures_and_their_changes(store):
    ds = small_dataset(store)
    r = rep.build_report(ds, PERIOD, made_on=dt.date(2025, 4, 1))
    s = r.summary
    assert [c.metric for c in r.cards] == ["outbound_clicks", "saves", "key_events", "outbound_click_rate",
                                          "save_rate"]
    cards = {c.metric: c for c in r.cards}
    assert cards["outbound_clicks"].value == s["totals"]["outbound_clicks"] == 15 * 14
    assert cards["outbound_clicks"].previous == 10 * 14
    assert cards["outbound_clicks"].change_text() == "+50%" and cards["outbound_clicks"].direction == 1
    assert cards["outbound_clicks"].previous_text() == "from 140"
    assert cards["saves"].change_text() == "+10%"
    assert cards["key_events"].value == 9 and cards["key_events"].change_text() == "+50%"
    assert cards["outbound_click_rate"].value == pytest.approx(s["rates"]["outbound_click_rate"])
    assert cards["outbound_click_rate"].change_text().endswith(" pts")
    assert r.impressions.value == s["totals"]["impressions"]
    assert r.context.startswith("For context: your Pins appeared 16,870 times on screens (impressions, +13%).")
    assert r.title == f"{s['profile']} on Pinterest"
    assert r.period_text == "17\u201330 March 2025"
    assert r.compared_text() == "compared with the 14 days before"
    assert r.made_on == dt.date(2025, 4, 1)
    assert r.file_name == "My blog - Pinterest summary 2025-03-17 to 2025-03-30.pdf"


def test_no_conversions_card_without_google_analytics(store):
    ds = load_history(store, account_batch(range(28)))
    r = rep.build_report(ds, PERIOD)
    assert "key_events" not in [c.metric for c in r.cards] and len(r.cards) == 4
    assert r.funnel[-1]["metric"] == "outbound_clicks"


def test_exports_of_other_lengths_are_never_scaled_nor_compared(store):
    ds = load_history(store, account_batch(range(28)), site_batch(Period(day(0), day(6)), 50.0, 7.0),
                      site_batch(PERIOD, 150.0, 9.0))
    card = {c.metric: c for c in rep.build_report(ds, PERIOD).cards}["key_events"]
    assert card.value == 9 and card.previous is None and card.change_text() == ""
    assert card.previous_text() == "not compared: 14 days against 7 days"


def test_exports_that_cover_a_range_are_added_up(store):
    """Two monthly Google Analytics downloads for a period across both: their sum, with the days they count."""
    first, second = Period(day(0), day(13)), Period(day(14), day(27))
    ds = load_history(store, account_batch(range(28)), site_batch(first, 100.0, 6.0), site_batch(second, 150.0, 9.0))
    r = rep.build_report(ds, Period(day(0), day(27)))
    card = {c.metric: c for c in r.cards}["key_events"]
    assert card.value == 15 and not card.greyed
    few = {c.metric: c for c in rep.build_report(ds, Period(day(10), day(16))).cards}["key_events"]
    # no download matches a 7-day period across both: the nearer one, greyed, with the days it counts
    assert few.value == 6 and few.greyed and few.previous is None
    assert few.previous_text() == "Google Analytics: 3\u201316 Mar 2025, for your 13\u201319 Mar 2025"


# ------------------------------------------------------------------------------------------- sentences
def test_the_pin_that_made_the_rise_is_named(store):
    r = rep.build_report(small_dataset(store), PERIOD)
    first = r.sentences[0]
    assert first.startswith("Outbound clicks rose 50% compared with the previous 14 days (210, up from 140)")
    # pins: 90 -> 165 clicks, +75; "Easy one-pan lemon chicken" +60 is 80% of it
    assert "\u201cEasy one-pan lemon chicken\u201d made 80% of the rise" in first
    assert any(s.startswith("Saves held steady compared with the previous 14 days (308, +10%)")  # 308 vs 280: noise
               for s in r.sentences)
    assert "Visitors from Pinterest made 9 conversions (sign-ups, sales) on your site: 6.0% of 150 visits; " \
           "conversions held steady (+50% against 6)." in r.sentences  # 9 against 6: within counting noise
    assert 3 <= len(r.sentences) <= 4


def test_a_fall_names_the_pins_that_lost_most(store):
    pins = {"1": ("Garlic noodles", 90, 20), "2": ("Lemon cake", 60, 10), "3": ("Reading corner", 30, 30),
            "4": ("Peppermint bark", 20, 19)}
    ds = load_history(store, account_batch(range(28), clicks_before=15.0, clicks_now=6.0),
                    pins_batch(PREVIOUS, 1, pins), pins_batch(PERIOD, 2, pins))
    first = rep.build_report(ds, PERIOD).sentences[0]
    assert first.startswith("Outbound clicks fell 60% compared with the previous 14 days (84, down from 210)")
    # pins: 200 -> 79, -121; noodles -70 alone is 58%
    assert "\u201cGarlic noodles\u201d made 58% of the fall" in first


def test_several_pins_share_a_rise(store):
    pins = {str(i): (f"Pin number {i}", 10, 10 + d) for i, d in enumerate((30, 25, 20, 15, 10, 10, 10))}
    ds = load_history(store, account_batch(range(28)), pins_batch(PREVIOUS, 1, pins), pins_batch(PERIOD, 2, pins))
    first = rep.build_report(ds, PERIOD).sentences[0]
    # +120 in all; the top three (+75) make 62%
    assert "three Pins made 62% of the rise: \u201cPin number 0\u201d, \u201cPin number 1\u201d and " \
           "\u201cPin number 2\u201d" in first


def test_no_pins_are_named_when_one_export_covers_both_periods(store):
    ds = load_history(store, account_batch(range(28)), pins_batch(Period(day(0), day(27)), 2))
    r = rep.build_report(ds, PERIOD)
    assert r.sentences[0].endswith("(210, up from 140).")
    assert r.pins_cover == Period(day(0), day(27))
    assert any("Pin and post figures add up the top-Pins exports of 3\u201330 Mar 2025" in n for n in r.notes)


def test_steady_and_small_numbers_are_said_plainly(store, tmp_path):
    ds = load_history(store, account_batch(range(28), clicks_before=10.0, clicks_now=10.2))
    assert rep.build_report(ds, PERIOD).sentences[0] == \
        "Outbound clicks held steady compared with the previous 14 days (143, +2%)."
    with Store.open(tmp_path / "small.sqlite") as other:
        ds = load_history(other, account_batch([24, 25, 26, 27], clicks_before=2.0, clicks_now=3.0, split=26))
    r = rep.build_report(ds, Period(day(26), day(27)))
    assert "Outbound clicks held steady compared with the previous 2 days (6, +50%); a change this size is " \
        "within what chance does at these numbers." in r.sentences


def test_thin_data_is_honest(store):
    ds = load_history(store, account_batch([20]))
    r = rep.build_report(ds, Period(day(20), day(20)))
    assert r.sentences[0].startswith("This covers a single day")
    assert any("no figures for the period before" in s for s in r.sentences)
    assert any("no Pin figures" in s for s in r.sentences)
    assert all(c.change_text() == "" and c.previous_text() == "nothing to compare with" for c in r.cards)
    assert r.top_pins == [] and r.all_pins == [] and r.top_posts == []
    assert len(r.series) == 1 and r.series[0]["outbound_clicks"] == 15.0


def test_missing_days_are_said(store):
    ds = load_history(store, account_batch([*range(14), 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]))
    assert rep.build_report(ds, PERIOD).sentences[0].startswith("The figures cover 10 of the 14 days")
    series = rep.build_report(ds, PERIOD).series
    assert series[-1]["outbound_clicks"] is None and series[9]["outbound_clicks"] == 15.0


def test_a_period_without_any_figures(store):
    ds = load_history(store, account_batch(range(5)))
    r = rep.build_report(ds, Period(day(100), day(110)))
    assert r.sentences == ["There are no daily figures for this period: import the Pinterest overview export "
                           "that covers it, or choose a period with figures."]
    assert all(row["outbound_clicks"] is None for row in r.series)


def test_nothing_imported_is_an_error_in_words(store):
    with pytest.raises(PinviewerError, match="nothing to summarise"):
        rep.build_report(store.load(store.profile()))


def test_insight_headlines_join_what_changed(store):
    from pinviewer.core import insights

    pins = {str(i): (f"Pin {i}", 0, 20) for i in range(30)}
    pins["99"] = ("Printable meal planner", 0, 25)
    batch = pins_batch(PERIOD, 2, pins)
    batch.periods["impressions"] = [20000.0 + 500 * i for i in range(len(batch.periods))]
    batch.periods.loc[batch.periods["entity_id"] == "99", "impressions"] = 500.0  # 5% of a little
    ds = load_history(store, account_batch(range(28)), batch)
    found = insights.headlines(ds, PERIOD)
    assert any("Printable meal planner" in h for h in found)
    r = rep.build_report(ds, PERIOD)
    assert len(r.sentences) <= 4
    assert any("Printable meal planner" in s for s in r.sentences)


def test_pins_posts_and_funnel(store):
    r = rep.build_report(small_dataset(store), PERIOD)
    assert [p["title"] for p in r.top_pins[:3]] == ["Easy one-pan lemon chicken", "Sourdough starter in 7 days",
                                                    "10 cozy reading nooks"]
    assert r.top_pins[0]["outbound_click_rate"] == pytest.approx(80 / 2000)
    assert len(r.all_pins) == 5 and r.all_pins[-1]["title"] == LONG_TITLE
    post = r.top_posts[0]
    assert post["label"] == "sweetcrumbs.example/lemon-chicken" and post["pins"] == 2
    assert post["outbound_clicks"] == 90 and post["sessions"] == 61
    assert [s["metric"] for s in r.funnel] == ["impressions", "pin_clicks", "outbound_clicks", "sessions",
                                              "key_events"]
    assert r.funnel[3]["rate"] == pytest.approx(150 / 210)
    assert r.revenue == 12.5
    assert r.pins_cover == PERIOD and r.site_cover == PERIOD


def test_provisional_days_get_a_footnote(store):
    today = dt.datetime.now(dt.UTC).date()
    frame = pd.DataFrame({"entity_type": "account", "entity_id": "", "outbound_clicks": 5.0, "saves": 3.0,
                          "impressions": 900.0, "date": [today - dt.timedelta(days=i) for i in range(10)]})
    ds = load_history(store, ImportBatch("t", "t", daily=frame))
    r = rep.build_report(ds, Period(today - dt.timedelta(days=9), today))
    assert r.provisional_days == 2
    assert [row["provisional"] for row in r.series][-3:] == [False, True, True]
    assert any(n.startswith("2 days (shaded in the chart) are provisional") for n in r.notes)


def test_report_agrees_with_summary_json(store, capsys, pinviewer_home):
    """The cards hold exactly what `pinviewer summary --json` prints for the same period."""
    from pinviewer import paths
    from pinviewer.cli import main

    with Store.open(paths.database_path()) as own:
        ds = small_dataset(own)
    assert main(["summary", "--json", "--from", PERIOD.start.isoformat(), "--to", PERIOD.end.isoformat()]) == 0
    printed = json.loads(capsys.readouterr().out)
    r = rep.build_report(ds, PERIOD)
    cards = {c.metric: c for c in r.cards}
    for name in ("outbound_clicks", "saves"):
        assert cards[name].value == printed["totals"][name]
        assert cards[name].change == pytest.approx(printed["change"][name])
    for name in ("outbound_click_rate", "save_rate"):
        assert cards[name].value == pytest.approx(printed["rates"][name])
    assert cards["key_events"].value == printed["site"]["key_events"]
    assert r.impressions.value == printed["totals"]["impressions"]


def test_sources_are_grouped_by_import_day(store):
    small_dataset(store)
    assert rep.describe_sources(store.batches(store.profile())) == [
        "Pinterest account overview, Pinterest top Pins, Google Analytics landing pages and Google Analytics "
        f"traffic acquisition, imported {wording.format_date(dt.datetime.now(dt.UTC).date())}"]
