"""From seen to sold: each step of the funnel, its value and the share of the step before."""
from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from pinviewer.core import metrics
from pinviewer.gui import formatting as fmt
from pinviewer.gui import style

ROW, GAP = 22, 6
BAR_SHARE = 0.42  # of the width, for the bars after the first; the words go right of them


def _colours() -> dict[str, str]:
    t = style.current()
    light_blue = "#27445a" if t.dark else "#cfe3f1"
    return {"impressions": t.provisional if not t.dark else "#2f353c", "engagements": light_blue,
            "pin_clicks": light_blue, "outbound_clicks": style.OUTBOUND, "sessions": style.VISITS,
            "key_events": style.CONVERSIONS}


class FunnelWidget(QWidget):
    """Bars on a logarithmic scale (so small steps stay visible); the words carry the exact figures."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.steps: list[dict] = []
        self.revenue = None
        self.currency: str | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def labels(self) -> dict[str, str]:
        return {"impressions": self.tr("Impressions"), "engagements": self.tr("Engagements"),
                "pin_clicks": self.tr("Pin clicks"), "outbound_clicks": self.tr("Outbound clicks"),
                "sessions": self.tr("Visits (Google Analytics)"), "key_events": self.tr("Conversions"),
                "revenue": self.tr("Revenue")}

    def set_steps(self, steps: list, currency: str | None = None, revenue=None) -> None:
        """``steps``: the period summary's funnel (``period_summary.FunnelStep``, or their ``as_dict``). A step's
        share of the step before is only there when both count the same days (else ``note`` says why)."""
        steps = [s if isinstance(s, dict) else s.as_dict() for s in steps]
        self.steps = [s for s in steps if s["metric"] != "revenue" and not fmt.missing(s["value"])]
        old_revenue = [s for s in steps if s["metric"] == "revenue"]
        self.revenue = revenue if revenue is not None else (old_revenue[0]["value"] if old_revenue else None)
        self.currency = currency
        self.updateGeometry()
        self.setFixedHeight(self.sizeHint().height())
        self.update()
        self.setAccessibleName("; ".join(self.step_text(i) for i in range(len(self.steps))))

    def _of(self) -> dict[str, str]:
        """How a step is named after "of": 34% of Pin clicks."""
        return {"impressions": self.tr("impressions"), "engagements": self.tr("engagements"),
                "pin_clicks": self.tr("Pin clicks"), "outbound_clicks": self.tr("outbound clicks"),
                "sessions": self.tr("visits")}

    def step_text(self, i: int) -> str:
        step = self.steps[i]
        labels = self.labels()
        text = f"{labels.get(step['metric'], step['label'])} {fmt.count(step['value'])}"
        if i > 0 and step.get("rate") is not None:
            previous = self.steps[i - 1]["metric"]
            before = self._of().get(previous, self.steps[i - 1]["label"].lower())
            text += " · " + self.tr("{rate} of {before}").format(rate=fmt.percent(step["rate"]), before=before)
        if step["metric"] == "key_events" and self.revenue is not None:
            text += " · " + self.tr("revenue {value}").format(value=fmt.money(self.revenue, self.currency))
        return text

    def sizeHint(self) -> QSize:
        return QSize(360, max(ROW, len(self.steps) * (ROW + GAP)))

    def _bar_width(self, value: float, full: float) -> float:
        top = max((s["value"] for s in self.steps), default=1) or 1
        if value <= 0:
            return 3.0
        share = math.log10(value + 1) / math.log10(top + 1) if top > 0 else 0
        return max(4.0, full * share ** 2)

    def paintEvent(self, event) -> None:
        if not self.steps:
            return
        t = style.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font_metrics = QFontMetrics(self.font())
        colours = _colours()
        full = self.width() * BAR_SHARE
        for i, step in enumerate(self.steps):
            y = i * (ROW + GAP)
            text = self.step_text(i)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colours.get(step["metric"], t.border)))
            if i == 0:  # the widest step: a full, light bar with the words inside
                painter.drawRoundedRect(QRectF(0, y, self.width(), ROW), 4, 4)
                left = 10.0
            else:
                width = self._bar_width(float(step["value"]), full)
                painter.drawRoundedRect(QRectF(0, y, width, ROW), 4, 4)
                left = width + 8
            painter.setPen(QColor(t.text_faint if step.get("greyed") else t.text))
            room = int(self.width() - left - 4)
            painter.drawText(QRectF(left, y, room, ROW), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             font_metrics.elidedText(text, Qt.TextElideMode.ElideRight, room))
        painter.end()

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            row = int(event.position().y() // (ROW + GAP)) if hasattr(event, "position") else \
                int(event.pos().y() // (ROW + GAP))
            if 0 <= row < len(self.steps):
                name = self.steps[row]["metric"]
                explain = metrics.BY_NAME[name].explain if name in metrics.BY_NAME else ""
                if self.steps[row].get("note"):
                    explain += "<br>" + self.steps[row]["note"]
                QToolTip.showText(event.globalPos(), f"<b>{self.step_text(row)}</b><br>{explain}<br>"
                                  "<i>" + self.tr("Bar lengths use a logarithmic scale so that small steps stay "
                                                  "visible.") + "</i>",
                                  self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
