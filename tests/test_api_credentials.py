"""Secrets in the keyring only: store, load, forget, no keyring, session only, OAuth, refresh, Secret Service."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import pytest

from fake_pinterest import FakePinterest
from pinviewer.core.api import credentials
from pinviewer.core.api.client import AuthExpired, NotBusinessAccount, NotConnected, RetryPolicy

FAST = RetryPolicy(base_delay=0.01, max_delay=0.05)


@pytest.fixture(autouse=True)
def no_session_token():
    credentials._session.clear()
    yield
    credentials._session.clear()


@pytest.fixture
def server():
    with FakePinterest(n_pins=5) as fake:
        yield fake


def _files_contain(root: Path, needle: str) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and needle.encode() in path.read_bytes():
            found.append(path)
    return found


# ------------------------------------------------------------------------------------------------ keyring
def test_store_load_forget_round_trip(memory_keyring):
    credentials.store_token("  pina_ABCDEFGH12345678  \n")
    assert credentials.load_token() == "pina_ABCDEFGH12345678"
    assert memory_keyring.items[("PinViewer", "pinterest_access_token")] == "pina_ABCDEFGH12345678"
    assert not credentials.is_session_only()
    assert credentials.forget() >= 1
    assert credentials.load_token() is None
    assert not [key for key in memory_keyring.items if key[0] == "PinViewer"]


def test_forget_removes_every_item(memory_keyring):
    tokens = credentials.Tokens("pina_A1234567890", refresh_token="pinr_B1234567890", expires_at=time.time() + 99,
                                scope="pins:read", app_id="123", app_secret="sekrit_value_1")
    credentials.store_tokens(tokens)
    assert {name for service, name in memory_keyring.items if service == "PinViewer"} == set(credentials.ITEMS)
    memory_keyring.items[("Other app", "x")] = "kept"
    assert credentials.forget() == len(credentials.ITEMS)
    assert list(memory_keyring.items) == [("Other app", "x")]
    assert credentials.forget() == 0


def test_a_plain_token_replaces_an_oauth_connection(memory_keyring):
    credentials.store_tokens(credentials.Tokens("pina_A1234567890", refresh_token="pinr_B1234567890",
                                                app_id="1", app_secret="s3cret_abc"))
    credentials.store_token("pina_NEW_1234567890")
    loaded = credentials.load_tokens()
    assert loaded.access_token == "pina_NEW_1234567890"
    assert loaded.refresh_token is None and loaded.app_secret is None and not loaded.can_refresh


def test_tokens_repr_hides_secrets():
    tokens = credentials.Tokens("pina_SECRET_A_123", refresh_token="pinr_SECRET_B_123", app_id="1",
                                app_secret="SECRET_C")
    shown = repr(tokens) + str(tokens) + f"{tokens}"
    assert "SECRET" not in shown and "access_token=set" in shown


def test_no_keyring_is_said_in_words_and_nothing_is_written(tmp_path):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    assert credentials.keyring_problem() is not None
    with pytest.raises(credentials.NoKeyring) as info:
        credentials.store_token("pina_NOKEYRING_123456")
    text = str(info.value)
    assert "no working keyring" in text and "this session only" in text and "file" in text
    with pytest.raises(credentials.NoKeyring):
        credentials.load_token()
    # the caller accepted session-only use
    credentials.store_token("pina_NOKEYRING_123456", session_only=True)
    assert credentials.load_token() == "pina_NOKEYRING_123456" and credentials.is_session_only()
    assert _files_contain(tmp_path, "pina_NOKEYRING") == []
    assert credentials.forget() >= 1
    assert credentials.is_session_only() is False
    with pytest.raises(credentials.NoKeyring):
        credentials.load_token()


def test_a_plaintext_file_backend_counts_as_no_keyring():
    class PlaintextKeyring(keyring.backend.KeyringBackend):
        priority = 1

        def get_password(self, service, username):
            return None

        def set_password(self, service, username, password):
            raise AssertionError("must never be called")

        def delete_password(self, service, username):
            pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    keyring.set_keyring(PlaintextKeyring())
    with pytest.raises(credentials.NoKeyring):
        credentials.store_token("pina_PLAIN_1234567")


def test_a_failing_backend_becomes_a_sentence():
    class Broken(keyring.backend.KeyringBackend):
        priority = 1

        def get_password(self, service, username):
            raise RuntimeError("dbus went away")

        def set_password(self, service, username, password):
            raise keyring.errors.KeyringLocked("locked")

        def delete_password(self, service, username):
            pass

    keyring.set_keyring(Broken())
    with pytest.raises(credentials.NoKeyring) as info:
        credentials.store_token("pina_LOCKED_1234567")
    assert "locked" in str(info.value)
    with pytest.raises(credentials.NoKeyring):
        credentials.load_token()


# ------------------------------------------------------------------------------------------------ connect
def test_connect_checks_then_stores(server, memory_keyring):
    account = credentials.connect(server.token, base_url=server.base_url, retry=FAST)
    assert account.username == "exampleblog" and account.is_business
    assert credentials.load_token() == server.token
    assert [r.path for r in server.log] == ["/user_account"]


def test_connect_refuses_a_personal_account_before_storing(server, memory_keyring):
    server.state.account_type = "PINNER"
    with pytest.raises(NotBusinessAccount) as info:
        credentials.connect(server.token, base_url=server.base_url, retry=FAST)
    assert "personal Pinterest account" in str(info.value) and "business account" in str(info.value)
    assert "Nothing was stored" in str(info.value)
    assert credentials.load_token() is None


def test_connect_with_a_wrong_token_stores_nothing(server, memory_keyring):
    with pytest.raises(AuthExpired) as info:
        credentials.connect("pina_WRONG_123456789", base_url=server.base_url, retry=FAST)
    assert "did not accept this token" in str(info.value)
    assert credentials.load_token() is None


def test_connect_refuses_a_token_with_line_breaks(server):
    with pytest.raises(Exception) as info:
        credentials.check_token("pina_abc\ndef", base_url=server.base_url)
    assert "spaces or line breaks" in str(info.value)
    assert not server.log


def test_client_from_keyring_without_a_token(memory_keyring):
    with pytest.raises(NotConnected):
        credentials.client_from_keyring()


# ------------------------------------------------------------------------------------------------ OAuth
def _browser(server, code=None, tamper_state=False):
    """A stand-in for the person's browser: follows the consent URL back to the loopback redirect."""
    seen = {}

    def open_browser(url: str):
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        seen.update(query)
        back = {"code": code or server.state.oauth_code, "state": query["state"] + ("x" if tamper_state else "")}

        def visit():
            target = query["redirect_uri"] + "?" + urllib.parse.urlencode(back)
            try:
                urllib.request.urlopen(target, timeout=5).read()
            except Exception as error:  # 404 for a tampered state
                seen["visit_error"] = error
        threading.Thread(target=visit, daemon=True).start()

    return open_browser, seen


def test_oauth_code_flow_with_loopback_redirect(server, memory_keyring):
    open_browser, seen = _browser(server)
    tokens = credentials.oauth_authorize(server.state.app_id, server.state.app_secret, port=0,
                                         open_browser=open_browser, timeout=10, base_url=server.base_url,
                                         retry=FAST)
    assert seen["client_id"] == server.state.app_id and seen["response_type"] == "code"
    assert seen["redirect_uri"].startswith("http://localhost:") and seen["scope"] == credentials.SCOPES
    assert len(seen["state"]) >= 20
    exchange = server.requests_to("/oauth/token")[0]
    assert exchange.method == "POST" and exchange.form["grant_type"] == "authorization_code"
    assert exchange.form["code"] == server.state.oauth_code
    assert exchange.form["redirect_uri"] == seen["redirect_uri"]
    assert exchange.headers["authorization"].startswith("Basic ")
    assert exchange.headers["content-type"] == "application/x-www-form-urlencoded"
    assert tokens.access_token.startswith("pina_ISSUED_") and tokens.refresh_token.startswith("pinr_ROTATED_")
    assert tokens.expires_at > time.time() + 86400 and tokens.can_refresh
    assert credentials.load_token() is None  # not stored until connect() has checked the account
    account = credentials.connect(tokens, base_url=server.base_url, retry=FAST)
    assert account.is_business
    assert credentials.load_tokens().app_secret == server.state.app_secret


def test_oauth_wrong_state_is_ignored_then_times_out(server):
    open_browser, seen = _browser(server, tamper_state=True)
    with pytest.raises(credentials.OAuthError) as info:
        credentials.oauth_authorize(server.state.app_id, server.state.app_secret, port=0,
                                    open_browser=open_browser, timeout=0.5, base_url=server.base_url)
    assert "did not arrive in time" in str(info.value)
    assert not server.requests_to("/oauth/token")


def test_oauth_can_be_cancelled():
    from pinviewer.core.errors import Cancelled

    started = time.monotonic()
    with pytest.raises(Cancelled):
        credentials.oauth_authorize("1", "s", port=0, open_browser=lambda url: None, timeout=30,
                                    cancelled=lambda: time.monotonic() - started > 0.2)
    assert time.monotonic() - started < 2


def test_refresh_sends_continuous_refresh_and_stores_the_new_refresh_token(server, memory_keyring):
    old = credentials.Tokens("pina_OLD_123456789", refresh_token=server.state.refresh_token,
                             expires_at=time.time() + 60, app_id=server.state.app_id,
                             app_secret=server.state.app_secret)
    credentials.store_tokens(old)
    new = credentials.refresh(base_url=server.base_url, retry=FAST)
    sent = server.requests_to("/oauth/token")[0]
    assert sent.form == {"grant_type": "refresh_token", "refresh_token": old.refresh_token,
                         "continuous_refresh": "true"}
    stored = credentials.load_tokens()
    assert stored.access_token == new.access_token != old.access_token
    assert stored.refresh_token == server.state.refresh_token != old.refresh_token  # rotated, kept
    assert stored.app_secret == server.state.app_secret


def test_client_from_keyring_refreshes_before_expiry(server, memory_keyring):
    credentials.store_tokens(credentials.Tokens(
        server.token, refresh_token=server.state.refresh_token, expires_at=time.time() + 3600,
        app_id=server.state.app_id, app_secret=server.state.app_secret))
    client = credentials.client_from_keyring(base_url=server.base_url, retry=FAST)
    assert len(server.requests_to("/oauth/token")) == 1
    client.user_account()
    assert server.log[-1].headers["authorization"] == "Bearer " + credentials.load_token()
    assert credentials.load_token().startswith("pina_ISSUED_")


def test_a_401_during_use_refreshes_once(server, memory_keyring):
    credentials.store_tokens(credentials.Tokens(
        "pina_REVOKED_123456", refresh_token=server.state.refresh_token, expires_at=time.time() + 10 * 86400,
        app_id=server.state.app_id, app_secret=server.state.app_secret))
    client = credentials.client_from_keyring(base_url=server.base_url, retry=FAST)
    assert not server.requests_to("/oauth/token")  # not expiring: no refresh up front
    assert client.user_account().username == "exampleblog"
    assert [r.path for r in server.log] == ["/user_account", "/oauth/token", "/user_account"]


def test_refresh_refused_asks_to_reconnect(server, memory_keyring):
    credentials.store_tokens(credentials.Tokens(
        "pina_OLD_123456789", refresh_token="pinr_STALE_123", expires_at=time.time(),
        app_id=server.state.app_id, app_secret=server.state.app_secret))
    with pytest.raises(AuthExpired) as info:
        credentials.client_from_keyring(base_url=server.base_url, retry=FAST)
    assert "Connect again" in str(info.value)


# ------------------------------------------------------------------------------------------------ real keyring
REAL_SCRIPT = textwrap.dedent("""
    import keyring
    from pinviewer.core.api import credentials
    print(type(keyring.get_keyring()).__module__)
    assert credentials.keyring_problem() is None, credentials.keyring_problem()
    credentials.store_token("pina_REALKEYRING_0123456789")
    print("loaded", credentials.load_token())
    print("direct", keyring.get_password("PinViewer", "pinterest_access_token"))
    print("removed", credentials.forget())
    print("after", credentials.load_token())
""")


@pytest.mark.skipif(not (shutil.which("gnome-keyring-daemon") and shutil.which("dbus-run-session")),
                    reason="needs gnome-keyring and dbus-run-session")
def test_real_secret_service_round_trip(tmp_path):
    home = tmp_path / "userhome"
    home.mkdir()
    script = tmp_path / "real.py"
    script.write_text(REAL_SCRIPT)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "PYTHON_KEYRING", "XDG_"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local/share"), XDG_RUNTIME_DIR=str(tmp_path / "run"))
    (tmp_path / "run").mkdir(mode=0o700)
    command = (f"printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "
               f"'{sys.executable}' '{script}'")
    done = subprocess.run(["dbus-run-session", "--", "sh", "-c", command], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines[0] == "keyring.backends.SecretService"
    assert "loaded pina_REALKEYRING_0123456789" in lines
    assert "direct pina_REALKEYRING_0123456789" in lines
    assert "removed 2" in lines and "after None" in lines  # the token and its info
