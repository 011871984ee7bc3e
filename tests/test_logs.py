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
    log.info("before the first paint, token pina_AMAQGKIWACAJEAQAGAAGOD7AYYQZTGIBQBIQC2D2")
    logs.start_rotating()
    [rotating] = added_handlers()
    assert isinstance(rotating, logging.handlers.RotatingFileHandler)
    assert plain.stream is None  # closed
    log.info("after the first paint")
    logs.start_rotating()  # a second call changes nothing
    assert added_handlers() == [rotating]
    text = logs.log_file().read_text(encoding="utf-8")
    assert "before the first paint, token [redacted]" in text and "AMAQGKIW" not in text
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


# ------------------------------------------------------------------------------------------------ redaction
@pytest.fixture
def held():
    logs.forget_hidden()
    yield logs.hide
    logs.forget_hidden()


@pytest.mark.parametrize("text", [
    "GET /user_account -> 429 (status code: 429) in 0.20 s",
    "zip code: 75011, area code 212",
    "Imported pinatas_and_more.csv (1,204 rows)",
    "Imported pina_colada_recipes_2024.csv and pinr_notes.txt",
    "code=429 is a rate limit; error code 8",
    "Basic settings for everyone",
    "the bearer of bad news",
    "Pinterest says: Invalid parameters.",
    "Pin 1012345678900000000 on board 549755885000",
    "https://example-blog.com/pinata-party/?utm_source=pinterest",
])
def test_redaction_leaves_ordinary_words_numbers_and_file_names_alone(held, text):
    held("pina_SOMEHELDTOKEN0123456789abcdef", "appsecret_987654321")  # held secrets that do not occur here
    assert logs.redact(text) == text


@pytest.mark.parametrize("text, kept", [
    ("Authorization: Bearer pina_AMAQGKIWACAJEAQAGAAGOD7AYYQZTGIB", "Authorization: Bearer [redacted]"),
    ("header bearer abcdefgh.ijkl-mnop_qrst", "header bearer [redacted]"),
    ("Authorization: Basic MTIzNDU2NzphcHBzZWNyZXRfVE9QU0VDUkVU", "Authorization: Basic [redacted]"),
    ("token pina_AMAQGKIWACAJEAQAGAAGOD7AYYQZTGIBQBIQC2D2Z6 expired", "token [redacted] expired"),
    ("refresh with pinr_AMARQBQWAB6AQAQAGBAPQD7BSEFZLGQBQBIQDBCZE", "refresh with [redacted]"),
    ('{"access_token": "anything-at-all", "scope": "pins:read"}',
     '{"access_token": "[redacted]", "scope": "pins:read"}'),
    ("grant_type=refresh_token&refresh_token=xyz123&continuous_refresh=true",
     "grant_type=refresh_token&refresh_token=[redacted]&continuous_refresh=true"),
    ("GET /?code=6b9e2a0c41&state=abc HTTP/1.1", "GET /?code=[redacted]&state=abc HTTP/1.1"),
    ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc_DEF-123 end", "jwt [redacted] end"),
])
def test_redaction_removes_token_shapes(held, text, kept):
    assert logs.redact(text) == kept


def test_secrets_pinviewer_holds_are_removed_by_value_whatever_their_shape(held):
    token, secret = "plainTOKENwithoutAnyPrefix0123456789", "0d5f2e6c9a1b4f7e"
    text = f"server echoed {token}; app secret {secret}; url ?t={token}"
    assert logs.redact(text) == text  # not known yet, and no known shape
    held(token, secret, None, "short")  # None and values under MIN_SECRET characters are ignored
    assert logs.redact(text) == "server echoed [redacted]; app secret [redacted]; url ?t=[redacted]"
    assert logs.redact("a short word stays") == "a short word stays"


def test_a_held_secret_is_redacted_in_the_log_file_and_in_tracebacks(held, added_handlers):
    from pinviewer.core.api.credentials import Tokens

    Tokens(access_token="plainTOKENwithoutAnyPrefix0123456789", refresh_token="R3FRESHwithoutPrefix_42",
           app_secret="0d5f2e6c9a1b4f7e")  # held as soon as PinViewer has them
    logs.setup_logging()
    log = logging.getLogger("pinviewer.test")
    try:
        raise ValueError("the server said 0d5f2e6c9a1b4f7e is wrong")
    except ValueError:
        log.exception("refresh failed for R3FRESHwithoutPrefix_42 (status code: 400)")
    text = logs.log_file().read_text(encoding="utf-8")
    assert "refresh failed for [redacted] (status code: 400)" in text
    assert "the server said [redacted] is wrong" in text
    for secret in ("plainTOKEN", "R3FRESH", "0d5f2e6c9a1b4f7e"):
        assert secret not in text
