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

This module recognises the file (``detect``), names its series and assembles the batch; ``export_sections``
splits the text into lines and sections, ``export_tables`` turns each table into frames and checks them.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from pinviewer.core.errors import UnreadableFile
from pinviewer.core.formats.export_sections import (FILTER_KEYS, HEAD_BYTES, METRIC_HEADERS, RANGE, RATE_HEADERS,
                                                    Days, ExportReader, Section, date_range, decode, delimiter_of,
                                                    fold, section_kind, split_lines)
from pinviewer.core.formats.export_tables import (boards_frames, check_cut_off, daily_frame, estimate_day,
                                                  pins_frames)
from pinviewer.core.formats.model import ACCOUNT, DAILY_KEYS, PERIOD_KEYS, ImportBatch
from pinviewer.core.formats.quoting import quote_cell

FORMAT = "pinterest_export"
LABEL = "Pinterest Analytics export"

MAX_BYTES = 20 * 1024 * 1024  # a five-year daily table with 50 Pins and boards is under 200 KB

# Filters as Pinterest writes them when nothing is filtered: an export with only these is the main series.
_DEFAULT_VALUES = frozenset({"", "all", "all pins", "not included", "none"})


# ---------------------------------------------------------------------------------------------- detection
def looks_like_export(head: str) -> bool:
    """True when the text has the export's structure: a range line near the top, and the daily table's
    ``Date,<metric>`` header or a ``Top Boards``/``Top Pins`` section with its ``Pinterest Link`` header."""
    delimiter = delimiter_of(head)
    lines = [ln for ln in split_lines(head, delimiter)[:400]]
    top = [ln for ln in lines[:6] if not ln.blank]
    has_range = any(len(ln.cells) == 1 and RANGE.fullmatch(ln.first) for ln in top[:3])  # the line is the range
    has_title = bool(top) and fold(top[0].text) in ("analytics overview", "pinterest analytics overview",
                                                      "overview")
    has_filters = sum(1 for ln in lines[:20] if len(ln.cells) in (1, 2) and fold(ln.first) in FILTER_KEYS) >= 2
    daily = any(len(ln.cells) >= 2 and fold(ln.first) == "date"
                and all(fold(c) in METRIC_HEADERS or fold(c) in RATE_HEADERS or c.strip() for c in ln.cells[1:])
                for ln in lines[:40])
    sections = any(section_kind(ln) is not None and isinstance(date_range(ln.first), tuple) for ln in lines)
    link_header = any(fold(ln.first) == "pinterest link" for ln in lines)
    structure = (daily or (sections and link_header))
    return structure and has_range and (has_title or has_filters or sections)



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
        text = decode(head)
    except Exception:  # noqa: BLE001 - not text: the other readers say why
        return None
    return "export" if looks_like_export(text) else None


# ---------------------------------------------------------------------------------------------- series
def series_of(filters: dict[str, str]) -> tuple[str | None, str]:
    """(series key, plain name) of an export's filters: (None, "All Pins") for the main series."""
    changed = {k: v for k, v in filters.items() if fold(v) not in _DEFAULT_VALUES}
    if not changed:
        return None, "All Pins"
    key = ";".join(f"{fold(k)}={fold(v)}" for k, v in sorted(changed.items(), key=lambda kv: fold(kv[0])))
    return key, series_label(changed)


def series_label(changed: dict[str, str]) -> str:
    """'Organic Pins on mobile', 'Your video Pins', 'Paid Pins on the web (age 25-34)'..."""
    folded = {fold(k): v.strip() for k, v in changed.items()}
    words: list[str] = []
    tail: list[str] = []
    source = fold(folded.pop("source", ""))
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
    device = fold(folded.pop("devices", folded.pop("device", "")))
    if device:
        tail.append({"mobile": "on mobile", "tablet": "on tablets", "web": "on the web",
                     "desktop": "on the web"}.get(device, f"on {device}"))
    claimed = folded.pop("claimed accounts", "")
    if claimed:
        tail.append(f"({claimed})")
    curated = fold(folded.pop("curated content", ""))
    if curated:
        tail.append("with curated content" if curated == "included" else f"(curated content: {curated})")
    for key, value in (("age", folded.pop("age", "")), ("gender", folded.pop("gender", ""))):
        if value:
            tail.append(f"({key} {value})" if key == "age" else f"({value.lower()})")
    for key, value in folded.items():
        tail.append(f"({key}: {value})")
    return quote_cell(" ".join([*words, *tail]), 80)



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
    reader = ExportReader(path, decode(data))
    title, period, filters, tables = reader.parse()
    batch = _batch(reader, title, period, filters, tables)
    batch.path = path
    return batch


def _batch(reader: ExportReader, title: str, period: Days | None, filters: dict[str, str],
           tables: list[Section]) -> ImportBatch:
    by_kind: dict[str, list[Section]] = {}
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
    daily = daily_frame(reader, by_kind.get("daily", [None])[0], period, meta)
    boards = boards_frames(reader, by_kind.get("boards", [None])[0], period, meta)
    pins = pins_frames(reader, by_kind.get("pins", [None])[0], period, meta)
    check_cut_off(reader, tables, period, daily)
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
    estimate = estimate_day(reader.notes)
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
