"""What a reader hands to the store: the parsed content of one file (or one API sync).

Three tables, all keyed by (entity_type, entity_id):

* ``daily``    one row per entity and day: ``entity_type, entity_id, date`` + metric columns
* ``periods``  one row per entity over a date range: ``entity_type, entity_id, start, end`` + metric columns
* ``entities`` descriptive fields: ``entity_type, entity_id`` + any of ENTITY_FIELDS

Dates are ``datetime.date`` objects (UTC calendar days, as Pinterest counts them). Metric columns use the
canonical names of ``pinviewer.core.metrics``; values are floats, rates as fractions, NaN where the file
has no value. A missing column means "this file says nothing about that metric".
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

# Entity types
ACCOUNT = "account"  # the whole Pinterest account; entity_id ""
PIN = "pin"  # entity_id = Pin id
BOARD = "board"  # entity_id = board id
SOURCE = "source"  # Google Analytics session source / medium, e.g. "pinterest.com / referral"
CHANNEL = "channel"  # Google Analytics channel group, e.g. "Organic Social"
SITE = "site"  # the whole website, daily; entity_id "all"
POST = "post"  # a landing page, normalised URL, Pinterest traffic only
PAGE = "page"  # a landing page, normalised URL, all traffic (report had no source column)

# ``link`` is where a Pin leads (the blog post); ``url`` is the Pin's or board's own page on Pinterest.
# ``content_type`` is Organic/Paid and ``pin_source`` From you/Not from you (Pinterest's export), not the format.
ENTITY_FIELDS: tuple[str, ...] = ("title", "link", "board", "board_id", "created", "format", "description",
                                  "image_url", "name", "url", "content_type", "pin_source", "canonical")

DAILY_KEYS = ("entity_type", "entity_id", "date")
PERIOD_KEYS = ("entity_type", "entity_id", "start", "end")
ENTITY_KEYS = ("entity_type", "entity_id")


_EMPTY: dict[tuple[str, ...], pd.DataFrame] = {}


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    """``pd.DataFrame(columns=list(columns))``, copied from one made once (a copy costs a tenth)."""
    frame = _EMPTY.get(columns)
    if frame is None:
        frame = _EMPTY[columns] = pd.DataFrame(columns=list(columns))
    return frame.copy()


@dataclass
class Problem:
    """Something wrong in a file, said so a blogger understands; row/column point at it (1-based row)."""

    message: str
    row: int | None = None
    column: str | None = None
    fatal: bool = True  # a fatal problem stops the import; a warning is only shown

    def __str__(self) -> str:
        return f"Row {self.row}: {self.message}" if self.row else self.message


@dataclass
class ImportBatch:
    """Everything one file (or one API sync) says, ready for the store."""

    format: str  # registry name: pinterest_overview, pinterest_top_pins, ga4_traffic, ga4_landing, mapped, api
    format_label: str  # what a person reads: "Pinterest account overview"
    daily: pd.DataFrame = field(default_factory=lambda: _empty(DAILY_KEYS))
    periods: pd.DataFrame = field(default_factory=lambda: _empty(PERIOD_KEYS))
    entities: pd.DataFrame = field(default_factory=lambda: _empty(ENTITY_KEYS))
    # days whose figures Pinterest may still change (API data_status not READY)
    provisional: pd.DataFrame = field(default_factory=lambda: _empty(DAILY_KEYS))
    confidence: float = 1.0  # 1.0: recognised with certainty; below 0.8 the GUI asks before importing
    source_rows: int = 0  # data rows read from the file (totals and blank rows not counted)
    unrecognised: list[str] = field(default_factory=list)  # column names the reader did not use
    problems: list[Problem] = field(default_factory=list)
    period: tuple[dt.date, dt.date] | None = None  # the date range the file says it covers
    path: Path | None = None
    meta: dict = field(default_factory=dict)  # preamble facts: title, filters, sorted-by...

    @property
    def fatal_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.fatal]

    def metrics(self) -> list[str]:
        """Canonical metric names this batch has values for."""
        from pinviewer.core.metrics import NAMES

        found = []
        for frame in (self.daily, self.periods):
            for name in NAMES:
                if name in frame.columns and name not in found and frame[name].notna().any():
                    found.append(name)
        return found

    def date_range(self) -> tuple[dt.date, dt.date] | None:
        """First and last day the figures cover."""
        days = []
        for frame, first, last in ((self.daily, "date", "date"), (self.periods, "start", "end")):
            if not len(frame):
                continue
            starts, ends = frame[first].dropna(), frame[last].dropna()  # a top-Pins file may lack its dates
            if len(starts) and len(ends):
                days += [starts.min(), ends.max()]
        if not days and self.period:
            return self.period
        return (min(days), max(days)) if days else None

    @property
    def rows(self) -> int:
        return len(self.daily) + len(self.periods)
