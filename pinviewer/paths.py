"""Where PinViewer keeps things. One place decides; PINVIEWER_HOME overrides every folder.

Qt-free on purpose: the command line and the core use it too.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "PinViewer"


def _home_override() -> Path | None:
    value = os.environ.get("PINVIEWER_HOME")
    return Path(value).expanduser() if value else None


def _folder(kind: str) -> Path:
    home = _home_override()
    if home is not None:
        path = home / kind
    else:
        import platformdirs

        getter = {
            "data": platformdirs.user_data_dir,
            "config": platformdirs.user_config_dir,
            "cache": platformdirs.user_cache_dir,
            "logs": platformdirs.user_log_dir,
        }[kind]
        path = Path(getter(APP_DIR_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    return _folder("data")


def config_dir() -> Path:
    return _folder("config")


def cache_dir() -> Path:
    return _folder("cache")


def log_dir() -> Path:
    return _folder("logs")


def database_path() -> Path:
    return data_dir() / "pinviewer.sqlite"


def demo_database_path() -> Path:
    return cache_dir() / "demo.sqlite"


def resource_path(*parts: str) -> Path:
    """A file under resources/, in a source tree, an installed wheel or a frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root, "pinviewer", "resources", *parts)
    # pinviewer.resources is a regular package of plain files (pyproject.toml maps resources/ to it), so its
    # folder is what importlib.resources.files() returns for it; asking the package itself spares the window's
    # first paint the import of importlib.resources (~4 ms).
    import pinviewer.resources

    return Path(pinviewer.resources.__file__).parent.joinpath(*parts)
