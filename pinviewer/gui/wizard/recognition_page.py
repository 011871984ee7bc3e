"""First page: what PinViewer makes of each file, and the rows as it read them."""
from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QDateEdit, QFormLayout, QFrame, QHBoxLayout,
                               QLabel, QListWidget, QListWidgetItem, QPushButton, QRadioButton, QSizePolicy,
                               QVBoxLayout, QWidget)

from pinviewer.gui import formatting as fmt
from pinviewer.gui.wizard.preview import (PreviewTable, ProblemBox, WizardPage, confidence_words, metric_list,
                                          problem_line, tr)


class RecognitionPage(WizardPage):
    def __init__(self, parent=None):
        # Over 80 lines on purpose: the page's widgets are laid out top to bottom in the order the user reads
        # them; helpers would only pass the same dozen layouts around.
        super().__init__(parent)
        self.set_heading(tr("What PinViewer found"),
                         tr("Check that this is the file you meant. Nothing is imported until you say so, and every "
                            "import can be undone."))
        self._current = 0
        self._filling = False
        outer = self.body
        outer.setSpacing(12)

        top = QHBoxLayout()
        top.setSpacing(8)
        into = QLabel(tr("Import into"))
        into.setObjectName("muted")
        self.profile_box = QComboBox()
        self.profile_box.setAccessibleName(tr("Profile the files go to"))
        self.profile_box.setToolTip(tr("The blog or business these figures belong to. All the files of this "
                                       "import go to the same profile."))
        self.profile_box.setMinimumContentsLength(14)
        self.profile_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.profile_box.activated.connect(lambda i: self.wizard().set_profile(self.profile_box.itemText(i)))
        into.setBuddy(self.profile_box)
        top.addWidget(into)
        top.addWidget(self.profile_box)
        top.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")
        top.addWidget(self.count_label)
        outer.addLayout(top)

        body = QHBoxLayout()
        body.setSpacing(12)
        self.file_list = QListWidget()
        self.file_list.setObjectName("fileList")
        self.file_list.setAccessibleName(tr("Files"))
        self.file_list.setFixedWidth(230)
        self.file_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.file_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.file_list.currentRowChanged.connect(self._file_chosen)
        body.addWidget(self.file_list)

        card = QFrame()
        card.setObjectName("card")
        detail = QVBoxLayout(card)
        detail.setContentsMargins(18, 14, 18, 14)
        detail.setSpacing(8)
        self.name_label = QLabel()
        self.name_label.setObjectName("sectionTitle")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        detail.addWidget(self.name_label)
        self.kind_label = QLabel()
        self.kind_label.setObjectName("headline")
        self.kind_label.setWordWrap(True)
        detail.addWidget(self.kind_label)
        self.reason_label = QLabel()
        self.reason_label.setObjectName("muted")
        self.reason_label.setWordWrap(True)
        detail.addWidget(self.reason_label)

        self.facts = QWidget()
        self.form = form = QFormLayout(self.facts)
        form.setContentsMargins(0, 4, 0, 4)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(4)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.rows_value, self.dates_value, self.metrics_value, self.unused_value = (QLabel() for _ in range(4))
        for label, value in ((tr("Rows"), self.rows_value), (tr("Dates"), self.dates_value),
                             (tr("Figures"), self.metrics_value), (tr("Columns not used"), self.unused_value)):
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            name = QLabel(label)
            name.setObjectName("muted")
            form.addRow(name, value)
        detail.addWidget(self.facts)


        self.problems = ProblemBox()
        detail.addWidget(self.problems)
        self.period_row = QWidget()
        period = QHBoxLayout(self.period_row)
        period.setContentsMargins(0, 0, 0, 0)
        period_label = QLabel(tr("Which dates does this file cover?"))
        self.period_from, self.period_to = QDateEdit(), QDateEdit()
        for edit in (self.period_from, self.period_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(_date_pattern())
            edit.setDate(QDate.currentDate().addDays(-1))
        self.period_from.setDate(QDate.currentDate().addDays(-30))
        self.period_button = QPushButton(tr("Read it with these dates"))
        self.period_button.clicked.connect(self._period_chosen)
        period.addWidget(period_label)
        period.addWidget(self.period_from)
        period.addWidget(QLabel(fmt.DASH))
        period.addWidget(self.period_to)
        period.addWidget(self.period_button)
        period.addStretch(1)
        detail.addWidget(self.period_row)
        self.notes = ProblemBox()
        detail.addWidget(self.notes)

        self.choice = QWidget()
        choice = QVBoxLayout(self.choice)
        choice.setContentsMargins(0, 2, 0, 2)
        choice.setSpacing(2)
        self.as_shown = QRadioButton()
        self.own_columns = QRadioButton()
        self.choice_group = QButtonGroup(self)
        for button in (self.as_shown, self.own_columns):
            self.choice_group.addButton(button)
            choice.addWidget(button)
        self.own_columns.toggled.connect(self._choice_changed)
        detail.addWidget(self.choice)

        self.wanted = QCheckBox(tr("Import this file"))
        self.wanted.toggled.connect(self._wanted_changed)
        detail.addWidget(self.wanted)

        self.preview_title = QLabel(tr("The first rows, as PinViewer read them"))
        self.preview_title.setObjectName("tableHead")
        detail.addWidget(self.preview_title)
        self.table = PreviewTable()
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.table.setMinimumHeight(150)
        detail.addWidget(self.table, 1)
        body.addWidget(card, 1)
        outer.addLayout(body, 1)

    # ---------------------------------------------------------------- wizard hooks
    def initializePage(self) -> None:
        wizard = self.wizard()
        self.set_profiles(wizard.profiles, wizard.profile_name)
        self.refresh()

    def cleanupPage(self) -> None:
        pass

    def isComplete(self) -> bool:
        wizard = self.wizard()
        if wizard is None or wizard.busy():
            return False
        wanted = wizard.wanted()
        return bool(wanted) and all(e.needs_mapping or e.importable for e in wanted)

    def nextId(self) -> int:
        from pinviewer.gui.wizard import IMPORT, MAPPING, OVERLAP

        wizard = self.wizard()
        if wizard.to_map():
            return MAPPING
        return OVERLAP if wizard.with_overlap() else IMPORT

    # ---------------------------------------------------------------- showing
    def set_profiles(self, names: list[str], current: str | None) -> None:
        self.profile_box.blockSignals(True)
        self.profile_box.clear()
        self.profile_box.addItems(names)
        if current in names:
            self.profile_box.setCurrentIndex(names.index(current))
        self.profile_box.blockSignals(False)

    def refresh(self) -> None:
        from pinviewer.gui.wizard import IMPORT

        wizard = self.wizard()
        if wizard is None:
            return
        entries = wizard.entries
        self._filling = True
        self.file_list.setVisible(len(entries) > 1)
        if self.file_list.count() != len(entries):
            self.file_list.clear()
            for _ in entries:
                self.file_list.addItem(QListWidgetItem())
        for i, entry in enumerate(entries):
            item = self.file_list.item(i)
            item.setText(f"{entry.glyph()}  {entry.path.name}")
            item.setToolTip(f"{entry.path}\n{entry.status()}")
        if self.file_list.currentRow() < 0 and entries:
            self.file_list.setCurrentRow(0)
        self._filling = False
        ready = sum(1 for e in entries if e.wanted and not e.unusable and not e.loading)
        bad = sum(1 for e in entries if e.unusable)
        parts = [fmt.by_count(len(entries), tr("1 file"), tr("{n} files"))]
        if bad:
            parts.append(fmt.by_count(bad, tr("1 can't be imported"), tr("{n} can't be imported")))
        if len(entries) > 1 or bad:
            parts.append(fmt.by_count(ready, tr("1 to import"), tr("{n} to import")))
        self.count_label.setText(" · ".join(parts) if len(entries) > 1 else "")
        self.show_entry(self._current)
        self.setCommitPage(self.nextId() == IMPORT)
        self.completeChanged.emit()

    def _file_chosen(self, row: int) -> None:
        if row >= 0 and not self._filling:
            self._current = row
            self.show_entry(row)

    def entry(self):
        entries = self.wizard().entries
        return entries[self._current] if 0 <= self._current < len(entries) else None

    def show_entry(self, row: int) -> None:
        wizard = self.wizard()
        if wizard is None or not (0 <= row < len(wizard.entries)):
            return
        entry = wizard.entries[row]
        self._filling = True
        self.name_label.setText(entry.path.name)
        p = entry.preview
        if p is None:
            self.kind_label.setText(tr("Reading the file…"))
            self.reason_label.setText(entry.reason)
            self.reason_label.setVisible(bool(entry.reason))
            for widget in (self.facts, self.period_row, self.problems, self.notes, self.choice, self.wanted,
                           self.preview_title, self.table):
                widget.setVisible(False)
            self._filling = False
            return
        self._show_kind(entry)
        batch = p.batch
        self.facts.setVisible(batch is not None or p.unknown)
        if batch is not None:
            self.rows_value.setText(fmt.count(batch.rows))
            rng = p.date_range()
            self.dates_value.setText(fmt.period(*rng) if rng else tr("none found"))
            self.metrics_value.setText(metric_list(batch.metrics()) or tr("none"))
            self.unused_value.setText(", ".join(batch.unrecognised) or tr("none: every column is used"))
        else:
            self.unused_value.setText(", ".join(p.header) if p.unknown else fmt.DASH)
        for value in (self.rows_value, self.dates_value, self.metrics_value):  # nothing to say before the columns are
            self.form.setRowVisible(value, batch is not None)
        self.period_row.setVisible(p.needs_period and entry.wanted)
        self._show_problems(entry)
        self._show_choice(entry)
        self.wanted.setVisible(not entry.unusable and len(wizard.entries) > 1)
        self.wanted.setChecked(entry.wanted and not entry.unusable)
        self.wanted.setToolTip(tr("Untick to leave this file out of this import."))
        self.preview_title.setVisible(p.rows is not None)
        self.preview_title.setText(tr("The first rows of the file, as written (PinViewer could not read its "
                                      "figures yet)") if p.raw else
                                   tr("The first rows, as PinViewer read them (dates and numbers already "
                                      "understood)"))
        self.table.setVisible(p.rows is not None)
        self.table.show_preview(p)
        self._filling = False

    def _show_kind(self, entry) -> None:
        p = entry.preview
        found = p.recognition
        if p.error is not None and not p.unknown:
            self.kind_label.setText(tr("PinViewer can't import this file"))
            self.reason_label.setVisible(False)
            return
        if p.unknown:
            self.kind_label.setText(tr("A table PinViewer doesn't know yet"))
            self.reason_label.setText(tr("It has dates and numbers, but PinViewer doesn't know what the columns "
                                         "mean. On the next page, say what each column holds."))
            self.reason_label.setVisible(True)
            return
        label = p.batch.format_label if p.batch is not None else (found.detection.label if found and
                                                                  found.detection else "")
        self.kind_label.setText(tr("{kind} · {sure}").format(kind=tr(label), sure=confidence_words(entry.confidence)))
        reason = ""
        if p.mapping is not None:
            reason = tr("Read with the columns you chose before for files like this one.")
        elif entry.confidence < 1.0 and p.batch is not None and p.header:
            known = len(p.header) - len(p.batch.unrecognised)
            reason = tr("PinViewer knows {known} of its {total} columns; the others are listed under “Columns not "
                        "used” below.").format(known=known, total=len(p.header))
        self.reason_label.setText(reason)
        self.reason_label.setVisible(bool(reason))

    def _show_problems(self, entry) -> None:
        p = entry.preview
        if p.error is not None and not p.unknown:
            self.problems.show_lines(tr("This file can't be imported:"), [p.error], problem=True)
        elif p.fatal:
            heading = tr("This file can't be imported as it is:") if not entry.can_choose_columns else \
                tr("Read this way, the file can't be imported:")
            self.problems.show_lines(heading, [problem_line(x) for x in p.fatal], problem=True)
        else:
            self.problems.show_lines("", [], problem=True)
        notes = [problem_line(x) for x in p.warnings]
        if p.already is not None:
            when = p.already.imported_at[:10]
            notes.insert(0, tr("You imported this very file on {day} (import #{id}). Importing it again changes "
                               "nothing.").format(day=_day(when), id=p.already.id))
        self.notes.show_lines(tr("Good to know:") if notes else "", notes, problem=False)

    def _show_choice(self, entry) -> None:
        p = entry.preview
        show = entry.can_choose_columns and not p.unknown and not entry.unusable
        self.choice.setVisible(show)
        if not show:
            return
        if p.mapping is not None:
            self.as_shown.setText(tr("Read it with the columns I chose before (as below)"))
            self.own_columns.setText(tr("Choose the columns again"))
        else:
            label = p.batch.format_label if p.batch is not None else ""
            self.as_shown.setText(tr("Read it as a {kind} (as below)").format(kind=tr(label)))
            self.own_columns.setText(tr("Let me say what each column holds"))
        (self.own_columns if entry.own_columns else self.as_shown).setChecked(True)

    # ---------------------------------------------------------------- choices
    def _choice_changed(self, own: bool) -> None:
        entry = self.entry()
        if self._filling or entry is None or entry.own_columns == own:
            return
        self.wizard().set_own_columns(entry, own)

    def _wanted_changed(self, wanted: bool) -> None:
        entry = self.entry()
        if self._filling or entry is None or entry.unusable:
            return
        entry.wanted = wanted
        self.wizard().state_changed.emit()

    def _period_chosen(self) -> None:
        entry = self.entry()
        if entry is None:
            return
        first, last = self.period_from.date().toPython(), self.period_to.date().toPython()
        if last < first:
            first, last = last, first
        entry.period = (first, last)
        self.wizard().read(entry)


def _date_pattern() -> str:
    """14 Mar 2025 or Mar 14, 2025, in the order of the user's locale."""
    short = fmt.locale().dateFormat(QLocale.FormatType.ShortFormat).lower()
    return "d MMM yyyy" if short.find("d") < short.find("m") else "MMM d, yyyy"


def _day(iso: str) -> str:
    import datetime as dt

    try:
        return fmt.day(dt.date.fromisoformat(iso[:10]))
    except ValueError:
        return iso
