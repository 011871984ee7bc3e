"""Headless commands: ``python -m pinviewer <command>``.

Exit codes: 0 success, 1 a user error (one sentence on stderr, no traceback), 2 usage error.
Each command module exposes ``register(subparsers)`` and sets ``func`` on its parser.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys

from pinviewer.core.errors import PinviewerError

log = logging.getLogger(__name__)


def _command_modules():
    from pinviewer.cli import api, data, insights, recover, report

    return [data, api, report, insights, recover]


def emit_json(data, **options) -> None:
    """Print ``data`` as strict JSON: NaN and infinities are not JSON, so a figure that is one is a bug caught
    here (a ValueError), never an ``Infinity`` a script cannot parse. Indented by 2 unless told otherwise."""
    import json

    options.setdefault("indent", 2)
    print(json.dumps(data, allow_nan=False, **options))


class _SafeStream:
    """A text stream that writes control and reordering characters as ``\\uXXXX``: nothing a file holds (an
    escape sequence in a cell, a right-to-left override in a title) reaches the terminal as such. Newlines and
    tabs pass; in JSON output (which escapes control characters itself) ``\\uXXXX`` is the same string."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from pinviewer.core.formats.quoting import printable

        lead = "\r" if text.startswith("\r") else ""  # a progress line rewriting itself (sync) keeps its \r
        self._stream.write(lead + printable(text[len(lead):], keep_lines=True))
        return len(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _unexpected(error: BaseException) -> int:
    """A bug, or a failure no sentence was written for: the traceback goes to the log, one sentence to stderr."""
    import errno
    import sqlite3

    if isinstance(error, OSError):
        where = f" ({error.filename})" if getattr(error, "filename", None) else ""
        if error.errno == errno.ENOSPC:
            print(f"The disk is full{where}. Free some space and try again; nothing was changed.", file=sys.stderr)
        elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            print(f"PinViewer is not allowed to write or read there{where}: {error.strerror}. Check the folder's "
                  "permissions, or that the disk is not read-only.", file=sys.stderr)
        else:
            print(f"PinViewer could not read or write a file{where}: {error.strerror or error}.", file=sys.stderr)
        log.warning("Stopped on %r", error, exc_info=error)
        return 1
    if isinstance(error, sqlite3.Error):
        from pinviewer import paths
        from pinviewer.core.store import friendly_error

        try:
            database = paths.database_path()
        except PinviewerError:
            database = paths.Path("pinviewer.sqlite")
        print(friendly_error(error, database), file=sys.stderr)
        log.warning("Stopped on %r", error, exc_info=error)
        return 1
    log.error("Unexpected error", exc_info=error)
    try:
        from pinviewer.logs import log_file

        where = f" The details are in the log file {log_file()}."
    except Exception:  # noqa: BLE001 - no log folder: the sentence still goes out
        where = ""
    print(f"Something went wrong that PinViewer did not expect ({type(error).__name__}); nothing was changed."
          f"{where} If it happens again, please send that file with a short note of what you did.",
          file=sys.stderr)
    return 1


def build_parser() -> argparse.ArgumentParser:
    from pinviewer import __version__  # package metadata: read only when a command runs

    parser = argparse.ArgumentParser(
        prog="pinviewer",
        description="PinViewer: what your Pinterest work turns into. Run with no command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"PinViewer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        module.register(sub)
    return parser


def main(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse: 2 on usage errors, 0 on --help
        return int(exit_.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _SafeStream(out), _SafeStream(err)
    try:
        return _run(args)
    finally:
        sys.stdout, sys.stderr = out, err


def _run(args) -> int:
    from pinviewer.logs import setup_logging

    try:
        setup_logging(console=getattr(args, "verbose", False))
        return int(args.func(args) or 0)
    except PinviewerError as error:
        from pinviewer.core.formats.quoting import tidy_message

        print(tidy_message(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped. Nothing was changed.", file=sys.stderr)
        return 1
    except MemoryError:
        print("PinViewer ran out of memory; nothing was changed. Close other programs and try again.",
              file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - every failure is a sentence (the traceback goes to the log)
        if os.environ.get("PINVIEWER_DEBUG"):
            raise
        return _unexpected(error)
