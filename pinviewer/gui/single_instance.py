"""One PinViewer per user: a second launch hands its files to the window already open, then exits.

How launch.py uses it (a QApplication must exist; nothing heavy needs to be imported yet)::

    instance = SingleInstance()
    if instance.try_forward(paths, listen=False):   # another PinViewer took the files (or came to the front)
        return 0
    window = MainWindow(...)
    instance.files_received.connect(window.imports.open_files)   # list of absolute paths, possibly empty
    instance.files_received.connect(lambda _paths: bring_to_front(window))
    instance.watch_file_open_events()         # macOS: Finder's "Open With" / a double-click on a .csv
    ... first paint ...
    instance.listen()                         # from now on later launches are answered

The first copy holds a lock file (QtCore's QLockFile) for as long as it runs: taking it is all a first launch
pays before its window paints. QtNetwork is imported only by a copy that finds the lock taken, and by the
first copy when it starts listening, after its first paint. A copy that finds the lock taken therefore may find
nobody listening yet: it retries for a while (``timeout_ms``) before it gives up and opens a window of its
own. A lock left by a copy that crashed is stale (its process is gone): the next launch takes it over, and a
socket left behind is removed. An empty list of paths still reaches the running copy, so a second click on
the app's icon brings its window to the front instead of opening a second one.

The server name is per user (and per PINVIEWER_HOME, so tests and portable installs keep to themselves) and
the socket is readable by its owner only. Messages are one line of JSON: ``{"v": 1, "paths": [...]}``,
answered by ``ok``.
"""
from __future__ import annotations

import logging
import os
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import (QCoreApplication, QDir, QEvent, QEventLoop, QLockFile, QObject,
                            QTimer, Signal)

if TYPE_CHECKING:
    from PySide6.QtGui import QFileOpenEvent
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

PROTOCOL_VERSION = 1
MAX_MESSAGE = 1 << 20  # 1 MiB of paths is far more than a drop of files needs
FORWARD_TIMEOUT_MS = 10_000  # how long a second launch waits for the first to answer (it listens after its paint)
RETRY_MS = 50


def default_server_name() -> str:
    """Short (macOS limits socket paths to 104 bytes), per user (their home folder) and per PINVIEWER_HOME.
    The name only has to differ between users and homes (the socket is readable by its owner only): a
    checksum, not a cryptographic hash."""
    from pinviewer import APP_ID

    seed = "\0".join((APP_ID, str(Path.home()), os.environ.get("PINVIEWER_HOME", "")))
    return f"pinviewer-{zlib.crc32(seed.encode('utf-8')):08x}"


def bring_to_front(window) -> None:
    """Show a window that may be minimised or behind others, as far as the window system allows."""
    from PySide6.QtCore import Qt

    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


class _Sender(QObject):
    """One hand-over, driven by a local event loop rather than waitFor...() calls.

    PySide6 keeps the GIL during QLocalSocket.waitForReadyRead(), so a blocking client would starve a server
    in the same process (and a test can only put both in one process). A local event loop lets the server's
    slots run while the client waits, and a missing server fails at once instead of after a timeout.
    """

    def __init__(self, name: str, message: bytes) -> None:
        # only a second copy sends, so only it (or the first, once it listens after its paint) loads QtNetwork
        from PySide6.QtNetwork import QLocalSocket

        super().__init__()
        self.name, self.message = name, message
        self.reply = b""
        self.connected = False
        self.finished = False
        self.socket = QLocalSocket(self)
        self.loop = QEventLoop(self)
        self.socket.connected.connect(self._on_connected)
        self.socket.readyRead.connect(self._on_ready_read)
        self.socket.errorOccurred.connect(self._finish)
        self.socket.disconnected.connect(self._finish)

    def run(self, timeout_ms: int) -> bool:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(self._finish)
        self.socket.connectToServer(self.name)
        if not self.finished:
            timer.start(timeout_ms)
            self.loop.exec()
        timer.stop()
        for signal, slot in ((self.socket.connected, self._on_connected),
                             (self.socket.readyRead, self._on_ready_read),
                             (self.socket.errorOccurred, self._finish),
                             (self.socket.disconnected, self._finish)):
            signal.disconnect(slot)
        self.socket.abort()
        return self.reply.strip() == b"ok"

    def _on_connected(self) -> None:
        self.connected = True
        self.socket.write(self.message)
        self.socket.flush()

    def _on_ready_read(self) -> None:
        self.reply += bytes(self.socket.readAll().data())
        if b"\n" in self.reply:
            self._finish()

    def _finish(self, *_args) -> None:
        self.finished = True
        self.loop.quit()


def _send_blocking(name: str, message: bytes, timeout_ms: int) -> tuple[bool, bool]:
    """The same hand-over without a Q(Core)Application (a script, say): plain blocking calls.

    (handed over, a server answered the connection), as ``SingleInstance._send``.
    """
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False, False
    socket.write(message)
    if not socket.waitForBytesWritten(timeout_ms):
        return False, True
    reply = b""
    while b"\n" not in reply:
        if socket.bytesAvailable():
            reply += bytes(socket.readAll().data())
        elif not socket.waitForReadyRead(timeout_ms):
            reply += bytes(socket.readAll().data())
            break
    socket.abort()
    return reply.strip() == b"ok", True


def _wait(ms: int) -> None:
    """Pause between hand-over attempts; with an application, its events go on (a server in this process)."""
    if QCoreApplication.instance() is None:
        time.sleep(ms / 1000)
        return
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


class SingleInstance(QObject):
    """Hands file paths from a second launch to the first; emits them in the first as ``files_received``."""

    files_received = Signal(list)  # absolute paths (str); an empty list means "come to the front"

    def __init__(self, server_name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.server_name = server_name or default_server_name()
        self._lock: QLockFile | None = None  # held from the moment this copy is the first until close()
        self._first = False  # this copy answers later launches (it holds the lock, or no lock can be had)
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}
        self._watching: QObject | None = None

    # ------------------------------------------------------------------------------------------ second copy
    def try_forward(self, paths=(), timeout_ms: int = FORWARD_TIMEOUT_MS, listen: bool = True) -> bool:
        """True when a running PinViewer took ``paths``; False when this copy goes on and opens its window.

        False mostly means this copy is the first: it holds the lock and listens for later launches (now, or
        when the caller calls ``listen()`` if ``listen`` is False). When the lock is taken, the hand-over is
        retried until the holder answers, lets go of the lock (then this copy takes it) or ``timeout_ms`` has
        passed (then this copy opens a window of its own and does not listen). Relative paths are made
        absolute against this process's working folder first. Never raises for socket trouble.
        """
        absolute = [str(Path(p).expanduser().absolute()) for p in paths]
        deadline = time.monotonic() + timeout_ms / 1000
        while (taken := self._take_lock()) is False:
            left_ms = int((deadline - time.monotonic()) * 1000)
            handed, answered = self._send(absolute, max(left_ms, 1))
            if handed:
                return self._handed(absolute)
            if answered or left_ms <= 0:
                log.warning("The PinViewer holding %s did not take the hand-over; this one opens its own window",
                            self._lock_path())
                return False
            _wait(min(RETRY_MS, left_ms))
        if taken is None and self._send(absolute, timeout_ms)[0]:  # no lock to be had: one attempt, then listen
            return self._handed(absolute)
        self._first = True
        if listen:
            self.listen()
        return False

    @staticmethod
    def _handed(paths: list[str]) -> bool:
        log.info("Handed %d file(s) to the PinViewer already running", len(paths))
        return True

    def _lock_path(self) -> str:
        return os.path.join(QDir.tempPath(), self.server_name + ".lock")

    def _take_lock(self) -> bool | None:
        """True: this copy holds the first copy's lock now; False: a running copy holds it (a dead one's lock is
        stale and taken over); None: no lock file can be made (a temporary folder without write access, say)."""
        if self._lock is not None:
            return True
        lock = QLockFile(self._lock_path())
        lock.setStaleLockTime(0)  # held for the whole run: only a dead holder makes it stale, never its age
        if lock.tryLock(0):
            self._lock = lock
            return True
        if lock.error() == QLockFile.LockError.LockFailedError:
            return False
        log.warning("Single-instance lock %s could not be made (%s)", lock.fileName(), lock.error())
        return None

    def _send(self, paths: list[str], timeout_ms: int) -> tuple[bool, bool]:
        """(handed over, a server answered the connection)."""
        import json

        message = json.dumps({"v": PROTOCOL_VERSION, "paths": paths}, allow_nan=False).encode("utf-8") + b"\n"
        if QCoreApplication.instance() is None:
            return _send_blocking(self.server_name, message, timeout_ms)
        sender = _Sender(self.server_name, message)
        ok = sender.run(timeout_ms)
        if not ok and sender.connected:
            log.warning("The running PinViewer did not confirm the hand-over (%r)", sender.reply[:40])
        return ok, sender.connected

    # ------------------------------------------------------------------------------------------- first copy
    def listen(self) -> bool:
        """Start answering later launches. Only the first copy (which holds the lock) can; False otherwise."""
        if self._server is not None:
            return True
        if not self._first:  # another copy holds the lock: the server is its, not ours
            return False
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.server_name):
            # A socket file left by a copy that crashed: we are the first, so nobody else listens; remove it.
            QLocalServer.removeServer(self.server_name)
            if not server.listen(self.server_name):
                log.warning("Single-instance server %s: %s", self.server_name, server.errorString())
                return False
        server.newConnection.connect(self._on_new_connection)
        self._server = server
        log.debug("Single-instance server listening at %s", server.fullServerName())
        return True

    def is_listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def close(self) -> None:
        for socket in list(self._buffers):
            self._forget(socket)
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
        self._first = False

    def _on_new_connection(self) -> None:
        while self._server is not None and self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(self._on_ready_read)
            socket.disconnected.connect(self._on_disconnected)
            if socket.bytesAvailable():
                self._read(socket)

    def _on_ready_read(self) -> None:
        self._read(cast("QLocalSocket", self.sender()))  # connected to a socket's readyRead only

    def _on_disconnected(self) -> None:
        self._forget(self.sender())

    def _forget(self, socket) -> None:
        if self._buffers.pop(socket, None) is not None:
            socket.readyRead.disconnect(self._on_ready_read)
            socket.disconnected.disconnect(self._on_disconnected)
            socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        if socket not in self._buffers:
            return
        data = self._buffers[socket] + bytes(socket.readAll().data())
        if len(data) > MAX_MESSAGE:
            log.warning("Ignored an oversized single-instance message")
            self._forget(socket)
            socket.abort()
            return
        if b"\n" not in data:
            self._buffers[socket] = data
            return
        line = data.split(b"\n", 1)[0]
        self._buffers[socket] = b""  # one message per connection; the sender hangs up after "ok"
        import json

        try:
            message = json.loads(line.decode("utf-8"))
            paths = [str(p) for p in message["paths"]]
        except (ValueError, KeyError, TypeError):
            log.warning("Ignored a malformed single-instance message")
            self._forget(socket)
            socket.abort()
            return
        socket.write(b"ok\n")  # the sender reads this and hangs up; _forget then deletes the socket
        socket.flush()
        self.files_received.emit(paths)

    # -------------------------------------------------------------------------------------------- macOS
    def watch_file_open_events(self, app: QCoreApplication | None = None) -> None:
        """Emit ``files_received`` for QFileOpenEvent (macOS Finder: double-click, Open With, drop on the Dock).

        Connect ``files_received`` before ``app.exec()``: a file that started the app arrives as such an event
        just after the event loop starts.
        """
        app = app or QCoreApplication.instance()
        if app is not None and self._watching is not app:
            app.installEventFilter(self)
            self._watching = app

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.FileOpen:
            opened = cast("QFileOpenEvent", event)
            path = opened.file() or opened.url().toLocalFile()
            if path:
                self.files_received.emit([path])
                return True
        return super().eventFilter(watched, event)
