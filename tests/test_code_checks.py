"""The code checks the README's test command runs: mypy (strict on pinviewer/core, the default level elsewhere) and
ruff (including the rule against using another module's private members), both configured in pyproject.toml."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_passes():
    run = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"mypy found problems:\n{run.stdout}{run.stderr}"


def test_ruff_passes():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "pinviewer", "tests", "packaging"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"ruff found problems:\n{run.stdout}{run.stderr}"
