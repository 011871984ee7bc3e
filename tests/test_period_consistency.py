"""The window's cards, the PDF's text and ``summary --json`` say the same figures and the same changes.

50 random periods, each with both comparisons, on the sample blog and on a history laid out like real downloads
(Pin downloads with one metric each, Google Analytics months of different lengths beside a quarter that overlaps
them, a landing-page table with a Date column, boards). The window is the real Overview page (cards, headline),
the PDF is written and read back with pdftotext, the JSON is what ``pinviewer summary --json`` prints.
"""
from __future__ import annotations

import datetime as dt
import random
import subprocess

import numpy as np
import pandas as pd
import pytest

from pinviewer.core import period_summary, wording
from pinviewer.core.analysis import Period, data_range
from pinviewer.core.formats.model import ImportBatch
from pinviewer.core.store import Store

CARDS = ("outbound_clicks", "saves", "key_events", "outbound_click_rate", "save_rate")
PERIODS = 50


def real_layout_history(store: Store):
    """About 14 months the way a blogger's downloads really come."""
    profile = store.profile()
    rng = np.random.default_rng(5)
    first, days = dt.date(2025, 9, 1), 430
    dates = [first + dt.timedelta(days=i) for i in range(days)]
    base = 900 + 400 * np.sin(np.arange(days) / 40.0)
    daily = pd.DataFrame({"entity_type": "account", "entity_id": "", "date": dates,
                          "impressions": rng.poisson(base * 60).astype(float),
                          "outbound_clicks": rng.poisson(base / 3).astype(float),
                          "saves": rng.poisson(base / 2).astype(float),
                          "pin_clicks": rng.poisson(base).astype(float),
                          "engagements": rng.poisson(base * 2).astype(float)})
    daily.loc[200:212, "saves"] = np.nan  # a stretch where one figure is unknown, not zero
    batches = [ImportBatch("pinterest_overview", "Pinterest account overview", daily=daily)]
    months = []
    start = first
    while start < dates[-1]:
        end = min((pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date(), dates[-1])
        months.append((start, end))
        start = end + dt.timedelta(days=1)
    pins = [f"{10_000 + i}" for i in range(120)]
    entities = pd.DataFrame({"entity_type": "pin", "entity_id": pins, "title": [f"Pin about thing {i}" for i in
                                                                                 range(120)],
                             "link": [f"https://blog.example/post-{i % 30}/" for i in range(120)]})
    for k, (a, b) in enumerate(months):
        for metric in ("impressions", "outbound_clicks", "saves"):  # one metric filled per download
            values = rng.poisson(30 if metric != "impressions" else 3000, len(pins)).astype(float)
            frame = pd.DataFrame({"entity_type": "pin", "entity_id": pins, "start": a, "end": b, metric: values})
            batches.append(ImportBatch("pinterest_top_pins", "Pinterest top Pins", periods=frame,
                                       entities=entities if k == 0 and metric == "impressions" else
                                       pd.DataFrame(columns=["entity_type", "entity_id"])))
        boards = pd.DataFrame({"entity_type": "board", "entity_id": ["b1", "b2"], "start": a, "end": b,
                               "impressions": [5000.0, 800.0], "outbound_clicks": [60.0, 9.0]})
        batches.append(ImportBatch("pinterest_top_boards", "Pinterest top boards", periods=boards))
        if k % 4 != 3:  # Google Analytics: most months, each its own length
            sources = pd.DataFrame({"entity_type": "source", "start": a, "end": b,
                                    "entity_id": ["pinterest.com / referral", "pin.it / referral",
                                                  "accounts-oauth.pinterest.com / referral", "google / organic"],
                                    "sessions": [rng.poisson(700.0), rng.poisson(60.0), 40.0, 5000.0],
                                    "key_events": [float(rng.poisson(16)), 2.0, 0.0, 90.0],
                                    "revenue": [float(rng.integers(100, 900)), 10.0, 0.0, 2000.0]})
            batches.append(ImportBatch("ga4_traffic", "Google Analytics traffic acquisition", periods=sources))
    q_start, q_end = months[6][0], months[8][1]  # a quarter overlapping three months
    batches.append(ImportBatch("ga4_traffic", "Google Analytics traffic acquisition", periods=pd.DataFrame(
        {"entity_type": "source", "entity_id": ["pinterest.com / referral"], "start": q_start, "end": q_end,
         "sessions": [2100.0], "key_events": [51.0], "revenue": [1500.0]})))
    landing_days = dates[-60:]  # a landing-page table with a Date column: one-day rows, cut exactly
    batches.append(ImportBatch("ga4_landing", "Google Analytics landing pages", periods=pd.DataFrame(
        {"entity_type": "post", "entity_id": "/post-1", "start": landing_days, "end": landing_days,
         "sessions": rng.poisson(20, len(landing_days)).astype(float),
         "key_events": rng.poisson(1, len(landing_days)).astype(float)})))
    for i, batch in enumerate(batches):
        store.import_batch(profile, batch, file_name=f"real-{i}.csv", sha256=f"real-{i}")
    return store.load(profile)


def random_periods(ds, n: int, seed: int) -> list[tuple[Period, str]]:
    """n random periods (from one day to most of the history, some reaching beyond it), each with both
    comparisons."""
    whole = data_range(ds)
    rng = random.Random(seed)
    out = []
    span = (whole.end - whole.start).days
    for _ in range(n):
        length = rng.choice([1, 7, 14, 30, 31, 45, 60, 90, 120, rng.randint(2, span)])
        start = whole.start + dt.timedelta(days=rng.randint(-20, max(0, span - length + 20)))
        period = Period(start, start + dt.timedelta(days=length - 1))
        out += [(period, "previous"), (period, "year")]
    return out


def pdf_text(ds, period, compare, path) -> str:
    from pinviewer.core.report import build_report
    from pinviewer.render.pdf import write_pdf

    report = build_report(ds, period, compare=compare, made_on=dt.date(2026, 12, 1))
    write_pdf(report, path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text, report


def check(board, ds, period: Period, compare: str, tmp_path) -> None:
    from pinviewer.core import period_figures

    data = period_summary.summary_json(period_summary.summarise(ds, period, compare))
    board.show_figures(period_figures.compute(ds, period, compare))
    text, report = pdf_text(ds, period, compare, tmp_path / "summary.pdf")
    flat = " ".join(text.split())
    where = f"{period} {compare}"
    paper = {card.metric: card for card in report.cards}
    for name in CARDS:
        figure, change = data["figures"][name], data["changes"][name]
        card = board.cards[name]
        if name == "key_events" and figure["value"] is None:
            assert not card.isVisibleTo(board) or card.value is None, where
            assert name not in paper, where
            continue
        # the same figure on screen, on paper and in the JSON
        assert card.value == figure["value"] or (card.value is None and figure["value"] is None), (where, name)
        shown = wording.format_rate(figure["value"]) if name.endswith("rate") else \
            wording.format_count(figure["value"])
        assert card.value_label.text() == (shown if figure["value"] is not None else wording.NO_FIGURE), (where, name)
        assert paper[name].value_text() in flat or paper[name].value_text(compact=True) in flat, (where, name)
        assert paper[name].value == figure["value"], (where, name)
        # the same change, the same arrow, or no comparison anywhere
        if change["compared"]:
            assert card.direction == change["direction"] == paper[name].direction, (where, name)
            assert card.change_label.text().startswith(f"{change['arrow']} {change['text']}"), (where, name)
            assert paper[name].change_text() == change["text"] and change["text"] in flat, (where, name)
        else:
            assert card.direction is None and paper[name].direction is None, (where, name)
            assert paper[name].change_text() == "" and not card.change_label.text().startswith(
                (wording.UP, wording.DOWN, wording.FLAT)), (where, name)
        # a greyed figure is greyed in both, with the same note
        assert card.greyed == figure["greyed"] == paper[name].greyed, (where, name)
        if figure["note"]:
            assert figure["note"] in card.change_label.text(), (where, name)
            assert paper[name].cover_note == figure["note"], (where, name)
            if not change["compared"]:
                assert paper[name].previous_text() == figure["note"], (where, name)
    # the headline and the paper's sentences use the summary's verb for outbound clicks
    clicks = data["changes"]["outbound_clicks"]
    headline = board.headline_text(board.figures)
    if clicks["compared"]:
        assert f"Outbound clicks {clicks['word']}" in headline, where
        assert any(s.startswith(f"Outbound clicks {clicks['word']}") or s.startswith("Outbound clicks:")
                   for s in report.sentences), where
    else:
        assert "Outbound clicks rose" not in headline and "Outbound clicks fell" not in headline, where
        assert not any(s.startswith(("Outbound clicks rose", "Outbound clicks fell", "Outbound clicks held"))
                       for s in report.sentences), where
    if not any(c["compared"] for c in data["changes"].values()):
        assert "compared with" not in " ".join(flat.split("What changed")[0:1]), where  # nothing claimed


@pytest.fixture
def board(qtbot):
    from pinviewer.gui.dashboard import Dashboard

    widget = Dashboard()
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    return widget


# The random periods in halves: two tests each, which the test run can share between its workers.
HALVES = (0, 1)


def half(cases: list, which: int) -> list:
    return cases[which::len(HALVES)]


@pytest.mark.parametrize("which", HALVES)
def test_sample_blog_says_the_same_everywhere(board, tmp_path, capsys, which):
    import json

    from pinviewer.cli import main
    from pinviewer.core.demo import open_demo_store

    store, profile = open_demo_store()
    with store:
        ds = store.load(profile)
        cases = random_periods(ds, PERIODS, seed=18)
        for period, compare in half(cases, which):
            check(board, ds, period, compare, tmp_path)
    # and the command line prints that same JSON
    period, compare = cases[0]
    assert main(["summary", "--demo", "--json", "--from", period.start.isoformat(), "--to", period.end.isoformat(),
                 "--compare", compare]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["figures"]["outbound_clicks"]["value"] == \
        period_summary.summarise(ds, period, compare).value("outbound_clicks")


@pytest.mark.parametrize("which", HALVES)
def test_real_layout_history_says_the_same_everywhere(board, store, tmp_path, which):
    ds = real_layout_history(store)
    for period, compare in half(random_periods(ds, PERIODS, seed=14), which):
        check(board, ds, period, compare, tmp_path)
