"""``pinviewer --smoke``: does this build work? Run it on a frozen bundle as much as on a source tree.

It opens the main window on the demo data, draws a chart, loads the keyring backends (and says which one
PinViewer would use, or that there is none: that is not a failure), writes a summary PDF to a temporary
folder, prints one line per step and exits 0 when every step passed, 1 otherwise. It never touches the user's
data or keyring: PINVIEWER_HOME points at a temporary folder for the run, and nothing is written to the keyring.

It also shakes hands over TLS with a local HTTPS server whose throwaway certificate is trusted only through a
certificate store laid out like Debian's and like Fedora's (the bundle's OpenSSL knows only Debian's paths; the
client goes through truststore), and says "skipped" when neither cryptography nor openssl can make one.

It exists because PyInstaller bundles have lost keyring's backends (entry-point metadata) and pyqtgraph's
imports before, and because a bundle built without libxcb-icccm4/keysyms1 cannot open a window on X11: run
it under the platform you care about (``QT_QPA_PLATFORM=offscreen`` in CI, and under Xvfb for xcb).

Environment: PINVIEWER_SMOKE_SCREENSHOT=FILE.png saves a picture of the window;
PINVIEWER_SMOKE_KEEP=1 keeps the temporary folder (its path is printed);
PINVIEWER_SMOKE_KEYRING_ROUNDTRIP=1 also stores, reads and deletes a throwaway keyring item (for CI with a
test Secret Service: never on a user's machine).
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import cast

WINDOW_TIMEOUT = 60.0  # seconds to wait for the window and its data (a cold start of a frozen app on a slow disk)


class StepFailed(Exception):
    pass


class StepSkipped(Exception):
    """The step cannot run on this machine (said in one line); not a failure."""


class _Steps:
    def __init__(self, out=None) -> None:
        if out is None and sys.stdout is None:  # a windowed .exe on Windows has no console: write a file
            out = open(Path(tempfile.gettempdir(), "pinviewer-smoke.txt"), "w", encoding="utf-8")  # noqa: SIM115
        self.out = out or sys.stdout
        self.failures: list[str] = []

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def run(self, name: str, func, *args):
        started = time.perf_counter()
        try:
            detail = func(*args)
        except StepSkipped as why:
            self.say(f"smoke: {name:<10} skipped {why}")
            return None
        except Exception as error:  # noqa: BLE001 -- every failure becomes one line, then we go on
            self.failures.append(name)
            message = str(error) if isinstance(error, StepFailed) else f"{type(error).__name__}: {error}"
            self.say(f"smoke: {name:<10} FAILED  {message}")
            if not isinstance(error, StepFailed):
                traceback.print_exc(file=self.out)
            return None
        took = time.perf_counter() - started
        text = detail if isinstance(detail, str) else (detail[0] if detail else "")
        self.say(f"smoke: {name:<10} ok      {text} ({took:.2f} s)")
        return detail


def _process_events_until(app, condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.01)
    app.processEvents()
    return condition()


# ------------------------------------------------------------------------------------------------ steps
def _about(app) -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    import pinviewer

    frozen = "frozen bundle" if getattr(sys, "frozen", False) else "source/venv"
    return (f"{pinviewer.APP_NAME} {pinviewer.__version__} ({frozen}), Python {sys.version.split()[0]}, "
            f"Qt {qVersion()} / PySide6 {pyside_version}, platform {app.platformName()}")


def _resources() -> str:
    from pinviewer import paths
    from pinviewer.core.demo import demo_files

    files = demo_files()
    if len(files) < 10:
        raise StepFailed(f"only {len(files)} demo files at {paths.resource_path('demo')}")
    icon = paths.resource_path("icons", "pinviewer-256.png")
    if not icon.exists():
        raise StepFailed(f"no app icon at {icon}")
    return f"{len(files)} demo files, icons at {icon.parent}"


def _open_window(app, unexpected: list):
    """The real main window on the demo data, as ``pinviewer --demo`` opens it: show, first paint, then load."""
    from pinviewer.gui import style
    from pinviewer.gui.main_window import MainWindow

    style.apply(app)
    asked = time.perf_counter()
    window = MainWindow(demo=True)
    state = {"figures": False, "ready": False}
    window.figures_shown.connect(lambda: state.update(figures=True))
    window.ready.connect(lambda: state.update(ready=True))
    window.show()
    if not _process_events_until(app, lambda: window.windowHandle() is not None and window.isVisible(),
                                 WINDOW_TIMEOUT):
        raise StepFailed("the main window did not appear")
    if app.platformName() not in ("offscreen", "minimal"):
        if not _process_events_until(app, lambda: window.windowHandle().isExposed(), WINDOW_TIMEOUT):
            raise StepFailed(f"the window was never exposed on {app.platformName()}")
    shown = time.perf_counter()
    appeared = shown - asked
    window.start([])  # what launch.py does after the first paint
    _process_events_until(app, lambda: state["figures"] or (state["ready"] and window.figures is None)
                          or bool(unexpected), WINDOW_TIMEOUT)
    if unexpected:
        raise StepFailed(f"unexpected error while loading the demo: {unexpected[0]}")
    if not state["figures"]:
        raise StepFailed(f"the demo blog's figures never showed (ready={state['ready']})")
    return (f"{type(window).__name__} '{window.windowTitle()}' {window.width()}x{window.height()}: shown in "
            f"{appeared:.2f} s, demo figures {time.perf_counter() - shown:.2f} s later"), window


def _plots_with_data(window) -> list:
    import pyqtgraph as pg

    found = []
    for plot in window.findChildren(pg.PlotWidget):
        items = [i for i in plot.getPlotItem().listDataItems() if getattr(i, "xData", None) is not None
                 and len(i.xData)]
        if items:
            found.append((plot, items))
    return found


def _draw_chart(app, window) -> str:
    """A pyqtgraph chart of the demo data, drawn for real: the window's own, or one made here from the store."""
    import pyqtgraph as pg
    from PySide6.QtGui import QImage

    plots = []
    if window is not None:
        _process_events_until(app, lambda: bool(_plots_with_data(window)), WINDOW_TIMEOUT)
        plots = _plots_with_data(window)
    if plots:
        plot, items = plots[0]
        where = f"the window's {type(plot).__name__}"
        points = sum(len(i.xData) for i in items)
    else:  # no window (it failed): still prove that pyqtgraph imports, plots and paints in this build
        series = _demo_series()
        plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        plot.resize(800, 400)
        x = series.index.as_unit("s").astype("int64").to_numpy().astype(float)
        plot.plot(x, series.to_numpy(dtype=float), pen=pg.mkPen("#0072B2", width=2))
        plot.show()
        app.processEvents()
        where, points = "a PlotWidget made by the smoke test", len(series)
    image = plot.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    if image.isNull() or image.width() < 50:
        raise StepFailed("the chart painted nothing")
    colours = _distinct_colours(image)
    if colours < 3:
        raise StepFailed(f"the chart is blank ({colours} colours in {image.width()}x{image.height()})")
    if not plots:
        plot.close()
    return f"{points} points in {where}, {image.width()}x{image.height()} px, {colours} colours"


def _demo_series():
    """Daily outbound clicks of the demo blog, through the same store and analysis as the app."""
    from pinviewer.core import analysis
    from pinviewer.core.demo import open_demo_store

    store, profile = open_demo_store()
    try:
        daily = analysis.account_daily(store.load(profile))
    finally:
        store.close()
    return daily["outbound_clicks"].dropna()


def _distinct_colours(image, step: int = 3) -> int:
    seen = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
            if len(seen) > 50:
                return len(seen)
    return len(seen)


def _keyring() -> str:
    """Backends come from entry points: a bundle without keyring's metadata silently has none."""
    from importlib.metadata import entry_points

    import keyring

    names = sorted(ep.name for ep in entry_points(group="keyring.backends"))
    if not names:
        raise StepFailed("keyring's backend entry points are missing from this build (copy_metadata('keyring'))")
    broken = []
    for ep in entry_points(group="keyring.backends"):
        try:
            ep.load()
        except ImportError as error:
            broken.append(f"{ep.name} ({error})")
    expected = {"linux": "SecretService", "win32": "Windows", "darwin": "macOS"}.get(sys.platform)
    if expected and any(b.startswith(expected + " ") for b in broken):
        raise StepFailed(f"this system's keyring backend does not import: {', '.join(broken)}")
    backend = keyring.get_keyring()
    kind = f"{type(backend).__module__}.{type(backend).__name__}"
    try:
        from pinviewer.core.api.credentials import keyring_problem

        problem = keyring_problem()
    except ImportError:
        problem = None if "fail" not in kind else "no keyring backend"
    if not problem and os.environ.get("PINVIEWER_SMOKE_KEYRING_ROUNDTRIP") == "1":
        _keyring_round_trip(keyring)
        kind += ", round trip ok"
    if problem:
        state = (f"NO usable keyring on this machine ({kind}); the app says so and offers to keep the token "
                 "for this session only")
    else:
        state = f"uses {kind}"
    return f"{state}; backends in build: {', '.join(names)}" + (f"; not importable: {', '.join(broken)}"
                                                                  if broken else "")


def _keyring_round_trip(keyring) -> None:
    """Store, read and delete a throwaway item (CI with a test Secret Service; never by default)."""
    import secrets

    service, user, value = "PinViewer smoke test", "smoke", secrets.token_hex(8)
    keyring.set_password(service, user, value)
    try:
        if keyring.get_password(service, user) != value:
            raise StepFailed("the keyring gave back another value than it was given")
    finally:
        keyring.delete_password(service, user)


def _https() -> str:
    """The Pinterest client verifies certificates through the system's store (truststore): is there one here?"""
    import ssl

    if not sys.platform.startswith("linux"):
        return f"{ssl.OPENSSL_VERSION}; certificates are checked by this system's own store (truststore)"
    import truststore._openssl as linux

    defaults = ssl.get_default_verify_paths()
    found = [p for p in (defaults.cafile, defaults.capath) if p and os.path.exists(p)]
    found += [p for p in getattr(linux, "_CA_FILE_CANDIDATES", []) if os.path.isfile(p)]
    if not found:
        raise StepFailed("no CA certificates where Linux distributions keep them (/etc/ssl/certs, /etc/pki/tls, "
                         f"/etc/ssl/cert.pem, {defaults.openssl_cafile}): connecting to Pinterest would fail")
    return f"{ssl.OPENSSL_VERSION}; system certificates in {', '.join(dict.fromkeys(found))}"


def _tls(folder: Path) -> str:
    """A TLS handshake through the client's own pool with a throwaway certificate trusted only through a
    certificate store laid out like Debian's and like Fedora's (pinviewer.core.api.tlscheck)."""
    from pinviewer.core.api import tlscheck

    try:
        return tlscheck.check(folder / "tls")
    except tlscheck.Skipped as why:
        raise StepSkipped(f"no TLS handshake check: {why}") from None
    except tlscheck.CheckFailed as error:
        raise StepFailed(str(error)) from None


def _pdf(folder: Path) -> str:
    """A one-page summary of the demo blog through the app's own renderer, as ``report --pdf --demo`` does."""
    from pinviewer.core.demo import open_demo_store
    from pinviewer.core.report import build_report
    from pinviewer.render.pdf import write_pdf

    store, profile = open_demo_store()
    try:
        report = build_report(store.load(profile))
    finally:
        store.close()
    path = Path(write_pdf(report, folder / "smoke-summary.pdf"))
    data = path.read_bytes() if path.exists() else b""
    if not data.startswith(b"%PDF") or len(data) < 1000:
        raise StepFailed(f"{path} is not a PDF ({len(data)} bytes)")
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    return f"{path.name}, {len(data):,} bytes, {pages} page(s), in {folder}"


# ------------------------------------------------------------------------------------------------ run
def run_smoke(out=None) -> int:
    """Every step, one line each; 0 when all passed. Safe on a user's machine: everything goes to a temp folder."""
    steps = _Steps(out)
    keep = os.environ.get("PINVIEWER_SMOKE_KEEP") == "1"
    folder = Path(tempfile.mkdtemp(prefix="pinviewer-smoke-"))
    saved = {k: os.environ.get(k) for k in ("PINVIEWER_HOME", "PINVIEWER_TESTING")}
    os.environ["PINVIEWER_HOME"] = str(folder / "home")  # the user's history and settings stay untouched
    os.environ["PINVIEWER_TESTING"] = "1"  # an unexpected error is logged and fails a step; no modal dialog
    window = None
    unexpected: list[str] = []
    previous_hook = sys.excepthook

    def hook(kind, value, tb):  # an exception in a Qt slot fails the smoke instead of being only logged
        unexpected.append(f"{kind.__name__}: {value}")
        traceback.print_exception(kind, value, tb, file=steps.out)

    sys.excepthook = hook

    class _Errors(logging.Handler):  # the GUI's task runner logs a worker's exception instead of raising it
        def emit(self, record):
            lines = record.getMessage().strip().splitlines()  # a traceback's last line names the error
            unexpected.append(lines[-1] if lines else record.name)

    errors_seen = _Errors(logging.ERROR)
    logging.getLogger().addHandler(errors_seen)
    try:
        from PySide6.QtWidgets import QApplication

        import pinviewer

        app = cast(QApplication, QApplication.instance()) or \
            QApplication([sys.argv[0] if sys.argv else pinviewer.APP_NAME])
        app.setApplicationName(pinviewer.APP_NAME)
        app.setOrganizationName(pinviewer.ORG_NAME)
        app.setApplicationVersion(pinviewer.__version__)
        app.setDesktopFileName(pinviewer.APP_ID)
        steps.run("build", _about, app)
        steps.run("resources", _resources)
        opened = steps.run("window", _open_window, app, unexpected)
        window = opened[1] if opened else None
        steps.run("chart", _draw_chart, app, window)
        shot = os.environ.get("PINVIEWER_SMOKE_SCREENSHOT")
        if shot and window is not None:
            window.grab().save(shot)
            steps.say(f"smoke: screenshot {shot}")
        steps.run("keyring", _keyring)
        steps.run("https", _https)
        steps.run("tls", _tls, folder)
        steps.run("pdf", _pdf, folder)
        if unexpected and "window" not in steps.failures:
            steps.failures.append("unexpected errors")
            steps.say(f"smoke: {len(unexpected)} unexpected error(s) during the run: {unexpected[0]}")
    finally:
        sys.excepthook = previous_hook
        logging.getLogger().removeHandler(errors_seen)
        if window is not None:
            window.close()
            window.deleteLater()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if keep:
            steps.say(f"smoke: kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    if steps.failures:
        steps.say(f"smoke: FAILED ({', '.join(steps.failures)})")
        return 1
    steps.say("smoke: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(run_smoke())
