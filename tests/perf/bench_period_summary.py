"""The period summary (core/period_summary.py) on 5 years of daily figures, 50,000 Pins and 60 monthly downloads.

Run by hand:  .venv/bin/python tests/perf/bench_period_summary.py [--repeat 7]

The history is built in memory, laid out as the store loads it: 1,826 days of account figures; 60 monthly Pin
downloads of all 50,000 Pins (impressions, outbound clicks and saves: 3 million period rows); 60 monthly Google
Analytics traffic downloads (Pinterest and other sources) and 60 monthly landing-page downloads of 200 posts.

Prints medians of ``summarise`` for the presets and for random periods (each a new period, so nothing of it is
cached; the per-dataset index of the downloads is built once, and timed apart, as after a load), and the ratio to
a baseline measured in the same run: summing the account's daily figures over the same periods
(``analysis.totals``), the least any summary must do. Asserts nothing about time.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time

import numpy as np
import pandas as pd


def history():
    from pinviewer.core.store import Dataset, Profile

    rng = np.random.default_rng(1)
    end = dt.date(2026, 11, 30)
    days = pd.date_range(end=pd.Timestamp(end), periods=1826, freq="D")
    daily = pd.DataFrame({"entity_type": "account", "entity_id": "", "date": days, "provisional": False,
                          "impressions": rng.poisson(40_000, len(days)).astype(float),
                          "outbound_clicks": rng.poisson(300, len(days)).astype(float),
                          "saves": rng.poisson(600, len(days)).astype(float),
                          "pin_clicks": rng.poisson(900, len(days)).astype(float),
                          "engagements": rng.poisson(2000, len(days)).astype(float)})
    months = pd.period_range(days[0], days[-1], freq="M")[-60:]
    pins = np.array([f"{10**17 + i}" for i in range(50_000)], dtype=object)
    frames = []
    for month in months:
        start, stop = month.start_time.normalize(), month.end_time.normalize()
        frames.append(pd.DataFrame({"entity_type": "pin", "entity_id": pins, "start": start, "end": stop,
                                    "impressions": rng.poisson(800, len(pins)).astype(float),
                                    "outbound_clicks": rng.poisson(6, len(pins)).astype(float),
                                    "saves": rng.poisson(12, len(pins)).astype(float)}))
        frames.append(pd.DataFrame({"entity_type": "source", "start": start, "end": stop,
                                    "entity_id": ["pinterest.com / referral", "pin.it / referral", "google / organic"],
                                    "sessions": [8000.0, 400.0, 20000.0], "key_events": [150.0, 8.0, 300.0],
                                    "revenue": [2500.0, 90.0, 9000.0]}))
        frames.append(pd.DataFrame({"entity_type": "post", "entity_id": [f"/post-{i}" for i in range(200)],
                                    "start": start, "end": stop, "sessions": rng.poisson(40, 200).astype(float),
                                    "key_events": rng.poisson(1, 200).astype(float)}))
    periods = pd.concat(frames, ignore_index=True)
    entities = pd.DataFrame({"entity_type": "pin", "entity_id": pins, "title": [f"Pin {i}" for i in range(len(pins))],
                             "link": [f"https://blog.example/post-{i % 200}/" for i in range(len(pins))]})
    return Dataset(Profile(1, "bench"), daily, periods, entities)


def median_ms(values) -> float:
    return statistics.median(values) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    from pinviewer.core import analysis, period_summary
    from pinviewer.core.analysis import Period
    from pinviewer.core.session import PRESETS

    began = time.perf_counter()
    ds = history()
    print(f"history: 1,826 days, 50,000 Pins x 60 monthly downloads ({len(ds.periods):,} period rows), "
          f"built in {time.perf_counter() - began:.1f} s")
    whole = analysis.data_range(ds)
    began = time.perf_counter()
    period_summary.summarise(ds, whole)
    print(f"first summary after a load (indexes every download once): {(time.perf_counter() - began) * 1000:.0f} ms")

    rng = random.Random(3)
    presets = [analysis.preset_period(ds, p, today=whole.end) for p in PRESETS]
    randoms = []
    for _ in range(args.repeat * 6):
        length = rng.choice([7, 30, 90, 365, 800])
        start = whole.start + dt.timedelta(days=rng.randint(0, (whole.end - whole.start).days - length))
        randoms.append(Period(start, start + dt.timedelta(days=length - 1)))

    def forget() -> None:  # keep the per-dataset indexes, drop everything computed per period
        for key in [k for k in ds.cache if isinstance(k, tuple) and k[0] != "ranges" and k[0] != "entities"]:
            del ds.cache[key]

    def timed(fn, periods) -> list[float]:
        out = []
        for period in periods:
            forget()
            began = time.perf_counter()
            fn(period)
            out.append(time.perf_counter() - began)
        return out

    for label, periods in (("presets (last 7 days ... all time)", presets * args.repeat),
                           ("random periods (7 days to 2 years)", randoms)):
        summary = timed(lambda p: period_summary.summarise(ds, p, "previous"), periods)
        year = timed(lambda p: period_summary.summarise(ds, p, "year"), periods)
        baseline = timed(lambda p: (analysis.totals(ds, p), analysis.totals(ds, p.previous())), periods)
        print(f"{label}: summary {median_ms(summary):6.1f} ms (vs the year before {median_ms(year):6.1f} ms), "
              f"baseline {median_ms(baseline):5.2f} ms, ratio {median_ms(summary) / median_ms(baseline):5.1f}x "
              f"(max {max(summary) * 1000:.1f} ms; target < 50 ms)")
    whole_times = timed(lambda p: period_summary.summarise(ds, p), [whole] * args.repeat)
    print(f"all time (60 downloads of 50,000 Pins added up): {median_ms(whole_times):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
