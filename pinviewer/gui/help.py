"""Help > What these numbers mean, and About."""
from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QTextBrowser, QVBoxLayout

from pinviewer import __version__
from pinviewer.core import metrics
from pinviewer.core.insights import glossary

# In the order a blogger meets them on the dashboard
MAIN = ("outbound_clicks", "saves", "key_events", "outbound_click_rate", "save_rate", "impressions", "pin_clicks",
        "engagements", "sessions", "revenue")


def tr(text: str) -> str:
    return QCoreApplication.translate("Help", text)


def numbers_html() -> str:
    rows = []
    for name in MAIN:
        m = metrics.BY_NAME[name]
        rows.append(f"<dt><b>{m.label}</b></dt><dd>{m.explain}</dd>")
    intro = tr("PinViewer leads with what turns into business: people who click through to your site "
               "(outbound clicks), people who keep your Pin for later (saves), and what they do on your "
               "site (conversions, from Google Analytics). Impressions come last: a Pin that appeared on a "
               "screen was not necessarily seen.")
    rates = tr("Rates are always totals divided by totals over the whole period, as Pinterest computes "
               "them. Up and down arrows compare with the period before, or with the same days a year "
               "earlier. Pinterest keeps counting a day for 24 to 48 hours: those days are shaded and "
               "called still being counted.")
    return (f"<h3>{tr('What these numbers mean')}</h3><p>{intro}</p><dl>{''.join(rows)}</dl><p>{rates}</p>"
            + insights_html())


def insights_html() -> str:
    """One short entry per insight of the Insights page, and what "a clear sign" and its kin mean."""
    entries = "".join(f"<dt><b>{html.escape(tr(title))}</b></dt><dd>{html.escape(tr(text))}</dd>"
                      for _, title, text in glossary.ENTRIES)
    return (f"<h3 id='insights'>{tr('Insights')}</h3><p>{html.escape(tr(glossary.SIGNS))}</p>"
            f"<dl>{entries}</dl>")


class NumbersHelp(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("What these numbers mean"))
        self.resize(560, 600)
        layout = QVBoxLayout(self)
        text = QTextBrowser()
        text.setOpenExternalLinks(True)
        text.setHtml(numbers_html())
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def about(parent) -> None:
    QMessageBox.about(parent, tr("About PinViewer"),
                      tr("<h3>PinViewer {version}</h3><p>See what your Pinterest work turns into: outbound clicks, "
                         "saves and conversions, on your own computer.</p><p>Your figures stay on this "
                         "computer.</p>").format(version=__version__))
