"""Which posts (and, estimated, which Pins) bring sign-ups and sales, and how many clicks become visits.

Google Analytics landing pages for Pinterest traffic (entity ``post``) are joined to Pins by the path of
their normalised destination URL (``formats.urls.path_key``): a GA4 landing page is a path, a Pin's link a
full URL, so both sides meet on '/lemon-chicken'. Pins whose host never matches a landing page (links to
other sites) stay in the table but do not count towards the site's figures.

A Pin's conversions are never measured: they are estimated by sharing its post's key events out in
proportion to the Pins' outbound clicks, and always called an estimate.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from pinviewer.core import analysis
from pinviewer.core.analysis import Period
from pinviewer.core.formats.model import POST
from pinviewer.core import wording
from pinviewer.core.insights import _common as c
from pinviewer.core.store import Dataset

MIN_SESSIONS = 30  # a post needs this many visits before its conversion rate is compared
SAME_DAYS = 0.8  # Pin and site figures must share this much of their date ranges to be set against each other
LOW_ARRIVAL = 0.5  # fewer visits than this per outbound click: worth checking the link and the page
HIGH_ARRIVAL = 1.5
TOP_POSTS = 8  # in the chart
TABLE_POSTS = 50  # in the data, each with its most clicked Pins
PINS_PER_POST = 5

WHY_THEY_DIFFER = ("Clicks and visits never match exactly: Pinterest counts every click on your Pins, while "
                   "Google Analytics counts a visit only when the page loads and tracking is allowed, and it also "
                   "counts visits from other people's Pins of your posts.")


def _overlap(a: Period | None, b: Period | None) -> float:
    if a is None or b is None:
        return 0.0
    days = (min(a.end, b.end) - max(a.start, b.start)).days + 1
    return max(days, 0) / max(a.days, b.days)


def _keys(urls: Any) -> np.ndarray:
    """path_key of each URL (None where there is none), computed once per distinct URL."""
    from pinviewer.core.formats.urls import path_key

    codes, uniques = pd.factorize(pd.Series(urls, dtype=object))
    of = np.array([path_key(u) if isinstance(u, str) and u else None for u in uniques] + [None], dtype=object)
    return of[codes]  # code -1 (missing) takes the last: None


def pin_keys(ds: Dataset, period: Period) -> np.ndarray:
    """The post key of each row of the period's Pin table (kept for the last period asked)."""
    kept = ds.cache.get("insights.pin_keys")
    if kept is None or kept[0] != period:
        table, _ = c.pin_view(ds, period)
        kept = ds.cache["insights.pin_keys"] = (period, _keys(table["post_url"].to_numpy()))
    return kept[1]


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "") if "://" in url else ""


def post_table(ds: Dataset, period: Period) -> tuple[pd.DataFrame, dict[str, Any]]:
    """One row per post: Pins, outbound clicks, Pinterest visits, key events, revenue and the rates between.

    Returns the table (sorted by key events, then visits, then clicks) and facts about the join
    (date ranges, whether the rates between Pinterest and site figures can be trusted).
    """
    table, pins_cover = c.pin_view(ds, period)
    landing, site_cover = c.best_range_rows(ds, POST, period)
    keys = pin_keys(ds, period)
    rows = np.flatnonzero(pd.notna(keys))
    counts = {n: table[n].to_numpy(float)[rows] for n in ("impressions", "saves", "outbound_clicks")}
    linked = pd.DataFrame({"key": keys[rows], "row": rows, **counts})
    by_key = linked.groupby("key").agg(pins=("row", "size"), impressions=("impressions", "sum"),
                                        saves=("saves", "sum"), outbound_clicks=("outbound_clicks", "sum"))
    # the URL shown for a post: its most clicked Pin's link
    best = linked.assign(rank=np.nan_to_num(counts["outbound_clicks"], nan=-1.0)).sort_values(
        "rank", ascending=False, kind="stable").drop_duplicates("key").set_index("key")["row"].reindex(by_key.index)
    by_key["url"] = table["post_url"].to_numpy()[best.to_numpy(int)] if len(by_key) else []
    by_key["title"] = table["title"].to_numpy()[best.to_numpy(int)] if len(by_key) else []
    columns = ["sessions", "key_events", "revenue"]
    if len(landing):
        site_rows = landing[["entity_id"] + [n for n in columns if n in landing]].copy()
        site_rows["key"] = _keys(site_rows["entity_id"].to_numpy())
        site_rows = site_rows.groupby("key")[[n for n in columns if n in site_rows]].sum(min_count=1)
        merged = by_key.join(site_rows, how="outer")
        urls = merged["url"].to_numpy(object)
        merged["url"] = np.where(pd.isna(urls), merged.index.to_numpy(object), urls)  # pages without Pins
        merged["pins"] = merged["pins"].fillna(0).astype(int)
    else:
        merged = by_key
    for name in columns:
        if name not in merged:
            merged[name] = np.nan
    merged = merged.rename_axis("key").reset_index()
    # hosts of the blog: those of Pins whose post has site figures
    has_site = merged["sessions"].notna().to_numpy()
    own_hosts = {_host(u) for u in merged.loc[has_site & (merged["pins"] > 0).to_numpy(), "url"]} - {""}
    elsewhere = ~merged["url"].map(lambda u: _host(str(u))).isin(own_hosts).to_numpy()
    merged["other_site"] = ~has_site & elsewhere & bool(own_hosts)
    comparable = _overlap(pins_cover, site_cover) >= SAME_DAYS
    clicks = merged["outbound_clicks"].to_numpy(float)
    sessions = merged["sessions"].to_numpy(float)
    events = merged["key_events"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        merged["visit_rate"] = np.where(comparable & (clicks > 0), sessions / clicks, np.nan)
        merged["conversion_rate"] = np.where(sessions > 0, events / sessions, np.nan)
        merged["conversions_per_click"] = np.where(comparable & (clicks > 0), events / clicks, np.nan)
        merged["revenue_per_visit"] = np.where(sessions > 0, merged["revenue"].to_numpy(float) / sessions, np.nan)
    merged = merged.sort_values(["key_events", "sessions", "outbound_clicks"], ascending=False,
                                na_position="last", kind="stable").reset_index(drop=True)
    facts = {"pins_cover": pins_cover, "site_cover": site_cover, "comparable": bool(comparable),
             "has_site": bool(len(landing))}
    return merged, facts


def pin_conversions(ds: Dataset, period: Period, posts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Pins with their post's key events and revenue shared out by outbound clicks (an estimate)."""
    if posts is None:
        posts, _ = post_table(ds, period)
    table, _ = c.pin_view(ds, period)
    live = posts[(posts["key_events"].fillna(0) > 0) & (posts["outbound_clicks"].fillna(0) > 0)]
    if not len(live):
        return pd.DataFrame(columns=["pin_id", "title", "url", "outbound_clicks", "estimated_key_events",
                                     "estimated_revenue"])
    keys = pin_keys(ds, period)
    chosen = np.flatnonzero(pd.Series(keys).isin(live["key"]).to_numpy()
                            & (table["outbound_clicks"].fillna(0).to_numpy() > 0))
    pins = table.iloc[chosen][["pin_id", "title", "outbound_clicks"]].assign(key=keys[chosen])
    post = live.set_index("key")
    share = pins["outbound_clicks"].to_numpy(float) / post["outbound_clicks"].reindex(pins["key"]).to_numpy(float)
    pins["url"] = post["url"].reindex(pins["key"]).to_numpy()
    pins["estimated_key_events"] = share * post["key_events"].reindex(pins["key"]).to_numpy(float)
    pins["estimated_revenue"] = share * post["revenue"].reindex(pins["key"]).to_numpy(float)
    pins = pins.sort_values("estimated_key_events", ascending=False, kind="stable")
    return pins[["pin_id", "title", "url", "outbound_clicks", "estimated_key_events", "estimated_revenue"]]


def _leakage(ds: Dataset, period: Period, posts: pd.DataFrame, facts: dict[str, Any]) -> dict[str, Any] | None:
    """Pinterest visits on the site against outbound clicks over the same days."""
    site_figures, site_cover = analysis.site(ds, period)
    sessions = site_figures.get("sessions") if site_figures is not None else None
    if not sessions:
        return None
    clicks = None
    if site_cover is not None and analysis.days_with_data(ds, site_cover) == site_cover.days:
        clicks = analysis.totals(ds, site_cover)["outbound_clicks"]
        source = "account"
    elif facts["pins_cover"] == site_cover:
        clicks = float(posts.loc[~posts["other_site"], "outbound_clicks"].sum())
        source = "pins"
    if not clicks:
        return {"sessions": sessions, "outbound_clicks": None, "visit_rate": None, "covers": site_cover}
    return {"sessions": sessions, "outbound_clicks": clicks, "visit_rate": sessions / clicks, "covers": site_cover,
            "clicks_from": source}


def post_conversions(ds: Dataset, period: Period) -> dict[str, Any]:
    """Per-post conversions, the Pins behind them (estimated) and the click leakage, in sentences."""
    posts, facts = post_table(ds, period)
    sentences: list[c.Sentence] = []
    notes: list[str] = []
    pins_est = pin_conversions(ds, period, posts) if facts["has_site"] else None
    leak = _leakage(ds, period, posts, facts)
    if not facts["has_site"]:
        sentences.append(c.Sentence(
            "Import a Google Analytics landing-page report of your Pinterest visits to see which posts bring "
            "sign-ups and sales.", 15))
    else:
        if not facts["comparable"]:
            notes.append(f"The Pin figures cover {_cover(facts['pins_cover'])} and the site figures "
                         f"{_cover(facts['site_cover'])}: rates between clicks and visits are left out.")
        sentences += _post_sentences(posts, facts, ds.currency)
        if pins_est is not None and len(pins_est):
            top = pins_est.head(3)
            links = [c.pin_link(r.pin_id, r.title) for r in top.itertuples()]
            sentences.append(c.Sentence(
                f"The Pins behind most sign-ups and sales (estimated from their posts): "
                f"{wording.names([c.pin_title(r.title, r.pin_id) for r in top.itertuples()])}.", 55, links))
    if leak is not None and leak["visit_rate"] is not None:
        share = leak["visit_rate"]
        odd = share < LOW_ARRIVAL or share > HIGH_ARRIVAL
        text = (f"{wording.format_count(leak['sessions'])} Pinterest visits reached your site for "
                f"{wording.format_count(leak['outbound_clicks'])} outbound clicks ({wording.format_rate(share)}).")
        if share < LOW_ARRIVAL:
            text += " That is low: check that your links work and your pages load fast."
        sentences.append(c.Sentence(text + " " + WHY_THEY_DIFFER, 70 if odd else 30))
    top = posts[(posts["outbound_clicks"].fillna(0) > 0) | (posts["sessions"].fillna(0) > 0)].head(TOP_POSTS)
    chart = {"kind": "bars", "labels": [wording.post_label(u) for u in top["url"]], "keys": list(top["url"]),
             "series": {name: top[name].to_numpy(float) for name in ("outbound_clicks", "sessions", "key_events")}}
    shown = posts.head(TABLE_POSTS)
    # a column of lists: pandas takes any list as a column, its stubs only lists of scalars (the ignore)
    records = shown.drop(columns=["key"]).assign(top_pins=_post_pins(ds, period, shown["key"]))  # type: ignore[arg-type]
    return {"id": "conversions", "title": "Posts that bring sign-ups and sales",
            "sentences": sentences, "chart": chart, "notes": notes,
            "posts": records.to_dict("records"),
            "pins": [] if pins_est is None else pins_est.head(20).to_dict("records"),
            "leakage": leak, "pins_cover": facts["pins_cover"], "site_cover": facts["site_cover"],
            "explain": WHY_THEY_DIFFER}


def _post_pins(ds: Dataset, period: Period, keys: pd.Series) -> list[list[dict[str, Any]]]:
    """Each post's most clicked Pins (pin_id, title, outbound_clicks), in the order of ``keys``."""
    table, _ = c.pin_view(ds, period)
    pin_keys_ = pin_keys(ds, period)
    rows = np.flatnonzero(pd.Series(pin_keys_).isin(set(keys)).to_numpy())
    codes, _ = pd.factorize(pin_keys_[rows])
    clicks = table["outbound_clicks"].to_numpy(float)[rows]
    order = np.lexsort((-np.nan_to_num(clicks, nan=-1.0), codes))  # by post, most clicked first
    firsts = np.flatnonzero(np.r_[True, codes[order][1:] != codes[order][:-1]])
    rank = np.arange(len(order)) - np.repeat(firsts, np.diff(np.r_[firsts, len(order)]))
    picked = rows[order[rank < PINS_PER_POST]]
    grouped: dict[str, Any] = {}
    for key, pin_id, title, n in zip(pin_keys_[picked], table["pin_id"].to_numpy()[picked],
                                     table["title"].to_numpy()[picked], table["outbound_clicks"].to_numpy()[picked]):
        grouped.setdefault(key, []).append({"pin_id": pin_id, "title": title, "outbound_clicks": n})
    return [grouped.get(k, []) for k in keys]


def _cover(period: Period | None) -> str:
    return "no dates" if period is None else wording.format_period(period)


def _post_sentences(posts: pd.DataFrame, facts: dict[str, Any], currency: str | None) -> list[c.Sentence]:
    out = []
    own = posts[~posts["other_site"]]
    events = own["key_events"].fillna(0)
    if events.sum() <= 0:
        if own["sessions"].fillna(0).sum() > 0:
            out.append(c.Sentence("Your Pinterest visits brought no conversions in these site figures: check that "
                                  "sign-ups and sales are marked as key events in Google Analytics.", 45))
        return out
    best = own.iloc[int(np.argmax(events.to_numpy()))]
    text = (f"{wording.post_label(best['url'])} brought the most sign-ups and sales: "
            f"{wording.format_count(best['key_events'])} "
            f"from {wording.format_count(best['sessions'])} Pinterest visits "
            f"({wording.format_rate(best['conversion_rate'])})")
    if best["revenue"] and np.isfinite(best["revenue"]) and best["revenue"] > 0:
        text += f" and {wording.format_money(best['revenue'], currency)} in revenue"
    if best["pins"]:
        text += f", from {wording.plural(best['pins'], 'Pin')}"
    # a handful of conversions is a fact worth a line, not a headline
    out.append(c.Sentence(text + ".", 80 if best["key_events"] >= 10 else 50, [c.post_link(best["url"])]))
    # a post that converts clearly better than the others (Wilson low end above the overall rate)
    sessions = own["sessions"].fillna(0).to_numpy(float)
    overall = events.sum() / sessions.sum() if sessions.sum() else None
    if overall:
        low, high = c.wilson(events.to_numpy(float), sessions)
        eligible = (sessions >= MIN_SESSIONS) & (low > overall)
        if eligible.any():
            at = int(np.argmax(np.where(eligible, low, -1)))
            pick = own.iloc[at]
            if pick["key"] != best["key"]:
                out.append(c.Sentence(
                    f"{wording.post_label(pick['url'])} turns visits into conversions best: "
                    f"{wording.format_rate(pick['conversion_rate'])} of its "
                    f"{wording.format_count(pick['sessions'])} visits, against "
                    f"{wording.format_rate(overall)} across your posts.", 60, [c.post_link(pick["url"])],
                    how_sure=f"A clear sign: its conversion rate is likely between {wording.format_rate(low[at])} and "
                             f"{wording.format_rate(high[at])} (95% Wilson interval from "
                             f"{wording.format_count(pick['sessions'])} visits); even "
                             f"the low end is above the {wording.format_rate(overall)} of your posts together."))
    # a post that loses most of its clicks on the way
    if facts["comparable"]:
        rate = own["visit_rate"].to_numpy(float)
        clicks = own["outbound_clicks"].fillna(0).to_numpy(float)
        leaky = (clicks >= 100) & (rate < LOW_ARRIVAL)
        if leaky.any():
            worst = own.iloc[int(np.argmax(np.where(leaky, clicks * (1 - rate), -1)))]
            out.append(c.Sentence(
                f"Only {wording.format_rate(worst['visit_rate'])} of the "
                f"{wording.format_count(worst['outbound_clicks'])} outbound clicks to "
                f"{wording.post_label(worst['url'])} became visits: check that its link works and the page loads fast.",
                50, [c.post_link(worst["url"])]))
    return out
