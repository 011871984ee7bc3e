"""The header row of a table in a file's first lines, its delimiter, and the decimal mark its rows use.

``find_header`` tries each delimiter (``,`` ``;`` tab) on the csv records of the text: the header is the
earliest row most of whose names are known column names (the vocabulary), else the first row of the widest
run of rows with the same number of fields. ``guess_decimal`` reads the decimal mark off the sample rows.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from pinviewer.core.formats import vocabulary

DELIMITERS = (",", ";", "\t")


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


def iter_records(text: str, delimiter: str, limit: int, start: int = 0) -> Iterator[tuple[int, int, list[str]]]:
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


class LazyRecords:
    """``iter_records`` kept as far as they are looked at (iteration and slices)."""

    def __init__(self, text: str, delimiter: str, limit: int) -> None:
        self._source = iter_records(text, delimiter, limit)
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


def is_blank_or_comment(fields: list[str]) -> bool:
    return not fields or (len(fields) == 1 and not fields[0].strip()) or fields[0].lstrip().startswith("#") \
        or all(not f.strip() for f in fields)


def _consistency(records: LazyRecords, start: int, width: int) -> float:
    """Share of the next rows (up to 20, until a blank or '#' line) with as many fields as the header."""
    rows = []
    for _first, _last, fields in records[start + 1:start + 21]:
        if is_blank_or_comment(fields):
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
        records = LazyRecords(text, delimiter, 150)  # read as far as looked at
        shaped = False
        for idx, (first, last, fields) in enumerate(records):
            if best_named is not None and first > best_named[0][0]:
                break  # a named row further down cannot come first; shapes no longer count
            if len(fields) < 2 or is_blank_or_comment(fields):
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

