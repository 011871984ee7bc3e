"""Issue 13, point 8 (and 7): the history file when it is empty, a folder, a loop, read-only or damaged.

Real SQLite files on disk; read-only media is a real read-only bind mount where the tests run as root (and
a read-only folder otherwise, which only root could write).
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess

import pytest

from conftest import SAMPLES, run_cli

OVERVIEW = SAMPLES / "pinterest_ui_overview_export_GUESS.csv"
TOP_PINS = SAMPLES / "pinterest_ui_top_pins_export_GUESS.csv"
GA4 = SAMPLES / "ga4_traffic_acquisition_source_medium.csv"


def history(home):
    return home / "data" / "pinviewer.sqlite"


def no_traceback(run):
    assert "Traceback" not in run.stderr, run.stderr


def test_a_zero_byte_history_is_set_aside_like_a_damaged_one(pinviewer_home):
    from pinviewer.core.store import Store

    path = history(pinviewer_home)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    with Store.open() as store:
        assert store.recovered_from is not None and store.recovered_from.name.startswith("pinviewer.sqlite.empty-")
        assert store.recovered_from.exists() and store.recovered_from.stat().st_size == 0
        assert [p.name for p in store.profiles()] == ["My blog"]
    assert path.stat().st_size > 0


def test_a_new_history_never_shows_up_empty(pinviewer_home):
    """It is made beside its place and linked in whole: no other process sees a 0-byte file it would set aside."""
    from pinviewer.core.store import Store

    with Store.open() as store:
        assert store.recovered_from is None
    assert [p.name for p in history(pinviewer_home).parent.iterdir()] == ["pinviewer.sqlite"]


def test_a_history_that_is_a_folder_is_said_so(pinviewer_home):
    history(pinviewer_home).mkdir(parents=True)
    run = run_cli("summary")
    assert run.returncode == 1 and "is a folder, not a file" in run.stderr
    no_traceback(run)


def test_a_history_that_is_a_symlink_loop_is_said_so(pinviewer_home):
    path = history(pinviewer_home)
    path.parent.mkdir(parents=True)
    path.symlink_to(path.with_name("other"))
    path.with_name("other").symlink_to(path)
    run = run_cli("imports")
    assert run.returncode == 1 and "loop of links" in run.stderr
    no_traceback(run)


def test_a_damaged_history_that_cannot_be_moved_aside_is_a_sentence(pinviewer_home, monkeypatch):
    from pinviewer.core import store as store_module
    from pinviewer.core.errors import StoreError
    from pinviewer.core.store import opening

    path = history(pinviewer_home)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database" * 100)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(opening.shutil, "move", refuse)
    with pytest.raises(StoreError, match="can't move it aside"):
        store_module.Store.open()
    assert path.read_bytes().startswith(b"this is not")


# ---- read-only media ----------------------------------------------------------------------------------------

@pytest.fixture
def read_only_home(tmp_path):
    """A PINVIEWER_HOME with a history of two imports, then made read-only (a read-only bind mount as root)."""
    source = tmp_path / "source"
    env = {"PINVIEWER_HOME": str(source)}
    assert run_cli("import", str(OVERVIEW), str(TOP_PINS), env=env).returncode == 0
    if os.geteuid() != 0:
        for folder in (source / "data",):
            os.chmod(folder / "pinviewer.sqlite", 0o444)
            os.chmod(folder, 0o555)
        yield source
        os.chmod(source / "data", 0o755)
        return
    mount = tmp_path / "media"
    mount.mkdir()
    done = subprocess.run(["mount", "--bind", "-o", "ro", str(source), str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot make a read-only mount here: {done.stderr.decode().strip()}")
    subprocess.run(["mount", "-o", "remount,ro,bind", str(mount)], check=False)
    try:
        with pytest.raises(OSError):
            (mount / "probe").write_text("x")
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_history_on_read_only_media_can_be_viewed_but_not_changed(read_only_home, tmp_path):
    env = {"PINVIEWER_HOME": str(read_only_home)}
    summary = run_cli("summary", "--from", "2025-03-01", "--to", "2025-03-07", env=env)
    assert summary.returncode == 0 and "502" in summary.stdout, summary.stderr
    imports = run_cli("imports", env=env)
    assert imports.returncode == 0 and "pinterest_ui_overview_export_GUESS.csv" in imports.stdout
    pdf = tmp_path / "report.pdf"
    report = run_cli("report", "--pdf", str(pdf), "--from", "2025-03-01", "--to", "2025-03-07", env=env)
    assert report.returncode == 0 and pdf.read_bytes().startswith(b"%PDF-"), report.stderr
    refused = run_cli("import", str(GA4), env=env)
    assert refused.returncode == 1 and "can only read this history" in refused.stderr
    assert "read-only" in refused.stderr
    no_traceback(refused)
    undo = run_cli("undo", "1", env=env)
    assert undo.returncode == 1 and "can only read this history" in undo.stderr


# ---- recovering a damaged history -------------------------------------------------------------------------

def many_pins(tmp_path):
    """A top-Pins export big enough that its stored figures span many pages of the file."""
    rows = [f"{900000000000000000 + i * 7919},Title number {i} {'x' * 30},{1000 + i},{i % 50},{i % 30}"
            for i in range(4000)]
    path = tmp_path / "top_pins_4000.csv"
    path.write_text("Top Pins\nDate range: 2025-02-06 - 2025-03-07\n\nPin ID,Title,Impressions,Saves,"
                    "Outbound clicks\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def damage_pages_of(path, batch_id: int) -> None:
    """Zero one page that holds a stored import's figures (an overflow page of its segment)."""
    with sqlite3.connect(path) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        rowid = connection.execute("SELECT MIN(rowid) FROM segments WHERE batch_id = ? AND part = 'entities'",
                                   (batch_id,)).fetchone()[0]
        pages = [p for (p,) in connection.execute(
            "SELECT pageno FROM dbstat WHERE name = 'segments' AND pagetype = 'overflow' ORDER BY pageno")]
        assert rowid is not None and pages
    connection.close()
    with open(path, "r+b") as handle:
        handle.seek((pages[len(pages) // 2] - 1) * page_size)
        handle.write(b"\0" * page_size)


def test_a_damaged_history_offers_to_recover_what_can_be_read(pinviewer_home, tmp_path):
    from exports import ORGANIC_MOBILE

    assert run_cli("import", str(OVERVIEW), str(many_pins(tmp_path)), str(GA4)).returncode == 0
    assert run_cli("import", str(ORGANIC_MOBILE)).returncode == 0  # an export with filters: a series of its own
    before = json.loads(run_cli("imports", "--json").stdout)
    damage_pages_of(history(pinviewer_home), 2)
    listed = run_cli("imports")
    assert listed.returncode == 0 and "kept it aside" in listed.stderr and "pinviewer recover" in listed.stderr
    assert "Nothing imported" in listed.stdout
    recovered = run_cli("recover")
    assert recovered.returncode == 0, recovered.stderr
    assert "Recovered 3 imports" in recovered.stdout
    assert "Too damaged to read: import #2 (top_pins_4000.csv)" in recovered.stdout
    after = json.loads(run_cli("imports", "--json").stdout)
    kept = ("file_name", "sha256", "format", "imported_at", "rows", "first_day", "last_day", "series", "series_label",
            "metrics")
    assert [{k: b[k] for k in kept} for b in after] == [{k: b[k] for k in kept} for b in before if b["id"] != 2]
    assert after[-1]["series_label"]  # the filtered export went back to its own series
    summary = run_cli("summary", "--json", "--from", "2025-03-01", "--to", "2025-03-07")
    assert '"outbound_clicks": 502' in summary.stdout
    again = run_cli("recover")  # nothing twice
    assert "Already in your history" in again.stdout


def test_recover_without_a_damaged_history_says_so(pinviewer_home):
    run = run_cli("recover")
    assert run.returncode == 1 and "no damaged history" in run.stderr


def test_the_window_offers_a_recover_button(qtbot, pinviewer_home, tmp_path):
    from pinviewer.core.importer import import_files
    from pinviewer.core.store import Store
    from pinviewer.gui import tasks
    from pinviewer.gui.main_window import MainWindow

    with Store.open() as store:
        outcomes = import_files(store, store.profile(), [OVERVIEW, many_pins(tmp_path), GA4])
        assert all(o.ok for o in outcomes)
    damage_pages_of(history(pinviewer_home), 2)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.ready, timeout=30_000):
        win.start()
    try:
        assert "damaged" in win.messages.notice.text.text()
        buttons = {b.text(): b for b in win.messages.notice.buttons()}
        assert "Recover imports" in buttons
        buttons["Recover imports"].click()
        qtbot.waitUntil(lambda: "Recovered 2 imports" in win.messages.notice.text.text(), timeout=30_000)
        assert win.data.imports_count == 2
    finally:
        tasks.wait_all()
        win.close()
    shutil.rmtree(tmp_path, ignore_errors=True)
