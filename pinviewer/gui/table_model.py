"""A table model over a pandas DataFrame that sorts and filters with numpy.

The frame is never copied per sort: the model keeps its columns as numpy arrays and one index array,
``order``, that says which frame rows are shown and in what order. Sorting permutes ``order`` inside
``layoutAboutToBeChanged``/``layoutChanged`` and moves persistent indexes with it; filtering changes the
row count, so it resets the model. Missing values sort last in both directions.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from pinviewer.gui import formatting as fmt

TEXT, COUNT, RATE, DATE, MONEY, URL = "text", "count", "rate", "date", "money", "url"
RawRole = Qt.ItemDataRole.UserRole  # the unformatted value (float, str or None)
RowRole = Qt.ItemDataRole.UserRole + 1  # the frame row behind a view row


@dataclass(frozen=True)
class Column:
    key: str  # the frame's column
    title: str  # header text (already translated)
    kind: str = COUNT
    tip: str = ""  # header tooltip: the plain explanation
    width: int = 96  # for text columns; numbers are sized to their header and a typical value
    tip_key: str | None = None  # a cell's tooltip shows this column's value too (e.g. a post's address)


class FrameTableModel(QAbstractTableModel):
    def __init__(self, columns: list[Column], filter_keys=("title",), parent=None):
        super().__init__(parent)
        self._columns = list(columns)
        self._filter_keys = tuple(filter_keys)
        self._frame = pd.DataFrame()
        self._arrays: dict[str, np.ndarray] = {}
        self._sort_keys: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # (sort key, missing) per column
        self._haystack: np.ndarray | None = None
        self._order = np.zeros(0, dtype=np.int64)
        self._filter = ""
        self._sort_key_name: str | None = None  # the sort follows the column's key when columns change
        self._sort_order = Qt.SortOrder.DescendingOrder

    # ---------------------------------------------------------------- content
    def set_frame(self, frame: pd.DataFrame, columns: list[Column] | None = None) -> None:
        """Show a new frame, keeping the sort and the filter."""
        self.beginResetModel()
        if columns is not None:
            self._columns = list(columns)
        self._frame = frame
        self._arrays = {}
        wanted = {c.key for c in self._columns} | {c.tip_key for c in self._columns if c.tip_key} | \
            set(self._filter_keys)
        for column in wanted:
            if column not in frame:
                self._arrays[column] = np.full(len(frame), np.nan if column not in self._filter_keys else None,
                                               dtype=object if column in self._filter_keys else float)
                continue
            values = frame[column]
            kind = next((c.kind for c in self._columns if c.key == column), TEXT)
            if kind in (COUNT, RATE, MONEY):
                self._arrays[column] = pd.to_numeric(values, errors="coerce").to_numpy(float, na_value=np.nan)
            else:
                self._arrays[column] = values.to_numpy(object)
        self._sort_keys = {}
        self._haystack = None
        self._order = self._filtered_rows()
        self._order = self._sorted(self._order)
        self.endResetModel()

    def columns(self) -> list[Column]:
        return list(self._columns)

    def frame(self) -> pd.DataFrame:
        return self._frame

    def frame_row(self, row: int) -> int:
        return int(self._order[row])

    def record(self, row: int) -> dict:
        """The frame's row behind a view row, as a dict."""
        return self._frame.iloc[self.frame_row(row)].to_dict()

    def find(self, key: str, value) -> int:
        """The view row showing the frame row whose ``key`` equals ``value``, or -1."""
        if key not in self._frame:
            return -1
        hits = np.flatnonzero(self._frame[key].to_numpy(object) == value)
        if not len(hits):
            return -1
        where = np.flatnonzero(np.isin(self._order, hits))
        return int(where[0]) if len(where) else -1

    # ---------------------------------------------------------------- filtering
    def set_filter(self, text: str) -> None:
        text = text.strip().lower()
        if text == self._filter:
            return
        self.beginResetModel()
        self._filter = text
        self._order = self._sorted(self._filtered_rows())
        self.endResetModel()

    def filter_text(self) -> str:
        return self._filter

    def total_rows(self) -> int:
        return len(self._frame)

    def _filtered_rows(self) -> np.ndarray:
        everything = np.arange(len(self._frame), dtype=np.int64)
        if not self._filter:
            return everything
        if self._haystack is None:
            parts = [self._arrays[k] for k in self._filter_keys]
            self._haystack = np.array(["\t".join(str(p[i]).lower() for p in parts if isinstance(p[i], str))
                                       for i in range(len(self._frame))], dtype=object)
        words = self._filter.split()
        keep = np.fromiter((all(w in text for w in words) for text in self._haystack), dtype=bool,
                           count=len(self._haystack))
        return everything[keep]

    # ---------------------------------------------------------------- sorting
    def _sort_key(self, column: Column) -> tuple[np.ndarray, np.ndarray]:
        """(key, missing) arrays over the whole frame, built once per frame and column."""
        if column.key not in self._sort_keys:
            values = self._arrays[column.key]
            if values.dtype == object:
                missing = np.array([not isinstance(v, str) or not v for v in values], dtype=bool)
                key = np.array([v.casefold() if isinstance(v, str) else "" for v in values], dtype=str)
            else:
                missing = np.isnan(values)
                key = values
            self._sort_keys[column.key] = (key, missing)
        return self._sort_keys[column.key]

    @property
    def _sort_column(self) -> int:
        keys = [c.key for c in self._columns]
        return keys.index(self._sort_key_name) if self._sort_key_name in keys else -1

    def _sorted(self, rows: np.ndarray) -> np.ndarray:
        if self._sort_column < 0 or not len(rows):
            return rows
        key, missing = self._sort_key(self._columns[self._sort_column])
        sub_key, sub_missing = key[rows], missing[rows]
        present = rows[~sub_missing]
        present_key = sub_key[~sub_missing]
        if self._sort_order == Qt.SortOrder.DescendingOrder:
            # stable descending: reverse, sort ascending stably, reverse back keeps ties in frame order
            order = np.argsort(present_key[::-1], kind="stable")[::-1]
            present = present[::-1][order]
        else:
            present = present[np.argsort(present_key, kind="stable")]
        return np.concatenate([present, rows[sub_missing]])

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            self._sort_key_name = None
            return
        self._sort_key_name, self._sort_order = self._columns[column].key, order
        if not len(self._order):
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old_rows = [self._order[p.row()] if 0 <= p.row() < len(self._order) else -1 for p in persistent]
        self._order = self._sorted(self._order)
        position = np.empty(len(self._frame), dtype=np.int64)
        position[self._order] = np.arange(len(self._order))
        self.changePersistentIndexList(
            persistent, [self.index(int(position[r]), p.column()) if r >= 0 else QModelIndex()
                         for p, r in zip(persistent, old_rows)])
        self.layoutChanged.emit()

    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort_column, self._sort_order

    # ---------------------------------------------------------------- Qt model interface
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_alignment(column.kind))
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._order)) \
                or not (0 <= index.column() < len(self._columns)):
            return None
        column = self._columns[index.column()]
        row = int(self._order[index.row()])
        value = self._arrays[column.key][row]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_value(column.kind, value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_alignment(column.kind))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tip_key:
                extra = self._arrays[column.tip_key][row]
                parts = [v for v in (value, extra) if isinstance(v, str) and v]
                return "\n".join(dict.fromkeys(parts)) or None
            if column.kind in (TEXT, URL) and isinstance(value, str):
                return value
            if column.kind == COUNT and not fmt.missing(value):
                return fmt.count(value)
            if column.kind == RATE and not fmt.missing(value):
                return fmt.percent(value, 3)
            return None
        if role == RawRole:
            if isinstance(value, float) and np.isnan(value):
                return None
            return value.item() if isinstance(value, np.generic) else value
        if role == RowRole:
            return row
        return None


def _alignment(kind: str):
    if kind in (COUNT, RATE, MONEY):
        return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def display_value(kind: str, value) -> str:
    if kind == COUNT:
        return fmt.count(value)
    if kind == RATE:
        return fmt.percent(value)
    if kind == MONEY:
        return fmt.money(value)
    if kind == DATE:
        if isinstance(value, str) and len(value) >= 10:
            try:
                return fmt.day(dt.date.fromisoformat(value[:10]))
            except ValueError:
                return value
        return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def setup_table_view(view, row_height: int, *, sortable: bool = True, selectable: bool = True) -> None:
    """The one look of PinViewer's tables: whole rows, no grid, one line per row, elided text, smooth
    scrolling, no row numbers, fixed row height."""
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView

    view.setSortingEnabled(sortable)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection if selectable
                          else QAbstractItemView.SelectionMode.NoSelection)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setCornerButtonEnabled(False)
    vertical = view.verticalHeader()
    vertical.setVisible(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(row_height)
