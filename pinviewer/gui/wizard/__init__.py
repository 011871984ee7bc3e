"""The import wizard: recognise, preview, map, resolve overlaps, import, undo.

Opened by the main window for files it could not place with certainty (a drop, Import a file…, or files named
on the command line). Each file is handled on its own: a bad file is shown with its sentence and cannot be
imported, and the others go ahead. Pages, in order (each shown only when it has something to ask):

* RecognitionPage: what each file is, how sure PinViewer is, its rows, dates, figures, unused columns and
  problems, and a preview of the rows as read; the profile the files go to.
* MappingPage: for tables PinViewer does not know, a role for each column, with a live preview.
* OverlapPage: where a file has different figures for days already stored: newer file wins, or keep mine.
* ImportPage: progress with Cancel, then what changed, with Undo. Cancel rolls back the file being stored and
  undoes the files this run already stored, so the figures are as they were.

Everything that reads a file or touches the store runs through ``tasks.run`` (wizard_jobs); the pages only show.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtWidgets import QWizard

from pinviewer.core import wizard_jobs
from pinviewer.gui import tasks
from pinviewer.gui.wizard.entry import SURE, FileEntry
from pinviewer.gui.wizard.preview import style_sheet, tr

log = logging.getLogger(__name__)

RECOGNITION, MAPPING, OVERLAP, IMPORT = range(4)
__all__ = ["ImportWizard", "FileEntry", "RECOGNITION", "MAPPING", "OVERLAP", "IMPORT"]


class _Relay(QObject):
    """Carries the import's progress from the worker to the import page (a queued signal)."""

    progressed = Signal(int, int, str)


class ImportWizard(QWizard):
    """``paths``: the files; ``store``: the open history (None: open the user's own, e.g. from the sample blog);
    ``profile_name``: where the files go unless the user chooses another profile."""

    state_changed = Signal()  # a file was read, a choice changed: the pages refresh
    imported = Signal()  # the import finished (or was cancelled): the summary is showing

    def __init__(self, paths, store=None, profile_name: str | None = None, reasons: dict | None = None, parent=None):
        super().__init__(parent)
        from pinviewer.gui.wizard.import_page import ImportPage
        from pinviewer.gui.wizard.mapping_page import MappingPage
        from pinviewer.gui.wizard.overlap_page import OverlapPage
        from pinviewer.gui.wizard.recognition_page import RecognitionPage

        reasons = reasons or {}
        self.entries = [FileEntry(i, Path(p), reason=reasons.get(Path(p), "") or "") for i, p in enumerate(paths)]
        self.store, self.profile_name = store, profile_name
        self.target: wizard_jobs.Target | None = None
        self.profiles: list[str] = [profile_name] if profile_name else []
        self.comparing = False  # overlaps are being worked out again for another profile
        self.changed = False  # something was imported or undone: the window reloads
        self.run: wizard_jobs.ImportRun | None = None
        self.import_task: tasks.Task | None = None
        self.undone: set[int] = set()
        self._closed = False
        self.relay = _Relay(self)

        self.setObjectName("importWizard")
        self.setWindowTitle(tr("Import into PinViewer"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setStyleSheet(style_sheet())
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        for button, text in ((QWizard.WizardButton.NextButton, tr("Next")),
                             (QWizard.WizardButton.BackButton, tr("Back")),
                             (QWizard.WizardButton.CommitButton, tr("Import")),
                             (QWizard.WizardButton.FinishButton, tr("Done")),
                             (QWizard.WizardButton.CancelButton, tr("Cancel"))):
            self.setButtonText(button, text)
        for button in (QWizard.WizardButton.NextButton, QWizard.WizardButton.CommitButton,
                       QWizard.WizardButton.FinishButton):
            self.button(button).setObjectName("primary")
        self.recognition_page = RecognitionPage()
        self.mapping_page = MappingPage()
        self.overlap_page = OverlapPage()
        self.import_page = ImportPage()
        for page_id, page in ((RECOGNITION, self.recognition_page), (MAPPING, self.mapping_page),
                              (OVERLAP, self.overlap_page), (IMPORT, self.import_page)):
            self.setPage(page_id, page)
        self.setStartId(RECOGNITION)
        self.setMinimumSize(860, 620)
        self.resize(1000, 720)
        self.state_changed.connect(self._state_changed)
        self._start()

    def sizeHint(self) -> QSize:
        return QSize(1000, 720)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.CommitButton,
                      QWizard.WizardButton.FinishButton):
            button = self.button(which)  # the accent colour: QWizard polished them before they were named
            button.style().unpolish(button)
            button.style().polish(button)

    # ---------------------------------------------------------------- state
    def wanted(self) -> list[FileEntry]:
        return [e for e in self.entries if e.wanted and not e.unusable]

    def to_map(self) -> list[FileEntry]:
        return [e for e in self.wanted() if e.needs_mapping]

    def with_overlap(self) -> list[FileEntry]:
        return [e for e in self.wanted() if e.has_overlap]

    def to_import(self) -> list[FileEntry]:
        return [e for e in self.wanted() if e.importable]

    def busy(self) -> bool:
        return self.target is None or self.comparing or any(e.loading for e in self.entries)

    def _state_changed(self) -> None:
        self.recognition_page.refresh()
        if self.currentId() == MAPPING:
            self.mapping_page.refresh()
        for page in (self.recognition_page, self.mapping_page, self.overlap_page):
            page.completeChanged.emit()

    # ---------------------------------------------------------------- jobs
    def _run(self, fn, label: str = "", on_done=None, on_error=None, **options):
        """tasks.run, ignoring results that come back after the wizard was closed."""

        def done(result):
            if not self._closed and on_done is not None:
                on_done(result)

        def failed(error):
            if self._closed:
                return True
            return on_error(error) if on_error is not None else False

        return tasks.run(self, fn, label=label, on_done=done, on_error=failed, **options)

    def _start(self) -> None:
        store, name = self.store, self.profile_name

        def opened(target):
            self.target, self.store, self.profile_name = target, target.store, target.profile
            self.profiles = list(target.profiles)
            self.recognition_page.set_profiles(self.profiles, self.profile_name)
            for entry in self.entries:
                self.read(entry)
            self.state_changed.emit()

        def failed(error):
            from pinviewer.core.errors import PinviewerError

            # the history cannot be opened: say so on every file (a bug is also reported)
            message = str(error) if isinstance(error, PinviewerError) else \
                tr("Something went wrong while opening your history. The details are in PinViewer's log.")
            for entry in self.entries:
                entry.preview = wizard_jobs.Preview(entry.path, error=message)
                entry.wanted = False
            self.target = wizard_jobs.Target(None, name or "", [])
            self.state_changed.emit()
            return isinstance(error, PinviewerError)

        self._run(lambda p, c: wizard_jobs.open_target(store, name, p, c), tr("Opening your history…"),
                  on_done=opened, on_error=failed)

    def _failed_read(self, entry: FileEntry, error) -> bool:
        from pinviewer.core.errors import Cancelled, PinviewerError

        if isinstance(error, Cancelled):
            message = tr("You stopped reading this file, so it can't be imported this time.")
        elif isinstance(error, PinviewerError):
            message = str(error)
        else:
            message = tr("Something went wrong while reading this file. The details are in PinViewer's log.")
        entry.preview = wizard_jobs.Preview(entry.path, error=message)
        self.state_changed.emit()
        return isinstance(error, PinviewerError)  # anything else is also reported as a bug

    def read(self, entry: FileEntry) -> None:
        """Recognise and read one file for its preview (again, e.g. with the dates it covers)."""
        store, profile, path, period = self.store, self.profile_name, entry.path, entry.period
        entry.preview, entry.mapped = None, None

        def done(preview):
            entry.preview = preview
            if entry.unusable:
                entry.wanted = False
            elif preview.unknown:
                entry.own_columns = True
            elif entry.can_choose_columns and preview.mapping is None and self._confidence(preview) < SURE:
                entry.own_columns = True
            if entry.own_columns:
                self.start_mapping(entry)
            self.state_changed.emit()

        entry.task = self._run(lambda p, c: wizard_jobs.preview_file(store, profile, path, period, p, c),
                               tr("Reading {name}…").format(name=path.name), on_done=done,
                               on_error=lambda error: self._failed_read(entry, error))
        self.state_changed.emit()

    @staticmethod
    def _confidence(preview) -> float:
        return preview.recognition.confidence if preview.recognition is not None else 0.0

    def start_mapping(self, entry: FileEntry) -> None:
        """The user says what the columns hold: start from the remembered mapping or PinViewer's guess."""
        from pinviewer.core.formats.mapping import ColumnMapping

        assert entry.preview is not None  # the columns are chosen for a file that was read
        if entry.mapping is None:
            base = entry.preview.mapping or entry.preview.guess
            entry.mapping = ColumnMapping.from_dict(base.to_dict()) if base is not None else \
                ColumnMapping(columns={h: "ignore" for h in entry.preview.header})
            entry.mapping.header = list(entry.preview.header)
            if not entry.mapping.name:
                entry.mapping.name = entry.path.stem
            for column in entry.preview.header:  # every column gets a choice
                entry.mapping.columns.setdefault(column, "ignore")
        self.read_mapped(entry)

    def read_mapped(self, entry: FileEntry) -> None:
        """Read the file again with the user's columns (after each change on the mapping page)."""
        from pinviewer.core.formats.mapping import ColumnMapping, check_mapping

        assert entry.mapping is not None and entry.preview is not None  # start_mapping() made it
        if entry.task is not None and entry.mapping_pending:
            entry.task.cancel()
        entry.generation += 1
        generation = entry.generation
        mapping = ColumnMapping.from_dict(entry.mapping.to_dict())  # the worker reads its own copy
        mapping.entity = "pin" if "pin_id" in mapping.columns.values() else "account"
        entry.mapping.entity = mapping.entity
        entry.mapping_problems = check_mapping(mapping, entry.preview.header)
        entry.mapped = None
        if entry.mapping_problems:
            entry.mapping_pending = False
            self.state_changed.emit()
            return
        entry.mapping_pending = True
        store, profile, path, period = self.store, self.profile_name, entry.path, entry.period
        header, sample = entry.preview.header, entry.preview.sample

        def done(preview):
            if generation != entry.generation:
                return  # an older choice: a newer read is on its way
            entry.mapped, entry.mapping_pending = preview, False
            self.state_changed.emit()

        def failed(error):
            from pinviewer.core.errors import PinviewerError

            if generation != entry.generation:
                return True  # replaced by a newer choice
            entry.mapping_pending = False
            message = str(error) if isinstance(error, PinviewerError) else \
                tr("Something went wrong while reading this file. The details are in PinViewer's log.")
            entry.mapped = wizard_jobs.Preview(path, mapping=mapping, error=message)
            self.state_changed.emit()
            return isinstance(error, PinviewerError)  # anything else is also reported as a bug

        entry.task = self._run(
            lambda p, c: wizard_jobs.preview_mapped(store, profile, path, mapping, header, sample, period, p, c),
            tr("Reading {name} with your columns…").format(name=path.name), on_done=done, on_error=failed)
        self.state_changed.emit()

    def set_own_columns(self, entry: FileEntry, own: bool) -> None:
        entry.own_columns = own
        if own:
            self.start_mapping(entry)
        self.state_changed.emit()

    def set_profile(self, name: str) -> None:
        """Another profile: the overlaps and 'already imported' are worked out again for it."""
        if not name or name == self.profile_name:
            return
        self.profile_name = name
        previews = [p for e in self.entries for p in (e.preview, e.mapped) if p is not None and p.importable]
        self.comparing = True
        store = self.store

        def done(_result):
            self.comparing = False
            self.state_changed.emit()

        def failed(error):
            self.comparing = False
            self.state_changed.emit()
            return False

        self._run(lambda p, c: wizard_jobs.compare_all(store, name, previews, p, c),
                  tr("Checking what {name} already has…").format(name=name), on_done=done, on_error=failed)
        self.state_changed.emit()

    # ---------------------------------------------------------------- import
    def start_import(self) -> None:
        jobs = []
        for entry in self.to_import():
            p = entry.active
            # importable entries only: a read file with its figures
            assert p is not None and p.batch is not None and p.sha256 is not None and entry.preview is not None
            jobs.append(wizard_jobs.ImportJob(
                entry.key, entry.path, p.batch, p.sha256, mapping=p.mapping,
                remember=entry.needs_mapping and entry.remember, header=list(entry.preview.header),
                keep_existing=entry.keep_existing and entry.has_overlap, period=entry.period))
        store, profile, relay = self.store, self.profile_name, self.relay

        def work(progress, cancelled):
            def both(done, total, message=""):
                progress(done, total, message)
                relay.progressed.emit(int(done), int(total), str(message or ""))
            return wizard_jobs.import_files(store, profile, jobs, both, cancelled)

        def done(run):
            self.import_task = None
            self.run = run
            self.changed = self.changed or any(o.result is not None and o.result.batch_id is not None
                                               for o in run.outcomes)
            self.import_page.show_summary()
            self.imported.emit()

        def failed(error):
            from pinviewer.core.errors import Cancelled, PinviewerError

            self.import_task = None
            if isinstance(error, Cancelled):  # cancelled before the first file started
                self.run = wizard_jobs.ImportRun(cancelled=True)
                self.import_page.show_summary()
                self.imported.emit()
                return True
            self.run = wizard_jobs.ImportRun(outcomes=[wizard_jobs.Outcome(
                e.key, e.path, error=str(error) if isinstance(error, PinviewerError) else
                tr("Something went wrong while importing. The details are in PinViewer's log.")) for e in
                self.to_import()])
            self.import_page.show_summary()
            self.imported.emit()
            return isinstance(error, PinviewerError)

        self.import_task = self._run(work, on_done=done, on_error=failed, quiet=True)

    def importing(self) -> bool:
        return self.import_task is not None

    def undo(self, batch_id: int, on_done=None) -> None:
        store = self.store

        def done(info):
            self.undone.add(batch_id)
            self.changed = True
            if on_done is not None:
                on_done(info)

        self._run(lambda p, c: wizard_jobs.undo(store, batch_id, p, c), tr("Undoing the import…"), on_done=done)

    def outcomes(self) -> list[wizard_jobs.Outcome]:
        return list(self.run.outcomes) if self.run is not None else []

    # ---------------------------------------------------------------- closing
    def reject(self) -> None:
        if self.import_task is not None:  # importing(): Cancel stops, takes back what this run imported, shows it
            self.import_task.cancel()
            self.import_page.cancelling()
            return
        super().reject()

    def done(self, result: int) -> None:
        if self.importing():
            self.reject()
            return
        self._closed = True
        for entry in self.entries:
            if entry.task is not None:
                entry.task.cancel()
        super().done(result)

    def release(self) -> None:
        """After closing: let go of the files' figures, and close the history the wizard opened itself when
        nothing was imported into it (otherwise the window takes it over)."""
        for entry in self.entries:
            entry.preview = entry.mapped = None
        if self.target is not None and self.target.opened and not self.changed and self.store is not None:
            store, self.store = self.store, None
            tasks.run(None, lambda p, c: wizard_jobs.close_store(store, p, c), quiet=True)
