"""The import wizard's worker jobs (pinviewer.core.wizard_jobs) against a real history on disk."""
from pinviewer import paths
from pinviewer.core import wizard_jobs
from pinviewer.core.formats.mapping import ColumnMapping
from pinviewer.core.importer import read_file
from pinviewer.core.store import Store

HEADER = ["Tag", "Klicks auf Website", "Gemerkt insgesamt", "Notiz"]
CUSTOM = ("Meine Pinterest-Zahlen\n\nTag;Klicks auf Website;Gemerkt insgesamt;Notiz\n"
          "01.03.2025;12;1.204;gut\n02.03.2025;15;1.310;\n03.03.2025;9;998,5;Regen\n")


def _mapping() -> ColumnMapping:
    return ColumnMapping(name="Meine Zahlen", header=HEADER, entity="account",
                         columns={"Tag": "date", "Klicks auf Website": "outbound_clicks",
                                  "Gemerkt insgesamt": "saves", "Notiz": "ignore"},
                         date_format="%d.%m.%Y", decimal=",")


def test_import_stands_when_its_columns_cannot_be_remembered(tmp_path):
    """A file imported with the user's columns, asked to remember them, on a config folder that cannot hold
    them: the figures are stored and the outcome says why the columns were not kept (it used to stop the
    whole run with an AttributeError)."""
    source = tmp_path / "meine zahlen.csv"
    source.write_text(CUSTOM, encoding="utf-8")
    mapping = _mapping()
    batch, sha = read_file(source, mapping)
    blocked = paths.config_dir() / "mappings"  # a file where the folder of remembered mappings goes
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("not a folder", encoding="utf-8")
    store = Store.open(tmp_path / "history.sqlite")
    try:
        job = wizard_jobs.ImportJob(key=1, path=source, batch=batch, sha256=sha, mapping=mapping, remember=True,
                                    header=HEADER)
        run = wizard_jobs.import_files(store, store.profile().name, [job])
        [outcome] = run.outcomes
        assert outcome.ok and outcome.result is not None and outcome.result.batch_id is not None
        assert not outcome.remembered
        assert len(outcome.warnings) == 1 and "mappings" in outcome.warnings[0]
        assert store.load(store.profile()).daily["outbound_clicks"].sum() == 36
    finally:
        store.close()
