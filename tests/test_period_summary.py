"""The period summary's rules on small, hand-made histories: which downloads are added up, which days a figure
counts, when it is greyed, when a change is a change, and the profile's currency."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from conftest import load_history
from pinviewer.core import analysis, coverage, currency, period_summary
from pinviewer.core.analysis import Period
from pinviewer.core.errors import PinviewerError
from pinviewer.core.formats.model import ImportBatch

START = dt.date(2026, 1, 1)


def day(i: int) -> dt.date:
    return START + dt.timedelta(days=i)


def n(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def chosen(ranges, period):
    starts = [n(a) for a, _ in ranges]
    ends = [n(b) for _, b in ranges]
    return [ranges[i] for i in coverage.choose(starts, ends, n(period[0]), n(period[1]))]


SEP, OCT, NOV = (dt.date(2026, 9, 1), dt.date(2026, 9, 30)), (dt.date(2026, 10, 1), dt.date(2026, 10, 31)), \
    (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
Q3 = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
SEP_OCT = (dt.date(2026, 9, 1), dt.date(2026, 10, 31))


def test_downloads_that_cover_a_period_are_added_up_not_picked():
    period = (dt.date(2026, 9, 1), dt.date(2026, 11, 22))
    assert chosen([SEP, OCT, NOV], period) == [SEP, OCT, NOV]  # all three, Nov's 8 extra days are fewer
    assert chosen([Q3, SEP, OCT, NOV], period) == [SEP, OCT, NOV]  # the quarter brings 61 days outside
    # the fewest days outside: September alone rather than the quarter it is part of
    assert chosen([Q3, SEP], SEP) == [SEP]
    # the same days either way: the newest downloads win the tie
    assert chosen([SEP_OCT, SEP, OCT], (SEP[0], OCT[1])) == [SEP, OCT]
    # a week inside a month: the month alone (to be greyed), never nothing
    assert chosen([SEP, OCT], (dt.date(2026, 10, 5), dt.date(2026, 10, 11))) == [OCT]
    assert chosen([SEP], (dt.date(2027, 1, 1), dt.date(2027, 1, 31))) == []


def test_a_daily_date_column_is_cut_to_the_period_exactly():
    days = [(day(i), day(i)) for i in range(60)]
    assert chosen(days, (day(10), day(19))) == days[10:20]


def test_cover_says_which_days_and_greys_by_one_rule():
    cover = coverage.make_cover(dt.date(2026, 9, 1), dt.date(2026, 11, 22), [n(a) for a, _ in (SEP, OCT, NOV)],
                                [n(b) for _, b in (SEP, OCT, NOV)])
    assert (cover.inside, cover.outside, cover.greyed) == (83, 8, False)
    assert cover.note("Google Analytics") == "Google Analytics: 1 Sep \u2013 30 Nov 2026, for your 1 Sep \u2013 22 Nov 2026"
    week = coverage.make_cover(dt.date(2026, 10, 5), dt.date(2026, 10, 11), [n(OCT[0])], [n(OCT[1])])
    assert week.greyed  # 24 days beyond a 7-day period: more than half of it again
    half = coverage.make_cover(dt.date(2026, 10, 1), dt.date(2026, 11, 30), [n(OCT[0])], [n(OCT[1])])
    assert not half.greyed and half.inside == 31  # 31 of 61 days: at least half
    less = coverage.make_cover(dt.date(2026, 9, 25), dt.date(2026, 11, 30), [n(OCT[0])], [n(OCT[1])])
    assert less.greyed  # 31 of 67 days: less than half


def _site(start, end, sessions, key_events, source="pinterest.com / referral"):
    return ImportBatch("ga4_traffic", "Google Analytics traffic acquisition", periods=pd.DataFrame(
        [{"entity_type": "source", "entity_id": source, "start": start, "end": end, "sessions": sessions,
          "key_events": key_events}]))


def _account(days, clicks=50.0):
    rows = [{"entity_type": "account", "entity_id": "", "date": day(i), "impressions": 5000.0,
             "outbound_clicks": clicks, "saves": 80.0, "pin_clicks": 90.0} for i in days]
    return ImportBatch("pinterest_overview", "Pinterest account overview", daily=pd.DataFrame(rows))


def test_google_analytics_months_are_added_up_for_a_longer_period(store):
    ds = load_history(store, _account(range(90)), _site(day(0), day(30), 900.0, 20.0),
                      _site(day(31), day(58), 800.0, 15.0), _site(day(59), day(89), 1000.0, 25.0),
                      _site(day(0), day(89), 99_999.0, 999.0, "accounts-oauth.pinterest.com / referral"))
    s = period_summary.summarise(ds, Period(day(0), day(80)))
    visits = s.figures["sessions"]
    assert visits.value == 2700 and s.value("key_events") == 60  # the three months, never the sign-in redirect
    assert visits.cover.ranges[0] == (day(0), day(30)) and len(visits.cover.ranges) == 3
    assert visits.note == "Google Analytics: 1 Jan \u2013 31 Mar 2026, for your 1 Jan \u2013 22 Mar 2026"
    data = period_summary.summary_json(s)
    assert data["site"]["key_events"] == 60 and data["figures"]["sessions"]["covers"]["days_outside"] == 9
    json.dumps(data)  # plain JSON


def test_a_change_must_be_larger_than_counting_noise(store):
    def pair(now, before):
        cover = coverage.daily_cover(day(0), day(29), np.arange(n(day(0)), n(day(30))))
        return period_summary.compare_figures(period_summary.Figure("saves", now, "Pinterest", cover),
                                              period_summary.Figure("saves", before, "Pinterest", cover))

    assert pair(1000.0, 900.0).word == "rose"  # 100 / sqrt(1900) = 2.3
    assert pair(1000.0, 950.0).word == "held steady"  # 50 / sqrt(1950) = 1.1, though 5%
    assert pair(30.0, 20.0).word == "held steady" and pair(30.0, 20.0).text() == "+50%"
    assert pair(10.0, 40.0).word == "fell" and pair(10.0, 40.0).arrow == "\u25bc"
    assert pair(None, 40.0).compared is False and pair(5.0, None).reason == "nothing to compare with"


def test_figures_of_other_lengths_are_not_compared(store):
    ds = load_history(store, _account(range(60)), _site(day(0), day(15), 300.0, 6.0),
                      _site(day(30), day(59), 900.0, 20.0))
    s = period_summary.summarise(ds, Period(day(30), day(59)))
    assert s.figures["sessions"].value == 900 and not s.changes["sessions"].compared
    assert s.changes["sessions"].reason == "30 days against 16 days"
    assert s.changes["outbound_clicks"].compared  # the daily figures cover both periods alike


def test_rates_only_over_the_days_both_figures_know(store):
    rows = [{"entity_type": "account", "entity_id": "", "date": day(i), "impressions": 1000.0,
             "outbound_clicks": 10.0, "saves": (20.0 if i < 5 else None)} for i in range(10)]
    ds = load_history(store, ImportBatch("pinterest_overview", "overview", daily=pd.DataFrame(rows)))
    s = period_summary.summarise(ds, Period(day(0), day(9)))
    assert s.value("saves") == 100 and s.value("save_rate") == pytest.approx(100 / 5000)  # not 100 / 10000
    assert s.value("outbound_click_rate") == pytest.approx(100 / 10000)


def test_pin_downloads_with_one_metric_each_are_added_up_per_metric(store):
    def pins(start, end, metric, values):
        return ImportBatch("pinterest_top_pins", "Pinterest top Pins", periods=pd.DataFrame(
            [{"entity_type": "pin", "entity_id": pid, "start": start, "end": end, metric: v}
             for pid, v in values.items()]))

    ds = load_history(store, _account(range(62)),
                      pins(day(0), day(30), "impressions", {"1": 1000.0, "2": 500.0}),
                      pins(day(0), day(30), "outbound_clicks", {"1": 20.0}),
                      pins(day(31), day(61), "impressions", {"1": 3000.0}),
                      pins(day(31), day(61), "outbound_clicks", {"1": 40.0, "2": 5.0}),
                      pins(day(0), day(61), "saves", {"1": 70.0}))
    table, span = analysis.pins(ds, Period(day(0), day(61)))
    one, two = (table.set_index("pin_id").loc[k] for k in ("1", "2"))
    assert one["impressions"] == 4000 and one["outbound_clicks"] == 60 and one["saves"] == 70
    assert two["impressions"] == 500 and two["outbound_clicks"] == 5  # unknown is not zero: NaN where none said
    assert one["outbound_click_rate"] == pytest.approx(60 / 4000)
    assert span == Period(day(0), day(61))
    month, _ = analysis.pins(ds, Period(day(0), day(30)))
    assert month.set_index("pin_id").loc["1", "saves"] == 70  # the two-month download, the only one saying saves
    assert np.isnan(month.set_index("pin_id").loc["1", "save_rate"])  # saves over 62 days, impressions over 31


def test_the_period_picker_spans_google_analytics_days_and_months_are_calendar_months(store):
    ds = load_history(store, _account(range(20)), _site(day(0), day(58), 900.0, 20.0))
    assert analysis.data_range(ds) == Period(day(0), day(58))  # GA days included
    s = period_summary.summarise(ds, analysis.preset_period(ds, "last_month", today=dt.date(2026, 3, 5)))
    assert s.period == Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert s.notes == ["Your figures stop on 28 February 2026; the days after it are not counted."] or \
        not s.notes  # Google Analytics runs to 28 Feb: no gap
    s = period_summary.summarise(ds, analysis.preset_period(ds, "this_month", today=dt.date(2026, 3, 5)))
    assert s.period == Period(dt.date(2026, 3, 1), dt.date(2026, 3, 5))
    assert s.notes == ["Your figures stop on 28 February 2026; the days after it are not counted."]


def test_currency_is_asked_once_proposed_from_the_locale_and_changeable(store):
    profile = store.profile()
    assert currency.propose("de_DE.UTF-8") == "EUR" and currency.propose("en_GB") == "GBP"
    assert currency.propose("fr_CH") == "CHF" and currency.propose("C") == "USD"
    assert not currency.should_ask(store, profile, has_revenue=False)
    assert currency.should_ask(store, profile, has_revenue=True)
    currency.mark_asked(store, profile)
    assert not currency.should_ask(store, profile, has_revenue=True) and currency.load(store, profile) is None
    assert currency.save(store, profile, "eur") == "EUR" and currency.load(store, profile) == "EUR"
    with pytest.raises(PinviewerError, match="three letters"):
        currency.save(store, profile, "euros")


def test_revenue_is_shown_in_the_profiles_currency(store, capsys, pinviewer_home):
    from pinviewer import paths
    from pinviewer.cli import main
    from pinviewer.core.store import Store

    with Store.open(paths.database_path()) as own:
        batch = ImportBatch("ga4_traffic", "ga4", periods=pd.DataFrame([{
            "entity_type": "source", "entity_id": "pinterest.com / referral", "start": day(0), "end": day(29),
            "sessions": 900.0, "key_events": 20.0, "revenue": 1234.5}]))
        load_history(own, _account(range(30)), batch)
        name = own.profile().name
    assert main(["profiles", "currency", name, "EUR"]) == 0
    capsys.readouterr()
    assert main(["summary", "--from", day(0).isoformat(), "--to", day(29).isoformat()]) == 0
    assert "\u20ac1,234.50" in capsys.readouterr().out
    assert main(["summary", "--json", "--from", day(0).isoformat(), "--to", day(29).isoformat()]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["currency"] == "EUR" and data["site"]["revenue"] == 1234.5
