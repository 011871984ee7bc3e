"""Pinterest API v5 client: the endpoints PinViewer reads, bounded paging, and PinViewer's own retries and
plain-sentence errors, over ``wire.Wire`` (urllib3 with the system's certificate store, bounded in time, size and
concurrency).

* Only ``https://api.pinterest.com/v5``, with certificates checked against the operating system's store
  (``truststore``: the Keychain on macOS, the Windows store, the distribution's CA bundle on Linux wherever it
  keeps it, Debian's ``/etc/ssl/certs`` as well as Fedora's ``/etc/pki/tls``). ``PINVIEWER_API_BASE`` may point
  at a loopback test server (``http://127.0.0.1:PORT/...`` or ``http://localhost:PORT/...``) and nothing else.
* urllib3 carries the requests (kept-alive connections, the system's HTTPS proxy through CONNECT) with its own
  retries and redirects turned off: PinViewer decides what is tried again, so that every request that leaves is
  counted (``requests``, retries included: trial apps get 1,000 a day), a 429 pauses every thread (one shared
  gate), Cancel cuts requests on the wire, and a POST (the one-time OAuth code exchange) is never sent again
  once it may have reached Pinterest.
* At most ``max_in_flight`` requests travel at the same time, whichever thread sends them.
* ``timeout`` is a deadline for the whole request (connecting, the answer's head and its body), not per read: a
  server that trickles a byte every few seconds is cut off. An answer over ``max_reply_bytes`` is refused.
* 429: wait as ``Retry-After`` says when present, else exponential backoff with jitter. 5xx, timeouts, cut-off
  answers and dropped connections are retried a few times (GET only), then reported. 401/403/offline are
  reported at once.
* The token only ever travels in the Authorization header. Nothing here logs a header, a query string or a
  request body; redirects are refused so the header can never follow one to another host.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import random
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pinviewer.core.api.account import Account, count_or_none, ident, text_or_none  # noqa: F401 (re-exported)
from pinviewer.core.api.errors import (  # noqa: F401 (re-exported: callers import them from the client)
    RECONNECT,
    SCOPES_NEEDED,
    ApiError,
    ApiTimeout,
    AuthExpired,
    BadBaseUrl,
    BadResponse,
    BadToken,
    CertificateError,
    NotBusinessAccount,
    NotConnected,
    NotFound,
    Offline,
    PagingStopped,
    PermissionDenied,
    RateLimited,
    ReplyTooLarge,
    RequestRejected,
    ServerError,
    Stopped,
    http_error,
)
from pinviewer.core.api.transport import (  # noqa: F401 (the base URL rule and the policy are re-exported)
    DEFAULT_BASE,
    ENV_BASE,
    MAX_REPLY_BYTES,
    RetryPolicy,
    parse_retry_after,
    resolve_base_url,
)
from pinviewer.core.api.wire import Transient, Wire, unreadable_answer
from pinviewer.core.errors import PinviewerError

log = logging.getLogger(__name__)

# What callers import from the client, its own names and those it re-exports (mypy's no-implicit-reexport).
__all__ = [
    "PinterestClient", "token_problem", "MAX_BOOKMARK", "MAX_PAGES", "PAGE_SLACK",
    "Account", "count_or_none", "ident", "text_or_none",
    "RECONNECT", "SCOPES_NEEDED", "ApiError", "ApiTimeout", "AuthExpired", "BadBaseUrl", "BadResponse", "BadToken",
    "CertificateError", "NotBusinessAccount", "NotConnected", "NotFound", "Offline", "PagingStopped",
    "PermissionDenied", "RateLimited", "ReplyTooLarge", "RequestRejected", "ServerError", "Stopped", "http_error",
    "DEFAULT_BASE", "ENV_BASE", "MAX_REPLY_BYTES", "RetryPolicy", "parse_retry_after", "resolve_base_url",
]


# ------------------------------------------------------------------------------------------------ client
def _encode_params(params: dict[str, Any] | None) -> str:
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


MAX_BOOKMARK = 4096  # characters: a longer page marker would not fit in a request line
MAX_PAGES = 400  # 100,000 Pins at 250 a page: no list PinViewer reads is longer
PAGE_SLACK = 2  # pages beyond what the item count Pinterest gives says (counts lag behind)


def token_problem(token: str | None) -> bool:
    """True when ``token`` cannot be a Pinterest token: empty, or characters outside printable ASCII."""
    return not token or not token.isascii() or not token.isprintable() or any(c.isspace() for c in token)


# ------------------------------------------------------------------------------------------------ client
class PinterestClient:
    """Talks to Pinterest API v5 with one token. Thread-safe: the sync calls it from a thread pool.

    ``refresh`` is an optional callable returning a new access token (OAuth); on a 401 it is tried once.
    ``timeout`` bounds each request as a whole (seconds); ``max_reply_bytes`` the size of each answer.
    """

    def __init__(self, token: str | None, *, base_url: str | None = None, timeout: float = 30.0,
                 max_in_flight: int = 4, retry: RetryPolicy | None = None,
                 refresh: Callable[[], str | None] | None = None, user_agent: str | None = None,
                 max_reply_bytes: int = MAX_REPLY_BYTES) -> None:
        from pinviewer.logs import hide

        self.base_url = resolve_base_url(base_url)
        self._token = token
        self._checked_token: str | None = None
        hide(token)
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._refresh = refresh
        self._refreshed = False
        self._lock = threading.Lock()
        self.rng = random.Random()
        # the connections, the in-flight limit, the 429 gate, the counts and Cancel
        self.wire = Wire(self.base_url, timeout=timeout, max_in_flight=max_in_flight,
                         max_reply_bytes=max_reply_bytes)
        self.max_in_flight = self.wire.max_in_flight
        self._prefix = urllib.parse.urlsplit(self.base_url).path.rstrip("/")
        if user_agent is None:
            from pinviewer import __version__

            user_agent = f"PinViewer/{__version__} (desktop; urllib3)"
        self.user_agent = user_agent

    def __repr__(self) -> str:  # never show the token
        return f"PinterestClient(base_url={self.base_url!r}, requests={self.requests})"

    @property
    def requests(self) -> int:
        """Requests sent, retries included."""
        return self.wire.requests

    @property
    def retries(self) -> int:
        return self.wire.retries

    # ---------------------------------------------------------------- control
    def close(self) -> None:
        """Close the kept-alive connections (they also close when the client is garbage collected)."""
        self.wire.close()

    def cancel(self) -> None:
        """Stop: waiting requests raise Stopped, and requests on the wire are cut off (they raise Stopped too)."""
        self.wire.cancel()

    def reset(self) -> None:
        self.wire.reset()

    def set_token(self, token: str) -> None:
        from pinviewer.logs import hide

        hide(token)
        self._token = token

    # ---------------------------------------------------------------- requests
    def get(self, path: str, params: dict[str, Any] | None = None, *,
            what: str = "your Pinterest data") -> dict[str, Any]:
        return self.request("GET", path, params, what=what)

    def request(self, method: str, path: str, params: dict[str, Any] | None = None, *,
                form: dict[str, Any] | None = None,
                basic_auth: tuple[str, str] | None = None, what: str = "your Pinterest data") -> dict[str, Any]:
        """One API call with the retry policy; returns the JSON object Pinterest answered.

        Only a GET is tried again after it may have reached Pinterest; any other method is sent again only when
        the connection could not be made at all."""
        if basic_auth is None:
            if not self._token:
                raise NotConnected()
            if self._checked_token is not self._token:  # checked once per token, not per request
                if token_problem(self._token):
                    raise BadToken()
                self._checked_token = self._token
        query = _encode_params(params)
        url = self._prefix + path + (("?" + query) if query else "")
        body = _encode_params(form).encode() if form is not None else None
        idempotent = method == "GET"
        server_tries = rate_tries = 0
        refreshed_here = False
        while True:
            self.wire.wait_gate()
            retrying = server_tries + rate_tries > 0 or refreshed_here
            try:
                return self._attempt(method, url, path, body, basic_auth, what, retrying)
            except Transient as transient:
                if (transient.sent and not idempotent) or server_tries >= self.retry.server_retries:
                    raise transient.final from None
                delay = self.retry.backoff(server_tries, self.rng)
                server_tries += 1
                log.info("%s %s: %s; retry %d in %.2f s", method, path, type(transient.final).__name__,
                         server_tries, delay)
                self.wire.sleep(delay)
            except RateLimited as limited:
                retry_after = getattr(limited, "retry_after", None)
                if (not idempotent or getattr(limited, "no_retry", False)
                        or rate_tries >= self.retry.rate_limit_retries):
                    raise
                delay = self._rate_limit_delay(limited, retry_after, rate_tries)
                rate_tries += 1
                log.info("%s %s: rate limited; wait %.2f s (Retry-After %s)", method, path, delay,
                         "absent" if retry_after is None else f"{retry_after:g}")
                self.wire.pause_all(delay)
            except AuthExpired as expired:
                if (isinstance(expired, BadToken) or self._refresh is None or refreshed_here
                        or basic_auth is not None):
                    raise
                refreshed_here = True
                if not self._try_refresh():
                    raise

    def _rate_limit_delay(self, limited: RateLimited, retry_after: float | None, rate_tries: int) -> float:
        """How long every request waits after this 429; RateLimited when Pinterest asks for too long a wait."""
        if retry_after is not None and retry_after > self.retry.max_retry_after:
            minutes = max(1, round(retry_after / 60))
            raise RateLimited(
                f"Pinterest asks PinViewer to wait about {minutes} minute{'s' if minutes != 1 else ''} "
                "before asking again (too many requests). What was fetched so far is kept; sync again "
                "later.", status=429, rid=limited.rid) from None
        if retry_after is not None:
            return retry_after * self.rng.uniform(1.0, 1.1)
        return self.retry.backoff(rate_tries + 1, self.rng)

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
            self.set_token(token)
            return True
        return False

    def _headers(self, basic_auth: tuple[str, str] | None, has_body: bool) -> dict[str, Any]:
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
                 basic_auth: tuple[str, str] | None, what: str, retrying: bool) -> dict[str, Any]:
        """One try: the request on the wire, then its answer as JSON, or the error its status means."""
        headers = self._headers(basic_auth, body is not None)
        started = time.monotonic()
        status, answer_headers, payload = self.wire.send(method, url, body, headers, path=path, retrying=retrying)
        elapsed = time.monotonic() - started
        rid = answer_headers.get("x-pinterest-rid")
        log.info("%s %s -> %s in %.2f s%s", method, path, status, elapsed, f" (rid {rid})" if rid else "")
        if 200 <= status < 300:
            try:
                data = json.loads(payload.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):  # ValueError: JSON, or a 5,000-digit number
                raise Transient(unreadable_answer(rid)) from None
            if not isinstance(data, dict):
                raise Transient(unreadable_answer(rid))
            return data
        return self._http_error(status, answer_headers, payload, rid, what)

    def _http_error(self, status: int, headers: Mapping[str, str] | None, payload: bytes, rid: str | None,
                    what: str) -> dict[str, Any]:
        retry_after = parse_retry_after(headers.get("Retry-After") if headers is not None else None)
        error = http_error(status, payload, rid, what, retry_after)
        if isinstance(error, ServerError):
            raise Transient(error)
        raise error

    # ---------------------------------------------------------------- endpoints
    def user_account(self) -> Account:
        return Account.from_json(self.get("/user_account", what="your account"))

    def account_analytics(self, start: dt.date, end: dt.date, **params: Any) -> dict[str, Any]:
        return self.get("/user_account/analytics", {"start_date": start, "end_date": end, **params},
                        what="your account analytics")

    def top_pins(self, start: dt.date, end: dt.date, sort_by: str, num_of_pins: int = 50,
                 **params: Any) -> dict[str, Any]:
        return self.get("/user_account/analytics/top_pins",
                        {"start_date": start, "end_date": end, "sort_by": sort_by, "num_of_pins": num_of_pins,
                         **params}, what="your top Pins")

    def pin_analytics(self, pin_id: str, start: dt.date, end: dt.date, metric_types: list[str],
                      **params: Any) -> dict[str, Any]:
        return self.get(f"/pins/{urllib.parse.quote(str(pin_id), safe='')}/analytics",
                        {"start_date": start, "end_date": end, "metric_types": metric_types, **params},
                        what=f"the analytics of Pin {pin_id}")

    def pages(self, path: str, params: dict[str, Any] | None = None, *, page_size: int = 250,
              what: str = "your Pinterest data", expected: int | None = None,
              max_pages: int | None = None) -> Iterator[list[dict[str, Any]]]:
        """Bookmark pagination: yields each page's new items (objects with an id not seen on an earlier page)
        until the bookmark is empty. Bounded: paging stops with PagingStopped (after the pages already
        yielded) when a bookmark comes back, a page brings nothing new, or past ``max_pages`` (from
        ``expected``, the number of items Pinterest says there are, else MAX_PAGES)."""
        params = dict(params or {})
        params["page_size"] = page_size
        if max_pages is None:
            max_pages = MAX_PAGES if expected is None else min(MAX_PAGES, -(-expected // page_size) + PAGE_SLACK)
        seen_marks: set[str] = set()
        seen_ids: set[str] = set()
        kept = pages = 0
        while True:
            data = self.get(path, params, what=what)
            items = data.get("items")
            if not isinstance(items, list):
                raise BadResponse("Pinterest sent a list PinViewer could not read. Try again later.")
            pages += 1
            fresh = []
            for item in items:
                key = ident(item.get("id")) if isinstance(item, dict) else None
                if key is not None and key not in seen_ids:
                    seen_ids.add(key)
                    fresh.append(item)
            if len(fresh) < len(items):
                log.info("GET %s: page %d had %d items, %d new", path, pages, len(items), len(fresh))
            if fresh:
                kept += len(fresh)
                yield fresh
            bookmark = data.get("bookmark")
            if bookmark is None or bookmark == "":
                return
            said = f"; PinViewer stopped there and kept the {kept:,} it had"
            if not isinstance(bookmark, str) or len(bookmark) > MAX_BOOKMARK:
                raise PagingStopped(f"Pinterest marked the next page of {what} in a way PinViewer can't use{said}.",
                                    kept)
            if not fresh:
                raise PagingStopped(f"Pinterest sent a page of {what} with nothing new on it{said}.", kept)
            if bookmark in seen_marks:
                raise PagingStopped(f"Pinterest sent the same page of {what} twice{said}.", kept)
            if pages >= max_pages:
                count = f" (Pinterest says there are {expected:,})" if expected is not None else ""
                raise PagingStopped(f"Pinterest kept sending more pages of {what} than there can be{count}; "
                                    f"PinViewer stopped after {pages:,} pages and kept the {kept:,} it had.", kept)
            seen_marks.add(bookmark)
            params["bookmark"] = bookmark

    def list_pins(self, page_size: int = 250, pin_metrics: bool = True,
                  expected: int | None = None) -> Iterator[list[dict[str, Any]]]:
        return self.pages("/pins", {"pin_metrics": pin_metrics}, page_size=page_size, what="your Pins",
                          expected=expected)

    def list_boards(self, page_size: int = 250, expected: int | None = None) -> Iterator[list[dict[str, Any]]]:
        return self.pages("/boards", None, page_size=page_size, what="your boards", expected=expected)

    def oauth_token(self, app_id: str, app_secret: str, form: dict[str, Any]) -> dict[str, Any]:
        """POST /oauth/token with HTTP Basic auth (app id : app secret). Never sent twice: the code is one-time.
        The tokens in the answer are hidden from the log as soon as they arrive."""
        from pinviewer.logs import hide

        hide(app_secret, form.get("code"), form.get("refresh_token"))
        data = self.request("POST", "/oauth/token", form=form, basic_auth=(app_id, app_secret),
                            what="a new access token")
        hide(*(data.get(k) for k in ("access_token", "refresh_token") if isinstance(data.get(k), str)))
        return data
