"""File > Connect Pinterest: paste an access token (or sign in through the browser with your own Pinterest app),
see whose account it is, and keep it in the system keyring.

* Nothing is stored before a check (GET /user_account) has shown a business account; "Connect" then stores
  exactly what was checked, through ``pinviewer.core.api.credentials`` (the keyring, service PinViewer). With
  no working keyring the dialog says so and offers to use the token for this session only (kept in memory by
  credentials; never a file).
* The token and the app secret live only in their password fields, in closures handed to the worker and in the
  keyring: never in QSettings (only the account's name, which is no secret), a label, a log line or a notice.
* Everything that may wait (the network, the keyring, the browser sign-in) runs through ``tasks.run``: the jobs
  are ``pinviewer.core.api.connect_jobs`` (Qt-free). The widgets are ``connect_form``'s parts; this module
  decides what they show, holds what was checked, and remembers whose token is stored.
"""
from __future__ import annotations

import html
import logging
import webbrowser

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pinviewer.core.api.connect_jobs import Checked, Status
from pinviewer.gui.connect_form import DEVELOPER_APPS_URL, ConnectedBar, Notice, SetupPart, check_answer, style_sheet

log = logging.getLogger(__name__)

__all__ = ["ConnectDialog", "ACCOUNT_SETTING", "DEVELOPER_APPS_URL", "open_in_browser", "stored_account"]

ACCOUNT_SETTING = "pinterest/account"  # whose token is stored, in words ("Example Blog (@exampleblog)"): no secret
_session_account: str | None = None  # the same for a token kept for this session only (not written anywhere)


def open_in_browser(url: str) -> None:
    """Opens Pinterest's consent page; called on the worker thread, as the command line does it."""
    webbrowser.open(url)


def account_description(account) -> str:
    """"Example Blog (@exampleblog)": the name shown for a connection."""
    return account.display_name


def stored_account() -> str | None:
    """Whose token is stored, as last connected from this window (None when unknown)."""
    if _session_account:
        return _session_account
    from pinviewer.gui import settings

    return settings.get_str(ACCOUNT_SETTING)


def _remember_account(description: str | None, session_only: bool) -> None:
    global _session_account
    from pinviewer.gui import settings

    if session_only:
        _session_account = description
        return
    _session_account = None
    settings.put(ACCOUNT_SETTING, description)


# ------------------------------------------------------------------------------------------------ the dialog
class ConnectDialog(QDialog):
    """Steps, a token field with Check, an Advanced browser sign-in, Connect; Disconnect when connected."""

    connected = Signal(str)  # the account in words, after the token was stored
    disconnected = Signal()
    sync_requested = Signal()
    idle = Signal()  # a status read, check, sign-in, connect or disconnect has finished (tests wait for it)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect Pinterest"))
        self.setMinimumWidth(560)
        self.resize(640, 560)
        self.status = Status()
        self.checked = Checked()  # a business account, and exactly what Connect would store for it
        self._keyring_problem: str | None = None
        self._task = None
        self._quiet_edit = False
        self._build()
        self._apply_theme()
        self._update_buttons()
        self._load_status()

    # ---------------------------------------------------------------- building
    def _build(self) -> None:
        """The scrolling body (title, connection, the two ways in, sentences), then Close and Connect."""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.scroll_area = QScrollArea()  # on a small screen the content scrolls instead of being squeezed
        self.scroll_area.setObjectName("connectScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body = QWidget()
        self.body.setObjectName("connectBody")
        root = QVBoxLayout(self.body)
        root.setContentsMargins(26, 22, 26, 10)
        root.setSpacing(14)
        self.title = QLabel(self.tr("Connect PinViewer to your Pinterest account"))
        self.title.setObjectName("dialogTitle")
        self.title.setWordWrap(True)
        root.addWidget(self.title)
        self._build_connection(root)
        self._build_setup(root)
        self.result_frame = Notice(rich=True)  # what happened: the check's answer, or a problem in words
        self.result_label = self.result_frame.label
        root.addWidget(self.result_frame)
        self.keyring_frame = Notice(rich=False, problem=True)  # no keyring: say so, offer this session only
        self.keyring_label = self.keyring_frame.label
        root.addWidget(self.keyring_frame)
        root.addStretch(1)
        self.scroll_area.setWidget(self.body)
        outer.addWidget(self.scroll_area, 1)
        outer.addLayout(self._build_buttons())
        for button in self.findChildren(QPushButton):  # Enter in a field must not press Connect or Close
            button.setAutoDefault(False)
            button.setDefault(False)
        self.setup.show_advanced(False)

    def _build_connection(self, root: QVBoxLayout) -> None:
        """Connected: who, Sync now, Disconnect; and the way to replace the connection."""
        self.status_frame = ConnectedBar()
        self.status_label = self.status_frame.status_label
        self.sync_button = self.status_frame.sync_button
        self.sync_button.clicked.connect(self._sync_now)
        self.disconnect_button = self.status_frame.disconnect_button
        self.disconnect_button.clicked.connect(self.disconnect_account)
        root.addWidget(self.status_frame)
        self.replace_button = QPushButton(self.tr("Use another token or account…"))
        self.replace_button.setObjectName("link")
        self.replace_button.clicked.connect(lambda: self._show_setup(True))
        self.replace_button.setVisible(False)
        root.addWidget(self.replace_button, 0, Qt.AlignmentFlag.AlignLeft)

    def _build_setup(self, root: QVBoxLayout) -> None:
        """How to get a token and the token field, or (Advanced) the browser sign-in: one way at a time."""
        self.setup = SetupPart()
        self.setup.way_shown.connect(self._way_shown)
        self.token_part, self.advanced_frame = self.setup.token_part, self.setup.advanced_frame
        self.advanced_button = self.setup.advanced_button
        self.token_edit, self.show_button = self.token_part.token_edit, self.token_part.show_button
        self.check_button = self.token_part.check_button
        self.token_edit.textChanged.connect(self._token_edited)
        self.token_edit.returnPressed.connect(self.check)
        self.check_button.clicked.connect(self.check)
        self.app_id_edit, self.secret_edit = self.advanced_frame.app_id_edit, self.advanced_frame.secret_edit
        self.port_edit, self.browser_button = self.advanced_frame.port_edit, self.advanced_frame.browser_button
        self.browser_button.clicked.connect(self.sign_in_with_browser)
        self.advanced_frame.changed.connect(self._update_buttons)
        root.addWidget(self.setup)

    def _build_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        buttons.setContentsMargins(26, 10, 26, 18)
        buttons.setSpacing(10)
        buttons.addStretch(1)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.close_button)
        self.connect_button = QPushButton(self.tr("Connect"))
        self.connect_button.setObjectName("primary")
        self.connect_button.clicked.connect(self.connect_account)
        buttons.addWidget(self.connect_button)
        return buttons

    def _apply_theme(self) -> None:
        from pinviewer.gui import style

        self.setStyleSheet(style_sheet(style.current()))

    # ---------------------------------------------------------------- showing
    def _way_shown(self, switched: bool) -> None:
        if switched and self.checked.any():
            self.checked.clear()  # checked on the other way
            self._quiet()
        self._update_buttons()
        self._fit()

    def _show_setup(self, shown: bool) -> None:
        self.setup.setVisible(shown)
        self.connect_button.setVisible(shown)
        self.replace_button.setVisible(not shown and self.status.connected)
        self.title.setText(self.tr("Your Pinterest connection") if self.status.connected and not shown
                           else self.tr("Connect PinViewer to your Pinterest account"))
        self._update_buttons()
        if shown:
            self.token_edit.setFocus()
        self._fit()

    def _fit(self) -> None:
        """As tall as the content at this width, up to the screen's height (beyond it, the content scrolls)."""
        if not self.isVisible():
            return
        outer, body = self.layout(), self.body.layout()
        assert outer is not None and body is not None  # both set in __init__
        outer.activate()
        wanted = body.totalHeightForWidth(self.scroll_area.viewport().width()) if body.hasHeightForWidth() \
            else body.totalSizeHint().height()
        chrome = self.height() - self.scroll_area.viewport().height()
        screen = self.screen().availableGeometry().height() if self.screen() is not None else 800
        self.resize(self.width(), max(240, min(wanted + chrome, screen - 60)))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit()

    def _say(self, text: str, *, problem: bool = False) -> None:
        """A sentence under the fields. ``text`` is rich text: escape what PinViewer did not write itself."""
        self.result_frame.say(text, problem=problem)
        self._fit()

    def _quiet(self) -> None:
        self.result_frame.setVisible(False)

    def _show_status(self) -> None:
        status = self.status
        self._keyring_problem = status.keyring_problem
        if status.connected:
            self.status_frame.show_connection(stored_account(), session_only=status.session_only,
                                              renews=status.renews)
        self.status_frame.setVisible(status.connected)
        if status.app_id and not self.app_id_edit.text():
            self.app_id_edit.setText(status.app_id)
        self._show_keyring_problem(status.keyring_problem)
        self._show_setup(not status.connected)

    def _show_keyring_problem(self, problem: str | None) -> None:
        self._keyring_problem = problem
        self.keyring_frame.show_text(problem)
        self.connect_button.setText(self.tr("Use for this session only") if problem else self.tr("Connect"))
        self._fit()

    def _update_buttons(self) -> None:
        busy = self._task is not None and not self._task.finished
        self.check_button.setEnabled(not busy and bool(self._token()))
        self.browser_button.setEnabled(not busy and self.advanced_frame.filled())
        self.connect_button.setEnabled(not busy and self.setup.isVisibleTo(self) and self.ready_to_connect())
        self.disconnect_button.setEnabled(not busy)
        self.sync_button.setEnabled(not busy)

    def ready_to_connect(self) -> bool:
        """A business account was checked, for exactly what Connect would store."""
        return self.checked.ready(self._token())

    def _token(self) -> str:
        return self.token_part.token()

    def _token_edited(self) -> None:
        if self._quiet_edit:
            return
        if self.checked.outdated(self._token()):  # what was checked is not what would be stored any more
            self.checked.clear()
            self._quiet()
        self._update_buttons()

    def _clear_secrets(self) -> None:
        self.show_button.setChecked(False)
        self._quiet_edit = True
        try:
            self.token_edit.setText("")  # setText also drops the field's undo history
            self.secret_edit.setText("")
        finally:
            self._quiet_edit = False
        self.checked.clear()

    # ---------------------------------------------------------------- work on the worker
    def _run(self, fn, label: str, on_done, cancellable: bool = True):
        from pinviewer.gui import tasks

        def done(result):
            self._task = None
            try:
                on_done(result)
            finally:
                self._update_buttons()
                self.idle.emit()

        def failed(error):
            self._task = None
            try:
                return self._failed(error)
            finally:
                self._update_buttons()
                self.idle.emit()

        self._task = tasks.run(self, fn, label=label, cancellable=cancellable, on_done=done, on_error=failed)
        self._update_buttons()
        return self._task

    def _failed(self, error) -> bool:
        from pinviewer.core.api.credentials import NoKeyring
        from pinviewer.core.errors import Cancelled, PinviewerError

        if isinstance(error, Cancelled):
            return True
        if isinstance(error, NoKeyring):
            self._show_keyring_problem(str(error))
            self._quiet()
            return True
        if isinstance(error, PinviewerError):
            log.info("Connect dialog: %s", type(error).__name__)
            self._say(html.escape(str(error), quote=False), problem=True)
            return True
        return False  # a bug: tasks reports it (logged first, with the log file named)

    def _load_status(self) -> None:
        from pinviewer.core.api import connect_jobs

        self._run(lambda progress, cancelled: connect_jobs.read_status(), "", self._status_read, cancellable=False)

    def _status_read(self, status: Status) -> None:
        self.status = status
        self._show_status()

    def check(self) -> None:
        """Ask Pinterest whose token this is (GET /user_account). Nothing is stored."""
        token = self._token()
        if not token or (self._task is not None and not self._task.finished):
            return
        from pinviewer.gui import sync_ui

        options = dict(sync_ui.CLIENT_OPTIONS)
        self.checked.clear()
        self._quiet()

        def work(progress, cancelled):
            from pinviewer.core.api import connect_jobs

            return connect_jobs.check(token, options, cancelled)

        self._run(work, self.tr("Asking Pinterest whose token this is…"),
                  lambda account: self._checked(token, account))

    def _checked(self, token: str, account) -> None:
        if token != self._token():  # edited meanwhile: this answer is about another token
            return
        self.checked.pasted(token, account)
        self._show_account(account)

    def _show_account(self, account) -> None:
        text, problem = check_answer(account, session_only=self._keyring_problem is not None)
        self._say(text, problem=problem)
        if account.is_business:
            self.connect_button.setFocus()

    def sign_in_with_browser(self) -> None:
        """The OAuth code flow with a loopback redirect; the account is checked before anything is kept."""
        (app_id, secret), port = self.advanced_frame.app(), self.advanced_frame.port()
        if not app_id or not secret or port is None or (self._task is not None and not self._task.finished):
            return
        from pinviewer.gui import sync_ui

        options = dict(sync_ui.CLIENT_OPTIONS)
        self.checked.clear()
        self._quiet()
        waiting = self.tr("Allow PinViewer on the Pinterest page that opened in your browser, then come back here.")

        def work(progress, cancelled):
            from pinviewer.core.api import connect_jobs

            return connect_jobs.sign_in(app_id, secret, port, options, waiting=waiting,
                                        open_browser=lambda url: open_in_browser(url), progress=progress,
                                        cancelled=cancelled)

        self._run(work, self.tr("Waiting for Pinterest in your browser…"), self._signed_in)

    def _signed_in(self, answer) -> None:
        tokens, account = answer
        self._quiet_edit = True
        try:
            self.token_edit.setText("")  # this connection replaces a pasted token
        finally:
            self._quiet_edit = False
        self.checked.signed_in(tokens, account)
        self._show_account(account)

    def connect_account(self) -> None:
        """Store what was checked: in the keyring, or for this session only when no keyring works."""
        if not self.ready_to_connect() or (self._task is not None and not self._task.finished):
            return
        account, tokens, token = self.checked.account, self.checked.tokens, self.checked.token
        session_only = self._keyring_problem is not None

        def work(progress, cancelled):
            from pinviewer.core.api import connect_jobs

            return connect_jobs.store(tokens, token, session_only=session_only)

        def stored(session_only: bool) -> None:
            description = account_description(account)
            _remember_account(description, session_only)
            log.info("Connected from the window (%s)", "this session only" if session_only else "keyring")
            self._clear_secrets()
            self.status = Status(connected=True, session_only=session_only, renews=bool(tokens and tokens.can_refresh),
                                 app_id=tokens.app_id if tokens else None, keyring_problem=self._keyring_problem)
            self._show_status()
            self._quiet()
            self.connected.emit(description)
            self.accept()

        self._run(work, self.tr("Keeping the token in your keyring…"), stored, cancellable=False)

    def disconnect_account(self) -> None:
        """Remove every item PinViewer keeps in the keyring (and a session-only token). The history stays."""
        if self._task is not None and not self._task.finished:
            return

        def work(progress, cancelled):
            from pinviewer.core.api import connect_jobs

            return connect_jobs.forget()

        def forgotten(removed: int) -> None:
            _remember_account(None, False)
            _remember_account(None, True)
            self.status = Status(connected=False, keyring_problem=self.status.keyring_problem)
            self._show_status()
            self._say(self.tr("Disconnected: PinViewer removed your Pinterest token from this computer. Your history "
                              "stays."))
            self.disconnected.emit()

        self._run(work, self.tr("Removing the token from your keyring…"), forgotten, cancellable=False)

    def _sync_now(self) -> None:
        self.accept()
        self.sync_requested.emit()

    # ---------------------------------------------------------------- closing
    def done(self, result: int) -> None:
        if self._task is not None and not self._task.finished:
            self._task.cancel()  # a check or sign-in that still runs is dropped; storing is not cancellable
        self._clear_secrets()
        super().done(result)
