"""recover: copy into the history the imports a damaged history file still holds.

    pinviewer recover [DAMAGED_FILE]

Without a file, the newest history PinViewer set aside (``pinviewer.sqlite.damaged-…`` beside the history).
"""
from __future__ import annotations

from pathlib import Path

from pinviewer.core.errors import PinviewerError


def register(sub) -> None:
    p = sub.add_parser("recover", help="copy the imports that can still be read from a damaged history",
                       description="When PinViewer finds its history damaged it keeps the file aside and starts a "
                                   "new one. This copies every import that can still be read whole from the old "
                                   "file into the new history.")
    p.add_argument("file", nargs="?", type=Path, metavar="DAMAGED_FILE",
                   help="the damaged history (default: the newest one PinViewer set aside)")
    p.set_defaults(func=cmd_recover)


def set_aside_histories(database: Path) -> list[Path]:
    """Histories PinViewer set aside beside ``database`` (damaged or empty ones), oldest first."""
    found = [p for p in database.parent.glob(f"{database.name}.damaged-*")
             if p.is_file() and not p.name.endswith(("-wal", "-shm"))]
    return sorted(found, key=lambda p: p.stat().st_mtime)


def cmd_recover(args) -> int:
    from pinviewer import paths
    from pinviewer.core.store import Store

    database = paths.database_path()
    damaged = args.file
    if damaged is None:
        candidates = set_aside_histories(database)
        if not candidates:
            raise PinviewerError("There is no damaged history to recover from: PinViewer has set none aside in "
                                 f"{database.parent}. Name the file: pinviewer recover FILE")
        damaged = candidates[-1]
    if damaged.resolve() == database.resolve():
        raise PinviewerError("That is the history in use. Name the damaged copy PinViewer set aside.")
    with Store.open() as store:
        found = store.recover(damaged)
    print(found.sentence())
    return 0 if found.recovered or found.already else 1
