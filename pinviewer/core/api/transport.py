"""The wire under the Pinterest client: urllib3 connection pools with the system's certificate store
(truststore), the system's HTTPS proxy, and one watchdog thread that holds every request to an overall deadline.

urllib3's own timeouts apply to each read, so a server that trickles a byte every few seconds would never time
out; the watchdog cuts such a request at its deadline (and Cancel cuts every request on the wire) by shutting
down the socket its connection uses. ``make_pool`` marks the connections so the watchdog can find them.
"""
from __future__ import annotations

import base64
import datetime as dt
import email.utils
import heapq
import os
import random
import itertools
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pinviewer.core.api.errors import BadBaseUrl

if TYPE_CHECKING:
    import urllib3

DEFAULT_BASE = "https://api.pinterest.com/v5"
ENV_BASE = "PINVIEWER_API_BASE"


def is_loopback(parsed: urllib.parse.SplitResult) -> bool:
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
    if (parsed is not None and is_loopback(parsed) and port is not None and not parsed.username
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
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))



MAX_REPLY_BYTES = 16 * 1024 * 1024  # the largest answer PinViewer reads (a page of 250 Pins is ~0.5 MB)
READ_CHUNK = 64 * 1024


def tls_context() -> ssl.SSLContext:
    """Verified TLS against the operating system's certificate store (truststore): the Keychain on macOS, the
    Windows certificate store, and on Linux the system's CA bundle wherever the distribution keeps it, not only
    where the OpenSSL in a frozen bundle was built to look. Host names are checked."""
    import truststore

    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def https_proxy(host: str) -> tuple[str, dict[str, str]] | None:
    """The system's HTTPS proxy for ``host`` (URL without credentials, Proxy-Authorization header), or None."""
    proxy = urllib.request.getproxies().get("https")
    if not proxy or urllib.request.proxy_bypass(host):
        return None
    parts = urllib.parse.urlsplit(proxy if "://" in proxy else "http://" + proxy)
    headers = {}
    if parts.username:
        pair = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
        headers["Proxy-Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    scheme = parts.scheme if parts.scheme in ("http", "https") else "http"
    return f"{scheme}://{parts.hostname}:{parts.port or 8080}", headers


class OnWire:
    """One request on the wire: the connection carrying it, and whether it was cut (deadline or Cancel)."""

    __slots__ = ("deadline", "connection", "cut_by", "done", "lock")

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.connection: object = None
        self.cut_by: str | None = None  # "deadline" or "cancel"
        self.done = False
        self.lock = threading.Lock()

    def attach(self, connection: object) -> None:
        with self.lock:
            self.connection = connection
            cut = self.cut_by is not None
        if cut:
            _shut(connection)

    def cut(self, why: str) -> None:
        with self.lock:
            if self.done or self.cut_by is not None:
                return
            self.cut_by = why
            connection = self.connection
        if connection is not None:
            _shut(connection)

    def finish(self) -> None:
        with self.lock:
            self.done = True


def _shut(connection: object) -> None:
    """Unblock a thread reading from this connection: shut its socket down (the plain socket's call, so a TLS
    socket's state is not touched from this thread); the reader then fails and drops the connection."""
    sock = getattr(connection, "sock", None)
    if sock is not None:
        try:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass


current = threading.local()  # the OnWire of the request this thread is sending


def _tracked(base: type) -> type:
    """``base`` (a urllib3 connection class) telling the request on the wire which connection carries it."""

    class Tracked(base):  # type: ignore[misc]  # a base class chosen at run time: mypy cannot check it
        def connect(self) -> None:
            on_wire = getattr(current, "on_wire", None)
            if on_wire is not None:
                on_wire.attach(self)
            super().connect()
            if on_wire is not None:
                on_wire.attach(self)  # the socket exists now: cut at once if the deadline passed meanwhile

        def request(self, *args: Any, **kwargs: Any) -> Any:
            on_wire = getattr(current, "on_wire", None)
            if on_wire is not None:
                on_wire.attach(self)
            return super().request(*args, **kwargs)

    Tracked.__name__ = Tracked.__qualname__ = "Tracked" + base.__name__
    return Tracked


class _Watchdog:
    """One thread for the process that cuts requests past their deadline (urllib3's timeouts are per read)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, OnWire]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, on_wire: OnWire) -> None:
        with self._cond:
            heapq.heappush(self._heap, (on_wire.deadline, next(self._order), on_wire))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="pinviewer-http-deadline", daemon=True)
                self._thread.start()
            if self._heap[0][2] is on_wire:  # earlier than what the thread waits for
                self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    while self._heap and self._heap[0][2].done:
                        heapq.heappop(self._heap)
                    if not self._heap:
                        self._cond.wait()
                        continue
                    wait = self._heap[0][0] - time.monotonic()
                    if wait <= 0:
                        on_wire = heapq.heappop(self._heap)[2]
                        break
                    self._cond.wait(wait)
            on_wire.cut("deadline")


WATCHDOG = _Watchdog()


def make_pool(scheme: str, host: str, port: int, *, maxsize: int = 4, ssl_context: ssl.SSLContext | None = None,
              use_proxy: bool = True) -> urllib3.HTTPConnectionPool:
    """A urllib3 connection pool to one host: plain HTTP (loopback only: the caller checked), else verified
    HTTPS, through the system's HTTPS proxy when one is set (CONNECT: the proxy sees no header). urllib3's
    retries and redirects are off: the client decides."""
    import urllib3

    pool: urllib3.HTTPConnectionPool
    if scheme == "http":
        pool = urllib3.HTTPConnectionPool(host, port, maxsize=maxsize, block=False, retries=False)
    else:
        context = ssl_context if ssl_context is not None else tls_context()
        proxy = https_proxy(host) if use_proxy else None
        if proxy is not None:
            manager = urllib3.ProxyManager(proxy[0], num_pools=1, maxsize=maxsize, block=False,
                                           proxy_headers=proxy[1], ssl_context=context, retries=False)
            pool = manager.connection_from_host(host, port, "https")
        else:
            pool = urllib3.HTTPSConnectionPool(host, port, maxsize=maxsize, block=False, retries=False,
                                               ssl_context=context)
    pool.ConnectionCls = _tracked(pool.ConnectionCls)
    return pool


def chain(error: BaseException) -> list[BaseException]:
    """The error and what caused it (urllib3 wraps the socket's and ssl's errors)."""
    out: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and len(out) < 10 and current not in out:
        out.append(current)
        current = (current.__cause__ or current.__context__
                   or next((a for a in current.args if isinstance(a, BaseException)), None))
    return out


def has(chain: list[BaseException], *kinds: type) -> bool:
    return any(isinstance(e, kinds) for e in chain)
