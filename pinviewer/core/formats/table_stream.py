"""A file's tables streamed for pandas, one block at a time.

``CsvFile(sniffed).tables()`` streams the file: each table is a file-like object that pandas reads in
chunks; it stops at the first blank line or ``#`` line outside quotes (the end of GA4's first table) and
the next table, if any, follows (GA4's ``Date,Sessions``). Only a block of about 1 MB is held at a time.
A file cut off inside a quoted value is noticed at the end (``TableText.unclosed``); row numbers point at
lines in the file, also when a quoted value spans lines (``TableText.lines``).
"""
from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pinviewer.core.formats.header_row import is_blank_or_comment
from pinviewer.core.formats.sniff import Retry, Sniffed
from pinviewer.core.formats.text_source import BLOCK_BYTES, Chunk, TextSource

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
            if is_blank_or_comment(fields) or len(fields) < 2:
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
