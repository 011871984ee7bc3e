"""Pinterest Analytics exports in the real layout (one file, three tables), written for tests and the sample blog.

``write_export(path, start, end, daily_metric, daily_values, pins=..., boards=...)`` writes a file as Pinterest's
Export button does: title, range, filters, the daily table (ONE metric), an optional estimate footer, Top Boards
(every metric) and Top Pins (ONE metric), with `Not enough data.` for an empty table and CRLF line ends.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from pinviewer.core.demo_exports import export_text

SAMPLES = Path(__file__).parent / "data" / "exports"
OUTBOUND = SAMPLES / "constructed_pinterest_overview_20250601-20250630.csv"
IMPRESSIONS = SAMPLES / "constructed_pinterest_overview_20250601-20250630_impressions.csv"
ORGANIC_MOBILE = SAMPLES / "constructed_pinterest_overview_20250601-20250630_organic_mobile.csv"
SAVES_ESTIMATE = SAMPLES / "constructed_pinterest_overview_20250501-20250731_saves_estimate_empty_tables.csv"


def write_export(path: Path, start: dt.date, end: dt.date, daily_metric: str = "Outbound clicks",
                 daily_values=None, **options) -> Path:
    """Write an export; ``daily_values`` maps days (or offsets from ``start``) to figures, None = empty cell."""
    days = (end - start).days + 1
    if daily_values is None:
        daily_values = [10 + (i * 7) % 13 for i in range(days)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(export_text(start, end, daily_metric, list(daily_values), **options).encode("utf-8"))
    return path
