"""A second launch hands its files to the PinViewer already running (QLocalServer), then exits."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtNetwork")

from PySide6.QtCore import QCoreApplication, QEvent, QUrl  # noqa: E402
from PySide6.QtGui import QFileOpenEvent  # noqa: E402

from pinviewer.gui.single_instance import SingleInstance, default_server_name  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def server_name():
    name = f"pinviewer-test-{uuid.uuid4().hex[:12]}"
    yield name
    from PySide6.QtNetwork import QLocalServer

    QLocalServer.removeServer(name)


def test_first_listens_second_forwards_first_receives(qapp, server_name, tmp_path):
    first = SingleInstance(server_name)
    assert first.try_forward([]) is False  # nobody else: this one opens the window and listens
    assert first.is_listening()
    received = []
    first.files_received.connect(received.append)

    csv = tmp_path / "export one.csv"
    csv.write_text("Date,Impressions\n")
    second = SingleInstance(server_name)
    assert second.try_forward([str(csv), "relative.csv"]) is True  # the caller now exits
    assert not second.is_listening()
    assert received == [[str(csv), str(Path("relative.csv").absolute())]]
    first.close()


def test_a_second_launch_without_files_still_reaches_the_first(qapp, server_name):
    first = SingleInstance(server_name)
    assert first.try_forward() is False
    received = []
    first.files_received.connect(received.append)
    assert SingleInstance(server_name).try_forward() is True
    assert received == [[]]  # an empty list: the window comes to the front
    first.close()


def test_after_the_first_quits_the_next_launch_takes_over(qapp, server_name):
    first = SingleInstance(server_name)
    assert first.try_forward() is False
    first.close()
    second = SingleInstance(server_name)
    assert second.try_forward(["a.csv"]) is False
    assert second.is_listening()
    second.close()


def test_a_socket_left_by_a_crash_does_not_block_the_next_start(qapp, server_name, tmp_path):
    if sys.platform == "win32":
        pytest.skip("named pipes leave nothing behind")
    from PySide6.QtCore import QDir

    stale = Path(QDir.tempPath(), server_name)
    import socket

    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(stale))  # a socket file that nobody listens on, as after a crash
    sock.close()
    try:
        instance = SingleInstance(server_name)
        assert instance.try_forward(["x.csv"]) is False
        assert instance.is_listening()
        instance.close()
    finally:
        stale.unlink(missing_ok=True)


def test_a_real_second_process_hands_over(qapp, qtbot, server_name, tmp_path):
    first = SingleInstance(server_name)
    assert first.try_forward([]) is False
    # No QCoreApplication in the second process: this also covers the plain blocking hand-over.
    code = ("import sys\n"
            "from pinviewer.gui.single_instance import SingleInstance\n"
            f"sys.exit(0 if SingleInstance({server_name!r}).try_forward(sys.argv[1:]) else 3)\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen([sys.executable, "-c", code, "a.csv", "b.csv"], cwd=tmp_path, env=env)
    with qtbot.waitSignal(first.files_received, timeout=30_000) as received:
        pass
    assert process.wait(30) == 0
    assert received.args[0] == [str(tmp_path / "a.csv"), str(tmp_path / "b.csv")]
    first.close()


def test_malformed_messages_are_ignored(qapp, qtbot, server_name):
    from PySide6.QtNetwork import QLocalSocket

    first = SingleInstance(server_name)
    assert first.try_forward() is False
    seen = []
    first.files_received.connect(seen.append)
    socket = QLocalSocket()
    socket.connectToServer(server_name)
    assert socket.waitForConnected(5000)
    socket.write(b"not json\n")
    socket.flush()
    qtbot.waitUntil(lambda: socket.state() == QLocalSocket.LocalSocketState.UnconnectedState, timeout=5000)
    assert seen == []
    first.close()


def test_file_open_events_become_files_received(qapp, server_name):
    """macOS delivers Finder's "Open With" as a QFileOpenEvent to the application."""
    instance = SingleInstance(server_name)
    instance.watch_file_open_events(qapp)
    seen = []
    instance.files_received.connect(seen.append)
    QCoreApplication.sendEvent(qapp, QFileOpenEvent(QUrl.fromLocalFile("/tmp/export.csv")))
    assert seen == [["/tmp/export.csv"]]
    QCoreApplication.sendEvent(qapp, QEvent(QEvent.Type.User))  # anything else passes through
    assert seen == [["/tmp/export.csv"]]


def test_server_name_is_per_user_and_per_home(monkeypatch):
    monkeypatch.setenv("PINVIEWER_HOME", "/one")
    one = default_server_name()
    monkeypatch.setenv("PINVIEWER_HOME", "/two")
    assert default_server_name() != one
    assert len(default_server_name()) < 40  # macOS keeps socket paths under 104 bytes


# ---- the first copy takes a lock at once and listens only after its first paint; a second copy waits for it


def test_the_first_copy_holds_the_lock_without_listening_until_asked(qapp, server_name):
    first = SingleInstance(server_name)
    assert first.try_forward(["a.csv"], listen=False) is False
    assert not first.is_listening()
    assert first.listen() and first.is_listening()
    first.close()


def test_a_copy_that_finds_the_lock_taken_waits_for_the_server(qapp, qtbot, server_name, tmp_path):
    """The race: the first copy holds the lock but listens only after its first paint. A real second process
    (no QCoreApplication: plain blocking calls and sleeps) keeps trying until the server is up."""
    first = SingleInstance(server_name)
    assert first.try_forward([], listen=False) is False
    code = ("import sys\n"
            "from pinviewer.gui.single_instance import SingleInstance\n"
            f"instance = SingleInstance({server_name!r})\n"
            "print('trying', flush=True)\n"
            "sys.exit(0 if instance.try_forward(sys.argv[1:], timeout_ms=20_000) else 3)\n")
    process = subprocess.Popen([sys.executable, "-c", code, "late.csv"], cwd=tmp_path, stdout=subprocess.PIPE,
                               text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    try:
        assert process.stdout.readline().strip() == "trying"
        qtbot.wait(700)  # nobody listens: the second copy has failed to connect a few times by now
        assert process.poll() is None, "the second copy gave up instead of waiting for the first one to listen"
        with qtbot.waitSignal(first.files_received, timeout=30_000) as received:
            assert first.listen()
        assert process.wait(30) == 0
        assert received.args[0] == [str(tmp_path / "late.csv")]
    finally:
        if process.poll() is None:
            process.kill()
        first.close()


def test_the_wait_in_the_same_process_lets_the_server_start(qapp, server_name):
    """With an application, the pauses between attempts run its events (here: the first copy's listen())."""
    from PySide6.QtCore import QTimer

    first = SingleInstance(server_name)
    assert first.try_forward([], listen=False) is False
    received = []
    first.files_received.connect(received.append)
    QTimer.singleShot(300, first.listen)
    assert SingleInstance(server_name).try_forward(["b.csv"], timeout_ms=10_000) is True
    assert received == [[str(Path("b.csv").absolute())]]
    first.close()


def test_a_first_copy_that_never_listens_is_given_up_on(qapp, server_name):
    first = SingleInstance(server_name)
    assert first.try_forward([], listen=False) is False
    second = SingleInstance(server_name)
    assert second.try_forward(["c.csv"], timeout_ms=400) is False  # opens a window of its own ...
    assert not second.is_listening() and not second.listen()  # ... but the lock, and the name, stay the first's
    first.close()


def test_a_copy_waiting_for_the_lock_takes_it_when_the_first_quits(qapp, server_name):
    from PySide6.QtCore import QTimer

    first = SingleInstance(server_name)
    assert first.try_forward([], listen=False) is False
    QTimer.singleShot(300, first.close)  # the first quits before it ever listened
    second = SingleInstance(server_name)
    assert second.try_forward(["d.csv"], timeout_ms=10_000) is False
    assert second.is_listening()
    second.close()


def test_a_lock_left_by_a_killed_copy_is_taken_over_at_once(qapp, server_name, tmp_path):
    """A copy killed without unlocking leaves its lock file behind; the next start sees its holder is gone."""
    import signal
    import time

    code = ("import sys, time\n"
            "from PySide6.QtCore import QCoreApplication\n"
            "from pinviewer.gui.single_instance import SingleInstance\n"
            "app = QCoreApplication([])\n"
            f"assert SingleInstance({server_name!r}).try_forward([], listen=False) is False\n"
            "print('locked', flush=True)\n"
            "time.sleep(60)\n")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                              env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    try:
        assert holder.stdout.readline().strip() == "locked"
        if sys.platform == "win32":
            holder.kill()
        else:
            holder.send_signal(signal.SIGKILL)  # no unlock: the lock file stays behind
        holder.wait(30)
        started = time.monotonic()
        instance = SingleInstance(server_name)
        assert instance.try_forward(["e.csv"], timeout_ms=10_000) is False
        assert time.monotonic() - started < 5  # taken over, not waited out
        assert instance.is_listening()
        instance.close()
    finally:
        if holder.poll() is None:
            holder.kill()


def test_the_first_paint_path_does_not_import_qtnetwork(server_name):
    code = ("import sys\n"
            "from PySide6.QtWidgets import QApplication\n"
            "app = QApplication([])\n"
            "from pinviewer.gui.single_instance import SingleInstance\n"
            f"instance = SingleInstance({server_name!r})\n"
            "assert instance.try_forward([], listen=False) is False\n"
            "assert 'PySide6.QtNetwork' not in sys.modules, 'QtNetwork before the first paint'\n"
            "assert instance.listen() and 'PySide6.QtNetwork' in sys.modules\n"
            "instance.close()\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert result.returncode == 0, result.stderr
