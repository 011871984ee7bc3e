"""The registry: detection, other platforms' exports, progress and cancel, a large file, no Qt."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pinviewer.core.errors import Cancelled, UnknownFormat, UnreadableFile
from pinviewer.core.formats import READERS, Detection, detect, read

SAMPLES = Path(__file__).parent / "data" / "samples"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_readers_are_plain_functions():
    names = [r.name for r in READERS]
    assert names == ["pinterest_overview", "pinterest_top_pins", "ga4_traffic", "ga4_landing", "ga4_daily"]
    assert all(callable(r.score) and callable(r.read) for r in READERS)


def test_mailchimp_is_another_platforms_export():
    path = SAMPLES / "mailchimp_audience_export.csv"
    for call in (detect, read):
        with pytest.raises(UnknownFormat) as err:
            call(path)
        message = str(err.value)
        assert message.startswith("This looks like a Mailchimp audience export")
        assert "PinViewer reads Pinterest analytics exports" in message and "Google Analytics" in message


@pytest.mark.parametrize("header, what", [
    ("Buchungstag,Valutadatum,Verwendungszweck,Betrag,Saldo", "a bank statement"),
    ("Date,Description,Amount,Balance", "a bank statement"),
    ("Date,Campaign name,Ad group name,Spend in account currency,Impressions,Pin clicks,Outbound clicks,CTR",
     "a Pinterest Ads Manager report"),
    ("Date,Clicks,Impressions,CTR,Position", "a Google Search Console export"),
    ("Post ID,Permalink,Publish time,Reach,Impressions", "a Facebook or Instagram export"),
    ("Email,First name,Signed up", "a list of email addresses"),
])
def test_other_platforms(tmp_path, header, what):
    row = ",".join(["2025-03-01"] + ["1"] * (header.count(",")))
    with pytest.raises(UnknownFormat, match=what):
        detect(write(tmp_path, "other.csv", f"{header}\n{row}\n"))


def test_table_without_dates(tmp_path):
    with pytest.raises(UnknownFormat, match="no column of dates"):
        detect(write(tmp_path, "x.csv", "Name,Count\nSoup,3\nBread,4\n"))


def test_unknown_table_with_dates_and_numbers(tmp_path):
    found = detect(write(tmp_path, "x.csv", "When,Widgets,Gadgets\n2025-03-01,3,4\n2025-03-02,5,6\n"))
    assert isinstance(found, Detection)
    assert found.format == "unknown" and found.confidence == 0.2 and found.header == ["When", "Widgets", "Gadgets"]
    assert "When" in found.reason


def test_confidence_drops_with_unrecognised_columns(tmp_path):
    text = "Date,Impressions,Saves,Mood,Weather,Colour\n2025-03-01,5,1,a,b,c\n"
    found = detect(write(tmp_path, "x.csv", text))
    assert found.format == "pinterest_overview" and 0.5 < found.confidence < 0.8


def test_unreadable_files_raise_before_anything_else(tmp_path):
    with pytest.raises(UnreadableFile):
        detect(write(tmp_path, "empty.csv", ""))
    with pytest.raises(UnreadableFile):
        read(tmp_path / "empty.csv")


# ---- progress, cancel, a large file ----------------------------------------------------------------------

def top_pins_file(path: Path, pins: int) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("Top Pins\r\nDate range: 2025-02-06 - 2025-03-07\r\nSorted by: Impressions\r\n\r\n")
        f.write("Pin ID,Pin URL,Title,Destination link,Created date,Format,Impressions,Engagements,Pin clicks,"
                "Outbound clicks,Saves,Engagement rate,Outbound click rate,Save rate\r\n")
        base = 1012345678901234567
        block = []
        for k in range(pins):
            pid = base + k
            impressions = 1000 + (k * 7919) % 50000
            block.append(f'{pid},https://www.pinterest.com/pin/{pid}/,"Pin number {k}, tasty",'
                         f"https://example-blog.com/post-{k % 3000}/?utm_source=pinterest,2024-{1 + k % 12:02d}-"
                         f'{1 + k % 28:02d},Standard,"{impressions:,}",{k % 900},{k % 400},{k % 150},{k % 300},'
                         f"3.4%,0.5%,1.3%\r\n")
            if len(block) == 10_000:
                f.write("".join(block))
                block = []
        f.write("".join(block))
    return path


def test_large_file_reports_progress_and_finishes(tmp_path):
    path = top_pins_file(tmp_path / "large.csv", 100_000)
    size = path.stat().st_size
    assert size > 20_000_000
    calls = []
    started = time.perf_counter()
    batch = read(path, progress=lambda done, total, message: calls.append((done, total, message)))
    elapsed = time.perf_counter() - started
    assert len(batch.periods) == 100_000 and batch.source_rows == 100_000 and not batch.problems
    assert batch.periods["impressions"].iloc[-1] == 1000 + (99_999 * 7919) % 50000
    assert len(calls) >= 3  # the start, each chunk, the end
    assert all(total == size for _done, total, _m in calls)
    dones = [done for done, _t, _m in calls]
    assert dones == sorted(dones) and dones[-1] == size and 0 < dones[1] < size
    print(f"\n{size / 1e6:.1f} MB read in {elapsed:.2f} s, {len(calls)} progress calls")


def test_cancel(tmp_path):
    path = top_pins_file(tmp_path / "cancel.csv", 120_000)
    calls = []

    def cancelled():
        return len(calls) >= 2  # after the first chunk

    with pytest.raises(Cancelled):
        read(path, progress=lambda *a: calls.append(a), cancelled=cancelled)
    assert len(calls) == 2


def test_cancel_before_start():
    with pytest.raises(Cancelled):
        read(SAMPLES / "pinterest_ui_overview_export_GUESS.csv", cancelled=lambda: True)


def test_formats_do_not_import_qt():
    code = ("import sys\n"
            "class Block:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'):\n"
            "            raise ImportError('Qt is not allowed in core: ' + name)\n"
            "sys.meta_path.insert(0, Block())\n"
            "import pinviewer.core.formats as f\n"
            "from pinviewer.core.formats import sniff, number_parsing, date_parsing, quoting, vocabulary, urls, mapping, "
            "pinterest, ga4, registry\n"
            "b = f.read(sys.argv[1])\n"
            "assert not [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))]\n"
            "print(b.format)\n")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1]))
    result = subprocess.run([sys.executable, "-c", code, str(SAMPLES / "ga4_traffic_acquisition_source_medium.csv")],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ga4_traffic"


def test_period_argument_is_used_for_ga4(tmp_path):
    path = write(tmp_path, "g.csv", "Session source / medium,Sessions\npinterest.com / referral,5\n")
    batch = read(path, period=(dt.date(2025, 1, 1), dt.date(2025, 1, 31)))
    assert batch.period == (dt.date(2025, 1, 1), dt.date(2025, 1, 31)) and not batch.problems


# ---- importer.read_file: the file is hashed while it is read ---------------------------------------------

def test_read_file_hashes_the_file_while_reading_it(tmp_path):
    from pinviewer.core import importer

    path = top_pins_file(tmp_path / "hashed.csv", 3000)
    batch, sha = importer.read_file(path)
    assert sha == hashlib.sha256(path.read_bytes()).hexdigest() and len(batch.periods) == 3000


def test_read_file_raises_a_hashing_error_first(tmp_path, monkeypatch):
    from pinviewer.core import importer

    def cannot_hash(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(importer, "file_sha256", cannot_hash)
    # (a sentence, not a traceback: issue 13)
    with pytest.raises(importer.PinviewerError, match="not allowed to read “fine.csv”"):
        importer.read_file(top_pins_file(tmp_path / "fine.csv", 10))
    with pytest.raises(importer.PinviewerError, match="not allowed to read “empty.csv”"):  # the reading fails too
        importer.read_file(write(tmp_path, "empty.csv", ""))
