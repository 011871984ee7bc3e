"""What can go wrong talking to Pinterest, each said in words a blogger understands (PinviewerError)."""
from __future__ import annotations

import json

from pinviewer.core.errors import Cancelled, PinviewerError

RECONNECT = "Connect again in File > Connect Pinterest (or with `pinviewer connect`)."
SCOPES_NEEDED = "user_accounts:read, pins:read and boards:read"


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


class BadToken(AuthExpired):
    """The token holds characters no Pinterest token has (a space, an accented letter, an emoji): never sent."""

    def __init__(self) -> None:
        super().__init__("The Pinterest token PinViewer was given holds characters a token never has (a space, an "
                         "accented letter or an emoji, for example), so it was not sent. Copy the access token "
                         f"again from your app on developers.pinterest.com. {RECONNECT}")


class ReplyTooLarge(BadResponse):
    """An answer over the size cap: not read to the end, not retried."""


class PagingStopped(ApiError):
    """A list that does not end (the same bookmark twice, a page with nothing new, more pages than Pinterest
    says there are items): paging stops; what was yielded before is kept. ``kept`` items were yielded."""

    def __init__(self, message: str, kept: int) -> None:
        super().__init__(message)
        self.kept = kept


class Stopped(Cancelled):
    """The sync was cancelled; raised in worker threads instead of sending another request."""

    def __init__(self) -> None:
        super().__init__("Stopped.")


def http_error(status: int, payload: bytes, rid: str | None, what: str, retry_after: float | None) -> ApiError:
    """The error for an HTTP status other than 2xx, with Pinterest's own words (redacted, cut to 300 characters)
    where they help. A ServerError (5xx) is worth retrying; a RateLimited carries ``retry_after``."""
    message, detail, code = "", "", None
    try:
        data = json.loads(payload.decode("utf-8")) if payload else {}
    except (UnicodeDecodeError, ValueError, RecursionError):  # not JSON, a 5,000-digit number, too deep
        data = None
    if isinstance(data, dict):
        said_raw = data.get("message") or data.get("message_detail") or ""
        message = said_raw if isinstance(said_raw, str) else ""
        extra = data.get("message_detail")
        detail = f"{extra if isinstance(extra, str) else ''} {message}".lower()
        code = data.get("code") if isinstance(data.get("code"), int) and not isinstance(data.get("code"), bool) \
            else None
    from pinviewer.logs import redact

    message = "".join(c for c in redact(message.strip())[:300] if c.isprintable())
    said = f' Pinterest says: "{message}"' if message else ""
    if status == 401:
        return AuthExpired(f"Pinterest says your connection has expired or was revoked. {RECONNECT}",
                           status=status, code=code, rid=rid)
    if status == 403:
        return PermissionDenied(
            f"Pinterest did not allow PinViewer to read {what}.{said} Analytics need a Pinterest business "
            f"account, and the connection must allow reading {SCOPES_NEEDED}. {RECONNECT}",
            status=status, code=code, rid=rid)
    if status == 429:
        error = RateLimited("Pinterest says PinViewer made too many requests. What was fetched so far is "
                            "kept; sync again in an hour or so (trial apps may make 1,000 requests a day).",
                            status=status, code=code, rid=rid)
        error.retry_after = retry_after  # type: ignore[attr-defined]
        if "spam" in detail:
            error.no_retry = True  # type: ignore[attr-defined]
            error.args = ("Pinterest blocked these requests as suspected spam. Wait a day before syncing "
                          "again; what was fetched so far is kept.",)
        return error
    if 500 <= status < 600:
        return ServerError(f"Pinterest's servers had a problem (error {status}) several times in a row. What was "
                           "fetched so far is kept; try again later.", status=status, code=code, rid=rid)
    if 300 <= status < 400:
        return BadResponse("Pinterest answered with a redirect, which PinViewer does not follow with your "
                           "token. Try again later.", status=status, rid=rid)
    if status == 404:
        return NotFound(f"Pinterest could not find {what}.{said}", status=status, code=code, rid=rid)
    return RequestRejected(f"Pinterest did not accept PinViewer's request for {what} (error {status}).{said}",
                           status=status, code=code, rid=rid)
