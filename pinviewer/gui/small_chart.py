"""A small, still chart for the Insights page (pyqtgraph) that a reader can read on its own.

Every ``SmallChart`` has a title, a label on each axis, a legend naming what each colour and line style means, and
names on hover: the builder registers what sits where (``hover_bands``: a bar's row or column; ``hover_points``: a
dot; ``hover_days``: a line's days) with the text to show, and moving the mouse puts the nearest item's text in the
tooltip (set on the view box, as pyqtgraph's own hoverable scatter does, so Qt's tooltip timing applies; and again
where the mouse rests, when Qt asks for the tooltip, as pyqtgraph drops mouse moves that come too fast). The view
never pans or zooms; ``on_row_click`` opens a horizontal bar's item.
"""
from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF

from pinviewer.gui import style
from pinviewer.gui.charts import CountAxis

CHART_SIZE = QSize(380, 250)
POINT_REACH = 12.0  # pixels: a dot this close to the mouse is the one named
ZERO_AT = math.log10(0.25)  # log scales: Pins with no clicks sit on this row, labelled 0

# legend samples: a glyph in the series' colour (shape and line style too, never colour alone)
BAR, LINE, DASHED, DOTTED, BAND, DOT, STAR, DOWN, UP = "■", "━━", "╺╸╺╸", "┄┄", "▒", "●", "★", "▼", "▲"


def tr(text: str) -> str:
    return QCoreApplication.translate("SmallChart", text)


class LogAxis(pg.AxisItem):
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


class SmallChart(pg.PlotWidget):
    """A small chart in the app's colours with a title, axis labels, a legend and names on hover."""

    def __init__(self, title: str, x_label: str, y_label: str, bottom=None, left=None):
        axes = {"left": left or CountAxis("left")}
        if bottom is not None:
            axes["bottom"] = bottom
        super().__init__(axisItems=axes)
        self.setFixedSize(CHART_SIZE)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAcceptDrops(False)
        self.legend_entries: list[str] = []  # plain text of each legend entry, in order
        self._bands: list[tuple[int, np.ndarray, np.ndarray, list[str]]] = []  # axis (0 x, 1 y), from, to, texts
        self._points: list[tuple[np.ndarray, np.ndarray, list[str]]] = []
        self._days: list[tuple[np.ndarray, list[str]]] = []
        plot = self.getPlotItem()
        plot.setMouseEnabled(False, False)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.layout.setContentsMargins(2, 2, 6, 2)
        t = style.current()
        self.setBackground(QColor(t.surface))
        font = QFont(self.font())
        self._small = max(7.0, font.pointSizeF() * 0.8)
        font.setPointSizeF(self._small)
        self.title = self._elided(title, bold=True)
        plot.setTitle(html.escape(self.title), color=t.text, size=f"{self._small + 1:g}pt", bold=True)
        plot.layout.setRowFixedHeight(0, 20)
        self.x_label, self.y_label = x_label, y_label
        for name, text in (("left", y_label), ("bottom", x_label)):
            axis = plot.getAxis(name)
            axis.setPen(pg.mkPen(t.border))
            axis.setTextPen(pg.mkPen(t.text_faint))
            axis.setTickFont(font)
            axis.setStyle(tickLength=0, tickTextOffset=4)
            axis.setLabel(html.escape(text), color=t.text_muted, **{"font-size": f"{self._small:g}pt"})
        self._legend = pg.LabelItem("", justify="left")
        plot.layout.addItem(self._legend, 4, 0, 1, 3)
        self.scene().sigMouseMoved.connect(self._mouse_moved)

    def _elided(self, text: str, bold: bool = False) -> str:
        font = QFont(self.font())
        font.setPointSizeF(self._small + 1)
        font.setBold(bold)
        room = CHART_SIZE.width() - 80  # the title sits over the plot, right of the left axis
        return QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, room)

    # ---------------------------------------------------------------- legend
    def set_legend(self, entries: Sequence[tuple[str, str, str]]) -> None:
        """``entries``: (glyph, colour, name) each; lines are broken so that the legend fits the chart's width."""
        t = style.current()
        font = QFont(self.font())
        font.setPointSizeF(self._small)
        metrics = QFontMetricsF(font)
        room = CHART_SIZE.width() - 12
        lines: list[list[str]] = [[]]
        width = 0.0
        for glyph, colour, name in entries:
            wide = metrics.horizontalAdvance(f"{glyph} {name}   ")
            if lines[-1] and width + wide > room:
                lines.append([])
                width = 0.0
            width += wide
            lines[-1].append(f"<span style='color:{colour}'>{glyph}</span>&nbsp;{html.escape(name)}")
        self.legend_entries = [name for _, _, name in entries]
        text = "<br>".join("&nbsp;&nbsp;&nbsp;".join(line) for line in lines)
        self._legend.setText(text, color=t.text_muted, size=f"{self._small:g}pt")
        self.getPlotItem().layout.setRowFixedHeight(4, metrics.height() * len(lines) + 6)

    # ---------------------------------------------------------------- hover
    def hover_bands(self, axis: str, starts, ends, texts: Sequence[str]) -> None:
        """Items that own a stretch of an axis ("x": columns, "y": rows): the mouse anywhere in it names it."""
        self._bands.append((0 if axis == "x" else 1, np.asarray(starts, float), np.asarray(ends, float), list(texts)))

    def hover_points(self, xs, ys, texts: Sequence[str]) -> None:
        """Dots (in the chart's own coordinates): the nearest within a few pixels is named."""
        self._points.append((np.asarray(xs, float), np.asarray(ys, float), list(texts)))

    def hover_days(self, xs, texts: Sequence[str]) -> None:
        """A line's x values: the one nearest the mouse is named (its day and value)."""
        self._days.append((np.asarray(xs, float), list(texts)))

    def text_at(self, scene_pos: QPointF) -> str:
        """What hovering at ``scene_pos`` names ("" outside the plot or away from every item)."""
        box = self.getPlotItem().getViewBox()
        if not box.sceneBoundingRect().contains(scene_pos):
            return ""
        best, reach = "", POINT_REACH
        for xs, ys, texts in self._points:
            for x, y, text in zip(xs, ys, texts):
                if np.isfinite(x) and np.isfinite(y):
                    at = box.mapViewToScene(QPointF(float(x), float(y)))
                    distance = math.hypot(at.x() - scene_pos.x(), at.y() - scene_pos.y())
                    if distance <= reach:
                        best, reach = text, distance
        if best:
            return best
        point = box.mapSceneToView(scene_pos)
        for axis, starts, ends, texts in self._bands:
            value = point.x() if axis == 0 else point.y()
            inside = np.flatnonzero((starts <= value) & (value < ends))
            if len(inside):
                return texts[int(inside[0])]
        rows = []
        for xs, texts in self._days:
            if len(xs):
                rows.append(texts[int(np.argmin(np.abs(xs - point.x())))])
        return "\n".join(r for r in rows if r)

    def hover_text(self) -> str:
        """The tooltip the chart shows now (what the last mouse move named)."""
        return self.getPlotItem().getViewBox().toolTip()

    def _mouse_moved(self, scene_pos) -> None:
        self.getPlotItem().getViewBox().setToolTip(self.text_at(scene_pos))

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:  # name what is under the mouse where it rests (pyqtgraph drops
            self._mouse_moved(self.mapToScene(event.pos()))  # mouse moves that come faster than 100 a second)
        return super().viewportEvent(event)

    def leaveEvent(self, event) -> None:
        self.getPlotItem().getViewBox().setToolTip("")
        super().leaveEvent(event)

    # ---------------------------------------------------------------- clicks
    def on_row_click(self, rows: int, keys: list, emit: Callable[[str], None]) -> None:
        """A click on a horizontal bar chart (row 0 drawn at the top) calls ``emit`` with the key of the row."""
        box = self.getPlotItem().getViewBox()

        def clicked(event):
            if not box.sceneBoundingRect().contains(event.scenePos()):
                return
            index = rows - 1 - int(round(box.mapSceneToView(event.scenePos()).y()))
            if 0 <= index < len(keys) and keys[index]:
                emit(str(keys[index]))

        self.scene().sigMouseClicked.connect(clicked)
