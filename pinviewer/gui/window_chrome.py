"""The main window's chrome around the pages: the page list on the left (``Navigation``), the messages above
the pages (``Messages``: the sample blog's banner and the notice, which belongs to the profile it is about), and
the top bar's Import… and Save PDF buttons.

Built by ``MainWindow.build()`` right after the first paint; what the first paint itself needs (the skeleton, the
window's size) stays in ``main_window`` and ``window_geometry``.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from pinviewer.gui.notices import DemoBanner, Notice


class Navigation(QWidget):
    """The page list (Overview, Pins, Posts, Insights) and, under it, a line about the history's span."""

    chosen = Signal(int)  # a page row, from the keyboard or the mouse

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("nav")
        self.setFixedWidth(170)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 14, 10, 14)
        self.list = QListWidget()
        self.list.setObjectName("navList")
        self.list.addItems([self.tr("Overview"), self.tr("Pins"), self.tr("Posts"), self.tr("Insights")])
        self.list.setAccessibleName(self.tr("Pages"))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(lambda row: self.chosen.emit(row) if row >= 0 else None)
        layout.addWidget(self.list, 1)
        self.footer = QLabel()
        self.footer.setObjectName("navFooter")
        self.footer.setWordWrap(True)
        layout.addWidget(self.footer)

    def current(self) -> int:
        return self.list.currentRow()

    def set_current(self, page: int) -> None:
        if self.list.currentRow() != page:
            self.list.setCurrentRow(page)


class Messages(QWidget):
    """The sample blog's banner and the notice, above the pages; hidden when neither shows.

    A notice may belong to a profile (``owner``: DataController.profile_key): it goes when another profile is
    shown, so its Undo can never act on a profile it was not about.
    """

    def __init__(self, back_to_own: Callable[[], None], parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 0)
        layout.setSpacing(8)
        self.banner = DemoBanner(back_to_own)
        self.banner.setVisible(False)
        self.notice = Notice()
        layout.addWidget(self.banner)
        layout.addWidget(self.notice)
        self.owner: tuple[Any, ...] | None = None
        self.setVisible(False)
        self.banner.closed.connect(self.refresh)
        self.notice.closed.connect(self.refresh)

    def show_notice(self, text: str, actions: Sequence = (), problem: bool = False, timeout_ms: int | None = None,
                    owner: tuple[Any, ...] | None = None) -> None:
        self.owner = owner
        self.notice.show_message(text, actions, problem=problem, timeout_ms=timeout_ms)
        self.refresh()

    def show_profile(self, key: tuple[Any, ...] | None, demo: bool) -> None:
        """Another profile (or the same) is shown: the banner says whether it is the sample blog, and a notice
        about another profile goes."""
        self.banner.setVisible(demo)
        if self.owner is not None and self.owner != key:
            self.notice.dismiss()
        self.refresh()

    def refresh(self) -> None:
        self.setVisible(self.banner.isVisibleTo(self) or self.notice.isVisibleTo(self))


def top_buttons(window: QWidget, layout: QHBoxLayout, import_files: Callable[[], None],
                save_pdf: Callable[[], None]) -> tuple[QPushButton, QPushButton]:
    """Import… and Save PDF at the right of the top bar."""
    import_button = QPushButton(window.tr("Import…"))
    import_button.setObjectName("primary")
    import_button.setToolTip(window.tr("Import Pinterest or Google Analytics exports (Ctrl+O). "
                                       "You can also drop files anywhere on the window."))
    import_button.clicked.connect(import_files)
    layout.addWidget(import_button)
    pdf_button = QPushButton(window.tr("Save PDF"))
    pdf_button.setToolTip(window.tr("Save a one-page summary of this period as a PDF"))
    pdf_button.clicked.connect(save_pdf)
    layout.addWidget(pdf_button)
    return import_button, pdf_button
