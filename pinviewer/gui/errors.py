"""Expected problems are sentences; the unexpected is logged first, then shown with the log's name.

``install()`` sets the one ``sys.excepthook`` (and ``threading.excepthook``). With ``PINVIEWER_TESTING=1``
nothing is shown: the error is only logged, so a test run never blocks on a dialog.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
import traceback

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

log = logging.getLogger("pinviewer.unexpected")

_showing = False
_previous_hook = None


def tr(text: str) -> str:
    return QCoreApplication.translate("Errors", text)


def testing() -> bool:
    return os.environ.get("PINVIEWER_TESTING") == "1"


def show_problem(parent, message: str, title: str | None = None) -> None:
    """An expected problem (a PinviewerError): one sentence, no traceback."""
    log.info("Told the user: %s", message)
    if testing():
        return
    # Qt is imported here, not at the top: the excepthook is installed before the first paint (launch.py)
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title or tr("PinViewer"), message, QMessageBox.StandardButton.Ok,
                      parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def report_unexpected(kind, value, tb, details: str | None = None) -> None:
    """Log a bug with its traceback, then tell the user where the log is."""
    global _showing
    text = details or "".join(traceback.format_exception(kind, value, tb))
    log.error("Unexpected error:\n%s", text)
    if testing() or QApplication.instance() is None or _showing:
        return
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from pinviewer.logs import log_file

    _showing = True
    try:
        box = QMessageBox(QMessageBox.Icon.Critical, tr("PinViewer: something went wrong"),
                          tr("Something went wrong that PinViewer did not expect. Your data is safe: "
                             "nothing is changed by an error like this.\n\n"
                             "The details were written to the log file:\n{log}\n\n"
                             "If it happens again, please send that file with a short note of what you did."
                             ).format(log=log_file()),
                          QMessageBox.StandardButton.Ok, QApplication.activeWindow())
        box.setDetailedText(text)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()
    finally:
        _showing = False


def _excepthook(kind, value, tb) -> None:
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    report_unexpected(kind, value, tb)


def _thread_hook(args) -> None:
    log.error("Unexpected error in thread %s:\n%s", args.thread.name if args.thread else "?",
              "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)))


def install() -> None:
    global _previous_hook
    if sys.excepthook is _excepthook:
        return
    _previous_hook = sys.excepthook
    sys.excepthook = _excepthook
    threading.excepthook = _thread_hook


def uninstall() -> None:
    if sys.excepthook is _excepthook and _previous_hook is not None:
        sys.excepthook = _previous_hook
