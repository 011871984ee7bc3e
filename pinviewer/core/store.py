"""The local history: SQLite, append-only facts tagged with the import batch that wrote them.

* A batch's facts are the figures it gave for each entity (the account, a Pin, a GA4 source...) over one
  day (start == end) or one period, one column per canonical metric (NaN = "this batch said nothing about
  it"). They are kept column by column in ``segments`` (columnar.py): one row per batch and part (facts,
  entities), at most SEGMENT_ROWS rows each. A 50,000-Pin export is one segment, written and read back in
  milliseconds where 50,000 SQL rows took a third of a second each way.
* The value shown is the newest batch's, metric by metric; undoing a batch deletes its segments, so the
  earlier values come back. Nothing else ever deletes or overwrites a fact.
* Every import is one transaction (BEGIN IMMEDIATE, WAL): a failure or a killed process leaves the
  database as it was; a second process importing at the same time waits its turn.
* The same file (SHA-256) imported twice into a profile is a no-op that says so.
* ``PRAGMA user_version`` numbers the schema; ``_MIGRATIONS`` brings an older file up to date (version 1
  kept one SQL row per fact; version 2 moves them into segments).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import numpy as np
import pandas as pd

from pinviewer.core import columnar, metrics
from pinviewer.core.callbacks import IsCancelled, Progress
from pinviewer.core.errors import Cancelled, PinviewerError, StoreError
from pinviewer.core.formats.model import ENTITY_FIELDS, ENTITY_KEYS, ImportBatch
from pinviewer.core.wording import plural

log = logging.getLogger(__name__)

DEFAULT_PROFILE = "My blog"
PROVISIONAL_DAYS = 2  # Pinterest finishes counting a day after 24-48 hours

SEGMENT_ROWS = 200_000  # rows per stored segment: bounds one blob's size and paces progress and Cancel


def _schema_v1() -> list[str]:
    metric_columns = ",\n".join(f"    {name} REAL" for name in metrics.NAMES)
    entity_columns = ",\n".join(f"    {name} TEXT" for name in ENTITY_FIELDS)
    return [
        """CREATE TABLE profiles (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at TEXT NOT NULL
)""",
        """CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL REFERENCES profiles(id),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    format TEXT NOT NULL,
    format_label TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    rows INTEGER NOT NULL,
    first_day TEXT,
    last_day TEXT,
    metrics TEXT NOT NULL DEFAULT '[]',
    changes TEXT NOT NULL DEFAULT '{}',
    undone_at TEXT
)""",
        "CREATE INDEX batches_by_sha ON batches(profile_id, sha256)",
        f"""CREATE TABLE facts (
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    profile_id INTEGER NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    start TEXT NOT NULL,
    "end" TEXT NOT NULL,
    provisional INTEGER NOT NULL DEFAULT 0,
{metric_columns}
)""",
        "CREATE INDEX facts_by_profile ON facts(profile_id, entity_type, start)",
        "CREATE INDEX facts_by_batch ON facts(batch_id)",
        f"""CREATE TABLE entities (
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    profile_id INTEGER NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
{entity_columns}
)""",
        "CREATE INDEX entities_by_profile ON entities(profile_id, entity_type)",
        "CREATE INDEX entities_by_batch ON entities(batch_id)",
        """CREATE TABLE settings (
    profile_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (profile_id, key)
)""",
    ]


def _schema_v2(connection: sqlite3.Connection) -> None:
    """Facts and entities move from one SQL row each into column segments, batch by batch, in order."""
    connection.execute("""CREATE TABLE segments (
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    profile_id INTEGER NOT NULL,
    part TEXT NOT NULL,
    rows INTEGER NOT NULL,
    first_day TEXT,
    last_day TEXT,
    layout TEXT NOT NULL,
    data BLOB NOT NULL
)""")
    connection.execute("CREATE INDEX segments_by_profile ON segments(profile_id, part)")
    connection.execute("CREATE INDEX segments_by_batch ON segments(batch_id)")
    for batch_id, profile_id in connection.execute("SELECT id, profile_id FROM batches ORDER BY id").fetchall():
        for part in ("facts", "entities"):
            frame = pd.read_sql_query(f"SELECT * FROM {part} WHERE batch_id = ? ORDER BY rowid", connection,
                                      params=[batch_id])
            if part == "facts":
                frame = frame.assign(start=columnar.datetimes(frame["start"]), end=columnar.datetimes(frame["end"]))
            _write_segments(connection, batch_id, profile_id, part, frame.drop(columns=["batch_id", "profile_id"]))
    connection.execute("DROP TABLE facts")
    connection.execute("DROP TABLE entities")


# Version 3: Pinterest's export carries its filters. An export with filters (Organic only, Mobile...) is a series
# of its own, never merged with the main one (``series`` NULL); ``meta`` keeps the filters, the footers as notes
# and what each table held, as JSON.
_SCHEMA_V3 = ["ALTER TABLE batches ADD COLUMN series TEXT",
              "ALTER TABLE batches ADD COLUMN series_label TEXT",
              "ALTER TABLE batches ADD COLUMN meta TEXT NOT NULL DEFAULT '{}'"]

# Index i takes a database from version i to i + 1: SQL statements, or a function of the connection.
_MIGRATIONS: list[list[str] | Callable[[sqlite3.Connection], None]] = [_schema_v1(), _schema_v2, _SCHEMA_V3]
Day = dt.date | str  # a day as a date (or datetime, pd.Timestamp) or ISO text
MAIN_SERIES = None  # the series of exports without filters, the API and Google Analytics
ALL_SERIES = "*"  # Store.facts(series=ALL_SERIES): every series' rows
SCHEMA_VERSION = len(_MIGRATIONS)


@dataclass
class Recovery:
    """What ``Store.recover`` copied from a damaged history: labels such as 'import #3 (overview.csv)'."""

    source: Path
    recovered: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # in this history already (the same file)
    unreadable: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        parts = []
        if self.recovered:
            parts.append(f"Recovered {plural(len(self.recovered), 'import')} from {self.source.name}: "
                         f"{', '.join(self.recovered)}.")
        else:
            parts.append(f"No import could be recovered from {self.source.name}.")
        if self.already:
            parts.append(f"Already in your history: {', '.join(self.already)}.")
        if self.unreadable:
            parts.append(f"Too damaged to read: {', '.join(self.unreadable)}; import those files again.")
        return " ".join(parts)


@dataclass
class Profile:
    id: int
    name: str


@dataclass
class BatchInfo:
    id: int
    profile: str
    file_name: str
    sha256: str
    format: str
    format_label: str
    imported_at: str
    rows: int
    first_day: str | None
    last_day: str | None
    metrics: list[str]
    changes: dict[str, Any]
    undone_at: str | None
    series: str | None = None  # None: the main series
    series_label: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # filters, notes, tables (Pinterest's export)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Overlap:
    """How a batch's figures differ from what is stored for the same days (newest-wins would change them)."""

    days: int = 0  # days (or periods) that already have figures and would change
    values: int = 0  # single figures that differ
    metrics: list[str] = field(default_factory=list)
    examples: list[dict[str, Any]] = field(default_factory=list)  # {entity, date, metric, stored, incoming}

    def __bool__(self) -> bool:
        return self.values > 0


@dataclass
class ImportResult:
    batch_id: int | None
    already_imported: BatchInfo | None = None
    new_days: int = 0  # account or site days that had no figures before
    new_periods: int = 0  # Pins, sources or pages with figures over a period that had none before
    changed_days: int = 0  # days (or period rows) whose figures this import changed
    changed_values: int = 0
    new_entities: int = 0
    kept_existing: bool = False
    series_label: str | None = None  # set when the file went to a series of its own (an export with filters)

    def sentence(self) -> str:
        if self.already_imported is not None:
            when = self.already_imported.imported_at[:16].replace("T", " ")
            return (f"Already imported on {when} (import #{self.already_imported.id}); "
                    "nothing changed.")
        apart = (f" These figures are for “{self.series_label}” (the file's filters), kept apart from your "
                 "main figures." if self.series_label else "")
        parts = []
        if self.new_days:
            parts.append(f"added {plural(self.new_days, 'day')}")
        if self.new_periods:
            parts.append("added figures for "
                         f"{plural(self.new_periods, 'Pin, board, page or source', 'Pins, boards, pages or sources')}")
        if self.changed_days:
            parts.append(f"updated {plural(self.changed_days, 'day or row', 'days or rows')} "
                         f"({plural(self.changed_values, 'figure')} changed)")
        if self.kept_existing:
            parts.append("kept the figures you already had")
        if not parts:
            parts.append("nothing new: every figure was already stored")
        text = ", ".join(parts)
        return f"Import #{self.batch_id}: {text[0].upper()}{text[1:]}.{apart}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _damaged(error: sqlite3.Error) -> bool:
    text = str(error)
    return "not a database" in text or "malformed" in text or "corrupt" in text


def _disk_full(path: Path, error: sqlite3.Error) -> bool:
    """SQLite says 'disk I/O error' when it cannot even make its shared-memory file on a full disk."""
    if "full" in str(error).lower():
        return True
    try:
        return shutil.disk_usage(path.parent).free < (1 << 20)
    except OSError:
        return False


def _cannot_write(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return any(words in text for words in ("full", "disk i/o", "readonly", "read-only", "unable to open"))


def _friendly(error: sqlite3.Error, path: Path) -> StoreError:
    text = str(error).lower()
    folder = path.parent
    if "readonly" in text or "read-only" in text or "unable to open" in text or "permission" in text:
        return StoreError(f"PinViewer can't write to its data folder ({folder}). "
                          "Check that the folder is not read-only; nothing was changed.")
    if "full" in text or "disk i/o" in text:
        return StoreError(f"The disk holding PinViewer's data ({folder}) is full. "
                          "Free some space and try again; nothing was changed.")
    if "locked" in text or "busy" in text:
        return StoreError("Another PinViewer window is saving data right now. Try again in a moment; "
                          "nothing was changed.")
    return StoreError(f"PinViewer could not save to its database ({path.name}): {error}. Nothing was changed.")


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
        recovered = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"PinViewer can't create its data folder ({path.parent}): {error.strerror}.") from None
        exists = cls._check_path(path)
        reason = "it was opened read-only." if read_only else cls._read_only_reason(path, exists)
        if reason is not None:
            if not exists:
                raise StoreError(f"PinViewer can't start a history in {path.parent}: {reason}") from None
            store = cls(cls._connect_read_only(path, reason), path)
            store.read_only = reason
            return store
        try:
            if exists and path.stat().st_size == 0:  # an empty file is no history (SQLite would take it as one)
                recovered = cls._set_aside(path, "empty")
            if not path.exists():
                cls._create(path)
            connection = cls._connect(path)
        except sqlite3.DatabaseError as error:
            if path.exists() and _damaged(error):
                recovered = cls._set_aside(path)
                try:
                    cls._create(path)
                    connection = cls._connect(path)
                except sqlite3.DatabaseError as again:
                    raise _friendly(again, path) from None
            elif exists and recovered is None and _cannot_write(error):
                # a full disk (or a file system that refuses writes): what is stored can still be read
                reason = ("the disk holding it is full: free some space." if _disk_full(path, error) else
                          f"it cannot be written here ({error}).")
                store = cls(cls._connect_read_only(path, reason), path)
                store.read_only = reason
                return store
            else:
                raise _friendly(error, path) from None
        store = cls(connection, path, recovered)
        if not store.profiles():
            store.create_profile(default_profile)
        return store

    @staticmethod
    def _check_path(path: Path) -> bool:
        """Whether the history file exists; a sentence for what is there but cannot be one."""
        import errno
        import stat

        try:
            info = os.stat(path)
        except FileNotFoundError:
            if os.path.islink(path):
                raise StoreError(f"PinViewer's history file {path} is a link to a file that no longer exists. "
                                 "Remove the link (or point it at the history) and start PinViewer again.") from None
            return False
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise StoreError(f"PinViewer's history file {path} is a symbolic link that leads back to itself (a "
                                 "loop of links). Remove the link and start PinViewer again.") from None
            raise StoreError(f"PinViewer can't open its history file {path}: {error.strerror}.") from None
        if stat.S_ISDIR(info.st_mode):
            raise StoreError(f"PinViewer's history file {path} is a folder, not a file. Move that folder away (or "
                             "rename it) and start PinViewer again: it will start a new history.")
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(f"PinViewer's history file {path} is not a regular file (a device or a pipe?). Remove "
                             "it and start PinViewer again.")
        return True

    @staticmethod
    def _read_only_reason(path: Path, exists: bool) -> str | None:
        """A sentence when the history (or its folder: SQLite writes beside the file) cannot be written."""
        folder = path.parent
        if not os.access(folder, os.W_OK):
            return f"its folder ({folder}) is read-only (a read-only disk, or a folder you may not write)."
        if exists and not os.access(path, os.W_OK):
            return f"the history file ({path}) is read-only."
        return None

    @staticmethod
    def _connect_read_only(path: Path, reason: str) -> sqlite3.Connection:
        """A connection that only reads: first as SQLite's read-only mode, then (no -shm file can be made on
        read-only media) as an immutable file."""
        from urllib.parse import quote

        last = None
        for flags in ("mode=ro", "mode=ro&immutable=1"):
            try:
                connection = sqlite3.connect(f"file:{quote(str(path.absolute()))}?{flags}", uri=True, timeout=30,
                                             isolation_level=None, check_same_thread=False)
            except sqlite3.Error as error:
                last = error
                continue
            try:
                if connection.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
                    raise StoreError(f"PinViewer's history ({path.name}) is damaged, and PinViewer can't set it "
                                     f"aside: {reason} Copy it to a writable folder and run “pinviewer recover FILE” "
                                     "there.")
                version = connection.execute("PRAGMA user_version").fetchone()[0]
            except sqlite3.DatabaseError as error:
                connection.close()
                last = error
                if _damaged(error):
                    raise StoreError(f"PinViewer's history ({path.name}) is damaged, and PinViewer can't set it "
                                     f"aside: {reason} Copy it to a writable folder and run “pinviewer recover FILE” "
                                     "there.") from None
                continue
            except BaseException:
                connection.close()
                raise
            if version != SCHEMA_VERSION:
                connection.close()
                newer = "a newer PinViewer. Please update PinViewer to open it" if version > SCHEMA_VERSION else \
                    "an older PinViewer and must be brought up to date, which needs writing"
                raise StoreError(f"This history was written by {newer}, but {reason}")
            return connection
        raise StoreError(f"PinViewer can't read its history ({path}): {last}.")

    @staticmethod
    def _create(path: Path) -> None:
        """A new, empty history made beside ``path`` and linked into place whole: no other process ever sees a
        half-made (0-byte) file, which would be set aside as damaged."""
        import threading

        temporary = path.with_name(f".{path.name}.new-{os.getpid()}-{threading.get_ident()}")
        try:
            connection = Store._connect(temporary)
            # an empty schema needs no fsync on the way (a crash now leaves a file set aside next time)
            connection.execute("PRAGMA synchronous = OFF")
            connection.close()  # WAL is checkpointed and removed on close
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass  # another process made it first: use theirs
            except OSError:  # no hard links on this file system
                if not path.exists():
                    os.replace(temporary, path)
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(temporary) + suffix).unlink(missing_ok=True)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            connection.execute("PRAGMA busy_timeout = 30000")
            if connection.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("database disk image is malformed")
            # segments are blobs of megabytes: 16 KiB pages write them with a quarter of the page chain (~15 ms
            # less per 10 MB here). Only a new, empty file takes it; an existing one keeps its page size.
            connection.execute("PRAGMA page_size = 16384")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
            Store._migrate(connection)
        except sqlite3.DatabaseError:
            connection.close()
            raise
        return connection

    @staticmethod
    def _set_aside(path: Path, why: str = "damaged") -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = path.with_name(f"{path.name}.{why}-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = path.with_name(f"{path.name}.{why}-{stamp}-{n}")
        try:
            for suffix in ("", "-wal", "-shm"):
                source = Path(str(path) + suffix)
                if source.exists():
                    shutil.move(source, Path(str(aside) + suffix))
        except OSError as error:
            raise StoreError(f"PinViewer's history file {path} is {why}, and PinViewer can't move it aside "
                             f"({error.strerror}). Move or rename it yourself, then start PinViewer again; "
                             "“pinviewer recover FILE” copies what can still be read from it.") from None
        log.warning("Database %s was %s; kept aside as %s and started a new one", path, why, aside)
        return aside

    def recover(self, damaged: Path | str) -> Recovery:
        """Copy into this history every import of a damaged history file that can still be read whole (its batch
        row and every segment of it decode): one transaction per import, already present ones (same file in the
        same profile) skipped. What cannot be read is listed, never half copied."""
        damaged = Path(damaged)
        found = Recovery(damaged)
        if not damaged.is_file():
            raise StoreError(f"I can't find the damaged history {damaged}.")
        try:
            old = Store._connect_damaged(damaged)
        except sqlite3.Error as error:
            raise StoreError(f"Nothing can be read from {damaged.name} any more ({error}).") from None
        try:
            profiles = Store._readable_rows(old, "SELECT id, name FROM profiles")
            names = {pid: name for pid, name in profiles}
            # every column this history shares with the damaged one (a newer schema's columns keep their defaults)
            batch_columns = Store._shared_columns(old, self.db, "batches", ("id", "profile_id", "undone_at"))
            columns = ("id", "profile_id", "undone_at", "rows", "sha256", "file_name", "metrics", "changes",
                       *[c for c in batch_columns if c not in ("rows", "sha256", "file_name", "metrics", "changes")])
            batches = Store._readable_rows(old, f"SELECT {', '.join(columns)} FROM batches")
            if not batches:
                found.unreadable.append("the list of imports")
            # every segment that reads back whole, by batch; a batch missing one is not recovered. Full scans: an
            # index is as likely to be damaged as a table.
            segment_columns = Store._shared_columns(old, self.db, "segments", ("batch_id", "profile_id"))
            at = {c: i for i, c in enumerate(segment_columns)}
            segments: dict[int, list[tuple[Any, ...] | None]] = {}
            for row in Store._readable_rows(old, f"SELECT batch_id, {', '.join(segment_columns)} FROM segments"):
                values = row[1:]
                try:
                    columnar.decode(values[at["layout"]], values[at["data"]], values[at["rows"]])
                except Exception:  # noqa: BLE001 - a damaged blob: its batch cannot be recovered
                    segments.setdefault(row[0], []).append(None)
                    continue
                segments.setdefault(row[0], []).append(values)
            try:  # how many segments each batch has, by the index (when the table itself lost rows)
                expected = dict(old.execute("SELECT batch_id, COUNT(*) FROM segments INDEXED BY segments_by_batch "
                                            "GROUP BY batch_id").fetchall())
            except sqlite3.DatabaseError:
                expected = {}
            for row in batches:
                batch = dict(zip(columns, row))
                if batch["undone_at"] is not None:
                    continue
                label = f"import #{batch['id']} ({batch['file_name']})"
                parts = segments.get(batch["id"], [])
                try:
                    for key in ("metrics", "changes", "meta"):
                        if key in batch:
                            json.loads(batch[key])
                    whole = None not in parts and len(parts) >= expected.get(batch["id"], 0) \
                        and (bool(parts) or not batch["rows"])
                except (TypeError, ValueError):
                    whole = False
                if not whole:
                    found.unreadable.append(label)
                    continue
                profile = self.ensure_profile(names.get(batch["profile_id"]) or DEFAULT_PROFILE)
                if self.find_batch(profile, batch["sha256"]) is not None:
                    found.already.append(label)
                    continue
                with self._transaction():
                    cursor = self.db.execute(
                        f"INSERT INTO batches(profile_id, {', '.join(batch_columns)}) "
                        f"VALUES (?{', ?' * len(batch_columns)})", (profile.id, *(batch[c] for c in batch_columns)))
                    for segment in parts:
                        assert segment is not None  # whole: no damaged segment in parts
                        self.db.execute(
                            f"INSERT INTO segments(batch_id, profile_id, {', '.join(segment_columns)}) "
                            f"VALUES (?, ?{', ?' * len(segment_columns)})", (cursor.lastrowid, profile.id, *segment))
                found.recovered.append(label)
        finally:
            old.close()
        log.info("Recovered from %s: %s", damaged, found.sentence())
        return found

    @staticmethod
    def _shared_columns(old: sqlite3.Connection, new: sqlite3.Connection, table: str,
                        leave: tuple[str, ...]) -> list[str]:
        """Columns of ``table`` both files have (in the damaged file's order), but those in ``leave``."""
        try:
            theirs = [r[1] for r in old.execute(f"PRAGMA table_info({table})").fetchall()]
        except sqlite3.DatabaseError:
            theirs = []
        ours = {r[1] for r in new.execute(f"PRAGMA table_info({table})").fetchall()}
        shared = [c for c in theirs if c in ours and c not in leave]
        if not shared:  # the damaged file's schema cannot be read: the columns every version has
            shared = [c for c in (("file_name", "sha256", "format", "format_label", "imported_at", "rows", "first_day",
                                   "last_day", "metrics", "changes") if table == "batches" else
                                  ("part", "rows", "first_day", "last_day", "layout", "data")) if c in ours]
        return shared

    @staticmethod
    def _connect_damaged(path: Path) -> sqlite3.Connection:
        from urllib.parse import quote

        connection = sqlite3.connect(f"file:{quote(str(path.absolute()))}?mode=ro&immutable=1", uri=True,
                                     isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA query_only = 1")
        return connection

    @staticmethod
    def _readable_rows(connection: sqlite3.Connection, sql: str) -> list[tuple[Any, ...]]:
        """Rows of a table of a damaged file: all at once, else one rowid at a time (skipping damaged ones)."""
        try:
            return connection.execute(sql + " NOT INDEXED ORDER BY rowid").fetchall()
        except sqlite3.DatabaseError:
            pass
        rows, misses, rowid = [], 0, 0
        while misses < 1000:
            rowid += 1
            try:
                row = connection.execute(sql + " NOT INDEXED WHERE rowid = ?", (rowid,)).fetchone()
            except sqlite3.DatabaseError:
                row = None
            if row is None:
                misses += 1
                continue
            misses = 0
            rows.append(row)
        return rows

    @staticmethod
    def _migrate(connection: sqlite3.Connection) -> None:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError("This history was written by a newer PinViewer. Please update PinViewer to open it.")
        if version == SCHEMA_VERSION:
            return
        connection.execute("BEGIN IMMEDIATE")
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            for step in range(version, SCHEMA_VERSION):
                migration = _MIGRATIONS[step]
                if callable(migration):
                    migration(connection)
                    continue
                for statement in migration:
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        version: int = self.db.execute("PRAGMA user_version").fetchone()[0]
        return version

    def data_version(self) -> tuple[Any, ...]:
        """Changes whenever any batch is added or undone: a cheap key for caches."""
        row = self.db.execute("SELECT COUNT(*), MAX(id), COUNT(undone_at) FROM batches").fetchone()
        return tuple(row)

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
            with self._transaction():
                cursor = self.db.execute("INSERT INTO profiles(name, created_at) VALUES (?, ?)", (name, _now()))
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
            with self._transaction():
                self.db.execute("UPDATE profiles SET name = ? WHERE id = ?", (new, profile.id))
        except sqlite3.IntegrityError:
            raise PinviewerError(f"There is already a profile called '{new}'.") from None
        return Profile(profile.id, new)

    def delete_profile(self, name: str) -> None:
        """Deletes a profile and all its history. The GUI asks for confirmation first."""
        profile = self.profile(name)
        if len(self.profiles()) == 1:
            raise PinviewerError("This is your only profile; create another one before deleting it.")
        with self._transaction():
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
        with self._transaction():
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
            with self._transaction():
                self.db.execute("DELETE FROM segments WHERE batch_id = ?", (batch_id,))
                self.db.execute("UPDATE batches SET undone_at = ? WHERE id = ?", (_now(), batch_id))
        except sqlite3.Error as error:
            raise _friendly(error, self.path) from error
        return self.batch(batch_id)

    # ---------------------------------------------------------------- importing
    def overlap(self, profile: Profile, batch: ImportBatch, limit_examples: int = 5) -> Overlap:
        """What importing ``batch`` with 'newer file wins' would change in the figures already stored."""
        result = Overlap()
        for kind, frame in (("daily", batch.daily), ("periods", batch.periods)):
            if not len(frame):
                continue
            incoming = _fact_frame(frame, kind)
            stored = self._current_for(profile, incoming, batch.meta.get("series"))
            if stored is None or not len(stored):
                continue
            keys = ["entity_type", "entity_id", "start", "end"]
            merged = incoming.merge(stored, on=keys, suffixes=("", "__stored"))
            changed_rows = np.zeros(len(merged), dtype=bool)
            for name in [c for c in incoming.columns if c in metrics.BY_NAME]:
                if name + "__stored" not in merged:
                    continue
                new, old = merged[name].to_numpy(float), merged[name + "__stored"].to_numpy(float)
                differ = ~np.isnan(new) & ~np.isnan(old) & ~np.isclose(new, old, rtol=1e-9, atol=1e-9)
                if differ.any():
                    result.values += int(differ.sum())
                    result.metrics.append(name)
                    changed_rows |= differ
                    for i in np.flatnonzero(differ)[: max(0, limit_examples - len(result.examples))]:
                        row = merged.iloc[i]
                        start, end = _day_text(row["start"]), _day_text(row["end"])
                        result.examples.append({
                            "entity": _entity_label(row["entity_type"], row["entity_id"]),
                            "date": start if start == end else f"{start} - {end}",
                            "metric": metrics.BY_NAME[name].label, "stored": float(old[i]),
                            "incoming": float(new[i])})
            result.days += int(changed_rows.sum())
        return result

    def _current_for(self, profile: Profile, incoming: pd.DataFrame, series: str | None = MAIN_SERIES
                     ) -> pd.DataFrame | None:
        """The newest stored values for the keys of ``incoming`` (same entity types, date range and series)."""
        columns = [c for c in incoming.columns if c in metrics.BY_NAME]
        if not columns or not self.db.execute("SELECT 1 FROM segments WHERE profile_id = ? AND part = 'facts' "
                                              "LIMIT 1", (profile.id,)).fetchone():
            return None
        stored = self.facts(profile, entity_types=set(incoming["entity_type"].unique()),
                            first=incoming["start"].min(), last=incoming["end"].max(), metric_names=columns,
                            series=series)
        if not len(stored):
            return stored
        return stored.groupby(["entity_type", "entity_id", "start", "end"], sort=False).last().reset_index()

    def import_batch(self, profile: Profile, batch: ImportBatch, *, file_name: str, sha256: str,
                     keep_existing: bool = False, progress: Progress | None = None,
                     cancelled: IsCancelled | None = None) -> ImportResult:
        """Store a parsed file as one batch, in one transaction.

        ``keep_existing`` is the wizard's "keep what I have": figures already stored for a day win over
        the file's (the file still fills days and metrics that had nothing).
        """
        if batch.fatal_problems:
            first = batch.fatal_problems[0]
            more = len(batch.fatal_problems) - 1
            raise PinviewerError(f"Nothing was imported from {file_name}: {first}"
                                 + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""))
        existing = self.find_batch(profile, sha256)
        if existing is not None:
            return ImportResult(batch_id=None, already_imported=existing)
        if not batch.rows and not len(batch.entities):  # descriptions alone (Pin titles and links) are kept
            raise PinviewerError(f"{file_name} has no figures to import.")

        daily = _fact_frame(batch.daily, "daily")
        periods = _fact_frame(batch.periods, "periods")
        _mark_provisional(daily, batch)
        rng = _date_range(daily, periods) or batch.date_range()  # what the file covers, kept or not
        series = batch.meta.get("series")
        series_label = batch.meta.get("series_label") if series is not None else None
        overlap_before = {kind: self._current_for(profile, frame, series) if len(frame) else None
                          for kind, frame in (("daily", daily), ("periods", periods))}
        if keep_existing:
            daily = _drop_known(daily, overlap_before["daily"])
            periods = _drop_known(periods, overlap_before["periods"])
        result = ImportResult(batch_id=None, kept_existing=keep_existing, series_label=series_label)
        whole = daily["entity_type"].isin(["account", "site"]).to_numpy() if len(daily) else np.zeros(0, bool)
        # the account's (or site's) days are counted as days; a Pin's daily rows count once per Pin
        for frame, stored, attr in ((daily[whole], overlap_before["daily"], "new_days"),
                                    (daily[~whole], overlap_before["daily"], "new_periods"),
                                    (periods, overlap_before["periods"], "new_periods")):
            new, changed, values = _count_changes(frame, stored, per_entity=attr == "new_periods")
            setattr(result, attr, getattr(result, attr) + new)
            result.changed_days += changed
            result.changed_values += values
        total = len(daily) + len(periods) + len(batch.entities)
        try:
            with self._transaction():
                # checked again inside the write lock: another process may have imported the same file
                existing = self.find_batch(profile, sha256)
                if existing is not None:
                    return ImportResult(batch_id=None, already_imported=existing)
                known_entities = self._known_entities(profile, batch.entities)
                cursor = self.db.execute(
                    "INSERT INTO batches(profile_id, file_name, sha256, format, format_label, imported_at, rows, "
                    "first_day, last_day, metrics, series, series_label, meta) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (profile.id, file_name, sha256, batch.format, batch.format_label, _now(), batch.rows,
                     rng[0].isoformat() if rng else None, rng[1].isoformat() if rng else None,
                     json.dumps(batch.metrics(), allow_nan=False), series, series_label,
                     json.dumps(_kept_meta(batch.meta), allow_nan=False)))
                batch_id = cursor.lastrowid
                assert batch_id is not None  # set by the INSERT
                done = 0
                for frame in (daily, periods):
                    done = self._insert(frame, "facts", batch_id, profile.id, done, total, progress, cancelled)
                entities = batch.entities
                if len(entities):
                    if entities["entity_id"].duplicated().any():  # one column first: far quicker to check
                        entities = entities.drop_duplicates(list(ENTITY_KEYS), keep="last")
                    result.new_entities = int((~entities["entity_id"].isin(known_entities)).sum())
                    self._insert(entities, "entities", batch_id, profile.id, done, total, progress, cancelled)
                result.batch_id = batch_id
                changes = {k: getattr(result, k) for k in ("new_days", "new_periods", "changed_days",
                                                           "changed_values", "new_entities", "kept_existing")}
                self.db.execute("UPDATE batches SET changes = ? WHERE id = ?",
                                (json.dumps(changes, allow_nan=False), batch_id))
        except sqlite3.Error as error:
            raise _friendly(error, self.path) from error
        if progress:
            progress(total, total, "Saved")
        return result

    def _known_entities(self, profile: Profile, entities: pd.DataFrame) -> set[str]:
        if not len(entities):
            return set()
        known: set[str] = set()
        for _rows, part in self._segments(profile, "entities", only={"entity_id"}, series=ALL_SERIES):
            known.update(part["entity_id"].tolist())
        return known

    def _insert(self, frame: pd.DataFrame, part: str, batch_id: int, profile_id: int, done: int, total: int,
                progress: Progress | None, cancelled: IsCancelled | None) -> int:
        for rows in range(0, len(frame), SEGMENT_ROWS):
            if cancelled and cancelled():
                raise Cancelled()
            piece = frame.iloc[rows:rows + SEGMENT_ROWS]
            _write_segments(self.db, batch_id, profile_id, part, piece)
            done += len(piece)
            if progress:
                progress(done, total, "Saving")
        return done

    class _Tx:
        def __init__(self, store: Store):
            self.store = store

        def __enter__(self) -> None:
            self.store.db.execute("BEGIN IMMEDIATE")

        def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                     tb: TracebackType | None) -> Literal[False]:
            if kind is None:
                self.store.db.execute("COMMIT")
            elif self.store.db.in_transaction:  # SQLite may already have rolled back (disk full)
                self.store.db.execute("ROLLBACK")
            return False

    def _transaction(self) -> Store._Tx:
        if self.read_only:
            raise StoreError(f"PinViewer can only read this history, not import into it or change it: "
                             f"{self.read_only} Copy {self.path.name} to a writable folder (and point PINVIEWER_HOME "
                             "at it) to change it.")
        return Store._Tx(self)

    # ---------------------------------------------------------------- reading
    def load(self, profile: Profile, series: str | None = MAIN_SERIES) -> Dataset:
        """Everything known for a profile in one series (the main one by default), newest batch winning metric
        by metric. Descriptions (Pin titles, board names) come from every series."""
        names = [*ENTITY_KEYS, *ENTITY_FIELDS]
        entities = pd.DataFrame(_stack(self._segments(profile, "entities", series=ALL_SERIES), names, {}),
                                columns=names)
        dataset = Dataset.from_rows(profile, self.facts(profile, series=series), entities)
        dataset.series = series
        dataset.series_label = dict(self.series(profile)).get(series, "All Pins") if series is not None else "All Pins"
        from pinviewer.core import currency

        dataset.currency = currency.load(self, profile)  # revenue is written in it wherever it is shown
        return dataset

    def facts(self, profile: Profile, *, entity_types: Iterable[str] | None = None, first: Day | None = None,
              last: Day | None = None, formats: Collection[str] | None = None,
              metric_names: Iterable[str] | None = None,
              series: str | None = MAIN_SERIES) -> pd.DataFrame:
        """Stored fact rows, every batch's of one series (``ALL_SERIES``: of every series), oldest batch first:
        entity_type, entity_id, start, end (datetime64), provisional + every metric (or ``metric_names``).
        Optionally only rows of some entity types, starting between ``first`` and ``last``, from batches of
        some formats."""
        metric_names = list(metrics.NAMES if metric_names is None else metric_names)
        names = ["entity_type", "entity_id", "start", "end", "provisional", *metric_names]
        bounds = [None if d is None else pd.Timestamp(d).date().isoformat() for d in (first, last)]
        parts = self._segments(profile, "facts", only=set(names), first=bounds[0], last=bounds[1], formats=formats,
                               series=series)
        empty = {"start": "datetime64[us]", "end": "datetime64[us]", "provisional": bool,
                 **{name: float for name in metric_names}}
        columns = _stack(parts, names, empty)
        keep = np.ones(len(columns["start"]), dtype=bool)
        if entity_types is not None:
            keep &= np.isin(columns["entity_type"], list(entity_types))
        for bound, above in ((first, True), (last, False)):
            if bound is not None:
                day = np.datetime64(pd.Timestamp(bound).date(), "us")
                keep &= (columns["start"] >= day) if above else (columns["start"] <= day)
        if not keep.all():
            columns = {name: values[keep] for name, values in columns.items()}
        return pd.DataFrame(columns, columns=names)

    def stored_rows(self, part: str = "facts") -> int:
        """How many fact (or entity) rows the whole file holds, every batch and profile."""
        rows: int = self.db.execute("SELECT COALESCE(SUM(rows), 0) FROM segments WHERE part = ?",
                                    (part,)).fetchone()[0]
        return rows

    def _segments(self, profile: Profile, part: str, *, only: set[str] | None = None, first: str | None = None,
                  last: str | None = None, formats: Collection[str] | None = None,
                  series: str | None = MAIN_SERIES) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
        """Each stored segment's columns, in the order they were written (batch order)."""
        sql = ("SELECT s.rows, s.layout, s.data FROM segments s JOIN batches b ON b.id = s.batch_id "
               "WHERE s.profile_id = ? AND s.part = ? AND b.undone_at IS NULL")
        params: list[object] = [profile.id, part]
        if series != ALL_SERIES:
            sql += " AND b.series IS ?"
            params.append(series)
        if first is not None:
            sql += " AND s.last_day >= ?"
            params.append(first)
        if last is not None:
            sql += " AND s.first_day <= ?"
            params.append(last)
        if formats is not None:
            sql += f" AND b.format IN ({', '.join('?' * len(formats))})"
            params += list(formats)
        for rows, layout, data in self.db.execute(sql + " ORDER BY s.rowid", params).fetchall():
            yield rows, columnar.decode(layout, data, rows, only=only)


def _stack(parts: Iterable[tuple[int, dict[str, np.ndarray]]], names: list[str],
           dtypes: dict[str, Any]) -> dict[str, np.ndarray]:
    """Segments' columns one after the other, as one array per name. A column a segment lacks is missing
    there: NaN for numbers, False for flags, None for text (``dtypes`` names the non-text columns)."""
    pieces: dict[str, list[np.ndarray]] = {name: [] for name in names}
    for rows, columns in parts:
        for name in names:
            if name in columns:
                pieces[name].append(columns[name])
            elif dtypes.get(name) is float:
                pieces[name].append(np.full(rows, np.nan))
            else:
                pieces[name].append(np.zeros(rows, dtype=dtypes[name]) if name in dtypes
                                    else np.full(rows, None, dtype=object))
    return {name: np.concatenate(arrays) if arrays else np.zeros(0, dtype=dtypes.get(name, object))
            for name, arrays in pieces.items()}


def _write_segments(db: sqlite3.Connection, batch_id: int, profile_id: int, part: str, frame: pd.DataFrame) -> None:
    """One segment holding ``frame``'s rows: a store fact frame (``_fact_frame``) or a reader's entities."""
    if not len(frame):
        return
    columns: dict[str, Any] = {}
    types: dict[str, str] = {}
    first = last = None
    if part == "facts":
        columns["entity_type"], types["entity_type"] = frame["entity_type"].to_numpy(object), "label"
        columns["entity_id"], types["entity_id"] = frame["entity_id"].to_numpy(object), "text"
        for name in ("start", "end"):
            columns[name], types[name] = frame[name].to_numpy(), "day"
        columns["provisional"], types["provisional"] = frame["provisional"].to_numpy(), "u1"
        for name in metrics.NAMES:
            if name in frame.columns:
                values = pd.to_numeric(frame[name], errors="coerce").to_numpy(float)
                if not np.isnan(values).all():  # a column with nothing in it says nothing: not kept
                    columns[name], types[name] = values, "f8"
        days = _date_range(frame, frame.iloc[0:0])  # None when no row has its dates
        first, last = (days[0].isoformat(), days[1].isoformat()) if days else (None, None)
    else:
        # ids differ row by row; descriptions repeat (a blog post has several Pins, with its link and often its
        # title): each distinct one is kept once
        columns["entity_type"], types["entity_type"] = _str_column(frame["entity_type"]), "label"
        columns["entity_id"], types["entity_id"] = _str_column(frame["entity_id"]), "text"
        for name in ENTITY_FIELDS:
            if name in frame.columns:
                columns[name], types[name] = _text_labels(frame[name]), "label"
    layout, data = columnar.encode(columns, types)
    db.execute("INSERT INTO segments(batch_id, profile_id, part, rows, first_day, last_day, layout, data) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (batch_id, profile_id, part, len(frame), first, last, layout, data))


def _kept_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """What of a reader's ``meta`` the history keeps with the import: the export's filters, notes and tables
    (small, and what the window and ``imports`` show), not the reader's working details."""
    return {key: meta[key] for key in ("title", "filters", "notes", "tables", "skipped", "estimate_from")
            if key in meta}


def _text_labels(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Descriptive values as (codes, distinct texts): dates as YYYY-MM-DD, None where missing or empty."""
    codes, uniques = pd.factorize(column.to_numpy(object), use_na_sentinel=True)
    return codes, np.array([_text_or_none(v) for v in uniques], dtype=object)


def _text_or_none(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10]
    text = str(value)
    return text or None


def _entity_label(entity_type: str, entity_id: str) -> str:
    return "Account" if entity_type == "account" else f"{entity_type.capitalize()} {entity_id}"


def _fact_frame(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """A reader's daily or periods table as store rows: start/end as datetime64 days, metric columns only."""
    columns = {"entity_type": _str_column(frame["entity_type"]), "entity_id": _str_column(frame["entity_id"])}
    if kind == "daily":
        columns["start"] = columns["end"] = columnar.datetimes(frame["date"])
    else:
        columns["start"], columns["end"] = columnar.datetimes(frame["start"]), columnar.datetimes(frame["end"])
    columns["provisional"] = np.zeros(len(frame), dtype=int)
    for name in metrics.NAMES:
        if name in frame.columns:
            values = frame[name]
            columns[name] = (values.to_numpy(float) if pd.api.types.is_float_dtype(values)
                             else pd.to_numeric(values, errors="coerce").to_numpy(float))
    return pd.DataFrame(columns)


def _str_column(column: pd.Series) -> np.ndarray:
    values = column.to_numpy(object)
    return values if pd.api.types.infer_dtype(values, skipna=False) == "string" else column.astype(str).to_numpy(object)


def _date_range(daily: pd.DataFrame, periods: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """First and last day of the store rows (None when no row has its dates)."""
    starts = np.concatenate([daily["start"].to_numpy(), periods["start"].to_numpy()])
    ends = np.concatenate([daily["end"].to_numpy(), periods["end"].to_numpy()])
    starts, ends = starts[~np.isnat(starts)], ends[~np.isnat(ends)]
    if not len(starts) or not len(ends):
        return None
    return pd.Timestamp(starts.min()).date(), pd.Timestamp(ends.max()).date()


def _day_text(value: Any) -> str:
    """A stored day as YYYY-MM-DD."""
    return pd.Timestamp(value).date().isoformat()


def _mark_provisional(daily: pd.DataFrame, batch: ImportBatch) -> None:
    """Days still being counted: the last PROVISIONAL_DAYS days at import time, and what the API said."""
    if not len(daily):
        return
    today = dt.datetime.now(dt.UTC).date()
    cutoff = np.datetime64(today - dt.timedelta(days=PROVISIONAL_DAYS - 1), "us")
    flags = daily["start"].to_numpy() >= cutoff
    if len(batch.provisional):
        marked = pd.DataFrame({"entity_type": batch.provisional["entity_type"].astype(str).to_numpy(object),
                               "entity_id": batch.provisional["entity_id"].astype(str).to_numpy(object),
                               "start": columnar.datetimes(batch.provisional["date"]),
                               "_marked": True}).drop_duplicates()
        keys = daily[["entity_type", "entity_id", "start"]]
        hit = keys.merge(marked, on=["entity_type", "entity_id", "start"], how="left")["_marked"]
        flags |= hit.notna().to_numpy()
    daily["provisional"] = flags.astype(int)


def _drop_known(frame: pd.DataFrame, stored: pd.DataFrame | None) -> pd.DataFrame:
    """Blank out figures that are already stored, so 'keep what I have' leaves them as they are."""
    if stored is None or not len(stored) or not len(frame):
        return frame
    keys = ["entity_type", "entity_id", "start", "end"]
    merged = frame.merge(stored, on=keys, how="left", suffixes=("", "__stored"), indicator=False)
    out = frame.copy()
    for name in [c for c in frame.columns if c in metrics.BY_NAME]:
        if name + "__stored" in merged:
            known = merged[name + "__stored"].notna().to_numpy()
            out.loc[known, name] = np.nan
    metric_cols = [c for c in out.columns if c in metrics.BY_NAME]
    return out[out[metric_cols].notna().any(axis=1)] if metric_cols else out.iloc[0:0]


def _count_changes(frame: pd.DataFrame, stored: pd.DataFrame | None,
                   per_entity: bool = False) -> tuple[int, int, int]:
    """(new keys, changed keys, changed values) that storing ``frame`` brings.

    With ``per_entity``, new keys are counted once per entity (a Pin with 90 new days is one Pin)."""
    if not len(frame):
        return 0, 0, 0
    if stored is None or not len(stored):
        return (frame["entity_id"].nunique() if per_entity else len(frame)), 0, 0
    at = _positions(frame, stored)
    fresh = at < 0
    new = int(pd.unique(frame["entity_id"].to_numpy()[fresh]).size) if per_entity else int(fresh.sum())
    changed_rows = np.zeros(len(frame), dtype=bool)
    values = 0
    for name in [c for c in frame.columns if c in metrics.BY_NAME]:
        if name not in stored.columns:
            continue
        a = frame[name].to_numpy(float)
        b = np.where(fresh, np.nan, stored[name].to_numpy(float)[np.maximum(at, 0)])
        differ = ~np.isnan(a) & (np.isnan(b) | ~np.isclose(a, b, rtol=1e-9, atol=1e-9)) & ~fresh
        values += int(differ.sum())
        changed_rows |= differ
    return new, int(changed_rows.sum()), values


def _positions(frame: pd.DataFrame, stored: pd.DataFrame) -> np.ndarray:
    """For each row of ``frame``, the row of ``stored`` with the same entity and days (-1: none). ``stored``
    holds each key once (``Store._current_for``). An index lookup: a merge costs ten times more on the few
    hundred rows of an export."""
    keys = ["entity_type", "entity_id", "start", "end"]
    index = pd.MultiIndex.from_arrays([stored[k].to_numpy() for k in keys])
    return index.get_indexer(pd.MultiIndex.from_arrays([frame[k].to_numpy() for k in keys]))


# ------------------------------------------------------------------------------------------------ dataset
@dataclass
class Dataset:
    """A profile's history as data frames, newest batch winning per metric. Qt-free, read-only.

    * ``daily``: entity_type, entity_id, date (datetime64), provisional (bool) + metrics
    * ``periods``: entity_type, entity_id, start, end (datetime64) + metrics
    * ``entities``: entity_type, entity_id + descriptive fields
    """

    profile: Profile
    daily: pd.DataFrame
    periods: pd.DataFrame
    entities: pd.DataFrame
    loaded_at: float = field(default_factory=time.time)
    series: str | None = None  # the series these figures are (None: the main one)
    series_label: str = "All Pins"
    currency: str | None = None  # the profile's currency of revenue (core/currency.py), None until chosen
    cache: dict[Hashable, Any] = field(
default_factory=dict, repr=False)  # derived views, computed once (analysis.py)

    @classmethod
    def from_rows(cls, profile: Profile, facts: pd.DataFrame, entities: pd.DataFrame) -> Dataset:
        keys = ["entity_type", "entity_id", "start", "end"]
        if len(facts) and facts.duplicated(keys).any():
            facts = facts.groupby(keys, sort=False).last().reset_index()
        is_daily = (facts["start"] == facts["end"]).to_numpy() if len(facts) else np.zeros(0, bool)
        # a GA4 export of a single day is a period of one day: keep period rows of non-daily formats apart
        daily = facts[is_daily & facts["entity_type"].isin(["account", "pin", "site", "board"]).to_numpy()]
        periods = facts.drop(index=daily.index)
        daily = daily.drop(columns=["end"]).rename(columns={"start": "date"})
        daily["provisional"] = daily["provisional"].fillna(False).astype(bool)
        periods = periods.drop(columns=["provisional"])
        if len(entities) and entities.duplicated(list(ENTITY_KEYS)).any():
            entities = entities.groupby(list(ENTITY_KEYS), sort=False).last().reset_index()
        return cls(profile, daily.reset_index(drop=True), periods.reset_index(drop=True),
                   entities.reset_index(drop=True))

    @property
    def empty(self) -> bool:
        return not len(self.daily) and not len(self.periods)
