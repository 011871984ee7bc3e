"""What each column of a table means: ``plan_columns`` looks its name up in the vocabulary and says which field
it is (a metric, a date, a text field) and which columns mean the same (``Col.twins``)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from pinviewer.core import metrics
from pinviewer.core.formats import vocabulary
from pinviewer.core.formats.problems import Problems

NUMBER, DATE, TEXT = "number", "date", "text"


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


def field_label(name: str) -> str:
    m = metrics.BY_NAME.get(name)
    return m.label if m else name.replace("_", " ")
