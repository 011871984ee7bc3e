"""Changing the period on 5 years of daily figures and 50,000 Pins, and scrolling the Pins table.

Run by hand:  .venv/bin/python tests/perf/bench_period_change.py [--rounds 5] [--keep DIR]

Builds the data set with pinviewer.core.demo (write_overview(days=1826); write_top_pins with make_pins(50000),
four quarterly exports) and imports it through pinviewer.core.importer into a temporary PINVIEWER_HOME, then
opens the real MainWindow offscreen at 1280x800 and prints medians of:

* period change as the app does it: choosing a preset until cards, chart and both tables show the new
  figures and have been painted (figures computed on the worker, prefetched while the user looks);
* the same with every cache emptied first (each change computes from scratch);
* the redraw alone (showing figures already computed), and the computation alone (for comparison);
* scrolling the Pins table a page at a time (time per repaint), as a stutter check.

Asserts nothing about time.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PRESETS = ("last_7", "last_30", "last_90", "this_month", "last_month", "all_time")


def build(home: Path) -> None:
    os.environ["PINVIEWER_HOME"] = str(home)
    from pinviewer.core.demo import DEMO_END, make_pins, write_overview, write_top_pins
    from pinviewer.core.importer import import_files
    from pinviewer.core.store import Store

    folder = home / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    files = [folder / "overview_5y.csv"]
    write_overview(files[0], days=1826)
    pins = make_pins(50000)
    for quarter in range(4):
        stop = DEMO_END - dt.timedelta(days=91 * quarter)
        files.append(folder / f"top_pins_q{quarter}.csv")
        write_top_pins(files[-1], pins, stop - dt.timedelta(days=90), stop)
    written = time.perf_counter()
    with Store.open() as store:
        outcomes = import_files(store, store.profile(), files)
    bad = [o.error for o in outcomes if not o.ok]
    if bad:
        raise SystemExit(f"import failed: {bad}")
    print(f"data set: 1,826 days, 50,000 Pins in 4 quarterly exports; written in {written - started:.1f} s, "
          f"imported in {time.perf_counter() - written:.1f} s")


def ms(values) -> str:
    return f"median {statistics.median(values) * 1000:6.1f} ms  (min {min(values) * 1000:.1f}, " \
           f"max {max(values) * 1000:.1f}, n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="reuse (or create) the data set in this folder")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["PINVIEWER_TESTING"] = "1"
    home = args.keep or Path(tempfile.mkdtemp(prefix="pinviewer-bench-"))
    os.environ["PINVIEWER_HOME"] = str(home)
    if not (home / "data" / "pinviewer.sqlite").exists():
        build(home)

    from PySide6.QtWidgets import QApplication

    from pinviewer.core import period_figures
    from pinviewer.gui import style, tasks
    from pinviewer.gui.main_window import PINS, MainWindow

    app = QApplication([])
    style.apply(app)
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    shown = []
    window.figures_shown.connect(lambda: shown.append(time.perf_counter()))

    def wait(condition, timeout=120.0):
        end = time.perf_counter() + timeout
        while not condition():
            app.processEvents()
            if time.perf_counter() > end:
                raise SystemExit("timed out")
            time.sleep(0.0005)

    started = time.perf_counter()
    window.start()
    wait(lambda: window.figures is not None)
    print(f"opened the 50,000-Pin history in {time.perf_counter() - started:.2f} s")
    tasks.wait_all()  # let the prefetch finish, as it would while the user reads the dashboard
    app.processEvents()

    def change(preset: str) -> float:
        shown.clear()
        began = time.perf_counter()
        window.period_picker.choose(preset)
        wait(lambda: bool(shown))
        app.processEvents()  # paints what changed
        return time.perf_counter() - began

    order = [p for _ in range(args.rounds) for p in PRESETS]
    as_app = []
    current = window.period_picker.preset()
    for preset in order:
        if preset == current:
            continue
        as_app.append(change(preset))
        current = preset
        tasks.wait_all()
        app.processEvents()

    cold = []
    for preset in order:
        if preset == current:
            continue
        window.data.forget_figures()  # the figures kept per period: this change computes them
        cold.append(change(preset))
        current = preset
        tasks.wait_all()
        app.processEvents()

    redraw, compute = [], []
    view = window.view()
    for preset in order:
        figures = period_figures.compute(window.dataset, period_figures.resolve(window.dataset, preset), view.compare)
        began = time.perf_counter()
        period_figures.compute(window.dataset, figures.period, view.compare)
        compute.append(time.perf_counter() - began)
        began = time.perf_counter()
        window.data.figures_ready.emit(figures)  # what the window does when figures are ready
        app.processEvents()
        redraw.append(time.perf_counter() - began)

    window.period_picker.choose("all_time")
    tasks.wait_all()
    app.processEvents()
    window.show_page(PINS)
    app.processEvents()
    view_ = window.pins_page.view
    bar = view_.verticalScrollBar()
    steps = []
    for value in range(0, min(bar.maximum(), 400 * bar.pageStep()), bar.pageStep()):
        began = time.perf_counter()
        bar.setValue(value)
        view_.viewport().repaint()
        steps.append(time.perf_counter() - began)
    small = []
    for value in range(0, 200 * 3 * 30, 3 * 30):  # three rows per wheel notch
        began = time.perf_counter()
        bar.setValue(value)
        view_.viewport().repaint()
        small.append(time.perf_counter() - began)
    rows = window.pins_page.model.rowCount()

    print(f"period change, as the app does it ({len(as_app)} changes):   {ms(as_app)}  (target < 100 ms)")
    print(f"period change, nothing prefetched (computes first): {ms(cold)}")
    print(f"  of which the computation alone (worker):         {ms(compute)}")
    print(f"  and the redraw alone (cards, chart, 2 tables):   {ms(redraw)}")
    p95 = sorted(steps)[int(0.95 * (len(steps) - 1))]
    print(f"Pins table ({rows:,} rows) page-down scroll repaint: {ms(steps)}  p95 {p95 * 1000:.1f} ms")
    print(f"Pins table wheel-step scroll repaint:               {ms(small)}  (a frame is 16.7 ms)")
    window.close()


if __name__ == "__main__":
    sys.exit(main())
