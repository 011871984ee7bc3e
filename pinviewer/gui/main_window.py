"""The main window: a shell that lays out the top bar, the navigation, the messages and the pages, and hands
every action to a controller (pinviewer.gui.controllers: data, imports, profiles, paper, insights; sync_ui).

Start-up in three steps: ``MainWindow()`` is a skeleton that paints at once; ``start()`` hands the opening
of the history to the worker (pandas, the store, the figures) and meanwhile ``build()`` adds the controls
and ``ensure_pages()`` the dashboard and tables (pyqtgraph). Everything that touches the store or computes
runs through ``tasks.run``, one job at a time (``DataController.run_load``).

The first size comes from the screen's available geometry and a restored size is clamped to it: the window
never opens larger than the screen or off it.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from pinviewer.gui import settings
from pinviewer.gui.pages import INSIGHTS, OVERVIEW, PINS, POSTS
from pinviewer.gui.window_geometry import centred, restore_geometry

if TYPE_CHECKING:
    from pinviewer.gui.controllers.data import DataController
    from pinviewer.gui.controllers.imports import ImportsController
    from pinviewer.gui.controllers.insights import InsightsController
    from pinviewer.gui.controllers.paper import PaperController
    from pinviewer.gui.controllers.profiles import ProfilesController
    from pinviewer.gui.menus import Actions
    from pinviewer.gui.pages import Pages
    from pinviewer.gui.period_picker import PeriodPicker
    from pinviewer.gui.series_box import SeriesBox
    from pinviewer.gui.sync_ui import SyncController
    from pinviewer.gui.window_chrome import Messages, Navigation

# Only what the first paint needs is imported above (each Qt class costs time the first time it is touched, and
# PySide6's ``Qt`` namespace ~20 ms: the skeleton does without it); the rest of the window is built by
# MainWindow.build(), right after that paint.

log = logging.getLogger(__name__)

__all__ = ["MainWindow", "OVERVIEW", "PINS", "POSTS", "INSIGHTS"]
class MainWindow(QMainWindow):
    ready = Signal()  # the first history is open (dashboard or empty state shown)
    loaded = Signal()  # a history was (re)loaded: opened, imported into, undone, profile switched
    figures_shown = Signal()  # the pages show figures for the chosen period
    insights_shown = Signal()  # the Insights page shows what the figures say

    def __init__(self, demo: bool = False):
        super().__init__()
        self.setWindowTitle(self.tr("PinViewer"))
        self.setAcceptDrops(True)  # from the first paint; pinviewer.gui.drops handles the drops once built
        self.start_demo = demo
        self.built = False
        self.pages: Pages | None = None  # once figures exist
        self.menu_actions: Actions | None = None  # once built (not ``actions``: QWidget.actions())
        self.period_picker: PeriodPicker | None = None
        self.series_box: SeriesBox | None = None
        self.nav: Navigation | None = None  # the page list, once built
        self.messages: Messages | None = None  # the banner and the notice above the pages, once built
        # made by make_controllers(), right after the first paint
        self.data: DataController | None = None
        self.imports: ImportsController | None = None
        self.profiles: ProfilesController | None = None
        self.paper: PaperController | None = None
        self.insights: InsightsController | None = None
        self.sync: SyncController | None = None
        self._build_skeleton()
        restore_geometry(self)

    def make_controllers(self) -> None:
        """The controllers, right after the first paint (their classes cost ~7 ms to make: not before it)."""
        if self.data is not None:
            return
        from pinviewer.gui.controllers.data import DataController
        from pinviewer.gui.controllers.imports import ImportsController
        from pinviewer.gui.controllers.insights import InsightsController
        from pinviewer.gui.controllers.paper import PaperController
        from pinviewer.gui.controllers.profiles import ProfilesController
        from pinviewer.gui.sync_ui import SyncController

        self.data = DataController(self, self.view)
        self.imports = ImportsController(self, self.data)
        self.profiles = ProfilesController(self, self.data)
        self.paper = PaperController(self, self.data)
        self.insights = InsightsController(self, self.data)
        self.sync = SyncController(self, self.data)
        self.data.loaded.connect(self._show_loaded)
        self.data.figures_ready.connect(self._show_figures)
        self.data.ready.connect(self._first_ready)
        self.insights.shown.connect(self.insights_shown)

    def _build_skeleton(self) -> None:
        """What the first paint shows: the top bar with the name, an empty stack saying it is opening."""
        central = QWidget()
        central.setObjectName("page")
        self.setCentralWidget(central)
        root = QVBoxLayout(central)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        bar = QWidget()
        bar.setObjectName("topBar")
        bar.setFixedHeight(54)
        self.top_layout = QHBoxLayout(bar)
        self.top_layout.setContentsMargins(18, 8, 18, 8)
        self.top_layout.setSpacing(12)
        self.app_name = name = QLabel(self.tr("PinViewer"))
        name.setObjectName("appName")
        self.top_layout.addWidget(name)
        self.top_layout.addStretch(1)
        root.addWidget(bar)
        self.body = QHBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(0)
        self.right = QVBoxLayout()
        self.right.setContentsMargins(0, 0, 0, 0)
        self.right.setSpacing(0)
        self.stack = QStackedWidget()
        self.right.addWidget(self.stack, 1)
        self.body.addLayout(self.right, 1)
        root.addLayout(self.body, 1)
        loading = QLabel(self.tr("Opening your figures…"))
        loading.setObjectName("faint")
        self.loading_page = centred(loading)
        self.stack.addWidget(self.loading_page)
        bar_menus = self.menuBar()
        self.menus = {key: bar_menus.addMenu(text) for key, text in (
            ("file", self.tr("&File")), ("view", self.tr("&View")), ("profile", self.tr("P&rofile")),
            ("help", self.tr("&Help")))}

    # ================================================================== what the window shows (read-only)
    @property
    def store(self):
        return self.data.store if self.data is not None else None

    @property
    def profile(self):
        return self.data.profile if self.data is not None else None

    @property
    def dataset(self):
        return self.data.dataset if self.data is not None else None

    @property
    def figures(self):
        return self.data.figures if self.data is not None else None

    @property
    def demo(self) -> bool:
        return self.data is not None and self.data.demo

    @property
    def dashboard(self):
        return self.pages.dashboard if self.pages is not None else None

    @property
    def pins_page(self):
        return self.pages.pins if self.pages is not None else None

    @property
    def posts_page(self):
        return self.pages.posts if self.pages is not None else None

    @property
    def insights_page(self):
        return self.pages.insights if self.pages is not None else None

    def view(self):
        """The period and comparison chosen (a core.session.View): the picker's, or last time's before it exists."""
        from pinviewer.core.session import View

        picker = self.period_picker
        if picker is None:
            return settings.saved_view()
        series = self.series_box.current_key() if self.series_box is not None else None
        return View(picker.preset(), picker.custom, picker.compare(), series)

    # ================================================================== building
    def build(self) -> None:
        """The rest of the window: controls, navigation, messages, the first screen, menus."""
        if self.built:
            return
        self.built = True
        self.make_controllers()
        # make_controllers() ran
        assert (self.data is not None and self.imports is not None and self.profiles is not None
                and self.sync is not None and self.insights is not None and self.paper is not None)
        from pinviewer.gui import menus, profiles
        from pinviewer.gui.empty_state import EmptyState
        from pinviewer.gui.period_picker import PeriodPicker
        from pinviewer.gui.window_chrome import Messages, Navigation, top_buttons

        layout = self.top_layout
        layout.takeAt(layout.count() - 1)  # the skeleton's stretch
        layout.addSpacing(8)
        self.profile_box = profiles.ProfileBox()
        self.profile_box.chosen.connect(self.profiles.switch)
        layout.addWidget(self.profile_box)
        from pinviewer.gui.series_box import SeriesBox

        self.series_box = SeriesBox()
        self.series_box.chosen.connect(self.data.series_changed)
        layout.addWidget(self.series_box)
        layout.addStretch(1)
        self.period_picker = PeriodPicker()
        saved = settings.saved_view()
        self.period_picker.set_state(saved.preset, saved.compare, saved.custom)
        self.period_picker.changed.connect(self.data.period_changed)
        layout.addWidget(self.period_picker)
        layout.addStretch(1)
        self.import_button, self.pdf_button = top_buttons(self, layout, self.imports.choose_files,
                                                          self.paper.save_pdf)
        self.nav = Navigation()
        self.nav.chosen.connect(self.show_page)
        self.body.insertWidget(0, self.nav)
        self.messages = Messages(self.profiles.open_own)
        self.right.insertWidget(0, self.messages)

        self.empty_page = EmptyState()
        self.empty_page.import_clicked.connect(self.imports.choose_files)
        self.empty_page.connect_clicked.connect(self.sync.open_dialog)
        self.empty_page.demo_clicked.connect(self.profiles.open_demo)
        self.stack.addWidget(self.empty_page)
        from pinviewer.gui.drops import DropImport

        self.drops = DropImport(self, self.empty_page, self.imports.open_files)
        self.menu_actions = menus.build_menus(self)
        self.set_sync_available(self.sync.connected())
        self._show_chrome(False)

    def ensure_pages(self) -> None:
        """Build the dashboard and tables (pyqtgraph, pandas): only once figures exist."""
        if self.pages is not None:
            return
        from pinviewer.gui.pages import Pages

        # built (controllers and menus) before the pages
        assert self.data is not None and self.insights is not None and self.menu_actions is not None
        self.pages = pages = Pages(self.data.pin_history)
        pages.dashboard.pin_chosen.connect(self.show_pin)
        pages.dashboard.all_pins.connect(lambda: self.show_page(PINS))
        assert self.imports is not None  # made with the controllers
        pages.dashboard.import_requested.connect(self.imports.choose_files)
        pages.dashboard.impressions_toggled.connect(self.set_impressions_visible)
        pages.dashboard.set_impressions_visible(self.menu_actions.impressions.isChecked())
        pages.posts.pin_chosen.connect(self.show_pin)
        pages.insights.pin_activated.connect(self.show_pin)
        pages.insights.post_activated.connect(self.show_post)
        pages.insights.board_activated.connect(self.insights.open_board)
        pages.insights.goals_requested.connect(self.insights.edit_goals)
        self.insights.page = pages.insights
        for page in pages.widgets():
            self.stack.addWidget(page)

    # ================================================================== start-up
    def start(self, files=()) -> None:
        """Open the history (after the first paint). ``files`` are imported as if dropped.

        The worker opens the history (for the period saved last time) while this thread builds the rest of the
        window and the pages (pyqtgraph): the two overlap.
        """
        self.make_controllers()
        assert self.imports is not None and self.profiles is not None  # made just now
        self.imports.pending += [Path(f) for f in files]
        if self.start_demo:
            self.profiles.open_demo()
        else:
            self.profiles.open_own()
        self.build()
        QTimer.singleShot(0, self, self.ensure_pages)

    # ================================================================== what the controllers tell
    def _show_loaded(self, loaded) -> None:
        """A history was (re)loaded: the profile list, the sample blog's banner, the title, the first screen."""
        import html

        self.build()
        # built just now
        assert (self.data is not None and self.imports is not None and self.series_box is not None
                and self.menu_actions is not None)
        self.profile_box.set_profiles(loaded.profiles, loaded.profile.name)
        self.profile_box.setEnabled(not loaded.demo)
        self.series_box.set_series(loaded.series, loaded.view.series)
        from pinviewer.gui.menus import set_enabled

        for action in self.menu_actions.profiles:
            set_enabled(action, not loaded.demo, self.tr("Profiles are for your own blog: leave the sample blog "
                                                         "first (File > Back to my blog)."))
        self.menu_actions.demo.setVisible(not loaded.demo)
        self.menu_actions.leave_demo.setVisible(loaded.demo)
        self.setWindowTitle(self.tr("{profile} – PinViewer").format(profile=loaded.profile.name))
        self._fit_top_bar()
        assert self.messages is not None  # built
        self.messages.show_profile(self.data.profile_key(), loaded.demo)  # a notice leaves with its profile
        if loaded.recovered_from is not None:
            damaged = loaded.recovered_from
            self.show_notice(self.tr("Your history file was damaged, so PinViewer kept it aside as {name} and "
                                     "started a new one.").format(name=html.escape(damaged.name)), problem=True,
                             actions=[(self.tr("Recover imports"), lambda: self.imports.recover(damaged))])
        self._show_empty_or_dashboard()
        self.loaded.emit()

    def _first_ready(self) -> None:
        self.build()
        self._show_empty_or_dashboard()
        self.ready.emit()

    def _show_figures(self, figures) -> None:
        from pinviewer.gui import currency_dialog

        self.ensure_pages()
        assert self.pages is not None and self.period_picker is not None and self.insights is not None  # built just now
        currency_dialog.after_figures(self, figures)  # revenue in the profile's currency (asked once)
        self.pages.show_figures(figures)
        span = figures.data_range
        self.period_picker.bounds = (span.start, span.end) if span else None
        self.period_picker.show_range(figures.period.start, figures.period.end)
        assert self.nav is not None  # built
        self.nav.footer.setText(self.pages.footer(figures))
        self._fit_top_bar()
        if self.stack.currentWidget() is self.pages.insights:
            self.insights.update()
        self.figures_shown.emit()

    def show_notice(self, text: str, actions=(), problem: bool = False, timeout_ms: int | None = None,
                    owner: tuple | None = None) -> None:
        """A message above the pages (rich text, escaped by the caller) with buttons; ``owner``: the profile
        (DataController.profile_key) it is about, which it leaves with."""
        assert self.messages is not None  # built
        self.messages.show_notice(text, actions, problem=problem, timeout_ms=timeout_ms, owner=owner)

    def set_sync_available(self, available: bool) -> None:
        if self.menu_actions is not None:
            from pinviewer.gui.menus import set_enabled

            set_enabled(self.menu_actions.sync, available,
                        self.tr("Connect Pinterest first (File > Connect Pinterest…)."))

    def set_impressions_visible(self, visible: bool) -> None:
        assert self.menu_actions is not None  # the pages (whose toggle calls this) come after the menus
        self.menu_actions.impressions.setChecked(visible)
        if self.pages is not None:
            self.pages.dashboard.set_impressions_visible(visible)
        settings.put(settings.SHOW_IMPRESSIONS, visible)

    def _show_chrome(self, has_data: bool) -> None:
        from pinviewer.gui.menus import set_enabled

        assert self.period_picker is not None and self.menu_actions is not None and self.nav is not None  # built
        self.nav.setVisible(has_data)
        self.period_picker.setVisible(has_data)
        self.pdf_button.setVisible(has_data)
        why = self.tr("Import your exports first (File > Import…), or try the sample data.")
        actions = self.menu_actions
        for action in (actions.print_, actions.pdf, *actions.pages, actions.impressions):
            set_enabled(action, has_data, why)
        self._fit_top_bar()

    def _show_empty_or_dashboard(self) -> None:
        assert self.data is not None  # controllers made
        has_data = self.data.has_data() and self.pages is not None
        self._show_chrome(has_data)
        if not has_data:
            self.stack.setCurrentWidget(self.empty_page)
            self.empty_page.import_button.setFocus()
        elif self.stack.currentWidget() in (self.loading_page, self.empty_page):
            self.show_page(OVERVIEW)

    # ================================================================== pages
    def show_page(self, page: int) -> None:
        if self.pages is None or self.data is None or not self.data.has_data():
            return
        # made with the data controller, before the pages
        assert self.insights is not None and self.menu_actions is not None
        self.stack.setCurrentWidget(self.pages.widgets()[page])
        if page == INSIGHTS:
            self.insights.update()
        assert self.nav is not None  # built with the controllers
        self.nav.set_current(page)
        self.menu_actions.pages[page].setChecked(True)

    def show_pin(self, pin_id: str) -> None:
        self.show_page(PINS)
        assert self.pages is not None  # a Pin is chosen on a page
        self._select(self.pages.pins, pin_id)

    def show_post(self, url: str) -> None:
        self.show_page(POSTS)
        assert self.pages is not None  # a post is chosen on a page
        self._select(self.pages.posts, url)

    @staticmethod
    def _select(page, key) -> None:
        if not page.select_key(key):
            page.apply_filter_now("")
            page.select_key(key)
        page.view.setFocus()

    # ================================================================== window manners
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_top_bar()

    def _fit_top_bar(self) -> None:
        """On a narrow window the name "PinViewer" (also in the title bar) gives its room to the profile and
        the period's dates, which must stay whole."""
        if not self.built:
            return
        layout, name = self.top_layout, self.app_name
        own = name.sizeHint().width() + layout.spacing()
        others = layout.sizeHint().width() - (own if name.isVisible() else 0)
        central = self.centralWidget()
        assert central is not None  # set by _build_skeleton()
        name.setVisible(others + own <= central.width())

    def apply_theme(self) -> None:
        if self.pages is not None:
            self.pages.dashboard.apply_theme()

    def closeEvent(self, event) -> None:
        from pinviewer.gui import tasks

        assert self.data is not None  # start() made the controllers
        self.data.closing = True
        settings.put(settings.GEOMETRY, self.saveGeometry())
        tasks.cancel_all()
        tasks.wait_all(10000)
        self.data.close()
        from PySide6.QtWidgets import QDialog

        for dialog in self.findChildren(QDialog):  # a question left open (the currency's) goes with the window
            dialog.close()
        super().closeEvent(event)
