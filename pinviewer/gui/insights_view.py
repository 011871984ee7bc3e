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
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QToolButton, QVBoxLayout,
                               QWidget)

from pinviewer.gui import style
from pinviewer.gui.charts import DAY, CountAxis, DayAxis

CHART_SIZE = QSize(300, 150)
MAX_SENTENCES = 4  # per insight; the rest are in the JSON and the CLI
ZERO_AT = math.log10(0.25)  # log scales: Pins with no clicks sit on this row, labelled 0


def _parse_day_seconds(days: list[str]) -> np.ndarray:
    """ISO days -> seconds since the epoch at 00:00 UTC (what DayAxis expects)."""
    if not days:
        return np.zeros(0)
    return np.array(days, dtype="datetime64[D]").astype("int64").astype(float) * DAY


def _values(items) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in (items or [])], dtype=float)


def sentence_html(sentence: dict) -> str:
    """The sentence as rich text, each Pin or post it names made a link (pin:ID or post:URL)."""
    text = html.escape(sentence["text"], quote=False)
    for link in sentence.get("links", []):
        label = html.escape(link["label"], quote=False)
        href = html.escape(f"{link['kind']}:{link['id']}", quote=True)
        if label in text:
            text = text.replace(label, f'<a href="{href}">{label}</a>', 1)
    return text


class _Chart(pg.PlotWidget):
    """A small, still chart (no pan or zoom) in the app's colours."""

    def __init__(self, bottom=None, left=None):
        axes = {}
        if bottom is not None:
            axes["bottom"] = bottom
        axes["left"] = left or CountAxis("left")
        super().__init__(axisItems=axes)
        self.setFixedSize(CHART_SIZE)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAcceptDrops(False)
        plot = self.getPlotItem()
        plot.setMouseEnabled(False, False)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.layout.setContentsMargins(2, 4, 4, 2)
        t = style.current()
        self.setBackground(QColor(t.surface))
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setPen(pg.mkPen(t.border))
            axis.setTextPen(pg.mkPen(t.text_faint))
            axis.setTickFont(font)
            axis.setStyle(tickLength=0, tickTextOffset=4)


class _LogAxis(pg.AxisItem):
    """Ticks of a log10 axis written as counts: 1, 10, 100, 1k."""

    def __init__(self, orientation):
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        out = []
        for v in values:
            if v < -0.1:  # where Pins with no clicks are drawn
                out.append("0")
                continue
            n = 10 ** v
            out.append(f"{n / 1e6:g}M" if n >= 1e6 else f"{n / 1e3:g}k" if n >= 1e3 else f"{n:g}")
        return out

    def tickValues(self, minVal, maxVal, size):
        if not (math.isfinite(minVal) and math.isfinite(maxVal)):
            return []
        ticks = [float(v) for v in range(max(0, math.floor(minVal)), math.ceil(maxVal) + 1) if minVal <= v <= maxVal]
        if minVal <= ZERO_AT <= maxVal:
            ticks.insert(0, ZERO_AT)
        return [(1.0, ticks)]


def _open_row_on_click(chart: pg.PlotWidget, rows: int, keys: list, emit) -> None:
    """A click on a horizontal bar chart (row 0 drawn at the top) calls ``emit`` with the key of the row clicked."""
    def clicked(event):
        point = chart.getPlotItem().vb.mapSceneToView(event.scenePos())
        index = rows - 1 - int(round(point.y()))
        if 0 <= index < len(keys) and keys[index]:
            emit(str(keys[index]))

    chart.scene().sigMouseClicked.connect(clicked)


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
        self.charts: dict[str, list[pg.PlotWidget]] = {}
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

    def _charts_for(self, key: str, insight: dict) -> list[pg.PlotWidget]:
        build = {"anomalies": self._daily_charts, "goals": self._goal_chart, "conversions": self._post_chart,
                 "impressions": self._scatter_chart, "concentration": self._share_chart, "age": self._age_chart,
                 "seasons": self._season_chart, "boards": self._board_chart}
        try:
            charts = build[key](insight) if key in build else []
        except (KeyError, TypeError, ValueError):  # a chart with odd data is left out, the sentences stay
            import logging

            logging.getLogger(__name__).exception("Insight chart %s could not be drawn", key)
            return []
        return [c for c in charts if c is not None]

    # ---------------------------------------------------------------- charts
    def _daily_charts(self, insight: dict) -> list[pg.PlotWidget]:
        out: list[pg.PlotWidget] = []
        for metric, colour in (("outbound_clicks", style.OUTBOUND), ("saves", style.SAVES)):
            data = insight.get("charts", {}).get(metric)
            if not data or not data["dates"]:
                continue
            if metric == "saves" and not data["alerts"] and out:
                continue  # a quiet saves chart adds nothing next to the clicks chart
            chart = _Chart(bottom=DayAxis())
            x = _parse_day_seconds(data["dates"])
            low, high = _values(data["low"]), _values(data["high"])
            band_ok = np.isfinite(low) & np.isfinite(high)
            if band_ok.any():
                band = QColor(style.VISITS)
                band.setAlphaF(0.18)
                lower = pg.PlotCurveItem(x[band_ok], low[band_ok], pen=pg.mkPen(None))
                upper = pg.PlotCurveItem(x[band_ok], high[band_ok], pen=pg.mkPen(None))
                chart.addItem(pg.FillBetweenItem(lower, upper, brush=pg.mkBrush(band)))
            chart.plot(x, _values(data["expected"]), pen=pg.mkPen(style.current().text_faint, width=1,
                                                                    style=Qt.PenStyle.DashLine), connect="finite")
            values = _values(data["values"])
            chart.plot(x, values, pen=pg.mkPen(colour, width=1.6), connect="finite")
            for alert in data["alerts"]:
                days = _parse_day_seconds([alert["start"], alert["end"]])
                inside = (x >= days[0]) & (x <= days[1]) & np.isfinite(values)
                symbol = "t" if alert["direction"] == "drop" else "t1"  # down or up triangle, not colour alone
                chart.plot(x[inside], values[inside], pen=None, symbol=symbol, symbolSize=9,
                           symbolBrush=pg.mkBrush(colour), symbolPen=pg.mkPen(style.current().text, width=1))
            provisional = np.asarray(data.get("provisional") or [], dtype=bool)
            if provisional.any():  # days Pinterest is still counting: shaded, as on the Overview
                first = x[np.flatnonzero(provisional)[0]]
                region = pg.LinearRegionItem((first - DAY / 2, x[-1] + DAY / 2), movable=False,
                                             brush=pg.mkBrush(style.current().provisional), pen=pg.mkPen(None))
                region.setZValue(-20)
                region.setToolTip(self.tr("Pinterest is still counting these days."))
                chart.addItem(region)
            for marker in data.get("markers", []):
                line = pg.InfiniteLine(_parse_day_seconds([marker["date"]])[0], angle=90,
                                       pen=pg.mkPen(style.current().text_muted, style=Qt.PenStyle.DotLine))
                line.setToolTip(marker["what"])
                chart.addItem(line)
            top = np.nanmax(np.r_[values, _values(data["expected"]), 1.0])
            chart.getPlotItem().setXRange(x[0], x[-1], padding=0.01)
            chart.getPlotItem().setYRange(0, top * 1.15, padding=0)
            chart.setToolTip(self.tr("{name} per day (line), what is usual for each weekday (dashed) and the usual "
                                     "range (shaded). Triangles mark drops and jumps.").format(
                name=self.tr("Outbound clicks") if metric == "outbound_clicks" else self.tr("Saves")))
            out.append(chart)
        return out

    def _goal_chart(self, insight: dict) -> list[pg.PlotWidget]:
        results = [r for r in insight.get("chart", {}).get("results", [])
                   if r.get("goal") and np.isfinite(_values(r.get("cumulative"))).any()]
        if not results:
            return []
        chart = _Chart()
        chart.getPlotItem().getAxis("left").setLabel("% of goal")
        chart.addItem(pg.InfiniteLine(100, angle=0, pen=pg.mkPen(style.current().text_muted, width=1)))
        for r in results:
            colour = style.METRIC_COLOURS.get(r["metric"], style.current().text)
            cumulative = _values(r.get("cumulative"))
            days = np.arange(1, len(cumulative) + 1, dtype=float)
            if len(cumulative):
                chart.plot(days, cumulative / r["goal"] * 100, pen=pg.mkPen(colour, width=2), connect="finite")
            if r.get("projected") is not None and r.get("so_far") is not None and len(cumulative):
                last = np.flatnonzero(np.isfinite(cumulative))
                start = float(last[-1] + 1) if len(last) else 0.0
                chart.plot([start, float(len(cumulative))], [r["so_far"] / r["goal"] * 100,
                                                             r["projected"] / r["goal"] * 100],
                           pen=pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine))
        chart.setToolTip(self.tr("Each goal's running total this month, as a share of the goal (100% is the goal); "
                                 "dashed: where your recent pace takes it."))
        return [chart]

    def _post_chart(self, insight: dict) -> list[pg.PlotWidget]:
        data = insight.get("chart") or {}
        labels = data.get("labels") or []
        if not labels:
            return []
        chart = _Chart()
        n = len(labels)
        y = np.arange(n)[::-1].astype(float)
        series = [("outbound_clicks", style.OUTBOUND), ("sessions", style.VISITS), ("key_events", style.CONVERSIONS)]
        height = 0.26
        for i, (name, colour) in enumerate(series):
            values = np.nan_to_num(_values(data["series"].get(name)))
            bars = pg.BarGraphItem(x0=np.zeros(n), y=y + (1 - i) * height, height=height, width=values,
                                   brush=pg.mkBrush(colour), pen=pg.mkPen(None))
            chart.addItem(bars)
        chart.getPlotItem().getAxis("left").setTicks([[(float(v), "") for v in y]])
        _open_row_on_click(chart, n, data.get("keys") or [], self.post_activated.emit)
        chart.setToolTip(self.tr("Top posts, top to bottom: outbound clicks (blue), Pinterest visits (sky) and "
                                 "conversions (green). Click a post to open it.") + "\n" + "\n".join(labels))
        return [chart]

    def _scatter_chart(self, insight: dict) -> list[pg.PlotWidget]:
        data = insight.get("chart") or {}
        if not data.get("pin_ids"):
            return []
        chart = _Chart(bottom=_LogAxis("bottom"), left=_LogAxis("left"))
        imp = np.log10(np.maximum(_values(data["impressions"]), 1))
        clicks = _values(data["outbound_clicks"])
        clicks = np.where(clicks > 0, np.log10(np.maximum(clicks, 1)), ZERO_AT)  # no clicks: on the 0 row
        groups = np.array(data["group"], dtype=object)
        ids = np.array(data["pin_ids"], dtype=object)
        t = style.current()
        faint = QColor(t.impressions)
        faint.setAlphaF(0.5)
        kinds = (("", "o", 4, faint), ("gem", "star", 11, QColor(style.CONVERSIONS)),
                 ("seen_not_clicked", "t", 9, QColor(style.SAVES)))
        for group, symbol, size, colour in kinds:
            mask = groups == group
            if not mask.any():
                continue
            item = pg.PlotDataItem(imp[mask], clicks[mask], pen=None, symbol=symbol, symbolSize=size,
                                   symbolBrush=pg.mkBrush(colour), symbolPen=None, data=list(ids[mask]))
            item.sigPointsClicked.connect(self._point_clicked)
            chart.addItem(item)
        rate = data.get("typical_rate")
        if rate and np.isfinite(imp).any():
            xs = np.array([imp.min(), imp.max()])
            chart.plot(xs, xs + math.log10(rate), pen=pg.mkPen(t.text_faint, style=Qt.PenStyle.DashLine))
        chart.setToolTip(self.tr("Each Pin: impressions (across) against outbound clicks (up), both on log scales. "
                                 "Dashed: your usual click rate. Stars: seen little, clicked a lot; triangles: "
                                 "seen a lot, clicked little. Click a Pin to open it."))
        return [chart]

    def _point_clicked(self, _item, points, _event=None) -> None:
        if len(points):
            self.pin_activated.emit(str(points[0].data()))

    def _share_chart(self, insight: dict) -> list[pg.PlotWidget]:
        data = insight.get("chart") or {}
        values = _values(data.get("values"))
        if not len(values):
            return []
        chart = _Chart()
        n = len(values)
        y = np.arange(n)[::-1].astype(float)
        brushes = [pg.mkBrush(style.OUTBOUND)] * (n - 1) + [pg.mkBrush(style.current().impressions)]
        chart.addItem(pg.BarGraphItem(x0=np.zeros(n), y=y, height=0.7, width=values * 100, brushes=brushes,
                                      pen=pg.mkPen(None)))
        chart.getPlotItem().getAxis("left").setTicks([[(float(v), "") for v in y]])
        _open_row_on_click(chart, n, data.get("keys") or [], self.pin_activated.emit)
        chart.setToolTip(self.tr("Share of outbound clicks (%), top 5 Pins and all others. Click a Pin to open it.")
                         + "\n" + "\n".join(data.get("labels") or []))
        return [chart]

    def _age_chart(self, insight: dict) -> list[pg.PlotWidget]:
        data = insight.get("chart") or {}
        clicks = _values(data.get("clicks_share"))
        if not len(clicks):
            return []
        pins = _values(data.get("pins_share"))
        chart = _Chart()
        x = np.arange(len(clicks), dtype=float)
        chart.addItem(pg.BarGraphItem(x=x - 0.18, height=clicks * 100, width=0.34, brush=pg.mkBrush(style.OUTBOUND),
                                      pen=pg.mkPen(None)))
        chart.addItem(pg.BarGraphItem(x=x + 0.18, height=pins * 100, width=0.34,
                                      brush=pg.mkBrush(style.current().impressions), pen=pg.mkPen(None)))
        labels = data.get("labels") or []
        short = [label.replace(" months", "m").replace(" years", "y").replace("under a month", "<1m")
                 .replace("over 2y", ">2y") for label in labels]
        chart.getPlotItem().getAxis("bottom").setTicks([[(float(i), s) for i, s in enumerate(short)]])
        chart.setToolTip(self.tr("By Pin age: share of outbound clicks (blue) against share of Pins (grey)."))
        return [chart]

    def _season_chart(self, insight: dict) -> list[pg.PlotWidget]:
        """The first season's figure a month (each download's range), last year's rise, and the day to pin by."""
        data = insight.get("chart") or {}
        starts = data.get("starts") or []
        if not starts:
            return []
        chart = _Chart(bottom=DayAxis())
        colour = style.OUTBOUND if data.get("metric") == "outbound_clicks" else style.SAVES
        x0, x1 = _parse_day_seconds(starts), _parse_day_seconds(data.get("ends") or starts) + DAY
        known = _values(data.get("known")) * 30
        at_most = _values(data.get("at_most")) * 30
        shown = np.isfinite(known)
        if shown.any():
            chart.addItem(pg.BarGraphItem(x0=x0[shown], x1=x1[shown], y0=np.zeros(int(shown.sum())),
                                          y1=known[shown], brush=pg.mkBrush(colour), pen=pg.mkPen(None)))
        bounded = ~shown & np.isfinite(at_most)  # missing from the top list: drawn as "at most", never as 0
        if bounded.any():
            faint = QColor(colour)
            faint.setAlphaF(0.25)
            chart.addItem(pg.BarGraphItem(x0=x0[bounded], x1=x1[bounded], y0=np.zeros(int(bounded.sum())),
                                          y1=at_most[bounded], brush=pg.mkBrush(faint),
                                          pen=pg.mkPen(colour, width=1, style=Qt.PenStyle.DotLine)))
        if data.get("usual") is not None:
            chart.addItem(pg.InfiniteLine(float(data["usual"]) * 30, angle=0,
                                          pen=pg.mkPen(style.current().text_faint, style=Qt.PenStyle.DashLine)))
        marks = [("last_start", self.tr("Rise started last year"), Qt.PenStyle.DotLine),
                 ("pin_by", self.tr("Pin fresh Pins by"), Qt.PenStyle.SolidLine),
                 ("next_start", self.tr("The rise, this year"), Qt.PenStyle.DotLine)]
        right = x1[-1]
        for key, tip, pen_style in marks:
            if data.get(key):
                at = _parse_day_seconds([data[key]])[0]
                right = max(right, at)
                line = pg.InfiniteLine(at, angle=90, pen=pg.mkPen(style.current().text_muted, width=1.4,
                                                                  style=pen_style))
                line.setToolTip(f"{tip}: {data[key]}")
                chart.addItem(line)
        chart.getPlotItem().setXRange(x0[0], right + 7 * DAY, padding=0.01)
        chart.setToolTip(self.tr("{name}: its figure a month (bars; pale bars: months it was missing from the top "
                                 "list, at most that high), its usual level (dashed), last year's rise, the day to "
                                 "pin by and this year's rise (lines).").format(name=data.get("label", "")))
        return [chart]

    def _board_chart(self, insight: dict) -> list[pg.PlotWidget]:
        """Each board's click and save rates as a share of the boards' average (100% is the average)."""
        data = insight.get("chart") or {}
        labels = data.get("labels") or []
        if not labels:
            return []
        chart = _Chart()
        n = len(labels)
        y = np.arange(n)[::-1].astype(float)
        for i, (name, average, colour) in enumerate((("click_rate", "average_click_rate", style.OUTBOUND),
                                                    ("save_rate", "average_save_rate", style.SAVES))):
            mean = data.get(average)
            values = _values(data.get(name)) / mean * 100 if mean else np.full(n, np.nan)
            chart.addItem(pg.BarGraphItem(x0=np.zeros(n), y=y + (0.5 - i) * 0.36, height=0.36,
                                          width=np.nan_to_num(values), brush=pg.mkBrush(colour), pen=pg.mkPen(None)))
        chart.addItem(pg.InfiniteLine(100, angle=90, pen=pg.mkPen(style.current().text_muted, width=1)))
        chart.getPlotItem().getAxis("left").setTicks([[(float(v), "") for v in y]])
        chart.getPlotItem().getAxis("bottom").setLabel("% of average")
        _open_row_on_click(chart, n, data.get("keys") or [], self._board_clicked)
        chart.setToolTip(self.tr("Boards by impressions, top to bottom: outbound clicks (blue) and saves (orange) per "
                                 "impression, as a share of your boards' average (the line at 100%). Click a board "
                                 "to open it.") + "\n" + "\n".join(labels))
        return [chart]

    def _board_clicked(self, key: str) -> None:
        self.board_activated.emit(self._board_urls.get(key) or self._board_url(key) or key)

    def _board_url(self, key: str) -> str | None:
        for board in ((self.data or {}).get("insights", {}).get("boards", {}) or {}).get("boards", []):
            if board.get("board") == key:
                return board.get("link")
        return None
