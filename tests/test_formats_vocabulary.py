"""Header synonyms (vocabulary.py) and URL normalisation (urls.py)."""
from __future__ import annotations

import pytest

from pinviewer.core import metrics
from pinviewer.core.formats import urls, vocabulary
from pinviewer.core.formats.vocabulary import GA4, PINTEREST, lookup


def field(name, family=None):
    match = lookup(name, family)
    return match.field if match else None


def test_every_metric_field_is_a_canonical_metric():
    descriptive = {"date", "pin_id", "pin_url", "source_medium", "source", "medium", "channel", "landing_page",
                   *vocabulary.TEXT_FIELDS}
    for name in vocabulary.SYNONYMS:
        assert name in metrics.BY_NAME or name in descriptive, name


def test_every_pinterest_metric_has_all_six_languages():
    for name, (family, by_lang) in vocabulary.SYNONYMS.items():
        if family == PINTEREST and name in metrics.BY_NAME:
            assert set(by_lang) == set(vocabulary.LANGUAGES), name


@pytest.mark.parametrize("name", ["Pin clicks", "Pin Clicks", "  PIN CLICKS ", "pin-clicks", "Pin click"])
def test_case_spacing_punctuation_and_plural_do_not_matter(name):
    assert field(name, PINTEREST) == "pin_clicks"


def test_trailing_parenthesis_is_ignored():
    assert field("Key events (purchase)", GA4) == "key_events"
    assert field("Session primary channel group (Default Channel Group)", GA4) == "channel"
    assert field("Session primary channel group (Default channel group)", GA4) == "channel"
    assert lookup("Key events (purchase)", GA4).note == "purchase"


def test_old_conversions_name():
    assert field("Conversions", GA4) == "key_events"


def test_engagement_rate_depends_on_the_family():
    assert field("Engagement rate", PINTEREST) == "engagement_rate"
    assert field("Engagement rate", GA4) == "site_engagement_rate"


def test_percent_in_header_is_remembered():
    assert lookup("Engagement rate (%)", PINTEREST).percent
    assert lookup("Save rate %", PINTEREST).field == "save_rate"
    assert not lookup("95% video views", PINTEREST).percent
    assert field("95% video views", PINTEREST) == "video_95_views"


@pytest.mark.parametrize("lang, names", [
    ("de", ["Datum", "Impressionen", "Ausgehende Klicks", "Speicherungen", "Pin-Klicks"]),
    ("fr", ["Date", "Impressions", "Clics sortants", "Enregistrements", "Clics sur l'épingle"]),
    ("es", ["Fecha", "Impresiones", "Clics salientes", "Guardados", "Clics en el Pin"]),
    ("pt", ["Data", "Impressões", "Cliques de saída", "Salvamentos", "Cliques no Pin"]),
    ("it", ["Data", "Impressioni", "Clic in uscita", "Salvataggi", "Clic sul Pin"]),
])
def test_translated_pinterest_headers(lang, names):
    assert [field(n, PINTEREST) for n in names] == ["date", "impressions", "outbound_clicks", "saves", "pin_clicks"]
    assert vocabulary.guess_language([lookup(n, PINTEREST) for n in names]) == lang


def test_accents_may_be_missing():
    assert field("Impressoes", PINTEREST) == "impressions"


def test_ga4_translations():
    assert field("Sitzungen", GA4) == "sessions"
    assert field("Sitzung – Quelle/Medium", GA4) == "source_medium"
    assert field("Source/Support de la session", GA4) == "source_medium"
    assert field("Événements clés", GA4) == "key_events"


def test_adding_a_synonym_is_one_line(monkeypatch):
    family, by_lang = vocabulary.SYNONYMS["outbound_clicks"]
    changed = dict(vocabulary.SYNONYMS)
    changed["outbound_clicks"] = (family, {**by_lang, "en": by_lang["en"] + "|Clicks to site"})
    monkeypatch.setattr(vocabulary, "SYNONYMS", changed)
    monkeypatch.setattr(vocabulary, "_INDEX", vocabulary._build_index())
    vocabulary.lookup.cache_clear()
    try:
        assert field("Clicks to site", PINTEREST) == "outbound_clicks"
    finally:
        monkeypatch.undo()
        vocabulary.lookup.cache_clear()
    assert field("Clicks to site", PINTEREST) is None


def test_conflicting_synonyms_are_refused(monkeypatch):
    changed = dict(vocabulary.SYNONYMS)
    changed["saves"] = (PINTEREST, {"en": "Saves|Impressions"})
    monkeypatch.setattr(vocabulary, "SYNONYMS", changed)
    with pytest.raises(ValueError, match="Impressions"):
        vocabulary._build_index()


def test_unknown_names():
    assert lookup("Email Address") is None
    assert lookup("") is None


def test_preamble_keys():
    assert vocabulary.lookup_preamble_key("Start date") == "start"
    assert vocabulary.lookup_preamble_key("Date de début") == "start"
    assert vocabulary.lookup_preamble_key("Startdatum") == "start"
    assert vocabulary.lookup_preamble_key("Date range") == "range"
    assert vocabulary.lookup_preamble_key("Account") is None


# ---- urls ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("https://www.Example-Blog.com/lemon-chicken/?utm_source=pinterest&utm_medium=social",
     "https://example-blog.com/lemon-chicken"),
    ("HTTPS://WWW.EXAMPLE.COM/Post/?b=2&a=1&utm_campaign=x#comments", "https://example.com/Post?a=1&b=2"),
    ("http://example.com:80/", "https://example.com"),
    ("http://blog.example/lemon#top", "https://blog.example/lemon"),
    ("https://example.com:8443/a/", "https://example.com:8443/a"),
    ("https://example.com", "https://example.com"),
    ("example.com/post/", "https://example.com/post"),
    ("/lemon-chicken/?utm_source=pinterest", "/lemon-chicken"),
    ("/", "/"),
    ("/search?q=soup&utm_medium=social", "/search?q=soup"),
    ("(not set)", "(not set)"),
    ("  /post/  ", "/post"),
])
def test_normalise_url(raw, expected):
    assert urls.normalise_url(raw) == expected


def test_path_key_matches_pin_links_with_landing_pages():
    assert urls.path_key("https://www.example-blog.com/lemon-chicken/?utm_source=pinterest") == "/lemon-chicken"
    assert urls.path_key("/lemon-chicken/") == "/lemon-chicken"
    assert urls.path_key("https://example-blog.com") == "/"


def test_pin_id_from_url():
    assert urls.pin_id_from_url("https://www.pinterest.com/pin/1012345678901234567/") == "1012345678901234567"
    assert urls.pin_id_from_url("https://pinterest.co.uk/pin/1012345678901234567") == "1012345678901234567"
    assert urls.pin_id_from_url("https://example.com/pin/12") is None
