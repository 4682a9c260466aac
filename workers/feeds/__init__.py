"""Feed documents to entries: the XML guard, feedparser, entry identity and poll scheduling."""

from workers.feeds.guard import MAX_FEED_BYTES, check_feed_bytes
from workers.feeds.identity import article_id, canonical_url, entry_key
from workers.feeds.parse import parse_feed
from workers.feeds.schedule import next_check

__all__ = [
    "MAX_FEED_BYTES",
    "article_id",
    "canonical_url",
    "check_feed_bytes",
    "entry_key",
    "next_check",
    "parse_feed",
]
