"""Each coercion rule on its own (pinviewer.core.formats: number_parsing, date_parsing, totals, pin_ids)."""
from __future__ import annotations

import datetime as dt
import math
import random

import numpy as np
import pytest

from pinviewer.core.formats import date_parsing, number_parsing, totals
from pinviewer.core.formats.pin_ids import pin_ids


def numbers(values, decimal="."):
    return number_parsing.parse_numbers(np.array(values, dtype=object), decimal)


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
    assert number_parsing.number_text("1.234,5", ".") == "1234.5"
    assert number_parsing.number_text("1,234.5", ",") == "1234.5"


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
    out = number_parsing.parse_numbers([None, float("nan"), "3"])
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
    assert number_parsing.negative_mask(out.values).tolist() == [True, False, True]


def test_clock_durations_as_seconds():
    out = number_parsing.parse_numbers(np.array(["1:02", "0:01:30", "61.5"], dtype=object), clock=True)
    assert out.values.tolist() == [62.0, 90.0, 61.5]


# ---- rates -----------------------------------------------------------------------------------------------

def test_rate_values_with_percent_signs_stay_fractions():
    out = numbers(["3.2%", "3.3%"])
    values, in_percent = number_parsing.percent_scale(out.values, out.percent)
    assert np.allclose(values, [0.032, 0.033]) and not in_percent


def test_rate_fractions_stay_fractions():
    values, in_percent = number_parsing.percent_scale(np.array([0.032, 0.5, 0.012]), np.zeros(3, bool))
    assert np.allclose(values, [0.032, 0.5, 0.012]) and not in_percent


def test_rate_in_percent_when_most_values_exceed_one():
    values, in_percent = number_parsing.percent_scale(np.array([3.2, 3.3, 0.9]), np.zeros(3, bool))
    assert in_percent and np.allclose(values, [0.032, 0.033, 0.009])


def test_rate_in_percent_when_the_header_says_so():
    values, in_percent = number_parsing.percent_scale(np.array([0.5, 0.6]), np.zeros(2, bool), header_percent=True)
    assert in_percent and np.allclose(values, [0.005, 0.006])


def test_rate_scale_from_numerator_and_denominator():
    # 0.5 and 0.6 alone look like fractions, but the counts say 0.5 % (5 clicks / 1000 impressions)
    ratio = np.array([5 / 1000, 6 / 1000])
    values, in_percent = number_parsing.percent_scale(np.array([0.5, 0.6]), np.zeros(2, bool), ratio=ratio)
    assert in_percent and np.allclose(values, [0.005, 0.006])
    values, in_percent = number_parsing.percent_scale(np.array([0.005, 0.006]), np.zeros(2, bool), ratio=ratio)
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
    out = date_parsing.parse_dates([text])
    assert out.values[0] == expected and not out.bad.any()


def test_us_slashed_dates_by_default():
    out = date_parsing.parse_dates(["03/01/2025"])
    assert out.values[0] == dt.date(2025, 3, 1) and out.order == date_parsing.MDY


def test_day_first_when_a_first_number_exceeds_twelve():
    out = date_parsing.parse_dates(["03/01/2025", "25/01/2025"])
    assert out.values.tolist() == [dt.date(2025, 1, 3), dt.date(2025, 1, 25)] and out.order == date_parsing.DMY


def test_month_first_when_a_second_number_exceeds_twelve():
    out = date_parsing.parse_dates(["03/01/2025", "03/25/2025"], default_dayfirst=True)
    assert out.values.tolist() == [dt.date(2025, 3, 1), dt.date(2025, 3, 25)] and out.order == date_parsing.MDY


def test_consecutive_days_decide_the_order():
    days = [f"{d:02d}/03/2025" for d in range(1, 8)]  # 01/03 .. 07/03: day first gives one-day steps
    out = date_parsing.parse_dates(days, sequential=True)
    assert out.values[0] == dt.date(2025, 3, 1) and out.values[-1] == dt.date(2025, 3, 7)
    us = [f"03/{d:02d}/2025" for d in range(1, 8)]
    out = date_parsing.parse_dates(us, sequential=True, default_dayfirst=True)
    assert out.values[-1] == dt.date(2025, 3, 7)


def test_ambiguous_non_sequential_dates_use_the_default():
    assert date_parsing.parse_dates(["03/01/2025"], default_dayfirst=True).values[0] == dt.date(2025, 1, 3)


def test_unreadable_and_empty_dates():
    out = date_parsing.parse_dates(["2025-03-01", "12.4.2025x", "", "2025-02-30"])
    assert out.bad.tolist() == [False, True, False, True]
    assert out.blank.tolist() == [False, False, True, False]


def test_explicit_date_format():
    out = date_parsing.parse_dates(["01|03|2025"], date_format="%d|%m|%Y")
    assert out.values[0] == dt.date(2025, 3, 1)


# ---- rows and ids ----------------------------------------------------------------------------------------

def test_totals_rows():
    mask = totals.total_mask(["Total", "Totals", "Grand total", "GRAND TOTAL", " total ", "Gesamt", "2025-03-01",
                              "Totally Organic", "", "1012345678901234567"])
    assert mask.tolist() == [True, True, True, True, True, True, False, False, False, False]


@pytest.mark.parametrize("fmt, year_zero", [("%Y-%m-%d", "0000-01-01"), ("%m/%d/%Y", "01/01/0000"),
                                             ("%Y%m%d", "00000101")])
def test_a_year_no_calendar_has_is_a_bad_date_in_a_long_column(fmt, year_zero):
    texts = [(dt.date(2020, 3, 1) + dt.timedelta(days=i)).strftime(fmt) for i in range(40)] + [year_zero]
    out = date_parsing.parse_dates(texts, sequential=True)
    assert out.bad.tolist() == [False] * 40 + [True]


def test_pin_ids_from_digits_and_urls():
    out = pin_ids(["1012345678901234567", "https://www.pinterest.com/pin/1012345678901234568/",
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
    out = date_parsing.parse_dates(texts, sequential=True)
    assert out.bad.tolist() == [i == 17 for i in range(400)]
    assert out.values[18] == dt.date(2020, 3, 20)
    assert [v for i, v in enumerate(out.values) if i not in (17, 18)] == [d for i, d in enumerate(days)
                                                                          if i not in (17, 18)]


def test_control_character_inside_a_cell():
    out = numbers(["1\x1f2", "3"])
    assert out.values.tolist() == [12.0, 3.0]


# ---- the quick ways give the careful way's answers (parse_numbers against careful_numbers) ----------------

def same_numbers(a, b) -> bool:
    """Bit for bit: the same floats (NaN where NaN, -0.0 where -0.0), the same % and bad marks."""
    return (a.values.dtype == b.values.dtype == np.float64 and np.array_equal(a.values, b.values, equal_nan=True)
            and np.array_equal(np.signbit(a.values), np.signbit(b.values))
            and np.array_equal(a.percent, b.percent) and np.array_equal(a.bad, b.bad))


def plain_number(rng, mark="."):
    digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 15)))
    if len(digits) > 1 and rng.random() < 0.6:
        cut = rng.randint(1, len(digits) - 1)
        digits = digits[:cut] + mark + digits[cut:]
    return ("-" if rng.random() < 0.3 else "") + digits


def test_plain_numbers_are_read_as_float_reads_them():
    rng = random.Random(5)
    texts = [plain_number(rng) for _ in range(20_000)] + ["-0", "-0.0", "007", "0.1", "2.675", "999999999999999",
                                                          "99999999999999.9", "0.000000000000001"]
    # 16 digits are more than a float64 holds exactly: those go the careful way, and must still come out right
    texts += ["9007199254740.993", "-900719925474099.7", "1234567890123.4567", "9999999999999999"]
    out = number_parsing.parse_numbers(np.array(texts, dtype=object))
    expected = np.array([float(t) for t in texts])
    assert np.array_equal(out.values, expected) and np.array_equal(np.signbit(out.values), np.signbit(expected))
    assert not out.bad.any() and not out.percent.any()


def test_a_column_where_only_some_values_need_the_careful_way():
    texts = ["1234", "-12.5", "0.032", " 7 ", "1e3", "", "+5", "1_000", "inf", "12.", ".5", "12345678901234567"]
    out = numbers(texts)
    assert out.values[:5].tolist() == [1234.0, -12.5, 0.032, 7.0, 1000.0]
    assert out.values[6:8].tolist() == [5.0, 1000.0] and out.values[9:11].tolist() == [12.0, 0.5]
    assert out.values[11] == float("12345678901234567")
    assert np.isnan(out.values[[5, 8]]).all() and out.bad.tolist() == [i == 8 for i in range(12)]
    assert same_numbers(out, number_parsing.careful_numbers(np.array(texts, dtype=object)))
    # a word in the column: the careful way converts it with pandas, which refuses '1_000' (float() takes it)
    out = numbers(texts + ["n/a", "abc"])
    assert np.isnan(out.values[7]) and out.bad[7] and out.bad[-1] and not out.bad[-2]
    assert same_numbers(out, number_parsing.careful_numbers(np.array(texts + ["n/a", "abc"], dtype=object)))
    texts = ["12,480", "3.2%", "1,234.5", "12 480", "€3", "-", "abc", "7"]
    out = numbers(texts)
    assert out.values[[0, 2, 3, 4, 7]].tolist() == [12480.0, 1234.5, 12480.0, 3.0, 7.0]
    assert out.values[1] == pytest.approx(0.032) and out.percent.tolist() == [i == 1 for i in range(8)]
    assert out.bad.tolist() == [i == 6 for i in range(8)]
    assert same_numbers(out, number_parsing.careful_numbers(np.array(texts, dtype=object)))


TRICKY = ["", " ", "-", "--", "–", "—", "n/a", "N/A", "nan", "(not set)", "abc", "1e3", " 12 ", "+5", "-3", "-0",
          "007", "1,5", "1.5", "1,234", "1234,567", "1,234.5", "1.234,5", "12'480", "12 480", "12\u00a0480", "$5",
          "€3,20", "3.2%", "3,2%", "%", "5%%", "-0.5%", "1_000", "inf", "Infinity", "0.12345678901234567",
          "123456789012345678", "1:02", "0:01:30", "\u22125", "1,2,3", ",5", "5,", ".5", "5.", "1..2", "True",
          "١٢", "0x10", "1.234.567", "0,123", "0.123", "-1,234", "1,234,567.891", "9007199254740993", "1.234\n",
          "12\x1f3", None, float("nan"), "  -4.5%  ", "\t7", "99999999999999.5", "1,000,000", "4.35%", "1-2", "12-",
          "-1-2", "1.2.3", "9007199254740.993", "-900719925474099.7", "12345678901234.567", "0.9999999999999999"]


@pytest.mark.parametrize("decimal", [".", ","])
def test_quick_ways_match_the_careful_way(decimal):
    rng = random.Random(11 if decimal == "." else 12)
    for _trial in range(600):
        kind = rng.random()
        size = rng.choice([1, 2, 3, 8, 40])
        if kind < 0.4:  # plain numbers (in the file's marks) with a few others
            values = [plain_number(rng, decimal) if rng.random() < 0.8 else rng.choice(TRICKY) for _ in range(size)]
        elif kind < 0.7:  # anything
            values = [rng.choice(TRICKY) for _ in range(size)]
        else:  # a long column of a few values (read through its distinct values), sometimes with a stray one
            pool = [plain_number(rng, decimal) + rng.choice(["", "", "%"]) if rng.random() < 0.7
                    else rng.choice(TRICKY) for _ in range(rng.choice([1, 3, 30]))]
            values = [rng.choice(pool) for _ in range(number_parsing._FEW_MIN + 100)]
            if rng.random() < 0.3:
                values[rng.randrange(len(values))] = rng.choice(TRICKY)
        column = np.array(values, dtype=object)
        clock = rng.random() < 0.2
        fast = number_parsing.parse_numbers(column, decimal, clock=clock)
        careful = number_parsing.careful_numbers(column, decimal, clock=clock)
        assert same_numbers(fast, careful), (decimal, clock, values[:40])


@pytest.mark.parametrize("decimal", [".", ","])
def test_columns_read_together_as_each_on_its_own(decimal):
    # parse_number_columns reads the plain numbers of all its columns in one numpy pass
    rng = random.Random(21 if decimal == "." else 22)
    for _trial in range(150):
        columns = []
        for _ in range(rng.randint(2, 6)):
            size = rng.choice([0, 1, 5, 30])
            kind = rng.random()
            if kind < 0.2:
                columns.append(np.array([""] * size, dtype=object))  # nothing in it
            elif kind < 0.3:
                columns.append(np.array(["Café", "12"] * size, dtype=object))  # not ASCII
            else:
                columns.append(np.array([plain_number(rng, decimal) + rng.choice(["", "", "%"])
                                         if rng.random() < 0.7 else rng.choice(TRICKY) for _ in range(size)],
                                        dtype=object))
        clocks = [rng.random() < 0.2 for _ in columns]
        together = number_parsing.parse_number_columns(columns, decimal, clocks)
        for column, clock, found in zip(columns, clocks, together):
            assert same_numbers(found, number_parsing.careful_numbers(column, decimal, clock=clock)), (decimal, list(column))


def test_a_long_column_of_few_values_with_words_in_it():
    # the careful way converts such a column with pandas: the distinct values are not enough then
    values = np.array(["0.0%", "1.5%", "abc", "2,5%", "-"] * 1000, dtype=object)
    assert same_numbers(number_parsing.parse_numbers(values), number_parsing.careful_numbers(values))
    assert number_parsing.parse_numbers(values).bad.sum() == 1000


# ---- text columns, first cells, ids, dates: the quick checks ---------------------------------------------

def test_text_column_strips_and_empties():
    from pinviewer.core.formats.batch_frames import text_column

    out = text_column(np.array([" Soup ", "Soup", "", "  ", "\u00a0Tea\u2003", "Café\n"], dtype=object))
    assert out.tolist() == ["Soup", "Soup", None, None, "Tea", "Café"]
    assert text_column(np.array(["a", None, float("nan"), 3], dtype=object)).tolist() == ["a", None, None, None]
    assert text_column(np.array([], dtype=object)).tolist() == []


def test_totals_rows_among_many_cells():
    # only cells starting with a letter or a space are looked at; 'Ｔｏｔａｌ' (full-width letters) folds to 'total'
    cells = ["1012345678901234567", "2025-03-01", "", " Total", "Σύνολο", "Gesamt", "Éclair", "Total", "\ttotal",
             "Ｔｏｔａｌ"]
    mask = totals.total_mask(np.array(cells * 10, dtype=object))
    expected = [v in {" Total", "Gesamt", "Total", "Ｔｏｔａｌ"} for v in cells] * 10
    assert mask.tolist() == expected
    assert totals.total_mask([None, "Total", float("nan")]).tolist() == [False, True, False]
    assert totals.total_mask(np.array([""], dtype=object)).tolist() == [False]


def test_pin_ids_in_other_digits_are_kept_as_before():
    # str.isdigit() says yes to these; the bytes check is only for ASCII text
    out = pin_ids(["١٢٣٤", "1012345678901234567"])
    assert out.ids.tolist() == ["١٢٣٤", "1012345678901234567"] and not out.bad.any()
    out = pin_ids(["1012345678901234567", "1012345678901234568 ", "10123x"])
    assert out.ids.tolist() == ["1012345678901234567", "1012345678901234568", ""] and out.bad.tolist() == [
        False, False, True]


def test_slashed_dates_found_among_iso_ones():
    out = date_parsing.parse_dates(["2025-03-01", " 03/02/2025", "2025-03-03"])
    assert out.values.tolist() == [dt.date(2025, 3, 1), dt.date(2025, 3, 2), dt.date(2025, 3, 3)]
    assert out.order == date_parsing.MDY
    assert date_parsing.parse_dates(["2025-03-01", "2025-03-02"]).order is None


def test_a_long_column_of_iso_days():
    # every value YYYY-MM-DD: read with date.fromisoformat, with what the format and parse_date gave before
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(30)]
    texts = [d.isoformat() for d in days] + ["2025-02-30", "1500-01-01", "9999-12-31", "2024-02-29", "2023-02-29"]
    out = date_parsing.parse_dates(np.array(texts, dtype=object))
    assert out.values.tolist() == days + [None, dt.date(1500, 1, 1), dt.date(9999, 12, 31), dt.date(2024, 2, 29), None]
    assert out.bad.tolist() == [False] * 30 + [True, False, False, False, True] and not out.blank.any()
    texts[3] = "2024-1-04"  # not YYYY-MM-DD: the pandas way for the column, as before
    assert date_parsing.parse_dates(texts).values.tolist()[3] == dt.date(2024, 1, 4)
