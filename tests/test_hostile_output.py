"""Issue 13, point 4: every file PinViewer writes is written whole or not at all.

A failing write is made two ways: a system call that fails (monkeypatched: ENOSPC where the file is flushed
or renamed), and - where the tests run as root - a real full disk (a small tmpfs filled to the last byte).
Either way the old file stays as it was, no partial file is left, and the user reads one sentence.
"""
from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest

from conftest import SAMPLES, run_cli

OVERVIEW = SAMPLES / "pinterest_ui_overview_export_GUESS.csv"
PERIOD = ("--from", "2025-03-01", "--to", "2025-03-07")


def disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".partial")]


@pytest.fixture
def report(pinviewer_home, qapp):  # (a QApplication first: the PDF code would make a QGuiApplication)
    from pinviewer.core import analysis
    from pinviewer.core.importer import import_file
    from pinviewer.core.report import build_report
    from pinviewer.core.store import Store

    with Store.open() as store:
        assert import_file(store, store.profile(), OVERVIEW).ok
        dataset = store.load(store.profile())
        return build_report(dataset, analysis.Period(analysis.parse_day("2025-03-01"),
                                                     analysis.parse_day("2025-03-07")))


@pytest.mark.parametrize("call", ["replace", "fsync"])
def test_a_pdf_that_cannot_be_written_whole_keeps_the_old_one(report, tmp_path, monkeypatch, call):
    from pinviewer.core.errors import PinviewerError
    from pinviewer.render.pdf import write_pdf

    target = tmp_path / "summary.pdf"
    write_pdf(report, target)
    good = target.read_bytes()
    monkeypatch.setattr(os, call, disk_full)
    with pytest.raises(PinviewerError) as caught:
        write_pdf(report, target)
    assert "The disk is full" in str(caught.value) and "summary.pdf is unchanged" in str(caught.value)
    assert target.read_bytes() == good and not leftovers(tmp_path)


def test_a_pdf_cut_short_is_caught_before_it_replaces_anything(tmp_path):
    from pinviewer.render.pdf import _pdf_problem

    whole = tmp_path / "whole.pdf"
    whole.write_bytes(b"%PDF-1.4\n" + b"x" * 5000 + b"\n%%EOF\n")
    assert _pdf_problem(whole) is None
    for cut in (b"", b"%PDF-1.4\n" + b"x" * 5000):
        whole.write_bytes(cut)
        assert "could not write the whole PDF" in _pdf_problem(whole)


def test_report_on_a_full_disk_exits_1_with_a_sentence(report, tmp_path, monkeypatch, capsys):
    from pinviewer import cli

    target = tmp_path / "summary.pdf"
    target.write_bytes(b"%PDF-1.4 the old one\n%%EOF\n")
    monkeypatch.setattr(os, "replace", disk_full)
    assert cli.main(["report", "--pdf", str(target), *PERIOD]) == 1
    out = capsys.readouterr()
    assert "The disk is full" in out.err and "Saved" not in out.out and "Traceback" not in out.err
    assert target.read_bytes() == b"%PDF-1.4 the old one\n%%EOF\n" and not leftovers(tmp_path)


def test_atomic_write_keeps_the_old_file_when_the_writing_fails(tmp_path):
    from pinviewer import paths

    target = tmp_path / "settings.json"
    target.write_text("old")
    with pytest.raises(paths.WriteError, match="The disk is full: PinViewer could not save settings.json"):
        with paths.atomic_write(target) as handle:
            handle.write("new, half")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert target.read_text() == "old" and not leftovers(tmp_path)
    paths.write_text(target, "new")
    assert target.read_text() == "new" and not leftovers(tmp_path)


def test_a_mapping_and_the_demo_files_keep_their_old_versions(tmp_path, monkeypatch):
    from pinviewer import paths
    from pinviewer.core import demo, mappings
    from pinviewer.core.formats.mapping import ColumnMapping

    mapping = ColumnMapping(columns={"Tag": "date", "Klicks": "outbound_clicks"}, name="first")
    saved = mappings.remember(mapping, ["Tag", "Klicks"])
    before = saved.read_bytes()
    folder = tmp_path / "demo"
    demo.write_exports(folder)
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(paths.WriteError, match="disk is full"):
        mappings.remember(ColumnMapping(columns={"Tag": "date", "Klicks": "saves"}, name="second"), ["Tag", "Klicks"])
    with pytest.raises(paths.WriteError, match="disk is full"):
        demo.write_exports(folder)
    assert saved.read_bytes() == before and not leftovers(saved.parent)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files


def test_preferences_that_cannot_be_saved_are_said_once(qapp, monkeypatch):
    from PySide6.QtCore import QSettings

    from pinviewer.gui import errors, settings

    told = []
    monkeypatch.setattr(errors, "show_problem", lambda parent, message, title=None: told.append(message))
    monkeypatch.setattr(settings, "_told", False)
    monkeypatch.setattr(QSettings, "status", lambda self: QSettings.Status.AccessError)
    assert settings.put(settings.PRESET, "last_90") is False
    assert settings.put(settings.PRESET, "last_7") is False
    assert len(told) == 1 and "could not save your preferences" in told[0]


def test_the_window_says_why_the_pdf_was_not_saved(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from pinviewer.gui import errors

    window.imports.open_files([OVERVIEW])
    qtbot.waitUntil(lambda: window.data.imports_count == 1 and window.figures is not None, timeout=60_000)
    target = tmp_path / "summary.pdf"
    target.write_bytes(b"%PDF-1.4 the old one\n%%EOF\n")
    told = []
    monkeypatch.setattr(errors, "show_problem", lambda parent, message, title=None: told.append((title, message)))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    monkeypatch.setattr(os, "replace", disk_full)
    window.paper.save_pdf()
    qtbot.waitUntil(lambda: bool(told), timeout=60_000)
    assert told[0][0] == "The PDF was not saved" and "The disk is full" in told[0][1]
    assert target.read_bytes() == b"%PDF-1.4 the old one\n%%EOF\n" and not leftovers(tmp_path)
    assert "Saved" not in window.messages.notice.text.text()


# ---- a real full disk (root only) ---------------------------------------------------------------------

@pytest.fixture
def full_disk(tmp_path):
    """A 4 MB tmpfs mounted for the test, to be filled by the test (root only)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> None:
    """Fill the file system to its last byte (unbuffered writes: nothing is left to flush on close)."""
    for name, size in (("filler", 1 << 16), ("filler-4k", 4096), ("filler-1", 1)):
        with open(folder / name, "wb", buffering=0) as handle:
            try:
                while handle.write(b"\0" * size):
                    pass
            except OSError as error:
                assert error.errno == errno.ENOSPC


def test_a_real_full_disk_keeps_every_old_file(full_disk):
    home = full_disk / "home"
    env = {"PINVIEWER_HOME": str(home)}
    assert run_cli("import", str(OVERVIEW), env=env).returncode == 0
    pdf = full_disk / "summary.pdf"
    assert run_cli("report", "--pdf", str(pdf), *PERIOD, env=env).returncode == 0
    demo = full_disk / "demo"
    assert run_cli("demo", "--write", str(demo), env=env).returncode == 0
    before = {p: p.read_bytes() for p in [pdf, *demo.iterdir()]}
    fill(full_disk)
    runs = {
        "report": run_cli("report", "--pdf", str(pdf), *PERIOD, env=env),
        "demo": run_cli("demo", "--write", str(demo), env=env),
        "profiles create": run_cli("profiles", "create", "Second blog " + "x" * 20000, env=env),
        "insights --set-goal": run_cli("insights", "--set-goal", "saves=" + "9" * 15, env=env),
    }
    for name, run in runs.items():
        assert run.returncode == 1, (name, run.stdout, run.stderr)
        assert "Traceback" not in run.stderr and "full" in run.stderr, (name, run.stderr)
    assert {p: p.read_bytes() for p in before} == before
    assert not leftovers(full_disk) and not leftovers(demo)
    summary = run_cli("summary", *PERIOD, env=env)  # the history still reads
    assert summary.returncode == 0 and "502" in summary.stdout


def test_preferences_on_a_real_full_disk_keep_the_old_file(full_disk, monkeypatch, qapp):
    from pinviewer import paths
    from pinviewer.gui import errors, settings

    monkeypatch.setenv("PINVIEWER_HOME", str(full_disk / "home"))
    monkeypatch.setattr(settings, "_told", False)
    told = []
    monkeypatch.setattr(errors, "show_problem", lambda parent, message, title=None: told.append(message))
    assert settings.put(settings.PRESET, "last_90") is True
    ini = paths.config_dir() / "pinviewer.ini"
    before = ini.read_bytes()
    fill(full_disk)
    assert settings.put(settings.CUSTOM_START, "2025-03-01" * 2000) is False
    assert ini.read_bytes() == before and told
