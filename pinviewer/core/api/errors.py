"""What can go wrong talking to Pinterest, each said in words a blogger understands (PinviewerError)."""
from __future__ import annotations

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
