"""Writing Pinterest Analytics exports in the real layout (the sample blog's files, tests and benchmarks).

``export_text(start, end, daily_metric, daily_values, ...)`` returns the text Pinterest's Export button writes:
title, range, filters, a daily table of ONE metric, an optional estimate footer, Top Boards (every metric per
board) and Top Pins (ONE metric, the list's sort metric), `Not enough data.` for an empty table, CRLF line ends.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

DEFAULT_FILTERS: tuple[tuple[str, str], ...] = (
    ("Content types", "All"), ("Devices", "All"), ("Source", "All"), ("Publish Types", ""), ("Age", "All"),
    ("Gender", "All"), ("Claimed accounts", "All Pins"), ("Format", "All"), ("Curated content", "Not included"))
BOARD_METRICS = ("Impressions", "Engagement", "Pin clicks", "Outbound clicks", "Saves")
BOARDS_FOOTER = "Top boards table is restricted to data from the last 6 months."
PINS_FOOTER = "Top pins table is restricted to data from the last 6 months."


def export_text(start: dt.date, end: dt.date, daily_metric: str, daily_values: Sequence[float | None], *,
                filters: dict[str, str] | None = None, estimate_from: dt.date | None = None,
                boards: Sequence[tuple[str, Sequence[float | None]]] | None = None,
                pins: Sequence[tuple[str, str, str, str, float | None]] | None = None,
                pins_metric: str | None = None, boards_range: tuple[dt.date, dt.date] | None = None,
                pins_range: tuple[dt.date, dt.date] | None = None, title: str = "Analytics overview") -> str:
    """The export as text. ``daily_values``: one value per day from ``start`` (None: an empty cell).
    ``boards``: (board URL, [impressions, engagement, pin clicks, outbound clicks, saves]).
    ``pins``: (Pin URL, content type, source, canonical, value of ``pins_metric``)."""
    out = io.StringIO()
    rows = csv.writer(out, lineterminator="\r\n")
    out.write(f"{title}\r\n{start.isoformat()} - {end.isoformat()}\r\n")
    chosen = dict(DEFAULT_FILTERS)
    chosen.update(filters or {})
    for key, setting in chosen.items():
        rows.writerow([key, setting])
    out.write("\r\n")
    rows.writerow(["Date", daily_metric])
    for offset, value in enumerate(daily_values):
        rows.writerow([(start + dt.timedelta(days=offset)).isoformat(), _cell(value)])
    if estimate_from is not None:
        out.write(f"Data starting from {estimate_from.isoformat()} is an estimate that gets adjusted as it's "
                  "verified over time.\r\n")
    out.write("\r\n")
    b_start, b_end = boards_range or (start, end)
    out.write(f"Top Boards {b_start.isoformat()} - {b_end.isoformat()}\r\n")
    rows.writerow(["Pinterest Link", *BOARD_METRICS])
    if boards:
        for url, values in boards:
            rows.writerow([url, *(_cell(v) for v in values)])
    else:
        out.write("Not enough data.\r\n")
    footer = BOARDS_FOOTER
    if estimate_from is not None:
        footer += (f" This includes estimated data from {estimate_from.isoformat()}, which gets adjusted as it's "
                   "verified over time.")
    rows.writerow([footer])
    out.write("\r\n")
    p_start, p_end = pins_range or (start, end)
    out.write(f"Top Pins {p_start.isoformat()} - {p_end.isoformat()}\r\n")
    rows.writerow(["Pinterest Link", "Content Type", "Source", "Canonical", pins_metric or daily_metric])
    if pins:
        for url, content, source, canonical, value in pins:
            rows.writerow([url, content, source, canonical, _cell(value)])
    else:
        out.write("Not enough data.\r\n")
    rows.writerow([PINS_FOOTER])
    return out.getvalue()


def _cell(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
