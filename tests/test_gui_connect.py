"""Connect Pinterest and Sync with Pinterest, driven as a blogger would, against the local fake Pinterest.

A real HTTP server on 127.0.0.1 (tests/fake_pinterest.py, reached through PINVIEWER_API_BASE), the in-memory
keyring from conftest.py (or keyring's "fail" backend for a bare Linux), a real store in a temporary
PINVIEWER_HOME. The last test greps that folder (database, settings INI, log) for every secret it used.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import urllib.parse
import urllib.request

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtWidgets import QPushButton

from fake_pinterest import FakePinterest
from pinviewer import paths
from pinviewer.core.api import credentials
from pinviewer.core.api.client import RetryPolicy
from pinviewer.gui import connect_dialog, settings, sync_ui, tasks
from pinviewer.gui.connect_dialog import ConnectDialog

TIMEOUT = 20_000
FAST = RetryPolicy(base_delay=0.005, max_delay=0.02)
KEY = ("PinViewer", "pinterest_access_token")


@pytest.fixture(autouse=True)
def fast_and_forgetful(monkeypatch):
    """Short retry waits for every call from the window; no session-only token outlives a test."""
    monkeypatch.setattr(sync_ui, "CLIENT_OPTIONS", {"retry": FAST, "timeout": 5.0})
    yield
    tasks.wait_all()
    with credentials._session_lock:
        credentials._session.clear()
    connect_dialog._session_account = None


@pytest.fixture
def server(monkeypatch):
    with FakePinterest(n_pins=30) as fake:
        monkeypatch.setenv("PINVIEWER_API_BASE", fake.base_url)
        yield fake


@pytest.fixture
def dialog(qtbot):
    d = ConnectDialog()
    qtbot.addWidget(d)
    d.show()
    qtbot.waitUntil(lambda: d._task is None, timeout=TIMEOUT)  # the keyring's status was read
    yield d
    d.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check(qtbot, d: ConnectDialog, token: str) -> None:
    d.token_edit.setText(token)
    with qtbot.waitSignal(d.idle, timeout=TIMEOUT):
        d.check_button.click()


def connect(qtbot, d: ConnectDialog) -> str:
    assert d.connect_button.isEnabled()
    with qtbot.waitSignal(d.connected, timeout=TIMEOUT) as blocker:
        d.connect_button.click()
    return blocker.args[0]


def said(d: ConnectDialog) -> str:
    assert d.result_frame.isVisibleTo(d)
    return d.result_label.text()


def browser_for(server):
    """The person's browser: Pinterest's consent page sends it straight back to the loopback redirect."""
    def open_browser(url: str) -> None:
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        back = query["redirect_uri"] + "?" + urllib.parse.urlencode({"code": server.state.oauth_code,
                                                                     "state": query["state"]})
        threading.Thread(target=lambda: urllib.request.urlopen(back, timeout=5).read(), daemon=True).start()
    return open_browser


# ------------------------------------------------------------------------------------------------ the dialog
def test_a_business_token_shows_the_account_and_is_stored_only_after_connect(qtbot, dialog, server, memory_keyring):
    assert not dialog.status_frame.isVisibleTo(dialog) and not dialog.keyring_frame.isVisibleTo(dialog)
    assert dialog.token_edit.echoMode() == dialog.token_edit.EchoMode.Password
    assert not dialog.connect_button.isEnabled() and not dialog.check_button.isEnabled()
    check(qtbot, dialog, "  " + server.token + "\n")  # pasted with the spaces around it
    text = said(dialog)
    assert "Example Blog (@exampleblog)" in text and "business account" in text
    assert dialog.result_frame.property("problem") == "false"
    assert [r.path for r in server.log] == ["/user_account"]
    assert memory_keyring.items == {}  # checked, not kept
    assert dialog.connect_button.isEnabled()

    dialog.token_edit.setText(server.token + "x")  # edited after the check: Connect waits for a new check
    assert not dialog.connect_button.isEnabled() and not dialog.result_frame.isVisibleTo(dialog)
    dialog.token_edit.setText(server.token)
    check(qtbot, dialog, server.token)
    assert connect(qtbot, dialog) == "Example Blog (@exampleblog)"
    assert memory_keyring.items[KEY] == server.token
    assert not dialog.isVisible() and dialog.token_edit.text() == ""
    assert settings.get_str(connect_dialog.ACCOUNT_SETTING) == "Example Blog (@exampleblog)"
    assert len(server.log) == 2  # Connect stores what was checked: no second request

    again = ConnectDialog()  # opened later: says who is connected and offers Sync now and Disconnect
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again._task is None, timeout=TIMEOUT)
    assert again.status_frame.isVisibleTo(again) and "Connected as Example Blog (@exampleblog)" in \
        again.status_label.text()
    assert again.disconnect_button.isVisibleTo(again) and again.sync_button.isVisibleTo(again)
    assert not again.setup.isVisibleTo(again)
    again.replace_button.click()
    assert again.setup.isVisibleTo(again)
    again.close()


def test_a_personal_account_is_refused_with_the_business_sentence(qtbot, dialog, server, memory_keyring):
    server.state.account_type = "PINNER"
    check(qtbot, dialog, server.token)
    text = said(dialog)
    assert "personal Pinterest account" in text and "Analytics need a business account" in text
    assert "Nothing was stored" in text and dialog.result_frame.property("problem") == "true"
    assert not dialog.connect_button.isEnabled()
    dialog.connect_account()  # even when asked directly
    tasks.wait_all()
    assert memory_keyring.items == {} and credentials.load_token() is None


@pytest.mark.parametrize("case, expected", [
    ("wrong token", "Pinterest did not accept this token"),
    ("offline", "can't connect to Pinterest"),
    ("malformed answer", "could not read"),
    ("no permission", "Analytics need a Pinterest business account"),
])
def test_problems_are_sentences_and_nothing_is_stored(qtbot, dialog, server, memory_keyring, monkeypatch, case,
                                                      expected):
    token = server.token
    if case == "wrong token":
        token = "pina_WRONG_0123456789abcdef"
    elif case == "offline":
        monkeypatch.setenv("PINVIEWER_API_BASE", f"http://127.0.0.1:{free_port()}/v5")  # nobody listens
    elif case == "malformed answer":
        server.add_fault("/user_account", "badjson", times=None)
    else:
        server.add_fault("/user_account", status=403, times=None)
    check(qtbot, dialog, token)
    assert expected in said(dialog) and dialog.result_frame.property("problem") == "true"
    assert token not in said(dialog)
    assert not dialog.connect_button.isEnabled()
    assert memory_keyring.items == {}


def test_no_keyring_offers_this_session_only_and_writes_nothing(qtbot, server, memory_keyring):
    keyring.set_keyring(keyring.backends.fail.Keyring())  # a bare Linux
    d = ConnectDialog()
    qtbot.addWidget(d)
    d.show()
    qtbot.waitUntil(lambda: d._task is None, timeout=TIMEOUT)
    assert d.keyring_frame.isVisibleTo(d) and "no working keyring" in d.keyring_label.text()
    assert d.connect_button.text() == "Use for this session only"
    check(qtbot, d, server.token)
    assert "Use for this session only" in said(d)
    connect(qtbot, d)
    assert credentials.is_session_only() and credentials.load_token() == server.token
    assert memory_keyring.items == {}
    assert settings.get_str(connect_dialog.ACCOUNT_SETTING) is None  # not even the name outlives the session
    from pinviewer.core.session import token_available

    assert token_available()
    again = ConnectDialog()
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again._task is None, timeout=TIMEOUT)
    assert "For this session only" in again.status_label.text()
    again.close()


def test_a_keyring_that_fails_when_storing_switches_to_this_session_only(qtbot, dialog, server, memory_keyring):
    check(qtbot, dialog, server.token)
    keyring.set_keyring(keyring.backends.fail.Keyring())  # locked or gone between the check and Connect
    with qtbot.waitSignal(dialog.idle, timeout=TIMEOUT):
        dialog.connect_button.click()
    assert dialog.isVisible() and dialog.keyring_frame.isVisibleTo(dialog)
    assert dialog.connect_button.text() == "Use for this session only"
    assert memory_keyring.items == {} and not credentials.is_session_only()
    connect(qtbot, dialog)
    assert credentials.is_session_only() and memory_keyring.items == {}


def test_disconnect_empties_the_keyring(qtbot, server, memory_keyring):
    credentials.store_tokens(credentials.Tokens(server.token, refresh_token="pinr_KEEP_0123456789",
                                                expires_at=9e9, app_id="1234567", app_secret="s3cret_VALUE_42"))
    settings.put(connect_dialog.ACCOUNT_SETTING, "Example Blog (@exampleblog)")
    assert len(memory_keyring.items) == 5
    d = ConnectDialog()
    qtbot.addWidget(d)
    d.show()
    qtbot.waitUntil(lambda: d._task is None, timeout=TIMEOUT)
    assert "Connected as Example Blog" in d.status_label.text() and "renews" in d.status_label.text()
    assert d.app_id_edit.text() == "1234567" and d.secret_edit.text() == ""  # the secret is never shown back
    with qtbot.waitSignal(d.disconnected, timeout=TIMEOUT):
        d.disconnect_button.click()
    assert memory_keyring.items == {}
    assert not d.status_frame.isVisibleTo(d) and d.setup.isVisibleTo(d)
    assert "Disconnected" in said(d) and "history stays" in said(d)
    assert settings.get_str(connect_dialog.ACCOUNT_SETTING) is None
    assert not server.log  # no request to Pinterest for any of this
    d.close()


def test_sign_in_with_the_browser_keeps_the_app_connection_in_the_keyring_only(qtbot, dialog, server, memory_keyring,
                                                                              monkeypatch):
    monkeypatch.setattr(connect_dialog, "open_in_browser", browser_for(server))
    dialog.advanced_button.click()
    assert dialog.advanced_frame.isVisibleTo(dialog)
    assert dialog.secret_edit.echoMode() == dialog.secret_edit.EchoMode.Password
    dialog.app_id_edit.setText(server.state.app_id)
    dialog.secret_edit.setText(server.state.app_secret)
    dialog.port_edit.setText(str(free_port()))
    with qtbot.waitSignal(dialog.idle, timeout=TIMEOUT):
        dialog.browser_button.click()
    assert "Example Blog (@exampleblog)" in said(dialog)
    assert memory_keyring.items == {}  # signed in and checked, nothing kept yet
    connect(qtbot, dialog)
    stored = credentials.load_tokens()
    assert stored.access_token.startswith("pina_ISSUED_") and stored.refresh_token.startswith("pinr_ROTATED_")
    assert stored.app_secret == server.state.app_secret and stored.can_refresh
    assert dialog.secret_edit.text() == ""


# ------------------------------------------------------------------------------------------------ the window
def wait_sync(qtbot, win) -> None:
    qtbot.waitUntil(lambda: win.sync.task is not None and win.sync.task.finished,
                    timeout=TIMEOUT)


def outbound_clicks_in_store(preset: str = "last_30") -> float:
    from pinviewer.core import analysis
    from pinviewer.core.store import Store

    with Store.open() as store:
        ds = store.load(store.profile())
        return analysis.summary(ds, analysis.preset_period(ds, preset))["totals"]["outbound_clicks"]


def test_connecting_from_the_window_syncs_and_fills_the_dashboard(qtbot, window, server, memory_keyring):
    assert not window.menu_actions.sync.isEnabled()  # no token yet, and it says why
    assert "Connect Pinterest first" in window.menu_actions.sync.toolTip()
    assert window.menu_actions.sync.shortcut().toString() == "Ctrl+R"
    window.empty_page.connect_button.click()
    d = window.sync.dialog
    assert d.isVisible()
    qtbot.waitUntil(lambda: d._task is None, timeout=TIMEOUT)
    check(qtbot, d, server.token)
    server.clear()
    connect(qtbot, d)
    wait_sync(qtbot, window)
    assert window.menu_actions.sync.isEnabled()
    assert window.stack.currentWidget() is window.dashboard
    clicks = window.dashboard.cards["outbound_clicks"].value
    assert clicks and clicks == outbound_clicks_in_store()
    text = window.messages.notice.text.text()
    assert "Connected as Example Blog (@exampleblog)." in text and "Synced with Pinterest (@exampleblog)." in text
    assert f"{len(server.log)} requests to Pinterest" in text and "1,000 a day" in text
    assert server.token not in text


def test_cancel_mid_sync_keeps_what_was_fetched_and_the_next_sync_resumes(qtbot, server, memory_keyring):
    from pinviewer.core.formats.model import PIN
    from pinviewer.core.store import Store
    from pinviewer.gui.main_window import MainWindow

    credentials.store_token(server.token)
    settings.put(sync_ui.CONNECTED, True)  # connected in the window before
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.ready, timeout=TIMEOUT):
        win.start()
    qtbot.waitUntil(win.menu_actions.sync.isEnabled, timeout=TIMEOUT)  # the keyring has a token

    server.state.latency = 0.25
    win.menu_actions.sync.trigger()
    task = win.sync.task
    qtbot.waitUntil(lambda: task.progress_dialog is not None and task.progress_dialog.isVisible(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: len(server.requests_to("/pins/*")) >= 6, timeout=TIMEOUT)
    assert "requests" in task.progress_dialog.labelText()  # the progress says how many requests so far
    cancel = task.progress_dialog.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    cancel.click()
    wait_sync(qtbot, win)
    text = win.messages.notice.text.text()
    assert "Sync stopped; what was fetched is kept." in text and "requests to Pinterest" in text
    with Store.open() as store:
        batches = store.batches()
        assert len(batches) == 1 and batches[0].file_name.endswith("(stopped)")
        pins = store.facts(store.profile(), entity_types={PIN})
        fetched = set(pins.loc[pins["start"] == pins["end"], "entity_id"])
    assert 0 < len(fetched) < 25
    assert win.stack.currentWidget() is win.dashboard and win.dashboard.cards["outbound_clicks"].value

    server.state.latency = 0.0
    server.clear()
    win.sync.start()
    wait_sync(qtbot, win)
    assert "Synced with Pinterest" in win.messages.notice.text.text()
    recent = server.today() - dt.timedelta(days=4)
    account_asks = server.requests_to("/user_account/analytics")
    assert account_asks and all(dt.date.fromisoformat(r.query["start_date"]) >= recent for r in account_asks)
    for r in server.requests_to("/pins/*"):  # Pins fetched before the stop: only the days still being counted
        if r.path.split("/")[2] in fetched:
            assert dt.date.fromisoformat(r.query["start_date"]) >= recent
    tasks.wait_all()
    win.close()


def test_a_revoked_token_asks_to_reconnect_and_offline_is_a_sentence(qtbot, window, server, memory_keyring,
                                                                     monkeypatch):
    from pinviewer.gui import errors

    credentials.store_token("pina_REVOKED_0123456789")
    window.sync.start()
    wait_sync(qtbot, window)
    text = window.messages.notice.text.text()
    assert "expired or was revoked" in text and "1 request to Pinterest." in text
    assert window.messages.notice.property("problem") == "true"
    assert [b.text() for b in window.messages.notice.buttons()] == ["Connect again…"]
    window.messages.notice.buttons()[0].click()
    assert window.sync.dialog.isVisible()
    window.sync.dialog.reject()

    shown = []
    monkeypatch.setattr(errors, "show_problem", lambda parent, message, title=None: shown.append(message))
    credentials.store_token(server.token)
    monkeypatch.setenv("PINVIEWER_API_BASE", f"http://127.0.0.1:{free_port()}/v5")
    window.sync.start()
    wait_sync(qtbot, window)
    assert len(shown) == 1 and "can't connect to Pinterest" in shown[0]
    assert window.stack.currentWidget() is window.empty_page  # nothing was stored, nothing pretended


def test_no_secret_reaches_a_file_the_settings_a_log_or_the_environment(qtbot, server, memory_keyring,
                                                                        pinviewer_home, monkeypatch):
    from pinviewer.gui.main_window import MainWindow

    log_path = paths.log_dir() / "pinviewer.log"
    handler = logging.FileHandler(log_path, encoding="utf-8")  # no redaction: nothing secret may be logged at all
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    monkeypatch.setattr(connect_dialog, "open_in_browser", browser_for(server))
    try:
        win = MainWindow()
        qtbot.addWidget(win)
        win.show()
        with qtbot.waitSignal(win.ready, timeout=TIMEOUT):
            win.start()
        # a pasted token, then a sync
        win.sync.open_dialog()
        d = win.sync.dialog
        qtbot.waitUntil(lambda: d._task is None, timeout=TIMEOUT)
        check(qtbot, d, server.token)
        connect(qtbot, d)
        wait_sync(qtbot, win)
        # the browser sign-in with an app id and secret, then Sync now
        win.sync.open_dialog()
        d = win.sync.dialog
        qtbot.waitUntil(lambda: d._task is None, timeout=TIMEOUT)
        d.replace_button.click()
        d.advanced_button.click()
        d.app_id_edit.setText(server.state.app_id)
        d.secret_edit.setText(server.state.app_secret)
        d.port_edit.setText(str(free_port()))
        with qtbot.waitSignal(d.idle, timeout=TIMEOUT):
            d.browser_button.click()
        connect(qtbot, d)
        wait_sync(qtbot, win)
        secrets = [server.token, server.state.app_secret, server.state.oauth_code,
                   *(t for t in server.state.valid_tokens if t != server.token), server.state.refresh_token,
                   credentials.load_tokens().refresh_token]
        assert len(memory_keyring.items) == 5 and len(set(secrets)) >= 5
        # disconnect, quit
        win.sync.open_dialog()
        d = win.sync.dialog
        qtbot.waitUntil(lambda: d._task is None, timeout=TIMEOUT)
        with qtbot.waitSignal(d.disconnected, timeout=TIMEOUT):
            d.disconnect_button.click()
        d.close()
        assert memory_keyring.items == {}
        tasks.wait_all()
        win.close()
    finally:
        root.removeHandler(handler)
        handler.close()
        root.setLevel(level)

    files = [p for p in pinviewer_home.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"pinviewer.sqlite", "pinviewer.ini", "pinviewer.log"} <= names
    assert "GET /user_account -> 200" in log_path.read_text(encoding="utf-8")  # the log was written to
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"a secret in {path.relative_to(pinviewer_home)}"
    for secret in secrets:
        assert all(secret not in value for value in os.environ.values())


def test_syncing_from_the_sample_blog_goes_into_the_users_own_history(qtbot, server, memory_keyring):
    from pinviewer.core.store import Store
    from pinviewer.gui.main_window import MainWindow

    credentials.store_token(server.token)
    settings.put(sync_ui.CONNECTED, True)  # connected in the window before
    win = MainWindow(demo=True)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.ready, timeout=TIMEOUT):
        win.start()
    assert win.demo
    qtbot.waitUntil(win.menu_actions.sync.isEnabled, timeout=TIMEOUT)
    win.sync.start()
    wait_sync(qtbot, win)
    assert not win.demo and not win.messages.banner.isVisibleTo(win)
    assert "Synced with Pinterest" in win.messages.notice.text.text()
    with Store.open() as store:
        assert [b.format for b in store.batches()] == ["api"]
    assert win.dashboard.cards["outbound_clicks"].value == outbound_clicks_in_store()
    tasks.wait_all()
    win.close()


def test_start_up_never_reads_the_keyring_unless_connected(qtbot, memory_keyring, monkeypatch):
    """A locked keyring opens a password prompt: start-up must not ask it, and neither must an import."""
    from pinviewer.gui.main_window import MainWindow

    reads = []
    real = type(memory_keyring).get_password
    monkeypatch.setattr(type(memory_keyring), "get_password",
                        lambda self, service, user: reads.append(user) or real(self, service, user))
    credentials.store_token("pina_SOMEONE_ELSES_0123456789")  # a token from `pinviewer connect`, say
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.ready, timeout=TIMEOUT):
        win.start()
    tasks.wait_all()
    assert reads == []
    assert not win.menu_actions.sync.isEnabled()  # never connected in the window, never synced this history
    win.close()
