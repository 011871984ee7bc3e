"""The figure cards: the metric, its value, its change (arrow, sign, colour) and a sparkline."""
from __future__ import annotations

import html
import math
import warnings

import numpy as np

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from pinviewer.gui import formatting as fmt
from pinviewer.gui import style


class Sparkline(QWidget):
    """A small line of daily values (gaps where a day has no data)."""

    def __init__(self, colour: str, parent=None):
        super().__init__(parent)
        self._values: list[float] = []
        self._colour = colour
        self.setFixedSize(48, 26)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_values(self, values, points: int = 40) -> None:
        """Long series are averaged into about ``points`` buckets: the trend, not each day's noise."""
        values = np.asarray(values if values is not None else [], dtype=float)
        if len(values) > points * 1.5:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # an all-empty bucket is a gap
                values = np.array([np.nanmean(chunk) for chunk in np.array_split(values, points)])
        self._values = [float(v) for v in values]
        self.update()

    def values(self) -> list[float]:
        return list(self._values)

    def paintEvent(self, event) -> None:
        finite = [v for v in self._values if not math.isnan(v)]
        if len(finite) < 2:
            return
        low, high = min(finite), max(finite)
        span = (high - low) or 1.0
        w, h, pad = self.width(), self.height(), 3
        step = (w - 2 * pad) / max(len(self._values) - 1, 1)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(self._colour), 1.8)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        path, drawing = QPainterPath(), False
        for i, v in enumerate(self._values):
            if math.isnan(v):
                drawing = False
                continue
            point = QPointF(pad + i * step, h - pad - (v - low) / span * (h - 2 * pad))
            if drawing:
                path.lineTo(point)
            else:
                path.moveTo(point)
                drawing = True
        painter.drawPath(path)
        painter.end()


class MetricCard(QFrame):
    """A card for one metric. ``kind`` is "count" or "rate"; a rate's change is in percentage points."""

    def __init__(self, name: str, title: str, explain: str, kind: str = "count", colour: str | None = None,
                 muted: bool = False, parent=None):
        super().__init__(parent)
        self.name, self.kind, self.muted = name, kind, muted
        self._title, self._explain, self._colour = title, explain, colour
        self.value = self.previous = self.change = self.direction = None
        self.greyed = False
        self.setObjectName("mutedCard" if muted else "card")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # reachable from the keyboard; the screen reader reads it
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(110)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 12, 10)
        layout.setSpacing(2)
        self.title_label = QLabel(title)
        self.title_label.setObjectName("cardTitle")
        self.title_label.setWordWrap(True)
        layout.addWidget(self.title_label)
        middle = QHBoxLayout()
        middle.setSpacing(6)
        self.value_label = QLabel(fmt.DASH)
        self.value_label.setObjectName("cardValueMuted" if muted else "cardValueRate" if kind == "rate"
                                       else "cardValue")
        middle.addWidget(self.value_label, 0, Qt.AlignmentFlag.AlignVCenter)
        middle.addStretch(1)
        self.sparkline = Sparkline(colour or style.current().text_faint)
        middle.addWidget(self.sparkline, 0, Qt.AlignmentFlag.AlignVCenter)
        self.sparkline.setVisible(not muted)
        layout.addLayout(middle)
        self.change_label = QLabel("")
        self.change_label.setObjectName("cardNote")
        self.change_label.setWordWrap(True)
        layout.addWidget(self.change_label)
        if muted:
            self.note_label = QLabel(self.tr("appeared ≠ seen"))
            self.note_label.setObjectName("mutedNote")
            self.note_label.setWordWrap(True)
            layout.addWidget(self.note_label)
        # what to do when no file gives this figure (Conversions without Google Analytics): a link that wraps on a
        # narrow card (one Tab stop, Enter follows it), hidden until asked
        self.action_link = QLabel()
        self.action_link.setWordWrap(True)
        self.action_link.setTextFormat(Qt.TextFormat.RichText)
        self.action_link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                                 | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.action_link.setVisible(False)
        layout.addWidget(self.action_link)
        layout.addStretch(1)
        if muted:
            self.setCursor(Qt.CursorShape.WhatsThisCursor)
        self.apply_theme()

    def offer(self, text: str | None) -> None:
        """A link under the figure (``text``) that says how to get it (``action_link.linkActivated``); ``None``
        hides it."""
        self.action_link.setText(f"<a href='how'>{html.escape(text)}</a>" if text else "")
        self.action_link.setVisible(bool(text))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_sparkline()

    def _fit_sparkline(self) -> None:
        """The sparkline only shows where it does not crowd the value."""
        if self.muted:
            return
        layout = self.layout()
        assert layout is not None  # set in __init__
        margins = layout.contentsMargins()
        room = self.width() - margins.left() - margins.right() - self.value_label.sizeHint().width() - 8
        self.sparkline.setVisible(room >= self.sparkline.width())

    def apply_theme(self) -> None:
        if self._colour and not self.muted:
            self.value_label.setStyleSheet(f"color: {style.readable(self._colour)};")  # 4.5:1 as text
        self._paint_change()

    def show_figure(self, figure, change, compare_label: str, series=None) -> None:
        """A figure of the period summary (``core.period_summary.Figure``) and its ``Change``: the same value,
        change, words and arrow as the paper. A figure whose downloads do not match the period is greyed, with
        the days it really counts."""
        compared = change is not None and change.compared
        reason = ""
        if (figure.known and not compared and change is not None
                and change.reason not in ("", "nothing to compare with")):
            reason = self.tr("not compared: {why}").format(why=change.reason)
        self._show(figure.value, change.before if compared else None, change.direction if compared else None,
                   change, compare_label, series, figure.note or reason or None, figure.greyed,
                   fmt.change_text(change) if compared else "")

    def _show(self, value, previous, direction, change, compare_label, series, note, greyed, change_text) -> None:
        self.value, self.previous, self.direction, self.greyed = value, previous, direction, greyed
        self.change = change.fraction if change is not None else None
        if self.kind == "rate":
            shown = fmt.percent(value)
        elif self.muted:
            shown = fmt.short(value)
        else:
            shown = fmt.count(value)
        self.value_label.setText(shown)
        self.value_label.setEnabled(not greyed)  # greyed: not the period's own figure
        self._fit_sparkline()
        if not self.muted:
            self.sparkline.set_values(series)
        lines = []
        if fmt.missing(value):
            lines.append(self.tr("no figures for this period"))
        elif change_text:
            if self.muted:
                lines.append(change_text)
            else:
                before = fmt.percent(previous) if self.kind == "rate" else fmt.count(previous)
                lines.append(self.tr("{change} vs {before}").format(change=change_text, before=before))
        elif not note and not self.muted:
            lines.append(self.tr("nothing to compare with"))
        if note:
            lines.append(note)
        self.change_label.setText("\n".join(lines))
        self._paint_change()
        self._set_tooltip(compare_label)

    def _paint_change(self) -> None:
        theme = style.current()
        trend = getattr(self, "direction", None) or 0
        colour = theme.text_faint if self.muted or trend == 0 or getattr(self, "greyed", False) else \
            theme.up if trend > 0 else theme.down
        self.change_label.setStyleSheet(f"color: {colour};")

    def _set_tooltip(self, compare_label: str) -> None:
        lines = [f"<b>{self._title}</b>", self._explain]
        if not fmt.missing(self.value):
            exact = fmt.percent(self.value, 3) if self.kind == "rate" else fmt.count(self.value)
            lines.append(self.tr("This period: {value}").format(value=exact))
        if not fmt.missing(self.previous):
            exact = fmt.percent(self.previous, 3) if self.kind == "rate" else fmt.count(self.previous)
            lines.append(self.tr("{label}: {value}").format(label=compare_label, value=exact))
        self.setToolTip("<p style='white-space:pre-wrap'>" + "<br>".join(lines) + "</p>")
        words = f"{self._title}: {self.value_label.text()}. {self.change_label.text()}"
        self.setAccessibleName(words.replace("▲", self.tr("up")).replace("▼", self.tr("down")))
