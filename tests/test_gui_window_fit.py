"""Where a new user stumbled (issue 14): undo that stays in its profile, a file that overlaps days you have,
posts you can tell apart, pages that say which download fills them, a window that fits the screen, readable
colours, a strict command line, and screenshots in which nothing is cut short.

Real files, the real readers and a real SQLite store in a temporary PINVIEWER_HOME; the screenshots are taken
by ``python -m pinviewer`` itself, offscreen, at 1024x700 and at 1600x1000 with QT_SCALE_FACTOR=1.5.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pinviewer.gui import style, tasks
from test_gui_main_window import TIMEOUT, drop, import_by_drop

HEAD = ("\ufeffPinterest analytics overview\nDate range: 2026-11-13 - 2026-11-22\n\n"
        "Date,Impressions,Outbound clicks,Saves\n")


def overview(path: Path, clicks: list[int]) -> Path:
    rows = "".join(f"2026-11-{13 + i:02d},1000,{c},5\n" for i, c in enumerate(clicks))
    path.write_text(HEAD + rows, encoding="utf-8")
    return path


def clicks_in_store() -> float:
    from pinviewer.core import analysis
    from pinviewer.core.store import Store

    with Store.open() as store:
        ds = store.load(store.profile())
        return analysis.summary(ds, analysis.preset_period(ds, "all_time"))["totals"]["outbound_clicks"]


# ----------------------------------------------------------------------------------------------- undo and overlap
def test_the_notice_leaves_with_its_profile_and_undo_never_reaches_the_sample_blog(qtbot, window, tmp_path,
                                                                                monkeypatch):
    from pinviewer.core import session
    from pinviewer.core.errors import PinviewerError
    from pinviewer.gui import errors

    import_by_drop(qtbot, window, [overview(tmp_path / "mine.csv", [10] * 10)])
    undo = window.messages.notice.buttons()[0]
    mine = window.data.profile_key()
    with qtbot.waitSignal(window.loaded, timeout=TIMEOUT):
        window.profiles.open_demo()
    assert window.demo and window.messages.banner.isVisibleTo(window)
    assert not window.messages.notice.isVisibleTo(window), "the notice about my file went with my profile"
    assert undo.text() == "Undo"
    # the old notice's Undo, had it stayed, would be refused: the sample blog's files stay
    said = []
    monkeypatch.setattr(errors, "show_problem", lambda parent, message, title=None: said.append(message))
    demo_batches = len(window.store.batches(window.profile, include_undone=False))
    window.imports.undo([1], mine)
    tasks.wait_all()
    assert said and "another profile" in said[0]
    assert window.demo and window.messages.banner.isVisibleTo(window)
    assert len(window.store.batches(window.profile, include_undone=False)) == demo_batches
    first = window.store.batches(window.profile)[0].id
    with pytest.raises(PinviewerError, match="sample blog"):
        session.undo(window.store, window.profile, [first], False, window.view())
    # and my own import is untouched
    assert clicks_in_store() == 100


def test_a_file_over_days_you_have_says_so_and_can_keep_what_you_had(qtbot, window, tmp_path):
    import_by_drop(qtbot, window, [overview(tmp_path / "first.csv", [10] * 10)])
    assert "replaced" not in window.messages.notice.text.text()
    newer = overview(tmp_path / "second.csv", [10] * 5 + [20] * 5)
    with qtbot.waitSignal(window.figures_shown, timeout=TIMEOUT):
        drop(qtbot, window.dashboard, [newer])
    text = window.messages.notice.text.text()
    assert "It replaced the figures you had for 5 days between Nov 13 – 22, 2026" in text
    assert [b.text() for b in window.messages.notice.buttons()] == ["Undo", "Keep what I had"]
    assert clicks_in_store() == 150  # newer file wins
    with qtbot.waitSignal(window.loaded, timeout=TIMEOUT):
        window.messages.notice.buttons()[1].click()
    assert clicks_in_store() == 100
    assert "Kept the figures you had" in window.messages.notice.text.text()


# ----------------------------------------------------------------------------------------------- pages
def test_posts_have_titles_and_a_detail_with_their_pins(qtbot, window, tmp_path):
    import legacy_files
    from test_gui_main_window import FILES

    import_by_drop(qtbot, window, legacy_files.write(tmp_path, FILES))
    window.show_page(2)
    page = window.posts_page
    titles = [page.model.record(r)["title"] for r in range(page.model.rowCount())]
    assert all(isinstance(t, str) and t for t in titles)
    header = page.view.horizontalHeader()
    assert header.sectionSize(0) >= max(header.sectionSize(i) for i in range(1, header.count()))
    page.view.selectRow(0)
    record = page.model.record(0)
    detail = page.detail
    assert detail.title.text() == record["title"] and detail.open_post.isVisibleTo(window)
    assert detail.pins.count() == record["pins"]
    pin_id = detail.pins.item(0).data(256)
    detail.pins.itemActivated.emit(detail.pins.item(0))
    assert window.stack.currentWidget() is window.pins_page
    assert window.pins_page.detail.pin_id == pin_id


def test_pages_without_figures_say_which_download_fills_them(qtbot, window, tmp_path):
    import_by_drop(qtbot, window, [overview(tmp_path / "account.csv", [10] * 10)])
    for index, page, words in ((1, window.pins_page, "Top Pins"), (2, window.posts_page, "Landing page")):
        window.show_page(index)
        assert page.empty_note.isVisibleTo(window) and words in page.empty_note.text()
        assert not page.view.isVisibleTo(window)


def test_readable_post_titles_from_addresses():
    from pinviewer.gui.post_detail import readable_title

    assert readable_title("https://blog.example/2026/11/closet-turned-library/?utm=x") == "Closet turned library"
    assert readable_title("blog.example/recipes/chili_batch.html") == "Chili batch"
    assert readable_title("https://blog.example/") == "blog.example"


# ----------------------------------------------------------------------------------------------- window manners
def test_the_window_fits_the_screen(qtbot):
    from PySide6.QtCore import QRect

    from pinviewer.gui import settings
    from pinviewer.gui.main_window import MainWindow
    from pinviewer.gui.window_geometry import fit_to_screen

    available = QRect(0, 30, 1066, 636)  # 1600x1000 at 150%, less a panel
    assert fit_to_screen(QRect(-200, 900, 1920, 1200), available) == available
    assert fit_to_screen(QRect(100, 100, 800, 500), available) == QRect(100, 100, 800, 500)
    big = MainWindow()
    qtbot.addWidget(big)
    big.setGeometry(-300, -300, 4000, 3000)
    settings.put(settings.GEOMETRY, big.saveGeometry())
    again = MainWindow()
    qtbot.addWidget(again)
    screen = again.screen().availableGeometry()
    assert screen.contains(again.geometry()), (again.geometry(), screen)
    fresh_home = MainWindow  # a first start has no saved geometry: the size comes from the screen
    settings.put(settings.GEOMETRY, None)
    first = fresh_home()
    qtbot.addWidget(first)
    assert first.width() <= screen.width() and first.height() <= screen.height()


def test_text_in_metric_colours_reads_at_4_5_to_1_in_both_schemes():
    for theme in (style.LIGHT, style.DARK):
        for colour in (style.OUTBOUND, style.SAVES, style.CONVERSIONS, style.VISITS):
            text = style.readable(colour, theme)
            assert style.contrast(text, theme.surface) >= 4.5 and style.contrast(text, theme.window) >= 4.5
    assert style.contrast(style.SAVES, "#ffffff") < 2.5  # what the orange cards said before
    sheet = style.style_sheet(style.LIGHT)
    assert "navList::item:focus" in sheet and "QTableView:focus" in sheet  # focus is shown
    assert "QCalendarWidget QTableView::item { padding: 0" in sheet  # the tables' padding stays out


def test_unknown_options_are_an_error(capsys):
    from pinviewer.gui.launch import parse_args, run_gui

    assert run_gui(["--demo", "--bogus"]) == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err
    assert run_gui(["--size", "10x10"]) == 2  # --size goes with --screenshot
    assert run_gui(["--screenshot", "x.png", "--size", "big"]) == 2
    args, qt = parse_args(["-platform", "offscreen", "--demo", "export.csv", "-style=Fusion"])
    assert args.demo and args.files == [Path("export.csv")] and qt == ["-platform", "offscreen", "-style=Fusion"]


# ----------------------------------------------------------------------------------------------- screenshots
@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    """One PINVIEWER_HOME for every screenshot (the sample blog is built once)."""
    return tmp_path_factory.mktemp("shots")


@pytest.mark.parametrize("page", ["overview", "pins", "posts", "insights"])
def test_screenshots_at_150_percent_cut_nothing_short(shots, page, qapp):
    """The real ``--screenshot`` process at 1600x1000 with QT_SCALE_FACTOR=1.5 (a scale is set per process)."""
    from PySide6.QtGui import QImage

    out = shots / f"{page}-1600x1000.png"
    env = {**os.environ, "PINVIEWER_HOME": str(shots / "home"), "QT_SCALE_FACTOR": "1.5",
           "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-m", "pinviewer", "--demo", "--screenshot", str(out), "--page", page,
                             "--size", "1600x1000"], capture_output=True, text=True, env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    assert "Cut short" not in result.stderr, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1600, 1000)


def test_every_page_at_1024x700_cuts_nothing_short(qtbot, qapp):
    """The sample blog's window at 1024x700 in PinViewer's style, each page in turn: what ``--screenshot`` would
    report as cut short (labels on the cards, the period bar, the profile box, the table headers) is nothing,
    and the grab is the size asked for."""
    from pinviewer.gui import screenshot
    from pinviewer.gui.main_window import MainWindow
    from pinviewer.gui.pages import INSIGHTS

    style.apply(qapp, dark=False)  # the look the app starts with
    window = MainWindow(demo=True)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.figures_shown, timeout=30_000):
        window.start()
    window.setMinimumSize(1, 1)
    window.resize(1024, 700)
    for page in range(len(screenshot.PAGES)):
        if page == INSIGHTS:
            with qtbot.waitSignal(window.insights_shown, timeout=30_000):
                window.show_page(page)
        else:
            window.show_page(page)
        qtbot.wait(50)  # the layout settles, as before the shot
        assert screenshot.clipped_texts(window) == [], screenshot.PAGES[page]
        image = window.grab().toImage()
        assert (image.width(), image.height()) == (1024, 700)
    tasks.wait_all()
    window.close()


def _ink_widths(calendar) -> dict[str, int]:
    """For each day drawn in the calendar's grid: how many pixel columns of its cell carry ink."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTableView

    table = calendar.findChild(QTableView)
    image = table.viewport().grab().toImage()
    model, widths = table.model(), {}
    for row in range(model.rowCount()):  # the weekday header, then the weeks
        for column in range(model.columnCount()):
            index = model.index(row, column)
            text = str(model.data(index, Qt.ItemDataRole.DisplayRole) or "")
            rect = table.visualRect(index).adjusted(1, 1, -1, -1)
            back = image.pixelColor(rect.left(), rect.top())

            def ink(x, y, back=back):
                c = image.pixelColor(x, y)
                return abs(c.red() - back.red()) + abs(c.green() - back.green()) + abs(c.blue() - back.blue()) > 150

            inked = sum(1 for x in range(rect.left(), rect.right()) if any(ink(x, y) for y in range(rect.top(),
                                                                                                   rect.bottom())))
            widths[f"{row},{column}:{text}"] = inked
    return widths


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_custom_period_calendar_draws_every_day(qtbot, theme):
    import datetime as dt

    from PySide6.QtGui import QFontMetrics

    from pinviewer.gui.period_picker import CustomPeriodDialog

    dialog = CustomPeriodDialog(dt.date(2026, 10, 1), dt.date(2026, 10, 31), dt.date(2024, 1, 1),
                                dt.date(2026, 11, 22))
    qtbot.addWidget(dialog)
    dialog.setStyleSheet(style.style_sheet(style.DARK if theme == "dark" else style.LIGHT))  # as the app's
    calendar = dialog.start_edit.calendarWidget()
    calendar.setParent(dialog, calendar.windowFlags())
    calendar.resize(calendar.sizeHint())  # as small as the popup opens
    calendar.show()
    qtbot.waitExposed(calendar)
    metrics = QFontMetrics(calendar.font())
    for cell, inked in _ink_widths(calendar).items():
        text = cell.split(":", 1)[1]
        assert inked >= 0.6 * metrics.horizontalAdvance(text), cell  # the whole number is drawn


def test_file_dialogs_remember_the_last_folder(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    asked = []
    folder = tmp_path / "Downloads"
    folder.mkdir()
    export = overview(folder / "account.csv", [10] * 10)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda parent, title, start, filters: asked.append(start) or ([str(export)], ""))
    with qtbot.waitSignal(window.figures_shown, timeout=TIMEOUT):
        window.menu_actions.import_.trigger()
    assert asked[0] == str(Path.home()) and ".xlsx" not in "".join(asked)
    window.menu_actions.import_.trigger()
    tasks.wait_all()
    assert asked[1] == str(folder)
