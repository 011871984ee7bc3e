"""The Pins and Posts tables as a user drives them (header clicks, typing a filter), the Pin's links, and
profiles: switch, create, rename, delete (never without a confirmation), and the sample blog."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

import legacy_files
from pinviewer import paths
from pinviewer.gui import profiles, tasks
from pinviewer.gui.main_window import PINS, POSTS, MainWindow
from pinviewer.gui.pins_view import safe_url
from pinviewer.gui.table_model import RawRole

DEMO = Path(paths.resource_path("demo"))
TIMEOUT = 30_000


@pytest.fixture
def window(qtbot, tmp_path):
    files = legacy_files.write(tmp_path, ("pinterest_overview_2y.csv", "pinterest_top_pins_2026-11.csv",
                                          "ga4_landing_pages_2026-11.csv"))
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    with qtbot.waitSignal(win.figures_shown, timeout=TIMEOUT):
        win.start(files=files)
    yield win
    tasks.wait_all()
    win.close()


def column(model, key: str) -> int:
    return [c.key for c in model.columns()].index(key)


def click_header(qtbot, view, section: int) -> None:
    header = view.horizontalHeader()
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_header_clicks_sort_the_pins(qtbot, window):
    window.show_page(PINS)
    page = window.pins_page
    model, view = page.model, page.view
    saves = column(model, "saves")
    click_header(qtbot, view, saves)
    first = [model.data(model.index(r, saves), RawRole) for r in range(model.rowCount())]
    click_header(qtbot, view, saves)
    second = [model.data(model.index(r, saves), RawRole) for r in range(model.rowCount())]
    present = [v for v in first if v is not None]
    assert present in (sorted(present), sorted(present, reverse=True))
    assert [v for v in second if v is not None] == list(reversed(present))
    assert model.sort_state()[0] == saves


def test_typing_in_the_filter_box_filters_the_pins(qtbot, window):
    window.show_page(PINS)
    page = window.pins_page
    total = page.model.rowCount()
    page.filter_box.setFocus()
    qtbot.keyClicks(page.filter_box, "sourdough")
    qtbot.waitUntil(lambda: page.model.filter_text() == "sourdough", timeout=5000)
    records = [page.model.record(r) for r in range(page.model.rowCount())]
    assert 0 < len(records) < total
    assert all("sourdough" in f"{r['title']} {r['board']}".lower() for r in records)
    assert page.count_label.text().endswith(f"of {total:,} Pins")
    page.filter_box.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == total, timeout=5000)


def test_keyboard_moves_through_the_pins_and_the_detail_follows(qtbot, window):
    window.show_page(PINS)
    page = window.pins_page
    page.view.setFocus()
    page.view.selectRow(0)
    first = page.detail.pin_id
    qtbot.keyClick(page.view, Qt.Key.Key_Down)
    assert page.detail.pin_id not in (None, first)
    assert page.detail.title.text() == page.model.record(1)["title"]


def test_posts_show_google_analytics_columns_when_there_are_some(window):
    window.show_page(POSTS)
    keys = [c.key for c in window.posts_page.model.columns()]
    assert {"sessions", "key_events", "outbound_clicks"} <= set(keys)
    assert window.posts_page.model.rowCount() > 10


@pytest.mark.parametrize("text, ok", [("https://blog.example/post/", True), ("http://x.example", True),
                                      ("javascript:alert(1)", False), ("file:///etc/passwd", False),
                                      ("", False), (None, False)])
def test_only_web_links_open_in_the_browser(text, ok):
    assert (safe_url(text) is not None) == ok


def _wait_loaded(qtbot, window, action):
    with qtbot.waitSignal(window.loaded, timeout=TIMEOUT):
        action()


def test_profiles_create_switch_rename_and_delete_only_after_confirming(qtbot, window, monkeypatch):
    from pinviewer.core.store import Store

    first = window.profile.name
    monkeypatch.setattr(profiles, "ask_new", lambda parent: "Sweet Crumbs")
    _wait_loaded(qtbot, window, window.profiles.new)
    assert window.profile.name == "Sweet Crumbs"
    assert window.stack.currentWidget() is window.empty_page  # a new profile has no figures yet
    assert [window.profile_box.itemText(i) for i in range(window.profile_box.count())] == [first, "Sweet Crumbs"]

    _wait_loaded(qtbot, window, lambda: window.profile_box.chosen.emit(first))
    assert window.profile.name == first and window.figures is not None

    monkeypatch.setattr(profiles, "ask_rename", lambda parent, current: "Lemon & Linen")
    _wait_loaded(qtbot, window, window.profiles.rename)
    assert window.profile.name == "Lemon & Linen" and window.figures is not None

    # Cancel: nothing is deleted
    asked = []
    monkeypatch.setattr(profiles, "confirm_delete", lambda parent, name, imports: asked.append((name, imports)))
    window.profiles.delete()
    tasks.wait_all()
    with Store.open() as store:
        assert [p.name for p in store.profiles()] == ["Lemon & Linen", "Sweet Crumbs"]
    assert asked == [("Lemon & Linen", 3)]

    monkeypatch.setattr(profiles, "confirm_delete", lambda parent, name, imports: True)
    _wait_loaded(qtbot, window, window.profiles.delete)
    with Store.open() as store:
        assert [p.name for p in store.profiles()] == ["Sweet Crumbs"]
    assert window.profile.name == "Sweet Crumbs"


def test_delete_confirmation_defaults_to_cancel(qtbot, monkeypatch):
    seen = {}

    def fake_exec(box):
        seen["default"] = box.defaultButton().text()
        seen["buttons"] = [b.text() for b in box.buttons()]
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert profiles.confirm_delete(None, "My blog", 4) is False
    assert seen["default"] == "Cancel" and "Delete 'My blog'" in seen["buttons"]


def test_sample_blog_opens_with_a_banner_and_a_way_back(qtbot, window):
    _wait_loaded(qtbot, window, window.profiles.open_demo)
    assert window.demo and window.messages.banner.isVisibleTo(window)
    assert "sample blog" in window.messages.banner.text.text()
    assert not window.profile_box.isEnabled()
    assert window.figures is not None and window.figures.has_site
    _wait_loaded(qtbot, window, window.messages.banner.back_button.click)
    assert not window.demo and not window.messages.banner.isVisibleTo(window)
    assert window.profile.name == "My blog"


def test_keyboard_shortcuts_move_between_pages(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.pins_page
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.posts_page
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.dashboard
    window.show_page(PINS)
    qtbot.keyClick(window.pins_page.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.pins_page.filter_box.hasFocus()


def test_a_file_dropped_on_the_sample_blog_goes_into_the_users_own_history(qtbot, window, tmp_path):
    from pinviewer.core.store import Store

    _wait_loaded(qtbot, window, window.profiles.open_demo)
    assert window.demo
    export = Path(shutil.copy(DEMO / "ga4_source_medium_2026-11.csv", tmp_path / "traffic.csv"))
    _wait_loaded(qtbot, window, lambda: window.imports.open_files([export]))
    assert not window.demo and not window.messages.banner.isVisibleTo(window)
    assert "traffic.csv" in window.messages.notice.text.text()
    with Store.open() as store:
        assert "traffic.csv" in [b.file_name for b in store.batches()]
