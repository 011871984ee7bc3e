"""One file of an import and what the user decided about it: the wizard's state, without widgets."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pinviewer.core import wizard_jobs
from pinviewer.gui.wizard.preview import tr

if TYPE_CHECKING:
    from pinviewer.core.formats.mapping import ColumnMapping
    from pinviewer.gui.tasks import Task

SURE = 0.8  # below this a recognised format is only a guess: the wizard offers to say what the columns are


@dataclass
class FileEntry:
    """One file of the import and what the user decided about it."""

    key: int
    path: Path
    reason: str = ""  # what the window's first look found (shown while reading)
    preview: wizard_jobs.Preview | None = None  # read as recognised (or with a remembered mapping)
    wanted: bool = True  # import this file
    own_columns: bool = False  # the user says what each column holds (mapping page)
    mapping: ColumnMapping | None = None  # chosen on the mapping page
    mapped: wizard_jobs.Preview | None = None  # read with ``mapping``
    mapping_problems: list[str] = field(default_factory=list)  # why ``mapping`` cannot be used yet
    mapping_pending: bool = False
    remember: bool = True  # remember ``mapping`` for files with the same columns
    keep_existing: bool = False  # overlap page: keep what I have
    period: tuple[dt.date, dt.date] | None = None  # the dates a file covers, when it does not say
    task: Task | None = field(default=None, repr=False)
    generation: int = 0  # counts the mapping page's reads: only the newest one is shown

    @property
    def loading(self) -> bool:
        return self.preview is None

    @property
    def unusable(self) -> bool:
        """Cannot be imported at all, whatever the user chooses (its sentence says why)."""
        p = self.preview
        if p is None:
            return False
        if p.error is not None and not p.unknown:
            return True
        return bool(p.fatal) and not self.can_choose_columns and not p.needs_period

    @property
    def confidence(self) -> float:
        return self.preview.recognition.confidence if self.preview and self.preview.recognition else 0.0

    @property
    def can_choose_columns(self) -> bool:
        """Whether the mapping page may read this file: a table PinViewer is not sure about, or one read with
        columns the user chose before."""
        p = self.preview
        if p is None or not p.header or (p.error is not None and not p.unknown):
            return False
        return p.unknown or p.mapping is not None or self.confidence < 1.0

    @property
    def needs_mapping(self) -> bool:
        p = self.preview
        return p is not None and not self.unusable and (p.unknown or self.own_columns)

    @property
    def active(self) -> wizard_jobs.Preview | None:
        """The read that would be imported."""
        return self.mapped if self.needs_mapping else self.preview

    @property
    def importable(self) -> bool:
        p = self.active
        return p is not None and p.importable and not (self.needs_mapping and (self.mapping_pending
                                                                                 or self.mapping_problems))

    @property
    def has_overlap(self) -> bool:
        p = self.active
        return p is not None and self.importable and p.overlap is not None and bool(p.overlap) and p.already is None

    def status(self) -> str:
        """A few words for the file list."""
        if self.loading:
            return tr("Reading…")
        assert self.preview is not None  # read
        if self.unusable:
            return tr("Can't be imported")
        if not self.wanted:
            return tr("Not imported: you left it out")
        if self.needs_mapping:
            return tr("Needs you to say what the columns are")
        if self.preview.needs_period:
            return tr("Needs the dates it covers")
        if self.importable and self.active is not None and self.active.already is not None:
            return tr("Already imported")
        return tr("Ready to import") if self.importable else tr("Can't be imported")

    def glyph(self) -> str:
        if self.loading:
            return "…"
        assert self.preview is not None  # read
        if self.unusable or (self.wanted and not self.needs_mapping and not self.importable
                             and not self.preview.needs_period):
            return "✕"
        if not self.wanted:
            return "–"
        if self.needs_mapping or self.preview.needs_period:
            return "?"
        return "✓"
