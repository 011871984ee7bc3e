"""The metrics' colours, one per metric, for the window (light and dark schemes derive their text shades from
them in gui/style.py) and the paper (render/look.py) alike: Okabe-Ito, safe for colour-blind readers."""
from __future__ import annotations

METRIC_COLOURS: dict[str, str] = {
    "outbound_clicks": "#0072B2",  # blue
    "saves": "#E69F00",  # orange
    "key_events": "#009E73",  # bluish green
    "sessions": "#56B4E9",  # sky blue
    "revenue": "#009E73",  # as conversions
}
