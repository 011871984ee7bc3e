"""The season planner and the boards insight, on histories shaped like Pinterest's real exports.

Pins come as ``periods`` rows, one per Pin per monthly download, only the export's sort metric filled and only
the month's top 50 Pins listed (a Pin missing from a month is unknown, not 0); boards as ``periods`` rows with
all five metrics and ``entities`` rows with a readable ``name`` and the board's ``url``.
"""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from conftest import load_history
from pinviewer.core import insights
from pinviewer.core.analysis import Period
from pinviewer.core.formats.model import ImportBatch
from pinviewer.core.insights import boards, seasons

XMAS = {10: 150, 11: 400, 12: 600}  # the seasonal Pin's clicks by month; 10 a month otherwise


def months(first: tuple[int, int], n: int) -> list[tuple[dt.date, dt.date]]:
    out, (y, m) = [], first
    for _ in range(n):
        nxt = (y + (m == 12), m % 12 + 1)
        out.append((dt.date(y, m, 1), dt.date(*nxt, 1) - dt.timedelta(days=1)))
        y, m = nxt
    return out


def top_pins(start, end, figures: dict[str, float], metric="outbound_clicks", top=50) -> ImportBatch:
    """One monthly Top Pins download: the best ``top`` Pins by ``metric``, only that metric filled."""
    best = sorted(figures.items(), key=lambda kv: -kv[1])[:top]
    periods = pd.DataFrame([{"entity_type": "pin", "entity_id": pid, "start": start, "end": end, metric: float(v)}
                            for pid, v in best])
    entities = pd.DataFrame([{"entity_type": "pin", "entity_id": pid, "title": TITLES.get(pid, f"Pin {pid}"),
                              "link": f"https://blog.example/{pid}/", "created": CREATED.get(pid)} for pid, _ in best])
    return ImportBatch("pinterest_export", "export", periods=periods, entities=entities)


TITLES = {"xmas": "Christmas cookie box", "once": "Viral once", "summer": "Summer salads", "new": "New hit"}
CREATED = {"xmas": "2023-05-02", "new": "2025-09-20"}  # as sync gives them (Pinterest's exports don't)


def account_days(first: dt.date, last: dt.date) -> ImportBatch:
    days = pd.date_range(first, last).date
    return ImportBatch("pinterest_export", "export", daily=pd.DataFrame(
        {"entity_type": "account", "entity_id": "", "date": days, "outbound_clicks": 3000.0}))


def history(ranges, special: dict[str, dict[int, float]], seed=1, last_day=None, skip=()) -> list[ImportBatch]:
    """Monthly top-50 downloads: 60 steady Pins (40-217 clicks a month) and ``special`` Pins whose clicks per
    month follow their table (10 a month in the other months, below every list's cutoff)."""
    rng = np.random.default_rng(seed)
    batches = []
    for start, end in ranges:
        figures = {f"p{i}": rng.poisson(40 + 3 * i) for i in range(60)}
        for pid, table in special.items():
            figures[pid] = rng.poisson(table.get((start.year, start.month), table.get(start.month, 10)))
        if start not in skip:
            batches.append(top_pins(start, end, figures))
    batches.append(account_days(ranges[0][0], last_day or ranges[-1][1]))
    return batches


def test_two_years_of_monthly_downloads_find_the_christmas_pin(store):
    # August 2024 to July 2026, and daily figures up to 10 August 2026: "today" is 10 August 2026
    ds = load_history(store, *history(months((2024, 8), 24), {"xmas": XMAS}, last_day=dt.date(2026, 8, 10)))
    result = seasons.season_planner(ds)
    assert [(f["kind"], f["id"]) for f in result["findings"]] == [("pin", "xmas")]  # none of the 60 steady Pins
    found = result["findings"][0]
    assert (found["last_start"], found["last_peak_range"], found["next_start"], found["pin_by"]) == \
        ("2025-10-01", ["2025-12-01", "2025-12-31"], "2026-10-01", "2026-08-20")
    assert found["years_seen"] == 2 and found["metric"] == "outbound_clicks" and found["granularity"] == "month"
    text = result["sentences"][0].text
    assert text == ("Last year clicks on the Pin “Christmas cookie box” started rising in October and peaked in "
                    "December. Pin fresh Pins for it by 20 August.")
    assert "A clear sign" in result["sentences"][0].how_sure and "never as 0" in result["sentences"][0].how_sure
    assert result["headline"] == text
    # the post it links to is not named a second time
    assert not any(f["kind"] == "post" for f in result["findings"])
    # the paper picks the planner's headline up from the insights result; it leads the headlines too
    data = insights.all_insights(ds, Period(dt.date(2026, 7, 12), dt.date(2026, 8, 10)))
    assert insights.season_headline(data) == text and text in data["headlines"]
    chart = data["insights"]["seasons"]["chart"]
    assert chart["kind"] == "season" and chart["pin_by"] == "2026-08-20" and len(chart["starts"]) == len(chart["known"])
    # the months the Pin was missing from the top 50 are unknown in the chart (null), with their bound beside
    assert None in chart["known"] and all(v is not None for v in chart["at_most"])
    json.dumps(data, allow_nan=False)


def test_when_the_best_day_to_pin_has_passed_it_says_pin_now(store):
    ds = load_history(store, *history(months((2024, 8), 24), {"xmas": XMAS}, last_day=dt.date(2026, 9, 2)))
    result = seasons.season_planner(ds)
    assert result["findings"][0]["pin_by"] == "2026-08-20"
    assert result["sentences"][0].text.endswith("Pin fresh Pins for it now: the best time, about 6 weeks before "
                                                "the rise, was 20 August.")


def test_a_one_off_rise_is_not_a_season(store):
    # rose in October-December 2025 only; the same months of 2024 are covered and flat
    once = {(2025, 10): 150, (2025, 11): 400, (2025, 12): 600}
    ds = load_history(store, *history(months((2024, 8), 24), {"once": once}, last_day=dt.date(2026, 8, 10)))
    assert seasons.season_planner(ds)["findings"] == []


def test_one_year_of_history_is_enough_and_says_so(store):
    # August 2025 to August 2026: the season was seen once. The Pin is listed only in its season, so only its
    # creation day (from sync) shows that it existed before the rise: otherwise it could be a new Pin taking off
    ds = load_history(store, *history(months((2025, 8), 13), {"xmas": XMAS}, last_day=dt.date(2026, 8, 31)))
    result = seasons.season_planner(ds)
    assert [f["id"] for f in result["findings"]] == ["xmas"] and result["findings"][0]["years_seen"] == 1
    assert result["sentences"][0].how_sure.startswith("Some sign: your figures cover this time of year once")


def test_a_new_pin_taking_off_is_not_a_season(store):
    # made on 20 September 2025, a hit from October on and still up: not something that rises every year
    new = {(2025, 10): 150, (2025, 11): 400, (2025, 12): 600, **{(2026, m): 500 for m in range(1, 9)}}
    ds = load_history(store, *history(months((2024, 8), 24), {"new": new}, last_day=dt.date(2026, 8, 10)))
    assert seasons.season_planner(ds)["findings"] == []


def test_seasons_already_past_are_not_proposed(store):
    summer = {5: 200, 6: 500, 7: 400}
    ds = load_history(store, *history(months((2024, 8), 24), {"summer": summer}, last_day=dt.date(2026, 8, 10)))
    result = seasons.season_planner(ds)
    assert result["findings"] == []
    assert result["sentences"][0].text.startswith("Nothing in your figures rose in the ten weeks after 10 August last "
                                                  "year")


def test_less_than_a_year_says_how_much_more_it_needs(store):
    ds = load_history(store, *history(months((2025, 12), 8), {"xmas": XMAS}))
    result = seasons.season_planner(ds)
    assert result["findings"] == [] and result["needs_days"] == 365 - 243
    assert result["sentences"][0].text.startswith("The season planner needs a year of history")
    assert "covers 8 months, so it needs about 4 more months" in result["sentences"][0].text


def test_figures_that_do_not_cover_the_coming_weeks_a_year_ago_say_so(store):
    # monthly downloads from January 2025 on, but none for August to October 2025
    skip = {dt.date(2025, m, 1) for m in (8, 9, 10)}
    ds = load_history(store, *history(months((2025, 1), 19), {"xmas": XMAS}, last_day=dt.date(2026, 8, 10),
                                      skip=skip))
    result = seasons.season_planner(ds)
    assert result["findings"] == []
    assert result["sentences"][0].text.startswith("Your Pin and board figures don't cover the weeks after 10 August "
                                                  "last year")


def test_missing_downloads_are_unknown_not_zero(store):
    # a steady Pin, always in the top 50; the downloads of June-September 2025 were never made. Read as 0 clicks,
    # October 2025 would look like a rise from nothing; unknown, it is no rise at all
    steady = {m: 300 for m in range(1, 13)}
    skip = {dt.date(2025, m, 1) for m in (6, 7, 8, 9)}
    ds = load_history(store, *history(months((2024, 8), 24), {"steady": steady}, last_day=dt.date(2026, 8, 10),
                                      skip=skip))
    assert seasons.season_planner(ds)["findings"] == []


def _pin_daily(first: dt.date, n: int, level, seed=3) -> ImportBatch:
    rng = np.random.default_rng(seed)
    days = [first + dt.timedelta(days=i) for i in range(n)]
    clicks = [float(rng.poisson(level(d))) for d in days]
    daily = pd.DataFrame({"entity_type": "pin", "entity_id": "xmas", "date": days, "outbound_clicks": clicks})
    acc = pd.DataFrame({"entity_type": "account", "entity_id": "", "date": days, "outbound_clicks": 500.0})
    info = pd.DataFrame([{"entity_type": "pin", "entity_id": "xmas", "title": "Christmas cookie box",
                          "link": "https://blog.example/christmas-cookie-box/"}])
    return ImportBatch("api", "api", daily=pd.concat([acc, daily], ignore_index=True), entities=info)


def test_daily_pin_figures_from_sync_give_weeks(store):
    def level(d: dt.date) -> float:  # 3 a day; from 27 October up to 40 a day in mid-December, then down
        start, peak = dt.date(d.year, 10, 27), dt.date(d.year, 12, 14)
        if start <= d <= peak:
            return 3 + 37 * (d - start).days / (peak - start).days
        if peak < d <= dt.date(d.year, 12, 31):
            return 10
        return 3
    ds = load_history(store, _pin_daily(dt.date(2024, 9, 1), 720, level))  # up to 21 August 2026
    found = seasons.season_planner(ds)["findings"]
    assert [f["id"] for f in found] == ["xmas"] and found[0]["granularity"] == "week"
    start = dt.date.fromisoformat(found[0]["last_start"])
    assert dt.date(2025, 10, 27) <= start <= dt.date(2025, 11, 10)  # the first week 1.5x above usual
    assert dt.date(2025, 12, 1) <= dt.date.fromisoformat(found[0]["last_peak"]) <= dt.date(2025, 12, 20)
    assert found[0]["pin_by"] == (start + dt.timedelta(days=365 - 42)).isoformat()
    text = seasons.season_planner(ds)["sentences"][0].text
    assert text.startswith(f"Last year clicks on the Pin “Christmas cookie box” started rising around {start.day} ")


# ------------------------------------------------------------------------------------------------- boards
def board_export(start, end, rows) -> ImportBatch:
    """rows: (key, name, impressions, outbound_clicks, saves)."""
    periods = pd.DataFrame([{"entity_type": "board", "entity_id": key, "start": start, "end": end,
                             "impressions": float(i), "engagements": float(i) * 0.05, "pin_clicks": float(i) * 0.02,
                             "outbound_clicks": float(oc), "saves": float(sv)} for key, _, i, oc, sv in rows])
    entities = pd.DataFrame([{"entity_type": "board", "entity_id": key, "name": name,
                              "url": f"https://www.pinterest.com/blog/{key}/"} for key, name, *_ in rows])
    return ImportBatch("pinterest_export", "export", periods=periods, entities=entities)


def test_boards_against_the_account_average(store):
    rows = [("blog/dinners", "Weeknight dinners", 50000, 500, 400),
            ("blog/baking", "Christmas baking", 20000, 600, 200),
            ("blog/crafts", "Crafts", 30000, 150, 1500), ("blog/tiny", "Tiny", 50, 10, 10)]
    ds = load_history(store, board_export(dt.date(2026, 6, 1), dt.date(2026, 6, 30), rows))
    result = boards.boards_insight(ds, Period(dt.date(2026, 6, 1), dt.date(2026, 6, 30)))
    # average over the boards: 1,260 clicks and 2,110 saves on 100,050 impressions
    assert result["average_click_rate"] == pytest.approx(1260 / 100050)
    text = result["sentences"][0].text
    assert text == ("A clear sign: “Christmas baking” brings the most outbound clicks for how often it is seen "
                    "(3.0% of its impressions, against 1.3% across your boards), and “Crafts” the most saves "
                    "for how often it is seen (5.0% of its impressions, against 2.1%). Pin more to them.")
    assert "Tiny" not in text  # 20% from 50 impressions is luck, not a verdict
    assert [link["id"] for link in result["sentences"][0].links] == ["blog/baking", "blog/crafts"]
    assert result["sentences"][0].links[0]["url"] == "https://www.pinterest.com/blog/blog/baking/"
    chart = result["chart"]
    assert chart["labels"][:3] == ["Weeknight dinners", "Crafts", "Christmas baking"]  # by impressions
    assert chart["click_rate"][2] == pytest.approx(0.03)
    verdicts = {b["name"]: (b["click_verdict"], b["save_verdict"]) for b in result["boards"]}
    assert verdicts["Tiny"] == ("usual", "usual") and verdicts["Weeknight dinners"][1] == "below"


def test_boards_with_unknown_figures_are_not_zero(store):
    # a board export of one metric only (impressions): no rate can be judged, none is made up
    periods = pd.DataFrame([{"entity_type": "board", "entity_id": k, "start": dt.date(2026, 6, 1),
                             "end": dt.date(2026, 6, 30), "impressions": 1000.0} for k in ("a", "b")])
    ds = load_history(store, ImportBatch("x", "x", periods=periods))
    result = boards.boards_insight(ds, Period(dt.date(2026, 6, 1), dt.date(2026, 6, 30)))
    assert result["sentences"][0].text == "The board figures have no outbound clicks or saves to compare yet."
    assert all(b["click_rate"] is None or np.isnan(b["click_rate"]) for b in result["boards"])


def test_a_seasonal_board_from_board_exports(store):
    batches = []
    for start, end in months((2024, 8), 24):
        crafts = 900 if start.month in (11, 12) else 100
        batches.append(board_export(start, end, [("blog/xmas", "Christmas crafts", 20000, crafts, 300),
                                                 ("blog/dinners", "Dinners", 50000, 500, 400)]))
    batches.append(account_days(dt.date(2024, 8, 1), dt.date(2026, 8, 31)))
    ds = load_history(store, *batches)
    found = seasons.season_planner(ds)["findings"]
    assert [(f["kind"], f["label"], f["last_start"]) for f in found] == [("board", "Christmas crafts", "2025-11-01")]
    assert found[0]["link"]["url"] == "https://www.pinterest.com/blog/blog/xmas/"


# ------------------------------------------------------------------------------------- through real export files
def test_two_years_of_real_export_files_through_the_importer(store, tmp_path):
    """24 monthly downloads of Pinterest's Analytics export (daily outbound clicks, Top Boards with every metric,
    Top Pins by outbound clicks: the month's best 50), written in the real layout and imported like a user's."""
    from pinviewer.core.demo_exports import export_text
    from pinviewer.core.importer import import_files

    rng = np.random.default_rng(8)

    def download(start, end):
        figures = {f"20000000000{i:02d}": rng.poisson(40 + 3 * i) for i in range(60)}
        figures["1111111111"] = rng.poisson(XMAS.get(start.month, 10))
        best = sorted(figures.items(), key=lambda kv: -kv[1])[:50]
        pins = [(f"https://www.pinterest.com/pin/{pid}/", "Organic", "From you", "Yes", int(v)) for pid, v in best]
        baking = {11: 600, 12: 900}.get(start.month, 100)
        boards = [("https://www.pinterest.com/lemonandlinen/christmas-baking/", [20000, 1200, 400, baking, 300]),
                  ("https://www.pinterest.com/lemonandlinen/dinners/", [50000, 2500, 900, 500, 400])]
        days = (end - start).days + 1
        text = export_text(start, end, "Outbound clicks", [3000] * days, boards=boards, pins=pins)
        path = tmp_path / f"Pinterest Analytics overview {start:%Y%m%d}-{end:%Y%m%d} outbound clicks.csv"
        path.write_bytes(text.encode("utf-8"))
        return path

    profile = store.profile()
    outcomes = import_files(store, profile, [download(*r) for r in months((2024, 8), 24)])
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    ds = store.load(profile)  # "today" is 31 July 2026, the last day of the last download
    result = seasons.season_planner(ds)
    assert [(f["kind"], f["label"]) for f in result["findings"]] == [("pin", "Pin 1111111111")]  # no steady Pin
    pin = result["findings"][0]
    assert (pin["last_start"], pin["next_start"], pin["pin_by"], pin["years_seen"]) == \
        ("2025-10-01", "2026-10-01", "2026-08-20", 2)
    assert result["sentences"][0].text == ("Last year clicks on the Pin “Pin 1111111111” started rising in October "
                                           "and peaked in December. Pin fresh Pins for it by 20 August.")
    # the board's season starts on 1 November: 93 days ahead, not yet. With August's first 25 days downloaded
    # it is 68 days ahead, and the Pin's best day to pin has passed
    assert import_files(store, profile, [download(dt.date(2026, 8, 1), dt.date(2026, 8, 25))])[0].ok
    result = seasons.season_planner(store.load(profile))
    assert [(f["kind"], f["label"], f["last_start"], f["pin_by"]) for f in result["findings"]] == [
        ("pin", "Pin 1111111111", "2025-10-01", "2026-08-20"),
        ("board", "Christmas baking", "2025-11-01", "2026-09-20")]
    assert result["findings"][1]["link"]["url"] == "https://www.pinterest.com/lemonandlinen/christmas-baking/"
    texts = [s.text for s in result["sentences"]]
    assert texts[0].endswith("Pin fresh Pins for it now: the best time, about 6 weeks before the rise, was 20 August.")
    assert texts[1] == ("Last year clicks on the board “Christmas baking” started rising in November and peaked in "
                        "December. Pin fresh Pins for it by 20 September.")


def test_a_post_rises_through_its_pins_together(store):
    """Two Pins of one post, from sync (daily figures): each too small to plan around, the post together is."""
    rng = np.random.default_rng(12)
    first = dt.date(2024, 9, 2)  # a Monday
    rows = []
    for pid in ("a1", "a2"):
        for i in range(730):  # to 31 August 2026
            d = first + dt.timedelta(days=i)
            level = 2.0 if dt.date(d.year, 11, 3) <= d <= dt.date(d.year, 11, 30) else 0.3
            rows.append({"entity_type": "pin", "entity_id": pid, "date": d,
                         "outbound_clicks": float(rng.poisson(level))})
    acc = pd.DataFrame({"entity_type": "account", "entity_id": "", "date": [first + dt.timedelta(days=i)
                                                                            for i in range(730)],
                        "outbound_clicks": 500.0})
    info = pd.DataFrame([{"entity_type": "pin", "entity_id": pid, "title": f"Gift guide Pin {pid}",
                          "link": f"https://blog.example/gift-guide/?utm_source=pin{pid}", "created": "2024-01-01"}
                         for pid in ("a1", "a2")])
    ds = load_history(store, ImportBatch("api", "api", daily=pd.concat([acc, pd.DataFrame(rows)]), entities=info))
    found = seasons.season_planner(ds)["findings"]
    assert [(f["kind"], f["id"], f["granularity"]) for f in found] == \
        [("post", "https://blog.example/gift-guide", "week")]
    assert dt.date(2025, 10, 27) <= dt.date.fromisoformat(found[0]["last_start"]) <= dt.date(2025, 11, 3)
    assert seasons.season_planner(ds)["sentences"][0].text.startswith(
        "Last year clicks on blog.example/gift-guide started rising around")
