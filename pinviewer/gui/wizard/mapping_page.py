"""Second page, for tables PinViewer cannot place: what each column holds, with a live preview.

Every change is checked at once (check_mapping's sentences: exactly one date column, no figure twice...) and the
file is read again with the new choice on the worker, so the preview and the row problems (numbers that do not
parse, unreadable dates) always match what would be imported. The mapping is remembered for files with the
same columns (pinviewer.core.mappings) when the import succeeds.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy,
                               QVBoxLayout, QWidget)

from pinviewer.gui import formatting as fmt
from pinviewer.gui.wizard.preview import (PreviewTable, ProblemBox, WizardPage, metric_list, plain_scroll,
                                          problem_line, role_choices, tr)

DEBOUNCE_MS = 250
SAMPLE_VALUES = 2


class MappingPage(WizardPage):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.set_heading(tr("Say what each column holds"),
                         tr("PinViewer doesn't know these columns yet. Choose what each one holds: the figures on the "
                            "right are read again as you choose, so you can check them before importing."))
        self._entry = None
        self._combos: dict[str, QComboBox] = {}
        self._filling = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._read_again)

        outer = self.body
        outer.setSpacing(10)
        top = QHBoxLayout()
        self.file_label = QLabel(tr("File"))
        self.file_label.setObjectName("muted")
        self.file_box = QComboBox()
        self.file_box.setAccessibleName(tr("File"))
        self.file_box.setMinimumContentsLength(24)
        self.file_box.currentIndexChanged.connect(self._file_chosen)
        self.file_label.setBuddy(self.file_box)
        top.addWidget(self.file_label)
        top.addWidget(self.file_box)
        top.addStretch(1)
        self.wanted = QCheckBox(tr("Import this file"))
        self.wanted.toggled.connect(self._wanted_changed)
        top.addWidget(self.wanted)
        outer.addLayout(top)

        body = QHBoxLayout()
        body.setSpacing(12)
        card = QFrame()
        card.setObjectName("card")
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(16, 12, 8, 12)
        self.grid_widget = QWidget()
        self.grid = QGridLayout(self.grid_widget)
        self.grid.setContentsMargins(0, 0, 8, 0)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(6)
        self.scroll = plain_scroll(self.grid_widget)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        card_layout.addWidget(self.scroll, 1)
        card.setFixedWidth(500)
        body.addWidget(card)

        right = QVBoxLayout()
        right.setSpacing(8)
        self.rows_label = QLabel()
        self.rows_label.setObjectName("headline")
        self.rows_label.setWordWrap(True)
        right.addWidget(self.rows_label)
        self.problems = ProblemBox()
        right.addWidget(self.problems)
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        right.addWidget(self.status)
        self.preview_title = QLabel(tr("The figures, read with your columns"))
        self.preview_title.setObjectName("tableHead")
        right.addWidget(self.preview_title)
        self.table = PreviewTable()
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        right.addWidget(self.table, 1)
        self.remember = QCheckBox(tr("Remember these columns for files with the same column names"))
        self.remember.setToolTip(tr("Next time, a file like this one is imported without asking. You can review "
                                    "and forget remembered columns in File → Import history."))
        self.remember.toggled.connect(self._remember_changed)
        right.addWidget(self.remember)
        body.addLayout(right, 1)
        outer.addLayout(body, 1)

    # ---------------------------------------------------------------- wizard hooks
    def initializePage(self) -> None:
        entries = self.wizard().to_map()
        self._filling = True
        self.file_box.clear()
        for entry in entries:
            self.file_box.addItem(entry.path.name, entry.key)
        self._filling = False
        many = len(entries) > 1
        self.file_label.setVisible(many)
        self.file_box.setVisible(many)
        self.wanted.setVisible(len(self.wizard().entries) > 1)
        self.show_entry(entries[0] if entries else None)

    def cleanupPage(self) -> None:
        self._flush()

    def validatePage(self) -> bool:
        self._flush()
        return self.isComplete()

    def isComplete(self) -> bool:
        wizard = self.wizard()
        if wizard is None or self._timer.isActive():
            return False
        entries = [e for e in wizard.entries if e.needs_mapping or (e.own_columns and not e.wanted)]
        wanted = [e for e in entries if e.wanted]
        return bool(wizard.wanted()) and all(e.importable for e in wanted)

    def nextId(self) -> int:
        from pinviewer.gui.wizard import IMPORT, OVERLAP

        return OVERLAP if self.wizard().with_overlap() else IMPORT

    # ---------------------------------------------------------------- showing
    def combo(self, column: str) -> QComboBox:
        """The choice for one column of the file shown."""
        return self._combos[column]

    def entry(self):
        return self._entry

    def _file_chosen(self, index: int) -> None:
        if self._filling or index < 0:
            return
        self._flush()
        key = self.file_box.itemData(index)
        self.show_entry(next((e for e in self.wizard().entries if e.key == key), None))

    def show_entry(self, entry) -> None:
        self._entry = entry
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._combos = {}
        if entry is None:
            return
        self._filling = True
        for col, text in enumerate((tr("Column in your file"), tr("First values"), tr("What it holds"))):
            head = QLabel(text)
            head.setObjectName("tableHead")
            self.grid.addWidget(head, 0, col)
        header, sample = entry.preview.header, entry.preview.sample
        choices = role_choices()
        for i, column in enumerate(header):
            name = QLabel(column)
            name.setToolTip(column)
            name.setMaximumWidth(140)
            values = [row[i].strip() for row in sample if i < len(row) and row[i].strip()][:SAMPLE_VALUES]
            shown = QLabel(self.fontMetrics().elidedText(", ".join(values), Qt.TextElideMode.ElideRight, 130))
            shown.setObjectName("faint")
            shown.setToolTip("\n".join(values))
            shown.setMaximumWidth(140)
            shown.setMinimumWidth(60)
            combo = QComboBox()
            combo.setAccessibleName(tr("What the column “{column}” holds").format(column=column))
            combo.setMaxVisibleItems(18)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(18)
            for role, label, tip in choices:
                if role is None:
                    combo.insertSeparator(combo.count())
                    continue
                combo.addItem(label, role)
                combo.setItemData(combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(max(0, combo.findData(entry.mapping.columns.get(column, "ignore"))))
            combo.currentIndexChanged.connect(lambda _i, c=column, box=combo: self._role_chosen(c, box))
            self.grid.addWidget(name, i + 1, 0)
            self.grid.addWidget(shown, i + 1, 1)
            self.grid.addWidget(combo, i + 1, 2)
            self._combos[column] = combo
        self.grid.setColumnStretch(2, 1)
        self.grid.setRowStretch(len(header) + 1, 1)
        self.wanted.setChecked(entry.wanted)
        self.remember.setChecked(entry.remember)
        self._filling = False
        self.refresh()

    def refresh(self) -> None:
        from pinviewer.gui.wizard import IMPORT

        entry = self._entry
        if entry is None:
            return
        mapping = entry.mapping
        pin_rows = mapping is not None and "pin_id" in mapping.columns.values()
        self.rows_label.setText(tr("Each row is one Pin on one day.") if pin_rows else
                                tr("Each row is one day for your whole blog or account."))
        mapped = entry.mapped
        if not entry.wanted:
            self.problems.show_lines("", [], True)
            self.status.setText(tr("This file is left out of the import."))
        elif entry.mapping_problems:
            self.problems.show_lines(tr("Before PinViewer can read this file:"), entry.mapping_problems, True)
            self.status.setText("")
        elif entry.mapping_pending or self._timer.isActive() or mapped is None:
            self.problems.show_lines("", [], True)
            self.status.setText(tr("Reading the file with your columns…"))
        elif mapped.error is not None:
            self.problems.show_lines(tr("With these columns, PinViewer can't read the file:"), [mapped.error], True)
            self.status.setText("")
        elif mapped.fatal:
            self.problems.show_lines(tr("With these columns, some rows can't be read:"),
                                     [problem_line(p) for p in mapped.fatal], True)
            self.status.setText(tr("Check the columns marked as figures and the date column, or fix the file and "
                                   "drop it again."))
        else:
            batch = mapped.batch
            rng = mapped.date_range()
            days = fmt.by_count(batch.rows, tr("1 row"), tr("{n} rows"))
            text = tr("Read with these columns: {rows} covering {period}, with {figures}.").format(
                rows=days, period=fmt.period(*rng) if rng else fmt.DASH, figures=metric_list(batch.metrics()))
            self.problems.show_lines(text, [problem_line(p) for p in mapped.warnings], False, bold=False)
            self.status.setText("")
        showing = mapped is not None and mapped.rows is not None and not entry.mapping_problems
        self.preview_title.setVisible(showing)
        self.table.setVisible(showing)
        if showing:
            self.table.show_preview(mapped)
        self.setCommitPage(self.nextId() == IMPORT)
        self.completeChanged.emit()

    # ---------------------------------------------------------------- choices
    def _role_chosen(self, column: str, combo: QComboBox) -> None:
        entry = self._entry
        if self._filling or entry is None:
            return
        entry.mapping.columns[column] = combo.currentData()
        self._timer.start()
        self.refresh()

    def _read_again(self) -> None:
        if self._entry is not None:
            self.wizard().read_mapped(self._entry)

    def _flush(self) -> None:
        """Read now what is waiting for the debounce."""
        if self._timer.isActive():
            self._timer.stop()
            self._read_again()

    def _wanted_changed(self, wanted: bool) -> None:
        if self._filling or self._entry is None:
            return
        self._entry.wanted = wanted
        self.wizard().state_changed.emit()
        self.refresh()

    def _remember_changed(self, remember: bool) -> None:
        if not self._filling and self._entry is not None:
            self._entry.remember = remember
