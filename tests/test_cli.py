"""The command line as scripts use it: exit codes and output through pinviewer.cli.main (a few through
python -m pinviewer in a subprocess, as a script runs it), real files, a real SQLite file."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import SAMPLES, run_cli

OVERVIEW = SAMPLES / "pinterest_ui_overview_export_GUESS.csv"
TOP_PINS = SAMPLES / "pinterest_ui_top_pins_export_GUESS.csv"
GA4_SOURCES = SAMPLES / "ga4_traffic_acquisition_source_medium.csv"
GA4_CHANNELS = SAMPLES / "ga4_traffic_acquisition_channel_group.csv"


def summary(*args):
    run = run_cli("summary", "--json", *args)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def database_bytes(home):
    return (home / "data" / "pinviewer.sqlite").read_bytes()


def test_import_reports_what_it_recognised_and_summary_reflects_it(pinviewer_home):
    run = run_cli("import", str(OVERVIEW), str(TOP_PINS), str(GA4_SOURCES))
    assert run.returncode == 0, run.stderr
    assert "Pinterest account overview, 7 rows, 2025-03-01 to 2025-03-07" in run.stdout
    assert "Added 7 days" in run.stdout
    data = summary("--from", "2025-03-01", "--to", "2025-03-07")
    assert data["period"] == {"start": "2025-03-01", "end": "2025-03-07", "days": 7, "provisional_days": 0,
                              "days_with_data": 7}
    # the sample's Total row says 93,035 impressions and 502 outbound clicks: it is not counted twice
    assert data["totals"]["impressions"] == 93035 and data["totals"]["outbound_clicks"] == 502
    assert data["rates"]["outbound_click_rate"] == pytest.approx(502 / 93035)
    assert data["previous"]["start"] == "2025-02-22" and data["change"]["outbound_clicks"] is None
    # Pinterest traffic on the site: pinterest.com (9,120) and pin.it (812) rows, nothing else
    assert data["site"]["sessions"] == 9120 + 812 and data["site"]["key_events"] == 121 + 9
    assert data["top_pins"][0]["pin_id"] == "1012345678901234567" and data["top_pins"][0]["outbound_clicks"] == 240
    assert data["top_pins_cover"] == {"start": "2025-02-06", "end": "2025-03-07", "days": 30}
    assert data["top_posts"][0]["url"] == "https://example-blog.com/lemon-chicken"


def test_default_period_is_last_30_days_with_data(pinviewer_home):
    assert run_cli("import", str(OVERVIEW)).returncode == 0
    data = summary()
    assert (data["period"]["start"], data["period"]["end"]) == ("2025-02-06", "2025-03-07")


def test_same_file_twice_is_a_noop_and_undo_brings_back_earlier_values(pinviewer_home, tmp_path):
    assert run_cli("import", str(OVERVIEW)).returncode == 0
    again = run_cli("import", str(OVERVIEW))
    assert again.returncode == 0 and "Already imported" in again.stdout
    # a newer export of the same days with more outbound clicks on 1 March
    newer = tmp_path / "newer.csv"
    newer.write_text(OVERVIEW.read_text(encoding="utf-8-sig").replace('2025-03-01,"12,480",402,3.2%,188,1.5%,61',
                                                                      '2025-03-01,"12,480",402,3.2%,188,1.5%,81'),
                     encoding="utf-8")
    changed = run_cli("import", str(newer))
    assert changed.returncode == 0 and "1 figure changed" in changed.stdout
    assert summary("--from", "2025-03-01", "--to", "2025-03-07")["totals"]["outbound_clicks"] == 522
    listing = run_cli("imports", "--json")
    batches = json.loads(listing.stdout)
    assert [b["file_name"] for b in batches] == [OVERVIEW.name, "newer.csv"]
    undo = run_cli("undo", str(batches[1]["id"]))
    assert undo.returncode == 0 and "earlier figures" in undo.stdout
    assert summary("--from", "2025-03-01", "--to", "2025-03-07")["totals"]["outbound_clicks"] == 502
    assert "undone" in run_cli("imports").stdout


def test_profiles_keep_blogs_apart(pinviewer_home):
    assert run_cli("import", str(OVERVIEW), "--profile", "Client bakery").returncode == 0
    assert run_cli("profiles").stdout.split("\n")[:2] == ["My blog", "Client bakery"]
    assert summary("--profile", "Client bakery")["totals"]["outbound_clicks"] == 502
    empty = run_cli("summary", "--profile", "My blog")
    assert empty.returncode == 1 and "import a Pinterest export first" in empty.stderr
    refused = run_cli("profiles", "delete", "Client bakery")
    assert refused.returncode == 1 and "--yes" in refused.stderr
    assert run_cli("profiles", "delete", "Client bakery", "--yes").returncode == 0


def test_channel_group_report_imports_with_a_note(pinviewer_home):
    run = run_cli("import", str(GA4_CHANNELS))
    assert run.returncode == 0, run.stderr
    assert "note:" in run.stdout and "Session source / medium" in run.stdout


BAD_FILES = {
    "empty.csv": b"",
    "picture.csv": b"\x89PNG\r\n\x1a\n" + b"\x00" * 200,
    "mailchimp.csv": (SAMPLES / "mailchimp_audience_export.csv").read_bytes(),
    "cut.csv": OVERVIEW.read_bytes()[:-60],
    "bad-date.csv": OVERVIEW.read_bytes().replace(b"2025-03-04", b"2025-13-45"),
    "twice.csv": OVERVIEW.read_bytes().replace(b"2025-03-04,\"12,010\"", b"2025-03-03,\"12,010\""),
    "negative.csv": OVERVIEW.read_bytes().replace(b",71,0.5%", b",-71,0.5%"),
    "words.csv": OVERVIEW.read_bytes().replace(b",71,0.5%", b",lots,0.5%"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_get_one_sentence_and_leave_the_store_unchanged(pinviewer_home, tmp_path, name):
    assert run_cli("import", str(TOP_PINS)).returncode == 0
    before = database_bytes(pinviewer_home)
    listing_before = run_cli("imports", "--json").stdout
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    run = run_cli("import", str(path))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    message = run.stderr.strip().splitlines()[-1]
    assert message.startswith(name) and len(message) < 600
    assert run_cli("imports", "--json").stdout == listing_before
    assert summary("--from", "2025-02-06", "--to", "2025-03-07")["top_pins"][0]["outbound_clicks"] == 240
    assert len(database_bytes(pinviewer_home)) == len(before)


def test_one_bad_file_does_not_stop_the_others(pinviewer_home, tmp_path):
    bad = tmp_path / "empty.csv"
    bad.write_bytes(b"")
    run = run_cli("import", str(bad), str(OVERVIEW))
    assert run.returncode == 1  # something failed...
    assert "Added 7 days" in run.stdout  # ...but the good file landed
    assert summary()["totals"]["outbound_clicks"] == 502


def test_path_with_spaces_and_non_ascii_letters(pinviewer_home, tmp_path):
    folder = tmp_path / "Données été 2025"
    folder.mkdir()
    path = folder / "export pinterest – mars.csv"
    shutil.copy(OVERVIEW, path)
    run = run_cli("import", str(path))
    assert run.returncode == 0, run.stderr
    assert "export pinterest – mars.csv" in run.stdout


def test_mapping_file_and_remembered_mapping(pinviewer_home, tmp_path):
    data = tmp_path / "my tracker.csv"
    data.write_text("Day,Clicks to site,Views,Notes\n2025-03-01,12,900,launch\n2025-03-02,15,1000,\n",
                    encoding="utf-8")
    without = run_cli("import", str(data))  # "Day" and "Views" look like Google Analytics; the rest does not
    assert without.returncode == 1 and "not sure" in without.stderr and "Clicks to site" in without.stderr
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"version": 1, "name": "tracker", "entity": "account",
                                   "columns": {"Day": "date", "Clicks to site": "outbound_clicks",
                                               "Views": "impressions", "Notes": "ignore"}}))
    run = run_cli("import", str(data), "--mapping", str(mapping))
    assert run.returncode == 0, run.stderr
    assert summary()["totals"]["outbound_clicks"] == 27
    # the wizard remembers mappings per header: a later file with the same columns needs no --mapping
    from pinviewer.core.formats.mapping import load_mapping
    from pinviewer.core.mappings import remember

    remember(load_mapping(mapping), ["Day", "Clicks to site", "Views", "Notes"])
    later = tmp_path / "tracker march.csv"
    later.write_text("Day,Clicks to site,Views,Notes\n2025-03-03,20,800,\n", encoding="utf-8")
    run = run_cli("import", str(later))
    assert run.returncode == 0, run.stderr
    assert summary()["totals"]["outbound_clicks"] == 47


def test_usage_errors_exit_2_and_user_errors_exit_1(pinviewer_home):
    assert run_cli("import", process=True).returncode == 2  # as a script sees it: python -m pinviewer
    assert run_cli("summary", "--compare", "sideways").returncode == 2
    bad_date = run_cli("summary", "--from", "March 1st", "--demo", process=True)
    assert bad_date.returncode == 1 and "YYYY-MM-DD" in bad_date.stderr and "Traceback" not in bad_date.stderr
    missing = run_cli("import", "/nowhere/at/all.csv")
    assert missing.returncode == 1 and "can't find" in missing.stderr
    assert run_cli("undo", "42").returncode == 1


def test_summary_on_the_demo_blog(pinviewer_home):
    data = summary("--demo")
    assert data["period"]["days"] == 30 and data["totals"]["outbound_clicks"] > 1000
    assert data["site"]["sessions"] > 0 and len(data["top_pins"]) == 10 and data["top_posts"]
    assert not (pinviewer_home / "data" / "pinviewer.sqlite").exists()  # the demo never touches your history


def test_damaged_database_is_kept_aside_and_said(pinviewer_home):
    db = pinviewer_home / "data" / "pinviewer.sqlite"
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"garbage" * 1000)
    run = run_cli("import", str(OVERVIEW))
    assert run.returncode == 0
    assert "damaged" in run.stderr and "kept it aside" in run.stderr
    assert list(db.parent.glob("pinviewer.sqlite.damaged-*"))


def test_the_entry_point_sends_every_command_to_the_command_line():
    """``pinviewer COMMAND`` runs the command line for exactly the commands it has (anything else is the window)."""
    import argparse

    from pinviewer.app import COMMANDS
    from pinviewer.cli import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    assert sorted(COMMANDS) == sorted(sub.choices)
