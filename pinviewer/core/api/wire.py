"""The requests on the wire to one API host: what ``PinterestClient`` sends through, one request at a time.

``Wire`` owns the urllib3 connection pool (``transport.make_pool``: the system's certificates, the system's HTTPS
proxy), and for every request that leaves:

* at most ``max_in_flight`` travel at the same time, whichever thread sends them;
* each one is counted (``requests``, and ``retries`` among them: trial apps get 1,000 a day);
* ``wait_gate`` holds every thread while a 429 asked to pause (``pause_all``: one gate for all of them);
* ``cancel`` stops what waits (``Stopped``) and cuts what is on the wire, and the watchdog cuts a request at its
  deadline (``timeout`` for the whole request, not per read);
* the answer is read whole up to ``max_reply_bytes``, else refused.

``send`` returns the status, headers and body, or raises what the failure means in PinViewer's own sentences:
an ``ApiError`` (offline, certificate, too large), ``Transient`` (worth another try; ``sent`` says whether the
request may have reached the server, after which a POST is never sent again), or ``Stopped``. Whether and when
to try again is the client's decision. Nothing here logs a header, a query string or a body.
"""
from __future__ import annotations

import http.client
import logging
import socket
import ssl
import threading
import time
import urllib.parse
from typing import TYPE_CHECKING, Any

from pinviewer.core.api.errors import (
    ApiError,
    ApiTimeout,
    BadResponse,
    CertificateError,
    Offline,
    ReplyTooLarge,
    Stopped,
)
from pinviewer.core.api.transport import (
    MAX_REPLY_BYTES,
    READ_CHUNK,
    WATCHDOG,
    OnWire,
    chain,
    current,
    has,
    make_pool,
    tls_context,
)
from pinviewer.core.errors import PinviewerError

if TYPE_CHECKING:
    import urllib3

log = logging.getLogger(__name__)

__all__ = ["Wire", "Transient", "unreadable_answer", "timed_out", "too_large"]


class Transient(Exception):
    """An attempt failed in a way worth retrying; ``final`` is the error to raise when out of tries.
    ``sent``: the request may have reached the server (a POST is then never sent again)."""

    def __init__(self, final: ApiError, sent: bool = True):
        super().__init__(str(final))
        self.final = final
        self.sent = sent


# ------------------------------------------------------------------------------------------------ sentences
def unreadable_answer(rid: str | None = None) -> BadResponse:
    return BadResponse("Pinterest sent an answer PinViewer could not read (it was cut off or was not the "
                       "data it expects), several times. What was fetched so far is kept; try again later.",
                       rid=rid)


def timed_out(timeout: float) -> ApiTimeout:
    return ApiTimeout(f"Pinterest did not answer within {timeout:g} seconds, several times. "
                      "What was fetched so far is kept; try again later.")


def too_large(max_reply_bytes: int) -> ReplyTooLarge:
    megabytes = max_reply_bytes / (1024 * 1024)
    return ReplyTooLarge(f"Pinterest sent an answer larger than PinViewer accepts (over {megabytes:g} MB), "
                         "so it was not read. What was fetched so far is kept; try again later.")


# ------------------------------------------------------------------------------------------------ the wire
class Wire:
    """The connections to one API host (``base_url``: what ``transport.resolve_base_url`` allowed). Thread-safe."""

    def __init__(self, base_url: str, *, timeout: float, max_in_flight: int,
                 max_reply_bytes: int = MAX_REPLY_BYTES) -> None:
        self.timeout = timeout
        self.max_in_flight = max(1, int(max_in_flight))
        self.max_reply_bytes = max_reply_bytes
        self.stop_event = threading.Event()
        self.requests = 0  # requests sent, retries included
        self.retries = 0
        self._slots = threading.BoundedSemaphore(self.max_in_flight)
        self._lock = threading.Lock()
        self._pause_until = 0.0
        self._on_wire: set[OnWire] = set()
        parsed = urllib.parse.urlsplit(base_url)
        self._scheme, self._host = parsed.scheme, parsed.hostname or ""
        self._port = parsed.port or (443 if parsed.scheme == "https" else 80)
        # certificates (from the system store) and host name verified; None for a loopback test server
        self.ssl_context = tls_context() if self._scheme == "https" else None
        self._pool: urllib3.HTTPConnectionPool | None = None

    # ---------------------------------------------------------------- connections
    def connection_pool(self) -> urllib3.HTTPConnectionPool:
        """The urllib3 pool to the API host (made on first use)."""
        pool = self._pool
        if pool is not None:
            return pool
        with self._lock:
            if self._pool is None:
                self._pool = make_pool(self._scheme, self._host, self._port, maxsize=self.max_in_flight,
                                       ssl_context=self.ssl_context)
            return self._pool

    def close(self) -> None:
        """Close the kept-alive connections (they also close when the wire is garbage collected)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    # ---------------------------------------------------------------- control
    def cancel(self) -> None:
        """Stop: waiting requests raise Stopped, and requests on the wire are cut off (they raise Stopped too)."""
        self.stop_event.set()
        with self._lock:
            on_wire = list(self._on_wire)
        for request in on_wire:
            request.cut("cancel")

    def reset(self) -> None:
        self.stop_event.clear()

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``; Stopped as soon as the wire is cancelled."""
        if seconds > 0 and self.stop_event.wait(seconds):
            raise Stopped()

    def wait_gate(self) -> None:
        """Wait while a 429 paused every request (``pause_all``); Stopped once cancelled."""
        while True:
            if self.stop_event.is_set():
                raise Stopped()
            with self._lock:
                wait = self._pause_until - time.monotonic()
            if wait <= 0:
                return
            self.sleep(wait)

    def pause_all(self, seconds: float) -> None:
        """No thread sends anything for ``seconds`` from now (or longer, when an earlier pause lasts longer)."""
        with self._lock:
            self._pause_until = max(self._pause_until, time.monotonic() + seconds)

    def _count(self, retry: bool) -> None:
        with self._lock:
            self.requests += 1
            if retry:
                self.retries += 1

    # ---------------------------------------------------------------- one request
    def send(self, method: str, url: str, body: bytes | None, headers: dict[str, Any], *, path: str,
             retrying: bool) -> tuple[int, Any, bytes]:
        """Send one request (counted; ``retrying``: as a retry) and read its answer whole, within the deadline
        and the size cap. ``path`` names the request in the log, without its query."""
        pool = self.connection_pool()
        with self._slots:
            if self.stop_event.is_set():
                raise Stopped()
            self._count(retry=retrying)
            on_wire = OnWire(time.monotonic() + self.timeout)
            with self._lock:
                self._on_wire.add(on_wire)
            WATCHDOG.watch(on_wire)
            current.on_wire = on_wire
            try:
                return self._exchange(pool, on_wire, method, url, body, headers, path)
            finally:
                on_wire.finish()
                current.on_wire = None
                with self._lock:
                    self._on_wire.discard(on_wire)

    def _exchange(self, pool: urllib3.HTTPConnectionPool, on_wire: OnWire, method: str, url: str, body: bytes | None,
                  headers: dict[str, Any], path: str) -> tuple[int, Any, bytes]:
        import urllib3

        remaining = max(0.001, on_wire.deadline - time.monotonic())
        response: urllib3.BaseHTTPResponse | None = None
        try:
            response = pool.urlopen(method, url, body=body, headers=headers, retries=False, redirect=False,
                                    timeout=urllib3.Timeout(connect=remaining, read=remaining),
                                    preload_content=False, release_conn=False)
            status, answer_headers = response.status, response.headers
            payload = self._read_body(response, path)
        except BaseException as error:
            if response is not None:
                response.close()  # the connection is not used again
                response.release_conn()
            if not isinstance(error, Exception):
                raise
            failure = self._failure(error, on_wire, path)
            if failure is error:
                raise
            raise failure from None
        response.release_conn()
        return status, answer_headers, payload

    def _read_body(self, response: urllib3.BaseHTTPResponse, path: str) -> bytes:
        declared = response.headers.get("Content-Length")
        try:
            size = int(declared) if declared else None
        except ValueError:
            size = None
        if size is not None and size > self.max_reply_bytes:
            raise self._too_large(path)
        if size is not None and not response.headers.get("Content-Encoding"):  # the length is known: read it whole
            return response.read()
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = response.read(READ_CHUNK)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_reply_bytes:
                raise self._too_large(path)
            chunks.append(chunk)

    def _too_large(self, path: str) -> ReplyTooLarge:
        log.info("answer to %s over %d bytes: refused", path, self.max_reply_bytes)
        return too_large(self.max_reply_bytes)

    def _failure(self, error: Exception, on_wire: OnWire, path: str) -> Exception:
        """What a failed exchange means: an ApiError, a Transient to retry, Stopped; else the error itself."""
        from urllib3 import exceptions as u3

        if on_wire.cut_by == "cancel" or (self.stop_event.is_set() and not isinstance(error, PinviewerError)):
            return Stopped()
        if on_wire.cut_by == "deadline":
            return Transient(timed_out(self.timeout), sent=True)
        if isinstance(error, PinviewerError):
            return error
        causes = chain(error)
        if has(causes, u3.NameResolutionError, socket.gaierror):
            return Offline(f"PinViewer can't find {self._host}: this computer seems to be offline. Everything "
                           "already fetched is still there; sync again when you are back online.")
        if has(causes, ssl.SSLCertVerificationError, ssl.CertificateError):
            return CertificateError(
                "PinViewer could not verify that it is really talking to Pinterest (the security certificate "
                "did not check out), so it sent nothing. Check the computer's date and time, or a proxy or "
                "antivirus that inspects secure connections.")
        if has(causes, u3.ProxyError):
            return Offline("PinViewer can't reach Pinterest through the proxy set on this computer. Check the "
                           "proxy settings; everything already fetched is still there.")
        if has(causes, ConnectionRefusedError):
            return Offline("PinViewer can't connect to Pinterest: the connection was refused. Check your "
                           "internet connection, proxy or firewall; everything already fetched is still there.")
        if has(causes, u3.NewConnectionError):
            return Offline("PinViewer can't reach Pinterest right now. Check your internet connection; "
                           "everything already fetched is still there.")
        if has(causes, u3.ConnectTimeoutError):  # no connection: nothing was sent
            return Transient(timed_out(self.timeout), sent=False)
        if has(causes, u3.ReadTimeoutError, TimeoutError, socket.timeout):
            return Transient(timed_out(self.timeout), sent=True)
        if has(causes, http.client.IncompleteRead, u3.DecodeError):
            log.info("answer to %s cut off or undecodable", path)
            return Transient(unreadable_answer(), sent=True)
        if has(causes, u3.SSLError, ssl.SSLError, u3.ProtocolError, http.client.HTTPException,
                ConnectionError, OSError, u3.HTTPError):
            return Transient(Offline(
                "The connection to Pinterest kept breaking off. What was fetched so far is kept; check your "
                "internet connection and sync again."), sent=True)
        return error
