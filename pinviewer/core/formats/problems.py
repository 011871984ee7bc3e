"""The problems a reader finds in a file, as sentences with their row and column: the first ones in full, the
rest counted; a row's file line is looked up once, at the end (``Problems.finish``)."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from pinviewer.core.formats.model import Problem
from pinviewer.core.formats.quoting import tidy_message
from pinviewer.core.formats.table_stream import TableText

MAX_ROW_PROBLEMS = 20


class Problems:
    """Collects problems; row problems keep their table and record so lines are looked up once, at the end."""

    def __init__(self, limit: int = MAX_ROW_PROBLEMS) -> None:
        self.limit = limit
        self.general: list[Problem] = []
        self._rows: list[tuple[TableText | None, int, str, str | None, bool]] = []
        self.more_fatal = 0

    def add(self, message: str, *, fatal: bool = True, column: str | None = None, row: int | None = None) -> None:
        self.general.append(Problem(tidy_message(message), row=row, column=column, fatal=fatal))

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
            self._rows.append((table, int(records[i]), tidy_message(message(int(i))), column, fatal))
        if fatal:
            self.more_fatal += len(where) - len(take)

    def row(self, table: TableText, record: int, message: str, column: str | None = None, fatal: bool = True) -> None:
        if self.room:
            self._rows.append((table, record, tidy_message(message), column, fatal))
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
