"""`pinviewer report --pdf` on the demo blog, against LibreOffice turning the same overview CSV into a PDF.

Run by hand:  .venv/bin/python tests/perf/bench_report_pdf.py [--repeat 5]

Both are measured as a user would meet them, as whole commands in fresh processes (wall time, median and
best of --repeat runs, the two interleaved so that both meet the same load on a shared machine, after one
warm-up run each that builds the demo database and LibreOffice's profile):

* ``python -m pinviewer report --demo --pdf OUT.pdf`` with no QT_QPA_PLATFORM and no display;
* ``soffice --headless --convert-to pdf resources/demo/pinterest_overview_2y.csv`` (skipped where soffice is
  not installed; Debian's libreoffice-calc-nogui provides it).

Also prints where the report's time goes, in one process: imports, loading, build_report, write_pdf.
Targets: report under 1.5 s, and at most half of LibreOffice's time. Asserts nothing about time.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

INSIDE = r"""
import os, time, sys
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as cmd_report does
t0 = time.perf_counter()
from pinviewer.cli.data import open_dataset, resolve_period
from pinviewer.core.report import build_report, describe_sources
t1 = time.perf_counter()
from pinviewer.render.pdf import ensure_app, write_pdf
ensure_app()
t2 = time.perf_counter()
class A: demo = True; profile = None; start = None; end = None
store, profile, ds = open_dataset(A)
t3 = time.perf_counter()
report = build_report(ds, resolve_period(ds, A), sources=describe_sources(store.batches(profile)))
t4 = time.perf_counter()
write_pdf(report, sys.argv[1], paper="a4")
t5 = time.perf_counter()
print(f"{t1-t0:.3f} {t2-t1:.3f} {t3-t2:.3f} {t4-t3:.3f} {t5-t4:.3f}")
"""


def wall(cmd: list[str], env: dict, cwd: Path | None = None) -> float:
    started = time.perf_counter()
    run = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{run.stderr[-2000:]}")
    return elapsed


def _summary(name: str, times: list[float]) -> str:
    return (f"{name}: median {statistics.median(times):.3f} s, best {min(times):.3f} s  (runs: "
            + ", ".join(f"{t:.2f}" for t in times) + ")")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pinviewer-bench-report-"))
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["PINVIEWER_HOME"] = str(work / "home")
    out = work / "summary.pdf"
    report_cmd = [sys.executable, "-m", "pinviewer", "report", "--demo", "--pdf", str(out)]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    csv = ROOT / "resources" / "demo" / "pinterest_overview_2y.csv"
    lo_cmd = [soffice, f"-env:UserInstallation=file://{work / 'lo-profile'}", "--headless", "--convert-to", "pdf",
              "--outdir", str(work / "lo"), str(csv)] if soffice else None
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load:.2f}, repeat {args.repeat}")

    print(f"report --pdf, first run (builds the demo database): {wall(report_cmd, env):.2f} s")
    if lo_cmd:
        print(f"soffice --convert-to pdf, first run (creates its profile): {wall(lo_cmd, env):.2f} s")
    # interleaved, so that both see the same neighbours on a shared machine
    report_times, lo_times = [], []
    for _ in range(args.repeat):
        report_times.append(wall(report_cmd, env))
        if lo_cmd:
            lo_times.append(wall(lo_cmd, env))
    print(_summary("report --pdf (demo, A4, 1 page)", report_times) + f"  {out.stat().st_size:,} bytes")

    parts = [subprocess.run([sys.executable, "-c", INSIDE, str(work / "inside.pdf")], env=env, capture_output=True,
                            text=True, check=True).stdout.split() for _ in range(3)]
    names = ("import core+cli", "import Qt + app", "open + load demo", "build_report", "write_pdf")
    medians = [statistics.median(float(p[i]) for p in parts) for i in range(len(names))]
    print("  where the time goes (median of 3, one process): "
          + ", ".join(f"{n} {m:.3f} s" for n, m in zip(names, medians)))
    all_pins = [sys.executable, "-m", "pinviewer", "report", "--demo", "--all-pins", "--pdf", str(work / "all.pdf")]
    print(_summary("report --pdf --all-pins", [wall(all_pins, env) for _ in range(3)]))

    report_median = statistics.median(report_times)
    target = f"report under 1.5 s (median): {'yes' if report_median < 1.5 else 'NO'}"
    if not lo_cmd:
        print("LibreOffice not installed: no baseline (apt-get install libreoffice-calc-nogui)")
        print(target)
        return
    lo_median = statistics.median(lo_times)
    lo_pages = ""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(work / "lo" / (csv.stem + ".pdf"))], capture_output=True,
                              text=True).stdout
        lo_pages = next((line.split(":")[1].strip() for line in info.splitlines() if line.startswith("Pages")), "?")
    print(_summary(f"soffice --headless --convert-to pdf {csv.name} ({lo_pages} pages)", lo_times))
    ratio, best_ratio = report_median / lo_median, min(report_times) / min(lo_times)
    print(f"ratio report / LibreOffice: median {ratio:.2f}, best {best_ratio:.2f}  "
          f"(target at most 0.50: {'yes' if ratio <= 0.5 else 'NO'})")
    print(target)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
