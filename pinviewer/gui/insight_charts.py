"""The chart beside each insight on the Insights page, built from ``core.insights`` output.

``charts_for(key, insight, links)`` returns the insight's ``SmallChart``s (none when it has nothing to draw, or
when its data is odd: the sentences stay). Each chart says what it shows in its title, axis labels and legend, and
names the bar, dot or day under the mouse with its figures (``gui.formatting``). ``Links`` says what a click on a
Pin's dot or a post's, Pin's or board's bar opens.
"""
from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from pinviewer.core import wording
from pinviewer.gui import formatting as fmt
from pinviewer.gui import style
from pinviewer.gui.charts import DAY, DayAxis
from pinviewer.gui.small_chart import (BAND, BAR, DASHED, DOT, DOTTED, DOWN, LINE, STAR, UP, ZERO_AT, LogAxis,
                                       SmallChart, tr)

log = logging.getLogger(__name__)


@dataclass
class Links:
    """What a click on a chart opens: a Pin (its id), a post (its URL), a board (its key)."""

    pin: Callable[[str], None]
    post: Callable[[str], None]
    board: Callable[[str], None]


def _names() -> dict[str, str]:
    return {"outbound_clicks": tr("Outbound clicks"), "saves": tr("Saves"), "sessions": tr("Pinterest visits"),
            "key_events": tr("Conversions"), "impressions": tr("Impressions")}


def parse_day_seconds(days: list[str]) -> np.ndarray:
    """ISO days -> seconds since the epoch at 00:00 UTC (what DayAxis expects)."""
    if not days:
        return np.zeros(0)
    return np.array(days, dtype="datetime64[D]").astype("int64").astype(float) * DAY


def values(items) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in (items or [])], dtype=float)


def _day(iso: str) -> dt.date:
    return dt.date.fromisoformat(str(iso)[:10])


def _rows(n: int) -> np.ndarray:
    """The y of each row of a horizontal bar chart, the first row at the top."""
    return np.arange(n)[::-1].astype(float)


def _hover_rows(chart: SmallChart, y: np.ndarray, texts: list[str]) -> None:
    chart.hover_bands("y", y - 0.5, y + 0.5, texts)
    chart.getPlotItem().getAxis("left").setTicks([[(float(v), "") for v in y]])


def charts_for(key: str, insight: dict, links: Links) -> list[SmallChart]:
    build: dict[str, Callable[[dict, Links], list[SmallChart]]] = {
        "anomalies": daily_charts, "goals": goal_chart, "conversions": post_chart, "impressions": scatter_chart,
        "concentration": share_chart, "age": age_chart, "seasons": season_chart, "boards": board_chart}
    try:
        charts = build[key](insight, links) if key in build else []
    except (KeyError, TypeError, ValueError):  # a chart with odd data is left out, the sentences stay
        log.exception("Insight chart %s could not be drawn", key)
        return []
    return [c for c in charts if c is not None]


# -------------------------------------------------------------------- drops and jumps
def daily_charts(insight: dict, _links: Links) -> list[SmallChart]:
    out: list[SmallChart] = []
    for metric, colour in (("outbound_clicks", style.OUTBOUND), ("saves", style.SAVES)):
        data = insight.get("charts", {}).get(metric)
        if not data or not data["dates"]:
            continue
        if metric == "saves" and not data["alerts"] and out:
            continue  # a quiet saves chart adds nothing next to the clicks chart
        out.append(_daily_chart(metric, colour, data))
    return out


def _daily_chart(metric: str, colour: str, data: dict) -> SmallChart:
    t = style.current()
    name = _names()[metric]
    title = tr("Outbound clicks per day") if metric == "outbound_clicks" else tr("Saves per day")
    chart = SmallChart(title, tr("Day"), name, bottom=DayAxis())
    x = parse_day_seconds(data["dates"])
    low, high, expected, shown = values(data["low"]), values(data["high"]), values(data["expected"]), \
        values(data["values"])
    band = QColor(style.VISITS)
    band.setAlphaF(0.18)
    legend = [(LINE, colour, name), (DASHED, t.text_faint, tr("Usual for the weekday"))]
    band_ok = np.isfinite(low) & np.isfinite(high)
    if band_ok.any():
        lower = pg.PlotCurveItem(x[band_ok], low[band_ok], pen=pg.mkPen(None))
        upper = pg.PlotCurveItem(x[band_ok], high[band_ok], pen=pg.mkPen(None))
        chart.addItem(pg.FillBetweenItem(lower, upper, brush=pg.mkBrush(band)))
        legend.append((BAND, band.name(), tr("Usual range")))
    chart.plot(x, expected, pen=pg.mkPen(t.text_faint, width=1, style=Qt.PenStyle.DashLine), connect="finite")
    chart.plot(x, shown, pen=pg.mkPen(colour, width=1.6), connect="finite")
    flags = np.zeros(len(x), dtype=object)
    for alert in data["alerts"]:
        days = parse_day_seconds([alert["start"], alert["end"]])
        inside = (x >= days[0]) & (x <= days[1]) & np.isfinite(shown)
        drop = alert["direction"] == "drop"
        flags[inside] = "drop" if drop else "jump"
        chart.plot(x[inside], shown[inside], pen=None, symbol="t" if drop else "t1", symbolSize=9,  # not colour alone
                   symbolBrush=pg.mkBrush(colour), symbolPen=pg.mkPen(t.text, width=1))
    for flag, glyph, words in (("drop", DOWN, tr("Unusual drop")), ("jump", UP, tr("Unusual jump"))):
        if (flags == flag).any():
            legend.append((glyph, colour, words))
    provisional = np.asarray(data.get("provisional") or [], dtype=bool)
    if provisional.any():  # days Pinterest is still counting: shaded, as on the Overview
        first = x[np.flatnonzero(provisional)[0]]
        region = pg.LinearRegionItem((first - DAY / 2, x[-1] + DAY / 2), movable=False,
                                     brush=pg.mkBrush(t.provisional), pen=pg.mkPen(None))
        region.setZValue(-20)
        chart.addItem(region)
        legend.append((BAND, t.text_faint, tr("Still being counted")))
    for marker in data.get("markers", []):
        line = pg.InfiniteLine(parse_day_seconds([marker["date"]])[0], angle=90,
                               pen=pg.mkPen(t.text_muted, style=Qt.PenStyle.DotLine))
        line.setToolTip(marker["what"])
        chart.addItem(line)
    if data.get("markers"):
        legend.append((DOTTED, t.text_muted, tr("Pinterest changed how it counts")))
    chart.set_legend(legend)
    chart.hover_days(x, [_day_text(data["dates"][i], name, shown[i], expected[i], low[i], high[i], flags[i],
                                   bool(provisional[i]) if i < len(provisional) else False) for i in range(len(x))])
    top = np.nanmax(np.r_[shown, expected, 1.0])
    chart.getPlotItem().setXRange(x[0], x[-1], padding=0.01)
    chart.getPlotItem().setYRange(0, top * 1.15, padding=0)
    return chart


def _day_text(iso: str, name: str, value, expected, low, high, flag, provisional: bool) -> str:
    rows = [fmt.weekday_day(_day(iso)), f"{name}: {fmt.count(value)}"]
    if np.isfinite(expected):
        rows.append(tr("Usual for this weekday: {n}").format(n=fmt.count(expected)))
    if np.isfinite(low) and np.isfinite(high):
        rows.append(tr("Usual range: {low} to {high}").format(low=fmt.count(low), high=fmt.count(high)))
    if flag:
        rows.append(tr("An unusual drop") if flag == "drop" else tr("An unusual jump"))
    if provisional:
        rows.append(tr("Pinterest is still counting this day."))
    return "\n".join(rows)


# -------------------------------------------------------------------- goals
def goal_chart(insight: dict, _links: Links) -> list[SmallChart]:
    results = [r for r in insight.get("chart", {}).get("results", [])
               if r.get("goal") and np.isfinite(values(r.get("cumulative"))).any()]
    if not results:
        return []
    t = style.current()
    chart = SmallChart(tr("Running total against each goal"), tr("Day of the month"), tr("% of goal"))
    chart.addItem(pg.InfiniteLine(100, angle=0, pen=pg.mkPen(t.text_muted, width=1)))
    legend, paced, days_shown = [], False, 0
    for r in results:
        colour = style.METRIC_COLOURS.get(r["metric"], t.text)
        cumulative = values(r.get("cumulative"))
        days = np.arange(1, len(cumulative) + 1, dtype=float)
        days_shown = max(days_shown, len(cumulative))
        chart.plot(days, cumulative / r["goal"] * 100, pen=pg.mkPen(colour, width=2), connect="finite")
        legend.append((LINE, colour, _names().get(r["metric"], r["metric"])))
        if r.get("projected") is not None and r.get("so_far") is not None:
            last = np.flatnonzero(np.isfinite(cumulative))
            start = float(last[-1] + 1) if len(last) else 0.0
            chart.plot([start, float(len(cumulative))], [r["so_far"] / r["goal"] * 100,
                                                         r["projected"] / r["goal"] * 100],
                       pen=pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine))
            paced = True
    if paced:
        legend.append((DASHED, t.text_muted, tr("Where your recent pace takes it")))
    legend.append((LINE, t.text_muted, tr("The goal (100%)")))
    chart.set_legend(legend)
    texts = []
    for day in range(1, days_shown + 1):
        rows = [tr("Day {n} of the month").format(n=day)]
        for r in results:
            cumulative = values(r.get("cumulative"))
            value = cumulative[day - 1] if day <= len(cumulative) else np.nan
            if np.isfinite(value):
                rows.append(tr("{name}: {share} of the goal ({n} of {goal})").format(
                    name=_names().get(r["metric"], r["metric"]), share=fmt.percent(value / r["goal"]),
                    n=fmt.count(value), goal=fmt.count(r["goal"])))
        texts.append("\n".join(rows) if len(rows) > 1 else "")
    chart.hover_days(np.arange(1, days_shown + 1, dtype=float), texts)
    return [chart]


# -------------------------------------------------------------------- posts
def post_chart(insight: dict, links: Links) -> list[SmallChart]:
    data = insight.get("chart") or {}
    labels = data.get("labels") or []
    if not labels:
        return []
    names = _names()
    chart = SmallChart(tr("Top posts"), tr("Count"), tr("Posts, top first"))
    n = len(labels)
    y = _rows(n)
    series = [("outbound_clicks", style.OUTBOUND), ("sessions", style.VISITS), ("key_events", style.CONVERSIONS)]
    height = 0.26
    figures = {}
    for i, (name, colour) in enumerate(series):
        figures[name] = values(data["series"].get(name))
        chart.addItem(pg.BarGraphItem(x0=np.zeros(n), y=y + (1 - i) * height, height=height,
                                      width=np.nan_to_num(figures[name]), brush=pg.mkBrush(colour), pen=pg.mkPen(None)))
    chart.set_legend([(BAR, colour, names[name]) for name, colour in series])
    _hover_rows(chart, y, ["\n".join([label] + [f"{names[name]}: {fmt.count(figures[name][i])}" for name, _ in series]
                                     + [tr("Click to open the post.")]) for i, label in enumerate(labels)])
    chart.on_row_click(n, data.get("keys") or [], links.post)
    return [chart]


# -------------------------------------------------------------------- impressions and clicks
def scatter_chart(insight: dict, links: Links) -> list[SmallChart]:
    data = insight.get("chart") or {}
    if not data.get("pin_ids"):
        return []
    t = style.current()
    names = _names()
    chart = SmallChart(tr("Impressions and outbound clicks, per Pin"), names["impressions"],
                       names["outbound_clicks"], bottom=LogAxis("bottom"), left=LogAxis("left"))
    shown_imp, shown_clicks = values(data["impressions"]), values(data["outbound_clicks"])
    imp = np.log10(np.maximum(shown_imp, 1))
    clicks = np.where(shown_clicks > 0, np.log10(np.maximum(shown_clicks, 1)), ZERO_AT)  # no clicks: on the 0 row
    groups = np.array(data["group"], dtype=object)
    ids = np.array(data["pin_ids"], dtype=object)
    titles = list(data.get("titles") or [None] * len(ids))
    faint = QColor(t.impressions)
    faint.setAlphaF(0.5)
    kinds = (("", "o", 4, faint, DOT, tr("A Pin")),
             ("gem", "star", 11, QColor(style.CONVERSIONS), STAR, tr("Seen little, clicked a lot")),
             ("seen_not_clicked", "t", 9, QColor(style.SAVES), DOWN, tr("Seen a lot, clicked little")))
    legend = []
    for group, symbol, size, colour, glyph, words in kinds:
        mask = groups == group
        if not mask.any():
            continue
        item = pg.PlotDataItem(imp[mask], clicks[mask], pen=None, symbol=symbol, symbolSize=size,
                               symbolBrush=pg.mkBrush(colour), symbolPen=None, data=list(ids[mask]))
        item.sigPointsClicked.connect(lambda _item, points, _event=None: _open_pin(points, links))
        chart.addItem(item)
        legend.append((glyph, colour.name(), words))
        rows = np.flatnonzero(mask)
        chart.hover_points(imp[mask], clicks[mask], [
            "\n".join([_pin_name(titles[i], ids[i]), f"{names['impressions']}: {fmt.count(shown_imp[i])}",
                       f"{names['outbound_clicks']}: {fmt.count(shown_clicks[i])}"] + ([words] if group else []))
            for i in rows])
    rate = data.get("typical_rate")
    if rate and np.isfinite(imp).any():
        xs = np.array([imp.min(), imp.max()])
        chart.plot(xs, xs + math.log10(rate), pen=pg.mkPen(t.text_faint, style=Qt.PenStyle.DashLine))
        legend.append((DASHED, t.text_faint, tr("Your usual click rate")))
    chart.set_legend(legend)
    return [chart]


def _open_pin(points, links: Links) -> None:
    if points is not None and len(points):
        links.pin(str(points[0].data()))


def _pin_name(title, pin_id) -> str:
    return wording.quote(title) if isinstance(title, str) and title.strip() else tr("Pin {id}").format(id=pin_id)


# -------------------------------------------------------------------- concentration and age
def share_chart(insight: dict, links: Links) -> list[SmallChart]:
    data = insight.get("chart") or {}
    shares = values(data.get("values"))
    if not len(shares):
        return []
    t = style.current()
    chart = SmallChart(tr("Share of outbound clicks"), tr("% of outbound clicks"), tr("Pins, top first"))
    n = len(shares)
    y = _rows(n)
    brushes = [pg.mkBrush(style.OUTBOUND)] * (n - 1) + [pg.mkBrush(t.impressions)]
    chart.addItem(pg.BarGraphItem(x0=np.zeros(n), y=y, height=0.7, width=shares * 100, brushes=brushes,
                                  pen=pg.mkPen(None)))
    chart.set_legend([(BAR, style.OUTBOUND, tr("Your top Pins")), (BAR, t.impressions, tr("All other Pins"))])
    labels = data.get("labels") or []
    keys = data.get("keys") or []
    _hover_rows(chart, y, [tr("{name}\n{share} of outbound clicks").format(
        name=labels[i] if i < len(labels) else "", share=fmt.percent(shares[i]))
        + ("\n" + tr("Click to open the Pin.") if i < len(keys) and keys[i] else "") for i in range(n)])
    chart.on_row_click(n, keys, links.pin)
    return [chart]


def age_chart(insight: dict, _links: Links) -> list[SmallChart]:
    data = insight.get("chart") or {}
    clicks = values(data.get("clicks_share"))
    if not len(clicks):
        return []
    t = style.current()
    pins = values(data.get("pins_share"))
    chart = SmallChart(tr("Outbound clicks by Pin age"), tr("Pin age"), tr("% of the total"))
    x = np.arange(len(clicks), dtype=float)
    chart.addItem(pg.BarGraphItem(x=x - 0.18, height=clicks * 100, width=0.34, brush=pg.mkBrush(style.OUTBOUND),
                                  pen=pg.mkPen(None)))
    chart.addItem(pg.BarGraphItem(x=x + 0.18, height=pins * 100, width=0.34, brush=pg.mkBrush(t.impressions),
                                  pen=pg.mkPen(None)))
    labels = data.get("labels") or []
    short = [label.replace(" months", "m").replace(" years", "y").replace("under a month", "<1m")
             .replace("over 2y", ">2y") for label in labels]
    chart.getPlotItem().getAxis("bottom").setTicks([[(float(i), s) for i, s in enumerate(short)]])
    chart.set_legend([(BAR, style.OUTBOUND, tr("Share of outbound clicks")), (BAR, t.impressions,
                                                                                tr("Share of Pins"))])
    chart.hover_bands("x", x - 0.5, x + 0.5, [
        tr("Pins {age} old\nShare of outbound clicks: {clicks}\nShare of Pins: {pins}").format(
            age=labels[i] if i < len(labels) else "", clicks=fmt.percent(clicks[i]),
            pins=fmt.percent(pins[i] if i < len(pins) else None)) for i in range(len(x))])
    return [chart]


# -------------------------------------------------------------------- seasons
def season_chart(insight: dict, _links: Links) -> list[SmallChart]:
    """The first season's figure a month (each download's range), last year's rise, and the day to pin by."""
    data = insight.get("chart") or {}
    starts = data.get("starts") or []
    if not starts:
        return []
    t = style.current()
    clicks = data.get("metric") == "outbound_clicks"
    name = _names()["outbound_clicks" if clicks else "saves"]
    colour = style.OUTBOUND if clicks else style.SAVES
    title = (tr("Outbound clicks a month: {name}") if clicks else tr("Saves a month: {name}")).format(
        name=wording.quote(str(data.get("label", ""))))
    chart = SmallChart(title, tr("Month"), name, bottom=DayAxis())
    ends = data.get("ends") or starts
    x0, x1 = parse_day_seconds(starts), parse_day_seconds(ends) + DAY
    known = values(data.get("known")) * 30
    at_most = values(data.get("at_most")) * 30
    shown = np.isfinite(known)
    legend = []
    if shown.any():
        chart.addItem(pg.BarGraphItem(x0=x0[shown], x1=x1[shown], y0=np.zeros(int(shown.sum())),
                                      y1=known[shown], brush=pg.mkBrush(colour), pen=pg.mkPen(None)))
        legend.append((BAR, colour, tr("{name} a month").format(name=name)))
    bounded = ~shown & np.isfinite(at_most)  # missing from the top list: drawn as "at most", never as 0
    if bounded.any():
        faint = QColor(colour)
        faint.setAlphaF(0.25)
        chart.addItem(pg.BarGraphItem(x0=x0[bounded], x1=x1[bounded], y0=np.zeros(int(bounded.sum())),
                                      y1=at_most[bounded], brush=pg.mkBrush(faint),
                                      pen=pg.mkPen(colour, width=1, style=Qt.PenStyle.DotLine)))
        legend.append((BAR, faint.name(QColor.NameFormat.HexArgb), tr("At most (not in the top list)")))
    if data.get("usual") is not None:
        chart.addItem(pg.InfiniteLine(float(data["usual"]) * 30, angle=0,
                                      pen=pg.mkPen(t.text_faint, style=Qt.PenStyle.DashLine)))
        legend.append((DASHED, t.text_faint, tr("Usual level")))
    right = _season_lines(chart, data, x1[-1], legend)
    chart.set_legend(legend)
    label = wording.quote(str(data.get("label", "")))
    chart.hover_bands("x", x0, x1, [label + "\n" + _month_text(starts[i], ends[i] if i < len(ends) else starts[i],
                                                               name, known[i], at_most[i]) for i in range(len(x0))])
    chart.getPlotItem().setXRange(x0[0], right + 7 * DAY, padding=0.01)
    return [chart]


def _season_lines(chart: SmallChart, data: dict, right: float, legend: list) -> float:
    """Last year's rise, the day to pin by and this year's rise as named lines; the right end of the chart."""
    t = style.current()
    marks = [("last_start", tr("Rise started last year"), Qt.PenStyle.DotLine),
             ("pin_by", tr("Pin fresh Pins by"), Qt.PenStyle.SolidLine),
             ("next_start", tr("The rise, this year"), Qt.PenStyle.DotLine)]
    for key, tip, pen_style in marks:
        if data.get(key):
            at = parse_day_seconds([data[key]])[0]
            right = max(right, at)
            line = pg.InfiniteLine(at, angle=90, pen=pg.mkPen(t.text_muted, width=1.4, style=pen_style))
            line.setToolTip(f"{tip}: {fmt.day(_day(data[key]))}")
            chart.addItem(line)
    if data.get("last_start") or data.get("next_start"):
        legend.append((DOTTED, t.text_muted, tr("The rise, last year and this year")))
    if data.get("pin_by"):
        legend.append((LINE, t.text_muted, tr("Pin fresh Pins by")))
    return right


def _month_text(start: str, end: str, name: str, known, at_most) -> str:
    when = fmt.period(_day(start), _day(end))
    if np.isfinite(known):
        return tr("{when}\n{name}: about {n} a month").format(when=when, name=name, n=fmt.count(known))
    if np.isfinite(at_most):
        return tr("{when}\n{name}: at most {n} a month (not in the top list)").format(when=when, name=name,
                                                                                      n=fmt.count(at_most))
    return tr("{when}\nNo figure").format(when=when)


# -------------------------------------------------------------------- boards
def board_chart(insight: dict, links: Links) -> list[SmallChart]:
    """Each board's click and save rates as a share of the boards' average (100% is the average)."""
    data = insight.get("chart") or {}
    labels = data.get("labels") or []
    if not labels:
        return []
    t = style.current()
    chart = SmallChart(tr("Boards: clicks and saves per impression"), tr("% of your boards' average"),
                       tr("Boards, most seen first"))
    n = len(labels)
    y = _rows(n)
    rates = (("click_rate", "average_click_rate", style.OUTBOUND, tr("Outbound click rate")),
             ("save_rate", "average_save_rate", style.SAVES, tr("Save rate")))
    texts = [[label] for label in labels]
    for i, (name, average, colour, words) in enumerate(rates):
        mean = data.get(average)
        rate = values(data.get(name))
        shares = rate / mean * 100 if mean else np.full(n, np.nan)
        chart.addItem(pg.BarGraphItem(x0=np.zeros(n), y=y + (0.5 - i) * 0.36, height=0.36,
                                      width=np.nan_to_num(shares), brush=pg.mkBrush(colour), pen=pg.mkPen(None)))
        for row in range(n):
            texts[row].append(tr("{what}: {rate} ({share} of the average)").format(
                what=words, rate=fmt.percent(rate[row] if row < len(rate) else None),
                share=fmt.percent(shares[row] / 100 if row < len(shares) else None, 0)))
    chart.addItem(pg.InfiniteLine(100, angle=90, pen=pg.mkPen(t.text_muted, width=1)))
    chart.set_legend([(BAR, style.OUTBOUND, tr("Outbound click rate")), (BAR, style.SAVES, tr("Save rate")),
                      (LINE, t.text_muted, tr("Average of your boards"))])
    _hover_rows(chart, y, ["\n".join(rows + [tr("Click to open the board.")]) for rows in texts])
    chart.on_row_click(n, data.get("keys") or [], links.board)
    return [chart]
