"""Time to first window: the frozen app (PyInstaller bundle) against ``python -m pinviewer`` from the venv.

    python tests/perf/bench_frozen_startup.py [--bundle dist/PinViewer/pinviewer] [--runs 5] [--offscreen]

Both are measured in the same run, interleaved, cold and warm:

* first window: process start -> the window's first paint (launch.py's ``PINVIEWER_BENCH=first-paint`` mark,
  a CLOCK_MONOTONIC time printed by the app, against the same clock read just before the process started);
* demo figures: process start -> the dashboard showing the sample blog (``--demo``, ``PINVIEWER_BENCH=dashboard``).

Cold: the page cache is dropped before each run (``sync; echo 3 > /proc/sys/vm/drop_caches`` when permitted;
otherwise every file of the bundle / the venv, the Python standard library and the data folder is evicted with
posix_fadvise(DONTNEED), which leaves shared system libraries warm). Warm: the same command again at once.
A window needs a display: an Xvfb of our own when Xvfb is installed (the real xcb path), else offscreen.
It also prints the bundle's size and what takes the room. It prints figures and asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ("first-paint", "dashboard")


# --------------------------------------------------------------------------------------------- page cache
def _drop_caches() -> bool:
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as handle:
            handle.write("3\n")
        return True
    except OSError:
        return False


def _evict(folders) -> int:
    count = 0
    for folder in folders:
        for path in Path(folder).rglob("*"):
            try:
                if path.is_file() and not path.is_symlink():
                    fd = os.open(path, os.O_RDONLY)
                    try:
                        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                        count += 1
                    finally:
                        os.close(fd)
            except OSError:
                continue
    return count


class Cache:
    def __init__(self, folders):
        self.folders = folders
        self.method = "drop_caches" if _drop_caches() else "fadvise"

    def make_cold(self) -> None:
        if self.method == "drop_caches" and _drop_caches():
            return
        self.method = "fadvise"
        _evict(self.folders)


# ------------------------------------------------------------------------------------------------ display
class Display:
    def __init__(self, offscreen: bool):
        self.process = None
        self.env = {"QT_QPA_PLATFORM": "offscreen"}
        self.name = "offscreen"
        if offscreen or not shutil.which("Xvfb"):
            return
        for number in range(90, 120):
            if not Path(f"/tmp/.X{number}-lock").exists():
                break
        self.process = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.env = {"DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb"}
        self.name = f"Xvfb :{number} (xcb)"

    def close(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)


# -------------------------------------------------------------------------------------------------- runs
def run_once(command: list[str], event: str, env: dict, timeout: float = 180) -> float | None:
    """Seconds from just before the process starts to the app's mark for ``event`` (None if it never came)."""
    full_env = dict(os.environ, **env, PINVIEWER_BENCH=event)
    started = time.monotonic()
    process = subprocess.run(command + (["--demo"] if event == "dashboard" else []), env=full_env,
                             capture_output=True, text=True, timeout=timeout)
    for line in process.stdout.splitlines():
        if line.startswith(f"PINVIEWER_BENCH {event} "):
            return float(line.split()[2]) - started
    print(f"  ! {command[0]} {event}: no mark (exit {process.returncode}) {process.stderr.strip()[-300:]}")
    return None


def describe(values: list[float]) -> str:
    good = [v for v in values if v is not None]
    if not good:
        return "n/a"
    return f"median {statistics.median(good):5.2f} s  (min {min(good):.2f}, max {max(good):.2f}, n={len(good)})"


def _size(path: Path) -> int:
    """Bytes on disk, not following symlinks (PyInstaller links top-level Qt libraries into PySide6/Qt/lib)."""
    if path.is_symlink():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def bundle_report(bundle_dir: Path) -> None:
    total = _size(bundle_dir)
    print(f"bundle {bundle_dir}: {total / 2**20:.0f} MiB in {sum(1 for _ in bundle_dir.rglob('*'))} files")
    internal = bundle_dir / "_internal"
    parts: dict[str, int] = {}
    for child in (internal.iterdir() if internal.exists() else []):
        key = "system and Python libraries (top level)" if child.name.startswith("lib") else child.name
        parts[key] = parts.get(key, 0) + _size(child)
    qt = internal / "PySide6" / "Qt"
    if qt.exists():
        parts["PySide6 (Python bindings)"] = parts.pop("PySide6", 0) - _size(qt)
        for sub in ("lib", "plugins", "translations"):
            if (qt / sub).exists():
                parts[f"PySide6/Qt/{sub}"] = _size(qt / sub)
        icu = sum(_size(p) for p in (qt / "lib").glob("libicu*"))
        parts["PySide6/Qt/lib"] -= icu
        parts["ICU (Qt's Unicode data)"] = icu
    parts["the program (bootloader + the Python modules' archive)"] = sum(
        _size(p) for p in bundle_dir.iterdir() if p.is_file() and os.access(p, os.X_OK) and p.suffix != ".sh")
    for name, value in sorted(parts.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {value / 2**20:6.1f} MiB  {name}")
    for archive in sorted((bundle_dir.parent).glob("*.tar.gz")):
        print(f"  download {archive.name}: {archive.stat().st_size / 2**20:.1f} MiB")
    for package in sorted((bundle_dir.parent).glob("*.deb")):
        installed = ""
        if shutil.which("dpkg-deb"):
            field = subprocess.run(["dpkg-deb", "-f", str(package), "Installed-Size"], capture_output=True, text=True)
            if field.returncode == 0 and field.stdout.strip().isdigit():
                installed = f", Installed-Size {int(field.stdout) / 1024:.1f} MiB ({int(field.stdout)} KiB)"
        print(f"  download {package.name}: {package.stat().st_size / 2**20:.1f} MiB{installed}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "PinViewer" / "pinviewer")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--offscreen", action="store_true", help="no Xvfb: Qt's offscreen platform")
    args = parser.parse_args()
    if not args.bundle.exists():
        print(f"No bundle at {args.bundle}: build it first (python packaging/build.py)")
        return 0
    bundle_report(args.bundle.parent)

    homes = {name: Path(tempfile.mkdtemp(prefix=f"pinviewer-bench-{name}-")) for name in ("frozen", "venv")}
    commands = {"frozen": [str(args.bundle)], "venv": [sys.executable, "-m", "pinviewer"]}
    python_lib = Path(sysconfig.get_paths()["stdlib"])
    venv_files = [Path(sysconfig.get_paths()["purelib"]), python_lib, ROOT / "pinviewer", ROOT / "resources"]
    cache = Cache([args.bundle.parent, *venv_files, *homes.values()])
    display = Display(args.offscreen)
    print(f"display: {display.name}; cold runs via {cache.method}; {args.runs} runs of each, interleaved")
    results: dict[tuple[str, str, str], list] = {}
    try:
        for name in commands:  # the demo database is made once per home before anything is timed
            run_once(commands[name], "dashboard", dict(display.env, PINVIEWER_HOME=str(homes[name])))
        for run in range(args.runs):
            for event in EVENTS:
                for name in (("frozen", "venv") if run % 2 == 0 else ("venv", "frozen")):
                    env = dict(display.env, PINVIEWER_HOME=str(homes[name]))
                    cache.make_cold()
                    results.setdefault((name, "cold", event), []).append(run_once(commands[name], event, env))
                    results.setdefault((name, "warm", event), []).append(run_once(commands[name], event, env))
            print(f"  run {run + 1}/{args.runs} done", flush=True)
    finally:
        display.close()
        for home in homes.values():
            shutil.rmtree(home, ignore_errors=True)

    print()
    labels = {"first-paint": "first window", "dashboard": "demo figures"}
    for event in EVENTS:
        for state in ("cold", "warm"):
            for name in ("frozen", "venv"):
                print(f"{labels[event]:<13} {state}  {name:<6}  {describe(results[(name, state, event)])}")
            frozen = [v for v in results[("frozen", state, event)] if v is not None]
            venv = [v for v in results[("venv", state, event)] if v is not None]
            if frozen and venv:
                print(f"{'':<13} {state}  frozen/venv = {statistics.median(frozen) / statistics.median(venv):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
