"""The canvas the paper is drawn on: points from an origin, converted to the device's units.

``Canvas`` measures text (line heights, widths, elided and wrapped text) and draws text, fills, lines, paths,
dots and arrows; with ``dry`` set it only measures, so a page can lay itself out before it paints. The text it
paints and elides goes through ``text.paintable`` first.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from pinviewer.render.look import FONT_FAMILIES, LEFT, TOP, WRAP
from pinviewer.render.text import paintable


class Canvas:
    """Draws in points from an origin; converts to device units. With ``dry`` set it only measures."""

    def __init__(self, painter: QPainter, origin: QPointF, scale: float = 1.0, dry: bool = False):
        self.p = painter
        self.device = painter.device()
        self.k = scale
        self.u = self.device.logicalDpiY() / 72.0 * scale  # device units per layout point
        self.ox, self.oy = origin.x(), origin.y()
        self.dry = dry
        self._fonts: dict = {}
        self._metrics: dict = {}

    # fonts
    def font(self, size: float, bold: bool = False, spacing: float = 0.0) -> QFont:
        key = (size, bold, spacing)
        font = self._fonts.get(key)
        if font is None:
            font = QFont()
            fallback = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()
            font.setFamilies(FONT_FAMILIES + [fallback])
            font.setPointSizeF(size * self.k)
            font.setWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            # No "fi"/"fl" ligatures: a PDF reader would find "ﬁgures" but not the word typed. (Not with
            # QFont.setFeature: PySide6 6.12 drops a reference to None on each call, and Python 3.11 aborts.)
            font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
            if spacing:  # a percentage: absolute spacing is taken in different units by different devices
                font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 100.0 + spacing)
            self._fonts[key] = font
        return font

    def fm(self, font: QFont) -> QFontMetricsF:
        key = id(font)
        metrics = self._metrics.get(key)
        if metrics is None:
            metrics = self._metrics[key] = QFontMetricsF(font, self.device)
        return metrics

    def line_height(self, font: QFont) -> float:
        return self.fm(font).height() / self.u

    def ascent(self, font: QFont) -> float:
        return self.fm(font).ascent() / self.u

    def width(self, text: str, font: QFont) -> float:
        return self.fm(font).horizontalAdvance(text) / self.u

    def elide(self, text: str, font: QFont, width: float) -> str:
        return self.fm(font).elidedText(paintable(text), Qt.TextElideMode.ElideRight, max(width, 0) * self.u)

    def wrapped_height(self, text: str, font: QFont, width: float) -> float:
        box = self.fm(font).boundingRect(QRectF(0, 0, width * self.u, 1e9), LEFT | TOP | WRAP, text)
        return box.height() / self.u

    # text that must fit
    def fitting_font(self, text: str, font_size: float, bold: bool, width: float) -> QFont:
        """The font size at which ``text`` fits ``width`` (down to half the size), never elided."""
        size = font_size
        font = self.font(size, bold)
        while self.width(text, font) > width and size > font_size / 2:
            size = round(size - 0.5, 2)
            font = self.font(size, bold)
        return font

    def wrapped(self, x: float, y: float, w: float, text: str, font: QFont, colour) -> float:
        """Text that wraps at words (a word wider than the box gets a smaller font); returns its height."""
        if not text:
            return 0.0
        widest = max(text.split(), key=lambda word: self.width(word, font), default="")
        if self.width(widest, font) > w:
            font = self.fitting_font(widest, font.pointSizeF() / self.k, font.bold(), w)
        height = self.wrapped_height(text, font, w)
        self.text(x, y, w, height + 1, text, font, colour, LEFT | TOP | WRAP)
        return height

    # geometry
    def pt(self, x: float, y: float) -> QPointF:
        return QPointF(self.ox + x * self.u, self.oy + y * self.u)

    def rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF(self.ox + x * self.u, self.oy + y * self.u, w * self.u, h * self.u)

    # drawing
    def text(self, x, y, w, h, text, font, colour, flags=LEFT | TOP) -> None:
        if self.dry or not text:
            return
        self.p.setFont(font)
        self.p.setPen(QPen(colour))
        # no bidi overrides, no controls; the page's own line breaks (two-line column heads) stay: the text of a
        # title or a cell reaches here through elide() or core's wording, which make any newline in it a space
        self.p.drawText(self.rect(x, y, w, h), flags, "\n".join(paintable(line) for line in text.split("\n")))

    def fill(self, x, y, w, h, colour, radius: float = 0.0) -> None:
        if self.dry or w <= 0 or h <= 0:
            return
        self.p.setPen(Qt.PenStyle.NoPen)
        self.p.setBrush(QBrush(colour))
        if radius:
            self.p.drawRoundedRect(self.rect(x, y, w, h), radius * self.u, radius * self.u)
        else:
            self.p.drawRect(self.rect(x, y, w, h))
        self.p.setBrush(Qt.BrushStyle.NoBrush)

    def pen(self, colour: QColor, width: float, style=Qt.PenStyle.SolidLine) -> QPen:
        pen = QPen(colour, width * self.u, style)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def line(self, x1, y1, x2, y2, colour, width=0.5, style=Qt.PenStyle.SolidLine) -> None:
        if self.dry:
            return
        pen = self.pen(colour, width, style)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        self.p.setPen(pen)
        self.p.drawLine(self.pt(x1, y1), self.pt(x2, y2))

    def polyline(self, points: list[tuple[float, float]], colour: QColor, width: float) -> None:
        if self.dry or len(points) < 2:
            return
        path = QPainterPath(self.pt(*points[0]))
        for x, y in points[1:]:
            path.lineTo(self.pt(x, y))
        self.p.setPen(self.pen(colour, width))
        self.p.setBrush(Qt.BrushStyle.NoBrush)
        self.p.drawPath(path)

    def dot(self, x, y, radius, colour) -> None:
        if self.dry:
            return
        self.p.setPen(Qt.PenStyle.NoPen)
        self.p.setBrush(QBrush(colour))
        self.p.drawEllipse(self.pt(x, y), radius * self.u, radius * self.u)
        self.p.setBrush(Qt.BrushStyle.NoBrush)

    def arrow(self, x, y, size, direction: int, colour: QColor) -> None:
        """A filled triangle pointing up (1) or down (-1), or a short bar (0), in a size x size box at x, y."""
        if self.dry:
            return
        self.p.setPen(Qt.PenStyle.NoPen)
        self.p.setBrush(QBrush(colour))
        if direction > 0:
            shape = [(x, y + size), (x + size, y + size), (x + size / 2, y + size * 0.1)]
        elif direction < 0:
            shape = [(x, y), (x + size, y), (x + size / 2, y + size * 0.9)]
        else:
            self.p.drawRect(self.rect(x, y + size * 0.4, size, size * 0.2))
            self.p.setBrush(Qt.BrushStyle.NoBrush)
            return
        self.p.drawPolygon(QPolygonF([self.pt(a, b) for a, b in shape]))
        self.p.setBrush(Qt.BrushStyle.NoBrush)


__all__ = ["Canvas"]
