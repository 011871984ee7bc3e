"""The main window driven as a user would: drop files, read the cards, change the period, undo, profiles.

Real files (the demo blog's exports that ship with PinViewer), the real readers and a real SQLite store in
a temporary PINVIEWER_HOME; the cards are compared with ``analysis.summary`` on the same store, i.e. with
what ``pinviewer summary --json`` prints.
"""
from __future__ import annotations

import math
import shutil
import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

import legacy_files
from pinviewer import paths
from pinviewer.gui import settings, tasks
from pinviewer.gui.main_window import OVERVIEW, PINS, MainWindow

DEMO = Path(paths.resource_path("demo"))
FILES = ("pinterest_overview_2y.csv", "pinterest_top_pins_2026-11.csv", "pinterest_top_pins_2026-10.csv",
         "ga4_source_medium_2026-11.csv", "ga4_landing_pages_2026-11.csv")
TIMEOUT = 30_000


@pytest.fixture
def exports(tmp_path) -> list[Path]:
    folder = tmp_path / "Downloads"
    folder.mkdir()
    return legacy_files.write(folder, FILES)


def drop(qtbot, target, files) -> None:
    """A drag of file URLs from a file manager, entering and dropping on ``target``."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    point = QPointF(target.width() / 2, target.height() / 2)
    with warnings.catch_warnings():  # PySide marks the QPoint constructor deprecated; it is the one that works
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(point.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    event = QDropEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, event)
    assert event.isAccepted()


def summary_for(preset: str, compare: str = "previous") -> dict:
    from pinviewer.core import analysis
    from pinviewer.core.store import Store

    with Store.open() as store:
        ds = store.load(store.profile())
        return analysis.summary(ds, analysis.preset_period(ds, preset), compare=compare)


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def assert_cards_match(win, data: dict) -> None:
    cards = win.dashboard.cards
    assert win.figures.period.start.isoformat() == data["period"]["start"]
    assert win.figures.period.end.isoformat() == data["period"]["end"]
    for name in ("outbound_clicks", "saves", "impressions"):
        compared = data["changes"][name]["compared"]
        assert same(cards[name].value, data["totals"][name]), name
        assert same(cards[name].previous, data["previous"]["totals"][name] if compared else None), name
        assert same(cards[name].change, data["change"][name]), name
        assert cards[name].direction == data["changes"][name]["direction"], name
    for name in ("outbound_click_rate", "save_rate"):
        compared = data["changes"][name]["compared"]
        assert same(cards[name].value, data["rates"][name]), name
        assert same(cards[name].previous, data["previous"]["rates"][name] if compared else None), name
    if data["site"]:
        assert cards["key_events"].isVisibleTo(win) and same(cards["key_events"].value, data["site"]["key_events"])
    # the words on the cards are the same figures
    from pinviewer.gui import formatting as fmt

    assert cards["outbound_clicks"].value_label.text() == fmt.count(data["totals"]["outbound_clicks"])
    assert cards["save_rate"].value_label.text() == fmt.percent(data["rates"]["save_rate"])


def import_by_drop(qtbot, win, files) -> None:
    with qtbot.waitSignal(win.figures_shown, timeout=TIMEOUT):
        drop(qtbot, win.empty_page.target, files)


# ----------------------------------------------------------------------------------------------- tests
def test_first_screen_teaches_what_to_drop(window):
    assert window.stack.currentWidget() is window.empty_page
    assert "Drop your Pinterest or Google Analytics export here" in window.empty_page.title.text()
    texts = [b.text() for b in (window.empty_page.import_button, window.empty_page.connect_button,
                                window.empty_page.demo_button)]
    assert texts == ["Import a file…", "Connect Pinterest…", "Try the sample data"]
    assert not window.nav.isVisibleTo(window) and not window.period_picker.isVisibleTo(window)


def test_drop_of_real_files_fills_the_dashboard_with_the_summary_figures(qtbot, window, exports):
    import_by_drop(qtbot, window, exports)
    assert window.stack.currentWidget() is window.dashboard
    assert window.nav.isVisibleTo(window)
    assert_cards_match(window, summary_for("last_30"))
    # the notice names what was added and offers Undo
    assert window.messages.notice.isVisibleTo(window)
    for name in FILES:
        assert name in window.messages.notice.text.text()
    assert [b.text() for b in window.messages.notice.buttons()] == ["Undo"]
    # the chart has one point per day, gaps as NaN, and the funnel its steps
    x, y = window.dashboard.chart.curve_data("outbound_clicks")
    assert len(x) == 30 and (x[1] - x[0]) == 86400
    assert [s["metric"] for s in window.dashboard.funnel.steps][:1] == ["impressions"]
    assert window.pins_page.model.rowCount() > 100


def test_changing_the_period_gives_the_summary_figures(qtbot, window, exports):
    import_by_drop(qtbot, window, exports)
    for preset, compare in (("last_7", "previous"), ("last_90", "year"), ("this_month", "previous"),
                            ("last_month", "previous"), ("all_time", "previous"), ("last_30", "year")):
        with qtbot.waitSignal(window.figures_shown, timeout=TIMEOUT):
            window.period_picker.choose(preset, compare=compare)
        assert_cards_match(window, summary_for(preset, compare))
    # the choice is remembered for next time
    assert settings.get_str(settings.PRESET) == "last_30" and settings.get_str(settings.COMPARE) == "year"


def test_custom_period(qtbot, window, exports):
    import datetime as dt

    from pinviewer.core import analysis
    from pinviewer.core.store import Store

    import_by_drop(qtbot, window, exports)
    start, end = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    with qtbot.waitSignal(window.figures_shown, timeout=TIMEOUT):
        window.period_picker.choose("custom", (start, end))
    with Store.open() as store:
        ds = store.load(store.profile())
        data = analysis.summary(ds, analysis.Period(start, end))
    assert_cards_match(window, data)
    assert window.period_picker.range_label.text() == "Mar 1 – 31, 2026"


def test_undo_from_the_notice_removes_what_the_drop_added(qtbot, window, exports):
    from pinviewer.core.store import Store

    import_by_drop(qtbot, window, exports[:1])
    undo = window.messages.notice.buttons()[0]
    with qtbot.waitSignal(window.loaded, timeout=TIMEOUT):
        undo.click()
    assert window.stack.currentWidget() is window.empty_page
    with Store.open() as store:
        assert all(b.undone_at for b in store.batches())
    assert "Undid the import of pinterest_overview_2y.csv" in window.messages.notice.text.text()


def test_dropping_the_same_file_again_changes_nothing_and_says_so(qtbot, window, exports):
    import_by_drop(qtbot, window, exports[:1])
    with qtbot.waitSignal(window.figures_shown, timeout=TIMEOUT):
        drop(qtbot, window.dashboard, exports[:1])
    assert "Already imported" in window.messages.notice.text.text()
    assert window.messages.notice.buttons() == []


def test_a_file_not_recognised_with_certainty_goes_to_the_wizard(qtbot, window, tmp_path, monkeypatch):
    odd = tmp_path / "my_numbers.csv"
    odd.write_text("Day,Clicks on pins,Things\n2026-01-01,3,4\n2026-01-02,5,6\n", encoding="utf-8")
    asked = []
    monkeypatch.setattr(window.imports, "open_wizard", lambda files: asked.append(list(files)))
    drop(qtbot, window.empty_page.target, [odd])
    qtbot.waitUntil(lambda: bool(asked), timeout=TIMEOUT)
    assert asked == [[odd]]
    assert window.imports.wizard_reasons[odd]  # what the readers saw, for the wizard
    assert window.stack.currentWidget() is window.empty_page


def test_a_file_that_is_not_an_export_gets_a_sentence(qtbot, window, tmp_path):
    shutil.copy(Path(__file__).parent / "data" / "samples" / "mailchimp_audience_export.csv",
                tmp_path / "subscribers.csv")
    drop(qtbot, window.empty_page.target, [tmp_path / "subscribers.csv"])
    qtbot.waitUntil(lambda: window.messages.notice.isVisibleTo(window), timeout=TIMEOUT)
    assert "subscribers.csv" in window.messages.notice.text.text()
    assert "Mailchimp" in window.messages.notice.text.text()
    assert window.messages.notice.property("problem") == "true"


def test_files_named_on_the_command_line_are_imported_like_a_drop(qtbot, exports):
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.figures_shown, timeout=TIMEOUT):
        win.start(files=exports[:2])
    assert exports[0].name in win.messages.notice.text.text()
    tasks.wait_all()
    win.close()


def test_choosing_a_top_pin_opens_its_detail(qtbot, window, exports):
    import_by_drop(qtbot, window, exports)
    top = window.figures.top_pins.iloc[0]
    window.dashboard.pin_chosen.emit(top["pin_id"])
    assert window.stack.currentWidget() is window.pins_page
    assert window.nav.current() == PINS
    detail = window.pins_page.detail
    assert detail.pin_id == top["pin_id"]
    assert detail.open_post.isVisibleTo(window) and detail.post_url.scheme() == "https"
    assert detail.bars.bars, "the Pin's figures per export period"
    window.show_page(OVERVIEW)


def test_window_geometry_and_period_are_remembered(qtbot, exports, monkeypatch):
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    with qtbot.waitSignal(first.figures_shown, timeout=TIMEOUT):
        first.start(files=exports[:1])
    first.resize(1111, 777)
    with qtbot.waitSignal(first.figures_shown, timeout=TIMEOUT):
        first.period_picker.choose("last_90", compare="year")
    tasks.wait_all()
    saved = first.saveGeometry()
    first.close()
    ini = paths.config_dir() / "pinviewer.ini"
    assert ini.exists() and "geometry" in ini.read_text()
    restored = []
    # the offscreen screen is smaller than the window, so Qt would clamp it: check what is handed back
    monkeypatch.setattr(MainWindow, "restoreGeometry", lambda self, data: restored.append(bytes(data)) or True)
    second = MainWindow()
    qtbot.addWidget(second)
    second.build()
    assert restored == [bytes(saved)]
    assert (second.period_picker.preset(), second.period_picker.compare()) == ("last_90", "year")
    second.close()


def test_save_pdf_writes_the_summary_page(qtbot, window, exports, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    import_by_drop(qtbot, window, exports)
    target = tmp_path / "summary.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    window.paper.save_pdf()
    qtbot.waitUntil(target.exists, timeout=TIMEOUT)
    assert target.read_bytes()[:5] == b"%PDF-"
    assert "summary.pdf" in window.messages.notice.text.text()
    assert [b.text() for b in window.messages.notice.buttons()] == ["Open", "Show in folder"]


def test_print_goes_through_the_preview_to_the_printer(qtbot, window, exports, tmp_path, monkeypatch):
    """File > Print shows a preview; printing from it paints the same page (here into a PDF printer)."""
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    import_by_drop(qtbot, window, exports)
    target = tmp_path / "printed.pdf"

    sizes = []

    def fake_exec(dialog):  # what the preview's Print button does, without a person to press it
        sizes.append(dialog.size())
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        dialog.paintRequested.emit(printer)
        return 1

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    window.paper.print_summary()
    qtbot.waitUntil(lambda: target.exists() and target.stat().st_size > 1000, timeout=TIMEOUT)
    assert target.read_bytes()[:5] == b"%PDF-"
    screen = window.screen().availableGeometry()
    assert sizes[0].height() >= 0.85 * screen.height() and sizes[0].height() <= screen.height()  # a page to read


def test_insights_page_shows_sentences_and_links_to_pins(qtbot, window, exports):
    import_by_drop(qtbot, window, exports)
    with qtbot.waitSignal(window.insights_shown, timeout=TIMEOUT):
        window.show_page(3)
    assert window.stack.currentWidget() is window.insights_page
    assert window.insights_page.data and window.insights_page.data["insights"]
    pin_id = window.figures.pins["pin_id"].iloc[0]
    window.insights_page.pin_activated.emit(str(pin_id))
    assert window.stack.currentWidget() is window.pins_page
