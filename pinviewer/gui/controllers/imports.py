"""Getting files in, and back out: File > Import, drops, files named on the command line, the import wizard,
File > Import history, and the notice that says what an import added (with Undo).

Files recognised with certainty are imported at once (``pinviewer.core.session.import_paths``); the others go
to the import wizard. From the sample blog, files go into the user's own history. A notice about an import
belongs to the profile the files went into: it goes when another profile (or the sample blog) is shown, and its
Undo acts on those imports of that profile only.
"""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QObject

from pinviewer.gui import settings

LAST_FOLDER = "import/folder"  # the folder of the last file chosen in File > Import


class ImportsController(QObject):
    def __init__(self, window, data):
        super().__init__(window)
        self.window, self.data = window, data
        self.pending: list[Path] = []  # files to import once the first history is open
        self.wizard_reasons: dict = {}  # for the import wizard: what the readers made of each file
        self.wizard = None  # the import wizard, while it is open
        self.history = None  # File > Import history, while it is open
        data.ready.connect(self._import_pending)

    # ------------------------------------------------------------------ in
    def choose_files(self) -> None:
        """File > Import: the file dialog opens in the folder of the last file chosen."""
        from PySide6.QtWidgets import QFileDialog

        folder = settings.get_str(LAST_FOLDER) or str(Path.home())
        paths, _ = QFileDialog.getOpenFileNames(
            self.window, self.tr("Import exports"), folder,
            self.tr("Exports (*.csv *.tsv *.txt);;All files (*)"))
        if paths:
            settings.put(LAST_FOLDER, str(Path(paths[0]).parent))
            self.open_files(paths)

    def open_files(self, paths) -> None:
        """Import files (dropped, chosen, or named on the command line). Before the first history is open they
        wait (``pending``)."""
        from pinviewer.core import session
        from pinviewer.gui import formatting as fmt

        paths = [Path(p) for p in paths]
        if not paths:
            return
        if not self.data.is_ready:
            self.pending += paths
            return
        view, store = self.data.view(), None if self.data.demo else self.data.store
        profile_name = self.data.own_profile_name()
        label = fmt.by_count(len(paths), self.tr("Importing {name}…").format(name=paths[0].name),
                           self.tr("Importing {n} files…"))
        self.data.run_load(lambda p, c: session.import_paths(store, profile_name, paths, view, p, c), label,
                           on_done=self.show_imported)

    def _import_pending(self) -> None:
        if self.pending:
            files, self.pending = self.pending, []
            self.open_files(files)

    def show_imported(self, loaded) -> None:
        """Say what each file added (or why not), with Undo for what was stored, and "Keep what I had" when a
        file replaced figures that were there; uncertain files go to the wizard."""
        lines, batch_ids, replaced, problem = [], [], [], False
        for outcome in loaded.imported:
            name = html.escape(outcome.path.name)
            if not outcome.ok:
                problem = True
                lines.append(f"<b>{name}</b>: {html.escape(outcome.error)}")
                continue
            result = outcome.result
            label = html.escape(outcome.batch.format_label) if outcome.batch is not None else ""
            line = f"<b>{name}</b> ({label}): {html.escape(result.sentence())}"
            if result.batch_id is not None:
                batch_ids.append(result.batch_id)
                if result.changed_days and not result.kept_existing:
                    replaced.append((result.batch_id, outcome.path))
                    line += " " + html.escape(self.replaced_sentence(outcome))
            lines.append(line)
        if lines and loaded.next_steps:  # the download checklist for the months these files cover
            from pinviewer.gui import formatting as fmt

            lines.append(self.tr("<b>What to download next</b>"))
            lines += [fmt.bold_choices(html.escape(step)) for step in loaded.next_steps[:3]]
        if lines:
            key, actions = self.data.profile_key(), []
            if batch_ids:
                actions.append((self.tr("Undo"), lambda ids=tuple(batch_ids): self.undo(list(ids), key)))
            if replaced:
                actions.append((self.tr("Keep what I had"), lambda r=tuple(replaced): self.keep_existing(list(r), key)))
            self.window.show_notice("<br>".join(lines), actions, problem=problem and not batch_ids, owner=key)
        if loaded.uncertain:
            self.wizard_reasons = dict(loaded.reasons)
            self.open_wizard(loaded.uncertain)

    def replaced_sentence(self, outcome) -> str:
        """'It replaced the figures you had for 12 days between Oct 1 and Oct 30, 2026.'"""
        from pinviewer.gui import formatting as fmt

        n = outcome.result.changed_days
        span = outcome.batch.date_range() if outcome.batch is not None else None
        days = fmt.by_count(n, self.tr("1 day"), self.tr("{n} days"))
        if span:
            return self.tr("It replaced the figures you had for {days} between {period}.").format(
                days=days, period=fmt.period(*span))
        return self.tr("It replaced the figures you had for {days}.").format(days=days)

    def keep_existing(self, replaced: list, owner: tuple | None = None) -> None:
        """"Keep what I had": the files that replaced figures are imported again keeping the figures there."""
        from pinviewer.core import session

        if not self._owned_by(owner):
            return
        store, profile, view = self.data.store, self.data.profile, self.data.view()

        def done(loaded):
            names = ", ".join(html.escape(o.path.name) for o in loaded.imported)
            self.window.show_notice(self.tr("Kept the figures you had; {names} only added what was missing.")
                                    .format(names=names), timeout_ms=12000, owner=self.data.profile_key())

        self.data.run_load(lambda p, c: session.keep_existing(store, profile, replaced, view, p, c),
                           self.tr("Keeping what you had…"), on_done=done)

    def _owned_by(self, owner: tuple | None) -> bool:
        """Whether the profile shown is ``owner`` (the one an import went into); says so when not."""
        from pinviewer.gui import errors

        if (owner is not None and owner != self.data.profile_key()) or self.data.store is None:
            errors.show_problem(self.window, self.tr("That import belongs to another profile: switch back to it "
                                                     "to change it (File > Import history)."))
            return False
        return True

    # ------------------------------------------------------------------ out
    def undo(self, batch_ids: list[int], owner: tuple | None = None) -> None:
        """Undo these imports of the profile shown, which must be ``owner`` (the one they went into): never
        another profile's, never the sample blog's."""
        from pinviewer.core import session

        if not self._owned_by(owner):
            return
        store, profile, demo, view = self.data.store, self.data.profile, self.data.demo, self.data.view()

        def done(loaded):
            names = ", ".join(html.escape(b.file_name) for b in loaded.undone)
            self.window.show_notice(self.tr("Undid the import of {names}. The figures you had before are back.")
                                    .format(names=names), timeout_ms=12000, owner=self.data.profile_key())

        self.data.run_load(lambda p, c: session.undo(store, profile, batch_ids, demo, view, c),
                           self.tr("Undoing the import…"), on_done=done)

    def recover(self, damaged: Path) -> None:
        """Copy the imports a damaged history (set aside at start) still holds into the new one, then reload."""
        from pinviewer.core import session

        store, view = self.data.store, self.data.view()
        name = self.data.profile.name if self.data.profile is not None else None
        found = []

        def work(progress, cancelled):
            found.append(store.recover(damaged))
            store.recovered_from = None  # said once; the notice below tells what came back
            return session.load(store, session.profile_or_first(store, name), False, view, cancelled)

        def done(loaded):
            self.window.show_notice(html.escape(found[0].sentence()), problem=not found[0].recovered,
                                    owner=self.data.profile_key())

        self.data.run_load(work, self.tr("Recovering your imports…"), on_done=done)

    # ------------------------------------------------------------------ dialogs
    def open_wizard(self, paths: list[Path]) -> None:
        """The import wizard (``wizard``) for files PinViewer is not sure about.

        ``wizard_reasons`` maps each path to what the readers made of it (Detection.reason). When the wizard
        imported or undid something, the window reloads (into the profile the files went to) and says what was
        added, with Undo.
        """
        from pinviewer.core import wizard_jobs
        from pinviewer.gui.wizard import ImportWizard

        profile = self.data.own_profile_name()
        wizard = ImportWizard(paths, None if self.data.demo else self.data.store, profile,
                              dict(self.wizard_reasons), self.window)
        self.wizard = wizard

        def finished(_result):
            if wizard.changed:
                store, name, view, imported = wizard.store, wizard.profile_name, self.data.view(), wizard.outcomes()
                self.data.run_load(lambda p, c: wizard_jobs.reload(store, name, view, imported, c),
                                   self.tr("Opening your figures…"), on_done=self.show_imported)
            wizard.release()

        wizard.finished.connect(finished)
        wizard.open()

    def show_history(self) -> None:
        """File > Import history (``history``): every import, each can be undone (not the sample blog's);
        remembered column mappings, each can be forgotten. The window reloads when an import was undone."""
        from pinviewer.core import session
        from pinviewer.gui.import_history import ImportHistory

        data = self.data
        if data.store is None or data.profile is None:
            return
        dialog = ImportHistory(data.store, data.profile.name, demo=data.demo, parent=self.window)
        self.history = dialog

        def finished(_result):
            if dialog.changed:
                store, profile, demo, view = data.store, data.profile, data.demo, data.view()
                data.run_load(lambda p, c: session.load(store, profile, demo, view, c),
                              self.tr("Opening your figures…"))

        dialog.finished.connect(finished)
        dialog.open()
