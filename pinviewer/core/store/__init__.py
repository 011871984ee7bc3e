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
* ``PRAGMA user_version`` numbers the schema; ``schema.MIGRATIONS`` brings an older file up to date (version 1
  kept one SQL row per fact; version 2 moves them into segments).

The modules: ``records`` (what the history hands back), ``failures`` (SQLite's and the disk's failures as
sentences), ``schema`` (tables and migrations), ``opening`` (the file, its pragmas, setting a damaged one aside,
read-only), ``segments`` (column segments), ``changes`` (what a batch changes), ``writing`` (``BatchWriter``: one
import in one transaction), ``dataset`` (reading back), ``recovery`` (copying from a damaged history) and
``history`` (``Store``, the facade).
"""
from pinviewer.core.store.dataset import Dataset
from pinviewer.core.store.failures import friendly_error
from pinviewer.core.store.history import Store, Transaction
from pinviewer.core.store.records import (ALL_SERIES, DEFAULT_PROFILE, MAIN_SERIES, PROVISIONAL_DAYS, BatchInfo, Day,
                                          ImportResult, Overlap, Profile, Recovery)
from pinviewer.core.store.schema import SCHEMA_VERSION
from pinviewer.core.store.segments import SEGMENT_ROWS
from pinviewer.core.store.writing import BatchWriter, file_sha256

__all__ = ["ALL_SERIES", "DEFAULT_PROFILE", "MAIN_SERIES", "PROVISIONAL_DAYS", "SCHEMA_VERSION", "SEGMENT_ROWS",
           "BatchInfo", "BatchWriter", "Dataset", "Day", "ImportResult", "Overlap", "Profile", "Recovery", "Store",
           "Transaction", "file_sha256", "friendly_error"]
