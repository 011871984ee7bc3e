"""Starting the app as a user (or a script) does: the screenshot command, the first paint before the heavy
imports, and a clear sentence instead of a crash without a display."""
from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtGui import QImage


def run(*args, env=None, timeout=120):
    full = dict(os.environ)
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "pinviewer", *args], capture_output=True, text=True, env=full,
                          timeout=timeout)


def test_screenshot_command_renders_the_demo_dashboard(tmp_path, qapp):
    out = tmp_path / "shot.png"
    result = run("--demo", "--screenshot", str(out))
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    small = image.scaled(160, 100)
    colours = {small.pixel(x, y) for x in range(160) for y in range(100)}
    assert len(colours) > 60, "a blank or nearly blank image"
    # the Okabe-Ito blue of outbound clicks is on screen (card value, chart line)
    blues = sum(1 for x in range(0, 1280, 2) for y in range(0, 800, 2)
                if abs(image.pixelColor(x, y).red() - 0x00) < 30 and abs(image.pixelColor(x, y).green() - 0x72) < 30
                and abs(image.pixelColor(x, y).blue() - 0xB2) < 30)
    assert blues > 200


def test_window_paints_before_pandas_and_pyqtgraph_are_imported(tmp_path):
    result = run("--demo", env={"PINVIEWER_BENCH": "first-paint"})
    assert result.returncode == 0, result.stderr
    line = next(l for l in result.stdout.splitlines() if l.startswith("PINVIEWER_BENCH first-paint"))
    assert line.endswith("heavy=none"), line


def test_a_later_start_paints_before_pysides_qt_namespace_is_built(pinviewer_home):
    """PySide6 builds all of ``Qt`` (~20 ms) at its first touch; the first paint does without it once the
    colour scheme of the last run is known (here as if a light window had run before)."""
    from pinviewer.gui import settings

    settings.put(settings.DARK_THEME, False)
    result = run("--demo", env={"PINVIEWER_BENCH": "first-paint"})
    assert result.returncode == 0, result.stderr
    line = next(l for l in result.stdout.splitlines() if l.startswith("PINVIEWER_BENCH first-paint"))
    assert " qt-namespace=not-built " in line, line


def test_without_a_display_it_says_so_instead_of_crashing():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "pinviewer"], capture_output=True, text=True, env=env,
                            timeout=60)
    if not sys.platform.startswith("linux"):
        return
    assert result.returncode == 1
    assert "needs a desktop" in result.stderr


def test_a_second_launch_hands_its_file_to_the_running_window(tmp_path, pinviewer_home):
    import shutil
    import time
    from pathlib import Path

    from pinviewer import paths

    from pinviewer.core.demo import demo_files

    export = Path(shutil.copy(demo_files()[-1], tmp_path))
    env = dict(os.environ)
    first = subprocess.Popen([sys.executable, "-m", "pinviewer"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60  # the first window listens before it opens the history
        while not paths.database_path().exists() and time.monotonic() < deadline:
            assert first.poll() is None, first.communicate()
            time.sleep(0.1)
        second = run(str(export), timeout=60)
        assert second.returncode == 0, second.stderr
        from pinviewer.core.store import Store

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with Store.open() as store:
                if [b.file_name for b in store.batches()] == [export.name]:
                    break
            time.sleep(0.3)
        else:
            raise AssertionError("the running window did not import the handed-over file")
        assert first.poll() is None  # still running: the second launch did not open a window of its own
    finally:
        first.terminate()
        first.wait(timeout=30)
