"""What the worker thread does for the window: open a store, load a profile, import, undo, sync, compute.

Each function runs inside the GUI's ``tasks.run`` (never on the GUI thread), calls only pinviewer.core and
knows nothing of Qt, and returns a ``Loaded`` snapshot the window shows. pandas and the core are imported
here, after the window's first paint (the GUI thread meanwhile imports pyqtgraph for the pages).
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pinviewer.core.callbacks import IsCancelled, Progress

if TYPE_CHECKING:  # names for the type checker only: the window imports this module before pandas
    from pinviewer.core.api.sync import SyncResult
    from pinviewer.core.importer import FileImport
    from pinviewer.core.period_figures import PeriodFigures
    from pinviewer.core.store import BatchInfo, Dataset, Profile, Store

log = logging.getLogger(__name__)

PRESETS = ("last_7", "last_30", "last_90", "this_month", "last_month", "all_time")  # the periods one can pick


@dataclass(frozen=True)
class View:
    """What the user chose to look at (taken on the GUI thread, read on the worker)."""

    preset: str = "last_30"
    custom: tuple[dt.date, dt.date] | None = None
    compare: str = "previous"
    series: str | None = None  # a Pinterest export's filters (None: the main figures)


@dataclass
class Loaded:
    store: Store
    profile: Profile
    dataset: Dataset
    demo: bool
    profiles: list[str]
    imports_count: int
    view: View = View()  # what the figures were worked out for
    figures: PeriodFigures | None = None  # None when the profile has no data
    imported: list[FileImport] = field(default_factory=list)
    uncertain: list[Path] = field(default_factory=list)  # files for the import wizard
    reasons: dict[Path, str] = field(default_factory=dict)  # what the readers made of an uncertain file
    undone: list[BatchInfo] = field(default_factory=list)  # undone imports
    recovered_from: Path | None = None
    synced_before: bool = False  # the profile has figures from the Pinterest API (so the user connected once)
    # (key, plain name) of the profile's series, the main one first
    series: list[tuple[str | None, str]] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)  # what to download next after an import (checklist)


def warm_imports() -> None:
    """Import the data side (pandas, the core) here while the GUI thread imports pyqtgraph for the pages."""
    import importlib

    for name in ("pandas", "pinviewer.core.store", "pinviewer.core.analysis"):
        importlib.import_module(name)


def figures_for(dataset: Dataset | None, view: View, cancelled: IsCancelled | None = None) -> PeriodFigures | None:
    from pinviewer.core.analysis import Period
    from pinviewer.core import period_figures

    if dataset is None or dataset.empty:
        return None
    custom = Period(*view.custom) if view.custom else None
    period = period_figures.resolve(dataset, view.preset, custom)
    if period is None:
        return None
    return period_figures.compute(dataset, period, view.compare, cancelled)


def load(store: Store, profile: Profile, demo: bool, view: View, cancelled: IsCancelled | None = None) -> Loaded:
    import dataclasses

    warm_imports()
    series = store.series(profile)
    if view.series is not None and view.series not in dict(series):  # that series went (undone, other profile)
        view = dataclasses.replace(view, series=None)
    dataset = store.load(profile, view.series)
    batches = store.batches(profile, include_undone=False)
    loaded = Loaded(store, profile, dataset, demo, [p.name for p in store.profiles()], len(batches),
                    recovered_from=getattr(store, "recovered_from", None), view=view,
                    synced_before=not demo and any(b.format == "api" for b in batches), series=series)
    loaded.figures = figures_for(dataset, view, cancelled)
    if loaded.figures is not None:
        from pinviewer.core.period_figures import pin_history

        pin_history(dataset, "")  # index every Pin's rows now, not on the first click in the table
    return loaded


def profile_or_first(store: Store, name: str | None) -> Profile:
    """The named profile if it still exists, else the first one (a profile remembered in settings may be gone)."""
    from pinviewer.core.errors import PinviewerError

    if name:
        try:
            return store.profile(name)
        except PinviewerError:
            pass
    return store.profile()


def open_user(profile_name: str | None, view: View, cancelled: IsCancelled | None = None) -> Loaded:
    """The user's own history (the default database)."""
    warm_imports()
    from pinviewer.core.store import Store

    store = Store.open()
    return load(store, profile_or_first(store, profile_name), False, view, cancelled)


def open_demo(view: View, progress: Progress | None = None, cancelled: IsCancelled | None = None) -> Loaded:
    """The sample blog, in its own database: the user's history is never touched."""
    warm_imports()
    from pinviewer.core.demo import open_demo_store

    store, profile = open_demo_store(progress=progress)
    return load(store, profile, True, view, cancelled)


def import_paths(store: Store | None, profile_name: str | None, paths: list[Path], view: View,
                 progress: Progress | None = None, cancelled: IsCancelled | None = None) -> Loaded:
    """Import the files recognised with certainty, set the others aside for the wizard, reload.

    ``store`` None means: open the user's store (when leaving the demo to import one's own files).
    """
    warm_imports()
    from pinviewer.core.importer import CERTAIN, FileImport, import_file, recognise
    from pinviewer.core.store import Store

    store = store or Store.open()
    profile = profile_or_first(store, profile_name)
    outcomes: list[FileImport] = []
    uncertain: list[Path] = []
    reasons: dict[Path, str] = {}
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
        if found.confidence < CERTAIN:  # anything less than certain goes to the import wizard
            uncertain.append(path)
            reasons[path] = found.reason
            continue

        def file_progress(done: int, total: int, message: str = "", _i: int = i, _name: str = path.name) -> None:
            if progress is not None:
                progress(done, total, f"{_name} ({_i + 1}/{len(paths)}): {message}" if len(paths) > 1
                         else f"{_name}: {message}")
        outcomes.append(import_file(store, profile, path, progress=file_progress, cancelled=cancelled))
    loaded = load(store, profile, False, view)
    loaded.imported, loaded.uncertain, loaded.reasons = outcomes, uncertain, reasons
    from pinviewer.core.checklist import after_import

    loaded.next_steps = after_import(store, profile, [o.batch for o in outcomes if o.ok])
    return loaded


def undo(store: Store, profile: Profile, batch_ids: list[int], demo: bool, view: View,
         cancelled: IsCancelled | None = None) -> Loaded:
    """Undo imports of ``profile``: never another profile's, never the sample blog's (PinviewerError)."""
    from pinviewer.core.errors import PinviewerError

    if demo or is_sample_store(store):
        raise PinviewerError("The sample blog's files stay as they are: there is nothing of yours to undo here.")
    own = {b.id for b in store.batches(profile)}
    if any(batch_id not in own for batch_id in batch_ids):
        raise PinviewerError(f"That import is not in the profile '{profile.name}'; switch to the profile it went "
                             "into to undo it (File > Import history).")
    undone = [store.undo(batch_id) for batch_id in batch_ids]
    loaded = load(store, profile, demo, view)
    loaded.undone = undone
    return loaded


def keep_existing(store: Store, profile: Profile, replaced: list[tuple[int, Path]], view: View,
                  progress: Progress | None = None, cancelled: IsCancelled | None = None) -> Loaded:
    """"Keep what I had": take back imports that replaced figures, and import the same files again keeping
    the figures that were there (``replaced``: (batch id, file) pairs of ``profile``)."""
    from pinviewer.core.importer import import_file

    loaded_undo = undo(store, profile, [batch_id for batch_id, _ in replaced], False, view, cancelled)
    outcomes = [import_file(store, profile, Path(path), keep_existing=True, cancelled=cancelled)
                for _, path in replaced]
    loaded = load(store, profile, False, view)
    loaded.undone, loaded.imported = loaded_undo.undone, outcomes
    return loaded


def is_sample_store(store: object) -> bool:
    """Whether ``store`` is the sample blog's own database (never the user's history)."""
    from pinviewer import paths

    path = getattr(store, "path", None)
    try:
        return path is not None and Path(path).resolve() == Path(paths.demo_database_path()).resolve()
    except OSError:
        return False


def switch_profile(store: Store, name: str, view: View, cancelled: IsCancelled | None = None) -> Loaded:
    return load(store, store.profile(name), False, view, cancelled)


def create_profile(store: Store, name: str, view: View, cancelled: IsCancelled | None = None) -> Loaded:
    return load(store, store.create_profile(name), False, view, cancelled)


def rename_profile(store: Store, old: str, new: str, view: View, cancelled: IsCancelled | None = None) -> Loaded:
    return load(store, store.rename_profile(old, new), False, view, cancelled)


def delete_profile(store: Store, name: str, view: View, cancelled: IsCancelled | None = None) -> Loaded:
    store.delete_profile(name)
    return load(store, store.profile(), False, view, cancelled)


# ------------------------------------------------------------------------------------------------ Pinterest
@dataclass
class SyncOutcome:
    """Filled on the worker, read on the GUI thread once the task has finished. Holds no secret."""

    result: SyncResult | None = None  # after an error, what the sync kept (or None)
    error: Exception | None = None  # a PinviewerError that stopped the sync
    requests: int = 0  # requests sent, also when the sync failed before it had a result


def token_available() -> bool:
    """Whether a token is there to sync with (keyring or this session). Reads the keyring: may open a password
    prompt, so only after the user connected, and never on the worker that imports files."""
    from pinviewer.core.api import credentials

    try:
        return credentials.load_tokens() is not None
    except credentials.NoKeyring:
        return False


def run_sync(store: Store | None, profile: Profile, demo: bool, profile_name: str | None, view: View,
             outcome: SyncOutcome, progress: Progress | None = None, cancelled: IsCancelled | None = None,
             client_options: dict[str, Any] | None = None) -> Loaded:
    """Sync into the user's history (from the sample blog too: into their own store), then reload.

    The stored token is renewed first when it is about to expire (``credentials.client_from_keyring``).
    Pinterest's problems land in ``outcome``, not as exceptions: the window still shows whatever part of the
    sync was stored (a stopped sync keeps what it fetched).
    """
    warm_imports()
    from pinviewer.core.api import credentials
    from pinviewer.core.api.sync import sync
    from pinviewer.core.errors import PinviewerError
    from pinviewer.core.store import Store

    target_store, target_profile, opened = store, profile, None
    if demo or target_store is None:
        opened = target_store = Store.open()
        target_profile = profile_or_first(opened, profile_name)
    client = None
    try:
        client = credentials.client_from_keyring(**(client_options or {}))
        outcome.result = sync(target_store, client, target_profile, progress=progress, cancelled=cancelled)
    except PinviewerError as error:  # said in words by the core; Stopped (a Cancelled) included
        outcome.error = error
        outcome.result = getattr(error, "sync_result", None)
        log.info("Sync from the window stopped: %s", type(error).__name__)
    finally:
        if client is not None:
            outcome.requests = client.requests
            client.close()
    stored = outcome.result is not None and getattr(outcome.result, "import_result", None) is not None
    if demo and not stored:  # nothing of the user's changed: stay on the sample blog
        if opened is not None:
            opened.close()
        assert store is not None  # the sample blog's own store
        return load(store, profile, True, view)
    # not ``cancelled``: after Cancel the sync returns what it kept, and the window must show it
    return load(target_store, target_profile, False, view)
