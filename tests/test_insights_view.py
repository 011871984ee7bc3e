"""The Insights tab: sentences with links, a chart beside each insight, signals for Pins and posts."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pytestqt")

from pinviewer.core.analysis import Period
from pinviewer.core.formats.model import ImportBatch
from pinviewer.core.store import Store

D0 = dt.date(2025, 3, 3)


def _dataset(tmp_path):
    rng = np.random.default_rng(4)
    n = 150
    dates = [D0 + dt.timedelta(days=i) for i in range(n)]
    clicks = np.round(200 * rng.lognormal(0, 0.05, n))
    clicks[146] = 40
    daily = pd.DataFrame({"entity_type": "account", "entity_id": "", "date": dates, "outbound_clicks": clicks,
                          "saves": np.round(300 * rng.lognormal(0, 0.05, n)),
                          "impressions": np.round(20000 * rng.lognormal(0, 0.05, n))})
    start, end = dates[120], dates[149]
    pins = [(f"p{i}", 1000 + 10 * i, 10, f"https://blog.example/post-{i % 4}") for i in range(40)]
    pins += [("gem", 400, 14, "https://blog.example/gem"), ("dud", 30000, 15, "https://blog.example/post-1")]
    periods = pd.DataFrame([{"entity_type": "pin", "entity_id": p, "start": start, "end": end,
                             "impressions": float(imp), "outbound_clicks": float(oc), "saves": 1.0}
                            for p, imp, oc, _ in pins]
                           + [{"entity_type": "post", "entity_id": "/gem", "start": start, "end": end,
                               "sessions": 12.0, "key_events": 3.0, "revenue": 9.0}])
    entities = pd.DataFrame([{"entity_type": "pin", "entity_id": p, "title": f"Pin {p}", "link": link,
                              "created": dates[i % 150].isoformat()} for i, (p, _, _, link) in enumerate(pins)])
    store = Store.open(tmp_path / "v.sqlite")
    profile = store.profile()
    store.import_batch(profile, ImportBatch("t", "t", daily=daily), file_name="a", sha256="a")
    store.import_batch(profile, ImportBatch("t", "t", periods=periods, entities=entities), file_name="b", sha256="b")
    ds = store.load(profile)
    store.close()
    return ds, Period(start, end)


def test_sentences_link_pins_and_posts(qtbot, tmp_path):
    from pinviewer.gui.insights_view import InsightsView, sentence_html

    ds, period = _dataset(tmp_path)
    view = InsightsView()
    qtbot.addWidget(view)
    view.resize(1000, 800)
    view.set_data(ds, period, {"outbound_clicks": 9000})
    data = view.data
    assert set(view.charts) >= {"anomalies", "goals", "impressions", "concentration", "conversions", "age"}
    texts = [label.text() for label in view.sentence_labels]
    gem = next(t for t in texts if "seen little but clicked a lot" in t)
    assert '<a href="pin:gem">“Pin gem”</a>' in gem
    post = next(t for t in texts if "brought the most sign-ups" in t)
    assert '<a href="post:https://blog.example/gem">blog.example/gem</a>' in post
    with qtbot.waitSignal(view.pin_activated) as pin:
        view.sentence_labels[texts.index(gem)].linkActivated.emit("pin:gem")
    assert pin.args == ["gem"]
    with qtbot.waitSignal(view.post_activated) as url:
        view.sentence_labels[texts.index(post)].linkActivated.emit("post:https://blog.example/gem")
    assert url.args == ["https://blog.example/gem"]
    assert data["headlines"] and len(data["headlines"]) <= 4
    assert sentence_html({"text": "a < b “X”", "links": [{"kind": "pin", "id": "1", "label": "“X”"}]}) == \
        'a &lt; b <a href="pin:1">“X”</a>'


def test_clicking_a_point_in_the_scatter_opens_the_pin(qtbot, tmp_path):
    from pinviewer.gui.insights_view import InsightsView

    ds, period = _dataset(tmp_path)
    view = InsightsView()
    qtbot.addWidget(view)
    view.set_data(ds, period)
    scatter = view.charts["impressions"][0]
    items = [i for i in scatter.getPlotItem().listDataItems() if i.opts.get("symbol") == "star"]
    assert len(items) == 1
    points = items[0].scatter.points()
    with qtbot.waitSignal(view.pin_activated) as pin:
        items[0].sigPointsClicked.emit(items[0], points, None)
    assert pin.args == ["gem"]


def test_empty_state_and_no_goals(qtbot, tmp_path):
    from pinviewer.gui.insights_view import InsightsView

    view = InsightsView()
    qtbot.addWidget(view)
    view.set_data(None, None)
    assert view.data is None and view.sentence_labels == []
    ds, period = _dataset(tmp_path)
    view.set_data(ds, period)
    with qtbot.waitSignal(view.goals_requested):
        view._link("goals:")


def test_how_sure_toggle_season_and_board_charts(qtbot, tmp_path):
    """Plain sentences; the numbers behind them appear only when "How sure is this?" is checked."""
    from conftest import load_history
    from test_insights_seasons import XMAS, board_export, history, months

    from pinviewer.gui.insights_view import InsightsView

    boards = board_export(dt.date(2026, 7, 1), dt.date(2026, 7, 31),
                          [("blog/baking", "Christmas baking", 20000, 600, 200),
                           ("blog/dinners", "Weeknight dinners", 50000, 500, 400),
                           ("blog/crafts", "Crafts", 30000, 150, 1500)])
    with Store.open(tmp_path / "s.sqlite") as store:
        ds = load_history(store, *history(months((2024, 8), 24), {"xmas": XMAS}, last_day=dt.date(2026, 8, 10)),
                          boards)
    view = InsightsView()
    qtbot.addWidget(view)
    view.resize(1000, 800)
    view.show()
    view.set_data(ds, Period(dt.date(2026, 7, 12), dt.date(2026, 8, 10)))
    assert {"seasons", "boards", "anomalies"} <= set(view.charts)
    texts = [label.text() for label in view.sentence_labels]
    season = next(t for t in texts if t.startswith("Last year clicks on the Pin"))
    assert season.endswith("Pin fresh Pins for it by 20 August.") and "times its usual" not in season
    toggle, detail = view.how_sure["seasons"]
    assert toggle.text() == "How sure is this?" and not detail.isVisible()
    toggle.click()
    assert detail.isVisible() and "A clear sign: it rose at this time in each of the 2 years" in detail.text()
    toggle.click()
    assert not detail.isVisible()
    board = next(i for i, t in enumerate(texts) if "brings the most outbound clicks" in t)
    assert '<a href="board:blog/baking">“Christmas baking”</a>' in texts[board]
    with qtbot.waitSignal(view.board_activated) as opened:
        view.sentence_labels[board].linkActivated.emit("board:blog/baking")
    assert opened.args == ["https://www.pinterest.com/blog/blog/baking/"]
    # the season chart draws known months as bars and months missing from the top list as "at most" bars
    bars = [i for i in view.charts["seasons"][0].getPlotItem().items if type(i).__name__ == "BarGraphItem"]
    assert len(bars) == 2


def test_help_explains_every_insight(qtbot):
    from pinviewer.core.insights import glossary
    from pinviewer.gui.help import NumbersHelp, numbers_html

    text = numbers_html()
    ids = [entry[0] for entry in glossary.ENTRIES]
    assert {"anomalies", "goals", "seasons", "conversions", "impressions", "boards", "concentration", "age"} <= set(ids)
    for _, title, _ in glossary.ENTRIES:
        assert f"<b>{title}</b>" in text
    assert "A clear sign" in text and "Season planner" in text and "never counted as 0" in text
    dialog = NumbersHelp()
    qtbot.addWidget(dialog)
    from PySide6.QtWidgets import QTextBrowser

    shown = dialog.findChild(QTextBrowser).toPlainText()
    assert "How sure is this?" in shown and "Boards that bring clicks and saves" in shown


def test_a_board_link_opens_its_pinterest_page_and_nothing_else(qtbot, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from pinviewer.gui.controllers.insights import InsightsController

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    InsightsController.open_board("https://www.pinterest.com/lemonandlinen/christmas-baking/")
    InsightsController.open_board("lemonandlinen/christmas-baking")  # a key without a link: nothing to open
    InsightsController.open_board("file:///etc/passwd")
    assert opened == ["https://www.pinterest.com/lemonandlinen/christmas-baking/"]
