"""The readers, as plain functions in one registry (docs/ARCHITECTURE.md, rule 3), and the two entry points.

``detect(path)`` names the format of a file with a confidence; ``read(path)`` returns its ImportBatch.
Files that are not usable at all raise ``UnreadableFile`` (empty, a picture, a workbook, cut-off headers...)
or ``UnknownFormat`` (another platform's export, or a table PinViewer cannot place without a column mapping).
A table with a date column and number columns that no reader recognises is detected as ``unknown`` with a low
confidence, so the GUI can open the column-mapping wizard and call ``read(path, mapping=...)``.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable

from pinviewer.core import wording
from pinviewer.core.errors import UnknownFormat
from pinviewer.core.formats import (date_parsing, ga4, mapping as mapping_module, number_parsing, pinterest,
                                    pinterest_export, vocabulary)
from pinviewer.core.formats.model import ImportBatch
from pinviewer.core.formats.sniff import Retry, Sniffed, sniff
from pinviewer.core.formats.table import ReadContext

UNKNOWN = "unknown"
UNKNOWN_LABEL = "A table PinViewer does not recognise"
WHAT_WE_READ = ("PinViewer reads Pinterest analytics exports (the account overview and top Pins) and Google "
                "Analytics 4 reports (Traffic acquisition by “Session source / medium”, Landing page).")


@dataclass(frozen=True)
class Reader:
    name: str
    label: str
    score: Callable[[Sniffed], tuple[float, str] | None]  # (confidence 0..1, reason) or None: not this format
    read: Callable[[Sniffed, ReadContext], ImportBatch]


READERS: tuple[Reader, ...] = (
    Reader(pinterest.OVERVIEW, pinterest.OVERVIEW_LABEL, pinterest.score_overview, pinterest.read_overview),
    Reader(pinterest.TOP_PINS, pinterest.TOP_PINS_LABEL, pinterest.score_top_pins, pinterest.read_top_pins),
    Reader(ga4.TRAFFIC, ga4.TRAFFIC_LABEL, ga4.score_traffic, ga4.read),
    Reader(ga4.LANDING, ga4.LANDING_LABEL, ga4.score_landing, ga4.read),
    Reader(ga4.DAILY, ga4.DAILY_LABEL, ga4.score_daily, ga4.read),
)


@dataclass
class Detection:
    format: str  # a reader name, or "unknown"
    label: str
    confidence: float  # 1.0 only when the columns leave no doubt; below 0.8 the GUI asks
    header: list[str]
    reason: str
    sniffed: Sniffed | None = field(default=None, repr=False, compare=False)


# ---- other platforms' exports -----------------------------------------------------------------------------

# (what it is, column names that give it away, how many must be present, what to do instead)
OTHER_PLATFORMS: tuple[tuple[str, frozenset[str], int, str], ...] = (
    ("a Mailchimp audience export (a list of subscribers)",
     frozenset({"email address", "member rating", "optin time", "optin ip", "confirm time", "leid", "euid",
                "last changed"}), 2,
     "To see the sign-ups Pinterest brings, import Google Analytics' Traffic acquisition report with key events."),
    ("a Pinterest Ads Manager report (figures per campaign)",
     frozenset({"campaign name", "ad group name", "campaign id", "ad group id", "spend in account currency", "ecpc",
                "ecpm", "total conversions", "checkout roas", "ad name", "promoted pin name"}), 2,
     "PinViewer shows your organic results: in Pinterest, open Analytics → Overview and use Export."),
    ("a Google Search Console export",
     frozenset({"top queries", "top pages", "query", "clicks", "ctr", "position"}), 3,
     ""),
    ("a Facebook or Instagram export",
     frozenset({"post id", "permalink", "page id", "page name", "publish time", "account username", "post type",
                "reach", "account id", "description"}), 3, ""),
    ("a bank statement",
     frozenset({"iban", "balance", "booking date", "buchungstag", "valutadatum", "verwendungszweck", "auftraggeber",
                "transaction", "transaction id", "debit", "credit", "amount", "betrag", "saldo", "value date",
                "reference", "payee", "beneficiary", "empfanger"}), 2, ""),
    ("a Shopify orders export",
     frozenset({"financial status", "fulfillment status", "lineitem name", "lineitem quantity", "lineitem price",
                "shipping method", "paid at"}), 2, ""),
)


def other_platform(header: list[str]) -> str | None:
    """A sentence when the header is another platform's export (Mailchimp, Ads Manager, a bank...), else None."""
    names = {vocabulary.fold(h) for h in header if h.strip()}
    for what, signs, needed, instead in OTHER_PLATFORMS:
        if len(names & signs) >= needed:
            return f"This looks like {what}, not a Pinterest or Google Analytics export. {WHAT_WE_READ}" + \
                (f" {instead}" if instead else "")
    if any("email" in n or "e mail" in n for n in names):
        known = [h for h in header if vocabulary.lookup(h) is not None]
        if len(known) < 2:
            return f"This looks like a list of email addresses, not analytics. {WHAT_WE_READ}"
    return None


def _unknown_table(sn: Sniffed) -> Detection:
    """A table with a date column and number columns becomes 'unknown' (the mapping wizard can place it)."""
    n = len(sn.header)
    columns = [[row[i] for row in sn.sample if i < len(row) and row[i].strip()] for i in range(n)]
    date_cols = [sn.header[i] for i, values in enumerate(columns)
                 if (values and (~date_parsing.parse_dates(values).bad).mean() >= 0.8)
                 or getattr(vocabulary.lookup(sn.header[i]), "field", None) == "date"]
    number_cols = [sn.header[i] for i, values in enumerate(columns)
                   if values and sn.header[i] not in date_cols
                   and (~number_parsing.parse_numbers(values, sn.decimal).bad).mean() >= 0.8]
    if date_cols and number_cols:
        return Detection(UNKNOWN, UNKNOWN_LABEL, 0.2, list(sn.header),
                         f"a table with dates in “{date_cols[0]}” and {len(number_cols)} columns of numbers that "
                         "PinViewer does not recognise; say what each column means to import it", sn)
    columns_text = ", ".join(f"“{h}”" for h in sn.header[:6]) + (", …" if n > 6 else "")
    why = "no column of dates" if not date_cols else "no columns of numbers"
    raise UnknownFormat(f"I don't recognise this table (columns {columns_text}): it has {why}, so there is "
                        f"nothing PinViewer can chart. {WHAT_WE_READ}")


def detect_sniffed(sn: Sniffed) -> Detection:
    sentence = other_platform(sn.header)
    if sentence:
        raise UnknownFormat(sentence)
    best: tuple[float, str, Reader] | None = None
    for reader in READERS:
        scored = reader.score(sn)
        if scored and (best is None or scored[0] > best[0]):
            best = (scored[0], scored[1], reader)
    if best is None:
        return _unknown_table(sn)
    confidence, reason, reader = best
    return Detection(reader.name, reader.label, confidence, list(sn.header), reason, sn)


def detect(path: str | os.PathLike[str]) -> Detection:
    """What kind of file this is. Raises UnreadableFile or UnknownFormat for files PinViewer cannot use."""
    if pinterest_export.detect(Path(path)):
        return Detection(pinterest_export.FORMAT, pinterest_export.LABEL, 1.0, [],
                         "Pinterest's Analytics export: the daily table, Top Boards and Top Pins")
    return detect_sniffed(sniff(path))


def _reader(name: str) -> Reader:
    return next(r for r in READERS if r.name == name)


def read(path: str | os.PathLike[str], *, mapping: mapping_module.MappingSpec | None = None,
         period: tuple[dt.date, dt.date] | None = None,
         progress: Callable[[int, int, str], None] | None = None,
         cancelled: Callable[[], bool] | None = None) -> ImportBatch:
    """Read a file into an ImportBatch.

    ``mapping``: a ColumnMapping, its dict, or the path of its JSON file: read the table with it, whatever its
    format. ``period``: the dates a top-Pins (or GA4) file covers when the file does not say.
    ``progress(done, total, message)`` is called as the file is read (bytes); ``cancelled()`` is checked between
    chunks and raises ``pinviewer.core.errors.Cancelled``.
    """
    path = Path(path)
    ctx = ReadContext(period=period, progress=progress, cancelled=cancelled)
    ctx.check()
    if mapping is None and pinterest_export.detect(path):
        ctx.report(0, 1, f"Reading {path.name}")
        batch = pinterest_export.read(path, cancelled=cancelled)
        ctx.report(1, 1, f"Read {wording.plural(batch.source_rows, 'row')} from {path.name}")
        return batch
    sn = sniff(path)
    ctx.report(0, sn.size, f"Reading {path.name}")
    run: Callable[[Sniffed], ImportBatch]
    if mapping is not None:
        run = lambda s: mapping_module.read_mapped(s, mapping, ctx)  # noqa: E731
    else:
        found = detect_sniffed(sn)
        if found.format == UNKNOWN:
            raise UnknownFormat(f"I don't recognise the columns of “{path.name}” ({found.reason}). Tell me what each "
                                f"column means in the import dialog. {WHAT_WE_READ}")
        ctx.confidence = found.confidence
        reader = _reader(found.format)
        run = lambda s: reader.read(s, ctx)  # noqa: E731
    for _attempt in range(6):
        try:
            batch = run(sn)
            break
        except Retry as retry:  # a later byte was not UTF-8, stray quotes, a lazy column needed: read again
            changes = dict(retry.changes)
            encoding = changes.pop("encoding", None)
            if encoding:
                sn = sniff(path, encoding=encoding).replace(exact=sn.exact, lazy=sn.lazy)
            if changes:
                sn = sn.replace(**changes)
    else:  # pragma: no cover - Retry asks for at most four changes
        raise RuntimeError("reading kept asking to start again")
    batch.meta.setdefault("encoding", sn.encoding_label)
    ctx.report(sn.size, sn.size, f"Read {wording.plural(batch.source_rows, 'row')} from {path.name}")
    return batch
