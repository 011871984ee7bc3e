"""The Insights page's content and the monthly goals behind it.

What the figures say is worked out on the worker (``core.insights.all_insights``) once per period, when the
page is opened; goals are kept per profile in the history and edited with ``GoalsDialog``.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class InsightsController(QObject):
    shown = Signal()  # the Insights page shows what the figures say

    def __init__(self, window, data):
        super().__init__(window)
        self.window, self.data = window, data
        self.page = None  # the InsightsView, once the pages exist
        self._for = None  # the figures the page shows

    def update(self, force: bool = False) -> None:
        """Work out the insights for the figures on screen (off the GUI thread), once per period."""
        from pinviewer.gui import tasks

        figures, data = self.data.figures, self.data
        if self.page is None or figures is None or (self._for is figures and not force):
            return
        self._for = figures
        store, profile, dataset, period = data.store, data.profile, data.dataset, figures.period

        def work(progress, cancelled):
            from pinviewer.core.insights import all_insights
            from pinviewer.core.insights.goals import load_goals

            return all_insights(dataset, period, load_goals(store, profile), progress, cancelled)

        def done(result):
            if self._for is figures:
                self.page.set_insights(result)
                self.shown.emit()

        tasks.run(self.window, work, label=self.tr("Looking for what your figures say…"), on_done=done)

    @staticmethod
    def open_board(url: str) -> None:
        """A board named on the Insights page: its page on Pinterest, in the browser (web links only)."""
        from PySide6.QtGui import QDesktopServices

        from pinviewer.gui.pins_view import safe_url

        target = safe_url(url) if "://" in str(url) else None
        if target is not None:
            QDesktopServices.openUrl(target)

    def edit_goals(self) -> None:
        """Monthly goals, kept per profile in the history (Store settings)."""
        from pinviewer.gui import errors, tasks
        from pinviewer.gui.goals_dialog import GoalsDialog

        if self.data.store is None or self.data.demo:
            errors.show_problem(self.window, self.tr("Goals belong to your own blog: leave the sample blog first."))
            return
        store, profile = self.data.store, self.data.profile

        def ask(goals):
            dialog = GoalsDialog(goals, self.window)
            if dialog.exec() != GoalsDialog.DialogCode.Accepted:
                return
            changes = dialog.goals()

            def save(progress, cancelled):
                from pinviewer.core.insights.goals import set_goals

                return set_goals(store, profile, changes)

            tasks.run(self.window, save, on_done=lambda _goals: self.update(force=True))

        def load(progress, cancelled):
            from pinviewer.core.insights.goals import load_goals

            return load_goals(store, profile)

        tasks.run(self.window, load, on_done=ask)
