"""Pinterest's real Analytics export: one file, three tables (docs/FORMATS.md §1 has the layout).

The *Export* button on Analytics > Overview writes::

    Analytics overview                          title
    2025-06-01 - 2025-06-30                     the range
    Content types,All                           the filters, one "Key,Value" line each
    ...
    <blank>
    Date,Outbound clicks                        the daily table: ONE metric, the one the chart showed
    2025-06-01,68                               (an empty cell is "no figure", not 0)
    Data starting from 2025-06-29 is an estimate ...            optional footer: provisional days
    <blank>
    Top Boards 2025-06-01 - 2025-06-30          every metric per board
    Pinterest Link,Impressions,Engagement,Pin clicks,Outbound clicks,Saves
    ...
    Top Pins 2025-06-01 - 2025-06-30            ONE metric: the list's sort metric
    Pinterest Link,Content Type,Source,Canonical,Outbound clicks

It is recognised by that structure, not by one file's contents, and read whole (exports are a few kilobytes;
anything past ``MAX_BYTES`` is not one). Everything goes into one ImportBatch: the account's days (``daily``),
the Pins and boards over the tables' ranges (``periods``, one metric per Pin list), their descriptions
(``entities``), the provisional days, and in ``meta`` the filters, the series they make, the footers as notes
and what each table held. A figure the file does not give stays NaN: unknown, never 0.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import numpy as np
import pandas as pd


from pinviewer.core.errors import UnreadableFile
from pinviewer.core.formats import date_parsing, number_parsing, plausible, quoting
from pinviewer.core.formats.quoting import quote_cell
from pinviewer.core.wording import format_short_date
from pinviewer.core.formats.model import ACCOUNT, BOARD, DAILY_KEYS, PERIOD_KEYS, PIN, ImportBatch, Problem

Days = tuple[dt.date, dt.date]  # the first and last day of a period

FORMAT = "pinterest_export"
LABEL = "Pinterest Analytics export"

MAX_BYTES = 20 * 1024 * 1024  # a five-year daily table with 50 Pins and boards is under 200 KB
HEAD_BYTES = 16 * 1024  # enough for the title, range, filters and the daily table's header
TOP_PINS_MONTHS = 6  # "Top pins table is restricted to data from the last 6 months."

# Export headers are English whatever the account's language (docs/FORMATS.md §1); folded names -> metric
_METRIC_HEADERS: dict[str, str] = {
    "impressions": "impressions",
    "engagement": "engagements",
    "engagements": "engagements",
    "pin clicks": "pin_clicks",
    "outbound clicks": "outbound_clicks",
    "saves": "saves",
    "total audience": "total_audience",
    "engaged audience": "engaged_audience",
    "monthly total audience": "monthly_total_audience",
    "monthly engaged audience": "monthly_engaged_audience",
    "profile visits": "profile_visits",
    "follows": "follows",
    "video views": "video_views",
    "video starts": "video_starts",
    "played to 95%": "video_95_views",
    "10-second plays": "video_10s_views",
    "10 second plays": "video_10s_views",
    "total play time (minutes)": "video_watch_time",
}
_SCALE = {"total play time (minutes)": 60_000.0}  # minutes in the file, milliseconds in the store

# Filters as Pinterest writes them when nothing is filtered: an export with only these is the main series.
_DEFAULT_VALUES = frozenset({"", "all", "all pins", "not included", "none"})

_RANGE = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})\s*(?:-|–|to)\s*(\d{4}-\d{1,2}-\d{1,2})")
# "Top Boards 2025-06-01 - 2025-06-30", "Top Pins ...", or a table Pinterest may add ("Top Video Pins ...")
_SECTION = re.compile(r"^\s*top\s+([a-z][a-z ]{1,30}?)\s*(\d{4}-\d{1,2}-\d{1,2}\s*(?:-|–|to)\s*\d{4}-\d{1,2}-\d{1,2})?"
                      r"\s*$", re.IGNORECASE)
_KINDS = {"boards": "boards", "board": "boards", "pins": "pins", "pin": "pins"}
_ESTIMATE = re.compile(r"estimate[ds]?\b.*?(\d{4}-\d{2}-\d{2})|(\d{4}-\d{2}-\d{2}).*?\bestimate", re.IGNORECASE)
_PIN_ID = re.compile(r"/pin/(\d{6,25})(?:/|$|\?)")
_FOLD_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    return _FOLD_SPACES.sub(" ", text.strip().strip('"').strip()).lower()


# ---------------------------------------------------------------------------------------------- lines
@dataclass
class _Line:
    number: int  # 1-based line in the file
    cells: list[str]  # csv cells, trailing empty ones dropped (a spreadsheet pads every row to one width)
    ended: bool = True  # the line had its line break (False: the last line of a file that was cut)

    @property
    def blank(self) -> bool:
        return not any(c.strip() for c in self.cells)

    @property
    def first(self) -> str:
        return self.cells[0].strip() if self.cells else ""

    @property
    def text(self) -> str:
        return ",".join(self.cells).strip()


def _decode(data: bytes) -> str:
    from pinviewer.core.formats.text_encoding import detect_encoding

    codec, _label, errors = detect_encoding(data[:HEAD_BYTES])
    try:
        return data.decode(codec, errors)
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


_BREAK = re.compile(r"\r\n|\r|\n")


def _split(text: str, delimiter: str) -> list[_Line]:
    text = text.lstrip("\ufeff")
    pieces = _BREAK.split(text)
    ended_last = not pieces[-1]  # the text ended with a line break
    if ended_last:
        pieces.pop()
    lines = []
    for i, raw in enumerate(pieces):
        cells = next(csv.reader([raw], delimiter=delimiter), []) if raw.strip() else []
        while cells and not cells[-1].strip():
            cells.pop()
        lines.append(_Line(i + 1, cells, ended=ended_last or i < len(pieces) - 1))
    return lines


def _delimiter(text: str) -> str:
    """The export uses commas; a spreadsheet saved in Europe may have turned them into semicolons or tabs."""
    for line in _BREAK.split(text[:HEAD_BYTES]):
        stripped = line.strip().lstrip("\ufeff").lstrip('"')
        if stripped.lower().startswith("date") and len(stripped) > 4 and stripped[4:5].strip('"') in (",", ";", "\t"):
            return stripped[4:5]
        match = re.match(r"(?i)(pinterest link|content types|devices)\"?([,;\t])", stripped)
        if match:
            return match.group(2)
    return ","


def _range(text: str) -> tuple[dt.date, dt.date] | None | str:
    """(start, end) from 'YYYY-MM-DD - YYYY-MM-DD'; None when there is none; the text when it is wrong."""
    match = _RANGE.search(text)
    if not match:
        return None
    try:
        start, end = (dt.date.fromisoformat(_iso(part)) for part in match.groups())
    except ValueError:
        return text
    return (start, end)


def _iso(day: str) -> str:
    y, m, d = day.split("-")
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


# ---------------------------------------------------------------------------------------------- detection
def looks_like_export(head: str) -> bool:
    """True when the text has the export's structure: a range line near the top, and the daily table's
    ``Date,<metric>`` header or a ``Top Boards``/``Top Pins`` section with its ``Pinterest Link`` header."""
    delimiter = _delimiter(head)
    lines = [ln for ln in _split(head, delimiter)[:400]]
    top = [ln for ln in lines[:6] if not ln.blank]
    has_range = any(len(ln.cells) == 1 and _RANGE.fullmatch(ln.first) for ln in top[:3])  # the line is the range
    has_title = bool(top) and _fold(top[0].text) in ("analytics overview", "pinterest analytics overview",
                                                      "overview")
    has_filters = sum(1 for ln in lines[:20] if len(ln.cells) in (1, 2) and _fold(ln.first) in _FILTER_KEYS) >= 2
    daily = any(len(ln.cells) >= 2 and _fold(ln.first) == "date"
                and all(_fold(c) in _METRIC_HEADERS or _fold(c) in _RATE_HEADERS or c.strip() for c in ln.cells[1:])
                for ln in lines[:40])
    sections = any(_section(ln) is not None and isinstance(_range(ln.first), tuple) for ln in lines)
    link_header = any(_fold(ln.first) == "pinterest link" for ln in lines)
    structure = (daily or (sections and link_header))
    return structure and has_range and (has_title or has_filters or sections)


_FILTER_KEYS = frozenset({"content types", "content type", "devices", "device", "source", "publish types",
                          "age", "gender", "claimed accounts", "format", "curated content"})
_RATE_HEADERS = frozenset({"engagement rate", "pin click rate", "outbound click rate", "save rate"})


def detect(path: Path) -> str | None:
    """'export' when ``path`` is a Pinterest Analytics export, else None. Only regular files are opened here (a
    FIFO or a device would block or never end): the importer says what to do with the others."""
    try:
        if not path.is_file():
            return None
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return None
    if not head or b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        text = _decode(head)
    except Exception:  # noqa: BLE001 - not text: the other readers say why
        return None
    return "export" if looks_like_export(text) else None


# ---------------------------------------------------------------------------------------------- series
def series_of(filters: dict[str, str]) -> tuple[str | None, str]:
    """(series key, plain name) of an export's filters: (None, "All Pins") for the main series."""
    changed = {k: v for k, v in filters.items() if _fold(v) not in _DEFAULT_VALUES}
    if not changed:
        return None, "All Pins"
    key = ";".join(f"{_fold(k)}={_fold(v)}" for k, v in sorted(changed.items(), key=lambda kv: _fold(kv[0])))
    return key, series_label(changed)


def series_label(changed: dict[str, str]) -> str:
    """'Organic Pins on mobile', 'Your video Pins', 'Paid Pins on the web (age 25-34)'..."""
    folded = {_fold(k): v.strip() for k, v in changed.items()}
    words: list[str] = []
    tail: list[str] = []
    source = _fold(folded.pop("source", ""))
    if source in ("your pins", "from you", "yours"):
        words.append("Your")
    elif source in ("other pins", "not from you", "others"):
        words.append("Other people's")
    elif source:
        tail.append(f"from {folded.get('source', source)}")
    for key in ("content types", "content type", "publish types", "format"):
        value = folded.pop(key, "")
        if value:
            words.append(value.lower() if words else value.capitalize())
    words.append("Pins")
    device = _fold(folded.pop("devices", folded.pop("device", "")))
    if device:
        tail.append({"mobile": "on mobile", "tablet": "on tablets", "web": "on the web",
                     "desktop": "on the web"}.get(device, f"on {device}"))
    claimed = folded.pop("claimed accounts", "")
    if claimed:
        tail.append(f"({claimed})")
    curated = _fold(folded.pop("curated content", ""))
    if curated:
        tail.append("with curated content" if curated == "included" else f"(curated content: {curated})")
    for key, value in (("age", folded.pop("age", "")), ("gender", folded.pop("gender", ""))):
        if value:
            tail.append(f"({key} {value})" if key == "age" else f"({value.lower()})")
    for key, value in folded.items():
        tail.append(f"({key}: {value})")
    return quote_cell(" ".join([*words, *tail]), 80)


# ---------------------------------------------------------------------------------------------- reading
@dataclass
class _Table:
    kind: str  # "daily", "boards", "pins"
    title_line: int | None
    header: _Line
    rows: list[_Line] = field(default_factory=list)
    notes: list[_Line] = field(default_factory=list)
    empty: bool = False  # "Not enough data."
    period: tuple[dt.date, dt.date] | None = None

    @property
    def name(self) -> str:
        return {"daily": "daily table", "boards": "Top Boards table", "pins": "Top Pins table"}.get(self.kind, "table")


class _Reader:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = _split(text, _delimiter(text))
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.skipped: list[str] = []

    def fail(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(f"Line {line}: {message}" if line else message))

    def warn(self, message: str) -> None:
        self.problems.append(Problem(message, fatal=False))

    # -- structure
    def parse(self) -> tuple[str, tuple[dt.date, dt.date] | None, dict[str, str], list[_Table]]:
        lines = self.lines
        i = 0
        while i < len(lines) and lines[i].blank:
            i += 1
        title = lines[i].text if i < len(lines) else ""
        period = None
        filters: dict[str, str] = {}
        # title, range, filters: until the first blank line or the daily header
        for ln in lines[i:i + 40]:
            if _fold(ln.first) == "date" and len(ln.cells) >= 2:
                break
            if _section(ln) is not None:
                break
            if ln.blank:
                if period is not None and filters:
                    break
                continue
            found = _range(ln.text) if len(ln.cells) == 1 else None
            if found is not None and period is None:
                if isinstance(found, str):
                    self.fail(ln.number, f"the date range '{quote_cell(found)}' is not a pair of real days.")
                    continue
                if found[1] < found[0]:
                    self.fail(ln.number, f"the date range ends ({found[1]}) before it starts ({found[0]}). "
                                         "Export the file again from Pinterest.")
                    continue
                period = found
            elif len(ln.cells) in (1, 2) and ln.number != lines[i].number:
                filters[ln.cells[0].strip()] = ln.cells[1].strip() if len(ln.cells) == 2 else ""
        tables = self._tables()
        return title, period, filters, tables

    def _tables(self) -> list[_Table]:
        tables: list[_Table] = []
        current: _Table | None = None
        pending: tuple[int, str, str] | None = None  # a section title waiting for its header: line, text, kind
        for ln in self.lines:
            if ln.blank:
                continue
            kind = _section(ln)
            if kind is not None:
                pending, current = (ln.number, ln.first, kind), None
                continue
            if pending is not None:
                current = _Table(pending[2], pending[0], ln)
                found = _range(pending[1])
                if current.kind == "other":
                    self.warn(f"Line {pending[0]}: I did not read the “{quote_cell(pending[1], 40)}” table; PinViewer "
                              "reads the daily table, Top Boards and Top Pins.")
                elif isinstance(found, str) or (isinstance(found, tuple) and found[1] < found[0]):
                    self.fail(pending[0], f"the {current.name}'s date range is not a valid range.")
                else:
                    current.period = found if isinstance(found, tuple) else None
                tables.append(current)
                pending = None
                continue
            if current is None and _fold(ln.first) == "date" and len(ln.cells) >= 2 \
                    and not any(t.kind == "daily" for t in tables):
                current = _Table("daily", None, ln)
                tables.append(current)
                continue
            if current is None or current.kind == "other":
                continue
            if _fold(ln.first).rstrip(".") == "not enough data" and len(ln.cells) == 1:
                current.empty = True
                continue
            if self._is_row(current, ln):
                if current.notes:  # a row after the footer: not how Pinterest writes it
                    self.fail(ln.number, f"a row of the {current.name} comes after its closing note; the file "
                                         "looks edited. Export it again from Pinterest.")
                current.rows.append(ln)
            else:
                current.notes.append(ln)
        return tables

    @staticmethod
    def _is_row(table: _Table, ln: _Line) -> bool:
        """A data row, or (False) a note under the table: a line of one cell that is not a date or a link."""
        filled = [c for c in ln.cells if c.strip()]
        if table.kind == "daily":
            return bool(re.match(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$", ln.first)) or len(filled) >= 2
        first = ln.first.lower()
        return len(filled) >= 2 or first.startswith(("http://", "https://", "www.", "pinterest.", "/pin/"))


def _section(ln: _Line) -> str | None:
    """'boards', 'pins' or 'other' when the line is a table's title ("Top Pins 2025-06-01 - 2025-06-30")."""
    if len(ln.cells) != 1:
        return None
    match = _SECTION.match(ln.first)
    if not match:
        return None
    name = _fold(match.group(1))
    kind = _KINDS.get(name)
    if kind is None and not match.group(2):  # "Top something" without a range is text, not a table
        return None
    return kind or "other"


def read(path: Path, *, cancelled: Callable[[], bool] | None = None) -> ImportBatch:
    """Read a Pinterest Analytics export into one ImportBatch (problems listed in it, never raised)."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise UnreadableFile(f"“{path.name}” is {size / 1e6:,.0f} MB: far larger than any Pinterest Analytics "
                             "export (a few kilobytes). It is not one, or something was added to it.")
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if cancelled is not None and cancelled():
        from pinviewer.core.errors import Cancelled
        raise Cancelled()
    reader = _Reader(path, _decode(data))
    title, period, filters, tables = reader.parse()
    batch = _batch(reader, title, period, filters, tables)
    batch.path = path
    return batch


def _batch(reader: _Reader, title: str, period: Days | None, filters: dict[str, str],
           tables: list[_Table]) -> ImportBatch:
    by_kind: dict[str, list[_Table]] = {}
    for table in tables:
        by_kind.setdefault(table.kind, []).append(table)
    for kind, name in (("daily", "daily table"), ("boards", "Top Boards table"), ("pins", "Top Pins table")):
        if len(by_kind.get(kind, [])) > 1:
            ranges = {t.period for t in by_kind[kind]}
            how = "with different date ranges" if len(ranges) > 1 else "twice"
            second = by_kind[kind][1]
            reader.fail(second.title_line or second.header.number,
                        f"the file has a second {name} {how}. A Pinterest export has one of each: export "
                        "the file again rather than joining two files.")
    if period is None:
        reader.fail(None, "The file has no date range line under its title (like “2025-06-01 - 2025-06-30”), so I "
                          "can't tell which days it covers. Export it again from Pinterest.")
    series, label = series_of(filters)
    meta: dict[str, Any] = {"title": quote_cell(title, 80),
                            "filters": {quote_cell(k, 40): quote_cell(v, 40) for k, v in filters.items()},
                            "series": series, "series_label": label, "tables": {}}
    daily = _daily(reader, by_kind.get("daily", [None])[0], period, meta)
    boards = _boards(reader, by_kind.get("boards", [None])[0], period, meta)
    pins = _pins(reader, by_kind.get("pins", [None])[0], period, meta)
    _cut_off(reader, tables, period, daily)
    for table in tables:
        for note in table.notes:
            text = quote_cell(note.text, 200)
            if text not in reader.notes:
                reader.notes.append(text)
    empty = [t.name for t in tables if t.empty or (not t.rows and t.kind != "daily")]
    if empty:
        reader.warn(f"Pinterest had “Not enough data.” for the {_and(empty)}: nothing from "
                    f"{'it' if len(empty) == 1 else 'them'} this time.")
    meta["notes"] = reader.notes
    if reader.skipped:
        meta["skipped"] = reader.skipped
    estimate = _estimate_day(reader.notes)
    provisional = pd.DataFrame(columns=list(DAILY_KEYS))
    if estimate is not None:
        meta["estimate_from"] = estimate.isoformat()
        if len(daily):
            days = daily.loc[daily["date"] >= estimate, "date"]
            provisional = pd.DataFrame({"entity_type": ACCOUNT, "entity_id": "", "date": days.to_numpy()})
    periods = pd.concat([f for f in (boards[0], pins[0]) if len(f)], ignore_index=True) \
        if len(boards[0]) or len(pins[0]) else pd.DataFrame(columns=list(PERIOD_KEYS))
    entities = pd.concat([f for f in (boards[1], pins[1]) if len(f)], ignore_index=True) \
        if len(boards[1]) or len(pins[1]) else pd.DataFrame(columns=["entity_type", "entity_id"])
    rows = sum(len(t.rows) for t in tables)
    return ImportBatch(format=FORMAT, format_label=LABEL, daily=daily, periods=periods, entities=entities,
                       provisional=provisional, confidence=1.0, source_rows=rows, unrecognised=list(reader.skipped),
                       problems=reader.problems, period=period, meta=meta)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _estimate_day(notes: list[str]) -> dt.date | None:
    for note in notes:
        match = _ESTIMATE.search(note)
        if match:
            try:
                return dt.date.fromisoformat(match.group(1) or match.group(2))
            except ValueError:
                continue
    return None


def _metric_columns(reader: _Reader, table: _Table, first: int) -> dict[int, str]:
    """Column index -> metric for the table's metric headers; unknown ones are skipped and named."""
    found: dict[int, str] = {}
    for index, header in enumerate(table.header.cells[first:], start=first):
        name = _fold(header)
        if not name:
            continue
        metric = _METRIC_HEADERS.get(name)
        if metric is None:
            what = "a rate (PinViewer works rates out from the counts)" if name in _RATE_HEADERS \
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


def _numbers(reader: _Reader, table: _Table, rows: list[_Line], index: int, header: str, metric: str) -> np.ndarray:
    """One metric column as floats: NaN where empty; a cell that is not a plausible count is a problem."""
    raw = [row.cells[index] if index < len(row.cells) else "" for row in rows]
    parsed = number_parsing.parse_numbers(raw)
    values = parsed.values.copy()
    scale = _SCALE.get(_fold(header))
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


def _daily(reader: _Reader, table: _Table | None, period: Days | None, meta: dict[str, Any]) -> pd.DataFrame:
    empty = pd.DataFrame(columns=list(DAILY_KEYS))
    if table is None:
        return empty
    columns = _metric_columns(reader, table, 1)
    meta["tables"]["daily"] = {"metrics": list(columns.values()), "rows": len(table.rows),
                               "skipped": [c for c in table.header.cells[1:] if _fold(c) not in _METRIC_HEADERS]}
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


def _period_for(reader: _Reader, table: _Table, period: Days | None) -> tuple[dt.date, dt.date] | None:
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


def _boards(reader: _Reader, table: _Table | None, period: Days | None,
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


def _pins(reader: _Reader, table: _Table | None, period: Days | None,
          meta: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    none = (pd.DataFrame(columns=list(PERIOD_KEYS)), pd.DataFrame(columns=["entity_type", "entity_id"]))
    if table is None:
        return none
    folded = [_fold(c) for c in table.header.cells]
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


def _duplicates(reader: _Reader, table: _Table, keys: list[str], what: str) -> None:
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
            return "name:" + _fold(plain), quote_cell(plain, 80)
        return None, None
    path = [unquote(p) for p in parts.path.split("/") if p]
    if len(path) < 2 or path[0].lower() == "pin":
        return None, None
    account, board = path[0], path[1]
    name = quoting.printable(board.replace("-", " ").replace("_", " ")).strip()
    name = name[:1].upper() + name[1:] if name else board
    return f"{account}/{board}".lower(), quote_cell(name, 80)


def _cut_off(reader: _Reader, tables: list[_Table], period: Days | None, daily: pd.DataFrame) -> None:
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

