"""The store's column codec: what goes in comes back, values and missing values alike."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from pinviewer.core import columnar


def round_trip(columns: dict, types: dict) -> dict:
    layout, data = columnar.encode(columns, types)
    rows = len(next(iter(columns.values())))
    return columnar.decode(layout, data, rows)


def test_numbers_flags_days_and_text_come_back_as_they_went_in():
    back = round_trip(
        {"clicks": np.array([1.0, np.nan, 3.5]), "provisional": np.array([0, 1, 0]),
         "day": [dt.date(2025, 3, 1), dt.date(1969, 12, 31), None],
         "title": np.array(["Focaccia", None, "Crème brûlée ☕"], dtype=object)},
        {"clicks": "f8", "provisional": "u1", "day": "day", "title": "text"})
    assert back["clicks"][0] == 1.0 and np.isnan(back["clicks"][1]) and back["clicks"][2] == 3.5
    assert back["provisional"].tolist() == [False, True, False]
    assert [str(d)[:10] for d in back["day"][:2]] == ["2025-03-01", "1969-12-31"] and np.isnat(back["day"][2])
    assert back["day"].dtype == np.dtype("datetime64[us]")
    assert back["title"].tolist() == ["Focaccia", None, "Crème brûlée ☕"]


def test_text_holding_the_separator_or_nothing_survives():
    back = round_trip({"a": np.array(["x\x00y", "", None], dtype=object), "b": np.array([None] * 3, dtype=object),
                       "c": np.array(["", "", ""], dtype=object)}, {"a": "text", "b": "text", "c": "text"})
    assert back["a"].tolist() == ["x\x00y", "", None]
    assert back["b"].tolist() == [None, None, None] and back["c"].tolist() == ["", "", ""]


def test_days_read_from_iso_text_datetimes_and_dates_agree():
    expected = ["2025-03-01", "2025-03-02"]
    for values in (np.array(expected, dtype=object), pd.to_datetime(pd.Series(expected)),
                   [dt.date(2025, 3, 1), dt.date(2025, 3, 2)]):
        assert [str(d)[:10] for d in columnar.datetimes(values)] == expected


def test_only_the_columns_asked_for_are_decoded():
    layout, data = columnar.encode({"a": np.array([1.0]), "b": np.array(["x"], dtype=object)},
                                   {"a": "f8", "b": "text"})
    assert list(columnar.decode(layout, data, 1, only={"b"})) == ["b"]


def test_no_rows():
    back = round_trip({"a": np.zeros(0), "t": np.zeros(0, dtype=object)}, {"a": "f8", "t": "text"})
    assert len(back["a"]) == 0 and len(back["t"]) == 0


def test_labels_keep_each_distinct_value_once_and_come_back():
    values = np.array(["Baking", None, "Baking", "Garden", ""] * 1000, dtype=object)
    layout, data = columnar.encode({"board": values}, {"board": "label"})
    assert len(data) < 5000 * 4 + 100  # a code per row, not the words again
    assert columnar.decode(layout, data, 5000)["board"].tolist() == values.tolist()


def test_counts_are_kept_narrow_and_fractions_exactly():
    counts, rates = np.array([1.0, 16_000_000.0, np.nan]), np.array([0.1, 1 / 3, np.nan])
    layout, data = columnar.encode({"c": counts, "r": rates}, {"c": "f8", "r": "f8"})
    assert len(data) == 3 * 4 + 3 * 8
    back = columnar.decode(layout, data, 3)
    np.testing.assert_array_equal(back["c"], counts)
    np.testing.assert_array_equal(back["r"], rates)
    assert back["c"].dtype == np.float64


def test_text_with_numbers_or_nan_in_it_keeps_nan_missing():
    back = round_trip({"t": np.array(["a", np.nan, 12, None], dtype=object)}, {"t": "text"})
    assert back["t"].tolist() == ["a", None, "12", None]
