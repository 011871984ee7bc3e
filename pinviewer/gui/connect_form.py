"""The parts File > Connect Pinterest is made of, widgets only: the dialog (``connect_dialog``) decides what they
show and what their buttons do.

* ``ConnectedBar``: who is connected, with Sync now and Disconnect.
* ``SetupPart``: the two ways in, one at a time: ``TokenPart`` (how to get an access token in three steps, the
  token field with Show and Check) or, under Advanced, ``AdvancedFrame`` (the browser sign-in with your own
  Pinterest app: app id, secret, redirect port).
* ``Notice``: a sentence in a frame (the check's answer, a problem, no keyring); ``check_answer`` words it.

The token and the app secret live in password fields (``secret_field``) that offer no copy, drag or prediction.
"""
from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from pinviewer.gui.style import Theme

DEVELOPER_APPS_URL = "https://developers.pinterest.com/apps/"


def tr(text: str) -> str:
    return QCoreApplication.translate("ConnectDialog", text)


def secret_field(edit: QLineEdit) -> None:
    edit.setEchoMode(QLineEdit.EchoMode.Password)  # no copy or drag out either
    edit.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText
                             | Qt.InputMethodHint.ImhNoAutoUppercase | Qt.InputMethodHint.ImhHiddenText)
    edit.setClearButtonEnabled(True)


def style_sheet(t: Theme) -> str:
    """The dialog's own rules on top of the application's style sheet, in theme ``t`` (``style.current()``)."""
    return f"""
QScrollArea#connectScroll, QWidget#connectBody {{ background: transparent; }}
QLabel#dialogTitle {{ font-size: 14pt; font-weight: 700; color: {t.text}; }}
QFrame#steps, QFrame#advanced {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 10px; }}
QFrame#steps QLabel, QFrame#advanced QLabel {{ background: transparent; }}
QLabel#stepsTitle, QLabel#fieldLabel {{ font-weight: 600; color: {t.text}; }}
QFrame#steps QLabel#stepNumber {{ background: {t.accent}; color: #ffffff; border-radius: 11px; font-weight: 700; }}
QPushButton#primary:disabled {{ background: {t.surface_alt}; color: {t.text_faint}; border: 1px solid {t.border}; }}
"""


# ------------------------------------------------------------------------------------------------ sentences
class Notice(QFrame):
    """A sentence in a frame, hidden until there is one. ``rich``: the sentence is rich text (the caller escapes
    what PinViewer did not write itself) and can be selected; ``problem``: always shown as a problem."""

    def __init__(self, *, rich: bool, problem: bool = False) -> None:
        super().__init__()
        self.setObjectName("notice")
        if problem:
            self.setProperty("problem", "true")
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 9, 14, 9)
        self.label = QLabel()
        self.label.setWordWrap(True)
        if rich:
            self.label.setTextFormat(Qt.TextFormat.RichText)
            self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.label)
        self.setVisible(False)

    def say(self, text: str, *, problem: bool = False) -> None:
        self.label.setText(text)
        self.setProperty("problem", "true" if problem else "false")
        self.style().unpolish(self)
        self.style().polish(self)
        self.setVisible(True)

    def show_text(self, text: str | None) -> None:
        """Show ``text``, or hide when there is none."""
        self.label.setText(text or "")
        self.setVisible(bool(text))


def check_answer(account, *, session_only: bool) -> tuple[str, bool]:
    """What the dialog says after a check of ``account`` (rich text), and whether that is a problem.
    ``session_only``: no keyring works, so Connect offers this session only."""
    if not account.is_business:
        sentence = account.not_business_sentence() + " " + tr("Nothing was stored.")
        return html.escape(sentence, quote=False), True
    action = (tr("Click <b>Use for this session only</b> to use it until you close PinViewer.")
              if session_only else tr("Click <b>Connect</b> to keep it in your keyring."))
    return tr("✓ This token belongs to <b>{who}</b>, business account. {action}").format(
        who=html.escape(account.display_name, quote=False), action=action), False


class ConnectedBar(QFrame):
    """Connected: who, Sync now, Disconnect."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("notice")
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 8, 10, 8)
        row.setSpacing(10)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.RichText)
        row.addWidget(self.status_label, 1)
        self.sync_button = QPushButton(tr("Sync now"))
        self.sync_button.setObjectName("primary")
        self.sync_button.setToolTip(tr("Fetch your latest Pinterest analytics (File > Sync with Pinterest)"))
        row.addWidget(self.sync_button)
        self.disconnect_button = QPushButton(tr("Disconnect"))
        self.disconnect_button.setToolTip(tr("Remove the token from this computer's keyring. Your history stays."))
        row.addWidget(self.disconnect_button)
        self.setVisible(False)

    def show_connection(self, who: str | None, *, session_only: bool, renews: bool) -> None:
        """Connected as ``who`` (the account in words, None when unknown), and how long it lasts."""
        text = (tr("<b>Connected as {who}.</b>").format(who=html.escape(who, quote=False)) if who
                else tr("<b>PinViewer is connected to Pinterest.</b>"))
        if session_only:
            text += " " + tr("For this session only: PinViewer forgets the token when you close it.")
        elif renews:
            text += " " + tr("PinViewer renews its access by itself.")
        self.status_label.setText(text)


# ------------------------------------------------------------------------------------------------ two ways in
class TokenPart(QWidget):
    """How to get an access token, and the field to paste it in (with Show, and Check)."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self._steps())
        layout.addLayout(self._token_row())

    def _steps(self) -> QFrame:
        frame = QFrame()
        frame.setObjectName("steps")
        grid = QGridLayout(frame)
        grid.setContentsMargins(16, 14, 16, 14)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(10)
        heading = QLabel(tr("How to get your access token"))
        heading.setObjectName("stepsTitle")
        grid.addWidget(heading, 0, 0, 1, 2)
        steps = (
            tr('Sign in at <a href="{url}">developers.pinterest.com</a> with your business account and open '
               '<b>My apps</b>. No app yet? Choose <b>Connect app</b> and fill in the short form; Pinterest '
               'usually approves it within a day or two.').format(url=DEVELOPER_APPS_URL),
            tr("Click <b>Manage</b> next to your app. On the <b>Configure</b> tab, under <b>Generate access "
               "token</b>, make a token for production: it lets PinViewer read your account, Pins and "
               "boards, and change nothing."),
            tr("Copy the token (it starts with <i>pina_</i>), paste it below and click <b>Check</b>. PinViewer "
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

    def _token_row(self) -> QVBoxLayout:
        box = QVBoxLayout()
        box.setSpacing(6)
        label = QLabel(tr("Access token"))
        label.setObjectName("fieldLabel")
        box.addWidget(label)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.token_edit = QLineEdit()
        secret_field(self.token_edit)
        self.token_edit.setPlaceholderText(tr("Paste your token here"))
        self.token_edit.setAccessibleName(tr("Access token"))
        label.setBuddy(self.token_edit)
        row.addWidget(self.token_edit, 1)
        self.show_button = QPushButton(tr("Show"))
        self.show_button.setObjectName("link")
        self.show_button.setCheckable(True)
        self.show_button.setToolTip(tr("Show the token while you check that it was pasted whole"))
        self.show_button.toggled.connect(self._reveal)
        row.addWidget(self.show_button)
        self.check_button = QPushButton(tr("Check"))
        self.check_button.setToolTip(tr("Ask Pinterest whose account this token belongs to (nothing is kept yet)"))
        row.addWidget(self.check_button)
        box.addLayout(row)
        return box

    def _reveal(self, shown: bool) -> None:
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.show_button.setText(tr("Hide") if shown else tr("Show"))

    def token(self) -> str:
        """The pasted token, without the spaces and line breaks around it."""
        return self.token_edit.text().strip()


class AdvancedFrame(QFrame):
    """The browser sign-in with your own Pinterest app: its id and secret, the redirect port, the button."""

    changed = Signal()  # a field was edited

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("advanced")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 14)
        layout.setSpacing(10)
        explain = QLabel(tr(
            "For people with their own Pinterest app: sign in on Pinterest's page in your browser instead of "
            "pasting a token. PinViewer then renews its access by itself before it runs out. Your app's id and "
            "secret are on its <b>Manage</b> page; the secret is kept in the keyring with the connection."))
        explain.setObjectName("muted")
        explain.setWordWrap(True)
        explain.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(explain)
        layout.addLayout(self._fields())
        self.redirect_hint = QLabel()
        self.redirect_hint.setObjectName("faint")
        self.redirect_hint.setWordWrap(True)
        self.redirect_hint.setTextFormat(Qt.TextFormat.RichText)
        self.redirect_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.redirect_hint)
        self._update_redirect_hint()
        row = QHBoxLayout()
        self.browser_button = QPushButton(tr("Sign in with the browser"))
        row.addWidget(self.browser_button)
        row.addStretch(1)
        layout.addLayout(row)
        for edit in (self.port_edit, self.app_id_edit, self.secret_edit):
            edit.textChanged.connect(lambda _text: self.changed.emit())

    def _fields(self) -> QGridLayout:
        from PySide6.QtGui import QIntValidator

        from pinviewer.core.api.credentials import DEFAULT_REDIRECT_PORT

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        self.app_id_edit = QLineEdit()
        self.app_id_edit.setPlaceholderText(tr("for example 1234567"))
        self.app_id_edit.setAccessibleName(tr("App id"))
        self.secret_edit = QLineEdit()
        secret_field(self.secret_edit)
        self.secret_edit.setPlaceholderText(tr("Paste your app secret here"))
        self.secret_edit.setAccessibleName(tr("App secret"))
        self.port_edit = QLineEdit()
        self.port_edit.setValidator(QIntValidator(1024, 65535, self.port_edit))
        self.port_edit.setMaximumWidth(110)
        self.port_edit.setText(str(DEFAULT_REDIRECT_PORT))
        self.port_edit.setAccessibleName(tr("Redirect port"))
        self.port_edit.textChanged.connect(self._update_redirect_hint)
        for i, (text, widget) in enumerate(((tr("App id"), self.app_id_edit), (tr("App secret"), self.secret_edit),
                                            (tr("Redirect port"), self.port_edit))):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, i, 0)
            grid.addWidget(widget, i, 1)
        grid.setColumnStretch(1, 1)
        return grid

    def _update_redirect_hint(self) -> None:
        uri = f"http://localhost:{self.port() or 'PORT'}/"
        self.redirect_hint.setText(tr("Your app must list <b>{uri}</b> as a redirect URI (Manage > Configure)."
                                      ).format(uri=uri))

    def port(self) -> int | None:
        """The redirect port typed (None while it is not a whole number from 1024 to 65535)."""
        text = self.port_edit.text().strip()
        return int(text) if text.isdigit() and 1024 <= int(text) <= 65535 else None

    def app(self) -> tuple[str, str]:
        """The app id and secret typed, without the spaces around them."""
        return self.app_id_edit.text().strip(), self.secret_edit.text().strip()

    def filled(self) -> bool:
        """Everything the sign-in needs is typed."""
        app_id, secret = self.app()
        return bool(app_id) and bool(secret) and self.port() is not None


class SetupPart(QWidget):
    """What connecting takes, and the two ways in: the token steps, or (Advanced) the browser sign-in."""

    way_shown = Signal(bool)  # after showing a way; True when it took the place of the other one

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        intro = QLabel(tr(
            "PinViewer then fetches your Pinterest analytics by itself. It needs a Pinterest <b>business "
            "account</b> (they are free) and an <b>access token</b>: a long code Pinterest makes for you. The token "
            "is kept in this computer's keyring, the system's safe place for passwords."))
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(intro)
        self.token_part = TokenPart()
        layout.addWidget(self.token_part)
        self.advanced_button = QPushButton()
        self.advanced_button.setObjectName("link")
        self.advanced_button.setCheckable(True)
        self.advanced_button.toggled.connect(self.show_advanced)
        layout.addWidget(self.advanced_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.advanced_frame = AdvancedFrame()
        layout.addWidget(self.advanced_frame)

    def show_advanced(self, shown: bool) -> None:
        """The browser sign-in takes the place of the token steps (one way at a time), and back."""
        if self.advanced_button.isChecked() != shown:
            self.advanced_button.setChecked(shown)
            return  # toggled() calls back
        switched = self.advanced_frame.isVisibleTo(self.window()) != shown
        self.advanced_frame.setVisible(shown)
        self.token_part.setVisible(not shown)
        self.advanced_button.setText(tr("◂ Paste an access token instead") if shown
                                     else tr("Advanced: sign in with your own Pinterest app instead ▸"))
        self.way_shown.emit(switched)
