"""Opening the history file: what is at the path, creating a new file whole, the pragmas, a damaged or empty
file set aside, and a history that cannot be written opened read-only."""
from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import shutil
import sqlite3
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from pinviewer.core.errors import StoreError
from pinviewer.core.store import failures
from pinviewer.core.store.schema import SCHEMA_VERSION, migrate

log = logging.getLogger("pinviewer.core.store")  # the package's name: the log's lines read as they always did


@dataclass
class Opened:
    """A connection to the history, and how it was opened."""

    connection: sqlite3.Connection
    recovered_from: Path | None = None  # where a damaged or empty file was set aside, if one was
    read_only: str | None = None  # why it can only be read (a sentence), None if it can be written


def open_history(path: Path, *, read_only: bool = False) -> Opened:
    """Open (or create) the history at ``path``: see ``Store.open``."""
    recovered = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"PinViewer can't create its data folder ({path.parent}): {error.strerror}.") from None
    exists = _check_path(path)
    reason = "it was opened read-only." if read_only else _read_only_reason(path, exists)
    if reason is not None:
        if not exists:
            raise StoreError(f"PinViewer can't start a history in {path.parent}: {reason}") from None
        return Opened(_connect_read_only(path, reason), read_only=reason)
    try:
        if exists and path.stat().st_size == 0:  # an empty file is no history (SQLite would take it as one)
            recovered = set_aside(path, "empty")
        if not path.exists():
            create(path)
        connection = connect(path)
    except sqlite3.DatabaseError as error:
        if path.exists() and failures.damaged(error):
            recovered = set_aside(path)
            try:
                create(path)
                connection = connect(path)
            except sqlite3.DatabaseError as again:
                raise failures.friendly_error(again, path) from None
        elif exists and recovered is None and failures.cannot_write(error):
            # a full disk (or a file system that refuses writes): what is stored can still be read
            reason = ("the disk holding it is full: free some space." if failures.disk_full(path, error) else
                      f"it cannot be written here ({error}).")
            return Opened(_connect_read_only(path, reason), read_only=reason)
        else:
            raise failures.friendly_error(error, path) from None
    return Opened(connection, recovered_from=recovered)


def _check_path(path: Path) -> bool:
    """Whether the history file exists; a sentence for what is there but cannot be one."""
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


def _read_only_reason(path: Path, exists: bool) -> str | None:
    """A sentence when the history (or its folder: SQLite writes beside the file) cannot be written."""
    folder = path.parent
    if not os.access(folder, os.W_OK):
        return f"its folder ({folder}) is read-only (a read-only disk, or a folder you may not write)."
    if exists and not os.access(path, os.W_OK):
        return f"the history file ({path}) is read-only."
    return None


def _connect_read_only(path: Path, reason: str) -> sqlite3.Connection:
    """A connection that only reads: first as SQLite's read-only mode, then (no -shm file can be made on
    read-only media) as an immutable file."""
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
            if failures.damaged(error):
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


def create(path: Path) -> None:
    """A new, empty history made beside ``path`` and linked into place whole: no other process ever sees a
    half-made (0-byte) file, which would be set aside as damaged."""
    temporary = path.with_name(f".{path.name}.new-{os.getpid()}-{threading.get_ident()}")
    try:
        connection = connect(temporary)
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


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the history at ``path`` (made if missing), checked, with its pragmas, brought up to date."""
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
        migrate(connection)
    except sqlite3.DatabaseError:
        connection.close()
        raise
    return connection


def set_aside(path: Path, why: str = "damaged") -> Path:
    """Move a damaged (or empty) history and its -wal and -shm files aside, under a name with the time."""
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
