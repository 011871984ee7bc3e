"""The window with Pinterest's real exports: the series box (exports with filters shown apart), what to
download next on the Overview and after an import, and how many Pins a figure covers."""
from __future__ import annotations

import datetime as dt

import pytest

from exports import IMPRESSIONS, ORGANIC_MOBILE, OUTBOUND
from pinviewer.core import session
from pinviewer.gui import tasks

TIMEOUT = 30_000


@pytest.fixture
def june_window(window, qtbot):
    with qtbot.waitSignal(window.figures_shown, timeout=TIMEOUT):
        window.imports.open_files([OUTBOUND, IMPRESSIONS, ORGANIC_MOBILE])
    tasks.wait_all()
    return window


def test_the_import_notice_names_the_series_and_says_what_to_download_next(june_window):
    text = june_window.messages.notice.text.text()
    assert "Organic Pins on mobile" in text and "kept apart from your main figures" in text
    assert "What to download next" in text and "<b>Saves</b>" in text


def test_the_series_box_shows_the_filtered_figures_apart(june_window, qtbot):
    box = june_window.series_box
    assert not box.isHidden() and box.count() == 2
    main_total = june_window.data.figures.summary.value("outbound_clicks")
    with qtbot.waitSignal(june_window.figures_shown, timeout=TIMEOUT):
        box.setCurrentIndex(1)
        box.activated.emit(1)
    assert june_window.view().series == "content types=organic;devices=mobile"
    assert june_window.data.dataset.series_label == "Organic Pins on mobile"
    organic_total = june_window.data.figures.summary.value("outbound_clicks")
    assert organic_total is not None and main_total is not None and organic_total != main_total


def test_the_overview_says_what_to_download_next(june_window, qtbot):
    custom = session.View("custom", (dt.date(2025, 6, 1), dt.date(2025, 6, 30)))
    with qtbot.waitSignal(june_window.figures_shown, timeout=TIMEOUT):
        june_window.period_picker.set_state(custom.preset, custom.compare, custom.custom)
        june_window.data.period_changed()
    steps = june_window.pages.dashboard.next_steps
    assert not steps.isHidden()
    assert "For June 2025 you have outbound clicks and impressions" in steps.text()
    assert "<b>Saves</b>" in steps.text()
    note = june_window.pages.pins.note.text()
    assert "Outbound clicks known for your top 50 Pins" in note and "saves not known for any Pin" in note
