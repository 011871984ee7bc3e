"""What a one-page summary says, as plain data: the page (render/summary_page.py) only lays it out.

``build_report(ds, period)`` reads the period summary (``core.period_summary``), the one set of figures the
window and ``summary --json`` read too, and turns it into:

* the cards: outbound clicks, saves, conversions (when Google Analytics was imported), outbound click
  rate and save rate, each with the compared value and the change by the summary's one rule, and impressions
  as context; a figure whose downloads do not match the period carries their note and is greyed;
* the daily series of outbound clicks and saves with their 7-day averages, provisional days marked;
* the funnel "from seen to sold" (its step rates only over the days both steps count), the top 10 Pins by
  outbound clicks, the top posts, every Pin of the period (for the optional full list);
* three or four plain sentences on what changed and why. Which Pins made a rise or a fall is found by
  comparing each Pin's figures in the two periods (``analysis.pins`` for each), never scaled.

Numbers and dates are written with ``core.wording`` (English, whatever the system locale). Qt-free.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pinviewer.core import analysis, metrics, period_summary, wording
from pinviewer.core.analysis import Period
from pinviewer.core.period_summary import Change, Figure, PeriodSummary
from pinviewer.core.store import Dataset
from pinviewer.core.wording import format_change, format_count, format_period, format_rate, names, plural

if TYPE_CHECKING:
    from pinviewer.core.coverage import Cover
    from pinviewer.core.store import BatchInfo
    from pinviewer.core.wording import Dated

TOP_PINS = 10
TOP_POSTS = 4

# Words a blogger uses
CARD_LABELS = {name: period_summary.LABELS[name] for name in
               ("outbound_clicks", "saves", "key_events", "outbound_click_rate", "save_rate")}
CARD_NOTES = {
    "outbound_clicks": "visits to your site",
    "saves": "Pins saved to boards",
    "key_events": "sign-ups, sales",
    "outbound_click_rate": "clicks per impression",
    "save_rate": "saves per impression",
}
FUNNEL_LABELS = {"impressions": "Seen (impressions)", "pin_clicks": "Pin clicks", "outbound_clicks": "Outbound clicks",
                 "sessions": "Visits to your site", "key_events": "Conversions"}


# ------------------------------------------------------------------------------------------------ data
@dataclass(frozen=True)
class Card:
    """One figure at the top of the page, with its comparison (``period_summary.Change``)."""

    metric: str
    label: str
    note: str  # a few words under the label
    kind: str  # "count" or "rate"
    value: float | None
    explain: str
    comparison: Change | None = None  # the period summary's, by its one rule
    greyed: bool = False  # the downloads do not match the period: shown greyed, never compared
    cover_note: str = ""  # which days the figure really counts, when they are not the period's

    @property
    def previous(self) -> float | None:
        return self.comparison.before if self.comparison is not None and self.comparison.compared else None

    @property
    def change(self) -> float | None:
        """The relative change of a count (None when not compared, for rates, or nothing before)."""
        return None if self.comparison is None else self.comparison.fraction

    @property
    def direction(self) -> int | None:
        """+1 rose, -1 fell, 0 held steady, None when not compared (the summary's one rule)."""
        return None if self.comparison is None else self.comparison.direction

    def value_text(self, compact: bool = False) -> str:
        if self.kind == "rate":
            return format_rate(self.value)
        return wording.format_compact(self.value) if compact else format_count(self.value)

    def change_text(self) -> str:
        """'+18%', '−0.03 pts', 'new' (nothing before), '' (not compared)."""
        return "" if self.comparison is None else self.comparison.text()

    def previous_text(self) -> str:
        """'from 1,088', the days a greyed figure counts, or why there is no comparison."""
        if self.value is None:
            return "not in your imports"
        if self.cover_note and (self.greyed or self.previous is None):
            return self.cover_note
        if self.previous is None:
            reason = self.comparison.reason if self.comparison is not None else ""
            return "nothing to compare with" if not reason or reason == "nothing to compare with" else \
                f"not compared: {reason}"
        shown = format_rate(self.previous) if self.kind == "rate" else format_count(self.previous)
        return f"from {shown}"


@dataclass
class Report:
    """Everything the summary page shows. Plain Python values; dates are ``datetime.date``."""

    profile: str
    period: Period
    previous: Period
    compare: str  # "previous" or "year"
    made_on: dt.date
    cards: list[Card]
    impressions: Card
    series: list[dict[str, Any]]  # date, outbound_clicks, saves, *_avg7, provisional (None for a day without figures)
    funnel: list[dict[str, Any]]  # metric, label, value, rate (from the step before), text
    revenue: float | None
    top_pins: list[dict[str, Any]]  # pin_id, title, board, link, impressions, saves, outbound_clicks, *_rate
    all_pins: list[dict[str, Any]]
    pins_cover: Period | None
    top_posts: list[dict[str, Any]]  # url, label, title, pins, outbound_clicks, saves, sessions, key_events
    posts_cover: Period | None
    site_cover: Period | None
    sentences: list[str]  # what changed and why, three or four
    context: str  # impressions, in small type under the cards
    notes: list[str]  # the footnote, sentence by sentence
    provisional_days: int
    days_with_data: int
    summary: dict[str, Any] = field(repr=False)  # period_summary.summary_json(): the same figures as `summary --json`
    figures: PeriodSummary | None = field(default=None, repr=False)  # the period summary it was made from
    currency: str | None = None

    @property
    def title(self) -> str:
        return f"{self.profile} on Pinterest"

    @property
    def period_text(self) -> str:
        return format_period(self.period)

    def compared_text(self) -> str:
        """'compared with the 30 days before'; '' when no figure could be compared (nothing is claimed)."""
        if self.figures is not None and not self.figures.any_compared():
            return ""
        if self.compare == "year":
            return f"compared with the same {plural(self.period.days, 'day')} a year before"
        return f"compared with the {plural(self.period.days, 'day')} before"

    @property
    def file_name(self) -> str:
        """A name to offer in the save dialog: 'My blog - Pinterest summary 2026-10-24 to 2026-11-22.pdf'."""
        name = "".join("-" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in self.profile).strip(" .")
        return f"{name or 'PinViewer'} - Pinterest summary {self.period.start} to {self.period.end}.pdf"

    @property
    def document_title(self) -> str:
        """The PDF's title and the print job's name."""
        return f"{self.title}: {self.period_text}"


# ------------------------------------------------------------------------------------------------ build
def _value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _pin_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    columns = ("pin_id", "title", "board", "link", "impressions", "saves", "outbound_clicks",
               "outbound_click_rate", "save_rate")
    data = {c: table[c].tolist() for c in columns}
    out = []
    for i in range(len(table)):
        record = {c: _value(data[c][i]) for c in columns}
        title = record["title"]
        record["title"] = " ".join(str(title).split()) if isinstance(title, str) and title.strip() else \
            f"Pin {record['pin_id']}"
        out.append(record)
    return out


def _sorted_pins(table: pd.DataFrame) -> pd.DataFrame:
    """Pins with any figure in the period, by outbound clicks then impressions (as analysis.top_pins)."""
    has = table[["impressions", "saves", "outbound_clicks"]].notna().any(axis=1).to_numpy()
    return analysis.top_pins(table[has], "outbound_clicks", n=len(table))


def _series(ds: Dataset, period: Period) -> list[dict[str, Any]]:
    frame = analysis.daily_series(ds, period, names=("outbound_clicks", "saves"))
    columns = ("outbound_clicks", "outbound_clicks_avg7", "saves", "saves_avg7")
    values = {c: frame[c].to_numpy(float) for c in columns}
    provisional = frame["provisional"].to_numpy(bool)
    out = []
    for i, stamp in enumerate(frame.index):
        row = {"date": stamp.date(), "provisional": bool(provisional[i])}
        for c in columns:
            v = values[c][i]
            row[c] = None if math.isnan(v) else float(v)
        out.append(row)
    return out


def _funnel(summary: PeriodSummary) -> tuple[list[dict[str, Any]], float | None, list[str]]:
    """The summary's funnel as the page writes it; a step's rate only where both steps count the same days."""
    out, notes = [], []
    for step in summary.funnel:
        label = FUNNEL_LABELS.get(step.metric, step.label)
        text = f"{label} {format_count(step.value)}" + (f" ({format_rate(step.rate)})" if step.rate is not None
                                                          else "")
        out.append({"metric": step.metric, "label": label, "value": step.value, "rate": step.rate,
                    "greyed": step.greyed, "text": text})
        if step.note:
            notes.append(step.note)
    return out, summary.revenue.value, notes


def _posts(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for post in period_summary.records(frame.head(TOP_POSTS * 4), ("url", "pins", "outbound_clicks", "saves",
                                                                  "sessions", "key_events")):
        if not post.get("outbound_clicks") and not post.get("sessions"):
            continue
        out.append({**post, "label": wording.post_label(post["url"])})
    return out[:TOP_POSTS]


def _counts(table: pd.DataFrame, metric: str) -> dict[str, float]:
    values = np.nan_to_num(table[metric].to_numpy(float), nan=0.0)
    return dict(zip(table["pin_id"].astype(str).tolist(), values.tolist()))


def pin_changes(now: pd.DataFrame, now_cover: Cover | None, before: pd.DataFrame, before_cover: Cover | None,
                metric: str = "outbound_clicks") -> list[dict[str, Any]] | None:
    """Each Pin's change in a count between two periods, or None when the Pin figures cannot tell.

    They cannot tell when either period has no Pin figures, when both periods were added up from the same
    downloads (a difference would then be zero by construction), or when the two count days of other lengths
    (figures are never scaled: ``period_summary``'s rule for comparing). Each item: pin_id, title, now,
    before, delta; largest rise first.
    """
    if now_cover is None or before_cover is None or now_cover.ranges == before_cover.ranges:
        return None
    if not period_summary.same_length(now_cover, before_cover):
        return None
    if not len(now) or not len(before):
        return None
    a, b = _counts(now, metric), _counts(before, metric)
    titles: dict[str, object] = {}
    for table in (before, now):
        titles.update(zip(table["pin_id"].astype(str).tolist(), table["title"].tolist()))
    out: list[dict[str, Any]] = []
    for pin_id in set(a) | set(b):
        title = titles.get(pin_id)
        title = title if isinstance(title, str) and title.strip() else f"Pin {pin_id}"
        out.append({"pin_id": pin_id, "title": title, "now": a.get(pin_id, 0.0), "before": b.get(pin_id, 0.0),
                    "delta": a.get(pin_id, 0.0) - b.get(pin_id, 0.0)})
    out.sort(key=lambda item: (-item["delta"], item["pin_id"]))
    return out


def _drivers(changes: list[dict[str, Any]] | None, rise: bool) -> tuple[list[str], float] | None:
    """The fewest Pins (up to 3) that made at least half of the net rise (or fall) between them."""
    if not changes:
        return None
    net = sum(item["delta"] for item in changes)
    if (net <= 0) if rise else (net >= 0):
        return None  # the Pin figures disagree with the account's totals: say nothing about Pins
    movers = [i for i in changes if i["delta"] > 0] if rise else [i for i in reversed(changes) if i["delta"] < 0]
    running = 0.0
    for k, item in enumerate(movers[:3], start=1):
        running += item["delta"]
        if abs(running) >= 0.5 * abs(net):
            return [m["title"] for m in movers[:k]], running / net
    return None


def change_sentence(label: str, change: Change, compared: str,
                    drivers: tuple[list[str], float] | None = None) -> str | None:
    """'Outbound clicks rose 18% compared with ... (1,284, up from 1,088)', 'Saves held steady ... (−2%)'.

    The verb is the summary's (``Change.word``): the same the window's headline uses."""
    if not change.compared:
        return None
    now, before = change.now, change.before
    assert change.direction is not None  # compared
    if change.before == 0:
        return f"{label}: {format_count(now)}, where the period before had none."
    fraction = change.fraction
    assert fraction is not None  # a count compared with a period that had some
    if change.direction == 0:
        chance = "; a change this size is within what chance does at these numbers" \
            if abs(fraction) >= 0.03 else ""
        return f"{label} {change.word} {compared} ({format_count(now)}, {format_change(change.fraction)}){chance}."
    way = "up" if change.direction > 0 else "down"
    text = (f"{label} {change.word} {format_change(abs(fraction))[1:]} {compared} "
            f"({format_count(now)}, {way} from {format_count(before)})")
    if drivers:
        titles, share = drivers
        n = len(titles)
        what = "rise" if change.direction > 0 else "fall"
        if n == 1:
            text += f"; {names(titles)} made {min(share, 1):.0%} of the {what}"
        else:
            text += f"; {wording.number_word(n)} Pins made {min(share, 1):.0%} of the {what}: {names(titles)}"
    return text + "."


def _sentences(s: PeriodSummary, compared: str, changes: list[dict[str, Any]] | None, pins: list[dict[str, Any]],
               currency: str | None) -> list[str]:
    out: list[str] = []
    days, days_with_data = s.period.days, s.days_with_data
    if days_with_data == 0:
        out.append("There are no daily figures for this period: import the Pinterest overview export that "
                   "covers it, or choose a period with figures.")
        return out
    if days_with_data == 1 and days == 1:
        out.append("This covers a single day: too short to show a trend, so read the figures as a snapshot.")
    elif days_with_data < days:
        out.append(f"The figures cover {days_with_data:,} of the {days:,} days; the other days were not imported, "
                   "so the totals are lower than the real ones.")
    oc = s.changes["outbound_clicks"]
    if oc.now is None:
        out.append("Your imports have no outbound clicks for this period yet: import the Pinterest overview "
                   "export to see how many visitors your Pins sent.")
    elif not oc.compared:
        why = "there are no figures for the period before to compare with yet" if \
            oc.reason == "nothing to compare with" else f"they are not compared ({oc.reason})"
        out.append(f"Your Pins sent {plural(int(round(oc.now)), 'outbound click')} to your site; {why}.")
    else:
        drivers = _drivers(changes, rise=oc.direction > 0) if oc.direction else None
        said = change_sentence("Outbound clicks", oc, compared, drivers)
        if said:  # (always: the change is compared)
            out.append(said)
    sv = s.changes["saves"]
    sentence = change_sentence("Saves", sv, compared)
    rate = s.changes["save_rate"]
    if sentence and rate.compared:
        same = rate.direction == 0
        sentence = sentence[:-1] + f"; {format_rate(rate.now)} of impressions led to a save " \
                                   f"({'about as before' if same else format_rate(rate.before) + ' before'})."
    if sentence:
        out.append(sentence)
    visits, key = s.figures["sessions"], s.figures["key_events"]
    if visits.value is not None:  # known
        where = f" ({visits.note})" if visits.note else ""
        if key.value is not None and visits.value and key.cover is not None and visits.cover is not None \
                and key.cover.ranges == visits.cover.ranges:
            earlier = ""
            conv = s.changes["key_events"]
            if conv.compared:
                earlier = f"; conversions {conv.word} ({conv.text()} against {format_count(conv.before)})"
            out.append(f"Visitors from Pinterest made {plural(int(round(key.value)), 'conversion')} (sign-ups, sales) "
                       f"on your site{where}: {format_rate(key.value / visits.value)} of "
                       f"{plural(int(round(visits.value)), 'visit')}{earlier}.")
        else:
            out.append(f"Pinterest brought {plural(int(round(visits.value)), 'visit')} to your site{where}.")
    if not pins:
        out.append("There are no Pin figures for this period yet: import a top-Pins export from Pinterest "
                   "Analytics to see which Pins bring visitors.")
    return [x for x in out if x]


def _with_insights(changed: list[str], found: list[str], limit: int = 4) -> list[str]:
    """What changed first (at most three sentences), then the insights' headlines to fill the space."""
    out = changed[:3]
    for sentence in found:
        if len(out) >= limit:
            break
        if sentence not in out:
            out.append(sentence)
    return out


def _context(impressions: Card) -> str:
    if impressions.value is None:
        return ""
    change = impressions.change_text()
    return (f"For context: your Pins appeared {format_count(impressions.value)} times on screens (impressions"
            f"{', ' + change if change else ''}). Appearing is not being seen, so this page leads with what "
            "people did.")


def _notes(s: PeriodSummary, funnel_notes: list[str], sources: list[str] | None) -> list[str]:
    notes = []
    if s.provisional_days:
        notes.append(f"{plural(s.provisional_days, 'day')} (shaded in the chart) "
                     f"{'is' if s.provisional_days == 1 else 'are'} provisional: Pinterest finishes counting after "
                     "24\u201348 hours, so these figures may still rise.")
    if s.pins_cover is not None and not s.pins_cover.exact and not s.pins_cover.daily:
        notes.append(f"Pin and post figures add up the top-Pins exports of {s.pins_cover.days_text()}.")
    notes.extend(n + "." for n in funnel_notes)
    notes.extend(s.notes)
    if sources:
        notes.append("Sources: " + "; ".join(sources) + ".")
    return notes


def card_for(s: PeriodSummary, name: str) -> Card:
    """The card of one figure, as the paper shows it (the window reads the same Figure and Change)."""
    figure: Figure = s.figures[name]
    kind = "rate" if figure.kind == "rate" else "count"
    return Card(name, CARD_LABELS.get(name, figure.label), CARD_NOTES.get(name, ""), kind, figure.value,
                metrics.BY_NAME[name].explain, s.changes.get(name), figure.greyed, figure.note)


CARDS = ("outbound_clicks", "saves", "key_events", "outbound_click_rate", "save_rate")


def build_report(ds: Dataset, period: Period | None = None, compare: str = "previous",
                 made_on: dt.date | None = None, sources: list[str] | None = None,
                 goals: dict[str, Any] | None = None, currency: str | None = None) -> Report:
    """The summary of one period, ready to lay out; raises PinviewerError when there is nothing to show.

    ``goals`` are the profile's monthly targets (insights.goals.load_goals), for the pace sentence;
    ``currency`` the profile's (for revenue).
    """
    from pinviewer.core import insights
    s = period_summary.summarise(ds, period, compare=compare, currency=currency)
    period, previous = s.period, s.other
    cards = [card_for(s, name) for name in CARDS if name != "key_events" or s.figures[name].known]
    impressions = card_for(s, "impressions")

    ranked = _sorted_pins(s.pins)
    all_pins = _pin_records(ranked)
    changes = None
    if s.previous_days_with_data:
        before_table, _span = analysis.pins(ds, previous)
        changes = pin_changes(s.pins, s.pins_cover, before_table, analysis.pins_cover(ds, previous))
    funnel, revenue, funnel_notes = _funnel(s)
    compared = (f"compared with the same {plural(period.days, 'day')} a year before" if compare == "year"
                else f"compared with the previous {plural(period.days, 'day')}")
    sentences = _sentences(s, compared, changes, all_pins, currency)
    if s.days_with_data:
        sentences = _with_insights(sentences, insights.headlines(ds, period, goals))
    pins_span = s.pins_cover.span() if s.pins_cover is not None else None
    posts_span = s.posts_cover.span() if s.posts_cover is not None else None
    site_cover = s.figures["sessions"].cover or s.figures["key_events"].cover
    site_span = site_cover.span() if site_cover is not None else None
    return Report(
        profile=s.profile, period=period, previous=previous, compare=compare,
        made_on=made_on or dt.date.today(), cards=cards, impressions=impressions,
        series=_series(ds, period), funnel=funnel, revenue=revenue,
        top_pins=all_pins[:TOP_PINS], all_pins=all_pins, pins_cover=_as_period(pins_span),
        top_posts=_posts(s.posts), posts_cover=_as_period(posts_span),
        site_cover=_as_period(site_span), sentences=sentences,
        context=_context(impressions), notes=_notes(s, funnel_notes, sources),
        provisional_days=s.provisional_days, days_with_data=s.days_with_data,
        summary=period_summary.summary_json(s), figures=s, currency=currency,
    )


def _as_period(span: Dated | None) -> Period | None:
    return None if span is None else Period(span.start, span.end)


def describe_sources(batches: Iterable[BatchInfo], limit: int = 6) -> list[str]:
    """What the figures come from, newest import of each kind, grouped by the day it was imported:
    ['Pinterest account overview and Pinterest top Pins, imported 25 November 2026'] (store.batches(profile)).
    """
    newest: dict[str, str] = {}
    for b in batches:
        if getattr(b, "undone_at", None):
            continue
        newest[b.format_label] = max(newest.get(b.format_label, ""), b.imported_at[:10])
    labels = sorted(newest, key=lambda label: (not label.lower().startswith("pinterest"), label))[:limit]
    by_day: dict[str, list[str]] = {}
    for label in labels:
        by_day.setdefault(newest[label], []).append(label)
    out = []
    for day, group in sorted(by_day.items(), reverse=True):
        joined = group[0] if len(group) == 1 else ", ".join(group[:-1]) + " and " + group[-1]
        try:
            out.append(f"{joined}, imported {wording.format_date(dt.date.fromisoformat(day))}")
        except ValueError:
            out.append(joined)
    return out


__all__ = ["Card", "Report", "build_report", "card_for", "change_sentence", "describe_sources", "pin_changes"]
