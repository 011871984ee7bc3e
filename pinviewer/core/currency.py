"""The profile's currency: revenue from Google Analytics comes as a bare number, so each profile keeps the
currency it is in (asked once, when the first revenue arrives; changeable later).

Kept in the profile's settings in the history (``Store.set_setting``), like its goals. ``propose`` suggests one
from a locale name ('de_DE' -> EUR) so the question comes with the likely answer already chosen.
"""
from __future__ import annotations

from pinviewer.core.errors import PinviewerError
from pinviewer.core.wording import CURRENCIES

SETTING = "currency"
ASKED = "currency_asked"
_EURO = ("AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PT",
         "SI", "SK")
_BY_TERRITORY = {**{t: "EUR" for t in _EURO}, "US": "USD", "GB": "GBP", "CA": "CAD", "AU": "AUD", "NZ": "NZD",
                 "CH": "CHF", "LI": "CHF", "SE": "SEK", "NO": "NOK", "DK": "DKK", "PL": "PLN", "CZ": "CZK",
                 "JP": "JPY", "IN": "INR", "BR": "BRL", "MX": "MXN", "ZA": "ZAR", "KR": "KRW"}


def propose(locale_name: str | None) -> str:
    """'de_DE.UTF-8' -> 'EUR', 'en_GB' -> 'GBP', 'fr_CH' -> 'CHF'; USD when the locale says nothing."""
    text = (locale_name or "").split(".")[0].replace("-", "_")
    territory = text.split("_")[1].upper() if "_" in text else ""
    return _BY_TERRITORY.get(territory, "USD")


def check(code: str) -> str:
    """A currency code as PinViewer stores it ('eur' -> 'EUR'); a PinviewerError for anything else."""
    text = str(code).strip().upper()
    if len(text) != 3 or not text.isalpha():
        raise PinviewerError(f"'{code}' is not a currency code: write three letters, such as "
                             f"{', '.join(CURRENCIES[:4])}.")
    return text


def load(store, profile) -> str | None:
    value = store.get_setting(profile, SETTING)
    return value if isinstance(value, str) and value else None


def save(store, profile, code: str) -> str:
    code = check(code)
    store.set_setting(profile, SETTING, code)
    store.set_setting(profile, ASKED, True)
    return code


def should_ask(store, profile, has_revenue: bool) -> bool:
    """Ask once: when the profile has revenue, no currency and was never asked."""
    return bool(has_revenue) and load(store, profile) is None and not store.get_setting(profile, ASKED)


def mark_asked(store, profile) -> None:
    store.set_setting(profile, ASKED, True)


__all__ = ["propose", "check", "load", "save", "should_ask", "mark_asked"]
