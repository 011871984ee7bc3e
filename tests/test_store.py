"""The local history: batches, newest wins, undo, no-op re-imports, transactions, damage, concurrency."""
from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from pinviewer.core.errors import PinviewerError, StoreError
from pinviewer.core.formats.model import ImportBatch
from pinviewer.core.store import SCHEMA_VERSION, BatchWriter, Store

START = dt.date(2025, 3, 1)


def overview(days=10, start=START, **values) -> ImportBatch:
    dates = [start + dt.timedelta(days=i) for i in range(days)]
    frame = pd.DataFrame({"entity_type": "account", "entity_id": "", "date": dates})
    for name, value in {"impressions": 1000.0, "outbound_clicks": 10.0, "saves": 20.0, **values}.items():
        frame[name] = value
    return ImportBatch("pinterest_overview", "Pinterest account overview", daily=frame)


def top_pins(ids, start=START, end=START + dt.timedelta(days=29), clicks=5.0) -> ImportBatch:
    periods = pd.DataFrame({"entity_type": "pin", "entity_id": ids, "start": start, "end": end,
                            "impressions": 500.0, "outbound_clicks": clicks, "saves": 3.0})
    entities = pd.DataFrame({"entity_type": "pin", "entity_id": ids, "title": [f"Pin {i}" for i in ids],
                             "link": [f"https://example.com/post-{i}/" for i in ids]})
    return ImportBatch("pinterest_top_pins", "Pinterest top Pins", periods=periods, entities=entities)


def account_total(store, profile, metric):
    ds = store.load(profile)
    return ds.daily.loc[ds.daily["entity_type"] == "account", metric].sum()


def test_new_store_has_default_profile_and_schema_version(store):
    assert [p.name for p in store.profiles()] == ["My blog"]
    assert store.schema_version() == SCHEMA_VERSION
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_lives_under_pinviewer_home(pinviewer_home):
    with Store.open() as store:
        assert store.path.is_relative_to(pinviewer_home)
        assert store.path.exists()


def test_import_records_batch_with_file_facts(store):
    profile = store.profile()
    result = store.import_batch(profile, overview(), file_name="overview.csv", sha256="a" * 64)
    assert result.new_days == 10 and result.batch_id == 1
    [batch] = store.batches(profile)
    assert (batch.file_name, batch.sha256, batch.format, batch.rows) == ("overview.csv", "a" * 64,
                                                                          "pinterest_overview", 10)
    assert (batch.first_day, batch.last_day) == ("2025-03-01", "2025-03-10")
    assert "outbound_clicks" in batch.metrics and batch.imported_at
    assert account_total(store, profile, "outbound_clicks") == 100


def test_same_file_twice_is_a_noop_that_says_so(store):
    profile = store.profile()
    store.import_batch(profile, overview(), file_name="a.csv", sha256="same")
    again = store.import_batch(profile, overview(outbound_clicks=99.0), file_name="a.csv", sha256="same")
    assert again.already_imported is not None and again.batch_id is None
    assert "Already imported" in again.sentence()
    assert len(store.batches(profile)) == 1
    assert account_total(store, profile, "outbound_clicks") == 100


def test_newest_batch_wins_metric_by_metric_and_undo_restores(store):
    profile = store.profile()
    store.import_batch(profile, overview(), file_name="old.csv", sha256="1")
    # a newer file covering the last 5 days with other clicks and no saves column at all
    newer = overview(days=5, start=START + dt.timedelta(days=5), outbound_clicks=30.0)
    newer.daily = newer.daily.drop(columns=["saves"])
    result = store.import_batch(profile, newer, file_name="new.csv", sha256="2")
    assert (result.new_days, result.changed_days, result.changed_values) == (0, 5, 5)
    ds = store.load(profile)
    assert ds.daily["outbound_clicks"].sum() == 5 * 10 + 5 * 30
    assert ds.daily["saves"].sum() == 200  # the old batch's saves are still shown
    store.undo(2)
    assert account_total(store, profile, "outbound_clicks") == 100
    assert store.batch(2).undone_at is not None
    with pytest.raises(PinviewerError, match="already undone"):
        store.undo(2)


def test_undone_file_can_be_imported_again(store):
    profile = store.profile()
    store.import_batch(profile, overview(), file_name="a.csv", sha256="x")
    store.undo(1)
    assert account_total(store, profile, "outbound_clicks") == 0
    again = store.import_batch(profile, overview(), file_name="a.csv", sha256="x")
    assert again.batch_id == 2
    assert account_total(store, profile, "outbound_clicks") == 100


def test_keep_existing_fills_only_what_is_missing(store):
    profile = store.profile()
    store.import_batch(profile, overview(days=5), file_name="a.csv", sha256="1")
    store.import_batch(profile, overview(days=10, outbound_clicks=50.0), file_name="b.csv", sha256="2",
                       keep_existing=True)
    ds = store.load(profile)
    clicks = ds.daily.set_index("date")["outbound_clicks"]
    assert list(clicks.iloc[:5]) == [10] * 5 and list(clicks.iloc[5:]) == [50] * 5


def test_overlap_reports_differences_with_examples(store):
    profile = store.profile()
    store.import_batch(profile, overview(), file_name="a.csv", sha256="1")
    same = store.overlap(profile, overview())
    assert not same and same.values == 0
    differing = store.overlap(profile, overview(days=3, outbound_clicks=11.0, saves=21.0))
    assert differing.days == 3 and differing.values == 6
    assert set(differing.metrics) == {"outbound_clicks", "saves"}
    assert differing.examples[0]["stored"] == 10 and differing.examples[0]["incoming"] == 11


def test_period_facts_and_entities_resolve_newest(store):
    profile = store.profile()
    store.import_batch(profile, top_pins(["1", "2"]), file_name="pins.csv", sha256="p1")
    newer = top_pins(["2", "3"], clicks=9.0)
    newer.entities["title"] = ["Renamed 2", "Pin 3"]
    result = store.import_batch(profile, newer, file_name="pins2.csv", sha256="p2")
    assert result.new_periods == 1 and result.changed_days == 1 and result.new_entities == 1
    ds = store.load(profile)
    pins = ds.periods.set_index("entity_id")
    assert pins.loc["1", "outbound_clicks"] == 5 and pins.loc["2", "outbound_clicks"] == 9
    titles = ds.entities.set_index("entity_id")["title"]
    assert titles["2"] == "Renamed 2" and titles["1"] == "Pin 1"


def test_fatal_problems_refuse_the_whole_file(store):
    from pinviewer.core.formats.model import Problem

    profile = store.profile()
    batch = overview()
    batch.problems.append(Problem("'12.4.2025x' is not a date I can read.", row=14, column="Date"))
    with pytest.raises(PinviewerError, match="Row 14"):
        store.import_batch(profile, batch, file_name="bad.csv", sha256="b")
    assert store.batches(profile) == []


def test_failure_mid_import_leaves_database_as_before(store, monkeypatch):
    profile = store.profile()
    store.import_batch(profile, overview(), file_name="a.csv", sha256="1")
    before = store.stored_rows()
    pins = top_pins([str(i) for i in range(50)])

    def boom(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(BatchWriter, "_insert", boom)
    with pytest.raises(StoreError, match="full"):
        store.import_batch(profile, pins, file_name="p.csv", sha256="2")
    monkeypatch.undo()
    assert store.stored_rows() == before
    assert len(store.batches(profile)) == 1


def test_cancel_mid_import_leaves_database_as_before(store):
    from pinviewer.core.errors import Cancelled

    profile = store.profile()
    calls = []
    with pytest.raises(Cancelled):
        store.import_batch(profile, top_pins([str(i) for i in range(50)]), file_name="p.csv", sha256="c",
                           cancelled=lambda: bool(calls.append(1)) or len(calls) > 1)
    assert store.batches(profile) == []
    assert store.stored_rows() == 0


def test_profiles_keep_histories_apart(store):
    a = store.profile()
    b = store.create_profile("Client: Bake Shop")
    store.import_batch(a, overview(), file_name="a.csv", sha256="same")
    result = store.import_batch(b, overview(outbound_clicks=1.0), file_name="a.csv", sha256="same")
    assert result.batch_id is not None  # the same file may go into another profile
    assert account_total(store, a, "outbound_clicks") == 100
    assert account_total(store, b, "outbound_clicks") == 10
    store.rename_profile("Client: Bake Shop", "Bake Shop")
    with pytest.raises(PinviewerError, match="already a profile"):
        store.create_profile("bake shop")
    store.delete_profile("Bake Shop")
    assert [p.name for p in store.profiles()] == ["My blog"]
    with pytest.raises(PinviewerError, match="only profile"):
        store.delete_profile("My blog")


def test_corrupt_database_is_kept_aside_and_a_new_one_started(tmp_path):
    path = tmp_path / "pinviewer.sqlite"
    path.write_bytes(b"this is not a database at all" * 100)
    with Store.open(path) as store:
        assert store.recovered_from is not None and store.recovered_from.exists()
        assert store.recovered_from.read_bytes().startswith(b"this is not a database")
        assert [p.name for p in store.profiles()] == ["My blog"]


def test_newer_schema_is_refused_in_words(tmp_path):
    path = tmp_path / "pinviewer.sqlite"
    with Store.open(path):
        pass
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(StoreError, match="newer PinViewer"):
        Store.open(path)


def test_data_folder_that_cannot_be_created_is_said_in_words(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(StoreError, match="can't create its data folder"):
        Store.open(blocker / "sub" / "pinviewer.sqlite")


def test_read_only_database_file_is_said_in_words_and_unchanged(tmp_path):
    path = tmp_path / "pinviewer.sqlite"
    with Store.open(path) as store:
        store.import_batch(store.profile(), overview(), file_name="a.csv", sha256="1")
    # a read-only connection stands in for a read-only folder (root ignores permission bits)
    uri = f"file:{path}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    store = Store(connection, path)
    with pytest.raises(StoreError, match="read-only"):
        store.import_batch(store.profile(), overview(days=3, start=dt.date(2026, 1, 1)), file_name="b.csv",
                           sha256="2")
    connection.close()
    with Store.open(path) as store:
        assert len(store.batches()) == 1


def test_full_disk_is_said_in_words(tmp_path):
    path = tmp_path / "pinviewer.sqlite"
    with Store.open(path) as store:
        # cap the file at its current size: the next import cannot grow it
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages}")
        store.db.execute("PRAGMA journal_mode = DELETE")
        with pytest.raises(StoreError, match="full"):
            store.import_batch(store.profile(), top_pins([str(i) for i in range(3000)]), file_name="p.csv",
                               sha256="p")
        assert store.batches() == []


KILL_SCRIPT = textwrap.dedent("""
    import datetime as dt, os, sys
    import pandas as pd
    from pinviewer.core.store import Store
    from pinviewer.core.formats.model import ImportBatch
    ids = [str(i) for i in range(400000)]
    periods = pd.DataFrame({"entity_type": "pin", "entity_id": ids, "start": dt.date(2025, 1, 1),
                            "end": dt.date(2025, 1, 31), "impressions": 1.0, "outbound_clicks": 1.0})
    store = Store.open(sys.argv[1])
    def progress(done, total, message):
        if done >= 40000:
            print("MIDWAY", flush=True)
            os.kill(os.getpid(), 9)
    store.import_batch(store.profile(), ImportBatch("x", "x", periods=periods), file_name="big.csv",
                       sha256="big", progress=progress)
    print("FINISHED", flush=True)
""")


def test_process_killed_mid_import_leaves_database_as_before(tmp_path):
    path = tmp_path / "pinviewer.sqlite"
    with Store.open(path) as store:
        store.import_batch(store.profile(), overview(), file_name="a.csv", sha256="1")
    run = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(path)], capture_output=True, text=True,
                         timeout=120)
    assert "MIDWAY" in run.stdout and "FINISHED" not in run.stdout and run.returncode == -9
    with Store.open(path) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [b.file_name for b in store.batches()] == ["a.csv"]
        assert store.stored_rows() == 10


CONCURRENT_SCRIPT = textwrap.dedent("""
    import datetime as dt, sys
    import pandas as pd
    from pinviewer.core.store import Store
    from pinviewer.core.formats.model import ImportBatch
    name = sys.argv[2]
    ids = [f"{name}-{i}" for i in range(30000)]
    periods = pd.DataFrame({"entity_type": "pin", "entity_id": ids, "start": dt.date(2025, 1, 1),
                            "end": dt.date(2025, 1, 31), "outbound_clicks": 1.0})
    with Store.open(sys.argv[1]) as store:
        result = store.import_batch(store.profile(), ImportBatch("x", "x", periods=periods),
                                    file_name=name, sha256=sys.argv[3])
        print(result.batch_id)
""")


def test_two_processes_importing_at_once_both_land(tmp_path):
    path = tmp_path / "pinviewer.sqlite"
    Store.open(path).close()
    runs = [subprocess.Popen([sys.executable, "-c", CONCURRENT_SCRIPT, str(path), name, sha],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name, sha in (("one", "1"), ("two", "2"), ("same", "s"), ("same-again", "s"))]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    with Store.open(path) as store:
        names = {b.file_name for b in store.batches()}
        # the same content (same SHA) landed once, whichever process came first
        assert len(names) == 3 and {"one", "two"} <= names and len(names & {"same", "same-again"}) == 1
        assert store.stored_rows() == 3 * 30000


def test_nan_values_are_stored_as_unknown_not_zero(store):
    profile = store.profile()
    batch = overview(days=3)
    batch.daily.loc[1, "outbound_clicks"] = np.nan
    store.import_batch(profile, batch, file_name="a.csv", sha256="n")
    ds = store.load(profile)
    assert ds.daily["outbound_clicks"].isna().sum() == 1


def _version_1_database(path) -> None:
    """A history as PinViewer 0.1 wrote it: one SQL row per fact, two imports, the second one undone."""
    from pinviewer.core.store import schema

    db = sqlite3.connect(path, isolation_level=None)
    for statement in schema.MIGRATIONS[0]:
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO profiles(id, name, created_at) VALUES (1, 'My blog', '2025-01-01T00:00:00+00:00')")
    for batch_id, undone in ((1, None), (2, None), (3, "2025-04-02T00:00:00+00:00")):
        db.execute("INSERT INTO batches(id, profile_id, file_name, sha256, format, format_label, imported_at, rows,"
                   " first_day, last_day, metrics, undone_at) VALUES (?, 1, ?, ?, 'x', 'x', '2025-04-01', 2,"
                   " '2025-03-01', '2025-03-30', '[\"outbound_clicks\", \"saves\"]', ?)",
                   (batch_id, f"f{batch_id}.csv", f"sha{batch_id}", undone))
    rows = [  # batch, type, id, start, end, provisional, outbound clicks, saves
        (1, "account", "", "2025-03-01", "2025-03-01", 0, 10.0, 4.0),
        (1, "account", "", "2025-03-02", "2025-03-02", 0, 11.0, None),
        (2, "account", "", "2025-03-02", "2025-03-02", 1, None, 7.0),  # newer: fills saves, keeps clicks
        (2, "pin", "123", "2025-03-01", "2025-03-30", 0, 5.0, 2.0),
    ]
    db.executemany("INSERT INTO facts(batch_id, profile_id, entity_type, entity_id, start, \"end\", provisional, "
                   "outbound_clicks, saves) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.execute("INSERT INTO entities(batch_id, profile_id, entity_type, entity_id, title, link) "
               "VALUES (2, 1, 'pin', '123', 'Focaccia', 'https://example.com/focaccia/')")
    db.close()


def test_version_1_history_is_moved_into_segments_with_nothing_lost(tmp_path):
    path = tmp_path / "pinviewer.sqlite"
    _version_1_database(path)
    with Store.open(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        tables = {row[0] for row in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "facts" not in tables and "segments" in tables
        assert store.stored_rows() == 4 and store.stored_rows("entities") == 1
        ds = store.load(store.profile())
        daily = ds.daily.set_index(ds.daily["date"].dt.strftime("%Y-%m-%d"))
        assert daily.loc["2025-03-01", "outbound_clicks"] == 10 and daily.loc["2025-03-01", "saves"] == 4
        assert daily.loc["2025-03-02", "outbound_clicks"] == 11 and daily.loc["2025-03-02", "saves"] == 7
        assert bool(daily.loc["2025-03-02", "provisional"]) and not bool(daily.loc["2025-03-01", "provisional"])
        assert ds.periods["outbound_clicks"].tolist() == [5.0]
        assert ds.entities.loc[0, "title"] == "Focaccia" and ds.entities.loc[0, "board"] is None
        # undo still brings the earlier values back after the move
        store.undo(2)
        daily = store.load(store.profile()).daily
        assert daily["saves"].isna().tolist() == [False, True] and not len(store.load(store.profile()).periods)


def test_a_big_import_is_kept_in_several_segments_and_read_back_in_order(store, monkeypatch):
    from pinviewer.core.store import segments

    monkeypatch.setattr(segments, "SEGMENT_ROWS", 7)  # read where it is used (writing.BatchWriter)
    profile = store.profile()
    ids = [str(1000 + i) for i in range(30)]
    steps = []
    store.import_batch(profile, top_pins(ids), file_name="p.csv", sha256="p",
                       progress=lambda done, total, message: steps.append((done, message)))
    assert store.db.execute("SELECT COUNT(*) FROM segments WHERE part = 'facts'").fetchone()[0] == 5
    assert [d for d, m in steps if m == "Saving"][:5] == [7, 14, 21, 28, 30]
    ds = store.load(profile)
    assert ds.periods["entity_id"].tolist() == ids and ds.entities["title"].tolist() == [f"Pin {i}" for i in ids]
