"""Logging from the first line: a rotating file in the log folder, secrets redacted, console on request.

The window opens the log file with a plain ``FileHandler`` (``setup_logging(rotating=False)``) and swaps in the
rotating handler right after its first paint (``start_rotating()``): logging.handlers imports socket, pickle
and queue (~11 ms here), which the first paint does not need. Both write the same file, so nothing is lost.
"""
from __future__ import annotations

import logging
import re
import threading
import urllib.parse

from pinviewer import paths

# Known shapes of secrets, whoever holds them. Each keeps its first group (the label) and hides the rest.
_SHAPES = [
    # "Bearer <token>" in a header or an echo of one
    re.compile(r"(?i)(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}"),
    # "Basic <base64 of id:secret>"
    re.compile(r"(\bBasic\s+)(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{20,}={0,2}"),
    # Pinterest access (pina_...) and refresh (pinr_...) tokens: long, with capitals and digits; a file name
    # like pinatas_and_more.csv or pina_colada_2024.csv is not one
    re.compile(r"()\bpin[ar]_(?=[A-Za-z0-9_=-]*[A-Z])(?=[A-Za-z0-9_=-]*[0-9])[A-Za-z0-9_=-]{24,}"),
    # JSON Web Tokens
    re.compile(r"()\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),
    # the value of a field named like a secret, in a form, a query or JSON: access_token=..., "app_secret": "..."
    re.compile(r"(?i)(\b(?:access_token|refresh_token|client_secret|app_secret)[\"']?\s*[:=]\s*[\"']?)"
               r"[^\s\"'&,;]+"),
    # the one-time OAuth code in a redirect's query string (?code=... or &code=...), not "status code: 429"
    re.compile(r"([?&]code=)[^\s&#\"']+"),
]
REDACTED = "[redacted]"
MIN_SECRET = 8  # shorter values are not hidden by value: they would blank out ordinary words and numbers

_held: set[str] = set()
_held_pattern: re.Pattern | None = None
_held_lock = threading.Lock()


def hide(*values) -> None:
    """From now on, redact these exact values (a token, a refresh token, an app secret, an OAuth code)
    wherever they appear in the log, whatever their shape. Call it as soon as PinViewer holds a secret."""
    global _held_pattern
    fresh = set()
    for value in values:
        if isinstance(value, str):
            value = value.strip()
            if len(value) >= MIN_SECRET:
                fresh.add(value)
                fresh.add(urllib.parse.quote(value, safe=""))  # as it would appear in a URL or a form
    with _held_lock:
        fresh -= _held
        if not fresh:
            return
        _held.update(fresh)
        ordered = sorted(_held, key=len, reverse=True)  # the longest first: a secret inside another one
        _held_pattern = re.compile("|".join(re.escape(v) for v in ordered))


def forget_hidden() -> None:
    """Tests only: forget the values given to hide()."""
    global _held_pattern
    with _held_lock:
        _held.clear()
        _held_pattern = None


def redact(text: str) -> str:
    """``text`` without the secrets PinViewer holds (by value) and without anything shaped like a token."""
    held = _held_pattern
    if held is not None:
        text = held.sub(REDACTED, text)
    for pattern in _SHAPES:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
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
