"""What the history hands back: profiles, imports (batches), what an import changed or would change, what a
recovery found; and the constants that name profiles, series and days."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pinviewer.core.wording import plural

DEFAULT_PROFILE = "My blog"
PROVISIONAL_DAYS = 2  # Pinterest finishes counting a day after 24-48 hours
Day = dt.date | str  # a day as a date (or datetime, pd.Timestamp) or ISO text
MAIN_SERIES = None  # the series of exports without filters, the API and Google Analytics
ALL_SERIES = "*"  # Store.facts(series=ALL_SERIES): every series' rows


@dataclass
class Recovery:
    """What ``Store.recover`` copied from a damaged history: labels such as 'import #3 (overview.csv)'."""

    source: Path
    recovered: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # in this history already (the same file)
    unreadable: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        parts = []
        if self.recovered:
            parts.append(f"Recovered {plural(len(self.recovered), 'import')} from {self.source.name}: "
                         f"{', '.join(self.recovered)}.")
        else:
            parts.append(f"No import could be recovered from {self.source.name}.")
        if self.already:
            parts.append(f"Already in your history: {', '.join(self.already)}.")
        if self.unreadable:
            parts.append(f"Too damaged to read: {', '.join(self.unreadable)}; import those files again.")
        return " ".join(parts)


@dataclass
class Profile:
    id: int
    name: str


@dataclass
class BatchInfo:
    id: int
    profile: str
    file_name: str
    sha256: str
    format: str
    format_label: str
    imported_at: str
    rows: int
    first_day: str | None
    last_day: str | None
    metrics: list[str]
    changes: dict[str, Any]
    undone_at: str | None
    series: str | None = None  # None: the main series
    series_label: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # filters, notes, tables (Pinterest's export)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Overlap:
    """How a batch's figures differ from what is stored for the same days (newest-wins would change them)."""

    days: int = 0  # days (or periods) that already have figures and would change
    values: int = 0  # single figures that differ
    metrics: list[str] = field(default_factory=list)
    examples: list[dict[str, Any]] = field(default_factory=list)  # {entity, date, metric, stored, incoming}

    def __bool__(self) -> bool:
        return self.values > 0


@dataclass
class ImportResult:
    batch_id: int | None
    already_imported: BatchInfo | None = None
    new_days: int = 0  # account or site days that had no figures before
    new_periods: int = 0  # Pins, sources or pages with figures over a period that had none before
    changed_days: int = 0  # days (or period rows) whose figures this import changed
    changed_values: int = 0
    new_entities: int = 0
    kept_existing: bool = False
    series_label: str | None = None  # set when the file went to a series of its own (an export with filters)

    def sentence(self) -> str:
        if self.already_imported is not None:
            when = self.already_imported.imported_at[:16].replace("T", " ")
            return (f"Already imported on {when} (import #{self.already_imported.id}); "
                    "nothing changed.")
        apart = (f" These figures are for “{self.series_label}” (the file's filters), kept apart from your "
                 "main figures." if self.series_label else "")
        parts = []
        if self.new_days:
            parts.append(f"added {plural(self.new_days, 'day')}")
        if self.new_periods:
            parts.append("added figures for "
                         f"{plural(self.new_periods, 'Pin, board, page or source', 'Pins, boards, pages or sources')}")
        if self.changed_days:
            parts.append(f"updated {plural(self.changed_days, 'day or row', 'days or rows')} "
                         f"({plural(self.changed_values, 'figure')} changed)")
        if self.kept_existing:
            parts.append("kept the figures you already had")
        if not parts:
            parts.append("nothing new: every figure was already stored")
        text = ", ".join(parts)
        return f"Import #{self.batch_id}: {text[0].upper()}{text[1:]}.{apart}"
