"""Plausible figures and days: the ceilings a figure cannot pass for its unit, and the days figures can exist for
(from 2010, when Pinterest started, to tomorrow). Every reader, and the importer for every batch, checks them."""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

# The most one day can hold, per unit (a figure over a period may hold that many days' worth). Pinterest has
# about half a billion people a month: no account sees 10 billion impressions in a day.
COUNT_CEILING = 1e10
CEILINGS: dict[str, float] = {
    "count": COUNT_CEILING,
    "money": 1e12,  # revenue in any currency, either sign (refunds)
    "seconds": 86_400.0,  # an average time per visit: at most a day
    "milliseconds": 1e13,  # average watch time, or the total of 10^10 views of ~15 minutes
    "number": 1e6,  # events per session
}
CEILING_WORDS: dict[str, str] = {
    "count": "10,000,000,000 a day",
    "money": "1,000,000,000,000 a day",
    "seconds": "86,400 seconds (a whole day)",
    "milliseconds": "10,000,000,000,000 a day",
    "number": "1,000,000",
}


def implausible(unit: str, values: ArrayLike, days: float | np.ndarray = 1) -> tuple[np.ndarray, str]:
    """(mask, why): where a column's figures cannot be true for ``unit`` over ``days`` days (a number or an
    array, one per row): counts below zero or above their ceiling, rates outside 0-100 %, anything infinite.
    NaN (unknown) is never implausible. ``why`` ends a sentence that starts with the figure and the column."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(values)
    mask = np.isinf(values)
    with np.errstate(invalid="ignore"):
        if unit == "rate":
            mask |= finite & ((values < 0) | (values > 1 + 1e-9))
            return mask, "is not a rate: a rate lies between 0 and 100%."
        if unit in ("count", "seconds", "milliseconds", "number"):
            mask |= finite & (values < 0)
        ceiling = CEILINGS.get(unit)
        if ceiling is None:
            return mask, "is not a figure I can use."
        scale = np.maximum(np.asarray(days, dtype=np.float64), 1) if unit in ("count", "money", "milliseconds") \
            else 1.0
        mask |= finite & (np.abs(values) > ceiling * scale)
    return mask, (f"is not a believable figure: the most I accept is {CEILING_WORDS[unit]}. "
                  "Check the file; a spreadsheet may have mangled the number.")


# ---- plausible days ---------------------------------------------------------------------------------------

FIRST_DAY = dt.date(2010, 1, 1)  # Pinterest started in 2010: no figures come from before


def last_day(today: dt.date | None = None) -> dt.date:
    """The latest day a file may hold figures for: tomorrow (a day ahead of UTC somewhere in the world)."""
    return (today or dt.date.today()) + dt.timedelta(days=1)


def day_out_of_range(day: Any, today: dt.date | None = None) -> str | None:
    """Why ``day`` cannot have figures (before 2010, or after tomorrow), or None: the end of a sentence that
    starts with the day ("… is in the future: …"). ``day``: whatever a cell holds (a date, datetime, Timestamp,
    ISO text; None or NaN: no day)."""
    if day is None or (isinstance(day, float) and np.isnan(day)):
        return None
    if isinstance(day, dt.datetime):
        day = day.date()
    elif not isinstance(day, dt.date):
        try:
            day = pd.Timestamp(day).date()
        except (ValueError, TypeError):
            return None
    if day < FIRST_DAY:
        return "is before 2010, when Pinterest started: no figures can come from that day."
    if day > last_day(today):
        return "is in the future: figures exist only for days that have begun."
    return None


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_words(day: dt.date) -> str:
    """'1 Jun 2025' (a table of our own, not the C library's month names)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
