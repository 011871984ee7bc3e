"""The numpy-sorted table model: Qt's model tester, sorting with missing values, filtering, big frames."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from pinviewer.gui.table_model import COUNT, DATE, RATE, TEXT, Column, FrameTableModel, RawRole

COLUMNS = [Column("title", "Pin", TEXT), Column("board", "Board", TEXT), Column("created", "Created", DATE),
           Column("outbound_clicks", "Outbound", COUNT), Column("outbound_click_rate", "Click rate", RATE)]


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "pin_id": ["a", "b", "c", "d", "e"],
        "title": ["Lemon chicken", "sourdough starter", None, "Apple galette", "Reading nook"],
        "board": ["Dinners", "Baking", "Baking", "Baking", "Home"],
        "created": ["2025-01-02", "2024-05-06", None, "2026-03-04", "2025-07-08"],
        "outbound_clicks": [40.0, np.nan, 7.0, 40.0, 12.0],
        "outbound_click_rate": [0.004, np.nan, 0.01, 0.002, 0.0051],
    })


def keys(model) -> list[str]:
    return [model.record(r)["pin_id"] for r in range(model.rowCount())]


@pytest.fixture
def model(qapp):
    m = FrameTableModel(COLUMNS, ("title", "board"))
    m.set_frame(frame())
    return m


def test_passes_qtmodeltester(qtmodeltester, model):
    qtmodeltester.check(model, force_py=True)  # stays connected: checks every change below as it happens
    model.sort(3, Qt.SortOrder.DescendingOrder)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    model.set_filter("baking")
    model.set_frame(frame().iloc[::-1].reset_index(drop=True))
    model.set_frame(frame().iloc[:0])
    model.sort(4, Qt.SortOrder.AscendingOrder)


def test_sorts_numbers_with_missing_values_last_both_ways(model):
    model.sort(3, Qt.SortOrder.DescendingOrder)
    assert keys(model) == ["a", "d", "e", "c", "b"]  # ties keep the frame's order; NaN last
    model.sort(3, Qt.SortOrder.AscendingOrder)
    assert keys(model) == ["c", "e", "a", "d", "b"]
    assert model.data(model.index(4, 3)) == "\u2014"  # the one no-figure mark (core.wording.NO_FIGURE)
    assert model.data(model.index(4, 3), RawRole) is None


def test_sorts_text_case_blind_with_missing_last(model):
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert keys(model) == ["d", "a", "e", "b", "c"]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert keys(model) == ["b", "e", "a", "d", "c"]


def test_filter_matches_every_word_in_title_or_board_and_keeps_the_sort(model):
    model.sort(3, Qt.SortOrder.DescendingOrder)
    model.set_filter("BAKING")
    assert keys(model) == ["d", "c", "b"]
    model.set_filter("baking apple")
    assert keys(model) == ["d"]
    model.set_filter("")
    assert model.rowCount() == 5


def test_persistent_indexes_follow_their_row_when_sorting(model):
    model.sort(3, Qt.SortOrder.DescendingOrder)
    kept = QPersistentModelIndex(model.index(2, 1))  # "e"
    assert model.record(kept.row())["pin_id"] == "e"
    model.sort(3, Qt.SortOrder.AscendingOrder)
    assert kept.isValid() and model.record(kept.row())["pin_id"] == "e" and kept.column() == 1


def test_new_frame_keeps_sort_by_column_key_even_when_columns_change(model):
    model.sort(3, Qt.SortOrder.DescendingOrder)
    fewer = [COLUMNS[0], COLUMNS[3]]
    model.set_frame(frame(), fewer)
    assert model.sort_state() == (1, Qt.SortOrder.DescendingOrder)
    assert keys(model) == ["a", "d", "e", "c", "b"]


def test_display_tooltip_and_alignment(model):
    model.sort(3, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 4)) == "0.40%"
    assert model.data(model.index(0, 3), Qt.ItemDataRole.ToolTipRole) == "40"
    assert model.data(model.index(0, 2)) == "Jan 2, 2025"
    align = Qt.AlignmentFlag(model.data(model.index(0, 3), Qt.ItemDataRole.TextAlignmentRole))
    assert align & Qt.AlignmentFlag.AlignRight
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Outbound"
    assert model.headerData(9, Qt.Orientation.Horizontal) is None


def test_fifty_thousand_rows_sort_and_filter(qapp):
    rng = np.random.default_rng(1)
    n = 50_000
    big = pd.DataFrame({"pin_id": [str(i) for i in range(n)],
                        "title": [f"Pin {i} {'lemon' if i % 7 == 0 else 'bread'}" for i in range(n)],
                        "board": ["Board"] * n, "created": ["2025-01-01"] * n,
                        "outbound_clicks": rng.integers(0, 500, n).astype(float),
                        "outbound_click_rate": rng.random(n)})
    model = FrameTableModel(COLUMNS, ("title", "board"))
    model.set_frame(big)
    model.sort(3, Qt.SortOrder.DescendingOrder)
    values = [model.data(model.index(r, 3), RawRole) for r in range(0, n, 997)]
    assert values == sorted(values, reverse=True)
    model.set_filter("lemon")
    assert model.rowCount() == len(range(0, n, 7))


def test_passes_qt_own_model_tester(qtmodeltester, model):
    qtmodeltester.check(model)  # QAbstractItemModelTester (C++) when the binding has it
    model.sort(3, Qt.SortOrder.AscendingOrder)
    model.set_filter("home")
    model.set_frame(frame())
