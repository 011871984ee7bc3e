"""SQLite's and the disk's failures in a blogger's words, and the tests that tell them apart."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from pinviewer.core.errors import StoreError


def damaged(error: sqlite3.Error) -> bool:
    text = str(error)
    return "not a database" in text or "malformed" in text or "corrupt" in text


def disk_full(path: Path, error: sqlite3.Error) -> bool:
    """SQLite says 'disk I/O error' when it cannot even make its shared-memory file on a full disk."""
    if "full" in str(error).lower():
        return True
    try:
        return shutil.disk_usage(path.parent).free < (1 << 20)
    except OSError:
        return False


def cannot_write(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return any(words in text for words in ("full", "disk i/o", "readonly", "read-only", "unable to open"))


def friendly_error(error: sqlite3.Error, path: Path) -> StoreError:
    """The sentence for a failed write to the history at ``path`` (the command line uses it for any SQLite error)."""
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


def read_only_error(reason: str, path: Path) -> StoreError:
    """Why a history opened read-only cannot take an import or a change (``reason``: why it is read-only)."""
    return StoreError(f"PinViewer can only read this history, not import into it or change it: "
                      f"{reason} Copy {path.name} to a writable folder (and point PINVIEWER_HOME "
                      "at it) to change it.")
