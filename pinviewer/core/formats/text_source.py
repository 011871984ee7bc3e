"""A file as text, read one block (about 1 MB) at a time, for the streamed tables (``table_stream``)."""
from __future__ import annotations

import codecs
from collections.abc import Callable
from typing import Any

from pinviewer.core.errors import Cancelled, UnreadableFile
from pinviewer.core.formats.sniff import Retry, Sniffed

BLOCK_BYTES = 1 << 20
# A piece of a file's text as a TextSource holds it: bytes when the source is binary (UTF-8), else str. Fixed
# for each source (``TextSource.binary``), which a union type cannot say: the code never mixes the two.
Chunk = Any

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

