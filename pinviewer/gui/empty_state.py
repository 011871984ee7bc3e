"""The first screen: a large drop target that says what to drop, and three ways to start."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    import_clicked = Signal()
    connect_clicked = Signal()
    demo_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("page")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 32, 40, 40)
        self.target = QFrame()
        self.target.setObjectName("dropTarget")
        self.target.setMinimumHeight(340)
        self.target.setMaximumWidth(860)
        inner = QVBoxLayout(self.target)
        inner.setContentsMargins(96, 40, 96, 40)
        inner.setSpacing(14)
        inner.addStretch(1)
        arrow = QLabel("⤓")
        arrow.setAlignment(Qt.AlignmentFlag.AlignCenter)
        arrow.setStyleSheet("font-size: 40pt; color: #0072B2; background: transparent;")
        inner.addWidget(arrow)
        self.title = QLabel(self.tr("Drop your Pinterest or Google Analytics export here"))
        self.title.setObjectName("dropTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        inner.addWidget(self.title)
        hint = QLabel(self.tr(
            "In Pinterest, open Analytics and choose Export: the overview and the top Pins files both work. "
            "Add Google Analytics exports (Traffic acquisition, Landing page) to see the visits and sign-ups "
            "your Pins bring. Everything stays on this computer."))
        hint.setObjectName("dropHint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        inner.addWidget(hint)
        inner.addSpacing(10)
        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        buttons.addStretch(1)
        self.import_button = QPushButton(self.tr("Import a file…"))
        self.import_button.setObjectName("primary")
        self.connect_button = QPushButton(self.tr("Connect Pinterest…"))
        self.demo_button = QPushButton(self.tr("Try the sample data"))
        for button, signal in ((self.import_button, self.import_clicked), (self.connect_button, self.connect_clicked),
                               (self.demo_button, self.demo_clicked)):
            button.setMinimumHeight(34)
            button.clicked.connect(signal)
            buttons.addWidget(button)
        buttons.addStretch(1)
        inner.addLayout(buttons)
        inner.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.target, 8)
        row.addStretch(1)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def set_hover(self, hover: bool) -> None:
        self.target.setProperty("hover", "true" if hover else "false")
        self.target.style().unpolish(self.target)
        self.target.style().polish(self.target)
