"""What a one-page summary says, as plain data: the page (render/summary_page.py) only lays it out.

``build_report(ds, period)`` gathers, from ``analysis``:

* the cards: outbound clicks, saves, conversions (when Google Analytics was imported), outbound click
  rate and save rate, each with the previous period's value and the change (percent for counts, points
  for rates), and impressions as context;
* the daily series of outbound clicks and saves with their 7-day averages, provisional days marked;
* the funnel "from seen to sold", the top 10 Pins by outbound clicks, the top posts, every Pin of the
  period (for the optional full list);
* three or four plain sentences on what changed and why. Which Pins made a rise or a fall is found by
  comparing each Pin's figures in the two periods (``analysis.pins`` for each).

The ``format_*`` functions are the one way a number is written on paper: the page uses them, and the tests
use them to find the figures of ``summary --json`` in the PDF's text. Qt-free (principle 1).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from pinviewer.core import analysis, metrics
from pinviewer.core.analysis import Period
from pinviewer.core.store import Dataset

TOP_PINS = 10
TOP_POSTS = 4
SMALL_COUNT = 20  # below this many, a percentage change says more about chance than about the Pins
STEADY = 0.03  # changes smaller than 3% are "about the same"
TITLE_IN_SENTENCE = 42  # characters of a Pin title quoted in a sentence
MINUS = "\u2212"  # a real minus sign: the same width as "+" and unambiguous in print
DASH = "\u2014"  # no figure

# Words a blogger uses (DESIGN.md, look and feel)
CARD_LABELS = {
    "outbound_clicks": "Outbound clicks",
    "saves": "Saves",
    "key_events": "Conversions",
    "outbound_click_rate": "Outbound click rate",
    "save_rate": "Save rate",
}
CARD_NOTES = {
    "outbound_clicks": "visits to your site",
    "saves": "Pins saved to boards",
    "key_events": "sign-ups, sales",
    "outbound_click_rate": "clicks per impression",
    "save_rate": "saves per impression",
}
FUNNEL_STEPS = (  # metric, label on the page
    ("impressions", "Seen (impressions)"),
    ("pin_clicks", "Pin clicks"),
    ("outbound_clicks", "Outbound clicks"),
    ("sessions", "Visits to your site"),
    ("key_events", "Conversions"),
)


# ------------------------------------------------------------------------------------------- formatting
def format_count(value: float | None) -> str:
    """1284.0 -> '1,284'; None -> an em dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    return f"{int(round(value)):,}"


def format_money(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    return f"{value:,.2f}"


def _rate_decimals(percent: float) -> int:
    """Two significant digits, at most two decimals: 0.52%, 2.1%, 79%."""
    percent = abs(percent)
    if percent >= 10:
        return 0
    if percent >= 1:
        return 1
    return 2


def format_rate(value: float | None) -> str:
    """0.0052 -> '0.52%'; 0.021 -> '2.1%'; 0.794 -> '79%'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    percent = value * 100
    if 0 < percent < 0.005:
        return "<0.01%"
    return f"{percent:.{_rate_decimals(percent)}f}%"


def _signed(text: str, negative: bool) -> str:
    return (MINUS if negative else "+") + text


def format_change(change: float | None) -> str:
    """A relative change: 0.18 -> '+18%', -0.004 -> '−0.4%'; None -> ''."""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return ""
    percent = change * 100
    digits = 0 if abs(percent) >= 1 or percent == 0 else 1
    text = f"{abs(percent):,.{digits}f}%"
    if text in ("0%", "0.0%"):
        return "\u00b10%"
    return _signed(text, percent < 0)


def format_points(now: float | None, before: float | None) -> str:
    """The change of a rate in percentage points, with the precision of the rate: '+0.05 pts'."""
    if now is None or before is None:
        return ""
    delta = (now - before) * 100
    digits = max(_rate_decimals(now * 100), _rate_decimals(before * 100))
    text = f"{abs(delta):.{digits}f}"
    if float(text) == 0:
        return "\u00b10 pts"
    return _signed(text, delta < 0) + " pts"


def format_date(day: dt.date, year: bool = True) -> str:
    return f"{day.day} {day:%B}" + (f" {day.year}" if year else "")


def format_short_date(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def format_period(period: Period) -> str:
    """'24 October – 22 November 2026'; one day: '22 November 2026'."""
    if period.start == period.end:
        return format_date(period.start)
    same_year = period.start.year == period.end.year
    if same_year and period.start.month == period.end.month:
        return f"{period.start.day}\u2013{format_date(period.end)}"
    return f"{format_date(period.start, year=not same_year)} \u2013 {format_date(period.end)}"


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def shorten(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,.;:-\u2013|") + "\u2026"


_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


# ------------------------------------------------------------------------------------------------ data
@dataclass(frozen=True)
class Card:
    """One figure at the top of the page, with the period before."""

    metric: str
    label: str
    note: str  # a few words under the label
    kind: str  # "count" or "rate"
    value: float | None
    previous: float | None
    explain: str
    per_days: int | None = None  # set when ``previous`` was scaled to this many days (exports of other lengths)

    @property
    def change(self) -> float | None:
        """Relative change for counts (None where there was nothing before)."""
        if self.kind != "count":
            return None
        return analysis.change(self.value, self.previous)

    @property
    def direction(self) -> int | None:
        """+1 up, -1 down, 0 the same, None when there is nothing to compare with."""
        if self.value is None or self.previous is None:
            return None
        if self.kind == "count":
            shown = format_change(self.change) if self.change is not None else None
            if shown is None:  # previous was 0
                return 1 if self.value > 0 else 0
            return 0 if shown.startswith("\u00b1") else (1 if self.value > self.previous else -1)
        shown = format_points(self.value, self.previous)
        return 0 if shown.startswith("\u00b1") else (1 if self.value > self.previous else -1)

    def value_text(self) -> str:
        return format_rate(self.value) if self.kind == "rate" else format_count(self.value)

    def change_text(self) -> str:
        """'+18%', '−0.03 pts', 'new' (nothing before), '' (nothing known)."""
        if self.value is None or self.previous is None:
            return ""
        if self.kind == "rate":
            return format_points(self.value, self.previous)
        if self.previous == 0:
            return "new" if self.value > 0 else "\u00b10%"
        return format_change(self.change)

    def previous_text(self) -> str:
        """'from 1,088' or 'nothing to compare with'."""
        if self.value is None:
            return "not in your imports"
        if self.previous is None:
            return "nothing to compare with"
        shown = format_rate(self.previous) if self.kind == "rate" else format_count(self.previous)
        if self.per_days:
            return f"from {shown} per {plural(self.per_days, 'day')}"
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
    series: list[dict]  # date, outbound_clicks, saves, *_avg7, provisional (None for a day without figures)
    funnel: list[dict]  # metric, label, value, rate (from the step before), text
    revenue: float | None
    top_pins: list[dict]  # pin_id, title, board, link, impressions, saves, outbound_clicks, *_rate
    all_pins: list[dict]
    pins_cover: Period | None
    top_posts: list[dict]  # url, label, title, pins, outbound_clicks, saves, sessions, key_events
    posts_cover: Period | None
    site_cover: Period | None
    sentences: list[str]  # what changed and why, three or four
    context: str  # impressions, in small type under the cards
    notes: list[str]  # the footnote, sentence by sentence
    provisional_days: int
    days_with_data: int
    summary: dict = field(repr=False)  # analysis.summary(), the same figures as `summary --json`

    @property
    def title(self) -> str:
        return f"{self.profile} on Pinterest"

    @property
    def period_text(self) -> str:
        return format_period(self.period)

    def compared_text(self) -> str:
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
def _value(value):
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _pin_records(table: pd.DataFrame) -> list[dict]:
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


def _series(ds: Dataset, period: Period) -> list[dict]:
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


def _funnel(steps: list[dict]) -> tuple[list[dict], float | None]:
    values = {s["metric"]: s["value"] for s in steps}
    out, previous = [], None
    for name, label in FUNNEL_STEPS:
        value = values.get(name)
        if value is None:
            continue
        rate = metrics.rate(value, previous) if previous is not None else None
        out.append({"metric": name, "label": label, "value": value, "rate": rate,
                    "text": f"{label} {format_count(value)}" + (f" ({format_rate(rate)})" if rate is not None else "")})
        previous = value
    return out, values.get("revenue")


def _post_label(url: str) -> str:
    text = str(url)
    for prefix in ("https://", "http://"):
        if text.startswith(prefix):
            text = text[len(prefix):]
    return text or "/"


def _posts(records: list[dict]) -> list[dict]:
    out = []
    for post in records:
        if not post.get("outbound_clicks") and not post.get("sessions"):
            continue
        out.append({**post, "label": _post_label(post["url"])})
    return out[:TOP_POSTS]


def _period_of(cover: dict | None) -> Period | None:
    if not cover:
        return None
    return Period(dt.date.fromisoformat(cover["start"]), dt.date.fromisoformat(cover["end"]))


def _same_days(a: Period | None, b: Period) -> bool:
    return a is not None and a.start == b.start and a.end == b.end


def _quote(title: str) -> str:
    return f"\u201c{shorten(title, TITLE_IN_SENTENCE)}\u201d"


def _names(titles: list[str]) -> str:
    quoted = [_quote(t) for t in titles]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _counts(table: pd.DataFrame, metric: str) -> dict[str, float]:
    values = np.nan_to_num(table[metric].to_numpy(float), nan=0.0)
    return dict(zip(table["pin_id"].astype(str).tolist(), values.tolist()))


def pin_changes(now: pd.DataFrame, now_cover: Period | None, before: pd.DataFrame,
                before_cover: Period | None, metric: str = "outbound_clicks") -> list[dict] | None:
    """Each Pin's change in a count between two periods, or None when the Pin figures cannot tell.

    They cannot tell when either period has no Pin figures, or when both periods fall back on the same
    export (the same date range): a difference would then be zero by construction. Where the two exports
    cover different numbers of days, the earlier figures are scaled to the same number of days.
    Each item: pin_id, title, now, before, delta; largest rise first.
    """
    if now_cover is None or before_cover is None or now_cover == before_cover:
        return None
    if not len(now) or not len(before):
        return None
    scale = now_cover.days / before_cover.days if before_cover.days else 1.0
    a, b = _counts(now, metric), _counts(before, metric)
    titles = {}
    for table in (before, now):
        titles.update(zip(table["pin_id"].astype(str).tolist(), table["title"].tolist()))
    out = []
    for pin_id in set(a) | set(b):
        title = titles.get(pin_id)
        title = title if isinstance(title, str) and title.strip() else f"Pin {pin_id}"
        was = b.get(pin_id, 0.0) * scale
        out.append({"pin_id": pin_id, "title": title, "now": a.get(pin_id, 0.0), "before": was,
                    "delta": a.get(pin_id, 0.0) - was})
    out.sort(key=lambda item: (-item["delta"], item["pin_id"]))
    return out


def _drivers(changes: list[dict] | None, rise: bool) -> tuple[list[str], float] | None:
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


def _count_sentence(label: str, now: float | None, before: float | None, compared: str,
                    drivers=None, rise_word="rose", fall_word="fell") -> str | None:
    if now is None:
        return None
    if before is None:
        return None
    if max(now, before) < SMALL_COUNT:
        return (f"{label} went from {format_count(before)} to {format_count(now)} {compared}; numbers this small "
                "move a lot by chance, so give it more time before reading a trend.")
    change = analysis.change(now, before)
    if change is None:  # before was 0
        return f"{label}: {format_count(now)}, where the period before had none."
    if abs(change) < STEADY:
        return f"{label} held steady {compared} ({format_count(now)}, {format_change(change)})."
    word, way = (rise_word, "up") if change > 0 else (fall_word, "down")
    text = (f"{label} {word} {format_change(abs(change))[1:]} {compared} "
            f"({format_count(now)}, {way} from {format_count(before)})")
    if drivers:
        titles, share = drivers
        n = len(titles)
        what = "rise" if change > 0 else "fall"
        if n == 1:
            text += f"; {_names(titles)} made {min(share, 1):.0%} of the {what}"
        else:
            text += f"; {_NUMBER_WORDS[n]} Pins made {min(share, 1):.0%} of the {what}: {_names(titles)}"
    return text + "."


def _sentences(s: dict, compared: str, changes: list[dict] | None, pins: list[dict], days: int,
               days_with_data: int, previous_days_with_data: int, site_cover: Period | None,
               period: Period, conversions: Card | None = None) -> list[str]:
    out: list[str] = []
    totals, before = s["totals"], s["previous"]["totals"]
    if days_with_data == 0:
        return ["There are no daily figures for this period: import the Pinterest overview export that "
                "covers it, or choose a period with figures."]
    if days_with_data == 1 and days == 1:
        out.append("This covers a single day: too short to show a trend, so read the figures as a snapshot.")
    elif days_with_data < days:
        out.append(f"The figures cover {days_with_data:,} of the {days:,} days; the other days were not imported, "
                   "so the totals are lower than the real ones.")
    oc_now, oc_before = totals.get("outbound_clicks"), before.get("outbound_clicks")
    if oc_now is None:
        out.append("Your imports have no outbound clicks for this period yet: import the Pinterest overview "
                   "export to see how many visitors your Pins sent.")
    elif oc_before is None or previous_days_with_data == 0:
        out.append(f"Your Pins sent {plural(int(round(oc_now)), 'outbound click')} to your site; there are no "
                   f"figures for the period before to compare with yet.")
    else:
        change = analysis.change(oc_now, oc_before)
        drivers = None
        if change is not None and abs(change) >= STEADY and max(oc_now, oc_before) >= SMALL_COUNT:
            drivers = _drivers(changes, rise=change > 0)
        out.append(_count_sentence("Outbound clicks", oc_now, oc_before, compared, drivers))
    sv_now, sv_before = totals.get("saves"), before.get("saves")
    if sv_now is not None and sv_before is not None and previous_days_with_data:
        sentence = _count_sentence("Saves", sv_now, sv_before, compared)
        rate_now, rate_before = s["rates"].get("save_rate"), s["previous"]["rates"].get("save_rate")
        if sentence and rate_now is not None and rate_before is not None and "by chance" not in sentence:
            same = format_rate(rate_now) == format_rate(rate_before)
            sentence = sentence[:-1] + f"; {format_rate(rate_now)} of impressions led to a save " \
                                       f"({'as before' if same else format_rate(rate_before) + ' before'})."
        if sentence:
            out.append(sentence)
    site = s.get("site")
    if site and site.get("sessions") is not None:
        where = ""
        if site_cover is not None and not _same_days(site_cover, period):
            where = f" (Google Analytics, {format_period(site_cover)})"
        visits = site["sessions"]
        key = site.get("key_events")
        if key is not None and visits:
            earlier = ""
            if conversions is not None and conversions.previous is not None:
                earlier = f", against {format_count(conversions.previous)} in as many days before"
            out.append(f"Visitors from Pinterest made {plural(int(round(key)), 'conversion')} (sign-ups, sales) "
                       f"on your site{where}: {format_rate(key / visits)} of {plural(int(round(visits)), 'visit')}"
                       f"{earlier}.")
        else:
            out.append(f"Pinterest brought {plural(int(round(visits)), 'visit')} to your site{where}.")
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


def _notes(provisional: int, pins_cover: Period | None, period: Period, sources: list[str] | None) -> list[str]:
    notes = []
    if provisional:
        notes.append(f"{plural(provisional, 'day')} (shaded in the chart) "
                     f"{'is' if provisional == 1 else 'are'} provisional: Pinterest finishes counting after "
                     "24\u201348 hours, so these figures may still rise.")
    if pins_cover is not None and not _same_days(pins_cover, period):
        notes.append(f"Pin and post figures cover {format_period(pins_cover)}, the top-Pins export nearest "
                     "to this period.")
    if sources:
        notes.append("Sources: " + "; ".join(sources) + ".")
    return notes


def build_report(ds: Dataset, period: Period | None = None, compare: str = "previous",
                 made_on: dt.date | None = None, sources: list[str] | None = None,
                 goals: dict | None = None) -> Report:
    """The summary of one period, ready to lay out; raises PinviewerError when there is nothing to show.

    ``goals`` are the profile's monthly targets (insights.goals.load_goals), for the pace sentence.
    """
    from pinviewer.core import insights
    s = analysis.summary(ds, period, compare=compare, top=TOP_PINS)
    period = Period(dt.date.fromisoformat(s["period"]["start"]), dt.date.fromisoformat(s["period"]["end"]))
    previous = Period(dt.date.fromisoformat(s["previous"]["start"]), dt.date.fromisoformat(s["previous"]["end"]))
    totals, before = s["totals"], s["previous"]["totals"]
    rates_now, rates_before = s["rates"], s["previous"]["rates"]
    previous_days = analysis.days_with_data(ds, previous)
    if not previous_days:  # nothing before: no change to show rather than a change from zero
        before = {k: None for k in before}
        rates_before = {k: None for k in rates_before}

    site_now = s.get("site")
    site_cover = _period_of(site_now.get("covers")) if site_now else None
    site_before, site_before_cover = analysis.site(ds, previous)
    site_scale = None
    if site_before_cover is None or site_cover is None or site_before_cover == site_cover:
        site_before = None  # the same export for both periods: no change to show
    elif site_before_cover.days != site_cover.days:
        # monthly exports differ in length (and the newest month is often partial): compare per day
        site_scale = site_cover.days / site_before_cover.days
        site_before = {k: (v * site_scale if v is not None else None) for k, v in site_before.items()}

    def card(name: str, kind: str, value, prev) -> Card:
        return Card(name, CARD_LABELS.get(name, metrics.BY_NAME[name].label), CARD_NOTES.get(name, ""), kind,
                    value, prev, metrics.BY_NAME[name].explain)

    cards = [card("outbound_clicks", "count", totals.get("outbound_clicks"), before.get("outbound_clicks")),
             card("saves", "count", totals.get("saves"), before.get("saves"))]
    if site_now and site_now.get("key_events") is not None:
        conversions = card("key_events", "count", site_now["key_events"],
                           site_before.get("key_events") if site_before else None)
        if site_scale is not None and conversions.previous is not None:
            conversions = replace(conversions, per_days=site_cover.days)
        cards.append(conversions)
    cards += [card("outbound_click_rate", "rate", rates_now.get("outbound_click_rate"),
                   rates_before.get("outbound_click_rate")),
              card("save_rate", "rate", rates_now.get("save_rate"), rates_before.get("save_rate"))]
    impressions = card("impressions", "count", totals.get("impressions"), before.get("impressions"))

    pin_table, pins_cover = analysis.pins(ds, period)
    ranked = _sorted_pins(pin_table)
    all_pins = _pin_records(ranked)
    changes = None
    if previous_days:
        before_table, before_cover = analysis.pins(ds, previous)
        changes = pin_changes(pin_table, pins_cover, before_table, before_cover)
    funnel, revenue = _funnel(s["funnel"])
    days_with_data = s["period"]["days_with_data"]
    compared = (f"compared with the same {plural(period.days, 'day')} a year before" if compare == "year"
                else f"compared with the previous {plural(period.days, 'day')}")
    sentences = _sentences(s, compared, changes, all_pins, period.days, days_with_data, previous_days, site_cover,
                           period, next((c for c in cards if c.metric == "key_events"), None))
    if days_with_data:
        sentences = _with_insights(sentences, insights.headlines(ds, period, goals))
    provisional = s["period"]["provisional_days"]
    return Report(
        profile=s["profile"], period=period, previous=previous, compare=compare,
        made_on=made_on or dt.date.today(), cards=cards, impressions=impressions,
        series=_series(ds, period), funnel=funnel, revenue=revenue,
        top_pins=all_pins[:TOP_PINS], all_pins=all_pins, pins_cover=pins_cover,
        top_posts=_posts(s["top_posts"]), posts_cover=_period_of(s.get("top_posts_cover")),
        site_cover=site_cover, sentences=sentences,
        context=_context(impressions), notes=_notes(provisional, pins_cover, period, sources),
        provisional_days=provisional, days_with_data=days_with_data, summary=s,
    )


def describe_sources(batches, limit: int = 6) -> list[str]:
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
        names = group[0] if len(group) == 1 else ", ".join(group[:-1]) + " and " + group[-1]
        try:
            out.append(f"{names}, imported {format_date(dt.date.fromisoformat(day))}")
        except ValueError:
            out.append(names)
    return out


__all__ = ["Card", "Report", "build_report", "describe_sources", "format_change", "format_count", "format_date",
           "format_money", "format_period", "format_points", "format_rate", "pin_changes"]
