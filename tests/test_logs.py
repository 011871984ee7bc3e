"""Logging from the first line: the window's plain log file before its first paint, the rotating one after."""
from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from pinviewer import logs


@pytest.fixture
def added_handlers(monkeypatch):
    """setup_logging() as in a new process; returns the root handlers it added (pytest has its own there).
    The root logger is put back afterwards."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    monkeypatch.setattr(logs, "_file_handler", None)
    yield lambda: [h for h in root.handlers if h not in before]
    for handler in root.handlers:
        if handler not in before:
            handler.close()
    root.handlers[:] = before
    root.setLevel(level)


def test_the_plain_log_file_becomes_the_rotating_one_without_losing_a_line(added_handlers):
    import logging.handlers

    logs.setup_logging(rotating=False)
    [plain] = added_handlers()
    assert type(plain) is logging.FileHandler
    log = logging.getLogger("pinviewer.test")
    log.info("before the first paint, token pina1234567890abcdef")
    logs.start_rotating()
    [rotating] = added_handlers()
    assert isinstance(rotating, logging.handlers.RotatingFileHandler)
    assert plain.stream is None  # closed
    log.info("after the first paint")
    logs.start_rotating()  # a second call changes nothing
    assert added_handlers() == [rotating]
    text = logs.log_file().read_text(encoding="utf-8")
    assert "before the first paint, token [redacted]" in text and "pina1234567890" not in text
    assert "after the first paint" in text
    assert text.count("after the first paint") == 1


def test_the_rotating_handler_rotates_a_file_that_grew_before_it(added_handlers, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    logs.setup_logging(rotating=False)
    log = logging.getLogger("pinviewer.test")
    for i in range(40):
        log.info("line %d of a long first minute", i)
    assert logs.log_file().stat().st_size > 2_000  # the plain handler does not rotate
    logs.start_rotating()
    log.info("the next line")
    old = logs.log_file().with_name("pinviewer.log.1")
    assert old.exists() and "line 39 of a long first minute" in old.read_text(encoding="utf-8")
    assert logs.log_file().read_text(encoding="utf-8").strip().endswith("the next line")


def test_only_the_first_setup_counts(added_handlers):
    logs.setup_logging()
    logs.setup_logging(console=True)
    [handler] = added_handlers()  # no second file handler, no console
    logs.start_rotating()  # already rotating: nothing to swap
    assert added_handlers() == [handler]


def test_the_window_log_file_costs_no_logging_handlers_import(pinviewer_home):
    code = ("import sys, logging\n"
            "from pinviewer import logs\n"
            "logs.setup_logging(rotating=False)\n"
            "logging.getLogger('x').info('first line')\n"
            "assert 'logging.handlers' not in sys.modules, 'logging.handlers before the first paint'\n"
            "logs.start_rotating()\n"
            "assert 'logging.handlers' in sys.modules\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env=dict(os.environ))
    assert result.returncode == 0, result.stderr
    assert "first line" in (pinviewer_home / "logs" / "pinviewer.log").read_text(encoding="utf-8")
