"""Pinterest's overview and top-Pins exports: the samples, their encodings and languages, and bad data."""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
from pathlib import Path

import pandas as pd
import pytest

from pinviewer.core.formats import detect, read

SAMPLES = Path(__file__).parent / "data" / "samples"
OVERVIEW = SAMPLES / "pinterest_ui_overview_export_GUESS.csv"
TOP_PINS = SAMPLES / "pinterest_ui_top_pins_export_GUESS.csv"

DAYS = [dt.date(2025, 3, d) for d in range(1, 8)]
IMPRESSIONS = [12480, 13905, 11722, 12010, 14366, 15102, 13450]


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def write_rows(path: Path, rows, *, delimiter=",", encoding="utf-8", newline="\r\n") -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out.getvalue(), encoding=encoding, newline="")
    return path


def check_overview(batch, source_rows=7):
    assert batch.format == "pinterest_overview"
    daily = batch.daily
    assert daily["date"].tolist() == DAYS
    assert daily["impressions"].tolist() == IMPRESSIONS
    assert daily["outbound_clicks"].tolist() == [61, 74, 58, 66, 82, 90, 71]
    assert daily["engagement_rate"].tolist() == pytest.approx([0.032, 0.033, 0.032, 0.032, 0.035, 0.035, 0.033])
    assert set(daily["entity_type"]) == {"account"} and set(daily["entity_id"]) == {""}
    assert batch.source_rows == source_rows
    assert not batch.fatal_problems, batch.problems


# ---- the samples -----------------------------------------------------------------------------------------

def test_overview_sample():
    batch = read(OVERVIEW)
    check_overview(batch)
    assert batch.period == (dt.date(2025, 3, 1), dt.date(2025, 3, 7))
    assert batch.unrecognised == [] and batch.problems == []
    assert batch.confidence == 1.0
    assert batch.meta["title"] == "Pinterest analytics overview"
    assert batch.meta["items"]["Filters"].startswith("Content type: All")
    # the totals row is kept out of the facts but kept for checks
    assert batch.meta["totals"][0]["values"]["impressions"] == 93035
    assert len(batch.daily) == 7
    assert list(batch.daily.columns[:3]) == ["entity_type", "entity_id", "date"]
    assert all(str(batch.daily[m].dtype) == "float64" for m in batch.metrics())
    assert "total_audience" in batch.metrics()


def test_top_pins_sample():
    batch = read(TOP_PINS)
    assert batch.format == "pinterest_top_pins" and batch.confidence == 1.0
    periods = batch.periods
    assert periods["entity_type"].tolist() == ["pin"] * 3
    assert periods["entity_id"].tolist() == ["1012345678901234567", "1012345678901234568", "1012345678901234569"]
    assert set(periods["start"]) == {dt.date(2025, 2, 6)} and set(periods["end"]) == {dt.date(2025, 3, 7)}
    assert periods["impressions"].tolist() == [48210, 31004, 22517]
    assert periods["save_rate"].tolist() == pytest.approx([0.013, 0.012, 0.013])
    ent = batch.entities.set_index("entity_id")
    assert ent.loc["1012345678901234567", "title"] == "Easy One-Pan Lemon Chicken"
    assert ent.loc["1012345678901234567", "link"].startswith("https://example-blog.com/lemon-chicken/")
    assert ent.loc["1012345678901234569", "created"] == dt.date(2025, 2, 21)
    assert ent.loc["1012345678901234569", "format"] == "Video"
    assert batch.period == (dt.date(2025, 2, 6), dt.date(2025, 3, 7))
    assert batch.meta["items"]["Sorted by"] == "Impressions"
    assert batch.unrecognised == [] and batch.problems == [] and batch.source_rows == 3


def test_detect_samples():
    assert detect(OVERVIEW).format == "pinterest_overview" and detect(OVERVIEW).confidence == 1.0
    found = detect(TOP_PINS)
    assert found.format == "pinterest_top_pins" and found.header[0] == "Pin ID"


# ---- the same content, saved differently ------------------------------------------------------------------

def test_utf8_bom(tmp_path):
    text = OVERVIEW.read_text(encoding="utf-8-sig")
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    batch = read(path)
    check_overview(batch)
    assert batch.meta["encoding"] == "UTF-8 with BOM"


def test_utf8_without_bom(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text(OVERVIEW.read_text(encoding="utf-8-sig"), encoding="utf-8")
    check_overview(read(path))


def test_utf16_le_with_bom_and_tabs(tmp_path):
    path = write_rows(tmp_path / "excel.csv", rows_of(OVERVIEW), delimiter="\t", encoding="utf-16")
    assert path.read_bytes()[:2] == b"\xff\xfe"
    batch = read(path)
    check_overview(batch)
    assert batch.meta["encoding"] == "UTF-16 LE with BOM" and batch.meta["delimiter"] == "tab"


def test_cp1252_with_accented_title(tmp_path):
    rows = rows_of(TOP_PINS)
    rows[0] = ["Top Pins – Crème brûlée week"]
    rows[5][2] = "Crème brûlée à l’orange"
    path = write_rows(tmp_path / "cp1252.csv", rows, encoding="cp1252")
    batch = read(path)
    assert batch.meta["encoding"] == "Windows-1252"
    assert batch.entities["title"].iloc[0] == "Crème brûlée à l’orange"
    assert batch.meta["title"] == "Top Pins – Crème brûlée week"


def _german_number(cell: str) -> str:
    if cell.endswith("%"):
        return cell.replace(".", ",")
    return cell.replace(",", ".")


def test_semicolon_with_decimal_comma(tmp_path):
    rows = rows_of(OVERVIEW)
    rows = rows[:4] + [rows[4]] + [[r[0]] + [_german_number(c) for c in r[1:]] for r in rows[5:]]
    path = write_rows(tmp_path / "semi.csv", rows, delimiter=";")
    assert "12.480;402;3,2%" in path.read_text()
    batch = read(path)
    check_overview(batch)
    assert batch.meta["decimal"] == ","


# ---- translated headers -----------------------------------------------------------------------------------

TRANSLATIONS = {
    "de": (["Datum", "Impressionen", "Interaktionen", "Interaktionsrate", "Pin-Klicks", "Pin-Klickrate",
            "Ausgehende Klicks", "Ausgehende Klickrate", "Speicherungen", "Speicherrate", "Gesamtpublikum",
            "Interagierendes Publikum"], ";", "{d:%d.%m.%Y}", "Zeitraum: 01.03.2025 - 07.03.2025", "Gesamt"),
    "fr": (["Date", "Impressions", "Engagements", "Taux d'engagement", "Clics sur l'épingle",
            "Taux de clics sur l'épingle", "Clics sortants", "Taux de clics sortants", "Enregistrements",
            "Taux d'enregistrement", "Audience totale", "Audience engagée"], ";", "{d:%d/%m/%Y}",
           "Plage de dates : 01/03/2025 - 07/03/2025", "Total"),
    "es": (["Fecha", "Impresiones", "Interacciones", "Tasa de interacción", "Clics en el Pin",
            "Tasa de clics en el Pin", "Clics salientes", "Tasa de clics salientes", "Guardados", "Tasa de guardado",
            "Audiencia total", "Audiencia interesada"], ",", "{d:%d/%m/%Y}", "Intervalo de fechas: 01/03/2025 - 07/03/2025",
           "Total"),
    "pt": (["Data", "Impressões", "Engajamentos", "Taxa de engajamento", "Cliques no Pin", "Taxa de cliques no Pin",
            "Cliques de saída", "Taxa de cliques de saída", "Salvamentos", "Taxa de salvamento", "Público total",
            "Público engajado"], ";", "{d:%d/%m/%Y}", "Intervalo de datas: 01/03/2025 - 07/03/2025", "Total"),
    "it": (["Data", "Impressioni", "Interazioni", "Tasso di interazione", "Clic sul Pin", "Percentuale di clic sul Pin",
            "Clic in uscita", "Percentuale di clic in uscita", "Salvataggi", "Percentuale di salvataggio",
            "Pubblico totale", "Pubblico coinvolto"], ";", "{d:%d/%m/%Y}",
           "Intervallo di date: 01/03/2025 - 07/03/2025", "Totale"),
}


@pytest.mark.parametrize("lang", sorted(TRANSLATIONS))
def test_translated_overview(tmp_path, lang):
    header, delimiter, date_format, range_line, total = TRANSLATIONS[lang]
    source = rows_of(OVERVIEW)
    rows = [["Pinterest"], [range_line], [], header]
    for r in source[5:]:
        if r[0] == "Total":
            rows.append([total] + [_german_number(c) if delimiter == ";" else c for c in r[1:]])
            continue
        day = dt.date.fromisoformat(r[0])
        rows.append([date_format.format(d=day)] + [_german_number(c) if delimiter == ";" else c for c in r[1:]])
    batch = read(write_rows(tmp_path / f"overview_{lang}.csv", rows, delimiter=delimiter))
    check_overview(batch)
    assert batch.unrecognised == []
    assert batch.period == (dt.date(2025, 3, 1), dt.date(2025, 3, 7))
    assert len(batch.meta["totals"]) == 1


def test_us_dates_in_an_english_export(tmp_path):
    rows = rows_of(OVERVIEW)
    for r in rows[5:12]:
        r[0] = dt.date.fromisoformat(r[0]).strftime("%m/%d/%Y")
    batch = read(write_rows(tmp_path / "us.csv", rows))
    check_overview(batch)
    assert batch.meta["date_order"] == "month/day/year"


def test_created_dates_default_to_us_in_english_exports(tmp_path):
    rows = rows_of(TOP_PINS)
    rows[5][4] = "03/01/2025"
    batch = read(write_rows(tmp_path / "top.csv", rows))
    assert batch.entities["created"].iloc[0] == dt.date(2025, 3, 1)


# ---- totals, problems -------------------------------------------------------------------------------------

@pytest.mark.parametrize("label", ["Total", "Totals", "Grand total", "TOTAL"])
def test_totals_rows_are_not_facts(tmp_path, label):
    rows = rows_of(OVERVIEW)
    rows[-1][0] = label
    rows.insert(5, [label] + rows[-1][1:])  # also right after the header
    batch = read(write_rows(tmp_path / "totals.csv", rows))
    check_overview(batch)
    assert len(batch.meta["totals"]) == 2


def test_unreadable_date(tmp_path):
    rows = rows_of(OVERVIEW)
    rows[8][0] = "12.4.2025x"  # line 9 in the file
    batch = read(write_rows(tmp_path / "bad_date.csv", rows))
    fatal = batch.fatal_problems
    assert len(fatal) == 1 and fatal[0].row == 9 and fatal[0].column == "Date"
    assert str(fatal[0]) == "Row 9: '12.4.2025x' is not a date I can read."


def test_same_date_twice_with_different_values(tmp_path):
    rows = rows_of(OVERVIEW)
    twin = list(rows[6])
    twin[1] = "99"
    rows.insert(9, twin)  # 2025-03-02 again, at line 10
    batch = read(write_rows(tmp_path / "twice.csv", rows))
    fatal = batch.fatal_problems
    assert len(fatal) == 1 and "2025-03-02" in fatal[0].message and "rows 7, 10" in fatal[0].message


def test_same_date_twice_with_identical_values_is_merged(tmp_path):
    rows = rows_of(OVERVIEW)
    rows.insert(9, list(rows[6]))
    batch = read(write_rows(tmp_path / "twice.csv", rows))
    check_overview(batch, source_rows=8)
    assert batch.problems == []


def test_negative_count(tmp_path):
    rows = rows_of(OVERVIEW)
    rows[11][6] = "-3"  # line 12: 2025-03-07
    batch = read(write_rows(tmp_path / "neg.csv", rows))
    problems = [p for p in batch.fatal_problems if p.column == "Outbound clicks"]
    assert [str(p) for p in problems] == [
        "Row 12: '-3' in Outbound clicks is negative; a count cannot be below zero."]


def test_non_numeric_figure(tmp_path):
    rows = rows_of(OVERVIEW)
    rows[7][8] = "lots"
    batch = read(write_rows(tmp_path / "text.csv", rows))
    assert [str(p) for p in batch.fatal_problems] == ["Row 8: 'lots' in Saves is not a number."]
    assert math.isnan(batch.daily["saves"].iloc[2])


def test_problems_are_collected_not_raised(tmp_path):
    rows = rows_of(OVERVIEW)[:5]
    rows += [[f"2025-01-{d:02d}", "-1"] + ["1"] * 10 for d in range(1, 31)]
    batch = read(write_rows(tmp_path / "many.csv", rows))
    fatal = batch.fatal_problems
    assert len(fatal) == 21 and fatal[-1].message.startswith("…and 10 more rows")


def test_unrecognised_columns_are_listed(tmp_path):
    rows = rows_of(OVERVIEW)
    rows[4] = rows[4] + ["Mood", ""]
    for r in rows[5:]:
        r.extend(["happy", "x"])
    batch = read(write_rows(tmp_path / "extra.csv", rows))
    check_overview(batch)
    assert batch.unrecognised == ["Mood", "(column 14)"]
    assert batch.confidence < 1.0


def test_empty_table(tmp_path):
    batch = read(write_rows(tmp_path / "empty.csv", rows_of(OVERVIEW)[:5]))
    assert len(batch.daily) == 0 and batch.source_rows == 0
    assert "no figures" in batch.fatal_problems[0].message


# ---- top Pins specifics -----------------------------------------------------------------------------------

def test_top_pins_without_a_date_range(tmp_path):
    rows = rows_of(TOP_PINS)[4:]
    path = write_rows(tmp_path / "no_range.csv", rows)
    batch = read(path)
    assert batch.fatal_problems[0].message.startswith("I can't tell which dates this top-Pins file covers")
    batch = read(path, period=(dt.date(2025, 1, 1), dt.date(2025, 1, 31)))
    assert not batch.problems
    assert set(batch.periods["start"]) == {dt.date(2025, 1, 1)} and batch.period == (dt.date(2025, 1, 1),
                                                                                      dt.date(2025, 1, 31))


def test_file_period_wins_over_a_different_caller_period():
    batch = read(TOP_PINS, period=(dt.date(2025, 1, 1), dt.date(2025, 1, 31)))
    assert batch.period == (dt.date(2025, 2, 6), dt.date(2025, 3, 7))
    assert len(batch.warnings) == 1 and not batch.fatal_problems


def test_pin_id_from_the_pin_url(tmp_path):
    rows = [r[1:] for r in rows_of(TOP_PINS)]  # drop the Pin ID column
    rows[:4] = rows_of(TOP_PINS)[:4]
    batch = read(write_rows(tmp_path / "urls.csv", rows))
    assert batch.periods["entity_id"].tolist()[0] == "1012345678901234567" and not batch.problems


def test_pin_id_shortened_by_a_spreadsheet(tmp_path):
    rows = [r[:1] + r[2:] for r in rows_of(TOP_PINS)]  # no Pin URL to fall back on
    rows[5][0] = "1.01235E+18"
    batch = read(write_rows(tmp_path / "excel.csv", rows))
    assert batch.fatal_problems[0].row == 6 and "shortened" in batch.fatal_problems[0].message
    assert len(batch.periods) == 2


def test_same_pin_twice_with_different_figures(tmp_path):
    rows = rows_of(TOP_PINS)
    twin = list(rows[5])
    twin[6] = "1"
    rows.append(twin)
    batch = read(write_rows(tmp_path / "twice.csv", rows))
    assert "1012345678901234567" in batch.fatal_problems[0].message


def test_path_with_spaces_and_non_ascii_letters(tmp_path):
    folder = tmp_path / "Données été 2025"
    folder.mkdir()
    path = folder / "export pinterest.csv"
    path.write_bytes(OVERVIEW.read_bytes())
    batch = read(path)
    check_overview(batch)
    assert batch.path == path and detect(path).format == "pinterest_overview"


def test_note_below_the_table(tmp_path):
    rows = rows_of(OVERVIEW) + [["Figures for the last 2 days are estimates."]]
    batch = read(write_rows(tmp_path / "note.csv", rows))
    check_overview(batch)
    assert batch.meta["notes"] == ["Figures for the last 2 days are estimates."]


def test_rows_without_a_usable_pin_id(tmp_path):
    rows = rows_of(TOP_PINS)
    rows[5][0] = "abc"  # the Pin URL still gives the id: no problem
    rows[6][0], rows[6][1] = "", ""  # line 7: nothing at all
    rows[7][0], rows[7][1] = "xyz", "https://example.com/pin"  # line 8: neither is an id
    batch = read(write_rows(tmp_path / "ids.csv", rows))
    assert [(p.row, p.message) for p in batch.fatal_problems] == [
        (7, "This row has no Pin id or Pin URL."), (8, "'xyz' in Pin ID is not a Pin id or Pin URL.")]
    assert batch.periods["entity_id"].tolist() == ["1012345678901234567"]


@pytest.mark.parametrize("line, expected", [
    ("Date range: 2025-02-06 - 2025-03-07", (dt.date(2025, 2, 6), dt.date(2025, 3, 7))),
    ("Date range: 02/06/2025 - 03/07/2025", (dt.date(2025, 2, 6), dt.date(2025, 3, 7))),
    ("Date range: 13/01/2025 - 19/01/2025", (dt.date(2025, 1, 13), dt.date(2025, 1, 19))),
    ("Date range: Feb 6, 2025 - Mar 7, 2025", (dt.date(2025, 2, 6), dt.date(2025, 3, 7))),
    ("Zeitraum: 06.02.2025 – 07.03.2025", (dt.date(2025, 2, 6), dt.date(2025, 3, 7))),
])
def test_date_range_line(tmp_path, line, expected):
    rows = rows_of(TOP_PINS)
    rows[1] = [line]
    assert read(write_rows(tmp_path / "range.csv", rows)).period == expected


# ---- the Pin URL beside the Pin ID is read only when a row needs it --------------------------------------

def assert_same_batch(a, b):
    for name in ("daily", "periods", "entities", "provisional"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert (a.format, a.problems, a.meta, a.unrecognised, a.source_rows, a.period, a.confidence) == \
        (b.format, b.problems, b.meta, b.unrecognised, b.source_rows, b.period, b.confidence)


def read_lazily_and_eagerly(path, monkeypatch, chunk_rows=None):
    """The batch read as usual, checked against the file read with every column at once; and what the
    usual read did: which lazy columns it read a second time, whether it started again without."""
    from pinviewer.core.formats import registry, table
    from pinviewer.core.formats import sniff as sniff_module

    seen = {"reads": [], "again": 0}
    original_read = table._Lazy.read
    monkeypatch.setattr(table._Lazy, "read", lambda self, key: seen["reads"].append(key) or original_read(self, key))

    class CountedRetry(sniff_module.Retry):
        def __init__(self, **changes):
            seen["again"] += 1
            super().__init__(**changes)

    monkeypatch.setattr(table, "Retry", CountedRetry)
    if chunk_rows:
        context = registry.ReadContext
        monkeypatch.setattr(registry, "ReadContext", lambda **kw: context(chunk_rows=chunk_rows, **kw))
    batch = read(path)
    with monkeypatch.context() as m:
        m.setattr(registry, "sniff", lambda p, **kw: sniff_module.sniff(p, **kw).replace(lazy=False))
        eager = read(path)
    assert_same_batch(batch, eager)
    return batch, seen


def test_pin_urls_are_not_read_when_every_row_has_a_pin_id(tmp_path, monkeypatch):
    batch, seen = read_lazily_and_eagerly(write_rows(tmp_path / "t.csv", rows_of(TOP_PINS)), monkeypatch)
    assert seen == {"reads": [], "again": 0} and len(batch.periods) == 3 and not batch.problems


@pytest.mark.parametrize("chunk_rows", [None, 2])
def test_pin_urls_are_read_for_rows_without_a_pin_id(tmp_path, monkeypatch, chunk_rows):
    rows = rows_of(TOP_PINS) + [list(r) for _ in range(3) for r in rows_of(TOP_PINS)[5:8]]
    for k, row in enumerate(rows[5:], start=5):
        row[0] = str(1012345678901234567 + k)
        row[1] = f"https://www.pinterest.com/pin/{row[0]}/"
    rows[6][0] = "abc"  # the Pin URL still gives the id
    rows[8][0], rows[8][1] = "", ""  # nothing at all
    rows[9][0], rows[9][1] = "xyz", "https://example.com/pin"  # neither is an id
    rows[12][0] = ""
    batch, seen = read_lazily_and_eagerly(write_rows(tmp_path / "ids.csv", rows), monkeypatch, chunk_rows)
    assert seen == {"reads": ["pin_url"], "again": 0}
    assert batch.periods["entity_id"].tolist()[:2] == ["1012345678901234572", "1012345678901234573"]
    assert "1012345678901234579" in batch.periods["entity_id"].tolist()
    assert [(p.row, p.message) for p in batch.fatal_problems] == [
        (9, "This row has no Pin id or Pin URL."), (10, "'xyz' in Pin ID is not a Pin id or Pin URL.")]
    assert len(batch.periods) == 10


def test_a_totals_row_reads_the_pin_urls_too(tmp_path, monkeypatch):
    rows = rows_of(TOP_PINS)
    rows.insert(5, ["Total", "(all Pins)", "", "", "", "", "101,731", "3,315", "1,444", "468", "1,290", "", "", ""])
    batch, seen = read_lazily_and_eagerly(write_rows(tmp_path / "total.csv", rows), monkeypatch)
    assert seen["again"] == 1 and batch.meta["totals"][0]["raw"]["Pin URL"] == "(all Pins)"
    assert len(batch.periods) == 3


def test_empty_rows_are_told_by_the_first_byte_of_the_pin_url(tmp_path, monkeypatch):
    rows = rows_of(TOP_PINS)
    rows.insert(6, [""] * 14)  # empty: dropped without reading the Pin URLs
    batch, seen = read_lazily_and_eagerly(write_rows(tmp_path / "empty.csv", rows), monkeypatch)
    assert seen == {"reads": [], "again": 0} and len(batch.periods) == 3 and not batch.problems
    rows[6][1] = "  "  # spaces only: the first byte cannot tell, so the file is read again
    batch, seen = read_lazily_and_eagerly(write_rows(tmp_path / "spaces.csv", rows), monkeypatch)
    assert seen == {"reads": [], "again": 1} and len(batch.periods) == 3
    rows[6][1] = "https://www.pinterest.com/pin/1012345678901234999/"  # not empty: a Pin from its URL
    batch, seen = read_lazily_and_eagerly(write_rows(tmp_path / "url.csv", rows), monkeypatch)
    assert seen == {"reads": ["pin_url"], "again": 0} and "1012345678901234999" in batch.periods["entity_id"].tolist()
    rows[6][1] = ""  # dropped again; a later row has only its URL: the URLs read go to the rows kept
    rows[8][0] = ""
    batch, seen = read_lazily_and_eagerly(write_rows(tmp_path / "later.csv", rows), monkeypatch)
    assert seen == {"reads": ["pin_url"], "again": 0}
    assert batch.periods["entity_id"].tolist() == ["1012345678901234567", "1012345678901234568", "1012345678901234569"]


def test_a_note_below_a_top_pins_table(tmp_path, monkeypatch):
    rows = rows_of(TOP_PINS) + [["Figures for the last 2 days are estimates."]]
    batch, seen = read_lazily_and_eagerly(write_rows(tmp_path / "note.csv", rows), monkeypatch)
    assert batch.meta["notes"] == ["Figures for the last 2 days are estimates."] and len(batch.periods) == 3
    assert seen == {"reads": [], "again": 0}
    rows[-1] = ["Figures for the last 2 days are estimates.", " "]  # a space: the note's Pin URL is read
    batch, seen = read_lazily_and_eagerly(write_rows(tmp_path / "note2.csv", rows), monkeypatch)
    assert batch.meta["notes"] == ["Figures for the last 2 days are estimates."] and seen["reads"] == ["pin_url"]
