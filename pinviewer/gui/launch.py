"""Starting the window: arguments, QApplication, first paint, then the heavy part.

``pinviewer [FILE...] [--demo] [--screenshot PATH.png]``

A second launch hands its files to the PinViewer already running (single_instance.py) and exits.

Only QtWidgets and small modules are imported before the window is on screen; pandas, pyqtgraph and the
store come after the first paint, on the worker thread (DESIGN.md: imports dominate start-up).

``PINVIEWER_BENCH=first-paint|dashboard`` (for tests/perf) prints ``PINVIEWER_BENCH <event> <monotonic>``
and quits at that moment.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

log = logging.getLogger(__name__)

SCREENSHOT_SIZE = (1280, 800)
SCREENSHOT_TIMEOUT_MS = 120_000


def app_icon():
    """PinViewer's icon in every size packaging/make_icons.py drew from resources/icons/pinviewer.svg."""
    from PySide6.QtGui import QIcon

    from pinviewer.paths import resource_path

    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        icon.addFile(str(resource_path("icons", f"pinviewer-{size}.png")))
    return icon


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="pinviewer", description="Open PinViewer's window.")
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE",
                        help="exports to import, as if dropped on the window")
    parser.add_argument("--demo", action="store_true", help="open the sample blog")
    parser.add_argument("--screenshot", type=Path, metavar="PATH.png",
                        help="render the window at 1280x800 into a PNG file and exit")
    return parser.parse_known_args(argv)


def _no_display() -> bool:
    return (sys.platform.startswith("linux") and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"))


def _bench_mark(event: str) -> bool:
    """For tests/perf: print when ``event`` happens and quit. True when it did."""
    if os.environ.get("PINVIEWER_BENCH") != event:
        return False
    heavy = ",".join(m for m in ("pandas", "pyqtgraph") if m in sys.modules) or "none"
    print(f"PINVIEWER_BENCH {event} {time.monotonic():.6f} heavy={heavy}", flush=True)
    from PySide6.QtWidgets import QApplication

    QApplication.instance().exit(0)
    return True


def run_gui(argv: list[str]) -> int:
    try:
        args, qt_args = parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    # The window does no linear algebra: one BLAS thread makes importing numpy (on the worker) ~60 ms faster
    # here. Set before anything imports numpy; a value the user set wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if args.screenshot is not None and _no_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if _no_display():
        print("PinViewer needs a desktop to open its window (no DISPLAY is set). "
              "The command-line tools work without one: pinviewer --help.", file=sys.stderr)
        return 1

    from pinviewer.logs import setup_logging

    setup_logging()
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    import pinviewer
    from pinviewer.gui import errors, style

    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "pinviewer", *qt_args])
    app.setApplicationName(pinviewer.APP_NAME)
    app.setOrganizationName(pinviewer.ORG_NAME)
    app.setDesktopFileName(pinviewer.APP_ID)
    app.setWindowIcon(app_icon())  # the window, the taskbar and the About box
    style.apply(app)
    errors.install()

    instance = None
    if args.screenshot is None:  # one PinViewer per user: a second launch hands its files over and leaves
        from pinviewer.gui.single_instance import SingleInstance

        instance = SingleInstance()
        if instance.try_forward(args.files):
            return 0

    from pinviewer.gui.main_window import MainWindow

    window = MainWindow(demo=args.demo)
    if instance is not None:
        from pinviewer.gui.single_instance import bring_to_front

        instance.filesReceived.connect(lambda paths: (bring_to_front(window), window.open_files(paths)))
        if sys.platform == "darwin":  # Finder's "Open With" and drops on the Dock icon arrive as events
            instance.watch_file_open_events(app)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: (style.apply(app), window.apply_theme()))
    if args.screenshot is not None:
        window.resize(*SCREENSHOT_SIZE)
        _arm_screenshot(app, window, args.screenshot)
    if os.environ.get("PINVIEWER_BENCH") == "dashboard":
        window.figures_shown.connect(lambda: QTimer.singleShot(0, lambda: _bench_mark("dashboard")))

    class FirstPaint(QObject):
        """Starts the heavy part once the window has been painted."""

        def __init__(self):
            super().__init__()
            self.done = False

        def eventFilter(self, watched, event):
            if not self.done and event.type() in (QEvent.Type.UpdateRequest, QEvent.Type.Paint):
                self.done = True
                watched.removeEventFilter(self)
                QTimer.singleShot(0, after_first_paint)
            return False

    def after_first_paint():
        app.setApplicationVersion(pinviewer.__version__)  # reads package metadata: after the first paint
        if not _bench_mark("first-paint"):
            window.start(args.files)

    first_paint = FirstPaint()
    window.installEventFilter(first_paint)
    window.show()
    log.info("PinViewer %s window shown", pinviewer.__version__)
    code = app.exec()
    from pinviewer.gui import tasks

    tasks.cancel_all()  # nothing runs on after the window: the worker stops at its next check
    tasks.wait_all()
    if instance is not None:
        instance.close()
    errors.uninstall()
    return code


def _arm_screenshot(app, window, path: Path) -> None:
    """Save the window into ``path`` once it shows figures (or the first screen), then quit."""
    from PySide6.QtCore import QTimer

    state = {"done": False}

    def shoot():
        if state["done"]:
            return
        state["done"] = True
        app.processEvents()
        image = window.grab()
        path.parent.mkdir(parents=True, exist_ok=True)
        ok = image.save(str(path), "PNG")
        if ok:
            print(f"Saved {path} ({image.width()}x{image.height()}).")
        else:
            print(f"Could not write {path}.", file=sys.stderr)
        app.exit(0 if ok else 1)

    def later():
        QTimer.singleShot(400, shoot)

    def timeout():
        if not state["done"]:
            state["done"] = True
            print("The window did not finish loading in time; no screenshot was saved.", file=sys.stderr)
            app.exit(1)

    window.figures_shown.connect(later)
    window.ready.connect(lambda: later() if window.figures is None else None)
    QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, timeout)
