"""The main window: top bar, navigation, the pages, menus, drag and drop, profiles and the demo.

Start-up in three steps: ``MainWindow()`` is a skeleton that paints at once; ``start()`` hands the opening
of the history to the worker (pandas, the store, the figures) and meanwhile ``build()`` adds the controls
and ``_ensure_pages()`` the dashboard and tables (pyqtgraph). Everything that touches the store or
computes runs through ``tasks.run``, one job at a time; figures are kept per period, and the other preset
periods are worked out while the user reads (``_prefetch``), so switching between them only redraws.

Files not recognised with certainty go to the import wizard (``open_wizard``); ``connect_pinterest`` and
``sync_pinterest`` drive the Pinterest API (sync_ui.py); ``print_summary`` and ``save_pdf`` paint the page
with pinviewer.render.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from pinviewer.gui import settings

if TYPE_CHECKING:
    from pinviewer.gui.session import View

# Only what the first paint needs is imported above (each Qt class costs time the first time it is touched, and
# PySide6's ``Qt`` namespace ~20 ms: the skeleton does without it); the rest of the window is built by
# MainWindow.build(), right after that paint.

log = logging.getLogger(__name__)

OVERVIEW, PINS, POSTS, INSIGHTS = 0, 1, 2, 3
CACHE_SIZE = 12  # periods whose figures are kept, so going back to one is instant


def _drop_overlay(parent) -> QWidget:
    """The frame that says "Drop to import" over the pages while files are dragged over the window."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFrame

    overlay = QFrame(parent)
    overlay.setObjectName("dropOverlay")
    overlay.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    layout = QVBoxLayout(overlay)
    label = QLabel(QMainWindow.tr("Drop to import"))
    label.setObjectName("dropOverlayText")
    layout.addWidget(label, 0, Qt.AlignmentFlag.AlignCenter)
    overlay.setVisible(False)
    return overlay


def _centred(widget: QWidget) -> QWidget:
    """A page with ``widget`` in its middle, centred by stretches (an alignment flag would need ``Qt``)."""
    page = QWidget()
    row = QHBoxLayout(page)
    column = QVBoxLayout()
    column.addStretch(1)
    column.addWidget(widget)
    column.addStretch(1)
    row.addStretch(1)
    row.addLayout(column)
    row.addStretch(1)
    return page


class MainWindow(QMainWindow):
    ready = Signal()  # the first history is open (dashboard or empty state shown)
    loaded = Signal()  # a history was (re)loaded: opened, imported into, undone, profile switched
    figures_shown = Signal()  # the pages show figures for the chosen period
    insights_shown = Signal()  # the Insights page shows what the figures say

    def __init__(self, demo: bool = False):
        super().__init__()
        self.setWindowTitle(self.tr("PinViewer"))
        self.setMinimumSize(960, 640)
        self.setAcceptDrops(True)
        self.start_demo = demo
        self.store = self.profile = self.dataset = self.figures = None
        self.demo = False
        self.imports_count = 0
        self.dashboard = self.pins_page = self.posts_page = None
        self._ready = False
        self._pending_files: list[Path] = []
        self._generation = 0
        self._refresh_task = None
        self._prefetch_task = None
        self._closing = False
        self._cache: dict = {}
        self._wizard_reasons: dict = {}  # for the import wizard: what the readers made of each file

        self.built = False

        # ---- the skeleton: what the first paint shows
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
        name = QLabel(self.tr("PinViewer"))
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
        self.loading_page = _centred(loading)
        self.stack.addWidget(self.loading_page)
        bar_menus = self.menuBar()
        self.menus = {key: bar_menus.addMenu(text) for key, text in (
            ("file", self.tr("&File")), ("view", self.tr("&View")), ("profile", self.tr("P&rofile")),
            ("help", self.tr("&Help")))}
        self._restore_geometry()

    def build(self) -> None:
        """The rest of the window: controls, navigation, messages, the first screen, menus."""
        if self.built:
            return
        self.built = True
        from pinviewer.gui import profiles
        from pinviewer.gui.empty_state import EmptyState
        from pinviewer.gui.notices import DemoBanner, Notice
        from pinviewer.gui.period_picker import PeriodPicker

        layout = self.top_layout
        layout.takeAt(layout.count() - 1)  # the skeleton's stretch
        layout.addSpacing(8)
        self.profile_box = profiles.ProfileBox()
        self.profile_box.chosen.connect(self.switch_profile)
        layout.addWidget(self.profile_box)
        layout.addStretch(1)
        self.period_picker = PeriodPicker()
        self.period_picker.changed.connect(self._period_changed)
        layout.addWidget(self.period_picker)
        layout.addStretch(1)
        self._build_buttons(layout)
        self.body.insertWidget(0, self._build_nav())

        messages = QVBoxLayout()
        messages.setContentsMargins(16, 12, 16, 0)
        messages.setSpacing(8)
        self.banner = DemoBanner(self.leave_demo)
        self.banner.setVisible(False)
        self.notice = Notice()
        messages.addWidget(self.banner)
        messages.addWidget(self.notice)
        self.messages = QWidget()
        self.messages.setLayout(messages)
        self.messages.setVisible(False)
        self.banner.closed.connect(self._update_messages)
        self.notice.closed.connect(self._update_messages)
        self.right.insertWidget(0, self.messages)

        self.empty_page = EmptyState()
        self.empty_page.import_clicked.connect(self.choose_files)
        self.empty_page.connect_clicked.connect(self.connect_pinterest)
        self.empty_page.demo_clicked.connect(self.open_demo)
        self.stack.addWidget(self.empty_page)
        self.overlay = _drop_overlay(self.centralWidget())
        self._build_menus()
        self._show_chrome(False)
        self._restore_period()

    # ================================================================== building
    def _build_buttons(self, layout) -> None:
        from PySide6.QtWidgets import QPushButton

        self.import_button = QPushButton(self.tr("Import…"))
        self.import_button.setObjectName("primary")
        self.import_button.setToolTip(self.tr("Import Pinterest or Google Analytics exports (Ctrl+O). "
                                              "You can also drop files anywhere on the window."))
        self.import_button.clicked.connect(self.choose_files)
        layout.addWidget(self.import_button)
        self.pdf_button = QPushButton(self.tr("Save PDF"))
        self.pdf_button.setToolTip(self.tr("Save a one-page summary of this period as a PDF"))
        self.pdf_button.clicked.connect(self.save_pdf)
        layout.addWidget(self.pdf_button)

    def _build_nav(self) -> QWidget:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QListWidget

        nav = QWidget()
        nav.setObjectName("nav")
        nav.setFixedWidth(170)
        layout = QVBoxLayout(nav)
        layout.setContentsMargins(10, 14, 10, 14)
        self.nav_list = QListWidget()
        self.nav_list.setObjectName("navList")
        self.nav_list.addItems([self.tr("Overview"), self.tr("Pins"), self.tr("Posts"), self.tr("Insights")])
        self.nav_list.setAccessibleName(self.tr("Pages"))
        self.nav_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav_list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav_list.currentRowChanged.connect(self._page_chosen)
        layout.addWidget(self.nav_list, 1)
        self.nav_footer = QLabel()
        self.nav_footer.setObjectName("navFooter")
        self.nav_footer.setWordWrap(True)
        layout.addWidget(self.nav_footer)
        self.nav = nav
        return nav

    def _build_menus(self) -> None:
        from PySide6.QtGui import QActionGroup, QKeySequence

        file_menu = self.menus["file"]
        self.import_action = self._action(file_menu, self.tr("&Import…"), self.choose_files, QKeySequence.StandardKey.Open)
        self.history_action = self._action(file_menu, self.tr("Import &history…"), self.show_import_history)
        self.connect_action = self._action(file_menu, self.tr("&Connect Pinterest…"), self.connect_pinterest)
        self.sync_action = self._action(file_menu, self.tr("&Sync with Pinterest"), self.sync_pinterest, "Ctrl+R")
        self.sync_action.setEnabled(False)  # until the keyring (read on the worker) says a token is there
        from pinviewer.gui import sync_ui

        sync_ui.watch_token(self)
        self.demo_action = self._action(file_menu, self.tr("Try the &sample data"), self.open_demo)
        self.leave_demo_action = self._action(file_menu, self.tr("&Back to my blog"), self.leave_demo)
        self.leave_demo_action.setVisible(False)
        file_menu.addSeparator()
        self.print_action = self._action(file_menu, self.tr("&Print…"), self.print_summary, QKeySequence.StandardKey.Print)
        self.pdf_action = self._action(file_menu, self.tr("Save summary as P&DF…"), self.save_pdf, "Ctrl+Shift+S")
        file_menu.addSeparator()
        self._action(file_menu, self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)

        view_menu = self.menus["view"]
        group = QActionGroup(self)
        self.page_actions = []
        for i, label in enumerate((self.tr("&Overview"), self.tr("&Pins"), self.tr("P&osts"), self.tr("I&nsights"))):
            action = self._action(view_menu, label, lambda _=False, page=i: self.show_page(page), f"Ctrl+{i + 1}")
            action.setCheckable(True)
            group.addAction(action)
            self.page_actions.append(action)
        view_menu.addSeparator()
        self.impressions_action = self._action(view_menu, self.tr("Show &impressions in the chart"),
                                               self._impressions_action_toggled)
        self.impressions_action.setCheckable(True)
        self.impressions_action.setChecked(settings.get_bool(settings.SHOW_IMPRESSIONS, True))

        profile_menu = self.menus["profile"]
        self.profile_actions = [
            self._action(profile_menu, self.tr("&New profile…"), self.new_profile),
            self._action(profile_menu, self.tr("&Rename profile…"), self.rename_profile),
            self._action(profile_menu, self.tr("&Delete profile…"), self.delete_profile),
            self._action(profile_menu, self.tr("&Currency of revenue…"), self._ask_currency),
        ]

        help_menu = self.menus["help"]
        self._action(help_menu, self.tr("&What these numbers mean"), self.show_numbers_help,
                     QKeySequence.StandardKey.HelpContents)
        self._action(help_menu, self.tr("&About PinViewer"), self.show_about)

    def _action(self, menu, text, slot, shortcut=None):
        from PySide6.QtGui import QAction, QKeySequence

        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda checked=False: slot())
        menu.addAction(action)
        return action

    def _ensure_pages(self) -> None:
        """Build the dashboard and tables (pyqtgraph, pandas): only once figures exist."""
        if self.dashboard is not None:
            return
        from pinviewer.gui.dashboard import Dashboard
        from pinviewer.gui.pins_view import PinsPage, PostsPage

        self.dashboard = Dashboard()
        self.dashboard.pin_chosen.connect(self.show_pin)
        self.dashboard.all_pins.connect(lambda: self.show_page(PINS))
        self.dashboard.impressions_toggled.connect(self._impressions_toggled)
        self.dashboard.set_impressions_visible(self.impressions_action.isChecked())
        self.pins_page = PinsPage(self._pin_history)
        self.posts_page = PostsPage()
        from pinviewer.gui.insights_view import InsightsView

        self.insights_page = InsightsView()
        self.insights_page.pinActivated.connect(self.show_pin)
        self.insights_page.postActivated.connect(self.show_post)
        self.insights_page.boardActivated.connect(self.open_board)
        self.insights_page.goalsRequested.connect(self.edit_goals)
        self._insights_for = None  # the figures the Insights page shows; worked out when it is opened
        for page in (self.dashboard, self.pins_page, self.posts_page, self.insights_page):
            self.stack.addWidget(page)

    # ================================================================== start-up
    def start(self, files=()) -> None:
        """Open the history (after the first paint). ``files`` are imported as if dropped.

        The worker opens the store and computes (for the period saved last time) while this thread builds
        the rest of the window and the pages (pyqtgraph): the two overlap.
        """
        self._pending_files += [Path(f) for f in files]
        session, view = self._session(), settings.saved_view()
        if self.start_demo:
            self._run_load(lambda p, c: session.open_demo(view, progress=p, cancelled=c),
                           self.tr("Opening the sample blog…"))
        else:
            profile = settings.get_str(settings.PROFILE)
            self._run_load(lambda p, c: session.open_user(profile, view, cancelled=c), self.tr("Opening your figures…"))
        self.build()
        QTimer.singleShot(0, self, self._ensure_pages)

    @staticmethod
    def _session():
        from pinviewer.gui import session

        return session

    def _view(self) -> View:
        from pinviewer.gui.session import View

        custom = self.period_picker.custom
        return View(self.period_picker.preset(), custom, self.period_picker.compare())

    def _run_load(self, fn, label: str, on_done=None):
        """Run a job that returns a session.Loaded, then show it."""
        from pinviewer.gui import errors, tasks

        self._generation += 1  # figures still being worked out for the old history are not shown

        def done(loaded):
            self._apply_loaded(loaded)
            if on_done is not None:
                on_done(loaded)

        def failed(error):
            from pinviewer.core.errors import Cancelled, PinviewerError

            if not self._ready:
                self._ready = True
                self._show_empty_or_dashboard()
                self.ready.emit()
            if isinstance(error, Cancelled):
                return True
            if isinstance(error, PinviewerError):
                errors.show_problem(self, str(error))
                return True
            return False

        return tasks.run(self, fn, label=label, on_done=done, on_error=failed)

    def _apply_loaded(self, loaded) -> None:
        from pinviewer.gui import tasks

        old = self.store
        self.store, self.profile, self.dataset, self.demo = loaded.store, loaded.profile, loaded.dataset, loaded.demo
        if old is not None and old is not loaded.store:
            tasks.run(self, lambda p, c, s=old: s.close())
        self.imports_count = loaded.imports_count
        self._cache = {}
        self.profile_box.set_profiles(loaded.profiles, loaded.profile.name)
        self.profile_box.setEnabled(not loaded.demo)
        for action in self.profile_actions:
            action.setEnabled(not loaded.demo)
        self.banner.setVisible(loaded.demo)
        self.demo_action.setVisible(not loaded.demo)
        self.leave_demo_action.setVisible(loaded.demo)
        if not loaded.demo:
            settings.put(settings.PROFILE, loaded.profile.name)
        self.setWindowTitle(self.tr("{profile} – PinViewer").format(profile=loaded.profile.name))
        if loaded.recovered_from is not None:
            import html

            damaged = loaded.recovered_from
            self.notice.show_message(self.tr("Your history file was damaged, so PinViewer kept it aside as {name} "
                                             "and started a new one.").format(
                                                 name=html.escape(loaded.recovered_from.name)), problem=True,
                                     actions=[(self.tr("Recover imports"), lambda: self.recover_imports(damaged))])
        self._update_messages()
        if loaded.figures is not None:
            self._remember(self._cache_key(loaded.view), loaded.figures)
            if loaded.view == self._view():
                self._show_figures(loaded.figures)
            else:  # the user chose another period while this was loading
                self._ensure_pages()
                self.refresh()
        self._show_empty_or_dashboard()
        self.loaded.emit()
        if not self._ready:
            self._ready = True
            self.ready.emit()
            if self._pending_files:
                files, self._pending_files = self._pending_files, []
                self.open_files(files)

    def _show_chrome(self, has_data: bool) -> None:
        self.nav.setVisible(has_data)
        self.period_picker.setVisible(has_data)
        self.pdf_button.setVisible(has_data)
        for action in (self.print_action, self.pdf_action, *self.page_actions, self.impressions_action):
            action.setEnabled(has_data)

    def _show_empty_or_dashboard(self) -> None:
        has_data = self.dataset is not None and not self.dataset.empty and self.dashboard is not None
        self._show_chrome(has_data)
        if not has_data:
            self.stack.setCurrentWidget(self.empty_page)
            self.empty_page.import_button.setFocus()
        elif self.stack.currentWidget() in (self.loading_page, self.empty_page):
            self.show_page(OVERVIEW)

    # ================================================================== period and figures
    def _period_changed(self) -> None:
        view = self._view()
        settings.put(settings.PRESET, view.preset)
        settings.put(settings.COMPARE, view.compare)
        if view.custom:
            settings.put(settings.CUSTOM_START, view.custom[0])
            settings.put(settings.CUSTOM_END, view.custom[1])
        self.refresh()

    def _cache_key(self, view: View, dataset=None):
        dataset = dataset if dataset is not None else self.dataset
        return (id(dataset), view.preset, view.custom if view.preset == "custom" else None, view.compare)

    def _remember(self, key, figures) -> None:
        self._cache[key] = figures
        while len(self._cache) > CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))

    def refresh(self) -> None:
        """Recompute the figures for the chosen period (off the GUI thread) and show them."""
        from pinviewer.gui import tasks

        if self.dataset is None or self.dataset.empty:
            return
        view = self._view()
        key = self._cache_key(view)
        for task in (self._refresh_task, self._prefetch_task):
            if task is not None:
                task.cancel()
        self._generation += 1
        if key in self._cache:
            self._show_figures(self._cache[key])
            return
        generation, dataset = self._generation, self.dataset
        session = self._session()

        def done(figures):
            if generation != self._generation or dataset is not self.dataset or figures is None:
                return
            self._remember(key, figures)
            self._show_figures(figures)

        self._refresh_task = tasks.run(self, lambda p, c: session.figures_for(dataset, view, c),
                                       label=self.tr("Working out the figures…"), on_done=done)

    def _prefetch(self) -> None:
        """While the user reads, work out the other preset periods (same comparison), one at a time and
        cancelled by any real request, so that choosing one of them only has to redraw."""
        from pinviewer.gui import tasks
        from pinviewer.gui.period_picker import PRESETS
        from pinviewer.gui.session import View

        if self._closing or self.dataset is None or self.dataset.empty or self._prefetch_task is not None \
                or tasks.busy():
            return
        compare = self._view().compare
        missing = [View(p, None, compare) for p in PRESETS if p != "custom"
                   and self._cache_key(View(p, None, compare)) not in self._cache]
        if not missing:
            return
        view, dataset, session = missing[0], self.dataset, self._session()
        key = self._cache_key(view)

        def done(figures):
            self._prefetch_task = None
            if dataset is self.dataset and figures is not None:
                self._remember(key, figures)
                QTimer.singleShot(0, self, self._prefetch)

        def failed(error):
            from pinviewer.core.errors import Cancelled

            self._prefetch_task = None
            return isinstance(error, Cancelled)  # a cancelled prefetch is normal; anything else is reported

        self._prefetch_task = tasks.run(self, lambda p, c: session.figures_for(dataset, view, c), quiet=True,
                                        on_done=done, on_error=failed)

    def _show_figures(self, figures) -> None:
        from pinviewer.gui import formatting as fmt

        self._ensure_pages()
        self.figures = figures
        from pinviewer.gui import currency_dialog

        currency_dialog.after_figures(self, figures)  # revenue in the profile's currency (asked once)
        self.dashboard.show_figures(figures)
        cover = figures.pins_covers
        note = ""
        if cover is not None and cover != figures.period:
            note = self.tr("Pin figures add up the downloads of {period}, the ones that best match the chosen "
                           "period.").format(
                period=fmt.period(cover.start, cover.end))
        self.pins_page.set_frame(figures.pins, note)
        post_cover = figures.posts_covers
        post_note = ""
        if post_cover is not None and post_cover != figures.period:
            post_note = self.tr("Post figures add up the downloads of {period}, the ones that best match the "
                                "chosen period.").format(
                period=fmt.period(post_cover.start, post_cover.end))
        self.posts_page.set_posts(figures.posts, post_note, figures.has_site)
        first, last = (figures.data_range.start, figures.data_range.end) if figures.data_range else (None, None)
        self.period_picker.bounds = (first, last) if first else None
        self.period_picker.show_range(figures.period.start, figures.period.end)
        footer = self.tr("Figures up to {day}").format(day=fmt.day(last)) if last else ""
        if figures.provisional_days:
            footer += "<br>" + fmt.plural(figures.provisional_days, self.tr("the last day is still being counted"),
                                          self.tr("the last {n} days are still being counted"))
        self.nav_footer.setText(footer)
        if self.stack.currentWidget() is self.insights_page:
            self._update_insights()
        self.figures_shown.emit()
        QTimer.singleShot(0, self, self._prefetch)

    # ================================================================== pages
    def show_page(self, page: int) -> None:
        if self.dashboard is None or self.dataset is None or self.dataset.empty:
            return
        widget = (self.dashboard, self.pins_page, self.posts_page, self.insights_page)[page]
        self.stack.setCurrentWidget(widget)
        if page == INSIGHTS:
            self._update_insights()
        if self.nav_list.currentRow() != page:
            self.nav_list.setCurrentRow(page)
        self.page_actions[page].setChecked(True)

    def _page_chosen(self, row: int) -> None:
        if row >= 0:
            self.show_page(row)

    def show_pin(self, pin_id: str) -> None:
        self.show_page(PINS)
        if not self.pins_page.select_key(pin_id):
            self.pins_page.apply_filter_now("")
            self.pins_page.select_key(pin_id)
        self.pins_page.view.setFocus()

    def show_post(self, url: str) -> None:
        self.show_page(POSTS)
        if not self.posts_page.select_key(url):
            self.posts_page.apply_filter_now("")
            self.posts_page.select_key(url)
        self.posts_page.view.setFocus()

    @staticmethod
    def open_board(url: str) -> None:
        """A board named on the Insights page: its page on Pinterest, in the browser (web links only)."""
        from PySide6.QtGui import QDesktopServices

        from pinviewer.gui.pins_view import safe_url

        target = safe_url(url) if "://" in str(url) else None
        if target is not None:
            QDesktopServices.openUrl(target)

    def _update_insights(self, force: bool = False) -> None:
        """Work out the insights for the figures on screen (off the GUI thread), once per period."""
        from pinviewer.gui import tasks

        figures = self.figures
        if figures is None or (self._insights_for is figures and not force):
            return
        self._insights_for = figures
        store, profile, dataset, period = self.store, self.profile, self.dataset, figures.period

        def work(progress, cancelled):
            from pinviewer.core.insights import all_insights
            from pinviewer.core.insights.goals import load_goals

            return all_insights(dataset, period, load_goals(store, profile), progress, cancelled)

        def done(data):
            if self._insights_for is figures:
                self.insights_page.set_insights(data)
                self.insights_shown.emit()

        tasks.run(self, work, label=self.tr("Looking for what your figures say…"), on_done=done)

    def _ask_currency(self) -> None:
        from pinviewer.gui import currency_dialog

        currency_dialog.ask(self)

    def edit_goals(self) -> None:
        """Monthly goals, kept per profile in the history (Store settings)."""
        from pinviewer.gui import tasks
        from pinviewer.gui.goals_dialog import GoalsDialog

        if self.store is None or self.demo:
            from pinviewer.gui import errors

            errors.show_problem(self, self.tr("Goals belong to your own blog: leave the sample blog first."))
            return
        store, profile = self.store, self.profile

        def ask(goals):
            dialog = GoalsDialog(goals, self)
            if dialog.exec() != GoalsDialog.DialogCode.Accepted:
                return
            changes = dialog.goals()

            def save(progress, cancelled):
                from pinviewer.core.insights.goals import set_goals

                return set_goals(store, profile, changes)

            tasks.run(self, save, on_done=lambda _goals: self._update_insights(force=True))

        def load(progress, cancelled):
            from pinviewer.core.insights.goals import load_goals

            return load_goals(store, profile)

        tasks.run(self, load, on_done=ask)

    def _pin_history(self, pin_id: str):
        from pinviewer.gui.period_figures import pin_history

        return pin_history(self.dataset, pin_id) if self.dataset is not None else None

    def _impressions_toggled(self, visible: bool) -> None:
        self.impressions_action.setChecked(visible)
        settings.put(settings.SHOW_IMPRESSIONS, visible)

    def _impressions_action_toggled(self) -> None:
        visible = self.impressions_action.isChecked()
        if self.dashboard is not None:
            self.dashboard.set_impressions_visible(visible)
        settings.put(settings.SHOW_IMPRESSIONS, visible)

    # ================================================================== importing
    def choose_files(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Import exports"), str(Path.home()),
            self.tr("Exports (*.csv *.tsv *.txt *.xlsx);;All files (*)"))
        if paths:
            self.open_files(paths)

    def open_files(self, paths) -> None:
        """Import files (dropped, chosen, or named on the command line).

        Files recognised with certainty are imported at once, with a notice that offers Undo; the others
        go to the import wizard. From the sample blog, files go into the user's own history.
        """
        from pinviewer.gui import formatting as fmt

        paths = [Path(p) for p in paths]
        if not paths:
            return
        if not self._ready:
            self._pending_files += paths
            return
        session = self._session()
        view = self._view()
        demo = self.demo
        store = None if demo else self.store
        profile_name = settings.get_str(settings.PROFILE) if demo else self.profile.name
        label = fmt.plural(len(paths), self.tr("Importing {name}…").format(name=paths[0].name),
                           self.tr("Importing {n} files…"))
        self._run_load(lambda p, c: session.import_paths(store, profile_name, paths, view, p, c), label,
                       on_done=self._imported)

    def _imported(self, loaded) -> None:
        import html

        lines, batch_ids, problem = [], [], False
        for outcome in loaded.imported:
            name = html.escape(outcome.path.name)
            if outcome.ok:
                result = outcome.result
                label = html.escape(outcome.batch.format_label) if outcome.batch is not None else ""
                lines.append(f"<b>{name}</b> ({label}): {html.escape(result.sentence())}")
                if result.batch_id is not None:
                    batch_ids.append(result.batch_id)
            else:
                problem = True
                lines.append(f"<b>{name}</b>: {html.escape(outcome.error)}")
        if lines:
            actions = [(self.tr("Undo"), lambda ids=tuple(batch_ids): self.undo_imports(list(ids)))] if batch_ids \
                else []
            self.notice.show_message("<br>".join(lines), actions, problem=problem and not batch_ids)
            self._update_messages()
        if loaded.uncertain:
            self._wizard_reasons = dict(loaded.reasons)
            self.open_wizard(loaded.uncertain)

    def recover_imports(self, damaged: Path) -> None:
        """Copy the imports a damaged history (set aside at start) still holds into the new one, then reload."""
        import html

        session, store, view = self._session(), self.store, self._view()
        name = self.profile.name if self.profile is not None else None
        found = []

        def work(progress, cancelled):
            found.append(store.recover(damaged))
            store.recovered_from = None  # said once; the notice below tells what came back
            return session.load(store, session.profile_or_first(store, name), False, view, cancelled)

        def done(loaded):
            self.notice.show_message(html.escape(found[0].sentence()), problem=not found[0].recovered)
            self._update_messages()

        self._run_load(work, self.tr("Recovering your imports…"), on_done=done)

    def undo_imports(self, batch_ids: list[int]) -> None:
        import html

        session, store, profile, view = self._session(), self.store, self.profile, self._view()

        def done(loaded):
            names = ", ".join(html.escape(b.file_name) for b in loaded.undone)
            self.notice.show_message(self.tr("Undid the import of {names}. The figures you had before are back.")
                                     .format(names=names), timeout_ms=12000)
            self._update_messages()

        self._run_load(lambda p, c: session.undo(store, profile, batch_ids, False, view, c),
                       self.tr("Undoing the import…"), on_done=done)

    def open_wizard(self, paths: list[Path]) -> None:
        """The import wizard (``self.import_wizard``) for files PinViewer is not sure about.

        ``self._wizard_reasons`` maps each path to what the readers made of it (Detection.reason). From the
        sample blog, files go into the user's own history. When the wizard imported or undid something, the
        window reloads (into the profile the files went to) and says what was added, with Undo.
        """
        from pinviewer.gui import wizard_jobs
        from pinviewer.gui.wizard import ImportWizard

        profile = settings.get_str(settings.PROFILE) if self.demo or self.profile is None else self.profile.name
        wizard = ImportWizard(paths, None if self.demo else self.store, profile, dict(self._wizard_reasons), self)
        self.import_wizard = wizard

        def finished(_result):
            if wizard.changed:
                store, name, view, imported = wizard.store, wizard.profile_name, self._view(), wizard.outcomes()
                self._run_load(lambda p, c: wizard_jobs.reload(store, name, view, imported, c),
                               self.tr("Opening your figures…"), on_done=self._imported)
            wizard.release()

        wizard.finished.connect(finished)
        wizard.open()

    def show_import_history(self) -> None:
        """File > Import history (``self.import_history``): every import, each can be undone; remembered column
        mappings, each can be forgotten. The window reloads when an import was undone."""
        from pinviewer.gui.import_history import ImportHistory

        if self.store is None or self.profile is None:
            return
        dialog = ImportHistory(self.store, self.profile.name, demo=self.demo, parent=self)
        self.import_history = dialog

        def finished(_result):
            if dialog.changed:
                session, store, profile, demo, view = self._session(), self.store, self.profile, self.demo, self._view()
                self._run_load(lambda p, c: session.load(store, profile, demo, view, c),
                               self.tr("Opening your figures…"))

        dialog.finished.connect(finished)
        dialog.open()

    def connect_pinterest(self) -> None:
        """File > Connect Pinterest: the connect dialog (``self.connect_dialog``); a new connection syncs at once."""
        from pinviewer.gui import sync_ui

        sync_ui.open_connect_dialog(self)

    def sync_pinterest(self) -> None:
        """File > Sync with Pinterest: in the background with progress and Cancel (``self.sync_task``), then
        the result with its number of requests in the notice (pinviewer.gui.sync_ui)."""
        from pinviewer.gui import sync_ui

        sync_ui.start_sync(self)

    # ================================================================== demo
    def open_demo(self) -> None:
        session, view = self._session(), self._view()
        self._run_load(lambda p, c: session.open_demo(view, progress=p, cancelled=c),
                       self.tr("Opening the sample blog…"))

    def leave_demo(self) -> None:
        session, view, profile = self._session(), self._view(), settings.get_str(settings.PROFILE)
        self._run_load(lambda p, c: session.open_user(profile, view, cancelled=c), self.tr("Opening your figures…"))

    # ================================================================== profiles
    def switch_profile(self, name: str) -> None:
        if self.store is None or self.demo or (self.profile is not None and name == self.profile.name):
            return
        session, store, view = self._session(), self.store, self._view()
        self._run_load(lambda p, c: session.switch_profile(store, name, view, c), self.tr("Opening {name}…")
                       .format(name=name))

    def new_profile(self) -> None:
        from pinviewer.gui import profiles

        name = profiles.ask_new(self)
        if name and self.store is not None:
            session, store, view = self._session(), self.store, self._view()
            self._run_load(lambda p, c: session.create_profile(store, name, view, c), self.tr("Creating {name}…")
                           .format(name=name))

    def rename_profile(self) -> None:
        from pinviewer.gui import profiles

        if self.profile is None or self.demo:
            return
        new = profiles.ask_rename(self, self.profile.name)
        if new:
            session, store, view, old = self._session(), self.store, self._view(), self.profile.name
            self._run_load(lambda p, c: session.rename_profile(store, old, new, view, c),
                           self.tr("Renaming {name}…").format(name=old))

    def delete_profile(self) -> None:
        from pinviewer.gui import errors, profiles

        if self.profile is None or self.demo:
            return
        name = self.profile.name
        if self.profile_box.count() < 2:
            errors.show_problem(self, self.tr("'{name}' is your only profile; create another one before deleting "
                                              "it.").format(name=name))
            return
        if not profiles.confirm_delete(self, name, self.imports_count):
            return
        session, store, view = self._session(), self.store, self._view()
        self._run_load(lambda p, c: session.delete_profile(store, name, view, c),
                       self.tr("Deleting {name}…").format(name=name))

    # ================================================================== paper
    def print_summary(self) -> None:
        self._paper(pdf_path=None)

    def save_pdf(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        if self.figures is None:
            return
        name = self.tr("PinViewer summary {period}.pdf").format(
            period=f"{self.figures.period.start:%Y-%m-%d} to {self.figures.period.end:%Y-%m-%d}")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save summary as PDF"), str(Path.home() / name),
                                              self.tr("PDF (*.pdf)"))
        if path:
            self._paper(pdf_path=path)

    def _paper(self, pdf_path: str | None) -> None:
        """Work out the page's content (core.report) off the GUI thread, then let pinviewer.render paint it
        into a PDF or onto the printer the user chooses."""
        from pinviewer.gui import tasks

        if self.figures is None:
            return
        store, profile, dataset = self.store, self.profile, self.dataset
        period, compare = self.figures.period, self.figures.compare

        def work(progress, cancelled):
            from pinviewer.core.insights.goals import load_goals
            from pinviewer.core.report import build_report, describe_sources

            sources = describe_sources(store.batches(profile, include_undone=False))
            return build_report(dataset, period, compare=compare, sources=sources, goals=load_goals(store, profile))

        def done(report):
            import html

            from pinviewer.core.errors import PinviewerError
            from pinviewer.gui import errors
            from pinviewer.render import pdf

            if pdf_path:
                try:  # a full disk or a read-only folder: a sentence, and the earlier PDF stays as it was
                    written = pdf.write_pdf(report, pdf_path)
                except PinviewerError as error:
                    errors.show_problem(self, str(error), self.tr("The PDF was not saved"))
                    return
                self.notice.show_message(self.tr("Saved {name}.").format(name=html.escape(Path(written).name)),
                                         timeout_ms=10000)
                self._update_messages()
                return
            from PySide6.QtPrintSupport import QPrintPreviewDialog

            # the preview first; its Print button opens the system's print dialog (QPrintDialog)
            printer = pdf.new_printer()  # kept alive here: the dialog does not own it
            preview = QPrintPreviewDialog(printer, self)
            preview.setWindowTitle(self.tr("Print preview"))
            preview.paintRequested.connect(lambda target: pdf.print_report(report, target))
            preview.exec()

        tasks.run(self, work, label=self.tr("Preparing the summary…"), on_done=done)

    # ================================================================== help
    def show_numbers_help(self) -> None:
        from pinviewer.gui.help import NumbersHelp

        NumbersHelp(self).exec()

    def show_about(self) -> None:
        from pinviewer.gui.help import about

        about(self)

    # ================================================================== drag and drop
    @staticmethod
    def dropped_paths(mime) -> list[Path]:
        if mime is None or not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event) -> None:
        if self.dropped_paths(event.mimeData()):
            event.acceptProposedAction()
            self._show_overlay(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if self.dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event) -> None:
        self._show_overlay(False)

    def dropEvent(self, event) -> None:
        self._show_overlay(False)
        paths = self.dropped_paths(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        # let the drop finish (the file manager waits for it) before importing
        QTimer.singleShot(0, self, lambda: self.open_files(paths))

    def _show_overlay(self, visible: bool) -> None:
        if self.stack.currentWidget() is self.empty_page:
            self.empty_page.set_hover(visible)
            return
        central = self.centralWidget()
        self.overlay.setGeometry(central.rect().adjusted(12, 12, -12, -12))
        self.overlay.setVisible(visible)
        self.overlay.raise_()

    # ================================================================== window manners
    def _update_messages(self) -> None:
        self.messages.setVisible(self.banner.isVisibleTo(self.messages) or self.notice.isVisibleTo(self.messages))

    def _restore_geometry(self) -> None:
        geometry = settings.settings().value(settings.GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def _restore_period(self) -> None:
        saved = settings.saved_view()
        self.period_picker.set_state(saved.preset, saved.compare, saved.custom)

    def apply_theme(self) -> None:
        if self.dashboard is not None:
            self.dashboard.apply_theme()

    def closeEvent(self, event) -> None:
        self._closing = True
        from pinviewer.gui import tasks

        settings.put(settings.GEOMETRY, self.saveGeometry())
        tasks.cancel_all()
        tasks.wait_all(10000)
        if self.store is not None:
            self.store.close()
            self.store = None
        super().closeEvent(event)
