"""Look at a file's first bytes and find its table: encoding, delimiter, preamble, header row.

``sniff(path)`` reads only the first 256 KB: it refuses what is not a text table (``file_checks``: empty, a
picture, a PDF, an Excel workbook, a ZIP, binary data) with a sentence saying what to do, picks the encoding
(``text_encoding``: a BOM decides; otherwise UTF-8, and cp1252 when that fails), the delimiter (``,`` ``;`` or
tab) and the header row (``header_row``), found by its column names wherever it is (the lines above it are
the preamble, kept as metadata). ``table_stream.CsvFile(sniffed)`` then streams the file's tables.
"""
from __future__ import annotations

import codecs
import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pinviewer.core.errors import UnreadableFile
from pinviewer.core.formats.file_checks import HOW_TO_EXPORT, check_source, refuse_non_table
from pinviewer.core.formats.header_row import find_header, guess_decimal, is_blank_or_comment, iter_records
from pinviewer.core.formats.text_encoding import detect_encoding

HEAD_BYTES = 256 * 1024
MAX_COLUMNS = 2000  # analytics exports have a few dozen columns
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


class Retry(Exception):
    """Internal: read the file again with other settings (a later byte is not UTF-8, stray quotes...)."""

    def __init__(self, **changes: Any) -> None:
        super().__init__(", ".join(f"{k}={v!r}" for k, v in changes.items()))
        self.changes = changes


@dataclass
class Sniffed:
    path: Path
    size: int
    encoding: str  # Python codec used to decode the file
    encoding_label: str  # "UTF-8 with BOM", "UTF-16 LE", "Windows-1252"...
    errors: str  # codec error handler: "strict", or "replace" when a BOM vouches for the encoding
    delimiter: str
    decimal: str  # "." or ","
    preamble: list[str]  # lines above the header, as written (GA4 '#' lines, title, date range...)
    header: list[str]  # column names, stripped
    header_line: int  # 1-based line of the header in the file
    data_line: int  # 1-based line of the first data row
    sample: list[list[str]]  # the first data rows (for detection)
    whole_file_in_head: bool
    exact: bool = False  # find table ends with the csv module instead of counting quotes (stray quotes)
    lazy: bool = True  # a reader may leave columns it may not need unread until asked for (table.load_table)

    @property
    def delimiter_name(self) -> str:
        return _DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))

    def replace(self, **changes: Any) -> Sniffed:
        return dataclasses.replace(self, **changes)



_LABELS = {"utf-8": "UTF-8", "cp1252": "Windows-1252", "latin-1": "Latin-1"}


def sniff(path: str | os.PathLike[str], *, encoding: str | None = None) -> Sniffed:
    """Encoding, delimiter, preamble and header of a file, from its first 256 KB. Raises UnreadableFile.

    ``encoding`` forces a codec (used when a byte far into the file turned out not to be UTF-8)."""
    path = Path(path)
    size = check_source(path).st_size
    try:
        with open(path, "rb") as f:
            head = f.read(HEAD_BYTES)
    except FileNotFoundError:
        raise UnreadableFile(f"I can't find the file “{path}”. Was it moved or renamed?") from None
    except IsADirectoryError:
        raise UnreadableFile(f"“{path.name}” is a folder, not a file.") from None
    except PermissionError:
        raise UnreadableFile(f"I'm not allowed to open “{path.name}”: check its permissions (or those of its "
                             "folder).") from None
    except OSError as exc:
        raise UnreadableFile(f"I can't read “{path.name}”: {exc.strerror or exc}.") from None
    refuse_non_table(head, path)
    codec, label, errors = detect_encoding(head)
    if encoding is not None:
        codec, label, errors = encoding, _LABELS.get(encoding, encoding), "strict"
    whole = size <= len(head)
    text = codecs.getincrementaldecoder(codec)("replace").decode(head, whole)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not whole and "\n" in text:
        text = text[: text.rfind("\n") + 1]
    elif not whole:
        raise UnreadableFile(f"The first line of “{path.name}” is longer than {HEAD_BYTES // 1024} KB, so it is not "
                             "the start of an analytics export (their lines are a few hundred characters). "
                             + HOW_TO_EXPORT)
    if not text.strip():
        raise UnreadableFile(f"“{path.name}” has no text in it. The download may have failed: export the file "
                             "again. " + HOW_TO_EXPORT)
    found = find_header(text)
    if found is None:
        raise UnreadableFile(f"I can't find a table in “{path.name}”: no line has several columns separated by "
                             "commas, semicolons or tabs. " + HOW_TO_EXPORT)
    delimiter, first, last, header = found
    if len(header) > MAX_COLUMNS:
        raise UnreadableFile(f"The table in “{path.name}” has {len(header):,} columns; analytics exports have a few "
                             f"dozen, and PinViewer reads tables of up to {MAX_COLUMNS:,}. Check that this is the "
                             "file you meant.")
    preamble = text.split("\n", first - 1)[: first - 1]
    after_header = 0  # where the line after the header starts
    for _ in range(last):
        after_header = text.find("\n", after_header) + 1
        if not after_header:
            after_header = len(text)
            break
    sample = []
    for _f, _l, fields in iter_records(text, delimiter, 50, after_header):
        if is_blank_or_comment(fields):
            break
        sample.append(fields)
    return Sniffed(path=path, size=size, encoding=codec, encoding_label=label, errors=errors, delimiter=delimiter,
                   decimal=guess_decimal(sample, delimiter), preamble=preamble, header=header, header_line=first,
                   data_line=last + 1, sample=sample, whole_file_in_head=whole)
