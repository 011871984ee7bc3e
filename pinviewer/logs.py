"""Logging from the first line: a rotating file in the log folder, secrets redacted, console on request.

The window opens the log file with a plain ``FileHandler`` (``setup_logging(rotating=False)``) and swaps in the
rotating handler right after its first paint (``start_rotating()``): logging.handlers imports socket, pickle
and queue (~11 ms here), which the first paint does not need. Both write the same file, so nothing is lost.
"""
from __future__ import annotations

import logging
import re

from pinviewer import paths

_SECRET_PATTERNS = [
    re.compile(r"\bpin[ar][A-Za-z0-9._~+/=-]{8,}"),  # Pinterest access (pina...) and refresh (pinr...) tokens
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"(?i)((?:access_token|refresh_token|client_secret|app_secret|code)[\"']?\s*[:=]\s*[\"']?)[^\s\"'&,]+"),
]


def redact(text: str) -> str:
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + "[redacted]", text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class _RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


MAX_BYTES = 1_000_000
BACKUP_COUNT = 3

_file_handler: logging.Handler | None = None  # None until setup_logging() has run


def log_file():
    return paths.log_dir() / "pinviewer.log"


def _log_to(handler: logging.Handler) -> logging.Handler:
    handler.setFormatter(_RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    logging.getLogger().addHandler(handler)
    return handler


def _rotating_handler() -> logging.Handler:
    import logging.handlers

    try:
        return logging.handlers.RotatingFileHandler(log_file(), maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                                    encoding="utf-8")
    except OSError:  # a read-only log folder must not stop the app
        return logging.NullHandler()


def setup_logging(console: bool = False, rotating: bool = True) -> None:
    """Log INFO and above to the log file (and to stderr when ``console``). Only the first call counts.

    ``rotating=False``: the same file through a plain FileHandler until ``start_rotating()`` (the window's start).
    """
    global _file_handler
    if _file_handler is not None:
        return
    logging.getLogger().setLevel(logging.INFO)
    if rotating:
        _file_handler = _log_to(_rotating_handler())
    else:
        try:
            _file_handler = _log_to(logging.FileHandler(log_file(), encoding="utf-8"))
        except OSError:
            _file_handler = _log_to(logging.NullHandler())
    if console:
        _log_to(logging.StreamHandler())


def start_rotating() -> None:
    """Swap the plain FileHandler of ``setup_logging(rotating=False)`` for the rotating one (idempotent).

    Call it while no other thread logs (the window does it before its worker starts).
    """
    global _file_handler
    if _file_handler is None or type(_file_handler) is not logging.FileHandler:
        return
    plain, _file_handler = _file_handler, _log_to(_rotating_handler())
    logging.getLogger().removeHandler(plain)
    plain.close()
