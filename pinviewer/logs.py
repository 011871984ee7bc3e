"""Logging from the first line: a rotating file in the log folder, secrets redacted, console on request."""
from __future__ import annotations

import logging
import logging.handlers
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


_configured = False


def log_file():
    return paths.log_dir() / "pinviewer.log"


def setup_logging(console: bool = False) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    formatter = _RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:  # a read-only log folder must not stop the app
        handler = logging.NullHandler()
    handler.setFormatter(formatter)
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(formatter)
        stream.addFilter(RedactingFilter())
        root.addHandler(stream)
