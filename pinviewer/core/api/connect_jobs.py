"""What File > Connect Pinterest runs on the worker (always inside the window's ``tasks.run``), Qt-free.

Plain calls into ``credentials``, no widgets: read what the keyring holds when the dialog opens (``Status``),
check whose token this is (GET /user_account; nothing stored), the browser sign-in (the OAuth code flow with a
loopback redirect) followed by the same check, store exactly what was checked (the keyring, or this session only
when no keyring works), forget everything PinViewer keeps. ``options`` are extra ``PinterestClient`` options (the
window's tests shorten the waits). The secrets pass through these calls' arguments only: nothing here keeps,
logs or returns them in words.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pinviewer.core.callbacks import IsCancelled, Progress

if TYPE_CHECKING:
    from pinviewer.core.api.account import Account
    from pinviewer.core.api.credentials import Tokens

__all__ = ["Status", "Checked", "read_status", "check", "sign_in", "store", "forget"]


@dataclass(frozen=True)
class Status:
    """What the keyring says, read on the worker when the dialog opens. Holds no secret."""

    connected: bool = False
    session_only: bool = False
    renews: bool = False  # signed in with an app: PinViewer renews the access token itself
    app_id: str | None = None
    keyring_problem: str | None = None  # the sentence to show when no keyring works


class Checked:
    """What the last check showed, for exactly what Connect would store: a business ``account`` and either the
    pasted ``token`` it was checked with, or the ``tokens`` of a browser sign-in (kept in memory until Connect)."""

    def __init__(self) -> None:
        self.account: Account | None = None
        self.token: str | None = None
        self.tokens: Tokens | None = None

    def clear(self) -> None:
        self.account, self.token, self.tokens = None, None, None

    def any(self) -> bool:
        """Something was checked (a business account, or a sign-in's tokens)."""
        return self.account is not None or self.tokens is not None

    def pasted(self, token: str, account: Account) -> None:
        """A pasted ``token`` was checked: kept only for a business account."""
        self.clear()
        if account.is_business:
            self.account, self.token = account, token

    def signed_in(self, tokens: Tokens, account: Account) -> None:
        """The browser sign-in brought ``tokens``: kept only for a business account."""
        self.clear()
        if account.is_business:
            self.account, self.tokens = account, tokens

    def ready(self, pasted: str) -> bool:
        """Connect would store what was checked (``pasted``: the token in the field now)."""
        return self.account is not None and (self.tokens is not None or self.token == pasted)

    def outdated(self, pasted: str) -> bool:
        """The field no longer holds what was checked (or a sign-in's tokens would give way to a pasted token)."""
        return self.tokens is not None or (self.token is not None and self.token != pasted)


def read_status() -> Status:
    from pinviewer.core.api import credentials

    problem = credentials.keyring_problem()
    try:
        tokens = credentials.load_tokens()
    except credentials.NoKeyring as error:
        tokens, problem = None, problem or str(error)
    return Status(connected=tokens is not None, session_only=credentials.is_session_only(),
                  renews=bool(tokens and tokens.can_refresh), app_id=tokens.app_id if tokens else None,
                  keyring_problem=problem)


def check(token: str, options: dict[str, Any], cancelled: IsCancelled) -> Account:
    """Whose token this is (GET /user_account). Nothing is stored; Cancelled when the dialog went meanwhile."""
    from pinviewer.core.api import credentials
    from pinviewer.core.errors import Cancelled

    account = credentials.check_token(token, **options)
    if cancelled():
        raise Cancelled()
    return account


def sign_in(app_id: str, secret: str, port: int, options: dict[str, Any], *, waiting: str,
            open_browser: Callable[[str], object], progress: Progress,
            cancelled: IsCancelled) -> tuple[Tokens, Account]:
    """The OAuth code flow with a loopback redirect on ``port`` (``waiting``: what the progress says meanwhile),
    then the check of the account the new token belongs to. Nothing is stored."""
    from pinviewer.core.api import credentials

    progress(0, 0, waiting)
    tokens = credentials.oauth_authorize(app_id, secret, port=port, cancelled=cancelled, open_browser=open_browser,
                                         **options)
    return tokens, credentials.check_token(tokens.access_token, **options)


def store(tokens: Tokens | None, token: str | None, *, session_only: bool) -> bool:
    """Keep a browser sign-in's ``tokens``, else the pasted ``token``: in the keyring, or in memory for this
    session only. Returns ``session_only``."""
    from pinviewer.core.api import credentials

    if tokens is not None:
        credentials.store_tokens(tokens, session_only=session_only)
    else:
        credentials.store_token(token or "", session_only=session_only)
    return session_only


def forget() -> int:
    """Remove every item PinViewer keeps in the keyring (and a session-only token); how many went."""
    from pinviewer.core.api import credentials

    return credentials.forget()
