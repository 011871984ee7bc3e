"""Canonical metrics: one table with names, units, plain explanations and rate definitions.

Every reader maps its columns onto these names, the store has one column per metric, and the analysis
computes rates from the counts named here (never by averaging daily rates).
"""
from __future__ import annotations

from dataclasses import dataclass

COUNT = "count"
RATE = "rate"  # stored as a fraction: 0.032 means 3.2 %
SECONDS = "seconds"
MILLISECONDS = "milliseconds"
MONEY = "money"
NUMBER = "number"  # a plain number that is neither a count nor a rate (events per session...)


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    unit: str
    explain: str
    source: str = "pinterest"  # "pinterest" or "site" (Google Analytics)
    numerator: str | None = None  # for rates: numerator / denominator of totals
    denominator: str | None = None
    api_key: str | None = None  # Pinterest API v5 metric type


METRICS: tuple[Metric, ...] = (
    # Pinterest, what pays first
    Metric("outbound_clicks", "Outbound clicks", COUNT,
           "Clicks from your Pins to your website: visitors you can turn into readers and customers.",
           api_key="OUTBOUND_CLICK"),
    Metric("saves", "Saves", COUNT,
           "Times people saved your Pins to their boards: a sign they want to come back to it.",
           api_key="SAVE"),
    Metric("pin_clicks", "Pin clicks", COUNT,
           "Clicks that opened your Pin on Pinterest (to see it bigger), not necessarily to your site.",
           api_key="PIN_CLICK"),
    Metric("engagements", "Engagements", COUNT,
           "All actions on your Pins: saves, Pin clicks, outbound clicks, swipes and similar.",
           api_key="ENGAGEMENT"),
    Metric("impressions", "Impressions", COUNT,
           "Times your Pins appeared on a screen. Appeared is not seen: nobody may have noticed them.",
           api_key="IMPRESSION"),
    Metric("outbound_click_rate", "Outbound click rate", RATE,
           "Outbound clicks divided by impressions.",
           numerator="outbound_clicks", denominator="impressions", api_key="OUTBOUND_CLICK_RATE"),
    Metric("save_rate", "Save rate", RATE, "Saves divided by impressions.",
           numerator="saves", denominator="impressions", api_key="SAVE_RATE"),
    Metric("pin_click_rate", "Pin click rate", RATE, "Pin clicks divided by impressions.",
           numerator="pin_clicks", denominator="impressions", api_key="PIN_CLICK_RATE"),
    Metric("engagement_rate", "Engagement rate", RATE, "Engagements divided by impressions.",
           numerator="engagements", denominator="impressions", api_key="ENGAGEMENT_RATE"),
    Metric("closeups", "Closeups", COUNT, "Times people looked at your Pin more closely.",
           api_key="CLOSEUP"),
    Metric("total_audience", "Total audience", COUNT,
           "People who saw at least one of your Pins (not a sum over days: people repeat).",
           api_key="TOTAL_AUDIENCE"),
    Metric("engaged_audience", "Engaged audience", COUNT,
           "People who acted on at least one of your Pins (not a sum over days).",
           api_key="ENGAGED_AUDIENCE"),
    Metric("monthly_total_audience", "Monthly total audience", COUNT,
           "People who saw your Pins in the last 30 days."),
    Metric("monthly_engaged_audience", "Monthly engaged audience", COUNT,
           "People who acted on your Pins in the last 30 days."),
    Metric("profile_visits", "Profile visits", COUNT, "Visits to your Pinterest profile.",
           api_key="PROFILE_VISIT"),
    Metric("follows", "Follows", COUNT, "New followers.", api_key="USER_FOLLOW"),
    Metric("comments", "Comments", COUNT, "Comments on your Pins.", api_key="TOTAL_COMMENTS"),
    Metric("reactions", "Reactions", COUNT, "Reactions on your Pins.", api_key="TOTAL_REACTIONS"),
    Metric("video_views", "Video views", COUNT,
           "Video views of at least 2 seconds with half the video on screen.", api_key="VIDEO_MRC_VIEW"),
    Metric("video_starts", "Video starts", COUNT, "Times a video started playing.", api_key="VIDEO_START"),
    Metric("video_10s_views", "10-second views", COUNT, "Video views of 10 seconds or more.",
           api_key="VIDEO_10S_VIEW"),
    Metric("video_95_views", "95% video views", COUNT, "Video views played to 95% of their length.",
           api_key="QUARTILE_95_PERCENT_VIEW"),
    Metric("video_avg_watch_time", "Average watch time", MILLISECONDS, "Average time a video was watched.",
           api_key="VIDEO_AVG_WATCH_TIME"),
    Metric("video_watch_time", "Watch time", MILLISECONDS, "Total time your videos were watched.",
           api_key="VIDEO_V50_WATCH_TIME"),
    # The website, from Google Analytics 4
    Metric("sessions", "Sessions", COUNT, "Visits to your website.", source="site"),
    Metric("engaged_sessions", "Engaged sessions", COUNT,
           "Visits that lasted 10 seconds or more, viewed 2 pages or converted.", source="site"),
    Metric("users", "Users", COUNT, "People who visited your website.", source="site"),
    Metric("new_users", "New users", COUNT, "People who visited your website for the first time.",
           source="site"),
    Metric("views", "Views", COUNT, "Pages viewed on your website.", source="site"),
    Metric("site_engagement_rate", "Engagement rate (site)", RATE, "Engaged sessions divided by sessions.",
           source="site", numerator="engaged_sessions", denominator="sessions"),
    Metric("avg_engagement_time", "Average engagement time", SECONDS,
           "Average time a visit kept your page in the foreground.", source="site"),
    Metric("events_per_session", "Events per session", NUMBER, "Events divided by sessions.", source="site"),
    Metric("event_count", "Event count", COUNT, "Everything visitors did that Google Analytics counts.",
           source="site"),
    Metric("key_events", "Conversions", COUNT,
           "Key events on your website: email sign-ups, sales, downloads (Google Analytics 'key events').",
           source="site"),
    Metric("session_key_event_rate", "Conversion rate", RATE, "Sessions with a key event divided by sessions.",
           source="site"),
    Metric("revenue", "Revenue", MONEY, "Money earned on your website from these visits.", source="site"),
)

BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}
NAMES: tuple[str, ...] = tuple(m.name for m in METRICS)
BY_API_KEY: dict[str, Metric] = {m.api_key: m for m in METRICS if m.api_key}

# Counts that add up over days (audiences and averages do not).
ADDITIVE: frozenset[str] = frozenset(
    m.name for m in METRICS
    if m.unit in (COUNT, MONEY)
    and m.name not in {"total_audience", "engaged_audience", "monthly_total_audience",
                       "monthly_engaged_audience", "users", "new_users"}
)

# The funnel, from seen to sold. Site steps come from Google Analytics when it was imported.
FUNNEL: tuple[str, ...] = ("impressions", "engagements", "pin_clicks", "outbound_clicks",
                           "sessions", "key_events", "revenue")

# The four rates Pinterest reports, as ratios of totals.
PINTEREST_RATES: tuple[str, ...] = ("engagement_rate", "pin_click_rate", "outbound_click_rate", "save_rate")
PINTEREST_TOTALS: tuple[str, ...] = ("impressions", "engagements", "pin_clicks", "outbound_clicks", "saves")


def rate(numerator: float | None, denominator: float | None) -> float | None:
    """A ratio of totals; None where it is undefined (no denominator)."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return float(numerator) / float(denominator)


def is_rate(name: str) -> bool:
    return BY_NAME[name].unit == RATE
