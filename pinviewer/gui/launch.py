"""Starting the window: arguments, QApplication, first paint, then the heavy part.

``pinviewer [FILE...] [--demo] [--screenshot OUT.png [--page PAGE] [--size WxH]]`` (an unknown option is an
error; Qt's own options such as ``-platform`` go to Qt)

A second launch hands its files to the PinViewer already running (single_instance.py) and exits.

Only QtWidgets and small modules are imported before the window is on screen; pandas, pyqtgraph and the
store come after the first paint, on the worker thread (imports dominate start-up). Three costs of 10 ms or
more also wait for the paint: PySide6's ``Qt`` namespace (~20 ms: style.py's remembered scheme),
logging.handlers (logs.py) and the package metadata behind ``pinviewer.__version__``; QtNetwork comes with
listening for later launches (single_instance.py: a lock file first). Right after the paint: listen, the
rotating log, the system's colour scheme, ``MainWindow.start()``, the version.

``PINVIEWER_BENCH=first-paint|dashboard`` (for tests/perf) prints ``PINVIEWER_BENCH <event> <monotonic> ...``
and quits at that moment.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

log = logging.getLogger(__name__)



def app_icon():
    """PinViewer's icon in every size packaging/make_icons.py drew from resources/icons/pinviewer.svg."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    from pinviewer.paths import resource_path

    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        icon.addFile(str(resource_path("icons", f"pinviewer-{size}.png")), QSize(size, size))
    return icon


PAGES = ("overview", "pins", "posts", "insights")  # --page (pinviewer.gui.screenshot)


def parse_size(text: str) -> tuple[int, int]:
    """'1024x700' -> (1024, 700); a ValueError with a sentence otherwise."""
    import re

    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*", text or "")
    if not match:
        raise ValueError(f"{text!r} is not a size; write it as WIDTHxHEIGHT, for example 1024x700")
    return int(match.group(1)), int(match.group(2))


# Qt's own options (QApplication takes them from the command line), with whether each takes a value
QT_OPTIONS = {"-platform": True, "-platformpluginpath": True, "-platformtheme": True, "-plugin": True,
              "-qwindowgeometry": True, "-qwindowicon": True, "-qwindowtitle": True, "-reverse": False,
              "-session": True, "-display": True, "-geometry": True, "-style": True, "-stylesheet": True,
              "-widgetcount": False, "-nograb": False, "-dograb": False, "-sync": False, "-qmljsdebugger": True}


def _split_qt_options(argv: list[str]) -> tuple[list[str], list[str]]:
    """(PinViewer's arguments, Qt's own options): Qt's are handed to QApplication, anything else is ours."""
    ours, qt, i = [], [], 0
    while i < len(argv):
        arg = argv[i]
        name = arg.split("=", 1)[0]
        if not arg.startswith("--") and name in QT_OPTIONS:
            qt.append(arg)
            if QT_OPTIONS[name] and "=" not in arg and i + 1 < len(argv):
                qt.append(argv[i + 1])
                i += 1
        else:
            ours.append(arg)
        i += 1
    return ours, qt


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """The window's options; an unknown option is an error (exit code 2), not silently ignored."""
    def size(text: str) -> tuple[int, int]:
        try:
            return parse_size(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    parser = argparse.ArgumentParser(
        prog="pinviewer", description="Open PinViewer's window. Commands for scripts: pinviewer --help.",
        epilog="Qt's own options (-platform, -style, ...) are passed on to Qt.")
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE",
                        help="exports to import, as if dropped on the window")
    parser.add_argument("--demo", action="store_true", help="open the sample blog")
    parser.add_argument("--screenshot", type=Path, metavar="OUT.png",
                        help="save the window as a PNG image and quit")
    parser.add_argument("--page", choices=PAGES, default="overview", help="the page to save (--screenshot)")
    parser.add_argument("--size", type=size, default=None, metavar="WxH",
                        help="the image's size in pixels, 1280x800 unless given (--screenshot)")
    ours, qt_args = _split_qt_options(argv)
    args = parser.parse_args(ours)
    if args.screenshot is None and (args.size is not None or args.page != "overview"):
        parser.error("--page and --size go with --screenshot OUT.png")
    return args, qt_args


def _no_display() -> bool:
    return (sys.platform.startswith("linux") and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"))


def _bench_mark(event: str) -> bool:
    """For tests/perf: print when ``event`` happens and quit. True when it did."""
    if os.environ.get("PINVIEWER_BENCH") != event:
        return False
    heavy = ",".join(m for m in ("pandas", "pyqtgraph") if m in sys.modules) or "none"
    qt_namespace = "built" if "Qt" in vars(sys.modules["PySide6.QtCore"]) else "not-built"  # ~20 ms when built
    print(f"PINVIEWER_BENCH {event} {time.monotonic():.6f} qt-namespace={qt_namespace} heavy={heavy}", flush=True)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None  # the window is running
    app.exit(0)
    return True


def _make_app(qt_args: list[str]):
    """The QApplication (or the one a test made), named."""
    from PySide6.QtWidgets import QApplication

    import pinviewer

    existing = cast("QApplication | None", QApplication.instance())  # PinViewer makes only widget applications
    app = existing if existing is not None else QApplication([sys.argv[0] if sys.argv else "pinviewer", *qt_args])
    app.setApplicationName(pinviewer.APP_NAME)
    app.setOrganizationName(pinviewer.ORG_NAME)
    app.setDesktopFileName(pinviewer.APP_ID)
    return app


def _when_painted(window, then) -> QObject:
    """Call ``then()`` once ``window`` has been painted (the returned filter must be kept alive)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        done = False

        def eventFilter(self, watched, event):
            if not self.done and event.type() in (QEvent.Type.UpdateRequest, QEvent.Type.Paint):
                self.done = True
                watched.removeEventFilter(self)
                QTimer.singleShot(0, then)
            return False

    first_paint = FirstPaint()
    window.installEventFilter(first_paint)
    return first_paint


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

    from pinviewer import logs

    logs.setup_logging(rotating=False)  # the plain file handler until the first paint, then the rotating one
    # No ``Qt`` namespace before the first paint (PySide6 builds all of it, ~20 ms, at the first touch). Qt 6's
    # high-DPI scale factor rounding policy is PassThrough already: nothing to set.
    from PySide6.QtCore import QTimer

    import pinviewer
    from pinviewer.gui import errors, style

    app = _make_app(qt_args)
    errors.install()
    instance = None
    if args.screenshot is None:  # one PinViewer per user: a second launch hands its files over and leaves
        from pinviewer.gui.single_instance import SingleInstance

        instance = SingleInstance()
        if instance.try_forward(args.files, listen=False):  # the first copy listens after its first paint
            return 0

    app.setWindowIcon(app_icon())  # the window, the taskbar and the About box
    style.apply_remembered(app)  # last run's scheme; follow_system() checks it after paint
    from pinviewer.gui.main_window import MainWindow

    window = MainWindow(demo=args.demo)
    if instance is not None:
        from pinviewer.gui.single_instance import bring_to_front

        def open_received(paths: list[str]) -> None:
            bring_to_front(window)
            imports = window.imports
            assert imports is not None  # made when the window started
            imports.open_files(paths)

        instance.files_received.connect(open_received)
        if sys.platform == "darwin":  # Finder's "Open With" and drops on the Dock icon arrive as events
            instance.watch_file_open_events(app)
    if args.screenshot is not None:
        from pinviewer.gui import screenshot

        screenshot.arm(app, window, args.screenshot, args.page, args.size)
    if os.environ.get("PINVIEWER_BENCH") == "dashboard":
        window.figures_shown.connect(lambda: QTimer.singleShot(0, lambda: _bench_mark("dashboard")))

    def follow_system_theme(*_scheme):
        if style.follow_system(app):
            window.apply_theme()

    def after_first_paint():
        if _bench_mark("first-paint"):
            return
        if instance is not None:
            instance.listen()  # later launches are answered from now on (QtNetwork)
        logs.start_rotating()  # logging.handlers; before the worker starts to log
        follow_system_theme()  # the scheme the first paint used was last run's
        app.styleHints().colorSchemeChanged.connect(follow_system_theme)
        window.start(args.files)  # the worker opens the history while this thread builds the window
        app.setApplicationVersion(pinviewer.__version__)  # package metadata (~25 ms)
        log.info("PinViewer %s window shown", pinviewer.__version__)

    first_paint = _when_painted(window, after_first_paint)  # noqa: F841 - kept alive until the paint
    window.show()
    return _finish(app.exec(), window, instance, args)


def _finish(code: int, window, instance, args) -> int:
    """After the event loop: the worker stops at its next check, later launches are no longer answered."""
    from pinviewer.gui import errors, tasks

    tasks.cancel_all()
    tasks.wait_all()
    if instance is not None:
        instance.close()
    errors.uninstall()
    if args.screenshot is not None:
        _leave_now(window, code)
    return code


def _leave_now(window, code: int) -> None:
    """The end of a one-shot ``--screenshot``: close the history, flush, and exit without tearing down Qt,
    pyqtgraph and pandas object by object (about half a second here, which a script waits for)."""
    if window.data is not None:
        window.data.close()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
