"""The Overview from the keyboard and with partial data (issue 14.6, 14.8): each Pin that brings visitors is one
Tab stop that Space opens; without Google Analytics the Conversions card stays, unknown, and says how to add it.

Real exports dropped on a real window, with a real SQLite history in a temporary PINVIEWER_HOME.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

import legacy_files
from pinviewer.gui import formatting as fmt
from test_gui_main_window import FILES, exports, import_by_drop  # noqa: F401 (exports: a fixture)


def pinterest_only(folder):
    folder.mkdir()
    return legacy_files.write(folder, [name for name in FILES if not name.startswith("ga4")])


def test_each_top_pin_is_one_tab_stop_and_space_opens_it(qtbot, window, exports):
    import_by_drop(qtbot, window, exports)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    dashboard = window.dashboard
    links = [w for w in dashboard.findChildren(QPushButton) if w.objectName() == "pinLink" and w.isVisible()]
    top = list(window.figures.top_pins["pin_id"])
    assert len(links) == len(top) >= 2
    links[0].setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(links[0].hasFocus)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is links[1], "the next Tab stop is the next Pin, nothing in between"
    with qtbot.waitSignal(dashboard.pin_chosen) as chosen:
        QTest.keyClick(links[1], Qt.Key.Key_Space)
    assert chosen.args == [str(top[1])]
    assert links[1].toolTip() and links[1].accessibleName().startswith("Open Pin ")


def test_a_title_with_an_ampersand_is_shown_as_written(qtbot, window, exports):
    import_by_drop(qtbot, window, exports)
    figures = window.figures
    figures.top_pins.loc[figures.top_pins.index[0], "title"] = "Salt & pepper cookies"
    window.dashboard.show_figures(figures)
    first = window.dashboard.top_grid.itemAtPosition(1, 0).widget()
    assert first.text() == "Salt && pepper cookies" and first.toolTip() == "Salt & pepper cookies"


def test_without_google_analytics_the_conversions_card_stays_and_says_how(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    import_by_drop(qtbot, window, pinterest_only(tmp_path / "Downloads"))
    card = window.dashboard.cards["key_events"]
    assert card.isVisibleTo(window)
    assert card.value_label.text() == fmt.DASH, "unknown, not 0"
    link = card.action_link
    assert link.isVisibleTo(window) and "Add Google Analytics — how?" in link.text()
    assert link.sizeHint().width() <= card.width(), "the link wraps rather than being cut on a narrow card"
    seen = []

    def answer():
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if not boxes:
            QTimer.singleShot(20, answer)
            return
        seen.append(boxes[0].text() + " " + boxes[0].informativeText())
        buttons = {b.text(): b for b in boxes[0].buttons()}
        seen.append(sorted(buttons))
        (buttons.get("Import…") or boxes[0].buttons()[0]).click()

    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args: asked.append(args) or ([], ""))
    QTimer.singleShot(20, answer)
    with qtbot.waitSignal(window.dashboard.import_requested):
        link.linkActivated.emit("how")
    assert asked, "Import… opened the file dialog"
    assert "Import…" in seen[1]
    assert "Traffic acquisition" in seen[0] and "Landing page" in seen[0] and "Google Analytics" in seen[0]


def test_with_google_analytics_the_card_shows_conversions_and_no_how(qtbot, window, exports):
    import_by_drop(qtbot, window, exports)
    card = window.dashboard.cards["key_events"]
    assert card.value_label.text() != fmt.DASH
    assert not card.action_link.isVisibleTo(window)


def test_with_google_analytics_for_other_days_the_card_does_not_ask_for_it_again(qtbot, window, exports):
    import datetime as dt

    from pinviewer.core import period_figures
    from pinviewer.core.analysis import Period

    import_by_drop(qtbot, window, exports)  # Google Analytics for November 2026 only
    figures = period_figures.compute(window.dataset, Period(dt.date(2025, 6, 1), dt.date(2025, 6, 30)), "previous")
    window.dashboard.show_figures(figures)
    card = window.dashboard.cards["key_events"]
    assert card.value_label.text() == fmt.DASH and "no figures for this period" in card.change_label.text()
    assert not card.action_link.isVisibleTo(window)
