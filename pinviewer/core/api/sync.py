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
from dataclasses import dataclass, field
from typing import Callable, Iterable

import pandas as pd

from pinviewer.core import metrics
from pinviewer.core.api.client import (
    Account,
    NotBusinessAccount,
    NotFound,
    PinterestClient,
    Stopped,
)
from pinviewer.core.errors import PinviewerError
from pinviewer.core.formats.model import ACCOUNT, BOARD, DAILY_KEYS, ENTITY_KEYS, PERIOD_KEYS, PIN, ImportBatch

log = logging.getLogger(__name__)

FORMAT = "api"
FORMAT_LABEL = "Pinterest API"
HORIZON_DAYS = 90  # Pinterest answers for the last 90 days only
WINDOW_DAYS = 90  # at most 90 days in one request
DEFAULT_TOP_PINS = 50
PAGE_SIZE = 250
TOP_PINS_PER_LIST = 50  # num_of_pins maximum
TOP_SORTS = ("OUTBOUND_CLICK", "SAVE", "IMPRESSION")
READY = "READY"
SETTING_TOP_PINS = "api.top_pins"
SETTING_ACCOUNT = "api.account"
SETTING_LAST_SYNC = "api.last_sync"

PIN_METRIC_TYPES = ("IMPRESSION", "OUTBOUND_CLICK", "PIN_CLICK", "SAVE", "SAVE_RATE", "USER_FOLLOW",
                    "PROFILE_VISIT")
VIDEO_PIN_METRIC_TYPES = ("IMPRESSION", "OUTBOUND_CLICK", "PIN_CLICK", "SAVE", "SAVE_RATE", "VIDEO_MRC_VIEW",
                          "VIDEO_10S_VIEW", "QUARTILE_95_PERCENT_VIEW", "VIDEO_V50_WATCH_TIME", "VIDEO_START",
                          "VIDEO_AVG_WATCH_TIME")
VIDEO_CREATIVE_TYPES = {"VIDEO", "MAX_VIDEO", "IDEA"}
# pin_metrics counters (lower case in the API) onto canonical names
PIN_METRICS_KEYS = {"impression": "impressions", "pin_click": "pin_clicks", "clickthrough": "outbound_clicks",
                    "outbound_click": "outbound_clicks", "save": "saves", "reaction": "reactions",
                    "comment": "comments"}
IMAGE_SIZES = ("600x", "400x300", "1200x", "150x150")


# ------------------------------------------------------------------------------------------------ planning
def utc_today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


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


def final_days(store, profile, entity_type: str, first: dt.date, last: dt.date) -> dict[str, set[dt.date]]:
    """Days the store holds as final from API syncs, per entity: the newest API row for the day is not
    provisional. (Days from file imports do not count: a CSV rarely has every metric.)"""
    rows = store.facts(profile, entity_types={entity_type}, first=first, last=last,
                       formats={FORMAT}, metric_names=[])
    rows = rows[(rows["start"] == rows["end"]).to_numpy()]
    newest = rows.groupby(["entity_id", "start"], sort=False)["provisional"].last()  # batches oldest first
    out: dict[str, set[dt.date]] = {}
    for (entity_id, start), provisional in newest.items():
        if not provisional:
            out.setdefault(entity_id, set()).add(start.date())
    return out


def needed_windows(first: dt.date, last: dt.date, final: set[dt.date]) -> list[tuple[dt.date, dt.date]]:
    if first > last:
        return []
    return windows(d for d in day_range(first, last) if d not in final)


def _pin_90d(pin: dict) -> dict:
    block = pin.get("pin_metrics") or {}
    return block.get("90d") or {} if isinstance(block, dict) else {}


def _num(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _inactive(pin: dict) -> bool:
    """pin_metrics says nothing happened in 90 days: its daily figures would all be zero."""
    counters = _pin_90d(pin)
    return bool(counters) and all(_num(v) == 0 for v in counters.values())


def choose_pins(top_lists: dict[str, list[str]], pins: list[dict], n: int) -> list[str]:
    """The ``n`` Pins that matter most: Pinterest's top lists (by outbound clicks, saves, impressions, taken
    in turn), then the Pin list ranked by the same 90-day counters. Inactive Pins are left out."""
    if n <= 0:
        return []
    by_id = {str(p.get("id")): p for p in pins if p.get("id")}
    chosen: list[str] = []
    seen: set[str] = set()

    def add(pin_id: str) -> None:
        if pin_id and pin_id not in seen and not (pin_id in by_id and _inactive(by_id[pin_id])):
            seen.add(pin_id)
            chosen.append(pin_id)

    lists = [top_lists.get(sort) or [] for sort in TOP_SORTS]
    for rank in range(max((len(x) for x in lists), default=0)):
        for ranked in lists:
            if rank < len(ranked):
                add(str(ranked[rank]))

    def score(pin: dict):
        c = _pin_90d(pin)
        return (-_num(c.get("clickthrough", c.get("outbound_click"))), -_num(c.get("save")),
                -_num(c.get("impression")), str(pin.get("id")))

    for pin in sorted(by_id.values(), key=score):
        add(str(pin.get("id")))
    return chosen[:n]


def _created(pin: dict | None) -> dt.date | None:
    value = (pin or {}).get("created_at")
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _is_video(pin: dict | None) -> bool:
    if not pin:
        return False
    media = pin.get("media") or {}
    return (str(pin.get("creative_type") or "").upper() in VIDEO_CREATIVE_TYPES
            or str(media.get("media_type") or "").lower() in ("video", "multiple_videos"))


# ------------------------------------------------------------------------------------------------ converting
def _analytics_block(answer: dict) -> dict:
    if not isinstance(answer, dict):
        return {}
    if isinstance(answer.get("all"), dict):
        return answer["all"]
    blocks = [v for v in answer.values() if isinstance(v, dict) and "daily_metrics" in v]
    return blocks[0] if len(blocks) == 1 else {}


def daily_rows(entity_type: str, entity_id: str, answer: dict, keep: set[dt.date] | None = None,
               unknown: set[str] | None = None) -> tuple[list[dict], list[tuple]]:
    """An analytics answer (NO_SPLIT, key "all") as daily rows, and the keys of the days not READY.
    Only days in ``keep`` are kept (the planner asks for windows; final days inside them are not stored
    again). Days with no figures (BEFORE_PIN_CREATED and the like) give no row."""
    rows, provisional = [], []
    for item in _analytics_block(answer).get("daily_metrics") or []:
        try:
            day = dt.date.fromisoformat(str(item.get("date"))[:10])
        except ValueError:
            continue
        if keep is not None and day not in keep:
            continue
        row: dict = {"entity_type": entity_type, "entity_id": entity_id, "date": day}
        for key, value in (item.get("metrics") or {}).items():
            metric = metrics.BY_API_KEY.get(key)
            if metric is None:
                if unknown is not None:
                    unknown.add(key)
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                row[metric.name] = float(value)
        if len(row) == 3:
            continue
        rows.append(row)
        if (item.get("data_status") or READY) != READY:
            provisional.append((entity_type, entity_id, day))
    return rows, provisional


def _image_url(pin: dict) -> str | None:
    media = pin.get("media") or {}
    images = media.get("images") or {}
    for size in IMAGE_SIZES:
        url = (images.get(size) or {}).get("url")
        if url:
            return url
    return media.get("cover_image_url") or None


def pin_entity(pin: dict, boards: dict[str, str]) -> dict:
    media = pin.get("media") or {}
    created = _created(pin)
    board_id = pin.get("board_id")
    return {"entity_type": PIN, "entity_id": str(pin.get("id")), "title": pin.get("title") or None,
            "link": pin.get("link") or None, "board_id": board_id or None,
            "board": boards.get(str(board_id)) if board_id else None,
            "created": created.isoformat() if created else None,
            "format": pin.get("creative_type") or media.get("media_type") or None,
            "image_url": _image_url(pin), "description": pin.get("description") or None}


def pin_period_row(pin_id: str, counters: dict, start: dt.date, end: dt.date) -> dict | None:
    row: dict = {"entity_type": PIN, "entity_id": pin_id, "start": start, "end": end}
    for key, value in counters.items():
        name = PIN_METRICS_KEYS.get(key)
        if name and isinstance(value, (int, float)) and not isinstance(value, bool):
            row[name] = float(value)
    return row if len(row) > 4 else None


def top_pin_rows(answer: dict, start: dt.date, end: dt.date, unknown: set[str] | None = None) -> list[dict]:
    rows = []
    for item in (answer or {}).get("pins") or []:
        pin_id = item.get("pin_id")
        if not pin_id:
            continue
        row: dict = {"entity_type": PIN, "entity_id": str(pin_id), "start": start, "end": end}
        for key, value in (item.get("metrics") or {}).items():
            metric = metrics.BY_API_KEY.get(key)
            if metric is None:
                if unknown is not None:
                    unknown.add(key)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                row[metric.name] = float(value)
        rows.append(row)
    return rows


def _frame(rows: list[dict], keys: tuple[str, ...]) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame(columns=list(keys))
    frame = pd.DataFrame(rows)
    metric_cols = [m for m in metrics.NAMES if m in frame.columns]
    other = [c for c in frame.columns if c not in keys and c not in metric_cols]
    return frame[list(keys) + other + metric_cols]


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
    import_result: object | None = None  # store.ImportResult
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

    @property
    def batch_id(self) -> int | None:
        return getattr(self.import_result, "batch_id", None)

    def stored_sentence(self) -> str:
        if self.import_result is None:
            return "Nothing was stored."
        return self.import_result.sentence()

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
        parts.append(self.stored_sentence())
        return " ".join(parts)


# ------------------------------------------------------------------------------------------------ sync
class _Collected:
    """What the workers brought back; touched only by the thread that runs ``sync``."""

    def __init__(self) -> None:
        self.daily: list[dict] = []
        self.provisional: list[tuple] = []
        self.periods: dict[str, dict] = {}  # pin id -> periods row over the 90 days ending yesterday
        self.top_rows: list[dict] = []
        self.top_lists: dict[str, list[str]] = {}
        self.pins: list[dict] = []
        self.pins_complete = False
        self.boards: list[dict] = []
        self.boards_complete = False
        self.unknown: set[str] = set()
        self.account_days = 0
        self.account_provisional = 0
        self.pins_daily = 0
        self.pins_skipped: list[str] = []
        self.base_requests = 0
        self.base_retries = 0


def _collect_pages(pages, into: list) -> bool:
    try:
        for page in pages:
            into.extend(page)
    except Stopped:
        return False
    return True


def sync(store, client: PinterestClient, profile=None, *, top_n: int | None = None, today: dt.date | None = None,
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
    got = _Collected()
    got.base_requests, got.base_retries = client.requests, client.retries  # the client may be reused
    state = {"total": 0, "stage": "Checking the account", "error": None, "stopped": False}

    def sent() -> int:
        return client.requests - got.base_requests

    def report() -> None:
        if progress is not None:
            done = sent()
            retries = client.retries - got.base_retries
            progress(done, max(state["total"] + retries, done), f"{state['stage']} ({done} requests)")

    def check_cancel() -> None:
        if not state["stopped"] and cancelled is not None and cancelled():
            state["stopped"] = True
            client.cancel()

    def drain(pending: dict, handle: Callable[[str, object], None]) -> None:
        """Wait for the futures, hand each result to ``handle`` in this thread, report, watch Cancel."""
        finished: queue.SimpleQueue = queue.SimpleQueue()
        for future in pending:
            future.add_done_callback(finished.put)
        remaining = len(pending)
        try:
            _drain(finished, remaining, pending, handle)
        except BaseException:  # a bug or a second Ctrl+C: stop the workers before the pool waits for them
            client.cancel()
            raise

    def _drain(finished, remaining: int, pending: dict, handle) -> None:
        while remaining:
            try:
                future = finished.get(timeout=0.1)
            except queue.Empty:
                check_cancel()
                report()
                continue
            remaining -= 1
            label = pending[future]
            try:
                value = future.result()
            except Stopped:
                value = None
            except NotFound as error:
                if label.startswith("pin:"):  # deleted since it was listed: skip it
                    got.pins_skipped.append(label[4:])
                elif state["error"] is None:
                    state["error"] = error
                    client.cancel()
                value = None
            except PinviewerError as error:
                if state["error"] is None:
                    state["error"] = error
                client.cancel()
                value = None
            else:
                handle(label, value)
            check_cancel()
            report()

    # -------------------------------------------------------------- 0: whose account is this
    report()
    check_cancel()
    if state["stopped"]:
        result.cancelled = True
        return _finish(store, profile, client, result, got, first, last, period_start, today, now)
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

    # -------------------------------------------------------------- 1: account days, top Pins, Pins, boards
    account_final = final_days(store, profile, ACCOUNT, first, last).get("", set())
    account_windows = needed_windows(first, last, account_final)
    account_keep = {d for d in day_range(first, last) if d not in account_final}
    pin_pages = max(1, math.ceil((account.pin_count or 0) / PAGE_SIZE))
    state["total"] = 1 + len(account_windows) + len(TOP_SORTS) + pin_pages + 1
    state["stage"] = "Fetching account analytics, top Pins, Pins and boards"
    report()
    with futures.ThreadPoolExecutor(max_workers=client.max_in_flight, thread_name_prefix="pinterest") as pool:
        pending: dict = {}
        for start, end in account_windows:
            pending[pool.submit(client.account_analytics, start, end)] = "account"
        for sort in TOP_SORTS:
            pending[pool.submit(client.top_pins, period_start, last, sort, TOP_PINS_PER_LIST)] = f"top:{sort}"
        pending[pool.submit(_collect_pages, client.list_pins(PAGE_SIZE, True), got.pins)] = "pins"
        pending[pool.submit(_collect_pages, client.list_boards(PAGE_SIZE), got.boards)] = "boards"

        def handle_phase1(label: str, value) -> None:
            if label == "account":
                rows, provisional = daily_rows(ACCOUNT, "", value, account_keep, got.unknown)
                got.daily.extend(rows)
                got.provisional.extend(provisional)
                got.account_days += len(rows)
                got.account_provisional += len(provisional)
            elif label.startswith("top:"):
                got.top_lists[label[4:]] = [str(p.get("pin_id")) for p in (value or {}).get("pins") or []
                                            if p.get("pin_id")]
                got.top_rows.extend(top_pin_rows(value, period_start, last, got.unknown))
            elif label == "pins":
                got.pins_complete = bool(value)
            elif label == "boards":
                got.boards_complete = bool(value)

        drain(pending, handle_phase1)

        # ---------------------------------------------------------- 2: daily figures of the Pins that matter
        if not state["stopped"] and state["error"] is None and got.pins_complete:
            chosen = choose_pins(got.top_lists, got.pins, top_n)
            by_id = {str(p.get("id")): p for p in got.pins}
            pin_final = final_days(store, profile, PIN, first, last) if chosen else {}
            plan: list[tuple[str, dt.date, dt.date, tuple[str, ...], set[dt.date]]] = []
            for pin_id in chosen:
                pin = by_id.get(pin_id)
                created = _created(pin)
                start = max(first, created) if created else first
                final = pin_final.get(pin_id, set())
                keep = {d for d in day_range(start, last) if d not in final} if start <= last else set()
                types = VIDEO_PIN_METRIC_TYPES if _is_video(pin) else PIN_METRIC_TYPES
                for w_start, w_end in windows(keep):
                    plan.append((pin_id, w_start, w_end, types, keep))
            result.pins_daily_planned = len({p[0] for p in plan})
            state["total"] = sent() + len(plan)
            state["stage"] = f"Fetching daily analytics for {result.pins_daily_planned} Pins"
            report()
            pending = {pool.submit(client.pin_analytics, pin_id, s, e, list(types)): f"pin:{pin_id}"
                       for pin_id, s, e, types, _ in plan}
            keeps = {pin_id: keep for pin_id, _, _, _, keep in plan}
            fetched_pins: set[str] = set()

            def handle_phase2(label: str, value) -> None:
                pin_id = label[4:]
                rows, provisional = daily_rows(PIN, pin_id, value, keeps[pin_id], got.unknown)
                got.daily.extend(rows)
                got.provisional.extend(provisional)
                fetched_pins.add(pin_id)

            drain(pending, handle_phase2)
            got.pins_daily = len(fetched_pins)

    result.cancelled = state["stopped"] and state["error"] is None
    result.pins_skipped = got.pins_skipped
    stored = _finish(store, profile, client, result, got, first, last, period_start, today, now)
    if state["error"] is not None:
        error = state["error"]
        error.sync_result = stored
        raise error
    return stored


def _finish(store, profile, client: PinterestClient, result: SyncResult, got: _Collected, first: dt.date,
            last: dt.date, period_start: dt.date, today: dt.date, now: dt.datetime | None) -> SyncResult:
    """Build the batch from what was completed and store it (a no-op when identical to a stored one)."""
    boards = {str(b.get("id")): b.get("name") for b in got.boards if b.get("id")}
    entities = [pin_entity(p, boards) for p in got.pins if p.get("id")]
    entities += [{"entity_type": BOARD, "entity_id": str(b.get("id")), "name": b.get("name") or None,
                  "description": b.get("description") or None} for b in got.boards if b.get("id")]
    periods: dict[str, dict] = {}
    for pin in got.pins:
        row = pin_period_row(str(pin.get("id")), _pin_90d(pin), period_start, last) if pin.get("id") else None
        if row:
            periods[row["entity_id"]] = row
    for row in got.top_rows:  # Pinterest's analytics figures win over the pin_metrics counters
        periods[row["entity_id"]] = {**periods.get(row["entity_id"], {}), **row}
    daily = _frame(got.daily, DAILY_KEYS)
    if len(daily):
        daily = daily.drop_duplicates(list(DAILY_KEYS), keep="last")
    batch = ImportBatch(
        format=FORMAT, format_label=FORMAT_LABEL, daily=daily,
        periods=_frame(list(periods.values()), PERIOD_KEYS), entities=_frame(entities, ENTITY_KEYS),
        provisional=pd.DataFrame(sorted(set(got.provisional)), columns=list(DAILY_KEYS)),
        source_rows=len(got.daily) + len(periods), unrecognised=sorted(got.unknown), period=(first, last),
        meta={"account": result.account.username if result.account else None})
    result.requests = client.requests - got.base_requests
    result.retries = client.retries - got.base_retries
    batch.meta["requests"] = result.requests
    result.account_days, result.provisional_days = got.account_days, got.account_provisional
    result.pins_listed, result.pins_daily, result.boards = len(got.pins), got.pins_daily, len(got.boards)
    result.unrecognised = batch.unrecognised
    if not batch.rows:
        return result
    stamp = (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    name = f"Pinterest API sync {stamp}" + (" (stopped)" if result.cancelled else "")
    result.import_result = store.import_batch(profile, batch, file_name=name, sha256=batch_sha256(batch))
    if result.account is not None:
        store.set_setting(profile, SETTING_ACCOUNT, {"id": result.account.id, "username": result.account.username})
    store.set_setting(profile, SETTING_LAST_SYNC, {"at": dt.datetime.now(dt.timezone.utc).isoformat(
        timespec="seconds"), "requests": result.requests, "cancelled": result.cancelled})
    log.info("Pinterest sync stored: %s", result.stored_sentence())
    return result
