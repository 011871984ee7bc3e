"""Google Analytics 4 exports: traffic acquisition, landing pages, daily tables, localised preambles."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from pinviewer.core.formats import detect, read
from pinviewer.core.formats.ga4 import combine
from pinviewer.core.formats.urls import is_pinterest_source

DATA = Path(__file__).parent / "data"
SOURCE_MEDIUM = DATA / "samples" / "ga4_traffic_acquisition_source_medium.csv"
CHANNEL = DATA / "samples" / "ga4_traffic_acquisition_channel_group.csv"
LANDING = DATA / "formats" / "ga4_landing_page.csv"
LANDING_SOURCE = DATA / "formats" / "ga4_landing_page_source_medium.csv"
MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))

PREAMBLE = """# ----------------------------------------
# Traffic acquisition: Session source / medium
# Account: Example Blog
# Property: example-blog.com - GA4
# ----------------------------------------
# 
# All Users
# Start date: 20250301
# End date: 20250331
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_source_medium_sample():
    batch = read(SOURCE_MEDIUM)
    assert batch.format == "ga4_traffic" and batch.confidence == 1.0
    periods = batch.periods.set_index("entity_id")
    assert set(batch.periods["entity_type"]) == {"source"}
    assert list(periods.index) == ["google / organic", "pinterest.com / referral", "(direct) / (none)",
                                   "pin.it / referral", "newsletter / email", "bing / organic"]
    assert periods.loc["pinterest.com / referral", "sessions"] == 9120
    assert periods.loc["pinterest.com / referral", "key_events"] == 121
    assert periods.loc["pinterest.com / referral", "site_engagement_rate"] == pytest.approx(0.589912)
    assert periods.loc["pin.it / referral", "revenue"] == 31.5
    assert set(batch.periods["start"]) == {MARCH[0]} and set(batch.periods["end"]) == {MARCH[1]}
    assert batch.period == MARCH
    # the Grand total row is not a source, but is kept for checks
    assert "Grand total" not in periods.index
    assert batch.meta["totals"][0]["values"]["sessions"] == 41210
    # the second table: daily sessions of the whole site
    assert batch.daily["date"].tolist() == [dt.date(2025, 3, 1), dt.date(2025, 3, 2), dt.date(2025, 3, 3)]
    assert batch.daily["sessions"].tolist() == [1302, 1417, 1288]
    assert set(batch.daily["entity_type"]) == {"site"} and set(batch.daily["entity_id"]) == {"all"}
    assert batch.source_rows == 9
    assert batch.unrecognised == [] and batch.problems == []
    assert batch.meta["title"] == "Traffic acquisition: Session source / medium"
    pinterest = [s for s in batch.periods["entity_id"] if is_pinterest_source(s)]
    assert pinterest == ["pinterest.com / referral", "pin.it / referral"]


def test_channel_group_sample():
    batch = read(CHANNEL)
    assert batch.format == "ga4_traffic"
    assert batch.periods["entity_type"].unique().tolist() == ["channel"]
    assert batch.periods["entity_id"].tolist() == ["Organic Search", "Organic Social", "Direct", "Email"]
    assert not batch.fatal_problems
    [warning] = batch.warnings
    assert "Session source / medium" in warning.message and "other social networks" in warning.message


def test_detect_ga4_samples():
    assert detect(SOURCE_MEDIUM).format == "ga4_traffic"
    assert detect(CHANNEL).confidence == 1.0
    assert detect(LANDING).format == "ga4_landing" and detect(LANDING_SOURCE).format == "ga4_landing"


@pytest.mark.parametrize("text, expected", [
    # Pinterest itself, its short links and its country domains
    ("pinterest.com / referral", True), ("pin.it / referral", True), ("Pinterest / social", True),
    ("pinterest / social", True), ("Pinterest", True), ("pinterest / cpc", True), ("pin.it", True),
    ("uk.pinterest.com / referral", True), ("www.pinterest.com / referral", True), ("l.pinterest.com / referral", True),
    ("de.pinterest.com / referral", True), ("pinterest.de / referral", True), ("pinterest.fr / referral", True),
    ("pinterest.co.uk / referral", True), ("pinterest.com.au / referral", True), ("pinterest.ca / referral", True),
    ("pinterest.jp / referral", True), ("br.pinterest.com / referral", True), ("PINTEREST.COM / Referral", True),
    ("https://www.pinterest.com/pin/123/", True),
    # Pinterest's sign-in redirect and its other sites send no visitors from Pins
    ("accounts-oauth.pinterest.com / referral", False), ("accounts.pinterest.com / referral", False),
    ("business.pinterest.com / referral", False), ("help.pinterest.com / referral", False),
    ("developers.pinterest.com / referral", False), ("ads.pinterest.com / referral", False),
    ("analytics.pinterest.com / referral", False), ("newsroom.pinterest.com / referral", False),
    # hosts that merely contain the word, and everything else
    ("notpinterest.com / referral", False), ("pinterest-fans.example / referral", False),
    ("mypinterestblog.com / referral", False), ("pinit.example / referral", False),
    ("google / organic", False), ("spin.itunes / referral", False), ("(direct) / (none)", False),
])
def test_is_pinterest_source(text, expected):
    assert is_pinterest_source(text) is expected


# ---- landing pages ----------------------------------------------------------------------------------------

def test_landing_page_without_source():
    batch = read(LANDING)
    assert batch.format == "ga4_landing"
    pages = batch.periods.set_index("entity_id")
    assert set(batch.periods["entity_type"]) == {"page"}
    # two rows that differ only by utm_* parameters are one page
    assert pages.loc["/lemon-chicken", "sessions"] == 6120 + 2310
    assert pages.loc["/lemon-chicken", "revenue"] == 522.5
    assert pages.loc["/lemon-chicken", "site_engagement_rate"] == pytest.approx((3980 + 1405) / (6120 + 2310),
                                                                                abs=1e-5)
    assert pages.loc["/", "sessions"] == 9800 and pages.loc["(not set)", "sessions"] == 1200
    # the blank first cell right after the header is GA4's grand total
    assert batch.meta["totals"][0]["values"]["sessions"] == 41210
    assert len(batch.periods) == 5 and batch.source_rows == 6 + 2
    [warning] = batch.warnings
    assert "no session source column" in warning.message
    assert batch.daily["sessions"].tolist() == [1302, 1417]


def test_landing_page_with_source():
    batch = read(LANDING_SOURCE)
    assert not batch.problems
    posts = batch.periods[batch.periods["entity_type"] == "post"].set_index("entity_id")
    pages = batch.periods[batch.periods["entity_type"] == "page"].set_index("entity_id")
    assert list(posts.index) == ["/lemon-chicken", "/reading-nooks", "/sourdough"]
    assert posts.loc["/lemon-chicken", "sessions"] == 3100 + 400  # pinterest.com and pin.it
    assert posts.loc["/lemon-chicken", "site_engagement_rate"] == pytest.approx((1860 + 200) / 3500)
    assert posts.loc["/lemon-chicken", "revenue"] == 170
    assert math.isnan(posts.loc["/sourdough", "key_events"])  # '-' in the file
    # pages: all traffic, whatever the source
    assert pages.loc["/lemon-chicken", "sessions"] == 3100 + 400 + 2620
    assert pages.loc["/sourdough", "sessions"] == 2950 + 2510
    assert pages.loc["/", "sessions"] == 9800
    assert batch.meta["pinterest_rows"] == 4
    assert batch.meta["totals"][0]["values"]["sessions"] == 25284
    assert batch.unrecognised == []


def test_combine_weights_rates_by_sessions():
    import pandas as pd

    frame = pd.DataFrame({"entity_type": ["page", "page"], "entity_id": ["/a", "/a"], "sessions": [100.0, 300.0],
                          "site_engagement_rate": [0.5, 0.1], "users": [80.0, 200.0], "key_events": [1.0, 2.0]})
    out = combine(frame, ["entity_type", "entity_id"])
    assert out["sessions"].tolist() == [400] and out["key_events"].tolist() == [3]
    assert out["site_engagement_rate"].tolist() == pytest.approx([(50 + 30) / 400])
    assert math.isnan(out["users"].iloc[0])  # people may have come both ways: not a sum


# ---- variants ---------------------------------------------------------------------------------------------

def test_french_preamble_and_headers(tmp_path):
    text = ("# ----------------------------------------\n"
            "# Acquisition de trafic : Source/Support de la session\n"
            "# Compte : Mon blog\n"
            "# Date de début : 20250301\n"
            "# Date de fin : 20250331\n"
            "Source/Support de la session,Sessions,Sessions avec engagement,Taux d'engagement,Événements clés,"
            "Revenu total\n"
            "Total général,100,60,0.6,3,10\n"
            "pinterest.com / referral,40,30,0.75,2,10\n"
            "google / organic,60,30,0.5,1,0\n")
    batch = read(write(tmp_path, "acquisition.csv", text))
    assert batch.period == MARCH and batch.format == "ga4_traffic"
    assert batch.periods["key_events"].tolist() == [2, 1]
    assert batch.periods["site_engagement_rate"].tolist() == [0.75, 0.5]
    assert len(batch.meta["totals"]) == 1 and not batch.problems


def test_german_preamble(tmp_path):
    text = ("# Traffic-Akquisition: Sitzung – Quelle/Medium\n# Startdatum: 20250301\n# Enddatum: 20250331\n"
            "Sitzung – Quelle/Medium,Sitzungen,Schlüsselereignisse\npinterest.com / referral,40,2\n")
    batch = read(write(tmp_path, "de.csv", text))
    assert batch.period == MARCH and batch.periods["sessions"].tolist() == [40]


def test_older_header_with_conversions_and_users(tmp_path):
    text = PREAMBLE + ("Session source / medium,Users,Sessions,Engaged sessions per user,Conversions (purchase)\n"
                       "pinterest.com / referral,80,100,0.5,4\n")
    batch = read(write(tmp_path, "old.csv", text))
    assert batch.periods["key_events"].tolist() == [4] and batch.periods["users"].tolist() == [80]
    assert batch.unrecognised == ["Engaged sessions per user"]
    assert batch.confidence < 1.0


def test_blank_first_cell_after_header_is_the_total(tmp_path):
    text = PREAMBLE + "Session source / medium,Sessions\n,150\npinterest.com / referral,100\ngoogle / organic,50\n"
    batch = read(write(tmp_path, "t.csv", text))
    assert batch.periods["entity_id"].tolist() == ["pinterest.com / referral", "google / organic"]
    assert batch.source_rows == 2 and batch.meta["totals"][0]["values"]["sessions"] == 150


def test_missing_dates_are_fatal_unless_given(tmp_path):
    path = write(tmp_path, "nodates.csv", "Session source / medium,Sessions\npinterest.com / referral,100\n")
    batch = read(path)
    assert "which dates this Google Analytics file covers" in batch.fatal_problems[0].message
    batch = read(path, period=MARCH)
    assert not batch.problems and set(batch.periods["end"]) == {MARCH[1]}


def test_daily_table_only(tmp_path):
    text = PREAMBLE + "Date,Sessions,Engaged sessions\n20250302,20,10\n20250301,10,5\n"
    found = detect(write(tmp_path, "daily.csv", text))
    assert found.format == "ga4_daily"
    batch = read(tmp_path / "daily.csv")
    assert batch.daily["date"].tolist() == [dt.date(2025, 3, 2), dt.date(2025, 3, 1)]
    assert set(batch.daily["entity_id"]) == {"all"} and batch.period == MARCH


def test_exploration_with_date_and_source(tmp_path):
    text = ("# Free form\n# Start date: 20250301\n# End date: 20250302\n"
            "Session source / medium,Date,Sessions\npinterest.com / referral,20250301,5\n"
            "pinterest.com / referral,20250302,7\ngoogle / organic,20250301,9\n")
    batch = read(write(tmp_path, "explore.csv", text))
    assert len(batch.periods) == 0
    assert batch.daily[["entity_id", "sessions"]].values.tolist() == [["pinterest.com / referral", 5],
                                                                      ["pinterest.com / referral", 7],
                                                                      ["google / organic", 9]]
    assert set(batch.daily["entity_type"]) == {"source"}


def test_same_source_twice_with_different_figures(tmp_path):
    text = PREAMBLE + "Session source / medium,Sessions\npinterest.com / referral,100\npinterest.com / referral,90\n"
    batch = read(write(tmp_path, "twice.csv", text))
    [problem] = batch.fatal_problems
    assert "pinterest.com / referral" in problem.message and "rows 11, 12" in problem.message


def test_rates_in_percent(tmp_path):
    text = PREAMBLE + "Session source / medium,Sessions,Engaged sessions,Engagement rate\npinterest.com,100,60,60.00%\n"
    batch = read(write(tmp_path, "pct.csv", text))
    assert batch.periods["site_engagement_rate"].tolist() == [0.6]


def test_landing_page_by_day_and_source(tmp_path):
    text = ("# Exploration\n# Start date: 20250301\n# End date: 20250302\n"
            "Landing page,Session source / medium,Date,Sessions\n"
            "/a/,pinterest.com / referral,20250301,5\n/a/,google / organic,20250301,7\n"
            "/a/,pinterest.com / referral,2025x,9\n/b/,pin.it / referral,20250302,3\n"
            "/a?utm_source=x,pinterest.com / referral,20250301,1\n")
    batch = read(write(tmp_path, "lp.csv", text))
    assert batch.daily[["entity_type", "entity_id", "sessions"]].values.tolist() == [
        ["post", "/a", 6], ["post", "/b", 3], ["page", "/a", 13], ["page", "/b", 3]]
    assert [(p.row, p.message) for p in batch.fatal_problems] == [(7, "'2025x' is not a date I can read.")]


def test_a_dimension_the_report_does_not_use_is_listed(tmp_path):
    text = PREAMBLE + ("Session source / medium,Session default channel group,Sessions\n"
                       "pinterest.com / referral,Organic Social,100\n")
    batch = read(write(tmp_path, "two.csv", text))
    assert batch.periods["entity_id"].tolist() == ["pinterest.com / referral"]
    assert batch.unrecognised == ["Session default channel group"]
