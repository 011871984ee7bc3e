"""What to download next: which of outbound clicks, saves and impressions the history has, per month and for the
period, day by day and per Pin, said as steps a blogger can follow."""
from __future__ import annotations

import datetime as dt
import json

from exports import IMPRESSIONS, OUTBOUND, write_export
from pinviewer.core.checklist import coverage
from pinviewer.core.importer import import_file

NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def _pins(metric_offset=0):
    return [(f"https://www.pinterest.com/pin/55120000000000{i:04d}/", "Organic", "From you", "Yes", 90 - i)
            for i in range(50)]


def test_a_month_with_impressions_only_says_what_to_download(store, tmp_path):
    profile = store.profile()
    path = write_export(tmp_path / "imp.csv", *NOV, "Impressions", [1000] * 30, pins=_pins(),
                        pins_metric="Impressions")
    assert import_file(store, profile, path).ok
    found = coverage(store.load(profile), *NOV)
    sentence = found.period.sentence()
    assert sentence.startswith("For November 2026 you have impressions. To see what people did, also download "
                               "*Outbound clicks* and *Saves*: Analytics > Overview, choose the metric above the "
                               "chart, then Export")
    assert found.period.missing_daily == ["outbound_clicks", "saves"]
    assert found.pins_sentence("impressions") == "impressions known for your top 50 Pins"
    assert found.pins_sentence("outbound_clicks") == "outbound clicks not known for any Pin"
    assert found.steps() == [sentence]
    assert json.loads(json.dumps(found.as_dict(), allow_nan=False))["period"]["daily_days"] == {
        "outbound_clicks": 0, "saves": 0, "impressions": 30}


def test_three_downloads_make_a_month_complete(store, tmp_path):
    profile = store.profile()
    for label in ("Impressions", "Outbound clicks", "Saves"):
        path = write_export(tmp_path / f"{label}.csv", *NOV, label, [10] * 30, pins=_pins(), pins_metric=label)
        assert import_file(store, profile, path).ok
    found = coverage(store.load(profile), *NOV)
    assert found.period.complete and found.steps() == []
    assert [m.label for m in found.months] == ["November 2026"]


def test_each_month_of_the_history_is_checked(store):
    profile = store.profile()
    for path in (OUTBOUND, IMPRESSIONS):
        assert import_file(store, profile, path).ok
    found = coverage(store.load(profile))
    (june,) = found.months
    assert june.daily == {"outbound_clicks": 30, "saves": 0, "impressions": 30}
    assert june.pins == {"outbound_clicks": 50, "saves": 0, "impressions": 50}
    assert "download *Saves*" in june.sentence()


def test_days_with_empty_cells_are_counted_as_missing(store, tmp_path):
    profile = store.profile()
    values = [None] * 10 + [5] * 20
    path = write_export(tmp_path / "x.csv", *NOV, "Outbound clicks", values)
    assert import_file(store, profile, path).ok
    span = coverage(store.load(profile), *NOV).period
    assert span.daily["outbound_clicks"] == 20
    assert "outbound clicks for 20 of 30 days" in span.sentence()


def test_the_import_command_says_what_to_download_next(tmp_path):
    from conftest import run_cli

    path = write_export(tmp_path / "imp.csv", *NOV, "Impressions", [1000] * 30)
    result = run_cli("import", str(path))
    assert result.returncode == 0, result.stderr
    assert "What to download next:" in result.stdout
    assert "also download *Outbound clicks* and *Saves*" in result.stdout
