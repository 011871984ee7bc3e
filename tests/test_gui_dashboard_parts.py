"""The dashboard's parts on their own: the chart (gaps, provisional days, read-out), cards, funnel, menus,
help, theme."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QTextBrowser

from pinviewer.gui import style
from pinviewer.gui.cards import MetricCard
from pinviewer.gui.charts import DAY, DailyChart
from pinviewer.gui.funnel import FunnelWidget


def series(days=20, gap=(5, 8), provisional=2) -> pd.DataFrame:
    index = pd.date_range("2026-03-01", periods=days, freq="D")
    clicks = np.arange(days, dtype=float) + 10
    clicks[gap[0]:gap[1]] = np.nan
    frame = pd.DataFrame({"outbound_clicks": clicks, "saves": clicks * 2, "impressions": clicks * 100}, index=index)
    for name in ("outbound_clicks", "saves", "impressions"):
        frame[name + "_avg7"] = frame[name].rolling(7, min_periods=4).mean()
    frame["provisional"] = [False] * (days - provisional) + [True] * provisional
    return frame


def test_chart_days_without_data_are_gaps_and_provisional_days_are_shaded(qtbot):
    chart = DailyChart()
    qtbot.addWidget(chart)
    chart.set_series(series())
    x, y = chart.curve_data("outbound_clicks")
    assert x[0] == pd.Timestamp("2026-03-01").timestamp() and x[1] - x[0] == DAY  # seconds, not microseconds
    assert np.isnan(y[5:8]).all() and not np.isnan(y[4])  # a gap, not zeros
    assert chart.provisional_regions() == 1
    assert "No figures for this day" in chart.readout_for(6)
    text = chart.readout_for(19)
    assert "29" in text and "Still being counted" in text  # exact values and the provisional note
    chart.show_impressions(False)
    assert not chart._impressions.isVisible() and "Impressions" not in chart.readout_for(3)


def test_chart_hover_shows_the_read_out(qtbot):
    chart = DailyChart()
    qtbot.addWidget(chart)
    chart.resize(800, 300)
    chart.show()
    chart.set_series(series(gap=(0, 0), provisional=0))
    qtbot.waitExposed(chart)
    box = chart.getPlotItem().getViewBox()
    scene_point = box.mapViewToScene(box.viewRect().center())
    seen = []
    chart.hovered.connect(seen.append)
    chart.scene().sigMouseMoved.emit(scene_point)
    assert seen and seen[-1].startswith("<b>") and chart._readout.isVisible()


def _pair(name, now, before, days=30, numerator=None, denominator=None, before_counts=(None, None)):
    """A figure and its comparison as the period summary makes them (daily figures over ``days`` days)."""
    import datetime as dt

    from pinviewer.core.coverage import daily_cover
    from pinviewer.core.period_summary import Figure, compare_figures

    start = dt.date(2026, 3, 1)
    end = start + dt.timedelta(days=days - 1)
    first = (start - dt.date(1970, 1, 1)).days
    cover = daily_cover(start, end, np.arange(first, first + days))
    figure = Figure(name, now, "Pinterest", cover, numerator, denominator)
    before_figure = Figure(name, before, "Pinterest", cover, *before_counts)
    return figure, compare_figures(figure, before_figure)


def test_cards_show_the_summarys_change_with_arrow_and_words(qtbot):
    card = MetricCard("outbound_clicks", "Outbound clicks", "Clicks to your site.", colour=style.OUTBOUND)
    qtbot.addWidget(card)
    card.show_figure(*_pair("outbound_clicks", 1284.0, 1088.0), "Before", np.arange(30.0))
    assert card.value_label.text() == "1,284"
    assert card.change_label.text() == "▲ +18% vs 1,088"  # larger than counting noise: it rose
    assert "up" in card.accessibleName()
    steady = MetricCard("outbound_clicks", "Outbound clicks", "Clicks to your site.", colour=style.OUTBOUND)
    qtbot.addWidget(steady)
    steady.show_figure(*_pair("outbound_clicks", 103.0, 105.0), "Before")
    assert steady.change_label.text() == "● \u22122% vs 105"  # within counting noise: held steady
    rate = MetricCard("save_rate", "Save rate", "Saves ÷ impressions.", kind="rate")
    qtbot.addWidget(rate)
    rate.show_figure(*_pair("save_rate", 0.0082, 0.0077, numerator=8200, denominator=1e6, before_counts=(7700, 1e6)),
              "Before")
    assert (rate.value_label.text(), rate.change_label.text()) == ("0.82%", "▲ +0.05 pts vs 0.77%")
    muted = MetricCard("impressions", "Impressions", "Appeared is not seen.", muted=True)
    qtbot.addWidget(muted)
    muted.show_figure(*_pair("impressions", 246_000.0, 200_000.0), "Before")
    assert muted.value_label.text() == "246k" and "246,000" in muted.toolTip()
    assert "Appeared is not seen" in muted.toolTip()
    short = MetricCard("outbound_clicks", "Outbound clicks", "Clicks to your site.")
    qtbot.addWidget(short)
    from pinviewer.core.period_summary import Change

    figure = _pair("outbound_clicks", 1284.0, 1088.0)[0]
    short.show_figure(figure, Change("outbound_clicks", "count", 1284.0, None, None, reason="30 days against 12 days"),
               "Before")
    assert short.change_label.text() == "not compared: 30 days against 12 days"


def test_funnel_steps_and_rates(qtbot):
    funnel = FunnelWidget()
    qtbot.addWidget(funnel)
    funnel.set_steps([
        {"metric": "impressions", "label": "Impressions", "value": 246000.0, "rate": None},
        {"metric": "pin_clicks", "label": "Pin clicks", "value": 3410.0, "rate": 3410 / 246000},
        {"metric": "outbound_clicks", "label": "Outbound clicks", "value": 1284.0, "rate": 1284 / 3410},
        {"metric": "sessions", "label": "Sessions", "value": 1020.0, "rate": 1020 / 1284},
        {"metric": "key_events", "label": "Conversions", "value": 96.0, "rate": 96 / 1020},
        {"metric": "revenue", "label": "Revenue", "value": 412.5, "rate": None},
    ])
    assert [s["metric"] for s in funnel.steps] == ["impressions", "pin_clicks", "outbound_clicks", "sessions",
                                                   "key_events"]
    assert funnel.step_text(2) == "Outbound clicks 1,284 · 38% of Pin clicks"
    assert funnel.step_text(4) == "Conversions 96 · 9.4% of visits · revenue 412.50"
    funnel.set_steps(funnel.steps, currency="EUR", revenue=412.5)
    assert funnel.step_text(4) == "Conversions 96 · 9.4% of visits · revenue €412.50"
    funnel.resize(500, funnel.height())
    funnel.grab()  # paints without error


def test_menus_have_the_usual_shortcuts(qtbot):
    from pinviewer.gui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.build()
    shortcuts = {a.text().replace("&", ""): a.shortcut() for m in win.menus.values() for a in m.actions()}
    assert shortcuts["Import…"] == QKeySequence(QKeySequence.StandardKey.Open)
    assert shortcuts["Print…"] == QKeySequence(QKeySequence.StandardKey.Print)
    assert shortcuts["Quit"] == QKeySequence(QKeySequence.StandardKey.Quit)
    assert "Save summary as PDF…" in shortcuts and "What these numbers mean" in shortcuts
    assert "About PinViewer" in shortcuts and shortcuts["Overview"] == QKeySequence("Ctrl+1")
    win.close()


def test_help_explains_the_numbers_and_about_names_the_version(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from pinviewer import __version__
    from pinviewer.gui import help as help_

    dialog = help_.NumbersHelp()
    qtbot.addWidget(dialog)
    text = dialog.findChild(QTextBrowser).toPlainText()
    assert "Outbound clicks" in text and "Appeared is not seen" in text and "Conversions" in text
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    help_.about(None)
    assert __version__ in shown[0]


@pytest.mark.parametrize("forced, dark", [("dark", True), ("light", False)])
def test_theme_follows_the_scheme(qapp, monkeypatch, forced, dark):
    monkeypatch.setenv("PINVIEWER_THEME", forced)
    theme = style.apply(QApplication.instance())
    try:
        assert theme.dark is dark
        window = QApplication.palette().color(QApplication.palette().ColorRole.Window)
        assert (window.lightness() < 128) is dark
    finally:
        monkeypatch.setenv("PINVIEWER_THEME", "light")
        style.apply(QApplication.instance())


@pytest.fixture
def system_scheme(qapp, monkeypatch):
    """The offscreen platform reports no scheme, so the system palette decides: light."""
    monkeypatch.delenv("PINVIEWER_THEME", raising=False)
    yield qapp
    style.apply(qapp, dark=False)


def test_the_first_paint_uses_last_runs_scheme_and_then_follows_the_system(system_scheme):
    from pinviewer.gui import settings

    settings.put(settings.DARK_THEME, True)  # the system was dark when the window last ran
    assert style.apply_remembered(system_scheme).dark is True  # not asked: the first paint is dark
    assert style.follow_system(system_scheme) is True  # asked after that paint: light now
    assert style.current().dark is False
    assert QApplication.palette().color(QApplication.palette().ColorRole.Window).lightness() >= 128
    assert settings.get_bool(settings.DARK_THEME, None) is False  # the next start paints light at once
    assert style.follow_system(system_scheme) is False


def test_the_first_run_asks_the_system_and_remembers_its_answer(system_scheme):
    from pinviewer.gui import settings

    assert settings.get_bool(settings.DARK_THEME, None) is None
    assert style.apply_remembered(system_scheme).dark is False
    assert style.follow_system(system_scheme) is False
    assert settings.get_bool(settings.DARK_THEME, None) is False


def test_a_forced_scheme_wins_and_is_not_remembered(system_scheme, monkeypatch):
    from pinviewer.gui import settings

    settings.put(settings.DARK_THEME, False)
    monkeypatch.setenv("PINVIEWER_THEME", "dark")
    assert style.apply_remembered(system_scheme).dark is True
    assert style.follow_system(system_scheme) is False
    assert settings.get_bool(settings.DARK_THEME, None) is False


def test_qt6_rounds_no_scale_factors_by_default(qapp):
    """launch.py no longer sets PassThrough (the call built PySide6's Qt namespace before the first paint)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.highDpiScaleFactorRoundingPolicy() == Qt.HighDpiScaleFactorRoundingPolicy.PassThrough


def test_a_period_without_impressions_draws_no_scale_for_them(qtbot):
    chart = DailyChart()
    qtbot.addWidget(chart)
    without = series()
    without[["impressions", "impressions_avg7"]] = np.nan
    chart.set_series(without)
    assert not chart.impressions_scale_shown(), "no '0 0 1 1' scale for figures no file gave"
    chart.set_series(series())
    assert chart.impressions_scale_shown()
    chart.show_impressions(False)
    chart.apply_theme()  # a change of scheme keeps the hidden scale hidden
    assert not chart.impressions_scale_shown()
