"""Insights no other Pinterest tool gives, in plain sentences each backed by a chart's data. Qt-free.

* ``conversions``: per-post conversions from Google Analytics joined to Pins, the Pins behind them
  (estimated), and how many outbound clicks become visits;
* ``impressions``: do impressions predict clicks for this account (across Pins and day by day), with the
  two lists: seen a lot but clicked little, seen little but clicked a lot;
* ``anomalies``: drops and jumps against a weekday-aware baseline, broad or concentrated;
* ``goals``: monthly goals and the pace towards them;
* ``concentration``: the top 5 Pins' share of clicks, clicks by Pin age, how long a Pin keeps earning;
* ``seasons``: the season planner: what rose at this time last year (and every year), and the day to pin by;
* ``boards``: which boards bring outbound clicks and saves per impression, against the account's average.

Sentences are in plain words; the numbers behind each are in its ``how_sure`` (and in the JSON).
``glossary.ENTRIES`` holds one plain entry per insight for Help.

``all_insights(ds, period, goals)`` returns everything as plain JSON-ready data;
``headlines(ds, period, goals)`` the 3-4 sentences that matter most (for the PDF summary and the tab);
``season_headline(data)`` the planner's first sentence (or None), for the paper.
Each insight is a dict with ``id``, ``title``, ``sentences`` ({text, score, links}) and its chart data.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pinviewer.core.analysis import Period
from pinviewer.core.callbacks import IsCancelled, Progress
from pinviewer.core.errors import Cancelled
from pinviewer.core.insights._common import clean
from pinviewer.core.insights.anomalies import METRIC_CHANGES, MetricChange, drops_and_jumps
from pinviewer.core.insights.boards import boards_insight
from pinviewer.core.insights.concentration import click_concentration, earning_life, pin_age
from pinviewer.core.insights.conversions import pin_conversions, post_conversions, post_table
from pinviewer.core.insights.goals import goal_pace, load_goals, parse_goal, set_goals
from pinviewer.core.insights.impressions import impressions_vs_clicks
from pinviewer.core.insights.seasons import season_planner
from pinviewer.core.store import Dataset

ORDER = ("anomalies", "goals", "seasons", "conversions", "impressions", "boards", "concentration", "age")
MAX_HEADLINES = 4
MIN_HEADLINE_SCORE = 25

__all__ = ["all_insights", "headlines", "pick_headlines", "drops_and_jumps", "goal_pace", "post_conversions",
           "post_table", "pin_conversions", "impressions_vs_clicks", "click_concentration", "pin_age", "earning_life",
           "load_goals", "set_goals", "parse_goal", "METRIC_CHANGES", "MetricChange", "season_planner",
           "boards_insight",
           "season_headline"]


def all_insights(ds: Dataset, period: Period, goals: dict[str, Any] | None = None, progress: Progress | None = None,
                 cancelled: IsCancelled | None = None) -> dict[str, Any]:
    """Every insight for the period, as plain data (``insights --json``), with the headlines.

    ``progress(done, total, message)`` and ``cancelled()`` are the task helper's (docs/ARCHITECTURE.md, rule 7):
    the window can run this on its pool, ``tasks.run(parent, lambda p, c: all_insights(ds, period, goals, p, c))``.
    """
    steps: tuple[tuple[str, str, Callable[[], dict[str, Any]]], ...] = (
        ("anomalies", "Drops and jumps", lambda: drops_and_jumps(ds, period)),
        ("goals", "Goals", lambda: goal_pace(ds, period, goals)),
        ("seasons", "Season planner", lambda: season_planner(ds, period)),
        ("conversions", "Conversions per post", lambda: post_conversions(ds, period)),
        ("impressions", "Impressions and clicks", lambda: impressions_vs_clicks(ds, period)),
        ("boards", "Boards", lambda: boards_insight(ds, period)),
        ("concentration", "Concentration", lambda: click_concentration(ds, period)),
        ("age", "Pin age", lambda: pin_age(ds, period)))
    found: dict[str, dict[str, Any]] = {}
    for done, (key, label, build) in enumerate(steps):
        if cancelled is not None and cancelled():
            raise Cancelled()
        if progress is not None:
            progress(done, len(steps), label)
        found[key] = build()
    data: dict[str, Any] = clean({"profile": ds.profile.name, "period": period.as_dict(), "insights": found})
    data["headlines"] = pick_headlines(data)
    if progress is not None:
        progress(len(steps), len(steps), "Done")
    return data


def pick_headlines(data: dict[str, Any], limit: int = MAX_HEADLINES) -> list[str]:
    """The sentences that matter most: at most one per insight, highest score first."""
    best = []
    for key, insight in data["insights"].items():
        sentences = sorted(insight.get("sentences", []), key=lambda s: -s["score"])
        if sentences and sentences[0]["score"] >= MIN_HEADLINE_SCORE:
            best.append((sentences[0]["score"], ORDER.index(key) if key in ORDER else 99, sentences[0]["text"]))
    best.sort(key=lambda item: (-item[0], item[1]))
    return [text for _, _, text in best[:limit]]


def headlines(ds: Dataset, period: Period, goals: dict[str, Any] | None = None) -> list[str]:
    """The 3-4 most useful plain sentences for the period."""
    found: list[str] = all_insights(ds, period, goals)["headlines"]
    return found


def season_headline(data: dict[str, Any]) -> str | None:
    """The season planner's first sentence ("Last year clicks on ... Pin fresh Pins for it by 15 September."),
    or None when no season starts in the next ~10 weeks: for the paper."""
    return ((data.get("insights") or {}).get("seasons") or {}).get("headline")
