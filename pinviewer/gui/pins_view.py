"""The Pins and Posts pages: a filter box, a sortable table, and for a Pin its detail underneath."""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QItemSelectionModel, QRectF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QFontMetrics, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QSizePolicy, QSplitter, QTableView, QVBoxLayout, QWidget)

from pinviewer.core import metrics
from pinviewer.gui import formatting as fmt
from pinviewer.gui import settings, style
from pinviewer.gui.table_model import COUNT, DATE, RATE, TEXT, Column, FrameTableModel, display_value, setup_table_view

ROW_HEIGHT = 30
_SAMPLES = {COUNT: "888,888", RATE: "88.88%", DATE: "Sep 30, 2026"}
HEADER_PADDING = 34  # the header section's style-sheet padding (8 + 20 for the sort arrow) and a margin
CELL_PADDING = 24  # a cell's style-sheet padding (8 + 8) and a margin
TITLE_SAMPLE = 2000  # rows whose titles are measured for the title column's width (50,000 take ~10 ms)
TITLE_SHARE = 0.38  # the title column gets at least this share of the table's width (then it scrolls)


def figure_columns(tr) -> list[Column]:
    """The figures both the Pins and the Posts tables show, in the same order and words."""
    explain = {m.name: m.explain for m in metrics.METRICS}
    return [
        Column("outbound_clicks", tr("Outbound"), COUNT, tr("Outbound clicks: ") + explain["outbound_clicks"]),
        Column("saves", tr("Saves"), COUNT, explain["saves"]),
        Column("outbound_click_rate", tr("Click\nrate"), RATE, tr("Outbound click rate: outbound clicks ÷ "
                                                                   "impressions.")),
        Column("save_rate", tr("Save\nrate"), RATE, tr("Saves ÷ impressions.")),
        Column("impressions", tr("Impressions"), COUNT, explain["impressions"]),
    ]


def pin_columns(tr) -> list[Column]:
    return [
        Column("title", tr("Pin"), TEXT),
        Column("board", tr("Board"), TEXT, width=140),
        Column("created", tr("Created"), DATE, tr("The day the Pin was created.")),
        *figure_columns(tr),
    ]


def post_columns(tr, with_site: bool) -> list[Column]:
    columns = [
        Column("title", tr("Post"), TEXT, tr("The post's title, from the first Pin that links to it."),
               tip_key="url"),
        Column("pins", tr("Pins"), COUNT, tr("Pins that link to this post.")),
        *figure_columns(tr),
    ]
    if with_site:
        explain = {m.name: m.explain for m in metrics.METRICS}
        columns[2:2] = [Column("sessions", tr("Visits"), COUNT,
                               explain["sessions"] + " " + tr("From Pinterest, as Google Analytics counts them.")),
                        Column("key_events", tr("Conversions"), COUNT, explain["key_events"])]
    return columns


def safe_url(text) -> QUrl | None:
    """Only web links open in the browser (a file's link column could hold anything)."""
    if not isinstance(text, str) or not text.strip():
        return None
    url = QUrl.fromUserInput(text.strip())
    return url if url.isValid() and url.scheme() in ("http", "https") else None


class TablePage(QWidget):
    """Filter box, count, a note on what days the figures cover, and the table."""

    row_chosen = Signal(int)  # view row, -1 when nothing is selected

    def __init__(self, title: str, placeholder: str, columns: list[Column], filter_keys, noun: tuple[str, str],
                 parent=None, empty_text: str = ""):
        super().__init__(parent)
        self.setObjectName("page")
        self._noun = noun
        self._title_width = 0  # what the longest titles need (``_measure_titles``)
        self._measured: pd.DataFrame | None = None  # the frame they were measured in
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(8)
        head = QHBoxLayout()
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        head.addWidget(heading)
        self.count_label = QLabel()
        self.count_label.setObjectName("faint")
        head.addWidget(self.count_label)
        head.addSpacing(12)
        self.note = QLabel()
        self.note.setObjectName("sectionNote")
        self.note.setWordWrap(True)  # which days and how many Pins the figures cover: whole, on two lines if need be
        head.addWidget(self.note, 1)
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText(placeholder)
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.setMinimumWidth(260)
        self.filter_box.setAcceptDrops(False)  # dropped files go to the window
        head.addWidget(self.filter_box)
        layout.addLayout(head)

        self.model = FrameTableModel(columns, filter_keys, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        setup_table_view(self.view, ROW_HEIGHT)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a title's start and end; whole in its tooltip
        self.view.setAcceptDrops(False)
        self.view.viewport().setAcceptDrops(False)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSortIndicatorShown(True)
        header.setStretchLastSection(False)
        self._apply_widths()
        self.view.sortByColumn(self._default_sort_column(), Qt.SortOrder.DescendingOrder)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.view)
        layout.addWidget(self.splitter, 1)
        self.empty_note = QLabel(empty_text)  # which download fills the page, while nothing does
        self.empty_note.setObjectName("emptyNote")
        self.empty_note.setWordWrap(True)
        self.empty_note.setTextFormat(Qt.TextFormat.RichText)
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty_note.setVisible(False)
        layout.addWidget(self.empty_note, 1)

        self._pending_filter = ""
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(150)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_box.textChanged.connect(self._filter_changed)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._update_count)
        QShortcut(QKeySequence.StandardKey.Find, self, self.filter_box.setFocus,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _current_changed(self, current, _previous) -> None:
        self.row_chosen.emit(current.row() if current.isValid() else -1)

    def _default_sort_column(self) -> int:
        keys = [c.key for c in self.model.columns()]
        return keys.index("outbound_clicks") if "outbound_clicks" in keys else 0

    def _apply_widths(self) -> None:
        """Figures as narrow as their numbers and headers allow; the title gets the rest (``_fit_title``)."""
        header = self.view.horizontalHeader()
        cells, heads = QFontMetrics(self.view.font()), QFontMetrics(header.font())
        for i, column in enumerate(self.model.columns()):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
            if i == 0:
                continue
            sample = _SAMPLES.get(column.kind)
            width = max(heads.horizontalAdvance(line) for line in column.title.splitlines()) + HEADER_PADDING
            width = max(width, cells.horizontalAdvance(sample) + CELL_PADDING if sample else column.width)
            header.resizeSection(i, width)
        header.setMinimumSectionSize(44)
        self._fit_title()

    def _fit_title(self) -> None:
        """The title column takes the room the figures leave; when that is not enough for the titles, up to
        TITLE_SHARE of the table (and the figures scroll)."""
        header = self.view.horizontalHeader()
        if header.count() == 0:
            return
        room = self.view.viewport().width()
        figures = sum(header.sectionSize(i) for i in range(1, header.count()))
        wanted = min(self._title_width, int(room * TITLE_SHARE))
        header.resizeSection(0, max(room - figures, wanted, 160))

    def _measure_titles(self) -> None:
        """How wide the longest titles are: the 40 longest by characters among the first TITLE_SAMPLE rows
        are measured (a Pin title beyond them is elided in the middle, whole in its tooltip), once per frame."""
        frame = self.model.frame()
        if frame is self._measured:
            return
        self._measured = frame
        key = self.model.columns()[0].key if self.model.columns() else None
        if frame is None or key not in frame or frame.empty:
            self._title_width = 0
            return
        texts = frame[key].to_numpy()[:TITLE_SAMPLE]
        lengths = np.fromiter((len(t) if isinstance(t, str) else 0 for t in texts), dtype=np.int64, count=len(texts))
        longest = texts[np.argpartition(lengths, -min(40, len(texts)))[-40:]]
        metrics_ = QFontMetrics(self.view.font())
        self._title_width = max((metrics_.horizontalAdvance(t) for t in longest if isinstance(t, str)),
                                default=0) + CELL_PADDING

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_title()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_title()

    def set_frame(self, frame, note: str = "", columns: list[Column] | None = None) -> None:
        selected = self.selected_key()
        if columns is not None and [c.key for c in columns] != [c.key for c in self.model.columns()]:
            self.model.set_frame(frame, columns)
            self._apply_widths()
            column, order = self.model.sort_state()
            self.view.horizontalHeader().setSortIndicator(column, order)
        else:
            self.model.set_frame(frame)
        self._measure_titles()
        self.note.setText(note)
        self.note.setVisible(bool(note))
        empty = self.model.total_rows() == 0 and bool(self.empty_note.text())
        self.empty_note.setVisible(empty)
        self.splitter.setVisible(not empty)
        self.filter_box.setEnabled(not empty)
        if selected is not None:
            self.select_key(selected)
        QTimer.singleShot(0, self, self._fit_title)  # once the view knows its scroll bars

    def key_column(self) -> str:
        return "pin_id"

    def selected_key(self):
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.record(index.row()).get(self.key_column())

    def select_key(self, value) -> bool:
        row = self.model.find(self.key_column(), value)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _filter_changed(self, text: str) -> None:
        self._pending_filter = text
        self._filter_timer.start()

    def _apply_filter(self) -> None:
        self.model.set_filter(self._pending_filter)

    def apply_filter_now(self, text: str) -> None:
        self.filter_box.setText(text)
        self._filter_timer.stop()
        self._apply_filter()

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_rows()
        one, many = self._noun
        if shown == total:
            self.count_label.setText(fmt.by_count(total, one, many))
        else:
            self.count_label.setText(self.tr("{shown} of {total}").format(
                shown=fmt.count(shown), total=fmt.by_count(total, one, many)))


class PeriodBars(QWidget):
    """A Pin's outbound clicks per export period (month, usually), as small bars with their values."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.bars: list[tuple[str, float, str]] = []  # (label, value, tooltip)
        self.setMinimumHeight(96)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_bars(self, bars) -> None:
        self.bars = list(bars)
        self.update()

    def paintEvent(self, event) -> None:
        if not self.bars:
            return
        t = style.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = painter.font()
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        painter.setFont(font)
        fm = QFontMetrics(font)
        label_h = fm.height() + 2
        top = max((v for _, v, _ in self.bars if not math.isnan(v)), default=0) or 1
        n = len(self.bars)
        slot = self.width() / n
        bar_w = max(4.0, min(28.0, slot * 0.6))
        chart_h = self.height() - 2 * label_h
        for i, (label, value, _tip) in enumerate(self.bars):
            x = i * slot + (slot - bar_w) / 2
            height = 0 if math.isnan(value) else max(2.0, chart_h * value / top)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(style.OUTBOUND))
            painter.drawRoundedRect(QRectF(x, label_h + chart_h - height, bar_w, height), 2, 2)
            painter.setPen(QColor(t.text_muted))
            text = fmt.short(value) if not math.isnan(value) else fmt.DASH
            painter.drawText(QRectF(i * slot, label_h + chart_h - height - label_h, slot, label_h),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, text)
            painter.setPen(QColor(t.text_faint))
            painter.drawText(QRectF(i * slot, self.height() - label_h, slot, label_h),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
                             fm.elidedText(label, Qt.TextElideMode.ElideRight, int(slot)))
        painter.end()

    def tooltip_at(self, x: float) -> str | None:
        if not self.bars:
            return None
        i = int(x // (self.width() / len(self.bars)))
        return self.bars[i][2] if 0 <= i < len(self.bars) else None

    def event(self, event) -> bool:
        from PySide6.QtCore import QEvent
        from PySide6.QtWidgets import QToolTip

        if event.type() == QEvent.Type.ToolTip:
            tip = self.tooltip_at(event.position().x())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class PinDetail(QFrame):
    """A Pin's figures for the period, its history (daily, or per export period), and its links."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("card")
        self.pin_id = None
        outer = QHBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 14)
        outer.setSpacing(24)

        left = QVBoxLayout()
        left.setSpacing(6)
        self.title = QLabel(self.tr("Choose a Pin to see its figures."))
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)
        left.addWidget(self.title)
        self.meta = QLabel()
        self.meta.setObjectName("faint")
        self.meta.setWordWrap(True)
        left.addWidget(self.meta)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(3)
        left.addLayout(self.grid)
        left.addStretch(1)
        links = QHBoxLayout()
        self.open_post = QPushButton(self.tr("Open the post ↗"))
        self.open_pin = QPushButton(self.tr("Open on Pinterest ↗"))
        for button in (self.open_post, self.open_pin):
            button.setObjectName("link")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            links.addWidget(button)
        links.addStretch(1)
        left.addLayout(links)
        holder = QWidget()
        holder.setLayout(left)
        holder.setMinimumWidth(300)
        holder.setMaximumWidth(420)
        outer.addWidget(holder, 2)

        right = QVBoxLayout()
        right.setSpacing(4)
        self.history_title = QLabel(self.tr("History"))
        self.history_title.setObjectName("cardTitle")
        right.addWidget(self.history_title)
        self.bars = PeriodBars()
        right.addWidget(self.bars, 1)
        self._chart = None
        self.history_note = QLabel()
        self.history_note.setObjectName("sectionNote")
        self.history_note.setWordWrap(True)
        right.addWidget(self.history_note)
        self._right = right
        outer.addLayout(right, 3)
        self.open_post.clicked.connect(lambda: self._open(self.post_url))
        self.open_pin.clicked.connect(lambda: self._open(self.pin_url))
        self.post_url = self.pin_url = None
        self.show_record(None)

    @staticmethod
    def _open(url: QUrl | None) -> None:
        if url is not None:
            QDesktopServices.openUrl(url)

    def show_record(self, record: dict | None, history=None) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        visible = record is not None
        for widget in (self.meta, self.history_title, self.history_note, self.open_post, self.open_pin, self.bars):
            widget.setVisible(visible)
        if self._chart is not None:
            self._chart.setVisible(False)
        if record is None:
            self.pin_id = None
            self.title.setText(self.tr("Choose a Pin in the table to see its figures and history."))
            return
        self.pin_id = record.get("pin_id")
        title = record.get("title") if isinstance(record.get("title"), str) else None
        self.title.setText(title or self.tr("Pin {id}").format(id=self.pin_id))
        bits = []
        if isinstance(record.get("board"), str):
            bits.append(self.tr("Board: {board}").format(board=record["board"]))
        if isinstance(record.get("created"), str):
            bits.append(self.tr("created {day}").format(day=display_value(DATE, record["created"])))
        if isinstance(record.get("format"), str):
            bits.append(record["format"])
        self.meta.setText(" · ".join(bits))
        rows: tuple[tuple[str, str, Callable[[Any], str], str | None], ...] = (
                ("outbound_clicks", self.tr("Outbound clicks"), fmt.count, style.OUTBOUND),
                ("saves", self.tr("Saves"), fmt.count, style.SAVES),
                ("outbound_click_rate", self.tr("Outbound click rate"), fmt.percent, None),
                ("save_rate", self.tr("Save rate"), fmt.percent, None),
                ("impressions", self.tr("Impressions"), fmt.count, None))
        for i, (key, label, show, colour) in enumerate(rows):
            name = QLabel(label)
            name.setObjectName("muted")
            value = QLabel(show(record.get(key)))
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            if colour:
                value.setStyleSheet(f"color: {style.readable(colour)}; font-weight: 600;")
            self.grid.addWidget(name, i % 3, (i // 3) * 2)
            self.grid.addWidget(value, i % 3, (i // 3) * 2 + 1)
        self.post_url = safe_url(record.get("link"))
        self.pin_url = safe_url(f"https://www.pinterest.com/pin/{self.pin_id}/") if self.pin_id else None
        self.open_post.setVisible(self.post_url is not None)
        self.open_post.setToolTip(self.post_url.toString() if self.post_url else "")
        self.open_pin.setVisible(self.pin_url is not None)
        self._show_history(history)

    def _show_history(self, history) -> None:
        daily, periods = history if history is not None else (None, None)
        if daily is not None and len(daily) >= 2:
            if self._chart is None:
                from pinviewer.gui.charts import DailyChart

                self._chart = DailyChart()
                self._chart.setMinimumHeight(110)
                self._chart.show_impressions(False)
                self._right.insertWidget(1, self._chart, 1)
            frame = daily.set_index("date").sort_index()
            full = frame.reindex(pd.date_range(frame.index[0], frame.index[-1], freq="D"))
            for name in ("outbound_clicks", "saves", "impressions"):
                if name not in full:
                    full[name] = np.nan
                full[name + "_avg7"] = full[name].rolling(7, min_periods=4).mean()
            flags = full["provisional"] if "provisional" in full else pd.Series(False, index=full.index)
            full["provisional"] = flags.fillna(False).astype(bool)
            self._chart.set_series(full)
            self._chart.setVisible(True)
            self.bars.setVisible(False)
            self.history_title.setText(self.tr("Outbound clicks and saves per day"))
            self.history_note.setText("")
            return
        if periods is not None and len(periods):
            bars = []
            for row in periods.tail(12).itertuples(index=False):
                start, end = row.start.date(), row.end.date()
                clicks = float(getattr(row, "outbound_clicks", np.nan))
                label = fmt.locale().toString(fmt.qdate(start), "MMM") if (end - start).days < 32 else \
                    fmt.period(start, end)
                tip = self.tr("{period}: {clicks} outbound clicks, {saves} saves, {imp} impressions").format(
                    period=fmt.period(start, end), clicks=fmt.count(clicks),
                    saves=fmt.count(getattr(row, "saves", None)), imp=fmt.count(getattr(row, "impressions", None)))
                bars.append((label, clicks, tip))
            self.bars.set_bars(bars)
            self.bars.setVisible(True)
            monthly = all((r.end - r.start).days < 32 for r in periods.tail(12).itertuples(index=False))
            self.history_title.setText(self.tr("Outbound clicks per month (one bar for each download)") if monthly
                                       else self.tr("Outbound clicks per download (one bar for each)"))
            self.history_note.setText(self.tr("Pinterest's exports give a Pin's totals per period, not per day. "
                                              "Point at a bar for its figures."))
            return
        self.bars.setVisible(False)
        self.history_note.setText(self.tr("No other figures for this Pin."))


class PinsPage(TablePage):
    def __init__(self, history_provider=None, parent=None):
        super().__init__(self.tr("Pins"), self.tr("Filter by title or board…"), pin_columns(self.tr),
                         ("title", "board"), (self.tr("{n} Pin"), self.tr("{n} Pins")), parent,
                         empty_text=self.tr(
                             "<b>No Pin figures yet.</b><br>On pinterest.com, open <i>Analytics &gt; Overview</i>, "
                             "scroll to <b>Top Pins</b> and click <b>Export</b>; drop the file here (or "
                             "<i>File &gt; Import…</i>). Or connect Pinterest (<i>File &gt; Connect Pinterest…</i>)."))
        self.history_provider = history_provider
        self.detail = PinDetail()
        self.detail.setMinimumHeight(170)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        state = settings.settings().value(settings.PINS_SPLITTER)
        if state is not None:
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([420, 210])
        self.splitter.splitterMoved.connect(
            lambda *_: settings.put(settings.PINS_SPLITTER, self.splitter.saveState()))
        self.row_chosen.connect(self._show_detail)
        self.model.modelReset.connect(lambda: self._show_detail(self.view.currentIndex().row()))

    def _show_detail(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            self.detail.show_record(None)
            return
        record = self.model.record(row)
        history = self.history_provider(record["pin_id"]) if self.history_provider else None
        self.detail.show_record(record, history)


class PostsPage(TablePage):
    pin_chosen = Signal(str)  # a Pin of the chosen post was opened

    def __init__(self, parent=None):
        from pinviewer.gui.post_detail import PostDetail

        super().__init__(self.tr("Posts"), self.tr("Filter by title or address…"), post_columns(self.tr, False),
                         ("title", "url"), (self.tr("{n} post"), self.tr("{n} posts")), parent,
                         empty_text=self.tr(
                             "<b>No posts yet.</b><br>Posts come from the links of your Pins: on pinterest.com, "
                             "<i>Analytics &gt; Overview &gt; Top Pins &gt; Export</i>, and drop the file here. "
                             "For visits and sign-ups or sales per post, add Google Analytics' "
                             "<i>Reports &gt; Engagement &gt; Landing page</i> download (see the README)."))
        self.count_label.setToolTip(self.tr("Double-click a post (or press Enter) to open it in your browser."))
        self.view.activated.connect(self._open)
        self.pins = None  # the Pins of the period, for the detail's list
        self.detail = PostDetail()
        self.detail.setMinimumHeight(170)
        self.detail.pin_chosen.connect(self.pin_chosen)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([420, 210])
        self.row_chosen.connect(self._show_detail)
        self.model.modelReset.connect(lambda: self._show_detail(self.view.currentIndex().row()))

    def key_column(self) -> str:
        return "url"

    def set_posts(self, frame, note: str, with_site: bool, pins=None) -> None:
        from pinviewer.gui.post_detail import with_titles

        self.pins = pins
        self.set_frame(with_titles(frame), note, post_columns(self.tr, with_site))

    def _show_detail(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            self.detail.show_post(None)
            return
        self.detail.show_post(self.model.record(row), self.pins)

    def _open(self, index) -> None:
        if not index.isValid():
            return
        url = self.model.record(index.row()).get("url")
        target = safe_url(url if isinstance(url, str) and "://" in url else f"https://{url}" if url else None)
        if target is not None:
            QDesktopServices.openUrl(target)
