"""The Pinterest client against a real local HTTP server: base-URL rule, retries, faults, sentences, limits."""
from __future__ import annotations

import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fake_pinterest import FakePinterest
from pinviewer.core.api import client as api
from pinviewer.core.api.client import PinterestClient, RetryPolicy
from pinviewer.core.errors import PinviewerError

FAST = RetryPolicy(base_delay=0.01, max_delay=0.05)


@pytest.fixture
def server():
    with FakePinterest(n_pins=12) as fake:
        yield fake


def make_client(server, **kw) -> PinterestClient:
    kw.setdefault("retry", FAST)
    kw.setdefault("timeout", 5.0)  # a whole-request deadline: room for a loaded machine
    return PinterestClient(server.token, base_url=server.base_url, **kw)


# ------------------------------------------------------------------------------------------------ base URL
@pytest.mark.parametrize("value", [
    "https://api.pinterest.com/v5", "https://api.pinterest.com/v5/", "http://127.0.0.1:8123/v5",
    "http://localhost:9000/anything/v5", "http://127.0.0.1:1"])
def test_base_url_accepts_the_real_api_and_loopback(value):
    assert api.resolve_base_url(value) == value.rstrip("/")


@pytest.mark.parametrize("value", [
    "http://api.pinterest.com/v5",  # clear text to the real host
    "https://api.pinterest.com.evil.example/v5", "https://evil.example/v5", "http://127.0.0.2:80/v5",
    "http://127.0.0.1/v5",  # no port
    "https://127.0.0.1:8443/v5", "http://user:pw@127.0.0.1:80/v5", "http://localhost:80/v5?x=1",
    "ftp://127.0.0.1:21/", "https://api.pinterest.com/v4", "http://[::1]:80/v5", "garbage"])
def test_base_url_refuses_anything_else(value):
    with pytest.raises(api.BadBaseUrl) as info:
        api.resolve_base_url(value)
    assert "PINVIEWER_API_BASE" in str(info.value)


def test_environment_variable_sets_the_base(monkeypatch, server):
    monkeypatch.setenv("PINVIEWER_API_BASE", server.base_url)
    client = PinterestClient(server.token)
    assert client.base_url == server.base_url
    assert client.user_account().username == "exampleblog"
    monkeypatch.setenv("PINVIEWER_API_BASE", "http://example.com:80/v5")
    with pytest.raises(api.BadBaseUrl):
        PinterestClient(server.token)


def test_default_base_is_https_with_verified_certificates(monkeypatch):
    monkeypatch.delenv("PINVIEWER_API_BASE", raising=False)
    client = PinterestClient("pina_x")
    assert client.base_url == "https://api.pinterest.com/v5"
    context = client.wire.ssl_context
    assert context.verify_mode.name == "CERT_REQUIRED" and context.check_hostname
    import truststore

    assert isinstance(context, truststore.SSLContext)  # the system's certificate store, not OpenSSL's own paths
    pool = client.wire.connection_pool()
    assert (pool.scheme, pool.host, pool.port) == ("https", "api.pinterest.com", 443)
    assert pool.conn_kw["ssl_context"] is context and pool.proxy is None


def test_the_systems_https_proxy_is_used_with_its_credentials(monkeypatch):
    monkeypatch.setenv("https_proxy", "http://alice:s3cret@127.0.0.1:3128")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    pool = PinterestClient("pina_x").wire.connection_pool()
    assert (pool.host, pool.port) == ("api.pinterest.com", 443)  # a CONNECT tunnel to Pinterest
    assert (pool.proxy.host, pool.proxy.port) == ("127.0.0.1", 3128)
    import base64

    assert pool.proxy_headers["Proxy-Authorization"] == "Basic " + base64.b64encode(b"alice:s3cret").decode()


# ------------------------------------------------------------------------------------------------ basics
def test_user_account_and_request_counter(server):
    client = make_client(server)
    account = client.user_account()
    assert (account.username, account.account_type, account.is_business) == ("exampleblog", "BUSINESS", True)
    assert "Example Blog" in account.describe() and "business" in account.describe()
    assert client.requests == 1 and client.retries == 0
    sent = server.log[0]
    assert sent.headers["authorization"] == f"Bearer {server.token}"
    assert server.token not in sent.path and not sent.query


def test_pagination_follows_bookmarks(server):
    client = make_client(server)
    pages = list(client.pages("/pins", {"pin_metrics": True}, page_size=5))
    assert [len(p) for p in pages] == [5, 5, 2]
    assert [r.query.get("bookmark") is None for r in server.log] == [True, False, False]
    assert all(r.query["page_size"] == "5" and r.query["pin_metrics"] == "true" for r in server.log)


def test_repeated_bookmark_stops_instead_of_looping(server):
    client = make_client(server)
    server.add_fault("/boards", "status", times=1, status=200, body={"items": [{"id": "1"}], "bookmark": "same"})
    server.add_fault("/boards", "status", times=None, status=200,
                     body={"items": [{"id": "1"}, {"id": "2"}], "bookmark": "same"})
    pages = []
    with pytest.raises(api.PagingStopped) as info:
        for page in client.list_boards():
            pages.append(page)
    assert [[b["id"] for b in page] for page in pages] == [["1"], ["2"]]  # each board once
    assert client.requests == 2
    assert str(info.value) == ("Pinterest sent the same page of your boards twice; PinViewer stopped there and kept "
                               "the 2 it had.")


def test_a_page_with_nothing_new_stops_paging(server):
    client = make_client(server)
    server.add_fault("/boards", "status", times=None, status=200, body={"items": [], "bookmark": "more"})
    with pytest.raises(api.PagingStopped) as info:
        list(client.list_boards())
    assert client.requests == 1 and "nothing new on it" in str(info.value) and info.value.kept == 0


def test_endless_bookmarks_stop_at_a_page_limit_from_the_item_count(server):
    server.state.endless_pages = True
    client = make_client(server)
    got = []
    with pytest.raises(api.PagingStopped) as info:
        for page in client.list_pins(page_size=5, expected=12):  # 3 pages hold 12 Pins; 2 more are allowed
            got.extend(page)
    assert client.requests == 5 and len(got) == 25 and len({p["id"] for p in got}) == 25
    assert "more pages of your Pins than there can be (Pinterest says there are 12)" in str(info.value)
    server.clear()
    client = make_client(server)
    with pytest.raises(api.PagingStopped):
        for _ in client.list_boards(page_size=250):  # no count: the fixed ceiling
            pass
    assert client.requests == api.MAX_PAGES


def test_nulls_and_non_objects_in_a_list_are_left_out(server):
    client = make_client(server)
    server.add_fault("/boards", "status", status=200,
                     body={"items": [None, {"id": "5", "name": "Ok"}, "text", 7, {"id": None}, {"name": "no id"},
                                     {"id": {"x": 1}}], "bookmark": None})
    assert list(client.list_boards()) == [[{"id": "5", "name": "Ok"}]]


# ------------------------------------------------------------------------------------------------ retries
def test_429_with_retry_after_waits_as_told(server):
    client = make_client(server)
    server.add_fault("/user_account", "status", status=429, retry_after="0.3")
    started = time.monotonic()
    assert client.user_account().username == "exampleblog"
    waited = server.log[1].at - server.log[0].at
    assert 0.3 <= waited < 1.5, waited
    assert client.requests == 2 and client.retries == 1
    assert time.monotonic() - started < 2


def test_429_with_http_date_retry_after():
    now = time.time()
    from email.utils import formatdate

    assert 8 <= api.parse_retry_after(formatdate(now + 10, usegmt=True), now=now) <= 10
    assert api.parse_retry_after("nonsense") is None and api.parse_retry_after(None) is None
    assert api.parse_retry_after("-3") == 0.0


def test_429_without_retry_after_backs_off_exponentially(server):
    policy = RetryPolicy(base_delay=0.05, max_delay=1.0, jitter=0.0)
    client = make_client(server, retry=policy)
    server.add_fault("/user_account", "status", times=3, status=429)
    client.user_account()
    gaps = [b.at - a.at for a, b in zip(server.log, server.log[1:])]
    assert len(gaps) == 3
    # 0.1, 0.2, 0.4 s (429 starts one doubling later than 5xx)
    for gap, expected in zip(gaps, (0.1, 0.2, 0.4)):
        assert expected * 0.9 <= gap < expected + 0.3, gaps


def test_backoff_has_jitter_within_bounds():
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0, jitter=0.5)
    import random

    rng = random.Random(3)
    draws = [policy.backoff(2, rng) for _ in range(200)]
    assert all(2.0 <= d <= 4.0 for d in draws) and len(set(draws)) > 150
    assert all(4.0 <= policy.backoff(10, rng) <= 8.0 for _ in range(20))  # capped


def test_429_exhausted_is_a_sentence(server):
    client = make_client(server, retry=RetryPolicy(base_delay=0.001, rate_limit_retries=2))
    server.add_fault("/user_account", "status", times=None, status=429)
    with pytest.raises(api.RateLimited) as info:
        client.user_account()
    assert client.requests == 3
    assert "too many requests" in str(info.value) and "1,000" in str(info.value)


def test_long_retry_after_is_reported_not_waited(server):
    client = make_client(server)
    server.add_fault("/user_account", "status", status=429, retry_after="3600")
    started = time.monotonic()
    with pytest.raises(api.RateLimited) as info:
        client.user_account()
    assert time.monotonic() - started < 1
    assert "60 minutes" in str(info.value) and client.requests == 1


def test_spam_block_is_not_retried(server):
    client = make_client(server)
    server.add_fault("/user_account", "status", status=429,
                     body={"code": 8, "message": "Request blocked: suspected spam."})
    with pytest.raises(api.RateLimited) as info:
        client.user_account()
    assert client.requests == 1 and "spam" in str(info.value)


def test_a_429_pauses_the_other_requests_too(server):
    client = make_client(server, max_in_flight=4)
    server.add_fault("/pins/1012345678900000000/analytics", "status", status=429, retry_after="0.4")
    import datetime as dt

    day = server.today() - dt.timedelta(days=3)

    def first():
        client.pin_analytics("1012345678900000000", day, day, ["IMPRESSION"])

    thread = threading.Thread(target=first)
    thread.start()
    time.sleep(0.1)
    client.user_account()  # sent while the 429 wait is on: waits for the gate
    thread.join()
    user = server.requests_to("/user_account")[0]
    assert user.at - server.log[0].at >= 0.35


def test_5xx_is_retried_then_succeeds(server):
    client = make_client(server)
    server.add_fault("/user_account", "status", times=2, status=503)
    assert client.user_account().username == "exampleblog"
    assert client.requests == 3 and client.retries == 2


def test_5xx_exhausted_is_reported(server):
    client = make_client(server, retry=RetryPolicy(base_delay=0.001, server_retries=2))
    server.add_fault("/user_account", "status", times=None, status=500)
    with pytest.raises(api.ServerError) as info:
        client.user_account()
    assert client.requests == 3
    assert "error 500" in str(info.value) and "kept" in str(info.value)


def test_slow_answer_past_the_timeout_is_retried_then_reported(server):
    client = make_client(server, timeout=0.2, retry=RetryPolicy(base_delay=0.001, server_retries=1))
    server.add_fault("/user_account", "slow", times=None, delay=0.6)
    started = time.monotonic()
    with pytest.raises(api.ApiTimeout) as info:
        client.user_account()
    assert client.requests == 2
    assert time.monotonic() - started < 1.5
    assert "did not answer within 0.2 seconds" in str(info.value)


def test_slow_answer_once_then_fine(server):
    client = make_client(server, timeout=0.2)
    server.add_fault("/user_account", "slow", delay=0.5)
    assert client.user_account().username == "exampleblog"
    assert client.requests == 2


@pytest.mark.parametrize("kind", ["truncated", "badjson"])
def test_cut_off_or_malformed_json(server, kind):
    client = make_client(server, retry=RetryPolicy(base_delay=0.001, server_retries=1))
    server.add_fault("/boards", kind, times=None)
    with pytest.raises(api.BadResponse) as info:
        list(client.list_boards())
    assert client.requests == 2
    assert "could not read" in str(info.value)


def test_cut_off_once_is_retried(server):
    client = make_client(server)
    server.add_fault("/user_account", "truncated")
    assert client.user_account().username == "exampleblog"
    assert client.requests == 2


def test_dropped_connection_is_retried_then_reported(server):
    client = make_client(server, retry=RetryPolicy(base_delay=0.001, server_retries=1))
    server.add_fault("/user_account", "close", times=None)
    with pytest.raises(api.Offline) as info:
        client.user_account()
    assert "kept breaking off" in str(info.value) and client.requests == 2


def test_a_trickled_answer_is_cut_at_the_deadline_of_the_whole_request(server):
    # a byte every 0.1 s never trips a per-read timeout of 0.5 s; the request's deadline of 0.5 s cuts it
    client = make_client(server, timeout=0.5, retry=RetryPolicy(base_delay=0.001, server_retries=1))
    server.add_fault("/boards", "trickle", times=None, delay=0.1, size=200)
    started = time.monotonic()
    with pytest.raises(api.ApiTimeout) as info:
        list(client.list_boards())
    assert time.monotonic() - started < 3  # two tries of 0.5 s, not 2 x 25 s
    assert client.requests == 2 and "did not answer within 0.5 seconds" in str(info.value)


def test_a_trickled_head_is_cut_at_the_deadline_too(server):
    client = make_client(server, timeout=0.5, retry=RetryPolicy(base_delay=0.001, server_retries=0))
    server.add_fault("/user_account", "trickle_head", times=None, delay=0.1)
    started = time.monotonic()
    with pytest.raises(api.ApiTimeout):
        client.user_account()
    assert time.monotonic() - started < 2 and client.requests == 1


@pytest.mark.parametrize("declared", [True, False])
def test_a_huge_answer_is_refused_without_reading_it_whole(server, declared):
    client = make_client(server, max_reply_bytes=100_000)
    server.add_fault("/boards", "huge", times=None, size=3_000_000, declare_length=declared)
    with pytest.raises(api.ReplyTooLarge) as info:
        list(client.list_boards())
    assert client.requests == 1  # not retried: it would be as large again
    assert "larger than PinViewer accepts" in str(info.value)
    assert client.user_account().username == "exampleblog"  # the next request gets a clean connection


@pytest.mark.parametrize("body", [bytes(range(256)) * 4, b"<html><body>Bad gateway</body></html>",
                                  b'{"items": [' * 200_000, b'{"n": ' + b"9" * 5000 + b"}", b"\xff\xfe{}"])
def test_garbage_is_a_bad_answer_not_a_crash(server, body):
    client = make_client(server, retry=RetryPolicy(base_delay=0.001, server_retries=1))
    server.add_fault("/user_account", "body", times=None, data=body)
    with pytest.raises(api.BadResponse) as info:
        client.user_account()
    assert client.requests == 2 and "could not read" in str(info.value)


# ------------------------------------------------------------------------------------------------ POST
@pytest.mark.parametrize("fault", [dict(kind="status", status=503), dict(kind="status", status=429,
                                                                           retry_after="0"),
                                   dict(kind="slow", delay=1.0), dict(kind="close"), dict(kind="truncated")])
def test_the_token_exchange_is_never_sent_twice(server, fault):
    client = PinterestClient(None, base_url=server.base_url, retry=FAST, timeout=0.4)
    server.add_fault("/oauth/token", times=None, **fault)
    with pytest.raises(api.ApiError):
        client.oauth_token(server.state.app_id, server.state.app_secret,
                           {"grant_type": "authorization_code", "code": server.state.oauth_code,
                            "redirect_uri": "http://localhost:8085/"})
    assert len(server.requests_to("/oauth/token")) == 1 and client.requests == 1


def test_the_token_exchange_is_sent_again_when_no_connection_was_made(monkeypatch, server):
    client = PinterestClient(None, base_url=server.base_url, retry=FAST)
    import urllib3

    real = urllib3.connection.HTTPConnection.connect
    calls = []

    def flaky(self):
        calls.append(1)
        if len(calls) == 1:
            raise urllib3.exceptions.ConnectTimeoutError(self, "connect timed out")
        return real(self)

    monkeypatch.setattr(urllib3.connection.HTTPConnection, "connect", flaky)
    data = client.oauth_token(server.state.app_id, server.state.app_secret,
                              {"grant_type": "authorization_code", "code": server.state.oauth_code,
                               "redirect_uri": "http://localhost:8085/"})
    assert data["access_token"].startswith("pina_ISSUED_")
    assert client.requests == 2 and len(server.requests_to("/oauth/token")) == 1


# ------------------------------------------------------------------------------------------------ refusals
@pytest.mark.parametrize("token", ["pina_abc\U0001F600def", "pina_caf\u00e9", "pina abc", "pina_\u200babc"])
def test_a_token_with_an_emoji_is_a_sentence_and_is_not_sent(server, token):
    client = PinterestClient(token, base_url=server.base_url, retry=FAST)
    with pytest.raises(api.BadToken) as info:
        client.user_account()
    assert "characters a token never has" in str(info.value) and "Connect again" in str(info.value)
    assert not server.log and client.requests == 0


def test_a_token_echoed_back_by_the_server_is_hidden_whatever_its_shape(server, caplog):
    token = "plainTOKENwithoutAnyPrefix0123456789"
    server.state.valid_tokens.add(token)
    server.add_fault("/user_account", "status", status=400,
                     body={"code": 1, "message": f"Invalid parameters: token {token} is malformed"})
    client = PinterestClient(token, base_url=server.base_url, retry=FAST)
    with pytest.raises(api.RequestRejected) as info:
        client.user_account()
    assert token not in str(info.value) and "token [redacted] is malformed" in str(info.value)

def test_401_asks_to_reconnect(server):
    client = PinterestClient("pina_WRONG_TOKEN_123456", base_url=server.base_url, retry=FAST)
    with pytest.raises(api.AuthExpired) as info:
        client.user_account()
    assert str(info.value).startswith("Pinterest says your connection has expired or was revoked.")
    assert "Connect again" in str(info.value)
    assert client.requests == 1  # never retried


def test_401_tries_one_refresh(server):
    calls = []

    def renew():
        calls.append(1)
        return server.token

    client = PinterestClient("pina_OLD_TOKEN_123456", base_url=server.base_url, retry=FAST, refresh=renew)
    assert client.user_account().username == "exampleblog"
    assert calls == [1] and client.requests == 2
    assert server.log[1].headers["authorization"] == f"Bearer {server.token}"


def test_403_explains_the_permission(server):
    server.state.account_type = "PINNER"
    client = make_client(server)
    import datetime as dt

    day = server.today() - dt.timedelta(days=5)
    with pytest.raises(api.PermissionDenied) as info:
        client.account_analytics(day, day)
    text = str(info.value)
    assert "your account analytics" in text and "business account" in text
    assert "Not authorized to access the user account analytics." in text
    assert "user_accounts:read" in text and client.requests == 1


def test_400_is_a_rejection_with_pinterests_words(server):
    client = make_client(server)
    import datetime as dt

    too_old = server.today() - dt.timedelta(days=120)
    with pytest.raises(api.RequestRejected) as info:
        client.account_analytics(too_old, too_old)
    assert "90 days back" in str(info.value) and client.requests == 1


def test_404_is_not_found(server):
    client = make_client(server)
    import datetime as dt

    day = server.today() - dt.timedelta(days=3)
    with pytest.raises(api.NotFound):
        client.pin_analytics("999", day, day, ["IMPRESSION"])


def test_redirects_are_not_followed(server):
    client = make_client(server)
    server.add_fault("/user_account", "status", status=302, body={"location": "elsewhere"})
    with pytest.raises(api.BadResponse) as info:
        client.user_account()
    assert "redirect" in str(info.value) and len(server.log) == 1


def test_connection_refused_is_offline():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = PinterestClient("pina_x", base_url=f"http://127.0.0.1:{port}/v5", retry=FAST)
    with pytest.raises(api.Offline) as info:
        client.user_account()
    assert "connection was refused" in str(info.value)
    assert client.requests == 1


def test_dns_failure_is_offline(monkeypatch):
    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    client = PinterestClient("pina_x", base_url="http://localhost:9/v5", retry=FAST)
    with pytest.raises(api.Offline) as info:
        client.user_account()
    assert "seems to be offline" in str(info.value)
    assert "connection was refused" not in str(info.value)


def test_errors_are_pinviewer_errors():
    for name in ("AuthExpired", "PermissionDenied", "RateLimited", "ServerError", "ApiTimeout", "Offline",
                 "BadResponse", "CertificateError", "RequestRejected", "NotFound", "BadBaseUrl", "NotConnected"):
        assert issubclass(getattr(api, name), PinviewerError)


def test_no_token_means_not_connected(server):
    client = PinterestClient(None, base_url=server.base_url)
    with pytest.raises(api.NotConnected):
        client.user_account()
    assert not server.log


# ------------------------------------------------------------------------------------------------ limits
def test_requests_in_flight_are_bounded(server):
    server.state.latency = 0.05
    client = make_client(server, max_in_flight=3)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(lambda _: client.user_account(), range(12)))
    assert server.max_in_flight == 3
    assert client.requests == 12


def test_cancel_cuts_a_request_on_the_wire(server):
    client = make_client(server, timeout=30.0)
    server.add_fault("/user_account", "slow", times=None, delay=3.0)
    timer = threading.Timer(0.2, client.cancel)
    timer.start()
    started = time.monotonic()
    with pytest.raises(api.Stopped):
        client.user_account()
    assert time.monotonic() - started < 1.5 and client.requests == 1


def test_cancel_stops_waiting_requests(server):
    client = make_client(server, retry=RetryPolicy(base_delay=5.0))
    server.add_fault("/user_account", "status", times=None, status=500)
    timer = threading.Timer(0.2, client.cancel)
    timer.start()
    started = time.monotonic()
    with pytest.raises(api.Stopped):
        client.user_account()
    assert time.monotonic() - started < 1.5


def test_nothing_secret_is_logged(server, caplog):
    caplog.set_level(logging.DEBUG)
    client = make_client(server)
    server.add_fault("/user_account", "status", status=500)
    client.user_account()
    client.oauth_token(server.state.app_id, server.state.app_secret,
                       {"grant_type": "refresh_token", "refresh_token": server.state.refresh_token})
    text = caplog.text + repr(client)
    assert "/user_account" in text
    for secret in (server.token, server.state.app_secret, "Bearer", "Basic", "pinr_"):
        assert secret not in text


class _Answer(BaseHTTPRequestHandler):
    body = b"[1, 2, 3]"

    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


def test_json_that_is_not_an_object_is_a_bad_answer():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    try:
        client = PinterestClient("pina_x", base_url=f"http://127.0.0.1:{httpd.server_address[1]}/v5",
                                 retry=RetryPolicy(base_delay=0.001, server_retries=0))
        with pytest.raises(api.BadResponse):
            client.user_account()
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize("body", [b'{"message": ' + b"9" * 5000 + b"}", b"[" * 100_000, b"\xff\xfe",
                                  b'{"message": ["not", "text"], "code": true}',
                                  b'{"message": "bad\\u001b]0;pwned\\u0007 request"}'])
def test_an_error_answer_with_a_strange_body_is_still_a_sentence(body):
    class Refuse(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(400)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    try:
        client = PinterestClient("pina_x", base_url=f"http://127.0.0.1:{httpd.server_address[1]}/v5", retry=FAST)
        with pytest.raises(api.RequestRejected) as info:
            client.user_account()
        text = str(info.value)
        assert text.startswith("Pinterest did not accept PinViewer's request for your account (error 400).")
        assert "\x1b" not in text and "\x07" not in text and client.requests == 1
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_fake_server_stops_by_itself():
    with FakePinterest(n_pins=2, max_requests=2, lifetime=30) as limited:
        client = PinterestClient(limited.token, base_url=limited.base_url,
                                 retry=RetryPolicy(base_delay=0.001, server_retries=0))
        client.user_account()
        client.user_account()
        with pytest.raises(api.ServerError):  # a runaway client is refused after max_requests
            client.user_account()
    short = FakePinterest(n_pins=2, lifetime=0.2)
    short.thread.join(5)  # its lifetime ends it without close()
    assert not short.thread.is_alive()
    with pytest.raises(api.Offline):
        PinterestClient(short.token, base_url=short.base_url, retry=FAST).user_account()
    short.close()  # a second close is harmless
