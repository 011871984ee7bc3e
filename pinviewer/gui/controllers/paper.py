"""Paper: File > Print (a preview first, large enough to read the page) and Save summary as PDF.

The page's content (``core.report``) is worked out on the worker; ``pinviewer.render`` paints it into a PDF
or onto the printer the user chooses. After a PDF is saved, the notice offers to open it or show its folder;
the save dialog opens in the folder of the last PDF saved.
"""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QObject

from pinviewer.gui import settings

LAST_FOLDER = "paper/folder"  # where the last summary PDF was saved


class PaperController(QObject):
    def __init__(self, window, data):
        super().__init__(window)
        self.window, self.data = window, data
        self.preview = None  # the print preview, while it is open

    def print_summary(self) -> None:
        self._paper(pdf_path=None)

    def save_pdf(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        figures = self.data.figures
        if figures is None:
            return
        name = self.tr("PinViewer summary {period}.pdf").format(
            period=f"{figures.period.start:%Y-%m-%d} to {figures.period.end:%Y-%m-%d}")
        folder = Path(settings.get_str(LAST_FOLDER) or Path.home())
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Save summary as PDF"), str(folder / name),
                                              self.tr("PDF (*.pdf)"))
        if path:
            settings.put(LAST_FOLDER, str(Path(path).parent))
            self._paper(pdf_path=path)

    def _paper(self, pdf_path: str | None) -> None:
        from pinviewer.gui import tasks

        data = self.data
        if data.figures is None:
            return
        store, profile, dataset = data.store, data.profile, data.dataset
        period, compare = data.figures.period, data.figures.compare

        def work(progress, cancelled):
            from pinviewer.core.insights.goals import load_goals
            from pinviewer.core.report import build_report, describe_sources

            sources = describe_sources(store.batches(profile, include_undone=False))
            return build_report(dataset, period, compare=compare, sources=sources, goals=load_goals(store, profile))

        def done(report):
            if pdf_path:
                self._saved(report, pdf_path)
            else:
                self._preview(report)

        tasks.run(self.window, work, label=self.tr("Preparing the summary…"), on_done=done)

    def _saved(self, report, pdf_path: str) -> None:
        from pinviewer.core.errors import PinviewerError
        from pinviewer.gui import errors
        from pinviewer.render import pdf

        try:  # a full disk or a read-only folder: a sentence, and the earlier PDF stays as it was
            written = Path(pdf.write_pdf(report, pdf_path))
        except PinviewerError as error:
            errors.show_problem(self.window, str(error), self.tr("The PDF was not saved"))
            return
        self.window.show_notice(
            self.tr("Saved {name}.").format(name=html.escape(written.name)),
            [(self.tr("Open"), lambda: open_path(written)),
             (self.tr("Show in folder"), lambda: open_path(written.parent))], timeout_ms=20000)

    def _preview(self, report) -> None:
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        from pinviewer.render import pdf

        # the preview first; its Print button opens the system's print dialog (QPrintDialog)
        printer = pdf.new_printer()  # kept alive here: the dialog does not own it
        preview = QPrintPreviewDialog(printer, self.window)
        preview.setWindowTitle(self.tr("Print preview"))
        preview.resize(preview_size(self.window))
        preview.paintRequested.connect(lambda target: pdf.print_report(report, target))
        self.preview = preview
        preview.exec()
        self.preview = None


def preview_size(window):
    """Large enough to read a page: 90% of the screen's height, a portrait page's width plus the toolbar; never
    larger than the screen."""
    from PySide6.QtCore import QSize

    screen = window.screen()
    if screen is None:
        return QSize(900, 1000)
    available = screen.availableGeometry()
    height = int(available.height() * 0.9)
    width = min(int(available.width() * 0.95), max(int(height * 0.85), 640))
    return QSize(width, height)


def open_path(path: Path) -> bool:
    """Open a file or folder with the system's application for it."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
