"""pinviewer insights: sentences, JSON for scripts, and monthly goals kept per profile."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd

from pinviewer.cli import main
from pinviewer.core.formats.model import ImportBatch
from pinviewer.core.store import Store

D0 = dt.date(2026, 6, 1)


def _history():
    """120 days of account figures and one Pin export, in the default database (PINVIEWER_HOME)."""
    rng = np.random.default_rng(3)
    dates = [D0 + dt.timedelta(days=i) for i in range(120)]
    daily = pd.DataFrame({"entity_type": "account", "entity_id": "", "date": dates,
                          "outbound_clicks": np.round(100 * rng.lognormal(0, 0.05, 120)),
                          "saves": np.round(250 * rng.lognormal(0, 0.05, 120)),
                          "impressions": np.round(9000 * rng.lognormal(0, 0.05, 120))})
    periods = pd.DataFrame([{"entity_type": "pin", "entity_id": f"p{i}", "start": dates[90], "end": dates[119],
                             "impressions": 1000.0 + i, "outbound_clicks": float(10 + i), "saves": 2.0}
                            for i in range(30)])
    entities = pd.DataFrame([{"entity_type": "pin", "entity_id": f"p{i}", "title": f"Pin {i}",
                              "link": "https://blog.example/post"} for i in range(30)])
    with Store.open() as store:
        profile = store.profile()
        store.import_batch(profile, ImportBatch("t", "t", daily=daily), file_name="a.csv", sha256="a")
        store.import_batch(profile, ImportBatch("t", "t", periods=periods, entities=entities),
                           file_name="b.csv", sha256="b")


def test_insights_json_and_text(capsys):
    _history()
    assert main(["insights", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == {"start": "2026-08-30", "end": "2026-09-28", "days": 30}
    assert list(data["insights"]) == ["anomalies", "goals", "seasons", "conversions", "impressions", "boards",
                                      "concentration", "age"]
    assert all(isinstance(s["text"], str) for i in data["insights"].values() for s in i["sentences"])
    assert main(["insights", "--from", "2026-09-01", "--to", "2026-09-28"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("My blog: 2026-09-01 to 2026-09-28 (28 days)")
    assert "Drops and jumps" in out and "Do impressions bring clicks for you?" in out


def test_goals_are_set_listed_and_used(capsys):
    _history()
    assert main(["insights", "--set-goal", "outbound_clicks=4000", "--set-goal", "conversions=40", "--json"]) == 0
    captured = capsys.readouterr()
    assert "Monthly goals for 'My blog': outbound clicks 4,000, conversions 40." in captured.err
    data = json.loads(captured.out)
    assert data["insights"]["goals"]["goals"] == {"outbound_clicks": 4000.0, "key_events": 40.0}
    clicks = data["insights"]["goals"]["results"][0]
    assert clicks["metric"] == "outbound_clicks" and clicks["month"]["start"] == "2026-09-01"
    assert main(["insights", "--set-goal", "conversions=0", "--goals"]) == 0
    assert capsys.readouterr().out.strip() == "Monthly goals for 'My blog': outbound clicks 4,000."


def test_a_wrong_goal_is_a_sentence_not_a_traceback(capsys):
    assert main(["insights", "--set-goal", "followers=10"]) == 1
    err = capsys.readouterr().err
    assert "is not a goal I understand" in err and "Traceback" not in err


def test_nothing_imported_yet(capsys):
    assert main(["insights"]) == 1
    assert "import a Pinterest export first" in capsys.readouterr().err


def test_insights_json_carries_the_season_planner_with_dates(capsys):
    """Two years of monthly top-50 downloads with a Christmas Pin, through the command line."""
    from test_insights_seasons import XMAS, history, months

    with Store.open() as store:
        profile = store.profile()
        for i, batch in enumerate(history(months((2024, 8), 24), {"xmas": XMAS}, last_day=dt.date(2026, 8, 10))):
            store.import_batch(profile, batch, file_name=f"{i}.csv", sha256=f"s{i}")
    assert main(["insights", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    seasons = data["insights"]["seasons"]
    assert seasons["today"] == "2026-08-10"
    assert [(f["id"], f["last_start"], f["last_peak"], f["next_start"], f["pin_by"]) for f in seasons["findings"]] \
        == [("xmas", "2025-10-01", "2025-12-16", "2026-10-01", "2026-08-20")]
    assert seasons["headline"] == data["headlines"][0]
    assert all("how_sure" in s for i in data["insights"].values() for s in i["sentences"])
    assert main(["insights"]) == 0
    out = capsys.readouterr().out
    assert "Season planner" in out and "2026-08-20  2025-10-01" in out and "Christmas cookie box" in out
