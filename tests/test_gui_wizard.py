"""The import wizard driven as a blogger would: real files, the real readers, a real SQLite store.

Each test opens the wizard on files in tmp_path, waits for the worker to read them, reads what the pages say,
clicks Next / Import / Done and checks the history with a second connection (as `pinviewer imports` would).
"""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from pinviewer.gui import tasks
from pinviewer.gui.wizard import IMPORT, MAPPING, OVERLAP, RECOGNITION, ImportWizard

DATA = Path(__file__).parent / "data"
SAMPLES = DATA / "samples"
TIMEOUT = 20_000


# ------------------------------------------------------------------------------------------------ helpers
def overview_csv(path: Path, rows) -> Path:
    """A Pinterest overview export in its simplest form: recognised with certainty."""
    path.write_text("Date,Impressions,Outbound clicks,Saves\n"
                    + "".join(f"{day},{imp},{out},{saves}\n" for day, imp, out, saves in rows), encoding="utf-8")
    return path


APRIL = [(f"2025-04-{d:02d}", 1000 + d, 10 + d, 5 + d) for d in range(1, 11)]


@pytest.fixture
def wizard(qtbot):
    """make(paths) opens a wizard on the files and waits until they are read."""
    made = []

    def make(paths, store=None, profile=None, reasons=None):
        wz = ImportWizard([Path(p) for p in paths], store, profile, reasons)
        qtbot.addWidget(wz)
        wz.show()
        qtbot.waitUntil(lambda: not wz.busy(), timeout=TIMEOUT)
        made.append(wz)
        return wz

    yield make
    tasks.wait_all()
    for wz in made:
        if wz.store is not None:
            wz.store.close()


def forward(qtbot, wz) -> None:
    """Click Next (or Import, on the last page before importing)."""
    page = wz.currentPage()
    qtbot.waitUntil(page.isComplete, timeout=TIMEOUT)
    which = QWizard.WizardButton.CommitButton if page.isCommitPage() else QWizard.WizardButton.NextButton
    button = wz.button(which)
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def import_and_wait(qtbot, wz) -> None:
    """Click Import and wait for the summary."""
    forward(qtbot, wz)
    assert wz.currentId() == IMPORT
    qtbot.waitUntil(wz.import_page.isComplete, timeout=TIMEOUT)


def done(qtbot, wz) -> None:
    button = wz.button(QWizard.WizardButton.FinishButton)
    assert button.isVisible() and button.text() == "Done"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not wz.isVisible()


def batches():
    from pinviewer.core.store import Store

    with Store.open() as store:
        return store.batches(store.profile(), include_undone=False)


def stored(metric: str) -> dict:
    """The account's daily figures as shown (newest import wins): {day: value}."""
    from pinviewer.core.store import Store

    with Store.open() as store:
        daily = store.load(store.profile()).daily
    daily = daily[daily["entity_type"] == "account"]
    return {d.date().isoformat(): v for d, v in zip(daily["date"], daily[metric])}


def choose(combo, role: str) -> None:
    index = combo.findData(role)
    assert index >= 0, role
    combo.setCurrentIndex(index)


# ------------------------------------------------------------------------------------------------ tests
def test_a_recognised_pinterest_export(qtbot, wizard, tmp_path):
    overview = Path(shutil.copy(SAMPLES / "pinterest_ui_overview_export_GUESS.csv", tmp_path / "overview.csv"))
    top = Path(shutil.copy(SAMPLES / "pinterest_ui_top_pins_export_GUESS.csv", tmp_path / "top_pins.csv"))
    wz = wizard([overview, top])
    page = wz.recognition_page
    assert wz.currentId() == RECOGNITION and page.file_list.isVisible()
    assert page.kind_label.text() == "Pinterest account overview · I'm sure"
    assert page.rows_value.text() == "7"
    assert page.dates_value.text() == "Mar 1 – 7, 2025"
    assert page.metrics_value.text().startswith("Outbound clicks, Saves, Pin clicks")
    assert page.unused_value.text() == "none: every column is used"
    assert page.profile_box.currentText() == "My blog"
    # the rows as read: dates and numbers parsed (the file says "12,480" and 3.2%)
    rows = page.table.rows()
    titles = page.table.titles()
    assert len(rows) == 7 and titles[0] == "Day"
    assert rows[0][0] == "Mar 1, 2025"
    assert rows[0][titles.index("Outbound clicks")] == "61"
    assert rows[0][titles.index("Impressions")] == "12,480"
    assert rows[0][titles.index("Engagement rate")] == "3.2%"
    assert not page.problems.isVisibleTo(page)
    # the top Pins file: one row per Pin with its title, over the export's dates
    page.file_list.setCurrentRow(1)
    assert page.kind_label.text() == "Pinterest top Pins · I'm sure"
    assert "Title" in page.table.titles() and page.table.titles()[1] == "Pin"
    assert page.table.rows()[0][0] == "Feb 6 – Mar 7, 2025"
    assert page.isCommitPage() and wz.button(QWizard.WizardButton.CommitButton).text() == "Import"

    import_and_wait(qtbot, wz)
    assert wz.import_page.heading.text() == "Done"
    assert wz.import_page.headline.text() == "2 files imported into My blog."
    assert "Added 7 days of figures." in wz.import_page.row("overview.csv").text()
    assert "Added figures for 3 Pins, boards, pages or sources." in wz.import_page.row("top_pins.csv").text()
    assert [(b.file_name, b.format) for b in batches()] == [("overview.csv", "pinterest_overview"),
                                                           ("top_pins.csv", "pinterest_top_pins")]
    assert wz.changed
    done(qtbot, wz)


def test_a_ga4_export(qtbot, wizard, tmp_path):
    ga4 = Path(shutil.copy(SAMPLES / "ga4_traffic_acquisition_source_medium.csv", tmp_path / "ga4.csv"))
    wz = wizard([ga4])
    page = wz.recognition_page
    assert not page.file_list.isVisible()  # one file: no list
    assert page.kind_label.text() == "Google Analytics traffic acquisition · I'm sure"
    assert page.dates_value.text() == "Mar 1 – 31, 2025"
    assert "Sessions (website)" in page.metrics_value.text()
    cells = [cell for row in page.table.rows() for cell in row]
    assert "pinterest.com / referral" in cells and "Mar 1 – 31, 2025" in cells
    import_and_wait(qtbot, wz)
    assert "Added figures for" in wz.import_page.row("ga4.csv").text()
    assert [b.format for b in batches()] == ["ga4_traffic"]
    done(qtbot, wz)


def test_an_unknown_csv_mapped_by_hand_then_recognised_by_its_saved_mapping(qtbot, wizard, tmp_path):
    from pinviewer.core import mappings

    header = "Day,Clicks on pins,Kept,Note\n"
    first = tmp_path / "my_numbers.csv"
    first.write_text(header + "2026-01-01,3,4,a\n2026-01-02,5,6,b\n2026-01-03,7,8,c\n", encoding="utf-8")
    wz = wizard([first])
    page = wz.recognition_page
    assert page.kind_label.text() == "A table PinViewer doesn't know yet"
    assert page.preview_title.text().startswith("The first rows of the file, as written")
    assert page.table.rows()[0] == ["2026-01-01", "3", "4", "a"]
    assert page.nextId() == MAPPING
    forward(qtbot, wz)
    assert wz.currentId() == MAPPING
    mp = wz.mapping_page
    # PinViewer's guess: the day is found by its values, nothing else: it says what is missing
    assert mp.combo("Day").currentData() == "date"
    qtbot.waitUntil(lambda: mp.problems.isVisibleTo(mp), timeout=TIMEOUT)
    assert "No column is marked as a figure" in mp.problems.text()
    assert not mp.isComplete()
    choose(mp.combo("Clicks on pins"), "outbound_clicks")
    choose(mp.combo("Kept"), "saves")
    qtbot.waitUntil(mp.isComplete, timeout=TIMEOUT)
    assert "3 rows covering Jan 1 – 3, 2026, with Outbound clicks, Saves" in mp.problems.text()
    titles = mp.table.titles()
    assert titles == ["Day", "Outbound clicks", "Saves"]
    assert mp.table.rows()[2] == ["Jan 3, 2026", "7", "8"]
    # validation: exactly one date column, numbers that parse
    choose(mp.combo("Kept"), "date")
    qtbot.waitUntil(lambda: "only one column can be" in mp.problems.text(), timeout=TIMEOUT)
    assert not mp.isComplete()
    choose(mp.combo("Kept"), "saves")
    choose(mp.combo("Note"), "impressions")
    qtbot.waitUntil(lambda: "is not a number" in mp.problems.text(), timeout=TIMEOUT)
    assert "Row 2: 'a' in Note is not a number." in mp.problems.text()
    assert not mp.isComplete()
    choose(mp.combo("Note"), "ignore")
    qtbot.waitUntil(mp.isComplete, timeout=TIMEOUT)
    assert mp.remember.isChecked() and mp.isCommitPage()
    import_and_wait(qtbot, wz)
    body = wz.import_page.row("my_numbers.csv").text()
    assert "Added 3 days of figures." in body and "remember these columns" in body
    assert stored("outbound_clicks") == {"2026-01-01": 3, "2026-01-02": 5, "2026-01-03": 7}
    remembered = mappings.remembered(["Day", "Clicks on pins", "Kept", "Note"])
    assert remembered is not None and remembered.columns["Clicks on pins"] == "outbound_clicks"
    done(qtbot, wz)

    # the next file with the same columns is read with them, without asking
    second = tmp_path / "my_numbers_february.csv"
    second.write_text(header + "2026-02-01,9,1,x\n2026-02-02,11,2,y\n", encoding="utf-8")
    wz2 = wizard([second])
    page = wz2.recognition_page
    assert page.reason_label.text() == "Read with the columns you chose before for files like this one."
    assert wz2.entries[0].confidence == 1.0
    assert page.nextId() == IMPORT and page.isCommitPage()
    assert page.table.rows()[0][:2] == ["Feb 1, 2026", "9"]
    import_and_wait(qtbot, wz2)
    assert stored("outbound_clicks")["2026-02-02"] == 11
    done(qtbot, wz2)


def test_an_overlap_resolved_both_ways(qtbot, wizard, tmp_path):
    first = overview_csv(tmp_path / "april.csv", APRIL)
    changed = [(d, i, o + (3 if k in (4, 5, 6) else 0), s + (1 if k == 5 else 0)) for k, (d, i, o, s) in
               enumerate(APRIL)]
    second = overview_csv(tmp_path / "april_again.csv", changed + [("2025-04-11", 1011, 21, 16)])
    wz = wizard([first])
    assert wz.recognition_page.nextId() == IMPORT  # nothing stored yet: no overlap to ask about
    import_and_wait(qtbot, wz)
    done(qtbot, wz)
    before = stored("outbound_clicks")

    # keep what I have: the stored days stay, the new day is added
    wz = wizard([second])
    assert wz.recognition_page.nextId() == OVERLAP and not wz.recognition_page.isCommitPage()
    forward(qtbot, wz)
    assert wz.currentId() == OVERLAP
    card = wz.overlap_page.card("april_again.csv")
    assert card.summary.text() == ("This file has different figures for 3 days (or rows) you already have: "
                                   "4 figures differ (Outbound clicks, Saves).")
    assert card.table.rowCount() == 4
    first_example = [card.table.item(0, c).text() for c in range(5)]
    assert first_example == ["Apr 5, 2025", "Whole account", "Outbound clicks", "15", "18"]
    assert card.newer.isChecked()  # the default: the newer file wins
    card.keep.click()
    import_and_wait(qtbot, wz)
    body = wz.import_page.row("april_again.csv").text()
    assert "Added 1 day of figures." in body and "Kept the figures you already had" in body
    after = stored("outbound_clicks")
    assert {d: after[d] for d in before} == before and after["2025-04-11"] == 21
    # Undo from the summary takes it back
    row = wz.import_page.row("april_again.csv")
    qtbot.mouseClick(row.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.undo_button.text() == "Undone", timeout=TIMEOUT)
    assert stored("outbound_clicks") == before
    done(qtbot, wz)

    # newer file wins
    wz = wizard([second])
    forward(qtbot, wz)
    assert wz.overlap_page.card("april_again.csv").newer.isChecked()
    import_and_wait(qtbot, wz)
    assert "Changed 3 days (or rows) you already had (4 figures)." in \
        wz.import_page.row("april_again.csv").text()
    after = stored("outbound_clicks")
    assert after["2025-04-05"] == 18 and after["2025-04-04"] == 14 and after["2025-04-11"] == 21
    done(qtbot, wz)


def test_cancel_mid_import_leaves_the_history_as_it_was(qtbot, wizard, tmp_path, monkeypatch):
    from pinviewer.core.store import BatchWriter

    first = overview_csv(tmp_path / "april.csv", APRIL)
    second = overview_csv(tmp_path / "may.csv", [(d.replace("-04-", "-05-"), i, o, s) for d, i, o, s in APRIL])
    inserting, go = threading.Event(), threading.Event()
    real_insert = BatchWriter._insert
    calls = []

    def slow_insert(self, frame, table, batch_id, *args, **kwargs):
        calls.append(batch_id)
        if len(set(calls)) == 2 and not inserting.is_set():  # inside the second file's transaction
            inserting.set()
            go.wait(10)
        return real_insert(self, frame, table, batch_id, *args, **kwargs)

    monkeypatch.setattr(BatchWriter, "_insert", slow_insert)
    wz = wizard([first, second])
    forward(qtbot, wz)
    assert wz.currentId() == IMPORT
    qtbot.waitUntil(inserting.is_set, timeout=TIMEOUT)
    page = wz.import_page
    cancel = wz.button(QWizard.WizardButton.CancelButton)
    assert cancel.isVisible() and not wz.button(QWizard.WizardButton.FinishButton).isVisible()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert wz.isVisible()  # Cancel stops the import, it does not close the wizard
    assert page.progress_label.text().startswith("Cancelling")
    go.set()
    qtbot.waitUntil(page.isComplete, timeout=TIMEOUT)
    assert page.heading.text() == "Import cancelled"
    assert page.headline.text() == "You cancelled the import, so your figures are exactly as they were."
    assert "Not imported: you cancelled." in page.row("may.csv").text()
    assert batches() == []  # the first file, already stored, was taken back too
    assert stored("outbound_clicks") == {}
    assert not wz.changed
    done(qtbot, wz)


BAD_FILES = {
    "empty.csv": (b"", "is empty (0 bytes)"),
    "photo.csv": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "This file is a picture (PNG)"),
    "cut_off.csv": (b"Date,Impressions,Outbound clicks,Saves\n2025-03-01,100,5,3\n2025-03-02,120,6,\"4",
                    "Row 3: This row is cut off inside a quoted value"),
    "bad_date.csv": (b"Date,Impressions,Outbound clicks,Saves\n2025-03-01,100,5,3\n12.4.2025x,120,6,4\n",
                     "Row 3, column “Date”: '12.4.2025x' is not a date I can read."),
    "twice.csv": (b"Date,Impressions,Outbound clicks,Saves\n2025-03-01,100,5,3\n2025-03-01,120,6,4\n",
                  "The day 2025-03-01 appears more than once with different figures"),
    "negative.csv": (b"Date,Impressions,Outbound clicks,Saves\n2025-03-01,100,-5,3\n2025-03-02,abc,6,4\n",
                     "Row 2: '-5' in Outbound clicks is negative; a count cannot be below zero."),
}


def test_a_bad_file_among_good_ones(qtbot, wizard, tmp_path):
    good = overview_csv(tmp_path / "april.csv", APRIL)
    bad = []
    for name, (content, _sentence) in BAD_FILES.items():
        (tmp_path / name).write_bytes(content)
        bad.append(tmp_path / name)
    other = Path(shutil.copy(SAMPLES / "mailchimp_audience_export.csv", tmp_path / "subscribers.csv"))
    ga4 = Path(shutil.copy(SAMPLES / "ga4_traffic_acquisition_source_medium.csv", tmp_path / "ga4.csv"))
    wz = wizard([good, *bad, other, ga4])
    page = wz.recognition_page
    expected = {**{n: s for n, (_c, s) in BAD_FILES.items()}, "subscribers.csv": "Mailchimp audience export"}
    for row, entry in enumerate(wz.entries):
        page.file_list.setCurrentRow(row)
        name = entry.path.name
        if name in expected:
            assert entry.unusable and not entry.wanted, name
            assert page.file_list.item(row).text().startswith("✕"), name
            assert page.problems.isVisibleTo(page) and expected[name] in page.problems.text(), name
            assert page.problems.text().startswith("This file can't be imported"), name
            assert not page.wanted.isVisibleTo(page), name  # it cannot be ticked by mistake
        else:
            assert entry.wanted and entry.importable, name
            assert page.file_list.item(row).text().startswith("✓"), name
    # the sentence for "-5" names the row; the other bad value in that file too
    page.file_list.setCurrentRow([e.path.name for e in wz.entries].index("negative.csv"))
    assert "Row 3: 'abc' in Impressions is not a number." in page.problems.text()
    assert page.count_label.text() == "9 files · 7 can't be imported · 2 to import"
    import_and_wait(qtbot, wz)
    assert sorted(b.file_name for b in batches()) == ["april.csv", "ga4.csv"]
    assert wz.import_page.headline.text() == "2 files imported into My blog."
    assert "Not imported: this file can't be imported." in wz.import_page.row("empty.csv").text()
    done(qtbot, wz)


def test_a_file_that_changes_after_the_preview_is_read_again(qtbot, wizard, tmp_path):
    path = overview_csv(tmp_path / "april.csv", APRIL)
    wz = wizard([path])
    assert wz.recognition_page.table.rows()[0][1] == "11"
    overview_csv(path, [(d, i, o * 10, s) for d, i, o, s in APRIL])  # the download finished after the drop
    import_and_wait(qtbot, wz)
    body = wz.import_page.row("april.csv").text()
    assert "The file changed after the preview, so PinViewer read it again" in body
    assert stored("outbound_clicks")["2025-04-01"] == 110
    done(qtbot, wz)


def test_a_top_pins_file_without_dates_asks_for_them(qtbot, wizard, tmp_path):
    import datetime as dt

    path = tmp_path / "top_pins.csv"
    path.write_text("Pin ID,Title,Impressions,Outbound clicks,Saves\n123456789012,Lemon cake,1000,20,5\n"
                    "223456789012,Soup,500,3,2\n", encoding="utf-8")
    wz = wizard([path])
    page = wz.recognition_page
    assert page.period_row.isVisibleTo(page) and not page.isComplete()
    assert "I can't tell which dates this top-Pins file covers" in page.problems.text()
    page.period_from.setDate(dt.date(2025, 3, 1))
    page.period_to.setDate(dt.date(2025, 3, 31))
    qtbot.mouseClick(page.period_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wz.busy() and page.isComplete(), timeout=TIMEOUT)
    assert not page.period_row.isVisibleTo(page) and page.dates_value.text() == "Mar 1 – 31, 2025"
    import_and_wait(qtbot, wz)
    assert [(b.first_day, b.last_day) for b in batches()] == [("2025-03-01", "2025-03-31")]
    done(qtbot, wz)


def test_a_half_recognised_file_can_be_read_as_recognised_or_mapped(qtbot, wizard, tmp_path):
    path = tmp_path / "with_notes.csv"
    path.write_text("Date,Impressions,Outbound clicks,Saves,My note\n2025-03-01,100,5,3,a\n2025-03-02,120,6,4,b\n",
                    encoding="utf-8")
    wz = wizard([path])
    page = wz.recognition_page
    assert page.kind_label.text() == "Pinterest account overview · fairly sure"
    assert page.unused_value.text() == "My note"
    assert page.as_shown.isChecked() and page.nextId() == IMPORT  # fairly sure: read as shown unless I say
    page.own_columns.click()
    assert page.nextId() == MAPPING and not page.isCommitPage()
    forward(qtbot, wz)
    mp = wz.mapping_page
    assert [mp.combo(c).currentData() for c in ("Date", "Impressions", "Outbound clicks", "Saves", "My note")] == \
        ["date", "impressions", "outbound_clicks", "saves", "ignore"]
    qtbot.waitUntil(mp.isComplete, timeout=TIMEOUT)
    mp.remember.setChecked(False)
    import_and_wait(qtbot, wz)
    assert [b.format for b in batches()] == ["mapped"]
    from pinviewer.core import mappings

    assert mappings.all_remembered() == []  # not remembered when asked not to
    done(qtbot, wz)


def test_the_same_mapping_json_works_on_the_command_line(qtbot, wizard, tmp_path):
    """The wizard's remembered mapping is the command line's --mapping file (pinviewer.core.formats.mapping)."""
    from pinviewer.core import mappings

    from conftest import run_cli

    path = tmp_path / "numbers.csv"
    path.write_text("Tag,Klicks\n01.03.2025,5\n02.03.2025,6\n", encoding="utf-8")
    wz = wizard([path])
    forward(qtbot, wz)
    choose(wz.mapping_page.combo("Klicks"), "outbound_clicks")
    import_and_wait(qtbot, wz)
    done(qtbot, wz)
    [(key, _mapping)] = mappings.all_remembered()
    saved = next((tmp_path / "home").rglob(f"{key}.json"))
    other = tmp_path / "numbers_april.csv"
    other.write_text("Tag,Klicks\n01.04.2025,7\n", encoding="utf-8")
    result = run_cli("import", str(other), "--mapping", str(saved), "--json")
    assert result.returncode == 0, result.stderr
    assert stored("outbound_clicks")["2025-04-01"] == 7
