"""The daily chart (pyqtgraph): outbound clicks and saves with their 7-day averages, impressions muted.

* x is seconds since the epoch at the start of each (UTC) day: ``index.as_unit("s")`` (pandas 3 keeps
  microseconds, docs/ARCHITECTURE.md, measured pitfalls).
* Days without data are NaN and drawn as gaps (``connect="finite"``), never as zeros.
* Days Pinterest is still counting are shaded and named.
* Impressions sit on their own right-hand axis, dashed and grey, and can be hidden.
* Hovering shows the day and its exact figures; the view does not pan or zoom (nothing to get lost in).
"""
from __future__ import annotations

import datetime as dt
from typing import cast

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QLabel

from pinviewer.gui import formatting as fmt
from pinviewer.gui import style

DAY = 86400
_EPOCH = dt.date(1970, 1, 1)
pg.setConfigOptions(antialias=True, background=None, foreground="k")


def _date(seconds: float) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(seconds // DAY))


def _seconds(day: dt.date) -> float:
    return float((day - _EPOCH).days * DAY)


class DayAxis(pg.AxisItem):
    """Calendar ticks: days, weeks, months or years, whatever fits, labelled in the user's locale."""

    def __init__(self, **kwargs):
        super().__init__("bottom", **kwargs)
        self._unit = "day"
        self.enableAutoSIPrefix(False)

    def tickValues(self, minVal, maxVal, size):
        if not np.isfinite(minVal) or not np.isfinite(maxVal) or maxVal <= minVal:
            return []
        days = (maxVal - minVal) / DAY
        room = max(2, int(size / 78))
        first, last = _date(minVal), _date(maxVal)
        for step in (1, 2, 7, 14):
            if days / step <= room:
                self._unit = "day"
                start = first if step < 7 else first + dt.timedelta(days=(7 - first.weekday()) % 7)
                ticks = [_seconds(start + dt.timedelta(days=i)) for i in range(0, int(days) + 1, step)]
                return [(step * DAY, [t for t in ticks if minVal <= t <= maxVal])]
        for months in (1, 2, 3, 6):
            if days / (30.4 * months) <= room:
                self._unit = "month"
                ticks, y, m = [], first.year, first.month
                while True:
                    m += 1
                    if m > 12:
                        y, m = y + 1, 1
                    day = dt.date(y, m, 1)
                    if day > last:
                        break
                    if (m - 1) % months == 0:
                        ticks.append(_seconds(day))
                return [(months * 30 * DAY, ticks)]
        self._unit = "year"
        years = max(1, int(np.ceil(days / 365.25 / room)))
        return [(365 * DAY, [_seconds(dt.date(y, 1, 1)) for y in range(first.year + 1, last.year + 1)
                             if y % years == 0])]

    def tickStrings(self, values, scale, spacing):
        out = []
        for value in values:
            day = _date(value)
            if self._unit == "day":
                out.append(fmt.day(day, with_year=False))
            elif self._unit == "month":
                text = fmt.locale().toString(fmt.qdate(day), "MMM")
                out.append(f"{text} {day.year}" if day.month == 1 or len(values) <= 4 else text)
            else:
                out.append(str(day.year))
        return out


class CountAxis(pg.AxisItem):
    """Counts in the locale's digits, all ticks of an axis in the same unit (0, 5k, 10k; not 5,000, 10k)."""

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        top = max((abs(v) for v in values), default=0)
        return [fmt.axis_count(v, top) for v in values]


class DailyChart(pg.PlotWidget):
    """Daily outbound clicks and saves, their 7-day averages, and impressions as context."""

    hovered = Signal(str)  # the read-out text ("" when the mouse leaves)

    def __init__(self, parent=None):
        self._days = DayAxis()
        self._left = CountAxis("left")
        super().__init__(parent, axisItems={"bottom": self._days, "left": self._left})
        self.setAcceptDrops(False)  # a dropped file goes to the window, not to the chart
        self.setMinimumHeight(170)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        plot = self.getPlotItem()
        plot.setMouseEnabled(False, False)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.getViewBox().setDefaultPadding(0.02)
        plot.layout.setContentsMargins(4, 8, 4, 4)

        # impressions: a second view box on the right, behind the counts
        self._right = CountAxis("right")
        plot.layout.addItem(self._right, 2, 3)
        self._imp_box = pg.ViewBox(enableMouse=False, enableMenu=False)
        self._imp_box.setZValue(-10)
        plot.scene().addItem(self._imp_box)
        self._right.linkToView(self._imp_box)
        self._imp_box.setXLink(plot.getViewBox())
        plot.getViewBox().sigResized.connect(self._sync_boxes)

        self._provisional: list[pg.LinearRegionItem] = []
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._impressions = pg.PlotDataItem(connect="finite")
        self._impressions.setDownsampling(auto=True, method="mean")
        self._imp_box.addItem(self._impressions)
        for name in ("outbound_clicks", "saves"):
            self._curves[name] = pg.PlotDataItem(connect="finite")
            self._curves[name + "_avg7"] = pg.PlotDataItem(connect="finite")
            # years of days: draw about one point per pixel, keeping each day's peaks (spikes stay visible)
            self._curves[name].setDownsampling(auto=True, method="peak")
            self._curves[name + "_avg7"].setDownsampling(auto=True, method="mean")
            plot.addItem(self._curves[name])
            plot.addItem(self._curves[name + "_avg7"])
        self._cursor = pg.InfiniteLine(angle=90, movable=False)
        self._cursor.setVisible(False)
        plot.addItem(self._cursor, ignoreBounds=True)
        self._readout = QLabel(self)
        self._readout.setObjectName("chartReadout")
        self._readout.setVisible(False)
        self._readout.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._x = np.zeros(0)
        self._frame: pd.DataFrame | None = None
        self._show_impressions = True
        self._has_impressions = False  # a period without impressions draws no scale for them
        self.scene().sigMouseMoved.connect(self._mouse_moved)
        self.apply_theme()

    def sizeHint(self):
        from PySide6.QtCore import QSize

        return QSize(640, 200)

    # ---------------------------------------------------------------- look
    def apply_theme(self) -> None:
        t = style.current()
        self.setBackground(QColor(t.surface))
        font = QFont(self.font())
        font.setPointSizeF(max(7.5, font.pointSizeF() * 0.85))
        for axis, colour in ((self._days, t.text_faint), (self._left, t.text_faint), (self._right, t.impressions)):
            axis.setPen(pg.mkPen(t.border))
            axis.setTextPen(pg.mkPen(colour))
            axis.setTickFont(font)
            axis.setStyle(tickLength=0, tickTextOffset=6)
        self._left.setGrid(40)
        self._right.setWidth(48)
        self._left.setWidth(44)
        for name, colour in (("outbound_clicks", style.OUTBOUND), ("saves", style.SAVES)):
            faint = QColor(colour)
            faint.setAlphaF(0.35)
            self._curves[name].setPen(pg.mkPen(faint, width=1))
            self._curves[name + "_avg7"].setPen(pg.mkPen(colour, width=2.6))
        self._impressions.setPen(pg.mkPen(t.impressions, width=1.5, style=Qt.PenStyle.DashLine))
        self._cursor.setPen(pg.mkPen(t.text_faint, width=1, style=Qt.PenStyle.DotLine))
        self._readout.setStyleSheet(
            f"QLabel#chartReadout {{ background: {t.surface}; color: {t.text}; border: 1px solid {t.border};"
            f" border-radius: 6px; padding: 6px 8px; }}")
        for region in self._provisional:
            region.setBrush(pg.mkBrush(t.provisional))
        self._show_right_axis()
        self.update()

    def _sync_boxes(self) -> None:
        main = self.getPlotItem().getViewBox()
        self._imp_box.setGeometry(main.sceneBoundingRect())
        self._imp_box.linkedViewChanged(main, self._imp_box.XAxis)

    # ---------------------------------------------------------------- data
    def set_series(self, frame: pd.DataFrame) -> None:
        """``frame``: analysis.daily_series output (DatetimeIndex, one row per day)."""
        self._frame = frame
        x = cast(pd.DatetimeIndex, frame.index).as_unit("s").asi8.astype(float) if len(frame) else np.zeros(0)
        self._x = x
        top = 0.0
        for name in ("outbound_clicks", "saves"):
            for key in (name, name + "_avg7"):
                y = frame[key].to_numpy(float) if key in frame else np.full(len(x), np.nan)
                self._curves[key].setData(x, y, connect="finite")
                if np.isfinite(y).any():
                    top = max(top, float(np.nanmax(y)))
        imp = frame["impressions_avg7"].to_numpy(float) if "impressions_avg7" in frame else np.full(len(x), np.nan)
        raw_imp = frame["impressions"].to_numpy(float) if "impressions" in frame else imp
        if not np.isfinite(imp).any():
            imp = raw_imp
        self._impressions.setData(x, imp, connect="finite")
        plot = self.getPlotItem()
        if len(x):
            right = x[-1] + DAY * 0.999 if len(x) == 1 else x[-1]
            plot.setXRange(x[0], right, padding=0.01)
        plot.setYRange(0, top * 1.08 if top > 0 else 1, padding=0)
        imp_top = float(np.nanmax(imp)) if np.isfinite(imp).any() else 1.0
        self._imp_box.setYRange(0, imp_top * 1.15, padding=0)
        self._has_impressions = bool(np.isfinite(imp).any())
        self._show_right_axis()
        self._set_provisional(frame, x)
        self._sync_boxes()

    def _set_provisional(self, frame: pd.DataFrame, x: np.ndarray) -> None:
        for region in self._provisional:
            self.getPlotItem().removeItem(region)
        self._provisional = []
        if "provisional" not in frame or not len(x):
            return
        flags = frame["provisional"].to_numpy(bool)
        edges = np.flatnonzero(np.diff(np.concatenate([[0], flags.astype(int), [0]])))
        for start, stop in zip(edges[::2], edges[1::2]):
            region = pg.LinearRegionItem((x[start] - DAY / 2, x[stop - 1] + DAY / 2), movable=False,
                                         brush=pg.mkBrush(style.current().provisional),
                                         pen=pg.mkPen(None))
            region.setZValue(-20)
            region.setToolTip(self.tr("Pinterest is still counting these days: their figures may still grow."))
            # the text ends at the region's right edge and runs leftwards: a region of a day or two at the end of
            # the chart is narrower than the words, which were cut off when they started at its left edge
            label = pg.InfLineLabel(region.lines[1], self.tr("still being counted"), position=0.95,
                                    color=style.current().text_faint, anchors=[(1, 0), (1, 0)])
            label.setFont(QFont(self.font().family(), 8))
            self.getPlotItem().addItem(region)
            self._provisional.append(region)

    def show_impressions(self, visible: bool) -> None:
        self._show_impressions = visible
        self._impressions.setVisible(visible)
        self._show_right_axis()

    def _show_right_axis(self) -> None:
        """The impressions' scale, when they are shown and the period has some."""
        shown = self._show_impressions and self._has_impressions
        self._right.setStyle(showValues=shown)
        self._right.setPen(pg.mkPen(style.current().border if shown else style.current().surface))

    def impressions_visible(self) -> bool:
        return self._show_impressions

    def impressions_scale_shown(self) -> bool:
        return bool(self._right.style["showValues"])

    def provisional_regions(self) -> int:
        return len(self._provisional)

    def curve_data(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        if key == "impressions":
            return self._impressions.getData()
        return self._curves[key].getData()

    # ---------------------------------------------------------------- hover
    def readout_for(self, index: int) -> str:
        """The read-out for the i-th day of the series (what hovering shows)."""
        frame = self._frame
        assert frame is not None  # hovering reads the series set_series() gave
        day = frame.index[index].date()
        rows = [f"<b>{fmt.weekday_day(day)}</b>"]
        has_data = False
        for name, label, colour in (("outbound_clicks", self.tr("Outbound clicks"), style.OUTBOUND),
                                    ("saves", self.tr("Saves"), style.SAVES),
                                    ("impressions", self.tr("Impressions"), style.current().impressions)):
            if name == "impressions" and not self._show_impressions:
                continue
            value = frame[name].iloc[index] if name in frame else np.nan
            avg = frame[name + "_avg7"].iloc[index] if name + "_avg7" in frame else np.nan
            if np.isnan(value):
                continue
            has_data = True
            faint = style.current().text_faint
            average = f"{self.tr('7-day avg')} {fmt.count(avg)}"
            extra = "" if np.isnan(avg) else f" <span style='color:{faint}'>({average})</span>"
            rows.append(f"<span style='color:{colour}'>●</span> {label}: <b>{fmt.count(value)}</b>{extra}")
        if not has_data:
            rows.append(self.tr("No figures for this day"))
        elif "provisional" in frame and bool(frame["provisional"].iloc[index]):
            rows.append(f"<i>{self.tr('Still being counted')}</i>")
        return "<br>".join(rows)

    def _mouse_moved(self, pos) -> None:
        box = self.getPlotItem().getViewBox()
        if not len(self._x) or not box.sceneBoundingRect().contains(pos):
            self._hide_readout()
            return
        x = box.mapSceneToView(pos).x()
        index = int(np.clip(np.searchsorted(self._x, x - DAY / 2), 0, len(self._x) - 1))
        self._cursor.setPos(self._x[index])
        self._cursor.setVisible(True)
        text = self.readout_for(index)
        self._readout.setText(text)
        self._readout.adjustSize()
        point = self.mapFromScene(pos)
        left = point.x() + 14
        if left + self._readout.width() > self.width() - 4:
            left = point.x() - 14 - self._readout.width()
        self._readout.move(QPoint(int(max(4, left)), 8))
        self._readout.setVisible(True)
        self._readout.raise_()
        self.hovered.emit(text)

    def _hide_readout(self) -> None:
        if self._readout.isVisible():
            self._readout.setVisible(False)
            self._cursor.setVisible(False)
            self.hovered.emit("")

    def leaveEvent(self, event) -> None:
        self._hide_readout()
        super().leaveEvent(event)

