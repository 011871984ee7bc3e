"""Paper: the summary as a PDF file (QPdfWriter) or on a printer (QPrinter), both painted by paint_summary.

* ``write_pdf(report, path, paper=None, full_pin_list=False)`` saves a PDF (A4 or Letter; by default the
  locale's), with its title, author and creator set; written beside the target and moved into place, so a
  failure never leaves half a file.
* ``print_report(report, printer, full_pin_list=False)`` paints onto a QPrinter the user set up in
  QPrintDialog, and is also the slot for QPrintPreviewDialog.paintRequested.
* ``new_printer(paper=None)`` a QPrinter with the page size chosen and no margins of ours to fight.
* ``render_image(report, paper=None, dpi=110)`` the page as a QImage, for previews and tests.

Needs a Q(Gui)Application; ``ensure_app()`` makes an offscreen one for the command line.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import cast

from PySide6.QtCore import QLocale, QMarginsF, QRectF
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from pinviewer import __version__
from pinviewer.core.errors import PinviewerError
from pinviewer.core.report import Report
from pinviewer.render.look import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X
from pinviewer.render.pin_list import paint_pin_list, pin_list_pages
from pinviewer.render.summary_page import paint_summary

PAPERS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
PDF_RESOLUTION = 1200  # dots per inch of the PDF's coordinate space: text and lines stay exact vectors anyway

# Where Letter is the usual paper (the US, Canada and most of the Americas that follow them, the Philippines)
_LETTER_TERRITORIES = {"UnitedStates", "Canada", "Mexico", "Philippines", "Chile", "Colombia", "Venezuela",
                       "Guatemala", "CostaRica", "Panama", "PuertoRico", "ElSalvador", "Nicaragua", "Honduras",
                       "DominicanRepublic", "Belize", "Bolivia", "Peru"}

_app = None


def ensure_app() -> QGuiApplication:
    """The running Qt application, or a new offscreen QGuiApplication for a run with no window at all."""
    global _app
    app = QGuiApplication.instance()
    if app is not None:
        return cast(QGuiApplication, app)  # PinViewer makes only Gui (or widget) applications
    if not os.environ.get("QT_QPA_PLATFORM"):  # unset or empty: no window is needed for paper
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _app = QGuiApplication(sys.argv[:1] or ["pinviewer"])
    return _app


def default_paper(locale: QLocale | None = None) -> str:
    """'letter' where the locale uses Letter paper, otherwise 'a4'."""
    locale = locale or QLocale()
    if locale.measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem:
        return "letter"
    return "letter" if locale.territory().name in _LETTER_TERRITORIES else "a4"


def _paper(paper: str | None) -> str:
    paper = (paper or default_paper()).lower()
    if paper not in PAPERS:
        raise PinviewerError(f"Paper '{paper}' is not one I know; choose a4 or letter.")
    return paper


def page_size(paper: str | None = None) -> QPageSize:
    return QPageSize(PAPERS[_paper(paper)])


def _creator() -> str:
    return f"PinViewer {__version__}"


def paint_document(painter: QPainter, device, page_rect: QRectF, report: Report, full_pin_list: bool = False) -> int:
    """The summary page, then (when asked) the full Pin list on pages of its own; returns the page count."""
    paint_summary(painter, page_rect, report)
    if not full_pin_list:
        return 1
    chunks = pin_list_pages(painter, page_rect, report)
    for number, rows in enumerate(chunks, start=2):
        device.newPage()
        paint_pin_list(painter, page_rect, report, rows, number, len(chunks) + 1)
    return 1 + len(chunks)


def _pdf_problem(partial: Path) -> str | None:
    """Whether a written file is a whole PDF: it starts as one and ends with its end-of-file marker (a full
    disk cuts a PDF short, or leaves it empty, and QPdfWriter does not say so)."""
    try:
        size = partial.stat().st_size
        with open(partial, "rb") as handle:
            head = handle.read(8)
            handle.seek(max(0, size - 1024))
            tail = handle.read()
    except OSError as error:
        return f"PinViewer could not read back the PDF it wrote ({error.strerror})."
    if size == 0 or not head.startswith(b"%PDF-") or b"%%EOF" not in tail:
        return ("PinViewer could not write the whole PDF: the disk may be full, or the folder may not be "
                "writable.")
    return None


def write_pdf(report: Report, path, paper: str | None = None, full_pin_list: bool = False) -> Path:
    """Saves the summary as a PDF at ``path``; returns the path. Raises PinviewerError when it cannot.

    Written whole or not at all: to a partial file beside ``path``, flushed to disk, checked to be a whole PDF,
    then renamed over the old one; on a failure (a full disk) the old file stays as it was."""
    from pinviewer import paths

    ensure_app()
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise PinviewerError(f"The folder {folder} does not exist; choose another place for the PDF.")
    if path.is_dir():
        raise PinviewerError(f"{path} is a folder; choose a file name for the PDF.")
    partial = paths.partial_path(path)
    writer = QPdfWriter(str(partial))
    writer.setResolution(PDF_RESOLUTION)
    writer.setPageLayout(QPageLayout(page_size(paper), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                                     QPageLayout.Unit.Point))
    writer.setTitle(report.document_title)
    writer.setAuthor(report.profile)
    writer.setCreator(_creator())
    painter = QPainter()
    if not painter.begin(writer):
        del writer
        partial.unlink(missing_ok=True)
        raise PinviewerError(f"PinViewer can't write to {folder}. Check that the folder is not read-only "
                             "and that the disk has room." + (f" {path.name} is unchanged." if path.exists() else ""))
    ended = False
    try:
        paint_document(painter, writer, QRectF(0, 0, writer.width(), writer.height()), report, full_pin_list)
    finally:
        ended = painter.end()
        del writer  # closes the file
        if not ended or not partial.exists():
            partial.unlink(missing_ok=True)
    if not ended:
        raise PinviewerError("PinViewer could not finish writing the PDF: the disk may be full."
                             + (f" {path.name} is unchanged." if path.exists() else ""))
    return paths.commit(partial, path, _pdf_problem)


def new_printer(paper: str | None = None, mode=None):
    """A QPrinter set to the paper (default: the locale's); pass it to QPrintDialog / QPrintPreviewDialog."""
    ensure_app()
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(mode if mode is not None else QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(page_size(paper))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    return printer


def print_report(report: Report, printer, full_pin_list: bool = False) -> int:
    """Paints the summary on a QPrinter (the one QPrintDialog set up, or the preview's); returns pages."""
    printer.setDocName(report.document_title)
    printer.setCreator(_creator())
    printer.setFullPage(True)  # our coordinates start at the sheet's corner; we keep our own margins
    painter = QPainter()
    if not painter.begin(printer):
        raise PinviewerError("PinViewer could not start printing. Check that the printer is connected and "
                             "try again.")
    try:
        return paint_document(painter, printer, _printer_rect(printer), report, full_pin_list)
    finally:
        painter.end()


def _printer_rect(printer) -> QRectF:
    """The sheet, shrunk where the printer's unprintable edges are wider than our margins."""
    resolution = printer.resolution()
    layout = printer.pageLayout()
    sheet = QRectF(layout.fullRectPixels(resolution))
    sheet.moveTo(0, 0)
    unit = resolution / 72.0
    hard = layout.minimumMargins()  # the printer's own, in the layout's units
    hard_pt = QPageLayout(layout.pageSize(), layout.orientation(), hard, layout.units()).margins(
        QPageLayout.Unit.Point)
    left = max(0.0, hard_pt.left() + 6 - MARGIN_X)
    right = max(0.0, hard_pt.right() + 6 - MARGIN_X)
    top = max(0.0, hard_pt.top() + 6 - MARGIN_TOP)
    bottom = max(0.0, hard_pt.bottom() + 6 - MARGIN_BOTTOM)
    return sheet.adjusted(left * unit, top * unit, -right * unit, -bottom * unit)


def render_image(report: Report, paper: str | None = None, dpi: int = 110, full_pin_list: bool = False,
                 page: int = 1) -> QImage:
    """The summary page (or a page of the Pin list) as an image: white paper at ``dpi``."""
    ensure_app()
    size = page_size(paper).size(QPageSize.Unit.Inch)
    image = QImage(round(size.width() * dpi), round(size.height() * dpi), QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    image.fill(QColor("white"))
    painter = QPainter(image)
    rect = QRectF(0, 0, image.width(), image.height())
    try:
        if page == 1:
            paint_summary(painter, rect, report)
        else:
            chunks = pin_list_pages(painter, rect, report)
            if not 2 <= page <= len(chunks) + 1:
                raise ValueError(f"page {page}: the report has {len(chunks) + 1} pages with the full Pin list")
            paint_pin_list(painter, rect, report, chunks[page - 2], page, len(chunks) + 1)
    finally:
        painter.end()
    return image


__all__ = ["PAPERS", "default_paper", "ensure_app", "new_printer", "page_size", "paint_document", "print_report",
           "render_image", "write_pdf"]
