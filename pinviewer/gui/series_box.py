"""Which figures of a profile the window shows: the main ones, or a Pinterest export made with filters.

An export with filters (only organic Pins, only mobile…) counts something else than the main figures, so
PinViewer keeps it as a series of its own. The box appears in the top bar only when a profile has more than the
main series.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox


class SeriesBox(QComboBox):
    chosen = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName(self.tr("Figures shown"))
        self.setToolTip(self.tr("Pinterest exports made with filters (only organic Pins, only mobile…) count "
                                "something else than your main figures, so they are kept apart. Choose which "
                                "figures to show."))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMaximumWidth(300)
        self.activated.connect(lambda _i: self.chosen.emit())
        self.setVisible(False)

    def set_series(self, series: list[tuple[str | None, str]], current: str | None) -> None:
        """``series``: (key, plain name), the main one first; shown only when there is more than one."""
        self.blockSignals(True)
        self.clear()
        for key, name in series:
            self.addItem(self.tr("All Pins (your main figures)") if key is None else name, key)
        keys = [key for key, _name in series]
        self.setCurrentIndex(keys.index(current) if current in keys else 0)
        self.blockSignals(False)
        self.setVisible(len(series) > 1)

    def current_key(self) -> str | None:
        return self.currentData() if self.count() else None
