"""Stable identity for feed entries and URLs, so re-polling a feed never duplicates an entry."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING_PREFIXES = ("utm_", "at_custom", "ns_", "pk_", "mtm_", "hsa_")
_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
        "oly_enc_id", "vero_id", "at_medium", "at_campaign", "cmpid", "ocid", "smid", "sr_share",
        "__twitter_impression", "wt_mc", "wt.mc_id", "rss", "rss_source", "feed_id",
    }
)  # fmt: skip
_DEFAULT_PORTS = {"http": 80, "https": 443}
_MAX_GUID = 512


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """One spelling per resource: lower-case scheme and host, no default port, credentials,
    fragment or tracking parameters; the remaining query parameters sorted.

    Unparseable input comes back stripped but otherwise unchanged.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    path = parts.path or ("/" if host else "")
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode(sorted((k, v) for k, v in pairs if not _is_tracking(k)))
    return urlunsplit((scheme, host, path, query, ""))


def entry_key(guid: str | None, url: str | None, title: str, summary: str) -> str:
    """The entry's identity: its GUID, else its canonical URL, else a hash of its content.

    Prefixed by kind, so a GUID that happens to equal another entry's URL cannot collide.
    """
    guid = (guid or "").strip()
    if guid:
        if len(guid) > _MAX_GUID:
            return "guid-sha256:" + hashlib.sha256(guid.encode()).hexdigest()
        return f"guid:{guid}"
    if url and url.strip():
        return f"url:{canonical_url(url)}"
    content = f"{title.strip()}\n{summary.strip()}".encode()
    return "sha256:" + hashlib.sha256(content).hexdigest()


def article_id(url: str) -> str:
    """An article's identity: a hash of its canonical URL (the same page from any feed)."""
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:40]
