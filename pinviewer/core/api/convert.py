"""Pinterest's answers turned into rows, read with suspicion: every figure must be plausible (finite, not
below zero, under a ceiling per metric and day, a rate within 0..1) or it is left out and counted; nulls, text
where an object belongs and overlong ids are skipped, never a traceback.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any, cast

import pandas as pd

from pinviewer.core import metrics
from pinviewer.core.api.account import ident, text_or_none
from pinviewer.core.formats.plausible import CEILINGS
from pinviewer.core.formats.model import PIN

READY = "READY"
VIDEO_CREATIVE_TYPES = {"VIDEO", "MAX_VIDEO", "IDEA"}
# pin_metrics counters (lower case in the API) onto canonical names
PIN_METRICS_KEYS = {"impression": "impressions", "pin_click": "pin_clicks", "clickthrough": "outbound_clicks",
                    "outbound_click": "outbound_clicks", "save": "saves", "reaction": "reactions",
                    "comment": "comments"}
IMAGE_SIZES = ("600x", "400x300", "1200x", "150x150")
# The most a figure can plausibly be for one day is the files' rule (plausible.CEILINGS: 10^10 counts a day...);
# counts, money and milliseconds over a period of N days may hold N times as much. A value past it, below zero
# (money may be negative: refunds), infinite or not a number is left out with a warning, never stored.
DAILY_CEILING = CEILINGS
SCALED_UNITS = {metrics.COUNT, metrics.MONEY, metrics.MILLISECONDS}
DROPPED_EXAMPLES = 5


class Dropped:
    """Figures left out of a sync because they cannot be true; a few examples for the sentence and the log."""

    def __init__(self) -> None:
        self.count = 0
        self.examples: list[str] = []

    def add(self, metric: str, where: str, value: object) -> None:
        self.count += 1
        if len(self.examples) < DROPPED_EXAMPLES:
            if isinstance(value, float):
                shown = f"{value:g}"
            else:
                digits = str(value)
                shown = digits if len(digits) <= 24 else f"{digits[:20]}... ({len(digits)} digits)"
            self.examples.append(f"{metrics.BY_NAME[metric].label.lower()} {where}: {shown}")


def _ceiling(metric: metrics.Metric) -> float:
    return 1.0 if metric.unit == metrics.RATE else DAILY_CEILING.get(metric.unit, 1e12)


CEILING = {metric.name: _ceiling(metric) for metric in metrics.METRICS}  # a day's most (rates: 1)
_SCALED = {metric.name for metric in metrics.METRICS if metric.unit in SCALED_UNITS}
_SIGNED = {metric.name for metric in metrics.METRICS if metric.unit == metrics.MONEY}


def figure(name: str, value: object, days: int = 1, dropped: Dropped | None = None,
           where: str | Callable[[], str] = "") -> float | None:
    """``value`` as a float when it is a plausible ``name`` over ``days`` days; None when it is no number at all
    (absent, text, null: unknown); a value that cannot be true (negative, infinite, NaN, past the ceiling, a rate
    outside 0..1) is None too, and counted in ``dropped``. ``where`` may be a callable (made only for a drop)."""
    kind = type(value)
    if kind is not int and kind is not float:  # bool is neither; text, null, lists are no number
        return None
    try:
        number = float(cast("int | float", value))  # checked just above by its exact type
    except OverflowError:  # an integer with hundreds of digits
        number = math.inf
    most = CEILING[name] * (max(1, days) if name in _SCALED else 1)
    if (-most if name in _SIGNED else 0.0) <= number <= most:  # NaN fails both comparisons
        return number
    if dropped is not None:
        dropped.add(name, where() if callable(where) else where, value)
    return None


def as_dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def dicts(value: object) -> list[dict[str, Any]]:
    """The objects of a list from an answer (null, text and numbers inside it are left out)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []



def pin_90d(pin: dict[str, Any]) -> dict[str, Any]:
    return as_dict(as_dict(pin.get("pin_metrics")).get("90d"))


def rank_number(value: object) -> float:
    """For ranking only: a plausible count, else 0."""
    number = figure("impressions", value)
    return 0.0 if number is None else number


def inactive(pin: dict[str, Any]) -> bool:
    """pin_metrics says nothing happened in 90 days: its daily figures would all be zero."""
    counters = pin_90d(pin)
    return bool(counters) and all(rank_number(v) == 0 for v in counters.values())


def created_day(pin: dict[str, Any] | None) -> dt.date | None:
    value = (pin or {}).get("created_at")
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def is_video(pin: dict[str, Any] | None) -> bool:
    if not pin:
        return False
    media = as_dict(pin.get("media"))
    return ((text_or_none(pin.get("creative_type"), 40) or "").upper() in VIDEO_CREATIVE_TYPES
            or (text_or_none(media.get("media_type"), 40) or "").lower() in ("video", "multiple_videos"))


def _analytics_block(answer: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(answer, dict):
        return {}
    if isinstance(answer.get("all"), dict):
        block: dict[str, Any] = answer["all"]
        return block
    blocks = [v for v in answer.values() if isinstance(v, dict) and "daily_metrics" in v]
    return blocks[0] if len(blocks) == 1 else {}


class _Where:
    """Where a figure was, said only when it is dropped."""

    __slots__ = ("entity_type", "entity_id", "day")

    def __init__(self, entity_type: str, entity_id: str, day: dt.date) -> None:
        self.entity_type, self.entity_id, self.day = entity_type, entity_id, day

    def __call__(self) -> str:
        return (f"of Pin {self.entity_id}" if self.entity_type == PIN else "of the account") + f" on {self.day}"


_API_NAMES = {key: metric.name for key, metric in metrics.BY_API_KEY.items()}


def daily_rows(entity_type: str, entity_id: str, answer: dict[str, Any], keep: set[dt.date] | None = None,
               unknown: set[str] | None = None,
               dropped: Dropped | None = None) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    """An analytics answer (NO_SPLIT, key "all") as daily rows, and the keys of the days not READY.
    Only days in ``keep`` are kept (the planner asks for windows; final days inside them are not stored
    again). Days with no figures (BEFORE_PIN_CREATED and the like) give no row. Implausible figures are left
    out (counted in ``dropped``); nulls and other non-objects in the lists are skipped."""
    rows, provisional = [], []
    for item in dicts(_analytics_block(answer).get("daily_metrics")):
        try:
            day = dt.date.fromisoformat(str(item.get("date"))[:10])
        except ValueError:
            continue
        if keep is not None and day not in keep:
            continue
        row: dict[str, Any] = {"entity_type": entity_type, "entity_id": entity_id, "date": day}
        for key, value in as_dict(item.get("metrics")).items():
            name = _API_NAMES.get(key)
            if name is None:
                if unknown is not None and isinstance(key, str) and len(key) <= 60:
                    unknown.add(key)
                continue
            kind = type(value)
            if (kind is int or kind is float) and 0 <= value <= CEILING[name]:  # the common case, inlined
                row[name] = float(value)
                continue
            number = figure(name, value, 1, dropped, _Where(entity_type, entity_id, day))
            if number is not None:
                row[name] = number
        if len(row) == 3:
            continue
        rows.append(row)
        if (item.get("data_status") or READY) != READY:
            provisional.append((entity_type, entity_id, day))
    return rows, provisional


def _image_url(pin: dict[str, Any]) -> str | None:
    media = as_dict(pin.get("media"))
    images = as_dict(media.get("images"))
    for size in IMAGE_SIZES:
        url = text_or_none(as_dict(images.get(size)).get("url"))
        if url:
            return url
    return text_or_none(media.get("cover_image_url"))


def pin_entity(pin: dict[str, Any], boards: dict[str, str | None]) -> dict[str, Any]:
    media = as_dict(pin.get("media"))
    created = created_day(pin)
    board_id = ident(pin.get("board_id"))
    return {"entity_type": PIN, "entity_id": ident(pin.get("id")), "title": text_or_none(pin.get("title"), 500),
            "link": text_or_none(pin.get("link")), "board_id": board_id,
            "board": boards.get(board_id) if board_id else None,
            "created": created.isoformat() if created else None,
            "format": text_or_none(pin.get("creative_type"), 40) or text_or_none(media.get("media_type"), 40),
            "image_url": _image_url(pin), "description": text_or_none(pin.get("description"), 1000)}


def pin_period_row(pin_id: str, counters: dict[str, Any], start: dt.date, end: dt.date,
                   dropped: Dropped | None = None) -> dict[str, Any] | None:
    row: dict[str, Any] = {"entity_type": PIN, "entity_id": pin_id, "start": start, "end": end}
    days = (end - start).days + 1
    for key, value in as_dict(counters).items():
        name = PIN_METRICS_KEYS.get(key)
        if name:
            number = figure(name, value, days, dropped, f"of Pin {pin_id} over 90 days (Pin list)")
            if number is not None:
                row[name] = number
    return row if len(row) > 4 else None


def top_pin_rows(answer: dict[str, Any], start: dt.date, end: dt.date, unknown: set[str] | None = None,
                 dropped: Dropped | None = None) -> list[dict[str, Any]]:
    rows = []
    days = (end - start).days + 1
    for item in dicts(as_dict(answer).get("pins")):
        pin_id = ident(item.get("pin_id"))
        if not pin_id:
            continue
        row: dict[str, Any] = {"entity_type": PIN, "entity_id": pin_id, "start": start, "end": end}
        for key, value in as_dict(item.get("metrics")).items():
            metric = metrics.BY_API_KEY.get(key)
            if metric is None:
                if unknown is not None and isinstance(key, str) and len(key) <= 60:
                    unknown.add(key)
                continue
            number = figure(metric.name, value, days, dropped, f"of Pin {pin_id} over 90 days (top Pins)")
            if number is not None:
                row[metric.name] = number
        rows.append(row)
    return rows


def rows_frame(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame(columns=list(keys))
    frame = pd.DataFrame(rows)
    metric_cols = [m for m in metrics.NAMES if m in frame.columns]
    other = [c for c in frame.columns if c not in keys and c not in metric_cols]
    return frame[list(keys) + other + metric_cols]
