"""The lines above a table: a title, 'Key: value' facts and the date range the file covers.

Pinterest (guessed layout)::

    Pinterest analytics overview
    Date range: 2025-03-01 - 2025-03-07
    Filters: Content type: All; ...

Google Analytics 4 (also localised: 'Date de début', 'Startdatum'...)::

    # Traffic acquisition: Session source / medium
    # Start date: 20250301
    # End date: 20250331
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pinviewer.core.formats import vocabulary
from pinviewer.core.formats.date_parsing import decide_order, parse_date

_DATE_TOKEN = re.compile(
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|(?<!\d)\d{8}(?!\d)"
    r"|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|\d{1,2}\.? [A-Za-z]{3,9}\.? \d{4}"
)


def clean(line: str) -> str:
    """A preamble line without GA4's leading '#' and surrounding whitespace or separators."""
    return line.lstrip("\ufeff").strip().lstrip("#").strip().strip(",;\t").strip().strip('"').strip()


def facts(lines: list[str]) -> dict[str, Any]:
    """{'title': first line of text, 'items': {'Date range': '2025-03-01 - 2025-03-07', ...}, 'lines': [...]}."""
    title = None
    items: dict[str, str] = {}
    for raw in lines:
        line = clean(raw)
        if not line or set(line) <= set("-=_ "):
            continue
        if title is None:
            title = line
        key, sep, value = line.partition(":")
        if sep and key.strip() and len(key) <= 60:
            items.setdefault(key.strip(), value.strip())
    return {"title": title, "items": items, "lines": [ln.rstrip("\n") for ln in lines]}


def find_period(lines: list[str], *, dayfirst: bool = False) -> tuple[dt.date, dt.date] | None:
    """The date range a preamble states: a 'Date range: A - B' line, or 'Start date:' and 'End date:' lines."""
    tokens_seen = [t for raw in lines for t in _DATE_TOKEN.findall(clean(raw))]
    dayfirst, _reason = decide_order(tokens_seen, default_dayfirst=dayfirst)  # 13/01/2025 settles the order
    start = end = None
    for raw in lines:
        line = clean(raw)
        key, sep, value = line.partition(":")
        role = vocabulary.lookup_preamble_key(key) if sep else None
        if role in ("start", "end"):
            tokens = _DATE_TOKEN.findall(value)
            day = parse_date(tokens[0], dayfirst) if tokens else None
            if role == "start" and day:
                start = day
            elif role == "end" and day:
                end = day
        elif role == "range" or (not sep and len(_DATE_TOKEN.findall(line)) == 2):
            tokens = _DATE_TOKEN.findall(value if sep else line)
            if len(tokens) == 2:
                a, b = parse_date(tokens[0], dayfirst), parse_date(tokens[1], dayfirst)
                if a and b:
                    return (a, b) if a <= b else (b, a)
    if start and end:
        return (start, end) if start <= end else (end, start)
    return None
