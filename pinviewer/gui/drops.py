"""Files dropped on the window: "Drop to import" while they are dragged over it, then the import.

``DropImport`` watches the main window's drag and drop events (an event filter, so the window class stays
small): local files are accepted anywhere on the window; over the first screen its drop target lights up,
elsewhere a frame says "Drop to import" over the pages. The drop is handed to ``on_drop(paths)`` once the
file manager has been told the drop finished.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout


def dropped_paths(mime) -> list[Path]:
    """The local files in a drag's data (links and text are not files)."""
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def drop_overlay(parent) -> QFrame:
    """The frame that says "Drop to import" over the pages while files are dragged over the window."""
    overlay = QFrame(parent)
    overlay.setObjectName("dropOverlay")
    overlay.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    layout = QVBoxLayout(overlay)
    label = QLabel(overlay.tr("Drop to import"))
    label.setObjectName("dropOverlayText")
    layout.addWidget(label, 0, Qt.AlignmentFlag.AlignCenter)
    overlay.setVisible(False)
    return overlay


class DropImport(QObject):
    def __init__(self, window, empty_page, on_drop):
        super().__init__(window)
        self.window, self.empty_page, self.on_drop = window, empty_page, on_drop
        self.overlay = drop_overlay(window.centralWidget())
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if dropped_paths(event.mimeData()):
                event.acceptProposedAction()
                if kind == QEvent.Type.DragEnter:
                    self.show_hover(True)
            else:
                event.ignore()
            return True
        if kind == QEvent.Type.DragLeave:
            self.show_hover(False)
            return True
        if kind == QEvent.Type.Drop:
            self.show_hover(False)
            paths = dropped_paths(event.mimeData())
            if not paths:
                event.ignore()
                return True
            event.acceptProposedAction()
            # let the drop finish (the file manager waits for it) before importing
            QTimer.singleShot(0, self, lambda: self.on_drop(paths))
            return True
        return False

    def show_hover(self, visible: bool) -> None:
        if self.window.stack.currentWidget() is self.empty_page:
            self.empty_page.set_hover(visible)
            return
        central = self.window.centralWidget()
        self.overlay.setGeometry(central.rect().adjusted(12, 12, -12, -12))
        self.overlay.setVisible(visible)
        self.overlay.raise_()
