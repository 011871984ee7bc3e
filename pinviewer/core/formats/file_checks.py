"""Refusing at once, with a sentence saying what to do, what cannot be an analytics export: a path that is no
regular file (missing, a loop of links, a folder, a pipe, a device, over 1 GB: ``check_source``), and bytes
that are no text table (a picture, a PDF, a workbook, a ZIP, a web page, JSON: ``refuse_non_table``).
"""
from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from pinviewer.core.errors import UnreadableFile

MAX_FILE_BYTES = 1 << 30  # 1 GiB: a 50,000-Pin export is about 10 MB

HOW_TO_EXPORT = ("In Pinterest, use Export to download a CSV file (in Google Analytics: Share this report → "
                 "Download file → Download CSV).")


def _size_words(size: int) -> str:
    return f"{size / 1e9:,.1f} GB" if size >= 1e9 else f"{size / 1e6:,.0f} MB"


def too_big(name: str, size: int | None = None) -> UnreadableFile:
    told = f" is {_size_words(size)}:" if size is not None else " is larger than 1 GB:"
    return UnreadableFile(f"“{name}”{told} far more than an analytics export (a 50,000-Pin export is about 10 MB), "
                          "so I did not read it. PinViewer reads files of up to 1 GB; check that this is the file "
                          "you meant.")


def is_anonymous_pipe(path: Path) -> bool:
    """A pipe the shell hands over (``/dev/stdin``, ``<(…)`` as /dev/fd/N): read once, then it is gone."""
    text = str(path)
    return text.startswith(("/dev/", "/proc/"))


def check_source(path: str | os.PathLike[str], *, pipes: bool = False) -> os.stat_result:
    """``os.stat(path)``, refusing at once with a sentence what cannot be read as a file: a missing file, a loop
    of symbolic links, a folder, a named pipe (reading it would wait for ever), a device, a socket, a file over
    1 GB. ``pipes``: let a pipe the shell hands over through (the caller reads it once)."""
    import errno
    import stat

    path = Path(path)
    name = path.name or str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise UnreadableFile(f"“{name}” is a shortcut (symbolic link) to a file that no longer exists.") \
                from None
        raise UnreadableFile(f"I can't find the file “{path}”. Was it moved or renamed?") from None
    except PermissionError:
        raise UnreadableFile(f"I'm not allowed to open “{name}”: check its permissions (or those of its folder).") \
            from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UnreadableFile(f"“{name}” is a symbolic link that leads back to itself (a loop of links), so "
                                 "there is no file to read. Point it at the real file.") from None
        if error.errno == errno.ENAMETOOLONG:
            raise UnreadableFile("The file's name (or its folder's) is too long for this system.") from None
        raise UnreadableFile(f"I can't open “{name}”: {error.strerror or error}.") from None
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise UnreadableFile(f"“{name}” is a folder, not a file; choose the CSV file inside it.")
    if stat.S_ISFIFO(mode):
        if pipes and is_anonymous_pipe(path):
            return info
        raise UnreadableFile(f"“{name}” is a named pipe, not a file: reading it would wait until some program "
                             "writes to it. Import the file itself, or pipe it in: cat FILE | pinviewer import "
                             "/dev/stdin")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise UnreadableFile(f"“{name}” is a device, not a file: there is no table in it to read.")
    if stat.S_ISSOCK(mode):
        raise UnreadableFile(f"“{name}” is a network socket, not a file.")
    if not stat.S_ISREG(mode):
        raise UnreadableFile(f"“{name}” is not a regular file.")
    if info.st_size > MAX_FILE_BYTES:
        raise too_big(name, info.st_size)
    return info


# ---- refusing what is not a text table -------------------------------------------------------------------

_PICTURES = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
             (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"))


def refuse_non_table(head: bytes, path: Path) -> None:
    """Raise UnreadableFile with a helpful sentence when the bytes are not a text table."""
    name = path.name
    if not head:
        raise UnreadableFile(f"“{name}” is empty (0 bytes). The download may have failed: export the file again. "
                             + HOW_TO_EXPORT)
    for magic, kind in _PICTURES:
        if head.startswith(magic):
            raise UnreadableFile(f"This file is a picture ({kind}), not a spreadsheet export. " + HOW_TO_EXPORT)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        raise UnreadableFile("This file is a picture (WebP), not a spreadsheet export. " + HOW_TO_EXPORT)
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypavif"):
        raise UnreadableFile("This file is a picture (HEIC), not a spreadsheet export. " + HOW_TO_EXPORT)
    if head.startswith(b"%PDF"):
        raise UnreadableFile("This file is a PDF document, not a spreadsheet export. PinViewer reads the CSV file "
                             "behind the report. " + HOW_TO_EXPORT)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise UnreadableFile("This file is an old Excel workbook (.xls), not a CSV file. Download the report as CSV "
                             "instead, or open it in Excel and use File → Save As → “CSV UTF-8”.")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        kind = _zip_kind(path)
        if kind == "xlsx":
            raise UnreadableFile("This file is an Excel workbook (.xlsx), not a CSV file. Download the report as CSV "
                                 "instead (in Pinterest: Export → CSV), or open it in Excel and use File → Save As → "
                                 "“CSV UTF-8”.")
        if kind == "ods":
            raise UnreadableFile("This file is a LibreOffice/OpenOffice spreadsheet (.ods), not a CSV file. Save it "
                                 "as CSV (File → Save As → Text CSV) or download the report as CSV.")
        raise UnreadableFile("This file is a ZIP archive, not a CSV file. Unpack it first and open the CSV file "
                             "inside it.")
    if head.startswith(b"\x1f\x8b"):
        raise UnreadableFile("This file is compressed (gzip). Unpack it first and open the CSV file inside it.")
    text_start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
    if text_start.startswith((b"<!doctype html", b"<html", b"<?xml")):
        raise UnreadableFile("This file is a web page (HTML/XML), not a CSV export. The download may have saved "
                             "the page instead of the file. " + HOW_TO_EXPORT)
    if text_start.startswith(b"{") or re.match(rb"\[\s*[\[{\"]", text_start):
        raise UnreadableFile("This file holds JSON data, not a CSV table. To read Pinterest directly, connect "
                             "your account instead; to import a file, " + HOW_TO_EXPORT[0].lower()
                             + HOW_TO_EXPORT[1:])


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
            if "mimetype" in names and b"opendocument.spreadsheet" in z.read("mimetype"):
                return "ods"
    except (zipfile.BadZipFile, OSError, KeyError):
        pass
    return "zip"

