"""The Overview page: one sentence, the cards, the daily chart, the funnel and the Pins that bring visitors."""
from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (QCheckBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QSizePolicy, QVBoxLayout, QWidget)

from pinviewer.core import metrics
from pinviewer.gui import formatting as fmt
from pinviewer.gui import style
from pinviewer.gui.cards import MetricCard
from pinviewer.gui.charts import DailyChart
from pinviewer.gui.funnel import FunnelWidget
from pinviewer.gui.labels import ElidedLabel
from pinviewer.core.period_figures import PeriodFigures


def card_frame(title: str, parent=None) -> tuple[QFrame, QVBoxLayout, QHBoxLayout]:
    """A white card with a bold title; returns (card, body layout, header layout: title, stretch, ...)."""
    frame = QFrame(parent)
    frame.setObjectName("card")
    body = QVBoxLayout(frame)
    body.setContentsMargins(18, 14, 18, 16)
    body.setSpacing(10)
    header = QHBoxLayout()
    header.setSpacing(14)
    label = QLabel(title)
    label.setObjectName("sectionTitle")
    header.addWidget(label)
    header.addStretch(1)
    body.addLayout(header)
    return frame, body, header


def compare_words(figs: PeriodFigures, tr) -> str:
    if figs.compare == "year":
        return tr("the same days last year")
    return fmt.by_count(figs.period.days, tr("the day before"), tr("the previous {n} days"))


class Dashboard(QScrollArea):
    pin_chosen = Signal(str)  # a Pin's id
    all_pins = Signal()
    impressions_toggled = Signal(bool)
    import_requested = Signal()  # from "Add Google Analytics — how?"

    CARDS = ("outbound_clicks", "saves", "key_events", "outbound_click_rate", "save_rate")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("pageScroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        body.setObjectName("pageBody")
        self.setWidget(body)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(16, 12, 16, 16)
        outer.setSpacing(12)
        self.figures: PeriodFigures | None = None
        self.currency: str | None = None  # the profile's, for revenue (gui/currency_dialog.py)
        self._build_headline(outer)
        outer.addLayout(self._build_cards())
        outer.addWidget(self._build_chart(), 1)
        bottom = QHBoxLayout()
        bottom.setSpacing(14)
        bottom.addWidget(self._build_funnel(), 6)
        bottom.addWidget(self._build_top_pins(), 5)
        outer.addLayout(bottom)

    def _build_headline(self, outer: QVBoxLayout) -> None:
        """One sentence on top, and what to download next when the period lacks one of the three figures."""
        self.headline_strip = QFrame()
        self.headline_strip.setObjectName("headlineStrip")
        strip = QHBoxLayout(self.headline_strip)
        strip.setContentsMargins(14, 7, 14, 7)
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        strip.addWidget(self.headline, 1)
        outer.addWidget(self.headline_strip)
        self.next_steps = QLabel()
        self.next_steps.setObjectName("nextSteps")
        self.next_steps.setWordWrap(True)
        self.next_steps.setTextFormat(Qt.TextFormat.RichText)
        self.next_steps.setVisible(False)
        outer.addWidget(self.next_steps)

    def _build_cards(self) -> QHBoxLayout:
        """The cards: the business first, impressions last and muted."""
        row = QHBoxLayout()
        row.setSpacing(12)
        explain = {m: metrics.BY_NAME[m].explain for m in metrics.BY_NAME}
        self.cards: dict[str, MetricCard] = {
            "outbound_clicks": MetricCard("outbound_clicks", self.tr("Outbound clicks"), explain["outbound_clicks"],
                                          colour=style.OUTBOUND),
            "saves": MetricCard("saves", self.tr("Saves"), explain["saves"], colour=style.SAVES),
            "key_events": MetricCard("key_events", self.tr("Conversions (sign-ups, sales)"), explain["key_events"],
                                     colour=style.CONVERSIONS),
            "outbound_click_rate": MetricCard("outbound_click_rate", self.tr("Outbound click rate"),
                                              self.tr("Of every 100 times your Pins appeared, how often someone "
                                                      "clicked through to your site (outbound clicks ÷ impressions)."),
                                              kind="rate"),
            "save_rate": MetricCard("save_rate", self.tr("Save rate"),
                                    self.tr("How often an appearance of your Pins led to a save "
                                            "(saves ÷ impressions)."), kind="rate"),
            "impressions": MetricCard("impressions", self.tr("Impressions"),
                                      self.tr("Times your Pins appeared on a screen. Appeared is not seen: "
                                              "people scroll past most of them, so impressions are context, "
                                              "not a result. What pays are outbound clicks, saves and "
                                              "conversions."), muted=True),
        }
        self.cards["key_events"].action_link.linkActivated.connect(lambda _href: self.explain_analytics())
        for name, stretch in (("outbound_clicks", 10), ("saves", 10), ("key_events", 10), ("outbound_click_rate", 9),
                              ("save_rate", 9), ("impressions", 7)):
            row.addWidget(self.cards[name], stretch)
        return row

    def _build_chart(self) -> QFrame:
        """Outbound clicks and saves per day, impressions on their own scale when asked."""
        chart_card, chart_body, chart_header = card_frame(self.tr("Outbound clicks and saves per day"))
        chart_body.setSpacing(4)
        for colour, text in ((style.OUTBOUND, self.tr("Outbound clicks")), (style.SAVES, self.tr("Saves"))):
            key = QLabel(f"<span style='color:{colour}'>━━</span> {text}")
            key.setObjectName("muted")
            chart_header.addWidget(key)
        self.impressions_box = QCheckBox(self.tr("Impressions"))
        self.impressions_box.setChecked(True)
        self.impressions_box.setToolTip(self.tr("Show or hide impressions, as a dashed grey line on its own scale."))
        self.impressions_box.toggled.connect(self._impressions_toggled)
        chart_header.addWidget(self.impressions_box)
        self.chart = DailyChart()
        chart_body.addWidget(self.chart, 1)
        self.chart.setToolTip(self.tr("Thin lines: each day. Thick lines: 7-day average. Dashed grey: "
                                      "impressions, on the right-hand scale. Point at a day to read its figures."))
        chart_card.setMinimumHeight(200)
        return chart_card

    def _build_funnel(self) -> QFrame:
        funnel_card, funnel_body, funnel_header = card_frame(self.tr("From seen to sold"))
        self.funnel_note = ElidedLabel()
        self.funnel_note.setObjectName("sectionNote")
        self.funnel_note.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        funnel_header.addWidget(self.funnel_note)
        self.funnel = FunnelWidget()
        funnel_body.addWidget(self.funnel)
        funnel_body.addStretch(1)
        return funnel_card

    def _build_top_pins(self) -> QFrame:
        """The Pins that bring visitors: each title one link (one Tab stop), then All Pins."""
        pins_card, pins_body, pins_header = card_frame(self.tr("Pins that bring visitors"))
        self.pins_note = ElidedLabel()
        self.pins_note.setObjectName("sectionNote")
        self.pins_note.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        pins_header.addWidget(self.pins_note)
        self.top_grid = QGridLayout()
        self.top_grid.setHorizontalSpacing(18)
        self.top_grid.setVerticalSpacing(6)
        self.top_grid.setColumnStretch(0, 1)
        pins_body.addLayout(self.top_grid)
        self.all_pins_button = QPushButton()
        self.all_pins_button.setObjectName("link")
        self.all_pins_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.all_pins_button.clicked.connect(self.all_pins)
        pins_body.addWidget(self.all_pins_button, 0, Qt.AlignmentFlag.AlignLeft)
        pins_body.addStretch(1)
        return pins_card

    def explain_analytics(self) -> None:
        """Add Google Analytics — how?: the two reports to download, and Import… to bring them in."""
        from PySide6.QtWidgets import QMessageBox

        from pinviewer.core.checklist import HOW_GOOGLE_ANALYTICS

        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Add Google Analytics"),
                          self.tr("Conversions (email sign-ups, sales) come from your Google Analytics, not from "
                                  "Pinterest."), QMessageBox.StandardButton.Close, self)
        box.setInformativeText("<ol>" + "".join(f"<li>{html.escape(step)}</li>" for step in HOW_GOOGLE_ANALYTICS)
                               + "</ol>")
        import_button = box.addButton(self.tr("Import…"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(import_button)
        box.exec()
        if box.clickedButton() is import_button:
            self.import_requested.emit()

    # ---------------------------------------------------------------- updates
    def _impressions_toggled(self, visible: bool) -> None:
        self.chart.show_impressions(visible)
        self.impressions_toggled.emit(visible)

    def set_impressions_visible(self, visible: bool) -> None:
        self.impressions_box.setChecked(visible)
        self.chart.show_impressions(visible)

    def apply_theme(self) -> None:
        for card in self.cards.values():
            card.apply_theme()
        self.chart.apply_theme()
        self.funnel.update()

    def show_figures(self, figs: PeriodFigures) -> None:
        """The period summary's figures, changes and notes: what the paper and ``summary --json`` say."""
        self.figures = figs
        text = self.headline_text(figs)
        change = figs.change("outbound_clicks")
        trend = change.direction if change is not None and change.direction is not None else 0  # (compared)
        theme = style.current()
        colour = theme.up if trend > 0 else theme.down if trend < 0 else theme.text_faint
        if text[:1] in (fmt.UP, fmt.DOWN, fmt.FLAT):
            self.headline.setText(f"<span style='color:{colour}'>{text[0]}</span>{html.escape(text[1:])}")
        else:
            self.headline.setText(html.escape(text))
        previous_label = self.tr("Before ({period})").format(period=fmt.period(figs.other.start, figs.other.end))
        series = figs.series
        for name, card in self.cards.items():
            card.show_figure(figs.figure(name), figs.change(name), previous_label, self._spark(series, name))
        # without Google Analytics the Conversions card stays, unknown, and says how to get the figure (imported
        # for other days only: its note says there are none for this period, and it is not asked for again)
        never_imported = not figs.has_site and not figs.summary.site_imported
        self.cards["key_events"].offer(self.tr("Add Google Analytics — how?") if never_imported else None)
        self.chart.set_series(series)
        self.funnel.set_steps(figs.funnel, currency=self.currency or figs.summary.currency,
                              revenue=figs.summary.revenue.value)
        notes = [step.note for step in figs.funnel if step.note]
        visits = figs.figure("sessions") if figs.figure("sessions").known else figs.figure("key_events")
        if figs.has_site:
            self.funnel_note.setText(visits.note or self.tr("visits: Google Analytics, the same days"))
            self.funnel_note.setToolTip(" ".join([self.tr("Google Analytics downloads that cover the days you "
                                                          "chose are added up; a step's share is worked out only "
                                                          "over the days both steps count."), *notes]))
        elif figs.summary.site_imported:  # imported, but not for these days: never ask for it again
            self.funnel_note.setText(self.tr("no Google Analytics figures for these days"))
            self.funnel_note.setToolTip(self.tr("Your Google Analytics downloads cover other days; choose a period "
                                                "they cover, or import the one for these days."))
        else:
            self.funnel_note.setText(self.tr("add Google Analytics to see visits and sign-ups"))
            self.funnel_note.setToolTip(self.tr("Import a Google Analytics export (Traffic acquisition or Landing "
                                                "page) to follow visitors from your Pins to sign-ups and sales."))
        self._fill_top_pins(figs)
        self._fill_next_steps(figs)

    def _fill_next_steps(self, figs: PeriodFigures) -> None:
        """The download checklist (core/checklist.py) for the period shown, and which other months lack a figure."""
        checklist = figs.summary.checklist
        if checklist is None or checklist.period is None:
            self.next_steps.setVisible(False)
            return
        lines = [] if checklist.period.complete else [checklist.period.sentence()]
        others = [m.label for m in checklist.incomplete_months
                  if not (m.start <= checklist.period.end and m.end >= checklist.period.start)]
        if others:
            shown = ", ".join(others[:4]) + (self.tr(" and {n} more").format(n=len(others) - 4) if len(others) > 4
                                              else "")
            lines.append(self.tr("Other months that lack a figure: {months}.").format(months=shown))
        text = "<br>".join(fmt.bold_choices(html.escape(line)) for line in lines)
        self.next_steps.setText(f"<b>{self.tr('What to download next')}</b><br>{text}" if text else "")
        self.next_steps.setVisible(bool(text))

    def headline_text(self, figs: PeriodFigures) -> str:
        """'▲ Outbound clicks rose 18%, saves held steady and conversions fell 12% compared with ...': the
        verbs are the summary's (its counting-noise rule), the same the paper's sentences use."""
        parts = []
        for name, label in (("outbound_clicks", self.tr("Outbound clicks")), ("saves", self.tr("saves")),
                            ("key_events", self.tr("conversions"))):
            change = figs.change(name)
            if change is None or change.direction is None:  # not compared
                continue
            if change.direction == 0:
                parts.append(self.tr("{what} held steady").format(what=label))
            elif change.fraction is None:
                parts.append(self.tr("{what} rose").format(what=label))
            elif change.direction > 0:
                parts.append(self.tr("{what} rose {pct}").format(what=label, pct=_percent(change.fraction)))
            else:
                parts.append(self.tr("{what} fell {pct}").format(what=label, pct=_percent(change.fraction)))
        if not parts:
            text = self.tr("{days} with figures from {period}. There is nothing earlier to compare with yet.").format(
                days=fmt.by_count(figs.days_with_data, self.tr("{n} day"), self.tr("{n} days")),
                period=fmt.period(figs.period.start, figs.period.end))
        else:
            first = parts[0][0].upper() + parts[0][1:]
            joined = first if len(parts) == 1 else ", ".join([first, *parts[1:-1]]) + self.tr(" and ") + parts[-1]
            change = figs.change("outbound_clicks")
            arrow = change.arrow if change is not None and change.compared else fmt.FLAT
            text = self.tr("{arrow} {changes} compared with {before}.").format(
                arrow=arrow, changes=joined, before=compare_words(figs, self.tr))
        if figs.provisional_days:
            text += " " + fmt.by_count(figs.provisional_days, self.tr("The last day is still being counted."),
                                     self.tr("The last {n} days are still being counted."))
        for note in figs.notes:
            text += " " + note
        return text

    @staticmethod
    def _spark(series, name: str):
        if series is None or not len(series):
            return None
        def column(key):  # the 7-day average: a sparkline shows the trend, not each day's noise
            values = series.get(key + "_avg7")
            if values is None or not values.notna().any():
                values = series.get(key)
            return None if values is None else values.to_numpy(float)
        if name in ("outbound_clicks", "saves"):
            return column(name)
        if name in ("outbound_click_rate", "save_rate"):
            top = column("outbound_clicks" if name == "outbound_click_rate" else "saves")
            bottom = column("impressions")
            if top is None or bottom is None:
                return None
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.where(bottom > 0, top / bottom, np.nan)
        return None

    def _fill_top_pins(self, figs: PeriodFigures) -> None:
        while self.top_grid.count():
            item = self.top_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        heads = (self.tr("Pin"), self.tr("Outbound"), self.tr("Saves"), self.tr("Click rate"))
        for col, text in enumerate(heads):
            label = QLabel(text)
            label.setObjectName("tableHead")
            label.setAlignment(Qt.AlignmentFlag.AlignRight if col else Qt.AlignmentFlag.AlignLeft)
            self.top_grid.addWidget(label, 0, col)
        top = figs.top_pins
        metrics_ = QFontMetrics(self.font())
        for row, record in enumerate(top.itertuples(index=False), start=1):
            title = record.title if isinstance(record.title, str) and record.title else self.tr("Pin {id}").format(
                id=record.pin_id)
            # one button per Pin: one Tab stop, Space opens it (a label's link took two stops); "&&" is a plain "&"
            link = QPushButton(metrics_.elidedText(title, Qt.TextElideMode.ElideMiddle, 330).replace("&", "&&"))
            link.setObjectName("pinLink")
            link.setToolTip(title)
            link.setAccessibleName(self.tr("Open Pin {title}").format(title=title))
            link.setCursor(Qt.CursorShape.PointingHandCursor)
            link.clicked.connect(lambda _checked=False, pin=str(record.pin_id): self.pin_chosen.emit(pin))
            link.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.top_grid.addWidget(link, row, 0)
            for col, text in enumerate((fmt.count(record.outbound_clicks), fmt.count(record.saves),
                                        fmt.percent(record.outbound_click_rate)), start=1):
                label = QLabel(text)
                label.setAlignment(Qt.AlignmentFlag.AlignRight)
                self.top_grid.addWidget(label, row, col)
        if not len(top):
            empty = QLabel(self.tr("No Pin figures for this period yet. Import a top-Pins export from Pinterest "
                                   "to see which Pins bring visitors."))
            empty.setObjectName("muted")
            empty.setWordWrap(True)
            self.top_grid.addWidget(empty, 1, 0, 1, 4)
        cover = figs.summary.pins_cover
        if cover is not None and not cover.exact and not cover.daily:
            assert figs.pins_covers is not None  # the period of that cover
            self.pins_note.setText(self.tr("figures for {period}").format(
                period=fmt.period(figs.pins_covers.start, figs.pins_covers.end)))
            self.pins_note.setToolTip(self.tr("Pinterest's top-Pins exports cover whole periods; PinViewer adds up "
                                              "the ones that best match the days you chose: {days}.").format(
                                                  days=cover.days_text()))
            self.pins_note.setVisible(True)
        else:
            self.pins_note.setVisible(False)
        count = len(figs.pins)
        self.all_pins_button.setText(fmt.by_count(count, self.tr("The Pin ›"), self.tr("All {n} Pins ›")))
        self.all_pins_button.setVisible(count > 0)


def _percent(fraction: float) -> str:
    """The size of a change as the paper writes it (no sign: the verb says which way), in the user's locale."""
    from pinviewer.core import wording

    return fmt.locale().toString(abs(fraction) * 100, "f", wording.change_digits(fraction)) + "%"

