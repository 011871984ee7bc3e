"""Each coercion rule on its own (pinviewer.core.formats.coerce)."""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from pinviewer.core.formats import coerce


def numbers(values, decimal="."):
    return coerce.parse_numbers(np.array(values, dtype=object), decimal)


def test_plain_numbers():
    out = numbers(["12", "0.5", " 7 ", "1e3"])
    assert out.values.tolist() == [12.0, 0.5, 7.0, 1000.0]
    assert not out.bad.any() and not out.percent.any()


def test_quoted_thousands_separators():
    assert numbers(["12,480", "402", "1,234,567"]).values.tolist() == [12480.0, 402.0, 1234567.0]


def test_thousands_with_decimal_point():
    assert numbers(["1,234.5"]).values.tolist() == [1234.5]


def test_spaces_and_apostrophes_as_thousands_separators():
    assert numbers(["12 480", "12\u00a0480", "12\u202f480", "12'480"]).values.tolist() == [12480.0] * 4


def test_decimal_comma_in_semicolon_files():
    out = numbers(["1.234,5", "0,5", "12", "1.234"], decimal=",")
    assert out.values.tolist() == [1234.5, 0.5, 12.0, 1234.0]


def test_decimal_comma_keeps_dotted_fractions():
    # 0.032 cannot be a thousands separator: a leading zero group is never written
    assert numbers(["0.032", "0,5"], decimal=",").values.tolist() == [0.032, 0.5]


def test_comma_that_cannot_be_thousands_is_a_decimal_mark():
    out = numbers(["0,5", "12,480"], decimal=".")
    assert out.values.tolist() == [0.5, 12480.0]


def test_last_mark_is_the_decimal_mark():
    assert coerce.number_text("1.234,5", ".") == "1234.5"
    assert coerce.number_text("1,234.5", ",") == "1234.5"


def test_percent_sign_gives_fractions():
    out = numbers(["3.2%", "0.5 %", "12%"])
    assert np.allclose(out.values, [0.032, 0.005, 0.12])
    assert out.percent.all()


def test_decimal_comma_percent():
    assert np.allclose(numbers(["3,2%", "0,5%"], decimal=",").values, [0.032, 0.005])


@pytest.mark.parametrize("blank", ["", "-", "--", "–", "—", "n/a", "N/A", "  "])
def test_empty_cells_and_dashes_are_nan(blank):
    out = numbers(["5", blank])
    assert out.values[0] == 5.0 and math.isnan(out.values[1])
    assert not out.bad.any()


def test_none_and_nan_are_empty():
    out = coerce.parse_numbers([None, float("nan"), "3"])
    assert math.isnan(out.values[0]) and math.isnan(out.values[1]) and out.values[2] == 3.0
    assert not out.bad.any()


def test_text_where_a_number_belongs_is_bad():
    out = numbers(["12", "abc", "12x", "inf"])
    assert out.bad.tolist() == [False, True, True, True]
    assert math.isnan(out.values[1])


def test_currency_signs_are_dropped():
    assert numbers(["$1,824.50", "€12"]).values.tolist() == [1824.5, 12.0]


def test_negative_counts_are_found():
    out = numbers(["-3", "4", "−2"])  # the last one uses a Unicode minus sign
    assert out.values.tolist() == [-3.0, 4.0, -2.0]
    assert coerce.negative_mask(out.values).tolist() == [True, False, True]


def test_clock_durations_as_seconds():
    out = coerce.parse_numbers(np.array(["1:02", "0:01:30", "61.5"], dtype=object), clock=True)
    assert out.values.tolist() == [62.0, 90.0, 61.5]


# ---- rates -----------------------------------------------------------------------------------------------

def test_rate_values_with_percent_signs_stay_fractions():
    out = numbers(["3.2%", "3.3%"])
    values, in_percent = coerce.percent_scale(out.values, out.percent)
    assert np.allclose(values, [0.032, 0.033]) and not in_percent


def test_rate_fractions_stay_fractions():
    values, in_percent = coerce.percent_scale(np.array([0.032, 0.5, 0.012]), np.zeros(3, bool))
    assert np.allclose(values, [0.032, 0.5, 0.012]) and not in_percent


def test_rate_in_percent_when_most_values_exceed_one():
    values, in_percent = coerce.percent_scale(np.array([3.2, 3.3, 0.9]), np.zeros(3, bool))
    assert in_percent and np.allclose(values, [0.032, 0.033, 0.009])


def test_rate_in_percent_when_the_header_says_so():
    values, in_percent = coerce.percent_scale(np.array([0.5, 0.6]), np.zeros(2, bool), header_percent=True)
    assert in_percent and np.allclose(values, [0.005, 0.006])


def test_rate_scale_from_numerator_and_denominator():
    # 0.5 and 0.6 alone look like fractions, but the counts say 0.5 % (5 clicks / 1000 impressions)
    ratio = np.array([5 / 1000, 6 / 1000])
    values, in_percent = coerce.percent_scale(np.array([0.5, 0.6]), np.zeros(2, bool), ratio=ratio)
    assert in_percent and np.allclose(values, [0.005, 0.006])
    values, in_percent = coerce.percent_scale(np.array([0.005, 0.006]), np.zeros(2, bool), ratio=ratio)
    assert not in_percent and np.allclose(values, [0.005, 0.006])


# ---- dates -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2025-03-01", dt.date(2025, 3, 1)),
    ("2025/03/01", dt.date(2025, 3, 1)),
    ("20250301", dt.date(2025, 3, 1)),
    ("01.03.2025", dt.date(2025, 3, 1)),
    ("1.3.25", dt.date(2025, 3, 1)),
    ("2025-03-01 09:12:31", dt.date(2025, 3, 1)),
    ("Mar 1, 2025", dt.date(2025, 3, 1)),
    ("1 March 2025", dt.date(2025, 3, 1)),
])
def test_date_forms(text, expected):
    out = coerce.parse_dates([text])
    assert out.values[0] == expected and not out.bad.any()


def test_us_slashed_dates_by_default():
    out = coerce.parse_dates(["03/01/2025"])
    assert out.values[0] == dt.date(2025, 3, 1) and out.order == coerce.MDY


def test_day_first_when_a_first_number_exceeds_twelve():
    out = coerce.parse_dates(["03/01/2025", "25/01/2025"])
    assert out.values.tolist() == [dt.date(2025, 1, 3), dt.date(2025, 1, 25)] and out.order == coerce.DMY


def test_month_first_when_a_second_number_exceeds_twelve():
    out = coerce.parse_dates(["03/01/2025", "03/25/2025"], default_dayfirst=True)
    assert out.values.tolist() == [dt.date(2025, 3, 1), dt.date(2025, 3, 25)] and out.order == coerce.MDY


def test_consecutive_days_decide_the_order():
    days = [f"{d:02d}/03/2025" for d in range(1, 8)]  # 01/03 .. 07/03: day first gives one-day steps
    out = coerce.parse_dates(days, sequential=True)
    assert out.values[0] == dt.date(2025, 3, 1) and out.values[-1] == dt.date(2025, 3, 7)
    us = [f"03/{d:02d}/2025" for d in range(1, 8)]
    out = coerce.parse_dates(us, sequential=True, default_dayfirst=True)
    assert out.values[-1] == dt.date(2025, 3, 7)


def test_ambiguous_non_sequential_dates_use_the_default():
    assert coerce.parse_dates(["03/01/2025"], default_dayfirst=True).values[0] == dt.date(2025, 1, 3)


def test_unreadable_and_empty_dates():
    out = coerce.parse_dates(["2025-03-01", "12.4.2025x", "", "2025-02-30"])
    assert out.bad.tolist() == [False, True, False, True]
    assert out.blank.tolist() == [False, False, True, False]


def test_explicit_date_format():
    out = coerce.parse_dates(["01|03|2025"], date_format="%d|%m|%Y")
    assert out.values[0] == dt.date(2025, 3, 1)


# ---- rows and ids ----------------------------------------------------------------------------------------

def test_totals_rows():
    mask = coerce.total_mask(["Total", "Totals", "Grand total", "GRAND TOTAL", " total ", "Gesamt", "2025-03-01",
                              "Totally Organic", "", "1012345678901234567"])
    assert mask.tolist() == [True, True, True, True, True, True, False, False, False, False]


def test_pin_ids_from_digits_and_urls():
    out = coerce.pin_ids(["1012345678901234567", "https://www.pinterest.com/pin/1012345678901234568/",
                          "https://www.pinterest.de/pin/lemon-chicken--1012345678901234569/", "", "1.01235E+18", "abc"])
    assert out.ids.tolist()[:3] == ["1012345678901234567", "1012345678901234568", "1012345678901234569"]
    assert out.missing.tolist() == [False, False, False, True, False, False]
    assert out.mangled.tolist() == [False, False, False, False, True, False]
    assert out.bad.tolist() == [False, False, False, False, False, True]


@pytest.mark.parametrize("fmt", ["%Y-%m-%d", "%Y%m%d", "%d.%m.%Y", "%m/%d/%Y", "%Y-%m-%d %H:%M"])
def test_long_date_columns(fmt):
    days = [dt.date(2020, 3, 1) + dt.timedelta(days=i) for i in range(400)]
    texts = [d.strftime(fmt) for d in days]
    texts[17] = "2020-13-45"
    texts[18] = "3/20/2020"  # a different form in the same column is still read
    out = coerce.parse_dates(texts, sequential=True)
    assert out.bad.tolist() == [i == 17 for i in range(400)]
    assert out.values[18] == dt.date(2020, 3, 20)
    assert [v for i, v in enumerate(out.values) if i not in (17, 18)] == [d for i, d in enumerate(days)
                                                                          if i not in (17, 18)]


def test_control_character_inside_a_cell():
    out = numbers(["1\x1f2", "3"])
    assert out.values.tolist() == [12.0, 3.0]
