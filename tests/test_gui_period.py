"""The window's side of the period summary: goals saved under the figures' one name, the currency asked once."""
from __future__ import annotations

from test_gui_main_window import exports  # noqa: F401  (a fixture: the sample blog's files in a Downloads folder)

from pinviewer.core import currency
from pinviewer.core.insights.goals import load_goals, set_goals


def test_the_goals_dialog_saves_all_three_goals(qtbot, store):
    from pinviewer.gui.goals_dialog import GoalsDialog

    profile = store.profile()
    dialog = GoalsDialog({"outbound_clicks": 1200.0, "key_events": 30.0})
    qtbot.addWidget(dialog)
    assert dialog.boxes["key_events"].value() == 30  # a saved conversions goal shows in its box
    dialog.boxes["outbound_clicks"].setValue(1500)
    dialog.boxes["saves"].setValue(3000)
    dialog.boxes["key_events"].setValue(40)
    assert set_goals(store, profile, dialog.goals()) == {"outbound_clicks": 1500.0, "saves": 3000.0,
                                                         "key_events": 40.0}
    assert load_goals(store, profile) == {"outbound_clicks": 1500.0, "saves": 3000.0, "key_events": 40.0}


def test_the_currency_dialog_proposes_the_locales_and_saves(qtbot, store, monkeypatch):
    from PySide6.QtCore import QLocale

    from pinviewer.gui.currency_dialog import CurrencyDialog, proposed

    monkeypatch.setattr(QLocale, "currencySymbol", lambda self, kind=None: "")
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        monkeypatch.setattr(QLocale, "name", lambda self: "de_DE")
        assert proposed() == "EUR"
        dialog = CurrencyDialog(None, "My blog")
        qtbot.addWidget(dialog)
        assert dialog.code() == "EUR"
        dialog.box.setCurrentText("chf")
        profile = store.profile()
        assert currency.save(store, profile, dialog.code()) == "CHF"
        again = CurrencyDialog(currency.load(store, profile), "My blog")
        qtbot.addWidget(again)
        assert again.code() == "CHF"  # changeable later: opens on the saved one
    finally:
        QLocale.setDefault(before)


def test_the_window_asks_for_the_currency_once_when_revenue_arrives(qtbot, window, exports, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from test_gui_main_window import TIMEOUT, import_by_drop
    from pinviewer.gui.currency_dialog import CurrencyDialog

    import_by_drop(qtbot, window, exports)  # Google Analytics brings revenue
    dialog = window.findChild(CurrencyDialog, "currencyDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.box.setCurrentText("EUR")
    dialog.done(QDialog.DialogCode.Accepted)
    qtbot.waitUntil(lambda: window.dashboard.currency == "EUR", timeout=TIMEOUT)
    assert "€" in window.dashboard.funnel.accessibleName()  # revenue shown in the profile's currency
    assert currency.load(window.store, window.profile) == "EUR"
    with qtbot.waitSignal(window.figures_shown, timeout=TIMEOUT):
        window.period_picker.choose("all_time")
    assert len(window.findChildren(CurrencyDialog)) == 1  # asked once, not at every period


def test_google_analytics_for_other_days_is_not_asked_for_again(qtbot, store):
    import datetime as dt

    import pandas as pd

    from conftest import load_history
    from pinviewer.core.analysis import Period
    from pinviewer.core.formats.model import ImportBatch
    from pinviewer.core import period_figures
    from pinviewer.gui.dashboard import Dashboard

    first = dt.date(2026, 1, 1)
    days = [first + dt.timedelta(days=i) for i in range(60)]
    daily = pd.DataFrame({"entity_type": "account", "entity_id": "", "date": days, "impressions": 1000.0,
                          "outbound_clicks": 20.0, "saves": 30.0})
    site = pd.DataFrame({"entity_type": "source", "entity_id": ["pinterest.com / referral"], "start": days[0],
                         "end": days[29], "sessions": [500.0], "key_events": [9.0]})
    ds = load_history(store, ImportBatch("pinterest_overview", "overview", daily=daily),
                      ImportBatch("ga4_traffic", "ga4", periods=site))
    board = Dashboard()
    qtbot.addWidget(board)
    board.show_figures(period_figures.compute(ds, Period(days[45], days[59])))
    assert board.funnel_note.text() == "no Google Analytics figures for these days"
    board.show_figures(period_figures.compute(ds, Period(days[0], days[29])))
    assert board.cards["key_events"].value == 9 and not board.cards["key_events"].greyed
