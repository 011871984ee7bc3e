"""All insights on 5 years of daily overview rows, 50,000 Pins and 60 monthly downloads.

Run by hand:  .venv/bin/python tests/perf/bench_insights.py [--repeat 7] [--no-ga4] [--months 60]
The data set is the demo's writers (write_overview over 1,826 days, write_top_pins over make_pins(50000)
for the last 90 days; with GA4 source and landing-page reports for the same 90 days unless --no-ga4; and one
Pinterest Analytics export per month for the last 60 months, write_real_export: the daily outbound clicks, the
Top Boards table with every metric and the month's top 50 of the 50,000 Pins, seasonal boards rising on time),
imported through the importer like a user's files. Prints medians of ``all_insights`` for the last 30 days
and for all time: cold (every derived view rebuilt, as right after an import), after ``analysis.summary``
(what the window has computed for the Overview when the Insights tab opens) and warm, with the ratio to
``analysis.summary`` measured cold in the same run; then the season planner alone, cold, on that history and on
a stress history held in memory where every one of the 50,000 Pins is listed in every one of the 60 months
(3 million Pin rows, as if every Pin's monthly figures were known). Asserts nothing about time.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

END = dt.date(2026, 11, 22)


def _months(end: dt.date, n: int) -> list[tuple[dt.date, dt.date]]:
    out, month = [], end.replace(day=1)
    for _ in range(n):
        nxt = (month + dt.timedelta(days=32)).replace(day=1)
        out.append((month, min(nxt - dt.timedelta(days=1), end)))
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return out[::-1]


def make_files(folder: Path, with_ga4: bool, months: int = 60) -> list[Path]:
    from pinviewer.core import demo

    overview, top = folder / "overview_5y.csv", folder / "top_pins_50k.csv"
    start = END - dt.timedelta(days=89)
    demo.write_overview(overview, end=END, days=1826)
    pins = demo.make_pins(50000, END)
    demo.write_top_pins(top, pins, start, END)
    files = [overview, top]
    dates, account = demo.account_days(END, 1826)
    by_day = {d: i for i, d in enumerate(dates)}
    for first, last in _months(END, months):
        impressions = sum(float(account["impressions"][by_day[d]]) for d in by_day if first <= d <= last)
        figures = demo.pin_figures(pins, first, last, impressions * 0.8)
        path = folder / f"Pinterest Analytics overview {first:%Y%m%d}-{last:%Y%m%d} outbound clicks.csv"
        demo.write_real_export(path, first, last, ("Outbound clicks", "outbound_clicks"), dates, account, pins,
                               figures)
        files.append(path)
    if with_ga4:
        dates, figures = demo.account_days(END, 1826)
        clicks = int(figures["outbound_clicks"][-90:].sum())
        sources, landing = folder / "ga4_sources_90d.csv", folder / "ga4_landing_90d.csv"
        demo.write_ga4_sources(sources, start, END, clicks)
        demo.write_ga4_landing_pages(landing, pins, start, END, clicks)
        files += [sources, landing]
    return files


def median_ms(fn, repeat: int, reset=None) -> float:
    """Median wall time in ms (CPU time of this process is gathered alongside: see ``cpu_ms``)."""
    times, cpu = [], []
    for _ in range(repeat):
        if reset:
            reset()
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    median_ms.cpu = statistics.median(cpu) * 1000
    return statistics.median(times) * 1000


def cpu_ms() -> float:
    """The CPU-time median of the last ``median_ms`` (steadier than wall time on a shared machine)."""
    return median_ms.cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-ga4", action="store_true", help="only the overview and the top-Pins export")
    parser.add_argument("--months", type=int, default=60, help="monthly Pinterest exports (default 60)")
    args = parser.parse_args()

    from pinviewer.core import analysis, insights
    from pinviewer.core.importer import import_files
    from pinviewer.core.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = make_files(folder, not args.no_ga4, args.months)
        with Store.open(folder / "bench.sqlite") as store:
            profile = store.profile()
            outcomes = import_files(store, profile, files)
            assert all(o.ok for o in outcomes), [o.error for o in outcomes]
            insights.set_goals(store, profile, {"outbound_clicks": 3000, "saves": 8000, "key_events": 60})
            goals = insights.load_goals(store, profile)
            ds = store.load(profile)
    pins = int((ds.periods["entity_type"] == "pin").sum())
    days = int((ds.daily["entity_type"] == "account").sum())
    boards = int((ds.periods["entity_type"] == "board").sum())
    print(f"data: {days:,} account days, {pins:,} Pin rows, {boards:,} board rows, {len(files)} files")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times suffer when "
          "other work runs; CPU times of this process are steadier)")
    entities = median_ms(lambda: analysis._entities(ds, "pin"), args.repeat, ds.cache.clear)
    print(f"analysis' Pin entity view alone (normalises every Pin's link), cold: {entities:.0f} ms "
          f"(CPU {cpu_ms():.0f} ms)")
    for preset in ("last_30", "all_time"):
        period = analysis.preset_period(ds, preset)

        def after_overview(period=period):  # what the window has when the Insights tab opens: the summary ran
            ds.cache.clear()
            analysis.summary(ds, period)

        cold_summary = median_ms(lambda period=period: analysis.summary(ds, period), args.repeat, ds.cache.clear)
        cold = median_ms(lambda period=period: insights.all_insights(ds, period, goals), args.repeat, ds.cache.clear)
        cold_cpu = cpu_ms()
        shared = median_ms(lambda period=period: insights.all_insights(ds, period, goals), args.repeat, after_overview)
        shared_cpu = cpu_ms()
        insights.all_insights(ds, period, goals)
        warm = median_ms(lambda period=period: insights.all_insights(ds, period, goals), args.repeat)
        warm_cpu = cpu_ms()
        print(f"{preset:>9} ({period.days:>4} days): all_insights cold {cold:4.0f} ms (CPU {cold_cpu:4.0f}) | "
              f"after the summary {shared:4.0f} ms (CPU {shared_cpu:4.0f}) | warm {warm:4.0f} ms (CPU {warm_cpu:4.0f})"
              f"   summary cold {cold_summary:4.0f} ms, cold ratio {cold / cold_summary:.1f}x   target < 300 ms")
    from pinviewer.core.insights import seasons

    planner = median_ms(lambda: seasons.season_planner(ds), args.repeat, ds.cache.clear)
    found = seasons.season_planner(ds)
    print(f"season planner alone, cold: {planner:.0f} ms (CPU {cpu_ms():.0f} ms), "
          f"{len(found['findings'])} seasons found: {[f['label'] for f in found['findings']][:5]}")
    stress = _stress(ds, args.months)
    heavy = median_ms(lambda: seasons.season_planner(stress), max(3, args.repeat // 2), stress.cache.clear)
    heavy_cpu = cpu_ms()
    print(f"season planner, every one of 50,000 Pins listed in each of {args.months} months "
          f"({int((stress.periods['entity_type'] == 'pin').sum()):,} Pin rows): {heavy:.0f} ms "
          f"(CPU {heavy_cpu:.0f} ms)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    data = insights.all_insights(ds, analysis.preset_period(ds, "last_30"), goals)
    print("headlines:")
    for line in data["headlines"]:
        print(f"  * {line}")


def _stress(ds, months: int):
    """The history with every Pin listed in every month (outbound clicks, a seasonal tenth of them)."""
    import numpy as np
    import pandas as pd

    from pinviewer.core.store import Dataset

    ids = ds.entities.loc[ds.entities["entity_type"] == "pin", "entity_id"].to_numpy()
    ranges = _months(END, months)
    rng = np.random.default_rng(0)
    month_of = np.array([first.month for first, _ in ranges])
    seasonal = rng.random(len(ids)) < 0.1
    level = rng.pareto(1.3, len(ids)) * 5 + 1
    boost = np.where(seasonal[:, None] & np.isin(month_of, (10, 11, 12))[None, :], 4.0, 1.0)
    values = rng.poisson(level[:, None] * boost).astype(float)
    frame = pd.DataFrame({"entity_type": "pin", "entity_id": np.repeat(ids, len(ranges)),
                          "start": pd.to_datetime(np.tile([r[0] for r in ranges], len(ids))),
                          "end": pd.to_datetime(np.tile([r[1] for r in ranges], len(ids))),
                          "outbound_clicks": values.reshape(-1)})
    periods = pd.concat([ds.periods[ds.periods["entity_type"] != "pin"], frame], ignore_index=True)
    return Dataset(ds.profile, ds.daily, periods, ds.entities)


if __name__ == "__main__":
    main()
