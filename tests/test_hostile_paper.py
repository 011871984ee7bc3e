"""Issue 13, point 9: titles in any script on paper, and no bidirectional override reversing a line.

Real PDFs read back with pdftotext. Scripts are checked only where the system has a font for them (Qt's
font fallback finds it; without one there is nothing to print them with).
"""
from __future__ import annotations

import shutil
import subprocess

import pytest

from pinviewer.render.text import paintable

TITLES = {
    "Japanese": ("夏のレモンケーキ", "Noto Sans CJK JP"),
    "Korean": ("레몬 케이크", "Noto Sans CJK KR"),
    "Thai": ("เค้กมะนาว", None),
}


def test_paintable_removes_what_reorders_text_and_keeps_the_letters():
    assert paintable("Evil \u202eevil title abc") == "Evil evil title abc"
    assert paintable("a\u2066b\u2069c\u200fd\u061ce") == "abcde"
    assert paintable("line\nbreak\tand \x1b[31mred") == "line break and  [31mred"
    assert paintable("מתכון עוגת לימון") == "מתכון עוגת לימון"
    assert paintable("夏のレモンケーキ 🍋") == "夏のレモンケーキ 🍋"
    assert paintable("") == ""


def has_font_for(text: str) -> bool:
    from PySide6.QtGui import QFont, QFontDatabase, QRawFont

    for family in QFontDatabase.families():
        raw = QRawFont.fromFont(QFont(family))
        if raw.isValid() and all(raw.supportsCharacter(c) for c in text if not c.isspace()):
            return True
    return False


@pytest.fixture
def pdf_text(qapp, pinviewer_home, tmp_path):
    """Import a top-Pins export with the given titles and return the text of the PDF report (all Pins)."""
    if not shutil.which("pdftotext"):
        pytest.skip("needs pdftotext (poppler-utils)")
    from pinviewer.core import analysis
    from pinviewer.core.importer import import_file
    from pinviewer.core.report import build_report
    from pinviewer.core.store import Store
    from pinviewer.render.pdf import write_pdf

    def make(titles: list[str]) -> str:
        rows = [f"{1012345678901234567 + i},{t},{1000 + i},{10 + i},{50 - i}" for i, t in enumerate(titles)]
        path = tmp_path / "top.csv"
        path.write_text("Top Pins\nDate range: 2025-03-01 - 2025-03-07\n\nPin ID,Title,Impressions,Saves,"
                        "Outbound clicks\n" + "\n".join(rows) + "\n", encoding="utf-8")
        with Store.open() as store:
            assert import_file(store, store.profile(), path).ok
            period = analysis.Period(analysis.parse_day("2025-03-01"), analysis.parse_day("2025-03-07"))
            report = build_report(store.load(store.profile()), period)
        pdf = write_pdf(report, tmp_path / "report.pdf", full_pin_list=True)
        return subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout

    return make


def test_a_right_to_left_override_in_a_title_does_not_reverse_it_on_paper(pdf_text):
    text = pdf_text(["Lemon cake \u202eevery recipe", "Second Pin"])
    assert "Lemon cake every recipe" in text
    assert "epicer yreve" not in text and "\u202e" not in text


@pytest.mark.parametrize("script", sorted(TITLES))
def test_titles_in_any_script_print_where_the_system_has_a_font(pdf_text, script):
    title, _family = TITLES[script]
    if not has_font_for(title):
        pytest.skip(f"no font for {script} on this system (install the Noto fonts named in the README)")
    text = pdf_text([title, "Second Pin"])
    assert title in text
