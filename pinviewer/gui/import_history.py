"""File > Import history: every import with its file, time, rows, dates and kind, each of which can be undone
(after a confirmation that says what will change); and the column mappings PinViewer remembers, which can be
forgotten. Everything that reads or writes runs through tasks.run (wizard_jobs)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel,
                               QListWidget, QListWidgetItem, QMessageBox, QPushButton, QTableView, QVBoxLayout)

from pinviewer.gui import formatting as fmt
from pinviewer.core import wizard_jobs
from pinviewer.gui import tasks
from pinviewer.gui.table_model import COUNT, TEXT, Column, FrameTableModel, RawRole, setup_table_view


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportHistory", text)


# ------------------------------------------------------------------------------------------------ words
def when(iso: str | None, with_time: bool = True) -> str:
    """An import's time in the user's time zone: 'May 3, 2026, 14:05'."""
    if not iso:
        return ""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    if not with_time:
        return fmt.day(moment.date())
    return tr("{day}, {time}").format(day=fmt.day(moment.date()), time=f"{moment:%H:%M}")


def dates(info) -> str:
    if not info.first_day:
        return ""
    try:
        return fmt.period(dt.date.fromisoformat(info.first_day), dt.date.fromisoformat(info.last_day or info.first_day))
    except ValueError:
        return f"{info.first_day} {fmt.RANGE} {info.last_day}"


def what_it_did(info) -> str:
    if info.undone_at:
        return tr("Undone on {day}").format(day=when(info.undone_at, with_time=False))
    changes = info.changes or {}
    parts = []
    if changes.get("new_days"):
        parts.append(fmt.by_count(changes["new_days"], tr("added 1 day"), tr("added {n} days")))
    if changes.get("new_periods"):
        parts.append(fmt.by_count(changes["new_periods"], tr("1 Pin, page or source"),
                                tr("{n} Pins, boards, pages or sources")))
    if changes.get("changed_days"):
        parts.append(fmt.by_count(changes["changed_days"], tr("changed 1 day"), tr("changed {n} days")))
    if changes.get("kept_existing"):
        parts.append(tr("kept what you had"))
    text = ", ".join(parts) or tr("nothing new")
    return text[0].upper() + text[1:]


def undo_question(info, batches) -> tuple[str, str]:
    """(question, what will change) for the confirmation before undoing ``info`` (a BatchInfo)."""
    question = tr("Undo the import of “{name}”?").format(name=info.file_name)
    changes = info.changes or {}
    lines = []
    span = dates(info)
    figures = fmt.by_count(info.rows, tr("Its 1 row of figures"), tr("Its {n} rows of figures"))
    lines.append(tr("{figures} ({dates}) will be removed from PinViewer.").format(figures=figures, dates=span)
                 if span else tr("{figures} will be removed from PinViewer.").format(figures=figures))
    if changes.get("new_days"):
        lines.append(fmt.by_count(changes["new_days"], tr("1 day it added will have no figures again."),
                                tr("{n} days it added will have no figures again.")))
    if changes.get("changed_days"):
        lines.append(fmt.by_count(changes["changed_days"],
                                tr("1 day it changed goes back to the figures you had before."),
                                tr("{n} days it changed go back to the figures you had before.")))
    earlier = [b for b in batches if b.id < info.id and not b.undone_at and _overlaps(b, info)]
    if earlier:
        names = ", ".join(f"{b.file_name} (#{b.id})" for b in earlier[-3:])
        lines.append(tr("Where earlier imports have figures for the same days, those show again: {names}.")
                     .format(names=names))
    lines.append(tr("Your file is not touched, so you could import it again later."))
    return question, "\n\n".join(lines)


def _overlaps(a, b) -> bool:
    if not (a.first_day and b.first_day):
        return False
    return a.first_day <= (b.last_day or b.first_day) and b.first_day <= (a.last_day or a.first_day)


def confirm_undo(parent, info, batches) -> bool:
    """Ask before undoing; Cancel is the default button."""
    question, details = undo_question(info, batches)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("Undo import"))
    box.setText(question)
    box.setInformativeText(details)
    undo = box.addButton(tr("Undo import"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is undo


def mapping_summary(mapping) -> str:
    """'Tag → Date, Klicks → Outbound clicks (1 column ignored)'."""
    from pinviewer.gui.wizard.preview import role_label

    used = [f"{column} → {role_label(role)}" for column, role in mapping.columns.items() if role != "ignore"]
    ignored = sum(1 for role in mapping.columns.values() if role == "ignore")
    text = ", ".join(used)
    if ignored:
        text += " " + fmt.by_count(ignored, tr("(1 column ignored)"), tr("({n} columns ignored)"))
    return text


# ------------------------------------------------------------------------------------------------ dialog
class HistoryModel(FrameTableModel):
    """The imports; undone ones in the faint text colour (and said so in words in "What it did")."""

    _undone = None

    def set_frame(self, frame, columns=None) -> None:
        self._undone = frame["undone"].to_numpy(bool) if "undone" in frame else None
        super().set_frame(frame, columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and self._undone is not None:
            if self._undone[int(self._order[index.row()])]:
                from PySide6.QtGui import QColor

                from pinviewer.gui import style

                return QColor(style.current().text_faint)
        return super().data(index, role)


class ImportHistory(QDialog):
    """``store`` and ``profile_name``: whose imports; ``demo``: the sample blog, whose imports stay."""

    def __init__(self, store, profile_name: str, demo: bool = False, parent=None):
        # Over 80 lines on purpose: the dialog's two tabs are laid out top to bottom in reading order.
        super().__init__(parent)
        self.store, self.profile_name, self.demo = store, profile_name, demo
        self.batches: list = []
        self.mappings: list = []
        self.changed = False  # an import was undone: the window reloads
        self.loading = True
        self.setWindowTitle(tr("Import history – {profile}").format(profile=profile_name))
        self.setObjectName("importHistory")
        self.resize(1060, 660)
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is not None and (screen.width() < 1060 or screen.height() < 660):
            self.resize(min(1060, screen.width()), min(660, screen.height()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(8)

        title = QLabel(tr("Imports into {profile}").format(profile=profile_name))
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        self.note = QLabel(tr("Every file you imported, newest first. Undoing an import removes its figures; "
                              "where an earlier import had figures for the same days, those show again.")
                           if not demo else
                           tr("This is the sample blog: its imports can't be undone. Go back to your blog to "
                              "see your own imports."))
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

        columns = [Column("id", tr("#"), COUNT, width=48), Column("file_name", tr("File"), TEXT, width=170),
                   Column("imported", tr("Imported"), TEXT, width=164), Column("rows", tr("Rows"), COUNT, width=60),
                   Column("dates", tr("Dates"), TEXT, width=136),
                   Column("format_label", tr("Kind of file"), TEXT, width=192),
                   Column("did", tr("What it did"), TEXT, width=180)]
        self.model = HistoryModel(columns, filter_keys=(), parent=self)
        self.view = QTableView()
        self.view.setModel(self.model)
        setup_table_view(self.view, 28)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a file name's start and its date at the end
        self.view.setAccessibleName(tr("Imports"))
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for i, column in enumerate(columns):
            header.resizeSection(i, column.width)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.view, 3)
        row = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("faint")
        row.addWidget(self.status, 1)
        self.undo_button = QPushButton(tr("Undo this import…"))
        self.undo_button.clicked.connect(self.undo_selected)
        self.undo_button.setVisible(not demo)
        row.addWidget(self.undo_button)
        layout.addLayout(row)

        layout.addSpacing(10)
        remembered = QLabel(tr("Remembered columns"))
        remembered.setObjectName("sectionTitle")
        layout.addWidget(remembered)
        note = QLabel(tr("When you said what the columns of a file hold, PinViewer reads files with the same column "
                         "names that way without asking. Forget them and it asks again next time."))
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.mapping_list = QListWidget()
        self.mapping_list.setWordWrap(True)
        self.mapping_list.setAccessibleName(tr("Remembered columns"))
        self.mapping_list.currentRowChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.mapping_list, 1)
        row = QHBoxLayout()
        self.mapping_status = QLabel()
        self.mapping_status.setObjectName("faint")
        row.addWidget(self.mapping_status, 1)
        self.forget_button = QPushButton(tr("Forget these columns"))
        self.forget_button.clicked.connect(self.forget_selected)
        row.addWidget(self.forget_button)
        layout.addLayout(row)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update_buttons()
        self.load()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_file_names()

    def _fit_file_names(self) -> None:
        """The File column as wide as the longest name needs, up to 40% of the table (then elided in the middle,
        whole in the tooltip)."""
        from PySide6.QtGui import QFontMetrics

        frame = self.model.frame() if hasattr(self, "model") else None
        if frame is None or "file_name" not in frame or frame.empty:
            return
        metrics_ = QFontMetrics(self.view.font())
        needed = max(metrics_.horizontalAdvance(str(name)) for name in frame["file_name"]) + 28
        limit = int(max(self.view.viewport().width(), self.width() - 40) * 0.4)
        self.view.horizontalHeader().resizeSection(1, max(170, min(needed, limit)))

    # ---------------------------------------------------------------- loading
    def load(self) -> None:
        store, name = self.store, self.profile_name
        self.loading = True

        def done(result):
            batches, remembered = result
            self.loading = False
            self.show_batches(batches)
            self.show_mappings(remembered)

        def work(progress, cancelled):
            return wizard_jobs.history(store, name), wizard_jobs.remembered_mappings()

        tasks.run(self, work, label=tr("Reading the import history…"), on_done=done)

    def show_batches(self, batches) -> None:
        self.batches = list(batches)
        frame = pd.DataFrame({
            "id": [float(b.id) for b in batches],
            "file_name": [b.file_name for b in batches],
            "imported": [when(b.imported_at) for b in batches],
            "rows": [float(b.rows) for b in batches],
            "dates": [dates(b) for b in batches],
            "format_label": [tr(b.format_label) for b in batches],
            "did": [what_it_did(b) for b in batches],
            "undone": [bool(b.undone_at) for b in batches],
        }, columns=["id", "file_name", "imported", "rows", "dates", "format_label", "did", "undone"])
        self.model.set_frame(frame)
        self._fit_file_names()
        active = sum(1 for b in batches if not b.undone_at)
        self.status.setText(fmt.by_count(len(batches), tr("1 import"), tr("{n} imports")) +
                            (tr(" ({n} undone)").format(n=len(batches) - active) if active < len(batches) else "")
                            if batches else tr("Nothing imported yet."))
        if batches and not self.view.currentIndex().isValid():
            self.view.selectRow(0)
        self._update_buttons()

    def show_mappings(self, remembered) -> None:
        self.mappings = list(remembered)
        self.mapping_list.clear()
        for key, mapping in self.mappings:
            name = mapping.name or tr("Your own table")
            item = QListWidgetItem(f"{name}: {mapping_summary(mapping)}")
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(tr("Column names: {names}").format(names=", ".join(mapping.header or mapping.columns)))
            self.mapping_list.addItem(item)
        self.mapping_status.setText("" if self.mappings else tr("No remembered columns."))
        self._update_buttons()

    # ---------------------------------------------------------------- selection
    def selected(self):
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        batch_id = self.model.data(self.model.index(index.row(), 0), RawRole)
        return next((b for b in self.batches if b.id == int(batch_id)), None) if batch_id is not None else None

    def select(self, batch_id: int) -> None:
        row = self.model.find("id", float(batch_id))
        if row >= 0:
            self.view.selectRow(row)

    def _update_buttons(self) -> None:
        info = self.selected()
        self.undo_button.setEnabled(info is not None and not info.undone_at and not self.demo)
        self.forget_button.setEnabled(self.mapping_list.currentRow() >= 0)

    # ---------------------------------------------------------------- actions
    def undo_selected(self) -> None:
        info = self.selected()
        if info is None or info.undone_at or self.demo:
            return
        if not confirm_undo(self, info, self.batches):
            return
        store, name, batch_id = self.store, self.profile_name, info.id

        def done(batches):
            self.changed = True
            self.show_batches(batches)
            self.select(batch_id)

        tasks.run(self, lambda p, c: wizard_jobs.undo_from_history(store, name, batch_id, p, c),
                  label=tr("Undoing the import…"), on_done=done)

    def forget_selected(self) -> None:
        item = self.mapping_list.currentItem()
        if item is None:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        tasks.run(self, lambda p, c: wizard_jobs.forget_mapping(key, p, c), label=tr("Forgetting…"),
                  on_done=self.show_mappings)
