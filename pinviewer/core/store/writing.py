"""Writing one import: a reader's batch checked, compared with what is stored, and written as a batch row and its
segments in one transaction (BEGIN IMMEDIATE, WAL): a failure, Cancel or a killed process leaves the file as it
was; a second process importing at the same time waits its turn. The same file (SHA-256) twice is a no-op."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pinviewer.core.callbacks import IsCancelled, Progress
from pinviewer.core.errors import Cancelled, PinviewerError
from pinviewer.core.formats.model import ENTITY_KEYS, ImportBatch
from pinviewer.core.store import changes, segments
from pinviewer.core.store.failures import friendly_error
from pinviewer.core.store.records import ALL_SERIES, ImportResult, Profile
from pinviewer.core.store.schema import now

if TYPE_CHECKING:
    from pinviewer.core.store.history import Store


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class BatchWriter:
    """Stores one parsed file as one batch (``Store.import_batch``): ``write()`` does it and says what changed."""

    def __init__(self, store: Store, profile: Profile, batch: ImportBatch, *, file_name: str, sha256: str,
                 keep_existing: bool = False, progress: Progress | None = None,
                 cancelled: IsCancelled | None = None):
        self.store, self.profile, self.batch = store, profile, batch
        self.file_name, self.sha256, self.keep_existing = file_name, sha256, keep_existing
        self.progress, self.cancelled = progress, cancelled

    def write(self) -> ImportResult:
        batch, file_name = self.batch, self.file_name
        if batch.fatal_problems:
            first = batch.fatal_problems[0]
            more = len(batch.fatal_problems) - 1
            raise PinviewerError(f"Nothing was imported from {file_name}: {first}"
                                 + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""))
        existing = self.store.find_batch(self.profile, self.sha256)
        if existing is not None:
            return ImportResult(batch_id=None, already_imported=existing)
        if not batch.rows and not len(batch.entities):  # descriptions alone (Pin titles and links) are kept
            raise PinviewerError(f"{file_name} has no figures to import.")
        daily = changes.fact_frame(batch.daily, "daily")
        periods = changes.fact_frame(batch.periods, "periods")
        changes.mark_provisional(daily, batch)
        days = segments.date_range(daily, periods) or batch.date_range()  # what the file covers, kept or not
        series = batch.meta.get("series")
        before = {kind: changes.current_for(self.store, self.profile, frame, series) if len(frame) else None
                  for kind, frame in (("daily", daily), ("periods", periods))}
        if self.keep_existing:
            daily = changes.drop_known(daily, before["daily"])
            periods = changes.drop_known(periods, before["periods"])
        result = self._counted(daily, periods, before)
        total = len(daily) + len(periods) + len(batch.entities)
        try:
            with self.store.transaction():
                # checked again inside the write lock: another process may have imported the same file
                existing = self.store.find_batch(self.profile, self.sha256)
                if existing is not None:
                    return ImportResult(batch_id=None, already_imported=existing)
                self._write_rows(result, daily, periods, days, total)
        except sqlite3.Error as error:
            raise friendly_error(error, self.store.path) from error
        if self.progress:
            self.progress(total, total, "Saved")
        return result

    def _counted(self, daily: pd.DataFrame, periods: pd.DataFrame,
                 before: dict[str, pd.DataFrame | None]) -> ImportResult:
        """The result's counts of new and changed figures (before anything is written)."""
        series_label = self.batch.meta.get("series_label") if self.batch.meta.get("series") is not None else None
        result = ImportResult(batch_id=None, kept_existing=self.keep_existing, series_label=series_label)
        whole = daily["entity_type"].isin(["account", "site"]).to_numpy() if len(daily) else np.zeros(0, bool)
        # the account's (or site's) days are counted as days; a Pin's daily rows count once per Pin
        for frame, stored, attr in ((daily[whole], before["daily"], "new_days"),
                                    (daily[~whole], before["daily"], "new_periods"),
                                    (periods, before["periods"], "new_periods")):
            new, changed, values = changes.count_changes(frame, stored, per_entity=attr == "new_periods")
            setattr(result, attr, getattr(result, attr) + new)
            result.changed_days += changed
            result.changed_values += values
        return result

    def _write_rows(self, result: ImportResult, daily: pd.DataFrame, periods: pd.DataFrame,
                    days: tuple[dt.date, dt.date] | None, total: int) -> None:
        """The batch row, its segments and its counts, inside the caller's transaction."""
        batch, profile, db = self.batch, self.profile, self.store.db
        known_entities = self._known_entities(batch.entities)
        series = batch.meta.get("series")
        series_label = batch.meta.get("series_label") if series is not None else None
        cursor = db.execute(
            "INSERT INTO batches(profile_id, file_name, sha256, format, format_label, imported_at, rows, "
            "first_day, last_day, metrics, series, series_label, meta) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (profile.id, self.file_name, self.sha256, batch.format, batch.format_label, now(), batch.rows,
             days[0].isoformat() if days else None, days[1].isoformat() if days else None,
             json.dumps(batch.metrics(), allow_nan=False), series, series_label,
             json.dumps(_kept_meta(batch.meta), allow_nan=False)))
        batch_id = cursor.lastrowid
        assert batch_id is not None  # set by the INSERT
        done = 0
        for frame in (daily, periods):
            done = self._insert(frame, "facts", batch_id, done, total)
        entities = batch.entities
        if len(entities):
            if entities["entity_id"].duplicated().any():  # one column first: far quicker to check
                entities = entities.drop_duplicates(list(ENTITY_KEYS), keep="last")
            result.new_entities = int((~entities["entity_id"].isin(known_entities)).sum())
            self._insert(entities, "entities", batch_id, done, total)
        result.batch_id = batch_id
        counts = {k: getattr(result, k) for k in ("new_days", "new_periods", "changed_days",
                                                  "changed_values", "new_entities", "kept_existing")}
        db.execute("UPDATE batches SET changes = ? WHERE id = ?", (json.dumps(counts, allow_nan=False), batch_id))

    def _known_entities(self, entities: pd.DataFrame) -> set[str]:
        if not len(entities):
            return set()
        known: set[str] = set()
        for _rows, part in segments.read_segments(self.store.db, self.profile.id, "entities", only={"entity_id"},
                                                  series=ALL_SERIES):
            known.update(part["entity_id"].tolist())
        return known

    def _insert(self, frame: pd.DataFrame, part: str, batch_id: int, done: int, total: int) -> int:
        """``frame``'s rows as segments of SEGMENT_ROWS rows, with progress and Cancel between them."""
        for rows in range(0, len(frame), segments.SEGMENT_ROWS):
            if self.cancelled and self.cancelled():
                raise Cancelled()
            piece = frame.iloc[rows:rows + segments.SEGMENT_ROWS]
            segments.write_segment(self.store.db, batch_id, self.profile.id, part, piece)
            done += len(piece)
            if self.progress:
                self.progress(done, total, "Saving")
        return done


def _kept_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """What of a reader's ``meta`` the history keeps with the import: the export's filters, notes and tables
    (small, and what the window and ``imports`` show), not the reader's working details."""
    return {key: meta[key] for key in ("title", "filters", "notes", "tables", "skipped", "estimate_from")
            if key in meta}
