"""The demo blog: made-up but realistic downloads, in the layouts the real sources write.

``write_exports(folder)`` writes the files: Pinterest's Analytics export in its real layout (one metric per
download, Top Boards and Top Pins), Google Analytics source / medium and landing-page reports, and what Connect
Pinterest lists about the Pins (titles, links, boards) as API answers; ``resources/demo`` holds the copy the app
ships (regenerate with ``python -m pinviewer demo --write resources/demo``). The sample blog holds nothing a
real source could not give. The benchmarks use ``write_overview`` and
``write_top_pins`` for 5-year, 50,000-Pin data sets. ``open_demo_store()`` imports the shipped files,
through the same readers and store as a user's files, into a database of its own in the cache folder.
"""
from __future__ import annotations

import csv
import functools
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from pinviewer import paths

if TYPE_CHECKING:
    from pinviewer.core.callbacks import Progress
    from pinviewer.core.store import ImportResult, Profile, Store

DEMO_PROFILE = "Demo: Lemon & Linen (sample blog)"
DEMO_END = dt.date(2026, 11, 22)
SITE = "https://lemonandlinen.example"
BOARDS = ("Weeknight Dinners", "Baking & Sourdough", "Cozy Home Ideas", "Garden to Table", "Holiday Recipes",
          "Reading Nooks", "Meal Prep", "DIY Decor")
_WORDS = {
    "Weeknight Dinners": ["One-Pan Lemon Chicken", "15-Minute Garlic Noodles", "Sheet-Pan Gnocchi",
                          "Creamy Tuscan Salmon", "Honey Garlic Pork Chops", "Easy Chicken Fajitas"],
    "Baking & Sourdough": ["Sourdough Starter in 7 Days", "No-Knead Focaccia", "Brown Butter Cookies",
                           "Cinnamon Roll Loaf", "Lemon Drizzle Cake", "Rustic Apple Galette"],
    "Cozy Home Ideas": ["10 Cozy Reading Nooks", "Small Living Room Makeover", "Layered Bedding Guide",
                        "Warm Lighting on a Budget", "Entryway Refresh", "Hygge Corner Ideas"],
    "Garden to Table": ["Herb Garden for Beginners", "Tomato Sauce from Scratch", "Zucchini Fritters",
                        "Pickled Red Onions", "Balcony Salad Garden", "Roasted Beet Salad"],
    "Holiday Recipes": ["Make-Ahead Christmas Brunch", "Gingerbread Loaf", "Cranberry Brie Bites",
                        "Thanksgiving Side Dishes", "Peppermint Bark", "Easter Carrot Cake"],
    "Reading Nooks": ["Window Seat Reading Nook", "Closet Turned Library", "Kids' Reading Corner",
                      "Attic Book Nook", "Built-In Bookshelves DIY", "Reading Chair Guide"],
    "Meal Prep": ["Sunday Meal Prep Plan", "Freezer Burritos", "Overnight Oats 5 Ways",
                  "Mason Jar Salads", "Batch-Cook Chili", "Lunchbox Ideas for Work"],
    "DIY Decor": ["Dried Flower Wreath", "Linen Napkins DIY", "Thrifted Vase Makeover",
                  "Fall Table Centerpiece", "Easy Macrame Hanger", "Painted Terracotta Pots"],
}


@dataclass
class DemoPin:
    pin_id: str
    title: str
    board: str
    link: str
    created: dt.date
    fmt: str
    weight: float  # share of the account's impressions while alive
    ctr: float  # outbound clicks per impression
    save_rate: float


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def account_days(end: dt.date, days: int, seed: int = 7) -> tuple[list[dt.date], dict[str, np.ndarray]]:
    """Daily account figures with growth, weekly and yearly seasonality, a few spikes and one dip."""
    rng = np.random.default_rng(seed)
    dates = [end - dt.timedelta(days=days - 1 - i) for i in range(days)]
    t = np.arange(days)
    growth = 9000 * (1 + 0.55 * t / max(days, 1))
    weekday = np.array([d.weekday() for d in dates])
    weekly = np.array([1.06, 1.0, 0.97, 0.96, 0.98, 1.02, 1.12])[weekday]
    yday = np.array([d.timetuple().tm_yday for d in dates])
    yearly = 1 + 0.22 * np.cos(2 * math.pi * (yday - 335) / 365.25)  # peaks early December
    noise = rng.lognormal(0, 0.08, days)
    impressions = growth * weekly * yearly * noise
    spikes = rng.choice(days, size=max(1, days // 120), replace=False)
    for s in spikes:
        impressions[s:s + 3] *= np.array([2.4, 1.6, 1.2])[: len(impressions[s:s + 3])]
    dip = int(days * 0.62)
    impressions[dip:dip + 12] *= 0.62  # an algorithm change took a bite for two weeks
    ctr = 0.0052 * (1 + 0.15 * np.sin(t / 45)) * rng.lognormal(0, 0.12, days)
    ctr[dip:dip + 12] *= 0.8
    outbound = rng.poisson(impressions * ctr)
    saves = rng.poisson(impressions * 0.0121 * rng.lognormal(0, 0.1, days))
    pin_clicks = rng.poisson(impressions * 0.0152 * rng.lognormal(0, 0.08, days))
    engagements = saves + pin_clicks + outbound + rng.poisson(impressions * 0.002)
    imp = np.round(impressions).astype(int)
    return dates, {
        "impressions": imp, "engagements": engagements, "pin_clicks": pin_clicks,
        "outbound_clicks": outbound, "saves": saves,
        "total_audience": np.round(imp * 0.74).astype(int), "engaged_audience": np.round(engagements * 0.7).astype(int),
    }


def write_overview(path: Path, end: dt.date = DEMO_END, days: int = 730, seed: int = 7) -> None:
    dates, figures = account_days(end, days, seed)
    with paths.atomic_write(path, newline="", encoding="utf-8-sig") as handle:  # whole or not at all
        handle.write("Pinterest analytics overview\n")
        handle.write(f"Date range: {dates[0].isoformat()} - {dates[-1].isoformat()}\n")
        handle.write("Filters: Content type: All; Claimed accounts: All; Device: All; Source: All; Format: All\n\n")
        out = csv.writer(handle)
        out.writerow(["Date", "Impressions", "Engagements", "Engagement rate", "Pin clicks", "Pin click rate",
                      "Outbound clicks", "Outbound click rate", "Saves", "Save rate", "Total audience",
                      "Engaged audience"])
        for i, day in enumerate(dates):
            imp = int(figures["impressions"][i])

            def pct(x: float, imp: int = imp) -> str:
                return f"{100 * x / imp:.1f}%" if imp else "0%"
            out.writerow([day.isoformat(), f"{imp:,}", f"{int(figures['engagements'][i]):,}",
                          pct(figures["engagements"][i]), f"{int(figures['pin_clicks'][i]):,}",
                          pct(figures["pin_clicks"][i]), f"{int(figures['outbound_clicks'][i]):,}",
                          pct(figures["outbound_clicks"][i]), f"{int(figures['saves'][i]):,}", pct(figures["saves"][i]),
                          f"{int(figures['total_audience'][i]):,}", f"{int(figures['engaged_audience'][i]):,}"])


def make_pins(count: int, end: dt.date = DEMO_END, seed: int = 11, posts: int = 60) -> list[DemoPin]:
    """Pins across boards, long-tailed: a few bring most visits, some are seen a lot and clicked little."""
    rng = np.random.default_rng(seed)
    post_slugs = []
    for board in BOARDS:
        for title in _WORDS[board]:
            post_slugs.append((board, title))
    post_slugs = post_slugs[:posts] if posts <= len(post_slugs) else post_slugs
    pins = []
    weights = rng.pareto(1.3, count) + 0.05
    for i in range(count):
        board, title = post_slugs[int(rng.integers(len(post_slugs)))]
        slug = title.lower().replace("'", "").replace("&", "and").replace(" ", "-")
        variant = int(rng.integers(4))
        link = f"{SITE}/{slug}/"
        if variant == 1:
            link += "?utm_source=pinterest&utm_medium=social"
        elif variant == 2:
            link = link.replace("https://", "https://www.")
        suffix = ["", " (easy!)", " | Lemon & Linen", " – step by step"][int(rng.integers(4))]
        created = end - dt.timedelta(days=int(rng.integers(1, 1100)))
        fmt = "Video" if rng.random() < 0.15 else "Standard"
        ctr = float(np.clip(rng.lognormal(math.log(0.005), 0.7), 0.0004, 0.06))
        pins.append(DemoPin(str(1012345678901200000 + i * 7919), title + suffix, board, link, created, fmt,
                            float(weights[i]), ctr, float(np.clip(rng.lognormal(math.log(0.012), 0.4), 0.001, 0.08))))
    return pins


def write_top_pins(path: Path, pins: list[DemoPin], start: dt.date, end: dt.date, seed: int = 3,
                   total_impressions: float | None = None) -> None:
    rng = np.random.default_rng(seed + start.toordinal())
    days = (end - start).days + 1
    alive = [p for p in pins if p.created <= end]
    weights = np.array([p.weight for p in alive])
    total = total_impressions if total_impressions is not None else 9000 * 1.3 * days
    share = weights / weights.sum() if len(alive) else weights
    with paths.atomic_write(path, newline="", encoding="utf-8-sig") as handle:  # whole or not at all
        handle.write("Top Pins\n")
        handle.write(f"Date range: {start.isoformat()} - {end.isoformat()}\n")
        handle.write("Sorted by: Impressions\n\n")
        out = csv.writer(handle)
        out.writerow(["Pin ID", "Pin URL", "Title", "Board", "Destination link", "Created date", "Format",
                      "Impressions", "Engagements", "Pin clicks", "Outbound clicks", "Saves", "Engagement rate",
                      "Outbound click rate", "Save rate"])
        rows = []
        for pin, s in zip(alive, share):
            imp = int(rng.poisson(max(total * s * rng.lognormal(0, 0.25), 0)))
            if imp == 0:
                continue
            oc = int(rng.binomial(imp, min(pin.ctr, 1)))
            sv = int(rng.binomial(imp, min(pin.save_rate, 1)))
            pc = int(rng.binomial(imp, 0.015))
            eng = oc + sv + pc
            rows.append((imp, [pin.pin_id, f"https://www.pinterest.com/pin/{pin.pin_id}/", pin.title, pin.board,
                               pin.link, pin.created.isoformat(), pin.fmt, f"{imp:,}", f"{eng:,}", f"{pc:,}",
                               f"{oc:,}", f"{sv:,}", f"{100 * eng / imp:.1f}%", f"{100 * oc / imp:.1f}%",
                               f"{100 * sv / imp:.1f}%"]))
        for _, row in sorted(rows, key=lambda r: -r[0]):
            out.writerow(row)


def _ga_preamble(handle: IO[str], title: str, start: dt.date, end: dt.date) -> None:
    handle.write("# ----------------------------------------\n")
    handle.write(f"# {title}\n# Account: Lemon & Linen\n# Property: lemonandlinen.example - GA4\n")
    handle.write("# ----------------------------------------\n# \n# All Users\n")
    handle.write(f"# Start date: {start:%Y%m%d}\n# End date: {end:%Y%m%d}\n")


def write_ga4_sources(path: Path, start: dt.date, end: dt.date, outbound_clicks: int, seed: int = 5) -> None:
    rng = np.random.default_rng(seed + start.toordinal())
    pinterest = int(outbound_clicks * 0.86)  # some clicks never become sessions (leakage)
    pin_it = int(outbound_clicks * 0.05)
    rows = [("pinterest.com / referral", pinterest), ("pin.it / referral", pin_it),
            ("google / organic", int(pinterest * 1.9)), ("(direct) / (none)", int(pinterest * 0.7)),
            ("newsletter / email", int(pinterest * 0.3)), ("bing / organic", int(pinterest * 0.25))]
    with paths.atomic_write(path, newline="", encoding="utf-8") as handle:  # whole or not at all
        _ga_preamble(handle, "Traffic acquisition: Session source / medium", start, end)
        out = csv.writer(handle)
        out.writerow(["Session source / medium", "Sessions", "Engaged sessions", "Engagement rate",
                      "Average engagement time per session", "Events per session", "Event count", "Key events",
                      "Session key event rate", "Total revenue"])
        lines: list[list[Any]] = []
        for source, sessions in rows:
            engaged = int(sessions * rng.uniform(0.5, 0.7))
            key = int(rng.binomial(max(sessions, 0), 0.021 if "pin" in source else 0.015))
            events = int(sessions * rng.uniform(5, 7))
            revenue = round(key * rng.uniform(2.5, 4.5), 2)
            lines.append([source, sessions, engaged, round(engaged / sessions, 6) if sessions else 0,
                          round(rng.uniform(40, 90), 3), round(events / sessions, 2) if sessions else 0, events, key,
                          round(key / sessions, 6) if sessions else 0, revenue])
        grand: list[Any] = ["Grand total"] + [sum(r[i] for r in lines) if i in (1, 2, 6, 7, 9) else ""
                                              for i in range(1, 10)]
        out.writerow(grand)
        for line in lines:
            out.writerow(line)


def write_ga4_landing_pages(path: Path, pins: list[DemoPin], start: dt.date, end: dt.date,
                            outbound_clicks: int, seed: int = 9) -> None:
    """The Landing page report with Session source as a secondary dimension."""
    rng = np.random.default_rng(seed + start.toordinal())
    from urllib.parse import urlsplit

    weights: dict[str, float] = {}
    for pin in pins:
        if pin.created <= end:
            path_part = urlsplit(pin.link).path
            weights[path_part] = weights.get(path_part, 0) + pin.weight * pin.ctr
    total = sum(weights.values()) or 1
    with paths.atomic_write(path, newline="", encoding="utf-8") as handle:  # whole or not at all
        _ga_preamble(handle, "Landing page: Landing page + query string", start, end)
        out = csv.writer(handle)
        out.writerow(["Landing page + query string", "Session source", "Sessions", "Engaged sessions", "Key events",
                      "Total revenue"])
        for page, weight in sorted(weights.items(), key=lambda kv: -kv[1]):
            sessions = int(rng.poisson(outbound_clicks * 0.86 * weight / total))
            if sessions == 0:
                continue
            conv_rate = rng.choice([0.005, 0.015, 0.04, 0.09], p=[0.4, 0.35, 0.2, 0.05])
            key = int(rng.binomial(sessions, conv_rate))
            out.writerow([page, "pinterest.com", sessions, int(sessions * 0.6), key, round(key * rng.uniform(2, 5), 2)])
            google = int(sessions * rng.uniform(0.5, 3))
            out.writerow([page, "google", google, int(google * 0.65), int(rng.binomial(google, 0.012)), 0])


# Boards whose Pins rise at the same time every year (day of the year of the peak, extra height at the peak)
SEASONS = {"Holiday Recipes": (350, 3.0), "Garden to Table": (140, 1.6), "Baking & Sourdough": (300, 0.8),
           "Meal Prep": (12, 2.2)}  # New Year meal plans: the rise starts in December
ACCOUNT_NAME = "lemonandlinen"
EXPORT_METRICS = (("Outbound clicks", "outbound_clicks"), ("Saves", "saves"), ("Impressions", "impressions"))


def board_url(board: str) -> str:
    slug = "-".join("".join(c if c.isalnum() else " " for c in board.lower()).split())  # as Pinterest writes it
    return f"https://www.pinterest.com/{ACCOUNT_NAME}/{slug}/"


def _season(board: str, day: dt.date) -> float:
    peak, height = SEASONS.get(board, (0, 0.0))
    if not height:
        return 1.0
    distance = abs(day.timetuple().tm_yday - peak)
    distance = min(distance, 365 - distance)
    return 1.0 + height * math.exp(-((distance / 28.0) ** 2))


def pin_figures(pins: list[DemoPin], start: dt.date, end: dt.date, total_impressions: float,
                seed: int = 3) -> dict[str, np.ndarray]:
    """Each Pin's figures over a range (0 for Pins not created yet), seasonal boards rising on time."""
    rng = np.random.default_rng(seed + start.toordinal())
    middle = start + (end - start) / 2
    weights = np.array([p.weight * _season(p.board, middle) if p.created <= end else 0.0 for p in pins])
    share = weights / weights.sum() if weights.sum() else weights
    imp = rng.poisson(np.maximum(total_impressions * share * rng.lognormal(0, 0.25, len(pins)), 0))
    oc = rng.binomial(imp, np.clip([p.ctr for p in pins], 0, 1))
    sv = rng.binomial(imp, np.clip([p.save_rate for p in pins], 0, 1))
    pc = rng.binomial(imp, 0.015)
    return {"impressions": imp, "engagements": oc + sv + pc, "pin_clicks": pc, "outbound_clicks": oc, "saves": sv}


def write_real_export(path: Path, start: dt.date, end: dt.date, metric: tuple[str, str], dates: list[dt.date],
                      account: dict[str, np.ndarray], pins: list[DemoPin], figures: dict[str, np.ndarray],
                      *, estimate_from: dt.date | None = None) -> None:
    """One download of Analytics > Overview > Export: the daily table and Top Pins sorted by ``metric``."""
    from pinviewer.core.demo_exports import export_text

    label, name = metric
    index = {d: i for i, d in enumerate(dates)}
    days = [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]
    daily = [int(account[name][index[d]]) if d in index else None for d in days]
    boards = []
    for board in BOARDS:
        members = np.array([p.board == board for p in pins])
        values = [int(figures[m][members].sum()) for m in ("impressions", "engagements", "pin_clicks",
                                                           "outbound_clicks", "saves")]
        if values[0]:
            boards.append((board_url(board), values))
    boards.sort(key=lambda b: -b[1][0])
    order = np.argsort(-figures[name], kind="stable")[:50]
    top = [(f"https://www.pinterest.com/pin/{pins[i].pin_id}/", "Organic", "From you", "Yes",
            int(figures[name][i])) for i in order if figures[name][i] > 0]
    text = export_text(start, end, label, daily, boards=boards, pins=top, estimate_from=estimate_from,
                       boards_range=None, pins_range=None)
    paths.write_bytes(path, text.encode("utf-8"))  # whole or not at all


def write_api_snapshot(folder: Path, pins: list[DemoPin]) -> Path:
    """What Connect Pinterest would have listed: the Pins (title, link, board, created) and the boards, in the
    shapes of API v5's GET /v5/pins and GET /v5/boards; the sample blog saves them the way sync does."""
    import json

    board_ids = {board: str(5012345678900000 + i) for i, board in enumerate(BOARDS)}
    snapshot = {
        "boards": {"items": [{"id": board_ids[b], "name": b, "description": None} for b in BOARDS], "bookmark": None},
        "pins": {"items": [{"id": p.pin_id, "title": p.title, "link": p.link, "board_id": board_ids[p.board],
                            "created_at": f"{p.created.isoformat()}T09:00:00", "creative_type": p.fmt.upper(),
                            "media": {"media_type": "video" if p.fmt == "Video" else "image"}} for p in pins],
                 "bookmark": None},
    }
    path = folder / "pinterest_api_snapshot.json"
    paths.write_text(path, json.dumps(snapshot, indent=0, allow_nan=False))  # whole or not at all
    return path


def write_exports(folder: Path, end: dt.date = DEMO_END, months: int = 12) -> list[Path]:
    """The sample blog's downloads, as a blogger would have made them: for each of the last ``months`` months,
    Pinterest's export once per metric (outbound clicks, saves, impressions); for the year before, one export
    per metric covering the whole year; a Google Analytics source / medium and landing-page report per month;
    and what Connect Pinterest listed about the Pins."""
    folder.mkdir(parents=True, exist_ok=True)
    earlier = set(folder.glob("*.csv"))  # removed once every new file is written (a full disk keeps them)
    written = []
    dates, account = account_days(end, 730)
    by_day = {d: i for i, d in enumerate(dates)}
    pins = make_pins(320, end)

    def total(start: dt.date, stop: dt.date, name: str) -> int:
        return int(sum(int(account[name][by_day[d]]) for d in by_day if start <= d <= stop))

    month = _month_start(end)
    for number in range(months):
        start, stop = month, min(_month_end(month), end)
        imp, clicks = total(start, stop, "impressions"), total(start, stop, "outbound_clicks")
        figures = pin_figures(pins, start, stop, imp * 0.8)
        tag = f"{start:%Y%m%d}-{stop:%Y%m%d}"
        estimate = stop - dt.timedelta(days=1) if number == 0 else None  # the newest download's last days
        for label, name in EXPORT_METRICS:
            path = folder / f"Pinterest Analytics overview {tag} {label.lower()}.csv"
            write_real_export(path, start, stop, (label, name), dates, account, pins, figures, estimate_from=estimate)
            written.append(path)
        ym = f"{start.year:04d}-{start.month:02d}"
        writers: tuple[tuple[Path, Callable[[Path], None]], ...] = (
            (folder / f"ga4_source_medium_{ym}.csv",
             functools.partial(write_ga4_sources, start=start, end=stop, outbound_clicks=clicks)),
            (folder / f"ga4_landing_pages_{ym}.csv",
             functools.partial(write_ga4_landing_pages, pins=pins, start=start, end=stop, outbound_clicks=clicks)))
        for path, writer in writers:
            writer(path)
            written.append(path)
        month = _month_start(month - dt.timedelta(days=1))
    year_end = _month_end(month)
    year_start = max(dates[0], _month_start(year_end - dt.timedelta(days=360)))
    figures = pin_figures(pins, year_start, year_end, total(year_start, year_end, "impressions") * 0.8 / 2)
    for label, name in EXPORT_METRICS:
        path = folder / f"Pinterest Analytics overview {year_start:%Y%m%d}-{year_end:%Y%m%d} {label.lower()}.csv"
        write_real_export(path, year_start, year_end, (label, name), dates, account, pins, figures)
        written.append(path)
    written.append(write_api_snapshot(folder, pins))
    for old in earlier - set(written):
        old.unlink()
    return written


def import_api_snapshot(store: Store, profile: Profile, path: Path) -> ImportResult | None:
    """The sample blog's stand-in for a connected account, stored as sync stores what it lists."""
    import json

    import pandas as pd

    from pinviewer.core.api import sync
    from pinviewer.core.formats.model import BOARD, ImportBatch

    snapshot = json.loads(Path(path).read_text(encoding="utf-8"))
    boards = {str(b["id"]): b["name"] for b in snapshot["boards"]["items"]}
    rows = [sync.pin_entity(p, boards) for p in snapshot["pins"]["items"]]
    rows += [{"entity_type": BOARD, "entity_id": key, "name": name} for key, name in boards.items()]
    batch = ImportBatch(format=sync.FORMAT, format_label=sync.FORMAT_LABEL, entities=pd.DataFrame(rows))
    if store.find_batch(profile, sync.batch_sha256(batch)) is not None:
        return None
    return store.import_batch(profile, batch, file_name="Pinterest account (sample)", sha256=sync.batch_sha256(batch))


def demo_files() -> list[Path]:
    """The sample blog's downloads, oldest range first (as a blogger would have imported them)."""
    from pinviewer import paths

    folder = paths.resource_path("demo")
    return sorted(Path(folder).glob("*.csv"), key=_range_key)


def _range_key(path: Path) -> tuple[Any, ...]:
    import re

    found = re.search(r"(\d{8})-(\d{8})|(\d{4}-\d{2})", path.name)
    if not found:
        return ("", path.name)
    return ((found.group(1) or found.group(3).replace("-", "") + "01"), path.name)


def open_demo_store(progress: Progress | None = None) -> tuple[Store, Profile]:
    """The demo profile in its own database (cache folder); the user's history is never touched."""
    from pinviewer import paths
    from pinviewer.core.importer import import_files
    from pinviewer.core.store import Store

    store = Store.open(paths.demo_database_path(), default_profile=DEMO_PROFILE)
    profile = store.ensure_profile(DEMO_PROFILE)
    files = demo_files()
    known = {b.file_name for b in store.batches(profile, include_undone=False)}
    missing = [f for f in files if f.name not in known]
    if missing:
        import_files(store, profile, missing, progress=progress)
    snapshot = Path(paths.resource_path("demo")) / "pinterest_api_snapshot.json"
    if snapshot.exists():
        import_api_snapshot(store, profile, snapshot)
    return store, profile
