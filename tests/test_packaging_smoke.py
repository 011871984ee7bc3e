"""``pinviewer --smoke`` from the source tree: the same check the frozen bundle runs in CI (.ci/run)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

SMOKE = "import sys; from pinviewer.smoke import run_smoke; sys.exit(run_smoke())"


def _run(env_extra: dict, timeout: float = 240) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **env_extra)
    env.pop("PINVIEWER_TESTING", None)  # the smoke sets it itself, as the frozen app has no conftest
    return subprocess.run([sys.executable, "-c", SMOKE], capture_output=True, text=True, env=env, timeout=timeout)


def test_smoke_passes_without_a_keyring_and_says_so(tmp_path):
    """A bare Linux has no keyring: the smoke reports it in words and still passes (the app offers a session)."""
    shot = tmp_path / "window.png"
    result = _run({"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
                   "PINVIEWER_SMOKE_SCREENSHOT": str(shot)})
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    for step in ("build", "resources", "window", "chart", "keyring", "https", "pdf"):
        assert f"smoke: {step:<10} ok" in out, out
    assert "NO usable keyring" in out and "SecretService" in out  # the backends are there, none works here
    assert "smoke: all passed" in out
    assert shot.stat().st_size > 10_000


@pytest.mark.first_launch
def test_smoke_leaves_the_users_folders_alone(tmp_path, pinviewer_home):
    result = _run({"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "PINVIEWER_HOME": str(pinviewer_home)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(pinviewer_home.iterdir()) == []  # the demo, the PDF and the logs went to a temporary folder


def test_keyring_step_names_the_backend(memory_keyring):
    from pinviewer import smoke

    line = smoke._keyring()
    assert "uses" in line and type(memory_keyring).__name__ in line


def test_keyring_step_round_trip(memory_keyring, monkeypatch):
    from pinviewer import smoke

    monkeypatch.setenv("PINVIEWER_SMOKE_KEYRING_ROUNDTRIP", "1")
    assert "round trip ok" in smoke._keyring()
    assert memory_keyring.items == {}  # the throwaway item is gone


def test_keyring_step_without_entry_points_fails(monkeypatch):
    """What a bundle without keyring's metadata looks like: no backends at all. That must fail the smoke."""
    import importlib.metadata

    from pinviewer import smoke

    real = importlib.metadata.entry_points
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda **kw: [] if kw.get("group") == "keyring.backends" else real(**kw))
    with pytest.raises(smoke.StepFailed, match="entry points are missing"):
        smoke._keyring()
