"""File > Connect Pinterest: paste an access token (or sign in through the browser with your own Pinterest app),
see whose account it is, and keep it in the system keyring.

* Nothing is stored before a check (GET /user_account) has shown a business account; "Connect" then stores
  exactly what was checked, through ``pinviewer.core.api.credentials`` (the keyring, service PinViewer). With
  no working keyring the dialog says so and offers to use the token for this session only (kept in memory by
  credentials; never a file).
* The token and the app secret live only in their password fields, in closures handed to the worker and in the
  keyring: never in QSettings (only the account's name, which is no secret), a label, a log line or a notice.
* Everything that may wait (the network, the keyring, the browser sign-in) runs through ``tasks.run``.
"""
from __future__ import annotations

import html
import logging
import webbrowser
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

DEVELOPER_APPS_URL = "https://developers.pinterest.com/apps/"
ACCOUNT_SETTING = "pinterest/account"  # whose token is stored, in words ("Example Blog (@exampleblog)"): no secret
_session_account: str | None = None  # the same for a token kept for this session only (not written anywhere)


def open_in_browser(url: str) -> None:
    """Opens Pinterest's consent page; called on the worker thread, as the command line does it."""
    webbrowser.open(url)


# ------------------------------------------------------------------------------------------------ worker side
@dataclass(frozen=True)
class Status:
    """What the keyring says, read on the worker when the dialog opens. Holds no secret."""

    connected: bool = False
    session_only: bool = False
    renews: bool = False  # signed in with an app: PinViewer renews the access token itself
    app_id: str | None = None
    keyring_problem: str | None = None  # the sentence to show when no keyring works


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
        self.account = None  # the Account of the last successful check (business accounts only)
        self._checked_token: str | None = None  # the token that check was for
        self._oauth_tokens = None  # Tokens from the browser sign-in, kept in memory until Connect
        self._keyring_problem: str | None = None
        self._task = None
        self._quiet_edit = False
        self._build()
        self._apply_theme()
        self._update_buttons()
        self._load_status()

    # ---------------------------------------------------------------- building
    def _build(self) -> None:
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

        # ---- connected: who, Sync now, Disconnect
        self.status_frame = QFrame()
        self.status_frame.setObjectName("notice")
        row = QHBoxLayout(self.status_frame)
        row.setContentsMargins(14, 8, 10, 8)
        row.setSpacing(10)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.RichText)
        row.addWidget(self.status_label, 1)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.setObjectName("primary")
        self.sync_button.setToolTip(self.tr("Fetch your latest Pinterest analytics (File > Sync with Pinterest)"))
        self.sync_button.clicked.connect(self._sync_now)
        row.addWidget(self.sync_button)
        self.disconnect_button = QPushButton(self.tr("Disconnect"))
        self.disconnect_button.setToolTip(self.tr("Remove the token from this computer's keyring. Your history "
                                                  "stays."))
        self.disconnect_button.clicked.connect(self.disconnect_account)
        row.addWidget(self.disconnect_button)
        self.status_frame.setVisible(False)
        root.addWidget(self.status_frame)
        self.replace_button = QPushButton(self.tr("Use another token or account…"))
        self.replace_button.setObjectName("link")
        self.replace_button.clicked.connect(lambda: self._show_setup(True))
        self.replace_button.setVisible(False)
        root.addWidget(self.replace_button, 0, Qt.AlignmentFlag.AlignLeft)

        # ---- how to get a token, the token field, the advanced sign-in
        self.setup = QWidget()
        setup = QVBoxLayout(self.setup)
        setup.setContentsMargins(0, 0, 0, 0)
        setup.setSpacing(12)
        intro = QLabel(self.tr(
            "PinViewer then fetches your Pinterest analytics by itself. It needs a Pinterest <b>business "
            "account</b> (they are free) and an <b>access token</b>: a long code Pinterest makes for you. The token "
            "is kept in this computer's keyring, the system's safe place for passwords."))
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        setup.addWidget(intro)
        self.token_part = QWidget()
        token_part = QVBoxLayout(self.token_part)
        token_part.setContentsMargins(0, 0, 0, 0)
        token_part.setSpacing(12)
        token_part.addWidget(self._build_steps())
        token_part.addLayout(self._build_token_row())
        setup.addWidget(self.token_part)
        self.advanced_button = QPushButton()
        self.advanced_button.setObjectName("link")
        self.advanced_button.setCheckable(True)
        self.advanced_button.toggled.connect(self._show_advanced)
        setup.addWidget(self.advanced_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.advanced_frame = self._build_advanced()
        setup.addWidget(self.advanced_frame)
        root.addWidget(self.setup)

        # ---- what happened: the check's answer, or a problem in words
        self.result_frame = QFrame()
        self.result_frame.setObjectName("notice")
        result_row = QHBoxLayout(self.result_frame)
        result_row.setContentsMargins(14, 9, 14, 9)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        result_row.addWidget(self.result_label)
        self.result_frame.setVisible(False)
        root.addWidget(self.result_frame)

        # ---- no keyring: say so, offer this session only
        self.keyring_frame = QFrame()
        self.keyring_frame.setObjectName("notice")
        self.keyring_frame.setProperty("problem", "true")
        keyring_row = QHBoxLayout(self.keyring_frame)
        keyring_row.setContentsMargins(14, 9, 14, 9)
        self.keyring_label = QLabel()
        self.keyring_label.setWordWrap(True)
        keyring_row.addWidget(self.keyring_label)
        self.keyring_frame.setVisible(False)
        root.addWidget(self.keyring_frame)

        root.addStretch(1)
        self.scroll_area.setWidget(self.body)
        outer.addWidget(self.scroll_area, 1)
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
        outer.addLayout(buttons)
        for button in self.findChildren(QPushButton):  # Enter in a field must not press Connect or Close
            button.setAutoDefault(False)
            button.setDefault(False)
        self._show_advanced(False)

    def _build_steps(self) -> QFrame:
        frame = QFrame()
        frame.setObjectName("steps")
        grid = QGridLayout(frame)
        grid.setContentsMargins(16, 14, 16, 14)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(10)
        heading = QLabel(self.tr("How to get your access token"))
        heading.setObjectName("stepsTitle")
        grid.addWidget(heading, 0, 0, 1, 2)
        steps = (
            self.tr('Sign in at <a href="{url}">developers.pinterest.com</a> with your business account and open '
                    '<b>My apps</b>. No app yet? Choose <b>Connect app</b> and fill in the short form; Pinterest '
                    'usually approves it within a day or two.').format(url=DEVELOPER_APPS_URL),
            self.tr("Click <b>Manage</b> next to your app. On the <b>Configure</b> tab, under <b>Generate access "
                    "token</b>, make a token for production: it lets PinViewer read your account, Pins and "
                    "boards, and change nothing."),
            self.tr("Copy the token (it starts with <i>pina_</i>), paste it below and click <b>Check</b>. PinViewer "
                    "shows whose account it is before it keeps anything."),
        )
        self.step_labels = []
        for i, text in enumerate(steps, start=1):
            number = QLabel(str(i))
            number.setObjectName("stepNumber")
            number.setFixedSize(22, 22)
            number.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label = QLabel(text)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setOpenExternalLinks(True)
            grid.addWidget(number, i, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label, i, 1)
            self.step_labels.append(label)
        grid.setColumnStretch(1, 1)
        return frame

    def _build_token_row(self) -> QVBoxLayout:
        box = QVBoxLayout()
        box.setSpacing(6)
        label = QLabel(self.tr("Access token"))
        label.setObjectName("fieldLabel")
        box.addWidget(label)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.token_edit = QLineEdit()
        self._secret_field(self.token_edit)
        self.token_edit.setPlaceholderText(self.tr("Paste your token here"))
        self.token_edit.setAccessibleName(self.tr("Access token"))
        label.setBuddy(self.token_edit)
        self.token_edit.textChanged.connect(self._token_edited)
        self.token_edit.returnPressed.connect(self.check)
        row.addWidget(self.token_edit, 1)
        self.show_button = QPushButton(self.tr("Show"))
        self.show_button.setObjectName("link")
        self.show_button.setCheckable(True)
        self.show_button.setToolTip(self.tr("Show the token while you check that it was pasted whole"))
        self.show_button.toggled.connect(self._reveal)
        row.addWidget(self.show_button)
        self.check_button = QPushButton(self.tr("Check"))
        self.check_button.setToolTip(self.tr("Ask Pinterest whose account this token belongs to (nothing is kept "
                                             "yet)"))
        self.check_button.clicked.connect(self.check)
        row.addWidget(self.check_button)
        box.addLayout(row)
        return box

    def _build_advanced(self) -> QFrame:
        frame = QFrame()
        frame.setObjectName("advanced")
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(16, 12, 16, 14)
        layout.setSpacing(10)
        explain = QLabel(self.tr(
            "For people with their own Pinterest app: sign in on Pinterest's page in your browser instead of "
            "pasting a token. PinViewer then renews its access by itself before it runs out. Your app's id and "
            "secret are on its <b>Manage</b> page; the secret is kept in the keyring with the connection."))
        explain.setObjectName("muted")
        explain.setWordWrap(True)
        explain.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(explain)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        self.app_id_edit = QLineEdit()
        self.app_id_edit.setPlaceholderText(self.tr("for example 1234567"))
        self.app_id_edit.setAccessibleName(self.tr("App id"))
        self.secret_edit = QLineEdit()
        self._secret_field(self.secret_edit)
        self.secret_edit.setPlaceholderText(self.tr("Paste your app secret here"))
        self.secret_edit.setAccessibleName(self.tr("App secret"))
        from PySide6.QtGui import QIntValidator

        self.port_edit = QLineEdit()
        self.port_edit.setValidator(QIntValidator(1024, 65535, self.port_edit))
        self.port_edit.setMaximumWidth(110)
        from pinviewer.core.api.credentials import DEFAULT_REDIRECT_PORT

        self.port_edit.setText(str(DEFAULT_REDIRECT_PORT))
        self.port_edit.setAccessibleName(self.tr("Redirect port"))
        self.port_edit.textChanged.connect(self._update_redirect_hint)
        self.port_edit.textChanged.connect(self._update_buttons)
        for i, (text, widget) in enumerate(((self.tr("App id"), self.app_id_edit),
                                            (self.tr("App secret"), self.secret_edit),
                                            (self.tr("Redirect port"), self.port_edit))):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, i, 0)
            grid.addWidget(widget, i, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self.redirect_hint = QLabel()
        self.redirect_hint.setObjectName("faint")
        self.redirect_hint.setWordWrap(True)
        self.redirect_hint.setTextFormat(Qt.TextFormat.RichText)
        self.redirect_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.redirect_hint)
        self._update_redirect_hint()
        row = QHBoxLayout()
        self.browser_button = QPushButton(self.tr("Sign in with the browser"))
        self.browser_button.clicked.connect(self.sign_in_with_browser)
        row.addWidget(self.browser_button)
        row.addStretch(1)
        layout.addLayout(row)
        for edit in (self.app_id_edit, self.secret_edit):
            edit.textChanged.connect(self._update_buttons)
        return frame

    @staticmethod
    def _secret_field(edit: QLineEdit) -> None:
        edit.setEchoMode(QLineEdit.EchoMode.Password)  # no copy or drag out either
        edit.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText
                                 | Qt.InputMethodHint.ImhNoAutoUppercase | Qt.InputMethodHint.ImhHiddenText)
        edit.setClearButtonEnabled(True)

    def _apply_theme(self) -> None:
        from pinviewer.gui import style

        t = style.current()
        self.setStyleSheet(f"""
QScrollArea#connectScroll, QWidget#connectBody {{ background: transparent; }}
QLabel#dialogTitle {{ font-size: 14pt; font-weight: 700; color: {t.text}; }}
QFrame#steps, QFrame#advanced {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 10px; }}
QFrame#steps QLabel, QFrame#advanced QLabel {{ background: transparent; }}
QLabel#stepsTitle, QLabel#fieldLabel {{ font-weight: 600; color: {t.text}; }}
QFrame#steps QLabel#stepNumber {{ background: {t.accent}; color: #ffffff; border-radius: 11px; font-weight: 700; }}
QPushButton#primary:disabled {{ background: {t.surface_alt}; color: {t.text_faint}; border: 1px solid {t.border}; }}
""")

    # ---------------------------------------------------------------- showing
    def _show_advanced(self, shown: bool) -> None:
        """The browser sign-in takes the place of the token steps (one way at a time), and back."""
        if self.advanced_button.isChecked() != shown:
            self.advanced_button.setChecked(shown)
            return  # toggled() calls back
        if self.advanced_frame.isVisibleTo(self) != shown and (self.account is not None or self._oauth_tokens):
            self.account, self._checked_token, self._oauth_tokens = None, None, None  # checked on the other way
            self._quiet()
        self.advanced_frame.setVisible(shown)
        self.token_part.setVisible(not shown)
        self.advanced_button.setText(self.tr("◂ Paste an access token instead") if shown
                                     else self.tr("Advanced: sign in with your own Pinterest app instead ▸"))
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

    def _update_redirect_hint(self) -> None:
        uri = f"http://localhost:{self.port() or 'PORT'}/"
        self.redirect_hint.setText(self.tr("Your app must list <b>{uri}</b> as a redirect URI (Manage > Configure)."
                                           ).format(uri=uri))

    def port(self) -> int | None:
        """The redirect port typed in Advanced (None while it is not a whole number from 1024 to 65535)."""
        text = self.port_edit.text().strip()
        return int(text) if text.isdigit() and 1024 <= int(text) <= 65535 else None

    def _reveal(self, shown: bool) -> None:
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.show_button.setText(self.tr("Hide") if shown else self.tr("Show"))

    def _say(self, text: str, *, problem: bool = False) -> None:
        """A sentence under the fields. ``text`` is rich text: escape what PinViewer did not write itself."""
        self.result_label.setText(text)
        self.result_frame.setProperty("problem", "true" if problem else "false")
        self.result_frame.style().unpolish(self.result_frame)
        self.result_frame.style().polish(self.result_frame)
        self.result_frame.setVisible(True)
        self._fit()

    def _quiet(self) -> None:
        self.result_frame.setVisible(False)

    def _show_status(self) -> None:
        status = self.status
        self._keyring_problem = status.keyring_problem
        if status.connected:
            who = stored_account()
            text = (self.tr("<b>Connected as {who}.</b>").format(who=html.escape(who, quote=False)) if who
                    else self.tr("<b>PinViewer is connected to Pinterest.</b>"))
            if status.session_only:
                text += " " + self.tr("For this session only: PinViewer forgets the token when you close it.")
            elif status.renews:
                text += " " + self.tr("PinViewer renews its access by itself.")
            self.status_label.setText(text)
        self.status_frame.setVisible(status.connected)
        if status.app_id and not self.app_id_edit.text():
            self.app_id_edit.setText(status.app_id)
        self._show_keyring_problem(status.keyring_problem)
        self._show_setup(not status.connected)

    def _show_keyring_problem(self, problem: str | None) -> None:
        self._keyring_problem = problem
        self.keyring_label.setText(problem or "")
        self.keyring_frame.setVisible(bool(problem))
        self.connect_button.setText(self.tr("Use for this session only") if problem else self.tr("Connect"))
        self._fit()

    def _update_buttons(self) -> None:
        busy = self._task is not None and not self._task.finished
        self.check_button.setEnabled(not busy and bool(self.token_edit.text().strip()))
        self.browser_button.setEnabled(not busy and bool(self.app_id_edit.text().strip())
                                       and bool(self.secret_edit.text().strip()) and self.port() is not None)
        self.connect_button.setEnabled(not busy and self.setup.isVisibleTo(self) and self.ready_to_connect())
        self.disconnect_button.setEnabled(not busy)
        self.sync_button.setEnabled(not busy)

    def ready_to_connect(self) -> bool:
        """A business account was checked, for exactly what Connect would store."""
        if self.account is None:
            return False
        return self._oauth_tokens is not None or (self._checked_token is not None
                                                  and self._checked_token == self._token())

    def _token(self) -> str:
        return self.token_edit.text().strip()

    def _token_edited(self) -> None:
        if self._quiet_edit:
            return
        if self._oauth_tokens is not None or (self._checked_token is not None
                                              and self._checked_token != self._token()):
            # what was checked is not what would be stored any more
            self.account, self._checked_token, self._oauth_tokens = None, None, None
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
        self._oauth_tokens = None
        self._checked_token = None

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
        self._run(lambda progress, cancelled: read_status(), "", self._status_read, cancellable=False)

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
        self.account, self._checked_token, self._oauth_tokens = None, None, None
        self._quiet()

        def work(progress, cancelled):
            from pinviewer.core.api import credentials
            from pinviewer.core.errors import Cancelled

            account = credentials.check_token(token, **options)
            if cancelled():
                raise Cancelled()
            return account

        self._run(work, self.tr("Asking Pinterest whose token this is…"),
                  lambda account: self._checked(token, account))

    def _checked(self, token: str, account) -> None:
        if token != self._token():  # edited meanwhile: this answer is about another token
            return
        self._show_account(account)
        if account.is_business:
            self._checked_token = token
            self.connect_button.setFocus()

    def _show_account(self, account) -> None:
        if not account.is_business:
            self.account = None
            sentence = account.not_business_sentence() + " " + self.tr("Nothing was stored.")
            self._say(html.escape(sentence, quote=False), problem=True)
            return
        self.account = account
        action = (self.tr("Click <b>Use for this session only</b> to use it until you close PinViewer.")
                  if self._keyring_problem else self.tr("Click <b>Connect</b> to keep it in your keyring."))
        self._say(self.tr("✓ This token belongs to <b>{who}</b>, business account. {action}").format(
            who=html.escape(account_description(account), quote=False), action=action))

    def sign_in_with_browser(self) -> None:
        """The OAuth code flow with a loopback redirect; the account is checked before anything is kept."""
        app_id, secret = self.app_id_edit.text().strip(), self.secret_edit.text().strip()
        if not app_id or not secret or self.port() is None or (self._task is not None and not self._task.finished):
            return
        from pinviewer.gui import sync_ui

        options, port = dict(sync_ui.CLIENT_OPTIONS), self.port()
        self.account, self._checked_token, self._oauth_tokens = None, None, None
        self._quiet()
        waiting = self.tr("Allow PinViewer on the Pinterest page that opened in your browser, then come back here.")

        def work(progress, cancelled):
            from pinviewer.core.api import credentials

            progress(0, 0, waiting)
            tokens = credentials.oauth_authorize(app_id, secret, port=port, cancelled=cancelled,
                                                 open_browser=lambda url: open_in_browser(url), **options)
            return tokens, credentials.check_token(tokens.access_token, **options)

        self._run(work, self.tr("Waiting for Pinterest in your browser…"), self._signed_in)

    def _signed_in(self, answer) -> None:
        tokens, account = answer
        self._quiet_edit = True
        try:
            self.token_edit.setText("")  # this connection replaces a pasted token
        finally:
            self._quiet_edit = False
        self._show_account(account)
        if account.is_business:
            self._oauth_tokens = tokens
            self.connect_button.setFocus()

    def connect_account(self) -> None:
        """Store what was checked: in the keyring, or for this session only when no keyring works."""
        if not self.ready_to_connect() or (self._task is not None and not self._task.finished):
            return
        account, tokens, token = self.account, self._oauth_tokens, self._checked_token
        session_only = self._keyring_problem is not None

        def work(progress, cancelled):
            from pinviewer.core.api import credentials

            if tokens is not None:
                credentials.store_tokens(tokens, session_only=session_only)
            else:
                credentials.store_token(token, session_only=session_only)
            return session_only

        def stored(session_only: bool) -> None:
            description = account_description(account)
            _remember_account(description, session_only)
            log.info("Connected from the window (%s)", "this session only" if session_only else "keyring")
            self._clear_secrets()
            self.account = None
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
            from pinviewer.core.api import credentials

            return credentials.forget()

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
        self.account = None
        super().done(result)
