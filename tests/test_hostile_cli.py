"""Issue 13, points 1, 6, 7: strict JSON from every command, special files, and every failure one sentence.

The command line is run as a user runs it (a subprocess) where what reaches the terminal matters; a few
triggers that need a failing system call run ``cli.main`` in-process with the call monkeypatched.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import SAMPLES, run_cli

OVERVIEW = SAMPLES / "pinterest_ui_overview_export_GUESS.csv"
TOP_PINS = SAMPLES / "pinterest_ui_top_pins_export_GUESS.csv"
GA4 = SAMPLES / "ga4_traffic_acquisition_source_medium.csv"


def strict(text: str):
    """json.loads refusing NaN and Infinity (which Python's json module would otherwise accept)."""
    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


def one_sentence(run, *words) -> str:
    """Exit 1, nothing but a sentence or two on stderr: no traceback, no control character."""
    assert run.returncode == 1, (run.returncode, run.stdout, run.stderr)
    err = run.stderr.strip()
    assert err and "Traceback" not in err and "File \"" not in err, err
    assert not any(ord(c) < 32 and c not in "\n\t" for c in run.stderr + run.stdout)
    for word in words:
        assert word in err, err
    return err


def test_every_command_that_prints_json_prints_strict_json(pinviewer_home, tmp_path):
    """Unknown figures (a blank day, no impressions: rates undefined) are null, never NaN or Infinity."""
    gaps = tmp_path / "gaps.csv"
    gaps.write_text("Date,Impressions,Outbound clicks,Saves,Outbound click rate\n"
                    "2025-03-01,0,0,,\n2025-03-02,,3,4,\n2025-03-03,100,,2,1%\n", encoding="utf-8")
    runs = {
        "import": run_cli("import", "--json", str(OVERVIEW), str(TOP_PINS), str(GA4), str(gaps)),
        "import (a bad file)": run_cli("import", "--json", str(tmp_path / "missing.csv")),
        "imports": run_cli("imports", "--json"),
        "summary": run_cli("summary", "--json", "--from", "2025-03-01", "--to", "2025-03-07"),
        "summary (a period with nothing)": run_cli("summary", "--json", "--from", "2020-01-01", "--to", "2020-01-31"),
        "insights": run_cli("insights", "--json", "--from", "2025-03-01", "--to", "2025-03-07"),
        "insights --goals": run_cli("insights", "--goals", "--json", "--set-goal", "saves=100"),
        "summary --demo": run_cli("summary", "--json", "--demo"),
        "insights --demo": run_cli("insights", "--json", "--demo"),
    }
    for name, run in runs.items():
        assert run.returncode in (0, 1) and "Traceback" not in run.stderr, (name, run.stderr)
        assert run.stdout.strip(), (name, run.stderr)
        strict(run.stdout)
    assert runs["import (a bad file)"].returncode == 1
    summary = strict(runs["summary"].stdout)
    # the newer file's 0 and 3 replace 61 and 74; its blank on 3 March says nothing, so 58 stays
    assert summary["totals"]["outbound_clicks"] == 502 - 61 - 74 + 0 + 3


def test_json_that_would_hold_nan_is_refused_not_printed(capsys):
    from pinviewer import cli

    with pytest.raises(ValueError):
        cli.emit_json({"rate": float("nan")})
    assert capsys.readouterr().out == ""


# ---- special files ----------------------------------------------------------------------------------------

def test_a_named_pipe_is_refused_at_once(tmp_path):
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    run = run_cli("import", str(fifo), timeout=60)
    one_sentence(run, "named pipe")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused_at_once(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    one_sentence(run_cli("import", device, timeout=60), "is a device")


def test_a_folder_is_refused(tmp_path):
    one_sentence(run_cli("import", str(tmp_path)), "is a folder")


def test_a_symlink_loop_is_refused_in_words(tmp_path):
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    one_sentence(run_cli("import", str(tmp_path / "a.csv")), "loop")


def test_a_file_over_a_gigabyte_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.csv"
    with open(big, "wb") as handle:  # sparse: no disk used, and nothing to read
        handle.write(b"Date,Impressions\n")
        handle.truncate((1 << 30) + 1)
    one_sentence(run_cli("import", str(big)), "1.1 GB", "up to 1 GB")


def test_a_zero_filled_tail_stops_the_read_with_a_sentence(tmp_path):
    damaged = tmp_path / "damaged.csv"
    text = OVERVIEW.read_bytes()
    damaged.write_bytes(text + b"\0" * (3 << 20))
    one_sentence(run_cli("import", str(damaged)), "binary data")


def test_a_pipe_on_stdin_is_read_once_and_hashed_from_what_was_read(pinviewer_home):
    import hashlib

    text = OVERVIEW.read_text(encoding="utf-8-sig")
    run = run_cli("import", "--json", "/dev/stdin", stdin=text)
    assert run.returncode == 0, run.stderr
    entry = strict(run.stdout)[0]
    assert entry["ok"] and entry["rows"] == 7 and entry["new_days"] == 7
    imports = strict(run_cli("imports", "--json").stdout)
    assert imports[0]["file_name"] == "stdin"
    assert imports[0]["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    again = run_cli("import", "/dev/stdin", stdin=text)  # the same bytes: already imported
    assert again.returncode == 0 and "Already imported" in again.stdout


@pytest.mark.skipif(not os.path.exists("/bin/bash"), reason="needs bash for <(...)")
def test_a_process_substitution_is_read_once(pinviewer_home):
    command = f'{sys.executable} -m pinviewer import <(cat "{OVERVIEW}")'
    run = subprocess.run(["/bin/bash", "-c", command], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Added 7 days" in run.stdout


# ---- messages ----------------------------------------------------------------------------------------------

def test_an_escape_sequence_in_a_cell_never_reaches_the_terminal(tmp_path):
    text = OVERVIEW.read_text(encoding="utf-8-sig").replace('"13,905"', '"\x1b]0;pwned\x07\x1b[31mred"')
    text = text.replace("Saves,", "Sa\x1b[2Jves,", 1)
    path = tmp_path / "escape.csv"
    path.write_text(text, encoding="utf-8")
    err = one_sentence(run_cli("import", str(path)), "Impressions", "is not a number")
    assert "\\u001b]0;pwned\\u0007" in err


def test_a_20_mb_cell_is_quoted_in_80_characters(tmp_path):
    text = OVERVIEW.read_text(encoding="utf-8-sig").replace('"13,905"', "x" * 20_000_000)
    path = tmp_path / "big-cell.csv"
    path.write_text(text, encoding="utf-8")
    run = run_cli("import", str(path))
    err = one_sentence(run, "is not a number")
    assert len(err) < 600 and "x" * 80 + "…" in err and "x" * 81 not in err


def test_a_file_with_only_carriage_returns_reads_as_lines(tmp_path, pinviewer_home):
    text = OVERVIEW.read_text(encoding="utf-8-sig").replace('"11,722"', "lots")
    path = tmp_path / "classic-mac.csv"
    path.write_bytes(text.replace("\n", "\r").encode("utf-8"))
    one_sentence(run_cli("import", str(path)), "Row 8:", "'lots' in Impressions is not a number")
    path.write_bytes(OVERVIEW.read_text(encoding="utf-8-sig").replace("\n", "\r").encode("utf-8"))
    run = run_cli("import", str(path))
    assert run.returncode == 0 and "7 rows" in run.stdout and "Added 7 days" in run.stdout


def test_a_header_of_100000_columns_is_refused_for_what_it_is(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("1" * 100_000) + "\n")
    one_sentence(run_cli("import", str(path)), "is longer than 256 KB")
    narrow = tmp_path / "many.csv"
    narrow.write_text("Date," + ",".join("x" * 5000) + "\n2025-03-01," + ",".join("1" * 5000) + "\n")
    one_sentence(run_cli("import", str(narrow)), "5,001 columns")


def test_one_row_is_one_row(tmp_path, pinviewer_home):
    path = tmp_path / "one.csv"
    path.write_text("Date,Impressions,Outbound clicks\n2025-03-01,100,2\n", encoding="utf-8")
    run = run_cli("import", str(path))
    assert run.returncode == 0 and "1 row," in run.stdout and "1 rows" not in run.stdout
    listed = run_cli("imports")
    assert "1 row," in listed.stdout and "1 rows" not in listed.stdout


def test_a_pinviewer_home_that_cannot_be_written_is_a_sentence(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    run = run_cli("summary", env={"PINVIEWER_HOME": str(blocker)})
    one_sentence(run, "PINVIEWER_HOME")


def test_an_unreadable_file_is_a_sentence(tmp_path, monkeypatch, capsys):
    """Permissions cannot stop root; the refusal the system would give is made here instead."""
    import builtins

    from pinviewer import cli

    path = tmp_path / "secret.csv"
    path.write_bytes(OVERVIEW.read_bytes())
    real_open = builtins.open

    def guarded(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    assert cli.main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "not allowed to" in err and "secret.csv" in err and "Traceback" not in err


def test_an_unexpected_error_is_a_sentence_naming_the_log(monkeypatch, capsys):
    from pinviewer import cli
    from pinviewer.cli import data

    monkeypatch.setattr(data, "format_summary", lambda data: 1 / 0)
    monkeypatch.delenv("PINVIEWER_DEBUG", raising=False)
    assert cli.main(["summary", "--demo"]) == 1
    err = capsys.readouterr().err
    assert "did not expect" in err and "pinviewer.log" in err and "Traceback" not in err


def test_messages_never_quote_more_than_80_characters_of_a_cell():
    from pinviewer.core.formats.quoting import quote_cell, tidy_message

    assert quote_cell("x" * 500) == "x" * 80 + "…"
    assert quote_cell(" \x1b[31m\u202eabc ") == "\\u001b[31m\\u202eabc"
    message = tidy_message(f"'{'y' * 10_000}' in Saves is not a number.")
    assert message == f"'{'y' * 80}…' in Saves is not a number."
    assert len(tidy_message("z " * 100_000)) <= 601


def test_sync_json_is_strict_json_too(pinviewer_home, tmp_path):
    from pathlib import Path

    from fake_pinterest import FakePinterest

    tests = Path(__file__).parent
    with FakePinterest(n_pins=5) as server:
        env = {"PINVIEWER_API_BASE": server.base_url, "PYTHON_KEYRING_BACKEND": "fake_keyring.FileKeyring",
               "PYTHONPATH": os.pathsep.join([str(tests), os.environ.get("PYTHONPATH", "")]),
               "PINVIEWER_TEST_KEYRING": str(tmp_path / "test-keyring.json")}
        assert run_cli("connect", "--token-stdin", stdin=server.token, env=env).returncode == 0
        run = run_cli("sync", "--pins", "2", "--json", env=env)
    assert run.returncode == 0, run.stderr
    assert strict(run.stdout)["batch_id"]


def test_the_output_stream_escapes_what_a_file_could_smuggle_in():
    import io

    from pinviewer.cli import _SafeStream

    out = io.StringIO()
    stream = _SafeStream(out)
    stream.write("\rSyncing: 3 of 9   ")  # the command's own progress line
    stream.write("title \x1b]0;x\x07 \u202eevil\r\nnext\tline\n")
    assert out.getvalue() == "\rSyncing: 3 of 9   title \\u001b]0;x\\u0007 \\u202eevil\\u000d\nnext\tline\n"
