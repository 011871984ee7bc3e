"""The frames of a Pinterest Analytics export: the account's days from the daily table, the boards and Pins of the
Top Boards and Top Pins tables over their ranges, and the checks on them (figures, days, duplicates, a download
cut short). Each function reads the sections ``export_sections`` found and adds its problems to the reader.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import unquote, urlsplit

import numpy as np
import pandas as pd

from pinviewer.core.formats import date_parsing, number_parsing, plausible, quoting
from pinviewer.core.formats.export_sections import (METRIC_HEADERS, RATE_HEADERS, Days, ExportReader, Line, Section,
                                                    fold)
from pinviewer.core.formats.model import ACCOUNT, BOARD, DAILY_KEYS, PERIOD_KEYS, PIN
from pinviewer.core.formats.quoting import quote_cell
from pinviewer.core.wording import format_short_date

TOP_PINS_MONTHS = 6  # "Top pins table is restricted to data from the last 6 months."
_SCALE = {"total play time (minutes)": 60_000.0}  # minutes in the file, milliseconds in the store
_ESTIMATE = re.compile(r"estimate[ds]?\b.*?(\d{4}-\d{2}-\d{2})|(\d{4}-\d{2}-\d{2}).*?\bestimate", re.IGNORECASE)
_PIN_ID = re.compile(r"/pin/(\d{6,25})(?:/|$|\?)")


def estimate_day(notes: list[str]) -> dt.date | None:
    for note in notes:
        match = _ESTIMATE.search(note)
        if match:
            try:
                return dt.date.fromisoformat(match.group(1) or match.group(2))
            except ValueError:
                continue
    return None


def _metric_columns(reader: ExportReader, table: Section, first: int) -> dict[int, str]:
    """Column index -> metric for the table's metric headers; unknown ones are skipped and named."""
    found: dict[int, str] = {}
    for index, header in enumerate(table.header.cells[first:], start=first):
        name = fold(header)
        if not name:
            continue
        metric = METRIC_HEADERS.get(name)
        if metric is None:
            what = "a rate (PinViewer works rates out from the counts)" if name in RATE_HEADERS \
                else "a figure PinViewer does not know"
            reader.skipped.append(quote_cell(header, 40))
            reader.warn(f"The {table.name}'s “{quote_cell(header, 40)}” column is {what}; I skipped it and read "
                        "the rest of the file.")
            continue
        if metric in found.values():
            reader.fail(table.header.number, f"the {table.name} has two “{quote_cell(header, 40)}” columns.")
            continue
        found[index] = metric
    return found


def _numbers(reader: ExportReader, table: Section, rows: list[Line], index: int, header: str,
             metric: str) -> np.ndarray:
    """One metric column as floats: NaN where empty; a cell that is not a plausible count is a problem."""
    raw = [row.cells[index] if index < len(row.cells) else "" for row in rows]
    parsed = number_parsing.parse_numbers(raw)
    values = parsed.values.copy()
    scale = _SCALE.get(fold(header))
    spelled = np.array([c.strip().lower().lstrip("+-") in ("nan", "inf", "infinity") for c in raw], dtype=bool)
    for i in np.flatnonzero(parsed.bad | parsed.percent | spelled):
        reader.fail(rows[i].number, f"“{quote_cell(raw[i])}” in the {table.name}'s {quote_cell(header, 40)} "
                                    "column is not a number.")
    finite = np.isfinite(values)
    for i in np.flatnonzero(~np.isnan(values) & (~finite | (values < 0) | (values > plausible.COUNT_CEILING))):
        reader.fail(rows[i].number, f"{quote_cell(raw[i])} {quote_cell(header, 40).lower()} in the {table.name} "
                                    "is not a possible figure (counts are whole numbers from 0 to 10 billion).")
    if scale:
        values = values * scale
    return values


def daily_frame(reader: ExportReader, table: Section | None, period: Days | None, meta: dict[str, Any]) -> pd.DataFrame:
    empty = pd.DataFrame(columns=list(DAILY_KEYS))
    if table is None:
        return empty
    columns = _metric_columns(reader, table, 1)
    meta["tables"]["daily"] = {"metrics": list(columns.values()), "rows": len(table.rows),
                               "skipped": [c for c in table.header.cells[1:] if fold(c) not in METRIC_HEADERS]}
    if table.empty or not table.rows:
        meta["tables"]["daily"]["empty"] = True
        return empty
    raw_days = [row.first for row in table.rows]
    dates = date_parsing.parse_dates(raw_days, sequential=True)
    today = dt.datetime.now(dt.UTC).date()
    for bad in np.flatnonzero(dates.bad):
        reader.fail(table.rows[bad].number, f"“{quote_cell(raw_days[bad])}” in the daily table is not a date.")
    seen: dict[dt.date, int] = {}
    for i, day in enumerate(dates.values):
        if day is None:
            continue
        line = table.rows[i].number
        if day < plausible.FIRST_DAY or day > plausible.last_day(today):
            reader.fail(line, f"the day {day.isoformat()} is impossible for a Pinterest figure (before 2010 or "
                              "in the future).")
        elif day in seen:
            reader.fail(line, f"the day {day.isoformat()} appears twice in the daily table (also line "
                              f"{seen[day]}).")
        else:
            seen[day] = line
        if period is not None and not period[0] <= day <= period[1]:
            reader.fail(line, f"the day {day.isoformat()} is outside the file's range {period[0]} – {period[1]}.")
    frame = {"entity_type": ACCOUNT, "entity_id": "", "date": dates.values}
    for index, metric in columns.items():
        frame[metric] = _numbers(reader, table, table.rows, index, table.header.cells[index], metric)
    return pd.DataFrame(frame) if columns else empty


def _period_for(reader: ExportReader, table: Section, period: Days | None) -> tuple[dt.date, dt.date] | None:
    span = table.period or period
    if span is None:
        return None
    if table.period is None:
        first, last = (format_short_date(day, year=True) for day in span)
        reader.notes.append(f"The {table.name} has no dates of its own; I used the file's, {first} – {last}.")
    start, end = span
    earliest = _months_before(end, TOP_PINS_MONTHS)
    if start < earliest:  # Pinterest fills these tables from the last 6 months only
        note = (f"The {table.name} counts {format_short_date(earliest, year=True)} – "
                f"{format_short_date(end, year=True)} only: Pinterest fills it from the last 6 months of the range.")
        reader.notes.append(note)
        start = earliest
    return start, end


def _months_before(day: dt.date, months: int) -> dt.date:
    """The first day of the ``months`` months that end on ``day`` (30 Jun, 6 -> 1 Jan)."""
    after = day + dt.timedelta(days=1)
    year, month = divmod(after.year * 12 + after.month - 1 - months, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(after.day, last))


def boards_frames(reader: ExportReader, table: Section | None, period: Days | None,
            meta: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    none = (pd.DataFrame(columns=list(PERIOD_KEYS)), pd.DataFrame(columns=["entity_type", "entity_id"]))
    if table is None:
        return none
    columns = _metric_columns(reader, table, 1)
    meta["tables"]["top_boards"] = {"rows": len(table.rows), "metrics": list(columns.values())}
    if table.empty or not table.rows:
        meta["tables"]["top_boards"]["empty"] = True
        return none
    span = _period_for(reader, table, period)
    keys, names, urls = [], [], []
    for row in table.rows:
        key, name = board_key(row.first)
        if key is None:
            reader.fail(row.number, f"“{quote_cell(row.first)}” in the Top Boards table is not a board's Pinterest "
                                    "link.")
        keys.append(key or "")
        names.append(name)
        urls.append(row.first.strip())
    _duplicates(reader, table, keys, "board")
    frame: dict[str, Any] = {"entity_type": BOARD, "entity_id": keys, "start": span[0] if span else None,
             "end": span[1] if span else None}
    for index, metric in columns.items():
        frame[metric] = _numbers(reader, table, table.rows, index, table.header.cells[index], metric)
    entities = pd.DataFrame({"entity_type": BOARD, "entity_id": keys, "name": names, "url": urls})
    return pd.DataFrame(frame), entities


def pins_frames(reader: ExportReader, table: Section | None, period: Days | None,
          meta: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    none = (pd.DataFrame(columns=list(PERIOD_KEYS)), pd.DataFrame(columns=["entity_type", "entity_id"]))
    if table is None:
        return none
    folded = [fold(c) for c in table.header.cells]
    described = {name: folded.index(name) for name in ("content type", "source", "canonical") if name in folded}
    first_metric = max([0, *described.values()]) + 1
    columns = _metric_columns(reader, table, first_metric)
    meta["tables"]["top_pins"] = {"rows": len(table.rows), "metrics": list(columns.values())}
    if table.empty or not table.rows:
        meta["tables"]["top_pins"]["empty"] = True
        return none
    span = _period_for(reader, table, period)
    ids = []
    for row in table.rows:
        match = _PIN_ID.search(row.first + "/") or (re.fullmatch(r"\d{6,25}", row.first.strip()) and
                                                    re.match(r"(\d+)", row.first.strip()))
        if not match:
            reader.fail(row.number, f"“{quote_cell(row.first)}” in the Top Pins table has no Pin id (a link like "
                                    "https://www.pinterest.com/pin/123456789/).")
            ids.append("")
        else:
            ids.append(match.group(1))
    _duplicates(reader, table, ids, "Pin")
    frame: dict[str, Any] = {"entity_type": PIN, "entity_id": ids, "start": span[0] if span else None,
             "end": span[1] if span else None}
    for index, metric in columns.items():
        frame[metric] = _numbers(reader, table, table.rows, index, table.header.cells[index], metric)
    entities: dict[str, Any] = {"entity_type": PIN, "entity_id": ids, "url": [row.first.strip() for row in table.rows]}
    for name, field_name in (("content type", "content_type"), ("source", "pin_source"), ("canonical", "canonical")):
        if name in described:
            index = described[name]
            entities[field_name] = [quote_cell(row.cells[index], 60) if index < len(row.cells) else None
                                    for row in table.rows]
    return pd.DataFrame(frame), pd.DataFrame(entities)


def _duplicates(reader: ExportReader, table: Section, keys: list[str], what: str) -> None:
    seen: dict[str, int] = {}
    for key, row in zip(keys, table.rows):
        if not key:
            continue
        if key in seen:
            reader.fail(row.number, f"the same {what} is listed twice in the {table.name} (also line {seen[key]}).")
        else:
            seen[key] = row.number


def board_key(url: str) -> tuple[str | None, str | None]:
    """('account/board', 'Board name') from a board's Pinterest link; (None, None) when it is not one."""
    text = url.strip()
    if not text.lower().startswith(("http://", "https://")):
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None, None
    if "pinterest." not in parts.netloc.lower():
        plain = quoting.printable(url).strip()
        if plain and "/" not in plain and "." not in plain:  # a board's name instead of its link
            return "name:" + fold(plain), quote_cell(plain, 80)
        return None, None
    path = [unquote(p) for p in parts.path.split("/") if p]
    if len(path) < 2 or path[0].lower() == "pin":
        return None, None
    account, board = path[0], path[1]
    name = quoting.printable(board.replace("-", " ").replace("_", " ")).strip()
    name = name[:1].upper() + name[1:] if name else board
    return f"{account}/{board}".lower(), quote_cell(name, 80)


def check_cut_off(reader: ExportReader, tables: list[Section], period: Days | None, daily: pd.DataFrame) -> None:
    """A download cut short: the last line lost its end, a row lost cells, or the daily table stops early
    with nothing after it. Said with the table and line; nothing of such a file is stored."""
    if not tables:
        if not reader.problems:
            reader.fail(None, "The file has the title and dates of a Pinterest export but none of its tables: the "
                              "download was probably cut off. Export it again from Pinterest.")
        return
    for table in tables:
        width = len(table.header.cells)
        for row in table.rows:
            if len(row.cells) < width and not (table.kind == "daily" and len(row.cells) == 1):
                missing_end = row is table.rows[-1]
                what = "is cut off" if missing_end else "has fewer cells than the table's header"
                reader.fail(row.number, f"this row of the {table.name} {what}"
                                        + (": the download was probably interrupted. Export it again."
                                           if missing_end else "."))
            elif len(row.cells) > width:
                reader.fail(row.number, f"this row of the {table.name} has more cells than its header.")
    last = tables[-1]
    if last.kind == "daily" and period is not None and len(daily):
        days = [d for d in daily["date"] if d is not None]
        if days and max(days) < period[1] and not last.notes:
            reader.fail(last.rows[-1].number if last.rows else last.header.number,
                        f"the file stops in the daily table at {max(days)}, but it says it covers up to "
                        f"{period[1]}, and the Top Boards and Top Pins tables are missing: the download was "
                        "probably cut off. Export it again from Pinterest.")

