"""Last page: the import with its progress and Cancel, then what was added or changed, with Undo."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QStackedWidget, QVBoxLayout,
                               QWidget, QWizard)

from pinviewer.gui import formatting as fmt
from pinviewer.gui.wizard.preview import WizardPage, plain_scroll, problem_line, tr


def result_lines(result) -> list[str]:
    """What one import added or changed, in words (store.ImportResult)."""
    if result.already_imported is not None:
        info = result.already_imported
        return [tr("You had already imported this file on {day} (import #{id}), so nothing changed.").format(
            day=info.imported_at[:10], id=info.id)]
    lines = []
    if result.new_days:
        lines.append(fmt.by_count(result.new_days, tr("Added 1 day of figures."), tr("Added {n} days of figures.")))
    if result.new_periods:
        lines.append(fmt.by_count(result.new_periods, tr("Added figures for 1 Pin, page or source."),
                                tr("Added figures for {n} Pins, boards, pages or sources.")))
    if result.changed_days:
        lines.append(fmt.by_count(result.changed_days, tr("Changed 1 day (or row) you already had"),
                                tr("Changed {n} days (or rows) you already had")) + " " +
                     fmt.by_count(result.changed_values, tr("(1 figure)."), tr("({n} figures).")))
    if result.new_entities:
        lines.append(fmt.by_count(result.new_entities, tr("1 new Pin, page or source."),
                                tr("{n} new Pins, boards, pages or sources.")))
    if result.kept_existing:
        lines.append(tr("Kept the figures you already had for the days both have."))
    if not lines:
        lines.append(tr("Nothing new: every figure was already there."))
    return lines


def _why(preview) -> list[str]:
    """The sentence (or the first problems) that kept a file out."""
    if preview is None:
        return []
    if preview.error:
        return [preview.error]
    fatal = preview.fatal
    lines = [problem_line(p) for p in fatal[:2]]
    if len(fatal) > 2:
        lines.append(tr("…and {n} more.").format(n=len(fatal) - 2))
    return lines


class OutcomeRow(QFrame):
    """One file of the summary: a mark, its name, what happened, and Undo."""

    def __init__(self, glyph: str, name: str, kind: str, lines: list[str], batch_id: int | None, page, parent=None):
        super().__init__(parent)
        self.setObjectName("card")
        self.batch_id, self.page, self.name = batch_id, page, name
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(12)
        self.mark = QLabel(glyph)
        self.mark.setObjectName("sectionTitle")
        self.mark.setFixedWidth(18)
        layout.addWidget(self.mark)
        text = QVBoxLayout()
        text.setSpacing(2)
        title = QLabel(f"<b>{html.escape(name)}</b>" + (f" · {html.escape(kind)}" if kind else ""))
        title.setTextFormat(Qt.TextFormat.RichText)
        text.addWidget(title)
        self.lines = list(lines)
        self.body = QLabel("<br>".join(html.escape(line) for line in lines))
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setObjectName("muted")
        self.body.setWordWrap(True)
        text.addWidget(self.body)
        layout.addLayout(text, 1)
        self.undo_button = QPushButton(tr("Undo this import"))
        self.undo_button.setVisible(batch_id is not None)
        self.undo_button.clicked.connect(self._undo)
        layout.addWidget(self.undo_button)

    def text(self) -> str:
        """What the row says, as plain text."""
        return "\n".join(self.lines)

    def _undo(self) -> None:
        self.undo_button.setEnabled(False)
        self.undo_button.setText(tr("Undoing…"))
        self.page.wizard().undo(self.batch_id, on_done=lambda _info: self._undone())

    def _undone(self) -> None:
        self.undo_button.setText(tr("Undone"))
        self.mark.setText("↶")
        self.lines = [tr("Undone: the figures you had before this import are back.")]
        self.body.setText(html.escape(self.lines[0]))


class ImportPage(WizardPage):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.set_heading(tr("Importing"), tr("You can cancel: then nothing is changed."))
        self.setFinalPage(True)
        self.rows: list[OutcomeRow] = []
        self._done = False
        outer = self.body
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)

        progress = QWidget()
        p = QVBoxLayout(progress)
        p.setContentsMargins(40, 0, 40, 0)
        p.setSpacing(12)
        p.addStretch(2)
        self.progress_label = QLabel(tr("Getting ready…"))
        self.progress_label.setObjectName("headline")
        p.addWidget(self.progress_label)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(tr("Import progress"))
        p.addWidget(self.bar)
        self.cancel_note = QLabel(tr("Cancel stops the import and leaves your figures exactly as they were."))
        self.cancel_note.setObjectName("faint")
        p.addWidget(self.cancel_note)
        p.addStretch(3)
        self.stack.addWidget(progress)

        summary = QWidget()
        s = QVBoxLayout(summary)
        s.setContentsMargins(0, 0, 0, 0)
        s.setSpacing(10)
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        s.addWidget(self.headline)
        self.list_widget = QWidget()
        self.list_layout = QVBoxLayout(self.list_widget)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(8)
        self.scroll = plain_scroll(self.list_widget)
        s.addWidget(self.scroll, 1)
        self.footer = QLabel(tr("You can undo any import later, in File → Import history."))
        self.footer.setObjectName("faint")
        s.addWidget(self.footer)
        self.stack.addWidget(summary)

    # ---------------------------------------------------------------- wizard hooks
    def initializePage(self) -> None:
        wizard = self.wizard()
        self._done = False
        self.stack.setCurrentIndex(0)
        self.set_heading(tr("Importing"), tr("You can cancel: then nothing is changed."))
        self.bar.setValue(0)
        count = len(wizard.to_import())
        self.progress_label.setText(fmt.by_count(count, tr("Importing 1 file into {profile}…"),
                                           tr("Importing {n} files into {profile}…"), profile=wizard.profile_name))
        wizard.relay.progressed.connect(self._progressed)
        wizard.setButtonLayout([QWizard.WizardButton.Stretch, QWizard.WizardButton.CancelButton])
        wizard.start_import()

    def isComplete(self) -> bool:
        return self._done

    def nextId(self) -> int:
        return -1

    # ---------------------------------------------------------------- progress
    def _progressed(self, done: int, total: int, message: str) -> None:
        if self._done:
            return
        self.bar.setValue(min(done, total) if total else 0)
        if message and self.wizard().importing():
            self.progress_label.setText(tr("Importing {name}…").format(name=message))

    def cancelling(self) -> None:
        self.progress_label.setText(tr("Cancelling: taking back what this import changed…"))
        self.wizard().button(QWizard.WizardButton.CancelButton).setEnabled(False)

    # ---------------------------------------------------------------- summary
    def show_summary(self) -> None:
        wizard = self.wizard()
        try:
            wizard.relay.progressed.disconnect(self._progressed)
        except (RuntimeError, TypeError):
            pass
        for row in self.rows:
            self.list_layout.removeWidget(row)
            row.deleteLater()
        while self.list_layout.count():
            self.list_layout.takeAt(0)
        self.rows = []
        run = wizard.run
        assert run is not None  # the import run finished
        by_key = {o.key: o for o in run.outcomes}
        imported = 0
        for entry in wizard.entries:
            outcome = by_key.get(entry.key)
            if run.cancelled and entry in wizard.to_import():
                row = OutcomeRow("–", entry.path.name, "", [tr("Not imported: you cancelled.")], None, self)
            elif outcome is None:
                if entry.unusable:
                    lines = [tr("Not imported: this file can't be imported.")] + _why(entry.preview)
                    row = OutcomeRow("✕", entry.path.name, "", lines, None, self)
                else:
                    row = OutcomeRow("–", entry.path.name, "", [tr("Not imported: you left it out.")], None, self)
            elif not outcome.ok:
                row = OutcomeRow("✕", entry.path.name, tr(outcome.format_label),
                                 [tr("Not imported:"), outcome.error or ""], None, self)  # not ok: an error
            else:
                assert outcome.result is not None  # stored
                lines = result_lines(outcome.result)
                if outcome.reread:
                    lines.insert(0, tr("The file changed after the preview, so PinViewer read it again before "
                                       "importing."))
                if outcome.remembered:
                    lines.append(tr("PinViewer will remember these columns for files like this one."))
                if outcome.result.batch_id is not None:
                    imported += 1
                row = OutcomeRow("✓", entry.path.name, tr(outcome.format_label), lines, outcome.result.batch_id,
                                 self)
            self.rows.append(row)
            self.list_layout.addWidget(row)
        self.list_layout.addStretch(1)
        if run.cancelled:
            self.set_heading(tr("Import cancelled"), tr("Nothing was changed."))
            self.headline.setText(tr("You cancelled the import, so your figures are exactly as they were."))
        else:
            self.set_heading(tr("Done"), tr("Here is what changed. Each import can be undone."))
            self.headline.setText(fmt.by_count(imported, tr("1 file imported into {profile}."),
                                         tr("{n} files imported into {profile}."), profile=wizard.profile_name))
        self.footer.setVisible(not run.cancelled)
        self.stack.setCurrentIndex(1)
        self._done = True
        wizard.setButtonLayout([QWizard.WizardButton.Stretch, QWizard.WizardButton.FinishButton])
        self.completeChanged.emit()

    def row(self, name: str) -> OutcomeRow:
        return next(r for r in self.rows if r.name == name)
