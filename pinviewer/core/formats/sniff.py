"""Look at a file's bytes and find its table: encoding, delimiter, preamble, header row, where the table ends.

``sniff(path)`` reads only the first 256 KB: it refuses what is not a text table (empty, a picture, a PDF, an
Excel workbook, a ZIP, binary data) with a sentence saying what to do, picks the encoding (a BOM decides;
otherwise UTF-8, and cp1252 when that fails), the delimiter (``,`` ``;`` or tab) and the header row, found
by its column names wherever it is (the lines above it are the preamble, kept as metadata).

``CsvFile(sniffed).tables()`` then streams the file: each table is a file-like object that pandas reads in
chunks; it stops at the first blank line or ``#`` line outside quotes (the end of GA4's first table) and
the next table, if any, follows (GA4's ``Date,Sessions``). Only a block of about 1 MB is held at a time.
A file cut off inside a quoted value is noticed at the end (``TableText.unclosed``); row numbers point at
lines in the file, also when a quoted value spans lines (``TableText.lines``).
"""
from __future__ import annotations

import codecs
import csv
import dataclasses
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterator

import numpy as np

from pinviewer.core.errors import Cancelled, UnreadableFile
from pinviewer.core.formats import vocabulary

HEAD_BYTES = 256 * 1024
BLOCK_BYTES = 1 << 20
MAX_FILE_BYTES = 1 << 30  # 1 GiB: a 50,000-Pin export is about 10 MB
MAX_COLUMNS = 2000  # analytics exports have a few dozen columns
DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
# A piece of a file's text as a TextSource holds it: bytes when the source is binary (UTF-8), else str. Fixed
# for each source (``TextSource.binary``), which a union type cannot say: the code never mixes the two.
Chunk = Any

HOW_TO_EXPORT = ("In Pinterest, use Export to download a CSV file (in Google Analytics: Share this report → "
                 "Download file → Download CSV).")


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


# ---- refusing what is not a file ---------------------------------------------------------------------------

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


# ---- encoding --------------------------------------------------------------------------------------------

def detect_encoding(head: bytes) -> tuple[str, str, str]:
    """(codec, label, errors) from a BOM, a UTF-16 pattern of zero bytes, or trying UTF-8 then cp1252."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "UTF-8 with BOM", "replace"
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16", "UTF-16 LE with BOM", "replace"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", "UTF-16 BE with BOM", "replace"
    sample = head[:4096]
    if len(sample) >= 4 and sample.count(b"\x00") * 3 > len(sample):
        even = sample[0::2].count(b"\x00")
        odd = sample[1::2].count(b"\x00")
        if odd > even * 4:
            return "utf-16-le", "UTF-16 LE", "replace"
        if even > odd * 4:
            return "utf-16-be", "UTF-16 BE", "replace"
    if b"\x00" in head:
        raise UnreadableFile("This file is not a text table: it contains binary data. " + HOW_TO_EXPORT)
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, False)
        return "utf-8", "UTF-8", "strict"
    except UnicodeDecodeError:
        pass
    try:
        head.decode("cp1252")
        return "cp1252", "Windows-1252", "strict"
    except UnicodeDecodeError:
        return "latin-1", "Latin-1", "strict"


_FALLBACK = {"utf-8": "cp1252", "cp1252": "latin-1"}  # when a byte far into the file does not decode
_BINARY_CODECS = ("utf-8", "utf-8-sig")  # read as bytes (see TextSource)


class TextSource:
    """The file as text, one block at a time; ``line`` is the line number at ``pos``.

    Line ends stay as written ('\\r\\n' is not rewritten: pandas reads it, and rewriting 200 MB costs time);
    ``readline`` drops them. Only classic Mac files ('\\r' alone) are rewritten to '\\n'.

    UTF-8 files are kept as bytes (``binary``): pandas reads UTF-8 bytes natively, and decoding the file only
    for pandas to encode it again costs a third of the read. Each block is still checked as it is read (a
    byte that is not UTF-8 asks to read again as Windows-1252, as for text); ``readline`` returns text.
    ``text=True`` keeps the text way (the csv module walks the lines).
    """

    def __init__(self, sniffed: Sniffed, cancelled: Callable[[], bool] | None = None, *, text: bool = False) -> None:
        self.sniffed = sniffed
        self._file = open(sniffed.path, "rb")
        self.binary = not text and sniffed.encoding in _BINARY_CODECS
        self._bom = sniffed.encoding == "utf-8-sig"
        codec = "utf-8" if self.binary else sniffed.encoding
        self._decoder = codecs.getincrementaldecoder(codec)(sniffed.errors)
        self._check = self.binary and sniffed.errors == "strict"
        self._nul = not sniffed.encoding.startswith("utf-16")  # zero bytes belong only in UTF-16 text
        self._cancelled = cancelled
        self._mac: bool | None = None
        self.nl: Chunk = b"\n" if self.binary else "\n"
        self.buf: Chunk = b"" if self.binary else ""
        self.pos = 0
        self.line = 1
        self.eof = False

    def close(self) -> None:
        self._file.close()

    @property
    def bytes_read(self) -> int:
        return self._file.tell()

    def text(self, data: Chunk) -> str:
        """Text of a piece of the buffer (whole lines: no character is cut in two)."""
        text: str = data.decode("utf-8", self.sniffed.errors) if self.binary else data
        return text

    def _undecodable(self, exc: UnicodeDecodeError) -> UnreadableFile | Retry:
        fallback = _FALLBACK.get(self.sniffed.encoding)
        if fallback is None:
            return UnreadableFile(f"This file is not readable text in {self.sniffed.encoding_label}.")
        return Retry(encoding=fallback)

    def fill(self) -> None:
        """Append the next block to the buffer (and drop what was consumed)."""
        if self.eof:
            return
        if self._cancelled is not None and self._cancelled():
            raise Cancelled()
        raw = self._file.read(BLOCK_BYTES)
        final = not raw
        text: Chunk
        if self._nul and b"\x00" in raw:  # a zero-filled tail (a damaged download) is not text
            raise UnreadableFile(f"“{self.sniffed.path.name}” stops being text after line {self.line:,}: from there "
                                 "it holds binary data (zero bytes). The file is damaged; export it again.")
        if self.binary:
            if self._bom:
                raw = raw.removeprefix(codecs.BOM_UTF8)
                self._bom = False
            # an ASCII block needs no check unless a character began at the end of the block before
            if self._check and (final or not raw.isascii() or self._decoder.getstate()[0]):
                try:
                    self._decoder.decode(raw, final)
                except UnicodeDecodeError as exc:
                    raise self._undecodable(exc) from exc
            text = raw
        else:
            try:
                text = self._decoder.decode(raw, final)
            except UnicodeDecodeError as exc:
                raise self._undecodable(exc) from exc
        if self._mac is None and text:
            cr: Chunk = b"\r" if self.binary else "\r"
            self._mac = cr in text and self.nl not in text  # classic Mac line ends: '\r' alone
            self._cr = cr
        if self._mac:
            text = text.replace(self._cr, self.nl)
        if self.pos:
            self.buf = self.buf[self.pos:]
            self.pos = 0
        self.buf += text
        self.eof = final

    def readline(self) -> str | None:
        """The next line without its newline, or None at the end of the file."""
        while True:
            i = self.buf.find(self.nl, self.pos)
            if i >= 0:
                line = self.text(self.buf[self.pos:i])
                self.pos = i + 1
                self.line += 1
                return line[:-1] if line.endswith("\r") else line
            if self.eof:
                if self.pos < len(self.buf):
                    line = self.text(self.buf[self.pos:])
                    self.pos = len(self.buf)
                    self.line += 1
                    return line[:-1] if line.endswith("\r") else line
                return None
            self.fill()

    def peekline(self) -> str | None:
        while True:
            i = self.buf.find(self.nl, self.pos)
            if i >= 0:
                return self.text(self.buf[self.pos:i]).removesuffix("\r")
            if self.eof:
                return self.text(self.buf[self.pos:]).removesuffix("\r") if self.pos < len(self.buf) else None
            self.fill()


# ---- the header row --------------------------------------------------------------------------------------

def _lines(text: str, start: int = 0) -> Iterator[str]:
    """The lines of ``text[start:]`` with their newlines, as ``io.StringIO`` gives them (made as they are read:
    the csv module reads only the first ones)."""
    find = text.find
    while True:
        end = find("\n", start)
        if end < 0:
            if start < len(text):
                yield text[start:]
            return
        yield text[start:end + 1]
        start = end + 1


def _iter_records(text: str, delimiter: str, limit: int, start: int = 0) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, fields) of the first records of ``text[start:]`` (1-based lines), as read."""
    reader = csv.reader(_lines(text, start), delimiter=delimiter)
    last = count = 0
    try:
        for fields in reader:
            yield last + 1, reader.line_num, fields
            last = reader.line_num
            count += 1
            if count >= limit:
                return
    except csv.Error:
        return


class _LazyRecords:
    """``_iter_records`` kept as far as they are looked at (iteration and slices)."""

    def __init__(self, text: str, delimiter: str, limit: int) -> None:
        self._source = _iter_records(text, delimiter, limit)
        self._read: list[tuple[int, int, list[str]]] = []
        self._all = False

    def _upto(self, count: int) -> None:
        while not self._all and len(self._read) < count:
            record = next(self._source, None)
            if record is None:
                self._all = True
            else:
                self._read.append(record)

    def __iter__(self) -> Iterator[tuple[int, int, list[str]]]:
        i = 0
        while True:
            self._upto(i + 1)
            if i >= len(self._read):
                return
            yield self._read[i]
            i += 1

    def __getitem__(self, items: slice) -> list[tuple[int, int, list[str]]]:
        self._upto(items.stop)
        return self._read[items]


def _is_blank_or_comment(fields: list[str]) -> bool:
    return not fields or (len(fields) == 1 and not fields[0].strip()) or fields[0].lstrip().startswith("#") \
        or all(not f.strip() for f in fields)


def _consistency(records: _LazyRecords, start: int, width: int) -> float:
    """Share of the next rows (up to 20, until a blank or '#' line) with as many fields as the header."""
    rows = []
    for _first, _last, fields in records[start + 1:start + 21]:
        if _is_blank_or_comment(fields):
            break
        rows.append(len(fields))
    if not rows:
        return 0.5
    return sum(1 for r in rows if r in (width, width + 1)) / len(rows)


def find_header(text: str) -> tuple[str, int, int, list[str]] | None:
    """(delimiter, first line, last line, fields) of the header row in the first lines of a file.

    The header is the earliest row most of whose names are known column names (vocabulary); when no row has
    two known names, the first row of the widest run of rows with the same number of fields.
    """
    best_named = None  # (line, -hits, order, delimiter, first, last, fields)
    best_shape = None
    for order, delimiter in enumerate(DELIMITERS):
        if delimiter not in text:  # every row would be one field
            continue
        records = _LazyRecords(text, delimiter, 150)  # read as far as looked at
        shaped = False
        for idx, (first, last, fields) in enumerate(records):
            if best_named is not None and first > best_named[0][0]:
                break  # a named row further down cannot come first; shapes no longer count
            if len(fields) < 2 or _is_blank_or_comment(fields):
                continue
            names = [f.strip() for f in fields if f.strip()]
            hits = sum(1 for f in names if vocabulary.lookup(f) is not None)
            if hits >= 2 and hits * 2 >= len(names):
                key = (first, -hits, order)
                if best_named is None or key < best_named[0]:
                    best_named = (key, delimiter, first, last, [f.strip() for f in fields])
                break  # later rows of this delimiter cannot come earlier
            if not shaped:
                consistency = _consistency(records, idx, len(fields))
                if consistency >= 0.8:
                    shaped = True  # the first consistent row of this delimiter is its candidate
                    shape_key = (-(len(fields) * consistency), first, order)
                    if best_shape is None or shape_key < best_shape[0]:
                        best_shape = (shape_key, delimiter, first, last, [f.strip() for f in fields])
    chosen = best_named or best_shape
    if chosen is None:
        return None
    return chosen[1], chosen[2], chosen[3], chosen[4]


_COMMA_DECIMAL = re.compile(r"^[-+]?\d+,(?:\d{1,2}|\d{4,})%?$|\d\.\d{3},\d")
_DOT_DECIMAL = re.compile(r"^[-+]?\d+\.(?:\d{1,2}|\d{4,})%?$|\d,\d{3}\.\d")


def guess_decimal(sample: list[list[str]], delimiter: str) -> str:
    """',' or '.': the decimal mark the sample rows use; a tie keeps the delimiter's custom (',' for ';')."""
    comma = dot = 0
    for row in sample:
        for cell in row:
            if "," not in cell and "." not in cell:  # both patterns need one
                continue
            cell = cell.strip()
            if _COMMA_DECIMAL.search(cell):
                comma += 1
            elif _DOT_DECIMAL.search(cell):
                dot += 1
    if comma > dot:
        return ","
    if dot > comma:
        return "."
    return "," if delimiter == ";" else "."


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
    for _f, _l, fields in _iter_records(text, delimiter, 50, after_header):
        if _is_blank_or_comment(fields):
            break
        sample.append(fields)
    return Sniffed(path=path, size=size, encoding=codec, encoding_label=label, errors=errors, delimiter=delimiter,
                   decimal=guess_decimal(sample, delimiter), preamble=preamble, header=header, header_line=first,
                   data_line=last + 1, sample=sample, whole_file_in_head=whole)


# ---- streaming tables ------------------------------------------------------------------------------------

_END = re.compile(r"\n(?=#|[ \t]*\r?(?:\n|\Z))")  # a newline before a '#' line or a blank line
_FIRST_END = re.compile(r"#|[ \t]*\r?(?:\n|\Z)")
_END_BYTES = re.compile(_END.pattern.encode())
_LINE_END_STARTS = np.frombuffer(b"\n\r# \t", dtype=np.uint8)  # bytes after a newline that _END may match
_FIRST_END_BYTES = re.compile(_FIRST_END.pattern.encode())
_TAIL = 64 * 1024


@dataclass
class Scan:
    """What the csv module says about a table's records (the slow, exact way)."""

    record_lines: list[int] = field(default_factory=list)  # 1-based line where each record starts
    end_line: int | None = None  # line of the blank or '#' line that ends the table (None: end of file)
    unclosed: bool = False  # the file ends inside a quoted value


def scan_records(sniffed: Sniffed, data_line: int, cancelled: Callable[[], bool] | None = None) -> Scan:
    """Walk a table's records with the csv module from ``data_line``: record lines, end, unclosed quote.

    Slow (Python per record); used only for files whose quotes confuse the fast way, or to find the lines of
    rows with problems when quoted values span lines."""
    scan = Scan()
    source = TextSource(sniffed, cancelled, text=True)
    try:
        while source.line < data_line:
            if source.readline() is None:
                return scan
        pending: list[str] = []  # the lines of the record being read (csv.reader never reads ahead)

        def lines() -> Iterator[str]:
            while (line := source.readline()) is not None:
                pending.append(line)
                yield line + "\n"

        start, last = data_line, []
        record: list[str]
        try:
            for _fields in csv.reader(lines(), delimiter=sniffed.delimiter):
                record, pending[:] = pending[:], []
                if len(record) == 1 and (not record[0].strip() or record[0].startswith("#")):
                    scan.end_line = start
                    return scan
                scan.record_lines.append(start)
                start, last = start + len(record), record
        except csv.Error:
            return scan
        if last:
            try:
                list(csv.reader([ln + "\n" for ln in last], delimiter=sniffed.delimiter, strict=True))
            except csv.Error as exc:
                scan.unclosed = "end of data" in str(exc)
    finally:
        source.close()
    return scan


class TableText:
    """One table's data rows as a file-like object for ``pandas.read_csv`` (header not included).

    It hands out text up to the line that ends the table: a blank line or a line starting with '#', outside
    quoted values (quotes are counted: an even number before a line means it starts outside quotes).
    """

    def __init__(self, source: TextSource, sniffed: Sniffed, *, header: list[str], header_line: int, data_line: int,
                 preamble: list[str], cancelled: Callable[[], bool] | None = None) -> None:
        self.source = source
        self.sniffed = sniffed
        self.header = header
        self.header_line = header_line
        self.data_line = data_line
        self.preamble = preamble
        self._cancelled = cancelled
        self._out: list[Chunk] = []  # pieces of the source's buffer: bytes when the source is binary, else str
        self._quote: Chunk
        self._empty: Chunk
        if source.binary:
            self._quote, self._empty = b'"', b""
            self._tail_size = 4 * _TAIL + 8  # bytes enough for the last _TAIL characters
        else:
            self._quote, self._empty = '"', ""
            self._tail_size = _TAIL
        self._nl = source.nl
        self._quotes = 0
        self.newlines = 0
        self.done = False
        self.ended_by: str | None = None  # "eof", "blank" or "comment"
        self.end_line: int | None = None  # line that ended it (None: end of file)
        self.unclosed = False
        self.final_newline = True
        self._tail: Chunk = self._empty
        self.records = 0  # set by the reader: rows pandas produced
        self._scan: Scan | None = None
        self._exact_end: int | None = None
        if sniffed.exact:
            self._scan = scan_records(sniffed, data_line, cancelled)
            self._exact_end = self._scan.end_line

    # file-like protocol
    def read(self, size: int = -1) -> str:
        """The next piece of the table's text ('' at its end). Pieces are whole lines, about a block long,
        whatever ``size`` asks (pandas' C parser takes any length)."""
        return self.source.text(self.read_raw(size))

    def read_raw(self, size: int = -1) -> Chunk:
        """``read`` as the source holds it: UTF-8 bytes when the source is binary (b'' at the end), else text."""
        while not self._out and not self.done:
            self._advance()
        if not self._out:
            return self._empty
        out = self._out[0] if len(self._out) == 1 else self._empty.join(self._out)
        self._out = []
        return out

    def for_pandas(self) -> _RawTable:
        """A file-like object for ``pandas.read_csv``: ``read`` gives ``read_raw``'s pieces (bytes are read
        natively by pandas' C parser; pass ``encoding_errors=sniffed.errors``)."""
        return _RawTable(self)

    @property
    def tail(self) -> str:
        """The last characters of the table's text (up to 64 K)."""
        tail = self._tail
        return tail.decode("utf-8", "replace")[-_TAIL:] if isinstance(tail, bytes) else tail

    def _emit(self, text: Chunk, lines: int | None = None, quotes: int | None = None) -> None:
        """Hand out ``text`` (``lines``/``quotes``: its newlines and quotes when already counted)."""
        if not text:
            return
        self._out.append(text)
        self._quotes = (self._quotes + (text.count(self._quote) if quotes is None else quotes)) & 1
        if lines is None:
            lines = text.count(self._nl)
        self.newlines += lines
        self.source.line += lines
        size = self._tail_size
        self._tail = text[-size:] if len(text) >= size else (self._tail + text)[-size:]

    def _finish(self, how: str) -> None:
        self.done = True
        self.ended_by = how
        if how == "eof":
            self.final_newline = self._tail.endswith(self._nl) or not self._tail
            if self._quotes:
                self._check_unclosed()
        else:
            self.end_line = self.data_line + self.newlines

    def _check_unclosed(self) -> None:
        scan = scan_records(self.sniffed, self.data_line, self._cancelled)
        if scan.end_line is not None:
            # quotes inside unquoted values fooled the counting: read again the exact way
            raise Retry(exact=True)
        self._scan = scan
        if scan.unclosed:
            self.unclosed = True
            self._out.append(self._quote)

    def _advance(self) -> None:
        src = self.source
        last_nl = -1 if src.eof else src.buf.rfind(self._nl)
        if not src.eof and last_nl < src.pos:
            src.fill()
            return
        limit = len(src.buf) if src.eof else last_nl + 1
        if limit <= src.pos:
            self._finish("eof")
            return
        segment = src.buf[src.pos:limit]
        lines: int | None
        quotes: int | None
        if src.binary:
            # bytes: newlines and quotes found with numpy, a few times faster than bytes.count and re
            data = np.frombuffer(segment, dtype=np.uint8)
            newline_at = np.flatnonzero(data == 10)
            cut, how = self._find_end_bytes(segment, data, newline_at)
            if cut is None:
                lines, quotes = len(newline_at), int(np.count_nonzero(data == 34))
            else:
                lines, quotes = int(np.searchsorted(newline_at, cut)), int(np.count_nonzero(data[:cut] == 34))
        else:
            cut, how = self._find_end(segment)
            lines = quotes = None  # counted by _emit
        if cut is None:
            src.pos = limit
            self._emit(segment, lines, quotes)
            if src.eof and limit == len(src.buf):
                self._finish("eof")
            return
        src.pos += cut
        self._emit(segment[:cut], lines, quotes)
        self._finish(how)

    def _find_end(self, segment: str) -> tuple[int | None, str]:
        """Where the table ends in a piece of text: (offset of the line that ends it, how), or (None, '')."""
        if self._exact_end is not None:
            remaining = self._exact_end - (self.data_line + self.newlines)
            if remaining <= 0:
                return 0, "comment" if segment.startswith("#") else "blank"
            pos = -1
            for _ in range(remaining):
                pos = segment.find("\n", pos + 1)
                if pos < 0:
                    return None, ""
            return pos + 1, ("comment" if segment.startswith("#", pos + 1) else "blank")
        if self.sniffed.exact:
            return None, ""
        parity = self._quotes
        if not parity and _FIRST_END.match(segment):
            return 0, ("comment" if segment.startswith("#") else "blank")
        last = 0
        n = len(segment)
        for m in _END.finditer(segment):
            p = m.start() + 1
            if p >= n:
                break
            parity = (parity + segment.count('"', last, p)) & 1
            last = p
            if not parity:
                return p, ("comment" if segment.startswith("#", p) else "blank")
        return None, ""

    def _find_end_bytes(self, segment: bytes, data: np.ndarray, newline_at: np.ndarray) -> tuple[int | None, str]:
        """``_find_end`` for bytes: only newlines followed by a newline, '\\r', '#', a space or a tab can end
        the table, so the pattern is tried at those alone."""
        if self._exact_end is not None:
            remaining = self._exact_end - (self.data_line + self.newlines)
            if remaining <= 0:
                return 0, "comment" if segment.startswith(b"#") else "blank"
            if remaining > len(newline_at):
                return None, ""
            pos = int(newline_at[remaining - 1])
            return pos + 1, ("comment" if segment.startswith(b"#", pos + 1) else "blank")
        if self.sniffed.exact:
            return None, ""
        parity = self._quotes
        if not parity and _FIRST_END_BYTES.match(segment):
            return 0, ("comment" if segment.startswith(b"#") else "blank")
        inner = newline_at[newline_at + 1 < len(segment)]  # a newline ending the segment is not a match
        candidates = inner[np.isin(data[inner + 1], _LINE_END_STARTS)]
        last = 0
        for at in candidates.tolist():
            if not _END_BYTES.match(segment, at):
                continue
            p = at + 1
            parity = (parity + segment.count(b'"', last, p)) & 1
            last = p
            if not parity:
                return p, ("comment" if segment.startswith(b"#", p) else "blank")
        return None, ""

    # ---- after reading -------------------------------------------------------------------------------

    def last_record_fields(self) -> list[str] | None:
        """Fields of the last line when it is a record of its own (for the cut-off check)."""
        text = self.tail.rstrip("\r\n")
        if not text:
            return None
        last = text.rsplit("\n", 1)[-1].removesuffix("\r")
        if last.count('"') % 2:
            return None
        try:
            rows = list(csv.reader([last], delimiter=self.sniffed.delimiter))
        except csv.Error:
            return None
        return rows[0] if rows else None

    def lines(self, record_index: Any) -> np.ndarray:
        """1-based file lines of data records (0-based record indices, as pandas numbers rows)."""
        idx = np.asarray(record_index, dtype=np.int64)
        expected = self.newlines + (0 if self.final_newline else 1)
        if self._scan is None and expected == self.records:
            return self.data_line + idx
        if self._scan is None or not self._scan.record_lines:
            self._scan = scan_records(self.sniffed.replace(exact=True), self.data_line, self._cancelled)
        starts = np.asarray(self._scan.record_lines or [self.data_line], dtype=np.int64)
        clipped = np.clip(idx, 0, len(starts) - 1)
        return np.where(idx < len(starts), starts[clipped], self.data_line + idx)


class _RawTable:
    """A table as pandas reads it (see ``TableText.for_pandas``)."""

    def __init__(self, table: TableText) -> None:
        self.read = table.read_raw


class CsvFile:
    """The tables of one file, in order; use as a context manager."""

    def __init__(self, sniffed: Sniffed, cancelled: Callable[[], bool] | None = None) -> None:
        self.sniffed = sniffed
        self.source = TextSource(sniffed, cancelled)
        self._cancelled = cancelled
        self.current: TableText | None = None
        self.notes: list[str] = []  # lines between tables that are not a table

    def __enter__(self) -> CsvFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.source.close()

    @property
    def bytes_read(self) -> int:
        return self.source.bytes_read

    def first_table(self) -> TableText:
        sn = self.sniffed
        preamble: list[str] = []
        while self.source.line < sn.header_line:
            line = self.source.readline()
            if line is None:
                break
            preamble.append(line)
        while self.source.line < sn.data_line:
            if self.source.readline() is None:
                break
        self.current = TableText(self.source, sn, header=list(sn.header), header_line=sn.header_line,
                                 data_line=sn.data_line, preamble=sn.preamble or preamble, cancelled=self._cancelled)
        return self.current

    def next_table(self) -> TableText | None:
        """The table after the current one (GA4's daily 'Date,Sessions'), or None at the end of the file."""
        if self.current is not None and not self.current.done:
            while self.current.read_raw(BLOCK_BYTES):
                pass
        if self.current is not None and self.current.ended_by == "eof":
            return None
        preamble = []
        while True:
            line = self.source.peekline()
            if line is None:
                return None
            fields = next(csv.reader([line], delimiter=self.sniffed.delimiter), [])
            if _is_blank_or_comment(fields) or len(fields) < 2:
                self.source.readline()
                preamble.append(line)  # the line just peeked at
                continue
            header_line = self.source.line
            self.source.readline()
            break
        header = [f.strip() for f in fields]
        self.current = TableText(self.source, self.sniffed, header=header, header_line=header_line,
                                 data_line=header_line + 1, preamble=preamble, cancelled=self._cancelled)
        return self.current

    def tables(self) -> Iterator[TableText]:
        table: TableText | None = self.first_table()
        while table is not None:
            yield table
            table = self.next_table()
