"""The paper never clips a figure: large numbers are written compactly or in a smaller size, titles and labels
wrap, and nothing claims a comparison the data cannot make (issue 14, point 2).

Every piece of text the page draws is recorded with its box and font, and checked with the font's metrics: a line
that does not wrap fits its box, a wrapping one has no word wider than its box, and no figure, label or title
carries an ellipsis. (Pin titles and post addresses in the tables are shortened on purpose; they are left out.)
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess

import pandas as pd
import pytest

from conftest import load_history
from pinviewer.core import report as rep
from pinviewer.core.analysis import Period
from pinviewer.core.formats.model import ImportBatch

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
ELLIPSIS = "\u2026"


@pytest.fixture
def drawn(monkeypatch):
    """Every text the summary page draws: (text, box width in device units, font, flags, metrics)."""
    from pinviewer.render.canvas import Canvas
    from pinviewer.render.look import LEFT, TOP

    seen = []
    original = Canvas.text

    def text(self, x, y, w, h, value, font, colour, flags=LEFT | TOP):
        if value and not self.dry:
            seen.append((str(value), w * self.u, font, flags, self.fm(font)))
        return original(self, x, y, w, h, value, font, colour, flags)

    monkeypatch.setattr(Canvas, "text", text)
    return seen


def _check_nothing_elided(seen, skip: set[str]) -> None:
    from pinviewer.render.look import WRAP

    assert seen
    for value, width, _font, flags, metrics in seen:
        if value in skip or (value.endswith(ELLIPSIS) and any(t.startswith(value[:-1].rstrip()) for t in skip)):
            continue  # a Pin title or post address in a table
        assert ELLIPSIS not in value, value
        if flags & WRAP:
            for word in value.split():
                assert metrics.horizontalAdvance(word) <= width + 0.5, (word, value)
        else:
            for line in value.split("\n"):
                assert metrics.horizontalAdvance(line) <= width + 0.5, value


def _table_texts(report) -> set[str]:
    """What the page shortens on purpose: Pin titles and post addresses in the tables (elided, full in the
    Pin list pages), and the axis labels."""
    out = set()
    for pin in report.all_pins:
        out.add(pin["title"])
    for post in report.top_posts:
        out.add(post["label"])
    return out


def huge_history(store):
    """Nine-digit figures: 60 days of 3 million outbound clicks and 9 million saves a day."""
    first = dt.date(2025, 1, 1)
    days = [first + dt.timedelta(days=i) for i in range(60)]
    daily = pd.DataFrame({"entity_type": "account", "entity_id": "", "date": days,
                          "impressions": 987_654_321.0, "outbound_clicks": 3_123_457.0, "saves": 9_876_543.0,
                          "pin_clicks": 12_345_678.0, "engagements": 45_678_912.0})
    site = pd.DataFrame({"entity_type": "source", "entity_id": ["pinterest.com / referral"], "start": days[30],
                         "end": days[59], "sessions": [123_456_789.0], "key_events": [98_765_432.0],
                         "revenue": [987_654_321.5]})
    return load_history(store, ImportBatch("pinterest_overview", "Pinterest account overview", daily=daily),
                        ImportBatch("ga4_traffic", "Google Analytics traffic acquisition", periods=site))


def test_nine_digit_figures_and_long_labels_are_never_elided(store, tmp_path, drawn, qapp):
    from pinviewer.render.pdf import write_pdf

    ds = huge_history(store)
    report = rep.build_report(ds, Period(dt.date(2025, 1, 31), dt.date(2025, 3, 1)), made_on=dt.date(2025, 3, 2))
    long_cards = [dataclasses.replace(card, label=card.label + " from every Pin on every board you have",
                                      note=card.note + " (counted by Pinterest and Google Analytics)")
                  for card in report.cards]
    report = dataclasses.replace(report, cards=long_cards,
                                 profile="A very long blog name that goes on and on about lemons and linen")
    assert report.cards[0].value >= 90_000_000  # nine digits
    out = write_pdf(report, tmp_path / "huge.pdf")
    _check_nothing_elided(drawn, _table_texts(report))
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.split())
    assert "about lemons and linen" in text  # the long title wrapped, whole
    assert "every board you have" in text
    for card in report.cards:  # each figure whole: exact, or compact where the card is too narrow for it
        assert card.value_text() in text or card.value_text(compact=True) in text, card.value_text()


def test_all_time_sample_pdf_elides_nothing_and_claims_no_comparison(tmp_path, drawn, qapp):
    from pinviewer.core import analysis
    from pinviewer.core.demo import open_demo_store
    from pinviewer.render.pdf import write_pdf

    store, profile = open_demo_store()
    with store:
        ds = store.load(profile)
        report = rep.build_report(ds, analysis.data_range(ds), made_on=dt.date(2026, 12, 1))
    out = write_pdf(report, tmp_path / "all.pdf")
    _check_nothing_elided(drawn, _table_texts(report))
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.split())
    for card in report.cards:  # each figure whole (the all-time saves once read "103,5…")
        assert card.value_text() in text or card.value_text(compact=True) in text, card.value_text()
        assert card.value_text()[:5] + ELLIPSIS not in text
    assert "Outbound click rate" in text
    assert "compared with" not in text.split("What changed")[0]  # no card could be compared: none is claimed
    assert report.compared_text() == ""
