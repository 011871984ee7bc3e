"""Sniffing: refusing non-tables, encodings, delimiters, preamble, header row, table ends, cut-off files."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pinviewer.core.errors import UnreadableFile
from pinviewer.core.formats import read
from pinviewer.core.formats.sniff import sniff
from pinviewer.core.formats.table_stream import CsvFile

SAMPLES = Path(__file__).parent / "data" / "samples"
OVERVIEW = SAMPLES / "pinterest_ui_overview_export_GUESS.csv"
GA4_SOURCE = SAMPLES / "ga4_traffic_acquisition_source_medium.csv"


def write(tmp_path, name, data, encoding="utf-8"):
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding=encoding, newline="")
    return path


# ---- files that are not tables ---------------------------------------------------------------------------

def test_empty_file(tmp_path):
    with pytest.raises(UnreadableFile, match="empty"):
        sniff(write(tmp_path, "empty.csv", b""))


def test_only_blank_lines(tmp_path):
    with pytest.raises(UnreadableFile, match="no text"):
        sniff(write(tmp_path, "blank.csv", b"\xef\xbb\xbf\r\n\r\n  \n"))


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


@pytest.mark.parametrize("magic, kind", [(PNG, "PNG"), (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
                                         (b"GIF89a\x01\x00", "GIF")])
def test_picture_renamed_csv(tmp_path, magic, kind):
    with pytest.raises(UnreadableFile) as err:
        sniff(write(tmp_path, "export.csv", magic + b"\x00" * 100))
    assert str(err.value).startswith(f"This file is a picture ({kind}), not a spreadsheet export.")
    assert "Export" in str(err.value) and "CSV" in str(err.value)


def test_pdf(tmp_path):
    with pytest.raises(UnreadableFile, match="PDF"):
        sniff(write(tmp_path, "report.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"))


def test_xlsx(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnreadableFile) as err:
        sniff(write(tmp_path, "Traffic acquisition.xlsx", buf.getvalue()))
    assert "Excel workbook (.xlsx)" in str(err.value) and "CSV" in str(err.value)


def test_zip(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("export.csv", "Date,Impressions\n")
    with pytest.raises(UnreadableFile, match="ZIP archive"):
        sniff(write(tmp_path, "export.zip", buf.getvalue()))


def test_binary(tmp_path):
    with pytest.raises(UnreadableFile, match="binary"):
        sniff(write(tmp_path, "data.csv", b"Date,Impressions\n\x00\x01\x02\x03\xff" * 3))


def test_html_page_saved_as_csv(tmp_path):
    with pytest.raises(UnreadableFile, match="web page"):
        sniff(write(tmp_path, "export.csv", "<!DOCTYPE html><html><body>Log in</body></html>"))


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableFile, match="can't find"):
        sniff(tmp_path / "nope.csv")


def test_no_table(tmp_path):
    with pytest.raises(UnreadableFile, match="can't find a table"):
        sniff(write(tmp_path, "notes.csv", "Just a note\nAnother line\n"))


# ---- encodings and delimiters ----------------------------------------------------------------------------

def test_sample_overview_sniff():
    sn = sniff(OVERVIEW)
    assert sn.encoding_label == "UTF-8 with BOM"
    assert sn.delimiter == "," and sn.decimal == "."
    assert sn.header_line == 5 and sn.data_line == 6
    assert sn.header[0] == "Date" and len(sn.header) == 12
    assert sn.preamble[0] == "Pinterest analytics overview"
    assert sn.preamble[1] == "Date range: 2025-03-01 - 2025-03-07"


def test_utf16_le_with_bom_and_tabs(tmp_path):
    text = "Date\tImpressions\tSaves\r\n2025-03-01\t12480\t149\r\n"
    sn = sniff(write(tmp_path, "u16.csv", b"\xff\xfe" + text.encode("utf-16-le")))
    assert sn.encoding_label == "UTF-16 LE with BOM" and sn.delimiter == "\t"
    assert sn.header == ["Date", "Impressions", "Saves"]


def test_utf16_be_with_bom(tmp_path):
    text = "Date\tImpressions\n2025-03-01\t5\n"
    sn = sniff(write(tmp_path, "be.csv", b"\xfe\xff" + text.encode("utf-16-be")))
    assert sn.encoding_label == "UTF-16 BE with BOM" and sn.header == ["Date", "Impressions"]


def test_utf16_without_bom(tmp_path):
    sn = sniff(write(tmp_path, "u16.csv", "Date\tImpressions\n2025-03-01\t5\n".encode("utf-16-le")))
    assert sn.encoding == "utf-16-le" and sn.header == ["Date", "Impressions"]


def test_cp1252_fallback(tmp_path):
    text = "Titre: Crème brûlée\nDate,Impressions\n2025-03-01,5\n"
    sn = sniff(write(tmp_path, "cp.csv", text, encoding="cp1252"))
    assert sn.encoding == "cp1252" and sn.preamble == ["Titre: Crème brûlée"]


def test_late_non_utf8_byte_switches_to_cp1252(tmp_path):
    rows = "".join(f"{i},Soup,5\n" for i in range(1, 40_001))
    data = ("Top Pins\nDate range: 2025-01-01 - 2025-01-31\n\nPin ID,Title,Impressions\n" + rows).encode()
    path = write(tmp_path, "late.csv", data + "40001,Café au lait,7\n".encode("cp1252"))
    assert len(data) > 300_000 and sniff(path).encoding == "utf-8"  # the first 256 KB are plain ASCII
    batch = read(path)
    assert batch.meta["encoding"] == "Windows-1252"
    assert batch.entities["title"].iloc[-1] == "Café au lait" and len(batch.periods) == 40_001


def test_semicolon_file_uses_decimal_comma(tmp_path):
    sn = sniff(write(tmp_path, "de.csv", "Datum;Impressionen;Interaktionsrate\n01.03.2025;12.480;3,2%\n"))
    assert sn.delimiter == ";" and sn.decimal == ","


def test_header_found_by_names_not_position(tmp_path):
    text = ("Report,Something\nExported by,someone\nFilters: Device: All; Source: All\n\n"
            "Date,Impressions,Outbound clicks\n2025-03-01,5,1\n")
    sn = sniff(write(tmp_path, "x.csv", text))
    assert sn.header_line == 5 and sn.header == ["Date", "Impressions", "Outbound clicks"]
    assert sn.preamble[:2] == ["Report,Something", "Exported by,someone"]


def test_unknown_table_header_by_shape(tmp_path):
    sn = sniff(SAMPLES / "mailchimp_audience_export.csv")
    assert sn.header_line == 1 and sn.header[0] == "Email Address" and len(sn.header) == 21


def test_ga4_preamble_and_second_table():
    sn = sniff(GA4_SOURCE)
    assert sn.header_line == 10 and sn.header[0] == "Session source / medium"
    assert sn.preamble[1] == "# Traffic acquisition: Session source / medium"
    with CsvFile(sn) as cf:
        first = cf.first_table()
        while first.read():
            pass
        assert first.ended_by == "blank" and first.end_line == 18
        second = cf.next_table()
        assert second.header == ["Date", "Sessions"] and second.header_line == 20
        assert second.preamble == ["", "# ----------------------------------------"]
        text = ""
        while chunk := second.read():
            text += chunk
        assert text.splitlines() == ["20250301,1302", "20250302,1417", "20250303,1288"]
        assert cf.next_table() is None


def test_table_ends_at_a_comment_line(tmp_path):
    path = write(tmp_path, "c.csv", "Date,Sessions\n20250301,5\n# note\n20250302,6\n")
    with CsvFile(sniff(path)) as cf:
        table = cf.first_table()
        assert table.read() == "20250301,5\n"
        assert table.read() == "" and table.ended_by == "comment"


def test_blank_line_inside_quotes_does_not_end_the_table(tmp_path):
    path = write(tmp_path, "q.csv", 'Pin ID,Title,Impressions\n1,"Two\n\nparagraphs",5\n2,Soup,6\n')
    with CsvFile(sniff(path)) as cf:
        table = cf.first_table()
        text = ""
        while chunk := table.read():
            text += chunk
        assert text.endswith("2,Soup,6\n") and table.ended_by == "eof"


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_endings(tmp_path, newline):
    text = newline.join(["Top Pins", "Date range: 2025-02-06 - 2025-03-07", "", "Pin ID,Impressions,Saves",
                         "1,100,5", "2,200,7", ""])
    batch = read(write(tmp_path, "nl.csv", text))
    assert batch.periods["impressions"].tolist() == [100.0, 200.0]
    assert not batch.problems


# ---- cut-off files ---------------------------------------------------------------------------------------

def test_file_cut_inside_a_quoted_value(tmp_path):
    data = (SAMPLES / "pinterest_ui_top_pins_export_GUESS.csv").read_bytes()
    path = write(tmp_path, "cut.csv", data[: data.rindex(b"Sourdough") + 5])
    batch = read(path)
    fatal = batch.fatal_problems
    assert len(fatal) == 1 and fatal[0].row == 8 and "cut off" in fatal[0].message


def test_file_cut_in_the_middle_of_a_row(tmp_path):
    data = OVERVIEW.read_bytes()
    path = write(tmp_path, "cut.csv", data[: data.rindex(b"2025-03-07") + 20])
    batch = read(path)
    assert [(p.row, p.fatal) for p in batch.problems] == [(12, True)]
    assert "3 of the 12 values" in batch.problems[0].message


def test_short_last_row_with_line_end_is_not_cut_off(tmp_path):
    path = write(tmp_path, "short.csv", "Date,Impressions,Saves\n2025-03-01,5,1\n2025-03-02,6\n")
    batch = read(path, mapping={"columns": {"Date": "date", "Impressions": "impressions", "Saves": "saves"}})
    assert not batch.problems and batch.daily["saves"].isna().tolist() == [False, True]


def test_stray_quote_inside_an_unquoted_value(tmp_path):
    text = ('Top Pins\nDate range: 2025-02-06 - 2025-03-07\n\nPin ID,Title,Impressions,Saves\n'
            '1,12" cake pan,100,5\n2,Soup,200,7\n\n# ----\nDate,Sessions\n20250301,5\n')
    batch = read(write(tmp_path, "stray.csv", text))
    assert batch.periods["impressions"].tolist() == [100.0, 200.0]
    assert batch.entities["title"].tolist() == ['12" cake pan', "Soup"]
    assert not batch.fatal_problems
    assert any("Line 9 starts another table" in p.message for p in batch.warnings)


def test_too_many_values_in_a_row(tmp_path):
    text = "Date,Impressions,Saves\n2025-03-01,5,1\n2025-03-02,12,480,7\n"
    batch = read(write(tmp_path, "x.csv", text), mapping={"columns": {"Date": "date", "Impressions": "impressions",
                                                                      "Saves": "saves"}})
    assert [p.row for p in batch.fatal_problems] == [3]
    assert "more values" in batch.fatal_problems[0].message


def test_far_too_many_values_in_a_row(tmp_path):
    text = "Date,Impressions,Saves\n2025-03-01,5,1\n2025-03-02,12,480,7,8,9\n"
    with pytest.raises(UnreadableFile, match="Line 3 has 6 values"):
        read(write(tmp_path, "x.csv", text), mapping={"columns": {"Date": "date", "Impressions": "impressions"}})


def test_row_numbers_count_the_lines_of_quoted_values(tmp_path):
    text = ('Top Pins\nDate range: 2025-02-06 - 2025-03-07\nPin ID,Title,Impressions,Saves\n'
            '1,"A title\non two lines",100,5\n2,"And one\non\nthree",200,7\n3,Soup,-3,x\n')
    batch = read(write(tmp_path, "multi.csv", text))
    assert [(p.row, p.column) for p in batch.fatal_problems] == [(9, "Impressions"), (9, "Saves")]
    assert batch.entities["title"].tolist()[:2] == ["A title\non two lines", "And one\non\nthree"]


# ---- UTF-8 tables go to pandas as bytes ------------------------------------------------------------------

def table_state(sn):
    """Everything a table's reading leaves behind, and its text."""
    with CsvFile(sn) as cf:
        table = cf.first_table()
        text = ""
        while chunk := table.read():
            text += chunk
        state = (text, table.ended_by, table.end_line, table.newlines, table.final_newline, table.unclosed,
                 table.tail[-200:], table.last_record_fields())
        after = cf.next_table()
        return state, (after.header, after.header_line) if after is not None else None


ENDINGS = {
    "blank": "\n",
    "spaces": "  \t\n",
    "crlf": "\r\n",
    "comment": "# a note\n",
    "quoted blank first": None,
}


@pytest.mark.parametrize("ending", sorted(ENDINGS))
@pytest.mark.parametrize("rows", [3, 60_000])  # 60,000 rows: the table's end is blocks (1 MB) into the file
def test_table_ends_the_same_in_bytes_and_in_text(tmp_path, ending, rows):
    body = "".join(f'{i},"Soup {i}",{i % 97}\n' for i in range(1, rows + 1))
    if ENDINGS[ending] is None:  # a blank line inside quotes does not end it; the one after does
        body += '0,"Two\n\nparagraphs",5\n'
        end = "\n"
    else:
        end = ENDINGS[ending]
    text = "Pin ID,Title,Impressions\n" + body + end + "Date,Sessions\n20250301,5\n"
    path = write(tmp_path, "t.csv", text)
    as_bytes = sniff(path)
    as_text = sniff(path, encoding="cp1252")  # the same ASCII bytes, read as text
    assert as_bytes.encoding == "utf-8" and as_text.encoding == "cp1252"
    assert table_state(as_bytes) == table_state(as_text)
    state, after = table_state(as_bytes)
    assert state[0] == body and after == (["Date", "Sessions"], text.count("\n", 0, text.index("Date,")) + 1)


def test_utf8_rows_reach_pandas_as_bytes(tmp_path):
    path = write(tmp_path, "u.csv", "Pin ID,Title,Impressions\n1,Crème brûlée,5\n")
    with CsvFile(sniff(path)) as cf:
        table = cf.first_table()
        assert table.for_pandas().read() == "1,Crème brûlée,5\n".encode()
    with CsvFile(sniff(path)) as cf:
        assert cf.first_table().read() == "1,Crème brûlée,5\n"
    path = write(tmp_path, "c.csv", "Pin ID,Title,Impressions\n1,Crème brûlée,5\n", encoding="cp1252")
    with CsvFile(sniff(path)) as cf:
        assert cf.first_table().for_pandas().read() == "1,Crème brûlée,5\n"


def test_a_character_across_two_blocks_is_not_a_bad_byte(tmp_path):
    head = "Top Pins\nDate range: 2025-01-01 - 2025-01-31\n\nPin ID,Title,Impressions\n"
    rows = "".join(f"{i},Soup,5\n" for i in range(1, 150_000))
    data = (head + rows).encode()
    block = 1 << 20  # what TextSource reads at a time
    title = "x" * ((block - 1 - (len(data) + len("150000,"))) % block)  # 'é' (2 bytes) starts on a block's last byte
    data += f"150000,{title}é,7\n".encode()
    assert data.index("é".encode()) % block == block - 1 and len(data) > 2 * block
    batch = read(write(tmp_path, "split.csv", data + b"150001,Soup,8\n"))
    assert batch.meta["encoding"] == "UTF-8" and batch.entities["title"].iloc[-2].endswith("xé")
    assert len(batch.periods) == 150_001 and not batch.problems


def test_a_bad_byte_several_blocks_in_reads_the_file_as_windows_1252(tmp_path):
    head = "Top Pins\nDate range: 2025-01-01 - 2025-01-31\n\nPin ID,Title,Impressions\n"
    rows = "".join(f"{i},Crème,5\n" for i in range(1, 250_000))  # about 3.5 MB of valid UTF-8 first
    path = write(tmp_path, "late.csv", (head + rows).encode() + "250000,Café,7\n".encode("cp1252"))
    batch = read(path)
    assert batch.meta["encoding"] == "Windows-1252"
    assert batch.entities["title"].iloc[0] == "CrÃ¨me" and batch.entities["title"].iloc[-1] == "Café"


def test_a_bad_byte_in_a_file_with_a_bom_is_replaced(tmp_path):
    text = "Top Pins\nDate range: 2025-01-01 - 2025-01-31\n\nPin ID,Title,Impressions\n1,Soup,5\n"
    path = write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + text.encode() + b"2,Caf\xe9 \xff,7\n")
    batch = read(path)
    assert batch.meta["encoding"] == "UTF-8 with BOM"
    assert batch.entities["title"].tolist() == ["Soup", "Caf\ufffd \ufffd"]


def test_a_broken_character_before_a_plain_ascii_block_is_a_bad_byte(tmp_path):
    # block 1 ends with the first byte of a 2-byte character, block 2 is plain ASCII, block 3 starts with a
    # continuation byte: together they would decode, but the file is not UTF-8
    head = "Top Pins\nDate range: 2025-01-01 - 2025-01-31\n\nPin ID,Title,Impressions\n"
    block = 1 << 20
    data = head.encode()
    data += f"1,{'x' * (block - len(data) - len('1,') - 1)}".encode() + b"\xc3"
    data += b",5\n" + b"".join(f"{i},Soup,5\n".encode() for i in range(2, 70_000))
    data += b"y" * (2 * block - len(data)) + b"\xa9,z,6\n"
    assert data.index(b"\xc3") == block - 1 and data.index(b"\xa9") == 2 * block
    batch = read(write(tmp_path, "broken.csv", data))
    assert batch.meta["encoding"] == "Windows-1252"
    assert batch.entities["title"].iloc[0].endswith("xÃ")
