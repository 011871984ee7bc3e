"""Pinterest API v5: the HTTP client, the credentials kept in the keyring, and the sync into the store.

Qt-free like all of ``pinviewer.core``. The GUI runs ``sync.sync`` on a worker thread with its
``progress``/``cancelled`` callbacks; the command line runs it directly (``pinviewer sync``).
"""
from pinviewer.core.api.client import (
    Account,
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
    PinterestClient,
    RateLimited,
    ReplyTooLarge,
    RequestRejected,
    RetryPolicy,
    ServerError,
    resolve_base_url,
)

__all__ = ["Account", "ApiError", "ApiTimeout", "AuthExpired", "BadBaseUrl", "BadResponse", "BadToken",
           "CertificateError", "NotBusinessAccount", "NotConnected", "NotFound", "Offline", "PagingStopped",
           "PermissionDenied", "PinterestClient", "RateLimited", "ReplyTooLarge", "RequestRejected", "RetryPolicy",
           "ServerError", "resolve_base_url"]
