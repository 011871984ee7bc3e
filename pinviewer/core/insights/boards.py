"""Which boards bring outbound clicks and saves per impression, against the account's average.

Boards come from Pinterest's exports (Top Boards: every metric per board over the export's range, entity_type
``board``) or from daily board figures. The figures are those of the board export that overlaps the period most
(or the daily board figures summed over the period). The account's average is the boards' total outbound clicks
(saves) over their total impressions, counted only where a board has both figures. A board is *above* when even
the low end of its rate's 95% Wilson interval is ``ABOVE`` times the average, *below* when even the high end is
under ``BELOW`` times it, so a board with few impressions is not called good or bad on luck. A board with fewer
than ``MIN_IMPRESSIONS`` impressions is left out of the verdicts.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pinviewer.core.analysis import Period
from pinviewer.core.formats.model import BOARD
from pinviewer.core import wording
from pinviewer.core.insights import _common as c
from pinviewer.core.store import Dataset

ABOVE = 1.5
BELOW = 0.5
MIN_IMPRESSIONS = 100
CHART_BOARDS = 8
FIGURES = ("impressions", "outbound_clicks", "saves")


def board_table(ds: Dataset, period: Period) -> tuple[pd.DataFrame, Period | None]:
    """One row per board: board, name, link, impressions, outbound_clicks, saves (NaN = unknown) and the range."""
    daily = c.rows_of(ds, BOARD, "daily")
    covered = None
    if len(daily):
        rows = daily[(daily["date"] >= c.ts(period.start)) & (daily["date"] <= c.ts(period.end))]
        if len(rows):
            sums = rows.groupby("entity_id")[[m for m in FIGURES if m in rows]].sum(min_count=1)
            covered = Period(rows["date"].min().date(), rows["date"].max().date())
    if covered is None:
        rows, covered = c.best_range_rows(ds, BOARD, period)
        if covered is None:
            return pd.DataFrame(columns=["board", "name", "link", *FIGURES]), None
        sums = rows.groupby("entity_id")[[m for m in FIGURES if m in rows]].sum(min_count=1)
    for m in FIGURES:
        if m not in sums:
            sums[m] = np.nan
    info = c.entities(ds, BOARD)
    table = sums.rename_axis("board").reset_index()
    names = info["name"].reindex(table["board"]).to_numpy(object) if "name" in info else [None] * len(table)
    table["name"] = [n if isinstance(n, str) and n.strip() else f"board {b}" for b, n in zip(table["board"], names)]
    link = None
    for field_name in ("url", "link"):  # the board's page on Pinterest
        if field_name in info:
            link = info[field_name] if link is None else link.fillna(info[field_name])
    table["link"] = link.reindex(table["board"]).to_numpy(object) if link is not None else None
    return table[["board", "name", "link", *FIGURES]], covered


def _rates(table: pd.DataFrame, metric: str) -> dict[str, Any]:
    imp = table["impressions"].to_numpy(float)
    k = table[metric].to_numpy(float)
    ok = np.isfinite(imp) & np.isfinite(k) & (imp > 0)
    average = float(k[ok].sum() / imp[ok].sum()) if ok.any() and imp[ok].sum() > 0 else None
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(ok, k / imp, np.nan)
    low, high = c.wilson(np.where(ok, k, 0), np.where(ok, imp, 0))
    judged = ok & (imp >= MIN_IMPRESSIONS)
    above = judged & (low >= ABOVE * average) if average else np.zeros(len(table), bool)
    below = judged & (high < BELOW * average) if average else np.zeros(len(table), bool)
    return {"average": average, "rate": rate, "low": low, "high": high, "above": above, "below": below}


def _best(table: pd.DataFrame, found: dict[str, Any]) -> int | None:
    rows = np.flatnonzero(found["above"])
    if not len(rows):
        return None
    return int(rows[np.argmax(found["low"][rows])])


def boards_insight(ds: Dataset, period: Period) -> dict[str, Any]:
    table, covered = board_table(ds, period)
    out: dict[str, Any] = {"id": "boards", "title": "Boards that bring clicks and saves", "boards_cover": covered,
                           "boards": [], "notes": []}
    if not len(table) or not np.isfinite(table["impressions"].to_numpy(float)).any():
        out["sentences"] = [c.Sentence("Import a Pinterest Analytics export with its Top Boards table to see which "
                                       "boards bring clicks and saves.", 5)]
        out["chart"] = {"kind": "boards", "labels": [], "keys": [], "click_rate": [], "save_rate": []}
        return out
    clicks, saves = _rates(table, "outbound_clicks"), _rates(table, "saves")
    out["average_click_rate"], out["average_save_rate"] = clicks["average"], saves["average"]
    best_click, best_save = _best(table, clicks), _best(table, saves)
    names = table["name"].tolist()
    links: list[dict[str, Any]] = []
    how: list[str] = []
    for b, found, word in ((best_click, clicks, "click"), (best_save, saves, "save")):
        if b is not None:
            how.append(f"{wording.quote(names[b])}'s {word} rate is likely between "
                       f"{wording.format_rate(found['low'][b])} and "
                       f"{wording.format_rate(found['high'][b])} (95% Wilson interval from "
                       f"{wording.format_count(table['impressions'].iloc[b])} "
                       "impressions)")
            if not links or links[0]["id"] != str(table["board"].iloc[b]):
                links.append(_link(table, b))
    if best_click is not None and best_click == best_save:
        b = best_click
        text = (f"A clear sign: {wording.quote(names[b])} brings the most outbound clicks and saves for how "
                "often it is "
                f"seen ({wording.format_rate(clicks['rate'][b])} and {wording.format_rate(saves['rate'][b])} of "
                "its impressions, against "
                f"{wording.format_rate(clicks['average'])} and {wording.format_rate(saves['average'])} across "
                "your boards). Pin more to it.")
        score = 55
    elif best_click is not None or best_save is not None:
        parts = []
        if best_click is not None:
            parts.append(f"{wording.quote(names[best_click])} brings the most outbound clicks for how often it is seen "
                         f"({wording.format_rate(clicks['rate'][best_click])} of its impressions, against "
                         f"{wording.format_rate(clicks['average'])} across your boards)")
        if best_save is not None:
            verb = "" if parts else " brings"
            parts.append(f"{wording.quote(names[best_save])}{verb} the most saves for how often it is seen "
                         f"({wording.format_rate(saves['rate'][best_save])} of its impressions, against "
                         f"{wording.format_rate(saves['average'])})")
        text = f"A clear sign: {', and '.join(parts)}. Pin more to {'them' if len(parts) == 2 else 'it'}."
        score = 55
    elif clicks["average"] is None and saves["average"] is None:
        text, score = "The board figures have no outbound clicks or saves to compare yet.", 5
    else:
        judged = int(np.isfinite(clicks["rate"]).sum())
        text = (f"No sign yet of a board that stands out: your {wording.plural(judged, 'board')} bring clicks "
                "and saves "
                "at rates too close to your average to tell apart.")
        score = 20
    rule = (f"Above: even the low end of a board's 95% interval is {ABOVE:g} times the average of your boards; "
            f"boards with fewer than {MIN_IMPRESSIONS} impressions are not judged.")
    out["sentences"] = [c.Sentence(text, score, links, how_sure="; ".join(how + [rule]) + ".")]
    order = np.argsort(-np.nan_to_num(table["impressions"].to_numpy(float), nan=-1), kind="stable")
    records = []
    for i in order:
        records.append({"board": str(table["board"].iloc[i]), "name": names[i], "link": table["link"].iloc[i],
                        **{m: table[m].iloc[i] for m in FIGURES},
                        "click_rate": clicks["rate"][i], "save_rate": saves["rate"][i],
                        "click_verdict": "above" if clicks["above"][i] else "below" if clicks["below"][i] else "usual",
                        "save_verdict": "above" if saves["above"][i] else "below" if saves["below"][i] else "usual"})
    out["boards"] = records
    shown = order[:CHART_BOARDS]
    out["chart"] = {"kind": "boards", "labels": [names[i] for i in shown],
                    "keys": [str(table["board"].iloc[i]) for i in shown],
                    "click_rate": clicks["rate"][shown], "save_rate": saves["rate"][shown],
                    "average_click_rate": clicks["average"], "average_save_rate": saves["average"]}
    out["notes"] = ([f"The board figures cover {wording.format_period(covered)}."]
                    if covered is not None and covered != period else [])
    return out


def _link(table: pd.DataFrame, i: int) -> dict[str, Any]:
    return {"kind": "board", "id": str(table["board"].iloc[i]), "label": wording.quote(table["name"].iloc[i]),
            "url": table["link"].iloc[i] if isinstance(table["link"].iloc[i], str) else None}
