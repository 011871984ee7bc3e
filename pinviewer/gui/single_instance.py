"""One PinViewer per user: a second launch hands its files to the window already open, then exits.

How launch.py uses it (a QApplication must exist; nothing heavy needs to be imported yet)::

    instance = SingleInstance()
    if instance.try_forward(paths):          # another PinViewer took the files (or just came to the front)
        return 0
    window = MainWindow(...)
    instance.filesReceived.connect(window.open_files)   # list of absolute paths, possibly empty
    instance.filesReceived.connect(lambda _paths: bring_to_front(window))
    instance.watch_file_open_events()         # macOS: Finder's "Open With" / a double-click on a .csv

``try_forward`` either hands the paths over (True: the caller exits) or makes this process the one that
listens (False: the caller goes on and opens its window). An empty list still reaches the running copy, so a
second click on the app's icon brings its window to the front instead of opening a second one.

The server name is per user (and per PINVIEWER_HOME, so tests and portable installs keep to themselves) and
the socket is readable by its owner only. A lock file makes "nobody is listening, so I will" atomic: two
copies started at the same moment cannot both become the listener. A socket left behind by a crash is
removed. Messages are one line of JSON: ``{"v": 1, "paths": [...]}``, answered by ``ok``.
"""
from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDir, QEvent, QEventLoop, QLockFile, QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

PROTOCOL_VERSION = 1
MAX_MESSAGE = 1 << 20  # 1 MiB of paths is far more than a drop of files needs


def default_server_name() -> str:
    """Short (macOS limits socket paths to 104 bytes), per user and per PINVIEWER_HOME."""
    from pinviewer import APP_ID

    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment: still one server per home folder
        user = str(Path.home())
    seed = "\0".join((APP_ID, user, os.environ.get("PINVIEWER_HOME", "")))
    return "pinviewer-" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]


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


def _send_blocking(name: str, message: bytes, timeout_ms: int) -> bool:
    """The same hand-over without a Q(Core)Application (a script, say): plain blocking calls."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(message)
    if not socket.waitForBytesWritten(timeout_ms):
        return False
    reply = b""
    while b"\n" not in reply:
        if socket.bytesAvailable():
            reply += bytes(socket.readAll().data())
        elif not socket.waitForReadyRead(timeout_ms):
            reply += bytes(socket.readAll().data())
            break
    socket.abort()
    return reply.strip() == b"ok"


class SingleInstance(QObject):
    """Hands file paths from a second launch to the first; emits them in the first as ``filesReceived``."""

    filesReceived = Signal(list)  # absolute paths (str); an empty list means "come to the front"

    def __init__(self, server_name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.server_name = server_name or default_server_name()
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}
        self._watching: QObject | None = None

    # ------------------------------------------------------------------------------------------ second copy
    def try_forward(self, paths=(), timeout_ms: int = 3000) -> bool:
        """True when a running PinViewer took ``paths``; False when this one now listens for later launches.

        Relative paths are made absolute against this process's working folder first. Never raises for
        socket trouble: at worst this copy opens a window of its own (False), which is what a user expects.
        """
        absolute = [str(Path(p).expanduser().absolute()) for p in paths]
        lock = QLockFile(os.path.join(QDir.tempPath(), self.server_name + ".lock"))
        lock.setStaleLockTime(10_000)
        locked = lock.tryLock(timeout_ms)
        if not locked:
            log.warning("Single-instance lock %s not taken in time; going on", lock.fileName())
        try:
            if self._send(absolute, timeout_ms):
                log.info("Handed %d file(s) to the PinViewer already running", len(absolute))
                return True
            self.listen()
            return False
        finally:
            if locked:
                lock.unlock()

    def _send(self, paths: list[str], timeout_ms: int) -> bool:
        message = json.dumps({"v": PROTOCOL_VERSION, "paths": paths}).encode("utf-8") + b"\n"
        if QCoreApplication.instance() is None:
            return _send_blocking(self.server_name, message, timeout_ms)
        sender = _Sender(self.server_name, message)
        ok = sender.run(timeout_ms)
        if not ok and sender.connected:
            log.warning("The running PinViewer did not confirm the hand-over (%r)", sender.reply[:40])
        return ok

    # ------------------------------------------------------------------------------------------- first copy
    def listen(self) -> bool:
        """Start answering later launches (try_forward does this when nobody answered)."""
        if self._server is not None:
            return True
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.server_name):
            # A socket file left by a copy that crashed: nobody answered on it (we hold the lock), so remove it.
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

    def _on_new_connection(self) -> None:
        while self._server is not None and self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(self._on_ready_read)
            socket.disconnected.connect(self._on_disconnected)
            if socket.bytesAvailable():
                self._read(socket)

    def _on_ready_read(self) -> None:
        self._read(self.sender())

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
        self.filesReceived.emit(paths)

    # -------------------------------------------------------------------------------------------- macOS
    def watch_file_open_events(self, app: QCoreApplication | None = None) -> None:
        """Emit ``filesReceived`` for QFileOpenEvent (macOS Finder: double-click, Open With, drop on the Dock).

        Connect ``filesReceived`` before ``app.exec()``: a file that started the app arrives as such an event
        just after the event loop starts.
        """
        app = app or QCoreApplication.instance()
        if app is not None and self._watching is not app:
            app.installEventFilter(self)
            self._watching = app

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.FileOpen:
            path = event.file() or event.url().toLocalFile()
            if path:
                self.filesReceived.emit([path])
                return True
        return super().eventFilter(watched, event)
