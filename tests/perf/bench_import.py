"""Import and summary on 5 years of daily overview rows plus a 50,000-Pin top-Pins export.

Run by hand:  .venv/bin/python tests/perf/bench_import.py [--repeat 9]
Prints medians and ratios to the baseline (plain pandas.read_csv of the same files) measured in the same
run, baseline and import interleaved round by round (one warm-up import first: the readers are imported on
first use), and the peak memory of an import in a fresh process. Asserts nothing about time.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_files(folder: Path) -> tuple[Path, Path]:
    from pinviewer.core.demo import make_pins, write_overview, write_top_pins

    end = dt.date(2026, 11, 22)
    overview, top = folder / "overview_5y.csv", folder / "top_pins_50k.csv"
    write_overview(overview, end=end, days=1826)
    write_top_pins(top, make_pins(50000, end), end - dt.timedelta(days=89), end)
    return overview, top


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


PEAK_SCRIPT = """
import json, resource, sys, time
from pathlib import Path
from pinviewer.core.importer import import_files
from pinviewer.core.store import Store
store = Store.open(Path(sys.argv[1]))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
outcomes = import_files(store, store.profile(), [Path(p) for p in sys.argv[2:]])
assert all(o.ok for o in outcomes), [o.error for o in outcomes]
print(json.dumps({"baseline_kb": before, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    import pandas as pd

    from pinviewer.core import analysis
    from pinviewer.core.importer import import_files
    from pinviewer.core.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        overview, top = make_files(folder)
        sizes = {p.name: p.stat().st_size for p in (overview, top)}

        def baseline():
            pd.read_csv(overview, skiprows=4)
            pd.read_csv(top, skiprows=4)

        counter = iter(range(10**6))

        def full_import():
            db = folder / f"bench-{next(counter)}.sqlite"
            with Store.open(db) as store:
                outcomes = import_files(store, store.profile(), [overview, top])
                assert all(o.ok for o in outcomes), [o.error for o in outcomes]

        # interleaved, one of each per round, so that both meet the same load on a shared machine
        full_import()  # first use imports the readers (lazily): not part of any round
        rounds = []
        for _ in range(args.repeat):
            rounds.append((median_time(baseline, 1), median_time(full_import, 1)))
        base = statistics.median(b for b, _ in rounds)
        imported = statistics.median(i for _, i in rounds)
        per_round = statistics.median(i / b for b, i in rounds)

        db = folder / "bench-0.sqlite"
        with Store.open(db) as store:
            profile = store.profile()
            load = median_time(lambda: store.load(profile), args.repeat)
            dataset = store.load(profile)
            whole = analysis.data_range(dataset)
            analysis.summary(dataset, whole)  # first call fills the dataset's caches
            summary_5y = median_time(lambda: analysis.summary(dataset, whole), args.repeat * 4)
            last_30 = analysis.preset_period(dataset, "last_30")
            summary_30 = median_time(lambda: analysis.summary(dataset, last_30), args.repeat * 4)
            fresh = median_time(lambda: analysis.summary(store.load(profile), whole), args.repeat)

        peak_db = folder / "peak.sqlite"
        run = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, str(peak_db), str(overview), str(top)],
                             capture_output=True, text=True, env=dict(os.environ))
        peak = json.loads(run.stdout) if run.returncode == 0 else {"error": run.stderr[-500:]}

    print(f"files: {sizes}")
    print(f"pandas.read_csv baseline (both files): median {base * 1000:.0f} ms")
    print(f"PinViewer import (read + store):       median {imported * 1000:.0f} ms  "
          f"ratio {imported / base:.2f}x, median of the rounds' ratios {per_round:.2f}x  (target <= 3x)")
    print(f"load profile from SQLite:              median {load * 1000:.0f} ms")
    print(f"summary, 5 years + 50,000 Pins:        median {summary_5y * 1000:.1f} ms  (target < 100 ms)")
    print(f"summary, last 30 days:                 median {summary_30 * 1000:.1f} ms")
    print(f"load + summary from a cold dataset:    median {fresh * 1000:.0f} ms")
    if "peak_kb" in peak:
        print(f"peak memory of an import process:      {peak['peak_kb'] / 1024:.0f} MB "
              f"(after imports only: {peak['baseline_kb'] / 1024:.0f} MB)  (target < 300 MB)")
    else:
        print(f"peak memory: failed {peak}")


if __name__ == "__main__":
    main()
