"""Entry point: headless commands go to the command line; anything else starts the window."""
from __future__ import annotations

import sys


def _is_command(argv: list[str]) -> bool:
    if not argv:
        return False
    if argv[0] in ("-h", "--help", "--version"):
        return True
    if argv[0].startswith("-"):  # an option of the window (--demo, --screenshot): cli's import is not needed
        return False
    from pinviewer.cli import COMMANDS

    return argv[0] in COMMANDS


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--smoke"]:
        from pinviewer.smoke import run_smoke

        return run_smoke()
    if _is_command(argv):
        from pinviewer.cli import main as cli_main

        return cli_main(argv)
    from pinviewer.gui.launch import run_gui

    return run_gui(argv)
