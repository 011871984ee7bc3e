"""Third page, only when a file has different figures for days already stored: which figures to keep."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QFrame, QHeaderView, QLabel, QRadioButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from pinviewer.gui import formatting as fmt
from pinviewer.gui.wizard.preview import (ROW_HEIGHT, WizardPage, _number, entity_label, metric_list, period_text,
                                          plain_scroll, tr)


class OverlapCard(QFrame):
    """One file: how many days and figures differ, a few side by side, and the choice."""

    def __init__(self, entry, parent=None):
        super().__init__(parent)
        self.entry = entry
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        overlap = entry.active.overlap
        name = QLabel(entry.path.name)
        name.setObjectName("sectionTitle")
        layout.addWidget(name)
        days = fmt.by_count(overlap.days, tr("1 day (or row) you already have"),
                          tr("{n} days (or rows) you already have"))
        figures = fmt.by_count(overlap.values, tr("1 figure differs"), tr("{n} figures differ"))
        self.summary = QLabel(tr("This file has different figures for {days}: {figures} ({metrics}).").format(
            days=days, figures=figures, metrics=metric_list(overlap.metrics)))
        self.summary.setObjectName("headline")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        examples = overlap.examples
        self.table = QTableWidget(len(examples), 5)
        self.table.setHorizontalHeaderLabels([tr("Day"), tr("About"), tr("Figure"), tr("You have"),
                                              tr("In this file")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.setShowGrid(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setAccessibleName(tr("Examples of figures that differ"))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, example in enumerate(examples):
            day = str(example["date"])
            start, _, end = day.partition(" - ")
            cells = (period_text(start, end or start), _about(example["entity"]), tr(example["metric"]),
                     _number(example["stored"]), _number(example["incoming"]))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col >= 3:
                    item.setTextAlignment(right)
                self.table.setItem(row, col, item)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for col in (3, 4):
            self.table.horizontalHeaderItem(col).setTextAlignment(right)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setFixedHeight(ROW_HEIGHT * max(1, len(examples)) + header.sizeHint().height() + 6)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        if len(examples) < overlap.values:
            note = QLabel(tr("A few examples of {n}.").format(n=fmt.count(overlap.values)))
            note.setObjectName("faint")
            layout.addWidget(self.table)
            layout.addWidget(note)
        else:
            layout.addWidget(self.table)

        self.newer = QRadioButton(tr("Use the figures in this file (the newer file wins)"))
        self.keep = QRadioButton(tr("Keep the figures I have (the file only adds days and figures I don't have yet)"))
        self.group = QButtonGroup(self)
        for button in (self.newer, self.keep):
            self.group.addButton(button)
            layout.addWidget(button)
        (self.keep if entry.keep_existing else self.newer).setChecked(True)
        self.keep.toggled.connect(self._chosen)

    def _chosen(self, keep: bool) -> None:
        self.entry.keep_existing = keep


def _about(entity: str) -> str:
    return entity_label(entity)


class OverlapPage(WizardPage):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.set_heading(tr("Some days are already in PinViewer"),
                         tr("This import has figures for days you already have, and some of them differ. Choose "
                            "which figures to keep. Either way, you can undo the import later."))
        self.setCommitPage(True)
        self.cards: list[OverlapCard] = []
        outer = self.body
        cards = QWidget()
        self.layout_ = QVBoxLayout(cards)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(12)
        self.scroll = plain_scroll(cards)
        outer.addWidget(self.scroll, 1)

    def initializePage(self) -> None:
        for card in self.cards:
            self.layout_.removeWidget(card)
            card.deleteLater()
        while self.layout_.count():
            self.layout_.takeAt(0)
        self.cards = [OverlapCard(entry) for entry in self.wizard().with_overlap()]
        for card in self.cards:
            self.layout_.addWidget(card)
        self.layout_.addStretch(1)

    def card(self, name: str) -> OverlapCard:
        return next(c for c in self.cards if c.entry.path.name == name)

    def nextId(self) -> int:
        from pinviewer.gui.wizard import IMPORT

        return IMPORT
