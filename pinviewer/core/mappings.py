"""Column mappings the user taught PinViewer, remembered per header (config folder, one JSON file each).

A file whose header has a remembered mapping is read with it without asking again; the import wizard
saves them, lists them and forgets them. Each is written whole or not at all (``paths.atomic_write``): on a
full disk the earlier mapping stays and a WriteError says why.
"""
from __future__ import annotations

import logging
from pathlib import Path

from pinviewer import paths
from pinviewer.core.formats.mapping import ColumnMapping, MappingError, header_key, load_mapping, save_mapping

log = logging.getLogger(__name__)


def _folder() -> Path:
    folder = paths.config_dir() / "mappings"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise paths.write_failure(folder, error, folder=True) from None
    return folder


def remember(mapping: ColumnMapping, header: list[str]) -> Path:
    """Keep a mapping for every later file with this header."""
    mapping.header = list(header)
    path = _folder() / f"{header_key(header)}.json"
    save_mapping(mapping, path)
    return path


def remembered(header: list[str]) -> ColumnMapping | None:
    path = _folder() / f"{header_key(header)}.json"
    if not path.exists():
        return None
    try:
        return load_mapping(path)
    except MappingError as error:  # a damaged file: ask again rather than fail
        log.warning("Ignoring remembered mapping %s: %s", path.name, error)
        return None


def all_remembered() -> list[tuple[str, ColumnMapping]]:
    """(key, mapping) for every remembered mapping, for review."""
    found = []
    for path in sorted(_folder().glob("*.json")):
        try:
            found.append((path.stem, load_mapping(path)))
        except MappingError as error:
            log.warning("Ignoring remembered mapping %s: %s", path.name, error)
    return found


def forget(key: str) -> bool:
    path = _folder() / f"{Path(key).name}.json"
    if path.exists():
        try:
            path.unlink()
        except OSError as error:
            raise paths.write_failure(path, error) from None
        return True
    return False
