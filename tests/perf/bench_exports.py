"""A year of a blogger's downloads in Pinterest's real layout: 12 months x 3 metrics = 36 exports, each with a
daily table, 5 boards and 50 Pins. Imports them all into a new history, then summarises the year.

Run by hand:  .venv/bin/python tests/perf/bench_exports.py [--repeat 5]
Prints medians and the ratio to a baseline measured in the same run (reading the same 36 files with
pandas.read_csv, one call per table, as a bare minimum of parsing them). Asserts nothing about time.
Targets (issue 12): all 36 imported in at most 2 s; the summary of that year < 100 ms.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def make_year(folder: Path) -> list[Path]:
    import numpy as np

    from exports import write_export

    rng = np.random.default_rng(1)
    files = []
    for month in range(1, 13):
        start = dt.date(2025, month, 1)
        end = (dt.date(2025 + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
        days = (end - start).days + 1
        boards = [(f"https://www.pinterest.com/blog/board-{b}/", [int(x) for x in rng.integers(10, 9000, 5)])
                  for b in range(5)]
        for label in ("Outbound clicks", "Saves", "Impressions"):
            pins = [(f"https://www.pinterest.com/pin/{551200000000000000 + int(p)}/", "Organic", "From you", "Yes",
                     int(v))
                    for p, v in zip(rng.choice(400, 50, replace=False), sorted(rng.integers(1, 900, 50))[::-1])]
            files.append(write_export(folder / f"{month:02d}-{label}.csv", start, end, label,
                                      [int(v) for v in rng.integers(20, 5000, days)], boards=boards, pins=pins,
                                      pins_metric=label))
    return files


def baseline(files: list[Path]) -> None:
    import pandas as pd

    for path in files:
        text = path.read_text()
        for block in text.split("\n\n")[1:]:
            pd.read_csv(io.StringIO(block), skiprows=1 if block.startswith("Top") else 0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from pinviewer.core import analysis
    from pinviewer.core.importer import import_files
    from pinviewer.core.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = make_year(folder / "files")
        imports, bases, summaries = [], [], []
        baseline(files)  # warm-up: pandas and the readers are imported on first use
        warm = Store.open(folder / "warm.sqlite")
        import_files(warm, warm.profile(), files[:1])
        warm.close()
        for round_ in range(args.repeat):
            started = time.perf_counter()
            baseline(files)
            bases.append(time.perf_counter() - started)
            with Store.open(folder / f"h{round_}.sqlite") as store:
                started = time.perf_counter()
                outcomes = import_files(store, store.profile(), files)
                imports.append(time.perf_counter() - started)
                assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
                data = store.load(store.profile())
                whole = analysis.Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
                started = time.perf_counter()
                analysis.summary(data, whole)
                summaries.append(time.perf_counter() - started)
        base, imp, summ = (statistics.median(x) for x in (bases, imports, summaries))
        print(f"36 real-layout exports (12 months x 3 metrics, 50 Pins and 5 boards each), {args.repeat} rounds")
        print(f"  baseline, pandas.read_csv of every table: {base * 1000:8.1f} ms")
        print(f"  import of all 36 into a new history:     {imp * 1000:8.1f} ms  ({imp / base:.1f}x baseline; "
              "target <= 2000 ms)")
        print(f"  summary of the year:                     {summ * 1000:8.1f} ms  (target < 100 ms)")


if __name__ == "__main__":
    main()
