"""User column mappings: JSON round trip, checks in plain sentences, guesses, and reading a mapped table."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from pinviewer.core.errors import UnknownFormat
from pinviewer.core.formats import detect, read
from pinviewer.core.formats.mapping import (ColumnMapping, MappingError, check_mapping, guess_mapping, header_key,
                                            load_mapping, save_mapping)

HEADER = ["Tag", "Klicks auf Website", "Gemerkt insgesamt", "Notiz"]
CUSTOM = ("Meine Pinterest-Zahlen\n\nTag;Klicks auf Website;Gemerkt insgesamt;Notiz\n"
          "01.03.2025;12;1.204;gut\n02.03.2025;15;1.310;\n03.03.2025;9;998,5;Regen\n")


def custom_file(tmp_path):
    path = tmp_path / "meine zahlen.csv"
    path.write_text(CUSTOM, encoding="utf-8")
    return path


def mapping_for_custom() -> ColumnMapping:
    return ColumnMapping(name="Meine Zahlen", header=HEADER, entity="account",
                         columns={"Tag": "date", "Klicks auf Website": "outbound_clicks",
                                  "Gemerkt insgesamt": "saves", "Notiz": "ignore"},
                         date_format="%d.%m.%Y", decimal=",")


def test_round_trip(tmp_path):
    mapping = mapping_for_custom()
    path = tmp_path / "mapping.json"
    save_mapping(mapping, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == {"version": 1, "name": "Meine Zahlen", "header": HEADER, "entity": "account",
                    "columns": mapping.columns, "date_format": "%d.%m.%Y", "decimal": ","}
    assert load_mapping(path) == mapping


def test_unknown_keys_survive_a_round_trip(tmp_path):
    path = tmp_path / "m.json"
    data = mapping_for_custom().to_dict() | {"wizard": {"last_used": "2025-03-08"}}
    path.write_text(json.dumps(data), encoding="utf-8")
    save_mapping(load_mapping(path), path)
    assert json.loads(path.read_text())["wizard"] == {"last_used": "2025-03-08"}


def test_mapped_unknown_csv(tmp_path):
    path = custom_file(tmp_path)
    found = detect(path)
    assert found.format == "unknown" and found.confidence < 0.5
    assert found.header == HEADER
    with pytest.raises(UnknownFormat, match="import dialog"):
        read(path)
    batch = read(path, mapping=mapping_for_custom())
    assert batch.format == "mapped" and batch.format_label == "Your own table (Meine Zahlen)"
    assert batch.daily["date"].tolist() == [dt.date(2025, 3, 1), dt.date(2025, 3, 2), dt.date(2025, 3, 3)]
    assert batch.daily["outbound_clicks"].tolist() == [12, 15, 9]
    assert batch.daily["saves"].tolist() == [1204, 1310, 998.5]
    assert set(batch.daily["entity_type"]) == {"account"}
    assert batch.unrecognised == ["Notiz"]  # ignored on purpose, still listed as not used
    assert batch.period == (dt.date(2025, 3, 1), dt.date(2025, 3, 3)) and not batch.problems


def test_mapping_from_a_json_file_or_dict(tmp_path):
    path = custom_file(tmp_path)
    save_mapping(mapping_for_custom(), tmp_path / "m.json")
    assert read(path, mapping=tmp_path / "m.json").daily["saves"].iloc[0] == 1204
    assert read(path, mapping=mapping_for_custom().to_dict()).daily["saves"].iloc[0] == 1204


def test_mapping_for_pins(tmp_path):
    path = tmp_path / "pins.csv"
    path.write_text("Day,Pin,Name,Clicks\n2025-03-01,https://www.pinterest.com/pin/111/,Soup,3\n"
                    "2025-03-01,222,Bread,4\n2025-03-02,111,Soup,5\n", encoding="utf-8")
    mapping = ColumnMapping(entity="pin", columns={"Day": "date", "Pin": "pin_id", "Name": "title",
                                                   "Clicks": "outbound_clicks"})
    batch = read(path, mapping=mapping)
    assert batch.daily[["entity_type", "entity_id", "outbound_clicks"]].values.tolist() == [
        ["pin", "111", 3], ["pin", "222", 4], ["pin", "111", 5]]
    assert sorted(batch.entities["title"]) == ["Bread", "Soup"]


def test_mapping_column_the_file_lacks(tmp_path):
    mapping = mapping_for_custom()
    mapping.columns["Impressionen"] = "impressions"
    with pytest.raises(MappingError, match="“Impressionen” that this file does not have"):
        read(custom_file(tmp_path), mapping=mapping)


@pytest.mark.parametrize("columns, entity, sentence", [
    ({"Tag": "date", "Klicks": "clicks"}, "account", "“Klicks” is marked as “clicks”, which PinViewer does not know"),
    ({"Klicks": "outbound_clicks"}, "account", "No column is marked as the date."),
    ({"Tag": "date", "Datum": "date", "Klicks": "saves"}, "account", "Both “Tag” and “Datum” are marked as the date"),
    ({"Tag": "date", "A": "saves", "B": "saves"}, "account", "Both “A” and “B” are marked as Saves"),
    ({"Tag": "date", "Notiz": "ignore"}, "account", "No column is marked as a figure"),
    ({"Tag": "date", "Klicks": "saves"}, "pin", "no column is marked as the Pin id"),
    ({"Tag": "date", "Klicks": "saves"}, "board", "must be “account”"),
])
def test_checks_in_plain_sentences(columns, entity, sentence):
    problems = check_mapping(ColumnMapping(columns=columns, entity=entity))
    assert any(sentence in p for p in problems), problems


def test_bad_date_format_and_decimal():
    problems = check_mapping(ColumnMapping(columns={"Tag": "date", "K": "saves"}, date_format="%d.%m",
                                           decimal=";"))
    assert len(problems) == 2 and "date format" in problems[0] and "decimal mark" in problems[1]


def test_load_mapping_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(MappingError, match="not valid JSON"):
        load_mapping(bad)
    bad.write_text(json.dumps({"version": 1, "columns": {"Klicks": "saves"}}), encoding="utf-8")
    with pytest.raises(MappingError, match="No column is marked as the date"):
        load_mapping(bad)
    bad.write_text(json.dumps({"version": 7, "columns": {}}), encoding="utf-8")
    with pytest.raises(MappingError, match="newer PinViewer"):
        load_mapping(bad)


def test_guess_mapping():
    guess = guess_mapping(["Date", "Pin URL", "Outbound Clicks", "Saves", "Mood", "Sessions"])
    assert guess.columns == {"Date": "date", "Pin URL": "pin_id", "Outbound Clicks": "outbound_clicks",
                             "Saves": "saves", "Mood": "ignore", "Sessions": "sessions"}
    assert guess.entity == "pin" and guess.header[0] == "Date"
    assert check_mapping(guess, guess.header) == []


def test_guess_mapping_finds_dates_by_their_values():
    guess = guess_mapping(HEADER, rows=[["01.03.2025", "12", "1.204", "gut"], ["02.03.2025", "15", "1.310", ""]])
    assert guess.columns["Tag"] == "date" and guess.entity == "account"


def test_header_key():
    assert header_key(HEADER) == header_key([" tag", "Klicks  auf Website", "GEMERKT insgesamt", "Notiz"])
    assert header_key(HEADER) != header_key(list(reversed(HEADER)))
    assert header_key(HEADER).startswith("h1-")
