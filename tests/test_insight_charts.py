"""The Insights page's charts can be read on their own: a title, both axis labels, a legend, and the name of the
bar, dot or day under the mouse in a tooltip (issue #14.7). And a section never contradicts the Overview."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pytestqt")

from pinviewer.core.analysis import Period
from pinviewer.core.formats.model import ImportBatch
from pinviewer.core.store import Store

# a tooltip raised on the offscreen platform: Qt says it cannot raise windows there (no effect on the test)
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")
ALL_CHARTS = {"anomalies", "goals", "seasons", "conversions", "impressions", "boards", "concentration", "age"}


@pytest.fixture
def sample_page(qtbot):
    """The sample blog's Insights page, last 30 days, with a monthly goal (so every chart is drawn)."""
    from pinviewer.core import analysis
    from pinviewer.core.demo import open_demo_store
    from pinviewer.gui.insights_view import InsightsView

    store, profile = open_demo_store()
    with store:
        ds = store.load(profile)
    view = InsightsView()
    qtbot.addWidget(view)
    view.resize(1100, 900)
    view.show()
    view.set_data(ds, analysis.preset_period(ds, "last_30"), {"outbound_clicks": 3000, "saves": 5000})
    qtbot.waitExposed(view)
    return view


def _hover(chart, x: float, y: float) -> str:
    """Move the mouse to (x, y) in the chart's own coordinates, as a real mouse does, and ask for the tooltip."""
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QHelpEvent, QMouseEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    chart.grab()  # painted once, as a chart is before anyone hovers it (pyqtgraph fits its ranges when painting)
    scene = chart.getPlotItem().getViewBox().mapViewToScene(QPointF(x, y))
    local = chart.mapFromScene(scene)
    move = QMouseEvent(QEvent.Type.MouseMove, QPointF(local), QPointF(chart.viewport().mapToGlobal(local)),
                       Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(chart.viewport(), move)
    help_event = QHelpEvent(QEvent.Type.ToolTip, local, chart.viewport().mapToGlobal(local))
    QApplication.sendEvent(chart.viewport(), help_event)
    shown = QToolTip.text() if QToolTip.isVisible() else ""
    assert shown == chart.hover_text()  # what Qt shows is what the chart named
    return shown


def test_every_chart_has_a_title_axis_labels_and_a_legend(sample_page):
    view = sample_page
    assert set(view.charts) == ALL_CHARTS
    for key, charts in view.charts.items():
        for chart in charts:
            plot = chart.getPlotItem()
            assert plot.titleLabel.isVisible() and plot.titleLabel.text.strip(), key
            for side in ("left", "bottom"):
                assert plot.getAxis(side).labelText.strip(), (key, side)
            assert len(chart.legend_entries) >= 2 and all(e.strip() for e in chart.legend_entries), key
            assert plot.layout.itemAt(4, 0).text  # the legend is drawn under the chart
    titles = {key: [c.title for c in charts] for key, charts in view.charts.items()}
    assert titles["anomalies"][0] == "Outbound clicks per day"
    assert titles["impressions"] == ["Impressions and outbound clicks, per Pin"]
    assert view.charts["conversions"][0].legend_entries == ["Outbound clicks", "Pinterest visits", "Conversions"]
    scatter = view.charts["impressions"][0]
    assert scatter.x_label == "Impressions" and scatter.y_label == "Outbound clicks"
    assert "Seen little, clicked a lot" in scatter.legend_entries


def test_hovering_a_bar_names_it_with_its_figures(sample_page):
    from pinviewer.gui import formatting as fmt

    insights = sample_page.data["insights"]
    for key in ("conversions", "concentration", "boards"):  # horizontal bars, the first row at the top
        labels = insights[key]["chart"]["labels"]
        chart = sample_page.charts[key][0]
        for row in (0, len(labels) - 1):
            text = _hover(chart, 1.0, float(len(labels) - 1 - row))
            assert text.startswith(labels[row]), (key, row, text)
    top = insights["concentration"]["chart"]
    assert fmt.percent(top["values"][0]) + " of outbound clicks" in _hover(sample_page.charts["concentration"][0],
                                                                            1.0, float(len(top["labels"]) - 1))
    posts = insights["conversions"]["chart"]
    text = _hover(sample_page.charts["conversions"][0], 1.0, float(len(posts["labels"]) - 1))
    assert f"Outbound clicks: {fmt.count(posts['series']['outbound_clicks'][0])}" in text
    age = insights["age"]["chart"]
    text = _hover(sample_page.charts["age"][0], 4.0, 1.0)
    assert age["labels"][4] in text and f"Share of Pins: {fmt.percent(age['pins_share'][4])}" in text
    season = insights["seasons"]["chart"]
    chart = sample_page.charts["seasons"][0]
    lines = [dt.date.fromisoformat(season[k]) for k in ("last_start", "pin_by", "next_start") if season.get(k)]
    bar = next(i for i in range(len(season["starts"]))  # a month no line crosses (a line names itself)
               if all(abs((day - dt.date.fromisoformat(season["starts"][i])).days - 15) > 20 for day in lines))
    start, end = (dt.date.fromisoformat(season[k][bar]) for k in ("starts", "ends"))
    middle = (start - dt.date(1970, 1, 1)).days * 86400 + 15 * 86400.0
    text = _hover(chart, middle, 1.0)
    assert season["label"] in text and fmt.period(start, end) in text


def test_hovering_a_dot_names_its_pin_and_a_line_its_day(sample_page):
    from pinviewer.gui import formatting as fmt

    insights = sample_page.data["insights"]
    scatter = insights["impressions"]["chart"]
    gem = scatter["group"].index("gem")
    x = np.log10(max(scatter["impressions"][gem], 1))
    y = np.log10(scatter["outbound_clicks"][gem])
    text = _hover(sample_page.charts["impressions"][0], float(x), float(y))
    assert scatter["titles"][gem] in text and f"Impressions: {fmt.count(scatter['impressions'][gem])}" in text
    assert "Seen little, clicked a lot" in text
    daily = insights["anomalies"]["charts"]["outbound_clicks"]
    day = dt.date.fromisoformat(daily["dates"][3])
    text = _hover(sample_page.charts["anomalies"][0], (day - dt.date(1970, 1, 1)).days * 86400.0, 10.0)
    assert text.startswith(fmt.weekday_day(day)) and f"Outbound clicks: {fmt.count(daily['values'][3])}" in text
    last = dt.date.fromisoformat(daily["dates"][-1])
    text = _hover(sample_page.charts["anomalies"][0], (last - dt.date(1970, 1, 1)).days * 86400.0, 10.0)
    assert "still counting" in text  # the shaded days say why they are shaded
    text = _hover(sample_page.charts["goals"][0], 5.0, 10.0)
    assert text.startswith("Day 5 of the month") and "Outbound clicks:" in text and "of the goal" in text


def test_outside_the_plot_nothing_is_named(sample_page):
    from PySide6.QtCore import QPointF

    chart = sample_page.charts["boards"][0]
    assert chart.text_at(QPointF(-50, -50)) == ""


def test_with_only_the_accounts_days_no_section_says_there_were_no_clicks(qtbot, tmp_path):
    """An account-level export alone (no Pin figures): the Overview shows its outbound clicks, so no Insights
    sentence may claim 'Too few outbound clicks (0)'."""
    from pinviewer.core import period_summary
    from pinviewer.gui.insights_view import InsightsView

    d0 = dt.date(2025, 6, 1)
    days = [d0 + dt.timedelta(days=i) for i in range(30)]
    daily = pd.DataFrame({"entity_type": "account", "entity_id": "", "date": days, "outbound_clicks": 45.0,
                          "saves": 60.0, "impressions": 9000.0})
    with Store.open(tmp_path / "account.sqlite") as store:
        profile = store.profile()
        store.import_batch(profile, ImportBatch("t", "t", daily=daily), file_name="a", sha256="a")
        ds = store.load(profile)
    period = Period(days[0], days[-1])
    assert period_summary.summarise(ds, period).value("outbound_clicks") == 1350
    view = InsightsView()
    qtbot.addWidget(view)
    view.set_data(ds, period)
    texts = " ".join(label.text() for label in view.sentence_labels)
    assert "Too few outbound clicks" not in texts and "(0)" not in texts
    assert "no outbound clicks per Pin" in texts
