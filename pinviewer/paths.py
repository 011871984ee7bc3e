"""Where PinViewer keeps things. One place decides; PINVIEWER_HOME overrides every folder.

Qt-free on purpose: the command line and the core use it too.
"""
from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from pinviewer.core.errors import PinviewerError

APP_DIR_NAME = "PinViewer"


class WriteError(PinviewerError, OSError):
    """A file or folder PinViewer could not write, in words (an OSError too, for callers that expect one)."""

    def __init__(self, message: str) -> None:
        PinviewerError.__init__(self, message)

    def __str__(self) -> str:
        return self.args[0] if self.args else ""


def write_failure(path: Path, error: OSError, *, existed: bool = False, folder: bool = False) -> WriteError:
    """The sentence for a failed write of ``path`` (``existed``: the earlier file was kept)."""
    path = Path(path)
    what = f"the folder {path}" if folder else path.name
    kept = f" {path.name} is unchanged." if existed else ""
    code = getattr(error, "errno", None)
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return WriteError(f"The disk is full: PinViewer could not save {what}.{kept} Free some space and try again.")
    if code == errno.EROFS:
        return WriteError(f"PinViewer could not save {what}: {path.parent} is on a read-only disk.{kept}")
    if code in (errno.EACCES, errno.EPERM):
        return WriteError(f"PinViewer is not allowed to write in {path.parent if not folder else path}, so it "
                          f"could not save {what}.{kept} Check the folder's permissions.")
    reason = getattr(error, "strerror", None) or str(error)
    return WriteError(f"PinViewer could not save {what}: {reason}.{kept}")


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
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        hint = " (PINVIEWER_HOME)" if home is not None else ""
        raise WriteError(f"PinViewer can't create its {kind} folder {path}{hint}: "
                         f"{error.strerror or error}. Check that the folder can be written.") from None
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
    import pinviewer.resources as resources  # resources/, a package of plain files (pyproject.toml maps it)

    return Path(resources.__file__).parent.joinpath(*parts)


# ---- writing files whole ---------------------------------------------------------------------------------

def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def partial_path(path: Path) -> Path:
    """Where a file is written before it is moved into place: beside it, hidden, unique to this process."""
    return path.with_name(f".{path.name}.{os.getpid()}.partial")


Check = Callable[[Path], "str | None"]  # check(partial): a sentence when the written file is not right, else None



def commit(partial: Path, path: Path, check: Check | None = None) -> Path:
    """Move a fully written ``partial`` file to ``path``: flushed to disk, ``check(partial)`` (a sentence when
    the file is not right, else None), then renamed over the old file in one step. On any failure the partial
    file is removed, the old file stays, and a WriteError says why."""
    partial, path = Path(partial), Path(path)
    existed = path.exists()
    try:
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        problem = check(partial) if check is not None else None
        if problem:
            raise WriteError(f"{problem} {path.name} is unchanged." if existed else problem)
        if existed:
            with contextlib.suppress(OSError):
                os.chmod(partial, os.stat(path).st_mode & 0o7777)
        os.replace(partial, path)
    except WriteError:
        partial.unlink(missing_ok=True)
        raise
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise write_failure(path, error, existed=existed) from None
    _fsync_folder(path.parent)
    return path


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", *, encoding: str | None = "utf-8",
                 newline: str | None = None, check: Check | None = None) -> Iterator[IO[Any]]:
    """``with atomic_write(path) as handle:`` write a file whole or not at all: the text goes to a partial file
    beside it, flushed, checked (``check(partial)``: see ``commit``) and renamed over the old one. A failure
    (a full disk, a read-only folder, an exception in the block) leaves the old file as it was and raises a
    WriteError with a sentence (an exception of the block itself passes through)."""
    path = Path(path)
    partial = partial_path(path)
    existed = path.exists()
    binary = "b" in mode
    try:
        handle = open(partial, mode if "w" in mode else "w" + mode, encoding=None if binary else encoding,
                      newline=None if binary else newline)
    except OSError as error:
        raise write_failure(path, error, existed=existed) from None
    try:
        with handle:
            yield handle
            handle.flush()
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise write_failure(path, error, existed=existed) from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if not existed:
        with contextlib.suppress(OSError):
            os.chmod(partial, 0o644)
    commit(partial, path, check)


def write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """``Path.write_text``, whole or not at all (``atomic_write``)."""
    with atomic_write(path, encoding=encoding) as handle:
        handle.write(text)
    return Path(path)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """``Path.write_bytes``, whole or not at all (``atomic_write``)."""
    with atomic_write(path, "wb") as handle:
        handle.write(data)
    return Path(path)
