"""Headless commands: ``python -m pinviewer <command>``.

Exit codes: 0 success, 1 a user error (one sentence on stderr, no traceback), 2 usage error.
Each command module exposes ``register(subparsers)`` and sets ``func`` on its parser.
"""
from __future__ import annotations

import argparse
import logging
import sys

from pinviewer.core.errors import PinviewerError

log = logging.getLogger(__name__)


def _command_modules():
    from pinviewer.cli import api, data, insights, report

    return [data, api, report, insights]


COMMANDS = ("import", "imports", "undo", "summary", "profiles", "demo",
            "connect", "sync", "disconnect", "report", "insights")


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
    from pinviewer.logs import setup_logging

    setup_logging(console=getattr(args, "verbose", False))
    try:
        return int(args.func(args) or 0)
    except PinviewerError as error:
        print(str(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped. Nothing was changed.", file=sys.stderr)
        return 1
