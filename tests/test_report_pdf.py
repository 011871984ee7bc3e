"""The summary on paper: real PDFs read back with poppler (pdftotext, pdftoppm, pdffonts, pdfinfo).

One small constructed data set (from test_report.py) and the demo blog; printing is tested by printing
to a PDF through QPrinter, and the command line with no window and no QT_QPA_PLATFORM at all.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import load_history
from test_report import PERIOD, account_batch, day, small_dataset

from pinviewer.core import report as rep
from pinviewer.core.analysis import Period
from pinviewer.core.store import Store

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")

MADE = dt.date(2025, 4, 1)


# ------------------------------------------------------------------------------------------- helpers
def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = []
    if first:
        pages += ["-f", str(first)]
    if last:
        pages += ["-l", str(last)]
    # -raw: in the order the page draws it (the two columns are not interleaved line by line)
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", *pages, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-enc", "UTF-8", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def pdf_image(path: Path, tmp_path: Path, dpi: int = 40):
    from PySide6.QtGui import QImage

    stem = tmp_path / f"{path.stem}-page"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", "-singlefile", str(path), str(stem)],
                   check=True)
    image = QImage(str(stem) + ".png")
    assert not image.isNull()
    return image


def ink(image, fx0=0.0, fy0=0.0, fx1=1.0, fy1=1.0, step: int = 1) -> int:
    """Pixels that are not (nearly) white within a box given as fractions of the page."""
    x0, x1 = int(fx0 * image.width()), int(fx1 * image.width())
    y0, y1 = int(fy0 * image.height()), int(fy1 * image.height())
    count = 0
    for y in range(y0, y1, step):
        for x in range(x0, x1, step):
            c = image.pixelColor(x, y)
            if c.red() + c.green() + c.blue() < 3 * 235:
                count += 1
    return count


def boxes_as_fractions(report, paper: str) -> dict[str, tuple[float, float, float, float]]:
    """Where paint_summary puts each block, as fractions of the page (laid out on an image of the paper)."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter

    from pinviewer.render.pdf import page_size
    from pinviewer.render.summary_page import paint_summary

    size = page_size(paper).size(page_size(paper).Unit.Inch)
    dpi = 72
    image = QImage(round(size.width() * dpi), round(size.height() * dpi), QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    painter = QPainter(image)
    boxes = paint_summary(painter, QRectF(0, 0, image.width(), image.height()), report)
    painter.end()
    w, h = image.width(), image.height()
    return {k: (b.left() / w, b.top() / h, b.right() / w, b.bottom() / h) for k, b in boxes.items()}


def page_figures(printed: dict) -> list[str]:
    """The figures of `summary --json` as the page writes them."""
    t, rates, change = printed["totals"], printed["rates"], printed["change"]
    figures = [rep.format_count(t["outbound_clicks"]), rep.format_count(t["saves"]),
               rep.format_rate(rates["outbound_click_rate"]), rep.format_rate(rates["save_rate"]),
               rep.format_count(t["impressions"]), rep.format_change(change["outbound_clicks"]),
               rep.format_change(change["saves"])]
    if printed.get("site") and printed["site"].get("key_events") is not None:
        figures.append(rep.format_count(printed["site"]["key_events"]))
    for pin in printed["top_pins"]:
        figures.append(rep.format_count(pin["outbound_clicks"]))
    return figures


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def app(qapp):
    from pinviewer.render.pdf import ensure_app

    assert ensure_app() is qapp  # the running application is reused, never a second one
    return qapp


@pytest.fixture
def small(tmp_path, app):
    with Store.open(tmp_path / "s.sqlite") as store:
        ds = small_dataset(store)
    return rep.build_report(ds, PERIOD, made_on=MADE, sources=["Pinterest account overview imported 1 April 2025"])


# ------------------------------------------------------------------------------------ the small data set
def test_small_pdf_reads_back_with_the_summary_figures(small, tmp_path, capsys, pinviewer_home):
    from pinviewer import paths
    from pinviewer.cli import main
    from pinviewer.render.pdf import write_pdf

    with Store.open(paths.database_path()) as own:
        small_dataset(own)
    assert main(["summary", "--json", "--from", PERIOD.start.isoformat(), "--to", PERIOD.end.isoformat()]) == 0
    printed = json.loads(capsys.readouterr().out)

    out = write_pdf(small, tmp_path / "small.pdf", paper="a4")
    info = pdf_info(out)
    assert info["Pages"] == "1" and info["Page size"].endswith("(A4)")
    text = pdf_text(out)
    flat = words(text)
    assert small.title in flat and "17\u201330 March 2025" in flat and "compared with the 14 days before" in flat
    assert "Made on 1 April 2025" in flat
    for figure in page_figures(printed):
        assert figure in text, figure
    for heading in ("Outbound clicks and saves per day", "What changed", "From seen to sold",
                    "Pins that bring visitors", "Posts Pinterest sends readers to"):
        assert heading in flat
    assert "Outbound clicks rose 50% compared with the previous 14 days" in flat
    assert "Easy one-pan lemon chicken" in flat and "sweetcrumbs.example/lemon-chicken" in flat
    assert "appeared 16,870 times on screens" in flat  # impressions, as context
    assert "Sources: Pinterest account overview imported 1 April 2025." in flat


def test_pdf_is_not_blank_and_the_chart_has_ink(small, tmp_path):
    from pinviewer.render.pdf import write_pdf

    out = write_pdf(small, tmp_path / "small.pdf", paper="a4")
    image = pdf_image(out, tmp_path, dpi=40)
    assert ink(image) > 0.03 * image.width() * image.height()
    boxes = boxes_as_fractions(small, "a4")
    x0, y0, x1, y1 = boxes["plot"]
    assert y1 - y0 > 0.1  # the chart got real room
    assert ink(image, x0, y0, x1, y1) > 200
    # nothing in the outer 10 mm of the sheet: no cut-off text or lines
    across, down = 10 / 210, 10 / 297
    assert ink(image, 0, 0, 1, down) == ink(image, 0, 1 - down, 1, 1) == 0
    assert ink(image, 0, 0, across, 1) == ink(image, 1 - across, 0, 1, 1) == 0


def test_words_stay_inside_the_margins_and_long_titles_are_elided(small, tmp_path):
    from pinviewer.render.pdf import write_pdf

    for paper in ("a4", "letter"):
        out = write_pdf(small, tmp_path / f"{paper}.pdf", paper=paper)
        html = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True,
                              check=True).stdout
        width, height = map(float, re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html).groups())
        boxes = [tuple(map(float, m)) for m in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', html)]
        assert len(boxes) > 150
        for x_min, y_min, x_max, y_max in boxes:
            assert 30 <= x_min and x_max <= width - 30 and 25 <= y_min and y_max <= height - 20
        text = pdf_text(out)
        assert "TAILWORDS" not in text  # the 200-character title did not run on ...
    assert "\u2026" in pdf_text(tmp_path / "a4.pdf")  # ... it was elided


def test_fonts_are_embedded_and_the_pdf_has_a_title_and_author(small, tmp_path):
    from pinviewer.render.pdf import write_pdf

    out = write_pdf(small, tmp_path / "meta.pdf", paper="letter")
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    for row in rows:
        assert row.split()[-5] == "yes", fonts  # the "emb" column
    info = pdf_info(out)
    assert info["Title"] == small.document_title
    assert info["Author"] == small.profile
    assert info["Creator"].startswith("PinViewer")
    assert info["Page size"].startswith("612 x 792")


def test_full_pin_list_goes_on_the_pages_after(tmp_path, app):
    from pinviewer.render.pdf import write_pdf

    many = {str(1000 + i): (f"Pin title {i:03d}", 5, 300 - i) for i in range(150)}
    from test_report import PREVIOUS, pins_batch

    with Store.open(tmp_path / "many.sqlite") as store:
        ds = load_history(store, account_batch(range(28)), pins_batch(PREVIOUS, 1, many), pins_batch(PERIOD, 2, many))
    report = rep.build_report(ds, PERIOD, made_on=MADE)
    one = write_pdf(report, tmp_path / "one.pdf")
    assert pdf_info(one)["Pages"] == "1"
    out = write_pdf(report, tmp_path / "all.pdf", full_pin_list=True)
    pages = int(pdf_info(out)["Pages"])
    assert pages >= 3  # 150 Pins do not fit on one page of the list
    second = words(pdf_text(out, 2, 2))
    assert "Every Pin, by outbound clicks" in second and f"Page 2 of {pages}" in second
    assert "150 Pins with figures for 17\u201330 March 2025" in second
    assert "Pin title 000" in second and "Pin title 149" in words(pdf_text(out, pages, pages))
    image = pdf_image(out, tmp_path)
    assert ink(image) > 0


def test_zero_pins_and_one_day(tmp_path, app):
    from pinviewer.render.pdf import write_pdf

    with Store.open(tmp_path / "thin.sqlite") as store:
        ds = load_history(store, account_batch([20]))
    report = rep.build_report(ds, Period(day(20), day(20)), made_on=MADE)
    out = write_pdf(report, tmp_path / "thin.pdf", full_pin_list=True)  # no Pins: no list pages either
    assert pdf_info(out)["Pages"] == "1"
    flat = words(pdf_text(out))
    assert "23 March 2025" in flat and "This covers a single day" in flat
    assert "No Pin figures for this period yet" in flat and "No posts yet" in flat
    assert "nothing to compare with" in flat
    image = pdf_image(out, tmp_path, dpi=60)
    x0, y0, x1, y1 = boxes_as_fractions(report, "a4")["plot"]
    assert ink(image, x0, y0, x1, y1) > 10  # the one day is a dot


def test_a_page_without_daily_figures_still_reads_well(tmp_path, app):
    from pinviewer.render.pdf import write_pdf

    with Store.open(tmp_path / "gap.sqlite") as store:
        ds = load_history(store, account_batch(range(3)))
    report = rep.build_report(ds, Period(day(40), day(49)), made_on=MADE)
    flat = words(pdf_text(write_pdf(report, tmp_path / "gap.pdf")))
    assert "No daily figures for this period" in flat and "There are no daily figures" in flat


# ------------------------------------------------------------------------------------------ printing
def test_printing_goes_through_the_same_painter(small, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from pinviewer.render.pdf import new_printer, print_report

    printer = new_printer("letter")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_report(small, printer) == 1
    out = tmp_path / "printed.pdf"
    info = pdf_info(out)
    assert info["Pages"] == "1" and info["Page size"].startswith("612 x 792")
    assert info["Title"] == small.document_title
    flat = words(pdf_text(out))
    assert small.title in flat and "17\u201330 March 2025" in flat and "210" in flat and "+50%" in flat
    image = pdf_image(out, tmp_path)
    x0, y0, x1, y1 = boxes_as_fractions(small, "letter")["plot"]
    assert ink(image, x0, y0, x1, y1) > 100


def test_print_preview_paints_through_print_report(small, qtbot):
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

    from pinviewer.render.pdf import new_printer, print_report

    printer = new_printer("a4")
    dialog = QPrintPreviewDialog(printer)
    qtbot.addWidget(dialog)
    pages = []
    dialog.paintRequested.connect(lambda p: pages.append(print_report(small, p)))
    dialog.findChild(QPrintPreviewWidget).updatePreview()
    assert pages == [1]


def test_unwritable_folder_is_a_sentence(small, tmp_path):
    from pinviewer.core.errors import PinviewerError
    from pinviewer.render.pdf import write_pdf

    with pytest.raises(PinviewerError, match="does not exist"):
        write_pdf(small, tmp_path / "missing" / "x.pdf")
    assert not list(tmp_path.glob("*.partial"))


# ---------------------------------------------------------------------------------------- the demo blog
def _env(home: Path, platform: str | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # no platform: report must cope
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env["PINVIEWER_HOME"] = str(home)
    if platform is not None:
        env["QT_QPA_PLATFORM"] = platform
    return env


def _cli(home: Path, *args: str, platform: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pinviewer", *args], capture_output=True, text=True,
                          env=_env(home, platform), timeout=180)


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("demo-home")
    run = _cli(home, "summary", "--demo", "--json")  # builds the demo database once
    assert run.returncode == 0, run.stderr
    return home, json.loads(run.stdout)


def test_demo_report_from_the_command_line(demo_home, tmp_path, app):
    home, printed = demo_home
    out = tmp_path / "demo.pdf"
    run = _cli(home, "report", "--demo", "--pdf", str(out), "--paper", "a4")
    assert run.returncode == 0, run.stderr
    assert "Saved the summary" in run.stdout and out.exists()
    assert pdf_info(out)["Pages"] == "1"
    text = pdf_text(out)
    flat = words(text)
    period = Period(dt.date.fromisoformat(printed["period"]["start"]), dt.date.fromisoformat(printed["period"]["end"]))
    assert f"{printed['profile']} on Pinterest" in flat
    assert rep.format_period(period) in flat
    for figure in page_figures(printed):
        assert figure in text, figure
    # the chart has ink where paint_summary put it
    with Store.open(home / "cache" / "demo.sqlite") as store:
        report = rep.build_report(store.load(store.profile(printed["profile"])), period)
    image = pdf_image(out, tmp_path)
    x0, y0, x1, y1 = boxes_as_fractions(report, "a4")["plot"]
    assert ink(image, x0, y0, x1, y1) > 200


def test_demo_full_pin_list_and_letter(demo_home, tmp_path):
    home, printed = demo_home
    out = tmp_path / "all.pdf"
    run = _cli(home, "report", "--demo", "--pdf", str(out), "--paper", "letter", "--all-pins",
               "--from", printed["period"]["start"], "--to", printed["period"]["end"], platform="")  # set but empty
    assert run.returncode == 0, run.stderr
    info = pdf_info(out)
    assert int(info["Pages"]) > 1 and info["Page size"].startswith("612 x 792")
    assert "Every Pin, by outbound clicks" in pdf_text(out, 2, 2)


def test_command_line_report_and_its_errors(tmp_path, capsys, app, pinviewer_home):
    """In this process (the running QApplication is reused): the user's own history, then the mistakes."""
    from pinviewer import paths
    from pinviewer.cli import main

    assert main(["report", "--pdf", str(tmp_path / "x.pdf")]) == 1
    assert "import a Pinterest export first" in capsys.readouterr().err
    with Store.open(paths.database_path()) as own:
        small_dataset(own)
    out = tmp_path / "mine.pdf"
    assert main(["report", "--pdf", str(out), "--from", "2025-03-17", "--to", "2025-03-30", "--paper", "LETTER"]) == 0
    assert f"to {out}" in capsys.readouterr().out
    assert pdf_info(out)["Page size"].startswith("612 x 792") and "+50%" in pdf_text(out)
    assert main(["report", "--pdf", str(tmp_path / "nowhere" / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err
    assert main(["report", "--pdf", str(tmp_path / "x.pdf"), "--from", "2026-13-01"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["report", "--pdf", str(tmp_path / "x.pdf"), "--profile", "Nobody"]) == 1
    assert "no profile called 'Nobody'" in capsys.readouterr().err
    assert main(["report"]) == 2  # --pdf is required


def test_paper_follows_the_locale():
    from PySide6.QtCore import QLocale

    from pinviewer.render.pdf import default_paper

    assert default_paper(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)) == "letter"
    assert default_paper(QLocale(QLocale.Language.French, QLocale.Country.Canada)) == "letter"
    assert default_paper(QLocale(QLocale.Language.German, QLocale.Country.Germany)) == "a4"
    assert default_paper(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)) == "a4"


def test_painting_leaves_none_alone(small, tmp_path):
    """PySide6 6.12.0 on Python 3.11 took a reference from None on every void call and aborted at exit
    (pyproject.toml excludes it); painting a page must leave None's count alone."""
    from pinviewer.render.pdf import render_image, write_pdf

    before = sys.getrefcount(None)
    for _ in range(3):
        write_pdf(small, tmp_path / "again.pdf", full_pin_list=True)
        render_image(small, dpi=30)
    assert sys.getrefcount(None) >= before - 50
