"""Importing files into the store: the one path the command line, the drop and the wizard all take."""
from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pinviewer.core.callbacks import IsCancelled, Progress
from pinviewer.core.errors import PinviewerError
from pinviewer.core.formats.model import ImportBatch
from pinviewer.core.store import ImportResult, Profile, Store, file_sha256

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from pinviewer.core.formats.mapping import ColumnMapping, MappingSpec
    from pinviewer.core.formats.registry import Detection

Days = tuple[dt.date, dt.date]

log = logging.getLogger(__name__)

# How sure PinViewer is of a file's format (a Detection's confidence), one scale for every way in:
CERTAIN = 1.0  # the structure or the columns leave no doubt: imported on a drop without asking
LIKELY = 0.8  # a good guess: the command line imports it; below, it asks for --mapping or --accept-guess


@dataclass
class FileImport:
    """What happened to one file: what was read, what changed, or the sentence that says why not."""

    path: Path
    batch: ImportBatch | None = None
    result: ImportResult | None = None
    error: str | None = None
    sha256: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


class _Hashing(threading.Thread):
    """``file_sha256(path)`` on a thread of its own (hashlib and file reads let the reader's thread run)."""

    def __init__(self, path: Path) -> None:
        super().__init__(name="pinviewer-sha256", daemon=True)
        self.path = path
        self.digest: str | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.digest = file_sha256(self.path)
        except BaseException as error:  # noqa: BLE001 - handed to the caller by result()
            self.error = error

    def result(self) -> str:
        self.join()
        if self.error is not None:
            raise self.error
        assert self.digest is not None  # run() ended without an error
        return self.digest


def _unreadable(path: Path, error: OSError) -> PinviewerError:
    name = path.name or str(path)
    if isinstance(error, PermissionError):
        return PinviewerError(f"I'm not allowed to read “{name}”: check its permissions (or those of its folder).")
    if isinstance(error, FileNotFoundError):
        return PinviewerError(f"I can't find {path}. Was it moved or renamed?")
    return PinviewerError(f"I can't read “{name}”: {error.strerror or error}.")


def _copy_pipe(path: Path) -> tuple[Path, str]:
    """Read a pipe the shell hands over (``/dev/stdin``, ``<(…)``) once, into a file of our own: (its path, the
    SHA-256 of what was read). The readers look at a file several times; a pipe gives its bytes only once."""
    import hashlib
    import os
    import tempfile

    from pinviewer import paths
    from pinviewer.core.formats.file_checks import MAX_FILE_BYTES, too_big

    digest = hashlib.sha256()
    handle, name = tempfile.mkstemp(prefix="pipe-", suffix=".csv", dir=paths.cache_dir())
    copy = Path(name)
    size = 0
    try:
        with open(path, "rb") as source, os.fdopen(handle, "wb") as out:
            while chunk := source.read(1 << 20):
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise too_big(path.name)
                digest.update(chunk)
                out.write(chunk)
    except OSError as error:
        copy.unlink(missing_ok=True)
        if getattr(error, "errno", None) == 28:  # ENOSPC
            raise PinviewerError("The disk holding PinViewer's cache folder is full, so I can't keep what the pipe "
                                 "gave me. Free some space and try again.") from None
        raise _unreadable(path, error) from None
    except BaseException:
        copy.unlink(missing_ok=True)
        raise
    return copy, digest.hexdigest()


def read_file(path: Path, mapping: MappingSpec | None = None, period: Days | None = None,
              progress: Progress | None = None, cancelled: IsCancelled | None = None) -> tuple[ImportBatch, str]:
    """Parse a file and hash it; raises PinviewerError with a sentence when it cannot be used.

    The file is hashed while it is read; as when it was hashed first, a file that cannot be hashed raises
    that error (whatever the reading said). What is not a file (a folder, a named pipe, a device, a loop of
    links, more than 1 GB) is refused before anything is read; a pipe the shell hands over (/dev/stdin) is read
    once, and hashed from what was read."""
    import stat

    from pinviewer.core.formats import read
    from pinviewer.core.formats.file_checks import check_source

    path = Path(path)
    info = check_source(path, pipes=True)
    if stat.S_ISFIFO(info.st_mode):
        copy, sha = _copy_pipe(path)
        try:
            batch = read(copy, mapping=mapping, period=period, progress=progress, cancelled=cancelled)
        finally:
            copy.unlink(missing_ok=True)
        batch.meta["read_from"] = "pipe"
    else:
        hashing = _Hashing(path)
        hashing.start()
        try:
            batch = read(path, mapping=mapping, period=period, progress=progress, cancelled=cancelled)
        except BaseException:
            try:
                hashing.result()  # a hashing error comes first, as it did
            except OSError as error:
                raise _unreadable(path, error) from None
            raise
        try:
            sha = hashing.result()
        except OSError as error:
            raise _unreadable(path, error) from None
    batch.path = path
    if not batch.fatal_problems:  # (those already say which row and column: the store refuses the batch)
        _check_days(batch)
        _check_figures(batch)
    return batch, sha


def _period_days(periods: pd.DataFrame) -> int | np.ndarray:
    """Days each period row covers (a number when every row covers the same period, as in a top-Pins file)."""
    import numpy as np
    import pandas as pd

    starts, ends = periods["start"].to_numpy(dtype=object), periods["end"].to_numpy(dtype=object)
    if len(pd.unique(starts)) == 1 and len(pd.unique(ends)) == 1:
        start, end = starts[0], ends[0]
        return (end - start).days + 1 if start is not None and end is not None and start == start else 1
    return np.array([(e - s).days + 1 if s is not None and e is not None and s == s and e == e else 1
                     for s, e in zip(starts, ends)], dtype=np.float64)


def _check_figures(batch: ImportBatch) -> None:
    """Every figure a batch holds is believable (``plausible.implausible``), whichever reader made it: the shared
    table layer refuses such a cell with its row and column; this catches what a reader of its own let through,
    naming the day (or Pin) and the figure."""
    import numpy as np

    from pinviewer.core import metrics
    from pinviewer.core.formats import plausible, quoting

    for frame, periods in ((batch.daily, False), (batch.periods, True)):
        if not len(frame):
            continue
        days = _period_days(frame) if periods else 1
        for name in frame.columns:
            metric = metrics.BY_NAME.get(name)
            if metric is None:
                continue
            values = frame[name].to_numpy(dtype=np.float64, na_value=np.nan)
            absurd, why = plausible.implausible(metric.unit, values, days)
            if absurd.any() and metric.unit == metrics.RATE and metric.numerator in frame and \
                    metric.denominator in frame:
                with np.errstate(divide="ignore", invalid="ignore"):
                    ratio = frame[metric.numerator].to_numpy(dtype=np.float64, na_value=np.nan) / \
                        frame[metric.denominator].to_numpy(dtype=np.float64, na_value=np.nan)
                    absurd &= ~((values > 1) & (np.abs(values - ratio) <= np.maximum(0.01, ratio * 0.05)))
            if not absurd.any():
                continue
            i = int(np.flatnonzero(absurd)[0])
            row = frame.iloc[i]
            who = "" if row["entity_type"] in ("account", "site") else f"{row['entity_type']} {row['entity_id']} "
            when = f"{row['start']} to {row['end']}" if periods else f"{row['date']}"
            shown = f"{values[i] * 100:.6g}%" if metric.unit == metrics.RATE else f"{values[i]:.6g}"
            more = int(absurd.sum()) - 1
            assert batch.path is not None  # read_file set it
            raise PinviewerError(
                f"Nothing was imported from {quoting.printable(batch.path.name)}: {shown} in {metric.label} "
                f"({who}{when}) {why}" + (f" ({more:,} more figures like it.)" if more else ""))


def _days_span(batch: ImportBatch) -> Days | None:
    """``batch.date_range()``, through each column's distinct days (a top-Pins file's 50,000 rows share two)."""
    import pandas as pd

    days = []
    for frame, columns in ((batch.daily, ("date",)), (batch.periods, ("start", "end"))):
        for column in columns:
            if len(frame) and column in frame:
                distinct = [d for d in pd.unique(frame[column].to_numpy(dtype=object)) if d is not None and d == d]
                if distinct:
                    days += [min(distinct), max(distinct)]
    if not days:
        return batch.period
    return min(days), max(days)


def _check_days(batch: ImportBatch) -> None:
    """Days a batch may not hold (before 2010, after tomorrow: every reader's rows are checked, this catches a
    period a file states), and a period the file promises that its rows do not fill: a warning."""
    from pinviewer.core.formats import plausible, quoting
    from pinviewer.core.formats.model import Problem

    found = _days_span(batch)
    if found is not None:
        for day in found:
            why = plausible.day_out_of_range(day)
            if why:
                assert batch.path is not None  # read_file set it
                raise PinviewerError(f"Nothing was imported from {quoting.printable(batch.path.name)}: it holds "
                                     f"figures for {day} and that day {why}")
    promised = batch.period
    daily = batch.daily
    if promised is None or not len(daily):
        return
    # Pinterest's own daily figures for the account (a Google Analytics file's daily chart is a sketch beside its
    # table per source; per-Pin days come and go)
    whole = daily["entity_type"] == "account"
    days = set(daily.loc[whole, "date"].dropna())
    if not days:
        return
    first, last = min(days), max(days)
    start, end = promised
    if start >= first and end <= last:
        return
    import datetime as dt

    wanted = (end - start).days + 1
    missing = sum(1 for k in range(wanted) if start + dt.timedelta(days=k) not in days) if wanted < 40_000 else 0
    said = plausible.day_words
    missing_words = f" ({missing:,} {'day' if missing == 1 else 'days'} of it missing)" if missing else ""
    batch.problems.append(Problem(
        f"The file says it covers {said(start)} – {said(end)}; it holds {said(first)} – {said(last)}"
        f"{missing_words}. Was the download cut short? Export the whole period again to fill the gap.",
        fatal=False))


@dataclass
class Recognition:
    """What PinViewer makes of a file before importing it."""

    path: Path
    detection: Detection | None = None
    mapping: ColumnMapping | None = None  # a remembered one for this header: the user's own answer
    error: str | None = None  # the file cannot be used at all, in words

    @property
    def confidence(self) -> float:
        if self.mapping is not None:
            return 1.0
        return float(self.detection.confidence) if self.detection is not None else 0.0

    @property
    def reason(self) -> str:
        if self.mapping is not None:
            return f"read with the columns you chose before ({self.mapping.name or 'remembered'})"
        return self.detection.reason if self.detection is not None else ""


def recognise(path: Path) -> Recognition:
    """Detect the format, and look for a mapping the user gave before for files with this header."""
    from pinviewer.core.formats import detect
    from pinviewer.core.formats.sniff import sniff
    from pinviewer.core.mappings import remembered

    path = Path(path)
    found = Recognition(path)
    try:
        found.detection = detect(path)
        header = found.detection.header
    except PinviewerError as error:  # another platform's export, or not a table at all
        found.error = str(error)
        try:
            header = sniff(path).header
        except PinviewerError:
            return found
    found.mapping = remembered(header) if header else None
    if found.mapping is not None:
        found.error = None
    return found


def store_batch(store: Store, profile: Profile, batch: ImportBatch, sha256: str, *, keep_existing: bool = False,
                mapping: MappingSpec | None = None, period: Days | None = None, progress: Progress | None = None,
                cancelled: IsCancelled | None = None, just_read: bool = False) -> ImportResult:
    """Store a batch read earlier; if the file changed on disk since (SHA-256), read it again first.
    ``just_read``: the batch was read a moment ago, in the same call (import_file): no need to look again."""
    if not just_read and batch.path is not None and batch.path.is_file() and batch.meta.get("read_from") != "pipe" \
            and file_sha256(batch.path) != sha256:
        log.info("%s changed on disk since it was previewed; reading it again", batch.path.name)
        batch, sha256 = read_file(batch.path, mapping, period, progress, cancelled)
    name = batch.path.name if batch.path is not None else batch.format_label
    return store.import_batch(profile, batch, file_name=name, sha256=sha256, keep_existing=keep_existing,
                              progress=progress, cancelled=cancelled)


def import_file(store: Store, profile: Profile, path: Path, *, mapping: MappingSpec | None = None,
                period: Days | None = None, keep_existing: bool = False, min_confidence: float = 0.0,
                progress: Progress | None = None, cancelled: IsCancelled | None = None) -> FileImport:
    """Read and store one file. Below ``min_confidence`` a guessed format is not imported: the caller asks."""
    from pinviewer.core.formats.quoting import tidy_message

    outcome = FileImport(Path(path))
    try:
        guessed = mapping is None
        if guessed and outcome.path.is_file():  # (a pipe gives its bytes once: read_file reads it)
            mapping = recognise(outcome.path).mapping
            guessed = mapping is None
        outcome.batch, outcome.sha256 = read_file(outcome.path, mapping, period, progress, cancelled)
        if guessed and outcome.batch.confidence < min_confidence:
            unused = ", ".join(outcome.batch.unrecognised) or "none"
            raise PinviewerError(
                f"I'm not sure {outcome.path.name} is a {outcome.batch.format_label} file: I don't recognise some "
                f"of its columns ({unused}). Import it with the import wizard, or give a column mapping "
                "with --mapping (or --accept-guess to import what I recognised).")
        outcome.warnings = [tidy_message(p) for p in outcome.batch.warnings]
        outcome.result = store_batch(store, profile, outcome.batch, outcome.sha256, keep_existing=keep_existing,
                                     mapping=mapping, period=period, progress=progress, cancelled=cancelled,
                                     just_read=True)
    except PinviewerError as error:
        outcome.error = tidy_message(error)
    return outcome


def import_files(store: Store, profile: Profile, paths: Iterable[str | os.PathLike[str]],
                 **options: Any) -> list[FileImport]:
    """Each file on its own: one bad file does not stop the others."""
    return [import_file(store, profile, Path(p), **options) for p in paths]
