"""The frozen app's entry point (PyInstaller runs this file): the same main() as ``python -m pinviewer``."""
import sys


def _run() -> int:
    argv = sys.argv[1:]
    if argv[:1] == ["--smoke"]:
        # The bundle's self-check runs before anything else is parsed or imported, so that it tests the
        # bundle and not the GUI's argument handling (pinviewer.app.main answers --smoke the same way).
        from pinviewer.smoke import run_smoke

        return run_smoke()
    from pinviewer.app import main

    return main(argv)


if __name__ == "__main__":
    sys.exit(_run())
