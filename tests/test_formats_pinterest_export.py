"""Pinterest's real Analytics export: recognised by structure, three tables in one import, one-metric downloads
merged, filters kept apart as series, estimates provisional, unknown never 0, and bad files refused whole."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest

from exports import IMPRESSIONS, ORGANIC_MOBILE, OUTBOUND, SAVES_ESTIMATE, write_export
from pinviewer.core.formats import detect, read
from pinviewer.core.importer import import_file
from pinviewer.core.store import ALL_SERIES

JUNE = (dt.date(2025, 6, 1), dt.date(2025, 6, 30))


def daily_sum(path: Path) -> int:
    """The daily table's total, added up from the file's own lines."""
    cells = [line.split(",") for line in path.read_text().splitlines() if line[:4].isdigit()]
    return sum(int(c[1]) for c in cells if len(c) > 1 and c[1])


JUNE_OUTBOUND = daily_sum(OUTBOUND)


def pin_url(n: int) -> str:
    return f"https://www.pinterest.com/pin/55120000000000{n:04d}/"


def board_url(slug: str) -> str:
    return f"https://www.pinterest.com/sagehollowkitchen/{slug}/"


def _import(store, profile, path: Path, **kw):
    # the command line and the drop import at 0.8: a real export must never need the wizard
    outcome = import_file(store, profile, path, min_confidence=0.8, **kw)
    return outcome


# ---- recognised for certain ----------------------------------------------------------------------------------

@pytest.mark.parametrize("sample", [OUTBOUND, IMPRESSIONS, ORGANIC_MOBILE, SAVES_ESTIMATE])
def test_every_sample_is_recognised_for_certain(sample):
    found = detect(sample)
    assert found.format == "pinterest_export" and found.confidence == 1.0


@pytest.mark.parametrize("metric, name", [("Impressions", "impressions"), ("Engagement", "engagements"),
                                          ("Pin clicks", "pin_clicks"), ("Outbound clicks", "outbound_clicks"),
                                          ("Saves", "saves"), ("Total audience", "total_audience"),
                                          ("Engaged audience", "engaged_audience"),
                                          ("Monthly total audience", "monthly_total_audience")])
def test_whatever_single_metric_the_daily_table_holds(tmp_path, metric, name):
    path = write_export(tmp_path / "x.csv", *JUNE, metric, [100 + i for i in range(30)])
    assert detect(path).format == "pinterest_export"
    batch = read(path)
    assert not batch.fatal_problems, batch.problems
    assert batch.daily[name].tolist() == [100 + i for i in range(30)]
    assert batch.meta["tables"]["daily"]["metrics"] == [name]


def test_a_spreadsheet_resave_is_still_recognised(tmp_path):
    """Excel in Europe: semicolons, every row padded to one width, LF line ends, a BOM."""
    text = OUTBOUND.read_text()
    lines = [line.replace(",", ";") + ";;;" for line in text.splitlines()]
    path = tmp_path / "resaved.csv"
    path.write_bytes(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))
    batch = read(path)
    assert batch.format == "pinterest_export" and not batch.fatal_problems, batch.problems
    assert len(batch.daily) == 30 and (batch.periods["entity_type"] == "pin").sum() == 50


def test_sample_tables_are_read_as_they_mean(store, profile):
    outcome = _import(store, profile, OUTBOUND)
    assert outcome.ok, outcome.error
    data = store.load(profile)
    assert data.daily["outbound_clicks"].sum() == JUNE_OUTBOUND
    pins = data.periods[data.periods["entity_type"] == "pin"]
    assert len(pins) == 50 and pins["outbound_clicks"].max() == 397
    assert pins["impressions"].isna().all()  # Top Pins holds ONE metric: the rest is unknown, not 0
    boards = data.periods[data.periods["entity_type"] == "board"]
    assert sorted(boards["entity_id"]) == ["sagehollowkitchen/cozy-living-room", "sagehollowkitchen/diy-gifts",
                                           "sagehollowkitchen/weeknight-dinners"]
    assert boards.set_index("entity_id").loc["sagehollowkitchen/weeknight-dinners", "impressions"] == 7325
    names = data.entities.set_index("entity_id")
    assert names.loc["sagehollowkitchen/diy-gifts", "name"] == "Diy gifts"
    pin = names.loc["551262843001222664"]
    assert pin["content_type"] == "Organic" and pin["pin_source"] == "From you" and pin["canonical"] == "No"
    assert pin["url"] == "https://www.pinterest.com/pin/551262843001222664/"
    assert pin["format"] is None  # Content Type is organic/paid, never the Pin's format
    assert pd_none(pin["link"])  # the export gives no destination link


def pd_none(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def test_three_tables_are_one_import_and_one_undo(store, profile):
    outcome = _import(store, profile, OUTBOUND)
    batches = store.batches(profile)
    assert len(batches) == 1 and batches[0].format == "pinterest_export"
    store.undo(outcome.result.batch_id)
    assert store.load(profile).empty


def test_empty_tables_are_said_once_and_footers_become_notes(store, profile):
    outcome = _import(store, profile, SAVES_ESTIMATE)
    assert outcome.ok, outcome.error
    said = [w for w in outcome.warnings if "Not enough data" in w]
    assert len(said) == 1 and "Top Boards table and Top Pins table" in said[0]
    info = store.batches(profile)[0]
    assert any(note.startswith("Data starting from 2025-07-30") for note in info.meta["notes"])


def test_days_that_are_not_summed_are_kept_as_they_are(store, profile, tmp_path):
    path = write_export(tmp_path / "aud.csv", *JUNE, "Total audience", [5000] * 30)
    assert _import(store, profile, path).ok
    data = store.load(profile)
    assert data.daily["total_audience"].tolist() == [5000] * 30


# ---- unknown is not zero ----------------------------------------------------------------------------------

def test_empty_daily_cells_are_unknown(store, profile):
    assert _import(store, profile, SAVES_ESTIMATE).ok
    daily = store.load(profile).daily.set_index("date")
    assert np.isnan(daily.loc["2025-05-01", "saves"]) and daily.loc["2025-05-10", "saves"] == 47


# ---- one-metric downloads merge --------------------------------------------------------------------------

def test_one_metric_downloads_fill_each_others_columns(store, profile):
    first = _import(store, profile, OUTBOUND)
    second = _import(store, profile, IMPRESSIONS)
    assert first.ok and second.ok, (first.error, second.error)
    daily = store.load(profile).daily
    assert len(daily) == 30
    assert daily["outbound_clicks"].sum() == JUNE_OUTBOUND and daily["impressions"].notna().all()
    # re-importing either is a no-op
    again = _import(store, profile, OUTBOUND)
    assert again.result.already_imported is not None
    # undoing one removes exactly its own figures
    store.undo(second.result.batch_id)
    daily = store.load(profile).daily
    assert daily["outbound_clicks"].sum() == JUNE_OUTBOUND and "impressions" not in daily or daily["impressions"].isna().all()


def test_top_pins_lists_by_different_metrics_merge(store, profile, tmp_path):
    pins_a = [(pin_url(i), "Organic", "From you", "Yes", 100 - i) for i in range(5)]
    pins_b = [(pin_url(i), "Organic", "From you", "Yes", 1000 - i) for i in range(3, 8)]
    a = write_export(tmp_path / "a.csv", *JUNE, "Outbound clicks", pins=pins_a, pins_metric="Outbound clicks")
    b = write_export(tmp_path / "b.csv", *JUNE, "Impressions", pins=pins_b, pins_metric="Impressions")
    assert _import(store, profile, a).ok and _import(store, profile, b).ok
    pins = store.load(profile).periods.query("entity_type == 'pin'").set_index("entity_id")
    assert len(pins) == 8
    both = pins.loc["551200000000000003"]
    assert both["outbound_clicks"] == 97 and both["impressions"] == 997
    assert np.isnan(pins.loc["551200000000000000", "impressions"])  # not in the impressions top list
    assert np.isnan(pins.loc["551200000000000007", "outbound_clicks"])


# ---- filters make series -----------------------------------------------------------------------------------

def test_an_export_with_filters_is_a_series_of_its_own(store, profile):
    assert _import(store, profile, OUTBOUND).ok
    outcome = _import(store, profile, ORGANIC_MOBILE)
    assert outcome.ok and "Organic Pins on mobile" in outcome.result.sentence()
    main = store.load(profile)
    assert main.daily["outbound_clicks"].sum() == JUNE_OUTBOUND  # never merged with or overwritten by the filtered one
    assert store.series(profile) == [(None, "All Pins"), ("content types=organic;devices=mobile",
                                                          "Organic Pins on mobile")]
    key = store.series_key(profile, "organic pins on mobile")
    organic = store.load(profile, key)
    assert organic.daily["outbound_clicks"].sum() == daily_sum(ORGANIC_MOBILE) != JUNE_OUTBOUND
    assert len(store.facts(profile, series=ALL_SERIES)) > len(store.facts(profile))


# ---- estimates are provisional ---------------------------------------------------------------------------

def test_days_from_the_estimate_footer_are_provisional(store, profile):
    assert _import(store, profile, SAVES_ESTIMATE).ok
    daily = store.load(profile).daily.set_index("date")
    flagged = sorted(str(d.date()) for d in daily.index[daily["provisional"]])
    assert flagged == ["2025-07-30", "2025-07-31"]


# ---- bad input: a sentence naming the table and line, and nothing stored -----------------------------------

def _refused(store, profile, path: Path, *words: str) -> str:
    before = store.batches(profile)
    outcome = _import(store, profile, path)
    assert not outcome.ok
    assert store.batches(profile) == before
    for word in words:
        assert word in outcome.error, outcome.error
    assert "Traceback" not in outcome.error
    return outcome.error


def test_cut_off_in_the_middle_of_a_table(store, profile, tmp_path):
    text = OUTBOUND.read_text()
    cut = text[: text.index("https://www.pinterest.com/pin/551228433009738974/") + 40]
    path = tmp_path / "cut.csv"
    path.write_text(cut)
    _refused(store, profile, path, "Top Pins table", "Line ", "cut off")


def test_cut_off_inside_the_daily_table(store, profile, tmp_path):
    text = OUTBOUND.read_text()
    path = tmp_path / "cut.csv"
    path.write_text(text[: text.index("2025-06-17")])
    _refused(store, profile, path, "daily table", "cut off")


def test_a_metric_cell_that_is_not_a_number(store, profile, tmp_path):
    text = OUTBOUND.read_text().replace("2025-06-03,89", "2025-06-03,lots")
    path = tmp_path / "bad.csv"
    path.write_text(text)
    message = _refused(store, profile, path, "daily table", "lots", "not a number")
    assert "Line 16" in message


def test_a_top_pins_url_without_a_pin_id(store, profile, tmp_path):
    text = OUTBOUND.read_text().replace("https://www.pinterest.com/pin/551257413302657880/",
                                        "https://www.pinterest.com/sagehollowkitchen/")
    path = tmp_path / "bad.csv"
    path.write_text(text)
    _refused(store, profile, path, "Top Pins table", "no Pin id")


def test_two_top_pins_sections_with_different_ranges(store, profile, tmp_path):
    text = OUTBOUND.read_text()
    extra = ("\r\nTop Pins 2025-05-01 - 2025-05-31\r\nPinterest Link,Content Type,Source,Canonical,Saves\r\n"
             f"{pin_url(1)},Organic,From you,Yes,4\r\n")
    path = tmp_path / "two.csv"
    path.write_text(text + extra)
    _refused(store, profile, path, "second Top Pins table with different date ranges")


def test_a_range_that_ends_before_it_starts(store, profile, tmp_path):
    text = OUTBOUND.read_text().replace("2025-06-01 - 2025-06-30\n", "2025-06-30 - 2025-06-01\n", 1)
    path = tmp_path / "back.csv"
    path.write_text(text)
    _refused(store, profile, path, "Line 2", "ends (2025-06-01) before it starts (2025-06-30)")


def test_absurd_numbers_are_refused(store, profile, tmp_path):
    for i, absurd in enumerate(("1e308", "99999999999999999999999999", "-5", "inf", "nan")):
        text = OUTBOUND.read_text().replace("2025-06-03,89", f"2025-06-03,{absurd}")
        path = tmp_path / f"absurd{i}.csv"
        path.write_text(text)
        message = _refused(store, profile, path, "Line 16")
        assert "not a possible figure" in message or "not a number" in message


def test_a_day_in_the_future_or_before_pinterest(store, profile, tmp_path):
    path = write_export(tmp_path / "future.csv", dt.date(9999, 12, 1), dt.date(9999, 12, 3), "Saves", [1, 2, 3])
    _refused(store, profile, path, "impossible")


def test_an_unknown_daily_metric_keeps_the_other_tables(store, profile, tmp_path):
    pins = [(pin_url(i), "Organic", "From you", "Yes", 50 - i) for i in range(3)]
    path = write_export(tmp_path / "new.csv", *JUNE, "Idea Pin swipes", pins=pins, pins_metric="Saves")
    outcome = _import(store, profile, path)
    assert outcome.ok, outcome.error
    assert any("Idea Pin swipes" in w and "skipped" in w for w in outcome.warnings)
    data = store.load(profile)
    assert (data.periods["entity_type"] == "pin").sum() == 3 and data.daily.empty


def test_control_characters_and_long_cells_never_reach_a_message(store, profile, tmp_path):
    evil = "\x1b]0;pwned\x07" + "x" * 5000
    text = OUTBOUND.read_text().replace("2025-06-03,89", f"2025-06-03,{evil}")
    path = tmp_path / "evil.csv"
    path.write_text(text)
    message = _refused(store, profile, path, "not a number")
    assert "\x1b" not in message and "\x07" not in message and len(message) < 400


@pytest.fixture
def profile(store):
    return store.profile()


# ---- variants a real file may have ---------------------------------------------------------------------------

def test_a_table_pinterest_may_add_is_skipped_with_a_note(store, profile, tmp_path):
    extra = ("\r\nTop Video Pins 2025-06-01 - 2025-06-30\r\nPinterest Link,Video views\r\n"
             f"{pin_url(9)},44\r\nTop video pins table is restricted to data from the last 6 months.\r\n")
    path = tmp_path / "video.csv"
    path.write_text(OUTBOUND.read_text() + extra)
    outcome = _import(store, profile, path)
    assert outcome.ok, outcome.error
    assert any("Top Video Pins" in w for w in outcome.warnings)
    assert (store.load(profile).periods["entity_type"] == "pin").sum() == 50


def test_a_section_title_without_dates_takes_the_files_range(tmp_path):
    text = OUTBOUND.read_text().replace("Top Pins 2025-06-01 - 2025-06-30", "Top Pins")
    path = tmp_path / "nodates.csv"
    path.write_text(text)
    batch = read(path)
    assert not batch.fatal_problems, batch.problems
    pins = batch.periods[batch.periods["entity_type"] == "pin"]
    assert set(pins["start"]) == {dt.date(2025, 6, 1)} and set(pins["end"]) == {dt.date(2025, 6, 30)}
    assert any("no dates of its own" in note for note in batch.meta["notes"])


def test_dates_rewritten_by_a_spreadsheet_are_read(tmp_path):
    lines = []
    for line in OUTBOUND.read_text().splitlines():
        if line[:8] == "2025-06-" and len(line.split(",")) == 2:
            day, value = line.split(",")
            line = f"6/{int(day[-2:])}/2025,{value}"
        lines.append(line)
    path = tmp_path / "us.csv"
    path.write_text("\n".join(lines) + "\n")
    batch = read(path)
    assert not batch.fatal_problems, batch.problems
    assert batch.daily["date"].tolist() == [dt.date(2025, 6, d) for d in range(1, 31)]


def test_a_long_range_counts_top_tables_over_their_last_six_months(tmp_path):
    path = write_export(tmp_path / "year.csv", dt.date(2024, 7, 1), dt.date(2025, 6, 30), "Impressions",
                        pins=[(pin_url(1), "Organic", "From you", "Yes", 5)], pins_metric="Impressions")
    batch = read(path)
    assert len(batch.daily) == 365
    pins = batch.periods[batch.periods["entity_type"] == "pin"]
    assert pins["start"].tolist() == [dt.date(2025, 1, 1)] and pins["end"].tolist() == [dt.date(2025, 6, 30)]


def test_pinterests_audience_export_is_not_taken_for_the_overview(tmp_path):
    path = tmp_path / "audience-insights.csv"
    path.write_text("Audience View,Date,Aggregation,Audience Size\r\nTotal audience,2025-06-01 - 2025-06-30,"
                    "Monthly,12345\r\n\r\nInterests,Percent of audience\r\nFood and drinks,35.2%\r\n")
    try:
        found = detect(path)
    except Exception as error:  # refused with a sentence: fine
        assert "Traceback" not in str(error)
    else:
        assert found.format != "pinterest_export"


def test_the_next_download_of_estimated_days_replaces_them(store, profile, tmp_path):
    days = (dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    first = write_export(tmp_path / "early.csv", *days, "Saves", [10] * 30, estimate_from=dt.date(2025, 6, 28))
    assert _import(store, profile, first).ok
    daily = store.load(profile).daily.set_index("date")
    assert int(daily["provisional"].sum()) == 3
    later = write_export(tmp_path / "later.csv", *days, "Saves", [10] * 27 + [14, 15, 16])
    assert _import(store, profile, later).ok
    daily = store.load(profile).daily.set_index("date")
    assert int(daily["provisional"].sum()) == 0
    assert daily.loc["2025-06-30", "saves"] == 16
