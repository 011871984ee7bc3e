"""Which days to look at, and what to compare them with."""
from __future__ import annotations

import datetime as dt
from typing import cast

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QWidget)

from pinviewer.core import session
from pinviewer.gui import formatting as fmt
from pinviewer.gui.labels import ElidedLabel

PRESETS = (*session.PRESETS, "custom")
COMPARES = ("previous", "year")


def preset_labels(tr) -> dict[str, str]:
    # the same presets as pinviewer.core.analysis.PRESET_LABELS, translated
    return {"last_7": tr("Last 7 days"), "last_30": tr("Last 30 days"), "last_90": tr("Last 90 days"),
            "this_month": tr("This month"), "last_month": tr("Last month"), "all_time": tr("All time"),
            "custom": tr("Custom…")}


class CustomPeriodDialog(QDialog):
    def __init__(self, start: dt.date, end: dt.date, first: dt.date | None, last: dt.date | None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Choose the days"))
        form = QFormLayout(self)
        self.start_edit, self.end_edit = QDateEdit(), QDateEdit()
        for edit, value in ((self.start_edit, start), (self.end_edit, end)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(fmt.locale().dateFormat(fmt.locale().FormatType.ShortFormat))
            if first and last:
                edit.setDateRange(fmt.qdate(first), fmt.qdate(last))
            edit.setDate(fmt.qdate(value))
        form.addRow(self.tr("From"), self.start_edit)
        form.addRow(self.tr("To"), self.end_edit)
        if first and last:
            note = QLabel(self.tr("Your figures run from {first} to {last}.").format(first=fmt.day(first),
                                                                                   last=fmt.day(last)))
            note.setObjectName("faint")
            form.addRow(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def period(self) -> tuple[dt.date, dt.date]:
        a, b = (cast(dt.date, e.date().toPython()) for e in (self.start_edit, self.end_edit))  # a QDate: a date
        return (a, b) if a <= b else (b, a)


class PeriodPicker(QWidget):
    """Preset, custom range and comparison. ``changed`` fires when any of them changes."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.preset_box = QComboBox()
        self.preset_box.setAccessibleName(self.tr("Period"))
        for key, label in preset_labels(self.tr).items():
            self.preset_box.addItem(label, key)
        self.compare_box = QComboBox()
        self.compare_box.setAccessibleName(self.tr("Compare with"))
        self.compare_box.addItem(self.tr("vs the period before"), "previous")
        self.compare_box.addItem(self.tr("vs a year earlier"), "year")
        self.compare_box.setToolTip(self.tr("What the arrows and percentages compare with: the same number of "
                                            "days just before, or the same days a year earlier"))
        for box in (self.preset_box, self.compare_box):  # wide enough for the longest choice and the arrow
            box.ensurePolished()
            longest = max(box.fontMetrics().horizontalAdvance(box.itemText(i)) for i in range(box.count()))
            box.setFixedWidth(longest + 68)
        self.range_label = ElidedLabel()
        self.range_label.setObjectName("faint")
        self.range_label.setMinimumWidth(60)
        layout.addWidget(self.preset_box)
        layout.addWidget(self.compare_box)
        layout.addWidget(self.range_label)
        self.custom: tuple[dt.date, dt.date] | None = None
        self.bounds: tuple[dt.date, dt.date] | None = None
        self.shown: tuple[dt.date, dt.date] | None = None  # the period on screen: Custom… opens on it
        self._last_preset = "last_30"
        self.preset_box.activated.connect(self._preset_activated)
        self.compare_box.activated.connect(lambda _: self.changed.emit())

    # ---------------------------------------------------------------- state
    def preset(self) -> str:
        return self.preset_box.currentData()

    def compare(self) -> str:
        return self.compare_box.currentData()

    def set_state(self, preset: str, compare: str, custom: tuple[dt.date, dt.date] | None = None) -> None:
        """Set without emitting ``changed``."""
        if preset not in PRESETS or (preset == "custom" and custom is None):
            preset = "last_30"
        self.custom = custom
        self.preset_box.setCurrentIndex(PRESETS.index(preset))
        self.compare_box.setCurrentIndex(COMPARES.index(compare) if compare in COMPARES else 0)
        self._last_preset = preset

    def choose(self, preset: str, custom: tuple[dt.date, dt.date] | None = None, compare: str | None = None) -> None:
        """Choose as a user would (emits ``changed``)."""
        self.set_state(preset, compare or self.compare(), custom if preset == "custom" else self.custom)
        self.changed.emit()

    def show_range(self, start: dt.date | None, end: dt.date | None) -> None:
        self.shown = (start, end) if start and end else None
        self.range_label.setText(fmt.period(start, end) if start and end else "")

    def _preset_activated(self, index: int) -> None:
        key = self.preset_box.itemData(index)
        if key == "custom":
            start, end = self.shown or self.custom or (self.bounds or (dt.date.today() - dt.timedelta(days=29),
                                                                      dt.date.today()))
            if self.shown is None and self.custom is None and self.bounds:
                end = self.bounds[1]
                start = max(self.bounds[0], end - dt.timedelta(days=29))
            first, last = self.bounds or (None, None)
            dialog = CustomPeriodDialog(start, end, first, last, parent=self.window())
            if dialog.exec() != QDialog.DialogCode.Accepted:
                self.preset_box.setCurrentIndex(PRESETS.index(self._last_preset))
                return
            self.custom = dialog.period()
        self._last_preset = key
        self.changed.emit()



