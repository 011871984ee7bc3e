"""What a batch brings compared with what is stored: a reader's tables as store rows, the figures stored now for
the same keys, what 'newer file wins' would change (``overlap``), what 'keep what I have' leaves out, and the
counts an import reports."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pinviewer.core import columnar, metrics
from pinviewer.core.formats.model import ImportBatch
from pinviewer.core.store.records import MAIN_SERIES, PROVISIONAL_DAYS, Overlap, Profile
from pinviewer.core.store.segments import str_column

if TYPE_CHECKING:
    from pinviewer.core.store.history import Store

KEYS = ["entity_type", "entity_id", "start", "end"]  # what one stored figure is for


def overlap(store: Store, profile: Profile, batch: ImportBatch, limit_examples: int = 5) -> Overlap:
    """What importing ``batch`` with 'newer file wins' would change in the figures already stored."""
    result = Overlap()
    for kind, frame in (("daily", batch.daily), ("periods", batch.periods)):
        if not len(frame):
            continue
        incoming = fact_frame(frame, kind)
        stored = current_for(store, profile, incoming, batch.meta.get("series"))
        if stored is None or not len(stored):
            continue
        merged = incoming.merge(stored, on=KEYS, suffixes=("", "__stored"))
        changed_rows = np.zeros(len(merged), dtype=bool)
        for name in [c for c in incoming.columns if c in metrics.BY_NAME]:
            if name + "__stored" not in merged:
                continue
            new, old = merged[name].to_numpy(float), merged[name + "__stored"].to_numpy(float)
            differ = ~np.isnan(new) & ~np.isnan(old) & ~np.isclose(new, old, rtol=1e-9, atol=1e-9)
            if differ.any():
                result.values += int(differ.sum())
                result.metrics.append(name)
                changed_rows |= differ
                for i in np.flatnonzero(differ)[: max(0, limit_examples - len(result.examples))]:
                    row = merged.iloc[i]
                    start, end = _day_text(row["start"]), _day_text(row["end"])
                    result.examples.append({
                        "entity": _entity_label(row["entity_type"], row["entity_id"]),
                        "date": start if start == end else f"{start} - {end}",
                        "metric": metrics.BY_NAME[name].label, "stored": float(old[i]),
                        "incoming": float(new[i])})
        result.days += int(changed_rows.sum())
    return result


def current_for(store: Store, profile: Profile, incoming: pd.DataFrame, series: str | None = MAIN_SERIES
                ) -> pd.DataFrame | None:
    """The newest stored values for the keys of ``incoming`` (same entity types, date range and series)."""
    columns = [c for c in incoming.columns if c in metrics.BY_NAME]
    if not columns or not store.db.execute("SELECT 1 FROM segments WHERE profile_id = ? AND part = 'facts' "
                                           "LIMIT 1", (profile.id,)).fetchone():
        return None
    stored = store.facts(profile, entity_types=set(incoming["entity_type"].unique()),
                         first=incoming["start"].min(), last=incoming["end"].max(), metric_names=columns,
                         series=series)
    if not len(stored):
        return stored
    return stored.groupby(KEYS, sort=False).last().reset_index()


def fact_frame(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """A reader's daily or periods table as store rows: start/end as datetime64 days, metric columns only."""
    columns = {"entity_type": str_column(frame["entity_type"]), "entity_id": str_column(frame["entity_id"])}
    if kind == "daily":
        columns["start"] = columns["end"] = columnar.datetimes(frame["date"])
    else:
        columns["start"], columns["end"] = columnar.datetimes(frame["start"]), columnar.datetimes(frame["end"])
    columns["provisional"] = np.zeros(len(frame), dtype=int)
    for name in metrics.NAMES:
        if name in frame.columns:
            values = frame[name]
            columns[name] = (values.to_numpy(float) if pd.api.types.is_float_dtype(values)
                             else pd.to_numeric(values, errors="coerce").to_numpy(float))
    return pd.DataFrame(columns)


def mark_provisional(daily: pd.DataFrame, batch: ImportBatch) -> None:
    """Days still being counted: the last PROVISIONAL_DAYS days at import time, and what the API said."""
    if not len(daily):
        return
    today = dt.datetime.now(dt.UTC).date()
    cutoff = np.datetime64(today - dt.timedelta(days=PROVISIONAL_DAYS - 1), "us")
    flags = daily["start"].to_numpy() >= cutoff
    if len(batch.provisional):
        marked = pd.DataFrame({"entity_type": batch.provisional["entity_type"].astype(str).to_numpy(object),
                               "entity_id": batch.provisional["entity_id"].astype(str).to_numpy(object),
                               "start": columnar.datetimes(batch.provisional["date"]),
                               "_marked": True}).drop_duplicates()
        keys = daily[["entity_type", "entity_id", "start"]]
        hit = keys.merge(marked, on=["entity_type", "entity_id", "start"], how="left")["_marked"]
        flags |= hit.notna().to_numpy()
    daily["provisional"] = flags.astype(int)


def drop_known(frame: pd.DataFrame, stored: pd.DataFrame | None) -> pd.DataFrame:
    """Blank out figures that are already stored, so 'keep what I have' leaves them as they are."""
    if stored is None or not len(stored) or not len(frame):
        return frame
    merged = frame.merge(stored, on=KEYS, how="left", suffixes=("", "__stored"), indicator=False)
    out = frame.copy()
    for name in [c for c in frame.columns if c in metrics.BY_NAME]:
        if name + "__stored" in merged:
            known = merged[name + "__stored"].notna().to_numpy()
            out.loc[known, name] = np.nan
    metric_cols = [c for c in out.columns if c in metrics.BY_NAME]
    return out[out[metric_cols].notna().any(axis=1)] if metric_cols else out.iloc[0:0]


def count_changes(frame: pd.DataFrame, stored: pd.DataFrame | None,
                  per_entity: bool = False) -> tuple[int, int, int]:
    """(new keys, changed keys, changed values) that storing ``frame`` brings.

    With ``per_entity``, new keys are counted once per entity (a Pin with 90 new days is one Pin)."""
    if not len(frame):
        return 0, 0, 0
    if stored is None or not len(stored):
        return (frame["entity_id"].nunique() if per_entity else len(frame)), 0, 0
    at = _positions(frame, stored)
    fresh = at < 0
    new = int(pd.unique(frame["entity_id"].to_numpy()[fresh]).size) if per_entity else int(fresh.sum())
    changed_rows = np.zeros(len(frame), dtype=bool)
    values = 0
    for name in [c for c in frame.columns if c in metrics.BY_NAME]:
        if name not in stored.columns:
            continue
        a = frame[name].to_numpy(float)
        b = np.where(fresh, np.nan, stored[name].to_numpy(float)[np.maximum(at, 0)])
        differ = ~np.isnan(a) & (np.isnan(b) | ~np.isclose(a, b, rtol=1e-9, atol=1e-9)) & ~fresh
        values += int(differ.sum())
        changed_rows |= differ
    return new, int(changed_rows.sum()), values


def _positions(frame: pd.DataFrame, stored: pd.DataFrame) -> np.ndarray:
    """For each row of ``frame``, the row of ``stored`` with the same entity and days (-1: none). ``stored``
    holds each key once (``current_for``). An index lookup: a merge costs ten times more on the few
    hundred rows of an export."""
    index = pd.MultiIndex.from_arrays([stored[k].to_numpy() for k in KEYS])
    return index.get_indexer(pd.MultiIndex.from_arrays([frame[k].to_numpy() for k in KEYS]))


def _entity_label(entity_type: str, entity_id: str) -> str:
    return "Account" if entity_type == "account" else f"{entity_type.capitalize()} {entity_id}"


def _day_text(value: Any) -> str:
    """A stored day as YYYY-MM-DD."""
    return pd.Timestamp(value).date().isoformat()
