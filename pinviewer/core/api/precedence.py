"""What a sync may store over what the history holds: Pinterest's analytics figures win over the Pin list's
counters (within a sync and across syncs), and a sync that changes nothing adds no import entry.

These read the store only through its public ``facts`` and ``load``; nothing here writes.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from pinviewer.core import metrics
from pinviewer.core.api.account import ident
from pinviewer.core.api.convert import Dropped, pin_90d, pin_period_row
from pinviewer.core.formats.model import DAILY_KEYS, ENTITY_KEYS, PIN, ImportBatch

if TYPE_CHECKING:
    from pinviewer.core.store import Profile, Store

FORMAT = "api"  # the format of every batch a sync stores (sync.FORMAT is this one)


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


class Fetched(Protocol):
    """What a sync brought back that the precedence rules read (sync's collected lists)."""

    top_rows: list[dict[str, Any]]
    pins: list[dict[str, Any]]
    dropped: Dropped
    notes: list[str]


def pin_periods(store: Store, profile: Profile, got: Fetched, since: dt.date, period_start: dt.date,
                last: dt.date, top_complete: bool) -> dict[str, dict[str, Any]]:
    """Each Pin's figures over the 90 days ending yesterday. Pinterest's analytics figures (the top lists) win
    over the Pin list's counters, within a sync and across syncs: when a top list did not arrive this time, a
    Pin the history already holds API figures for (over a period starting ``since`` or later) keeps them: its
    counters are not stored over them. ``top_complete``: every top list arrived."""
    analytics = {row["entity_id"] for row in got.top_rows}
    held = set() if top_complete else _pins_with_api_periods(store, profile, since)
    periods: dict[str, dict[str, Any]] = {}
    kept = 0
    for pin in got.pins:
        pin_id = ident(pin.get("id"))
        if not pin_id:
            continue
        if pin_id in held and pin_id not in analytics:
            kept += 1
            continue
        row = pin_period_row(pin_id, pin_90d(pin), period_start, last, got.dropped)
        if row:
            periods[pin_id] = row
    for row in got.top_rows:  # Pinterest's analytics figures win over the pin_metrics counters
        periods[row["entity_id"]] = {**periods.get(row["entity_id"], {}), **row}
    if kept:
        got.notes.append(f"Pinterest's top-Pin figures did not all arrive, so {kept:,} Pin{'s' if kept != 1 else ''} "
                         "keep the 90-day figures an earlier sync stored.")
    return periods


def _pins_with_api_periods(store: Store, profile: Profile, since: dt.date) -> set[str]:
    rows = store.facts(profile, entity_types={PIN}, first=since, formats={FORMAT}, metric_names=[])
    rows = rows[(rows["start"] != rows["end"]).to_numpy()]
    return set(rows["entity_id"])


def changes_history(store: Store, profile: Profile, batch: ImportBatch) -> bool:
    """Would storing ``batch`` change anything the history shows? A figure that is new or differs, a day whose
    provisional mark changes, a new entity or a new descriptive field. (The newest batch wins metric by metric,
    so the comparison is with the newest stored value of each.)"""
    keys = ["entity_type", "entity_id", "start", "end"]
    for frame, daily in ((batch.daily, True), (batch.periods, False)):
        if not len(frame):
            continue
        incoming = frame.rename(columns={"date": "start"}) if daily else frame.copy()
        incoming["start"] = pd.to_datetime(incoming["start"]).astype("datetime64[us]")
        incoming["end"] = incoming["start"] if daily else pd.to_datetime(incoming["end"]).astype("datetime64[us]")
        names = [c for c in incoming.columns if c in metrics.BY_NAME]
        stored = store.facts(profile, entity_types=set(incoming["entity_type"]), first=incoming["start"].min(),
                             last=incoming["start"].max(), metric_names=names)
        if not len(stored):
            return True
        stored = stored.groupby(keys, sort=False).last().reset_index()
        merged = incoming.merge(stored, on=keys, how="left", suffixes=("", "__stored"), indicator=True)
        if (merged["_merge"] == "left_only").any():
            return True
        for name in names:
            new, old = merged[name].to_numpy(float), merged[name + "__stored"].to_numpy(float)
            if (~np.isnan(new) & (np.isnan(old) | ~np.isclose(new, old, rtol=1e-9, atol=1e-9))).any():
                return True
        if daily and (_provisional_flags(merged, batch) != merged["provisional"].to_numpy(bool)).any():
            return True
    return _entities_change(store, profile, batch.entities)


def _provisional_flags(merged: pd.DataFrame, batch: ImportBatch) -> np.ndarray:
    """The provisional mark the store would give these days: the last days of every import, and what the API
    said was not READY (the store's rule, PROVISIONAL_DAYS)."""
    from pinviewer.core.store import PROVISIONAL_DAYS

    cutoff = np.datetime64(utc_today() - dt.timedelta(days=PROVISIONAL_DAYS - 1), "us")
    flags = merged["start"].to_numpy() >= cutoff
    if len(batch.provisional):
        marked = {(t, i, d) for t, i, d in batch.provisional[list(DAILY_KEYS)].itertuples(index=False)}
        days = pd.to_datetime(merged["start"]).dt.date
        flags |= np.array([(t, i, d) in marked for t, i, d in zip(merged["entity_type"], merged["entity_id"], days)],
                          dtype=bool)
    return flags


def _entities_change(store: Store, profile: Profile, entities: pd.DataFrame) -> bool:
    if not len(entities):
        return False
    shown = store.load(profile).entities
    if not len(shown):
        return True
    merged = entities.merge(shown, on=list(ENTITY_KEYS), how="left", suffixes=("", "__stored"), indicator=True)
    if (merged["_merge"] == "left_only").any():
        return True
    for column in entities.columns:
        if column in ENTITY_KEYS or column + "__stored" not in merged:
            continue
        new, old = merged[column], merged[column + "__stored"]
        if (new.notna() & (old.isna() | (new.astype(str) != old.astype(str)))).any():
            return True
    return False
