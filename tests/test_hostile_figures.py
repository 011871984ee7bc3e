"""Issue 13, points 1-3: absurd figures, impossible days, a range the rows do not fill, twin columns.

Every file here is refused with one sentence naming the row and the column (and nothing is stored), or
imported with what a user would notice said in words.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from pinviewer.core import importer
from pinviewer.core.formats import plausible

HEADER = "Date,Impressions,Engagement rate,Outbound clicks,Saves"
ROWS = ["2025-03-01,12480,3.2%,61,149", "2025-03-02,13905,3.3%,74,171", "2025-03-03,11722,3.2%,58,139"]
PREAMBLE = "Pinterest analytics overview\nDate range: 2025-03-01 - 2025-03-03\n\n"


def overview(tmp_path, rows=ROWS, header=HEADER, preamble=PREAMBLE, name="overview.csv"):
    path = tmp_path / name
    path.write_text(preamble + header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def imported(store, path, **options):
    outcome = importer.import_file(store, store.profile(), path, **options)
    return outcome


def refused(store, path, **options) -> str:
    outcome = imported(store, path, **options)
    assert not outcome.ok, "the file was imported"
    assert not store.batches(), "something was stored"
    return outcome.error


@pytest.mark.parametrize("value", ["1e308", "99999999999999999999999999", "20000000000", "1.5E+11"])
def test_a_count_no_account_can_have_is_refused_naming_row_and_column(store, tmp_path, value):
    rows = [ROWS[0], ROWS[1].replace("13905", value), ROWS[2]]
    error = refused(store, overview(tmp_path, rows))
    assert "Row 6" in error and "Impressions" in error and value in error
    assert "10,000,000,000 a day" in error


def test_a_count_at_the_ceiling_is_kept(store, tmp_path):
    rows = [ROWS[0], ROWS[1].replace("13905", "10000000000"), ROWS[2]]
    assert imported(store, overview(tmp_path, rows)).ok


@pytest.mark.parametrize("value", ["350%", "-3.3%", "101%"])
def test_a_rate_outside_0_to_100_percent_is_refused(store, tmp_path, value):
    rows = [ROWS[0], ROWS[1].replace("3.3%", value), ROWS[2]]
    error = refused(store, overview(tmp_path, rows))
    assert "Row 6" in error and "Engagement rate" in error and "between 0 and 100%" in error


def test_a_period_table_may_hold_a_period_worth_of_a_day_but_no_more(store, tmp_path):
    """A top-Pins file over 30 days: 3x10^10 impressions is 10^10 a day (kept), 10^12 is not."""
    head = "Top Pins\nDate range: 2025-03-01 - 2025-03-30\n\nPin ID,Title,Impressions,Saves,Outbound clicks\n"
    ok = tmp_path / "ok.csv"
    ok.write_text(head + "1012345678901234567,A,300000000000,3,4\n", encoding="utf-8")
    assert imported(store, ok).ok
    absurd = tmp_path / "absurd.csv"
    absurd.write_text(head + "1012345678901234568,B,1000000000000,3,4\n", encoding="utf-8")
    error = refused_after(store, absurd)
    assert "Row 5" in error and "Impressions" in error


def refused_after(store, path) -> str:
    before = len(store.batches())
    outcome = imported(store, path)
    assert not outcome.ok and len(store.batches()) == before
    return outcome.error


def test_mapped_money_and_counts_are_checked_too(store, tmp_path):
    from pinviewer.core.formats.mapping import ColumnMapping

    mapping = ColumnMapping(columns={"Tag": "date", "Umsatz": "revenue", "Klicks": "outbound_clicks"})
    path = tmp_path / "mine.csv"
    path.write_text("Tag,Umsatz,Klicks\n2025-03-01,12.5,3\n2025-03-02,1e308,4\n", encoding="utf-8")
    error = refused(store, path, mapping=mapping)
    assert "Row 3" in error and "Umsatz" in error
    path.write_text("Tag,Umsatz,Klicks\n2025-03-01,12.5,3\n2025-03-02,-4.5,99999999999999\n", encoding="utf-8")
    error = refused(store, path, mapping=mapping)
    assert "Row 3" in error and "Klicks" in error  # a refund (negative money) is fine; the count is not


def test_implausible_says_where_and_leaves_unknown_alone():
    mask, why = plausible.implausible("count", [0, 1e10, 1e10 + 1, -1, np.nan, np.inf])
    assert mask.tolist() == [False, False, True, True, False, True]
    mask, _ = plausible.implausible("rate", [0.0, 1.0, 1.01, -0.01, np.nan])
    assert mask.tolist() == [False, False, True, True, False]
    mask, _ = plausible.implausible("money", [-5.0, 1e308, np.nan])
    assert mask.tolist() == [False, True, False]
    mask, _ = plausible.implausible("count", [2e10, 2e10], days=[1, 2])
    assert mask.tolist() == [True, False]


# ---- days ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("day, why", [("9999-12-31", "in the future"), ("2009-12-31", "before 2010"),
                                      ("2003-03-01", "before 2010")])
def test_a_day_before_2010_or_after_tomorrow_is_refused(store, tmp_path, day, why):
    rows = [ROWS[0], ROWS[1].replace("2025-03-02", day), ROWS[2]]
    error = refused(store, overview(tmp_path, rows))
    assert "Row 6" in error and day in error and why in error


def test_tomorrow_is_the_last_day_a_file_may_hold(store, tmp_path):
    today = dt.date.today()
    days = [today - dt.timedelta(days=1), today, today + dt.timedelta(days=1)]
    rows = [f"{d.isoformat()},1000,3.2%,10,5" for d in days]
    assert imported(store, overview(tmp_path, rows, preamble="")).ok
    later = today + dt.timedelta(days=2)
    error = refused_after(store, overview(tmp_path, [f"{later.isoformat()},1000,3.2%,10,5"], preamble="",
                                           name="later.csv"))
    assert later.isoformat() in error and "in the future" in error


def test_a_top_pins_range_line_in_the_future_is_refused(store, tmp_path):
    path = tmp_path / "top.csv"
    path.write_text("Top Pins\nDate range: 2099-03-01 - 2099-03-30\n\nPin ID,Title,Impressions,Saves\n"
                    "1012345678901234567,A,30,3\n", encoding="utf-8")
    error = refused(store, path)
    assert "2099-03-01" in error and "in the future" in error


def test_a_range_line_promising_days_the_table_lacks_is_said(store, tmp_path):
    """A file cut at a line break: the rows before the cut are imported, and the summary says what is missing."""
    path = overview(tmp_path, preamble="Pinterest analytics overview\nDate range: 2025-03-01 - 2025-03-31\n\n")
    outcome = imported(store, path)
    assert outcome.ok
    note = " ".join(outcome.warnings)
    assert "The file says it covers 1 Mar 2025 – 31 Mar 2025; it holds 1 Mar 2025 – 3 Mar 2025" in note
    assert "28 days of it missing" in note


def test_a_range_line_the_rows_fill_says_nothing(store, tmp_path):
    outcome = imported(store, overview(tmp_path))
    assert outcome.ok and not any("covers" in w for w in outcome.warnings)


# ---- twin columns ----------------------------------------------------------------------------------------

def test_two_columns_meaning_the_same_with_different_values_are_refused_naming_both(store, tmp_path):
    """The reported case: a second "Outbound clicks" column holding rates must not pass for clicks."""
    header = HEADER + ",Outbound clicks"
    rows = [r + f",{rate}" for r, rate in zip(ROWS, ("0.5", "0.5", "0.6"))]
    error = refused(store, overview(tmp_path, rows, header=header))
    assert "“Outbound clicks” (column 4) and “Outbound clicks” (column 6)" in error
    assert "differ on 3 rows" in error and "'61' and '0.5'" in error and "Row 5" in error


def test_two_columns_meaning_the_same_with_the_same_values_are_imported_with_a_note(store, tmp_path):
    header = HEADER + ",Outbound Clicks (all)"
    rows = [r + "," + r.split(",")[3] for r in ROWS]
    outcome = imported(store, overview(tmp_path, rows, header=header))
    assert outcome.ok, outcome.error
    assert any("hold the same values; I used column 4" in w for w in outcome.warnings)
    assert store.load(store.profile()).daily["outbound_clicks"].tolist() == [61, 74, 58]


def test_a_rate_above_100_percent_stands_when_the_rows_own_figures_give_it(store, tmp_path):
    """A Pin seen once, then saved and clicked: 2 engagements for 1 impression is a 200 % engagement rate."""
    head = "Top Pins\nDate range: 2025-03-01 - 2025-03-30\n\nPin ID,Impressions,Engagements,Engagement rate\n"
    path = tmp_path / "top.csv"
    path.write_text(head + "1012345678901234567,1,2,200.0%\n1012345678901234568,100,3,3.0%\n", encoding="utf-8")
    assert imported(store, path).ok
    liar = tmp_path / "liar.csv"
    liar.write_text(head + "1012345678901234569,100,2,200.0%\n", encoding="utf-8")
    error = refused_after(store, liar)
    assert "200% in Engagement rate" in error and "Row 5" in error


# ---- every reader: Pinterest's real export reads its tables with its own code ------------------------------

@pytest.mark.parametrize("value", ["99999999999999999999999999", "20000000000"])
def test_an_absurd_figure_in_pinterests_real_export_is_refused_too(store, tmp_path, value):
    from exports import write_export

    start = dt.date(2025, 6, 1)
    values = [10] * 30
    values[4] = value
    path = write_export(tmp_path / "export.csv", start, dt.date(2025, 6, 30), "Impressions", values)
    error = refused(store, path)
    assert "impressions" in error.lower() and value in error


def test_a_real_export_with_believable_figures_is_imported(store, tmp_path):
    from exports import write_export

    path = write_export(tmp_path / "export.csv", dt.date(2025, 6, 1), dt.date(2025, 6, 30), "Impressions")
    assert imported(store, path).ok


def test_the_last_check_catches_what_a_reader_of_its_own_lets_through(tmp_path):
    """importer._check_figures looks at the batch itself, whichever reader made it."""
    import pandas as pd

    from pinviewer.core.errors import PinviewerError
    from pinviewer.core.formats.model import ImportBatch

    daily = pd.DataFrame({"entity_type": ["account"] * 2, "entity_id": [""] * 2,
                          "date": [dt.date(2025, 3, 1), dt.date(2025, 3, 2)], "saves": [3.0, 1e300],
                          "save_rate": [0.01, 0.02]})
    batch = ImportBatch("reader_of_its_own", "A reader of its own", daily=daily, path=tmp_path / "x.csv")
    with pytest.raises(PinviewerError, match=r"1e\+300 in Saves \(2025-03-02\) is not a believable figure"):
        importer._check_figures(batch)
    batch.daily["saves"] = [3.0, 4.0]
    importer._check_figures(batch)
    batch.daily["save_rate"] = [0.01, 7.0]
    with pytest.raises(PinviewerError, match="700% in Save rate"):
        importer._check_figures(batch)
