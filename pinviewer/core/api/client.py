"""Pinterest API v5 client: stdlib HTTP, bounded concurrency, timeouts, retries, plain-sentence errors.

* Only ``https://api.pinterest.com/v5`` with verified certificates; ``PINVIEWER_API_BASE`` may point at a
  loopback test server (``http://127.0.0.1:PORT/...`` or ``http://localhost:PORT/...``) and nothing else.
* At most ``max_in_flight`` requests travel at the same time, whichever thread sends them.
* 429: wait as ``Retry-After`` says when present, else exponential backoff with jitter; while one request
  waits for a 429, every other request waits too (one shared gate). 5xx, timeouts, cut-off answers and
  dropped connections are retried a few times, then reported. 401/403/offline are reported at once.
* Every request that leaves is counted (``requests``), retries included: trial apps get 1,000 a day.
* The token only ever travels in the Authorization header. Nothing here logs a header, a query string or
  a request body; redirects are refused so the header can never follow one to another host.
"""
from __future__ import annotations

import base64
import datetime as dt
import email.utils
import http.client
import json
import logging
import os
import random
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Callable, Iterator

from pinviewer.core.errors import Cancelled, PinviewerError

log = logging.getLogger(__name__)

DEFAULT_BASE = "https://api.pinterest.com/v5"
ENV_BASE = "PINVIEWER_API_BASE"
RECONNECT = "Connect again in File > Connect Pinterest (or with `pinviewer connect`)."
SCOPES_NEEDED = "user_accounts:read, pins:read and boards:read"


# ------------------------------------------------------------------------------------------------ errors
class ApiError(PinviewerError):
    """A problem talking to Pinterest, said in words. ``status`` is the HTTP status when there was one."""

    def __init__(self, message: str, *, status: int | None = None, code: int | None = None,
                 rid: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.rid = rid  # x-pinterest-rid, for a support request


class BadBaseUrl(ApiError):
    pass


class NotConnected(ApiError):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or ("PinViewer is not connected to Pinterest yet. Connect in File > Connect "
                                     "Pinterest (or with `pinviewer connect --token-stdin`)."))


class AuthExpired(ApiError):
    """401: the token is wrong, expired or revoked."""


class PermissionDenied(ApiError):
    """403: the token may not read this (scope), or the account is not a business account."""


class NotBusinessAccount(PermissionDenied):
    pass


class RateLimited(ApiError):
    """429 after the allowed waits, or a wait longer than PinViewer is willing to sit through."""


class ServerError(ApiError):
    """5xx after the allowed retries."""


class ApiTimeout(ApiError):
    pass


class Offline(ApiError):
    """No connection at all: the name does not resolve, the connection is refused or keeps breaking."""


class BadResponse(ApiError):
    """An answer that is not the JSON it should be (cut off, not JSON, a redirect)."""


class CertificateError(ApiError):
    pass


class RequestRejected(ApiError):
    """400 and other 4xx: Pinterest did not accept the request (usually PinViewer's fault)."""


class NotFound(RequestRejected):
    """404: the Pin or board is gone."""


class Stopped(Cancelled):
    """The sync was cancelled; raised in worker threads instead of sending another request."""

    def __init__(self) -> None:
        super().__init__("Stopped.")


# ------------------------------------------------------------------------------------------------ base URL
def _is_loopback(parsed: urllib.parse.SplitResult) -> bool:
    return parsed.scheme == "http" and parsed.hostname in ("127.0.0.1", "localhost")


def resolve_base_url(value: str | None = None) -> str:
    """The base URL (what stands before /user_account). ``PINVIEWER_API_BASE`` overrides the real one, but
    only with a loopback address, so a token can never be sent in clear text or to another host."""
    raw = value if value is not None else (os.environ.get(ENV_BASE) or DEFAULT_BASE)
    text = raw.strip().rstrip("/")
    if text == DEFAULT_BASE:
        return text
    try:
        parsed = urllib.parse.urlsplit(text)
        port = parsed.port
    except ValueError:
        parsed, port = None, None
    if (parsed is not None and _is_loopback(parsed) and port is not None and not parsed.username
            and not parsed.password and not parsed.query and not parsed.fragment):
        return text
    raise BadBaseUrl(
        f"{ENV_BASE} is set to an address PinViewer will not send your Pinterest token to. It accepts only "
        f"{DEFAULT_BASE}, or http://127.0.0.1:PORT/... or http://localhost:PORT/... for tests. "
        f"Unset {ENV_BASE} to use Pinterest.")


# ------------------------------------------------------------------------------------------------ retries
@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait and how often to try again. Tests shrink ``base_delay`` to milliseconds."""

    server_retries: int = 3  # 5xx, timeouts, cut-off answers, dropped connections: tries after the first
    rate_limit_retries: int = 5  # 429s waited out before giving up
    base_delay: float = 1.0  # seconds; doubles each time (5xx: 1, 2, 4; 429 without Retry-After: 2, 4, ... 32)
    max_delay: float = 60.0
    max_retry_after: float = 300.0  # a longer Retry-After is reported instead of waited
    jitter: float = 0.5  # the wait is drawn from [delay * (1 - jitter), delay]

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        delay = min(self.max_delay, self.base_delay * (2 ** attempt))
        low = delay * (1 - self.jitter)
        return (rng or random).uniform(low, delay)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent/unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


# ------------------------------------------------------------------------------------------------ account
@dataclass(frozen=True)
class Account:
    id: str
    username: str
    account_type: str  # BUSINESS or PINNER
    business_name: str | None = None
    pin_count: int | None = None  # created and saved Pins: a hint for progress, not a promise

    @classmethod
    def from_json(cls, data: dict) -> Account:
        pins = data.get("pin_count")
        return cls(id=str(data.get("id") or ""), username=str(data.get("username") or ""),
                   account_type=str(data.get("account_type") or "PINNER").upper(),
                   business_name=data.get("business_name") or None,
                   pin_count=pins if isinstance(pins, int) and not isinstance(pins, bool) else None)

    @property
    def is_business(self) -> bool:
        return self.account_type == "BUSINESS"

    @property
    def display_name(self) -> str:
        name = self.business_name or self.username or self.id
        return f"{name} (@{self.username})" if self.business_name and self.username else name

    @property
    def type_label(self) -> str:
        return "a business account" if self.is_business else "a personal account"

    def describe(self) -> str:
        return f"{self.display_name}, {self.type_label}"

    def not_business_sentence(self) -> str:
        return (f"{self.display_name} is a personal Pinterest account. Analytics need a business account: "
                "switch to a free business account in Pinterest's settings (Account management), then connect "
                "again.")


# ------------------------------------------------------------------------------------------------ client
def _encode_params(params: dict | None) -> str:
    if not params:
        return ""
    pairs = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        pairs.append((key, str(value)))
    return urllib.parse.urlencode(pairs)


class _Transient(Exception):
    """Internal: an attempt failed in a way worth retrying; ``final`` is the error to raise when out of tries."""

    def __init__(self, final: ApiError):
        super().__init__(str(final))
        self.final = final


class PinterestClient:
    """Talks to Pinterest API v5 with one token. Thread-safe: the sync calls it from a thread pool.

    ``refresh`` is an optional callable returning a new access token (OAuth); on a 401 it is tried once.
    """

    def __init__(self, token: str | None, *, base_url: str | None = None, timeout: float = 30.0,
                 max_in_flight: int = 4, retry: RetryPolicy | None = None,
                 refresh: Callable[[], str | None] | None = None, user_agent: str | None = None) -> None:
        self.base_url = resolve_base_url(base_url)
        self._token = token
        self.timeout = timeout
        self.max_in_flight = max(1, int(max_in_flight))
        self.retry = retry or RetryPolicy()
        self._refresh = refresh
        self._refreshed = False
        self._slots = threading.BoundedSemaphore(self.max_in_flight)
        self._lock = threading.Lock()
        self._pause_until = 0.0
        self.stop_event = threading.Event()
        self.requests = 0  # requests sent, retries included
        self.retries = 0
        self.rng = random.Random()
        parsed = urllib.parse.urlsplit(self.base_url)
        self._loopback = _is_loopback(parsed)
        self._scheme, self._host = parsed.scheme, parsed.hostname
        self._port = parsed.port or (443 if parsed.scheme == "https" else 80)
        self._prefix = parsed.path.rstrip("/")
        self.ssl_context = ssl.create_default_context()  # certificates and host name verified
        self._local = threading.local()  # one keep-alive connection per thread
        self._connections: list[http.client.HTTPConnection] = []
        if user_agent is None:
            from pinviewer import __version__

            user_agent = f"PinViewer/{__version__} (desktop; Python http.client)"
        self.user_agent = user_agent

    def __repr__(self) -> str:  # never show the token
        return f"PinterestClient(base_url={self.base_url!r}, requests={self.requests})"

    # ---------------------------------------------------------------- control
    # ---------------------------------------------------------------- connections
    def _new_connection(self) -> http.client.HTTPConnection:
        """A connection to the API host: plain HTTP only to loopback, else verified HTTPS, through the
        system's HTTPS proxy when one is set (CONNECT: the proxy sees no header). Redirects are never
        followed (http.client does not), so the Authorization header cannot travel to another host."""
        if self._scheme == "http":
            return http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)
        proxy = urllib.request.getproxies().get("https")
        if proxy and not urllib.request.proxy_bypass(self._host):
            parts = urllib.parse.urlsplit(proxy if "://" in proxy else "http://" + proxy)
            headers = {}
            if parts.username:
                pair = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
                headers["Proxy-Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
            connection = http.client.HTTPSConnection(parts.hostname, parts.port or 8080, timeout=self.timeout,
                                                     context=self.ssl_context)
            connection.set_tunnel(self._host, self._port, headers=headers)
            return connection
        return http.client.HTTPSConnection(self._host, self._port, timeout=self.timeout, context=self.ssl_context)

    def _connection(self, fresh: bool) -> tuple[http.client.HTTPConnection, bool]:
        """(connection, reused): this thread's kept-alive connection, or a new one."""
        connection = None if fresh else getattr(self._local, "connection", None)
        if connection is not None:
            return connection, True
        connection = self._new_connection()
        if not fresh:
            self._local.connection = connection
        with self._lock:
            self._connections.append(connection)
        return connection, False

    def _drop(self, connection: http.client.HTTPConnection) -> None:
        connection.close()
        if getattr(self._local, "connection", None) is connection:
            self._local.connection = None
        with self._lock:
            if connection in self._connections:
                self._connections.remove(connection)

    def close(self) -> None:
        """Close the kept-alive connections (they also close when the client is garbage collected)."""
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()

    def cancel(self) -> None:
        """Stop sending: waiting requests raise Stopped; requests already on the wire finish."""
        self.stop_event.set()

    def reset(self) -> None:
        self.stop_event.clear()

    def set_token(self, token: str) -> None:
        self._token = token

    def _sleep(self, seconds: float) -> None:
        if seconds > 0 and self.stop_event.wait(seconds):
            raise Stopped()

    def _count(self, retry: bool = False) -> None:
        with self._lock:
            self.requests += 1
            if retry:
                self.retries += 1

    def _wait_gate(self) -> None:
        while True:
            if self.stop_event.is_set():
                raise Stopped()
            with self._lock:
                wait = self._pause_until - time.monotonic()
            if wait <= 0:
                return
            self._sleep(wait)

    def _pause_all(self, seconds: float) -> None:
        with self._lock:
            self._pause_until = max(self._pause_until, time.monotonic() + seconds)

    # ---------------------------------------------------------------- requests
    def get(self, path: str, params: dict | None = None, *, what: str = "your Pinterest data") -> dict:
        return self.request("GET", path, params, what=what)

    def request(self, method: str, path: str, params: dict | None = None, *, form: dict | None = None,
                basic_auth: tuple[str, str] | None = None, what: str = "your Pinterest data") -> dict:
        """One API call with the retry policy; returns the JSON object Pinterest answered."""
        query = _encode_params(params)
        url = self._prefix + path + (("?" + query) if query else "")
        body = _encode_params(form).encode() if form is not None else None
        server_tries = rate_tries = 0
        refreshed_here = False
        while True:
            self._wait_gate()
            retrying = server_tries + rate_tries > 0 or refreshed_here
            try:
                return self._attempt(method, url, path, body, basic_auth, what, retrying)
            except _Transient as transient:
                if server_tries >= self.retry.server_retries:
                    raise transient.final from None
                delay = self.retry.backoff(server_tries, self.rng)
                server_tries += 1
                log.info("%s %s: %s; retry %d in %.2f s", method, path, type(transient.final).__name__,
                         server_tries, delay)
                self._sleep(delay)
            except RateLimited as limited:
                retry_after = getattr(limited, "retry_after", None)
                if getattr(limited, "no_retry", False) or rate_tries >= self.retry.rate_limit_retries:
                    raise
                if retry_after is not None and retry_after > self.retry.max_retry_after:
                    minutes = max(1, round(retry_after / 60))
                    raise RateLimited(
                        f"Pinterest asks PinViewer to wait about {minutes} minute{'s' if minutes != 1 else ''} "
                        "before asking again (too many requests). What was fetched so far is kept; sync again "
                        "later.", status=429, rid=limited.rid) from None
                if retry_after is not None:
                    delay = retry_after * self.rng.uniform(1.0, 1.1)
                else:
                    delay = self.retry.backoff(rate_tries + 1, self.rng)
                rate_tries += 1
                log.info("%s %s: rate limited; wait %.2f s (Retry-After %s)", method, path, delay,
                         "absent" if retry_after is None else f"{retry_after:g}")
                self._pause_all(delay)
            except AuthExpired:
                if self._refresh is None or refreshed_here or basic_auth is not None:
                    raise
                refreshed_here = True
                if not self._try_refresh():
                    raise

    def _try_refresh(self) -> bool:
        with self._lock:
            if self._refreshed:  # another thread refreshed already: use its token
                return True
            self._refreshed = True
        try:
            token = self._refresh() if self._refresh else None
        except PinviewerError as error:
            log.info("Token refresh failed: %s", type(error).__name__)
            return False
        if token:
            self._token = token
            return True
        return False

    def _headers(self, basic_auth: tuple[str, str] | None, has_body: bool) -> dict:
        headers = {"Accept": "application/json", "User-Agent": self.user_agent}
        if basic_auth is not None:
            pair = f"{basic_auth[0]}:{basic_auth[1]}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        else:
            if not self._token:
                raise NotConnected()
            headers["Authorization"] = "Bearer " + self._token
        if has_body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return headers

    def _attempt(self, method: str, url: str, path: str, body: bytes | None,
                 basic_auth: tuple[str, str] | None, what: str, retrying: bool) -> dict:
        headers = self._headers(basic_auth, body is not None)
        started = time.monotonic()
        with self._slots:
            if self.stop_event.is_set():
                raise Stopped()
            # a POST (the token endpoint) always gets a connection of its own: never resent by accident
            for _ in range(2):
                connection, reused = self._connection(fresh=method != "GET")
                self._count(retry=retrying)
                try:
                    connection.request(method, url, body=body, headers=headers)
                    response = connection.getresponse()
                    status, answer_headers = response.status, response.headers
                    payload = response.read()
                except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                    self._drop(connection)
                    if reused and method == "GET":  # the server closed an idle kept-alive connection
                        retrying = True
                        continue
                    raise self._network_error(error, path) from None
                except http.client.IncompleteRead as error:
                    self._drop(connection)
                    log.info("%s %s: answer cut off (%d bytes)", method, path, len(error.partial or b""))
                    raise _Transient(self._bad_json(path)) from None
                except (TimeoutError, socket.timeout):
                    self._drop(connection)
                    raise _Transient(self._timeout_error()) from None
                except (OSError, http.client.HTTPException) as error:
                    self._drop(connection)
                    raise self._network_error(error, path) from None
                if response.will_close or method != "GET":
                    self._drop(connection)
                break
        elapsed = time.monotonic() - started
        rid = answer_headers.get("x-pinterest-rid")
        log.info("%s %s -> %s in %.2f s%s", method, path, status, elapsed, f" (rid {rid})" if rid else "")
        if 200 <= status < 300:
            try:
                data = json.loads(payload.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise _Transient(self._bad_json(path, rid)) from None
            if not isinstance(data, dict):
                raise _Transient(self._bad_json(path, rid))
            return data
        return self._http_error(status, answer_headers, payload, rid, what)

    # ---------------------------------------------------------------- error sentences
    def _bad_json(self, path: str, rid: str | None = None) -> BadResponse:
        return BadResponse("Pinterest sent an answer PinViewer could not read (it was cut off or was not the "
                           "data it expects), several times. What was fetched so far is kept; try again later.",
                           rid=rid)

    def _timeout_error(self) -> ApiTimeout:
        return ApiTimeout(f"Pinterest did not answer within {self.timeout:g} seconds, several times. "
                          "What was fetched so far is kept; try again later.")

    def _network_error(self, reason, path: str) -> ApiError:
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return _Transient(self._timeout_error())  # type: ignore[return-value]
        if isinstance(reason, ssl.SSLCertVerificationError):
            return CertificateError(
                "PinViewer could not verify that it is really talking to Pinterest (the security certificate "
                "did not check out), so it sent nothing. Check the computer's date and time, or a proxy or "
                "antivirus that inspects secure connections.")
        if isinstance(reason, socket.gaierror):
            host = urllib.parse.urlsplit(self.base_url).hostname
            return Offline(f"PinViewer can't find {host}: this computer seems to be offline. Everything "
                           "already fetched is still there; sync again when you are back online.")
        if isinstance(reason, ConnectionRefusedError):
            return Offline("PinViewer can't connect to Pinterest: the connection was refused. Check your "
                           "internet connection, proxy or firewall; everything already fetched is still there.")
        if isinstance(reason, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError,
                               http.client.HTTPException, ssl.SSLError)):
            return _Transient(Offline(  # type: ignore[return-value]
                "The connection to Pinterest kept breaking off. What was fetched so far is kept; check your "
                "internet connection and sync again."))
        return Offline("PinViewer can't reach Pinterest right now. Check your internet connection; everything "
                       "already fetched is still there.")

    def _http_error(self, status: int, headers, payload: bytes, rid: str | None, what: str) -> dict:
        message, detail, code = "", "", None
        try:
            data = json.loads(payload.decode("utf-8")) if payload else {}
            if isinstance(data, dict):
                message = str(data.get("message") or data.get("message_detail") or "")
                detail = f"{data.get('message_detail') or ''} {message}".lower()
                code = data.get("code") if isinstance(data.get("code"), int) else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            pass
        from pinviewer.logs import redact

        message = redact(message.strip())[:300]
        said = f' Pinterest says: "{message}"' if message else ""
        if status == 401:
            raise AuthExpired(f"Pinterest says your connection has expired or was revoked. {RECONNECT}",
                              status=status, code=code, rid=rid)
        if status == 403:
            raise PermissionDenied(
                f"Pinterest did not allow PinViewer to read {what}.{said} Analytics need a Pinterest business "
                f"account, and the connection must allow reading {SCOPES_NEEDED}. {RECONNECT}",
                status=status, code=code, rid=rid)
        if status == 429:
            error = RateLimited("Pinterest says PinViewer made too many requests. What was fetched so far is "
                                "kept; sync again in an hour or so (trial apps may make 1,000 requests a day).",
                                status=status, code=code, rid=rid)
            error.retry_after = parse_retry_after(headers.get("Retry-After") if headers is not None else None)
            if "spam" in detail:
                error.no_retry = True
                error.args = ("Pinterest blocked these requests as suspected spam. Wait a day before syncing "
                              "again; what was fetched so far is kept.",)
            raise error
        if 500 <= status < 600:
            raise _Transient(ServerError(
                f"Pinterest's servers had a problem (error {status}) several times in a row. What was fetched "
                "so far is kept; try again later.", status=status, code=code, rid=rid))
        if 300 <= status < 400:
            raise BadResponse("Pinterest answered with a redirect, which PinViewer does not follow with your "
                              "token. Try again later.", status=status, rid=rid)
        if status == 404:
            raise NotFound(f"Pinterest could not find {what}.{said}", status=status, code=code, rid=rid)
        raise RequestRejected(f"Pinterest did not accept PinViewer's request for {what} (error {status}).{said}",
                              status=status, code=code, rid=rid)

    # ---------------------------------------------------------------- endpoints
    def user_account(self) -> Account:
        return Account.from_json(self.get("/user_account", what="your account"))

    def account_analytics(self, start: dt.date, end: dt.date, **params) -> dict:
        return self.get("/user_account/analytics", {"start_date": start, "end_date": end, **params},
                        what="your account analytics")

    def top_pins(self, start: dt.date, end: dt.date, sort_by: str, num_of_pins: int = 50, **params) -> dict:
        return self.get("/user_account/analytics/top_pins",
                        {"start_date": start, "end_date": end, "sort_by": sort_by, "num_of_pins": num_of_pins,
                         **params}, what="your top Pins")

    def pin_analytics(self, pin_id: str, start: dt.date, end: dt.date, metric_types: list[str],
                      **params) -> dict:
        return self.get(f"/pins/{urllib.parse.quote(str(pin_id), safe='')}/analytics",
                        {"start_date": start, "end_date": end, "metric_types": metric_types, **params},
                        what=f"the analytics of Pin {pin_id}")

    def pages(self, path: str, params: dict | None = None, *, page_size: int = 250,
              what: str = "your Pinterest data") -> Iterator[list[dict]]:
        """Bookmark pagination: yields each page's items until the bookmark is empty."""
        params = dict(params or {})
        params["page_size"] = page_size
        seen: set[str] = set()
        while True:
            data = self.get(path, params, what=what)
            items = data.get("items")
            if not isinstance(items, list):
                raise BadResponse("Pinterest sent a list PinViewer could not read. Try again later.")
            yield items
            bookmark = data.get("bookmark")
            if not bookmark or bookmark in seen:
                return
            seen.add(bookmark)
            params["bookmark"] = bookmark

    def list_pins(self, page_size: int = 250, pin_metrics: bool = True) -> Iterator[list[dict]]:
        return self.pages("/pins", {"pin_metrics": pin_metrics}, page_size=page_size, what="your Pins")

    def list_boards(self, page_size: int = 250) -> Iterator[list[dict]]:
        return self.pages("/boards", None, page_size=page_size, what="your boards")

    def oauth_token(self, app_id: str, app_secret: str, form: dict) -> dict:
        """POST /oauth/token with HTTP Basic auth (app id : app secret)."""
        return self.request("POST", "/oauth/token", form=form, basic_auth=(app_id, app_secret),
                            what="a new access token")
