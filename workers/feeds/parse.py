"""Feed bytes to a ``ParsedFeed``: guarded, parsed by feedparser, entries keyed and cleaned."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from time import struct_time
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from workers.errors import FeedParseError
from workers.feeds.guard import check_feed_bytes
from workers.feeds.identity import entry_key
from workers.records import FeedEntry, ParsedFeed

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_MAX_TTL_MINUTES = 7 * 24 * 60


def parse_feed(body: bytes, *, content_type: str = "", base_url: str = "") -> ParsedFeed:
    """Parse RSS, Atom or RDF bytes into entries with stable keys.

    Raises ``FeedParseError`` for oversized input, entity or DTD declarations (refused before
    feedparser runs), and documents that are not a feed. Entries without a link are skipped.
    """
    check_feed_bytes(body, content_type)
    headers = {"content-type": content_type or "application/xml"}
    if base_url:
        headers["content-location"] = base_url
    try:
        result = feedparser.parse(body, response_headers=headers)
    except Exception as exc:  # feedparser is third-party code fed hostile bytes
        raise FeedParseError(f"feed parser failed: {type(exc).__name__}: {exc}") from None
    entries = result.get("entries") or []
    if not entries and (result.get("bozo") or not result.get("version")):
        reason = result.get("bozo_exception") or "no feed elements found"
        raise FeedParseError(f"not a usable feed: {reason}")
    feed = result.get("feed") or {}
    parsed = (_entry(raw, base_url) for raw in entries)
    return ParsedFeed(
        title=_text(_field(feed, "title")),
        entries=tuple(entry for entry in parsed if entry is not None),
        ttl_minutes=_ttl(_field(feed, "ttl")),
    )


def _entry(raw: Mapping[str, Any], base_url: str) -> FeedEntry | None:
    """One entry, or None when it has no usable http(s) link."""
    link = _link(raw, base_url)
    if link is None:
        return None
    title = _text(_field(raw, "title"))
    summary = _text(_field(raw, "summary"))
    guid = _field(raw, "id")
    return FeedEntry(
        key=entry_key(guid if isinstance(guid, str) else None, link, title, summary),
        url=link,
        title=title,
        published=_when(_field(raw, "published_parsed") or _field(raw, "updated_parsed")),
        summary=summary,
    )


def _field(raw: Mapping[str, Any], name: str) -> object:
    """A stored field only: feedparser's own lookups add aliases and DeprecationWarnings."""
    return dict.get(raw, name) if isinstance(raw, dict) else raw.get(name)


def _link(raw: Mapping[str, Any], base_url: str) -> str | None:
    link = _field(raw, "link")
    if not isinstance(link, str) or not link.strip():
        return None
    try:
        absolute = urljoin(base_url, link.strip())
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return absolute


def _text(value: object) -> str:
    """Plain text from a feed field that may hold escaped or sanitised HTML."""
    if not isinstance(value, str):
        return ""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", value))).strip()


def _when(value: object) -> datetime | None:
    """feedparser's UTC ``struct_time`` as an aware datetime (None if absent or impossible)."""
    if not isinstance(value, struct_time):
        return None
    try:
        return datetime(*value[:5], min(value.tm_sec, 59), tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def _ttl(value: object) -> int | None:
    try:
        minutes = int(str(value).strip())
    except ValueError:
        return None
    return min(minutes, _MAX_TTL_MINUTES) if minutes > 0 else None
