"""The history's tables and how an older file is brought up to date. ``PRAGMA user_version`` numbers the
schema; ``MIGRATIONS`` takes a file from each version to the next (version 1 kept one SQL row per fact; version 2
moves them into segments; version 3 adds series)."""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable

import pandas as pd

from pinviewer.core import columnar, metrics
from pinviewer.core.errors import StoreError
from pinviewer.core.formats.model import ENTITY_FIELDS
from pinviewer.core.store.segments import write_segment


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
            write_segment(connection, batch_id, profile_id, part, frame.drop(columns=["batch_id", "profile_id"]))
    connection.execute("DROP TABLE facts")
    connection.execute("DROP TABLE entities")


# Version 3: Pinterest's export carries its filters. An export with filters (Organic only, Mobile...) is a series
# of its own, never merged with the main one (``series`` NULL); ``meta`` keeps the filters, the footers as notes
# and what each table held, as JSON.
_SCHEMA_V3 = ["ALTER TABLE batches ADD COLUMN series TEXT",
              "ALTER TABLE batches ADD COLUMN series_label TEXT",
              "ALTER TABLE batches ADD COLUMN meta TEXT NOT NULL DEFAULT '{}'"]

# Index i takes a database from version i to i + 1: SQL statements, or a function of the connection.
MIGRATIONS: list[list[str] | Callable[[sqlite3.Connection], None]] = [_schema_v1(), _schema_v2, _SCHEMA_V3]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(connection: sqlite3.Connection) -> None:
    """Bring the file up to SCHEMA_VERSION in one transaction (another process may be doing it too)."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError("This history was written by a newer PinViewer. Please update PinViewer to open it.")
    if version == SCHEMA_VERSION:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        for step in range(version, SCHEMA_VERSION):
            migration = MIGRATIONS[step]
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


def now() -> str:
    """The time as the tables keep it (imported_at, undone_at, created_at): UTC, whole seconds, ISO."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
