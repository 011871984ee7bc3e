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
    first.filesReceived.connect(received.append)

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
    first.filesReceived.connect(received.append)
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
    with qtbot.waitSignal(first.filesReceived, timeout=30_000) as received:
        pass
    assert process.wait(30) == 0
    assert received.args[0] == [str(tmp_path / "a.csv"), str(tmp_path / "b.csv")]
    first.close()


def test_malformed_messages_are_ignored(qapp, qtbot, server_name):
    from PySide6.QtNetwork import QLocalSocket

    first = SingleInstance(server_name)
    assert first.try_forward() is False
    seen = []
    first.filesReceived.connect(seen.append)
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
    instance.filesReceived.connect(seen.append)
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
