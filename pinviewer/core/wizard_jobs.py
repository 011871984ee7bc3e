"""What the import wizard and the import history run on the worker (always inside ``tasks.run``).

Plain calls into pinviewer.core, no widgets: recognise and read a file for its preview (the one import path,
``pinviewer.core.importer``), read it again with the user's column mapping, compare it with what is stored,
import the chosen files one by one (and take them all back when the user cancels), undo, reload. The GUI
never parses a file itself.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pinviewer.core.callbacks import IsCancelled, Progress

if TYPE_CHECKING:  # names for the type checker only: the wizard imports this module before pandas
    import pandas as pd

    from pinviewer.core.formats.mapping import ColumnMapping
    from pinviewer.core.formats.model import ImportBatch, Problem
    from pinviewer.core.importer import Recognition
    from pinviewer.core.session import Loaded, View
    from pinviewer.core.store import BatchInfo, ImportResult, Overlap, Store

log = logging.getLogger(__name__)

PREVIEW_ROWS = 200  # rows shown in a preview: enough to check, quick to lay out

# readers whose figures cover a date range the file has to state (above the table)
_NEEDS_PERIOD = ("pinterest_top_pins", "ga4_traffic", "ga4_landing")


# ------------------------------------------------------------------------------------------------ where to
@dataclass
class Target:
    """The history the files go into."""

    store: Store
    profile: str
    profiles: list[str]
    opened: bool = False  # opened for the wizard (the sample blog was showing): close it when nothing was imported


def open_target(store: Store | None, profile_name: str | None, progress: Progress | None = None,
                cancelled: IsCancelled | None = None) -> Target:
    """The user's store (opened here when the window shows the sample blog) and its profiles."""
    from pinviewer.core.errors import PinviewerError
    from pinviewer.core.store import Store

    opened = store is None
    target = store or Store.open()
    names = [p.name for p in target.profiles()]
    try:
        profile = target.profile(profile_name).name if profile_name else target.profile().name
    except PinviewerError:
        profile = target.profile().name
    return Target(target, profile, names, opened)


def close_store(store: Store, progress: Progress | None = None, cancelled: IsCancelled | None = None) -> None:
    store.close()


# ------------------------------------------------------------------------------------------------ preview
@dataclass
class Preview:
    """What PinViewer made of one file: read as recognised, with a remembered mapping, or with the user's."""

    path: Path
    recognition: Recognition | None = None
    mapping: ColumnMapping | None = None  # the one the figures were read with (remembered or the user's)
    period: tuple[dt.date, dt.date] | None = None  # the dates the user said the file covers
    batch: ImportBatch | None = None
    sha256: str | None = None
    error: str | None = None  # the sentence when the file cannot be used at all (or not with this mapping)
    header: list[str] = field(default_factory=list)
    sample: list[list[str]] = field(default_factory=list)
    guess: ColumnMapping | None = None  # guessed from the header and first rows
    rows: pd.DataFrame | None = None  # the first rows as read (see preview_rows)
    raw: bool = False  # ``rows`` are the file's own text (a table PinViewer could not read yet)
    overlap: Overlap | None = None  # against the chosen profile
    already: BatchInfo | None = None  # when this very file (SHA-256) was imported into the profile

    @property
    def fatal(self) -> list[Problem]:
        return list(self.batch.fatal_problems) if self.batch is not None else []

    @property
    def warnings(self) -> list[Problem]:
        return list(self.batch.warnings) if self.batch is not None else []

    def date_range(self) -> tuple[dt.date, dt.date] | None:
        """The batch's first and last day, or None (a top-Pins file without its dates has no range yet)."""
        return self.batch.date_range() if self.batch is not None else None

    @property
    def unknown(self) -> bool:
        """A table no reader recognises: it can only be imported with a column mapping."""
        found = self.recognition
        return (self.mapping is None and found is not None and found.detection is not None
                and found.detection.format == "unknown")

    @property
    def importable(self) -> bool:
        return self.error is None and self.batch is not None and not self.fatal and self.batch.rows > 0

    @property
    def needs_period(self) -> bool:
        """A top-Pins or Google Analytics file that does not say which dates it covers."""
        batch = self.batch
        return batch is not None and batch.format in _NEEDS_PERIOD and batch.period is None and bool(self.fatal)


def preview_file(store: Store, profile_name: str | None, path: Path, period: tuple[dt.date, dt.date] | None = None,
                 progress: Progress | None = None, cancelled: IsCancelled | None = None) -> Preview:
    """Recognise and read a file as PinViewer would import it (a remembered mapping is used without asking)."""
    from pinviewer.core.importer import recognise

    path = Path(path)
    found = recognise(path)
    preview = Preview(path, recognition=found, mapping=found.mapping, period=period)
    if found.detection is not None and found.detection.sniffed is not None:
        preview.header = list(found.detection.header)
        preview.sample = [list(r) for r in found.detection.sniffed.sample]
    if found.error is not None:  # still show its first rows: it helps to see what was dropped
        preview.error = found.error
        _sniff_into(preview)
        if preview.header:
            preview.rows, preview.raw = raw_rows(preview.header, preview.sample), True
        return preview
    if not preview.header:
        _sniff_into(preview)
    if preview.header:
        from pinviewer.core.formats.mapping import guess_mapping

        preview.guess = guess_mapping(preview.header, preview.sample)
    if preview.unknown:  # nothing to read before the user says what the columns are
        preview.rows, preview.raw = raw_rows(preview.header, preview.sample), True
        return preview
    return _read(store, profile_name, preview, found.mapping, progress, cancelled)


def preview_mapped(store: Store, profile_name: str | None, path: Path, mapping: ColumnMapping, header: Iterable[str],
                   sample: Iterable[list[str]], period: tuple[dt.date, dt.date] | None = None,
                   progress: Progress | None = None, cancelled: IsCancelled | None = None) -> Preview:
    """Read a file again with the user's column mapping (the mapping page's live preview)."""
    preview = Preview(Path(path), mapping=mapping, period=period, header=list(header), sample=list(sample))
    return _read(store, profile_name, preview, mapping, progress, cancelled)


def _sniff_into(preview: Preview) -> None:
    from pinviewer.core.errors import PinviewerError
    from pinviewer.core.formats.sniff import sniff

    try:
        sniffed = sniff(preview.path)
    except PinviewerError:
        return
    preview.header, preview.sample = list(sniffed.header), [list(r) for r in sniffed.sample]


def _read(store: Store, profile_name: str | None, preview: Preview, mapping: ColumnMapping | None,
          progress: Progress | None, cancelled: IsCancelled | None) -> Preview:
    from pinviewer.core.errors import Cancelled, PinviewerError
    from pinviewer.core.importer import read_file

    try:
        preview.batch, preview.sha256 = read_file(preview.path, mapping, preview.period, progress, cancelled)
    except Cancelled:
        raise
    except PinviewerError as error:
        preview.error = str(error)
        if preview.header:
            preview.rows, preview.raw = raw_rows(preview.header, preview.sample), True
        return preview
    preview.rows = preview_rows(preview.batch)
    if preview.importable:
        compare(store, profile_name, preview)
    return preview


def compare(store: Store, profile_name: str | None, preview: Preview) -> Preview:
    """Fill ``overlap`` (what 'newer file wins' would change) and ``already`` (the same file imported before).
    ``profile_name`` None: the history's first profile."""
    profile = store.profile(profile_name)
    assert preview.batch is not None  # called for importable previews only
    preview.overlap = store.overlap(profile, preview.batch)
    preview.already = store.find_batch(profile, preview.sha256) if preview.sha256 else None
    return preview


def compare_all(store: Store, profile_name: str, previews: list[Preview], progress: Progress | None = None,
                cancelled: IsCancelled | None = None) -> list[Preview]:
    """The same comparisons again for another profile."""
    for preview in previews:
        if cancelled is not None and cancelled():
            from pinviewer.core.errors import Cancelled

            raise Cancelled()
        if preview is not None and preview.importable:
            compare(store, profile_name, preview)
    return previews


def preview_rows(batch: ImportBatch, limit: int = PREVIEW_ROWS) -> pd.DataFrame:
    """The first rows of a batch as a frame: ``_kind``/``_what`` (what the row is about: entity type and id),
    ``_title``, ``_start``/``_end``
    (ISO days) and one float column per metric the batch has, in the order of pinviewer.core.metrics."""
    import pandas as pd

    names = batch.metrics()
    titles: dict[str, str] = {}
    if len(batch.entities) and "title" in batch.entities:
        ent = batch.entities.dropna(subset=["title"])
        titles = dict(zip(ent["entity_id"].astype(str), ent["title"].astype(str)))
    parts: list[pd.DataFrame] = []
    for frame, start, end in ((batch.periods, "start", "end"), (batch.daily, "date", "date")):
        if not len(frame):
            continue
        head = frame.head(limit)
        ids = head["entity_id"].astype(str).to_numpy(object)
        kinds = head["entity_type"].astype(str).to_numpy(object)
        part = pd.DataFrame({
            "_kind": kinds,
            "_what": ids,
            "_title": [titles.get(i) for i in ids],
            "_start": [_iso(d) for d in head[start]],
            "_end": [_iso(d) for d in head[end]],
        })
        for name in names:
            part[name] = pd.to_numeric(head[name], errors="coerce").to_numpy(float) if name in head \
                else float("nan")
        parts.append(part)
        limit -= len(part)
        if limit <= 0:
            break
    if not parts:
        return pd.DataFrame(columns=["_kind", "_what", "_title", "_start", "_end", *names])
    return pd.concat(parts, ignore_index=True)


def raw_rows(header: list[str], sample: list[list[str]]) -> pd.DataFrame:
    """A file's first rows as text, one column per header name (for a table not read yet)."""
    import pandas as pd

    data = {f"_c{i}": [row[i] if i < len(row) else "" for row in sample] for i in range(len(header))}
    return pd.DataFrame(data, columns=list(data))


def _iso(value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "isoformat"):
        day: str = value.isoformat()[:10]
        return day
    return str(value)[:10]


# ------------------------------------------------------------------------------------------------ import
@dataclass
class ImportJob:
    """One file to import, as previewed and as the user decided."""

    key: int
    path: Path
    batch: ImportBatch
    sha256: str
    mapping: ColumnMapping | None = None  # the one the batch was read with
    remember: bool = False  # remember ``mapping`` for files with ``header``
    header: list[str] = field(default_factory=list)
    keep_existing: bool = False
    period: tuple[dt.date, dt.date] | None = None


@dataclass
class Outcome:
    key: int
    path: Path
    format_label: str = ""
    result: ImportResult | None = None
    error: str | None = None
    reread: bool = False  # the file changed on disk after the preview and was read again
    remembered: bool = False
    batch: ImportBatch | None = None  # what was stored (for the window's notice)
    warnings: list[str] = field(default_factory=list)  # the import stands, but: (its columns not remembered)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class ImportRun:
    outcomes: list[Outcome] = field(default_factory=list)
    cancelled: bool = False
    undone: list[int] = field(default_factory=list)  # imports of this run taken back after a cancel


def import_files(store: Store, profile_name: str, jobs: list[ImportJob], progress: Progress | None = None,
                 cancelled: IsCancelled | None = None) -> ImportRun:
    """Import each file on its own (one bad file does not stop the others), newest file winning unless the user
    chose to keep what they have. Cancel takes back what this run imported: the history is as it was."""
    from pinviewer.core import importer, mappings
    from pinviewer.core.errors import Cancelled, PinviewerError
    from pinviewer.core.formats.model import ImportBatch
    from pinviewer.core.store import file_sha256

    profile = store.profile(profile_name)
    run = ImportRun()
    done: list[int] = []
    total = max(1, len(jobs))
    try:
        for i, job in enumerate(jobs):
            if cancelled is not None and cancelled():
                raise Cancelled()

            def file_progress(part: int, whole: int, message: str = "", _i: int = i,
                              _name: str = job.path.name) -> None:
                if progress is not None:
                    share = (part / whole) if whole else 0.0
                    progress(int(1000 * (_i + min(1.0, share)) / total), 1000,
                             f"{_name} ({_i + 1}/{len(jobs)})" if len(jobs) > 1 else _name)

            file_progress(0, 0)
            outcome = Outcome(job.key, job.path, job.batch.format_label)
            try:
                outcome.reread = job.path.is_file() and file_sha256(job.path) != job.sha256
                outcome.result = importer.store_batch(
                    store, profile, job.batch, job.sha256, keep_existing=job.keep_existing, mapping=job.mapping,
                    period=job.period, progress=file_progress, cancelled=cancelled)
                outcome.batch = ImportBatch(job.batch.format, job.batch.format_label)  # its name, not its figures
            except Cancelled:
                raise
            except PinviewerError as error:
                outcome.error = str(error)
            run.outcomes.append(outcome)
            if outcome.result is not None and outcome.result.batch_id is not None:
                done.append(outcome.result.batch_id)
    except Cancelled:
        for batch_id in reversed(done):
            store.undo(batch_id)
        log.info("Import cancelled; took back imports %s", done)
        return ImportRun(cancelled=True, undone=done)
    for job, outcome in zip(jobs, run.outcomes):
        if outcome.ok and job.mapping is not None and job.remember and job.header:
            try:
                mappings.remember(job.mapping, job.header)
                outcome.remembered = True
            except PinviewerError as error:  # (a full disk) the import stands; only the columns are not kept
                outcome.warnings.append(str(error))
    if progress is not None:
        progress(1000, 1000, "")
    return run


def undo(store: Store, batch_id: int, progress: Progress | None = None,
         cancelled: IsCancelled | None = None) -> BatchInfo:
    """Undo one import; returns its BatchInfo (with ``undone_at``)."""
    return store.undo(batch_id)


def reload(store: Store, profile_name: str, view: View, imported: Iterable[Outcome] = (),
           cancelled: IsCancelled | None = None) -> Loaded:
    """The window's snapshot after the wizard: session.load, with the files that were imported (for its notice
    with Undo)."""
    from pinviewer.core.importer import FileImport
    from pinviewer.core import session

    loaded = session.load(store, store.profile(profile_name), False, view, cancelled)
    active = {b.id for b in store.batches(loaded.profile, include_undone=False)}
    loaded.imported = [FileImport(o.path, batch=o.batch, result=o.result, sha256=None) for o in imported
                       if o.ok and o.result is not None and (o.result.batch_id is None or o.result.batch_id in active)]
    return loaded


# ------------------------------------------------------------------------------------------------ history
def history(store: Store, profile_name: str, progress: Progress | None = None,
            cancelled: IsCancelled | None = None) -> list[BatchInfo]:
    """Every import into the profile (undone ones too), oldest first."""
    return store.batches(store.profile(profile_name), include_undone=True)


def undo_from_history(store: Store, profile_name: str, batch_id: int, progress: Progress | None = None,
                      cancelled: IsCancelled | None = None) -> list[BatchInfo]:
    store.undo(batch_id)
    return history(store, profile_name)


def remembered_mappings(progress: Progress | None = None,
                        cancelled: IsCancelled | None = None) -> list[tuple[str, ColumnMapping]]:
    """(key, ColumnMapping) for every remembered column mapping."""
    from pinviewer.core.mappings import all_remembered

    return all_remembered()


def forget_mapping(key: str, progress: Progress | None = None,
                   cancelled: IsCancelled | None = None) -> list[tuple[str, ColumnMapping]]:
    from pinviewer.core.mappings import all_remembered, forget

    forget(key)
    return all_remembered()
