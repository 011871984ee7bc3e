"""Secrets live in the operating system's keyring (service ``PinViewer``) and nowhere else.

* ``store_token`` / ``store_tokens`` write them, ``load_token`` / ``load_tokens`` read them, ``forget``
  removes every item PinViewer ever writes.
* No working keyring (a bare Linux: ``NoKeyring``) is said in words. The caller may then keep the token for
  this session only (``session_only=True``): it stays in this process's memory and dies with it. There is no
  file fallback, and a plaintext file backend (keyrings.alt) counts as no keyring.
* OAuth (optional, for people with their own Pinterest app): the authorization-code flow with a loopback
  redirect (``oauth_authorize``), and ``refresh`` with ``continuous_refresh=true`` that stores the new refresh
  token Pinterest may send. ``client_from_keyring`` refreshes a token that is about to expire.
"""
from __future__ import annotations

import json
import logging
import secrets
import threading
import time
import urllib.parse
import webbrowser
from dataclasses import dataclass, fields, replace
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import ModuleType
from typing import Any
from collections.abc import Callable

from pinviewer.core.api.client import (
    Account,
    ApiError,
    AuthExpired,
    NotBusinessAccount,
    NotConnected,
    PinterestClient,
    RequestRejected,
    token_problem,
)
from pinviewer.core.errors import Cancelled, PinviewerError

log = logging.getLogger(__name__)

SERVICE = "PinViewer"
# every keyring item PinViewer writes (the keyring "username" field); forget() removes them all
ITEMS = ("pinterest_access_token", "pinterest_refresh_token", "pinterest_app_id", "pinterest_app_secret",
         "pinterest_token_info")
AUTHORIZE_URL = "https://www.pinterest.com/oauth/"
SCOPES = "user_accounts:read,pins:read,boards:read"
DEFAULT_REDIRECT_PORT = 8085  # the redirect URI registered in the Pinterest app: http://localhost:8085/
REFRESH_MARGIN = 24 * 3600  # refresh an access token that expires within a day

_session: dict[str, str] = {}
_session_lock = threading.Lock()


class NoKeyring(PinviewerError):
    """No working keyring: the caller may offer to keep the token for this session only."""

    def __init__(self, message: str | None = None, detail: str = "") -> None:
        super().__init__(message or (
            "PinViewer found no working keyring on this computer (the system's safe place for passwords, such "
            "as GNOME Keyring, KWallet, the macOS Keychain or the Windows Credential Manager), so it can't "
            "remember your Pinterest token. It never writes it to a file instead. You can use the token for "
            "this session only, or set up a keyring and connect again."))
        self.detail = detail  # the backend's own words, for the log


class OAuthError(PinviewerError):
    pass


@dataclass
class Tokens:
    access_token: str
    refresh_token: str | None = None
    expires_at: float | None = None  # epoch seconds
    refresh_expires_at: float | None = None
    scope: str | None = None
    app_id: str | None = None
    app_secret: str | None = None

    def __post_init__(self) -> None:  # from the moment PinViewer holds them, the log never shows them
        from pinviewer.logs import hide

        hide(self.access_token, self.refresh_token, self.app_secret)

    def __repr__(self) -> str:  # a traceback or a log line must never show a secret
        shown = ", ".join(f"{f.name}={'set' if getattr(self, f.name) else None}" for f in fields(self))
        return f"Tokens({shown})"

    __str__ = __repr__

    @property
    def can_refresh(self) -> bool:
        return bool(self.refresh_token and self.app_id and self.app_secret)

    def expires_soon(self, margin: float = REFRESH_MARGIN, now: float | None = None) -> bool:
        return self.expires_at is not None and self.expires_at - (time.time() if now is None else now) < margin

    @classmethod
    def from_response(cls, data: dict[str, Any], previous: Tokens | None = None, *, app_id: str | None = None,
                      app_secret: str | None = None, now: float | None = None) -> Tokens:
        now = time.time() if now is None else now
        access = data.get("access_token")
        if not isinstance(access, str) or not access:
            raise OAuthError("Pinterest's answer had no access token. Try connecting again.")
        expires_in = data.get("expires_in")
        refresh_at = data.get("refresh_token_expires_at")
        refresh_in = data.get("refresh_token_expires_in")
        base = previous or cls(access_token=access)
        return replace(
            base,
            access_token=access,
            refresh_token=data.get("refresh_token") or base.refresh_token,
            expires_at=now + float(expires_in) if isinstance(expires_in, (int, float)) else None,
            refresh_expires_at=(float(refresh_at) if isinstance(refresh_at, (int, float)) else
                                now + float(refresh_in) if isinstance(refresh_in, (int, float)) else
                                base.refresh_expires_at),
            scope=data.get("scope") or base.scope,
            app_id=app_id or base.app_id,
            app_secret=app_secret or base.app_secret,
        )


# ------------------------------------------------------------------------------------------------ keyring
def _backend_problem(backend: object) -> str | None:
    """Why this keyring backend is not acceptable, or None when it is."""
    import keyring.backends.fail

    kind = type(backend)
    module = kind.__module__ or ""
    if isinstance(backend, keyring.backends.fail.Keyring):
        return "no keyring backend"
    if module.startswith("keyrings.alt") or module.startswith("keyring.backends.null"):
        return f"{kind.__name__} stores secrets in a file or nowhere"
    inner = getattr(backend, "backends", None)
    if inner is not None:  # the chainer: usable if any of its backends is
        if not inner:
            return "no keyring backend"
        problems = [_backend_problem(b) for b in inner]
        if all(problems):
            return problems[0]
    return None


def _keyring() -> ModuleType:
    """The keyring module, once its backend is known to keep secrets (else NoKeyring)."""
    import keyring

    backend = keyring.get_keyring()
    problem = _backend_problem(backend)
    if problem:
        raise NoKeyring(detail=problem)
    return keyring


def keyring_problem() -> str | None:
    """None when a keyring works; else the sentence to show (the GUI then offers session-only use)."""
    try:
        _keyring()
    except NoKeyring as error:
        return str(error)
    return None


def _keyring_error(error: Exception) -> NoKeyring:
    import keyring.errors

    log.warning("Keyring unavailable: %s", type(error).__name__)
    if isinstance(error, keyring.errors.KeyringLocked):
        return NoKeyring("Your keyring is locked, so PinViewer can't read or store your Pinterest token. Unlock "
                         "it (or allow PinViewer when asked) and try again, or use the token for this session "
                         "only.", detail=type(error).__name__)
    return NoKeyring(detail=type(error).__name__)


def _set(name: str, value: str | None) -> None:
    kr = _keyring()
    import keyring.errors

    try:
        if value is None:
            try:
                kr.delete_password(SERVICE, name)
            except keyring.errors.PasswordDeleteError:
                pass
        else:
            kr.set_password(SERVICE, name, value)
    except NoKeyring:
        raise
    except Exception as error:  # backends raise their own types (dbus, secretstorage, win32...)
        raise _keyring_error(error) from None


def _get(name: str) -> str | None:
    kr = _keyring()
    try:
        value: str | None = kr.get_password(SERVICE, name)
        return value
    except Exception as error:
        raise _keyring_error(error) from None


def _pack(tokens: Tokens) -> dict[str, str | None]:
    info = {"expires_at": tokens.expires_at, "refresh_expires_at": tokens.refresh_expires_at,
            "scope": tokens.scope}
    return {
        "pinterest_access_token": tokens.access_token,
        "pinterest_refresh_token": tokens.refresh_token,
        "pinterest_app_id": tokens.app_id,
        "pinterest_app_secret": tokens.app_secret,
        "pinterest_token_info": json.dumps(info, allow_nan=False),
    }


def _unpack(values: dict[str, str | None]) -> Tokens | None:
    access = values.get("pinterest_access_token")
    if not access:
        return None
    try:
        info = json.loads(values.get("pinterest_token_info") or "{}")
    except json.JSONDecodeError:
        info = {}
    return Tokens(access_token=access, refresh_token=values.get("pinterest_refresh_token") or None,
                  expires_at=info.get("expires_at"), refresh_expires_at=info.get("refresh_expires_at"),
                  scope=info.get("scope"), app_id=values.get("pinterest_app_id") or None,
                  app_secret=values.get("pinterest_app_secret") or None)


def store_tokens(tokens: Tokens, *, session_only: bool = False) -> None:
    """Keep these credentials in the keyring, replacing what was there (or in memory, for this session)."""
    values = _pack(tokens)
    if session_only:
        with _session_lock:
            _session.clear()
            _session.update({k: v for k, v in values.items() if v is not None})
        return
    for name in ITEMS:  # the token first: if the keyring fails, it fails before anything is half-written
        _set(name, values[name])
    with _session_lock:
        _session.clear()


def store_token(token: str, *, session_only: bool = False) -> None:
    """A plain access token (from Pinterest's developer site): the app id, secret and refresh token go."""
    token = (token or "").strip()
    if not token:
        raise PinviewerError("That token is empty. Paste the access token from your Pinterest app.")
    store_tokens(Tokens(access_token=token), session_only=session_only)


def load_tokens() -> Tokens | None:
    """The stored credentials, or None when PinViewer is not connected. Session-only ones win."""
    with _session_lock:
        if _session:
            return _unpack(dict(_session))
    return _unpack({name: _get(name) for name in ITEMS})


def load_token() -> str | None:
    tokens = load_tokens()
    return tokens.access_token if tokens else None


def is_session_only() -> bool:
    with _session_lock:
        return bool(_session)


def forget() -> int:
    """Removes every item PinViewer keeps in the keyring, and the session-only token. Returns how many went."""
    with _session_lock:
        removed = len(_session)
        _session.clear()
    try:
        kr = _keyring()
    except NoKeyring:
        return removed
    import keyring.errors

    for name in ITEMS:
        try:
            if kr.get_password(SERVICE, name) is None:
                continue
            kr.delete_password(SERVICE, name)
            removed += 1
        except keyring.errors.PasswordDeleteError:
            pass
        except Exception as error:
            raise _keyring_error(error) from None
    return removed


# ------------------------------------------------------------------------------------------------ connect
def check_token(token: str, *, base_url: str | None = None, **client_kwargs: Any) -> Account:
    """GET /user_account with this token: who it belongs to. Nothing is stored."""
    token = (token or "").strip()
    if not token:
        raise PinviewerError("That token is empty. Paste the access token from your Pinterest app.")
    if any(c.isspace() for c in token) or not token.isprintable():
        raise PinviewerError("That does not look like a Pinterest token (it has spaces or line breaks in it). "
                             "Copy it again from your Pinterest app.")
    if token_problem(token):
        raise PinviewerError("That does not look like a Pinterest token (it holds characters a token never has, "
                             "such as an accented letter or an emoji). Copy it again from your Pinterest app.")
    client = PinterestClient(token, base_url=base_url, **client_kwargs)
    try:
        return client.user_account()
    except AuthExpired:
        raise AuthExpired("Pinterest did not accept this token: it is wrong, expired or was revoked. Copy a "
                          "new one from your app on developers.pinterest.com.", status=401) from None


def connect(tokens: Tokens | str, *, session_only: bool = False, base_url: str | None = None,
            allow_personal: bool = False, **client_kwargs: Any) -> Account:
    """Check the token, then store it. A personal (non-business) account is refused before anything is stored."""
    if isinstance(tokens, str):
        tokens = Tokens(access_token=tokens.strip())
    account = check_token(tokens.access_token, base_url=base_url, **client_kwargs)
    if not account.is_business and not allow_personal:
        raise NotBusinessAccount(account.not_business_sentence() + " Nothing was stored.", status=403)
    store_tokens(tokens, session_only=session_only)
    log.info("Connected to Pinterest account %s (%s)%s", account.username, account.account_type,
             " for this session only" if session_only else "")
    return account


def refresh(tokens: Tokens | None = None, *, base_url: str | None = None, session_only: bool | None = None,
            **client_kwargs: Any) -> Tokens:
    """A new access token from the refresh token (POST /oauth/token, continuous refresh); stored at once,
    together with the new refresh token when Pinterest sends one."""
    tokens = tokens or load_tokens()
    if tokens is None:
        raise NotConnected()
    if not tokens.can_refresh:
        raise AuthExpired("Pinterest says your connection has expired or was revoked. Connect again in File > "
                          "Connect Pinterest (or with `pinviewer connect`).")
    client = PinterestClient(None, base_url=base_url, **client_kwargs)
    assert tokens.app_id and tokens.app_secret  # can_refresh
    try:
        data = client.oauth_token(tokens.app_id, tokens.app_secret,
                                  {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token,
                                   "continuous_refresh": True})
    except (AuthExpired, RequestRejected):
        raise AuthExpired("Pinterest did not renew PinViewer's access: the connection was revoked or has not "
                          "been used for too long. Connect again in File > Connect Pinterest (or with "
                          "`pinviewer connect`).") from None
    new = Tokens.from_response(data, tokens)
    store_tokens(new, session_only=is_session_only() if session_only is None else session_only)
    log.info("Pinterest access token renewed")
    return new


def client_from_keyring(*, base_url: str | None = None, refresh_margin: float = REFRESH_MARGIN,
                        **client_kwargs: Any) -> PinterestClient:
    """A client with the stored token, renewed first when it expires within ``refresh_margin`` seconds and
    PinViewer has what it takes to renew it; a 401 later in the sync tries one renewal too."""
    tokens = load_tokens()
    if tokens is None:
        raise NotConnected()
    if tokens.can_refresh and tokens.expires_soon(refresh_margin):
        tokens = refresh(tokens, base_url=base_url, **client_kwargs)
    holder = {"tokens": tokens}

    def renew() -> str | None:
        if not holder["tokens"].can_refresh:
            return None
        holder["tokens"] = refresh(holder["tokens"], base_url=base_url, **client_kwargs)
        return holder["tokens"].access_token

    return PinterestClient(tokens.access_token, base_url=base_url, refresh=renew, **client_kwargs)


# ------------------------------------------------------------------------------------------------ OAuth
_DONE_PAGE = (b"<!doctype html><meta charset=utf-8><title>PinViewer</title>"
              b"<body style='font-family:sans-serif;margin:3em'><h1>PinViewer</h1><p>%s</p>"
              b"<p>You can close this tab and go back to PinViewer.</p>")


def oauth_authorize(app_id: str, app_secret: str, *, port: int = DEFAULT_REDIRECT_PORT,
                    open_browser: Callable[[str], object] | None = None, timeout: float = 300.0,
                    cancelled: Callable[[], bool] | None = None, base_url: str | None = None,
                    authorize_url: str = AUTHORIZE_URL, scopes: str = SCOPES, **client_kwargs: Any) -> Tokens:
    """The OAuth code flow: open Pinterest's consent page in the browser, receive the code on
    ``http://localhost:PORT/`` (the redirect URI registered in the app), exchange it for tokens.
    Returns the tokens without storing them: ``connect(tokens)`` checks the account, then stores."""
    app_id, app_secret = (app_id or "").strip(), (app_secret or "").strip()
    from pinviewer.logs import hide

    hide(app_secret)
    if not app_id or not app_secret:
        raise OAuthError("Enter your Pinterest app id and app secret (from developers.pinterest.com > My apps).")
    state = secrets.token_urlsafe(24)
    result: dict[str, str] = {}
    arrived = threading.Event()
    server = _listen(port, _redirect_handler(state, result, arrived))
    redirect_uri = f"http://localhost:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        url = authorize_url + "?" + urllib.parse.urlencode(
            {"client_id": app_id, "redirect_uri": redirect_uri, "response_type": "code", "scope": scopes,
             "state": state})
        (open_browser or webbrowser.open)(url)
        _wait_for_answer(arrived, timeout, cancelled)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(2)
    if "code" not in result:
        raise OAuthError("Pinterest did not give PinViewer access (it was declined on Pinterest's page). Nothing "
                         "was stored.")
    return _exchange_code(app_id, app_secret, result["code"], redirect_uri, base_url, client_kwargs)


def _redirect_handler(state: str, result: dict[str, str], arrived: threading.Event) -> type[BaseHTTPRequestHandler]:
    """The handler of the browser's redirect: a request carrying ``state`` puts Pinterest's code (or its error)
    in ``result`` and sets ``arrived``; any other request is turned away."""
    from pinviewer.logs import hide

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server hook
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            if query.get("state", [""])[0] != state:  # not ours (a stale tab, a favicon, another site)
                self._answer(404, b"This page does not belong to PinViewer's current sign-in.")
                return
            if query.get("code"):
                result["code"] = query["code"][0]
                hide(result["code"])
                self._answer(200, b"PinViewer received Pinterest's permission.")
            else:
                result["error"] = query.get("error", ["denied"])[0]
                self._answer(200, b"Pinterest did not give PinViewer access.")
            arrived.set()

        def _answer(self, status: int, text: bytes) -> None:
            body = _DONE_PAGE % text
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:  # the request line holds the code: never print or log it
            pass

    return Handler


def _listen(port: int, handler: type[BaseHTTPRequestHandler]) -> HTTPServer:
    """The local server the browser is sent back to (port 0: any free port)."""
    try:
        return HTTPServer(("127.0.0.1", port), handler)
    except OSError:
        raise OAuthError(f"PinViewer could not listen on port {port} for Pinterest's answer (another program "
                         "uses it). Close that program, or register another redirect port.") from None


def _wait_for_answer(arrived: threading.Event, timeout: float, cancelled: Callable[[], bool] | None) -> None:
    """Until the redirect arrived; raises Cancelled when the user cancels, OAuthError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not arrived.wait(0.05):
        if cancelled is not None and cancelled():
            raise Cancelled("Cancelled. Nothing was stored.")
        if time.monotonic() > deadline:
            raise OAuthError("Pinterest's answer did not arrive in time. Try connecting again, and allow "
                             "PinViewer on the page that opens in your browser.")


def _exchange_code(app_id: str, app_secret: str, code: str, redirect_uri: str, base_url: str | None,
                   client_kwargs: dict[str, Any]) -> Tokens:
    """Pinterest's code exchanged for the tokens (the redirect URI must be the one the code was sent to)."""
    client = PinterestClient(None, base_url=base_url, **client_kwargs)
    try:
        data = client.oauth_token(app_id, app_secret,
                                  {"grant_type": "authorization_code", "code": code,
                                   "redirect_uri": redirect_uri, "continuous_refresh": True})
    except (AuthExpired, RequestRejected):
        raise OAuthError("Pinterest did not accept the app id, the app secret or the redirect address. Check "
                         f"them on developers.pinterest.com (the redirect URI must be {redirect_uri}).") from None
    except ApiError:
        raise
    return Tokens.from_response(data, app_id=app_id, app_secret=app_secret)
