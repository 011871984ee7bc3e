"""Start-up of the window, measured from process start, offscreen.

Run by hand:  .venv/bin/python tests/perf/bench_startup.py [--repeat 7]

Prints medians (and the ratio to the baseline measured in the same run) of
* first paint: ``python -m pinviewer --demo`` until its window has painted, against a bare PySide6 window
  (same Python: QApplication + QMainWindow().show()) until it has painted; target ratio <= 1.3;
* filled dashboard: ``python -m pinviewer --demo`` until the demo dashboard shows its figures, against the bare
  import of PySide6.QtWidgets + pyqtgraph + pandas; target: at most that + 0.5 s;
* a screenshot: the whole ``python -m pinviewer --demo --screenshot OUT.png`` process (start to exit), against a
  bare window that imports PySide6, pyqtgraph and pandas, saves its grab to PNG and exits; target ratio <= 1.5;
and whether pandas/pyqtgraph were imported (and PySide6's ``Qt`` namespace built, ~20 ms) before the first
paint. Asserts nothing about time.

Each child prints ``time.monotonic()`` at its moment; the parent notes the same clock just before starting
it, so interpreter start-up is included on both sides. Runs are interleaved so both sides share the load.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE_WINDOW = r"""
import time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow()
class FirstPaint(QObject):
    done = False
    def eventFilter(self, obj, event):
        if not self.done and event.type() in (QEvent.Type.UpdateRequest, QEvent.Type.Paint):
            self.done = True
            QTimer.singleShot(0, lambda: (print("PINVIEWER_BENCH first-paint %.6f" % time.monotonic(), flush=True),
                                          app.exit(0)))
        return False
f = FirstPaint()
w.installEventFilter(f)
w.resize(1280, 800)
w.show()
app.exec()
"""

BARE_IMPORTS = r"""
import time
import PySide6.QtWidgets, pyqtgraph, pandas
print("PINVIEWER_BENCH imports %.6f" % time.monotonic(), flush=True)
"""


BARE_SHOT = r"""
import sys
import PySide6.QtWidgets, pyqtgraph, pandas
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow()
w.resize(1280, 800)
w.show()
QTimer.singleShot(0, lambda: (w.grab().save(sys.argv[1], "PNG"), app.exit(0)))
app.exec()
"""


def whole(cmd: list[str], env: dict) -> float:
    """Wall time of a whole process, start to exit."""
    started = time.monotonic()
    subprocess.run(cmd, capture_output=True, env=env, timeout=180, check=True)
    return time.monotonic() - started


def timed(cmd: list[str], env: dict, marker: str) -> float:
    started = time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=180)
    for line in out.stdout.splitlines():
        if line.startswith(f"PINVIEWER_BENCH {marker} "):
            parts = line.split()
            return float(parts[2]) - started
    raise RuntimeError(f"no {marker} mark from {cmd}:\n{out.stdout}\n{out.stderr}")


def at_first_paint(env: dict) -> dict[str, str]:
    """What the first paint paid for: ``heavy`` (pandas, pyqtgraph) and ``qt-namespace`` (PySide6's Qt, ~20 ms)."""
    out = subprocess.run([sys.executable, "-m", "pinviewer", "--demo"], capture_output=True, text=True,
                         env={**env, "PINVIEWER_BENCH": "first-paint"}, timeout=180)
    line = next(l for l in out.stdout.splitlines() if l.startswith("PINVIEWER_BENCH first-paint"))
    return dict(field.split("=", 1) for field in line.split()[3:])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="pinviewer-bench-")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PINVIEWER_HOME": home, "PINVIEWER_TESTING": "1",
           # an installed app starts from compiled bytecode (pip and PyInstaller compile it): let the warm-up
           # write it, into a folder of its own, even where PYTHONDONTWRITEBYTECODE is set
           "PYTHONPYCACHEPREFIX": os.path.join(home, "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    app = [sys.executable, "-m", "pinviewer", "--demo"]
    # warm-up: builds the demo database once (its import is not start-up) and warms the file cache
    timed(app, {**env, "PINVIEWER_BENCH": "dashboard"}, "dashboard")
    timed([sys.executable, "-c", BARE_IMPORTS], env, "imports")

    bare, ours, dash, imports, bare_shot, shot = [], [], [], [], [], []
    out = os.path.join(home, "shot.png")
    for _ in range(args.repeat):
        bare_shot.append(whole([sys.executable, "-c", BARE_SHOT, out], env))
        shot.append(whole([*app, "--screenshot", out], env))
        bare.append(timed([sys.executable, "-c", BARE_WINDOW], env, "first-paint"))
        ours.append(timed(app, {**env, "PINVIEWER_BENCH": "first-paint"}, "first-paint"))
        imports.append(timed([sys.executable, "-c", BARE_IMPORTS], env, "imports"))
        dash.append(timed(app, {**env, "PINVIEWER_BENCH": "dashboard"}, "dashboard"))

    m = statistics.median
    print(f"runs: {args.repeat} each, offscreen, {sys.executable}")
    print(f"first paint   bare PySide6 window  median {m(bare) * 1000:7.0f} ms  (min {min(bare) * 1000:.0f})")
    print(f"first paint   pinviewer --demo      median {m(ours) * 1000:7.0f} ms  (min {min(ours) * 1000:.0f})"
          f"   ratio {m(ours) / m(bare):.2f}  (target <= 1.30)")
    paid = at_first_paint(env)
    print(f"heavy modules imported before the first paint: {paid.get('heavy')}; "
          f"PySide6's Qt namespace: {paid.get('qt-namespace')}")
    print(f"bare import   PySide6+pyqtgraph+pandas median {m(imports) * 1000:7.0f} ms")
    print(f"dashboard     pinviewer --demo      median {m(dash) * 1000:7.0f} ms"
          f"   = imports + {(m(dash) - m(imports)) * 1000:.0f} ms  (target <= +500 ms)")
    print(f"screenshot    bare window+imports+PNG median {m(bare_shot) * 1000:7.0f} ms")
    print(f"screenshot    pinviewer --demo --screenshot median {m(shot) * 1000:7.0f} ms"
          f"   ratio {m(shot) / m(bare_shot):.2f}  (target <= 1.50)")


if __name__ == "__main__":
    main()
