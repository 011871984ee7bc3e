"""Test set-up: offscreen Qt, a temporary PINVIEWER_HOME, an in-memory keyring, no error dialogs."""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PINVIEWER_TESTING"] = "1"  # the excepthook logs but shows no dialog
# The ~100 Python processes the tests start (python -m pinviewer, the screenshots, the smoke test) keep
# compiled bytecode in __pycache__ (ignored by git) as any installed program does, even where the environment
# says not to (PYTHONDONTWRITEBYTECODE): otherwise each one compiles PinViewer's modules again.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

import pytest

DATA = Path(__file__).parent / "data"
SAMPLES = DATA / "samples"


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory) -> Path:
    """The sample blog's history, built once per test worker by the real code, as a first launch builds it
    (about 2-4 s: 36 exports and the API snapshot imported)."""
    home = tmp_path_factory.mktemp("demo-home")
    before = os.environ.get("PINVIEWER_HOME")
    os.environ["PINVIEWER_HOME"] = str(home)
    try:
        from pinviewer import paths
        from pinviewer.core.demo import open_demo_store

        store, _ = open_demo_store()
        store.close()
        return paths.demo_database_path()
    finally:
        if before is None:
            del os.environ["PINVIEWER_HOME"]
        else:
            os.environ["PINVIEWER_HOME"] = before


@pytest.fixture(autouse=True)
def pinviewer_home(tmp_path, monkeypatch, request):
    """A home of the test's own. It holds the sample blog's history as a later launch finds it (a copy of
    ``built_demo``), unless the test is marked ``first_launch`` (nothing in the home)."""
    home = tmp_path / "home"
    home.mkdir()
    if request.node.get_closest_marker("first_launch") is None:
        import shutil

        demo = request.getfixturevalue("built_demo")
        (home / "cache").mkdir()
        shutil.copyfile(demo, home / "cache" / demo.name)
    monkeypatch.setenv("PINVIEWER_HOME", str(home))
    monkeypatch.delenv("PINVIEWER_API_BASE", raising=False)
    return home


@pytest.fixture(autouse=True)
def memory_keyring():
    import keyring
    import keyring.backend
    import keyring.errors

    class _Memory(keyring.backend.KeyringBackend):
        priority = 1
        items: dict = {}

        def get_password(self, service, username):
            return self.items.get((service, username))

        def set_password(self, service, username, password):
            self.items[(service, username)] = password

        def delete_password(self, service, username):
            if (service, username) not in self.items:
                raise keyring.errors.PasswordDeleteError("not found")
            del self.items[(service, username)]

    previous = keyring.get_keyring()
    backend = _Memory()
    backend.items = {}
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def run_cli(*args: str, stdin: str | None = None, env: dict | None = None, timeout: float = 120,
            process: bool = False):
    """Run PinViewer's command line and return a CompletedProcess (returncode, stdout, stderr).

    In this process, through ``pinviewer.cli.main`` (exit codes and output as a user sees them), unless the test
    is about the process itself: ``process=True``, or an ``env`` or ``stdin`` to give it (a keyring backend
    chosen by environment, a real pipe on /dev/stdin), which start ``python -m pinviewer``."""
    import subprocess

    if process or env is not None or stdin is not None:
        full_env = dict(os.environ)
        full_env.update(env or {})
        return subprocess.run([sys.executable, "-m", "pinviewer", *args], input=stdin, capture_output=True,
                              text=True, env=full_env, timeout=timeout)
    import contextlib
    import io
    import logging

    from pinviewer import logs
    from pinviewer.cli import main

    out, err = io.StringIO(), io.StringIO()
    root_handlers = list(logging.getLogger().handlers)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit_:  # argparse's usage errors
                code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    finally:  # the log file belongs to this test's PINVIEWER_HOME: the next run opens its own
        for handler in logging.getLogger().handlers:
            if handler not in root_handlers:
                logging.getLogger().removeHandler(handler)
                handler.close()
        logs._file_handler = None
    return subprocess.CompletedProcess(["pinviewer", *args], code, out.getvalue(), err.getvalue())


@pytest.fixture
def store(tmp_path):
    """A history in a real SQLite file of its own."""
    from pinviewer.core.store import Store

    with Store.open(tmp_path / "data" / "pinviewer.sqlite") as s:
        yield s


def load_history(store, *batches):
    """Import ImportBatch objects (as if from files) into the first profile and load its dataset."""
    profile = store.profile()
    for i, batch in enumerate(batches):
        store.import_batch(profile, batch, file_name=f"{batch.format}-{i}.csv", sha256=f"sha{i}-{batch.format}")
    return store.load(profile)


@pytest.fixture
def window(qtbot):
    """PinViewer's main window on the (empty, temporary) user history, shown at 1280x800 and ready."""
    from pinviewer.gui import tasks
    from pinviewer.gui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    with qtbot.waitSignal(win.ready, timeout=30_000):
        win.start()
    yield win
    tasks.wait_all()
    win.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test and its fixtures (qtbot closes the widgets it was given): no window of it may stay open."""
    yield
    app = sys.modules.get("PySide6.QtWidgets") and sys.modules["PySide6.QtWidgets"].QApplication.instance()
    if not app:
        return
    left = [w for w in app.topLevelWidgets() if w.isVisible()]
    for widget in left:
        widget.close()
    if left:
        names = ", ".join(sorted({type(w).__name__ + (f" '{w.windowTitle()}'" if w.windowTitle() else "")
                                  for w in left}))
        pytest.fail(f"{item.nodeid} left top-level widgets open: {names}", pytrace=False)
