"""Column-name synonyms: ONE table from canonical field to the names exports use, in six languages.

Each entry is ``field: (family, {language: "name|other name|..."})``. Adding a synonym is a one-line change:
append ``|New name`` to the right language. Matching ignores case, accents, punctuation, surrounding
whitespace, a trailing plural ``s`` and a trailing parenthesis (``Key events (purchase)`` -> key_events,
``Engagement rate (%)`` -> engagement_rate, with the ``%`` remembered).

Families: a name can mean different things in different exports. "Engagement rate" is Pinterest's
``engagement_rate`` (engagements / impressions) in a Pinterest file and Google Analytics'
``site_engagement_rate`` (engaged sessions / sessions) in a GA4 file. ``ANY`` fields mean the same in both.

The non-English names are best guesses at what the localised UIs write (no real localised Pinterest export
has been seen); unknown names are never dropped: readers list them as unrecognised.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

PINTEREST = "pinterest"
GA4 = "ga4"
ANY = "any"
FAMILIES = (PINTEREST, GA4)
LANGUAGES = ("en", "de", "fr", "es", "pt", "it")

# Descriptive (non-metric) fields. Metric fields are the canonical names of pinviewer.core.metrics.
DATE = "date"
PIN_ID = "pin_id"
PIN_URL = "pin_url"
SOURCE_MEDIUM = "source_medium"
SOURCE = "source"
MEDIUM = "medium"
CHANNEL = "channel"
LANDING_PAGE = "landing_page"
TEXT_FIELDS = ("title", "description", "link", "created", "format", "board", "board_id", "image_url")

# fmt: off
SYNONYMS: dict[str, tuple[str, dict[str, str]]] = {
    # ---- both families -------------------------------------------------------------------------------
    "date":             (ANY, {"en": "Date|Day", "de": "Datum|Tag", "fr": "Date|Jour", "es": "Fecha|Día",
                               "pt": "Data|Dia", "it": "Data|Giorno"}),
    # ---- Pinterest: the Pin itself ---------------------------------------------------------------------
    "pin_id":           (PINTEREST, {"en": "Pin ID|Pin Id|PinID|Pin number", "de": "Pin-ID", "fr": "ID de l'épingle|ID de la Pin|ID du Pin",
                                     "es": "ID del Pin|ID de Pin", "pt": "ID do Pin|ID de Pin", "it": "ID del Pin|ID Pin"}),
    "pin_url":          (PINTEREST, {"en": "Pin URL|Pin link|Pin permalink", "de": "Pin-URL|Pin-Link", "fr": "URL de l'épingle|URL du Pin|Lien de l'épingle",
                                     "es": "URL del Pin|Enlace del Pin", "pt": "URL do Pin|Link do Pin", "it": "URL del Pin|Link del Pin"}),
    "title":            (PINTEREST, {"en": "Title|Pin title|Pin name|Name", "de": "Titel|Pin-Titel", "fr": "Titre|Titre de l'épingle",
                                     "es": "Título|Título del Pin", "pt": "Título|Título do Pin", "it": "Titolo|Titolo del Pin"}),
    "description":      (PINTEREST, {"en": "Description|Pin description", "de": "Beschreibung", "fr": "Description",
                                     "es": "Descripción", "pt": "Descrição", "it": "Descrizione"}),
    "link":             (PINTEREST, {"en": "Destination link|Destination URL|Link|Website link|Outbound link",
                                     "de": "Ziellink|Ziel-URL|Link", "fr": "Lien de destination|URL de destination|Lien",
                                     "es": "Enlace de destino|URL de destino|Enlace", "pt": "Link de destino|URL de destino|Link",
                                     "it": "Link di destinazione|URL di destinazione|Link"}),
    "created":          (PINTEREST, {"en": "Created date|Created|Created at|Date created|Pin created date|Publish date|Published",
                                     "de": "Erstellungsdatum|Erstellt am|Erstellt", "fr": "Date de création|Créé le|Créée le",
                                     "es": "Fecha de creación|Creado", "pt": "Data de criação|Criado em", "it": "Data di creazione|Creato il"}),
    "format":           (PINTEREST, {"en": "Format|Pin format|Pin type|Content type", "de": "Format|Pin-Format", "fr": "Format|Format de l'épingle",
                                     "es": "Formato|Formato del Pin", "pt": "Formato|Formato do Pin", "it": "Formato|Formato del Pin"}),
    "board":            (PINTEREST, {"en": "Board|Board name", "de": "Pinnwand|Pinnwandname", "fr": "Tableau|Nom du tableau",
                                     "es": "Tablero|Nombre del tablero", "pt": "Pasta|Nome da pasta", "it": "Bacheca|Nome della bacheca"}),
    "board_id":         (PINTEREST, {"en": "Board ID", "de": "Pinnwand-ID", "fr": "ID du tableau", "es": "ID del tablero",
                                     "pt": "ID da pasta", "it": "ID della bacheca"}),
    "image_url":        (PINTEREST, {"en": "Image URL|Image link|Image", "de": "Bild-URL|Bild", "fr": "URL de l'image|Image",
                                     "es": "URL de la imagen|Imagen", "pt": "URL da imagem|Imagem", "it": "URL dell'immagine|Immagine"}),
    # ---- Pinterest metrics -----------------------------------------------------------------------------
    "impressions":      (PINTEREST, {"en": "Impressions", "de": "Impressionen|Impressions", "fr": "Impressions", "es": "Impresiones",
                                     "pt": "Impressões", "it": "Impressioni"}),
    "engagements":      (PINTEREST, {"en": "Engagements|Engagement|Total engagements", "de": "Interaktionen", "fr": "Engagements",
                                     "es": "Interacciones", "pt": "Engajamentos|Interações", "it": "Interazioni"}),
    "engagement_rate":  (PINTEREST, {"en": "Engagement rate", "de": "Interaktionsrate", "fr": "Taux d'engagement",
                                     "es": "Tasa de interacción", "pt": "Taxa de engajamento", "it": "Tasso di interazione"}),
    "pin_clicks":       (PINTEREST, {"en": "Pin clicks|Pin click", "de": "Pin-Klicks", "fr": "Clics sur l'épingle|Clics sur la Pin",
                                     "es": "Clics en el Pin|Clics en Pin", "pt": "Cliques no Pin", "it": "Clic sul Pin"}),
    "pin_click_rate":   (PINTEREST, {"en": "Pin click rate|Pin click-through rate", "de": "Pin-Klickrate", "fr": "Taux de clics sur l'épingle",
                                     "es": "Tasa de clics en el Pin", "pt": "Taxa de cliques no Pin", "it": "Percentuale di clic sul Pin"}),
    "outbound_clicks":  (PINTEREST, {"en": "Outbound clicks|Link clicks|Website clicks", "de": "Ausgehende Klicks", "fr": "Clics sortants",
                                     "es": "Clics salientes", "pt": "Cliques de saída", "it": "Clic in uscita"}),
    "outbound_click_rate": (PINTEREST, {"en": "Outbound click rate|Outbound CTR", "de": "Ausgehende Klickrate|Rate ausgehender Klicks",
                                        "fr": "Taux de clics sortants", "es": "Tasa de clics salientes", "pt": "Taxa de cliques de saída",
                                        "it": "Percentuale di clic in uscita"}),
    "saves":            (PINTEREST, {"en": "Saves|Repins", "de": "Speicherungen|Gemerkt", "fr": "Enregistrements",
                                     "es": "Guardados", "pt": "Salvamentos", "it": "Salvataggi"}),
    "save_rate":        (PINTEREST, {"en": "Save rate", "de": "Speicherrate", "fr": "Taux d'enregistrement", "es": "Tasa de guardado",
                                     "pt": "Taxa de salvamento", "it": "Percentuale di salvataggio"}),
    "closeups":         (PINTEREST, {"en": "Closeups|Close-ups", "de": "Nahaufnahmen", "fr": "Gros plans", "es": "Primeros planos",
                                     "pt": "Closes", "it": "Primi piani"}),
    "total_audience":   (PINTEREST, {"en": "Total audience", "de": "Gesamtpublikum", "fr": "Audience totale", "es": "Audiencia total",
                                     "pt": "Público total", "it": "Pubblico totale"}),
    "engaged_audience": (PINTEREST, {"en": "Engaged audience", "de": "Interagierendes Publikum", "fr": "Audience engagée",
                                     "es": "Audiencia interesada", "pt": "Público engajado", "it": "Pubblico coinvolto"}),
    "monthly_total_audience":   (PINTEREST, {"en": "Monthly total audience", "de": "Monatliches Gesamtpublikum",
                                             "fr": "Audience totale mensuelle", "es": "Audiencia total mensual",
                                             "pt": "Público total mensal", "it": "Pubblico totale mensile"}),
    "monthly_engaged_audience": (PINTEREST, {"en": "Monthly engaged audience", "de": "Monatlich interagierendes Publikum",
                                             "fr": "Audience engagée mensuelle", "es": "Audiencia interesada mensual",
                                             "pt": "Público engajado mensal", "it": "Pubblico coinvolto mensile"}),
    "profile_visits":   (PINTEREST, {"en": "Profile visits", "de": "Profilbesuche", "fr": "Visites du profil", "es": "Visitas al perfil",
                                     "pt": "Visitas ao perfil", "it": "Visite al profilo"}),
    "follows":          (PINTEREST, {"en": "Follows|New followers|Follower gains", "de": "Neue Follower", "fr": "Nouveaux abonnés",
                                     "es": "Nuevos seguidores", "pt": "Novos seguidores", "it": "Nuovi follower"}),
    "comments":         (PINTEREST, {"en": "Comments", "de": "Kommentare", "fr": "Commentaires", "es": "Comentarios",
                                     "pt": "Comentários", "it": "Commenti"}),
    "reactions":        (PINTEREST, {"en": "Reactions", "de": "Reaktionen", "fr": "Réactions", "es": "Reacciones",
                                     "pt": "Reações", "it": "Reazioni"}),
    "video_views":      (PINTEREST, {"en": "Video views", "de": "Videoaufrufe", "fr": "Vues de vidéo|Vues de la vidéo",
                                     "es": "Reproducciones de vídeo|Visualizaciones de video", "pt": "Visualizações de vídeo",
                                     "it": "Visualizzazioni video"}),
    "video_starts":     (PINTEREST, {"en": "Video starts", "de": "Videostarts", "fr": "Démarrages de vidéo", "es": "Inicios de vídeo",
                                     "pt": "Inícios de vídeo", "it": "Avvii video"}),
    "video_10s_views":  (PINTEREST, {"en": "10-second views|10 second views|10s views|10-second video views", "de": "10-Sekunden-Aufrufe",
                                     "fr": "Vues de 10 secondes", "es": "Reproducciones de 10 segundos",
                                     "pt": "Visualizações de 10 segundos", "it": "Visualizzazioni di 10 secondi"}),
    "video_95_views":   (PINTEREST, {"en": "95% video views|95% views", "de": "95%-Videoaufrufe", "fr": "Vues de vidéo à 95 %",
                                     "es": "Reproducciones de vídeo al 95 %", "pt": "Visualizações de vídeo de 95%",
                                     "it": "Visualizzazioni video al 95%"}),
    "video_avg_watch_time": (PINTEREST, {"en": "Average watch time|Avg. watch time", "de": "Durchschnittliche Wiedergabezeit",
                                         "fr": "Durée moyenne de visionnage", "es": "Tiempo medio de reproducción",
                                         "pt": "Tempo médio de exibição", "it": "Tempo medio di visualizzazione"}),
    "video_watch_time": (PINTEREST, {"en": "Watch time|Total play time|Total watch time", "de": "Wiedergabezeit",
                                     "fr": "Durée de visionnage", "es": "Tiempo de reproducción", "pt": "Tempo de exibição",
                                     "it": "Tempo di visualizzazione"}),
    # ---- Google Analytics 4: dimensions ------------------------------------------------------------------
    "source_medium":    (GA4, {"en": "Session source / medium|Session source/medium|Source / medium",
                               "de": "Sitzung – Quelle/Medium|Sitzungsquelle/-medium|Quelle/Medium",
                               "fr": "Source/Support de la session|Session – source/support|Source/Support",
                               "es": "Fuente/medio de la sesión|Sesión: fuente/medio|Fuente/medio",
                               "pt": "Origem/mídia da sessão|Sessão – origem/mídia|Origem/mídia",
                               "it": "Sorgente/mezzo della sessione|Sessione - sorgente/mezzo|Sorgente/mezzo"}),
    "source":           (GA4, {"en": "Session source|Source", "de": "Sitzung – Quelle|Sitzungsquelle|Quelle",
                               "fr": "Source de la session|Session – source|Source", "es": "Fuente de la sesión|Sesión: fuente|Fuente",
                               "pt": "Origem da sessão|Sessão – origem|Origem", "it": "Sorgente della sessione|Sessione - sorgente|Sorgente"}),
    "medium":           (GA4, {"en": "Session medium|Medium", "de": "Sitzung – Medium|Sitzungsmedium|Medium",
                               "fr": "Support de la session|Session – support|Support", "es": "Medio de la sesión|Sesión: medio|Medio",
                               "pt": "Mídia da sessão|Sessão – mídia|Mídia", "it": "Mezzo della sessione|Sessione - mezzo|Mezzo"}),
    "channel":          (GA4, {"en": "Session primary channel group|Session default channel group|Default channel group|Primary channel group",
                               "de": "Primäre Channelgruppe der Sitzung|Standard-Channelgruppe der Sitzung|Standard-Channelgruppe",
                               "fr": "Groupe de canaux principal de la session|Groupe de canaux par défaut de la session",
                               "es": "Grupo de canales principal de la sesión|Grupo de canales predeterminado de la sesión",
                               "pt": "Grupo principal de canais da sessão|Grupo de canais padrão da sessão",
                               "it": "Gruppo di canali principale della sessione|Gruppo di canali predefinito della sessione"}),
    "landing_page":     (GA4, {"en": "Landing page|Landing page + query string|Landing page path",
                               "de": "Landingpage|Landingpage + Abfragestring|Zielseite",
                               "fr": "Page de destination|Page de destination + chaîne de requête",
                               "es": "Página de destino|Página de destino + cadena de consulta",
                               "pt": "Página de destino|Página de destino + string de consulta",
                               "it": "Pagina di destinazione|Pagina di destinazione + stringa di query"}),
    # ---- Google Analytics 4: metrics ---------------------------------------------------------------------
    "sessions":         (GA4, {"en": "Sessions", "de": "Sitzungen", "fr": "Sessions", "es": "Sesiones", "pt": "Sessões", "it": "Sessioni"}),
    "engaged_sessions": (GA4, {"en": "Engaged sessions", "de": "Sitzungen mit Interaktionen", "fr": "Sessions avec engagement",
                               "es": "Sesiones con interacción", "pt": "Sessões engajadas", "it": "Sessioni con coinvolgimento"}),
    "site_engagement_rate": (GA4, {"en": "Engagement rate", "de": "Interaktionsrate", "fr": "Taux d'engagement",
                                   "es": "Porcentaje de interacciones|Tasa de interacción", "pt": "Taxa de engajamento",
                                   "it": "Tasso di coinvolgimento"}),
    "avg_engagement_time": (GA4, {"en": "Average engagement time per session|Average engagement time",
                                  "de": "Durchschnittliche Interaktionsdauer pro Sitzung|Durchschnittliche Interaktionsdauer",
                                  "fr": "Durée d'engagement moyenne par session|Durée d'engagement moyenne",
                                  "es": "Tiempo de interacción medio por sesión|Tiempo de interacción medio",
                                  "pt": "Tempo médio de engajamento por sessão|Tempo médio de engajamento",
                                  "it": "Tempo di coinvolgimento medio per sessione|Tempo di coinvolgimento medio"}),
    "events_per_session": (GA4, {"en": "Events per session", "de": "Ereignisse pro Sitzung", "fr": "Événements par session",
                                 "es": "Eventos por sesión", "pt": "Eventos por sessão", "it": "Eventi per sessione"}),
    "event_count":      (GA4, {"en": "Event count", "de": "Ereignisanzahl|Anzahl der Ereignisse", "fr": "Nombre d'événements",
                               "es": "Número de eventos", "pt": "Contagem de eventos", "it": "Conteggio eventi"}),
    "key_events":       (GA4, {"en": "Key events|Conversions", "de": "Schlüsselereignisse|Conversions", "fr": "Événements clés|Conversions",
                               "es": "Eventos clave|Conversiones", "pt": "Eventos principais|Conversões", "it": "Eventi chiave|Conversioni"}),
    "session_key_event_rate": (GA4, {"en": "Session key event rate|Session conversion rate",
                                     "de": "Rate der Schlüsselereignisse für Sitzungen|Sitzungs-Conversion-Rate",
                                     "fr": "Taux d'événements clés de la session|Taux de conversion de la session",
                                     "es": "Tasa de eventos clave de la sesión|Tasa de conversión de la sesión",
                                     "pt": "Taxa de eventos principais da sessão|Taxa de conversão da sessão",
                                     "it": "Tasso di eventi chiave della sessione|Tasso di conversione della sessione"}),
    "revenue":          (GA4, {"en": "Total revenue|Revenue|Purchase revenue", "de": "Gesamtumsatz|Umsatz", "fr": "Revenu total|Revenus totaux|Revenus",
                               "es": "Ingresos totales|Ingresos", "pt": "Receita total|Receita", "it": "Entrate totali|Entrate"}),
    "users":            (GA4, {"en": "Users|Total users|Active users", "de": "Nutzer|Aktive Nutzer|Nutzer insgesamt",
                               "fr": "Utilisateurs|Utilisateurs actifs", "es": "Usuarios|Usuarios activos",
                               "pt": "Usuários|Usuários ativos", "it": "Utenti|Utenti attivi"}),
    "new_users":        (GA4, {"en": "New users", "de": "Neue Nutzer", "fr": "Nouveaux utilisateurs", "es": "Usuarios nuevos",
                               "pt": "Novos usuários", "it": "Nuovi utenti"}),
    "views":            (GA4, {"en": "Views|Page views", "de": "Aufrufe|Seitenaufrufe", "fr": "Vues|Pages vues", "es": "Vistas",
                               "pt": "Visualizações", "it": "Visualizzazioni"}),
}

# Labels in the first column that mark a totals row (kept out of the daily facts).
TOTAL_LABELS: dict[str, str] = {
    "en": "Total|Totals|Grand total|Sum", "de": "Gesamt|Summe|Insgesamt|Gesamtsumme", "fr": "Total|Totaux|Total général",
    "es": "Total|Totales|Total general", "pt": "Total|Totais|Total geral", "it": "Totale|Totali|Totale complessivo",
}

# Preamble keys (the text before ':' on a line above the table).
PREAMBLE_KEYS: dict[str, dict[str, str]] = {
    "range": {"en": "Date range|Dates|Period|Reporting period", "de": "Zeitraum|Datumsbereich", "fr": "Plage de dates|Période",
              "es": "Intervalo de fechas|Rango de fechas|Periodo", "pt": "Intervalo de datas|Período", "it": "Intervallo di date|Periodo"},
    "start": {"en": "Start date", "de": "Startdatum|Anfangsdatum", "fr": "Date de début", "es": "Fecha de inicio",
              "pt": "Data de início", "it": "Data di inizio"},
    "end": {"en": "End date", "de": "Enddatum", "fr": "Date de fin", "es": "Fecha de finalización|Fecha de fin",
            "pt": "Data de término|Data final", "it": "Data di fine|Data di termine"},
}
# fmt: on


_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case words without accents or punctuation: ' Impressões ' -> 'impressoes'."""
    text = str(text).casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_WORD.findall(text))


def _singular(key: str) -> str:
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in key.split())


_PAREN = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]\s*$")


def split_note(name: str) -> tuple[str, str | None]:
    """'Key events (purchase)' -> ('Key events', 'purchase'); names without a trailing parenthesis unchanged."""
    name = str(name).strip()
    m = _PAREN.search(name)
    if not m or m.start() == 0:
        return name, None
    return name[: m.start()].strip(), m.group(0).strip()[1:-1].strip()


def names(family_field: str) -> list[str]:
    """Every synonym of one field, all languages."""
    _family, by_lang = SYNONYMS[family_field]
    return [n for value in by_lang.values() for n in value.split("|")]


def _build_index() -> dict[str, dict[str, tuple[str, frozenset[str]]]]:
    index: dict[str, dict[str, tuple[str, frozenset[str]]]] = {f: {} for f in (*FAMILIES, ANY)}
    langs: dict[tuple[str, str], set[str]] = {}
    for field_name, (family, by_lang) in SYNONYMS.items():
        for lang, value in by_lang.items():
            for synonym in value.split("|"):
                for key in {fold(synonym), _singular(fold(synonym))}:
                    other = index[family].get(key)
                    if other and other[0] != field_name:
                        raise ValueError(f"synonym {synonym!r} means both {other[0]} and {field_name} in {family}")
                    langs.setdefault((family, key), set()).add(lang)
                    index[family][key] = (field_name, frozenset())
    for (family, key), lang_set in langs.items():
        index[family][key] = (index[family][key][0], frozenset(lang_set))
    return index


_INDEX = _build_index()


@dataclass(frozen=True)
class Match:
    field: str  # canonical field or metric name
    family: str  # PINTEREST, GA4 or ANY
    languages: frozenset[str]  # languages whose UI writes this name
    exact: bool  # False when only the name without its trailing parenthesis matched
    percent: bool  # the header itself says %, e.g. "Engagement rate (%)"
    note: str | None  # the trailing parenthesis, e.g. "purchase" or "seconds"


@functools.lru_cache(maxsize=4096)
def lookup(name: str, family: str | None = None) -> Match | None:
    """The field a column name means in one family (None: Pinterest first, then GA4)."""
    families = [family] if family else list(FAMILIES)
    base, note = split_note(name)
    percent = "%" in str(name) and not re.match(r"^\s*\d+\s*%", str(name))  # "95% video views" is a count
    for exact, text in ((True, str(name)), (False, base)):
        if not exact and note is None:
            continue
        key = fold(text.replace("%", " "))
        if not key:
            continue
        for fam in families:
            for where in (fam, ANY):
                for k in (key, _singular(key)):
                    hit = _INDEX[where].get(k)
                    if hit:
                        return Match(hit[0], where, hit[1], exact, percent, note)
    return None


def lookup_preamble_key(key: str) -> str | None:
    """'Date de début' -> 'start'; 'Date range' -> 'range'; unknown keys -> None."""
    folded = fold(key)
    for role, by_lang in PREAMBLE_KEYS.items():
        for value in by_lang.values():
            if folded in {fold(v) for v in value.split("|")}:
                return role
    return None


def total_labels() -> frozenset[str]:
    """Folded labels of totals rows in every language."""
    return frozenset(fold(label) for value in TOTAL_LABELS.values() for label in value.split("|"))


def guess_language(matches: list[Match | None]) -> str:
    """The UI language most column names are written in ('en' when it is a tie or nothing matched)."""
    votes: dict[str, float] = {}
    for m in matches:
        if m and m.languages and len(m.languages) < len(LANGUAGES):
            for lang in m.languages:
                votes[lang] = votes.get(lang, 0.0) + 1.0 / len(m.languages)
    if not votes:
        return "en"
    best = max(votes.values())
    if votes.get("en", 0.0) >= best:
        return "en"
    return max(votes, key=lambda k: votes[k])
