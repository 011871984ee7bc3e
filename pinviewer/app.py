"""Entry point: headless commands go to the command line; anything else starts the window."""
from __future__ import annotations

import sys

# The command line's commands (pinviewer.cli): ``pinviewer COMMAND …`` runs one without a window.
COMMANDS = ("import", "imports", "undo", "summary", "profiles", "demo",
            "connect", "sync", "disconnect", "report", "insights", "recover")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--smoke"]:
        from pinviewer.smoke import run_smoke

        return run_smoke()
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version")):
        from pinviewer.cli import main as cli_main

        return cli_main(argv)
    from pinviewer.gui.launch import run_gui

    return run_gui(argv)
