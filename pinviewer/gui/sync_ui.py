"""Pinterest from the window: the connect dialog, File > Sync with Pinterest, and what a sync says afterwards.

``run_sync`` is the worker side (no Qt): the stored token (renewed first when it is about to expire), the core
sync with the task's ``progress`` and ``cancelled``, then ``session.load`` so the window shows what is stored
now. A stopped sync keeps what it fetched (the core stores it), and the window is reloaded even then.
``start_sync`` runs it through the window's ``_run_load`` (tasks.run: busy cursor, progress with the number of
requests, Cancel) and puts the SyncResult's sentence, with the request count, in the window's notice. A 401 or
403 offers to connect again; other problems are shown with ``errors.show_problem``.
"""
from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

log = logging.getLogger(__name__)

CLIENT_OPTIONS: dict = {}  # extra PinterestClient options for every call from the window (tests shorten the waits)


def tr(text: str) -> str:
    return QCoreApplication.translate("Sync", text)


# ------------------------------------------------------------------------------------------------ worker side
@dataclass
class SyncOutcome:
    """Filled on the worker, read on the GUI thread once the task has finished. Holds no secret."""

    result: object | None = None  # SyncResult; after an error, what the sync kept (or None)
    error: Exception | None = None  # a PinviewerError that stopped the sync
    requests: int = 0  # requests sent, also when the sync failed before it had a result


def token_available() -> bool:
    """Whether a token is there to sync with (keyring or this session). Reads the keyring: run it on the worker."""
    from pinviewer.core.api import credentials

    try:
        return credentials.load_tokens() is not None
    except credentials.NoKeyring:
        return False


def run_sync(store, profile, demo: bool, profile_name: str | None, view, outcome: SyncOutcome, progress=None,
             cancelled=None):
    """Sync into the user's history (from the sample blog too: into their own store), then reload.

    Returns a session.Loaded. Pinterest's problems land in ``outcome``, not as exceptions: the window still
    shows whatever part of the sync was stored.
    """
    from pinviewer.gui import session

    session.warm_imports()
    from pinviewer.core.api import credentials
    from pinviewer.core.api.sync import sync
    from pinviewer.core.errors import PinviewerError
    from pinviewer.core.store import Store

    target_store, target_profile, opened = store, profile, None
    if demo or store is None:
        opened = target_store = Store.open()
        target_profile = session.profile_or_first(opened, profile_name)
    client = None
    try:
        client = credentials.client_from_keyring(**CLIENT_OPTIONS)
        outcome.result = sync(target_store, client, target_profile, progress=progress, cancelled=cancelled)
    except PinviewerError as error:  # said in words by the core; Stopped (a Cancelled) included
        outcome.error = error
        outcome.result = getattr(error, "sync_result", None)
        log.info("Sync from the window stopped: %s", type(error).__name__)
    finally:
        if client is not None:
            outcome.requests = client.requests
            client.close()
    stored = outcome.result is not None and getattr(outcome.result, "import_result", None) is not None
    if demo and not stored:  # nothing of the user's changed: stay on the sample blog
        if opened is not None:
            opened.close()
        return session.load(store, profile, True, view)
    # not ``cancelled``: after Cancel the sync returns what it kept, and the window must show it
    return session.load(target_store, target_profile, False, view)


# ------------------------------------------------------------------------------------------------ window side
def open_connect_dialog(window):
    """File > Connect Pinterest. A new connection syncs at once; the dialog's Sync now does the same."""
    from pinviewer.gui.connect_dialog import ConnectDialog

    dialog = getattr(window, "connect_dialog", None)
    if dialog is not None and dialog.isVisible():
        dialog.raise_()
        dialog.activateWindow()
        return dialog
    dialog = ConnectDialog(window)
    dialog.connected.connect(lambda who: _connected(window, who))
    dialog.disconnected.connect(lambda: _set_sync_enabled(window, False))
    dialog.sync_requested.connect(lambda: start_sync(window))
    window.connect_dialog = dialog
    dialog.open()
    return dialog


def _connected(window, who: str) -> None:
    _set_sync_enabled(window, True)
    start_sync(window, intro=tr("Connected as {who}.").format(who=who))


def _set_sync_enabled(window, enabled: bool) -> None:
    action = getattr(window, "sync_action", None)
    if action is not None:
        action.setEnabled(bool(enabled))


def watch_token(window) -> None:
    """Enable File > Sync with Pinterest when a token is there (the keyring is read on the worker)."""
    from pinviewer.gui import tasks

    def failed(error):
        from pinviewer.core.errors import PinviewerError

        _set_sync_enabled(window, False)
        return isinstance(error, PinviewerError)

    tasks.run(window, lambda progress, cancelled: token_available(), quiet=True,
              on_done=lambda available: _set_sync_enabled(window, available), on_error=failed)


def syncing(window) -> bool:
    task = getattr(window, "sync_task", None)
    return task is not None and not task.finished


def start_sync(window, intro: str = ""):
    """File > Sync with Pinterest: in the background, with progress and Cancel; then the result in the notice."""
    from pinviewer.gui import settings

    if syncing(window):
        return window.sync_task
    outcome = SyncOutcome()
    store, profile, demo = window.store, window.profile, window.demo
    profile_name = settings.get_str(settings.PROFILE) if demo or profile is None else profile.name
    view = window._view()
    window.sync_task = window._run_load(
        lambda progress, cancelled: run_sync(store, profile, demo, profile_name, view, outcome, progress, cancelled),
        tr("Syncing with Pinterest…"), on_done=lambda loaded: show_outcome(window, outcome, intro))
    return window.sync_task


def _requests_sentence(n: int) -> str:
    if n == 1:
        return tr("1 request to Pinterest.")
    return tr("{n} requests to Pinterest.").format(n=f"{n:,}")


def outcome_sentence(outcome: SyncOutcome) -> str:
    """What the sync did, in words, with the number of requests (trial apps get 1,000 a day)."""
    from pinviewer.core.errors import Cancelled

    result, error = outcome.result, outcome.error
    if error is None:
        account = getattr(result, "account", None)
        if result.cancelled:
            return result.sentence()
        who = f" (@{account.username})" if account is not None and account.username else ""
        return tr("Synced with Pinterest{who}.").format(who=who) + " " + result.sentence()
    if isinstance(error, Cancelled) and result is None:
        return tr("Sync stopped before anything was fetched.") + " " + _requests_sentence(outcome.requests)
    if result is not None and getattr(result, "import_result", None) is not None:
        return str(error) + " " + result.sentence()
    return str(error) + (" " + _requests_sentence(outcome.requests) if outcome.requests else "")


def show_outcome(window, outcome: SyncOutcome, intro: str = "") -> None:
    from pinviewer.core.api.client import AuthExpired, NotConnected, PermissionDenied
    from pinviewer.core.api.credentials import NoKeyring
    from pinviewer.core.errors import Cancelled
    from pinviewer.gui import errors

    error = outcome.error
    text = " ".join(part for part in (intro, outcome_sentence(outcome)) if part)
    escaped = html.escape(text, quote=False)
    if error is None or isinstance(error, Cancelled):
        window.notice.show_message(escaped)
    elif isinstance(error, (AuthExpired, PermissionDenied)):
        window.notice.show_message(escaped, [(tr("Connect again…"), window.connect_pinterest)], problem=True)
    elif isinstance(error, (NotConnected, NoKeyring)):
        window.notice.show_message(escaped, [(tr("Connect Pinterest…"), window.connect_pinterest)], problem=True)
    else:  # offline, unreadable answers, too many requests, Pinterest's own trouble...
        result = outcome.result
        if result is not None and getattr(result, "import_result", None) is not None:
            window.notice.show_message(html.escape(result.sentence(), quote=False))
        errors.show_problem(window, text)
    window._update_messages()
