"""Generic Pinterest tables (docs/FORMATS.md §1, last paragraph): a daily table of several metrics, or one row per Pin.

* Overview: one row per day -> ``daily`` rows, entity ``account`` / "".
* Top Pins: one row per Pin over the export's date range -> ``periods`` rows, entity ``pin`` / Pin id (from
  ``Pin ID`` or parsed from the Pin URL), start/end from the ``Date range:`` line above the table (or the
  ``period`` the caller passes when the file has none), and ``entities`` rows with title, link, created date,
  format and board.
"""
from __future__ import annotations

from typing import Any
from collections.abc import Callable

import numpy as np
import pandas as pd

from pinviewer.core import metrics
from pinviewer.core.formats import date_parsing, preamble, vocabulary
from pinviewer.core.formats.model import ACCOUNT, DAILY_KEYS, ENTITY_KEYS, PERIOD_KEYS, PIN, ImportBatch
from pinviewer.core.formats.pin_ids import pin_ids
from pinviewer.core.formats.sniff import Sniffed
from pinviewer.core.formats.table_stream import CsvFile
from pinviewer.core.formats.batch_frames import (base_meta, date_problems, dedupe, metric_frame, rates_as_fractions,
                                                 text_column)
from pinviewer.core.formats.column_plan import NUMBER, Col, plan_columns, plan_table
from pinviewer.core.formats.problems import Problems
from pinviewer.core.formats.table import Loaded, ReadContext, load_table

OVERVIEW = "pinterest_overview"
OVERVIEW_LABEL = "Pinterest account overview"
TOP_PINS = "pinterest_top_pins"
TOP_PINS_LABEL = "Pinterest top Pins"

CORE = frozenset({"impressions", "saves", "outbound_clicks", "pin_clicks", "engagements"})
_ENTITY_TEXT = ("title", "description", "link", "format", "board", "board_id", "image_url")


def _pinterest_metrics(cols: dict[str, Col]) -> list[str]:
    return [f for f in cols if f in metrics.BY_NAME and metrics.BY_NAME[f].source == "pinterest"]


def _confidence(header: list[str], cols: dict[str, Col], unused: list[int]) -> float:
    named_unused = [i for i in unused if header[i].strip()]
    core = CORE & set(cols)
    base = 1.0 if len(core) >= 2 else (0.75 if core else 0.5)
    if named_unused:
        base = min(base, 0.95) - 0.5 * len(named_unused) / max(1, len(header))
    return round(max(0.1, base), 2)


def score_overview(sn: Sniffed) -> tuple[float, str] | None:
    cols, unused, _ = plan_columns(sn.header, vocabulary.PINTEREST)
    found = _pinterest_metrics(cols)
    if "date" not in cols or not found or "pin_id" in cols or "pin_url" in cols:
        return None
    if any(f in cols for f in ("source_medium", "channel", "landing_page")):
        return None
    conf = _confidence(sn.header, cols, unused)
    return conf, f"one row per day with {len(found)} Pinterest figures ({', '.join(found[:4])}...)"


def score_top_pins(sn: Sniffed) -> tuple[float, str] | None:
    cols, unused, _ = plan_columns(sn.header, vocabulary.PINTEREST)
    found = _pinterest_metrics(cols)
    if not ("pin_id" in cols or "pin_url" in cols) or not found or "date" in cols:
        return None
    conf = _confidence(sn.header, cols, unused)
    return conf, f"one row per Pin with {len(found)} Pinterest figures"


def _language(cols: dict[str, Col], family: str) -> str:
    return vocabulary.guess_language([vocabulary.lookup(c.header, family) for c in cols.values()])


def _empty_problem(loaded: Loaded, problems: Problems) -> None:
    if loaded.rows == 0:
        problems.add("There are no figures in this file, only column names. Export it again for a date range "
                     "with activity.")


def _trailing_tables(cf: CsvFile, problems: Problems) -> list[dict[str, Any]]:
    """Tables after the first one that this reader does not use: reported, never silently dropped."""
    extra = []
    while True:
        table = cf.next_table()
        if table is None:
            break
        extra.append({"header_line": table.header_line, "header": table.header})
        problems.warn(f"Line {table.header_line} starts another table ({', '.join(table.header[:5])}) that I "
                      "did not read.")
        while table.read_raw(1 << 20):
            pass
    return extra


def read_overview(sn: Sniffed, ctx: ReadContext) -> ImportBatch:
    problems = Problems()
    with CsvFile(sn, ctx.cancelled) as cf:
        table = cf.first_table()
        cols, unused = plan_table(table.header, vocabulary.PINTEREST, problems)
        for f in list(cols):  # descriptive Pin fields mean nothing in a per-day table
            if cols[f].kind != NUMBER and f != "date":
                unused.append(cols.pop(f).index)
        unused.sort()
        loaded = load_table(cf, table, cols, unused, ctx, problems, what="days")
        extra = _trailing_tables(cf, problems)
    meta = base_meta(sn, loaded)
    if extra:
        meta["other_tables"] = extra
    _empty_problem(loaded, problems)
    dayfirst_default = _language(cols, vocabulary.PINTEREST) != "en"
    date_col = cols["date"]
    dates = date_parsing.parse_dates(loaded.text["date"], sequential=True, default_dayfirst=dayfirst_default)
    if dates.order:
        meta["date_order"] = dates.order
        meta["date_order_reason"] = dates.reason
    keep = date_problems(loaded, dates, date_col, problems, required=True)
    rates_as_fractions(loaded, problems, meta)
    daily = pd.DataFrame({"entity_type": ACCOUNT, "entity_id": "", "date": dates.values[keep],
                          **metric_frame(loaded, keep)})
    if not len(daily):
        daily = pd.DataFrame(columns=[*DAILY_KEYS, *metric_frame(loaded)])
    daily, _rec = dedupe(daily, ["date"], loaded.records[keep], table, problems, lambda key: f"The day {key[0]}")
    period = preamble.find_period(table.preamble or sn.preamble, dayfirst=(dates.order == date_parsing.DMY)
                                  if dates.order else dayfirst_default)
    if period is None and len(daily):
        period = (min(daily["date"]), max(daily["date"]))
    return ImportBatch(format=OVERVIEW, format_label=OVERVIEW_LABEL, daily=daily, confidence=ctx.confidence,
                       source_rows=loaded.rows, unrecognised=loaded.unrecognised(), problems=problems.finish(),
                       period=period, path=sn.path, meta=meta)


def _pin_ids(loaded: Loaded, cols: dict[str, Col], problems: Problems) -> tuple[np.ndarray, np.ndarray]:
    """Pin ids from the Pin ID column, and from the Pin URL where that left a gap; (ids, rows that have one).
    Rows without an id are problems, saying why (a spreadsheet shortened it, not an id, nothing there)."""
    n = loaded.rows
    ids = np.full(n, "", dtype=object)
    found = np.zeros(n, dtype=bool)
    why: list[tuple[np.ndarray, np.ndarray, str, Callable[[np.ndarray, str], Callable[[int], str]]]] = []
    for f in ("pin_id", "pin_url"):
        if f not in cols:
            continue
        if found.all():  # every row has its Pin id already
            continue
        where = np.flatnonzero(~found)
        part = pin_ids(loaded.text[f] if len(where) == n else loaded.text[f][where])
        ok = ~(part.missing | part.bad | part.mangled)
        if len(where) == n:  # the Pin ID column: its ids are '' where it has none
            ids, found = part.ids, ok
        else:
            ids[where[ok]] = part.ids[ok]
            found[where[ok]] = True
        raw, label = loaded.text[f], cols[f].header
        why.append((where[part.mangled], raw, label, lambda raw, label: lambda i: (
            f"The Pin id '{raw[i].strip()}' was shortened by a spreadsheet program, so I can't tell which Pin it "
            "is. Use the file as Pinterest exported it.")))
        why.append((where[part.bad], raw, label, lambda raw, label: lambda i: (
            f"'{raw[i].strip()}' in {label} is not a Pin id or Pin URL.")))
    explained = found.copy()
    for rows, raw, label, message in why:
        mask = np.zeros(n, dtype=bool)
        mask[rows] = True
        mask &= ~explained
        problems.rows(loaded.table, loaded.records, mask, message(raw, label), column=label)
        explained |= mask
    problems.rows(loaded.table, loaded.records, ~explained, lambda i: "This row has no Pin id or Pin URL.")
    return ids, found


def read_top_pins(sn: Sniffed, ctx: ReadContext) -> ImportBatch:
    problems = Problems()
    with CsvFile(sn, ctx.cancelled) as cf:
        table = cf.first_table()
        cols, unused = plan_table(table.header, vocabulary.PINTEREST, problems)
        # the Pin URL is read only if some row has no Pin ID (decoding 50,000 URLs is a fifth of the read)
        loaded = load_table(cf, table, cols, unused, ctx, problems, what="Pins",
                            lazy=("pin_url",) if "pin_id" in cols else ())
        extra = _trailing_tables(cf, problems)
    meta = base_meta(sn, loaded)
    if extra:
        meta["other_tables"] = extra
    _empty_problem(loaded, problems)
    lang = _language(cols, vocabulary.PINTEREST)
    dayfirst_default = lang != "en"

    ids, keep = _pin_ids(loaded, cols, problems)

    # the period the figures cover
    period = preamble.find_period(table.preamble or sn.preamble, dayfirst=dayfirst_default)
    if period is None:
        period = ctx.period
    elif ctx.period is not None and tuple(ctx.period) != tuple(period):
        problems.warn(f"The file says it covers {period[0]} to {period[1]}; I used those dates, not "
                      f"{ctx.period[0]} to {ctx.period[1]}.")
    if period is None:
        problems.add("I can't tell which dates this top-Pins file covers: there is no “Date range” line above the "
                     "table. Choose the dates you exported (the same as in Pinterest's date picker) and import it "
                     "again.")
    start, end = (period if period else (None, None))

    rates_as_fractions(loaded, problems, meta)
    every = bool(keep.all())  # every row has its Pin id: the columns are used as they are, not copied

    def kept(values: np.ndarray) -> np.ndarray:
        return values if every else values[keep]

    kept_ids = kept(ids)
    periods = pd.DataFrame({"entity_type": PIN, "entity_id": kept_ids, "start": start, "end": end,
                            **metric_frame(loaded, None if every else keep)})
    if not len(periods):
        periods = pd.DataFrame(columns=[*PERIOD_KEYS, *metric_frame(loaded)])
    records = kept(loaded.records)
    before = len(periods)
    if len(set(kept_ids.tolist())) < len(kept_ids):  # (a set of str is quicker than pandas' duplicated)
        periods, records = dedupe(periods, ["entity_id"], records, table, problems, lambda key: f"The Pin {key[0]}")

    # descriptive fields
    ent = {"entity_type": PIN, "entity_id": kept_ids}
    for f in _ENTITY_TEXT:
        if f in cols:
            ent[f] = text_column(kept(loaded.text[f]))
    if "created" in cols:
        raw = kept(loaded.text["created"])
        created = date_parsing.parse_dates(raw, default_dayfirst=dayfirst_default)
        if created.bad.any():
            label = cols["created"].header
            problems.rows(table, kept(loaded.records), created.bad,
                          lambda i: f"'{raw[i].strip()}' in {label} is not a date I can read; the Pin's figures "
                                    "are imported without it.", column=label, fatal=False)
        ent["created"] = created.values
        if created.order:
            meta["created_date_order"] = created.order
    entities = pd.DataFrame(ent) if len(kept_ids) else pd.DataFrame(columns=list(ENTITY_KEYS))
    if len(periods) < before:  # the same Pin twice: describe it once
        entities = entities.drop_duplicates(["entity_id"], keep="first").reset_index(drop=True)
    return ImportBatch(format=TOP_PINS, format_label=TOP_PINS_LABEL, periods=periods, entities=entities,
                       confidence=ctx.confidence, source_rows=loaded.rows, unrecognised=loaded.unrecognised(),
                       problems=problems.finish(), period=period, path=sn.path, meta=meta)
