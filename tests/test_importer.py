"""importer.py: a file previewed earlier and changed on disk since is read again before it is stored."""
from __future__ import annotations

from pinviewer.core import importer

OVERVIEW = """Date,Impressions,Outbound clicks,Saves
2025-03-01,1000,10,5
2025-03-02,1100,12,6
"""


def test_a_file_changed_since_its_preview_is_read_again_before_it_is_stored(store, tmp_path):
    path = tmp_path / "overview.csv"
    path.write_text(OVERVIEW, encoding="utf-8")
    batch, sha = importer.read_file(path)  # the wizard's preview
    path.write_text(OVERVIEW.replace("1100,12,6", "1100,40,6"), encoding="utf-8")
    importer.store_batch(store, store.profile(), batch, sha)
    daily = store.load(store.profile()).daily
    assert daily["outbound_clicks"].tolist() == [10.0, 40.0]


def test_import_file_stores_what_it_read(store, tmp_path):
    path = tmp_path / "overview.csv"
    path.write_text(OVERVIEW, encoding="utf-8")
    outcome = importer.import_file(store, store.profile(), path)
    assert outcome.ok and outcome.result.new_days == 2
    assert store.batches()[0].sha256 == outcome.sha256 == importer.file_sha256(path)
