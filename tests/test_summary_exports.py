"""`summary` on a history of Pinterest's real exports: Pins with the figures known for them (null where
unknown), the boards, what to download next, the series shown and --series, and the note on Pins and posts."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from exports import IMPRESSIONS, ORGANIC_MOBILE, OUTBOUND
from pinviewer.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def june(capsys):
    code, _out, err = run(capsys, "import", str(OUTBOUND), str(IMPRESSIONS), str(ORGANIC_MOBILE))
    assert code == 0, err
    return ("--from", "2025-06-01", "--to", "2025-06-30")


def test_json_lists_pins_with_known_figures_and_null_for_unknown(capsys, june):
    code, out, err = run(capsys, "summary", *june, "--json")
    assert code == 0, err
    data = json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    first = data["top_pins"][0]
    assert first["pin_id"] == "551262843001222664" and first["outbound_clicks"] == 397
    assert first["impressions"] is None and first["outbound_click_rate"] is None  # not in the impressions top 50
    assert [b["name"] for b in data["top_boards"]] == ["Weeknight dinners", "Diy gifts", "Cozy living room"]
    assert data["top_boards"][0]["impressions"] == 7325
    assert data["series"] == {"key": None, "name": "All Pins", "main": True}
    coverage = data["coverage"]
    assert coverage["period"]["daily_days"] == {"outbound_clicks": 30, "saves": 0, "impressions": 30}
    assert coverage["period"]["pins_known"] == {"outbound_clicks": 50, "saves": 0, "impressions": 50}
    assert any("download *Saves*" in step for step in coverage["steps"])
    assert any("connect Pinterest" in note for note in data["notes"])  # Pins can't be joined to posts yet


def test_series_picks_the_filtered_figures(capsys, june):
    code, out, _err = run(capsys, "summary", *june, "--series", "Organic Pins on mobile", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["series"]["name"] == "Organic Pins on mobile" and data["series"]["main"] is False
    main_code, main_out, _ = run(capsys, "summary", *june, "--json")
    assert json.loads(main_out)["totals"]["outbound_clicks"] != data["totals"]["outbound_clicks"]
    code, out, _err = run(capsys, "summary", *june, "--series", "Organic Pins on mobile")
    assert "My blog — Organic Pins on mobile" in out


def test_an_unknown_series_is_a_sentence(capsys, june):
    code, _out, err = run(capsys, "summary", *june, "--series", "Video Pins")
    assert code == 1
    assert "There is no series called “Video Pins”" in err and "Organic Pins on mobile" in err
    assert "Traceback" not in err


def test_the_sample_blog_is_made_of_real_layout_files_and_a_connected_account(capsys):
    from pinviewer.core.demo import demo_files

    names = [f.name for f in demo_files()]
    assert all(n.startswith(("Pinterest Analytics overview", "ga4_")) for n in names)
    code, out, err = run(capsys, "summary", "--demo", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["top_pins"][0]["title"]  # titles from the account stand-in, saved the way sync saves them
    assert data["top_boards"][0]["name"] in ("DIY Decor", "Holiday Recipes", "Reading Nooks", "Meal Prep",
                                              "Garden to Table", "Weeknight Dinners", "Baking & Sourdough",
                                              "Cozy Home Ideas")
    assert data["coverage"]["period"]["complete"] is True  # three downloads a month: nothing key is missing
    assert data["coverage"]["steps"] == []
    end = dt.date.fromisoformat(data["period"]["end"])
    assert data["period"]["provisional_days"] >= 1 and end == dt.date(2026, 11, 22)


def test_audiences_are_shown_as_they_are_never_summed(capsys, tmp_path):
    from exports import write_export

    path = write_export(tmp_path / "aud.csv", dt.date(2025, 6, 1), dt.date(2025, 6, 30), "Total audience",
                        [1000 + 10 * i for i in range(30)])
    assert run(capsys, "import", str(path))[0] == 0
    code, out, _err = run(capsys, "summary", "--from", "2025-06-01", "--to", "2025-06-30", "--json")
    data = json.loads(out)
    audience = data["audience"]["total_audience"]
    assert audience == {"days": 30, "average_per_day": 1145.0, "last": 1290.0, "last_day": "2025-06-30"}
    assert "total_audience" not in data["totals"]
    code, out, _err = run(capsys, "summary", "--from", "2025-06-01", "--to", "2025-06-30")
    assert "Total audience: 1,145 a day on average" in out and "not added up" in out


def test_revenue_in_an_insight_is_written_in_the_profiles_currency():
    from pinviewer.core import analysis, currency, insights
    from pinviewer.core.demo import open_demo_store

    store, profile = open_demo_store()
    with store:
        currency.save(store, profile, "EUR")
        ds = store.load(profile)
        found = insights.all_insights(ds, analysis.preset_period(ds, "last_30"), {})
    texts = [s["text"] for s in found["insights"]["conversions"]["sentences"]]
    assert any("in revenue" in t and "€" in t for t in texts), texts


def test_insights_read_the_period_summarys_pins_and_never_call_unknown_clicks_zero(capsys, tmp_path):
    """With only the account's days (no Pin has clicks), the Overview shows the clicks and the insights say what
    is missing, never 'too few outbound clicks (0)'."""
    from exports import write_export
    from pinviewer.core import analysis, insights, period_summary
    from pinviewer.core.store import Store

    path = write_export(tmp_path / "oc.csv", dt.date(2025, 6, 1), dt.date(2025, 6, 30), "Outbound clicks",
                        [50] * 30, pins=[(f"https://www.pinterest.com/pin/5512{i:06d}/", "Organic", "From you",
                                          "Yes", 900 - i) for i in range(50)], pins_metric="Impressions")
    assert run(capsys, "import", str(path))[0] == 0
    with Store.open() as store:
        ds = store.load(store.profile())
        period = analysis.Period(dt.date(2025, 6, 1), dt.date(2025, 6, 30))
        summary = period_summary.summarise(ds, period)
        found = insights.all_insights(ds, period, {})
    assert summary.value("outbound_clicks") == 1500
    from pinviewer.core.insights import _common

    assert _common.pin_view(ds, period)[0] is summary.pins
    text = " ".join(s["text"] for s in found["insights"]["concentration"]["sentences"])
    assert "(0)" not in text and "no outbound clicks per Pin" in text
