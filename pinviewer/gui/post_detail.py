"""A post's detail under the Posts table: its figures, its conversions, the Pins that link to it, and a button
that opens it; plus ``readable_title``, a post's name when no Pin gave it a title."""
from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, \
    QVBoxLayout, QWidget

from pinviewer.gui import formatting as fmt
from pinviewer.gui import style


def readable_title(url) -> str:
    """'https://blog.example/2026/closet-turned-library/?utm=x' -> 'Closet turned library'."""
    if not isinstance(url, str) or not url.strip():
        return ""
    text = url.strip()
    parts = urlsplit(text if "://" in text else "https://" + text)
    segments = [s for s in unquote(parts.path).split("/") if s and not s.isdigit()]
    if not segments:
        return parts.netloc or text
    words = re.sub(r"\.(html?|php|aspx?)$", "", segments[-1])
    words = re.sub(r"[-_+]+", " ", words).strip()
    return (words[:1].upper() + words[1:]) if words else parts.netloc


def with_titles(posts):
    """The posts frame with a title on every row: the Pins' title, else the address made readable."""
    if posts is None or "url" not in posts:
        return posts
    if "title" in posts:
        missing = ~posts["title"].map(lambda t: isinstance(t, str) and bool(t.strip()))
    else:
        missing = None
    if missing is not None and not missing.any():
        return posts
    posts = posts.copy()
    if missing is None:
        posts["title"] = posts["url"].map(readable_title)
    else:
        posts.loc[missing, "title"] = posts.loc[missing, "url"].map(readable_title)
    return posts


class PostDetail(QFrame):
    """The post chosen in the table; ``pin_chosen(pin_id)`` when one of its Pins is opened."""

    pin_chosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("card")
        self.url = None
        outer = QHBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 14)
        outer.setSpacing(24)
        left = QVBoxLayout()
        left.setSpacing(6)
        self.title = QLabel(self.tr("Choose a post to see its figures and its Pins."))
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)
        left.addWidget(self.title)
        self.address = QLabel()
        self.address.setObjectName("faint")
        self.address.setWordWrap(True)
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left.addWidget(self.address)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(3)
        left.addLayout(self.grid)
        left.addStretch(1)
        self.open_post = QPushButton(self.tr("Open the post ↗"))
        self.open_post.setObjectName("link")
        self.open_post.setCursor(Qt.CursorShape.PointingHandCursor)
        self.open_post.clicked.connect(self._open)
        left.addWidget(self.open_post, 0, Qt.AlignmentFlag.AlignLeft)
        holder = QWidget()
        holder.setLayout(left)
        holder.setMinimumWidth(280)
        holder.setMaximumWidth(440)
        outer.addWidget(holder, 2)

        right = QVBoxLayout()
        right.setSpacing(4)
        self.pins_title = QLabel(self.tr("Its Pins"))
        self.pins_title.setObjectName("cardTitle")
        right.addWidget(self.pins_title)
        self.pins = QListWidget()
        self.pins.setAccessibleName(self.tr("Pins that link to this post"))
        self.pins.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.pins.itemActivated.connect(lambda item: self.pin_chosen.emit(item.data(Qt.ItemDataRole.UserRole)))
        right.addWidget(self.pins, 1)
        self.hint = QLabel(self.tr("Double-click a Pin (or press Enter) to see it on the Pins page."))
        self.hint.setObjectName("sectionNote")
        self.hint.setWordWrap(True)
        right.addWidget(self.hint)
        outer.addLayout(right, 3)
        self.show_post(None)

    def show_post(self, record: dict | None, pins=None) -> None:
        from pinviewer.gui.pins_view import safe_url

        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.pins.clear()
        if record is None:
            self.url = None
            self.title.setText(self.tr("Choose a post to see its figures and its Pins."))
            self.address.setText("")
            self.open_post.setVisible(False)
            self.pins_title.setVisible(False)
            self.pins.setVisible(False)
            self.hint.setVisible(False)
            return
        self.pins.setVisible(True)
        self.hint.setVisible(True)
        raw = record.get("url")
        self.url = safe_url(raw if isinstance(raw, str) and "://" in raw else f"https://{raw}" if raw else None)
        self.title.setText(record.get("title") or readable_title(raw))
        self.address.setText(raw if isinstance(raw, str) else "")
        self.open_post.setVisible(self.url is not None)
        self.open_post.setToolTip(self.url.toString() if self.url else "")
        rows = (("sessions", self.tr("Visits from Pinterest"), fmt.count, style.VISITS),
                ("key_events", self.tr("Conversions (sign-ups, sales)"), fmt.count, style.CONVERSIONS),
                ("outbound_clicks", self.tr("Outbound clicks"), fmt.count, style.OUTBOUND),
                ("saves", self.tr("Saves"), fmt.count, style.SAVES),
                ("impressions", self.tr("Impressions"), fmt.count, None))
        line = 0
        for key, label, show, colour in rows:
            if key not in record:
                continue
            name = QLabel(label)
            name.setObjectName("muted")
            value = QLabel(show(record.get(key)))
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            if colour:
                value.setStyleSheet(f"color: {style.readable(colour)}; font-weight: 600;")
            self.grid.addWidget(name, line, 0)
            self.grid.addWidget(value, line, 1)
            line += 1
        self._show_pins(record, pins)

    def _show_pins(self, record: dict, pins) -> None:
        mine = pins[pins["post_url"] == record.get("url")] if pins is not None and "post_url" in pins else None
        self.pins_title.setVisible(True)
        if mine is None or mine.empty:
            self.pins_title.setText(self.tr("No Pin in your exports links here"))
            return
        if "outbound_clicks" in mine:
            mine = mine.sort_values("outbound_clicks", ascending=False, na_position="last")
        self.pins_title.setText(fmt.by_count(len(mine), self.tr("Its Pin"), self.tr("Its {n} Pins")))
        for row in mine.itertuples(index=False):
            title = row.title if isinstance(row.title, str) and row.title else str(row.pin_id)
            clicks = getattr(row, "outbound_clicks", None)
            item = QListWidgetItem(self.tr("{title} · {clicks} outbound clicks").format(
                title=title, clicks=fmt.count(clicks)))
            item.setToolTip(title)
            item.setData(Qt.ItemDataRole.UserRole, str(row.pin_id))
            self.pins.addItem(item)

    def _open(self) -> None:
        if self.url is not None:
            QDesktopServices.openUrl(self.url)
