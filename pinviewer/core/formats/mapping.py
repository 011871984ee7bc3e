"""User column mappings: a small JSON file saying what each column of an unrecognised table means.

The GUI import wizard saves the same file. Schema (version 1)::

    {"version": 1, "name": "My spreadsheet", "header": ["Tag", "Klicks", ...],
     "entity": "account" | "pin",
     "columns": {"Tag": "date", "Klicks": "outbound_clicks", "Notiz": "ignore"},
     "date_format": null | "%d.%m.%Y", "decimal": null | ","}

Roles: ``date``, ``pin_id`` (a Pin id or a Pin URL), ``title``, ``link``, ``board``, ``created``, ``format``,
``description``, ``ignore``, or a canonical metric name of ``pinviewer.core.metrics``. ``header`` (optional) is
the header the mapping was made for; ``header_key(header)`` is a stable key to remember a mapping for files
with the same columns. ``entity``: ``account`` gives one row per day for the whole account; ``pin`` one row per
Pin and day (a ``pin_id`` column is then needed).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pinviewer.core import metrics
from pinviewer.core.errors import PinviewerError
from pinviewer.core.formats import date_parsing, vocabulary
from pinviewer.core.formats.model import ACCOUNT, DAILY_KEYS, ENTITY_KEYS, PIN, ImportBatch
from pinviewer.core.formats.pin_ids import pin_ids
from pinviewer.core.formats.sniff import Sniffed
from pinviewer.core.formats.table_stream import CsvFile
from pinviewer.core.formats.batch_frames import (base_meta, date_problems, dedupe, metric_frame, rates_as_fractions,
                                                 text_column)
from pinviewer.core.formats.column_plan import DATE, NUMBER, TEXT, Col
from pinviewer.core.formats.problems import Problems
from pinviewer.core.formats.table import ReadContext, load_table

MAPPED = "mapped"
VERSION = 1
TEXT_ROLES = ("title", "link", "board", "created", "format", "description")
ROLES = ("date", "pin_id", *TEXT_ROLES, "ignore", *metrics.NAMES)
ENTITIES = (ACCOUNT, PIN)


class MappingError(PinviewerError):
    """A column mapping that cannot be used; the message lists every reason, one sentence each."""


@dataclass
class ColumnMapping:
    columns: dict[str, str]
    entity: str = ACCOUNT
    name: str = ""
    header: list[str] | None = None
    date_format: str | None = None
    decimal: str | None = None
    version: int = VERSION
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys, kept when saving again

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"version": self.version, "name": self.name}
        if self.header is not None:
            data["header"] = list(self.header)
        data.update({"entity": self.entity, "columns": dict(self.columns), "date_format": self.date_format,
                     "decimal": self.decimal})
        data.update({k: v for k, v in self.extra.items() if k not in data})
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnMapping:
        if not isinstance(data, dict):
            raise MappingError("A column mapping must be a JSON object with “columns”.")
        version = data.get("version", VERSION)
        if not isinstance(version, int) or version > VERSION:
            raise MappingError(f"This column mapping was saved by a newer PinViewer (version {version}). Update "
                               "PinViewer to use it.")
        columns = data.get("columns")
        if not isinstance(columns, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                    for k, v in columns.items()):
            raise MappingError("A column mapping needs “columns”: each column name with what it means.")
        header = data.get("header")
        if header is not None and not (isinstance(header, list) and all(isinstance(h, str) for h in header)):
            raise MappingError("“header” in a column mapping must be a list of column names.")
        known = {"version", "name", "header", "entity", "columns", "date_format", "decimal"}
        return cls(columns=dict(columns), entity=data.get("entity", ACCOUNT), name=str(data.get("name") or ""),
                   header=header, date_format=data.get("date_format"), decimal=data.get("decimal"),
                   version=version, extra={k: v for k, v in data.items() if k not in known})

    def date_column(self) -> str | None:
        return next((c for c, r in self.columns.items() if r == "date"), None)


def _role_label(role: str) -> str:
    m = metrics.BY_NAME.get(role)
    return m.label if m else role.replace("_", " ")


def _find(header: list[str], name: str) -> int | None:
    """Index of a column by name: exact first, then ignoring case and surrounding spaces."""
    if name in header:
        return header.index(name)
    folded = [" ".join(h.split()).casefold() for h in header]
    key = " ".join(name.split()).casefold()
    return folded.index(key) if key in folded else None


def check_mapping(mapping: ColumnMapping, header: list[str] | None = None) -> list[str]:
    """Every reason the mapping cannot be used (for this header), as plain sentences; [] when it is fine."""
    out = []
    if mapping.entity not in ENTITIES:
        out.append(f"The rows must be “account” (one row per day) or “pin” (one row per Pin and day), not "
                   f"“{mapping.entity}”.")
    for column, role in mapping.columns.items():
        if role not in ROLES:
            out.append(f"The column “{column}” is marked as “{role}”, which PinViewer does not know. Choose a figure "
                       "such as Outbound clicks, a Pin detail, the date, or Ignore.")
    dates = [c for c, r in mapping.columns.items() if r == "date"]
    if not dates:
        out.append("No column is marked as the date. Mark the column that holds the day of each row.")
    elif len(dates) > 1:
        out.append(f"Both “{dates[0]}” and “{dates[1]}” are marked as the date; only one column can be.")
    used: dict[str, str] = {}
    for column, role in mapping.columns.items():
        if role in ("ignore", "date") or role not in ROLES:
            continue
        if role in used:
            out.append(f"Both “{used[role]}” and “{column}” are marked as {_role_label(role)}; only one column can be.")
        used.setdefault(role, column)
    if not any(r in metrics.BY_NAME for r in mapping.columns.values()):
        out.append("No column is marked as a figure (such as Impressions or Outbound clicks), so there is nothing "
                   "to import.")
    if mapping.entity == PIN and "pin_id" not in mapping.columns.values():
        out.append("The rows are Pins, but no column is marked as the Pin id (or Pin URL).")
    if mapping.date_format is not None:
        probe = dt.date(2025, 3, 14)
        try:
            ok = (isinstance(mapping.date_format, str) and "%" in mapping.date_format
                  and dt.datetime.strptime(probe.strftime(mapping.date_format), mapping.date_format).date() == probe)
        except (ValueError, TypeError):
            ok = False
        if not ok:
            out.append(f"The date format “{mapping.date_format}” does not describe a whole date (day, month and "
                       "year), for example “%d.%m.%Y” for 14.03.2025.")
    if mapping.decimal not in (None, ",", "."):
        out.append(f"The decimal mark must be “,” or “.”, not “{mapping.decimal}”.")
    if header is not None:
        for column in mapping.columns:
            if _find(header, column) is None:
                out.append(f"The mapping uses a column “{column}” that this file does not have.")
    return out


def load_mapping(path: str | os.PathLike[str]) -> ColumnMapping:
    """Read and check a mapping file; raises MappingError with sentences."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(f"I can't find the column mapping “{path.name}”.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"I can't read the column mapping “{path.name}”: {exc}.") from None
    except json.JSONDecodeError as exc:
        raise MappingError(f"The column mapping “{path.name}” is not valid JSON (line {exc.lineno}: {exc.msg}).") \
            from None
    mapping = ColumnMapping.from_dict(data)
    problems = check_mapping(mapping)
    if problems:
        raise MappingError(" ".join(problems))
    return mapping


def save_mapping(mapping: ColumnMapping | dict[str, Any], path: str | os.PathLike[str]) -> None:
    """Write a mapping as JSON (UTF-8, readable, replaced atomically)."""
    if isinstance(mapping, dict):
        mapping = ColumnMapping.from_dict(mapping)
    from pinviewer import paths

    paths.write_text(path, json.dumps(mapping.to_dict(), ensure_ascii=False, indent=2, allow_nan=False) + "\n")


def header_key(header: list[str]) -> str:
    """A stable key for a header (case and spacing of the names do not matter, their order does)."""
    names = "\x1f".join(" ".join(str(h).split()).casefold() for h in header)
    return "h1-" + hashlib.sha256(names.encode("utf-8")).hexdigest()[:20]


_FIELD_ROLE = {"date": "date", "pin_id": "pin_id", "pin_url": "pin_id", **{r: r for r in TEXT_ROLES}}


def guess_mapping(header: list[str], rows: list[list[str]] | None = None) -> ColumnMapping:
    """The best guess for each column (vocabulary, Pinterest names first, then Google Analytics); columns it
    cannot place are 'ignore'. With sample ``rows``, a date column is also found by its values."""
    columns: dict[str, str] = {}
    taken: set[str] = set()
    for name in header:
        role = "ignore"
        match = vocabulary.lookup(name)
        if match is not None:
            candidate = _FIELD_ROLE.get(match.field, match.field if match.field in metrics.BY_NAME else "ignore")
            if candidate != "ignore" and candidate not in taken:
                role = candidate
        columns[name] = role
        if role != "ignore":
            taken.add(role)
    if "date" not in taken and rows:
        for i, name in enumerate(header):
            values = [r[i] for r in rows if i < len(r) and r[i].strip()]
            if columns[name] == "ignore" and values:
                parsed = date_parsing.parse_dates(values)
                if (~parsed.bad).mean() >= 0.8:
                    columns[name] = "date"
                    break
    entity = PIN if "pin_id" in columns.values() else ACCOUNT
    return ColumnMapping(columns=columns, entity=entity, header=list(header))


MappingSpec = ColumnMapping | dict[str, Any] | str | os.PathLike[str]  # a mapping, its dict or its JSON file


def _as_mapping(mapping: MappingSpec) -> ColumnMapping:
    if isinstance(mapping, ColumnMapping):
        return mapping
    if isinstance(mapping, dict):
        return ColumnMapping.from_dict(mapping)
    return load_mapping(mapping)


def read_mapped(sn: Sniffed, spec: MappingSpec, ctx: ReadContext) -> ImportBatch:
    """Read a table with a user's column mapping: daily rows for the account or per Pin."""
    mapping = _as_mapping(spec)
    header = sn.header
    reasons = check_mapping(mapping, header)
    if reasons:
        raise MappingError(" ".join(reasons))
    if mapping.decimal:
        sn = sn.replace(decimal=mapping.decimal)
    cols: dict[str, Col] = {}
    for column, role in mapping.columns.items():
        if role == "ignore":
            continue
        i = _find(header, column)
        assert i is not None  # check_mapping found every mapped column in the header
        kind = DATE if role in ("date", "created") else (NUMBER if role in metrics.BY_NAME else TEXT)
        cols[role] = Col(i, header[i], role, kind, percent_header="%" in column)
    used = {c.index for c in cols.values()}
    unused = [i for i in range(len(header)) if i not in used]
    problems = Problems()
    with CsvFile(sn, ctx.cancelled) as cf:
        table = cf.first_table()
        loaded = load_table(cf, table, cols, unused, ctx, problems)
    meta = base_meta(sn, loaded)
    meta["mapping"] = mapping.name or header_key(header)
    if loaded.rows == 0:
        problems.add("There are no figures in this file, only column names.")
    lang = vocabulary.guess_language([vocabulary.lookup(h) for h in header])
    dates = date_parsing.parse_dates(loaded.text["date"], sequential=mapping.entity == ACCOUNT,
                               default_dayfirst=lang != "en", date_format=mapping.date_format)
    if dates.order:
        meta["date_order"] = dates.order
    keep = date_problems(loaded, dates, cols["date"], problems, required=True)
    rates_as_fractions(loaded, problems, meta)
    entities = pd.DataFrame(columns=list(ENTITY_KEYS))
    if mapping.entity == PIN:
        found = pin_ids(loaded.text["pin_id"])
        label, raw = cols["pin_id"].header, loaded.text["pin_id"]
        no_id = found.missing | found.bad | found.mangled
        problems.rows(table, loaded.records, no_id & keep,
                      lambda i: (f"'{raw[i].strip()}' in {label} is not a Pin id or Pin URL." if raw[i].strip()
                                 else f"This row has no Pin id in {label}."), column=label)
        keep &= ~no_id
        ids = found.ids[keep]
        etype = PIN
        ent = {"entity_type": PIN, "entity_id": ids}
        for role in TEXT_ROLES:
            if role in cols and role != "created":
                ent[role] = text_column(loaded.text[role][keep])
        if "created" in cols:
            ent["created"] = date_parsing.parse_dates(loaded.text["created"][keep],
                                                      date_format=mapping.date_format).values
        if len(ids):
            entities = pd.DataFrame(ent).drop_duplicates(["entity_id"], keep="last").reset_index(drop=True)
    else:
        ids = np.full(int(keep.sum()), "", dtype=object)
        etype = ACCOUNT
    daily = pd.DataFrame({"entity_type": etype, "entity_id": ids, "date": dates.values[keep],
                          **metric_frame(loaded, keep)})
    if not len(daily):
        daily = pd.DataFrame(columns=[*DAILY_KEYS, *metric_frame(loaded)])
    daily, _rec = dedupe(daily, ["entity_id", "date"] if mapping.entity == PIN else ["date"], loaded.records[keep],
                         table, problems,
                         lambda k: f"{'The Pin ' + k[0] + ' on ' if len(k) > 1 else 'The day '}{k[-1]}")
    period = (min(daily["date"]), max(daily["date"])) if len(daily) else None
    label = f"Your own table ({mapping.name})" if mapping.name else "Your own table (mapped columns)"
    return ImportBatch(format=MAPPED, format_label=label, daily=daily, entities=entities, confidence=1.0,
                       source_rows=loaded.rows, unrecognised=loaded.unrecognised(), problems=problems.finish(),
                       period=period, path=sn.path, meta=meta)
