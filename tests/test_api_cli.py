"""``pinviewer connect / sync / disconnect`` in subprocesses, as a user or a script runs them, against the local
fake Pinterest; afterwards no folder PinViewer writes holds the token."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_cli
from fake_pinterest import FakePinterest

TESTS = Path(__file__).parent


def pinviewer(*args: str, stdin: str | None = None, env: dict | None = None):
    return run_cli(*args, stdin=stdin, env=env, timeout=60)


@pytest.fixture
def server():
    with FakePinterest(n_pins=20) as fake:
        yield fake


@pytest.fixture
def env(server, tmp_path):
    return {"PINVIEWER_API_BASE": server.base_url, "PYTHON_KEYRING_BACKEND": "fake_keyring.FileKeyring",
            "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
            "PINVIEWER_TEST_KEYRING": str(tmp_path / "test-keyring.json")}


def keyring_items(env) -> dict:
    path = Path(env["PINVIEWER_TEST_KEYRING"])
    return json.loads(path.read_text()) if path.exists() else {}


def one_sentence(stderr: str) -> str:
    text = stderr.strip()
    assert text and "Traceback" not in text and len(text.splitlines()) == 1, stderr
    return text


def files_with(root: Path, *needles: str) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            hits += [f"{path}: {needle[:8]}..." for needle in needles if needle.encode() in content]
    return hits


def test_connect_sync_disconnect(server, env, pinviewer_home):
    done = pinviewer("connect", "--token-stdin", stdin=server.token + "\n", env=env)
    assert done.returncode == 0, done.stderr
    assert "Example Blog (@exampleblog)" in done.stdout and "a business account" in done.stdout
    assert keyring_items(env)["PinViewer\x00pinterest_access_token"] == server.token
    server.clear()

    done = pinviewer("sync", "--pins", "4", env=env)
    assert done.returncode == 0, done.stderr
    assert f"{len(server.log)} requests to Pinterest" in done.stdout
    assert len(server.log) == 1 + 1 + 3 + 1 + 1 + 4
    assert "Fetched 90 days of account figures" in done.stdout and "daily figures for 4 Pins" in done.stdout
    server.clear()

    done = pinviewer("sync", "--profile", "Second blog", "--pins", "0", "--json", env=env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["requests"] == len(server.log) == 7 and report["batch_id"] and report["account_days"] == 90
    assert (report["unchanged"], report["dropped"], report["notes"]) == (False, 0, [])

    # the token is in the (test) keyring only: not in the data, config, cache or log folders
    assert (pinviewer_home / "data").exists() and any((pinviewer_home / "logs").iterdir())
    assert files_with(pinviewer_home, server.token, server.token[5:25]) == []

    done = pinviewer("disconnect", env=env)
    assert done.returncode == 0 and "removed" in done.stdout
    assert not [key for key in keyring_items(env) if key.startswith("PinViewer")]
    done = pinviewer("sync", env=env)
    assert done.returncode == 1
    assert "not connected to Pinterest" in one_sentence(done.stderr)


def test_no_keyring_says_so_and_offers_one_run(server, env, pinviewer_home):
    env = {**env, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    done = pinviewer("connect", "--token-stdin", stdin=server.token, env=env)
    assert done.returncode == 1
    sentence = one_sentence(done.stderr)
    assert "no working keyring" in sentence and "never writes it to a file" in sentence
    assert "sync --token-stdin" in sentence
    assert not server.log  # said before anything was sent
    done = pinviewer("sync", "--token-stdin", "--pins", "2", stdin=server.token, env=env)
    assert done.returncode == 0, done.stderr
    assert "requests to Pinterest" in done.stdout
    assert files_with(pinviewer_home, server.token, server.token[5:25]) == []
    assert not Path(env["PINVIEWER_TEST_KEYRING"]).exists()


def test_token_stays_out_of_every_folder_after_faults(server, env, pinviewer_home):
    assert pinviewer("connect", "--token-stdin", stdin=server.token, env=env).returncode == 0
    server.add_fault("/boards", "status", status=500)
    server.add_fault("/user_account/analytics", "status", status=429, retry_after="0")
    server.add_fault(f"/pins/{server.pin_id(0)}/analytics", "status", status=404)
    done = pinviewer("sync", "--pins", "3", env=env)
    assert done.returncode == 0, done.stderr
    assert "retried" in done.stdout
    server.state.valid_tokens.clear()  # revoked: a 401 on the next sync
    done = pinviewer("sync", env=env)
    assert done.returncode == 1
    assert one_sentence(done.stderr).startswith("Pinterest says your connection has expired or was revoked.")
    log_text = (pinviewer_home / "logs" / "pinviewer.log").read_text()
    assert "/user_account" in log_text and "429" in log_text
    assert files_with(pinviewer_home, server.token, server.token[5:25], "Bearer ") == []


@pytest.mark.parametrize("case", ["wrong token", "personal account", "no source", "bad base", "empty stdin"])
def test_user_errors_are_one_sentence(server, env, case):
    stdin, args = server.token, ["connect", "--token-stdin"]
    if case == "wrong token":
        stdin, expected = "pina_NOT_THE_TOKEN_123456", "did not accept this token"
    elif case == "personal account":
        server.state.account_type = "PINNER"
        expected = "personal Pinterest account"
    elif case == "no source":
        args, expected = ["connect"], "--token-stdin"
    elif case == "bad base":
        env = {**env, "PINVIEWER_API_BASE": "http://api.pinterest.com.evil.example:80/v5"}
        expected = "PINVIEWER_API_BASE"
    else:
        stdin, expected = "", "Nothing was read from standard input"
    done = pinviewer(*args, stdin=stdin, env=env)
    assert done.returncode == 1, done.stdout
    assert expected in one_sentence(done.stderr)
    assert not keyring_items(env)


def test_summary_reflects_the_synced_data(server, env, pinviewer_home):
    import datetime as dt

    from pinviewer.core.api.client import PinterestClient
    from pinviewer.core.api.sync import sync
    from pinviewer.core.store import Store

    with Store.open() as store:
        sync(store, PinterestClient(server.token, base_url=server.base_url), top_n=5)
    done = pinviewer("summary", "--json", env=env)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    start = dt.date.fromisoformat(summary["period"]["start"])
    end = dt.date.fromisoformat(summary["period"]["end"])
    assert end <= server.today() - dt.timedelta(days=1) and start >= server.today() - dt.timedelta(days=90)
    expected = sum(server.account_metrics(start + dt.timedelta(days=i))["OUTBOUND_CLICK"]
                   for i in range((end - start).days + 1))
    assert summary["totals"]["outbound_clicks"] == expected
    assert summary["period"]["provisional_days"] >= 1
    assert any((pin.get("title") or "").startswith("Post number") for pin in summary["top_pins"])
