"""From a streamed table to typed columns, and from typed columns to the frames of an ImportBatch.

The one way every reader turns text into figures: ``plan_columns`` decides what each column means (through
the vocabulary), ``load_table`` reads the table in chunks with pandas (all cells as text), keeps totals rows
and empty rows out, converts numbers chunk by chunk and collects problems with their file line; then
``rates_as_fractions``, ``dedupe`` and ``Problems.finish`` prepare what goes into the batch.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from collections.abc import Callable

import numpy as np
import pandas as pd

from pinviewer.core import metrics
from pinviewer.core.errors import Cancelled, UnreadableFile
from pinviewer.core.formats import date_parsing, number_parsing, plausible, preamble, quoting, vocabulary
from pinviewer.core.formats.model import Problem
from pinviewer.core.formats.sniff import Retry, Sniffed
from pinviewer.core.formats.table_stream import CsvFile, TableText
from pinviewer.core.formats.totals import total_mask

if TYPE_CHECKING:
    from pandas.io.parsers import TextFileReader

NUMBER, DATE, TEXT = "number", "date", "text"
CHUNK_ROWS = 50_000
MAX_ROW_PROBLEMS = 20

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


@dataclass
class Col:
    index: int  # position in the header
    header: str  # the name as the file writes it
    field: str  # canonical metric name, or a descriptive field (date, pin_id, title, source_medium...)
    kind: str  # NUMBER, DATE or TEXT
    percent_header: bool = False
    note: str | None = None  # trailing parenthesis of the header: "purchase", "seconds"...
    twins: list[Col] = dataclasses.field(default_factory=list)  # other columns meaning the same: must agree

    @property
    def unit(self) -> str | None:
        m = metrics.BY_NAME.get(self.field)
        return m.unit if m else None


def column_label(header: list[str], index: int) -> str:
    name = header[index].strip() if index < len(header) else ""
    return name or f"(column {index + 1})"


def plan_columns(header: list[str], family: str | None, *, date_fields: tuple[str, ...] = ("date", "created")
                 ) -> tuple[dict[str, Col], list[int], list[str]]:
    """What each column means: ({field: Col}, unused column indices, warnings about columns meaning the same).

    When two columns mean the same field, the one whose name matched without its parenthesis wins, then the
    first; the others are its ``twins``: ``load_table`` reads them too and refuses the file unless their values
    agree with the winner's (a second "Outbound clicks" holding rates must not pass for clicks).
    """
    found: dict[str, tuple[Col, bool]] = {}
    unused: list[int] = []
    notes: list[str] = []
    for i, name in enumerate(header):
        match = vocabulary.lookup(name, family) if name.strip() else None
        if match is None:
            unused.append(i)
            continue
        kind = DATE if match.field in date_fields else (NUMBER if match.field in metrics.BY_NAME else TEXT)
        col = Col(i, name, match.field, kind, match.percent, match.note)
        if match.field in found:
            other, other_exact = found[match.field]
            if match.exact and not other_exact:
                col.twins, other.twins = [*other.twins, other], []
                found[match.field] = (col, True)
            else:
                other.twins.append(col)
            continue
        found[match.field] = (col, match.exact)
    return {f: c for f, (c, _e) in found.items()}, sorted(unused), notes


def plan_table(header: list[str], family: str | None, problems: Problems) -> tuple[dict[str, Col], list[int]]:
    """plan_columns for a table being read: its warnings go straight to the file's problems."""
    cols, unused, notes = plan_columns(header, family)
    for note in notes:
        problems.warn(note)
    return cols, unused


def _field_label(name: str) -> str:
    m = metrics.BY_NAME.get(name)
    return m.label if m else name.replace("_", " ")


class Problems:
    """Collects problems; row problems keep their table and record so lines are looked up once, at the end."""

    def __init__(self, limit: int = MAX_ROW_PROBLEMS) -> None:
        self.limit = limit
        self.general: list[Problem] = []
        self._rows: list[tuple[TableText | None, int, str, str | None, bool]] = []
        self.more_fatal = 0

    def add(self, message: str, *, fatal: bool = True, column: str | None = None, row: int | None = None) -> None:
        self.general.append(Problem(quoting.tidy_message(message), row=row, column=column, fatal=fatal))

    def warn(self, message: str, column: str | None = None) -> None:
        self.add(message, fatal=False, column=column)

    @property
    def room(self) -> int:
        return max(0, self.limit - len(self._rows))

    def rows(self, table: TableText, records: np.ndarray, mask: np.ndarray, message: Callable[[int], str],
             column: str | None = None, fatal: bool = True) -> None:
        """Add a problem for each row where ``mask`` is true (the first ones; the rest are counted)."""
        where = np.flatnonzero(mask)
        if not len(where):
            return
        take = where[: self.room]
        for i in take:
            self._rows.append((table, int(records[i]), quoting.tidy_message(message(int(i))), column, fatal))
        if fatal:
            self.more_fatal += len(where) - len(take)

    def row(self, table: TableText, record: int, message: str, column: str | None = None, fatal: bool = True) -> None:
        if self.room:
            self._rows.append((table, record, quoting.tidy_message(message), column, fatal))
        elif fatal:
            self.more_fatal += 1

    @property
    def has_fatal(self) -> bool:
        return any(p.fatal for p in self.general) or any(r[4] for r in self._rows) or self.more_fatal > 0

    def finish(self) -> list[Problem]:
        out: list[Problem] = []
        by_table: dict[int, list[int]] = {}
        for k, (table, _record, _m, _c, _f) in enumerate(self._rows):
            if table is not None:
                by_table.setdefault(id(table), []).append(k)
        lines: dict[int, int] = {}
        for ids in by_table.values():
            table = self._rows[ids[0]][0]
            assert table is not None  # grouped above: rows with a table only
            found = table.lines([self._rows[k][1] for k in ids])
            lines.update({k: int(v) for k, v in zip(ids, found)})
        rows = [Problem(m, row=lines.get(k), column=c, fatal=f) for k, (_t, _r, m, c, f) in enumerate(self._rows)]
        rows.sort(key=lambda p: (p.row or 0))
        out.extend(p for p in self.general if p.fatal)
        out.extend(rows)
        if self.more_fatal:
            more = "1 more row with a problem like these" if self.more_fatal == 1 else \
                f"{self.more_fatal:,} more rows with problems like these"
            out.append(Problem(f"…and {more}.", fatal=True))
        out.extend(p for p in self.general if not p.fatal)
        return out


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
    sn: Sniffed = csv_file.sniffed
    n = len(table.header)
    loaded = Loaded(table, cols, unused)
    lazy_at = {f: cols[f].index for f in lazy if sn.lazy and f in cols and cols[f].kind != NUMBER
               and cols[f].index != 0 and table.header_line == sn.header_line}
    lazy_index = {j: f for f, j in lazy_at.items()}
    if lazy_at:
        loaded.text.lazy = _Lazy(loaded, sn, ctx, lazy_at)
    lazy_parts: dict[str, list[np.ndarray]] = {f: [] for f in lazy_at}
    number_parts: dict[str, list[np.ndarray]] = {f: [] for f, c in cols.items() if c.kind == NUMBER}
    percent_parts: dict[str, list[np.ndarray]] = {f: [] for f, c in cols.items() if c.kind == NUMBER}
    text_parts: dict[str, list[np.ndarray]] = {f: [] for f, c in cols.items() if c.kind != NUMBER and f not in lazy_at}
    record_parts: list[np.ndarray] = []
    records_seen = 0
    reader = _reader(table, sn, n, ctx, {j: "S1" if j in lazy_index else object for j in range(n + 1)}
                     if lazy_index else object)
    name = sn.path.name
    days = _table_days(table, sn, cols, ctx)
    twins = _Twins()
    try:
        for chunk in reader:
            ctx.check()
            if not len(chunk):
                continue
            records_seen += len(chunk)
            rec = chunk.index.to_numpy(dtype=np.int64)
            first = chunk[0].to_numpy(dtype=object)
            drop = np.zeros(len(chunk), dtype=bool)
            # rows with nothing in them (",,,,") are not data
            maybe_empty = first == ""
            if maybe_empty.any():
                sub = chunk.loc[maybe_empty]
                empty = np.ones(len(sub), dtype=bool)
                for j in range(n + 1):
                    if j in lazy_index:
                        continue
                    empty &= (sub[j].str.strip() == "").to_numpy()
                for j in lazy_index:  # only the first byte was read: it must say whether the value is empty
                    byte = sub[j].to_numpy().view(np.uint8)[empty]
                    if any(b >= 0x80 or b in _ASCII_SPACES for b in byte.tolist()):
                        raise Retry(lazy=False)
                    empty[np.flatnonzero(empty)[byte != 0]] = False
                drop[np.flatnonzero(maybe_empty)[empty]] = True
            # totals rows
            totals = total_mask(first) & ~drop
            if blank_first_is_total and rec[0] == 0 and first[0].strip() == "" and not drop[0]:
                totals[0] = True
            if totals.any():
                if lazy_index:  # their text is kept in meta
                    raise Retry(lazy=False)
                for i in np.flatnonzero(totals):
                    loaded.totals.append({column_label(table.header, j): str(chunk.iat[int(i), j]) for j in range(n)})
                drop |= totals
            # more values than columns
            spare = chunk[n].to_numpy(dtype=object)
            extra = (spare != "") & ~drop
            if extra.any():
                problems.rows(table, rec, extra, lambda i: (
                    f"This row has more values than the header has columns ({n}). A number with a comma in it "
                    "may be missing its quotes."))
            keep = None if not drop.any() else ~drop  # None: every row is kept (no copies needed)
            rec_kept = rec if keep is None else rec[keep]
            record_parts.append(rec_kept)

            def column(j: int, chunk: pd.DataFrame = chunk, keep: np.ndarray | None = keep) -> np.ndarray:
                values = chunk[j].to_numpy(dtype=object)
                return values if keep is None else values[keep]

            for j in unused:
                if j not in loaded.unused_with_data and (column(j) != "").any():
                    loaded.unused_with_data.add(j)
            raws = {}
            for f, col in cols.items():
                if f in lazy_at:
                    values = chunk[col.index].to_numpy().view(np.uint8)
                    lazy_parts[f].append(values if keep is None else values[keep])
                    continue
                raw = column(col.index)
                if col.kind != NUMBER:
                    text_parts[f].append(raw)
                    for twin in col.twins:
                        twins.compare(col, twin, raw, column(twin.index), rec_kept)
                    continue
                raws[f] = raw
            # the number columns together (their plain numbers are read by numpy at once)
            numbers = number_parsing.parse_number_columns(
                list(raws.values()), sn.decimal,
                [cols[f].unit in (metrics.SECONDS, metrics.MILLISECONDS) for f in raws])
            for (f, raw), parsed in zip(raws.items(), numbers):
                col = cols[f]
                number_parts[f].append(parsed.values)
                percent_parts[f].append(parsed.percent)
                label = col.header
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
                    absurd, why = plausible.implausible(col.unit, parsed.values, days)
                    if negative is not None:
                        absurd &= ~negative
                    if absurd.any():
                        def cannot_be(i: int, raw: np.ndarray = raw, label: str = label, why: str = why) -> str:
                            return f"'{quoting.quote_cell(raw[i])}' in {label} {why}"
                        problems.rows(table, rec_kept, absurd, cannot_be, column=label)
                for twin in col.twins:
                    twins.compare(col, twin, raw, column(twin.index), rec_kept, parsed, sn.decimal)
            ctx.report(csv_file.bytes_read, sn.size, f"Reading {name}: {records_seen:,} {what}")
    except pd.errors.ParserError as exc:
        raise UnreadableFile(_parser_message(str(exc), table, n)) from None
    finally:
        close = getattr(reader, "close", None)
        if close:
            close()
    table.records = records_seen
    loaded.records = np.concatenate(record_parts) if record_parts else np.zeros(0, dtype=np.int64)
    for f in number_parts:
        loaded.numbers[f] = np.concatenate(number_parts[f]) if number_parts[f] else np.zeros(0)
        loaded.percent[f] = np.concatenate(percent_parts[f]) if percent_parts[f] else np.zeros(0, dtype=bool)
    for f in text_parts:
        loaded.text[f] = np.concatenate(text_parts[f]) if text_parts[f] else np.zeros(0, dtype=object)
    for f, parts in lazy_parts.items():
        assert loaded.text.lazy is not None  # set when columns were left unread
        loaded.text.lazy.first_bytes[f] = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint8)
    _check_cut_off(table, problems, n)
    twins.finish(table, problems)
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
                    f"{_field_label(col.field)}")
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


# ---- typed columns to frames ------------------------------------------------------------------------------

def rates_as_fractions(loaded: Loaded, problems: Problems, meta: dict[str, Any]) -> None:
    """Rate columns as fractions (number_parsing.percent_scale), using numerator and denominator when the file has them.
    Milliseconds columns whose header says seconds are converted."""
    scales = {}
    for f, col in loaded.cols.items():
        if col.kind != NUMBER:
            continue
        m = metrics.BY_NAME.get(f)
        if m is None:
            continue
        if m.unit == metrics.RATE:
            ratio = None
            if m.numerator in loaded.numbers and m.denominator in loaded.numbers:
                with np.errstate(divide="ignore", invalid="ignore"):
                    ratio = loaded.numbers[m.numerator] / loaded.numbers[m.denominator]
            values, in_percent = number_parsing.percent_scale(loaded.numbers[f], loaded.percent[f],
                                                      header_percent=col.percent_header, ratio=ratio)
            loaded.numbers[f] = values
            absurd, why = plausible.implausible(metrics.RATE, values)
            if absurd.any() and ratio is not None:
                # more engagements than impressions (a Pin seen once, then saved and clicked) is 200 %: a rate
                # above 100 % stands when the row's own figures give it
                with np.errstate(invalid="ignore"):
                    close = np.abs(values - ratio) <= np.maximum(0.01, ratio * 0.05)
                    agrees = (values > 1) & np.isfinite(ratio) & close
                absurd &= ~agrees
            if absurd.any():
                label = quoting.printable(col.header)
                def cannot_be(i: int, values: np.ndarray = values, label: str = label, why: str = why) -> str:
                    return f"{values[i] * 100:.6g}% in {label} {why}"
                problems.rows(loaded.table, loaded.records, absurd, cannot_be, column=col.header)
            if loaded.percent[f].any():
                scales[col.header] = "percent (with % sign)"
            elif np.isfinite(values).any():
                scales[col.header] = "percent" if in_percent else "fraction"
        elif m.unit == metrics.MILLISECONDS and col.note and col.note.strip().lower() in ("s", "sec", "seconds",
                                                                                           "secs", "sekunden"):
            loaded.numbers[f] = loaded.numbers[f] * 1000.0
    if scales:
        meta.setdefault("rate_columns", {}).update(scales)


def metric_frame(loaded: Loaded, keep: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Canonical metric columns in header order (as float64)."""
    out = {}
    for f, col in sorted(loaded.cols.items(), key=lambda kv: kv[1].index):
        if col.kind == NUMBER and f in metrics.BY_NAME:
            values = loaded.numbers[f]
            out[f] = values if keep is None else values[keep]
    return out


def dedupe(frame: pd.DataFrame, keys: list[str], records: np.ndarray, table: TableText, problems: Problems,
           describe: Callable[[tuple[Any, ...]], str]) -> tuple[pd.DataFrame, np.ndarray]:
    """Rows with the same keys: identical ones are merged silently, different ones are a fatal problem.

    Pass only the key columns that vary (a column that is the same on every row adds nothing but time)."""
    if not len(frame):
        return frame, records
    dup = (frame[keys[0]].duplicated(keep=False) if len(keys) == 1 else frame.duplicated(keys, keep=False)).to_numpy()
    if not dup.any():
        return frame, records
    identical = frame.duplicated(keep="first").to_numpy()
    frame2 = frame.loc[~identical]
    rec2 = records[~identical]
    clash = frame2.duplicated(keys, keep=False).to_numpy()
    if clash.any():
        sub = frame2.loc[clash, keys]
        groups = sub.groupby(keys, sort=False, dropna=False).indices
        for key, positions in list(groups.items())[: max(1, problems.room)]:
            key = key if isinstance(key, tuple) else (key,)
            recs = rec2[np.flatnonzero(clash)[positions]]
            lines = table.lines(recs)
            where = ", ".join(str(int(x)) for x in lines[:5])
            problems.add(f"{describe(key)} appears more than once with different figures (rows {where}). "
                         "I can't tell which one is right.", row=int(lines[0]))
        first = ~frame2.duplicated(keys, keep="first").to_numpy()
        frame2, rec2 = frame2.loc[first], rec2[first]
    return frame2.reset_index(drop=True), rec2


def date_problems(loaded: Loaded, dates: date_parsing.Dates, col: Col, problems: Problems, *,
                  required: bool) -> np.ndarray:
    """Problems for dates that cannot be read (and missing ones when ``required``); returns the rows to keep."""
    raw = loaded.text[col.field]
    if dates.bad.any():
        problems.rows(loaded.table, loaded.records, dates.bad,
                      lambda i: f"'{quoting.quote_cell(raw[i])}' is not a date I can read.", column=col.header)
    bad = dates.bad.copy()
    outside = _days_out_of_range(dates.values, ~(dates.bad | dates.blank))
    if outside.any():
        problems.rows(loaded.table, loaded.records, outside,
                      lambda i: f"The date '{quoting.quote_cell(raw[i])}' in {quoting.printable(col.header)} "
                                f"{plausible.day_out_of_range(dates.values[i])}", column=col.header)
        bad |= outside
    if required and dates.blank.any():
        problems.rows(loaded.table, loaded.records, dates.blank,
                      lambda i: f"This row has no date in {col.header}.", column=col.header)
        bad |= dates.blank
    return ~bad


def _days_out_of_range(days: np.ndarray, where: np.ndarray) -> np.ndarray:
    """True where a day is before 2010 or after tomorrow (``plausible.day_out_of_range``); distinct days once."""
    out = np.zeros(len(days), dtype=bool)
    if not where.any():
        return out
    first, last = plausible.FIRST_DAY, plausible.last_day()
    present = days[where]
    try:
        lo, hi = min(present), max(present)
    except TypeError:  # not all dates: leave them to the reader
        return out
    if lo >= first and hi <= last:  # the usual case: one min and max
        return out
    out[np.flatnonzero(where)] = [d < first or d > last for d in present]
    return out


def text_column(values: np.ndarray) -> np.ndarray:
    """Stripped text, None where empty (for entity fields)."""
    try:  # the usual case, every value a str: str.strip mapped in C (about twice as fast)
        out = np.fromiter(map(str.strip, values), dtype=object, count=len(values))
    except TypeError:  # None, NaN...: empty
        out = np.array([v.strip() if isinstance(v, str) else "" for v in values], dtype=object)
    out[out == ""] = None
    return out


def base_meta(sn: Sniffed, loaded: Loaded) -> dict[str, Any]:
    """What a batch says about its file: preamble facts, encoding, totals rows, notes below the table."""
    table = loaded.table
    facts = preamble.facts(table.preamble if table.preamble else sn.preamble)
    meta = {"title": facts["title"], "preamble": facts["lines"], "items": facts["items"],
            "encoding": sn.encoding_label, "delimiter": sn.delimiter_name, "decimal": sn.decimal,
            "header_line": table.header_line, "totals": totals_meta(loaded, sn.decimal)}
    if loaded.notes:
        meta["notes"] = loaded.notes
    return meta


def totals_meta(loaded: Loaded, decimal: str) -> list[dict[str, Any]]:
    """Totals rows as {canonical metric: float} (kept for checks, never stored as facts)."""
    out = []
    for raw in loaded.totals:
        row = {}
        for f, col in loaded.cols.items():
            if col.kind == NUMBER:
                label = col.header or ""
                parsed = number_parsing.parse_numbers([raw.get(label, "")], decimal)
                value = float(parsed.values[0])
                if not np.isnan(value):
                    row[f] = value
        out.append({"values": row, "raw": raw})
    return out
