"""The files the window tests drop: a multi-metric daily table and top-Pins tables with titles (the layouts
PinViewer's generic readers take, e.g. a blogger's own spreadsheet), plus Google Analytics reports, written
with the sample blog's figures. The sample blog itself ships Pinterest's real export layout (resources/demo)."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from pinviewer import paths
from pinviewer.core import demo


def write(folder: Path, names) -> list[Path]:
    """Write each named file into ``folder``: pinterest_overview_2y.csv, pinterest_top_pins_YYYY-MM.csv, or a
    file of the sample blog (ga4_*.csv...)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    dates, figures = demo.account_days(demo.DEMO_END, 730)
    impressions = dict(zip(dates, figures["impressions"]))
    pins = None
    for name in names:
        path = folder / name
        if name == "pinterest_overview_2y.csv":
            demo.write_overview(path, demo.DEMO_END)
        elif name.startswith("pinterest_top_pins_"):
            year, month = (int(x) for x in name[len("pinterest_top_pins_"):-4].split("-"))
            start = dt.date(year, month, 1)
            stop = min(demo._month_end(start), demo.DEMO_END)
            pins = pins or demo.make_pins(320, demo.DEMO_END)
            total = sum(int(v) for d, v in impressions.items() if start <= d <= stop)
            demo.write_top_pins(path, pins, start, stop, total_impressions=total * 0.8)
        else:
            shutil.copy(Path(paths.resource_path("demo")) / name, path)
        written.append(path)
    return written
