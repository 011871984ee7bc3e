"""The one background-task helper (results on the GUI thread, busy cursor, progress with Cancel) and the
error manners (friendly sentences; the unexpected logged, shown with the log's name, silent in tests)."""
from __future__ import annotations

import logging
import threading
import time

import pytest
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from pinviewer.core.errors import Cancelled, PinviewerError
from pinviewer.gui import errors, tasks
from pinviewer.gui import formatting as fmt


def test_result_comes_back_on_the_gui_thread(qtbot):
    seen = {}

    def work(progress, cancelled):
        seen["worker"] = threading.get_ident()
        progress(1, 2, "half")
        return 42

    done = []
    tasks.run(None, work, on_done=lambda r: done.append((r, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert done == [(42, threading.get_ident())]
    assert seen["worker"] != threading.get_ident()


def test_expected_errors_reach_on_error(qtbot):
    got = []

    def work(progress, cancelled):
        raise PinviewerError("This file has no Date column.")

    tasks.run(None, work, on_error=lambda e: got.append(str(e)) or True)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert got == ["This file has no Date column."]


def test_slow_work_shows_busy_cursor_then_progress_and_cancel_stops_it(qtbot):
    def work(progress, cancelled):
        for i in range(400):
            if cancelled():
                raise Cancelled()
            progress(i, 400, "Reading")
            time.sleep(0.01)
        return "finished"

    results, failures = [], []
    task = tasks.run(None, work, label="Importing a big file…", on_done=results.append,
                     on_error=lambda e: failures.append(e) or True)
    qtbot.waitUntil(lambda: QApplication.overrideCursor() is not None, timeout=2000)
    qtbot.waitUntil(lambda: task.progress_dialog is not None and task.progress_dialog.isVisible(), timeout=3000)
    dialog = task.progress_dialog
    assert isinstance(dialog, QProgressDialog) and dialog.maximum() == 400
    assert "Importing a big file" in dialog.labelText()
    cancel = dialog.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    cancel.click()
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert isinstance(failures[0], Cancelled) and results == []
    assert QApplication.overrideCursor() is None
    assert task.progress_dialog is None


def test_quick_work_shows_nothing(qtbot):
    done = []
    task = tasks.run(None, lambda p, c: "quick", label="Quick", on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=2000)
    qtbot.wait(700)
    assert task.progress_dialog is None and QApplication.overrideCursor() is None


def test_the_unexpected_is_logged_and_shows_no_dialog_in_tests(qtbot, caplog, monkeypatch):
    shown = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.exec", lambda self: shown.append(self.text()))
    errors.install()
    try:
        with caplog.at_level(logging.ERROR, logger="pinviewer.unexpected"):
            try:
                raise ValueError("a bug")
            except ValueError:
                import sys

                sys.excepthook(*sys.exc_info())
        assert "ValueError: a bug" in caplog.text
        assert shown == []
        monkeypatch.setenv("PINVIEWER_TESTING", "0")
        try:
            raise KeyError("another")
        except KeyError:
            import sys

            sys.excepthook(*sys.exc_info())
        assert len(shown) == 1 and "pinviewer.log" in shown[0]
    finally:
        errors.uninstall()


@pytest.mark.parametrize("value, text", [(1284, "1,284"), (None, "—"), (float("nan"), "—")])
def test_counts(value, text):
    assert fmt.count(value) == text


@pytest.mark.parametrize("value, text", [(950, "950"), (9999, "9,999"), (12345, "12.3k"), (246000, "246k"),
                                         (1_234_567, "1.2M"), (20000, "20k")])
def test_short_counts_where_space_is_tight(value, text):
    assert fmt.short(value) == text


@pytest.mark.parametrize("value, text", [(0.0052, "0.52%"), (0.013, "1.3%"), (0.125, "13%"), (None, "—")])
def test_rates(value, text):
    assert fmt.percent(value) == text


def test_changes_have_an_arrow_and_a_sign_not_only_a_colour():
    assert fmt.relative_change(0.18) == "▲ 18%"
    assert fmt.relative_change(-0.019) == "▼ 1.9%"
    assert fmt.relative_change(0.0001) == "● 0%"
    assert fmt.point_change(0.0052, 0.0055) == "▼ 0.03 pts"
