"""Reading the history back: fact rows of a profile and series (every batch's, oldest first), and the
``Dataset`` every page, insight and report reads (the newest batch winning metric by metric)."""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pinviewer.core import metrics
from pinviewer.core.formats.model import ENTITY_FIELDS, ENTITY_KEYS
from pinviewer.core.store.records import ALL_SERIES, MAIN_SERIES, Day, Profile
from pinviewer.core.store.segments import read_segments, stack

if TYPE_CHECKING:
    from pinviewer.core.store.history import Store


@dataclass
class Dataset:
    """A profile's history as data frames, newest batch winning per metric. Qt-free, read-only.

    * ``daily``: entity_type, entity_id, date (datetime64), provisional (bool) + metrics
    * ``periods``: entity_type, entity_id, start, end (datetime64) + metrics
    * ``entities``: entity_type, entity_id + descriptive fields
    """

    profile: Profile
    daily: pd.DataFrame
    periods: pd.DataFrame
    entities: pd.DataFrame
    loaded_at: float = field(default_factory=time.time)
    series: str | None = None  # the series these figures are (None: the main one)
    series_label: str = "All Pins"
    currency: str | None = None  # the profile's currency of revenue (core/currency.py), None until chosen
    cache: dict[Hashable, Any] = field(
default_factory=dict, repr=False)  # derived views, computed once (analysis.py)

    @classmethod
    def from_rows(cls, profile: Profile, facts: pd.DataFrame, entities: pd.DataFrame) -> Dataset:
        keys = ["entity_type", "entity_id", "start", "end"]
        if len(facts) and facts.duplicated(keys).any():
            facts = facts.groupby(keys, sort=False).last().reset_index()
        is_daily = (facts["start"] == facts["end"]).to_numpy() if len(facts) else np.zeros(0, bool)
        # a GA4 export of a single day is a period of one day: keep period rows of non-daily formats apart
        daily = facts[is_daily & facts["entity_type"].isin(["account", "pin", "site", "board"]).to_numpy()]
        periods = facts.drop(index=daily.index)
        daily = daily.drop(columns=["end"]).rename(columns={"start": "date"})
        daily["provisional"] = daily["provisional"].fillna(False).astype(bool)
        periods = periods.drop(columns=["provisional"])
        if len(entities) and entities.duplicated(list(ENTITY_KEYS)).any():
            entities = entities.groupby(list(ENTITY_KEYS), sort=False).last().reset_index()
        return cls(profile, daily.reset_index(drop=True), periods.reset_index(drop=True),
                   entities.reset_index(drop=True))

    @property
    def empty(self) -> bool:
        return not len(self.daily) and not len(self.periods)


def load(store: Store, profile: Profile, series: str | None = MAIN_SERIES) -> Dataset:
    """``Store.load``: a profile's figures in one series, with descriptions from every series."""
    names = [*ENTITY_KEYS, *ENTITY_FIELDS]
    entities = pd.DataFrame(stack(read_segments(store.db, profile.id, "entities", series=ALL_SERIES), names, {}),
                            columns=names)
    dataset = Dataset.from_rows(profile, store.facts(profile, series=series), entities)
    dataset.series = series
    dataset.series_label = dict(store.series(profile)).get(series, "All Pins") if series is not None else "All Pins"
    from pinviewer.core import currency

    dataset.currency = currency.load(store, profile)  # revenue is written in it wherever it is shown
    return dataset


def read_facts(db: sqlite3.Connection, profile: Profile, *, entity_types: Iterable[str] | None = None,
               first: Day | None = None, last: Day | None = None, formats: Collection[str] | None = None,
               metric_names: Iterable[str] | None = None, series: str | None = MAIN_SERIES) -> pd.DataFrame:
    """``Store.facts``: stored fact rows of one series (or of every one), oldest batch first."""
    metric_names = list(metrics.NAMES if metric_names is None else metric_names)
    names = ["entity_type", "entity_id", "start", "end", "provisional", *metric_names]
    bounds = [None if d is None else pd.Timestamp(d).date().isoformat() for d in (first, last)]
    parts = read_segments(db, profile.id, "facts", only=set(names), first=bounds[0], last=bounds[1],
                          formats=formats, series=series)
    empty = {"start": "datetime64[us]", "end": "datetime64[us]", "provisional": bool,
             **{name: float for name in metric_names}}
    columns = stack(parts, names, empty)
    keep = np.ones(len(columns["start"]), dtype=bool)
    if entity_types is not None:
        keep &= np.isin(columns["entity_type"], list(entity_types))
    for bound, above in ((first, True), (last, False)):
        if bound is not None:
            day = np.datetime64(pd.Timestamp(bound).date(), "us")
            keep &= (columns["start"] >= day) if above else (columns["start"] <= day)
    if not keep.all():
        columns = {name: values[keep] for name, values in columns.items()}
    return pd.DataFrame(columns, columns=names)
