"""The code checks the README's test command runs: mypy with the configuration in pyproject.toml (strict on
pinviewer/core, the default level elsewhere)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_passes():
    run = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"mypy found problems:\n{run.stdout}{run.stderr}"
