"""Messages in the window itself, above the content: what an import added (with Undo), the demo banner.

A notice never blocks: the user can keep working, act on it, or close it.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class Notice(QFrame):
    """One line of text with optional buttons and a close button."""

    closed = Signal()

    def __init__(self, object_name: str = "notice", closable: bool = True, parent=None):
        super().__init__(parent)
        self.setObjectName(object_name)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(14, 3, 6, 3)
        self._layout.setSpacing(10)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)  # callers escape what they did not write themselves
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._layout.addWidget(self.text, 1)
        self._buttons: list[QPushButton] = []
        self.close_button = QPushButton("✕")
        self.close_button.setObjectName("link")
        self.close_button.setToolTip(self.tr("Close this message"))
        self.close_button.setAccessibleName(self.tr("Close this message"))
        self.close_button.clicked.connect(self.dismiss)
        self.close_button.setVisible(closable)
        self._layout.addWidget(self.close_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.setVisible(False)

    def show_message(self, text: str, actions=(), problem: bool = False, timeout_ms: int | None = None) -> None:
        """``text`` is rich text; ``actions``: (label, callable) pairs shown as buttons, each closing the notice
        after acting."""
        for button in self._buttons:
            self._layout.removeWidget(button)
            button.deleteLater()
        self._buttons = []
        self.text.setText(text)
        self.setProperty("problem", "true" if problem else "false")
        self.style().unpolish(self)
        self.style().polish(self)
        for i, (label, callback) in enumerate(actions):
            button = QPushButton(label)
            if i == 0:
                button.setObjectName("primary")
            button.clicked.connect(lambda _=False, cb=callback: self._act(cb))
            self._layout.insertWidget(self._layout.count() - 1, button)
            self._buttons.append(button)
        self.setVisible(True)
        if timeout_ms:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()

    def buttons(self) -> list[QPushButton]:
        return list(self._buttons)

    def _act(self, callback) -> None:
        self.dismiss()
        callback()

    def dismiss(self) -> None:
        self._timer.stop()
        if self.isVisible():
            self.setVisible(False)
            self.closed.emit()


class DemoBanner(Notice):
    """'You're looking at a sample blog', with the way back."""

    def __init__(self, back, parent: QWidget | None = None):
        super().__init__("banner", closable=False, parent=parent)
        self.text.setText(self.tr("<b>You're looking at a sample blog.</b> Every figure here is made up, "
                                  "to show what PinViewer does with your own exports."))
        self.back_button = QPushButton(self.tr("Back to my blog"))
        self.back_button.setObjectName("primary")
        self.back_button.clicked.connect(back)
        self._layout.insertWidget(1, self.back_button)
