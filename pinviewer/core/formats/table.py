"""From a streamed table to typed columns: the one way every reader turns text into figures.

``column_plan.plan_columns`` decides what each column means (through the vocabulary); ``load_table`` reads the
table in chunks with pandas (all cells as text), keeps totals rows and empty rows out, converts numbers chunk by
chunk and collects problems with their file line; then ``batch_frames`` (``rates_as_fractions``, ``dedupe``...)
and ``Problems.finish`` prepare what goes into the batch.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from collections.abc import Callable

import numpy as np
import pandas as pd

from pinviewer.core import metrics
from pinviewer.core.errors import Cancelled, UnreadableFile
from pinviewer.core.formats import number_parsing, plausible, preamble, quoting
from pinviewer.core.formats.column_plan import DATE, NUMBER, Col, column_label, field_label
from pinviewer.core.formats.problems import Problems
from pinviewer.core.formats.sniff import Retry, Sniffed
from pinviewer.core.formats.table_stream import CsvFile, TableText
from pinviewer.core.formats.totals import total_mask

if TYPE_CHECKING:
    from pandas.io.parsers import TextFileReader

CHUNK_ROWS = 50_000

Progress = Callable[[int, int, str], None]


@dataclass
class ReadContext:
    """What a caller passes to a reader, Qt-free: plain callables for progress and cancel."""

    period: tuple[dt.date, dt.date] | None = None
    progress: Progress | None = None
    cancelled: Callable[[], bool] | None = None
    confidence: float = 1.0
    chunk_rows: int = CHUNK_ROWS

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled()

    def report(self, done: int, total: int, message: str) -> None:
        if self.progress is not None:
            self.progress(done, total, message)



class Texts(dict[str, np.ndarray]):
    """``Loaded.text``: {field: text of the kept rows}. A field read lazily is read when first asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.lazy: _Lazy | None = None

    def __missing__(self, key: str) -> np.ndarray:
        if self.lazy is None or key not in self.lazy.fields:
            raise KeyError(key)
        values = self.lazy.read(key)
        self[key] = values
        return values


@dataclass
class _Lazy:
    """Text columns left unread by ``load_table`` (only their first bytes were kept): ``read`` goes through the
    table a second time for one of them, the others as single bytes, and keeps the rows the first time kept."""

    loaded: Loaded
    sniffed: Sniffed
    ctx: ReadContext
    fields: dict[str, int]  # field: column index
    first_bytes: dict[str, np.ndarray] = field(default_factory=dict)  # field: uint8 of the kept rows (0: empty)

    def read(self, key: str) -> np.ndarray:
        sn, index, n = self.sniffed, self.fields[key], len(self.loaded.table.header)
        parts = []
        with CsvFile(sn, self.ctx.cancelled) as cf:
            table = cf.first_table()
            reader = _reader(table, sn, n, self.ctx, {j: object if j == index else "S1" for j in range(n + 1)})
            try:
                for chunk in reader:
                    self.ctx.check()
                    parts.append(chunk[index].to_numpy(dtype=object))
            finally:
                reader.close()
        values = np.concatenate(parts) if parts else np.zeros(0, dtype=object)
        kept: np.ndarray = values[self.loaded.records]
        return kept

    def empty(self, key: str, i: int) -> bool:
        """Whether row ``i``'s value is empty once stripped (its first byte says so, else its text)."""
        byte = int(self.first_bytes[key][i])
        if byte == 0:
            return True
        if byte < 0x80 and byte not in _ASCII_SPACES:
            return False
        return not str(self.loaded.text[key][i]).strip()


_ASCII_SPACES = frozenset(b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")  # what str.strip() removes in ASCII


def _reader(table: TableText, sn: Sniffed, n: int, ctx: ReadContext, dtype: Any) -> TextFileReader:
    """pandas' chunked reader for a table's rows: every cell as text (``dtype``), nothing taken as missing."""
    # pandas reads any object with read(); its stubs ask for a whole file object (the ignore below)
    reader: TextFileReader = pd.read_csv(table.for_pandas(), sep=sn.delimiter,  # type: ignore[call-overload]
                       header=None, names=list(range(n + 1)), dtype=dtype,
                       keep_default_na=False, na_filter=False, skip_blank_lines=False, index_col=False,
                       engine="c", quotechar='"', doublequote=True, chunksize=ctx.chunk_rows,
                       encoding_errors=sn.errors, low_memory=False)  # a chunk at once: chunks bound memory
    return reader


@dataclass
class Loaded:
    """One table after reading: kept rows only (no totals, no empty rows)."""

    table: TableText
    cols: dict[str, Col]
    unused: list[int]
    numbers: dict[str, np.ndarray] = field(default_factory=dict)
    percent: dict[str, np.ndarray] = field(default_factory=dict)
    text: Texts = field(default_factory=Texts)
    records: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    totals: list[dict[str, str]] = field(default_factory=list)
    unused_with_data: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)  # lines of text after the rows (kept in meta)

    @property
    def rows(self) -> int:
        return len(self.records)

    def unrecognised(self) -> list[str]:
        """Names of columns not used: every named column, and unnamed ones that hold something."""
        header = self.table.header
        return [quoting.quote_cell(column_label(header, i)) for i in self.unused
                if header[i].strip() or i in self.unused_with_data]

def load_table(csv_file: CsvFile, table: TableText, cols: dict[str, Col], unused: list[int], ctx: ReadContext,
               problems: Problems, *, blank_first_is_total: bool = False, what: str = "rows",
               lazy: tuple[str, ...] = ()) -> Loaded:
    """Read one table in chunks: numbers converted, other fields kept as text, totals rows set aside.

    ``lazy``: text fields the reader may well not need (the Pin URL beside the Pin ID): pandas only copies
    their first byte, which says whether a value is empty, and ``loaded.text[field]`` reads them when asked
    for. A totals row, or an empty-looking row that only their text could tell, starts the read again
    without (``Retry(lazy=False)``). Only for the first table of a file."""
    read = _TableRead(csv_file.sniffed, table, cols, unused, ctx, problems, lazy)
    try:
        for chunk in read.reader:
            ctx.check()
            if not len(chunk):
                continue
            read.add_chunk(chunk, blank_first_is_total=blank_first_is_total)
            ctx.report(csv_file.bytes_read, read.sn.size, f"Reading {read.name}: {read.records_seen:,} {what}")
    except pd.errors.ParserError as exc:
        raise UnreadableFile(_parser_message(str(exc), table, read.n)) from None
    finally:
        close = getattr(read.reader, "close", None)
        if close:
            close()
    return read.finish()


class _TableRead:
    """One ``load_table`` under way: each chunk's rows sorted out (empty, totals, kept), its columns converted and
    checked, and their parts collected; ``finish`` joins them into the ``Loaded`` table."""

    def __init__(self, sn: Sniffed, table: TableText, cols: dict[str, Col], unused: list[int], ctx: ReadContext,
                 problems: Problems, lazy: tuple[str, ...]) -> None:
        self.sn, self.table, self.cols, self.unused, self.problems = sn, table, cols, unused, problems
        self.n = n = len(table.header)
        self.loaded = Loaded(table, cols, unused)
        self.lazy_at = {f: cols[f].index for f in lazy if sn.lazy and f in cols and cols[f].kind != NUMBER
                        and cols[f].index != 0 and table.header_line == sn.header_line}
        self.lazy_index = {j: f for f, j in self.lazy_at.items()}
        if self.lazy_at:
            self.loaded.text.lazy = _Lazy(self.loaded, sn, ctx, self.lazy_at)
        self.lazy_parts: dict[str, list[np.ndarray]] = {f: [] for f in self.lazy_at}
        self.number_parts: dict[str, list[np.ndarray]] = {f: [] for f, c in cols.items() if c.kind == NUMBER}
        self.percent_parts: dict[str, list[np.ndarray]] = {f: [] for f, c in cols.items() if c.kind == NUMBER}
        self.text_parts: dict[str, list[np.ndarray]] = {f: [] for f, c in cols.items()
                                                         if c.kind != NUMBER and f not in self.lazy_at}
        self.record_parts: list[np.ndarray] = []
        self.records_seen = 0
        self.reader = _reader(table, sn, n, ctx, {j: "S1" if j in self.lazy_index else object for j in range(n + 1)}
                              if self.lazy_index else object)
        self.name = sn.path.name
        self.days = _table_days(table, sn, cols, ctx)
        self.twins = _Twins()

    def add_chunk(self, chunk: pd.DataFrame, *, blank_first_is_total: bool) -> None:
        self.records_seen += len(chunk)
        rec = chunk.index.to_numpy(dtype=np.int64)
        first = chunk[0].to_numpy(dtype=object)
        drop = self._empty_rows(chunk, first)
        drop |= self._totals_rows(chunk, rec, first, drop, blank_first_is_total=blank_first_is_total)
        self._extra_values(chunk, rec, drop)
        keep = None if not drop.any() else ~drop  # None: every row is kept (no copies needed)
        rec_kept = rec if keep is None else rec[keep]
        self.record_parts.append(rec_kept)

        def column(j: int, chunk: pd.DataFrame = chunk, keep: np.ndarray | None = keep) -> np.ndarray:
            values = chunk[j].to_numpy(dtype=object)
            return values if keep is None else values[keep]

        for j in self.unused:
            if j not in self.loaded.unused_with_data and (column(j) != "").any():
                self.loaded.unused_with_data.add(j)
        raws = self._text_columns(chunk, keep, column, rec_kept)
        self._number_columns(raws, column, rec_kept)

    def _empty_rows(self, chunk: pd.DataFrame, first: np.ndarray) -> np.ndarray:
        """Rows with nothing in them (",,,,"): they are not data."""
        drop = np.zeros(len(chunk), dtype=bool)
        maybe_empty = first == ""
        if maybe_empty.any():
            sub = chunk.loc[maybe_empty]
            empty = np.ones(len(sub), dtype=bool)
            for j in range(self.n + 1):
                if j in self.lazy_index:
                    continue
                empty &= (sub[j].str.strip() == "").to_numpy()
            for j in self.lazy_index:  # only the first byte was read: it must say whether the value is empty
                byte = sub[j].to_numpy().view(np.uint8)[empty]
                if any(b >= 0x80 or b in _ASCII_SPACES for b in byte.tolist()):
                    raise Retry(lazy=False)
                empty[np.flatnonzero(empty)[byte != 0]] = False
            drop[np.flatnonzero(maybe_empty)[empty]] = True
        return drop

    def _totals_rows(self, chunk: pd.DataFrame, rec: np.ndarray, first: np.ndarray, drop: np.ndarray, *,
                     blank_first_is_total: bool) -> np.ndarray:
        """Totals rows (kept in ``loaded.totals``, as text, for the batch's meta)."""
        totals: np.ndarray = total_mask(first) & ~drop
        if blank_first_is_total and rec[0] == 0 and first[0].strip() == "" and not drop[0]:
            totals[0] = True
        if totals.any():
            if self.lazy_index:  # their text is kept in meta
                raise Retry(lazy=False)
            header = self.table.header
            for i in np.flatnonzero(totals):
                self.loaded.totals.append({column_label(header, j): str(chunk.iat[int(i), j]) for j in range(self.n)})
        return totals

    def _extra_values(self, chunk: pd.DataFrame, rec: np.ndarray, drop: np.ndarray) -> None:
        """More values than columns: a problem for each such row."""
        n = self.n
        spare = chunk[n].to_numpy(dtype=object)
        extra = (spare != "") & ~drop
        if extra.any():
            self.problems.rows(self.table, rec, extra, lambda i: (
                f"This row has more values than the header has columns ({n}). A number with a comma in it "
                "may be missing its quotes."))

    def _text_columns(self, chunk: pd.DataFrame, keep: np.ndarray | None, column: Callable[[int], np.ndarray],
                      rec_kept: np.ndarray) -> dict[str, np.ndarray]:
        """The kept rows of the text columns (and the first bytes of lazy ones) collected; returns the number
        columns' raw text, in the columns' order."""
        raws = {}
        for f, col in self.cols.items():
            if f in self.lazy_at:
                values = chunk[col.index].to_numpy().view(np.uint8)
                self.lazy_parts[f].append(values if keep is None else values[keep])
                continue
            raw = column(col.index)
            if col.kind != NUMBER:
                self.text_parts[f].append(raw)
                for twin in col.twins:
                    self.twins.compare(col, twin, raw, column(twin.index), rec_kept)
                continue
            raws[f] = raw
        return raws

    def _number_columns(self, raws: dict[str, np.ndarray], column: Callable[[int], np.ndarray],
                        rec_kept: np.ndarray) -> None:
        """The number columns converted together (their plain numbers are read by numpy at once) and checked."""
        cols = self.cols
        numbers = number_parsing.parse_number_columns(
            list(raws.values()), self.sn.decimal,
            [cols[f].unit in (metrics.SECONDS, metrics.MILLISECONDS) for f in raws])
        for (f, raw), parsed in zip(raws.items(), numbers):
            col = cols[f]
            self.number_parts[f].append(parsed.values)
            self.percent_parts[f].append(parsed.percent)
            self._number_problems(col, raw, parsed, rec_kept)
            for twin in col.twins:
                self.twins.compare(col, twin, raw, column(twin.index), rec_kept, parsed, self.sn.decimal)

    def _number_problems(self, col: Col, raw: np.ndarray, parsed: number_parsing.Numbers,
                         rec_kept: np.ndarray) -> None:
        """Text that is not a number, negative counts, figures no one day can hold."""
        table, problems, label = self.table, self.problems, col.header
        if parsed.bad.any():
            def not_a_number(i: int, raw: np.ndarray = raw, label: str = label) -> str:
                return f"'{quoting.quote_cell(raw[i])}' in {label} is not a number."
            problems.rows(table, rec_kept, parsed.bad, not_a_number, column=label)
        negative = None
        if col.unit == metrics.COUNT:
            negative = number_parsing.negative_mask(parsed.values)
            if negative.any():
                def below_zero(i: int, raw: np.ndarray = raw, label: str = label) -> str:
                    return (f"'{quoting.quote_cell(raw[i])}' in {label} is negative; a count cannot be below "
                            "zero.")
                problems.rows(table, rec_kept, negative, below_zero, column=label)
        if col.unit is not None and col.unit != metrics.RATE:  # rates are checked as fractions
            absurd, why = plausible.implausible(col.unit, parsed.values, self.days)
            if negative is not None:
                absurd &= ~negative
            if absurd.any():
                def cannot_be(i: int, raw: np.ndarray = raw, label: str = label, why: str = why) -> str:
                    return f"'{quoting.quote_cell(raw[i])}' in {label} {why}"
                problems.rows(table, rec_kept, absurd, cannot_be, column=label)

    def finish(self) -> Loaded:
        """The parts joined into the loaded table; a row cut off, twins that differ and notes under the rows."""
        table, loaded = self.table, self.loaded
        table.records = self.records_seen
        loaded.records = np.concatenate(self.record_parts) if self.record_parts else np.zeros(0, dtype=np.int64)
        for f, parts in self.number_parts.items():
            loaded.numbers[f] = np.concatenate(parts) if parts else np.zeros(0)
            percent = self.percent_parts[f]
            loaded.percent[f] = np.concatenate(percent) if percent else np.zeros(0, dtype=bool)
        for f, parts in self.text_parts.items():
            loaded.text[f] = np.concatenate(parts) if parts else np.zeros(0, dtype=object)
        for f, parts in self.lazy_parts.items():
            assert loaded.text.lazy is not None  # set when columns were left unread
            loaded.text.lazy.first_bytes[f] = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint8)
        _check_cut_off(table, self.problems, self.n)
        self.twins.finish(table, self.problems)
        _trailing_notes(loaded)
        return loaded


def _table_days(table: TableText, sn: Sniffed, cols: dict[str, Col], ctx: ReadContext) -> int:
    """How many days one row's figures may cover (their ceilings scale with it): 1 in a table of days, else
    the period the lines above the table (or the caller) give, else the longest period there can be."""
    if any(c.kind == DATE and f == "date" for f, c in cols.items()):
        return 1
    period = preamble.find_period(table.preamble or sn.preamble) or ctx.period
    if period is not None:
        return max(1, (period[1] - period[0]).days + 1)
    return (plausible.last_day() - plausible.FIRST_DAY).days + 1


class _Twins:
    """Columns that mean the same field (``Col.twins``): where their values differ, chunk by chunk, and one
    sentence per pair at the end (a fatal problem when they differ anywhere, else a note)."""

    def __init__(self) -> None:
        self.pairs: dict[tuple[int, int], list[Any]] = {}  # (winner, twin) index: [winner, twin, differing, first]

    def compare(self, col: Col, twin: Col, raw: np.ndarray, other: np.ndarray, records: np.ndarray,
                parsed: number_parsing.Numbers | None = None, decimal: str = ".") -> None:
        entry = self.pairs.setdefault((col.index, twin.index), [col, twin, 0, None])
        if parsed is not None:
            theirs = number_parsing.parse_numbers(other, decimal).values
            same = np.isclose(parsed.values, theirs, rtol=1e-9, atol=0.0, equal_nan=True)
        else:
            same = np.fromiter((str(a).strip() == str(b).strip() for a, b in zip(raw, other)), dtype=bool,
                               count=len(raw))
        differ = np.flatnonzero(~same)
        if len(differ):
            if entry[3] is None:
                i = int(differ[0])
                entry[3] = (int(records[i]), quoting.quote_cell(raw[i]), quoting.quote_cell(other[i]))
            entry[2] += len(differ)

    def finish(self, table: TableText, problems: Problems) -> None:
        for col, twin, differing, first in self.pairs.values():
            a, b = quoting.printable(col.header), quoting.printable(twin.header)
            both = (f"The columns “{a}” (column {col.index + 1}) and “{b}” (column {twin.index + 1}) both mean "
                    f"{field_label(col.field)}")
            if not differing:
                problems.warn(f"{both} and hold the same values; I used column {col.index + 1}.")
                continue
            record, mine, theirs = first
            rows = "this row" if differing == 1 else f"{differing:,} rows, the first this one"
            problems.row(table, record, f"{both}, but their values differ on {rows} ('{mine}' and '{theirs}'). "
                         "I can't tell which one is right: remove the wrong column and import the file again.",
                         column=a)


def _trailing_notes(loaded: Loaded) -> None:
    """Lines of text at the end of a table ('Data is estimated for the last 2 days') are notes, not rows:
    a row whose only content is a first cell with letters in it, among the last three rows."""
    first = next((f for f, c in loaded.cols.items() if c.index == 0 and c.kind != NUMBER), None)
    if first is None or not loaded.rows:
        return
    lazy = loaded.text.lazy
    unread = [f for f in (lazy.fields if lazy else ()) if f not in loaded.text and f != first]
    cut = loaded.rows
    while cut > 0 and loaded.rows - cut < 3:
        i = cut - 1
        text = str(loaded.text[first][i]).strip()
        others_empty = all(not str(v[i]).strip() for f, v in loaded.text.items() if f != first) and \
            all(np.isnan(v[i]) for v in loaded.numbers.values()) and \
            (lazy is None or all(lazy.empty(f, i) for f in unread))
        if not (others_empty and re.search(r"[^\W\d_]{2}", text) and " " in text):
            break
        cut -= 1
    if cut == loaded.rows:
        return
    loaded.notes = [str(loaded.text[first][i]).strip() for i in range(cut, loaded.rows)]
    loaded.records = loaded.records[:cut]
    for f in loaded.numbers:
        loaded.numbers[f] = loaded.numbers[f][:cut]
        loaded.percent[f] = loaded.percent[f][:cut]
    for f in list(loaded.text):
        loaded.text[f] = loaded.text[f][:cut]
    if lazy:
        for f in lazy.first_bytes:
            lazy.first_bytes[f] = lazy.first_bytes[f][:cut]


def _parser_message(message: str, table: TableText, n: int) -> str:
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if m:
        line = table.data_line + int(m.group(2)) - 1
        return (f"Line {line} has {m.group(3)} values but the header (line {table.header_line}) has {n} columns, so "
                "I can't tell which value belongs where. A number with a comma in it may be missing its quotes, or "
                "the file was changed by hand.")
    return f"This file is not a table I can read ({message.strip()})."


def _check_cut_off(table: TableText, problems: Problems, n: int) -> None:
    """A file that ends inside a quoted value, or whose last line has too few values and no line end."""
    if table.records == 0:
        return
    last = table.records - 1
    if table.unclosed:
        problems.row(table, last, "This row is cut off inside a quoted value: the file ends before the row does. "
                     "The download was probably interrupted; export the file again.")
        return
    if not table.final_newline:
        fields = table.last_record_fields()
        if fields is not None and 1 <= len(fields) < n and any(f.strip() for f in fields):
            problems.row(table, last, f"This row is cut off: it has {len(fields)} of the {n} values and the file "
                         "ends in the middle of it. The download was probably interrupted; export the file again.")

