"""Which history, profile and period the window shows, and the figures for them.

``DataController`` owns the open store, the profile, its dataset, whether it is the sample blog, and the
figures per period (a small cache, filled ahead for the other preset periods while the user reads, so that
switching between them only redraws). Every job that replaces what is shown (open, import, undo, switch
profile, sync) goes through ``run_load``: it runs a ``pinviewer.core.session`` function on the worker, which
returns a ``Loaded`` snapshot, and the controller applies it and says so:

* ``loaded(Loaded)`` after a snapshot was applied (the window updates its chrome, then shows the data);
* ``figures_ready(PeriodFigures)`` when the figures for the chosen period are there;
* ``ready()`` once, when the first history is open (or failed to open).

The period comes from ``view_source`` (the window's period picker). What is shown is keyed by
``profile_key()``: notices and undo belong to one profile of one history. The *series* shown (the main figures,
or a Pinterest export's filters) is part of ``session.View`` next to the period, and of the cache key;
``series_changed`` loads another one.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from pinviewer.gui import settings

if TYPE_CHECKING:
    from pinviewer.gui.tasks import Task

log = logging.getLogger(__name__)

CACHE_SIZE = 12  # periods whose figures are kept, so going back to one is instant


class DataController(QObject):
    loaded = Signal(object)  # session.Loaded, applied
    figures_ready = Signal(object)  # PeriodFigures for the chosen view
    ready = Signal()  # the first history is open (or could not be opened)

    def __init__(self, parent, view_source: Callable[[], object]):
        super().__init__(parent)
        self._parent = parent  # for tasks.run: progress dialogs and problems are shown over it
        self._view_source = view_source
        self.store = self.profile = self.dataset = self.figures = None
        self.demo = False
        self.imports_count = 0
        self.profiles: list[str] = []
        self.is_ready = False
        self.closing = False
        self._generation = 0
        self._refresh_task: Task | None = None
        self._prefetch_task: Task | None = None
        self._cache: dict = {}

    # ------------------------------------------------------------------ what is shown
    def view(self):
        """The period and comparison the user chose (a session.View)."""
        return self._view_source()

    def has_data(self) -> bool:
        return self.dataset is not None and not self.dataset.empty

    def profile_key(self) -> tuple | None:
        """Which profile of which history is shown: a notice or an Undo belongs to exactly one."""
        if self.store is None or self.profile is None:
            return None
        return (str(getattr(self.store, "path", id(self.store))), self.profile.name, self.demo)

    def own_profile_name(self) -> str | None:
        """The user's own profile: the one shown, or (from the sample blog) the one they were on."""
        if self.demo or self.profile is None:
            return settings.get_str(settings.PROFILE)
        return self.profile.name

    def pin_history(self, pin_id: str):
        from pinviewer.core.period_figures import pin_history

        return pin_history(self.dataset, pin_id) if self.dataset is not None else None

    def forget_figures(self) -> None:
        """Work the figures out again on the next refresh (benchmarks, and data changed in place)."""
        self._cache.clear()

    # ------------------------------------------------------------------ jobs that replace what is shown
    def run_load(self, fn, label: str, on_done=None):
        """Run ``fn(progress, cancelled)`` (returning a session.Loaded) on the worker, then show it.

        ``on_done(loaded)`` runs after the snapshot was applied. Expected problems are shown in words.
        """
        from pinviewer.gui import errors, tasks

        self._generation += 1  # figures still being worked out for the old history are not shown

        def done(loaded):
            self.apply(loaded)
            if on_done is not None:
                on_done(loaded)

        def failed(error):
            from pinviewer.core.errors import Cancelled, PinviewerError

            self._mark_ready()
            if isinstance(error, Cancelled):
                return True
            if isinstance(error, PinviewerError):
                errors.show_problem(self._parent, str(error))
                return True
            return False

        return tasks.run(self._parent, fn, label=label, on_done=done, on_error=failed)

    def apply(self, loaded) -> None:
        """Show a snapshot: the store it holds replaces the one shown (closed on the worker)."""
        from pinviewer.gui import tasks

        old = self.store
        self.store, self.profile, self.dataset, self.demo = loaded.store, loaded.profile, loaded.dataset, loaded.demo
        if old is not None and old is not loaded.store:
            tasks.run(self._parent, lambda p, c, s=old: s.close())
        self.imports_count, self.profiles = loaded.imports_count, list(loaded.profiles)
        self._cache = {}
        if not loaded.demo:
            settings.put(settings.PROFILE, loaded.profile.name)
        if loaded.figures is not None:
            self._remember(self._cache_key(loaded.view), loaded.figures)
            if loaded.view == self.view():
                self._show(loaded.figures)
            else:  # the user chose another period while this was loading
                self.refresh()
        elif not self.has_data():
            self.figures = None
        self.loaded.emit(loaded)
        self._mark_ready()

    def _mark_ready(self) -> None:
        if not self.is_ready:
            self.is_ready = True
            self.ready.emit()

    # ------------------------------------------------------------------ the period
    def period_changed(self) -> None:
        """The user chose another period or comparison: remember it, show its figures."""
        view = self.view()
        settings.put(settings.PRESET, view.preset)
        settings.put(settings.COMPARE, view.compare)
        if view.custom:
            settings.put(settings.CUSTOM_START, view.custom[0])
            settings.put(settings.CUSTOM_END, view.custom[1])
        self.refresh()

    def refresh(self) -> None:
        """Work out the figures for the chosen period (off the GUI thread), then ``figures_ready``."""
        from pinviewer.core import session
        from pinviewer.gui import tasks

        if not self.has_data():
            return
        view = self.view()
        key = self._cache_key(view)
        for task in (self._refresh_task, self._prefetch_task):
            if task is not None:
                task.cancel()
        self._generation += 1
        if key in self._cache:
            self._show(self._cache[key])
            return
        generation, dataset = self._generation, self.dataset

        def done(figures):
            if generation != self._generation or dataset is not self.dataset or figures is None:
                return
            self._remember(key, figures)
            self._show(figures)

        self._refresh_task = tasks.run(self._parent, lambda p, c: session.figures_for(dataset, view, c),
                                       label=self.tr("Working out the figures…"), on_done=done)

    def _show(self, figures) -> None:
        self.figures = figures
        self.figures_ready.emit(figures)
        QTimer.singleShot(0, self, self._prefetch)

    def _cache_key(self, view):
        return (id(self.dataset), view.preset, view.custom if view.preset == "custom" else None, view.compare,
                view.series)

    def series_changed(self) -> None:
        """The user chose other figures (a Pinterest export's filters): load that series of the profile."""
        from pinviewer.core import session

        if self.store is None or self.profile is None:
            return
        store, profile, demo, view = self.store, self.profile, self.demo, self.view()
        self.run_load(lambda p, c: session.load(store, profile, demo, view, c), self.tr("Opening those figures…"))

    def _remember(self, key, figures) -> None:
        self._cache[key] = figures
        while len(self._cache) > CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))

    def _prefetch(self) -> None:
        """While the user reads, work out the other preset periods (same comparison), one at a time and
        cancelled by any real request, so that choosing one of them only has to redraw."""
        from pinviewer.core import session
        from pinviewer.gui import tasks
        from pinviewer.gui.period_picker import PRESETS

        if self.closing or not self.has_data() or self._prefetch_task is not None or tasks.busy():
            return
        compare, series = self.view().compare, self.view().series
        missing = [session.View(p, None, compare, series) for p in PRESETS if p != "custom"
                   and self._cache_key(session.View(p, None, compare, series)) not in self._cache]
        if not missing:
            return
        view, dataset = missing[0], self.dataset
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

        self._prefetch_task = tasks.run(self._parent, lambda p, c: session.figures_for(dataset, view, c),
                                        quiet=True, on_done=done, on_error=failed)

    # ------------------------------------------------------------------ the end
    def close(self) -> None:
        """Stop working ahead and close the history (the window is closing)."""
        self.closing = True
        if self.store is not None:
            self.store.close()
            self.store = None
