"""Pinterest from the window: File > Connect Pinterest, File > Sync with Pinterest, and what a sync says.

``SyncController`` runs ``pinviewer.core.session.run_sync`` (the stored token, renewed first when it is about
to expire; the core sync with progress, the number of requests and Cancel; then the reload) through
``DataController.run_load``, and puts the SyncResult's sentence, with the request count, in the window's
notice. A 401 or 403 offers to connect again; other problems are shown with ``errors.show_problem``.

Start-up never reads the keyring (it can open a password prompt, and the worker that imports files would wait
behind it): whether PinViewer is connected is remembered in the settings (``CONNECTED``) when the user connects
or disconnects here; a history that was synced before counts as connected when nothing was remembered (a
connection made with ``pinviewer connect``). The keyring is read only when the user syncs or opens the dialog.
"""
from __future__ import annotations

import html
import logging

from PySide6.QtCore import QCoreApplication, QObject

from pinviewer.gui import settings

log = logging.getLogger(__name__)

CONNECTED = "pinterest/connected"  # whether the user connected (True) or disconnected (False) in the window
CLIENT_OPTIONS: dict = {}  # extra PinterestClient options for every call from the window (tests shorten the waits)


def tr(text: str) -> str:
    return QCoreApplication.translate("Sync", text)


class SyncController(QObject):
    """File > Connect Pinterest (``dialog``) and File > Sync with Pinterest (``task``, while it runs)."""

    def __init__(self, window, data):
        super().__init__(window)
        self.window, self.data = window, data
        self.dialog = None
        self.task = None
        self._synced_before = False
        data.loaded.connect(self._loaded)

    # ------------------------------------------------------------------ connected or not, without the keyring
    def connected(self) -> bool:
        """Whether the user connected: remembered in the settings, else whether this history was synced."""
        remembered = settings.get_bool(CONNECTED, None)
        return self._synced_before if remembered is None else bool(remembered)

    def _loaded(self, loaded) -> None:
        self._synced_before = bool(getattr(loaded, "synced_before", False))
        self.window.set_sync_available(self.connected())

    def _remember(self, connected: bool) -> None:
        settings.put(CONNECTED, connected)
        self.window.set_sync_available(connected)

    # ------------------------------------------------------------------ the dialog
    def open_dialog(self):
        """File > Connect Pinterest. A new connection syncs at once; the dialog's Sync now does the same."""
        from pinviewer.gui.connect_dialog import ConnectDialog

        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        dialog = ConnectDialog(self.window)
        dialog.connected.connect(self._connected)
        dialog.disconnected.connect(lambda: self._remember(False))
        dialog.sync_requested.connect(lambda: self.start())
        self.dialog = dialog
        dialog.open()
        return dialog

    def _connected(self, who: str) -> None:
        self._remember(True)
        self.start(intro=tr("Connected as {who}.").format(who=who))

    # ------------------------------------------------------------------ the sync
    def syncing(self) -> bool:
        return self.task is not None and not self.task.finished

    def start(self, intro: str = ""):
        """File > Sync with Pinterest: in the background, with progress and Cancel; then the result in the
        notice. From the sample blog, into the user's own history."""
        from pinviewer.core import session

        if self.syncing():
            return self.task
        outcome = session.SyncOutcome()
        data = self.data
        store, profile, demo, view = data.store, data.profile, data.demo, data.view()
        profile_name, options = data.own_profile_name(), dict(CLIENT_OPTIONS)
        self.task = data.run_load(
            lambda progress, cancelled: session.run_sync(store, profile, demo, profile_name, view, outcome, progress,
                                                         cancelled, client_options=options),
            tr("Syncing with Pinterest…"), on_done=lambda loaded: self.show_outcome(outcome, intro))
        return self.task

    def show_outcome(self, outcome, intro: str = "") -> None:
        from pinviewer.core.api.client import AuthExpired, NotConnected, PermissionDenied
        from pinviewer.core.api.credentials import NoKeyring
        from pinviewer.core.errors import Cancelled
        from pinviewer.gui import errors

        error, window = outcome.error, self.window
        text = " ".join(part for part in (intro, outcome_sentence(outcome)) if part)
        escaped = html.escape(text, quote=False)
        if error is None or isinstance(error, Cancelled):
            window.show_notice(escaped)
        elif isinstance(error, (AuthExpired, PermissionDenied)):
            window.show_notice(escaped, [(tr("Connect again…"), self.open_dialog)], problem=True)
        elif isinstance(error, (NotConnected, NoKeyring)):
            self._remember(False)
            window.show_notice(escaped, [(tr("Connect Pinterest…"), self.open_dialog)], problem=True)
        else:  # offline, unreadable answers, too many requests, Pinterest's own trouble...
            result = outcome.result
            if result is not None and getattr(result, "import_result", None) is not None:
                window.show_notice(html.escape(result.sentence(), quote=False))
            errors.show_problem(window, text)


def _requests_sentence(n: int) -> str:
    if n == 1:
        return tr("1 request to Pinterest.")
    return tr("{n} requests to Pinterest.").format(n=f"{n:,}")


def outcome_sentence(outcome) -> str:
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
