"""File > Import history: every import listed, any of them undone after a confirmation that says what will
change, and the remembered column mappings reviewed and forgotten. Driven from the real main window."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from pinviewer.gui import import_history

TIMEOUT = 20_000
APRIL = [(f"2025-04-{d:02d}", 1000 + d, 10 + d, 5 + d) for d in range(1, 11)]


def overview_csv(path: Path, rows) -> Path:
    path.write_text("Date,Impressions,Outbound clicks,Saves\n"
                    + "".join(f"{day},{imp},{out},{saves}\n" for day, imp, out, saves in rows), encoding="utf-8")
    return path


def open_history(qtbot, window):
    window.menu_actions.history.trigger()
    dialog = window.imports.history
    qtbot.waitUntil(lambda: not dialog.loading, timeout=TIMEOUT)
    return dialog


def shown(dialog) -> list[list[str]]:
    model = dialog.model
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_history_lists_every_import_and_undoes_one_after_saying_what_changes(qtbot, window, tmp_path, monkeypatch):
    from pinviewer.core.store import Store

    first = overview_csv(tmp_path / "april.csv", APRIL)
    changed = [(d, i, o + (3 if k in (4, 5, 6) else 0), s) for k, (d, i, o, s) in enumerate(APRIL)]
    second = overview_csv(tmp_path / "april_again.csv", changed + [("2025-04-11", 1011, 21, 16)])
    for path in (first, second):  # dropped: recognised with certainty, imported at once
        with qtbot.waitSignal(window.figures_shown, timeout=TIMEOUT):
            window.imports.open_files([path])

    actions = window.menus["file"].actions()
    assert actions[actions.index(window.menu_actions.import_) + 1] is window.menu_actions.history
    assert window.menu_actions.history.text() == "Import &history…"
    dialog = open_history(qtbot, window)
    rows = shown(dialog)
    assert [r[1] for r in rows] == ["april_again.csv", "april.csv"]  # newest first
    assert rows[0][0] == "2" and rows[0][3] == "11" and rows[0][4] == "Apr 1 – 11, 2025"
    assert rows[0][5] == "Pinterest account overview"
    assert rows[0][6] == "Added 1 day, changed 3 days"
    assert rows[1][6] == "Added 10 days"
    assert rows[0][2]  # when, in the user's time zone

    # Cancel in the confirmation: nothing happens
    monkeypatch.setattr(import_history, "confirm_undo", lambda parent, info, batches: False)
    dialog.select(2)
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert not dialog.changed
    with Store.open() as store:
        assert all(b.undone_at is None for b in store.batches())

    asked = []

    def confirm(parent, info, batches):
        asked.append(import_history.undo_question(info, batches))
        return True

    monkeypatch.setattr(import_history, "confirm_undo", confirm)
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.changed, timeout=TIMEOUT)
    question, details = asked[0]
    assert question == "Undo the import of “april_again.csv”?"
    assert "Its 11 rows of figures (Apr 1 – 11, 2025) will be removed from PinViewer." in details
    assert "1 day it added will have no figures again." in details
    assert "3 days it changed go back to the figures you had before." in details
    assert "april.csv (#1)" in details
    assert shown(dialog)[0][6].startswith("Undone on")
    assert not dialog.undo_button.isEnabled()  # an undone import cannot be undone twice
    with Store.open() as store:
        assert [b.undone_at is not None for b in store.batches()] == [False, True]
    # closing the dialog reloads the window: the earlier figures are back
    with qtbot.waitSignal(window.loaded, timeout=TIMEOUT):
        dialog.reject()
    daily = window.dataset.daily
    assert daily["date"].max().date().isoformat() == "2025-04-10"
    assert float(daily.loc[daily["date"] == "2025-04-05", "outbound_clicks"].iloc[0]) == 15


def test_remembered_columns_can_be_reviewed_and_forgotten(qtbot, window):
    from pinviewer.core import mappings
    from pinviewer.core.formats.mapping import ColumnMapping

    mappings.remember(ColumnMapping(columns={"Tag": "date", "Klicks": "outbound_clicks", "Notiz": "ignore"},
                                    name="My sheet"), ["Tag", "Klicks", "Notiz"])
    dialog = open_history(qtbot, window)
    assert dialog.status.text() == "Nothing imported yet." and not dialog.undo_button.isEnabled()
    assert dialog.mapping_list.count() == 1
    assert dialog.mapping_list.item(0).text() == \
        "My sheet: Tag → Date (the day of each row), Klicks → Outbound clicks (1 column ignored)"
    assert not dialog.forget_button.isEnabled()
    dialog.mapping_list.setCurrentRow(0)
    qtbot.mouseClick(dialog.forget_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.mapping_list.count() == 0, timeout=TIMEOUT)
    assert mappings.all_remembered() == []
    assert dialog.mapping_status.text() == "No remembered columns."
    dialog.reject()


def test_history_shows_whole_file_names(qtbot, window, tmp_path):
    from PySide6.QtGui import QFontMetrics

    name = "Pinterest analytics overview export 2025-04-01 to 2025-04-10.csv"
    with qtbot.waitSignal(window.figures_shown, timeout=TIMEOUT):
        window.imports.open_files([overview_csv(tmp_path / name, APRIL)])
    dialog = open_history(qtbot, window)
    assert shown(dialog)[0][1] == name
    dialog.resize(1200, 660)  # a screen wide enough for the table
    width = dialog.view.horizontalHeader().sectionSize(1)
    assert width >= QFontMetrics(dialog.view.font()).horizontalAdvance(name)
    assert dialog.view.textElideMode() == Qt.TextElideMode.ElideMiddle  # were it longer still
    assert dialog.model.data(dialog.model.index(0, 1), Qt.ItemDataRole.ToolTipRole) == name
    dialog.close()
