"""The wizard from the main window: files named on the command line (or dropped) that PinViewer cannot place
open it; when it is done the window shows the new figures with Undo; next time the remembered columns make the
same kind of file import at once."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from pinviewer.gui import tasks
from pinviewer.gui.main_window import MainWindow
from pinviewer.gui.wizard import IMPORT, MAPPING

TIMEOUT = 20_000
HEADER = "Day,Clicks on pins,Kept\n"


def click(qtbot, wz, which) -> None:
    qtbot.waitUntil(lambda: wz.button(which).isVisible() and wz.button(which).isEnabled(), timeout=TIMEOUT)
    qtbot.mouseClick(wz.button(which), Qt.MouseButton.LeftButton)


def test_a_file_it_cannot_place_opens_the_wizard_and_the_window_shows_the_import(qtbot, tmp_path):
    odd = tmp_path / "my_numbers.csv"
    odd.write_text(HEADER + "2026-01-01,3,4\n2026-01-02,5,6\n", encoding="utf-8")
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.ready, timeout=TIMEOUT):
        win.start(files=[odd])  # `pinviewer my_numbers.csv`
    qtbot.waitUntil(lambda: win.imports.wizard is not None and win.imports.wizard.isVisible(),
                    timeout=TIMEOUT)
    wz = win.imports.wizard
    assert wz.isModal() or wz.windowModality() != Qt.WindowModality.NonModal
    qtbot.waitUntil(lambda: not wz.busy(), timeout=TIMEOUT)
    assert wz.entries[0].reason  # what the window's first look found
    click(qtbot, wz, QWizard.WizardButton.NextButton)
    assert wz.currentId() == MAPPING
    mp = wz.mapping_page
    mp.combo("Clicks on pins").setCurrentIndex(mp.combo("Clicks on pins").findData("outbound_clicks"))
    mp.combo("Kept").setCurrentIndex(mp.combo("Kept").findData("saves"))
    qtbot.waitUntil(mp.isComplete, timeout=TIMEOUT)
    click(qtbot, wz, QWizard.WizardButton.CommitButton)
    assert wz.currentId() == IMPORT
    qtbot.waitUntil(wz.import_page.isComplete, timeout=TIMEOUT)
    with qtbot.waitSignal(win.figures_shown, timeout=TIMEOUT):
        click(qtbot, wz, QWizard.WizardButton.FinishButton)
    assert win.stack.currentWidget() is win.dashboard
    assert "my_numbers.csv" in win.messages.notice.text.text() and "Added 2 days" in win.messages.notice.text.text()
    assert [b.text() for b in win.messages.notice.buttons()] == ["Undo"]

    # the same kind of file again: read with the remembered columns, imported at once, no wizard
    again = tmp_path / "my_numbers_feb.csv"
    again.write_text(HEADER + "2026-02-01,7,8\n", encoding="utf-8")
    with qtbot.waitSignal(win.figures_shown, timeout=TIMEOUT):
        win.imports.open_files([again])
    assert win.imports.wizard is wz and not wz.isVisible()
    assert "my_numbers_feb.csv" in win.messages.notice.text.text()
    assert "Your own table (my_numbers)" in win.messages.notice.text.text()
    tasks.wait_all()
    win.close()


def test_from_the_sample_blog_the_wizard_imports_into_my_own_history(qtbot, tmp_path):
    from pinviewer.core.store import Store

    odd = tmp_path / "my_numbers.csv"
    odd.write_text(HEADER + "2026-01-01,3,4\n", encoding="utf-8")
    win = MainWindow(demo=True)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.figures_shown, timeout=TIMEOUT):
        win.start()
    assert win.demo
    win.imports.open_wizard([odd])
    wz = win.imports.wizard
    qtbot.waitUntil(lambda: not wz.busy(), timeout=TIMEOUT)
    assert wz.target.opened and wz.store is not win.store  # the user's own history, not the sample blog's
    click(qtbot, wz, QWizard.WizardButton.NextButton)
    mp = wz.mapping_page
    mp.combo("Clicks on pins").setCurrentIndex(mp.combo("Clicks on pins").findData("outbound_clicks"))
    qtbot.waitUntil(mp.isComplete, timeout=TIMEOUT)
    click(qtbot, wz, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(wz.import_page.isComplete, timeout=TIMEOUT)
    with qtbot.waitSignal(win.loaded, timeout=TIMEOUT):
        click(qtbot, wz, QWizard.WizardButton.FinishButton)
    assert not win.demo and win.store is wz.store
    with Store.open() as store:
        assert [b.file_name for b in store.batches()] == ["my_numbers.csv"]
    tasks.wait_all()
    win.close()
