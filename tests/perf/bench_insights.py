"""All insights on 5 years of daily overview rows plus a 50,000-Pin top-Pins export.

Run by hand:  /work/venv/bin/python tests/perf/bench_insights.py [--repeat 7] [--no-ga4]
The data set is the demo's writers (write_overview over 1,826 days, write_top_pins over make_pins(50000)
for the last 90 days; with GA4 source and landing-page reports for the same 90 days unless --no-ga4),
imported through the importer like a user's files. Prints medians of ``all_insights`` for the last 30 days
and for all time: cold (every derived view rebuilt, as right after an import), after ``analysis.summary``
(what the window has computed for the Overview when the Insights tab opens) and warm, with the ratio to
``analysis.summary`` measured cold in the same run. Asserts nothing about time.
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


def make_files(folder: Path, with_ga4: bool) -> list[Path]:
    from pinviewer.core import demo

    overview, top = folder / "overview_5y.csv", folder / "top_pins_50k.csv"
    start = END - dt.timedelta(days=89)
    demo.write_overview(overview, end=END, days=1826)
    pins = demo.make_pins(50000, END)
    demo.write_top_pins(top, pins, start, END)
    files = [overview, top]
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
    args = parser.parse_args()

    from pinviewer.core import analysis, insights
    from pinviewer.core.importer import import_files
    from pinviewer.core.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = make_files(folder, not args.no_ga4)
        with Store.open(folder / "bench.sqlite") as store:
            profile = store.profile()
            outcomes = import_files(store, profile, files)
            assert all(o.ok for o in outcomes), [o.error for o in outcomes]
            insights.set_goals(store, profile, {"outbound_clicks": 3000, "saves": 8000, "key_events": 60})
            goals = insights.load_goals(store, profile)
            ds = store.load(profile)
    pins = int((ds.periods["entity_type"] == "pin").sum())
    days = int((ds.daily["entity_type"] == "account").sum())
    print(f"data: {days:,} account days, {pins:,} Pin rows, files: {', '.join(f.name for f in files)}")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times suffer when "
          "other work runs; CPU times of this process are steadier)")
    entities = median_ms(lambda: analysis._entities(ds, "pin"), args.repeat, ds.cache.clear)
    print(f"analysis' Pin entity view alone (normalises every Pin's link), cold: {entities:.0f} ms "
          f"(CPU {cpu_ms():.0f} ms)")
    for preset in ("last_30", "all_time"):
        period = analysis.preset_period(ds, preset)

        def after_overview():  # what the window has when the Insights tab opens: the Overview's summary ran
            ds.cache.clear()
            analysis.summary(ds, period)

        cold_summary = median_ms(lambda: analysis.summary(ds, period), args.repeat, ds.cache.clear)
        cold = median_ms(lambda: insights.all_insights(ds, period, goals), args.repeat, ds.cache.clear)
        cold_cpu = cpu_ms()
        shared = median_ms(lambda: insights.all_insights(ds, period, goals), args.repeat, after_overview)
        shared_cpu = cpu_ms()
        insights.all_insights(ds, period, goals)
        warm = median_ms(lambda: insights.all_insights(ds, period, goals), args.repeat)
        warm_cpu = cpu_ms()
        print(f"{preset:>9} ({period.days:>4} days): all_insights cold {cold:4.0f} ms (CPU {cold_cpu:4.0f}) | "
              f"after the summary {shared:4.0f} ms (CPU {shared_cpu:4.0f}) | warm {warm:4.0f} ms (CPU {warm_cpu:4.0f})"
              f"   summary cold {cold_summary:4.0f} ms, cold ratio {cold / cold_summary:.1f}x   target < 300 ms")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    data = insights.all_insights(ds, analysis.preset_period(ds, "last_30"), goals)
    print("headlines:")
    for line in data["headlines"]:
        print(f"  * {line}")


if __name__ == "__main__":
    main()
