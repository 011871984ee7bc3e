"""The one background-task helper (docs/ARCHITECTURE.md, rule 7).

``run(parent, fn, ...)`` calls ``fn(progress, cancelled)`` on a worker thread; ``fn`` is a plain core
function (or a small wrapper around several) that knows nothing of Qt: it reports with
``progress(done, total, message)`` and checks ``cancelled()``. The result, or the error, comes back on the
GUI thread. After 300 ms the cursor says "busy"; after 600 ms a progress dialog with Cancel appears.

All tasks share one worker thread, so the SQLite connection is only ever used by one task at a time and
tasks finish in the order they were started.
"""
from __future__ import annotations

import logging
import time
import traceback

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog

log = logging.getLogger(__name__)

BUSY_AFTER_MS = 300
DIALOG_AFTER_MS = 600
_PROGRESS_EVERY_S = 0.05

_pool: QThreadPool | None = None
_running: set[Task] = set()


def pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
        _pool.setExpiryTimeout(-1)
    return _pool


class _Signals(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object, str)


class _Runner(QRunnable):
    def __init__(self, task: Task, fn):
        super().__init__()
        self.setAutoDelete(True)
        self.task, self.fn, self.signals = task, fn, task.signals
        self._last = 0.0

    def progress(self, done, total, message="") -> None:
        now = time.monotonic()
        if now - self._last >= _PROGRESS_EVERY_S or (total and done >= total):
            self._last = now
            self.signals.progressed.emit(int(done or 0), int(total or 0), str(message or ""))

    def run(self) -> None:
        try:
            if self.task.is_cancelled():
                from pinviewer.core.errors import Cancelled

                raise Cancelled()
            result = self.fn(self.progress, self.task.is_cancelled)
        except BaseException as error:  # handed to the GUI thread, which decides what to show
            self.signals.failed.emit(error, traceback.format_exc())
        else:
            self.signals.finished.emit(result)


class Task(QObject):
    """A running background job. Cancel it with ``cancel()``; ``fn`` notices at its next ``cancelled()``."""

    def __init__(self, parent, fn, label: str, cancellable: bool, on_done, on_error, quiet: bool = False):
        super().__init__(None)
        self._parent, self._label, self._cancellable, self._quiet = parent, label, cancellable, quiet
        self._on_done, self._on_error = on_done, on_error
        self._cancelled = False
        self._finished = False
        self._busy = False
        self._dialog: QProgressDialog | None = None
        self._last_progress = (0, 0, "")
        self.signals = _Signals()  # emitted by the worker, received on the GUI thread
        self.signals.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        self.signals.finished.connect(self._done, Qt.ConnectionType.QueuedConnection)
        self.signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self._fn = fn
        self.started_at = time.monotonic()

    # ---------------------------------------------------------------- state
    def cancel(self) -> None:
        self._cancelled = True

    def is_cancelled(self) -> bool:
        return self._cancelled

    @property
    def finished(self) -> bool:
        return self._finished

    @property
    def quiet(self) -> bool:
        """Work the user is not waiting for (prefetching): no busy cursor, no dialog."""
        return self._quiet

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        """The progress dialog with Cancel, once it is shown (after DIALOG_AFTER_MS)."""
        return self._dialog

    def start(self) -> None:
        """Start the feedback timers and hand ``fn`` to the worker thread (once)."""
        fn, self._fn = self._fn, None
        if fn is None:
            return
        self._start_feedback()
        pool().start(_Runner(self, fn))

    # ---------------------------------------------------------------- feedback
    def _start_feedback(self) -> None:
        if self._quiet:
            return
        QTimer.singleShot(BUSY_AFTER_MS, self._show_busy)
        if self._label:
            QTimer.singleShot(DIALOG_AFTER_MS, self._show_dialog)

    @Slot()
    def _show_busy(self) -> None:
        if self._finished or self._busy:
            return
        self._busy = True
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)

    @Slot()
    def _show_dialog(self) -> None:
        if self._finished or self._dialog is not None:
            return
        parent = self._parent if self._parent is not None and self._parent.isVisible() else None
        dialog = QProgressDialog(self._label, QApplication.translate("Tasks", "Cancel") if self._cancellable else "",
                                 0, 0, parent)
        dialog.setWindowTitle(QApplication.translate("Tasks", "PinViewer"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not self._cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self.cancel)
        self._dialog = dialog
        self._progressed(*self._last_progress)
        dialog.show()

    @Slot(int, int, str)
    def _progressed(self, done: int, total: int, message: str) -> None:
        self._last_progress = (done, total, message)
        if self._dialog is None:
            return
        self._dialog.setMaximum(max(total, 0))
        self._dialog.setValue(min(done, total) if total else 0)
        text = self._label if not message else f"{self._label}\n{message}"
        if self._dialog.labelText() != text:
            self._dialog.setLabelText(text)

    def _stop_feedback(self) -> None:
        self._finished = True
        if self._busy:
            QApplication.restoreOverrideCursor()
            self._busy = False
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self.cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        _running.discard(self)

    # ---------------------------------------------------------------- results
    @Slot(object)
    def _done(self, result) -> None:
        self._stop_feedback()
        if self._on_done is not None:
            self._on_done(result)

    @Slot(object, str)
    def _failed(self, error, details: str) -> None:
        self._stop_feedback()
        if self._on_error is not None and self._on_error(error) is not False:
            return
        from pinviewer.core.errors import Cancelled, PinviewerError
        from pinviewer.gui import errors

        if isinstance(error, Cancelled):
            log.info("%s: cancelled", self._label or "task")
        elif isinstance(error, PinviewerError):
            errors.show_problem(self._parent, str(error))
        else:
            errors.report_unexpected(type(error), error, error.__traceback__, details)


def run(parent, fn, *, label: str = "", cancellable: bool = True, on_done=None, on_error=None,
        quiet: bool = False) -> Task:
    """Run ``fn(progress, cancelled)`` off the GUI thread.

    ``on_done(result)`` runs on the GUI thread. ``on_error(error)`` too; when it is not given or returns
    False, a PinviewerError is shown as a friendly dialog, Cancelled quietly logged and anything else
    reported as a bug. ``label`` is what the progress dialog says (no dialog without one). ``quiet`` work
    (prefetching) shows neither a busy cursor nor a dialog.
    """
    task = Task(parent, fn, label, cancellable, on_done, on_error, quiet)
    _running.add(task)
    task.start()
    return task


def busy() -> bool:
    """Whether any task the user is waiting for is running (quiet ones do not count)."""
    return any(not task.quiet for task in _running)


def cancel_all() -> None:
    for task in list(_running):
        task.cancel()


def wait_all(timeout_ms: int = 30000) -> bool:
    """Cancel nothing; wait for the worker to finish (used when quitting and in tests)."""
    return pool().waitForDone(timeout_ms)
