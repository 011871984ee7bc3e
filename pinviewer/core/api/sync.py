"""The sync: plan what to fetch from what the store already holds as final, fetch it in the background,
turn the answers into one ImportBatch and store it like any import.

What one sync fetches (request counts for the first sync of an account with P Pins and top N):

* GET /user_account (1): who this is; analytics need a business account.
* GET /user_account/analytics, all metrics, daily: the days of the last 90 (``HORIZON_DAYS``) that the store
  does not hold as final, in windows of at most 90 days (1 per sync in practice).
* GET /user_account/analytics/top_pins sorted by OUTBOUND_CLICK, SAVE and IMPRESSION (3, 50 Pins each).
* GET /pins?pin_metrics=true, 250 a page (ceil(P / 250)): every Pin's title, link, board, format, image and
  its 90-day counters, stored as one ``periods`` row per Pin over the 90 days ending yesterday. For most Pins
  these counters suffice: no request per Pin.
* GET /boards, 250 a page: board names for the Pins.
* GET /pins/{id}/analytics daily (1 per Pin and sync) for the N Pins that matter most (top N: Pinterest's top
  lists first, then the Pin list ranked by 90-day outbound clicks, saves and impressions; Pins with no
  activity in 90 days are skipped, their daily figures would all be zero).

Final and provisional days: a day is final once an API batch stored it with ``data_status`` READY and the
store did not mark it provisional (it marks the last days of every import). The planner asks only for days
that are not final, from the creation day of a Pin at the earliest, never further back than Pinterest keeps.
Provisional days are therefore fetched again by every later sync until Pinterest calls them READY; final
days are never asked for again. A cancelled or failed sync stores what it completed in its own batch, so
the next sync resumes where it stopped.

``progress(done, total, message)`` and ``cancelled()`` are called only from the thread that called ``sync``.
"""
from __future__ import annotations

import concurrent.futures as futures
import datetime as dt
import hashlib
import logging
import math
import queue
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from pinviewer.core import metrics
from pinviewer.core.api.account import ident, text_or_none
from pinviewer.core.api.client import (
    Account,
    NotBusinessAccount,
    NotFound,
    PagingStopped,
    PinterestClient,
    Stopped,
)
from pinviewer.core.api.convert import (  # noqa: F401 (re-exported: the converters are part of the sync's interface)
    DAILY_CEILING,
    IMAGE_SIZES,
    PIN_METRICS_KEYS,
    READY,
    VIDEO_CREATIVE_TYPES,
    Dropped,
    as_dict,
    created_day,
    daily_rows,
    dicts,
    figure,
    inactive,
    is_video,
    pin_90d,
    pin_entity,
    pin_period_row,
    rank_number,
    rows_frame,
    top_pin_rows,
)
from pinviewer.core.api.precedence import FORMAT, changes_history, pin_periods, utc_today
from pinviewer.core.errors import PinviewerError
from pinviewer.core.formats.model import ACCOUNT, BOARD, DAILY_KEYS, ENTITY_KEYS, PERIOD_KEYS, PIN, ImportBatch

if TYPE_CHECKING:
    from pinviewer.core.store import ImportResult, Profile, Store

Pending = dict["futures.Future[Any]", str]  # a request sent to the pool, and its label ("account", "pin:ID"...)

log = logging.getLogger(__name__)

__all__ = [  # its own names, and the converters and precedence rules it re-exports (mypy's no-implicit-reexport)
    "sync", "SyncResult", "FORMAT_LABEL", "batch_sha256",
    "DAILY_CEILING", "IMAGE_SIZES", "PIN_METRICS_KEYS", "READY", "VIDEO_CREATIVE_TYPES", "Dropped", "as_dict",
    "created_day", "daily_rows", "dicts", "figure", "inactive", "is_video", "pin_90d", "pin_entity",
    "pin_period_row", "rank_number", "rows_frame", "top_pin_rows", "FORMAT", "changes_history", "pin_periods",
    "utc_today",
]

FORMAT_LABEL = "Pinterest API"
HORIZON_DAYS = 90  # Pinterest answers for the last 90 days only
WINDOW_DAYS = 90  # at most 90 days in one request
DEFAULT_TOP_PINS = 50
PAGE_SIZE = 250
TOP_PINS_PER_LIST = 50  # num_of_pins maximum
TOP_SORTS = ("OUTBOUND_CLICK", "SAVE", "IMPRESSION")
SETTING_TOP_PINS = "api.top_pins"
SETTING_ACCOUNT = "api.account"
SETTING_LAST_SYNC = "api.last_sync"

PIN_FIELDS = ("id", "created_at", "link", "title", "description", "board_id", "creative_type", "media",
              "pin_metrics")  # what the sync keeps of each listed Pin
PIN_METRIC_TYPES = ("IMPRESSION", "OUTBOUND_CLICK", "PIN_CLICK", "SAVE", "SAVE_RATE", "USER_FOLLOW",
                    "PROFILE_VISIT")
VIDEO_PIN_METRIC_TYPES = ("IMPRESSION", "OUTBOUND_CLICK", "PIN_CLICK", "SAVE", "SAVE_RATE", "VIDEO_MRC_VIEW",
                          "VIDEO_10S_VIEW", "QUARTILE_95_PERCENT_VIEW", "VIDEO_V50_WATCH_TIME", "VIDEO_START",
                          "VIDEO_AVG_WATCH_TIME")


# ------------------------------------------------------------------------------------------------ planning
def fetchable_days(today: dt.date, horizon: int = HORIZON_DAYS) -> tuple[dt.date, dt.date]:
    """First and last day Pinterest can be asked about: ``horizon`` days back from today, up to yesterday."""
    return today - dt.timedelta(days=horizon), today - dt.timedelta(days=1)


def day_range(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def windows(days: Iterable[dt.date], max_days: int = WINDOW_DAYS) -> list[tuple[dt.date, dt.date]]:
    """The fewest windows of at most ``max_days`` days that cover ``days`` (days between them come along)."""
    ordered = sorted(set(days))
    out: list[tuple[dt.date, dt.date]] = []
    i = 0
    while i < len(ordered):
        start = ordered[i]
        limit = start + dt.timedelta(days=max_days - 1)
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] <= limit:
            j += 1
        out.append((start, ordered[j]))
        i = j + 1
    return out


def final_days(store: Store, profile: Profile, entity_type: str, first: dt.date,
               last: dt.date) -> dict[str, set[dt.date]]:
    """Days the store holds as final from API syncs, per entity: the newest API row for the day is not
    provisional. (Days from file imports do not count: a CSV rarely has every metric.)"""
    rows = store.facts(profile, entity_types={entity_type}, first=first, last=last,
                       formats={FORMAT}, metric_names=[])
    rows = rows[(rows["start"] == rows["end"]).to_numpy()]
    newest = rows.groupby(["entity_id", "start"], sort=False)["provisional"].last()  # batches oldest first
    out: dict[str, set[dt.date]] = {}
    for key, provisional in newest.items():
        entity_id, start = cast("tuple[str, pd.Timestamp]", key)  # the (entity_id, start) group
        if not provisional:
            out.setdefault(entity_id, set()).add(start.date())
    return out


def needed_windows(first: dt.date, last: dt.date, final: set[dt.date]) -> list[tuple[dt.date, dt.date]]:
    if first > last:
        return []
    return windows(d for d in day_range(first, last) if d not in final)


def choose_pins(top_lists: dict[str, list[str]], pins: list[dict[str, Any]], n: int) -> list[str]:
    """The ``n`` Pins that matter most: Pinterest's top lists (by outbound clicks, saves, impressions, taken
    in turn), then the Pin list ranked by the same 90-day counters. Inactive Pins are left out."""
    if n <= 0:
        return []
    by_id = {ident(p.get("id")): p for p in pins if ident(p.get("id"))}
    chosen: list[str] = []
    seen: set[str] = set()

    def add(pin_id: str) -> None:
        if pin_id and pin_id not in seen and not (pin_id in by_id and inactive(by_id[pin_id])):
            seen.add(pin_id)
            chosen.append(pin_id)

    lists = [top_lists.get(sort) or [] for sort in TOP_SORTS]
    for rank in range(max((len(x) for x in lists), default=0)):
        for ranked in lists:
            if rank < len(ranked):
                add(str(ranked[rank]))

    def score(pin: dict[str, Any]) -> tuple[float, float, float, str]:
        c = pin_90d(pin)
        return (-rank_number(c.get("clickthrough", c.get("outbound_click"))), -rank_number(c.get("save")),
                -rank_number(c.get("impression")), ident(pin.get("id")) or "")

    for pin in sorted(by_id.values(), key=score):
        add(ident(pin.get("id")) or "")
    return chosen[:n]


def batch_sha256(batch: ImportBatch) -> str:
    """A hash of the content (not of the answers' incidental fields): an identical re-fetch is a no-op."""
    digest = hashlib.sha256(b"pinviewer-api-sync-v1\n")
    for name, frame, keys in (("daily", batch.daily, DAILY_KEYS), ("periods", batch.periods, PERIOD_KEYS),
                              ("entities", batch.entities, ENTITY_KEYS),
                              ("provisional", batch.provisional, DAILY_KEYS)):
        digest.update(f"[{name}:{len(frame)}]\n".encode())
        if not len(frame):
            continue
        sort_keys = [frame[k].map(str) for k in keys]
        order = pd.DataFrame({k: v.to_numpy() for k, v in zip(keys, sort_keys)}).sort_values(list(keys)).index
        for column in sorted(frame.columns):
            values = frame[column].to_numpy()[order]
            digest.update(f"<{column}>".encode())
            if column in metrics.BY_NAME:
                digest.update(pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(float).tobytes())
            else:
                digest.update("\x1f".join("" if v is None or v != v else str(v) for v in values).encode())
    return digest.hexdigest()


# ------------------------------------------------------------------------------------------------ result
@dataclass
class SyncResult:
    account: Account | None = None
    requests: int = 0
    retries: int = 0
    import_result: ImportResult | None = None
    account_days: int = 0
    provisional_days: int = 0  # account days Pinterest has not finished counting (fetched again next time)
    pins_listed: int = 0
    pins_daily: int = 0  # Pins whose daily figures were fetched
    pins_daily_planned: int = 0
    pins_skipped: list[str] = field(default_factory=list)  # gone (404) since they were listed
    boards: int = 0
    cancelled: bool = False
    error: PinviewerError | None = None
    unrecognised: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # sentences: paging stopped, figures kept from earlier syncs
    dropped: int = 0  # figures left out because they cannot be true
    dropped_examples: list[str] = field(default_factory=list)
    unchanged: bool = False  # fetched, but every figure was already in the history: no new import entry

    @property
    def batch_id(self) -> int | None:
        return getattr(self.import_result, "batch_id", None)

    def stored_sentence(self) -> str:
        if self.unchanged:
            return "Nothing changed since the last sync, so nothing was added to the import history."
        if self.import_result is None:
            return "Nothing was stored."
        return self.import_result.sentence()

    def dropped_sentence(self) -> str:
        if not self.dropped:
            return ""
        some = "; ".join(self.dropped_examples)
        return (f"Left out {self.dropped:,} figure{'s' if self.dropped != 1 else ''} Pinterest sent that cannot be "
                f"true (below zero, infinite, not a number or far too large): {some}"
                + ("..." if self.dropped > len(self.dropped_examples) else ".") + " They were not stored.")

    def sentence(self) -> str:
        parts = []
        if self.cancelled:
            parts.append("Sync stopped; what was fetched is kept.")
        parts.append(f"{self.requests} request{'s' if self.requests != 1 else ''} to Pinterest"
                     + (f" ({self.retries} retried)" if self.retries else "")
                     + "; trial apps may make 1,000 a day.")
        fetched = [f"{self.account_days} day{'s' if self.account_days != 1 else ''} of account figures"]
        if self.provisional_days:
            fetched.append(f"{self.provisional_days} of them still provisional (fetched again next time)")
        fetched.append(f"{self.pins_listed} Pins with their 90-day figures")
        fetched.append(f"daily figures for {self.pins_daily} Pins")
        if self.boards:
            fetched.append(f"{self.boards} boards")
        parts.append("Fetched " + ", ".join(fetched) + ".")
        parts.extend(self.notes)
        if self.dropped:
            parts.append(self.dropped_sentence())
        parts.append(self.stored_sentence())
        return " ".join(parts)


# ------------------------------------------------------------------------------------------------ sync
class _Collected:
    """What the workers brought back; touched only by the thread that runs ``sync``."""

    def __init__(self) -> None:
        self.daily: list[dict[str, Any]] = []
        self.provisional: list[tuple[Any, ...]] = []
        self.top_rows: list[dict[str, Any]] = []
        self.top_lists: dict[str, list[str]] = {}
        self.pins: list[dict[str, Any]] = []
        self.pins_complete = False
        self.boards: list[dict[str, Any]] = []
        self.boards_complete = False
        self.unknown: set[str] = set()
        self.dropped = Dropped()
        self.notes: list[str] = []
        self.account_days = 0
        self.account_provisional = 0
        self.pins_daily = 0
        self.pins_skipped: list[str] = []
        self.base_requests = 0
        self.base_retries = 0


def _collect_pages(pages: Iterator[list[dict[str, Any]]], into: list[dict[str, Any]],
                   slim: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> tuple[bool, str | None]:
    """(complete, note): every page read (or paging stopped with a sentence), or False when stopped."""
    try:
        for page in pages:
            into.extend(slim(item) for item in page) if slim else into.extend(page)
    except Stopped:
        return False, None
    except PagingStopped as stop:
        return True, str(stop)
    return True, None


class _Run:
    """One sync's bookkeeping on the calling thread: progress, Cancel, the first error, draining futures."""

    def __init__(self, client: PinterestClient, progress: Callable[[int, int, str], object] | None,
                 cancelled: Callable[[], bool] | None) -> None:
        self.client, self.progress, self.cancelled = client, progress, cancelled
        self.got = _Collected()
        self.got.base_requests, self.got.base_retries = client.requests, client.retries  # the client may be reused
        self.total = 0
        self.stage = "Checking the account"
        self.error: PinviewerError | None = None
        self.stopped = False

    def sent(self) -> int:
        return self.client.requests - self.got.base_requests

    def report(self) -> None:
        if self.progress is not None:
            done = self.sent()
            retries = self.client.retries - self.got.base_retries
            self.progress(done, max(self.total + retries, done), f"{self.stage} ({done} requests)")

    def check_cancel(self) -> None:
        if not self.stopped and self.cancelled is not None and self.cancelled():
            self.stopped = True
            self.client.cancel()

    def drain(self, pending: Pending, handle: Callable[[str, Any], None]) -> None:
        """Wait for the futures, hand each result to ``handle`` in this thread, report, watch Cancel."""
        finished: queue.SimpleQueue[futures.Future[Any]] = queue.SimpleQueue()
        for future in pending:
            future.add_done_callback(finished.put)
        try:
            self._drain(finished, len(pending), pending, handle)
        except BaseException:  # a bug or a second Ctrl+C: stop the workers before the pool waits for them
            self.client.cancel()
            raise

    def _drain(self, finished: queue.SimpleQueue[futures.Future[Any]], remaining: int, pending: Pending,
               handle: Callable[[str, Any], None]) -> None:
        while remaining:
            try:
                future = finished.get(timeout=0.1)
            except queue.Empty:
                self.check_cancel()
                self.report()
                continue
            remaining -= 1
            label = pending[future]
            try:
                value = future.result()
            except Stopped:
                value = None
            except NotFound as error:
                if label.startswith("pin:"):  # deleted since it was listed: skip it
                    self.got.pins_skipped.append(label[4:])
                elif self.error is None:
                    self.error = error
                    self.client.cancel()
            except PinviewerError as error:
                if self.error is None:
                    self.error = error
                self.client.cancel()
            else:
                handle(label, value)
            self.check_cancel()
            self.report()


def _slim_pin(pin: dict[str, Any]) -> dict[str, Any]:
    """What the sync uses of a Pin (a long list holds less in memory)."""
    return {key: pin[key] for key in PIN_FIELDS if key in pin}


def sync(store: Store, client: PinterestClient, profile: Profile | None = None, *, top_n: int | None = None,
         today: dt.date | None = None,
         progress: Callable[[int, int, str], object] | None = None,
         cancelled: Callable[[], bool] | None = None, now: dt.datetime | None = None) -> SyncResult:
    """Fetch what the store lacks and store it as one batch; returns what happened.

    Cancelled: returns with ``cancelled=True`` after storing what was complete. A Pinterest error (401, 403,
    offline, too many 5xx or 429...) stops the sync too: what was complete is stored, then the error is
    raised with ``error.sync_result`` set.
    """
    profile = profile or store.profile()
    if top_n is None:
        top_n = int(store.get_setting(profile, SETTING_TOP_PINS, DEFAULT_TOP_PINS))
    today = today or utc_today()
    first, last = fetchable_days(today)
    period_start = last - dt.timedelta(days=HORIZON_DAYS - 1)  # the 90 days ending yesterday
    client.reset()
    result = SyncResult()
    run = _Run(client, progress, cancelled)

    # -------------------------------------------------------------- 0: whose account is this
    run.report()
    run.check_cancel()
    if run.stopped:
        result.cancelled = True
        return _finish(store, profile, client, result, run.got, first, last, period_start, now)
    account = client.user_account()
    result.account = account
    if not account.is_business:
        raise NotBusinessAccount(account.not_business_sentence(), status=403)
    known = store.get_setting(profile, SETTING_ACCOUNT)
    if known and known.get("id") and account.id and known["id"] != account.id:
        raise PinviewerError(
            f"The profile '{profile.name}' holds the history of Pinterest account @{known.get('username')}, but "
            f"PinViewer is connected to @{account.username}. Sync into another profile, or connect "
            f"@{known.get('username')}.")

    with futures.ThreadPoolExecutor(max_workers=client.max_in_flight, thread_name_prefix="pinterest") as pool:
        _fetch_lists(store, profile, client, run, pool, account, first, last, period_start)
        if not run.stopped and run.error is None and run.got.pins_complete:
            _fetch_pin_days(store, profile, client, run, pool, result, top_n, first, last)

    result.cancelled = run.stopped and run.error is None
    result.pins_skipped = run.got.pins_skipped
    stored = _finish(store, profile, client, result, run.got, first, last, period_start, now)
    if run.error is not None:
        error = run.error
        error.sync_result = stored  # type: ignore[attr-defined]
        raise error
    return stored


def _fetch_lists(store: Store, profile: Profile, client: PinterestClient, run: _Run,
                 pool: futures.ThreadPoolExecutor, account: Account, first: dt.date,
                 last: dt.date, period_start: dt.date) -> None:
    """Phase 1: the account's days not yet final, the three top-Pin lists, every Pin and every board."""
    got = run.got
    account_final = final_days(store, profile, ACCOUNT, first, last).get("", set())
    account_windows = needed_windows(first, last, account_final)
    account_keep = {d for d in day_range(first, last) if d not in account_final}
    pin_pages = max(1, math.ceil((account.pin_count or 0) / PAGE_SIZE))
    run.total = 1 + len(account_windows) + len(TOP_SORTS) + pin_pages + 1
    run.stage = "Fetching account analytics, top Pins, Pins and boards"
    run.report()
    pending: Pending = {}
    for start, end in account_windows:
        pending[pool.submit(client.account_analytics, start, end)] = "account"
    for sort in TOP_SORTS:
        pending[pool.submit(client.top_pins, period_start, last, sort, TOP_PINS_PER_LIST)] = f"top:{sort}"
    pending[pool.submit(_collect_pages, client.list_pins(PAGE_SIZE, True, expected=account.pin_count), got.pins,
                        _slim_pin)] = "pins"
    pending[pool.submit(_collect_pages, client.list_boards(PAGE_SIZE, expected=account.board_count),
                        got.boards)] = "boards"

    def handle(label: str, value: Any) -> None:
        if label == "account":
            rows, provisional = daily_rows(ACCOUNT, "", value, account_keep, got.unknown, got.dropped)
            got.daily.extend(rows)
            got.provisional.extend(provisional)
            got.account_days += len(rows)
            got.account_provisional += len(provisional)
        elif label.startswith("top:"):
            got.top_lists[label[4:]] = [pin_id for pin_id in (ident(p.get("pin_id")) for p in
                                                              dicts(as_dict(value).get("pins"))) if pin_id]
            got.top_rows.extend(top_pin_rows(value, period_start, last, got.unknown, got.dropped))
        elif label in ("pins", "boards"):
            complete, note = value
            setattr(got, f"{label}_complete", complete)
            if note:
                got.notes.append(note)

    run.drain(pending, handle)


def _fetch_pin_days(store: Store, profile: Profile, client: PinterestClient, run: _Run,
                    pool: futures.ThreadPoolExecutor, result: SyncResult, top_n: int,
                    first: dt.date, last: dt.date) -> None:
    """Phase 2: daily figures of the Pins that matter, for the days not yet final."""
    got = run.got
    chosen = choose_pins(got.top_lists, got.pins, top_n)
    by_id = {ident(p.get("id")): p for p in got.pins}
    pin_final = final_days(store, profile, PIN, first, last) if chosen else {}
    plan: list[tuple[str, dt.date, dt.date, tuple[str, ...], set[dt.date]]] = []
    for pin_id in chosen:
        pin = by_id.get(pin_id)
        created = created_day(pin)
        start = max(first, created) if created else first
        final = pin_final.get(pin_id, set())
        keep = {d for d in day_range(start, last) if d not in final} if start <= last else set()
        types = VIDEO_PIN_METRIC_TYPES if is_video(pin) else PIN_METRIC_TYPES
        for w_start, w_end in windows(keep):
            plan.append((pin_id, w_start, w_end, types, keep))
    result.pins_daily_planned = len({p[0] for p in plan})
    run.total = run.sent() + len(plan)
    run.stage = f"Fetching daily analytics for {result.pins_daily_planned} Pins"
    run.report()
    pending: Pending = {pool.submit(client.pin_analytics, pin_id, s, e, list(types)): f"pin:{pin_id}"
               for pin_id, s, e, types, _ in plan}
    keeps = {pin_id: keep for pin_id, _, _, _, keep in plan}
    fetched_pins: set[str] = set()

    def handle(label: str, value: Any) -> None:
        pin_id = label[4:]
        rows, provisional = daily_rows(PIN, pin_id, value, keeps[pin_id], got.unknown, got.dropped)
        got.daily.extend(rows)
        got.provisional.extend(provisional)
        fetched_pins.add(pin_id)

    run.drain(pending, handle)
    got.pins_daily = len(fetched_pins)


def _finish(store: Store, profile: Profile, client: PinterestClient, result: SyncResult, got: _Collected,
            first: dt.date,
            last: dt.date, period_start: dt.date, now: dt.datetime | None) -> SyncResult:
    """Build the batch from what was completed and store it, unless it changes nothing in the history."""
    boards = {board_id: text_or_none(b.get("name"), 500) for b in got.boards if (board_id := ident(b.get("id")))}
    entities = [pin_entity(p, boards) for p in got.pins if ident(p.get("id"))]
    entities += [{"entity_type": BOARD, "entity_id": board_id, "name": name,
                  "description": text_or_none(b.get("description"), 1000)}
                 for b in got.boards if (board_id := ident(b.get("id"))) for name in [boards.get(board_id)]]
    periods = pin_periods(store, profile, got, first - dt.timedelta(days=HORIZON_DAYS), period_start, last,
                          top_complete=len(got.top_lists) == len(TOP_SORTS))
    daily = rows_frame(got.daily, DAILY_KEYS)
    if len(daily):
        daily = daily.drop_duplicates(list(DAILY_KEYS), keep="last")
    batch = ImportBatch(
        format=FORMAT, format_label=FORMAT_LABEL, daily=daily,
        periods=rows_frame(list(periods.values()), PERIOD_KEYS), entities=rows_frame(entities, ENTITY_KEYS),
        provisional=pd.DataFrame(sorted(set(got.provisional)), columns=list(DAILY_KEYS)),
        source_rows=len(got.daily) + len(periods), unrecognised=sorted(got.unknown), period=(first, last),
        meta={"account": result.account.username if result.account else None})
    result.requests = client.requests - got.base_requests
    result.retries = client.retries - got.base_retries
    batch.meta["requests"] = result.requests
    result.account_days, result.provisional_days = got.account_days, got.account_provisional
    result.pins_listed, result.pins_daily, result.boards = len(got.pins), got.pins_daily, len(got.boards)
    result.unrecognised = batch.unrecognised
    result.notes = list(got.notes)
    result.dropped, result.dropped_examples = got.dropped.count, list(got.dropped.examples)
    if result.dropped:
        log.warning("Pinterest sync: %s", result.dropped_sentence())
    if not batch.rows:
        return result
    if not changes_history(store, profile, batch):
        result.unchanged = True
        log.info("Pinterest sync changed nothing; no import entry added")
    else:
        stamp = (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
        name = f"Pinterest API sync {stamp}" + (" (stopped)" if result.cancelled else "")
        result.import_result = store.import_batch(profile, batch, file_name=name, sha256=batch_sha256(batch))
        log.info("Pinterest sync stored: %s", result.stored_sentence())
    if result.account is not None:
        store.set_setting(profile, SETTING_ACCOUNT, {"id": result.account.id, "username": result.account.username})
    store.set_setting(profile, SETTING_LAST_SYNC, {"at": dt.datetime.now(dt.UTC).isoformat(
        timespec="seconds"), "requests": result.requests, "cancelled": result.cancelled})
    return result


