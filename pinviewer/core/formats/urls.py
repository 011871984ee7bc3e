"""One way to turn a URL or a landing-page path into a key: GA4 landing pages and Pin links are grouped by it.

``normalise_url``: lower-case scheme and host, ``http`` taken as ``https`` (the same page either way), no
``www.``, no trailing slash, no ``utm_*`` parameters and no fragment; other query parameters are kept, sorted.
The path keeps its case (web servers may care).
``path_key`` drops scheme and host, for matching a Pin's destination link (a full URL) with a GA4 landing
page (a path): both give ``/lemon-chicken``.
``is_pinterest_source`` tells a GA4 session source that is Pinterest (the analysis needs it without the
readers: it lives here, in a module with no pandas).
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_BARE_HOST = re.compile(r"^(?:[a-zA-Z0-9-]+\.)+[a-zA-Z]{2,}(?::\d+)?(?:[/?#]|$)")
# Pinterest's own hosts: pinterest.<any country domain> (pinterest.com, .co.uk, .com.au, .de, .fr...), its
# subdomains that show Pins (www., uk., de., ...) and the pin.it short links. Its sign-in and business hosts send
# no visitors from Pins: they are left out.
_NOT_PINS = ("accounts", "accounts-oauth", "oauth", "api", "developers", "developer", "help", "business", "ads",
             "ads-api", "analytics", "policy", "newsroom", "careers", "blog", "engineering", "investors", "status",
             "email", "mail", "post", "trk")
_PINTEREST_HOST = re.compile(r"^(?:([a-z0-9-]+(?:\.[a-z0-9-]+)*)\.)?pinterest(?:\.[a-z]{2,3}){1,2}$")


def _source_host(text: str) -> str:
    """The host of a GA4 source: 'pinterest.com / referral' or 'https://de.pinterest.com/pin/1/' -> its host."""
    t = str(text).strip().lower()
    t = t.split(" / ", 1)[0].strip()
    t = re.sub(r"^[a-z][a-z0-9+.-]*://", "", t)
    return re.split(r"[/?#:\s]", t, maxsplit=1)[0].strip(".")


def is_pinterest_source(text: str) -> bool:
    """True for GA4 sources that are Pinterest: 'pinterest.com / referral', 'pin.it / referral', 'de.pinterest.de',
    'pinterest.co.uk', plain 'Pinterest' (a source or a channel)... False for Pinterest's sign-in redirect
    ('accounts-oauth.pinterest.com / referral'), its business and help sites, and hosts that merely contain the
    word ('notpinterest.com', 'pinterest-fans.example')."""
    host = _source_host(text)
    if host in ("pinterest", "pin.it"):
        return True
    m = _PINTEREST_HOST.match(host)
    if not m:
        return False
    sub = m.group(1)
    return sub is None or sub.split(".")[0] not in _NOT_PINS


def _clean_query(query: str) -> str:
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not k.lower().startswith("utm_")]
    return urlencode(sorted(pairs))


def _clean_path(path: str) -> str:
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    return path


def normalise_url(url: str) -> str:
    """'HTTP://www.Example.com/Post/?utm_source=pinterest&b=2&a=1#top' -> 'https://example.com/Post?a=1&b=2'.

    A path ('/post/?utm_medium=social') stays a path ('/post'); a bare host ('example.com/post') is taken
    as https. Values that are not URLs or paths, such as GA4's '(not set)', are returned trimmed.
    """
    text = str(url).strip()
    if not text:
        return ""
    if not _SCHEME.match(text):
        if text.startswith("/"):
            parts = urlsplit(text)
            path = _clean_path(parts.path) or "/"
            query = _clean_query(parts.query)
            return path + (f"?{query}" if query else "")
        if _BARE_HOST.match(text):
            text = "https://" + text
        else:
            return text
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    default_port = {"http": 80, "https": 443}.get(scheme)
    if scheme == "http":
        scheme = "https"
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    netloc = host
    if parts.port and parts.port != default_port:
        netloc += f":{parts.port}"
    path = _clean_path(parts.path)
    if path == "/":
        path = ""
    return urlunsplit((scheme, netloc, path, _clean_query(parts.query), ""))


def path_key(url: str) -> str:
    """The normalised path and query without scheme and host: '/lemon-chicken' for both
    'https://www.example-blog.com/lemon-chicken/?utm_source=pinterest' and '/lemon-chicken/'."""
    normal = normalise_url(url)
    if _SCHEME.match(normal):
        parts = urlsplit(normal)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return normal


_PIN_URL = re.compile(r"pinterest\.[a-z.]+/pin/(?:[^/?#]*--)?(\d+)", re.IGNORECASE)


def pin_id_from_url(url: str) -> str | None:
    """'https://www.pinterest.com/pin/1012345678901234567/' -> '1012345678901234567' (None if there is none)."""
    m = _PIN_URL.search(str(url))
    return m.group(1) if m else None
