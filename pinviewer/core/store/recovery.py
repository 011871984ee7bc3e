"""Recovering a damaged history: every import whose batch row and segments still read back whole is copied into
the open history, one transaction per import; what cannot be read is listed, never half copied."""
from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pinviewer.core import columnar
from pinviewer.core.errors import StoreError
from pinviewer.core.store.records import DEFAULT_PROFILE, Recovery

if TYPE_CHECKING:
    from pinviewer.core.store.history import Store

log = logging.getLogger("pinviewer.core.store")  # the package's name: the log's lines read as they always did

Segment = tuple[Any, ...] | None  # a segment's values in the shared columns' order; None: it did not decode


def recover(store: Store, damaged: Path) -> Recovery:
    """Copy into ``store`` every import of the damaged history file ``damaged`` that can still be read whole:
    see ``Store.recover``."""
    found = Recovery(damaged)
    if not damaged.is_file():
        raise StoreError(f"I can't find the damaged history {damaged}.")
    try:
        old = _connect_damaged(damaged)
    except sqlite3.Error as error:
        raise StoreError(f"Nothing can be read from {damaged.name} any more ({error}).") from None
    try:
        profiles = _readable_rows(old, "SELECT id, name FROM profiles")
        names = {pid: name for pid, name in profiles}
        # every column this history shares with the damaged one (a newer schema's columns keep their defaults)
        batch_columns = _shared_columns(old, store.db, "batches", ("id", "profile_id", "undone_at"))
        columns = ("id", "profile_id", "undone_at", "rows", "sha256", "file_name", "metrics", "changes",
                   *[c for c in batch_columns if c not in ("rows", "sha256", "file_name", "metrics", "changes")])
        batches = _readable_rows(old, f"SELECT {', '.join(columns)} FROM batches")
        if not batches:
            found.unreadable.append("the list of imports")
        segment_columns = _shared_columns(old, store.db, "segments", ("batch_id", "profile_id"))
        segments, expected = _readable_segments(old, segment_columns)
        for row in batches:
            batch = dict(zip(columns, row))
            if batch["undone_at"] is not None:
                continue
            label = f"import #{batch['id']} ({batch['file_name']})"
            parts = segments.get(batch["id"], [])
            if not _whole(batch, parts, expected.get(batch["id"], 0)):
                found.unreadable.append(label)
                continue
            profile = store.ensure_profile(names.get(batch["profile_id"]) or DEFAULT_PROFILE)
            if store.find_batch(profile, batch["sha256"]) is not None:
                found.already.append(label)
                continue
            with store.transaction():
                cursor = store.db.execute(
                    f"INSERT INTO batches(profile_id, {', '.join(batch_columns)}) "
                    f"VALUES (?{', ?' * len(batch_columns)})", (profile.id, *(batch[c] for c in batch_columns)))
                for segment in parts:
                    assert segment is not None  # whole: no damaged segment in parts
                    store.db.execute(
                        f"INSERT INTO segments(batch_id, profile_id, {', '.join(segment_columns)}) "
                        f"VALUES (?, ?{', ?' * len(segment_columns)})", (cursor.lastrowid, profile.id, *segment))
            found.recovered.append(label)
    finally:
        old.close()
    log.info("Recovered from %s: %s", damaged, found.sentence())
    return found


def _readable_segments(old: sqlite3.Connection, segment_columns: list[str]
                       ) -> tuple[dict[int, list[Segment]], dict[int, int]]:
    """Every segment that reads back whole, by batch (None for one that does not: its batch is not recovered), and
    how many segments each batch has by the index (when the table itself lost rows). Full scans: an index is as
    likely to be damaged as a table."""
    at = {c: i for i, c in enumerate(segment_columns)}
    segments: dict[int, list[Segment]] = {}
    for row in _readable_rows(old, f"SELECT batch_id, {', '.join(segment_columns)} FROM segments"):
        values = row[1:]
        try:
            columnar.decode(values[at["layout"]], values[at["data"]], values[at["rows"]])
        except Exception:  # noqa: BLE001 - a damaged blob: its batch cannot be recovered
            segments.setdefault(row[0], []).append(None)
            continue
        segments.setdefault(row[0], []).append(values)
    try:
        expected = dict(old.execute("SELECT batch_id, COUNT(*) FROM segments INDEXED BY segments_by_batch "
                                    "GROUP BY batch_id").fetchall())
    except sqlite3.DatabaseError:
        expected = {}
    return segments, expected


def _whole(batch: dict[str, Any], parts: list[Segment], expected: int) -> bool:
    """Whether a batch row and its segments all read back (its JSON columns parse, no segment is missing)."""
    try:
        for key in ("metrics", "changes", "meta"):
            if key in batch:
                json.loads(batch[key])
        return None not in parts and len(parts) >= expected and (bool(parts) or not batch["rows"])
    except (TypeError, ValueError):
        return False


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


def _connect_damaged(path: Path) -> sqlite3.Connection:
    from urllib.parse import quote

    connection = sqlite3.connect(f"file:{quote(str(path.absolute()))}?mode=ro&immutable=1", uri=True,
                                 isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA query_only = 1")
    return connection


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
