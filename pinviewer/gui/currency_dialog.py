"""The profile's currency: asked once, when the first revenue arrives (proposed from the user's locale), and
changeable later (*Profile > Currency…*). Kept in the history with the profile (``core.currency``)."""
from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from pinviewer.core import currency as core_currency
from pinviewer.core.wording import CURRENCIES


def proposed() -> str:
    """The user's locale's currency (Qt knows it), else PinViewer's guess from the locale's name."""
    code = QLocale().currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode)
    if code and len(code) == 3 and code.isalpha():
        return code.upper()
    return core_currency.propose(QLocale().name())


class CurrencyDialog(QDialog):
    def __init__(self, current: str | None, profile_name: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Currency of your revenue"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Google Analytics gives revenue as a bare number. In which currency is the revenue "
                               "of {profile}?").format(profile=profile_name))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.box = QComboBox()
        self.box.setEditable(True)  # any three-letter code
        self.box.setAccessibleName(self.tr("Currency"))
        codes = list(CURRENCIES)
        chosen = (current or proposed()).upper()
        if chosen not in codes:
            codes.insert(0, chosen)
        self.box.addItems(codes)
        self.box.setCurrentText(chosen)
        layout.addWidget(self.box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def code(self) -> str:
        return self.box.currentText().strip().upper()


def ask(window, first_time: bool = False) -> None:
    """Open the dialog (not blocking the window); saving redraws the figures with the currency."""
    from pinviewer.gui import tasks

    store, profile = window.store, window.profile
    if store is None or profile is None or getattr(window, "demo", False):
        return
    current = core_currency.load(store, profile)
    dialog = CurrencyDialog(current, profile.name, window)
    dialog.setObjectName("currencyDialog")

    def done(code):
        window.dashboard.currency = code
        if window.figures is not None:
            window.dashboard.show_figures(window.figures)

    def save(result: int) -> None:
        if result != QDialog.DialogCode.Accepted:
            return
        code = dialog.code()
        tasks.run(window, lambda p, c: core_currency.save(store, profile, code), on_done=done)

    dialog.finished.connect(save)
    if first_time:  # asked beside the figures, without taking the keyboard from the window
        core_currency.mark_asked(store, profile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.show()
    else:
        dialog.open()


def after_figures(window, figures) -> None:
    """Called when figures are shown: the dashboard writes revenue in the profile's currency, and the first
    time a profile has revenue without one, PinViewer asks (once)."""
    store, profile = window.store, window.profile
    if store is None or profile is None:
        return
    window.dashboard.currency = core_currency.load(store, profile)
    if not getattr(window, "demo", False) and core_currency.should_ask(store, profile, figures.summary.revenue.known):
        ask(window, first_time=True)
