"""``Store``: one history file, the facade the rest of PinViewer uses. Profiles, settings, the list of imports and
undo are here; opening, writing an import, reading it back and recovery live in their own modules."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import pandas as pd

from pinviewer.core.callbacks import IsCancelled, Progress
from pinviewer.core.errors import PinviewerError
from pinviewer.core.formats.model import ImportBatch
from pinviewer.core.store import changes, dataset, opening, recovery
from pinviewer.core.store.failures import friendly_error, read_only_error
from pinviewer.core.store.records import (DEFAULT_PROFILE, MAIN_SERIES, BatchInfo, Day, ImportResult, Overlap,
                                          Profile, Recovery)
from pinviewer.core.store.schema import now
from pinviewer.core.store.writing import BatchWriter


class Transaction:
    """``with store.transaction():`` one write transaction (BEGIN IMMEDIATE): committed when the block ends,
    rolled back when it raises."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> Literal[False]:
        if kind is None:
            self.db.execute("COMMIT")
        elif self.db.in_transaction:  # SQLite may already have rolled back (disk full)
            self.db.execute("ROLLBACK")
        return False


class Store:
    """One SQLite file. Open with ``Store.open(path)``; use as a context manager or call ``close()``."""

    def __init__(self, connection: sqlite3.Connection, path: Path, recovered_from: Path | None = None):
        self.db = connection
        self.path = path
        # set when a corrupt database was moved aside and a new one started: the GUI and CLI say so
        self.recovered_from = recovered_from

    # ---------------------------------------------------------------- opening
    #: why this history cannot be written (read-only media, a folder PinViewer may not write): None if it can
    read_only: str | None = None

    @classmethod
    def open(cls, path: Path | str | None = None, default_profile: str = DEFAULT_PROFILE, *,
             read_only: bool = False) -> Store:
        """Open (or create) the history at ``path``. A damaged or empty (0-byte) file is set aside and a new one
        started (``recovered_from`` says where the old one went; ``recover()`` copies what can still be read).
        A history that cannot be written (read-only media or folder) opens read-only: reading works, and
        anything that would write says why it cannot (``read_only`` holds that sentence)."""
        from pinviewer import paths

        path = Path(path) if path is not None else paths.database_path()
        opened = opening.open_history(path, read_only=read_only)
        store = cls(opened.connection, path, opened.recovered_from)
        if opened.read_only is not None:
            store.read_only = opened.read_only
            return store
        if not store.profiles():
            store.create_profile(default_profile)
        return store

    def recover(self, damaged: Path | str) -> Recovery:
        """Copy into this history every import of a damaged history file that can still be read whole (its batch
        row and every segment of it decode): one transaction per import, already present ones (same file in the
        same profile) skipped. What cannot be read is listed, never half copied."""
        return recovery.recover(self, Path(damaged))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        version: int = self.db.execute("PRAGMA user_version").fetchone()[0]
        return version

    def transaction(self) -> Transaction:
        """One write transaction; a history opened read-only says why it cannot be changed instead."""
        if self.read_only:
            raise read_only_error(self.read_only, self.path)
        return Transaction(self.db)

    # ---------------------------------------------------------------- profiles
    def profiles(self) -> list[Profile]:
        rows = self.db.execute("SELECT id, name FROM profiles ORDER BY id").fetchall()
        return [Profile(*row) for row in rows]

    def profile(self, name: str | None = None) -> Profile:
        """The named profile, or the first one when no name is given."""
        if name is None:
            return self.profiles()[0]
        row = self.db.execute("SELECT id, name FROM profiles WHERE name = ?", (name,)).fetchone()
        if row is None:
            known = ", ".join(p.name for p in self.profiles())
            raise PinviewerError(f"There is no profile called '{name}'. Profiles: {known}.")
        return Profile(*row)

    def create_profile(self, name: str) -> Profile:
        name = name.strip()
        if not name:
            raise PinviewerError("A profile needs a name.")
        try:
            with self.transaction():
                cursor = self.db.execute("INSERT INTO profiles(name, created_at) VALUES (?, ?)", (name, now()))
        except sqlite3.IntegrityError:
            raise PinviewerError(f"There is already a profile called '{name}'.") from None
        assert cursor.lastrowid is not None  # set by the INSERT
        return Profile(cursor.lastrowid, name)

    def ensure_profile(self, name: str | None) -> Profile:
        if name is None:
            return self.profile()
        try:
            return self.profile(name)
        except PinviewerError:
            return self.create_profile(name)

    def rename_profile(self, old: str, new: str) -> Profile:
        profile = self.profile(old)
        new = new.strip()
        if not new:
            raise PinviewerError("A profile needs a name.")
        try:
            with self.transaction():
                self.db.execute("UPDATE profiles SET name = ? WHERE id = ?", (new, profile.id))
        except sqlite3.IntegrityError:
            raise PinviewerError(f"There is already a profile called '{new}'.") from None
        return Profile(profile.id, new)

    def delete_profile(self, name: str) -> None:
        """Deletes a profile and all its history. The GUI asks for confirmation first."""
        profile = self.profile(name)
        if len(self.profiles()) == 1:
            raise PinviewerError("This is your only profile; create another one before deleting it.")
        with self.transaction():
            for table in ("segments", "settings"):
                self.db.execute(f"DELETE FROM {table} WHERE profile_id = ?", (profile.id,))
            self.db.execute("DELETE FROM batches WHERE profile_id = ?", (profile.id,))
            self.db.execute("DELETE FROM profiles WHERE id = ?", (profile.id,))

    # ---------------------------------------------------------------- settings (per profile, not secrets)
    def get_setting(self, profile: Profile, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM settings WHERE profile_id = ? AND key = ?",
                              (profile.id, key)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, profile: Profile, key: str, value: object) -> None:
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO settings(profile_id, key, value) VALUES (?, ?, ?)",
                            (profile.id, key, json.dumps(value, allow_nan=False)))

    # ---------------------------------------------------------------- batches
    def batches(self, profile: Profile | None = None, include_undone: bool = True) -> list[BatchInfo]:
        sql = ("SELECT b.id, p.name, file_name, sha256, format, format_label, imported_at, rows, first_day, "
               "last_day, metrics, changes, undone_at, series, series_label, meta "
               "FROM batches b JOIN profiles p ON p.id = b.profile_id")
        where: list[str] = []
        params: list[int] = []
        if profile is not None:
            where.append("b.profile_id = ?")
            params.append(profile.id)
        if not include_undone:
            where.append("undone_at IS NULL")
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.db.execute(sql + " ORDER BY b.id", params).fetchall()
        return [BatchInfo(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9],
                          json.loads(row[10]), json.loads(row[11]), row[12], row[13], row[14],
                          json.loads(row[15] or "{}")) for row in rows]

    def series(self, profile: Profile) -> list[tuple[str | None, str]]:
        """(key, plain name) of each series the profile has figures for, the main one first."""
        rows = self.db.execute("SELECT series, MAX(series_label) FROM batches WHERE profile_id = ? AND undone_at IS "
                               "NULL GROUP BY series ORDER BY series IS NOT NULL, MIN(id)", (profile.id,)).fetchall()
        found = [(key, label or ("All Pins" if key is None else key)) for key, label in rows]
        if not found or found[0][0] is not None:
            found.insert(0, (None, "All Pins"))
        return found

    def series_key(self, profile: Profile, name: str | None) -> str | None:
        """The series a person names (its plain name or key, any case); None (main) for None, '' or 'main'."""
        if name is None or name.strip().lower() in ("", "main", "all pins"):
            return MAIN_SERIES
        wanted = name.strip().lower()
        known = self.series(profile)
        for key, label in known:
            if key is not None and wanted in (key.lower(), label.lower()):
                return key
        names = ", ".join(f"“{label}”" for _key, label in known)
        raise PinviewerError(f"There is no series called “{name}”. This profile has: {names}.")

    def batch(self, batch_id: int) -> BatchInfo:
        for info in self.batches():
            if info.id == batch_id:
                return info
        raise PinviewerError(f"There is no import #{batch_id}. `pinviewer imports` lists them.")

    def find_batch(self, profile: Profile, sha256: str) -> BatchInfo | None:
        row = self.db.execute("SELECT id FROM batches WHERE profile_id = ? AND sha256 = ? AND undone_at IS NULL",
                              (profile.id, sha256)).fetchone()
        return self.batch(row[0]) if row else None

    def undo(self, batch_id: int) -> BatchInfo:
        """Removes what one import added; earlier values for the same days come back."""
        info = self.batch(batch_id)
        if info.undone_at:
            raise PinviewerError(f"Import #{batch_id} ({info.file_name}) was already undone on "
                                 f"{info.undone_at[:10]}.")
        try:
            with self.transaction():
                self.db.execute("DELETE FROM segments WHERE batch_id = ?", (batch_id,))
                self.db.execute("UPDATE batches SET undone_at = ? WHERE id = ?", (now(), batch_id))
        except sqlite3.Error as error:
            raise friendly_error(error, self.path) from error
        return self.batch(batch_id)

    # ---------------------------------------------------------------- importing
    def overlap(self, profile: Profile, batch: ImportBatch, limit_examples: int = 5) -> Overlap:
        """What importing ``batch`` with 'newer file wins' would change in the figures already stored."""
        return changes.overlap(self, profile, batch, limit_examples)

    def import_batch(self, profile: Profile, batch: ImportBatch, *, file_name: str, sha256: str,
                     keep_existing: bool = False, progress: Progress | None = None,
                     cancelled: IsCancelled | None = None) -> ImportResult:
        """Store a parsed file as one batch, in one transaction.

        ``keep_existing`` is the wizard's "keep what I have": figures already stored for a day win over
        the file's (the file still fills days and metrics that had nothing).
        """
        return BatchWriter(self, profile, batch, file_name=file_name, sha256=sha256, keep_existing=keep_existing,
                           progress=progress, cancelled=cancelled).write()

    # ---------------------------------------------------------------- reading
    def load(self, profile: Profile, series: str | None = MAIN_SERIES) -> dataset.Dataset:
        """Everything known for a profile in one series (the main one by default), newest batch winning metric
        by metric. Descriptions (Pin titles, board names) come from every series."""
        return dataset.load(self, profile, series)

    def facts(self, profile: Profile, *, entity_types: Iterable[str] | None = None, first: Day | None = None,
              last: Day | None = None, formats: Collection[str] | None = None,
              metric_names: Iterable[str] | None = None,
              series: str | None = MAIN_SERIES) -> pd.DataFrame:
        """Stored fact rows, every batch's of one series (``ALL_SERIES``: of every series), oldest batch first:
        entity_type, entity_id, start, end (datetime64), provisional + every metric (or ``metric_names``).
        Optionally only rows of some entity types, starting between ``first`` and ``last``, from batches of
        some formats."""
        return dataset.read_facts(self.db, profile, entity_types=entity_types, first=first, last=last,
                                  formats=formats, metric_names=metric_names, series=series)

    def stored_rows(self, part: str = "facts") -> int:
        """How many fact (or entity) rows the whole file holds, every batch and profile."""
        rows: int = self.db.execute("SELECT COALESCE(SUM(rows), 0) FROM segments WHERE part = ?",
                                    (part,)).fetchone()[0]
        return rows
