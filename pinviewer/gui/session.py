"""What the worker thread does for the window: open a store, load a profile, import, undo, and compute.

Each function runs inside ``tasks.run`` (never on the GUI thread), calls only pinviewer.core, and returns a
``Loaded`` snapshot the window shows. pandas and the core are imported here, after the window's first
paint (the GUI thread meanwhile imports pyqtgraph for the pages).
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

CERTAIN = 1.0  # a Detection this confident is imported at once; anything less goes to the import wizard


@dataclass(frozen=True)
class View:
    """What the user chose to look at (taken on the GUI thread, read on the worker)."""

    preset: str = "last_30"
    custom: tuple[dt.date, dt.date] | None = None
    compare: str = "previous"


@dataclass
class Loaded:
    store: object  # pinviewer.core.store.Store
    profile: object  # Profile
    dataset: object  # Dataset
    demo: bool
    profiles: list[str]
    imports_count: int
    view: View = View()  # what the figures were worked out for
    figures: object | None = None  # PeriodFigures, None when the profile has no data
    imported: list = field(default_factory=list)  # FileImport outcomes
    uncertain: list[Path] = field(default_factory=list)  # files for the import wizard
    reasons: dict = field(default_factory=dict)  # Path -> what the readers made of an uncertain file
    undone: list = field(default_factory=list)  # BatchInfo of undone imports
    recovered_from: Path | None = None


def warm_imports() -> None:
    """Import the data side (pandas, the core) here while the GUI thread imports pyqtgraph for the pages."""
    import importlib

    for name in ("pandas", "pinviewer.core.store", "pinviewer.core.analysis"):
        importlib.import_module(name)


def figures_for(dataset, view: View, cancelled=None):
    from pinviewer.core.analysis import Period
    from pinviewer.gui import period_figures

    if dataset is None or dataset.empty:
        return None
    custom = Period(*view.custom) if view.custom else None
    period = period_figures.resolve(dataset, view.preset, custom)
    if period is None:
        return None
    return period_figures.compute(dataset, period, view.compare, cancelled)


def load(store, profile, demo: bool, view: View, cancelled=None) -> Loaded:
    warm_imports()
    dataset = store.load(profile)
    loaded = Loaded(store, profile, dataset, demo, [p.name for p in store.profiles()],
                    len(store.batches(profile, include_undone=False)),
                    recovered_from=getattr(store, "recovered_from", None), view=view)
    loaded.figures = figures_for(dataset, view, cancelled)
    if loaded.figures is not None:
        from pinviewer.gui.period_figures import pin_history

        pin_history(dataset, "")  # index every Pin's rows now, not on the first click in the table
    return loaded


def profile_or_first(store, name: str | None):
    """The named profile if it still exists, else the first one (a profile remembered in settings may be gone)."""
    from pinviewer.core.errors import PinviewerError

    if name:
        try:
            return store.profile(name)
        except PinviewerError:
            pass
    return store.profile()


def open_user(profile_name: str | None, view: View, cancelled=None) -> Loaded:
    """The user's own history (the default database)."""
    warm_imports()
    from pinviewer.core.store import Store

    store = Store.open()
    return load(store, profile_or_first(store, profile_name), False, view, cancelled)


def open_demo(view: View, progress=None, cancelled=None) -> Loaded:
    """The sample blog, in its own database: the user's history is never touched."""
    warm_imports()
    from pinviewer.core.demo import open_demo_store

    store, profile = open_demo_store(progress=progress)
    return load(store, profile, True, view, cancelled)


def import_paths(store, profile_name: str | None, paths: list[Path], view: View, progress=None,
                 cancelled=None) -> Loaded:
    """Import the files recognised with certainty, set the others aside for the wizard, reload.

    ``store`` None means: open the user's store (when leaving the demo to import one's own files).
    """
    warm_imports()
    from pinviewer.core.importer import FileImport, import_file, recognise
    from pinviewer.core.store import Store

    store = store or Store.open()
    profile = profile_or_first(store, profile_name)
    outcomes, uncertain, reasons = [], [], {}
    for i, path in enumerate(paths):
        if cancelled is not None and cancelled():
            break
        path = Path(path)
        if not path.is_file():  # missing, or a folder: the importer says so in words
            outcomes.append(import_file(store, profile, path))
            continue
        found = recognise(path)
        if found.error is not None:
            outcomes.append(FileImport(path, error=found.error))
            continue
        if found.confidence < CERTAIN:
            uncertain.append(path)
            reasons[path] = found.reason
            continue

        def file_progress(done, total, message="", _i=i, _name=path.name):
            if progress is not None:
                progress(done, total, f"{_name} ({_i + 1}/{len(paths)}): {message}" if len(paths) > 1
                         else f"{_name}: {message}")
        outcomes.append(import_file(store, profile, path, progress=file_progress, cancelled=cancelled))
    loaded = load(store, profile, False, view)
    loaded.imported, loaded.uncertain, loaded.reasons = outcomes, uncertain, reasons
    return loaded


def undo(store, profile, batch_ids: list[int], demo: bool, view: View, cancelled=None) -> Loaded:
    undone = [store.undo(batch_id) for batch_id in batch_ids]
    loaded = load(store, profile, demo, view)
    loaded.undone = undone
    return loaded


def switch_profile(store, name: str, view: View, cancelled=None) -> Loaded:
    return load(store, store.profile(name), False, view, cancelled)


def create_profile(store, name: str, view: View, cancelled=None) -> Loaded:
    return load(store, store.create_profile(name), False, view, cancelled)


def rename_profile(store, old: str, new: str, view: View, cancelled=None) -> Loaded:
    return load(store, store.rename_profile(old, new), False, view, cancelled)


def delete_profile(store, name: str, view: View, cancelled=None) -> Loaded:
    store.delete_profile(name)
    return load(store, store.profile(), False, view, cancelled)
