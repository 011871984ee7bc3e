"""Pinterest's Analytics export as lines and sections: the file's text split into csv lines, the title, date
range and filters above the tables, and each table (the daily table, Top Boards, Top Pins) with its header, rows
and the notes under it. ``ExportReader`` also collects what is wrong (``fail``, ``warn``) and the notes and
skipped columns that building the batch (``export_tables``) adds to.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from pinviewer.core.formats.model import Problem
from pinviewer.core.formats.quoting import quote_cell

Days = tuple[dt.date, dt.date]  # the first and last day of a period

HEAD_BYTES = 16 * 1024  # enough for the title, range, filters and the daily table's header

# Export headers are English whatever the account's language (docs/FORMATS.md §1); folded names -> metric
METRIC_HEADERS: dict[str, str] = {
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

RANGE = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})\s*(?:-|–|to)\s*(\d{4}-\d{1,2}-\d{1,2})")
# "Top Boards 2025-06-01 - 2025-06-30", "Top Pins ...", or a table Pinterest may add ("Top Video Pins ...")
_SECTION = re.compile(r"^\s*top\s+([a-z][a-z ]{1,30}?)\s*(\d{4}-\d{1,2}-\d{1,2}\s*(?:-|–|to)\s*\d{4}-\d{1,2}-\d{1,2})?"
                      r"\s*$", re.IGNORECASE)
_KINDS = {"boards": "boards", "board": "boards", "pins": "pins", "pin": "pins"}
_FOLD_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    return _FOLD_SPACES.sub(" ", text.strip().strip('"').strip()).lower()


@dataclass
class Line:
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


def decode(data: bytes) -> str:
    from pinviewer.core.formats.text_encoding import detect_encoding

    codec, _label, errors = detect_encoding(data[:HEAD_BYTES])
    try:
        return data.decode(codec, errors)
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str, delimiter: str) -> list[Line]:
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
        lines.append(Line(i + 1, cells, ended=ended_last or i < len(pieces) - 1))
    return lines


def delimiter_of(text: str) -> str:
    """The export uses commas; a spreadsheet saved in Europe may have turned them into semicolons or tabs."""
    for line in _BREAK.split(text[:HEAD_BYTES]):
        stripped = line.strip().lstrip("\ufeff").lstrip('"')
        if stripped.lower().startswith("date") and len(stripped) > 4 and stripped[4:5].strip('"') in (",", ";", "\t"):
            return stripped[4:5]
        match = re.match(r"(?i)(pinterest link|content types|devices)\"?([,;\t])", stripped)
        if match:
            return match.group(2)
    return ","


def date_range(text: str) -> tuple[dt.date, dt.date] | None | str:
    """(start, end) from 'YYYY-MM-DD - YYYY-MM-DD'; None when there is none; the text when it is wrong."""
    match = RANGE.search(text)
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



FILTER_KEYS = frozenset({"content types", "content type", "devices", "device", "source", "publish types",
                          "age", "gender", "claimed accounts", "format", "curated content"})
RATE_HEADERS = frozenset({"engagement rate", "pin click rate", "outbound click rate", "save rate"})


@dataclass
class Section:
    kind: str  # "daily", "boards", "pins"
    title_line: int | None
    header: Line
    rows: list[Line] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)
    empty: bool = False  # "Not enough data."
    period: tuple[dt.date, dt.date] | None = None

    @property
    def name(self) -> str:
        return {"daily": "daily table", "boards": "Top Boards table", "pins": "Top Pins table"}.get(self.kind, "table")


class ExportReader:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = split_lines(text, delimiter_of(text))
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.skipped: list[str] = []

    def fail(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(f"Line {line}: {message}" if line else message))

    def warn(self, message: str) -> None:
        self.problems.append(Problem(message, fatal=False))

    # -- structure
    def parse(self) -> tuple[str, tuple[dt.date, dt.date] | None, dict[str, str], list[Section]]:
        lines = self.lines
        i = 0
        while i < len(lines) and lines[i].blank:
            i += 1
        title = lines[i].text if i < len(lines) else ""
        period = None
        filters: dict[str, str] = {}
        # title, range, filters: until the first blank line or the daily header
        for ln in lines[i:i + 40]:
            if fold(ln.first) == "date" and len(ln.cells) >= 2:
                break
            if section_kind(ln) is not None:
                break
            if ln.blank:
                if period is not None and filters:
                    break
                continue
            found = date_range(ln.text) if len(ln.cells) == 1 else None
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

    def _tables(self) -> list[Section]:
        tables: list[Section] = []
        current: Section | None = None
        pending: tuple[int, str, str] | None = None  # a section title waiting for its header: line, text, kind
        for ln in self.lines:
            if ln.blank:
                continue
            kind = section_kind(ln)
            if kind is not None:
                pending, current = (ln.number, ln.first, kind), None
                continue
            if pending is not None:
                current = Section(pending[2], pending[0], ln)
                found = date_range(pending[1])
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
            if current is None and fold(ln.first) == "date" and len(ln.cells) >= 2 \
                    and not any(t.kind == "daily" for t in tables):
                current = Section("daily", None, ln)
                tables.append(current)
                continue
            if current is None or current.kind == "other":
                continue
            if fold(ln.first).rstrip(".") == "not enough data" and len(ln.cells) == 1:
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
    def _is_row(table: Section, ln: Line) -> bool:
        """A data row, or (False) a note under the table: a line of one cell that is not a date or a link."""
        filled = [c for c in ln.cells if c.strip()]
        if table.kind == "daily":
            return bool(re.match(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$", ln.first)) or len(filled) >= 2
        first = ln.first.lower()
        return len(filled) >= 2 or first.startswith(("http://", "https://", "www.", "pinterest.", "/pin/"))


def section_kind(ln: Line) -> str | None:
    """'boards', 'pins' or 'other' when the line is a table's title ("Top Pins 2025-06-01 - 2025-06-30")."""
    if len(ln.cells) != 1:
        return None
    match = _SECTION.match(ln.first)
    if not match:
        return None
    name = fold(match.group(1))
    kind = _KINDS.get(name)
    if kind is None and not match.group(2):  # "Top something" without a range is text, not a table
        return None
    return kind or "other"
