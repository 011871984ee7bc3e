"""The Insights tab: each insight's sentences in plain words, with a small chart beside them.

``InsightsView.set_data(ds, period, goals)`` computes ``core.insights.all_insights`` (up to ~0.3 s on a
very large history: the main window may instead compute it on its task pool and call ``set_insights``).
Pins and posts named in a sentence are links; clicking one, or a Pin's point or bar in a chart, emits
``pin_activated(pin_id)`` or ``post_activated(url)``; a board emits ``board_activated(url)`` (its page on
Pinterest, or its key when the export gave no link). ``goals_requested`` asks the window to open its goal
editor (the link under the goals card). Sentences are plain words; each card's "How sure is this?" toggle
shows the figures behind them (each sentence's ``how_sure``).
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QToolButton, QVBoxLayout,
                               QWidget)

from pinviewer.gui import insight_charts
from pinviewer.gui.small_chart import SmallChart

MAX_SENTENCES = 4  # per insight; the rest are in the JSON and the CLI


def sentence_html(sentence: dict) -> str:
    """The sentence as rich text, each Pin or post it names made a link (pin:ID or post:URL)."""
    text = html.escape(sentence["text"], quote=False)
    for link in sentence.get("links", []):
        label = html.escape(link["label"], quote=False)
        href = html.escape(f"{link['kind']}:{link['id']}", quote=True)
        if label in text:
            text = text.replace(label, f'<a href="{href}">{label}</a>', 1)
    return text


class InsightsView(QScrollArea):
    pin_activated = Signal(str)
    post_activated = Signal(str)
    board_activated = Signal(str)
    goals_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("pageScroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.data: dict | None = None
        self.charts: dict[str, list[SmallChart]] = {}
        self.sentence_labels: list[QLabel] = []
        self.how_sure: dict[str, tuple[QToolButton, QLabel]] = {}  # per insight: the toggle and what it shows
        self._board_urls: dict[str, str | None] = {}
        self._build_body()

    def _build_body(self) -> None:
        body = QWidget()
        body.setObjectName("pageBody")
        self.setWidget(body)
        body.show()  # a widget set on a scroll area that is already shown must be shown explicitly (Qt's docs)
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(16, 12, 16, 16)
        self._layout.setSpacing(12)
        self._empty = QLabel(self.tr("Import Pinterest exports to see what they say."))
        self._empty.setObjectName("muted")
        self._layout.addWidget(self._empty)
        self._layout.addStretch(1)

    # ---------------------------------------------------------------- data
    def set_data(self, ds, period, goals: dict | None = None) -> None:
        from pinviewer.core.insights import all_insights

        self.set_insights(None if ds is None or period is None else all_insights(ds, period, goals))

    def set_insights(self, data: dict | None) -> None:
        """Show precomputed ``all_insights`` output (None: the empty state)."""
        self.data = data
        self.charts = {}
        self.sentence_labels = []
        self.how_sure = {}
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self._build_body()
        if not data:
            return
        self._empty.hide()
        at = 0
        if data.get("headlines"):
            strip = QFrame()
            strip.setObjectName("headlineStrip")
            box = QVBoxLayout(strip)
            box.setContentsMargins(14, 8, 14, 8)
            for text in data["headlines"]:
                label = QLabel("• " + html.escape(text, quote=False))
                label.setObjectName("headline")
                label.setWordWrap(True)
                box.addWidget(label)
            self._layout.insertWidget(at, strip)
            strip.show()  # added to a page that may already be on screen
            at += 1
        for key, insight in data["insights"].items():
            card = self._card(key, insight)
            if card is not None:
                self._layout.insertWidget(at, card)
                card.show()
                at += 1

    # ---------------------------------------------------------------- cards
    def _card(self, key: str, insight: dict) -> QFrame | None:
        every = insight.get("sentences", [])
        chosen = sorted(range(len(every)), key=lambda i: -every[i]["score"])[:MAX_SENTENCES]
        sentences = [every[i] for i in sorted(chosen)]  # the most useful few, in the order they were written
        if not sentences:
            return None
        card = QFrame()
        card.setObjectName("card")
        row = QHBoxLayout(card)
        row.setContentsMargins(14, 10, 14, 10)
        row.setSpacing(16)
        column = QVBoxLayout()
        column.setSpacing(6)
        title = QLabel(self.tr(insight.get("title", key)))
        title.setObjectName("sectionTitle")
        column.addWidget(title)
        for sentence in sentences:
            for link in sentence.get("links", []):
                if link.get("kind") == "board":
                    self._board_urls[str(link["id"])] = link.get("url")
            label = QLabel(sentence_html(sentence))
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
            label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            label.linkActivated.connect(self._link)
            column.addWidget(label)
            self.sentence_labels.append(label)
        for note in insight.get("notes", []) or []:
            label = QLabel(html.escape(note, quote=False))
            label.setObjectName("sectionNote")
            label.setWordWrap(True)
            column.addWidget(label)
        figures = [s["how_sure"] for s in sentences if s.get("how_sure")]
        if figures:
            toggle = QToolButton()
            toggle.setObjectName("howSureToggle")
            toggle.setText(self.tr("How sure is this?"))
            toggle.setCheckable(True)
            toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            toggle.setArrowType(Qt.ArrowType.RightArrow)
            toggle.setAutoRaise(True)
            detail = QLabel("<br>".join(html.escape(f, quote=False) for f in figures))
            detail.setObjectName("sectionNote")
            detail.setWordWrap(True)
            detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            detail.setVisible(False)

            def shown(on: bool, toggle=toggle, detail=detail) -> None:
                detail.setVisible(on)
                toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)

            toggle.toggled.connect(shown)
            column.addWidget(toggle)
            column.addWidget(detail)
            self.how_sure[key] = (toggle, detail)
        if key == "goals":
            link = QLabel(f'<a href="goals:">{html.escape(self.tr("Set monthly goals…"))}</a>')
            link.linkActivated.connect(self._link)
            column.addWidget(link)
        column.addStretch(1)
        row.addLayout(column, 1)
        charts = self._charts_for(key, insight)
        if charts:
            side = QVBoxLayout()
            side.setSpacing(6)
            for chart in charts:
                side.addWidget(chart)
            side.addStretch(1)
            row.addLayout(side)
            self.charts[key] = charts
        return card

    def _link(self, href: str) -> None:
        kind, _, value = href.partition(":")
        if kind == "pin":
            self.pin_activated.emit(value)
        elif kind == "post":
            self.post_activated.emit(value)
        elif kind == "board":
            self.board_activated.emit(self._board_urls.get(value) or value)
        elif kind == "goals":
            self.goals_requested.emit()

    def _charts_for(self, key: str, insight: dict) -> list[SmallChart]:
        return insight_charts.charts_for(key, insight, insight_charts.Links(
            pin=self.pin_activated.emit, post=self.post_activated.emit, board=self._board_clicked))

    def _board_clicked(self, key: str) -> None:
        self.board_activated.emit(self._board_urls.get(key) or self._board_url(key) or key)

    def _board_url(self, key: str) -> str | None:
        for board in ((self.data or {}).get("insights", {}).get("boards", {}) or {}).get("boards", []):
            if board.get("board") == key:
                return board.get("link")
        return None
