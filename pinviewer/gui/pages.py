"""The four pages behind the navigation: Overview (the dashboard), Pins, Posts and Insights.

Built only once figures exist (pyqtgraph and pandas are imported here, after the first paint). ``show_figures``
gives each page its part of a PeriodFigures; a table whose figures come from exports that do not exactly cover
the chosen period says which days they cover.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication

OVERVIEW, PINS, POSTS, INSIGHTS = 0, 1, 2, 3


def tr(text: str) -> str:
    return QCoreApplication.translate("Pages", text)


class Pages:
    """The page widgets, made once; the window adds them to its stack and wires their signals."""

    def __init__(self, pin_history):
        from pinviewer.gui.dashboard import Dashboard
        from pinviewer.gui.insights_view import InsightsView
        from pinviewer.gui.pins_view import PinsPage, PostsPage

        self.dashboard = Dashboard()
        self.pins = PinsPage(pin_history)
        self.posts = PostsPage()
        self.insights = InsightsView()

    def widgets(self) -> tuple:
        """In the order of the navigation (OVERVIEW, PINS, POSTS, INSIGHTS)."""
        return self.dashboard, self.pins, self.posts, self.insights

    def show_figures(self, figures) -> None:
        from pinviewer.gui import formatting as fmt

        self.dashboard.show_figures(figures)
        cover, note = figures.pins_covers, ""
        if cover is not None and cover != figures.period:
            note = tr("Pin figures add up the downloads of {period}, the ones that best match the chosen "
                      "period.").format(period=fmt.period(cover.start, cover.end))
        checklist = figures.summary.checklist
        if checklist is not None and checklist.period is not None and len(figures.pins):
            known = [checklist.pins_sentence(m) for m in ("outbound_clicks", "saves", "impressions")]
            known_text = tr("{known}; a dash: not in that download's top list.").format(known="; ".join(known))
            note = " ".join(part for part in (note, known_text[:1].upper() + known_text[1:]) if part)
        self.pins.set_frame(figures.pins, note)
        post_cover, post_note = figures.posts_covers, ""
        if post_cover is not None and post_cover != figures.period:
            post_note = tr("Post figures add up the downloads of {period}, the ones that best match the chosen "
                           "period.").format(period=fmt.period(post_cover.start, post_cover.end))
        self.posts.set_posts(figures.posts, post_note, figures.has_site, figures.pins)

    @staticmethod
    def footer(figures) -> str:
        """Under the navigation: up to which day the figures go, and the days still being counted."""
        from pinviewer.gui import formatting as fmt

        last = figures.data_range.end if figures.data_range else None
        text = tr("Figures up to {day}").format(day=fmt.day(last)) if last else ""
        if figures.provisional_days:
            text += "<br>" + fmt.by_count(figures.provisional_days, tr("the last day is still being counted"),
                                        tr("the last {n} days are still being counted"))
        return text
